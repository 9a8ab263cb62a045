"""A real HTTP server on 127.0.0.1 that answers Nominatim's `/search` JSON, so geopy runs for
real (no mocks of geopy itself, no internet)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


@contextmanager
def fake_nominatim(answers: dict[str, tuple[float, float, str]]) -> Iterator[dict]:
    """Serve `answers` (query → (lat, lon, display name)); yields {"url", "requests", "agents"}."""
    state: dict = {"requests": [], "agents": []}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            parsed = urlparse(self.path)
            query = parse_qs(parsed.query).get("q", [""])[0]
            state["requests"].append(query)
            state["agents"].append(self.headers.get("User-Agent"))
            if parsed.path != "/search":
                self.send_error(404)
                return
            hit = answers.get(query)
            body = (
                [{"lat": str(hit[0]), "lon": str(hit[1]), "display_name": hit[2], "place_id": 1}]
                if hit
                else []
            )
            payload = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *_args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state["url"] = f"http://127.0.0.1:{server.server_port}"
    try:
        yield state
    finally:
        server.shutdown()
        thread.join(timeout=5)
