"""OGC API - Features core and the OpenAPI document, free of Flask."""
