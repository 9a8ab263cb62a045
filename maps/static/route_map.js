/* The route planner's map (maps/route/map.py): legs coloured per day (transfers dashed grey),
 * numbered stops in visiting order, a dot for a bare start or end point.
 *
 * The plan arrives as one JSON document (a <script type="application/json"> block). Names and
 * labels go into the DOM as text nodes only, never innerHTML, so nothing in the data can become
 * markup or script. Needs only Leaflet, served by the app itself.
 */
(function () {
  "use strict";

  var el = window.mapsView.el;  /* mapview.js loads first (the route map is a base_map) */

  /* A round pin with the stop's number; the colour is set through the CSSOM, not as markup. */
  function stopIcon(stop) {
    var icon = L.divIcon({className: "route-icon", iconSize: [28, 28], iconAnchor: [14, 14],
      popupAnchor: [0, -12], html: ""});
    var create = icon.createIcon;
    icon.createIcon = function (old) {
      var div = create.call(icon, old);
      div.textContent = "";
      var pin = div.appendChild(el("span", "route-pin", stop.order));
      pin.style.background = stop.colour;
      return div;
    };
    return icon;
  }

  function popupContent(stop) {
    var box = el("div", "route-popup");
    var title = box.appendChild(el("strong"));
    if (stop.url) {
      var link = title.appendChild(el("a", null, stop.order + ". " + stop.name));
      link.href = stop.url;
    } else {
      title.textContent = stop.order + ". " + stop.name;
    }
    box.appendChild(el("div", null, "Day " + stop.day + " · trip " + stop.trip));
    if (stop.access) box.appendChild(el("div", "route-access", stop.access));
    return box;
  }

  function draw(map, dataId) {
    var data = JSON.parse(document.getElementById(dataId).textContent);
    var state = {map: map, legs: [], stops: [], ends: []};
    data.legs.forEach(function (leg) {
      var transfer = leg.kind === "transfer";
      var line = L.polyline(leg.path, {color: leg.colour, weight: transfer ? 3 : 5, opacity: 0.8,
        dashArray: transfer ? "6 8" : null, className: "route-leg route-leg-" + leg.kind});
      line.bindTooltip(el("span", null, leg.label), {sticky: true});
      state.legs.push(line.addTo(map));
    });
    data.ends.forEach(function (end) {
      var dot = L.circleMarker(end.at, {radius: 8, color: "#222", fill: true, fillOpacity: 0.9,
        className: "route-end"});
      dot.bindTooltip(el("span", null, end.label));
      state.ends.push(dot.addTo(map));
    });
    data.stops.forEach(function (stop) {
      var marker = L.marker(stop.at, {icon: stopIcon(stop), title: stop.order + ". " + stop.name,
        zIndexOffset: 1000 - stop.order});
      marker.bindTooltip(el("span", null, stop.order + ". " + stop.name), {direction: "top", offset: [0, -12]});
      marker.bindPopup(function () { return popupContent(stop); }, {maxWidth: 280});
      marker.stopOrder = stop.order;
      state.stops.push(marker.addTo(map));
    });
    window.routeMap.instances.push(state);
    return state;
  }

  window.routeMap = {draw: draw, popupContent: popupContent, instances: []};
})();
