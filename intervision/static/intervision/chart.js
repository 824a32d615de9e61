// Draws the charts of a group page (cases per theme and per competency, by
// quarter) from the JSON the page carries. The same numbers are in the table
// below the charts, for screen readers and for copying.
(function () {
  "use strict";
  if (!window.Chart) return;
  const palette = ["#1b5e7a", "#c0392b", "#7d8f2a", "#8e44ad", "#d68910", "#117a65", "#5b6475", "#2e86c1", "#a04000", "#6c3483", "#1e8449", "#b03a2e"];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    const data = JSON.parse(document.getElementById(canvas.dataset.chart).textContent);
    const rows = data[canvas.dataset.series] || [];
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: rows.map(function (row, i) {
          return { label: row.label, data: row.data, backgroundColor: palette[i % palette.length] };
        }),
      },
      options: {
        responsive: true,
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { position: "bottom" } },
      },
    });
  });
})();
