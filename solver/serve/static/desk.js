// The desk's only script: live progress of a job (polled every second) and the policy
// form's --set preview. No library, nothing fetched from elsewhere.
"use strict";

function pollJob(box) {
  var id = box.getAttribute("data-job");
  var status = document.getElementById("status");
  var progress = document.getElementById("progress");
  function tick() {
    fetch("/jobs/" + id + "/state", {credentials: "same-origin", cache: "no-store"})
      .then(function (r) { return r.json(); })
      .then(function (job) {
        status.textContent = job.status_text;
        status.setAttribute("data-status", job.status);
        progress.textContent = job.lines.join("\n");
        if (job.status === "queued" || job.status === "running") {
          setTimeout(tick, 1000);
        } else {
          window.location.reload();
        }
      })
      .catch(function () { setTimeout(tick, 1000); });
  }
  setTimeout(tick, 500);
}

function previewSets(form) {
  var out = document.getElementById("sets-preview");
  function update() {
    var sets = [];
    form.querySelectorAll("[data-key]").forEach(function (el) {
      var start = el.getAttribute("data-start");
      if (start === null) {
        var chosen = el.querySelector("option[selected]");
        start = chosen ? chosen.value : el.value;
      }
      if (el.value.trim() !== start) {
        sets.push("--set " + el.getAttribute("data-key") + "=" + el.value.trim());
      }
    });
    out.textContent = sets.length ? sets.join(" ") : "-";
  }
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
}

document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("job");
  if (box && box.getAttribute("data-running") === "true") {
    pollJob(box);
  }
  var form = document.getElementById("policy-form");
  if (form) {
    previewSets(form);
  }
});
