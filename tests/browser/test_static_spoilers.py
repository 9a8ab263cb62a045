"""The static site (`maps freeze`) remembers the spoiler setting: the real bundled dataset,
frozen, served by a plain static server (no cookie, no query string), at 390x844 (touch) and
1366x900. The fan sets "watched up to S1E8" once; the map, the list and a place page then show
the ten season-1 places and nothing later, on every page, after a reload too; a later place's
own page says it is hidden and offers "show anyway"; "Everything" clears it.

Screenshots go to test-artifacts/static-spoilers-*.png.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from maps.dataset.catalog import load_catalog
from maps.freeze import freeze_site
from maps.resources import bundled_data_path
from tests.support import ARTIFACTS, DESKTOP, PHONE, Watch, axe_path, static_http_server, wait_js

pytestmark = pytest.mark.browser
SIZES = pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
CATALOG = load_catalog(bundled_data_path())
MAPPED = [p for p in CATALOG.locations if p.geometry is not None]
SEASON_ONE = {p.name for p in CATALOG.locations if 1 in p.seasons}
LATER = {p.name for p in CATALOG.locations if min(p.seasons) > 1}


@pytest.fixture(scope="module")
def frozen(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("static-spoilers") / "www"
    freeze_site(root)  # once for the module
    return root


@pytest.fixture(scope="module")
def site(frozen: Path):
    with static_http_server(frozen) as url:
        yield url


def _open_map(page, url: str) -> None:
    page.goto(url)
    wait_js(page, "window.mapsView && mapsView.instances.length > 0")
    page.wait_for_timeout(300)


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"static-spoilers-{name}.png"))


@SIZES
def test_static_site_remembers_the_spoiler_setting(chromium, site, size):
    tag = "phone" if size is PHONE else "desktop"
    ctx = chromium.new_context(**size)
    page = ctx.new_page()
    watch = Watch(page)
    _open_map(page, site + "/")
    assert page.evaluate("() => mapsView.instances[0].countShown()") == len(MAPPED)
    control = page.locator(".spoiler-control")
    assert control.is_visible()
    summary = control.locator("summary")
    summary.tap() if size is PHONE else summary.click()
    page.select_option("#spoiler-watched", "S1E8")
    control.locator("button", has_text="Save").click()
    page.wait_for_load_state("load")
    wait_js(
        page,
        "window.mapsView && mapsView.instances.length > 0 && !document.documentElement.classList.contains('spoilers-pending')",
    )
    page.wait_for_timeout(300)
    mapped_one = sum(1 for p in MAPPED if 1 in p.seasons)
    assert page.evaluate("() => mapsView.instances[0].countShown()") == mapped_one
    assert page.locator("#map-count").inner_text() == f"{mapped_one} places on the map"
    assert (
        "Spoilers: up to S1E8" if size is PHONE else "Spoilers: up to Season 1 · episode 8"
    ) in summary.inner_text()
    if size is PHONE:
        page.locator(".seasons-toggle").tap()
    legend = page.locator(".seasons-panel label.season-choice:visible").all_inner_texts()
    assert [t.strip() for t in legend] == [f"Season 1 ({mapped_one})"]
    if size is PHONE:
        page.locator(".seasons-toggle").tap()
    # A season-1 place filmed again later: its popup and its pin's name keep to season 1.
    page.evaluate("() => mapsView.instances[0].openPlace('burnham-park-academy')")
    popup = page.locator(".leaflet-popup .place-popup")
    popup.wait_for()
    scenes = popup.locator(".scene-episode").all_inner_texts()
    assert scenes and all(s.startswith("Season 1") for s in scenes)
    name = page.evaluate(
        "() => Object.values(mapsView.instances[0].shown).find(m => m.isPopupOpen && m.isPopupOpen())._icon.getAttribute('aria-label')"
    )
    assert name.endswith("Season 1") and "Season 2" not in name
    _shot(page, f"map-{tag}")

    # The list, reached by a link, lists the ten season-1 places and no later one.
    page.goto(site + "/locations/")
    wait_js(page, "!document.documentElement.classList.contains('spoilers-pending')")
    rows = page.locator("table.places tbody tr:visible th[scope=row] a")
    assert set(rows.all_inner_texts()) == SEASON_ONE
    text = page.locator("main").inner_text()
    own = " ".join(f"{p.name} {p.locality} {p.story_place}" for p in CATALOG.locations if 1 in p.seasons)
    assert not [name for name in LATER if name in text and name not in own]
    assert "Season 2" not in page.locator("table.places").inner_text()  # a place's later seasons too
    assert "hidden by your spoiler setting" in page.locator("[data-place-count]").inner_text()
    _shot(page, f"list-{tag}")

    # A later place's own page: hidden, with "show anyway".
    page.goto(site + "/locations/eiffel-tower/")
    wait_js(page, "!document.documentElement.classList.contains('spoilers-pending')")
    main = page.locator("main")
    assert "hidden by your spoiler setting" in main.inner_text() and "Eiffel" not in main.inner_text()
    _shot(page, f"hidden-place-{tag}")
    page.locator("main button", has_text="Show anyway").click()
    assert "Eiffel" in main.inner_text()

    # "Everything": the setting is cleared, every place is back.
    _open_map(page, site + "/")
    summary.tap() if size is PHONE else summary.click()
    page.select_option("#spoiler-watched", "all")
    control.locator("button", has_text="Save").click()
    page.wait_for_load_state("load")
    wait_js(page, "window.mapsView && mapsView.instances.length > 0")
    page.wait_for_timeout(300)
    assert page.evaluate("() => mapsView.instances[0].countShown()") == len(MAPPED)
    assert page.evaluate("() => localStorage.getItem('maps.watched')") is None
    assert watch.external == [] and watch.errors == []
    ctx.close()


def test_static_place_page_hides_later_scenes_and_source_titles(chromium, site):
    place = next(p for p in CATALOG.locations if 1 in p.seasons and max(p.seasons) > 1)
    ctx = chromium.new_context(**DESKTOP, bypass_csp=True)
    page = ctx.new_page()
    page.goto(site + "/")
    page.evaluate("() => localStorage.setItem('maps.watched', 'S1E8')")
    page.goto(site + f"/locations/{place.id}/")
    wait_js(page, "!document.documentElement.classList.contains('spoilers-pending')")
    scenes = page.locator("ul.scene-list li:visible").all_inner_texts()
    assert scenes and all(s.startswith("Season 1") for s in scenes)
    sources = page.locator("ul.sources a").all_inner_texts()
    assert sources and all(" " not in s for s in sources)  # by their site's name only
    page.add_script_tag(content=axe_path().read_text(encoding="utf-8"))
    assert page.evaluate("async () => (await axe.run(document)).violations.map(v => v.id)") == []
    ctx.close()


def test_static_site_without_a_setting_shows_everything(frozen: Path):
    """No script needed to read the pages: without a stored setting nothing is hidden (the
    control itself is shown by the script)."""
    html = (frozen / "locations" / "index.html").read_text(encoding="utf-8")
    assert 'class="spoiler-control" data-static hidden' in html
    assert html.count("data-scenes=") == len(CATALOG.locations)
