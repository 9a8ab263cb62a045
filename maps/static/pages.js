/* Small helpers for the list and place pages, with no inline handlers (the pages' CSP allows
 * no inline script but the map's own):
 *  - "Use my location" on the list: the browser's position becomes the `near` of the sort form;
 *  - "Add to my trip" on a place page: a trip basket kept in this browser (localStorage), which
 *    the route planner opens with (/route?stops=id,id).
 */
(function () {
  "use strict";

  var BASKET = "maps.trip";
  var MAX_STOPS = 25;

  function basket() {
    try {
      var ids = JSON.parse(localStorage.getItem(BASKET) || "[]");
      return Array.isArray(ids) ? ids.filter(function (id) { return typeof id === "string" && /^[a-z0-9-]{1,80}$/.test(id); }) : [];
    } catch (e) {
      return [];
    }
  }

  function save(ids) {
    try { localStorage.setItem(BASKET, JSON.stringify(ids.slice(0, MAX_STOPS))); } catch (e) { /* private mode */ }
  }

  function useLocation(button) {
    var form = button.form, status = form.querySelector(".near-status"), input = form.querySelector("input[name=near]");
    if (!navigator.geolocation) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = "Finding your location…";
      navigator.geolocation.getCurrentPosition(function (pos) {
        input.value = pos.coords.latitude.toFixed(5) + "," + pos.coords.longitude.toFixed(5);
        status.textContent = "";
        form.submit();
      }, function (err) {
        status.textContent = "Could not find your location: " + err.message;
      }, {enableHighAccuracy: false, timeout: 15000, maximumAge: 300000});
    });
  }

  function tripButton(button) {
    var id = button.getAttribute("data-add-to-trip"), status = document.getElementById("trip-status");
    var link = document.getElementById("trip-link"), base = link ? link.getAttribute("data-route") : null;
    function show() {
      var ids = basket(), inTrip = ids.indexOf(id) >= 0;
      button.textContent = inTrip ? "Remove from my trip" : "Add to my trip";
      button.setAttribute("aria-pressed", String(inTrip));
      if (link && base) {
        link.hidden = ids.length === 0;
        var url = new URL(base, window.location.href);
        if (ids.length) url.searchParams.set("stops", ids.join(","));
        link.href = url.pathname + url.search;
        link.textContent = "Plan my trip (" + ids.length + " place" + (ids.length === 1 ? "" : "s") + ")";
      }
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      var ids = basket(), at = ids.indexOf(id);
      if (at >= 0) ids.splice(at, 1); else if (ids.length < MAX_STOPS) ids.push(id);
      save(ids);
      show();
      if (status) status.textContent = at >= 0 ? "Removed from your trip." : "Added to your trip.";
    });
    show();
  }

  document.querySelectorAll("[data-use-location]").forEach(useLocation);
  document.querySelectorAll("[data-add-to-trip]").forEach(tripButton);
})();
