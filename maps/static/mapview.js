/* Places and popups for the Folium maps of maps/mapview.py.
 *
 * The server sends the places as one JSON document (a <script type="application/json"> block)
 * whose "fields" name the columns of a place row (mapview.py's ROW_FIELDS: the layout is
 * described there, once). `PlacesLayer` (a Leaflet layer) draws them and builds each popup
 * lazily when it opens, with DOM APIs and text nodes only: nothing from the data is ever parsed
 * as HTML. No dependencies beyond Leaflet (served by the app from its installed package) and the
 * project's own cluster.js. The map's buttons and legend are in controls.js.
 */
(function () {
  "use strict";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function safeUrl(url) {
    return /^https?:\/\//i.test(url) ? url : null;
  }

  /* Pin (precise place) or ring (known only to the town/area), coloured per season: several
   * seasons give a striped pin. Colours are set through the CSSOM, never as markup. One icon
   * object per combination of colours, shared by every marker that looks the same. */
  var placeIcons = {};
  function placeIcon(colours, ring) {
    var key = (ring ? "ring:" : "pin:") + colours.join(",");
    if (placeIcons[key]) return placeIcons[key];
    /* 44 x 44 px: the tap target a finger needs; the drawn pin or ring sits inside it. */
    var icon = L.divIcon({className: ring ? "place-ring" : "place-pin", iconSize: [44, 44],
      iconAnchor: ring ? [22, 22] : [22, 44], popupAnchor: ring ? [0, -12] : [0, -36], html: ""});
    var create = icon.createIcon;
    icon.createIcon = function (old) {
      var div = create.call(icon, old);
      var body = div.firstChild || div.appendChild(el("span"));
      if (colours.length === 1) {
        body.style.background = ring ? "transparent" : colours[0];
        body.style.borderColor = colours[0];
      } else {
        var stops = colours.map(function (c, i) {
          return c + " " + (100 * i / colours.length) + "% " + (100 * (i + 1) / colours.length) + "%";
        });
        body.style.background = ring ? "transparent" : "linear-gradient(90deg, " + stops.join(", ") + ")";
        body.style.borderColor = colours[0];
      }
      return div;
    };
    placeIcons[key] = icon;
    return icon;
  }

  /* A cluster: its number of places, as a text node (the classes are markercluster's, so its
   * look is familiar). */
  function clusterIcon(count) {
    var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
    var inner = el("div");
    inner.appendChild(el("span", null, count));
    return L.divIcon({html: inner, className: "marker-cluster marker-cluster-" + size, iconSize: [44, 44]});
  }

  /* Column positions of a place row, from the payload's own list of field names. */
  function columns(fields) {
    var at = {};
    fields.forEach(function (name, i) { at[name] = i; });
    return at;
  }

  /* Whether the scene of episode entry `n` is at or before the watched point (maps.dataset.filters'
   * watched_visible): an unknown episode counts once its whole season is watched. */
  function sceneWatched(data, n) {
    var w = data.watched;
    if (!w) return true;
    var season = data.episodes[n][0], episode = (data.episodeNumbers || [])[n];
    if (season !== w.season) return season < w.season;
    if (episode === null || episode === undefined) return !!w.done;
    return episode <= w.episode;
  }

  function popupContent(row, data) {
    var F = data.columns || (data.columns = columns(data.fields));
    var root = el("div", "place-popup");
    root.tabIndex = -1;  // focus moves here when the popup opens (see PlacesLayer._onPopupOpen)
    root.setAttribute("role", "group");
    root.setAttribute("aria-label", row[F.name]);
    var story = data.strings[row[F.story] || 0], locality = data.strings[row[F.locality] || 0];
    var access = data.strings[row[F.access] || 0], links = row[F.sources] || [];
    root.appendChild(el("h3", "place-name", row[F.name]));
    if (story) root.appendChild(el("p", "place-story", "In the story: " + story));
    if (locality) root.appendChild(el("p", "place-locality", locality));
    var list = el("ul", "place-scenes"), scenes = row[F.scenes];
    var guarded = false;  // a later scene is left out: sources are named by their site only
    for (var k = 0; k < scenes.length; k += 3) {
      if (!sceneWatched(data, scenes[k])) { guarded = true; continue; }
      var episode = data.episodes[scenes[k]], cast = data.casts[scenes[k + 2]] || [];
      var season = data.seasons[episode[0]] || {label: "Season " + episode[0], colour: "#666"};
      var item = el("li", "scene");
      var dot = el("span", "season-dot");
      dot.style.background = season.colour;
      item.appendChild(dot);
      item.appendChild(el("strong", "scene-episode", season.label + " · " + episode[1]));
      item.appendChild(el("span", "scene-note", scenes[k + 1]));
      if (cast.length) item.appendChild(el("span", "scene-characters", cast.join(", ")));
      list.appendChild(item);
    }
    root.appendChild(list);
    if (access) {
      // "closed-exterior": a place no longer there as filmed (its closure notice comes first).
      var closed = /^(closed|demolished)-/.test(access);
      root.appendChild(el("p", "place-access access-" + access + (closed ? " access-gone" : ""),
        data.access[access] || access));
    }
    if (links.length) {
      var sources = el("p", "place-sources", "Sources: ");
      links.forEach(function (n, i) {
        var source = data.sources[n], url = safeUrl(source[1]);
        if (i) sources.appendChild(document.createTextNode(" · "));
        if (!url) { sources.appendChild(document.createTextNode(guarded ? "source" : source[0])); return; }
        var link = el("a", null, guarded ? new URL(url).hostname : source[0] || url);
        link.href = url;
        link.rel = "noopener noreferrer";
        link.target = "_blank";
        sources.appendChild(link);
      });
      root.appendChild(sources);
    }
    // "I've been here" (offline.js, the visited checklist kept in this browser), when loaded.
    if (window.mapsVisited) root.appendChild(window.mapsVisited.popupButton(row[F.id], row[F.name]));
    var more = el("a", "place-link", "More about this place");
    more.href = data.placeUrl + encodeURIComponent(row[F.id]) + (data.query ? "?" + data.query : "");
    root.appendChild(more);
    return root;
  }

  /* Markers placed with a 2D translate: Leaflet's translate3d makes every marker its own
   * compositing layer in Chromium, and with hundreds of clusters and pins in view, making,
   * painting and compositing those layers cost more than the zoom itself. */
  var FlatMarker = L.Marker.extend({
    _setPos: function (pos) {
      var icon = this._icon;
      if (icon) {
        icon._leaflet_pos = pos;
        icon.style.transform = "translate(" + pos.x + "px," + pos.y + "px)";
      }
      this._zIndex = pos.y + this.options.zIndexOffset;
      this._resetZIndex();
    }
  });

  /* Room kept free around a popup when the map pans to show it: the buttons on the left, the
   * season and filter toggles on top, the summary and attribution at the bottom. */
  var PAD_TOP_LEFT = [58, 62], PAD_BOTTOM_RIGHT = [14, 40];
  var POPUP = {maxWidth: 320, minWidth: 200, autoPanPaddingTopLeft: PAD_TOP_LEFT,
    autoPanPaddingBottomRight: PAD_BOTTOM_RIGHT, keepInView: false};

  /* Room to keep free at the map's edges (a page with overlays on its map, the main map, says
   * how much with `map.overlayPadding()`), else the defaults above. */
  function padding(map) {
    return map.overlayPadding ? map.overlayPadding() : {topLeft: PAD_TOP_LEFT, bottomRight: PAD_BOTTOM_RIGHT};
  }

  /* A popup never taller or wider than the map leaves room for: a long one (the school with
   * thirteen sources) scrolls inside its box instead of pushing its own pin off the map, and
   * the map pans it clear of the controls and overlays. */
  var FitPopup = L.Popup.extend({
    _updateLayout: function () {
      var map = this._map;
      if (map) {
        var size = map.getSize(), pad = padding(map);
        this.options.autoPanPaddingTopLeft = pad.topLeft;
        this.options.autoPanPaddingBottomRight = pad.bottomRight;
        this.options.maxHeight = Math.max(100, size.y - pad.topLeft[1] - pad.bottomRight[1] - 40);
        this.options.maxWidth = Math.max(160, Math.min(320, size.x - pad.topLeft[0] - pad.bottomRight[0] - 40));
        this.options.minWidth = Math.min(200, this.options.maxWidth);
      }
      L.Popup.prototype._updateLayout.call(this);
    }
  });
  /* Pan the map so the open `popup` lies inside it, clear of the overlays (`padding`): what
   * Leaflet's autoPan does, with public calls only (the popup's box on screen, map.panBy), and
   * without animation when asked. A popup opened from a link at page load, or a map whose box
   * changed, moves at once: a measurement or a fan's eye never catches it half panned (the
   * animated pan left it ~25 px above a phone's map for a quarter of a second). */
  function panPopupInside(map, popup, animate) {
    var node = popup && map.hasLayer(popup) ? popup.getElement() : null;
    if (!node) return;
    var box = map.getContainer().getBoundingClientRect(), r = node.getBoundingClientRect(), pad = padding(map);
    var left = box.left + pad.topLeft[0], top = box.top + pad.topLeft[1];
    var right = box.right - pad.bottomRight[0], bottom = box.bottom - pad.bottomRight[1];
    var dx = 0, dy = 0;
    if (r.right > right) dx = r.right - right;
    if (r.left - dx < left) dx = r.left - left;  // the left edge wins over the right
    if (r.bottom > bottom) dy = r.bottom - bottom;
    if (r.top - dy < top) dy = r.top - top;  // the top (the place's name) wins over the bottom
    if (Math.abs(dx) >= 1 || Math.abs(dy) >= 1) map.panBy([Math.round(dx), Math.round(dy)], {animate: !!animate});
  }

  function fitPopup(placeId) {
    var popup = new FitPopup(POPUP);
    popup.placeId = placeId;  // the place it shows (the page keeps it in its URL)
    return popup;
  }

  var CLUSTER_MAX_ZOOM = 17;  // from zoom 18 every place is its own pin
  var CLUSTER_RADIUS = 45;  // pixels

  /* The places of one payload on a map. `groups` maps a season to its (empty) Folium
   * FeatureGroup, whose checkbox in the layer control says whether the season is on: a place is
   * shown when any of its seasons is, so one place is one pin, clustered together.
   *
   * Clustering is cluster.js's (a grid per zoom level, built once per season choice): each move
   * or zoom asks it for the clusters and pins of the view and only those are in the DOM, so
   * drawing and zooming cost what the view shows, not the number of places. Pins, shapes and
   * circles are made once, when first needed, and reused. */
  var PlacesLayer = L.Layer.extend({
    initialize: function (data, groups) {
      this.data = data;
      this.groups = groups;
      this.F = data.columns = columns(data.fields);
      this.places = data.places;
      this.view = L.featureGroup();  // the clusters and pins of the current view
      this.shapes = L.featureGroup();
      this.extents = L.featureGroup();
      this._derive();
      this._index = null; this.shown = {}; this.refs = []; this.position = {};  // point k: places[refs[k]]
    },

    /* Each place's seasons (from its scenes the spoiler guard lets through) and its pin's name
     * ("Herne Bay seafront, Season 1 and Season 2"); pins are made again from these. */
    _derive: function () {
      var data = this.data, F = this.F;
      this.seasonsOf = this.places.map(function (row) {
        var seen = [], scenes = row[F.scenes];
        for (var k = 0; k < scenes.length; k += 3) {
          var s = data.episodes[scenes[k]][0];
          if (sceneWatched(data, scenes[k]) && seen.indexOf(s) < 0) seen.push(s);
        }
        return seen.sort(function (x, y) { return x - y; });
      });
      this.pins = []; this.shapeLayers = []; this.extentLayers = [];
      this.labels = this.places.map(function (row, i) {
        var names = this.seasonsOf[i].map(function (n) { return (data.seasons[n] || {label: "Season " + n}).label; });
        var last = names.pop();
        return row[F.name] + ", " + (names.length ? names.join(", ") + " and " : "") + last;
      }, this);
    },

    /* The spoiler guard in the browser (the static site, which has no server to filter with):
     * `watched` is {season, episode, done} or null; a place none of whose scenes is watched is
     * not drawn, and popups leave out later scenes. */
    setWatched: function (watched) {
      this.map.closePopup();
      this.data.watched = watched;
      this._derive();
      this.refresh();
    },

    onAdd: function (map) {
      this.map = map;
      this.view.addTo(map);
      this.shapes.addTo(map);
      this.view.on("click", this._onClick, this);
      this.view.on("keydown", this._onKey, this);
      map.on("popupopen", this._onPopupOpen, this);
      map.on("popupclose", this._onPopupClose, this);
      map.on("overlayadd overlayremove", this.refresh, this);
      map.on("moveend", this.update, this);
      map.on("zoomend", this._showExtents, this);
      this.refresh();
      this._showExtents();
    },

    onRemove: function (map) {
      map.off("overlayadd overlayremove", this.refresh, this);
      map.off("moveend", this.update, this);
      map.off("zoomend", this._showExtents, this);
      this.view.off("click", this._onClick, this);
      this.view.off("keydown", this._onKey, this);
      map.off("popupopen", this._onPopupOpen, this);
      map.off("popupclose", this._onPopupClose, this);
      [this.view, this.shapes, this.extents].forEach(function (g) { map.removeLayer(g); });
    },

    index: function () { return this._index; },
    at: function (row) { return [row[this.F.lat], row[this.F.lon]]; },
    popup: function (row) { return popupContent(row, this.data); },

    coloursOf: function (i) {
      var seasons = this.data.seasons;
      return this.seasonsOf[i].map(function (s) { return (seasons[s] || {colour: "#666"}).colour; });
    },

    pin: function (i) {
      if (this.pins[i]) return this.pins[i];
      var place = this.places[i], F = this.F, self = this;
      var label = this.labels[i];
      var marker = new FlatMarker(this.at(place), {icon: placeIcon(this.coloursOf(i), typeof place[F.geo] === "number"),
        title: label, alt: label, riseOnHover: true});
      marker.place = place;
      marker.placeId = place[F.id];
      marker.on("add", function () {
        named(this._icon, label);
        this._icon.setAttribute("data-place-id", place[F.id]);  // offline.js marks visited places
        if (window.mapsVisited) window.mapsVisited.mark(this._icon, place[F.id]);
      });
      marker.bindPopup(fitPopup(place[F.id]).setContent(function () { return self.popup(place); }));
      this.pins[i] = marker;
      return marker;
    },

    shape: function (i) {  // a LineString (a walk) or a Polygon (a district) drawn as what it is
      if (this.shapeLayers[i]) return this.shapeLayers[i];
      var place = this.places[i], self = this;
      var layer = L.geoJSON(place[this.F.geo], {style: {color: this.coloursOf(i)[0], weight: 4, fillOpacity: 0.2,
        className: "place-shape"}});
      layer.bindPopup(fitPopup(place[this.F.id]).setContent(function () { return self.popup(place); }))
        .bindTooltip(el("span", null, this.labels[i]));
      layer.placeId = place[this.F.id];
      this.shapeLayers[i] = layer;
      return layer;
    },

    extent: function (i) {  // the nominal size of a town- or area-level place, shown from zoom 11
      var place = this.places[i];
      this.extentLayers[i] = this.extentLayers[i] || L.circle(this.at(place), {radius: place[this.F.geo],
        color: this.coloursOf(i)[0], weight: 1, dashArray: "4 4", fillOpacity: 0.08, interactive: false,
        className: "place-extent"});
      return this.extentLayers[i];
    },

    clusterMarker: function (item) {
      var label = item.count + " places here: press Enter to zoom in";
      var marker = new FlatMarker([item.lat, item.lng], {icon: clusterIcon(item.count), title: label});
      marker.clusterId = item.id;
      marker.on("add", function () { named(this._icon, label); });
      return marker;
    },

    /* Rebuild the index for the seasons switched on (layer control). */
    refresh: function () {
      var map = this.map, groups = this.groups, F = this.F, on = {};
      Object.keys(groups).forEach(function (s) { on[s] = map.hasLayer(groups[s]); });
      this.shapes.clearLayers(); this.extents.clearLayers();
      var wanted = [];
      this.refs = []; this.position = {};
      for (var i = 0; i < this.places.length; i++) {
        var place = this.places[i], geo = place[F.geo];
        if (!this.seasonsOf[i].some(function (s) { return on[s]; })) continue;  // (none: all later)
        if (geo && typeof geo === "object") { this.shapes.addLayer(this.shape(i)); continue; }
        this.position[i] = this.refs.length;
        this.refs.push(i);
        wanted.push([place[F.lon], place[F.lat]]);
        if (geo) this.extents.addLayer(this.extent(i));
      }
      this._index = mapsCluster.build(wanted, {radius: CLUSTER_RADIUS, tileSize: 256, maxZoom: CLUSTER_MAX_ZOOM,
        minPoints: 2});
      this.view.clearLayers();
      this.shown = {};
      this.update();
    },

    /* Show the clusters and pins of the current view (plus a margin), reusing what is shown. */
    update: function () {
      var map = this.map, b = map.getBounds().pad(0.25);
      var found = this._index.query(b.getWest(), Math.max(b.getSouth(), -90), b.getEast(),
        Math.min(b.getNorth(), 90), Math.round(map.getZoom()));
      var next = {}, shown = this.shown, key;
      for (var k = 0; k < found.length; k++) {
        var item = found[k];
        key = item.cluster ? "c" + item.id : this.refs[item.point];
        var marker = next[key] = shown[key] ||
          (item.cluster ? this.clusterMarker(item) : this.pin(this.refs[item.point]));
        if (marker.getLatLng().lng !== item.lng) marker.setLatLng([item.lat, item.lng]);  // world copy
      }
      for (key in shown) {  // a pin whose popup is open stays, wherever the popup moved the map
        if (!next[key] && shown[key].isPopupOpen && shown[key].isPopupOpen()) next[key] = shown[key];
      }
      for (key in shown) if (!next[key]) this.view.removeLayer(shown[key]);
      for (key in next) if (!shown[key]) this.view.addLayer(next[key]);
      this.shown = next;
    },

    /* Switch seasons on and off (the seasons control): `on` is a list of season numbers. */
    setSeasons: function (on) {
      var map = this.map, groups = this.groups;
      Object.keys(groups).forEach(function (s) {
        var want = on.indexOf(Number(s)) >= 0;
        if (want && !map.hasLayer(groups[s])) map.addLayer(groups[s]);
        if (!want && map.hasLayer(groups[s])) map.removeLayer(groups[s]);
      });
      this.refresh();
      this.fire("seasonschange", {seasons: this.seasonsOn()});
    },

    seasonsOn: function () {
      var map = this.map, groups = this.groups;
      return Object.keys(groups).filter(function (s) { return map.hasLayer(groups[s]); }).map(Number);
    },

    /* How many places are drawn for the seasons switched on. */
    countShown: function () { return this.refs.length + this.shapes.getLayers().length; },

    _onClick: function (e) { if (e.layer.clusterId !== undefined) this.openCluster(e.layer, false); },

    /* Enter or Space on a focused cluster opens it; Space on a pin opens its popup (Leaflet
     * itself answers Enter on a pin). */
    _onKey: function (e) {
      var key = e.originalEvent.key;
      if (key !== "Enter" && key !== " " && key !== "Spacebar") return;
      if (e.layer.clusterId !== undefined) {
        L.DomEvent.preventDefault(e.originalEvent);
        this.openCluster(e.layer, true);
      } else if (key !== "Enter" && e.layer.openPopup) {
        L.DomEvent.preventDefault(e.originalEvent);
        e.layer.openPopup();
      }
    },

    /* Focus goes into the popup that opened, Escape closes it, and focus returns to its pin. */
    _onPopupOpen: function (e) {
      var popup = e.popup, container = popup.getElement(), content = container &&
        container.querySelector(".place-popup, .cluster-popup");
      popup._returnFocus = popup._source && popup._source._icon ? popup._source._icon : popup._returnFocus;
      if (!popup._escape && container) {
        popup._escape = true;
        L.DomEvent.on(container, "keydown", function (ev) {
          if (ev.key === "Escape" || ev.key === "Esc") { L.DomEvent.stop(ev); popup.close(); }
        });
      }
      if (content) content.focus({preventScroll: true});
    },

    _onPopupClose: function (e) {
      var back = e.popup._returnFocus, active = document.activeElement;
      var container = e.popup.getElement();
      var inside = !active || active === document.body || (container && container.contains(active));
      if (back && inside && document.body.contains(back)) back.focus({preventScroll: true});
    },

    /* A cluster: zoom to where it splits; places too close to ever split get a list. With the
     * keyboard, focus then moves to the nearest of its parts, not to the page's <body>. */
    openCluster: function (marker, byKeyboard) {
      var map = this.map, self = this, places = this.places, F = this.F;
      var zoom = this._index.expansionZoom(marker.clusterId), at = marker.getLatLng();
      var leaves = this._index.leaves(marker.clusterId).map(function (k) { return self.refs[k]; });
      var max = map.getMaxZoom(), first = map.project(this.at(places[leaves[0]]), max);
      var apart = leaves.some(function (i) { return map.project(self.at(places[i]), max).distanceTo(first) > 24; });
      if (apart) {
        map.setView(at, Math.min(zoom, max), {animate: !byKeyboard});
        if (byKeyboard) { this.update(); this.focusNear(at); }
        return;
      }
      var box = el("div", "cluster-popup");
      box.tabIndex = -1;
      box.appendChild(el("h3", "place-name", leaves.length + " places here"));
      var list = el("ul");
      leaves.forEach(function (i) {
        var place = places[i];
        var item = el("li");
        var b = el("button", "link-button", place[F.name]);
        b.type = "button";
        L.DomEvent.on(b, "click", function () {
          var popup = fitPopup(place[F.id]).setLatLng(self.at(place)).setContent(self.popup(place));
          popup._returnFocus = marker._icon;
          popup.openOn(map);
        });
        item.appendChild(b);
        list.appendChild(item);
      });
      box.appendChild(list);
      var popup = fitPopup().setLatLng(at).setContent(box);
      popup._returnFocus = marker._icon;
      popup.openOn(map);
    },

    /* Focus the pin or cluster drawn nearest to `latlng`. */
    focusNear: function (latlng) {
      var map = this.map, best = null, bestD = Infinity, target = map.latLngToContainerPoint(latlng);
      for (var key in this.shown) {
        var m = this.shown[key], d = map.latLngToContainerPoint(m.getLatLng()).distanceTo(target);
        if (m._icon && d < bestD) { best = m; bestD = d; }
      }
      if (best) best._icon.focus({preventScroll: true});
    },

    /* Show the place `id` as its own pin and open its popup (a shared link, "show on the map");
     * false when it is not on this map (filtered out, or hidden by the spoiler setting). */
    openPlace: function (id) {
      var layer = this.showPlace(id), popup = layer && layer.getPopup();
      if (!layer) return false;
      if (!popup) { layer.openPopup(); return true; }
      popup.options.autoPan = false;  // panned at once below, not animated
      layer.openPopup();
      popup.options.autoPan = true;
      panPopupInside(this.map, popup, false);
      return true;
    },

    /* Zoom until the place `id` is its own pin, and return that pin (or its shape). */
    showPlace: function (id) {
      var F = this.F, map = this.map;
      var i = this.places.findIndex(function (p) { return p[F.id] === id; });
      if (i < 0) return null;
      var place = this.places[i];
      if (place[F.geo] && typeof place[F.geo] === "object") {
        map.fitBounds(this.shape(i).getBounds());
        return this.shape(i);
      }
      var alone = this.position[i] === undefined ? CLUSTER_MAX_ZOOM + 1 : this._index.alone(this.position[i]);
      map.setView(this.at(place), Math.max(Math.round(map.getZoom()), alone), {animate: false});
      this.update();
      return this.pins[i];
    },

    _showExtents: function () {
      var map = this.map, extents = this.extents;
      if (map.getZoom() >= 11) { if (!map.hasLayer(extents)) extents.addTo(map); }
      else if (map.hasLayer(extents)) map.removeLayer(extents);
    }
  });

  /* A marker's accessible name, and its role: it is a button (it opens a popup or zooms in). */
  function named(icon, label) {
    if (!icon) return;
    icon.setAttribute("aria-label", label);
    icon.setAttribute("role", "button");
    icon.removeAttribute("title");  // the name, once (a title would be read twice)
  }

  /* Called by the page's map script (mapview.py's PlacesLayer element). */
  function addPlaces(map, dataId, groups) {
    var data = JSON.parse(document.getElementById(dataId).textContent);
    var layer = new PlacesLayer(data, groups).addTo(map);
    window.mapsView.instances.push(layer);
    if (data.legend.length && window.mapsView.mainMap) window.mapsView.mainMap(layer, data);
    return layer;
  }

  window.mapsView = {addPlaces: addPlaces, PlacesLayer: PlacesLayer, popupContent: popupContent,
    el: el, instances: [], padding: padding, panPopupInside: panPopupInside};
})();
