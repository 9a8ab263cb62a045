/* The map's own controls for maps/mapview.py: locate, full screen, share, the seasons control
 * (legend and season switch in one) and, on the main map, the page state kept in the URL and
 * the "near me" list. Built with DOM calls and text nodes (no icon font, no markup strings):
 * every label that reaches Leaflet is a text node. Loaded after mapview.js, whose `el` helper
 * it uses.
 */
(function () {
  "use strict";

  var el = window.mapsView.el;

  var ICONS = {  /* 24x24 SVG paths, drawn with DOM calls (no icon font, no markup strings) */
    locate: "M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8zm9 3h-2.07A7 7 0 0 0 13 5.07V3h-2v2.07A7 7 0 0 0 5.07 11H3v2h2.07A7 7 0 0 0 11 18.93V21h2v-2.07A7 7 0 0 0 18.93 13H21v-2zm-9 6a5 5 0 1 1 0-10 5 5 0 0 1 0 10z",
    fullscreen: "M4 4h6v2H6v4H4V4zm10 0h6v6h-2V6h-4V4zM4 14h2v4h4v2H4v-6zm14 0h2v6h-6v-2h4v-4z",
    share: "M18 16a3 3 0 0 0-2.4 1.2l-6.7-3.4a3 3 0 0 0 0-1.6l6.7-3.4A3 3 0 1 0 15 7l-6.7 3.4a3 3 0 1 0 0 3.2L15 17a3 3 0 1 0 3-1z"
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
            weight: 2}).bindTooltip(el("span", null, "You are here")).addTo(found);
          // The main map answers with the nearest places (mainMap below); other maps centre.
          map.fire("locationfound", {latlng: L.latLng(at), accuracy: pos.coords.accuracy});
          if (!map.nearMe) map.setView(at, Math.max(map.getZoom(), 14));
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

  /* "Share this view": the system share sheet where there is one (phones), else the link is
   * copied; the address always holds the view (see keepInUrl). */
  function shareControl(map) {
    var ctl = L.control({position: "topleft"});
    ctl.onAdd = function () {
      var box = el("div", "leaflet-bar map-control");
      var status = el("span", "map-status");
      status.setAttribute("role", "status");
      button(box, "share", "Share or copy a link to this view", function () {
        var url = window.location.href, title = document.title;
        if (navigator.share) {
          navigator.share({title: title, url: url}).catch(function () {});
          return;
        }
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(url).then(function () { status.textContent = "Link copied."; },
            function () { status.textContent = "Copy this link: " + url; });
        } else {
          status.textContent = "Copy this link: " + url;
        }
        setTimeout(function () { status.textContent = ""; }, 6000);
      });
      box.appendChild(status);
      return box;
    };
    return ctl;
  }

  function addControls(map, options) {
    locateControl(map).addTo(map);
    fullscreenControl(map).addTo(map);
    if (options.legend && options.legend.length) legendControl(options.legend).addTo(map);
  }

  var SMALL = "(max-width: 56rem), (max-height: 34rem)";  // phones: overlays start collapsed

  /* The seasons control: the legend (colour, label, number of places) and the season switch in
   * one, so there is one season control, kept in the URL. Collapsed on small screens. */
  function seasonsControl(layer, data) {
    var ctl = L.control({position: "topright"});
    var inputs = [];
    ctl.onAdd = function () {
      var box = el("div", "seasons-control");
      var toggle = el("button", "seasons-toggle");
      toggle.type = "button";
      var panel = el("div", "seasons-panel");
      panel.id = "seasons-panel";
      toggle.setAttribute("aria-controls", panel.id);
      var set = el("fieldset");
      set.appendChild(el("legend", null, "Seasons on the map"));
      data.legend.forEach(function (entry) {
        var label = el("label", "season-choice");
        var input = el("input");
        input.type = "checkbox";
        input.value = entry.season;
        input.checked = layer.seasonsOn().indexOf(entry.season) >= 0;
        var dot = el("span", "season-dot");
        dot.style.background = entry.colour;
        label.appendChild(input);
        label.appendChild(dot);
        label.appendChild(document.createTextNode(entry.label + " (" + entry.count + ")"));
        set.appendChild(label);
        inputs.push(input);
        L.DomEvent.on(input, "change", function () {
          layer.setSeasons(inputs.filter(function (i) { return i.checked; }).map(function (i) { return Number(i.value); }));
        });
      });
      panel.appendChild(set);
      panel.appendChild(el("p", "legend-ring", "Ring: known only to the town or area"));
      var thin = document.getElementById("thin-seasons");
      if (thin) panel.appendChild(thin);
      box.appendChild(toggle);
      box.appendChild(panel);
      function label() {
        var on = inputs.filter(function (i) { return i.checked; }).length;
        toggle.textContent = "Seasons" + (on === inputs.length ? "" : " (" + on + " of " + inputs.length + ")");
      }
      ctl.expand = function (open) {
        toggle.setAttribute("aria-expanded", String(open));
        panel.hidden = !open;
      };
      L.DomEvent.on(toggle, "click", function () { ctl.expand(panel.hidden); });
      layer.on("seasonschange", label);
      label();
      ctl.expand(!window.matchMedia(SMALL).matches);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    return ctl;
  }

  /* The page's state in its address: `season` (the seasons switched on), `place` (the open
   * popup) and `#map=zoom/lat/lon` (the view), so a copied or shared link shows the same. The
   * page's own links that depend on the seasons (list, downloads, the filter form) follow. */
  function keepInUrl(layer, map, all) {
    function write(update) {
      var url = new URL(window.location.href);
      update(url);
      if (url.href !== window.location.href) history.replaceState(null, "", url.href);
    }
    function seasonsParam(url, on) {
      url.searchParams.delete("season");
      if (on.length !== all.length) on.forEach(function (s) { url.searchParams.append("season", s); });
    }
    map.on("moveend", function () {
      var c = map.getCenter();
      write(function (url) { url.hash = "map=" + map.getZoom() + "/" + c.lat.toFixed(5) + "/" + c.lng.toFixed(5); });
    });
    map.on("popupopen", function (e) {
      var id = e.popup.placeId;
      if (id) write(function (url) { url.searchParams.set("place", id); });
    });
    map.on("popupclose", function () { write(function (url) { url.searchParams.delete("place"); }); });
    layer.on("seasonschange", function (e) {
      write(function (url) { seasonsParam(url, e.seasons); });
      document.querySelectorAll("a[data-view-link]").forEach(function (a) {
        var url = new URL(a.href);
        seasonsParam(url, e.seasons);
        a.href = url.href;
      });
      document.querySelectorAll("form[data-view-form]").forEach(function (form) {
        form.querySelectorAll("input.season-input").forEach(function (i) { i.remove(); });
        if (e.seasons.length === all.length) return;
        e.seasons.forEach(function (s) {
          var input = el("input", "season-input");
          input.type = "hidden"; input.name = "season"; input.value = s;
          form.appendChild(input);
        });
      });
      summary(layer);
    });
  }

  function summary(layer) {
    var count = document.getElementById("map-count");
    if (!count) return;
    var n = layer.countShown();
    count.textContent = n + " place" + (n === 1 ? "" : "s") + " on the map";
  }

  function readView() {
    var m = /^#map=(\d{1,2})\/(-?\d{1,2}(?:\.\d+)?)\/(-?\d{1,3}(?:\.\d+)?)$/.exec(window.location.hash);
    if (!m) return null;
    var z = Number(m[1]), lat = Number(m[2]), lng = Number(m[3]);
    return Math.abs(lat) <= 90 && Math.abs(lng) <= 180 && z <= 19 ? {zoom: z, center: [lat, lng]} : null;
  }

  function km(a, b) {  // great-circle distance, for sorting a handful of places
    var r = Math.PI / 180, dLat = (b.lat - a.lat) * r, dLng = (b.lng - a.lng) * r;
    var h = Math.sin(dLat / 2) * Math.sin(dLat / 2) +
      Math.cos(a.lat * r) * Math.cos(b.lat * r) * Math.sin(dLng / 2) * Math.sin(dLng / 2);
    return 12742 * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  /* "Near me": after locate, the nearest places (of the seasons switched on) with distances, a
   * button to open each one's popup, and a link to the whole list sorted by distance. */
  function nearMe(layer, map) {
    var panel = document.getElementById("near-me");
    if (!panel) return;
    map.nearMe = true;
    map.on("locationfound", function (e) {
      var F = layer.F, here = e.latlng;
      var near = layer.refs.map(function (i) {
        var row = layer.places[i];
        return {row: row, km: km(here, L.latLng(row[F.lat], row[F.lon]))};
      }).sort(function (a, b) { return a.km - b.km; }).slice(0, 5);
      while (panel.firstChild) panel.removeChild(panel.firstChild);
      var head = el("h2", null, "Nearest places to you");
      head.id = "near-me-title";
      head.tabIndex = -1;
      panel.appendChild(head);
      var list = el("ol");
      near.forEach(function (n) {
        var item = el("li");
        var b = el("button", "link-button", n.row[F.name]);
        b.type = "button";
        L.DomEvent.on(b, "click", function () { layer.openPlace(n.row[F.id]); });
        item.appendChild(b);
        item.appendChild(el("span", "near-km", " " + (n.km < 10 ? n.km.toFixed(1) : Math.round(n.km)) + " km"));
        list.appendChild(item);
      });
      panel.appendChild(list);
      var all = document.getElementById("list-link");
      if (all) {
        var url = new URL(all.href);
        url.searchParams.set("near", here.lat.toFixed(5) + "," + here.lng.toFixed(5));
        url.searchParams.set("sort", "distance");
        var more = el("a", null, "All places by distance");
        more.href = url.href;
        panel.appendChild(more);
      }
      var close = el("button", "near-close", "Close");
      close.type = "button";
      L.DomEvent.on(close, "click", function () { panel.hidden = true; });
      panel.appendChild(close);  // drawn at the panel's top right
      panel.hidden = false;
      if (near.length) {
        var bounds = L.latLngBounds([here]);
        near.slice(0, 3).forEach(function (n) { bounds.extend([n.row[F.lat], n.row[F.lon]]); });
        map.fitBounds(bounds, fitOptions(map, 15));
      } else {
        map.setView(here, 14);
      }
      head.focus({preventScroll: true});
    });
  }

  function fitOptions(map, maxZoom) {
    var pad = window.mapsView.padding(map);
    return {paddingTopLeft: [pad.topLeft[0] + 10, pad.topLeft[1] + 10],
      paddingBottomRight: [pad.bottomRight[0] + 20, pad.bottomRight[1] + 10], maxZoom: maxZoom, animate: false};
  }

  /* What covers the main map's edges right now: the button column on the left, the toggles on
   * top, the summary, "near me" and attribution at the bottom (panels that fold away when a
   * popup opens are not counted). Popups pan clear of it and fitted views leave it free. */
  var OVERLAYS = ".leaflet-control, .filter-panel > summary, .map-summary, .near-me, .seasons-toggle";
  function overlayPadding(map) {
    var box = map.getContainer().getBoundingClientRect(), middle = box.top + box.height / 2;
    var top = 8, bottom = 8, left = 8, right = 8;
    document.querySelectorAll(OVERLAYS).forEach(function (node) {
      if (node.hidden || !node.offsetParent || node.classList.contains("seasons-control")) return;
      var r = node.getBoundingClientRect();
      if (!r.width || !r.height || r.bottom <= box.top || r.top >= box.bottom || r.right <= box.left ||
          r.left >= box.right) return;  // not over the map (a phone's summary sits below it)
      if (node.closest(".leaflet-left") && node.closest(".leaflet-top")) { left = Math.max(left, r.right - box.left + 8); return; }
      if (r.bottom < middle) top = Math.max(top, r.bottom - box.top + 8);
      else bottom = Math.max(bottom, box.bottom - r.top + 8);
    });
    return {topLeft: [left, top], bottomRight: [right, bottom]};
  }

  /* Everything the main map (/) adds to a places layer: called by mapview.js's addPlaces. */
  function mainMap(layer, data) {
    var map = layer.map, all = data.legend.map(function (e) { return e.season; });
    var seasons = seasonsControl(layer, data).addTo(map);
    // The map's box can still change after a popup opened (phones: the header wraps, a note shows);
    // pan again so the open popup stays inside the map.
    var openPopup = null;
    map.on("popupopen", function (e) { openPopup = e.popup; });
    map.on("popupclose", function (e) { if (openPopup === e.popup) openPopup = null; });
    map.on("resize", function () { window.mapsView.panPopupInside(map, openPopup, false); });
    shareControl(map).addTo(map);
    map.overlayPadding = function () { return overlayPadding(map); };
    var view = readView();
    var bounds = L.latLngBounds([]);
    layer.refs.forEach(function (i) { bounds.extend(layer.at(layer.places[i])); });
    layer.shapes.eachLayer(function (s) { bounds.extend(s.getBounds()); });
    if (view) map.setView(view.center, view.zoom, {animate: false});
    else if (bounds.isValid()) map.fitBounds(bounds, fitOptions(map, 15));
    layer.update();
    keepInUrl(layer, map, all);
    nearMe(layer, map);
    summary(layer);
    // A popup that opens collapses an open panel it would lie under (phones: seasons, filter).
    map.on("popupopen", function (e) {
      var box = e.popup.getElement().getBoundingClientRect();
      var panels = [[seasons.getContainer().querySelector(".seasons-panel"), function () { seasons.expand(false); }],
        [document.querySelector(".filter-panel[open]"), function (p) { p.open = false; }]];
      panels.forEach(function (entry) {
        var p = entry[0];
        if (!p || p.hidden) return;
        var r = p.getBoundingClientRect();
        if (r.left < box.right && box.left < r.right && r.top < box.bottom && box.top < r.bottom) entry[1](p);
      });
    });
    var wanted = new URL(window.location.href).searchParams.get("place");
    if (wanted && !layer.openPlace(wanted)) {
      var note = document.getElementById("map-note");
      if (note) {
        note.textContent = "The place in this link is not on this map: it may be hidden by your spoiler " +
          "setting or by the filter.";
        note.hidden = false;
      }
    }
  }

  window.mapsView.addControls = addControls;
  window.mapsView.mainMap = mainMap;
})();
