// Monthly counts of diagnoses (stacked by stage) and self-checks, from the page's JSON data.
document.addEventListener("DOMContentLoaded", function () {
  var node = document.getElementById("know-chart-data");
  var target = document.getElementById("know-chart");
  if (!node || !target || !window.Plotly) { return; }
  var data = JSON.parse(node.textContent);
  if (!data || !data.months.length) { target.hidden = true; return; }
  var colours = ["#9ccfb5", "#4f9c78", "#1b6b4a", "#0b3b27"];
  var traces = data.stages.map(function (name, i) {
    return { type: "bar", name: name, x: data.months, y: data.by_stage[i], marker: { color: colours[i] } };
  });
  traces.push({ type: "scatter", mode: "lines+markers", name: data.labels.self_checks,
    x: data.months, y: data.self_checks, line: { color: "#f2b705" } });
  window.Plotly.newPlot(target, traces, {
    barmode: "stack", margin: { l: 40, r: 10, t: 10, b: 40 }, height: 320,
    legend: { orientation: "h", y: -0.2, traceorder: "normal" }, yaxis: { title: { text: data.labels.count }, rangemode: "tozero" },
    xaxis: { type: "category" }
  }, { displayModeBar: false, responsive: true });
});
