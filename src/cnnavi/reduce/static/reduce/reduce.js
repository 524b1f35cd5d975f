/* Charts of the reduction plan (plotly.js, served locally). Data: #reduce-chart-data. */
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () {
    var node = document.getElementById("reduce-chart-data");
    if (!node || typeof Plotly === "undefined") return;
    var data = JSON.parse(node.textContent);
    var L = document.getElementById("reduce-chart-labels").dataset;
    var config = { responsive: true, displaylogo: false, displayModeBar: false };
    var narrow = window.matchMedia("(max-width: 40rem)").matches;
    // Legend above the plot (horizontal), so it never sits on the x-axis title.
    var legend = { orientation: "h", x: 0, xanchor: "left", y: 1.02, yanchor: "bottom" };
    var font = { family: "system-ui, sans-serif", size: 12 };

    function columns(rows, gjKey, tKey) {
      var x = [], w = [], y = [], text = [], pos = 0;
      rows.forEach(function (r) {
        var gj = r[gjKey] || 0;
        if (gj <= 0) return;
        x.push(pos + gj / 2); w.push(gj); y.push((r[tKey] || 0) / gj);
        text.push(r.label + ": " + (r[tKey] || 0).toFixed(1) + " t");
        pos += gj;
      });
      return { x: x, width: w, y: y, text: text };
    }
    var area = document.getElementById("chart-area");
    if (area && data.area.length) {
      var b = columns(data.area, "gj_before", "t_before");
      var a = columns(data.area, "gj_after", "t_after");
      Plotly.newPlot(area, [
        { type: "bar", name: L.before, x: b.x, y: b.y, width: b.width, hovertext: b.text,
          hoverinfo: "text", opacity: 0.55, marker: { color: "#9bb7d4", line: { color: "#1f5fa8", width: 1 } } },
        { type: "bar", name: L.after, x: a.x, y: a.y, width: a.width, hovertext: a.text,
          hoverinfo: "text", opacity: 0.75, marker: { color: "#2e7d32", line: { color: "#fff", width: 1 } } }
      ], {
        font: font, height: 360, margin: { t: 40, r: 10, b: 50, l: 70 }, barmode: "overlay",
        xaxis: { title: { text: L.gj }, rangemode: "tozero" },
        yaxis: { title: { text: L.tpergj }, rangemode: "tozero" },
        legend: legend
      }, config);
    }
    var mac = document.getElementById("chart-mac");
    if (mac && data.mac.length) {
      Plotly.newPlot(mac, [{
        type: "bar",
        x: data.mac.map(function (m) { return (m.x_start + m.x_end) / 2; }),
        width: data.mac.map(function (m) { return m.t; }),
        y: data.mac.map(function (m) { return m.cost_per_t; }),
        text: data.mac.map(function (m) { return m.name; }),
        // On phones the names would be rotated slivers: they are in the table under the chart.
        textposition: narrow ? "none" : "inside", insidetextanchor: "middle",
        hovertemplate: "%{text}<br>%{y:,.0f} " + L.yenpert + "<extra></extra>",
        marker: { color: data.mac.map(function (m) { return m.cost_per_t < 0 ? "#2e7d32" : "#c77c02"; }),
                  line: { color: "#fff", width: 1 } }
      }], {
        font: font, height: 360, margin: { t: 20, r: 10, b: 50, l: 70 },
        xaxis: { title: { text: L.saved } }, yaxis: { title: { text: L.yenpert }, zeroline: true }
      }, config);
    }
    var road = document.getElementById("chart-roadmap");
    if (road && data.roadmap.length) {
      var years = data.roadmap.map(function (r) { return r.year; });
      var traces = [
        { type: "scatter", mode: "lines+markers", name: L.emissions, x: years,
          y: data.roadmap.map(function (r) { return r.t; }), line: { color: "#1f5fa8" } },
        { type: "scatter", mode: "lines", name: L.target, x: years,
          y: data.roadmap.map(function (r) { return r.target; }), line: { color: "#c62828", dash: "dash" } }
      ];
      if (data.actual.length) {
        traces.push({ type: "scatter", mode: "markers", name: L.actual,
          x: data.actual.map(function (r) { return r.year; }), y: data.actual.map(function (r) { return r.t; }),
          marker: { color: "#000", size: 9, symbol: "diamond" } });
      }
      var notes = [];  // on a phone the labels overlap: the table under the chart lists them
      data.roadmap.forEach(function (r) {
        if (r.starting.length && !narrow) {
          notes.push({ x: r.year, y: r.t, text: L.start + ": " + r.starting.join(", "), showarrow: true,
                       arrowhead: 2, ax: 20, ay: -30 - 22 * (notes.length % 4), xanchor: "left",
                       font: { size: 10 }, bgcolor: "rgba(255,255,255,0.85)" });
        }
      });
      Plotly.newPlot(road, traces, {
        font: font, height: 380, margin: { t: 40, r: 10, b: 40, l: 60 }, annotations: notes,
        xaxis: { title: { text: L.year }, dtick: 5 }, yaxis: { title: { text: L.tco2 }, rangemode: "tozero" },
        legend: legend
      }, config);
    }
  });

  // Status changes in the measures table (HTMX): show a failure by the select and in the
  // page's live region (a success comes back with the table: 「保存しました」).
  document.addEventListener("htmx:responseError", showError);
  document.addEventListener("htmx:sendError", showError);
  function showError(evt) {
    var elt = evt.detail && evt.detail.elt;
    if (!elt || !elt.dataset || !elt.dataset.msg) return;
    var live = document.getElementById("measures-live");
    var xhr = evt.detail.xhr;
    var text = (xhr && xhr.status === 400 && xhr.responseText) || (live && live.dataset.error) || "";
    var box = document.getElementById(elt.dataset.msg);
    if (box) {
      box.textContent = "";
      var span = document.createElement("span");
      span.className = "error";
      span.textContent = text;
      box.appendChild(span);
    }
    if (live) live.textContent = text;
  }
})();
