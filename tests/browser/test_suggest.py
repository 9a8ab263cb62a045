"""The whole journey in headless Chromium on the real dataset: a fan suggests a place on a phone
(point picked on the map by touch, proof of work solved by the page's own script), a curator logs
in on a laptop and accepts it, and the place is on the map at the next request. Then two
curators accept two other suggestions at the same moment and both land (the store's lock)."""

from __future__ import annotations

import re

import pytest

from maps import create_app
from maps.dataset import store
from maps.dataset.catalog import load_catalog
from maps.suggestions import curators, fields, queue
from tests.support import ARTIFACTS, DESKTOP, PHONE, Watch, copy_dataset, live_server, wait_js

pytestmark = [pytest.mark.browser, pytest.mark.db]
PASSWORD = "correct horse battery"


@pytest.fixture
def site(tmp_path):
    data = copy_dataset(tmp_path / "data")
    app = create_app(
        {"TESTING": True, "DATA_PATH": str(data), "DATABASE_URL": f"sqlite:///{tmp_path / 'q.sqlite3'}"}
    )
    database = app.extensions["maps.queue"].get()
    with database.session() as session:
        curators.add_curator(session, "alice", PASSWORD)
        curators.add_curator(session, "bob", PASSWORD)
    with live_server(app) as base:
        yield base, data, database


def log_in(page, base: str, name: str, next_path: str = "/review/") -> None:
    page.goto(base + next_path)
    assert "/review/login" in page.url
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(re.escape(base + next_path) + "$"))


def test_fan_suggests_on_a_phone_curator_accepts_place_is_on_the_map(chromium, site):
    base, data, _ = site
    ARTIFACTS.mkdir(exist_ok=True)
    fan_ctx = chromium.new_context(**PHONE)
    fan = fan_ctx.new_page()
    fan_watch = Watch(fan)
    fan.goto(base + "/")
    fan.get_by_role("link", name="suggest a place").click()
    fan.wait_for_url(base + "/suggest")
    fan.get_by_label("Name of the place").fill("Riverside bench by the boathouse")
    picker = fan.locator(".pick-map")
    picker.wait_for(state="visible")
    wait_js(fan, "document.querySelector('.pick-map .leaflet-tile-loaded')")
    box = picker.bounding_box()
    fan.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    wait_js(fan, "document.querySelector('input[name=lat]').value !== ''")
    lat = float(fan.get_by_label("Latitude", exact=True).input_value())
    lon = float(fan.get_by_label("Longitude", exact=True).input_value())
    west, south, east, north = load_catalog(data).bbox  # the tap was the map's middle
    assert south <= lat <= north and west <= lon <= east
    assert fan.locator(".pick-map .leaflet-marker-icon").count() == 1
    # The fan then types the exact point (in Surrey, clear of other pins); the pin follows the fields.
    fan.get_by_label("Latitude", exact=True).fill("51.3149")
    fan.get_by_label("Longitude", exact=True).fill("-0.2856")
    fan.get_by_label("Longitude", exact=True).dispatch_event("change")
    fan.get_by_label("Season", exact=True).select_option(label="Season 1")
    fan.get_by_label("Episode", exact=True).select_option(label="Episode 2")
    fan.get_by_label("What happens there in the show?").fill(
        "Charlie waits on the bench <b>before</b> the match."
    )
    fan.get_by_label("Evidence: links").fill("https://example.org/heartstopper-bench")
    fan.get_by_label("Credit me as").fill("Sam")
    wait_js(fan, "document.querySelector('form[data-altcha-solved]')", timeout=60)
    assert "Check done" in fan.locator("[data-altcha-status]").inner_text()
    fan.screenshot(path=str(ARTIFACTS / "suggest-phone.png"), full_page=True)
    width = fan.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the form scrolls sideways on a phone ({width}px)"
    fan.get_by_role("button", name="Send the suggestion").tap()
    fan.wait_for_url(re.compile(r"/suggest/thanks/S-"))
    ref = fan.locator(".ref").inner_text()
    assert re.fullmatch(r"S-[2-9A-Z]{8}", ref)
    fan.screenshot(path=str(ARTIFACTS / "suggest-thanks-phone.png"))
    assert fan_watch.errors == [] and fan_watch.external == []

    desk = chromium.new_context(**DESKTOP)
    curator = desk.new_page()
    watch = Watch(curator)
    log_in(curator, base, "alice")
    curator.get_by_role("link", name=ref).click()
    curator.wait_for_url(base + f"/review/{ref}")
    assert "Charlie waits on the bench <b>before</b> the match." in curator.locator("dl.sent").inner_text()
    curator.screenshot(path=str(ARTIFACTS / "review-detail-desktop.png"), full_page=True)
    curator.get_by_role("button", name="Accept into the data file").click()
    curator.wait_for_url(base + "/review/")
    assert f"Accepted {ref}" in curator.locator(".flash").inner_text()
    assert watch.errors == []

    feature = next(
        f for f in store.read_raw(data)["features"] if f["properties"]["name"].startswith("Riverside bench")
    )
    assert feature["properties"]["history"][0]["credit"] == "Sam"
    fan.goto(base + "/")  # the next request
    wait_js(fan, "window.mapsView && mapsView.instances.length > 0")
    fan.evaluate(
        "(id) => { const m = mapsView.instances[0].showPlace(id); m._icon.setAttribute('data-test', 'new'); }",
        feature["id"],
    )
    fan.locator("[data-test=new]").tap()
    popup = fan.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "Riverside bench by the boathouse" in popup.inner_text()
    fan.screenshot(path=str(ARTIFACTS / "suggest-accepted-on-map-phone.png"))
    assert fan_watch.errors == []
    fan_ctx.close()
    desk.close()


def test_two_curators_accepting_at_once_both_land(chromium, site):
    base, data, database = site
    series = load_catalog(data).series
    refs = []
    for i, (lat, lon) in enumerate([(51.4862, -0.6071), (51.3722, 1.1206)]):
        raw = {
            "name": f"Bench {i}",
            "lat": lat,
            "lon": lon,
            "country": "GB",
            "season": 1,
            "note": "A scene.",
            "evidence": [f"https://example.org/{i}"],
        }
        with database.session() as session:
            refs.append(queue.submit(session, "place", fields.clean_place(raw, series).payload).ref)
    pages = []
    for name, ref in zip(("alice", "bob"), refs, strict=True):
        ctx = chromium.new_context(**DESKTOP)
        page = ctx.new_page()
        log_in(page, base, name, f"/review/{ref}")
        pages.append(page)
    # Both forms are sent together: each call only schedules the submit and returns at once, so
    # the threaded server runs the two accepts side by side.
    for page in pages:
        page.evaluate(
            "() => setTimeout(() => document.querySelector('form[action$=\"/accept\"]').requestSubmit(), 0)"
        )
    for page in pages:
        page.wait_for_url(base + "/review/")
        assert "Accepted" in page.locator(".flash").inner_text()
    ids = {f["id"] for f in store.read_raw(data)["features"]}
    assert {"bench-0", "bench-1"} <= ids
    with database.session() as session:
        assert {queue.get(session, r).decided_by for r in refs} == {"alice", "bob"}


def test_report_a_problem_on_a_phone_without_script(chromium, site):
    """The forms are plain HTML: with script off, a fan still reports a problem and gets a
    reference; the report is queued as sent without the proof of work."""
    base, _, database = site
    ctx = chromium.new_context(**PHONE, java_script_enabled=False)
    page = ctx.new_page()
    page.goto(base + "/locations/hampton-court-house")
    page.get_by_role("link", name="Report a problem with this place").click()
    page.wait_for_url(base + "/locations/hampton-court-house/report")
    assert page.locator(".pick-map").is_hidden()  # the map picker needs script; the fields do not
    page.get_by_label("Access has changed").check()
    page.get_by_label("Tell us more").fill("The house now opens its gardens on summer weekends.")
    page.get_by_label("Evidence links").fill("https://example.org/open-gardens")
    page.get_by_role("button", name="Send the report").tap()
    page.wait_for_url(re.compile(r"/suggest/thanks/S-"))
    ref = page.locator(".ref").inner_text()
    page.screenshot(path=str(ARTIFACTS / "report-thanks-phone-noscript.png"))
    with database.session() as session:
        row = queue.get(session, ref)
        assert (row.kind, row.place_id, row.pow_verified) == ("problem", "hampton-court-house", False)
        assert row.payload["problem"] == "access_changed"
    # A form sent without choosing what is wrong shows what to fix (the browser itself already
    # stops an empty "Tell us more": it is marked required).
    page.goto(base + "/locations/hampton-court-house/report")
    page.get_by_label("Tell us more").fill("Something is off.")
    page.get_by_role("button", name="Send the report").tap()
    assert "say what is wrong" in page.locator(".form-errors").inner_text()
    page.screenshot(path=str(ARTIFACTS / "report-errors-phone-noscript.png"), full_page=True)
    ctx.close()
