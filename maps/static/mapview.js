/* Places, popups and controls for the Folium maps of maps/mapview.py.
 *
 * The server sends the places as one JSON document (a <script type="application/json"> block);
 * this file draws them and builds each popup lazily when it opens, with DOM APIs and text nodes
 * only: nothing from the data is ever parsed as HTML. No dependencies beyond Leaflet (served by
 * the app from its installed package) and the project's own cluster.js.
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
    var icon = L.divIcon({className: ring ? "place-ring" : "place-pin", iconSize: ring ? [22, 22] : [24, 24],
      iconAnchor: ring ? [11, 11] : [12, 24], popupAnchor: ring ? [0, -10] : [0, -22], html: ""});
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
    return L.divIcon({html: inner, className: "marker-cluster marker-cluster-" + size, iconSize: [40, 40]});
  }

  /* A place row of the compact payload (mapview.py's ROW_FIELDS) as the popup reads it. */
  var ID = 0, NAME = 1, LAT = 2, LON = 3, SCENES = 4, STORY = 5, LOCALITY = 6, ACCESS = 7, SOURCES = 8,
    GEO = 9;

  function popupContent(row, data) {
    var root = el("div", "place-popup");
    var story = data.strings[row[STORY] || 0], locality = data.strings[row[LOCALITY] || 0];
    var access = data.strings[row[ACCESS] || 0], links = row[SOURCES] || [];
    root.appendChild(el("h3", "place-name", row[NAME]));
    if (story) root.appendChild(el("p", "place-story", "In the story: " + story));
    if (locality) root.appendChild(el("p", "place-locality", locality));
    var list = el("ul", "place-scenes"), scenes = row[SCENES];
    for (var k = 0; k < scenes.length; k += 3) {
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
    if (access) root.appendChild(el("p", "place-access access-" + access, data.access[access] || access));
    if (links.length) {
      var sources = el("p", "place-sources", "Sources: ");
      links.forEach(function (n, i) {
        var source = data.sources[n], url = safeUrl(source[1]);
        if (i) sources.appendChild(document.createTextNode(" · "));
        if (!url) { sources.appendChild(document.createTextNode(source[0])); return; }
        var link = el("a", null, source[0] || url);
        link.href = url;
        link.rel = "noopener noreferrer";
        link.target = "_blank";
        sources.appendChild(link);
      });
      root.appendChild(sources);
    }
    var more = el("a", "place-link", "More about this place");
    more.href = data.placeUrl + encodeURIComponent(row[ID]) + (data.query ? "?" + data.query : "");
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

  var POPUP = {maxWidth: 320, minWidth: 200, autoPanPaddingTopLeft: [10, 60]};
  var CLUSTER_MAX_ZOOM = 17;  // from zoom 18 every place is its own pin
  var CLUSTER_RADIUS = 45;  // pixels

  function placePopup(layer) { return popupContent(layer.place, layer.mapData); }  // one function for all
  function at(row) { return [row[LAT], row[LON]]; }

  /* Draw the places of the JSON block `dataId` on `map`. `groups` maps a season to its (empty)
   * Folium FeatureGroup, whose checkbox in the layer control says whether the season is on: a
   * place is shown when any of its seasons is, so one place is one pin, clustered together.
   *
   * Clustering is cluster.js's (a grid per zoom level, built once per season choice): each
   * move or zoom asks it for the clusters and pins of the view and only those are in the DOM, so
   * drawing and zooming cost what the view shows, not the number of places. Pins, shapes and
   * circles are made once, when first needed, and reused. */
  function addPlaces(map, dataId, groups) {
    var data = JSON.parse(document.getElementById(dataId).textContent);
    var places = data.places;
    var seasonsOf = places.map(function (row) {  // each place's seasons, from its scenes' episodes
      var seen = [], scenes = row[SCENES];
      for (var k = 0; k < scenes.length; k += 3) {
        var s = data.episodes[scenes[k]][0];
        if (seen.indexOf(s) < 0) seen.push(s);
      }
      return seen.sort(function (x, y) { return x - y; });
    });
    var view = L.featureGroup().addTo(map);  // the clusters and pins of the current view
    var shapes = L.featureGroup();
    var extents = L.featureGroup();
    var pins = [], shapeLayers = [], extentLayers = [];
    var index = null, shown = {}, refs = [], position = {};  // index point k is places[refs[k]]

    function coloursOf(i) {
      return seasonsOf[i].map(function (s) { return (data.seasons[s] || {colour: "#666"}).colour; });
    }
    function pin(i) {
      if (pins[i]) return pins[i];
      var place = places[i];
      var marker = new FlatMarker(at(place), {icon: placeIcon(coloursOf(i), typeof place[GEO] === "number"),
        title: place[NAME], alt: place[NAME], riseOnHover: true});
      marker.place = place;
      marker.mapData = data;
      marker.placeId = place[ID];
      marker.bindPopup(placePopup, POPUP);
      pins[i] = marker;
      return marker;
    }
    function shape(i) {  // a LineString (a walk) or a Polygon (a district) drawn as what it is
      if (shapeLayers[i]) return shapeLayers[i];
      var place = places[i];
      var layer = L.geoJSON(place[GEO], {style: {color: coloursOf(i)[0], weight: 4, fillOpacity: 0.2,
        className: "place-shape"}});
      // A text node, never a string: Leaflet would insert a string as HTML.
      layer.bindPopup(function () { return popupContent(place, data); }, POPUP).bindTooltip(el("span", null, place[NAME]));
      shapeLayers[i] = layer;
      return layer;
    }
    function extent(i) {  // the nominal size of a town- or area-level place, shown from zoom 11
      var place = places[i];
      extentLayers[i] = extentLayers[i] || L.circle(at(place), {radius: place[GEO],
        color: coloursOf(i)[0], weight: 1, dashArray: "4 4", fillOpacity: 0.08, interactive: false,
        className: "place-extent"});
      return extentLayers[i];
    }
    function clusterMarker(item) {
      var marker = new FlatMarker([item.lat, item.lng], {icon: clusterIcon(item.count),
        title: item.count + " places: zoom in"});
      marker.clusterId = item.id;
      return marker;
    }

    /* Rebuild the index for the seasons switched on (layer control). */
    function refresh() {
      var on = {};
      Object.keys(groups).forEach(function (s) { on[s] = map.hasLayer(groups[s]); });
      shapes.clearLayers(); extents.clearLayers();
      var wanted = [];
      refs = []; position = {};
      for (var i = 0; i < places.length; i++) {
        var place = places[i], geo = place[GEO];
        if (!seasonsOf[i].some(function (s) { return on[s]; })) continue;
        if (geo && typeof geo === "object") { shapes.addLayer(shape(i)); continue; }
        position[i] = refs.length;
        refs.push(i);
        wanted.push([place[LON], place[LAT]]);
        if (geo) extents.addLayer(extent(i));
      }
      index = mapsCluster.build(wanted, {radius: CLUSTER_RADIUS, tileSize: 256, maxZoom: CLUSTER_MAX_ZOOM,
        minPoints: 2});
      view.clearLayers();
      shown = {};
      update();
    }

    /* Show the clusters and pins of the current view (plus a margin), reusing what is shown. */
    function update() {
      var b = map.getBounds().pad(0.25);
      var found = index.query(b.getWest(), Math.max(b.getSouth(), -90), b.getEast(),
        Math.min(b.getNorth(), 90), Math.round(map.getZoom()));
      var next = {}, key;
      for (var k = 0; k < found.length; k++) {
        var item = found[k];
        key = item.cluster ? "c" + item.id : refs[item.point];
        var marker = next[key] = shown[key] || (item.cluster ? clusterMarker(item) : pin(refs[item.point]));
        if (marker.getLatLng().lng !== item.lng) marker.setLatLng([item.lat, item.lng]);  // world copy
      }
      for (key in shown) if (!next[key]) view.removeLayer(shown[key]);
      for (key in next) if (!shown[key]) view.addLayer(next[key]);
      shown = next;
    }

    /* A cluster: zoom to where it splits; places too close to ever split get a list. */
    function openCluster(marker) {
      var zoom = index.expansionZoom(marker.clusterId);
      var leaves = index.leaves(marker.clusterId).map(function (k) { return refs[k]; });
      var max = map.getMaxZoom(), first = map.project(at(places[leaves[0]]), max);
      var apart = leaves.some(function (i) { return map.project(at(places[i]), max).distanceTo(first) > 24; });
      if (apart) { map.setView(marker.getLatLng(), Math.min(zoom, max)); return; }
      var box = el("div", "cluster-popup");
      box.appendChild(el("h3", "place-name", leaves.length + " places here"));
      var list = el("ul");
      leaves.forEach(function (i) {
        var place = places[i];
        var item = el("li");
        var b = el("button", "link-button", place[NAME]);
        b.type = "button";
        L.DomEvent.on(b, "click", function () {
          L.popup(POPUP).setLatLng(at(place)).setContent(popupContent(place, data)).openOn(map);
        });
        item.appendChild(b);
        list.appendChild(item);
      });
      box.appendChild(list);
      L.popup(POPUP).setLatLng(marker.getLatLng()).setContent(box).openOn(map);
    }

    /* Zoom until the place `id` is its own pin, and return that pin (or its shape). */
    function showPlace(id) {
      var i = places.findIndex(function (p) { return p[ID] === id; });
      if (i < 0) return null;
      if (places[i][GEO] && typeof places[i][GEO] === "object") {
        map.fitBounds(shape(i).getBounds());
        return shape(i);
      }
      var alone = position[i] === undefined ? CLUSTER_MAX_ZOOM + 1 : index.alone(position[i]);
      map.setView(at(places[i]), Math.max(Math.round(map.getZoom()), alone), {animate: false});
      update();
      return pins[i];
    }

    function showExtents() {
      if (map.getZoom() >= 11) { if (!map.hasLayer(extents)) extents.addTo(map); }
      else if (map.hasLayer(extents)) map.removeLayer(extents);
    }
    view.on("click", function (e) { if (e.layer.clusterId !== undefined) openCluster(e.layer); });
    refresh();
    shapes.addTo(map);
    showExtents();
    map.on("overlayadd overlayremove", refresh);
    map.on("moveend", update);
    map.on("zoomend", showExtents);
    var state = {map: map, view: view, shapes: shapes, data: data, refresh: refresh, update: update,
      showPlace: showPlace, index: function () { return index; }};
    window.mapsView.instances.push(state);
    return state;
  }

  var ICONS = {  /* 24x24 SVG paths, drawn with DOM calls (no icon font, no markup strings) */
    locate: "M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8zm9 3h-2.07A7 7 0 0 0 13 5.07V3h-2v2.07A7 7 0 0 0 5.07 11H3v2h2.07A7 7 0 0 0 11 18.93V21h2v-2.07A7 7 0 0 0 18.93 13H21v-2zm-9 6a5 5 0 1 1 0-10 5 5 0 0 1 0 10z",
    fullscreen: "M4 4h6v2H6v4H4V4zm10 0h6v6h-2V6h-4V4zM4 14h2v4h4v2H4v-6zm14 0h2v6h-6v-2h4v-4z"
  };

  function svgIcon(name) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "20");
    svg.setAttribute("height", "20");
    svg.setAttribute("aria-hidden", "true");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", ICONS[name]);
    path.setAttribute("fill", "currentColor");
    svg.appendChild(path);
    return svg;
  }

  function button(container, icon, title, onClick) {
    var b = el("button", "map-button map-button-" + icon);
    b.appendChild(svgIcon(icon));
    b.type = "button";
    b.title = title;
    b.setAttribute("aria-label", title);
    L.DomEvent.disableClickPropagation(b);
    L.DomEvent.on(b, "click", function (e) { L.DomEvent.preventDefault(e); onClick(b); });
    container.appendChild(b);
    return b;
  }

  /* "Locate me" with the browser's Geolocation API: centre on the fan, with the accuracy circle. */
  function locateControl(map) {
    var ctl = L.control({position: "topleft"});
    var found = L.featureGroup().addTo(map);
    ctl.onAdd = function () {
      var box = el("div", "leaflet-bar map-control");
      var status = el("span", "map-status");
      status.setAttribute("role", "status");
      button(box, "locate", "Show my location", function (b) {
        if (!navigator.geolocation) { status.textContent = "Location is not available in this browser."; return; }
        b.classList.add("busy");
        navigator.geolocation.getCurrentPosition(function (pos) {
          b.classList.remove("busy");
          var at = [pos.coords.latitude, pos.coords.longitude];
          found.clearLayers();
          L.circle(at, {radius: pos.coords.accuracy, weight: 1, interactive: false}).addTo(found);
          L.circleMarker(at, {radius: 7, color: "#fff", fillColor: "#1a73e8", fillOpacity: 1,
            weight: 2}).bindTooltip("You are here").addTo(found);
          map.setView(at, Math.max(map.getZoom(), 14));
          status.textContent = "";
        }, function (err) {
          b.classList.remove("busy");
          status.textContent = "Could not find your location: " + err.message;
        }, {enableHighAccuracy: true, timeout: 15000, maximumAge: 60000});
      });
      box.appendChild(status);
      return box;
    };
    return ctl;
  }

  /* Fullscreen with the Fullscreen API; where it is missing (iPhone Safari), fill the window. */
  function fullscreenControl(map) {
    var ctl = L.control({position: "topleft"});
    ctl.onAdd = function () {
      var box = el("div", "leaflet-bar map-control");
      var target = map.getContainer();
      var b = button(box, "fullscreen", "Full screen", function () {
        if (document.fullscreenElement) { document.exitFullscreen(); return; }
        if (target.requestFullscreen && document.fullscreenEnabled) { target.requestFullscreen(); return; }
        document.body.classList.toggle("map-fills-window");
        b.setAttribute("aria-pressed", document.body.classList.contains("map-fills-window"));
        map.invalidateSize();
      });
      b.setAttribute("aria-pressed", "false");
      document.addEventListener("fullscreenchange", function () {
        b.setAttribute("aria-pressed", String(document.fullscreenElement === target));
        map.invalidateSize();
      });
      return box;
    };
    return ctl;
  }

  function legendControl(entries) {
    var ctl = L.control({position: "bottomright"});
    ctl.onAdd = function () {
      var box = el("div", "map-legend");
      box.appendChild(el("h2", "map-legend-title", "Seasons"));
      var list = el("ul");
      entries.forEach(function (entry) {
        var item = el("li");
        var swatch = el("span", "season-dot");
        swatch.style.background = entry.colour;
        item.appendChild(swatch);
        item.appendChild(document.createTextNode(entry.label + " (" + entry.count + ")"));
        list.appendChild(item);
      });
      var ring = el("li", "legend-ring", "Ring: known only to the town or area");
      list.appendChild(ring);
      box.appendChild(list);
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    return ctl;
  }

  function addControls(map, options) {
    locateControl(map).addTo(map);
    fullscreenControl(map).addTo(map);
    if (options.legend && options.legend.length) legendControl(options.legend).addTo(map);
  }

  window.mapsView = {addPlaces: addPlaces, addControls: addControls, popupContent: popupContent,
    el: el, instances: []};
})();
