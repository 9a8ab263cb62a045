"""Scale: render time and page size of `/` for 100, 1,000 and 10,000 synthetic places (cold:
page cache empty; cached: second request), against Folium's usual ways of drawing the same
places (one Marker+Popup per place in a MarkerCluster; FastMarkerCluster) measured in the same
run; then, in headless Chromium at 10,000 places, the time until the markers are drawn and the
time of one zoom-in (animated, and without animation), and the time to the first marker on a
phone behind Chromium's network emulation (400 kbit/s, 400 ms round trip).
Run: .venv/bin/python benchmarks/map_scale.py
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import tempfile

# ruff: noqa: B023  (closures are called inside the loop iteration that defines them)
import time
from html import escape
from pathlib import Path

from _common import CHROMIUM_ARGS, TILE_PNG, chromium_path, median_time, synthetic_dataset

from maps import create_app
from maps.dataset.catalog import _load_catalog, load_catalog
from tests.support import live_server

SIZES = (100, 1_000, 10_000)
BROWSER = {"Accept-Encoding": "gzip, deflate, br"}  # as Chromium asks: the page is compressed once


def folium_markers(places) -> str:
    import folium
    from folium import plugins

    fmap = folium.Map()
    cluster = plugins.MarkerCluster().add_to(fmap)
    for loc in places:
        note = "<br>".join(escape(s.note) for s in loc.scenes)
        folium.Marker(loc.latlon, popup=folium.Popup(f"<b>{escape(loc.name)}</b><br>{note}")).add_to(cluster)
    return fmap.get_root().render()


def folium_fast(places) -> str:
    import folium
    from folium import plugins

    fmap = folium.Map()
    plugins.FastMarkerCluster([loc.latlon for loc in places]).add_to(fmap)
    return fmap.get_root().render()


ZOOM_ANIMATED = """() => new Promise(done => {
  // A real zoom-in of one level (Leaflet's animation, then the clusters of the new zoom are
  // computed and drawn on moveend), until the next frame after that is painted. A rAF loop
  // records the longest frame meanwhile: the time the page could not respond.
  const map = mapsView.instances[0].map;
  let worst = 0, last = performance.now(), running = true;
  const tick = t => {
    if (!running) return;
    worst = Math.max(worst, t - last); last = t; requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  const t0 = performance.now();
  map.once("moveend", () => requestAnimationFrame(() => requestAnimationFrame(() => {
    running = false; done([performance.now() - t0, worst]);
  })));
  map.zoomIn(1);
})"""
ZOOM_INSTANT = """() => new Promise(done => {
  // The same without the animation: the whole cost of a zoom-in, re-clustering included (it runs
  // synchronously on moveend), until the next frame is painted.
  const map = mapsView.instances[0].map;
  const t0 = performance.now();
  map.setZoom(map.getZoom() + 1, {animate: false});
  requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - t0)));
})"""


def browser_timings(base: str) -> tuple[float, float, float, float]:
    """(drawn s, animated zoom-in ms, its longest frame ms, zoom-in without animation ms)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        draws, zooms, frames, instants = [], [], [], []
        for _ in range(5):
            page = browser.new_page(viewport={"width": 1200, "height": 800})
            page.route(
                "**/tile.openstreetmap.org/**", lambda r: r.fulfill(body=TILE_PNG, content_type="image/png")
            )
            page.goto(base + "/")
            # Polled with evaluate: wait_for_function's string eval is refused by the page's CSP.
            drawn = None
            while drawn is None:
                drawn = page.evaluate(
                    "() => window.mapsView && mapsView.instances.length"
                    " && document.querySelector('.marker-cluster') ? performance.now() : null"
                )
            draws.append(drawn / 1000)
            page.wait_for_timeout(300)
            zoom_ms, frame_ms = page.evaluate(ZOOM_ANIMATED)
            zooms.append(zoom_ms)
            frames.append(frame_ms)
            page.wait_for_timeout(300)
            instants.append(page.evaluate(ZOOM_INSTANT))
            page.close()
        browser.close()
    med = statistics.median
    return med(draws), med(zooms), med(frames), med(instants)


PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}
# A slow phone connection, as Chromium's DevTools emulate it: 400 kbit/s both ways, 400 ms RTT.
THROTTLE = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 400_000 / 8,
    "uploadThroughput": 400_000 / 8,
}


def throttled_first_pin(base: str, runs: int = 3) -> float:
    """Seconds from navigation start until the first marker or cluster is on the map, on a phone
    viewport behind Chromium's network emulation (Network.emulateNetworkConditions); the tiles
    are answered locally (they are not this app's bytes). Median of `runs` fresh page loads."""
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for _ in range(runs):
            context = browser.new_context(**PHONE)
            page = context.new_page()
            page.route(
                "**/tile.openstreetmap.org/**", lambda r: r.fulfill(body=TILE_PNG, content_type="image/png")
            )
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
            cdp.send("Network.emulateNetworkConditions", THROTTLE)
            page.goto(base + "/", wait_until="commit", timeout=120_000)
            drawn = None
            deadline = time.monotonic() + 60
            while drawn is None and time.monotonic() < deadline:
                drawn = page.evaluate(
                    "() => document.querySelector('.marker-cluster, .place-pin, .place-ring')"
                    " ? performance.now() : null"
                )
                if drawn is None:
                    page.wait_for_timeout(20)
            times.append(drawn / 1000 if drawn is not None else float("inf"))
            context.close()
        browser.close()
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", nargs="*", type=int, default=list(SIZES))
    parser.add_argument("--no-folium", action="store_true", help="skip Folium's ways (slow at 10,000)")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium timings")
    args = parser.parse_args()
    print(
        f"{'places':>7} {'first s':>8} {'cold s':>8} {'cached s':>9} {'page KB':>8} {'gzip KB':>8} "
        f"{'Folium Marker s':>16} {'KB':>7} {'FastMarkerCluster s':>20} {'KB':>6}"
    )
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            data = synthetic_dataset(Path(tmp), n)
            app = create_app({"TESTING": True, "DATA_PATH": str(data)})
            client = app.test_client()
            client.get("/healthz")  # the data file is parsed once per version, not per page
            cache = app.extensions["maps.pagecache"]
            answers = app.extensions["maps.responsecache"]  # whole answers in front of Flask

            def first_render() -> float:  # a new data version: nothing rendered or memoised yet
                _load_catalog.cache_clear()
                cache.entries.clear()
                answers.entries.clear()
                client.get("/healthz")  # parsing the file is not page rendering
                start, start_cpu = time.perf_counter(), time.process_time()
                client.get("/", headers=BROWSER).get_data()
                first_cpu.append(time.process_time() - start_cpu)
                return time.perf_counter() - start

            first_cpu: list[float] = []
            first_s = statistics.median(first_render() for _ in range(5))

            def cold():  # page cache empty, same data version (e.g. another filter's page)
                cache.entries.clear()
                answers.entries.clear()
                client.get("/", headers=BROWSER)

            cold_s = median_time(cold, 5)
            start_cpu = time.process_time()
            for _ in range(3):
                cold()
            cold_cpu = (time.process_time() - start_cpu) / 3
            cached_s = median_time(lambda: client.get("/", headers=BROWSER).data, 5)
            body = client.get("/").data
            places = [loc for loc in load_catalog(data).locations]
            runs = 1 if n >= 10_000 else 3
            marker_html, fast_html = ["-"], ["-"]
            marker_s = fast_s = float("nan")
            if not args.no_folium:
                marker_s = median_time(lambda: marker_html.append(folium_markers(places)), runs)
                fast_s = median_time(lambda: fast_html.append(folium_fast(places)), 3)
            print(
                f"{n:>7} {first_s:>8.3f} {cold_s:>8.3f} {cached_s:>9.4f} {len(body) / 1024:>8.0f} "
                f"{len(gzip.compress(body, 6)) / 1024:>8.0f} {marker_s:>16.2f} "
                f"{len(marker_html[-1]) / 1024:>7.0f} {fast_s:>20.3f} {len(fast_html[-1]) / 1024:>6.0f}"
            )
            print(
                f"{'':>7} CPU time (the figure that holds on a shared machine): first "
                f"{statistics.median(first_cpu):.3f} s, cold {cold_cpu:.3f} s"
            )
            if n == args.sizes[-1] and not args.no_browser:
                with live_server(app) as base:
                    start = time.perf_counter()
                    draw_s, zoom_ms, frame_ms, instant_ms = browser_timings(base)
                print(
                    f"\nChromium, {n} places (median of 5, {time.perf_counter() - start:.0f} s in all): "
                    f"markers drawn {draw_s:.2f} s after navigation start;\n"
                    f"one zoom-in, animated, until the new clusters are painted: {zoom_ms:.0f} ms "
                    f"(longest frame meanwhile {frame_ms:.0f} ms);\n"
                    "one zoom-in without animation, re-clustering included, until painted: "
                    f"{instant_ms:.0f} ms"
                )
                with live_server(app) as base:
                    first_pin = throttled_first_pin(base)
                print(
                    f"phone (390x844, touch) at 400 kbit/s and 400 ms round trip: first marker "
                    f"{first_pin:.2f} s after navigation start (median of 3)"
                )


if __name__ == "__main__":
    main()
