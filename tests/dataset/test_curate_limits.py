"""`maps add` when things go wrong around it: a symlinked data file, a geocoder that answers
nonsense, hangs, trickles or floods, a full disk or a read-only folder. Each ends with one line
and exit status 2 (or the place added through the link), never a traceback."""

from __future__ import annotations

import errno
import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from maps.cli import main
from maps.dataset import store

ADD = ["--season", "1", "--note", "A scene.", "--source", "https://example.org/s", "--name", "Test Place"]


def invoke(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


@pytest.fixture(autouse=True)
def _cache(monkeypatch, tmp_path):
    monkeypatch.setenv("MAPS_GEOCODE_CACHE", str(tmp_path / "geocache.json"))
    monkeypatch.delenv("MAPS_DATA", raising=False)


def test_add_through_a_symlink_writes_the_real_file(dataset: Path, tmp_path: Path):
    link = tmp_path / "linked.geojson"
    link.symlink_to(dataset)
    result = invoke("add", "--data", str(link), "--lat", "51.5", "--lon", "-0.6", *ADD)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == str(dataset)
    assert "test-place" in {f["id"] for f in store.read_raw(dataset)["features"]}


@contextmanager
def misbehaving(mode: str, body: bytes = b"") -> Iterator[str]:
    """A local HTTP server that answers /search badly: `body` as JSON, or hangs, or trickles."""
    stop = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if mode == "hang":
                stop.wait(30)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            if mode == "trickle":
                self.end_headers()
                for _ in range(40):
                    if stop.wait(1.0):
                        return
                    self.wfile.write(b" ")
                    self.wfile.flush()
                return
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with suppress(OSError):
                self.wfile.write(body)

        def log_message(self, *_args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        stop.set()
        server.shutdown()
        server.server_close()


def _answer(lat, lon, name="Somewhere") -> bytes:
    return json.dumps([{"lat": lat, "lon": lon, "display_name": name, "place_id": 1}]).encode()


@pytest.mark.parametrize(
    "body",
    [
        _answer("abc", "0.1"),
        _answer("NaN", "0.1"),
        _answer("95", "0.1"),
        _answer(["51.5"], "0.1"),
        b'{"not": "a list"}',
        b"<html>oops</html>",
    ],
    ids=["abc", "nan", "lat-95", "list", "object", "html"],
)
def test_add_with_a_nonsense_answer_is_one_line_and_exit_2(dataset: Path, body: bytes):
    before = dataset.read_bytes()
    with misbehaving("answer", body) as url:
        result = invoke(
            "add", "--data", str(dataset), "--query", "Somewhere", *ADD, env={"MAPS_GEOCODER_URL": url}
        )
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: geocoder at") and len(result.stderr.splitlines()) == 1
    assert dataset.read_bytes() == before


def test_a_huge_display_name_is_capped(dataset: Path):
    with misbehaving("answer", _answer("51.5", "-0.6", "x" * 100_000)) as url:
        result = invoke(
            "add", "--data", str(dataset), "--query", "Somewhere", *ADD, env={"MAPS_GEOCODER_URL": url}
        )
    assert result.exit_code == 0, result.output
    added = {f["id"]: f for f in store.read_raw(dataset)["features"]}["test-place"]
    assert len(added["properties"]["geocode"]["display_name"]) <= 300


def test_a_60_mb_answer_is_refused_without_reading_it(dataset: Path):
    with misbehaving("answer", b"[" + b" " * (60 * 2**20) + b"]") as url:
        result = invoke(
            "add", "--data", str(dataset), "--query", "Somewhere", *ADD, env={"MAPS_GEOCODER_URL": url}
        )
    assert result.exit_code == 2 and "at most 1000000" in result.stderr


@pytest.mark.parametrize("mode", ["hang", "trickle"])
def test_the_geocoder_timeout_is_a_total_deadline(dataset: Path, tmp_path: Path, mode: str, monkeypatch):
    from maps.dataset.geocode import GeocoderSettings

    with misbehaving(mode) as url:
        quick = GeocoderSettings(url=url, cache_path=tmp_path / "c.json", timeout_s=3)
        monkeypatch.setattr("maps.config.geocoder_settings", lambda environ=None: quick)
        started = time.monotonic()
        result = invoke("add", "--data", str(dataset), "--query", "Somewhere", *ADD)
        elapsed = time.monotonic() - started
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1, result.output
    assert "unavailable" in result.stderr
    assert elapsed < 3 * 1.5 + 1.5, elapsed  # the budget for the whole answer, not per read


@pytest.mark.parametrize(
    ("where", "error"),
    [("os.fsync", errno.ENOSPC), ("tempfile.mkstemp", errno.EROFS), ("tempfile.mkstemp", errno.EACCES)],
)
def test_a_full_disk_or_read_only_folder_is_one_line_and_exit_2(dataset: Path, monkeypatch, where, error):
    before = dataset.read_bytes()
    module, name = where.split(".")

    def fail(*_args, **_kwargs):
        raise OSError(error, os.strerror(error))

    monkeypatch.setattr(f"maps.dataset.store.{module}.{name}", fail)
    result = invoke("add", "--data", str(dataset), "--lat", "51.5", "--lon", "-0.6", *ADD)
    assert result.exit_code == 2
    assert result.stderr == f"error: cannot write {dataset}: {os.strerror(error)}\n"
    monkeypatch.undo()
    assert dataset.read_bytes() == before
    assert not [p for p in dataset.parent.iterdir() if p.name.endswith(".tmp")]
