// Follows a compliance export being prepared: polls its status and moves the
// progress bar, then shows the download link. Without JavaScript the page
// offers a "Check again" link instead.
(function () {
  "use strict";
  const box = document.querySelector("[data-export-status]");
  if (!box) return;
  const bar = box.querySelector(".progress-bar");
  const meter = box.querySelector("[role=progressbar]");
  const label = box.querySelector("[data-export-label]");
  const link = box.querySelector("[data-export-download]");
  const refresh = box.querySelector("[data-export-refresh]");
  if (refresh) refresh.hidden = true;
  function show(status) {
    bar.style.width = status.progress + "%";
    bar.textContent = status.progress + "%";
    meter.setAttribute("aria-valuenow", status.progress);
    label.textContent = status.label;
    if (status.download) {
      link.href = status.download;
      link.hidden = false;
    }
    return status.status === "done" || status.status === "failed";
  }
  function poll() {
    fetch(box.dataset.exportStatus, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (status) { if (!show(status)) window.setTimeout(poll, 1000); })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  if (box.dataset.exportDone !== "true") poll();
})();
