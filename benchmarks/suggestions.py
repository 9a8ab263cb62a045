"""The suggestion queue's costs: how long a fan's browser spends on the proof of work (the page's
own pow.js in headless Chromium, and the same search in Python), and how long a curator's accept
takes on the real dataset (validate, lock, atomic write, audit), one at a time and two at once.

    python benchmarks/suggestions.py [--runs 5] [--accepts 20]
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from _common import CHROMIUM_ARGS, ROOT, chromium_path

os.environ.setdefault("MAPS_STATE_DIR", tempfile.mkdtemp(prefix="maps-bench-state-"))
sys.path.insert(0, str(ROOT))
from maps import create_app
from maps.config import defaults
from maps.dataset.catalog import load_catalog
from maps.suggestions import db, fields, pow, queue, review
from tests.support import copy_dataset, live_server


def browser_pow(runs: int) -> list[float]:
    """Seconds from the form's load until pow.js has filled in the solution."""
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp())
    data = copy_dataset(folder / "data")
    app = create_app({"DATA_PATH": str(data), "DATABASE_URL": f"sqlite:///{folder / 'q.sqlite3'}"})
    times = []
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no request log in the figures
    with live_server(app) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.route("https://**/*", lambda route: route.abort())  # no tiles
        for _ in range(runs):
            page.goto(base + "/suggest", wait_until="load")
            start = time.perf_counter()
            page.wait_for_selector("form[data-altcha-solved]", state="attached", timeout=120_000)
            times.append(time.perf_counter() - start)
        browser.close()
    return times


def python_pow(runs: int, max_number: int) -> list[float]:
    times = []
    for _ in range(runs):
        challenge = pow.new_challenge("k" * 32, max_number=max_number)
        start = time.perf_counter()
        pow.solve(challenge)
        times.append(time.perf_counter() - start)
    return times


def accepts(count: int, parallel: int) -> tuple[float, float]:
    """(median seconds per accept, wall seconds for all) with `parallel` curators at once."""
    folder = Path(tempfile.mkdtemp())
    data = copy_dataset(folder / "data")
    database = db.open_database(f"sqlite:///{folder / 'q.sqlite3'}")
    db.upgrade(database.engine)
    series = load_catalog(data).series
    refs = []
    for i in range(count):
        raw = {
            "name": f"Bench {i}",
            "lat": 51.40 + i / 500,
            "lon": -0.60,
            "country": "GB",
            "season": 1,
            "note": "A scene.",
            "evidence": [f"https://example.org/{i}"],
        }
        with database.session() as session:
            refs.append(queue.submit(session, "place", fields.clean_place(raw, series).payload).ref)
    each: list[float] = []

    def work(mine: list[str]) -> None:
        for ref in mine:
            start = time.perf_counter()
            review.accept(database, ref, curator="bench", data_path=data, series=series)
            each.append(time.perf_counter() - start)

    start = time.perf_counter()
    threads = [threading.Thread(target=work, args=(refs[i::parallel],)) for i in range(parallel)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return statistics.median(each), time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--accepts", type=int, default=20)
    args = parser.parse_args()
    max_number = defaults()["POW_MAX_NUMBER"]
    line = "proof of work, maxNumber {}, {}: median {:.2f} s, max {:.2f} s"
    py = python_pow(args.runs, max_number)
    print(line.format(max_number, "Python", statistics.median(py), max(py)))
    browser = browser_pow(args.runs)
    print(line.format(max_number, "Chromium (pow.js)", statistics.median(browser), max(browser)))
    for parallel in (1, 2):
        median, wall = accepts(args.accepts, parallel)
        print(
            f"accept, {parallel} curator(s), {args.accepts} suggestions: median {median * 1000:.0f} ms each, "
            f"{wall:.1f} s in all"
        )


if __name__ == "__main__":
    main()
