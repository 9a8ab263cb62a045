"""Clustering in Chromium: time to build the index of `maps/static/cluster.js` for 1,000, 10,000
and 100,000 points (the synthetic places' spread: Britain and Paris) and to query a view at each
zoom, against Supercluster 9.1.0 (KD-tree per zoom) run on the same points in the same page.
Supercluster is only a yardstick: it is `npm pack`ed into benchmarks/.scratch/ (not part of the
app). Run: .venv/bin/python benchmarks/cluster_build.py
"""

from __future__ import annotations

from _common import CHROMIUM_ARGS, ROOT, chromium_path
from page_weight import pack_dir

WIDTHS = (8, 9, 13, 6, 12, 13)
BENCH_JS = """(n) => {
  let seed = 7;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const pts = [];
  for (let i = 0; i < n; i++) {
    pts.push(i % 5 ? [-4 + 5.5 * rnd(), 50.5 + 3.5 * rnd()] : [2.25 + 0.17 * rnd(), 48.82 + 0.08 * rnd()]);
  }
  const features = pts.map((p, i) => ({type: "Feature", properties: {i},
    geometry: {type: "Point", coordinates: p}}));
  const median = f => {
    const t = [];
    for (let r = 0; r < 9; r++) { const t0 = performance.now(); f(); t.push(performance.now() - t0); }
    return t.sort((a, b) => a - b)[4];
  };
  let ours, theirs;
  const build = median(() => { ours = mapsCluster.build(pts, {radius: 45, maxZoom: 17}); });
  const yardstick = median(() => {
    theirs = new Supercluster({radius: 45, extent: 256, maxZoom: 17, minPoints: 2}).load(features);
  });
  // A 1800 x 1200 px view (a 1200 x 800 map, padded) over London, at every zoom 5..18.
  const views = [];
  for (let z = 5; z <= 18; z++) {
    const degX = 1800 * 360 / (256 * 2 ** z), degY = degX * 0.62 * 1200 / 1800;
    views.push([-0.12 - degX / 2, 51.5 - degY / 2, -0.12 + degX / 2, 51.5 + degY / 2, z]);
  }
  const query = median(() => views.forEach(v => ours.query(v[0], v[1], v[2], v[3], v[4])));
  const yardstickQuery = median(() => views.forEach(v => theirs.getClusters(v.slice(0, 4), v[4])));
  return [build, yardstick, query, yardstickQuery];
}"""


def main() -> None:
    from playwright.sync_api import sync_playwright

    supercluster = pack_dir("supercluster@9.1.0") / "dist" / "supercluster.min.js"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.set_content("<!doctype html><title>cluster benchmark</title>")
        page.add_script_tag(path=str(ROOT / "maps" / "static" / "cluster.js"))
        page.add_script_tag(path=str(supercluster))
        head = ("points", "build ms", "Supercluster", "ratio", "14 views ms", "Supercluster")
        print(" ".join(f"{h:>{w}}" for h, w in zip(head, WIDTHS, strict=True)))
        for n in (1_000, 10_000, 100_000):
            build, yard, query, yard_query = page.evaluate(BENCH_JS, n)
            ratio = build / yard
            row = (f"{n:,}", f"{build:.1f}", f"{yard:.1f}", f"{ratio:.2f}", f"{query:.2f}")
            row += (f"{yard_query:.2f}",)
            print(" ".join(f"{v:>{w}}" for v, w in zip(row, WIDTHS, strict=True)))
        browser.close()


if __name__ == "__main__":
    main()
