"""The offline pack, on the REAL bundled dataset (a copy in tmp_path), in headless Chromium with
service workers allowed, at a phone's size (390x844, touch) and a laptop's (1366x900):

- visit once: the worker is active and its cache (named after the data version) holds the pack;
  plan a trip and save it under a name, tick "I've been here" on a place;
- go offline: `/` still shows every pin, says "Offline — showing saved pins", opens a popup
  (with the visited tick); a place page, `/locations` (visited shown), `/trips` and the saved
  trip (its stops in order) all open;
- the data file changes (a place added through the store): the next online visit says
  "Updated: 1 new place", one pack cache is left, and offline the new place is on the map;
- the manifest passes Chromium's installability checks and the worker controls `/`;
- the trip's print view, as an A4 PDF from Chromium, names every stop, day by day;
- axe-core finds no violation on `/trips` and on a planned trip with its save form.

Screenshots go to test-artifacts/offline-*.png.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata

import pytest

from maps import create_app
from maps.dataset import curate, store
from maps.dataset.catalog import load_catalog
from maps.resources import bundled_data_path
from tests.support import (
    ARTIFACTS,
    CHROMIUM_ARGS,
    COUNT_JS,
    DESKTOP,
    PHONE,
    PNG,
    axe_path,
    copy_dataset,
    live_server,
    require_tool,
    wait_js,
)

pytestmark = pytest.mark.browser
SIZES = pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
CATALOG = load_catalog(bundled_data_path())
MAPPED = [p for p in CATALOG.locations if p.geometry is not None]
NAMES = {p.id: p.name for p in CATALOG.locations}
TRIP = ["eiffel-tower", "louvre", "pont-neuf", "notre-dame-de-paris", "sacre-coeur", "arc-de-triomphe"]
TRIP_URL = "/route?stops=" + ",".join(TRIP) + "&hours_per_day=3"
VISITED = "hampton-court-house"


def save_a_trip_and_a_visit(page, base: str) -> None:
    """What a fan keeps on the device: the Paris trip saved as "Paris", one place ticked."""
    page.goto(base + TRIP_URL)
    page.fill("#trip-name", "Paris")
    page.click("form.save-trip button[type=submit]")
    page.goto(base + f"/locations/{VISITED}")
    page.get_by_role("button", name="I've been here").click()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"offline-{name}.png"))


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A copy of the real data, served on 127.0.0.1; yields (base URL, data path)."""
    data = copy_dataset(tmp_path_factory.mktemp("offline") / "data")
    with live_server(create_app({"TESTING": True, "DATA_PATH": str(data)})) as url:
        yield url, data


def offline_context(chromium, size, tiles: list[str] | None = None):
    """Service workers allowed; tiles (the only outside host) answered with a tiny PNG,
    CORS-readable like OSM's, and their URLs noted in `tiles`."""
    ctx = chromium.new_context(service_workers="allow", **size)

    def tile(route) -> None:
        if tiles is not None:
            tiles.append(route.request.url)
        route.fulfill(
            status=200, content_type="image/png", body=PNG, headers={"Access-Control-Allow-Origin": "*"}
        )

    ctx.route(re.compile(r"^https://tile\.openstreetmap\.org/"), tile)
    return ctx


def wait_ready(page) -> None:
    """The worker active, its pack cached, and the page told its data version."""
    wait_js(
        page, "document.documentElement.dataset.offline === 'ready' && navigator.serviceWorker.controller", 60
    )


def pack_caches(page) -> list[str]:
    return page.evaluate("async () => (await caches.keys()).filter(n => n.startsWith('maps-pack-'))")


def show_pin(page, place_id: str):
    page.evaluate(
        f"() => mapsView.instances[0].showPlace({json.dumps(place_id)})._icon.setAttribute('data-test', 'pin')"
    )
    return page.locator("[data-test=pin]")


@SIZES
def test_visit_once_then_map_places_and_saved_trip_work_offline(chromium, served, size):
    base, _data = served
    requested: list[str] = []
    ctx = offline_context(chromium, size, requested)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base + "/")
    wait_ready(page)
    config = json.loads(
        page.evaluate("async () => (await (await fetch('/sw.js')).text()).split('\\n')[0]")[20:-1]
    )
    assert pack_caches(page) == [config["cache"]]
    cached = page.evaluate(
        f"async () => (await (await caches.open({json.dumps(config['cache'])})).keys()).length"
    )
    assert cached >= len(config["pack"])

    # Plan a trip online and save it; tick a place as visited.
    page.goto(base + TRIP_URL)
    page.fill("#trip-name", "Paris <b>day</b>")
    page.click("form.save-trip button[type=submit]")
    assert "Saved as “Paris <b>day</b>”" in page.locator(".save-trip-status").inner_text()
    order = page.locator(".itinerary tbody td:nth-child(3) a").all_inner_texts()
    assert sorted(order) == sorted(NAMES[i] for i in TRIP)
    page.goto(base + f"/locations/{VISITED}")
    toggle = page.get_by_role("button", name="I've been here")
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"

    # The map once more, now under the worker: the tiles it shows are kept (and only those).
    page.goto(base + "/")
    wait_js(page, "window.mapsView && mapsView.instances.length > 0")
    page.wait_for_timeout(1000)
    kept = page.evaluate("async () => (await (await caches.open('maps-tiles')).keys()).map(r => r.url)")
    assert 0 < len(kept) <= config["tiles"]["max"]
    assert set(kept) <= set(requested)  # only tiles the map asked for: nothing fetched ahead

    ctx.set_offline(True)
    page.goto(base + "/")
    wait_js(page, "window.mapsView && mapsView.instances.length > 0")
    page.wait_for_timeout(500)
    shown = page.evaluate("() => [...document.querySelectorAll('.leaflet-tile-loaded')].map(t => t.src)")
    assert shown and set(shown) <= set(kept)  # the viewed tiles, from the device
    notice = page.locator(".offline-notice")
    assert notice.is_visible() and notice.inner_text() == "Offline — showing saved pins"
    assert page.evaluate(COUNT_JS) == len(MAPPED)
    shot(page, f"map-{size['viewport']['width']}")
    pin = show_pin(page, VISITED)
    assert "visited" in pin.get_attribute("class")
    if size is PHONE:
        pin.tap()
    else:
        pin.click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert NAMES[VISITED] in popup.inner_text()
    assert popup.get_by_role("button", name="I've been here").get_attribute("aria-pressed") == "true"
    shot(page, f"popup-{size['viewport']['width']}")

    page.goto(base + "/locations/herne-bay-pier")
    assert page.locator("h1").inner_text() == NAMES["herne-bay-pier"]
    assert page.locator(".offline-notice").is_visible()
    page.goto(base + "/locations")
    assert page.locator("tbody tr").count() == len(CATALOG.locations)
    assert page.locator(f"tr[data-place-id={VISITED}] .tag-visited").is_visible()

    page.goto(base + "/trips")
    trip = page.get_by_role("link", name="Paris <b>day</b>")
    assert trip.is_visible()
    assert page.locator(".trip-list b").count() == 0  # the fan's text stays text
    assert page.get_by_role("link", name=NAMES[VISITED]).is_visible()
    shot(page, f"trips-{size['viewport']['width']}")
    trip.click()
    page.wait_for_load_state()
    assert page.locator(".itinerary tbody td:nth-child(3) a").all_inner_texts() == order
    assert page.locator(".offline-notice").is_visible()
    assert errors == []
    ctx.close()


def test_trips_and_visits_move_to_another_device_by_file_and_a_trip_can_be_deleted(
    chromium, served, tmp_path
):
    base, _data = served
    ctx = chromium.new_context(**DESKTOP)
    page = ctx.new_page()
    save_a_trip_and_a_visit(page, base)
    page.goto(base + "/trips")
    with page.expect_download() as download:
        page.get_by_role("button", name="Export as a file").click()
    exported = tmp_path / download.value.suggested_filename
    download.value.save_as(exported)
    assert json.loads(exported.read_text())["visited"][VISITED]["name"] == NAMES[VISITED]
    page.get_by_role("button", name="Delete the trip Paris").click()
    assert page.locator("#trip-list li").count() == 0 and page.locator("#trips-empty").is_visible()
    ctx.close()

    other = chromium.new_context(**PHONE)  # another device: nothing saved yet
    page = other.new_page()
    page.goto(base + "/trips")
    assert page.locator("#visited-list li").count() == 0
    bad = tmp_path / "other.json"
    bad.write_text('{"visited": {"<img src=x>": {}}}')
    page.set_input_files("#import-visits", str(bad))
    wait_js(page, "document.getElementById('trips-status').textContent")
    assert "not an export of this site" in page.locator("#trips-status").inner_text()
    page.set_input_files("#import-visits", str(exported))
    wait_js(page, "document.querySelectorAll('#visited-list li').length === 1")
    assert page.get_by_role("link", name=NAMES[VISITED]).is_visible()
    assert page.get_by_role("link", name="Paris").is_visible()
    assert page.locator("#trips-status").inner_text().startswith("Imported: 1 place")
    page.goto(base + "/locations")
    assert page.locator(f"tr[data-place-id={VISITED}] .tag-visited").is_visible()
    other.close()


def test_a_new_data_version_is_announced_and_replaces_the_cache(chromium, tmp_path):
    data = copy_dataset(tmp_path / "data")
    collection = store.read_raw(data)
    removed = next(f for f in collection["features"] if f["id"] == "leeds-railway-station")
    store.save_collection(
        data, {**collection, "features": [f for f in collection["features"] if f is not removed]}
    )
    with live_server(create_app({"TESTING": True, "DATA_PATH": str(data)})) as base:
        ctx = offline_context(chromium, PHONE)
        page = ctx.new_page()
        page.goto(base + "/")
        wait_ready(page)
        first = pack_caches(page)
        assert page.locator(".update-notice").count() == 0

        curate.add_place(data, removed)  # the curators' way in: under the store's lock, atomically
        page.goto(base + "/")
        wait_js(
            page,
            "document.querySelector('.update-notice') && !document.querySelector('.update-notice').hidden",
            60,
        )
        assert page.locator(".update-notice").inner_text().startswith("Updated: 1 new place.")
        shot(page, "update")
        wait_js(page, f"document.documentElement.dataset.offlineVersion !== {json.dumps(first[0])}")
        now = pack_caches(page)
        assert len(now) == 1 and now != first

        ctx.set_offline(True)
        page.reload()
        wait_js(page, "window.mapsView && mapsView.instances.length > 0")
        page.wait_for_timeout(400)
        assert page.evaluate(COUNT_JS) == len(MAPPED)
        assert page.locator(".update-notice").count() == 0  # said once
        ctx.close()


def test_offline_the_spoiler_setting_still_hides_later_places(chromium, served):
    base, _data = served
    ctx = offline_context(chromium, PHONE)
    page = ctx.new_page()
    page.goto(base + "/?watched=S1E8")  # remembered in a cookie: later pages keep it
    wait_ready(page)
    page.goto(base + "/locations")
    assert "watched=S1E8" in page.url
    wait_js(page, "navigator.serviceWorker.controller")
    page.wait_for_timeout(1500)  # the worker keeps the pack's pages for this setting
    ctx.set_offline(True)
    page.goto(base + "/locations")  # an address without the setting, as the home screen opens
    assert "watched=S1E8" in page.url
    names = set(page.locator("tbody th a").all_inner_texts())
    season_one = {p.name for p in CATALOG.locations if 1 in p.seasons}
    later = {p.name for p in CATALOG.locations if min(p.seasons) > 1}
    assert season_one <= names and not later & names
    ctx.close()


def test_manifest_and_worker_pass_chromiums_installability_checks(chromium, served, tmp_path):
    base, _data = served
    # A persistent profile: Chromium never offers to install from an incognito window, and
    # Playwright's ordinary contexts are incognito.
    ctx = chromium.browser_type.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=require_tool("chromium", "chromium"),
        args=CHROMIUM_ARGS,
        service_workers="allow",
        **DESKTOP,
    )
    page = ctx.new_page()
    page.goto(base + "/")
    wait_ready(page)
    manifest = page.evaluate(
        "async () => (await fetch(document.querySelector('link[rel=manifest]').href)).json()"
    )
    assert manifest["name"] == f"{CATALOG.series.title} filming locations"
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    assert {"192x192", "512x512"} <= {i["sizes"] for i in manifest["icons"] if i["type"] == "image/png"}
    scope = page.evaluate("async () => (await navigator.serviceWorker.getRegistration()).scope")
    assert scope == base + "/"
    cdp = ctx.new_cdp_session(page)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert errors == []
    ctx.close()


def test_the_printed_trip_guide_names_every_stop_day_by_day(chromium, served):
    from pypdf import PdfReader

    base, _data = served
    ctx = chromium.new_context(service_workers="block", **DESKTOP)
    page = ctx.new_page()
    page.goto(base + TRIP_URL)
    days = page.locator(".route-day").count()
    pdf = page.pdf(format="A4", print_background=False)
    (ARTIFACTS / "offline-guide.pdf").write_bytes(pdf)
    text = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(unicodedata.normalize("NFKC", text).split())  # the font's "ﬀ" ligature is "ff"
    for place_id in TRIP:
        assert NAMES[place_id] in text, place_id
    assert all(f"Day {n}" in text for n in range(1, days + 1))
    assert "Google Maps, day 1" in text and "openstreetmap.org/directions" in text
    assert "Plan my route" not in text  # the form is not printed
    page.emulate_media(media="print")
    shot(page, "print")
    # Each day's directions link is on paper as a QR code too: read the first one back from what
    # the printer gets, as a phone's camera would.
    import PIL.Image
    import zxingcpp

    code = page.locator(".guide-code").first
    caption = code.locator("figcaption").inner_text()
    link = caption.split(": ", 1)[1]
    assert caption.startswith("Google Maps, day 1") and link.startswith("https://www.google.com/maps/")
    image = PIL.Image.open(io.BytesIO(code.locator(".guide-qr-box").screenshot()))
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [link]
    assert page.locator(".guide-code").count() >= days
    ctx.close()


@SIZES
@pytest.mark.parametrize("path", ["/trips", TRIP_URL])
def test_axe_finds_no_violation_on_the_offline_pages(chromium, served, size, path):
    axe = axe_path()
    base, _data = served
    ctx = chromium.new_context(bypass_csp=True, service_workers="block", **size)
    page = ctx.new_page()
    save_a_trip_and_a_visit(page, base)
    page.goto(base + path)
    page.add_script_tag(content=axe.read_text(encoding="utf-8"))
    passes, violations = page.evaluate(
        "async () => { const r = await axe.run(document); return [r.passes.length, r.violations.map(v => "
        "[v.id, v.help, v.nodes.slice(0, 3).map(n => n.target.join(' '))])]; }"
    )
    assert passes > 10
    assert violations == []
    ctx.close()


AXE_RUN = (
    "async ([context, options]) => { const r = await axe.run(context || document, options || {}); "
    "return [r.passes.length, "
    "r.violations.map(v => [v.id, v.help, v.nodes.slice(0, 3).map(n => n.target.join(' '))])]; }"
)


@SIZES
def test_axe_finds_no_violation_on_the_offline_map_and_its_visited_popup(chromium, served, size):
    axe = axe_path().read_text(encoding="utf-8")
    base, _data = served
    ctx = chromium.new_context(service_workers="allow", bypass_csp=True, **size)
    page = ctx.new_page()
    page.goto(base + "/")
    wait_ready(page)
    ctx.set_offline(True)
    page.reload()
    wait_js(page, "window.mapsView && mapsView.instances.length > 0")
    assert page.locator(".offline-notice").is_visible()
    page.add_script_tag(content=axe)
    passes, violations = page.evaluate(AXE_RUN, [None, None])
    assert passes > 10 and violations == []
    show_pin(page, VISITED).click()
    page.locator(".leaflet-popup-content").wait_for()
    page.get_by_role("button", name="I've been here").click()
    # The popup alone (its heading is an <h2>, next under the page's <h1>: axe's heading-order).
    passes, violations = page.evaluate(AXE_RUN, [".leaflet-popup", None])
    assert passes > 3 and violations == []
    ctx.close()
