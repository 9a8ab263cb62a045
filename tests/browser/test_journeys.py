"""Fan journeys on the REAL bundled dataset, in headless Chromium, at a phone's size (390x844,
touch) and a laptop's (1366x900), by mouse, tap and keyboard, asserting what a fan sees:

- finished season 1 (`watched=S1E8`): every season-1 place is listed, nothing later;
- every place on the map can be found and its popup opened fully visible (inside the map, under
  no control), by mouse, tap and keyboard; clusters open with Enter; Escape returns to the pin;
- a shared URL reopens the same view and place;
- "near me" at a mocked position lists the nearest places;
- the season downloads are reachable by clicking from `/`;
- axe-core reports no violation on `/`, `/locations`, a place page, `/route` and `/about`;
- no page scrolls sideways on a phone; tap targets are 44 px; inputs are 16 px.

Screenshots go to test-artifacts/journey-*.png.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from maps import create_app
from maps.dataset.catalog import load_catalog
from maps.dataset.filters import parse_filters, select
from maps.resources import bundled_data_path
from tests.support import ARTIFACTS, DESKTOP, PHONE, Watch, axe_path, live_server, wait_js

pytestmark = pytest.mark.browser
SIZES = pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
CATALOG = load_catalog(bundled_data_path())
MAPPED = [p for p in CATALOG.locations if p.geometry is not None]

# Where the open popup is: "ok", or what is wrong (outside the map or the window, or under an
# overlay: a control, the filter, the summary, the near-me panel).
POPUP_PLACEMENT = """() => {
  const pop = document.querySelector('.leaflet-popup');
  if (!pop) return 'no popup';
  const r = pop.getBoundingClientRect(), m = document.querySelector('.leaflet-container').getBoundingClientRect();
  const left = Math.max(0, m.left), top = Math.max(0, m.top);
  const right = Math.min(window.innerWidth, m.right), bottom = Math.min(window.innerHeight, m.bottom);
  if (r.left < left - 1 || r.top < top - 1 || r.right > right + 1 || r.bottom > bottom + 1)
    return 'outside the map: ' + JSON.stringify([r.left, r.top, r.right, r.bottom, left, top, right, bottom]);
  const overlays = document.querySelectorAll(
    '.leaflet-control, .filter-panel, .map-summary, .near-me, .seasons-panel');
  for (const o of overlays) {
    if (o.hidden || !o.offsetParent) continue;
    const q = o.getBoundingClientRect();
    if (q.width && q.height && q.left < r.right - 1 && r.left < q.right - 1 && q.top < r.bottom - 1 && r.top < q.bottom - 1)
      return 'under ' + o.className;
  }
  return 'ok';
}"""


@pytest.fixture(scope="module")
def base():
    with live_server(create_app({"TESTING": True})) as url:
        yield url


def open_page(chromium, base, path, size, **extra):
    ctx = chromium.new_context(**size, **extra)
    page = ctx.new_page()
    watch = Watch(page)
    page.goto(base + path)
    if path.split("?")[0] == "/":
        wait_js(page, "window.mapsView && mapsView.instances.length > 0")
        page.wait_for_timeout(300)
    return ctx, page, watch


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"journey-{name}.png"))


def names_for(watched: str) -> set[str]:
    return {p.name for p in select(CATALOG.locations, parse_filters({"watched": watched}, CATALOG.series))}


@SIZES
def test_finished_season_one_lists_every_season_one_place_and_nothing_later(chromium, base, size):
    season_one = {p.name for p in CATALOG.locations if 1 in p.seasons}
    later_only = {p.name for p in CATALOG.locations if min(p.seasons) > 1}
    assert len(season_one) == 10 and names_for("S1E8") == season_one
    ctx, page, watch = open_page(chromium, base, "/locations?watched=S1E8", size)
    listed = set(page.locator("table.places tbody th[scope=row] a").all_inner_texts())
    assert listed == season_one
    text = page.locator("body").inner_text()
    # A later place's name shows only where a season-1 place's own text names it ("Slough").
    own = " ".join(
        f"{p.name} {p.locality} {p.story_place} {p.access_advice}"
        for p in CATALOG.locations
        if 1 in p.seasons
    )
    assert not [name for name in later_only if name in text and name not in own]
    # The header's control says it (shorter on a phone, where the header keeps to one row).
    assert ("Spoilers: up to S1E8" if size is PHONE else "Spoilers: up to Season 1 · episode 8") in text
    shot(page, f"spoiler-list-{'phone' if size is PHONE else 'desktop'}")
    # The setting stays: the header's Map link (in the Menu on a phone), then the map shows the
    # same ten places.
    if size is PHONE:
        page.locator(".menu-toggle").tap()
    page.locator("nav[aria-label=Main] a", has_text="Map").click()
    wait_js(page, "window.mapsView && mapsView.instances.length > 0")
    assert "watched=S1E8" in page.url
    mapped_one = sum(1 for p in MAPPED if 1 in p.seasons)
    assert page.evaluate("() => mapsView.instances[0].countShown()") == mapped_one
    assert page.locator("#map-count").inner_text() == f"{mapped_one} places on the map"
    # A later place reached directly is hidden, with "show anyway".
    page.goto(base + "/locations/eiffel-tower")
    assert "hidden by your spoiler setting" in page.locator("main").inner_text()
    assert "Eiffel" not in page.locator("body").inner_text()
    assert watch.external == [] and watch.errors == []
    ctx.close()


def test_spoiler_setting_chosen_in_the_header_is_remembered(chromium, base):
    ctx, page, _watch = open_page(chromium, base, "/about", DESKTOP)
    page.locator(".spoiler-control summary").click()
    page.select_option("#spoiler-watched", "S1E4")
    page.locator(".spoiler-control button", has_text="Save").click()
    page.wait_for_url("**/about?watched=S1E4")
    page.goto(base + "/locations")  # typed by hand: the remembered setting comes back
    assert page.url.endswith("/locations?watched=S1E4")
    note = page.locator(".spoiler-note").inner_text()
    assert "hidden: their episode in S1 is not known" in note
    listed = set(page.locator("table.places tbody th[scope=row] a").all_inner_texts())
    assert listed == names_for("S1E4")
    page.goto(base + "/?watched=all")
    page.goto(base + "/locations")
    assert page.url.endswith("/locations")  # cleared
    ctx.close()


def _open_by(page, place_id: str, how: str) -> None:
    """Bring a place's pin into view (as zooming in would), then open it by `how`."""
    page.evaluate("() => mapsView.instances[0].map.closePopup()")
    wait_js(page, "document.querySelectorAll('.leaflet-popup').length === 0")  # faded out (200 ms)
    page.evaluate(
        """(id) => { const l = mapsView.instances[0]; const m = l.showPlace(id);
                     document.querySelectorAll('[data-test=pin]').forEach(e => e.removeAttribute('data-test'));
                     m._icon.setAttribute('data-test', 'pin'); }""",
        place_id,
    )
    pin = page.locator("[data-test=pin]")
    if how == "mouse":
        pin.click()
    elif how == "tap":
        pin.tap()
    else:
        pin.focus()
        page.keyboard.press("Enter")
    page.locator(".leaflet-popup .place-popup").wait_for()
    page.wait_for_timeout(350)  # the pan that brings the popup into view


@pytest.mark.parametrize(
    ("size", "how"),
    [(DESKTOP, "mouse"), (DESKTOP, "keyboard"), (PHONE, "tap"), (PHONE, "keyboard")],
    ids=["desktop-mouse", "desktop-keyboard", "phone-tap", "phone-keyboard"],
)
def test_every_place_opens_a_popup_fully_visible(chromium, base, size, how):
    ctx, page, watch = open_page(chromium, base, "/", size)
    problems = []
    for place in MAPPED:
        _open_by(page, place.id, how)
        popup = page.locator(".leaflet-popup .place-popup")
        if place.name not in popup.inner_text():
            problems.append((place.id, "wrong popup"))
        where = page.evaluate(POPUP_PLACEMENT)
        if where != "ok":
            problems.append((place.id, where))
        if how == "keyboard":
            assert page.evaluate("() => !!document.activeElement.closest('.leaflet-popup')"), place.id
            page.keyboard.press("Escape")
            wait_js(page, "document.querySelectorAll('.leaflet-popup').length === 0")
            assert page.evaluate("() => document.activeElement.dataset.test") == "pin", place.id
        if place.id == "burnham-park-academy":
            shot(page, f"burnham-{how}-{'phone' if size is PHONE else 'desktop'}")
    assert problems == []
    assert watch.external == [] and watch.errors == []
    ctx.close()


@SIZES
def test_burnham_park_popup_stays_open_and_scrolls_inside(chromium, base, size):
    ctx, page, _watch = open_page(chromium, base, "/", size)
    _open_by(page, "burnham-park-academy", "tap" if size is PHONE else "mouse")
    page.wait_for_timeout(800)
    assert page.locator(".leaflet-popup").count() == 1  # not closed by its own pan
    content = page.locator(".leaflet-popup-content")
    assert "Truham" in content.inner_text()
    assert page.evaluate(
        "() => { const c = document.querySelector('.leaflet-popup-content'); return c.scrollHeight > c.clientHeight; }"
    )
    assert page.evaluate(POPUP_PLACEMENT) == "ok"
    ctx.close()


FOCUSED_LNG = """() => { const l = mapsView.instances[0];
  const m = Object.values(l.shown).find(m => m._icon === document.activeElement);
  return m ? m.getLatLng().lng : null; }"""


@SIZES
def test_keyboard_reaches_paris_through_the_skip_link_and_a_cluster(chromium, base, size):
    ctx, page, _watch = open_page(chromium, base, "/", size)
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Skip to the map"
    page.keyboard.press("Enter")
    zoom = page.evaluate("() => mapsView.instances[0].map.getZoom()")
    for _ in range(80):  # Tab on until the Paris cluster ("12 places here")
        page.keyboard.press("Tab")
        label = page.evaluate("() => document.activeElement.getAttribute('aria-label') || ''")
        if "places here" in label and page.evaluate(FOCUSED_LNG) > 1.5:  # east of Kent: Paris
            break
    else:
        pytest.fail("no cluster of Paris places reached with Tab")
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    assert page.evaluate("() => mapsView.instances[0].map.getZoom()") > zoom
    focused = page.evaluate("() => document.activeElement.getAttribute('aria-label') || ''")
    assert focused and page.evaluate("() => document.activeElement !== document.body")
    while "places here" in focused:  # a smaller cluster: Enter again
        page.keyboard.press("Enter")
        page.wait_for_timeout(300)
        focused = page.evaluate("() => document.activeElement.getAttribute('aria-label') || ''")
    assert "Season 2" in focused  # a pin, named with its place and seasons
    page.keyboard.press("Enter")
    page.locator(".leaflet-popup .place-popup").wait_for()
    assert page.evaluate("() => !!document.activeElement.closest('.leaflet-popup')")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.tagName") in ("A", "BUTTON")
    page.keyboard.press("Escape")
    wait_js(page, "document.querySelectorAll('.leaflet-popup').length === 0")
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == focused
    shot(page, f"keyboard-paris-{'phone' if size is PHONE else 'desktop'}")
    ctx.close()


@SIZES
def test_a_shared_link_reopens_the_same_view_and_place(chromium, base, size):
    ctx, page, watch = open_page(chromium, base, "/", DESKTOP)
    _open_by(page, "hampton-court-house", "mouse")
    page.wait_for_timeout(300)
    shared = page.url
    assert "place=hampton-court-house" in shared and "#map=" in shared
    view = page.evaluate(
        "() => { const m = mapsView.instances[0].map; return [m.getZoom(), m.getCenter()]; }"
    )
    ctx.close()
    ctx, page, watch = open_page(chromium, base, "/" + shared.split("/", 3)[3], size)
    popup = page.locator(".leaflet-popup .place-popup")
    popup.wait_for()
    assert "Hampton Court House" in popup.inner_text()
    zoom = page.evaluate("() => mapsView.instances[0].map.getZoom()")
    assert zoom >= view[0] - 1
    shot(page, f"shared-{'phone' if size is PHONE else 'desktop'}")
    assert watch.errors == []
    ctx.close()


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    (la1, lo1), (la2, lo2) = (map(math.radians, a)), (map(math.radians, b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 12742 * math.asin(math.sqrt(h))


@SIZES
def test_near_me_lists_the_nearest_places(chromium, base, size):
    here = (51.4839, -0.6044)  # Windsor town centre
    nearest = sorted(MAPPED, key=lambda p: _km(here, p.latlon))[:3]
    ctx, page, _watch = open_page(
        chromium,
        base,
        "/",
        size,
        geolocation={"latitude": here[0], "longitude": here[1]},
        permissions=["geolocation"],
    )
    page.locator("button[aria-label='Show my location']").click()
    items = page.locator("#near-me li")
    items.first.wait_for()
    listed = [t.split("\n")[0] for t in items.all_inner_texts()]
    assert [n.split(" ")[0] for n in listed[:3]] == [p.name.split(" ")[0] for p in nearest]
    assert items.first.inner_text().endswith("km")
    shot(page, f"near-me-{'phone' if size is PHONE else 'desktop'}")
    page.locator("#near-me a", has_text="All places by distance").click()
    page.wait_for_url("**/locations?**")
    first = page.locator("table.places tbody th[scope=row] a").first.inner_text()
    assert first == nearest[0].name
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    ctx.close()


def test_list_sorts_by_a_town_name(chromium, base):
    ctx, page, _watch = open_page(chromium, base, "/locations", PHONE)
    page.fill("#near", "Windsor")
    page.locator(".near-form button", has_text="Sort").click()
    page.wait_for_url("**near=Windsor**")
    first = page.locator("table.places tbody tr").first
    assert "km" in first.inner_text() and first.locator("th a").inner_text() in {p.name for p in MAPPED}
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    ctx.close()


@SIZES
def test_season_download_is_reachable_by_clicking_from_the_map(chromium, base, size):
    ctx, page, _watch = open_page(chromium, base, "/", size, accept_downloads=True)
    toggle = page.locator(".seasons-toggle")
    if toggle.get_attribute("aria-expanded") == "false":
        toggle.click()
    for label in page.locator(".seasons-panel label.season-choice").all():
        if not label.inner_text().startswith("Season 2"):
            label.locator("input").uncheck()
    assert "season=2" in page.url
    with page.expect_download() as info:
        page.locator(".map-downloads a", has_text="GPX").click()
    download = info.value
    assert download.suggested_filename.endswith(".gpx") and "season-2" in download.suggested_filename
    gpx = Path(download.path()).read_text(encoding="utf-8")
    season_two = [p for p in MAPPED if 2 in p.seasons]
    assert gpx.count("<wpt ") == len(season_two)
    ctx.close()


PAGES = ["/", "/locations", "/locations/hampton-court-house", "/route", "/about"]


@SIZES
@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_violation(chromium, base, size, path):
    axe = axe_path()
    # The pages' CSP allows their own scripts only: the harness lets the injected axe run.
    ctx, page, _watch = open_page(chromium, base, path, size, bypass_csp=True)
    page.add_script_tag(content=axe.read_text(encoding="utf-8"))
    passes, violations = page.evaluate(
        "async () => { const r = await axe.run(document); return [r.passes.length, r.violations.map(v => "
        "[v.id, v.help, v.nodes.slice(0, 3).map(n => n.target.join(' '))])]; }"
    )
    assert passes > 10  # axe ran its rules
    assert violations == []
    ctx.close()


@pytest.mark.parametrize("path", ["/", "/locations", "/locations/burnham-park-academy", "/about"])
def test_phone_pages_do_not_scroll_sideways_and_have_big_targets(chromium, base, path):
    ctx, page, _watch = open_page(chromium, base, path, PHONE)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    small_inputs = page.evaluate(
        """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
             .filter(e => e.offsetParent && parseFloat(getComputedStyle(e).fontSize) < 16).map(e => e.name)"""
    )
    assert small_inputs == []
    if path == "/":
        small = page.evaluate(
            """() => [...document.querySelectorAll('.leaflet-control a:not(.leaflet-control-attribution a), .leaflet-control button, .leaflet-marker-icon, .filter-panel summary')]
                 .filter(e => e.offsetParent).map(e => e.getBoundingClientRect())
                 .filter(r => r.width < 44 || r.height < 44).length"""
        )
        assert small == 0
        assert page.locator(".seasons-panel").is_hidden()  # collapsed on a phone
        shot(page, "phone-map")
    ctx.close()


@SIZES
def test_place_page_is_a_trip_card(chromium, base, size):
    ctx, page, watch = open_page(chromium, base, "/locations/hampton-court-house", size)
    card = page.locator(".trip-card")
    assert "See it from the street only" in card.inner_text()  # an exterior-only place
    assert "51.40817, -0.34230" in card.inner_text()
    hrefs = [a.get_attribute("href") for a in card.locator(".directions a").all()]
    assert [h.split("/")[2] for h in hrefs] == ["www.google.com", "maps.apple.com", "www.openstreetmap.org"]
    assert all("51.408170" in h for h in hrefs)
    add = card.locator("button[data-add-to-trip]")
    add.tap() if size is PHONE else add.click()
    assert add.inner_text() == "Remove from my trip"
    page.goto(base + "/locations/louvre")
    page.locator("button[data-add-to-trip]").click()
    plan = page.locator("#trip-link")
    assert plan.inner_text() == "Plan my trip (2 places)"
    shot(page, f"place-card-{'phone' if size is PHONE else 'desktop'}")
    plan.click()
    page.wait_for_url("**/route?stops=hampton-court-house%2Clouvre")
    assert "Hampton Court House" in page.locator("main").inner_text()
    page.goto(base + "/locations/hampton-court-house")
    page.locator("a", has_text="Show on the main map").click()
    popup = page.locator(".leaflet-popup .place-popup")
    popup.wait_for()
    assert "Hampton Court House" in popup.inner_text()
    # Measured at once: the map opens at the place with no animated pan left to finish.
    assert page.evaluate(POPUP_PLACEMENT) == "ok"
    page.goto(base + "/locations/hampton-court-house")
    page.locator(".report a").click()  # the fans' report form, where the server has the queue
    assert page.url.endswith("/locations/hampton-court-house/report")
    assert page.get_by_role("heading", level=1).inner_text() == "Report a problem with Hampton Court House"
    assert watch.external == [] and watch.errors == []
    ctx.close()


PIN_IN_VIEW = """(id) => {
  const l = mapsView.instances[0];
  const m = Object.values(l.shown).find(m => m.placeId === id) ||
    Object.values(l.shown).find(m => m.clusterId !== undefined && l.index().leaves(m.clusterId)
      .some(k => l.places[l.refs[k]][l.F.id] === id));
  if (!m || !m._icon) return 'not drawn';
  const r = m._icon.getBoundingClientRect(), box = l.map.getContainer().getBoundingClientRect();
  if (r.top < box.top || r.bottom > box.bottom || r.left < box.left || r.right > box.right) return 'outside';
  for (const o of document.querySelectorAll('.leaflet-control, .filter-panel, .map-summary')) {
    if (!o.offsetParent) continue;
    const q = o.getBoundingClientRect();
    if (q.left < r.right && r.left < q.right && q.top < r.bottom && r.top < q.bottom) return 'under ' + o.className;
  }
  return 'ok';
}"""


@SIZES
def test_filter_closes_on_apply_and_the_map_fits_the_result(chromium, base, size):
    ctx, page, watch = open_page(chromium, base, "/", size)
    page.locator(".filter-panel summary").click()
    page.fill(".filter-panel input[name=q]", "Louvre")
    page.locator(".filter-panel button", has_text="Apply").click()
    page.wait_for_url("**/?q=Louvre")  # no empty parameters left in the address
    wait_js(page, "window.mapsView && mapsView.instances.length > 0")
    page.wait_for_timeout(300)
    assert page.locator(".filter-panel").get_attribute("open") is None
    found = [p for p in select(MAPPED, parse_filters({"q": "Louvre"}, CATALOG.series))]
    assert (
        page.locator("#map-count").inner_text()
        == f"{len(found)} place{'' if len(found) == 1 else 's'} on the map"
    )
    assert page.evaluate(PIN_IN_VIEW, "louvre") == "ok"
    shot(page, f"filter-louvre-{'phone' if size is PHONE else 'desktop'}")
    assert watch.external == [] and watch.errors == []
    ctx.close()


def test_list_sorts_by_my_location(chromium, base):
    here = (51.3722, 1.1206)  # Herne Bay pier
    nearest = min(MAPPED, key=lambda p: _km(here, p.latlon))
    ctx, page, watch = open_page(
        chromium,
        base,
        "/locations",
        PHONE,
        geolocation={"latitude": here[0], "longitude": here[1]},
        permissions=["geolocation"],
    )
    page.locator("button", has_text="Use my location").tap()
    page.wait_for_url("**sort=distance**")
    first = page.locator("table.places tbody tr").first
    assert first.locator("th a").inner_text() == nearest.name and "km" in first.inner_text()
    assert watch.external == [] and watch.errors == []
    ctx.close()
