// Draws the charts of a vacancy's reports (pass rates, score distributions,
// leniency) from the JSON the page carries. The same numbers are in the
// tables beside the charts, for screen readers and for copying.
(function () {
  "use strict";
  if (!window.Chart) return;
  const source = document.getElementById("report-chart-data");
  if (!source) return;
  const data = JSON.parse(source.textContent);
  // Points 1 to 5 from red to green; "not observed" in grey.
  const points = ["#b03a2e", "#d68910", "#b7950b", "#7d8f2a", "#1e8449", "#8a919e"];
  const primary = "#1b5e7a";

  function sized(canvas, rows) {
    // Room for each bar plus the axis and legend; the chart fills its box.
    canvas.parentNode.style.position = "relative";
    canvas.parentNode.style.height = Math.max(160, rows * 38 + 90) + "px";
  }

  document.querySelectorAll("canvas[data-report-chart]").forEach(function (canvas) {
    const kind = canvas.dataset.reportChart;
    if (kind === "pass") {
      sized(canvas, data.pass.labels.length);
      new window.Chart(canvas, {
        type: "bar",
        data: { labels: data.pass.labels, datasets: [{ label: data.pass.label, data: data.pass.data, backgroundColor: primary }] },
        options: {
          indexAxis: "y",
          maintainAspectRatio: false,
          scales: { x: { beginAtZero: true, max: 100, ticks: { callback: function (v) { return v + "%"; } } } },
          plugins: { legend: { display: false } },
        },
      });
    } else if (kind === "distribution") {
      const stage = data.distributions[canvas.dataset.stage];
      if (!stage) return;
      sized(canvas, stage.labels.length);
      new window.Chart(canvas, {
        type: "bar",
        data: {
          labels: stage.labels,
          datasets: stage.datasets.map(function (set, i) {
            return { label: set.label, data: set.data, backgroundColor: points[i % points.length] };
          }),
        },
        options: {
          indexAxis: "y",
          maintainAspectRatio: false,
          scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked: true } },
          plugins: { legend: { position: "bottom" } },
        },
      });
    } else if (kind === "leniency") {
      sized(canvas, data.leniency.labels.length);
      new window.Chart(canvas, {
        type: "bar",
        data: {
          labels: data.leniency.labels,
          datasets: [{
            label: data.leniency.label,
            data: data.leniency.data,
            backgroundColor: data.leniency.data.map(function (v) { return v > 0 ? "#d68910" : primary; }),
          }],
        },
        options: {
          indexAxis: "y",
          maintainAspectRatio: false,
          scales: { x: { suggestedMin: -1, suggestedMax: 1 } },
          plugins: { legend: { display: false } },
        },
      });
    }
  });
})();
