"""The real map page in headless Chromium (Debian's chromium, driven by Playwright), under the
app's own Content-Security-Policy, with tile requests answered locally."""

from __future__ import annotations

import pytest

from maps import create_app
from tests.builders import XSS, browser_dataset, sample
from tests.support import ARTIFACTS, COUNT_JS, live_server, open_hostile_popup, open_map, wait_js

pytestmark = pytest.mark.browser


def test_map_in_chromium(chromium, tmp_path):
    app = create_app({"TESTING": True, "DATA_PATH": str(browser_dataset(tmp_path))})
    with live_server(app) as base:
        ctx, page, watch = open_map(chromium, base)
        assert page.locator(".leaflet-container").count() == 1
        total = len(sample()["features"]) + 10 + 4
        assert page.evaluate(COUNT_JS) == total
        assert page.locator(".marker-cluster").count() >= 1  # Paris's dozen cluster
        assert page.locator("path.place-shape").count() == 2  # the district and the walk

        labels = page.locator(".seasons-panel label.season-choice").all_inner_texts()
        assert [t.strip() for t in labels] == ["Season 1 (4)", "Season 2 (12)", "Season 3 (3)"]
        page.locator(".seasons-panel label", has_text="Season 2").locator("input").uncheck()
        page.wait_for_timeout(300)
        assert page.evaluate(COUNT_JS) == total - 12  # the Eiffel Tower, the Louvre, ten in Paris
        assert "season=1&season=3" in page.url  # the seasons switched on, in the address
        page.locator(".seasons-panel label", has_text="Season 2").locator("input").check()
        page.wait_for_timeout(300)
        assert page.evaluate(COUNT_JS) == total

        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "map.png"))

        # Open the hostile place's popup by clicking its marker: the note shows as text.
        popup = open_hostile_popup(page)
        assert XSS in popup.inner_text() and "S3E1 · Three-1" in popup.inner_text()
        assert popup.locator("img").count() == 0
        assert popup.locator("a.place-link").get_attribute("href") == "/locations/hostile"
        assert page.evaluate("window.__xss") is None
        assert watch.external == [] and watch.errors == []
        ctx.close()


def test_locate_and_fullscreen_controls(chromium, tmp_path):
    app = create_app({"TESTING": True, "DATA_PATH": str(browser_dataset(tmp_path))})
    with live_server(app) as base:
        where = {"latitude": 51.4858, "longitude": -0.6083}
        ctx, page, watch = open_map(chromium, base, geolocation=where, permissions=["geolocation"])
        page.click("button[aria-label='Show my location']")
        page.locator("#near-me li").first.wait_for()
        # The main map answers with the nearest places, the fan's position in view.
        assert page.locator("#near-me li").first.inner_text().startswith("Windsor Bridge")
        inside = page.evaluate("(() => mapsView.instances[0].map.getBounds().contains([51.4858, -0.6083]))()")
        assert inside
        page.click("button[aria-label='Full screen']")
        wait_js(
            page,
            "document.fullscreenElement !== null || document.body.classList.contains('map-fills-window')",
        )
        assert watch.external == [] and watch.errors == []
        ctx.close()


def test_bundled_dataset_renders(chromium):
    from maps.dataset.catalog import load_catalog
    from maps.resources import bundled_data_path

    mapped = sum(1 for loc in load_catalog(bundled_data_path()).locations if loc.geometry is not None)
    app = create_app({"TESTING": True})
    with live_server(app) as base:
        ctx, page, watch = open_map(chromium, base)
        assert page.evaluate(COUNT_JS) == mapped
        assert watch.external == [] and watch.errors == []
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "map-bundled.png"))
        ctx.close()


PARIS_JS = """(zoom) => {
  // Zoom the map on Paris and return what the view layer shows there: [cluster counts, pins].
  const st = mapsView.instances[0];
  st.map.setView([48.856, 2.3403], zoom, {animate: false});  // all of them in view up to zoom 14
  st.update();
  const counts = [];
  let pins = 0;
  st.view.eachLayer(m => {
    const at = m.getLatLng();
    if (at.lat < 48.6 || at.lat > 49.1 || at.lng < 2.0 || at.lng > 2.7) return;
    if (m.clusterId === undefined) pins += 1;
    else counts.push(parseInt(m.getElement().textContent, 10));
  });
  return [counts, pins];
}"""


def test_clusters_split_when_zooming_in(chromium, tmp_path):
    app = create_app({"TESTING": True, "DATA_PATH": str(browser_dataset(tmp_path))})
    paris = 12  # the Eiffel Tower, the Louvre and ten more
    with live_server(app) as base:
        ctx, page, watch = open_map(chromium, base)
        assert page.evaluate(PARIS_JS, 6) == [[paris], 0]  # a few pixels apart: one cluster
        shown = 1
        for zoom in range(7, 15):
            counts, pins = page.evaluate(PARIS_JS, zoom)
            assert sum(counts) + pins == paris, zoom  # nothing lost or counted twice
            assert len(counts) + pins >= shown, zoom  # clusters only ever split going in
            shown = len(counts) + pins
        assert page.evaluate(PARIS_JS, 14) == [[], paris]  # 47 pixels or more apart: all pins
        # A cluster's click zooms to where it splits.
        page.evaluate(PARIS_JS, 6)
        page.locator(".marker-cluster").filter(has_text=str(paris)).click()
        wait_js(page, "mapsView.instances[0].map.getZoom() > 6")
        assert watch.external == [] and watch.errors == []
        ctx.close()


CLUSTER_MODULE_JS = """() => {
  // mapsCluster on 3,000 seeded random points (half in a small area, so that clusters nest
  // deeply), checked at every zoom against a plain scan of the same index.
  let seed = 11;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const pts = [];
  for (let i = 0; i < 3000; i++) {
    pts.push(i % 2 ? [-2 + 4 * rnd(), 50 + 3 * rnd()] : [-170 + 340 * rnd(), -70 + 140 * rnd()]);
  }
  const index = mapsCluster.build(pts, {radius: 45, maxZoom: 17});
  const problems = [];
  for (let z = 0; z <= 18; z++) {
    const all = index.query(-180, -85.06, 180, 85.06, z);
    const total = all.reduce((n, it) => n + it.count, 0);
    if (total !== pts.length) problems.push(`zoom ${z}: ${total} points`);
    for (const it of all) {
      if (!it.cluster) {
        if (index.alone(it.point) > z) problems.push(`zoom ${z}: point ${it.point} shown too early`);
        continue;
      }
      const leaves = index.leaves(it.id);
      if (leaves.length !== it.count) problems.push(`cluster ${it.id}: ${leaves.length} leaves`);
      if (leaves.some(k => index.alone(k) <= z)) problems.push(`cluster ${it.id} holds a lone point`);
      const kids = index.children(it.id);
      if (kids.length < 2 || kids.reduce((n, c) => n + c.count, 0) !== it.count) {
        problems.push(`cluster ${it.id}: children do not add up`);
      }
      if (index.expansionZoom(it.id) <= z) problems.push(`cluster ${it.id} splits too early`);
    }
    const [px, py] = pts[Math.floor(rnd() * pts.length)];
    const boxes = [  // in the dense area; a small one round a point; one across the antimeridian
      [-3 + rnd(), 50 + rnd(), 0.5 + 2 * rnd(), 0.5 + rnd()],
      [px - 0.01, py - 0.01, 0.02, 0.02],
      [160 + 15 * rnd(), -30 + 10 * rnd(), 20 + 10 * rnd(), 30],
    ];
    for (const [w, s, width, height] of boxes) {
      const e = w + width > 180 ? w + width - 360 : w + width, n = s + height;
      const inside = index.query(w, s, e, n, z).map(it => it.id).sort((a, b) => a - b);
      const scan = all.filter(it => it.lat >= s && it.lat <= n && (w <= e ? it.lng >= w && it.lng <= e
        : it.lng >= w || it.lng <= e)).map(it => it.id).sort((a, b) => a - b);
      if (inside.join() !== scan.join()) problems.push(`zoom ${z}: box ${w},${s},${e},${n} differs from a scan`);
    }
  }
  // The same greedy merging done the slow way (every pair compared, no grid), on 500 points:
  // the grid must find exactly the same neighbours, so every zoom has the same cluster sizes.
  const few = pts.slice(0, 500), small = mapsCluster.build(few, {radius: 45, maxZoom: 17});
  let nodes = few.map(([lng, lat]) => {
    const sin = Math.sin(lat * Math.PI / 180);
    return {x: lng / 360 + 0.5, y: 0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI), count: 1};
  });
  const wrap = dx => dx > 0.5 ? dx - 1 : dx < -0.5 ? dx + 1 : dx;
  for (let z = 17; z >= 0; z--) {
    const r = 45 / (256 * 2 ** z), taken = new Set(), next = [];
    nodes.forEach((a, i) => {
      if (taken.has(i)) return;
      taken.add(i);
      const near = nodes.filter((b, j) => !taken.has(j) && wrap(b.x - a.x) ** 2 + (b.y - a.y) ** 2 <= r * r);
      if (!near.length) { next.push(a); return; }
      let count = a.count, wx = 0, wy = 0;
      for (const b of near) {
        taken.add(nodes.indexOf(b));
        count += b.count; wx += b.count * wrap(b.x - a.x); wy += b.count * (b.y - a.y);
      }
      const x = a.x + wx / count;
      next.push({x: x - Math.floor(x), y: a.y + wy / count, count});
    });
    nodes = next;
    const sizes = list => list.map(it => it.count).sort((p, q) => p - q).join();
    if (sizes(small.query(-180, -85.06, 180, 85.06, z)) !== sizes(nodes)) {
      problems.push(`zoom ${z}: clusters differ from pairwise merging`);
    }
  }
  const top = index.query(-180, -85.06, 180, 85.06, 18);
  if (top.some(it => it.cluster)) problems.push("clusters beyond maxZoom");
  // Across the antimeridian: 179.99 and -179.99 are neighbours.
  const am = mapsCluster.build([[179.99, 0], [-179.99, 0], [10, 10]], {radius: 45, maxZoom: 17});
  const across = am.query(170, -10, -170, 10, 5);
  const elsewhere = am.query(-170, -10, 170, 10, 5);
  return {problems, across: across.map(it => [it.count, Math.round(it.lng)]),
    elsewhere: elsewhere.map(it => it.count), far: am.query(170, -10, -170, 10, 18).length};
}"""


def test_cluster_module(chromium, tmp_path):
    app = create_app({"TESTING": True, "DATA_PATH": str(browser_dataset(tmp_path))})
    with live_server(app) as base:
        ctx, page, watch = open_map(chromium, base)
        result = page.evaluate(CLUSTER_MODULE_JS)
        assert result["problems"] == []
        assert result["across"] == [[2, 180]]  # one cluster, centred on the antimeridian
        assert result["elsewhere"] == [1]  # only the point at 10°E
        assert result["far"] == 2  # two pins when zoomed in
        assert watch.external == [] and watch.errors == []
        ctx.close()
