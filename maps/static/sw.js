/* The offline pack's service worker (hand-written; see docs/offline.md). The app serves it as
 * /sw.js with one line before this file: `self.OFFLINE_PACK = {...}` (maps/web/offline.py).
 *
 *  - install: every URL of the pack (the map, the list, every place page, the route planner,
 *    the fan's trips page, the data, our scripts and styles) is fetched into a new cache named
 *    after the data version; all or nothing, so a cache never mixes two versions;
 *  - activate: older packs are deleted and the open pages are told the new version (they say
 *    "Updated: N new places");
 *  - pages: the network first (a short wait), else the saved copy of this version; pages the
 *    fan visits beyond the pack (a planned trip) are kept too, at most `maxPages`;
 *  - files: the saved copy first (they belong to this version), else the network;
 *  - map tiles: only the ones the fan has viewed, the network first (its caching headers are
 *    honoured), the saved copy offline, at most `tiles.max`; never fetched ahead.
 */
"use strict";

var CONFIG = self.OFFLINE_PACK;
var CACHE = CONFIG.cache;
var PAGE_WAIT_MS = 4000;
var PARALLEL = 4;
var WATCHED = /^S\d{1,2}E\d{1,3}$/;
var MAX_KEEP = 60;

function scoped(url) {
  return url.origin === self.location.origin && url.pathname.indexOf(CONFIG.scope) === 0;
}

/* Fetch `urls` into a new cache, all or nothing. A page made from another data version than
 * this worker's (the file changed meanwhile) fails the whole install: the old pack stays. */
function fill(name, urls) {
  var responses = new Array(urls.length), next = 0;
  function worker() {
    if (next >= urls.length) return Promise.resolve();
    var i = next++;
    return fetch(new Request(urls[i], {credentials: "omit", cache: "no-cache"})).then(function (res) {
      var version = res.headers.get("X-Data-Version");
      if (!res.ok || res.redirected || (version && version !== CONFIG.data)) {
        throw new Error("offline pack: " + urls[i] + " answered " + res.status + (version ? " (data " + version + ")" : ""));
      }
      responses[i] = res;
      return worker();
    });
  }
  var workers = [];
  for (var k = 0; k < PARALLEL; k++) workers.push(worker());
  return Promise.all(workers).then(function () {
    return caches.open(name);
  }).then(function (cache) {
    return Promise.all(urls.map(function (url, i) { return cache.put(url, responses[i]); }));
  }).catch(function (err) {
    return caches.delete(name).then(function () { throw err; });
  });
}

self.addEventListener("install", function (event) {
  event.waitUntil(fill(CACHE, CONFIG.pack).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) {
      return n.indexOf(CONFIG.prefix) === 0 && n !== CACHE;
    }).map(function (n) { return caches.delete(n); }));
  }).then(function () {
    return self.clients.claim();
  }).then(function () {
    return self.clients.matchAll({type: "window"});
  }).then(function (clients) {
    clients.forEach(function (client) { client.postMessage(versionMessage()); });
  }));
});

function versionMessage() {
  return {type: "maps-offline-version", data: CONFIG.data, ids: CONFIG.ids, cache: CACHE};
}

/* Keep at most `max` entries beyond the `fixed` ones (the oldest go first). */
function trim(cache, max, fixed) {
  return cache.keys().then(function (keys) {
    var extra = keys.filter(function (req) { return !fixed[req.url]; });
    var drop = extra.slice(0, Math.max(0, extra.length - max));
    return Promise.all(drop.map(function (req) { return cache.delete(req); }));
  });
}

var PACKED = null;
function packed() {
  if (!PACKED) {
    PACKED = {};
    CONFIG.pack.forEach(function (url) { PACKED[new URL(url, self.location.href).href] = true; });
  }
  return PACKED;
}

function withTimeout(promise, ms) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () { reject(new Error("timeout")); }, ms);
    promise.then(function (v) { clearTimeout(timer); resolve(v); }, function (e) { clearTimeout(timer); reject(e); });
  });
}

function keepPage(request, response) {
  var type = response.headers.get("Content-Type") || "";
  if (!response.ok || response.redirected || type.indexOf("text/html") !== 0) return Promise.resolve();
  if (response.headers.get("X-Data-Version") !== CONFIG.data) return Promise.resolve();
  return caches.open(CACHE).then(function (cache) {
    return cache.put(request.url, response).then(function () { return trim(cache, CONFIG.maxPages, packed()); });
  });
}

function offlinePage() {
  var body = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">" +
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Offline</title></head>" +
    "<body><main><h1>You are offline</h1><p>This page was not saved on this device. The map, the list, " +
    "every place and your saved trips work offline:</p><ul><li><a href=\"" + CONFIG.scope + "\">Map</a></li>" +
    "<li><a href=\"" + CONFIG.scope + "locations\">Places</a></li><li><a href=\"" + CONFIG.scope +
    "trips\">My trips</a></li></ul></main></body></html>";
  return new Response(body, {status: 503, headers: {"Content-Type": "text/html; charset=utf-8",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'"}});
}

/* The fan's spoiler setting, as the pages last said it (kept across data versions). Offline, a
 * page asked for without it goes to the same page with it: the saved copy without `watched`
 * shows everything (online, the server's redirect does the same from its cookie). */
var SETTINGS = "maps-settings";
function watchedSetting() {
  return caches.open(SETTINGS).then(function (cache) { return cache.match(CONFIG.scope + "offline-watched"); })
    .then(function (hit) { return hit ? hit.text() : ""; }).catch(function () { return ""; });
}
function rememberWatched(code) {
  return caches.open(SETTINGS).then(function (cache) {
    var key = CONFIG.scope + "offline-watched";
    return code ? cache.put(key, new Response(code)) : cache.delete(key);
  });
}

function page(event) {
  var request = event.request;
  var network = fetch(request);
  return withTimeout(network, PAGE_WAIT_MS).then(function (response) {
    event.waitUntil(keepPage(request, response.clone()).catch(function () {}));
    return response;
  }).catch(function () {
    return watchedSetting().then(function (code) {
      var url = new URL(request.url);
      if (code && WATCHED.test(code) && !url.searchParams.has("watched")) {
        url.searchParams.set("watched", code);
        return Response.redirect(url.href, 302);
      }
      return saved(request, network);
    });
  });
}

/* The saved copy of a page: this address, else the same page without its query (`/?place=ID`,
 * a sort order), unless the query carries a spoiler setting; else the offline page. */
function saved(request, network) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request.url).then(function (hit) {
      if (hit || new URL(request.url).searchParams.has("watched")) return hit;
      return cache.match(request.url, {ignoreSearch: true});
    });
  }).then(function (hit) {
    return hit || network.catch(function () { return offlinePage(); });
  });
}

function file(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request.url).then(function (hit) {
      return hit || fetch(request);
    });
  });
}

function tileHost(url) {
  return CONFIG.tiles.hosts.some(function (host) {
    if (host.indexOf("*.") >= 0) {
      var parts = host.split("*.");
      return url.origin.indexOf(parts[0]) === 0 && url.host.slice(-parts[1].length) === parts[1];
    }
    return url.origin === host;
  });
}

var tilePuts = 0;
function tile(request) {
  // A CORS request, so the response can be read and kept at its real size (an opaque one
  // counts as megabytes against the quota); a host without CORS is passed through, not kept.
  var url = request.url;
  return fetch(url, {mode: "cors", credentials: "omit"}).then(function (res) {
    if (res.ok) {
      var copy = res.clone();
      caches.open(CONFIG.tiles.cache).then(function (cache) {
        return cache.put(url, copy).then(function () {
          if (++tilePuts % 10 === 1) return trim(cache, CONFIG.tiles.max, {});
        });
      }).catch(function () {});
    }
    return res;
  }).catch(function () {
    return caches.open(CONFIG.tiles.cache).then(function (cache) { return cache.match(url); }).then(function (hit) {
      return hit || fetch(request);
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (scoped(url)) {
    if (request.mode === "navigate") { event.respondWith(page(event)); return; }
    if (url.pathname === CONFIG.scope + "sw.js") return;
    event.respondWith(file(request));
    return;
  }
  if (CONFIG.tiles.mode === "viewed" && tileHost(url)) event.respondWith(tile(request));
});

/* Messages from the pages (offline.js):
 *  - hello: answer with this worker's data version and place ids;
 *  - keep: save these pages of ours too (the fan's saved trips), at most MAX_KEEP, online only;
 *  - watched: remember the spoiler setting (`?watched=S1E4`, or none) and save the pack's pages
 *    for it. */
self.addEventListener("message", function (event) {
  var msg = event.data || {};
  if (msg.type === "hello" && event.source) {
    event.source.postMessage(versionMessage());
  } else if (msg.type === "keep" && Array.isArray(msg.urls)) {
    var urls = msg.urls.slice(0, MAX_KEEP).map(function (u) {
      try { return new URL(String(u), self.location.href); } catch (e) { return null; }
    }).filter(function (u) { return u && scoped(u) && u.pathname !== CONFIG.scope + "sw.js"; });
    event.waitUntil(keepMissing(urls.map(function (u) { return u.href; })));
  } else if (msg.type === "watched" && !msg.code) {
    event.waitUntil(rememberWatched(""));
  } else if (msg.type === "watched" && WATCHED.test(String(msg.code || ""))) {
    event.waitUntil(rememberWatched(msg.code));
    var pages = CONFIG.pack.filter(function (u) { return !/\/static\/|\.[a-z]+$/.test(u); });
    event.waitUntil(keepMissing(pages.map(function (u) {
      var url = new URL(u, self.location.href);
      url.searchParams.set("watched", msg.code);
      return url.href;
    })));
  }
});

function keepMissing(urls) {
  return caches.open(CACHE).then(function (cache) {
    return Promise.all(urls.map(function (url) { return cache.match(url); })).then(function (hits) {
      var missing = urls.filter(function (url, i) { return !hits[i]; });
      return missing.reduce(function (chain, url) {
        return chain.then(function () {
          return fetch(new Request(url, {credentials: "omit"})).then(function (res) {
            var version = res.headers.get("X-Data-Version");
            if (res.ok && !res.redirected && version === CONFIG.data) return cache.put(url, res);
          }).catch(function () {});
        });
      }, Promise.resolve());
    });
  });
}
