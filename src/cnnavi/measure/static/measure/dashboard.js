// Dashboard charts (plotly.js served locally) drawn from the data the page embeds with
// json_script. Every chart has a table view in the page, so nothing depends on this script.
document.addEventListener("DOMContentLoaded", function () {
  var source = document.getElementById("dashboard-data");
  if (!source || typeof Plotly === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var en = document.documentElement.lang === "en";
  var demo = data.demo ? (en ? " (demo data)" : "（デモデータ）") : "";
  // No tool bar: its tooltips are English only and lasso/box select mean nothing here.
  var config = { responsive: true, displaylogo: false, displayModeBar: false };
  var narrow = window.matchMedia && window.matchMedia("(max-width: 600px)").matches;
  // On a phone the legend goes under the plot instead of taking half its width.
  var base = { margin: { t: 40, r: 20, b: narrow ? 90 : 60, l: 60 }, font: { size: 12 },
    legend: narrow ? { orientation: "h", y: -0.35 } : {} };
  var MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  function monthLabel(ym) {  // "2026-05" -> "2026年5月" / "May 2026", as categories (no date axis)
    var y = ym.slice(0, 4), m = parseInt(ym.slice(5, 7), 10);
    return en ? MONTHS_EN[m - 1] + " " + y : y + "年" + m + "月";
  }
  function layout(extra) { return Object.assign({}, base, extra); }
  function el(id) { return document.getElementById(id); }

  if (el("chart-monthly") && data.monthly.series.length) {
    var months = data.monthly.months.map(monthLabel);
    var traces = data.monthly.series.map(function (s) {
      return { type: "bar", name: s.label, x: months, y: s.values };
    });
    if (data.monthly.previous && data.monthly.previous.length) {
      traces.push({ type: "scatter", mode: "lines+markers", name: en ? "Previous year" : "前年度",
        x: months, y: data.monthly.previous, line: { dash: "dot", color: "#555" } });
    }
    Plotly.newPlot("chart-monthly", traces, layout({ barmode: "stack",
      title: { text: (en ? "t-CO2 by month" : "月別 t-CO2") + demo }, yaxis: { title: { text: "t-CO2" } },
      xaxis: { type: "category", tickangle: narrow ? -60 : 0 } }), config);
  }
  if (el("chart-facility") && data.by_facility.length) {
    Plotly.newPlot("chart-facility", [{ type: "bar", orientation: "h",
      y: data.by_facility.map(function (f) { return f.facility; }),
      x: data.by_facility.map(function (f) { return f.tco2; }) }],
      layout({ title: { text: (en ? "t-CO2 by facility" : "事業所別 t-CO2") + demo }, xaxis: { title: { text: "t-CO2" } },
        margin: { t: 40, r: 20, b: 50, l: narrow ? 90 : 140 } }), config);
  }
  if (el("chart-pareto") && data.pareto.length) {
    var labels = data.pareto.map(function (p) { return p.facility + " / " + p.energy; });
    Plotly.newPlot("chart-pareto", [
      { type: "bar", name: "t-CO2", x: labels, y: data.pareto.map(function (p) { return p.tco2; }) },
      { type: "scatter", mode: "lines+markers", name: en ? "Cumulative share" : "累積割合", x: labels,
        y: data.pareto.map(function (p) { return p.cumulative_share * 100; }), yaxis: "y2" }
    ], layout({ title: { text: (en ? "Pareto: facility x energy" : "パレート図") + demo },
      yaxis: { title: { text: "t-CO2" }, rangemode: "tozero" },
      yaxis2: { title: { text: en ? "Cumulative share" : "累積割合" }, overlaying: "y", side: "right",
        range: [0, 100], tickmode: "linear", tick0: 0, dtick: 25, ticksuffix: "%" },
      xaxis: { type: "category", tickangle: narrow ? -60 : -30, automargin: true },
      legend: { orientation: "h", y: narrow ? 1.3 : 1.12 },
      margin: { t: narrow ? 100 : 60, r: 60, b: 40, l: 60 } }), config);
  }
  if (el("chart-flow") && data.flow.length) {
    var nodes = [];
    function idx(name) { var i = nodes.indexOf(name); if (i < 0) { nodes.push(name); i = nodes.length - 1; } return i; }
    var link = { source: [], target: [], value: [] };
    data.flow.forEach(function (l) { link.source.push(idx(l.source)); link.target.push(idx(l.target)); link.value.push(l.value); });
    Plotly.newPlot("chart-flow", [{ type: "sankey", node: { label: nodes, pad: narrow ? 25 : 15 }, link: link }],
      layout({ title: { text: (en ? "Flow: energy → facility → use (t-CO2)" : "エネルギー → 事業所 → 用途（t-CO2）") + demo },
        height: narrow ? 520 : 450 }), config);
  }
  if (el("chart-intensity") && data.intensity.length) {
    // One small chart per denominator: their units differ, so they share no axis.
    var years = [en ? "Previous year" : "前年度", en ? "This year" : "今年度"];
    var traces2 = data.intensity.map(function (i, n) {
      var suffix = n === 0 ? "" : String(n + 1);
      return { type: "bar", name: "t-CO2/" + i.unit, x: years, y: [i.previous, i.value],
        xaxis: "x" + suffix, yaxis: "y" + suffix };
    });
    var lay = layout({ title: { text: (en ? "Intensity (t-CO2 per unit)" : "原単位（t-CO2/単位）") + demo },
      grid: { rows: 1, columns: data.intensity.length, pattern: "independent" }, showlegend: true,
      legend: { orientation: "h" } });
    Plotly.newPlot("chart-intensity", traces2, lay, config);
  }
});
