"""The dataset: loading, filtering, validating and curating `data/locations.geojson`."""
