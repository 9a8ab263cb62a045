"""gunicorn settings for `gunicorn -c gunicorn.conf.py "maps:create_app()"` (the same settings
`maps serve --production` uses). Bind with MAPS_BIND, default 127.0.0.1:8000 (read by
maps.config, like every other setting); MAPS_ACCESS_LOG turns the access log on."""

from maps.config import access_log, bind_address
from maps.serving import gunicorn_options

_host, _port = bind_address()
globals().update(gunicorn_options(_host, _port, access_log=access_log()))
