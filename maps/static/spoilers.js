/* The spoiler guard of the static site (`maps freeze`), which has no server to remember the
 * setting or to filter with: the header's "I have watched up to" choice is kept in this
 * browser's localStorage and applied on every page as it loads, the way the live server's
 * filter does (maps.dataset.filters.watched_visible): a scene after the watched point is hidden,
 * one whose episode is not known is hidden until its whole season is watched, and a place left
 * with no scene is not shown (its own page says so and offers "show anyway").
 *
 * Loaded in the page's <head>, before anything is drawn: while a setting is to be applied the
 * page's main part stays invisible, so nothing beyond it is ever seen, not even for a moment.
 */
(function () {
  "use strict";

  var KEY = "maps.watched";
  var CODE = /^S(\d{1,2})E(\d{1,3})$/;
  var root = document.documentElement;

  function stored() {
    try {
      var value = localStorage.getItem(KEY) || "";
      return CODE.test(value) ? value : "";
    } catch (e) {
      return "";  // storage blocked: no setting
    }
  }

  function store(code) {
    try {
      if (code) localStorage.setItem(KEY, code); else localStorage.removeItem(KEY);
    } catch (e) { /* private mode: the choice lasts this page only */ }
  }

  var current = stored();
  if (current) root.classList.add("spoilers-pending");

  /* {season, episode, done} for a code; `done` when it is its season's last episode (the
   * choices of the header's select name every episode). */
  function parse(code, select) {
    var m = CODE.exec(code);
    if (!m) return null;
    var season = Number(m[1]), episode = Number(m[2]), last = 0;
    Array.prototype.forEach.call(select ? select.options : [], function (o) {
      var n = CODE.exec(o.value);
      if (n && Number(n[1]) === season) last = Math.max(last, Number(n[2]));
    });
    return {season: season, episode: episode, done: episode >= last};
  }

  function sceneWatched(w, season, episode) {
    if (season !== w.season) return season < w.season;
    if (!episode) return w.done;  // 0: the sources do not say
    return episode <= w.episode;
  }

  /* "1.3 1.0 2.5" (season.episode of each scene) → which are watched */
  function scenesOf(node, w) {
    return (node.getAttribute("data-scenes") || "").split(" ").filter(Boolean).map(function (pair) {
      var p = pair.split(".");
      return sceneWatched(w, Number(p[0]), Number(p[1]));
    });
  }

  function hideRows(w) {
    var hidden = 0, rows = document.querySelectorAll("tr[data-scenes]");
    Array.prototype.forEach.call(rows, function (row) {
      var seen = scenesOf(row, w);
      if (seen.indexOf(true) < 0) { row.hidden = true; hidden += 1; return; }
      var cell = row.querySelector("[data-seasons]");
      if (cell) {  // the seasons of its watched scenes only
        var labels = JSON.parse(cell.getAttribute("data-seasons"));
        var pairs = row.getAttribute("data-scenes").split(" ").filter(Boolean);
        var keep = [];
        pairs.forEach(function (pair, i) {
          var label = labels[pair.split(".")[0]];
          if (seen[i] && label && keep.indexOf(label) < 0) keep.push(label);
        });
        cell.textContent = keep.join(", ");
      }
    });
    var count = document.querySelector("[data-place-count]");
    if (count && rows.length) {
      var shown = rows.length - hidden;
      count.textContent = shown + " of " + rows.length + " place" + (rows.length === 1 ? "" : "s") +
        (hidden ? " (" + hidden + " from later episodes hidden by your spoiler setting)." : ".");
    }
  }

  function guardPlacePage(w, code) {
    var scenes = document.querySelectorAll("li[data-scene]");
    if (!scenes.length) return;
    var later = 0;
    Array.prototype.forEach.call(scenes, function (li) {
      var p = li.getAttribute("data-scene").split(".");
      if (!sceneWatched(w, Number(p[0]), Number(p[1]))) { li.hidden = true; later += 1; }
    });
    if (later) {  // a source's title may name what is hidden: its site's name only
      document.querySelectorAll("ul.sources a").forEach(function (a) { a.textContent = new URL(a.href).hostname; });
    }
    if (later < scenes.length) return;
    var main = document.getElementById("content");
    var parts = Array.prototype.slice.call(main.children);
    parts.forEach(function (node) { node.hidden = true; });
    var box = document.createElement("section");
    box.className = "spoiler-notice";
    var head = document.createElement("h1");
    head.textContent = "This place is hidden by your spoiler setting";
    var text = document.createElement("p");
    text.textContent = "Its scenes come after " + code + ", the last episode you have watched.";
    var show = document.createElement("button");
    show.type = "button";
    show.textContent = "Show anyway";
    show.addEventListener("click", function () {
      box.remove();
      parts.forEach(function (node) { node.hidden = false; });
      scenes.forEach(function (li) { li.hidden = false; });
    });
    box.appendChild(head);
    box.appendChild(text);
    box.appendChild(show);
    main.insertBefore(box, main.firstChild);
    document.title = "Hidden place · " + document.title.split(" · ").slice(1).join(" · ");
  }

  function guardMaps(w) {
    var views = window.mapsView ? window.mapsView.instances : [];
    views.forEach(function (layer) { layer.setWatched(w); });
    // The seasons control as the server draws it: later seasons left out, counts of what is shown.
    if (views.length) {
      var seasonsOf = views[0].seasonsOf;
      document.querySelectorAll(".seasons-panel label.season-choice").forEach(function (label) {
        var input = label.querySelector("input"), season = Number(input.value);
        var n = seasonsOf.filter(function (list) { return list.indexOf(season) >= 0; }).length;
        var text = label.lastChild;
        if (!n) { label.hidden = true; return; }
        if (text && text.nodeType === 3) text.textContent = text.textContent.replace(/\(\d+\)$/, "(" + n + ")");
      });
    }
    var count = document.getElementById("map-count");
    if (count && views.length) {
      var n = views[0].countShown();
      count.textContent = n + " place" + (n === 1 ? "" : "s") + " on the map";
    }
  }

  function label(control, code) {
    var summary = control.querySelector("summary");
    var long = summary.querySelector(".label-long"), short = summary.querySelector(".label-short");
    var select = control.querySelector("select");
    var option = select.querySelector("option[value='" + (code || "all") + "']");
    if (option) option.selected = true;
    long.textContent = code ? "Spoilers: up to " + (option ? option.textContent : code) + " · change"
      : "Spoilers: showing everything · set";
    short.textContent = code ? "Spoilers: up to " + code : "Spoilers: all shown";
  }

  document.addEventListener("DOMContentLoaded", function () {
    var control = document.querySelector(".spoiler-control[data-static]");
    if (!control) { root.classList.remove("spoilers-pending"); return; }
    var select = control.querySelector("select");
    control.hidden = false;
    label(control, current);
    control.querySelector("form").addEventListener("submit", function (e) {
      e.preventDefault();
      store(CODE.test(select.value) ? select.value : "");
      window.location.reload();  // every part of the page drawn again under the new setting
    });
    var w = current && parse(current, select);
    try {
      if (w) {
        hideRows(w);
        guardPlacePage(w, current);
        guardMaps(w);
      }
    } finally {
      root.classList.remove("spoilers-pending");
    }
  });
})();
