"""Offline pack: how many bytes a fan's browser keeps (gzipped, without tiles) against the
first-load weight of `/`, and the time to first paint of `/` offline against online.

Bundled data, app on 127.0.0.1, headless Chromium. The pack is every URL the service worker
keeps (from /sw.js), each body gzipped at level 6 (the Cache API stores bodies decoded; gzip
is the figure comparable with the page weight). The first load of `/` is every response a
fresh browser gets for it (service workers blocked), gzipped the same way. First paint is the
page's `first-contentful-paint` after one visit (worker active, pack filled): online (served by
the network through the worker) and offline (from the pack), plus online without a worker;
median of RUNS runs, in one run of this script.
Run: .venv/bin/python benchmarks/offline.py [RUNS]
"""

from __future__ import annotations

import gzip
import json
import statistics
import sys

from _common import CHROMIUM_ARGS, TILE_PNG, chromium_path

from maps import create_app
from tests.support import live_server

FCP = "() => (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || null"


def gz(body: bytes) -> int:
    return len(gzip.compress(body, compresslevel=6))


def pack_bytes(app) -> tuple[int, int, int]:
    client = app.test_client()
    head = client.get("/sw.js").get_data(as_text=True).split("\n", 1)[0]
    pack = json.loads(head[len("self.OFFLINE_PACK = ") : -1])["pack"]
    bodies = [client.get(url).get_data() for url in pack]
    return len(pack), sum(len(b) for b in bodies), sum(gz(b) for b in bodies)


def tiles(route) -> None:
    route.fulfill(
        status=200, content_type="image/png", body=TILE_PNG, headers={"Access-Control-Allow-Origin": "*"}
    )


def first_load(browser, base: str) -> tuple[int, int, int]:
    ctx = browser.new_context(service_workers="block")
    ctx.route("https://tile.openstreetmap.org/**", tiles)
    page = ctx.new_page()
    seen: list = []
    page.on("response", lambda r: seen.append(r) if r.url.startswith(base) else None)
    page.goto(base + "/", wait_until="networkidle")
    bodies = [r.body() for r in seen if r.status == 200]
    ctx.close()
    return len(bodies), sum(len(b) for b in bodies), sum(gz(b) for b in bodies)


def paint(ctx, base: str) -> float:
    page = ctx.new_page()
    page.goto(base + "/", wait_until="load")
    page.wait_for_timeout(300)
    value = page.evaluate(FCP)
    page.close()
    return float(value)


def first_paints(browser, base: str) -> tuple[float, float, float]:
    ctx = browser.new_context(service_workers="allow")
    ctx.route("https://tile.openstreetmap.org/**", tiles)
    page = ctx.new_page()
    page.goto(base + "/")
    deadline = 600
    while not page.evaluate("() => document.documentElement.dataset.offline === 'ready'") and deadline:
        page.wait_for_timeout(100)
        deadline -= 1
    online = paint(ctx, base)
    ctx.set_offline(True)
    offline = paint(ctx, base)
    ctx.close()
    plain = browser.new_context(service_workers="block")
    plain.route("https://tile.openstreetmap.org/**", tiles)
    without = paint(plain, base)
    plain.close()
    return online, offline, without


def main() -> None:
    import logging

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    from playwright.sync_api import sync_playwright

    app = create_app({"TESTING": False})
    files, raw, packed = pack_bytes(app)
    with live_server(app) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        requests, page_raw, page_gz = first_load(browser, base)
        samples = [first_paints(browser, base) for _ in range(runs)]
        browser.close()
    print(f"offline pack: {files} files, {raw / 1024:.0f} KB raw, {packed / 1024:.1f} KB gzipped (no tiles)")
    print(
        f"first load of /: {requests} requests, {page_raw / 1024:.0f} KB raw, {page_gz / 1024:.1f} KB gzipped"
    )
    print(f"pack / first load (gzipped): {packed / page_gz:.1f}x")
    online, offline, without = (statistics.median(s[i] for s in samples) for i in range(3))
    print(f"first contentful paint of / (median of {runs}):")
    print(f"  online, with the worker: {online:.0f} ms")
    print(f"  offline, from the pack:  {offline:.0f} ms")
    print(f"  online, no worker:       {without:.0f} ms")


if __name__ == "__main__":
    main()
