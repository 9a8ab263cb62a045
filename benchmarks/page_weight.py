"""Page weight: gzipped bytes of everything `/` loads except tiles (bundled data), against
Folium's default page for the same places with the same controls (MarkerCluster, Fullscreen,
LocateControl, Search, LayerControl, one Marker+Popup per place), all its CDN assets counted.

Both pages are loaded in headless Chromium; every request except tiles is recorded. Folium's CDN
files are answered from `npm pack`s of the exact versions in benchmarks/.scratch/ (fetched by
this script with `npm pack` when missing); a file no npm package carries is reported as not
counted. Run: .venv/bin/python benchmarks/page_weight.py
"""

from __future__ import annotations

import gzip
import re
import subprocess
import tarfile
from html import escape
from urllib.parse import urljoin, urlparse

from _common import CHROMIUM_ARGS, SCRATCH, TILE_PNG, chromium_path

from maps import create_app
from maps.dataset.catalog import load_catalog
from maps.resources import bundled_data_path
from tests.support import live_server

PACKS = [
    "leaflet@1.9.3",
    "jquery@3.7.1",
    "bootstrap@5.2.2",
    "@fortawesome/fontawesome-free@6.2.0",
    "drmonty-leaflet-awesome-markers@2.0.2",
    "leaflet.markercluster@1.1.0",
    "leaflet.fullscreen@3.0.0",
    "leaflet.locatecontrol@0.66.2",
    "leaflet-search@2.9.7",
]
TILE_HOSTS = ("tile.openstreetmap.org",)


def pack_dir(spec: str):
    name, version = spec.rsplit("@", 1)
    folder = SCRATCH / (name.lstrip("@").replace("/", "-") + "-" + version)
    if not folder.is_dir():
        SCRATCH.mkdir(parents=True, exist_ok=True)
        out = subprocess.run(["npm", "pack", "--silent", spec], cwd=SCRATCH, capture_output=True, text=True)
        tgz = SCRATCH / out.stdout.strip().splitlines()[-1]
        with tarfile.open(tgz) as tar:
            tar.extractall(folder, filter="data")
    return folder / "package"


def cdn_file(url: str):
    """The npm-packed file a CDN URL serves, or None."""
    u = urlparse(url)
    path = u.path
    if url.endswith("/leaflet.fullscreen@3.0.0/Control.FullScreen.min.js"):
        return pack_dir("leaflet.fullscreen@3.0.0") / "Control.FullScreen.js"  # unminified stand-in
    if u.hostname == "cdn.jsdelivr.net" and path.startswith("/npm/"):
        m = re.match(r"/npm/((?:@[^/]+/)?[^@/]+)@([^/]+)/(.+)", path)
        if m:
            return pack_dir(f"{m[1]}@{m[2]}") / m[3]
    if u.hostname == "code.jquery.com" and path == "/jquery-3.7.1.min.js":
        return pack_dir("jquery@3.7.1") / "dist/jquery.min.js"
    if u.hostname == "cdnjs.cloudflare.com":
        m = re.match(r"/ajax/libs/([^/]+)/([^/]+)/(.+)", path)
        if m:
            lib, version, rest = m.groups()
            if lib == "Leaflet.awesome-markers":
                base = pack_dir(f"drmonty-leaflet-awesome-markers@{version}")
                return base / ("js" if rest.endswith(".js") else "css") / rest
            if lib == "leaflet.markercluster":
                return pack_dir(f"leaflet.markercluster@{version}") / "dist" / rest
            if lib == "leaflet-locatecontrol":
                return pack_dir(f"leaflet.locatecontrol@{version}") / "dist" / rest
    return None


def every_asset(page_url: str, html: bytes, fetch) -> list[tuple[str, int, int]]:
    """The page, every script and stylesheet it names, and the fonts (woff2) and images (1x)
    those stylesheets reference: what the page can load, whether or not this view shows it."""
    out = [(page_url, len(html), len(gzip.compress(html, 6)))]
    queue = [
        urljoin(page_url, u)
        for u in re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html.decode())
    ]
    seen = set()
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        body = fetch(url)
        if body is None:
            out.append((url, -1, -1))
            continue
        out.append((url, len(body), len(gzip.compress(body, 6))))
        if urlparse(url).path.endswith(".css"):
            for ref in re.findall(r"url\(['\"]?([^'\")]+)['\"]?\)", body.decode("utf-8", "replace")):
                if ref.startswith("data:") or "@2x" in ref or ref.endswith((".ttf", ".woff", ".eot")):
                    continue
                queue.append(urljoin(url, ref.split("?")[0].split("#")[0]))
    return out


def folium_default_page(places, series) -> str:
    import folium
    from folium import plugins

    fmap = folium.Map(tiles="OpenStreetMap")
    cluster = plugins.MarkerCluster().add_to(fmap)
    for season in series.seasons:
        group = folium.FeatureGroup(name=season.label).add_to(fmap)
        for loc in places:
            if loc.geometry is None or season.number not in loc.seasons:
                continue
            note = "<br>".join(escape(s.note) for s in loc.scenes)
            folium.Marker(
                loc.latlon,
                tooltip=escape(loc.name),
                popup=folium.Popup(f"<b>{escape(loc.name)}</b><br>{note}"),
            ).add_to(cluster)
        group.add_to(fmap)
    plugins.Fullscreen().add_to(fmap)
    plugins.LocateControl().add_to(fmap)
    plugins.Search(cluster, search_label="tooltip").add_to(fmap)
    folium.LayerControl().add_to(fmap)
    return fmap.get_root().render()


def load(browser, url: str, handler) -> list[tuple[str, int, int]]:
    """Load `url`; `handler(url) -> bytes | None` answers requests; returns (url, raw, gzipped)."""
    page = browser.new_page()
    seen: list[tuple[str, int, int]] = []

    def route(r):
        host = urlparse(r.request.url).hostname or ""
        if host in TILE_HOSTS:
            return r.fulfill(status=200, content_type="image/png", body=TILE_PNG)
        body = handler(r.request.url)
        if body is None:
            seen.append((r.request.url, -1, -1))
            return r.fulfill(status=404, body=b"")
        seen.append((r.request.url, len(body), len(gzip.compress(body, 6))))
        return r.fulfill(status=200, body=body, headers=_type(r.request.url))

    page.route("**/*", route)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    page.close()
    return seen


def _type(url: str) -> dict:
    ext = urlparse(url).path.rsplit(".", 1)[-1]
    types = {
        "js": "text/javascript",
        "css": "text/css",
        "png": "image/png",
        "woff2": "font/woff2",
        "ttf": "font/ttf",
        "woff": "font/woff",
        "svg": "image/svg+xml",
    }
    return {"Content-Type": types.get(ext, "text/html")}


def main() -> None:
    from playwright.sync_api import sync_playwright

    cat = load_catalog(bundled_data_path())
    mapped = [loc for loc in cat.locations if loc.geometry is not None]
    app = create_app({"TESTING": True})
    client = app.test_client()
    folium_html = folium_default_page(mapped, cat.series).encode()

    def ours(url: str):
        u = urlparse(url)
        resp = client.get(u.path + ("?" + u.query if u.query else ""), headers={"Accept-Encoding": "gzip"})
        if resp.status_code != 200:
            return None
        return gzip.decompress(resp.data) if resp.headers.get("Content-Encoding") == "gzip" else resp.data

    def theirs(url: str):
        if url.startswith("http://folium.test/"):
            return folium_html
        path = cdn_file(url)
        return path.read_bytes() if path and path.is_file() else None

    with live_server(app) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        ours_seen = load(browser, base + "/", ours)
        theirs_seen = load(browser, "http://folium.test/", theirs)
        browser.close()
        ours_all = every_asset(base + "/", ours(base + "/"), ours)
    theirs_all = every_asset("http://folium.test/", folium_html, theirs)

    def report(title, seen):
        counted = [s for s in seen if s[1] >= 0]
        raw = sum(s[1] for s in counted)
        gz = sum(s[2] for s in counted)
        print(f"\n{title}: {len(seen)} requests, {raw / 1024:.0f} KB raw, {gz / 1024:.1f} KB gzipped")
        for url, r, g in sorted(seen, key=lambda s: -s[2]):
            label = "NOT COUNTED (no npm copy)" if r < 0 else f"{r / 1024:7.1f} KB raw {g / 1024:6.1f} KB gz"
            print(f"  {label}  {url}")
        return gz

    print(f"Bundled dataset: {len(mapped)} places on the map")
    ours_gz = report("This app's /", ours_seen)
    theirs_gz = report("Folium's default page, same places and controls", theirs_seen)
    print(f"\nLoaded by the first view: {ours_gz / theirs_gz:.2f} of Folium's default")
    ours_full = report("Everything this app's / references (scripts, styles, their fonts/images)", ours_all)
    theirs_full = report("Everything Folium's default page references", theirs_all)
    print(
        f"\nRatio, everything referenced: {ours_full / theirs_full:.2f} of Folium's default (target <= 0.25)"
    )


if __name__ == "__main__":
    main()
