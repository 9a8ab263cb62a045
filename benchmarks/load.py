"""Load and fault benchmark: gunicorn on 127.0.0.1, wrk with 64 connections.

Prints requests/s, p50/p99 latency and errors per URL; the ratio of each cached page to a static
file of the same size served by the same gunicorn in the same run; then two fault drills:
the data file edited under load (every response must be the old or the new data) and replaced
by a broken file (the app keeps serving the last good data and /healthz says 503).

Usage: python benchmarks/load.py [--seconds 60] [--connections 64]
Needs Debian's wrk. Only ever talks to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "maps" / "static"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(data: Path, port: int) -> subprocess.Popen:
    log = open(data.parent / "gunicorn.log", "w")  # noqa: SIM115 (lives as long as the server)
    proc = subprocess.Popen(
        [sys.executable, "-m", "maps", "serve", "--production", "--port", str(port), "--data", str(data)],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=data.parent,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            return proc
        except OSError:
            time.sleep(0.1)
    raise SystemExit("gunicorn did not start; see " + str(data.parent / "gunicorn.log"))


def wrk(url: str, seconds: int, connections: int) -> dict:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-H", "Accept-Encoding: gzip", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def ms(label: str) -> float:
        m = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)", out, re.M)
        value, unit = float(m[1]), m[2]
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])
    errors = 0
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(m[1])
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(x) for x in m.groups())
    return {"rps": rps, "p50_ms": ms("50"), "p99_ms": ms("99"), "errors": errors}


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as resp:
        return resp.read()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--only", nargs="*", help="measure only these labels (e.g. / /locations)")
    parser.add_argument("--no-drills", action="store_true", help="skip the fault drills")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk not found: apt-get install wrk")
    work = Path(tempfile.mkdtemp(prefix="maps-load-"))
    data = work / "locations.geojson"
    shutil.copy(ROOT / "data" / "locations.geojson", data)
    shutil.copy(ROOT / "data" / "episodes.json", work / "episodes.json")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(data, port)
    bench_static = STATIC / "_bench"
    try:
        paris = "2.28,48.84,2.38,48.9"
        paris_ids = [
            "eiffel-tower",
            "louvre",
            "arc-de-triomphe",
            "pont-des-arts",
            "pont-neuf",
            "shakespeare-and-company",
            "sacre-coeur",
            "notre-dame-de-paris",
        ]
        urls = {
            "/": "/",
            "/locations": "/locations",
            "place page": "/locations/hampton-court-house",
            "geojson download": "/download/locations.geojson",
            "ogc bbox items": f"/ogc/collections/locations/items?bbox={paris}",
            "route (8 stops)": "/api/route?stops=" + ",".join(paris_ids) + "&mode=walk",
        }
        bench_static.mkdir(exist_ok=True)
        print(f"gunicorn on {base}, {os.cpu_count()} workers; wrk -c{args.connections} -d{args.seconds}s\n")
        print(
            f"{'url':<20} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} "
            f"{'static req/s':>13} {'ratio':>6}"
        )
        for label, path in urls.items():
            if args.only and label not in args.only:
                continue
            body = fetch(base + path)  # warm the page cache
            twin = bench_static / f"twin-{abs(hash(label))}.bin"
            twin.write_bytes(os.urandom(len(body)) if path.startswith("/download") else body)
            page = wrk(base + path, args.seconds, args.connections)
            static = wrk(f"{base}/static/_bench/{twin.name}", args.seconds, args.connections)
            ratio = page["rps"] / static["rps"]
            print(
                f"{label:<20} {page['rps']:>9.0f} {page['p50_ms']:>8.2f} {page['p99_ms']:>8.2f} "
                f"{page['errors']:>7} {static['rps']:>13.0f} {ratio:>6.2f}"
            )

        if args.no_drills:
            return
        # Fault drill 1: a curator adds places while fans load the GeoJSON download.
        before = json.loads(fetch(base + "/download/locations.geojson"))
        counts = {len(before["features"])}
        seen, bad = [], []
        stop = threading.Event()

        def reader() -> None:
            while not stop.is_set():
                try:
                    doc = json.loads(fetch(base + "/download/locations.geojson"))
                    seen.append(len(doc["features"]))
                except Exception as exc:  # any failure is a finding
                    bad.append(repr(exc))

        threads = [threading.Thread(target=reader) for _ in range(8)]
        for t in threads:
            t.start()
        for i in range(5):
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "maps",
                    "add",
                    "--data",
                    str(data),
                    "--name",
                    f"Load test {i}",
                    "--lat",
                    f"{51.3 + i / 100:.4f}",
                    "--lon",
                    "-0.5",
                    "--season",
                    "1",
                    "--note",
                    "load drill",
                    "--source",
                    "https://example.org/drill",
                ],
                check=True,
                capture_output=True,
            )
            counts.add(len(before["features"]) + i + 1)
            time.sleep(0.5)
        stop.set()
        for t in threads:
            t.join()
        mixed = [n for n in seen if n not in counts]
        print(
            f"\nedit under load: {len(seen)} downloads, {len(bad)} failures, {len(mixed)} not matching "
            f"any whole version (feature counts seen: {sorted(set(seen))})"
        )

        # Fault drill 2: the data file replaced by a broken one.
        data.write_text("{ this is not json", encoding="utf-8")
        statuses = [urllib.request.urlopen(base + "/", timeout=5).status for _ in range(20)]
        try:
            urllib.request.urlopen(base + "/healthz", timeout=5)
            health = 200
        except urllib.error.HTTPError as err:
            health, reason = err.code, json.loads(err.read()).get("problem")
        print(
            f"broken file: / answered {sorted(set(statuses))} x{len(statuses)}; /healthz {health} ({reason})"
        )
        logged = (work / "gunicorn.log").read_text().count("serving the last good data")
        print(f"problem logged {logged} time(s) (once per worker process at most)")
    finally:
        shutil.rmtree(bench_static, ignore_errors=True)
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
