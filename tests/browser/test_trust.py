"""Journey on the real bundled dataset, at phone (touch) and desktop size: a fan sees how sure
each scene is, that the season 3 family streets are private homes shown as an area (never a pin
on a house), that the finale is called a film, and finds S2E6 however they type its title."""

from __future__ import annotations

import pytest

from maps import create_app
from tests.support import ARTIFACTS, Watch, live_server, wait_js

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
SIZES = pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
HOMES = "Private homes: view from the street only, do not disturb residents."


@pytest.fixture(scope="module")
def base():
    with live_server(create_app({"TESTING": True})) as url:
        yield url


def new_page(chromium, size):
    ctx = chromium.new_context(**size)
    page = ctx.new_page()
    return ctx, page, Watch(page)


def shot(page, name: str, size, full: bool = False) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"trust-{name}-{size['viewport']['width']}.png"), full_page=full)


def open_popup(page, place_id: str, size):
    """Zoom until the place is its own marker and open its popup as a fan would (tap/click)."""
    page.evaluate(
        """(id) => {
          const m = mapsView.instances[0].showPlace(id);
          m._icon.setAttribute('data-test', id);
        }""",
        place_id,
    )
    marker = page.locator(f"[data-test={place_id}]")
    if size.get("has_touch"):
        marker.tap()
    else:
        marker.click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    return marker, popup


@SIZES
def test_private_home_is_a_ring_with_the_residents_advice(chromium, base, size):
    ctx, page, watch = new_page(chromium, size)
    page.goto(base + "/")
    wait_js(page, "window.mapsView && mapsView.instances.length > 0")
    page.wait_for_timeout(400)  # the first fitBounds and its animation
    marker, popup = open_popup(page, "st-marks-road-windsor", size)
    assert "place-ring" in marker.get_attribute("class")  # an area marker, not a pin
    text = popup.inner_text()
    assert "St Marks Road (residential street)" in text
    assert HOMES in text
    assert "Shown as an area, never as a pin on a house." in text
    extent = page.evaluate("document.querySelectorAll('path.place-extent').length")
    assert extent >= 1  # the circle of the town-level area is drawn at this zoom
    shot(page, "private-home-popup", size)
    assert watch.errors == [] and watch.external == []
    ctx.close()


@SIZES
def test_popup_says_when_a_scene_is_only_reported(chromium, base, size):
    ctx, page, watch = new_page(chromium, size)
    page.goto(base + "/")
    wait_js(page, "window.mapsView && mapsView.instances.length > 0")
    page.wait_for_timeout(400)  # the first fitBounds and its animation
    _, popup = open_popup(page, "herne-bay-pier", size)
    assert "Reported: Only The Canterbury Hub" in popup.inner_text()
    shot(page, "reported-popup", size)
    assert watch.errors == []
    ctx.close()


@SIZES
def test_place_page_shows_confidence_and_the_film_as_a_film(chromium, base, size):
    ctx, page, _ = new_page(chromium, size)
    page.goto(base + "/locations/burnham-park-academy")
    scenes = page.locator(".scene-list").inner_text()
    assert "Inferred: no source says so directly; deduced from the sources." in scenes
    assert "S2E6 · Truth / Dare" in scenes
    shot(page, "place-inferred", size, full=True)
    width = size["viewport"]["width"]
    page.locator(".scene-list li").nth(1).screenshot(
        path=str(ARTIFACTS / f"trust-inferred-scene-{width}.png")
    )
    page.goto(base + "/locations/leeds-railway-station")
    scenes = page.locator(".scene-list").inner_text()
    assert "Heartstopper Forever · Film" in scenes
    seen = page.inner_text("body")  # what a fan reads (S4E1 stays a parameter value)
    assert "S4E1" not in seen and "Season 4" not in seen
    page.goto(base + "/locations/ashley-park-maidenhead")
    assert HOMES in page.locator(".place-access").inner_text()
    shot(page, "place-private-home", size, full=True)
    ctx.close()


@SIZES
def test_list_search_accepts_both_spellings_of_truth_dare(chromium, base, size):
    ctx, page, _ = new_page(chromium, size)
    found = []
    for spelling in ("Truth/Dare", "Truth / Dare"):
        page.goto(base + "/locations")
        page.locator("summary", has_text="Filter").click()
        page.fill("input[name=q]", spelling)
        with page.expect_navigation():
            page.keyboard.press("Enter")  # the fan submits the form from the keyboard
        names = page.locator("table.places tbody th a").all_inner_texts()
        found.append(names)
        assert "Former E-ACT Burnham Park Academy" in names, (spelling, names)
    assert found[0] == found[1]
    shot(page, "search-truth-dare", size, full=True)
    ctx.close()


@SIZES
def test_list_tags_private_homes_and_unconfirmed_places(chromium, base, size):
    ctx, page, _ = new_page(chromium, size)
    page.goto(base + "/locations?season=3")
    rows = {
        row.locator("th a").inner_text(): row.locator("th").inner_text()
        for row in page.locator("table.places tbody tr").all()
    }
    for street in ("Ashley Park (residential street)", "St Marks Road (residential street)"):
        assert "private home" in rows[street], rows[street]
    assert rows["Herne Bay High School"].endswith("inferred")
    assert rows["Whipsnade Zoo"] == "Whipsnade Zoo"  # confirmed: no tag
    shot(page, "list-season-3", size, full=True)
    ctx.close()
