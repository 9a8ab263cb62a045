"""A place no longer there as filmed (`closure`), seen by a fan at 390x844 (touch) and 1366x900:
the notice comes first, in bold, on its page, in its popup and in the list. No bundled place is
closed or demolished (no stored source says one is), so the data is a small tmp_path dataset.

Screenshots go to test-artifacts/closure-*.png.
"""

from __future__ import annotations

import pytest

from maps import create_app
from maps.dataset.catalog import CLOSURE_NOTICE
from tests.builders import EPISODES, sample, write_json
from tests.support import ARTIFACTS, DESKTOP, PHONE, Watch, axe_path, live_server, wait_js

pytestmark = pytest.mark.browser
SIZES = pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    folder = tmp_path_factory.mktemp("closure")
    data = sample()
    props = {f["id"]: f["properties"] for f in data["features"]}
    props["herne-bay-pier"].update(closure="demolished", access="exterior")
    write_json(folder / "episodes.json", EPISODES)
    path = write_json(folder / "locations.geojson", data)
    with live_server(create_app({"TESTING": True, "DATA_PATH": str(path)})) as url:
        yield url


@SIZES
def test_a_demolished_place_says_so_first(chromium, base, size):
    tag = "phone" if size is PHONE else "desktop"
    ctx = chromium.new_context(**size, bypass_csp=True)
    page = ctx.new_page()
    watch = Watch(page)
    page.goto(base + "/locations/herne-bay-pier")
    notice = page.locator(".trip-card .closure-notice")
    assert notice.is_visible()
    assert notice.locator("strong").inner_text() == CLOSURE_NOTICE["demolished"]
    assert (
        page.evaluate("() => getComputedStyle(document.querySelector('.closure-notice strong')).fontWeight")
        >= "600"
    )
    page.add_script_tag(content=axe_path().read_text(encoding="utf-8"))
    assert page.evaluate("async () => (await axe.run(document)).violations.map(v => v.id)") == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"closure-page-{tag}.png"))

    # The popup on the main map ("show on the main map").
    page.locator("a", has_text="Show on the main map").click()
    wait_js(page, "window.mapsView && mapsView.instances.length > 0")
    popup = page.locator(".leaflet-popup .place-popup")
    popup.wait_for()
    gone = popup.locator(".place-access.access-gone")
    assert gone.inner_text().startswith(CLOSURE_NOTICE["demolished"])
    assert "Exterior only" in gone.inner_text()
    page.screenshot(path=str(ARTIFACTS / f"closure-popup-{tag}.png"))

    # The list.
    page.goto(base + "/locations")
    row = page.locator("table.places tbody tr", has_text="Herne Bay Pier")
    assert row.locator(".closure-notice").inner_text() == CLOSURE_NOTICE["demolished"]
    assert page.locator("table.places .closure-notice").count() == 1
    assert watch.errors == [] and watch.external == []
    ctx.close()
