// The tracker's service worker, served as /sw.js (tracker/offline/views.py writes CONFIG in:
// this deployment's version, the static files the cached pages load, and the URLs below).
//
// Two caches, both named with the version, so a new deployment starts with new ones and
// deletes the old ones when it activates (a stale form never outlives its deployment):
// - "static": scripts, styles, icons and the map's outlines, kept at install;
// - "user": the signed-in user's pages (new-incident form, home, recent incidents, outbox) and
//   the reference lists, refreshed when a page asks ("refresh" message) and deleted when a page
//   says the user signed out ("clear" message). An entry "/__owner__" says whose they are.
// Pages are fetched from the network first; the cached copy is used only when that fails.
// The worker never caches anything else, and never touches writes (they go to the network).
/* eslint-env serviceworker */
"use strict";
var CONFIG = "__CONFIG__";
var PREFIX = "wct-";
var STATIC_CACHE = PREFIX + "static-" + CONFIG.version;
var USER_CACHE = PREFIX + "user-" + CONFIG.version;
var OWNER_KEY = "/__owner__";

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(STATIC_CACHE).then(function (cache) {
    return cache.addAll(CONFIG.static);
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf(PREFIX) === 0 && name !== STATIC_CACHE && name !== USER_CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function clearUser() {
  return caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name.indexOf(PREFIX + "user-") === 0; })
      .map(function (name) { return caches.delete(name); }));
  });
}

// Background requests say so, and the server then leaves the session cookie alone: an answer
// that arrives after the user switched the language must not put the old session back.
var BACKGROUND = {"X-Background-Refresh": "1"};

// Fetch the user's state, then every page and list it names; keep only complete answers.
function refresh() {
  return fetch(CONFIG.state, {credentials: "same-origin", cache: "no-store", headers: BACKGROUND}).then(function (response) {
    if (response.status === 401) return clearUser().then(function () { return {ok: false, status: 401}; });
    if (!response.ok) return {ok: false, status: response.status};
    return response.json().then(function (state) {
      return caches.open(USER_CACHE).then(function (cache) {
        return cache.match(OWNER_KEY).then(function (owner) { return owner ? owner.text() : null; })
          .then(function (ownerId) {
            if (ownerId !== null && ownerId !== String(state.user)) {
              return clearUser().then(function () { return caches.open(USER_CACHE); });
            }
            return cache;
          });
      }).then(function (cache) {
        var urls = state.pages.concat(state.data);
        return cache.put(OWNER_KEY, new Response(String(state.user))).then(function () {
          return Promise.all(urls.map(function (url) {
            return fetch(url, {credentials: "same-origin", cache: "no-store", headers: BACKGROUND}).then(function (answer) {
              if (answer.ok && !answer.redirected) return cache.put(url, answer);
              return null;
            }).catch(function () { return null; });
          }));
        }).then(function () { return {ok: true, cached: urls.length}; });
      });
    });
  }).catch(function () { return {ok: false, status: 0}; });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  var port = event.ports && event.ports[0];
  var reply = function (result) { if (port) port.postMessage(result); };
  if (data.type === "refresh") event.waitUntil(refresh().then(reply));
  else if (data.type === "clear") event.waitUntil(clearUser().then(function () { reply({ok: true}); }));
});

function fromCache(request, options) {
  return caches.open(USER_CACHE).then(function (cache) { return cache.match(request, options); });
}

function page(request) {
  return fetch(request).catch(function () {
    var url = new URL(request.url);
    var sameForm = url.pathname === CONFIG.create;  // ?outbox=… opens a kept entry in the form
    return fromCache(request, {ignoreSearch: sameForm}).then(function (cached) {
      return cached || fromCache(CONFIG.outbox);
    }).then(function (cached) {
      return cached || new Response("", {status: 503, statusText: "Offline"});
    });
  });
}

function staticFile(request) {
  return caches.open(STATIC_CACHE).then(function (cache) {
    return cache.match(request).then(function (cached) { return cached || fetch(request); });
  });
}

function referenceList(request) {
  return fetch(request).catch(function () {
    return fromCache(request).then(function (cached) {
      return cached || new Response("", {status: 503, statusText: "Offline"});
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") event.respondWith(page(request));
  else if (url.pathname.indexOf("/static/") === 0) event.respondWith(staticFile(request));
  else if (url.pathname.indexOf("/api/v1/reference/") === 0) event.respondWith(referenceList(request));
});
