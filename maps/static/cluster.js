/* The map's own point clustering (window.mapsCluster), written for this project.
 *
 * Why our own: the map must stay quick at 10,000 places. Leaflet.markercluster (the plugin
 * Folium uses) makes a Leaflet marker object for every place up front and keeps them all in its
 * tree, which takes seconds at that size (docs and benchmarks/map_scale.py give the figures).
 * Supercluster does the job well, but it is published on npm only: the pages serve scripts from
 * installed Python packages or from the project's own files, and never copy a third-party
 * library into the repository. So this file does what Supercluster does, in ~250 lines, and
 * benchmarks/cluster_build.py measures it against Supercluster (npm-packed there as a yardstick).
 *
 * How: points are projected once to Web Mercator in [0, 1) x [0, 1]. Level maxZoom + 1 holds the
 * points themselves; each lower zoom z is made from the level above it by greedy merging: a node
 * not yet taken gathers every untaken node within `radius` pixels (at `tileSize`-pixel tiles) and,
 * if they hold at least `minPoints` places, they become one cluster at their count-weighted centre.
 * Neighbours are found through a uniform grid (a hash of cells at least one radius wide), so a
 * level costs O(nodes), and the same grid, kept per level, answers bounding-box queries in time
 * proportional to what the view shows. Longitude wraps: distances and cluster centres are taken
 * across the antimeridian, and a box whose west is greater than its east (or wider than the world)
 * is understood as crossing it.
 *
 *   var index = mapsCluster.build([[lng, lat], ...], {radius: 45, maxZoom: 17});
 *   index.query(west, south, east, north, zoom)  // [{cluster, id, count, lng, lat, point}]
 *   index.expansionZoom(id)  // the zoom at which a cluster splits
 *   index.children(id)       // its parts one zoom further in (same shape as query's items)
 *   index.leaves(id)         // positions, in the input array, of the points it holds
 *   index.alone(k)           // the lowest zoom at which input point k is shown by itself
 */
(function () {
  "use strict";

  var DEFAULTS = {radius: 45, tileSize: 256, minZoom: 0, maxZoom: 16, minPoints: 2};

  function fraction(v) { return v - Math.floor(v); }
  function toX(lng) { return fraction(lng / 360 + 0.5); }
  function toY(lat) {
    var s = Math.sin(lat * Math.PI / 180);
    var y = 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
    return y < 0 ? 0 : y > 1 ? 1 : y;  // the poles (and beyond) go to the edges
  }
  function toLng(x) { return (x - 0.5) * 360; }
  function toLat(y) { return 360 / Math.PI * Math.atan(Math.exp((1 - 2 * y) * Math.PI)) - 90; }
  function wrapped(dx) { return dx > 0.5 ? dx - 1 : dx < -0.5 ? dx + 1 : dx; }  // shortest way round

  /* The nodes of one level in square cells: `cells` per axis divide [0, 1) evenly (so the seam at
   * the antimeridian is a cell border), each at least `size` wide. Only occupied cells are stored,
   * in an open-addressing hash of typed arrays; a cell's nodes are a linked list through `next`
   * (no per-cell arrays, so building a level allocates a handful of arrays in all). */
  function Grid(size, ids) {
    var count = ids.length, capacity = 4;
    while (capacity < 2 * count) capacity *= 2;
    this.cells = Math.max(1, Math.floor(1 / size));
    this.mask = capacity - 1;
    this.keyX = new Int32Array(capacity);
    this.keyY = new Int32Array(capacity);
    this.head = new Int32Array(capacity).fill(-1);
    this.ids = ids;  // the level's nodes, in order
    this.next = new Int32Array(count);  // by position in ids
  }
  Grid.prototype.cell = function (v) { var c = Math.floor(v * this.cells); return c < this.cells ? c : this.cells - 1; };
  Grid.prototype.slot = function (cx, cy) {
    var h = (Math.imul(cx, 0x9e3779b1) ^ Math.imul(cy, 0x85ebca77)) & this.mask;
    while (this.head[h] !== -1 && (this.keyX[h] !== cx || this.keyY[h] !== cy)) h = (h + 1) & this.mask;
    return h;
  };
  Grid.prototype.fill = function (xs, ys) {
    for (var p = 0; p < this.ids.length; p++) {
      var id = this.ids[p], cx = this.cell(xs[id]), cy = this.cell(ys[id]), h = this.slot(cx, cy);
      if (this.head[h] === -1) { this.keyX[h] = cx; this.keyY[h] = cy; }
      this.next[p] = this.head[h];
      this.head[h] = p;
    }
    return this;
  };
  /* Position in ids of the first node of a cell (then follow `next`), or -1. */
  Grid.prototype.first = function (cx, cy) { return this.head[this.slot(cx, cy)]; };
  /* The cell of v, and the neighbour on the side v is nearest (or -1): with cells two radii wide,
   * every node within a radius of a point is in those 2 x 2 cells. Columns wrap round the world. */
  Grid.prototype.pair = function (v, wrap, out) {
    var n = this.cells, f = v * n, c = Math.min(n - 1, Math.floor(f)), other = f - c < 0.5 ? c - 1 : c + 1;
    if (wrap) other = (other + n) % n;
    out[0] = c;
    out[1] = other < 0 || other >= n || other === c ? -1 : other;
  };

  function Index(points, options) {
    var o = {};
    for (var name in DEFAULTS) o[name] = options && options[name] !== undefined ? options[name] : DEFAULTS[name];
    this.options = o;
    var n = points.length, size = Math.max(1, 2 * n);  // every cluster merges two or more nodes
    this.size = n;
    this.x = new Float64Array(size); this.y = new Float64Array(size);
    this.lng = new Float64Array(size); this.lat = new Float64Array(size);
    this.count = new Int32Array(size);
    this.zoom = new Int32Array(size);      // the zoom a node was made for (points: maxZoom + 1)
    this.parent = new Int32Array(size).fill(-1);
    this.first = new Int32Array(size);     // children of a cluster: kids[first .. first + count)
    this.kidCount = new Int32Array(size);
    this.kids = new Int32Array(size);
    this.seen = new Int32Array(size).fill(o.maxZoom + 2);  // the last zoom a node was looked at
    this.nodes = n;
    this.used = 0;  // entries of `kids` in use
    this.levels = [];  // levels[z]: the Grid of the nodes shown at zoom z

    var top = o.maxZoom + 1, ids = new Int32Array(n);
    for (var i = 0; i < n; i++) {
      var lng = +points[i][0], lat = +points[i][1];
      this.lng[i] = lng; this.lat[i] = lat;
      this.x[i] = toX(lng); this.y[i] = toY(lat);
      this.count[i] = 1; this.zoom[i] = top;
      ids[i] = i;
    }
    this.levels[top] = this.level(ids, top);
    for (var z = o.maxZoom; z >= o.minZoom; z--) this.levels[z] = this.level(this.merge(this.levels[z + 1], z), z);
  }

  /* The pixel radius at zoom z, as a distance in the unit square. */
  Index.prototype.radiusAt = function (z) { return this.options.radius / (this.options.tileSize * Math.pow(2, z)); };

  /* A level's grid, cells four radii of this zoom wide: two radii at the zoom below, which is what
   * merging into that zoom needs, and few cells for a view's query. */
  Index.prototype.level = function (ids, z) { return new Grid(2 * this.radiusAt(z - 1), ids).fill(this.x, this.y); };

  /* The nodes of zoom z, from the level above (greedy, in the level's order). */
  Index.prototype.merge = function (above, z) {
    var r = this.radiusAt(z), r2 = r * r, ids = above.ids, out = new Int32Array(ids.length), used = 0;
    var x = this.x, y = this.y, seen = this.seen, count = this.count, near = [], cols = [0, 0], rows = [0, 0];
    for (var k = 0; k < ids.length; k++) {
      var seed = ids[k];
      if (seen[seed] === z) continue;
      seen[seed] = z;
      var sx = x[seed], sy = y[seed], total = count[seed];
      above.pair(sx, true, cols);
      above.pair(sy, false, rows);
      near.length = 0;
      for (var c = 0; c < 2; c++) {
        if (cols[c] < 0) continue;
        for (var row = 0; row < 2; row++) {
          if (rows[row] < 0) continue;
          for (var p = above.first(cols[c], rows[row]); p !== -1; p = above.next[p]) {
            var id = ids[p];
            if (seen[id] === z) continue;  // the seed itself, or taken already
            var dx = wrapped(x[id] - sx), dy = y[id] - sy;
            if (dx * dx + dy * dy <= r2) { near.push(id); total += count[id]; }
          }
        }
      }
      out[used++] = near.length && total >= this.options.minPoints ? this.cluster(seed, near, total, z) : seed;
    }
    return out.subarray(0, used);
  };

  /* A new cluster node of `seed` and `near`, at their count-weighted centre (offsets from the
   * seed taken the short way round, so a cluster across the antimeridian stays there). */
  Index.prototype.cluster = function (seed, near, total, z) {
    var id = this.nodes++, sx = this.x[seed], sy = this.y[seed], wx = 0, wy = 0;
    this.first[id] = this.used;
    for (var j = -1; j < near.length; j++) {
      var part = j < 0 ? seed : near[j], w = this.count[part];
      wx += w * wrapped(this.x[part] - sx);
      wy += w * (this.y[part] - sy);
      this.seen[part] = z;
      this.parent[part] = id;
      this.kids[this.used++] = part;
    }
    this.kidCount[id] = near.length + 1;
    this.x[id] = fraction(sx + wx / total);
    this.y[id] = sy + wy / total;
    this.lng[id] = toLng(this.x[id]);
    this.lat[id] = toLat(this.y[id]);
    this.count[id] = total;
    this.zoom[id] = z;
    return id;
  };

  Index.prototype.item = function (id, near) {
    var lng = this.lng[id];
    if (near !== undefined) lng += 360 * Math.round((near - lng) / 360);  // the copy nearest the view
    var cluster = id >= this.size;
    return {cluster: cluster, id: id, count: this.count[id], lng: lng, lat: this.lat[id], point: cluster ? -1 : id};
  };

  /* Clusters and points of zoom `zoom` in the box (degrees). west > east, or a box wider than
   * the world, crosses the antimeridian; returned longitudes are the copies nearest its centre. */
  Index.prototype.query = function (west, south, east, north, zoom) {
    var o = this.options;
    var grid = this.levels[Math.max(o.minZoom, Math.min(o.maxZoom + 1, Math.floor(zoom)))];
    var span = east >= west ? east - west : east - west + 360;
    var x0 = toX(west), whole = span >= 360, x1 = whole ? x0 + 1 : x0 + span / 360;
    var y0 = toY(north), y1 = toY(south), centre = west + span / 2, found = [];
    var ranges = whole ? [[0, 1]] : x1 <= 1 ? [[x0, x1]] : [[x0, 1], [0, x1 - 1]];
    var self = this;
    function take(id) {
      var px = self.x[id], py = self.y[id];
      if (py < y0 || py > y1) return;
      for (var r = 0; r < ranges.length; r++) {
        if (px >= ranges[r][0] && px <= ranges[r][1]) { found.push(self.item(id, centre)); return; }
      }
    }
    var cy0 = grid.cell(y0), cy1 = grid.cell(y1), cells = 0, r, cx, cy, p;
    for (r = 0; r < ranges.length; r++) cells += grid.cell(ranges[r][1]) - grid.cell(ranges[r][0]) + 1;
    if (cells * (cy1 - cy0 + 1) > grid.ids.length) {  // a box with more cells than nodes: look at all
      for (p = 0; p < grid.ids.length; p++) take(grid.ids[p]);
      return found;
    }
    for (r = 0; r < ranges.length; r++) {
      for (cx = grid.cell(ranges[r][0]); cx <= grid.cell(ranges[r][1]); cx++) {
        for (cy = cy0; cy <= cy1; cy++) for (p = grid.first(cx, cy); p !== -1; p = grid.next[p]) take(grid.ids[p]);
      }
    }
    return found;
  };

  Index.prototype.isCluster = function (id) {
    if (!(id >= this.size && id < this.nodes)) throw new Error("no cluster " + id + " in this index");
    return true;
  };

  Index.prototype.expansionZoom = function (id) {
    this.isCluster(id);
    return this.zoom[id] + 1;
  };

  Index.prototype.children = function (id) {
    this.isCluster(id);
    var out = [];
    for (var k = this.first[id]; k < this.first[id] + this.kidCount[id]; k++) out.push(this.item(this.kids[k]));
    return out;
  };

  Index.prototype.leaves = function (id) {
    this.isCluster(id);
    var out = [], stack = [id];
    while (stack.length) {
      var node = stack.pop();
      if (node < this.size) { out.push(node); continue; }
      for (var k = this.first[node] + this.kidCount[node] - 1; k >= this.first[node]; k--) stack.push(this.kids[k]);
    }
    return out;
  };

  Index.prototype.alone = function (point) {
    var parent = this.parent[point];
    return parent < 0 ? this.options.minZoom : this.zoom[parent] + 1;
  };

  window.mapsCluster = {build: function (points, options) { return new Index(points, options); }};
})();
