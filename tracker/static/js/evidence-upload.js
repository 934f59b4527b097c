// Evidence files in the incident form are uploaded as soon as they are chosen, so a slow field
// connection works while the ranger types, and a photo's EXIF time and position can be offered
// for the form. Progressive enhancement: without this script the file input posts the files
// with the form. Every text shown comes from the input's data-msg-* attributes (translated).
// XMLHttpRequest rather than fetch: only it reports upload progress.
(function () {
  "use strict";

  function fill(template, values) {
    return (template || "").replace(/%\((\w+)\)s/g, function (match, key) {
      return key in values ? values[key] : match;
    });
  }

  function make(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function csrfToken(input) {
    if (input.dataset.csrf) return input.dataset.csrf;
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) return meta.content;
    var field = input.form && input.form.querySelector('input[name="csrf_token"]');
    return field ? field.value : "";
  }

  function pendingList(input) {
    var id = input.dataset.pendingList;
    var list = (id && document.getElementById(id)) ||
      (input.form && input.form.querySelector("[data-pending-list]:not(input)"));
    if (!list) {
      list = make("div");
      input.insertAdjacentElement("afterend", list);
    }
    list.classList.add("evidence-chips");
    list.setAttribute("aria-live", "polite");
    return list;
  }

  // One chip per chosen file: thumbnail, name, progress or error, and a remove button.
  function makeChip(input, file) {
    var msg = input.dataset;
    var chip = {node: make("div", "evidence-chip"), thumb: make("span", "evidence-chip-thumb")};
    var body = make("div", "evidence-chip-body");
    chip.status = make("span", "evidence-chip-status", msg.msgUploading);
    chip.progress = make("progress");
    chip.progress.max = 1;
    chip.progress.value = 0;
    chip.progress.setAttribute("aria-label", msg.msgUploading || "");
    body.append(make("span", "evidence-chip-name", file.name), chip.status, chip.progress);
    var remove = make("button", "evidence-chip-remove secondary outline", msg.msgRemove);
    remove.type = "button";
    remove.addEventListener("click", function () {
      if (chip.request) chip.request.abort();
      chip.node.remove();
    });
    chip.node.append(chip.thumb, body, remove);
    return chip;
  }

  function fail(chip, message) {
    chip.node.classList.add("is-error");
    chip.progress.remove();
    chip.status.textContent = message;
    chip.status.setAttribute("role", "alert");
  }

  function setField(id, value) {
    var field = document.getElementById(id);
    if (!field) return;
    field.value = value;
    field.dispatchEvent(new Event("input", {bubbles: true}));
    field.dispatchEvent(new Event("change", {bubbles: true}));
  }

  function offerButton(label, apply) {
    var button = make("button", "secondary", label);
    button.type = "button";
    button.addEventListener("click", function () {
      apply();
      button.setAttribute("aria-pressed", "true");
    });
    return button;
  }

  // "Photo taken 2026-11-20 14:03 at 43.1012, 131.4521 — Use this time / Use this position"
  function offer(input, staged) {
    var msg = input.dataset;
    var time = staged.taken_at_local ? staged.taken_at_local.replace("T", " ") : "";
    var hasPosition = staged.lat !== null && staged.lon !== null;
    if (!time && !hasPosition) return null;
    var position = hasPosition ? staged.lat.toFixed(4) + ", " + staged.lon.toFixed(4) : "";
    var template = time && hasPosition ? msg.msgTakenTimePlace : (time ? msg.msgTakenTime : msg.msgTakenPlace);
    var box = make("div", "evidence-offer");
    box.append(make("span", "", fill(template, {time: time, position: position})));
    if (time && document.getElementById("occurred_at")) {
      box.append(offerButton(msg.msgUseTime, function () { setField("occurred_at", staged.taken_at_local); }));
    }
    if (hasPosition && document.getElementById("lat") && document.getElementById("lon")) {
      box.append(offerButton(msg.msgUsePosition, function () {
        setField("lat", String(staged.lat));
        setField("lon", String(staged.lon));
      }));
    }
    return box;
  }

  function staged(input, chip, result) {
    var token = make("input");
    token.type = "hidden";
    token.name = "pending_evidence";
    token.value = result.token;
    chip.progress.remove();
    chip.status.textContent = input.dataset.msgStaged;
    if (result.thumbnail_url) {
      var img = make("img", "evidence-chip-thumb");
      img.src = result.thumbnail_url;
      img.alt = "";
      chip.thumb.replaceWith(img);
    } else {
      chip.thumb.textContent = "PDF";
    }
    var box = offer(input, result);
    chip.node.append(token);
    if (box) chip.node.append(box);
  }

  function upload(input, list, file, state) {
    var chip = makeChip(input, file);
    list.append(chip.node);
    if (file.size > Number(input.dataset.maxBytes)) {
      fail(chip, fill(input.dataset.msgTooLarge, {name: file.name}));
      return;
    }
    var request = new XMLHttpRequest();
    chip.request = request;
    state.busy += 1;
    request.open("POST", input.dataset.stageUrl);
    request.setRequestHeader("X-CSRFToken", csrfToken(input));
    request.setRequestHeader("Accept", "application/json");
    request.responseType = "json";
    request.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) chip.progress.value = event.loaded / event.total;
    });
    request.addEventListener("load", function () {
      var result = request.response || {};
      if (request.status === 200 && result.token) staged(input, chip, result);
      else fail(chip, result.error || result.message || input.dataset.msgFailed);
    });
    request.addEventListener("error", function () { fail(chip, input.dataset.msgFailed); });
    request.addEventListener("loadend", function () {
      chip.request = null;
      state.busy -= 1;
      if (!state.busy && state.warning) state.warning.remove();
    });
    var data = new FormData();
    data.append("file", file);
    request.send(data);
  }

  function enhance(input) {
    var list = pendingList(input);
    var state = {busy: 0, warning: null};
    input.addEventListener("change", function () {
      var files = Array.prototype.slice.call(input.files || []);
      input.value = "";  // staged files must not be posted again with the form
      files.forEach(function (file) { upload(input, list, file, state); });
    });
    if (!input.form) return;
    input.form.addEventListener("submit", function (event) {
      if (!state.busy) return;
      event.preventDefault();
      if (!state.warning) {
        state.warning = make("p", "field-error", input.dataset.msgWait);
        state.warning.setAttribute("role", "alert");
        list.insertAdjacentElement("beforebegin", state.warning);
      }
    });
  }

  document.querySelectorAll("input[type=file][data-stage-url]").forEach(enhance);
})();
