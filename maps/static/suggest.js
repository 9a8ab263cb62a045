/* The optional point picker of the suggestion forms: a small Leaflet map (Leaflet served by the
   app from its installed package) where a tap or click fills in the latitude and longitude
   fields, and a draggable pin shows them. Without script the fields are typed by hand. */
(function () {
  "use strict";
  var box = document.querySelector(".pick-map");
  if (!box || !window.L) return;
  var form = box.closest("form");
  var lat = form.querySelector("input[name=lat]"), lon = form.querySelector("input[name=lon]");
  box.hidden = false;
  var hint = form.querySelector(".pick-hint");
  if (hint) hint.hidden = false;
  var start = [parseFloat(box.dataset.lat), parseFloat(box.dataset.lon)];
  var map = L.map(box, { scrollWheelZoom: false }).setView(start, parseInt(box.dataset.zoom, 10));
  L.tileLayer(box.dataset.tiles, { attribution: box.dataset.attribution, maxZoom: 19 }).addTo(map);
  var pin = null;

  function fill(latlng) {
    lat.value = latlng.lat.toFixed(6);
    lon.value = latlng.lng.toFixed(6);
  }
  function place(latlng) {
    if (!pin) {
      pin = L.marker(latlng, { draggable: true, keyboard: true, title: "Chosen point" }).addTo(map);
      pin.on("dragend", function () { fill(pin.getLatLng()); });
    } else {
      pin.setLatLng(latlng);
    }
  }
  map.on("click", function (e) { place(e.latlng); fill(e.latlng); });
  function fromFields() {
    var y = parseFloat(lat.value), x = parseFloat(lon.value);
    if (isFinite(y) && isFinite(x) && Math.abs(y) <= 90 && Math.abs(x) <= 180) {
      place(L.latLng(y, x));
      return true;
    }
    return false;
  }
  if (fromFields()) map.setView(pin.getLatLng(), 15);
  lat.addEventListener("change", fromFields);
  lon.addEventListener("change", fromFields);
})();
