// Dashboard charts. Data comes from data attributes (the CSP forbids inline scripts); without
// JavaScript every figure is still in a table of links. The map is incident-map.js.
(function () {
  "use strict";
  var BAR = "#1f6f4a", GRID = "#dfe6e2", INK = "#1d2b24";

  function formatNumber(value) {
    return new Intl.NumberFormat(document.documentElement.lang || undefined).format(value);
  }

  // Writes each bar's value at its end, so that the chart reads without colour and in print.
  var valueLabels = {
    id: "valueLabels",
    afterDatasetsDraw: function (chart) {
      var ctx = chart.ctx, horizontal = chart.options.indexAxis === "y";
      ctx.save();
      ctx.fillStyle = INK;
      ctx.font = "12px system-ui, sans-serif";
      chart.getDatasetMeta(0).data.forEach(function (bar, index) {
        var value = chart.data.datasets[0].data[index];
        // Too narrow to carry a number (many months on a phone): the table holds the values.
        if (!value || (!horizontal && bar.width < 18)) return;
        if (horizontal) {
          ctx.textAlign = "left"; ctx.textBaseline = "middle";
          ctx.fillText(formatNumber(value), bar.x + 4, bar.y);
        } else {
          ctx.textAlign = "center"; ctx.textBaseline = "bottom";
          ctx.fillText(formatNumber(value), bar.x, bar.y - 2);
        }
      });
      ctx.restore();
    }
  };

  // Long names on a narrow screen go on two or more lines ("Дальневосточный / леопард"), or the
  // axis would cut them off at the canvas edge.
  function wrapped(label, width) {
    var most = width < 560 ? 14 : 28, lines = [], line = "";
    String(label).split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > most) { lines.push(line); line = word; } else { line = line ? line + " " + word : word; }
    });
    if (line) lines.push(line);
    return lines.length > 1 ? lines : label;
  }

  function initChart(canvas) {
    var data = JSON.parse(canvas.getAttribute("data-chart"));
    var horizontal = canvas.getAttribute("data-axis") === "y";
    var frame = canvas.parentNode;
    if (horizontal) data.labels = data.labels.map(function (label) { return wrapped(label, frame.clientWidth); });
    if (horizontal) {
      var lines = data.labels.reduce(function (sum, label) { return sum + (Array.isArray(label) ? label.length : 1); }, 0);
      frame.style.height = Math.max(120, data.labels.length * 18 + lines * 12 + 40) + "px";
    }
    var valueAxis = { beginAtZero: true, grace: "12%", grid: { color: GRID }, ticks: { precision: 0, color: INK } };
    var labelAxis = { grid: { display: false }, ticks: { color: INK, autoSkip: !horizontal } };
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: data.labels, datasets: [{ label: canvas.getAttribute("data-series"), data: data.values,
                                                backgroundColor: BAR, maxBarThickness: 38 }] },
      plugins: [valueLabels],
      options: {
        indexAxis: horizontal ? "y" : "x",
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: false } },
        scales: horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
        onHover: function (event, elements) {
          event.native.target.style.cursor = elements.length && data.links[elements[0].index] ? "pointer" : "default";
        },
        onClick: function (event, elements) {
          var link = elements.length && data.links[elements[0].index];
          if (link) window.location.assign(link);
        }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (window.Chart) document.querySelectorAll("canvas[data-chart]").forEach(initChart);
  });
})();
