// Draws the compliance charts (completion by office; over the last 12 months)
// from the JSON the page carries. The same numbers are in the table under the
// charts, for screen readers and for copying.
(function () {
  "use strict";
  if (!window.Chart) return;
  const source = document.getElementById("compliance-chart-data");
  if (!source) return;
  const data = JSON.parse(source.textContent);
  const palette = ["#1b5e7a", "#c0392b", "#7d8f2a", "#8e44ad", "#d68910", "#117a65", "#5b6475", "#2e86c1", "#a04000", "#6c3483", "#1e8449", "#b03a2e"];
  const percent = { beginAtZero: true, max: 100, ticks: { callback: function (v) { return v + "%"; } } };
  const offices = document.querySelector("canvas[data-compliance-chart=offices]");
  if (offices) {
    new window.Chart(offices, {
      type: "bar",
      data: {
        labels: data.offices.labels,
        datasets: [{ data: data.offices.data, backgroundColor: palette[0] }],
      },
      options: { indexAxis: "y", responsive: true, scales: { x: percent }, plugins: { legend: { display: false } } },
    });
  }
  const history = document.querySelector("canvas[data-compliance-chart=history]");
  if (history && data.history) {
    new window.Chart(history, {
      type: "line",
      data: {
        labels: data.history.labels,
        datasets: data.history.offices.map(function (row, i) {
          return { label: row.label, data: row.data, borderColor: palette[i % palette.length], backgroundColor: palette[i % palette.length], tension: 0.2 };
        }),
      },
      options: { responsive: true, scales: { y: percent }, plugins: { legend: { position: "bottom" } } },
    });
  }
})();
