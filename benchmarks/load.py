"""Load and fault benchmark: gunicorn on 127.0.0.1, wrk with 64 connections.

Prints requests/s, p50/p99 latency and errors per URL, against the physical limit measured in the
same run: the exact bytes and headers of that URL's answer served by a minimal WSGI app
(benchmarks/fixed_bytes.py) under the same gunicorn settings (workers, threads, access log).
Each URL and its baseline are measured alternately `--runs` times; the medians are printed, with
the servers' CPU time per request (master and workers, from /proc) and its ratio, the figure
that holds when other work shares the machine.
`--static-twin` adds the older yardstick: a file of the same size from the app's own /static/
route (which goes through the whole Flask stack, so it is not the limit). Then two fault drills:
the data file edited under load (every response must be the old or the new data) and replaced
by a broken file (the app keeps serving the last good data and /healthz says 503).

Usage: python benchmarks/load.py [--seconds 8] [--connections 64] [--runs 3] [--only LABEL...]
Needs wrk (Debian: `apt-get install -y wrk`). Only ever talks to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
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
    return wait_until_up(
        proc,
        lambda: urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5).close(),
        "gunicorn did not start; see " + str(data.parent / "gunicorn.log"),
    )


def wait_until_up(proc: subprocess.Popen, probe: Callable[[], object], failure: str) -> subprocess.Popen:
    """`proc` once `probe` stops raising OSError; stopped, and the run ended, after 90 s (a
    loaded machine starts slowly)."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            probe()
            return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    proc.wait(timeout=30)
    raise SystemExit(failure)


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
    total = int(re.search(r"(\d+) requests in", out)[1])
    errors = 0
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(m[1])
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(x) for x in m.groups())
    return {"rps": rps, "p50_ms": ms("50"), "p99_ms": ms("99"), "errors": errors, "requests": total}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a server: its master and every worker (from /proc). Unlike
    req/s, CPU per request hardly changes when other work shares the machine."""
    pids, seen = [pid], 0.0
    while pids:
        p = pids.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            seen += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            for task in Path(f"/proc/{p}/task").iterdir():
                pids += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return seen


def measured(url: str, pid: int, seconds: int, connections: int) -> dict:
    """wrk's figures plus the server's CPU microseconds per request."""
    before = cpu_seconds(pid)
    row = wrk(url, seconds, connections)
    row["cpu_us"] = (cpu_seconds(pid) - before) * 1e6 / max(row["requests"], 1)
    return row


GUNICORN_OWN_HEADERS = {"date", "server", "connection", "transfer-encoding", "keep-alive"}


def snapshot(port: int, path: str) -> dict:
    """One answer as wrk gets it (gzip asked for), for the fixed-bytes baseline."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Accept-Encoding": "gzip", "Host": f"127.0.0.1:{port}"})
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    headers = [(k, v) for k, v in resp.getheaders() if k.lower() not in GUNICORN_OWN_HEADERS]
    return {
        "status": f"{resp.status} {resp.reason}",
        "headers": headers,
        "body": base64.b64encode(body).decode(),
    }


def start_baseline(snap: Path, port: int) -> subprocess.Popen:
    log = open(snap.parent / "baseline.log", "w")  # noqa: SIM115 (lives as long as the server)
    proc = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("fixed_bytes.py")), str(snap), str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    return wait_until_up(
        proc,
        lambda: socket.create_connection(("127.0.0.1", port), timeout=5).close(),
        "the baseline did not start; see " + str(snap.parent / "baseline.log"),
    )


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as resp:
        return resp.read()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--runs", type=int, default=3, help="alternating runs per URL (medians printed)")
    parser.add_argument("--only", nargs="*", help="measure only these labels (e.g. / /locations)")
    parser.add_argument("--no-drills", action="store_true", help="skip the fault drills")
    parser.add_argument("--static-twin", action="store_true", help="also the same size from /static/")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk not found: apt-get install -y wrk")
    work = Path(tempfile.mkdtemp(prefix="maps-load-"))
    data = work / "locations.geojson"
    shutil.copy(ROOT / "data" / "locations.geojson", data)
    shutil.copy(ROOT / "data" / "episodes.json", work / "episodes.json")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(data, port)
    baseline = None
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
            "ogc bbox items": f"/ogc/collections/locations/items?bbox={paris}&limit=100",
            "ogc single item": "/ogc/collections/locations/items/hampton-court-house",
            "route (8 stops)": "/api/route?stops=" + ",".join(paris_ids) + "&mode=walk",
        }
        urls = {k: v for k, v in urls.items() if not args.only or k in args.only}
        for path in urls.values():
            fetch(base + path)  # warm the caches
        snap = work / "snapshot.json"
        snap.write_text(json.dumps({path: snapshot(port, path) for path in urls.values()}))
        bport = free_port()
        baseline = start_baseline(snap, bport)
        limit_base = f"http://127.0.0.1:{bport}"
        bench_static.mkdir(exist_ok=True)
        print(
            f"gunicorn {os.cpu_count()} workers (app and baseline alike); wrk -t2 -c{args.connections} "
            f"-d{args.seconds}s, {args.runs} alternating runs, medians\n"
        )
        twin_head = f" {'/static/ req/s':>14} {'ratio':>6}" if args.static_twin else ""
        print(
            f"{'url':<18} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} "
            f"{'limit req/s':>11} {'limit p99':>9} {'ratio':>6} "
            f"{'CPU us':>7} {'limit CPU':>9} {'CPU ratio':>9}" + twin_head
        )
        for label, path in urls.items():
            runs, limits = [], []
            for _ in range(args.runs):
                runs.append(measured(base + path, server.pid, args.seconds, args.connections))
                limits.append(measured(limit_base + path, baseline.pid, args.seconds, args.connections))

            def med(rows: list[dict], key: str) -> float:
                return statistics.median(r[key] for r in rows)

            rps, p50, p99 = med(runs, "rps"), med(runs, "p50_ms"), med(runs, "p99_ms")
            errors = sum(r["errors"] for r in runs)
            cpu, limit_cpu = med(runs, "cpu_us"), med(limits, "cpu_us")
            line = (
                f"{label:<18} {rps:>8.0f} {p50:>7.2f} {p99:>7.2f} {errors:>6} "
                f"{med(limits, 'rps'):>11.0f} {med(limits, 'p99_ms'):>9.2f} {rps / med(limits, 'rps'):>6.2f} "
                f"{cpu:>7.0f} {limit_cpu:>9.0f} {limit_cpu / cpu:>9.2f}"
            )
            if args.static_twin:
                body = fetch(base + path)
                twin = bench_static / f"twin-{abs(hash(label))}.bin"
                twin.write_bytes(os.urandom(len(body)) if path.startswith("/download") else body)
                static = wrk(f"{base}/static/_bench/{twin.name}", args.seconds, args.connections)
                line += f" {static['rps']:>14.0f} {med(runs, 'rps') / static['rps']:>6.2f}"
            print(line, flush=True)

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
        for proc in (server, baseline):
            if proc is not None:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=30)


if __name__ == "__main__":
    main()
