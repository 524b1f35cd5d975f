// Draws the Pareto and energy-flow charts of a CO2-support visit from the snapshot kept with
// the visit (passed with json_script; the CSP forbids inline scripts).
(function () {
  "use strict";
  function draw() {
    var node = document.getElementById("snapshot-data");
    if (!node || !window.Plotly) return;
    var snap = JSON.parse(node.textContent);
    var pareto = snap.pareto || [];
    var paretoEl = document.getElementById("pareto-chart");
    if (paretoEl && pareto.length) {
      var labels = pareto.map(function (r) { return r.facility + " / " + r.energy; });
      window.Plotly.newPlot(paretoEl, [
        { type: "bar", x: labels, y: pareto.map(function (r) { return r.tco2; }), name: "t-CO2",
          marker: { color: "#2e7d4f" } },
        { type: "scatter", mode: "lines+markers", x: labels, yaxis: "y2", name: "%",
          y: pareto.map(function (r) { return Math.round(r.cumulative_share * 1000) / 10; }),
          line: { color: "#b35c00" } }
      ], {
        margin: { t: 20, r: 50, b: 90, l: 50 }, height: 340, showlegend: false,
        yaxis: { title: { text: "t-CO2" } }, yaxis2: { overlaying: "y", side: "right", range: [0, 105], tickvals: [0, 20, 40, 60, 80, 100], ticksuffix: "%" }
      }, { responsive: true, displayModeBar: false });
    }
    var flow = snap.flow || [];
    var flowEl = document.getElementById("flow-chart");
    if (flowEl && flow.length) {
      var names = [];
      function index(name) { var i = names.indexOf(name); if (i < 0) { names.push(name); i = names.length - 1; } return i; }
      var link = { source: [], target: [], value: [] };
      flow.forEach(function (f) { link.source.push(index(f.source)); link.target.push(index(f.target)); link.value.push(f.value); });
      window.Plotly.newPlot(flowEl, [{ type: "sankey", valuesuffix: " t-CO2", valueformat: ".1f", node: { label: names, pad: 12 }, link: link }],
        { margin: { t: 10, r: 10, b: 10, l: 10 }, height: 320 }, { responsive: true, displayModeBar: false });
    }
  }
  document.addEventListener("DOMContentLoaded", draw);
})();
