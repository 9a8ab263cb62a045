"""The physical limit for benchmarks/load.py: a minimal WSGI app that answers each URL with the
exact status, headers and bytes the real app sent for it (a JSON snapshot written by load.py),
under the same gunicorn settings as `maps serve --production` (maps.serving.gunicorn_options:
workers, gthread threads, keep-alive, access log). Whatever the real app costs on top of this
is the app's own work.

Usage (load.py starts it): python benchmarks/fixed_bytes.py SNAPSHOT.json PORT [WORKERS]
"""

from __future__ import annotations

import base64
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from maps.config import access_log
from maps.serving import gunicorn_options, serve_wsgi


def make_app(snapshot: dict):
    answers = {
        url: (a["status"], [tuple(h) for h in a["headers"]], base64.b64decode(a["body"]))
        for url, a in snapshot.items()
    }
    missing = ("404 Not Found", [("Content-Length", "0")], b"")

    def app(environ, start_response):  # the five lines that are the limit
        query = environ.get("QUERY_STRING")
        status, headers, body = answers.get(environ["PATH_INFO"] + ("?" + query if query else ""), missing)
        start_response(status, headers)
        return [body]

    return app


if __name__ == "__main__":
    snapshot = json.loads(Path(sys.argv[1]).read_text())
    workers = int(sys.argv[3]) if len(sys.argv) > 3 else None
    serve_wsgi(
        lambda: make_app(snapshot), gunicorn_options("127.0.0.1", int(sys.argv[2]), workers, access_log())
    )
