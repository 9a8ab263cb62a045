"""gunicorn settings for `gunicorn -c gunicorn.conf.py "maps:create_app()"` (the same settings
`maps serve --production` uses). Bind with MAPS_BIND, default 127.0.0.1:8000."""

import os

from maps.serving import gunicorn_options

_host, _, _port = os.environ.get("MAPS_BIND", "127.0.0.1:8000").rpartition(":")
globals().update(gunicorn_options(_host or "127.0.0.1", int(_port)))
