/* The route planner's map (maps/route/map.py): legs coloured per day (transfers dashed grey),
 * numbered stops in visiting order, a dot for a bare start or end point. With the routing
 * engine, legs follow the streets (leg.path has every point).
 *
 * The form's start and end as a person gives them: "Use my location" asks the browser for its
 * position (navigator.geolocation) and fills in LAT,LON; a click on the map fills in the field
 * whose "Pick on the map" button is pressed (the start by default). Typing "my location" and
 * submitting asks for the position first. Without JavaScript the form still takes a place,
 * a town, an address or LAT,LON.
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
    map.on("click", function (e) { pick(state, e.latlng); });
    window.routeMap.instances.push(state);
    return state;
  }

  /* ---- the form: start and end from the map or the browser's position ---- */

  var MY_LOCATION = ["my location", "my position", "current location", "here"];

  function fmt(value) { return (Math.round(value * 100000) / 100000).toString(); }

  function statusLine(text) {
    var line = document.querySelector(".route-status");
    if (line) line.textContent = text;
  }

  function pickTarget() {
    var pressed = document.querySelector(".pick-on-map[aria-pressed='true']");
    return document.getElementById(pressed ? pressed.getAttribute("data-target") : "route-start");
  }

  function labelOf(input) { return input && input.id === "route-end" ? "End" : "Start"; }

  function pick(state, latlng) {
    var input = pickTarget();
    if (!input) return;
    input.value = fmt(latlng.lat) + "," + fmt(latlng.lng);
    if (state.picked && state.picked[input.id]) state.map.removeLayer(state.picked[input.id]);
    state.picked = state.picked || {};
    var dot = L.circleMarker(latlng, {radius: 8, color: "#222", fill: true, fillOpacity: 0.9,
      className: "route-picked"});
    dot.bindTooltip(el("span", null, labelOf(input) + " (picked on the map)"));
    state.picked[input.id] = dot.addTo(state.map);
    statusLine(labelOf(input) + " set to " + input.value + " from the map. Press “Plan my route”.");
  }

  function locate(input, then) {
    if (!navigator.geolocation) {
      statusLine("This browser cannot share its position: type a town name or LAT,LON.");
      return;
    }
    statusLine("Asking your browser for your position…");
    navigator.geolocation.getCurrentPosition(function (pos) {
      input.value = fmt(pos.coords.latitude) + "," + fmt(pos.coords.longitude);
      statusLine(labelOf(input) + " set to your location (" + input.value + ", within about " +
        Math.round(pos.coords.accuracy) + " m).");
      if (then) then();
    }, function () {
      statusLine("Your browser did not share your position: type a town name or LAT,LON instead.");
    }, {enableHighAccuracy: false, timeout: 10000, maximumAge: 60000});
  }

  function wireForm() {
    var form = document.querySelector("form.route-form");
    if (!form) return;
    Array.prototype.forEach.call(form.querySelectorAll(".locate-me"), function (button) {
      button.addEventListener("click", function () {
        locate(document.getElementById(button.getAttribute("data-target")));
      });
    });
    var pickers = form.querySelectorAll(".pick-on-map");
    Array.prototype.forEach.call(pickers, function (button) {
      button.addEventListener("click", function () {
        Array.prototype.forEach.call(pickers, function (other) {
          other.setAttribute("aria-pressed", other === button ? "true" : "false");
        });
        statusLine("Click on the map to set the " + labelOf(document.getElementById(
          button.getAttribute("data-target"))).toLowerCase() + ".");
        var map = document.querySelector(".route-map");
        if (map && map.scrollIntoView) map.scrollIntoView({block: "center"});
      });
    });
    form.addEventListener("submit", function (e) {
      var pending = ["route-start", "route-end"].map(function (id) { return document.getElementById(id); })
        .filter(function (input) {
          return input && MY_LOCATION.indexOf(input.value.trim().toLowerCase()) >= 0;
        });
      if (!pending.length) return;
      e.preventDefault();
      locate(pending[0], function () { form.submit(); });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wireForm);
  else wireForm();

  window.routeMap = {draw: draw, popupContent: popupContent, pick: pick, instances: []};
})();
