/* Progressive enhancement for the ospo-procure pages. Every page works without it. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  // Choices that apply at once (the interface language).
  function autosubmit(root) {
    root.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  }

  // Drag and drop onto the upload area; the file input stays the real control.
  function dropzones(root) {
    root.querySelectorAll("[data-dropzone]").forEach(function (zone) {
      var input = zone.querySelector("input[type=file]");
      var chosen = zone.querySelector("[data-chosen]");
      function show() {
        if (chosen) chosen.textContent = input.files.length ? input.files[0].name : "";
        zone.classList.toggle("has-file", input.files.length > 0);
      }
      input.addEventListener("change", show);
      ["dragenter", "dragover"].forEach(function (type) {
        zone.addEventListener(type, function (event) {
          event.preventDefault();
          zone.classList.add("is-over");
        });
      });
      ["dragleave", "drop"].forEach(function (type) {
        zone.addEventListener(type, function () { zone.classList.remove("is-over"); });
      });
      zone.addEventListener("drop", function (event) {
        event.preventDefault();
        if (event.dataTransfer && event.dataTransfer.files.length) {
          input.files = event.dataTransfer.files;
          show();
        }
      });
      show();
    });
  }

  // The running total of the award-criteria weights, which must be 100.
  function weights(root) {
    var total = root.querySelector("[data-weight-total]");
    if (!total) return;
    var inputs = root.querySelectorAll("input[data-weight]");
    var template = total.getAttribute("data-template") || "{n} / 100";
    function update() {
      var sum = 0;
      inputs.forEach(function (i) { var v = parseFloat(i.value); if (!isNaN(v)) sum += v; });
      sum = Math.round(sum * 100) / 100;
      total.textContent = template.replace("{n}", String(sum));
      total.classList.toggle("is-ok", sum === 100);
      total.classList.toggle("is-bad", sum !== 100);
    }
    inputs.forEach(function (i) { i.addEventListener("input", update); });
    update();
  }

  // Bring the reader to what the server just said: the problems to fix, or the preview.
  function focusMessages() {
    var target = document.getElementById("error-summary") || document.getElementById("preview");
    if (target && !location.hash.startsWith("#waive")) target.focus();
  }

  function init(root) {
    autosubmit(root);
    dropzones(root);
    weights(root);
  }

  ready(function () {
    init(document);
    focusMessages();
    document.body.addEventListener("htmx:afterSwap", function (event) { init(event.target); });
  });
})();
