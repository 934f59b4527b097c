// Progress of a background export (templates/reports/job.html) or import (templates/imports/job.html): polls the job's status and
// updates the <progress> bar; when the file is ready the download link appears. Without
// JavaScript the page refreshes itself (<noscript> meta refresh) and has a "Check again" link.
(function () {
  "use strict";
  var box = document.getElementById("report-job");
  if (!box) return;
  var bar = document.getElementById("job-progress");
  var percent = document.getElementById("job-percent");
  var download = document.getElementById("job-download");
  var refresh = document.getElementById("job-refresh");
  var delay = 1000;

  function show(state) {
    box.setAttribute("data-state", state);
    box.querySelectorAll(".job-state").forEach(function (el) {
      el.hidden = !el.classList.contains("job-state-" + state);
    });
  }

  // A page that shows the finished job itself (an import's report) asks for itself again.
  var reload = box.hasAttribute("data-reload");

  function update(status) {
    if (reload && (status.state === "done" || status.state === "failed")) {
      window.location.reload();
      return true;
    }
    bar.value = status.percent;
    bar.textContent = status.percent + " %";
    if (percent) percent.textContent = status.percent;
    show(status.state);
    if (status.state === "done") {
      download.href = status.download;
      download.hidden = false;
      refresh.hidden = true;
      download.focus();
    } else if (status.state === "failed") {
      refresh.hidden = true;
      var restart = document.getElementById("job-restart");
      if (restart) restart.hidden = false;
    }
    return status.state === "done" || status.state === "failed";
  }

  function poll() {
    fetch(box.getAttribute("data-status-url"), {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (status) {
        if (!update(status)) window.setTimeout(poll, delay);
      })
      .catch(function () {
        delay = Math.min(delay * 2, 15000);  // a hiccup of the network: keep trying, less often
        window.setTimeout(poll, delay);
      });
  }

  var state = box.getAttribute("data-state");
  if (state !== "done" && state !== "failed") poll();
})();
