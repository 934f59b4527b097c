// Offline field entry, on every page (the server's facts and words come from the JSON island
// #offline-config, tracker/offline/client.py):
// - registers the service worker (/sw.js) and asks it to keep this user's pages;
// - the outbox: incidents saved with no signal live in IndexedDB (photos as Blobs) under the
//   signed-in user's id, with the client_uuid that makes every retry safe (the API records an
//   incident once per UUID and skips files it already has);
// - sends them through the JSON API on page load, the `online` event, a timer and "Send now";
//   an entry is deleted only after the server confirmed the incident and its files;
// - shows "Saved on this phone, N waiting to send" on every page, and the queue on /offline/outbox;
// - warns before signing out with a waiting entry; clears the kept pages once signed out.
(function () {
  "use strict";
  var island = document.getElementById("offline-config");
  if (!island) return;
  var config = JSON.parse(island.textContent);
  var CACHE_PREFIX = "wct-user-";
  var DB_NAME = "wct-offline", STORE = "outbox";
  var RETRY_MS = 60000, REFRESH_MS = 5 * 60000;

  if (!config.user) {  // signed out (or never signed in): nothing of a user's pages may stay
    if (window.caches) {
      caches.keys().then(function (names) {
        names.filter(function (n) { return n.indexOf(CACHE_PREFIX) === 0; }).forEach(function (n) { caches.delete(n); });
      });
    }
    return;
  }
  if (!config.recorder || !window.indexedDB) return;
  var msg = config.messages;
  var state = {sending: false, signIn: false, unreachable: false, justSent: false};

  // --- words ------------------------------------------------------------------------------
  function fill(template, values) {
    return (template || "").replace(/%\((\w+)\)s/g, function (match, key) {
      return key in values ? values[key] : match;
    });
  }

  function plural(forms, count) {
    var category = "other";
    try { category = new Intl.PluralRules(config.lang).select(count); } catch (e) { /* old browser */ }
    return fill(forms[category] || forms.other || forms.one, {num: String(count)});
  }

  function size(bytes) {
    var units = msg.sizeUnits, n = bytes, i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i += 1; }
    var digits = i === 0 || n >= 10 ? 0 : 1;
    return new Intl.NumberFormat(config.lang, {maximumFractionDigits: digits}).format(n) + " " + units[i];
  }

  function make(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  // --- IndexedDB --------------------------------------------------------------------------
  var dbPromise = null;

  function openDb() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () {
          var store = request.result.createObjectStore(STORE, {keyPath: "id"});
          store.createIndex("owner", "owner");
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return dbPromise;
  }

  function run(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode), result;
        var request = work(tx.objectStore(STORE));
        if (request) request.onsuccess = function () { result = request.result; };
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  // Only this user's entries: another user's queue on the same phone is never read here.
  function entries() {
    return run("readonly", function (store) { return store.index("owner").getAll(config.user); })
      .then(function (list) { return (list || []).sort(function (a, b) { return a.created - b.created; }); });
  }

  function getEntry(id) {
    return run("readonly", function (store) { return store.get(id); }).then(function (entry) {
      return entry && entry.owner === config.user ? entry : null;
    });
  }

  function putEntry(entry) { return run("readwrite", function (store) { return store.put(entry); }); }

  function deleteEntry(id) { return run("readwrite", function (store) { return store.delete(id); }); }

  function entryBytes(entry) {
    return JSON.stringify(entry.body).length + entry.files.reduce(function (sum, f) { return sum + f.size; }, 0);
  }

  function newUuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // --- storage ----------------------------------------------------------------------------
  function estimate() {
    if (navigator.storage && navigator.storage.estimate) return navigator.storage.estimate();
    return Promise.resolve({usage: 0, quota: Infinity});
  }

  function askToPersist() {
    if (navigator.storage && navigator.storage.persist) {
      return navigator.storage.persisted().then(function (yes) { return yes || navigator.storage.persist(); });
    }
    return Promise.resolve(false);
  }

  // --- the server -------------------------------------------------------------------------
  function fetchState() {
    return fetch(config.state, {credentials: "same-origin", cache: "no-store", headers: {Accept: "application/json", "X-Background-Refresh": "1"}})
      .then(function (response) {
        if (!response.ok) return {status: response.status};
        return response.json().then(function (data) { return {status: 200, data: data}; });
      }).catch(function () { return {status: 0}; });
  }

  function answerOf(response) {
    return response.json().catch(function () { return {}; }).then(function (body) {
      return {status: response.status, body: body};
    });
  }

  function post(url, body, token, json) {
    // The outbox sends in the background: its answers must not rewrite the session cookie.
    var headers = {"X-CSRFToken": token, "Accept": "application/json", "Accept-Language": config.lang,
                   "X-Background-Refresh": "1"};
    if (json) headers["Content-Type"] = "application/json";
    return fetch(url, {method: "POST", credentials: "same-origin", headers: headers,
                       body: json ? JSON.stringify(body) : body})
      .then(answerOf, function () { return {status: 0, body: {}}; });
  }

  function messagesOf(body) {
    var errors = body.errors || {};
    var list = [];
    Object.keys(errors).forEach(function (key) { list = list.concat(errors[key]); });
    return list.length ? list.join(" ") : (body.message || "");
  }

  // One entry: the incident (skipped when an earlier attempt already has its reference), then
  // its files. Returns "next" to go on with the queue, "stop" to try again later.
  function sendEntry(entry, token) {
    if (entry.formVersion !== config.formVersion) {
      entry.state = "needs_fix";
      entry.errors = {"": [msg.olderForm]};
      return putEntry(entry).then(function () { return "next"; });
    }
    entry.state = "sending";
    entry.attempts = (entry.attempts || 0) + 1;
    var later = function (result) {
      entry.state = "waiting";
      if (result.status === 401) state.signIn = true;
      else state.unreachable = true;
      return putEntry(entry).then(function () { return "stop"; });
    };
    var settle = function (stateName, text, errors) {
      entry.state = stateName;
      entry.message = text;
      entry.errors = errors || {};
      return putEntry(entry).then(function () { return "next"; });
    };
    return putEntry(entry).then(function () {
      if (entry.ref) return {status: 200, body: {ref: entry.ref}};
      return post(config.api, entry.body, token, true);
    }).then(function (result) {
      if (result.status === 200 || result.status === 201) {
        entry.ref = result.body.ref;
        return putEntry(entry).then(function () { return sendFiles(entry, token); });
      }
      if (result.status === 422 || (result.status === 400 && result.body.code !== "csrf_failed")) {
        return settle("needs_fix", msg.draftBack, result.body.errors || {"": [result.body.message || ""]});
      }
      if (result.status === 409) return settle("conflict", msg.conflict);
      if (result.status === 403) return settle("refused", result.body.message || "");
      return later(result);
    });
  }

  function sendFiles(entry, token) {
    if (!entry.files.length) return deleteEntry(entry.id).then(function () { return "next"; });
    var data = new FormData();
    entry.files.forEach(function (file) { data.append("files", file.blob, file.name); });
    return post(config.api + "/" + encodeURIComponent(entry.ref) + "/evidence", data, token, false)
      .then(function (result) {
        if (result.status === 200 || result.status === 201) {
          return deleteEntry(entry.id).then(function () { return "next"; });
        }
        if (result.status === 422 || result.status === 413 || result.status === 403) {
          entry.state = "refused";
          entry.message = messagesOf(result.body);
          return putEntry(entry).then(function () { return "next"; });
        }
        entry.state = "waiting";
        if (result.status === 401) state.signIn = true;
        else state.unreachable = true;
        return putEntry(entry).then(function () { return "stop"; });
      });
  }

  function withLock(work) {
    if (navigator.locks && navigator.locks.request) return navigator.locks.request("wct-outbox-send", work);
    return work();
  }

  // Send what waits, one at a time. Entries left "sending" by a killed page are sent again: the
  // UUID makes the server answer with the incident it already has.
  function sendAll() {
    if (state.sending) return Promise.resolve();
    state.sending = true;
    render();
    return withLock(function () {
      return entries().then(function (list) {
        var ready = list.filter(function (e) { return e.state === "waiting" || e.state === "sending"; });
        if (!ready.length) return null;
        return fetchState().then(function (answer) {
          state.signIn = answer.status === 401;
          state.unreachable = answer.status !== 200 && answer.status !== 401;
          if (answer.status !== 200 || answer.data.user !== config.user) return null;
          var chain = Promise.resolve("next");
          ready.forEach(function (entry) {
            chain = chain.then(function (go) { return go === "next" ? sendEntry(entry, answer.data.csrf_token) : go; });
          });
          return chain.then(function () { state.justSent = true; });
        });
      });
    }).catch(function () { state.unreachable = true; }).then(function () {
      state.sending = false;
      return render();
    });
  }

  // --- what the page shows ----------------------------------------------------------------
  var banner = document.querySelector("[data-outbox-status]");

  function render() {
    return entries().then(function (list) {
      renderBanner(list);
      renderQueue(list);
      return list;
    });
  }

  function renderBanner(list) {
    if (!banner) return;
    var text = banner.querySelector("[data-outbox-text]"), note = banner.querySelector("[data-outbox-note]");
    var send = banner.querySelector("[data-outbox-send]");
    var cached = !navigator.onLine;
    if (!list.length && !cached) {
      banner.hidden = !state.justSent;
      text.textContent = state.justSent ? msg.allSent : "";
      note.hidden = true;
      send.hidden = true;
      return;
    }
    banner.hidden = false;
    banner.classList.toggle("is-offline", cached);
    text.textContent = list.length ? plural(msg.waiting, list.length) : msg.cachedCopy;
    var notes = [];
    if (state.sending) notes.push(msg.sending);
    if (list.some(function (e) { return e.state === "needs_fix" || e.state === "refused" || e.state === "conflict"; })) {
      notes.push(msg.needsFix);
    }
    if (state.signIn) notes.push(msg.signIn);
    else if (list.length && (cached || state.unreachable)) notes.push(msg.noConnection);
    if (list.length && cached) notes.push(msg.cachedCopy);
    note.textContent = notes.join(" ");
    note.hidden = !notes.length;
    var signInLink = banner.querySelector("[data-outbox-signin]");
    if (state.signIn && !signInLink) {
      signInLink = make("a", "", msg.signInLink);
      signInLink.href = config.login + "?next=" + encodeURIComponent(location.pathname);
      signInLink.setAttribute("data-outbox-signin", "");
      banner.querySelector(".outbox-status-actions").append(signInLink);
    } else if (!state.signIn && signInLink) {
      signInLink.remove();
    }
    send.hidden = !list.length;
    send.disabled = state.sending;
  }

  var queue = document.querySelector("[data-outbox-list]");
  var STATE_LABELS = {waiting: "stateWaiting", sending: "stateSending", needs_fix: "stateNeedsFix",
                      refused: "stateRefused", conflict: "stateConflict"};

  function renderQueue(list) {
    if (!queue) return;
    queue.textContent = "";
    if (!list.length) queue.append(make("p", "muted", msg.empty));
    list.forEach(function (entry) {
      var card = make("article", "outbox-entry outbox-" + entry.state);
      card.setAttribute("data-outbox-entry", entry.id);
      var head = make("div", "outbox-entry-head");
      head.append(make("strong", "", entry.label || msg.noCategory),
                  make("span", "badge", msg[STATE_LABELS[entry.state]] || entry.state));
      card.append(head);
      var facts = [entry.when || msg.noTime, entry.body.status === "draft" ? msg.asDraft : msg.asSubmitted];
      if (entry.files.length) facts.push(plural(msg.photos, entry.files.length));
      facts.push(size(entryBytes(entry)));
      card.append(make("p", "muted", facts.join(" · ")));
      var problems = [];
      if (entry.message) problems.push(entry.message);
      Object.keys(entry.errors || {}).forEach(function (key) { problems = problems.concat(entry.errors[key]); });
      if (problems.length) {
        var problem = make("p", "field-error", problems.join(" "));
        problem.setAttribute("role", "alert");
        card.append(problem);
      }
      var actions = make("div", "outbox-entry-actions");
      if (entry.state === "needs_fix" || entry.state === "waiting") {
        var correct = make("a", "", msg.correct);
        correct.href = config.create + "?outbox=" + encodeURIComponent(entry.id);
        correct.setAttribute("role", "button");
        correct.className = entry.state === "needs_fix" ? "" : "secondary outline";
        actions.append(correct);
      }
      if (entry.state !== "sending") {
        var remove = make("button", "secondary outline", msg.removeEntry);
        remove.type = "button";
        remove.addEventListener("click", function () {
          if (window.confirm(msg.confirmRemove)) deleteEntry(entry.id).then(render);
        });
        actions.append(remove);
      }
      card.append(actions);
      queue.append(card);
    });
    var usage = document.querySelector("[data-outbox-usage]");
    var persist = document.querySelector("[data-outbox-persist]");
    var used = list.reduce(function (sum, e) { return sum + entryBytes(e); }, 0);
    estimate().then(function (space) {
      if (usage) usage.textContent = fill(msg.usage, {used: size(used), quota: space.quota === Infinity ? "?" : size(space.quota)});
    });
    if (persist && navigator.storage && navigator.storage.persisted) {
      navigator.storage.persisted().then(function (yes) { persist.textContent = yes ? msg.persisted : msg.notPersisted; });
    }
  }

  // --- the incident form --------------------------------------------------------------------
  var form = document.querySelector("form[data-incident-form]");
  var isNewForm = form && new URL(form.action, location.href).pathname === config.create;
  var kept = [];  // files chosen in this form: {name, type, size, blob}
  var editing = null;  // the outbox entry opened with ?outbox=…
  var SKIPPED = ["csrf_token", "client_uuid", "version", "occurred_offset", "occurred_fold", "files",
                 "pending_evidence", "add_item", "save_draft", "submit", "remove_item"];
  var INTEGERS = /^(place|suspects|arrests|items-\d+-(product|species))$/;

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  // The UTC offset of the user's zone at a wall-clock time, as the server reads the form.
  function zoneOffset(utcMs) {
    var parts = {};
    new Intl.DateTimeFormat("en-US", {timeZone: config.zone, hourCycle: "h23", year: "numeric", month: "2-digit",
                                      day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit"})
      .formatToParts(new Date(utcMs)).forEach(function (p) { parts[p.type] = p.value; });
    var asUtc = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour % 24, +parts.minute, +parts.second);
    return Math.round((asUtc - utcMs) / 60000);
  }

  function instant(wall) {
    var m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::(\d\d))?$/.exec(wall);
    if (!m) return wall;  // the server explains what is wrong with it
    var naive = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] || 0));
    var offset = zoneOffset(naive - zoneOffset(naive) * 60000);
    var sign = offset < 0 ? "-" : "+", abs = Math.abs(offset);
    return m[1] + "-" + m[2] + "-" + m[3] + "T" + m[4] + ":" + m[5] + ":" + (m[6] || "00") +
      sign + pad(Math.floor(abs / 60)) + ":" + pad(abs % 60);
  }

  function fieldValues() {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || SKIPPED.indexOf(el.name) >= 0 || el.type === "file" || el.type === "submit") return;
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) return;
      values[el.name] = el.value;
    });
    return values;
  }

  // The API's body from the form's values: the same names, ids as numbers, items as a list.
  function apiBody(values, status, uuid) {
    var body = {client_uuid: uuid, status: status}, items = [];
    Object.keys(values).forEach(function (name) {
      var value = values[name], item = /^items-(\d+)-(\w+)$/.exec(name);
      var typed = value;
      if (INTEGERS.test(name)) typed = value === "" ? null : (/^\d+$/.test(value) ? Number(value) : value);
      else if (name === "lat" || name === "lon") {
        typed = value.trim() === "" ? null : (/^[-+]?\d+([.,]\d+)?$/.test(value.trim()) ? Number(value.trim().replace(",", ".")) : value);
      } else if (name === "country" || name === "currency" || (item && item[2] === "quantity")) {
        typed = value === "" ? null : value;
      }
      if (item) {
        items[+item[1]] = items[+item[1]] || {};
        items[+item[1]][item[2]] = typed;
      } else if (name === "occurred_at") {
        if (value) body.occurred_at = instant(value);
      } else {
        body[name] = typed;
      }
    });
    body.items = items.filter(Boolean);
    return body;
  }

  function selectedText(id) {
    var el = document.getElementById(id);
    return el && el.value && el.selectedOptions[0] ? el.selectedOptions[0].textContent.trim() : "";
  }

  function saveToOutbox(submitter) {
    var values = fieldValues();
    var status = submitter && submitter.name === "save_draft" ? "draft" : "submitted";
    var entry = editing || {id: newUuid(), owner: config.user, created: Date.now(), attempts: 0};
    if (!entry.client_uuid || entry.state === "conflict") entry.client_uuid = newUuid();
    entry.values = values;
    entry.body = apiBody(values, status, entry.client_uuid);
    entry.files = kept.slice();
    entry.label = selectedText("category");
    entry.when = (values.occurred_at || "").replace("T", " ");
    entry.state = "waiting";
    entry.errors = {};
    entry.message = "";
    entry.formVersion = config.formVersion;
    return putEntry(entry).then(askToPersist).then(function () {
      sessionStorage.setItem("wct-saved", editing ? msg.savedDraft : msg.savedHere);
      location.href = editing ? config.outbox : config.create;
    });
  }

  // Online: the form posts as always, with a fresh CSRF token (the page may be the kept copy).
  // No connection, a dead one, or an ended session: the incident goes into the outbox.
  var bypass = false;

  function onSubmit(event) {
    var submitter = event.submitter;
    if (bypass || !submitter || ["save_draft", "submit"].indexOf(submitter.name) < 0) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    var toOutbox = function () { return saveToOutbox(submitter); };
    if (editing || !navigator.onLine) { toOutbox(); return; }
    var timeout = new Promise(function (resolve) { setTimeout(function () { resolve({status: 0}); }, 8000); });
    Promise.race([fetchState(), timeout]).then(function (answer) {
      if (answer.status !== 200 || answer.data.user !== config.user) {
        if (answer.status === 401) state.signIn = true;
        return toOutbox();
      }
      var token = form.querySelector("input[name=csrf_token]");
      if (token) token.value = answer.data.csrf_token;
      bypass = true;
      form.requestSubmit(submitter);
      bypass = false;
    });
  }

  function keptChip(file, list) {
    var chip = make("div", "evidence-chip is-kept");
    var thumb = make("span", "evidence-chip-thumb");
    if (/^image\//.test(file.type)) {
      thumb = make("img", "evidence-chip-thumb");
      thumb.src = URL.createObjectURL(file.blob);
      thumb.alt = "";
    }
    var body = make("div", "evidence-chip-body");
    body.append(make("span", "evidence-chip-name", file.name), make("span", "evidence-chip-status",
      msg.keptFile + " (" + size(file.size) + ")"));
    var remove = make("button", "evidence-chip-remove secondary outline", msg.remove);
    remove.type = "button";
    remove.addEventListener("click", function () {
      kept.splice(kept.indexOf(file), 1);
      chip.remove();
    });
    chip.append(thumb, body, remove);
    list.append(chip);
  }

  function refusedChip(text, list) {
    var chip = make("div", "evidence-chip is-error");
    var status = make("span", "evidence-chip-status", text);
    status.setAttribute("role", "alert");
    chip.append(status);
    list.append(chip);
  }

  function chipList(input) {
    var list = form.querySelector("[data-pending-list]");
    list.classList.add("evidence-chips");
    return list;
  }

  // Files are kept in memory as chosen; with no connection this script takes them over (the
  // page's own uploader would fail), checks that they fit, and shows them as kept.
  function onFiles(event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file]") || !form.contains(input)) return;
    var files = Array.prototype.slice.call(input.files || []);
    var offline = !navigator.onLine || editing;
    if (offline) {
      event.stopImmediatePropagation();
      input.value = "";
    }
    var list = chipList(input);
    estimate().then(function (space) {
      var free = space.quota - space.usage - kept.reduce(function (s, f) { return s + f.size; }, 0);
      files.forEach(function (file) {
        var item = {name: file.name, type: file.type, size: file.size, blob: file};
        if (file.size > config.maxBytes) {
          if (offline) refusedChip(fill(msg.tooLarge, {name: file.name}), list);
          return;
        }
        if (file.size * 1.1 > free) {  // with a margin: IndexedDB stores a little more than the file
          refusedChip(fill(msg.doesNotFit, {name: file.name, free: size(Math.max(free, 0))}), list);
          return;
        }
        free -= file.size;
        kept.push(item);
        if (offline) keptChip(item, list);
      });
    });
  }

  // "Remove" on a chip of the page's uploader: the kept copy goes too.
  function onChipRemove(event) {
    var button = event.target.closest && event.target.closest(".evidence-chip-remove");
    if (!button) return;
    var chip = button.closest(".evidence-chip");
    if (chip.classList.contains("is-kept")) return;
    var name = chip.querySelector(".evidence-chip-name");
    var index = kept.findIndex(function (f) { return name && f.name === name.textContent; });
    if (index >= 0) kept.splice(index, 1);
  }

  function setRows(count) {
    var add = form.querySelector("[data-add-item]");
    while (form.querySelectorAll("[data-item-row]").length < count && add) add.click();
  }

  // An entry opened from the outbox: its values back in the form, the server's messages next
  // to the fields they are about, its files as kept chips.
  function restore(entry) {
    editing = entry;
    var rows = Object.keys(entry.values).reduce(function (most, name) {
      var m = /^items-(\d+)-/.exec(name);
      return m ? Math.max(most, +m[1] + 1) : most;
    }, 1);
    setRows(rows);
    Object.keys(entry.values).forEach(function (name) {
      var el = form.elements.namedItem(name);
      if (el && el.type !== "file") el.value = entry.values[name];
    });
    var list = chipList();
    entry.files.forEach(function (file) { kept.push(file); keptChip(file, list); });
    var general = [];
    Object.keys(entry.errors || {}).forEach(function (key) {
      var name = key.replace(/^items\.(\d+)\./, "items-$1-");
      var el = name ? document.getElementById(name) : null;
      if (!el) { general = general.concat(entry.errors[key]); return; }
      var small = make("small", "field-error", entry.errors[key].join(" "));
      small.id = name + "-error";
      small.setAttribute("role", "alert");
      el.setAttribute("aria-invalid", "true");
      el.setAttribute("aria-describedby", ((el.getAttribute("aria-describedby") || "") + " " + small.id).trim());
      el.insertAdjacentElement("afterend", small);
    });
    if (entry.state === "needs_fix" || general.length) {
      var top = make("p", "flash flash-error", [msg.draftBack].concat(general).join(" "));
      top.setAttribute("role", "alert");
      form.insertAdjacentElement("beforebegin", top);
    }
  }

  if (isNewForm) {
    form.addEventListener("submit", onSubmit, true);
    document.addEventListener("change", onFiles, true);
    form.addEventListener("click", onChipRemove, true);
    var asked = new URLSearchParams(location.search).get("outbox");
    if (asked) getEntry(asked).then(function (entry) { if (entry) restore(entry); });
  }

  // --- signing out ---------------------------------------------------------------------------
  var confirmedSignOut = false;

  function warnBeforeSignOut(event) {
    var target = event.target;
    if (confirmedSignOut || !target.matches || !target.matches("form[action$='/logout']")) return;
    event.preventDefault();
    entries().then(function (list) {
      if (!list.length) return signOut(target);
      var dialog = make("dialog", "outbox-dialog");
      dialog.setAttribute("aria-labelledby", "outbox-dialog-title");
      var article = make("article");
      var title = make("h2", "", msg.signOutTitle);
      title.id = "outbox-dialog-title";
      var stay = make("button", "", msg.staySignedIn);
      stay.type = "button";
      stay.addEventListener("click", function () { dialog.close(); dialog.remove(); });
      var leave = make("button", "secondary outline", msg.signOutAnyway);
      leave.type = "button";
      leave.setAttribute("data-sign-out-anyway", "");
      leave.addEventListener("click", function () { signOut(target); });
      var actions = make("footer", "outbox-dialog-actions");
      actions.append(stay, leave);
      article.append(title, make("p", "", plural(msg.signOutWarning, list.length)), actions);
      dialog.append(article);
      document.body.append(dialog);
      dialog.showModal();
      stay.focus();
    });
  }

  function signOut(logoutForm) {
    confirmedSignOut = true;
    var clear = navigator.serviceWorker && navigator.serviceWorker.controller
      ? message({type: "clear"}) : Promise.resolve();
    Promise.race([clear, new Promise(function (r) { setTimeout(r, 1000); })]).then(function () { logoutForm.submit(); });
  }

  document.addEventListener("submit", warnBeforeSignOut, true);

  // --- the worker ------------------------------------------------------------------------------
  function message(data) {
    return navigator.serviceWorker.ready.then(function (registration) {
      return new Promise(function (resolve) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function (event) { resolve(event.data); };
        registration.active.postMessage(data, [channel.port2]);
      });
    });
  }

  // Ask the worker to keep this user's pages: after each deployment, then every few minutes.
  function keepPages(force) {
    var key = "wct-kept-" + config.user + "-" + config.version;
    var last = Number(localStorage.getItem(key) || 0);
    if (!force && Date.now() - last < REFRESH_MS) return Promise.resolve({ok: true, skipped: true});
    return message({type: "refresh"}).then(function (result) {
      if (result && result.ok) localStorage.setItem(key, String(Date.now()));
      return result;
    });
  }

  if ("serviceWorker" in navigator && navigator.onLine) {
    navigator.serviceWorker.register(config.worker, {scope: "/"}).then(function () { return keepPages(false); })
      .catch(function () { /* no worker (e.g. private mode): the outbox still works on open pages */ });
  }

  // --- when to send ----------------------------------------------------------------------------
  if (banner) {
    banner.querySelector("[data-outbox-send]").addEventListener("click", function () { sendAll(); });
  }
  window.addEventListener("online", function () { sendAll(); });
  window.addEventListener("offline", function () { render(); });
  setInterval(function () { if (navigator.onLine) sendAll(); }, RETRY_MS);

  var saved = sessionStorage.getItem("wct-saved");
  if (saved) {
    sessionStorage.removeItem("wct-saved");
    var note = make("p", "flash flash-success", saved);
    note.setAttribute("role", "status");
    var main = document.getElementById("content");
    if (main) main.insertBefore(note, main.firstChild);
  }
  render().then(function () { if (navigator.onLine) sendAll(); });

  // For the browser tests and for people debugging on a phone.
  window.wctOutbox = {sendAll: sendAll, entries: entries, keepPages: keepPages, render: render};
})();
