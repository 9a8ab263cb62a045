"""The frozen site in headless Chromium, served by `python -m http.server` from a sub-folder
(no CSP header, no app): the same checks as the live map, then a season page, a place page and
a download."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from maps.freeze import freeze_site
from tests.builders import XSS, browser_dataset, sample
from tests.support import COUNT_JS, open_hostile_popup, open_map, static_http_server

pytestmark = pytest.mark.browser


@pytest.fixture
def static_server(tmp_path: Path):
    root = tmp_path / "www"
    freeze_site(root / "sub", data=browser_dataset(tmp_path))
    with static_http_server(root) as url:
        yield url


def test_frozen_site_in_chromium(chromium, static_server):
    base = static_server
    ctx, page, watch = open_map(chromium, base, "/sub/")
    total = len(sample()["features"]) + 10 + 4
    assert page.evaluate(COUNT_JS) == total
    labels = page.locator(".seasons-panel label.season-choice")
    assert [t.strip() for t in labels.all_inner_texts()] == ["Season 1 (4)", "Season 2 (12)", "Season 3 (3)"]
    labels.filter(has_text="Season 2").locator("input").uncheck()
    page.wait_for_timeout(300)
    assert page.evaluate(COUNT_JS) == total - 12
    labels.filter(has_text="Season 2").locator("input").check()
    page.wait_for_timeout(300)
    assert page.evaluate(COUNT_JS) == total

    popup = open_hostile_popup(page)
    assert XSS in popup.inner_text() and popup.locator("img").count() == 0
    assert page.evaluate("window.__xss") is None

    # The popup's link: the static server redirects the folder to its index.html.
    # (A DOM click: the map may still be panning to show the popup.)
    assert popup.locator("a.place-link").get_attribute("href") == "locations/hostile"
    with page.expect_navigation(url=base + "/sub/locations/hostile/", timeout=60_000):
        page.evaluate("() => document.querySelector('.leaflet-popup-content a.place-link').click()")
    assert page.locator("h1").inner_text() == "Hostile"
    assert page.locator(".small-map .leaflet-container").count() == 1
    with page.expect_download() as download:
        page.locator("a[download]", has_text="GeoJSON").click()
    doc = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert len(doc["features"]) == total
    # No OGC API in a static copy (its clients need a server): no link to one either.
    assert page.locator("a", has_text="OGC API").count() == 0

    # A season page from the map's season bar: only that season's places.
    page.goto(base + "/sub/")
    page.locator(".season-pages a", has_text="Season 2").click()
    page.wait_for_url(base + "/sub/seasons/2/index.html")
    page.wait_for_timeout(400)
    assert page.evaluate(COUNT_JS) == 12
    page.locator("nav[aria-label=Main] a", has_text="Places").click()
    page.wait_for_url(base + "/sub/locations/index.html")
    page.locator("table.places").wait_for()  # loaded (the count below does not wait)
    assert page.locator("table.places tbody tr").count() == total
    assert watch.external == [] and watch.errors == []
    ctx.close()
