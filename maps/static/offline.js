/* The offline pack on the page side (see docs/offline.md and sw.js):
 *  - registers the service worker, and says "Offline — showing saved pins" when there is no
 *    network, "Updated: N new places" when a new data version has been saved;
 *  - the visited checklist ("I've been here") on place pages, map popups and pins, the list;
 *  - saved trips (a planned route under a name) and the /trips page: list, reopen, delete,
 *    export and import as a JSON file.
 * Everything is kept in this browser (localStorage); no account. Text from data or from a fan
 * is only ever set with textContent.
 */
(function () {
  "use strict";

  var VISITED = "maps.visited", TRIPS = "maps.trips", SEEN = "maps.offline.seen";
  var ID = /^[a-z0-9-]{1,80}$/, WATCHED = /^S\d{1,2}E\d{1,3}$/;
  var MAX_VISITED = 2000, MAX_TRIPS = 50, MAX_NAME = 80, MAX_IMPORT_BYTES = 256 * 1024;
  var script = document.currentScript;
  var root = document.documentElement;

  function read(key, fallback) {
    try { var v = JSON.parse(localStorage.getItem(key)); return v === null ? fallback : v; } catch (e) { return fallback; }
  }
  function write(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); return true; } catch (e) { return false; }
  }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function clean(text, max) { return String(text || "").replace(/[\u0000-\u001f]/g, " ").trim().slice(0, max); }
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  /* ---- notices ---- */
  /* A banner between the header and the page (on the map page the map gives up the room; a
   * window resize event makes Leaflet measure its new size). */
  function notice(className, text) {
    var main = document.getElementById("content");
    var box = document.querySelector("." + className);
    if (!main || (!box && !text)) return;
    if (!box) {
      box = el("p", "offline-banner " + className);
      box.setAttribute("role", "status");
      main.parentNode.insertBefore(box, main);
    }
    var was = box.hidden;
    box.textContent = text;
    box.hidden = !text;
    if (was !== box.hidden || !was) window.dispatchEvent(new Event("resize"));
  }
  function showNetwork() {
    var onMap = document.body.classList.contains("map-page");
    notice("offline-notice", navigator.onLine ? "" :
      onMap ? "Offline — showing saved pins" : "Offline — showing the copy saved on this device");
    root.setAttribute("data-network", navigator.onLine ? "online" : "offline");
  }

  /* A new data version is saved: compare with the place ids this browser saw last time. */
  function onVersion(msg) {
    if (!msg || msg.type !== "maps-offline-version" || !Array.isArray(msg.ids)) return;
    var seen = read(SEEN, null), ids = msg.ids.filter(function (id) { return ID.test(id); });
    if (seen && seen.data !== msg.data && Array.isArray(seen.ids)) {
      var before = {};
      seen.ids.forEach(function (id) { before[id] = true; });
      var added = ids.filter(function (id) { return !before[id]; }).length;
      var now = {};
      ids.forEach(function (id) { now[id] = true; });
      var gone = seen.ids.filter(function (id) { return !now[id]; }).length;
      var parts = [];
      if (added) parts.push(plural(added, "new place"));
      if (gone) parts.push(plural(gone, "place") + " removed");
      notice("update-notice", "Updated: " + (parts.length ? parts.join(", ") : "place details changed") +
        ". Saved on this device for offline use.");
    }
    write(SEEN, {data: msg.data, ids: ids});
    root.setAttribute("data-offline", "ready");
    root.setAttribute("data-offline-version", msg.data);
  }

  function register() {
    var url = script && script.getAttribute("data-sw");
    if (!url || !("serviceWorker" in navigator)) return;
    var sw = navigator.serviceWorker;
    sw.addEventListener("message", function (e) { onVersion(e.data); });
    sw.register(url, {scope: script.getAttribute("data-scope") || "/"}).then(function (reg) {
      if (navigator.onLine && reg.active) reg.update().catch(function () {});
    }).catch(function () { /* no offline copy in this browser */ });
    sw.ready.then(function (reg) {
      var worker = sw.controller || reg.active;
      if (!worker) return;
      worker.postMessage({type: "hello"});
      var keep = trips().map(function (t) { return t.url; });
      if (keep.length) worker.postMessage({type: "keep", urls: keep});
      // The spoiler setting, as the header's links carry it (from the address or the server's
      // cookie): online, a page whose links have none means there is none.
      var brand = document.querySelector(".site-header .brand");
      var watched = brand ? new URL(brand.href, location.href).searchParams.get("watched") : null;
      if (watched && WATCHED.test(watched)) worker.postMessage({type: "watched", code: watched});
      else if (navigator.onLine) worker.postMessage({type: "watched", code: null});
    });
  }

  /* ---- visited checklist ---- */
  function visited() {
    var v = read(VISITED, {});
    return v && typeof v === "object" && !Array.isArray(v) ? v : {};
  }
  function isVisited(id) { return Object.prototype.hasOwnProperty.call(visited(), id); }
  function setVisited(id, name, on) {
    var v = visited();
    if (on && Object.keys(v).length < MAX_VISITED) v[id] = {name: clean(name, 200), at: new Date().toISOString().slice(0, 10)};
    else delete v[id];
    write(VISITED, v);
    refreshVisited();
  }
  function markPin(icon, id) {
    if (!icon || !ID.test(id)) return;
    icon.setAttribute("data-place-id", id);
    icon.classList.toggle("visited", isVisited(id));
  }
  function visitedButton(id, name, className) {
    var button = el("button", className || "visited-toggle button", "I've been here");
    button.type = "button";
    button.setAttribute("data-visited-id", id);
    button.setAttribute("data-visited-name", name);
    button.setAttribute("aria-pressed", String(isVisited(id)));
    button.addEventListener("click", function () {
      var on = button.getAttribute("aria-pressed") !== "true";
      setVisited(id, name, on);
      var status = button.parentNode && button.parentNode.querySelector(".visited-status");
      if (status) status.textContent = on ? "Ticked: you've been here." : "Unticked.";
    });
    return button;
  }
  function popupButton(id, name) {
    var p = el("p", "visited-row");
    p.appendChild(visitedButton(id, name, "visited-toggle"));
    p.appendChild(el("span", "visited-status")).setAttribute("role", "status");
    return p;
  }
  function refreshVisited() {
    var v = visited();
    document.querySelectorAll("[data-visited-id]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(Object.prototype.hasOwnProperty.call(v, b.getAttribute("data-visited-id"))));
    });
    document.querySelectorAll(".leaflet-marker-icon[data-place-id]").forEach(function (icon) {
      icon.classList.toggle("visited", Object.prototype.hasOwnProperty.call(v, icon.getAttribute("data-place-id")));
    });
    document.querySelectorAll("tr[data-place-id]").forEach(function (row) {
      var id = row.getAttribute("data-place-id"), tag = row.querySelector(".tag-visited");
      var on = Object.prototype.hasOwnProperty.call(v, id);
      if (on && !tag) row.querySelector("th").appendChild(el("span", "tag tag-visited", "✓ been here"));
      if (!on && tag) tag.remove();
    });
    if (document.getElementById("visited-list")) renderTripsPage();
  }
  window.mapsVisited = {has: isVisited, mark: markPin, popupButton: popupButton};

  /* ---- saved trips ---- */
  function trips() {
    var t = read(TRIPS, []);
    return Array.isArray(t) ? t.filter(function (x) { return x && typeof x.url === "string" && sameSite(x.url); }) : [];
  }
  function sameSite(url) {
    try { var u = new URL(url, location.href); return u.origin === location.origin && /^https?:$/.test(u.protocol); } catch (e) { return false; }
  }
  function saveTripForm(form) {
    var input = form.querySelector("input[name=trip-name]"), status = form.querySelector(".save-trip-status");
    form.hidden = false;
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var name = clean(input.value, MAX_NAME) || "My trip";
      var stops = [];
      try { stops = JSON.parse(form.getAttribute("data-stops") || "[]").map(function (s) { return clean(s, 200); }).slice(0, 100); } catch (err) { stops = []; }
      var url = location.pathname + location.search;
      var list = trips().filter(function (t) { return t.name !== name; });
      list.unshift({name: name, url: url, stops: stops, days: Number(form.getAttribute("data-days")) || 1,
        saved: new Date().toISOString().slice(0, 10)});
      write(TRIPS, list.slice(0, MAX_TRIPS));
      status.textContent = "Saved as “" + name + "”. It opens from My trips, online or offline.";
      var sw = navigator.serviceWorker;
      if (sw && sw.controller) sw.controller.postMessage({type: "keep", urls: [url]});
    });
  }

  function renderTripsPage() {
    var list = document.getElementById("trip-list"), vlist = document.getElementById("visited-list");
    list.textContent = "";
    var saved = trips();
    document.getElementById("trips-empty").hidden = saved.length > 0;
    saved.forEach(function (trip, i) {
      var item = el("li", "saved-trip"), link = el("a", null, clean(trip.name, MAX_NAME) || "My trip");
      link.href = new URL(trip.url, location.href).pathname + new URL(trip.url, location.href).search;
      item.appendChild(link);
      var stops = Array.isArray(trip.stops) ? trip.stops.map(function (s) { return clean(s, 200); }) : [];
      item.appendChild(el("span", "trip-meta", " — " + plural(stops.length, "place") + ", " + plural(Number(trip.days) || 1, "day") +
        (trip.saved ? ", saved " + clean(trip.saved, 10) : "")));
      if (stops.length) item.appendChild(el("p", "trip-stops", stops.join(" → ")));
      var del = el("button", "button", "Delete");
      del.type = "button";
      del.setAttribute("aria-label", "Delete the trip " + (clean(trip.name, MAX_NAME) || "My trip"));
      del.addEventListener("click", function () {
        var now = trips();
        now.splice(i, 1);
        write(TRIPS, now);
        renderTripsPage();
        document.getElementById("trips-status").textContent = "Trip deleted.";
      });
      item.appendChild(del);
      list.appendChild(item);
    });
    vlist.textContent = "";
    var v = visited(), ids = Object.keys(v).filter(function (id) { return ID.test(id); }).sort();
    document.getElementById("visited-count").textContent = ids.length ? "You have been to " + plural(ids.length, "place") + "." :
      "No place ticked yet: use “I've been here” on a place's page or its popup on the map.";
    var base = vlist.getAttribute("data-place-url") || "/locations/";
    ids.forEach(function (id) {
      var item = el("li"), link = el("a", null, clean(v[id] && v[id].name, 200) || id);
      link.href = base + encodeURIComponent(id);
      item.appendChild(link);
      if (v[id] && v[id].at) item.appendChild(document.createTextNode(" (" + clean(v[id].at, 10) + ")"));
      vlist.appendChild(item);
    });
  }

  function exportFile() {
    var body = JSON.stringify({format: "maps-offline", version: 1, visited: visited(), trips: trips()}, null, 2);
    var link = el("a");
    link.href = URL.createObjectURL(new Blob([body], {type: "application/json"}));
    link.download = "my-filming-locations.json";
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
  }

  /* Import: a file of ours (bounded), merged into what this browser has; anything else refused. */
  function importFile(file, status) {
    if (!file) return;
    if (file.size > MAX_IMPORT_BYTES) { status.textContent = "That file is too big (at most 256 KB)."; return; }
    file.text().then(function (text) {
      var data = JSON.parse(text);
      if (!data || data.format !== "maps-offline" || typeof data.visited !== "object") throw new Error("format");
      var v = visited(), added = 0;
      Object.keys(data.visited || {}).forEach(function (id) {
        var entry = data.visited[id];
        if (!ID.test(id) || v[id] || Object.keys(v).length >= MAX_VISITED) return;
        v[id] = {name: clean(entry && entry.name, 200), at: clean(entry && entry.at, 10)};
        added++;
      });
      var t = trips(), names = {};
      t.forEach(function (x) { names[x.name] = true; });
      (Array.isArray(data.trips) ? data.trips : []).forEach(function (x) {
        if (!x || typeof x.url !== "string" || !sameSite(x.url) || names[clean(x.name, MAX_NAME)] || t.length >= MAX_TRIPS) return;
        var u = new URL(x.url, location.href);
        t.push({name: clean(x.name, MAX_NAME) || "My trip", url: u.pathname + u.search, days: Number(x.days) || 1,
          stops: Array.isArray(x.stops) ? x.stops.slice(0, 100).map(function (s) { return clean(s, 200); }) : [],
          saved: clean(x.saved, 10)});
      });
      write(VISITED, v);
      write(TRIPS, t);
      renderTripsPage();
      refreshVisited();
      status.textContent = "Imported: " + plural(added, "place") + " you've been to, " + plural(t.length, "saved trip") + " in all.";
    }).catch(function () {
      status.textContent = "That file is not an export of this site (expected the JSON file “Export” makes).";
    });
  }

  function tripsPage() {
    if (!document.getElementById("trip-list")) return;
    renderTripsPage();
    var status = document.getElementById("trips-status");
    document.getElementById("export-visits").addEventListener("click", exportFile);
    document.getElementById("import-visits").addEventListener("change", function (e) { importFile(e.target.files[0], status); });
    document.querySelectorAll(".trips-tools").forEach(function (n) { n.hidden = false; });
  }

  document.querySelectorAll("[data-visited-place]").forEach(function (holder) {
    holder.insertBefore(visitedButton(holder.getAttribute("data-visited-place"), holder.getAttribute("data-visited-name")), holder.firstChild);
    holder.hidden = false;
  });
  document.querySelectorAll("form.save-trip").forEach(saveTripForm);
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });
  tripsPage();
  refreshVisited();
  showNetwork();
  window.addEventListener("online", showNetwork);
  window.addEventListener("offline", showNetwork);
  register();
})();
