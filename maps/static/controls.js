/* The map's own controls for maps/mapview.py: locate, full screen and the season legend.
 * Built with DOM calls and text nodes (no icon font, no markup strings). Loaded after
 * mapview.js, whose `el` helper it uses.
 */
(function () {
  "use strict";

  var el = window.mapsView.el;

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
            weight: 2}).bindTooltip(el("span", null, "You are here")).addTo(found);
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

  window.mapsView.addControls = addControls;
})();
