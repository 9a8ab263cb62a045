"""The site header on a phone (one row, the page links in a "Menu" that keyboard and screen-reader
users reach and close as a button), and the route planner's spoiler setting (a select of episode
codes, never a text box or a later title), on the real bundled dataset at 390x844 and 1366x900.

Screenshots go to test-artifacts/header-*.png and route-watched-*.png.
"""

from __future__ import annotations

import pytest

from maps import create_app
from maps.dataset.catalog import load_catalog
from maps.resources import bundled_data_path
from tests.support import ARTIFACTS, DESKTOP, PHONE, Watch, axe_path, live_server, wait_js

pytestmark = pytest.mark.browser
SIZES = pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
CATALOG = load_catalog(bundled_data_path())
# Episode titles, except a film's, which is its season's label ("Heartstopper Forever").
TITLES = {ep.title for season in CATALOG.series.seasons for ep in season.episodes if ep.title} - {
    season.label for season in CATALOG.series.seasons
}


@pytest.fixture(scope="module")
def base():
    with live_server(create_app({"TESTING": True})) as url:
        yield url


def open_page(chromium, base: str, path: str, size: dict, **extra):
    ctx = chromium.new_context(**size, **extra)
    page = ctx.new_page()
    watch = Watch(page)
    page.goto(base + path)
    return ctx, page, watch


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def _axe(page) -> list:
    page.add_script_tag(content=axe_path().read_text(encoding="utf-8"))
    return page.evaluate(
        "async () => (await axe.run(document)).violations.map(v => [v.id, v.nodes.map(n => n.target.join(' '))])"
    )


def test_phone_header_is_one_row_with_a_menu(chromium, base):
    ctx, page, watch = open_page(chromium, base, "/locations?watched=S1E8", PHONE, bypass_csp=True)
    header = page.locator(".site-header")
    assert header.bounding_box()["height"] <= 56  # one row of 44 px targets
    toggle = page.locator(".menu-toggle")
    nav = page.locator("nav[aria-label=Main]")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert nav.is_hidden()
    assert page.locator(".spoiler-control summary").inner_text() == "Spoilers: up to S1E8"
    # By keyboard: Tab to "Menu", Enter opens it, the next Tab is its first link, Escape closes.
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.classList.contains('menu-toggle')"):
            break
    else:
        pytest.fail("'Menu' not reached with Tab")
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true" and nav.is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Map"
    assert _axe(page) == []  # open, over the page
    shot(page, "header-menu-phone")
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false" and nav.is_hidden()
    assert page.evaluate("() => document.activeElement.classList.contains('menu-toggle')")
    # By touch: open, then a link.
    toggle.tap()
    nav.locator("a", has_text="About").tap()
    page.wait_for_url("**/about?watched=S1E8")
    assert page.locator(".site-header").bounding_box()["height"] <= 56
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    shot(page, "header-phone")
    assert watch.errors == [] and watch.external == []
    ctx.close()


def test_desktop_header_shows_every_link(chromium, base):
    ctx, page, _watch = open_page(chromium, base, "/locations", DESKTOP)
    assert page.locator(".menu-toggle").is_hidden()
    links = page.locator("nav[aria-label=Main] a")
    assert links.all_inner_texts()[:5] == ["Map", "Places", "Route planner", "My trips", "About"]
    assert all(link.is_visible() for link in links.all())
    assert page.locator(".site-header").bounding_box()["height"] <= 64
    shot(page, "header-desktop")
    ctx.close()


def test_the_map_keeps_its_height_under_a_one_row_header(chromium, base):
    ctx, page, _watch = open_page(chromium, base, "/", PHONE)
    wait_js(page, "window.mapsView && mapsView.instances.length > 0")
    sizes = page.evaluate(
        "() => [mapsView.instances[0].map.getSize().y, document.querySelector('.leaflet-container').clientHeight]"
    )
    assert sizes[0] == sizes[1]  # Leaflet measured the map after the header was folded
    assert page.locator(".site-header").bounding_box()["height"] <= 56
    ctx.close()


@SIZES
def test_route_planner_spoiler_setting_is_a_select_of_codes(chromium, base, size):
    ctx, page, watch = open_page(chromium, base, "/route?watched=S1E4", size)
    select = page.locator("#route-watched")
    assert select.evaluate("e => e.tagName") == "SELECT"
    assert page.locator("input[name=watched]").count() == 0  # no free text box
    assert select.evaluate("e => e.options[e.selectedIndex].text") == "Season 1 · episode 4"
    options = select.locator("option").all_inner_texts()
    assert "Season 3 · episode 8" in options and not [o for o in options if any(t in o for t in TITLES)]
    later = {p.name for p in CATALOG.locations if min(p.seasons) > 1}
    form_text = page.locator(".route-form").inner_text()
    # A later place's name shows only where a season-1 place's own text names it ("Slough").
    own = " ".join(f"{p.name} {p.locality}" for p in CATALOG.locations if 1 in p.seasons)
    assert not [name for name in later if name in form_text and name not in own]
    select.scroll_into_view_if_needed()
    shot(page, f"route-watched-{'phone' if size is PHONE else 'desktop'}")
    # Finished season 1: choose it, tick season 1, plan; the setting goes with the plan.
    select.select_option("S1E8")
    page.locator(".route-form input[name=season][value='1']").check()
    page.locator(".route-form button[type=submit]").click()
    page.wait_for_url("**watched=S1E8**")
    assert page.locator("#result-title").is_visible()
    assert page.locator("#route-watched").input_value() == "S1E8"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= size["viewport"]["width"]
    assert watch.errors == []
    ctx.close()
