(function () {
  if (typeof echarts === "undefined") return;
  var raw = document.getElementById("stats-data");
  if (!raw) return;
  var s = JSON.parse(raw.textContent);
  var t = document.getElementById("stats-labels").dataset; // translated series names from the page
  function chart(id, option) {
    var el = document.getElementById(id);
    if (!el) return;
    var c = echarts.init(el);
    c.setOption(option);
    window.addEventListener("resize", function () { c.resize(); });
  }
  chart("chart-months", {
    tooltip: { trigger: "axis" }, grid: { left: 40, right: 20, bottom: 30 },
    xAxis: { type: "category", data: s.months.map(function (m) { return m.month; }) }, yAxis: { type: "value" },
    series: [{ name: t.disputes, type: "bar", data: s.months.map(function (m) { return m.n; }), itemStyle: { color: "#b3261e" } }]
  });
  chart("chart-level", { tooltip: { trigger: "item" },
    series: [{ type: "pie", radius: ["35%", "70%"], data: s.by_level.map(function (r) { return { name: r.name, value: r.n }; }) }] });
  chart("chart-kind", {
    tooltip: {}, grid: { left: 100, right: 20, bottom: 20 }, xAxis: { type: "value" },
    yAxis: { type: "category", data: s.by_kind.map(function (r) { return r.name; }).reverse() },
    series: [{ type: "bar", data: s.by_kind.map(function (r) { return r.n; }).reverse(), itemStyle: { color: "#8c1c13" } }]
  });
  chart("chart-grid", {
    tooltip: { trigger: "axis" }, legend: { data: [t.red, t.yellow, t.green] }, grid: { left: 40, right: 20, bottom: 80 },
    xAxis: { type: "category", data: s.by_grid.map(function (r) { return r.name; }), axisLabel: { rotate: 45 } },
    yAxis: { type: "value" },
    series: [
      { name: t.red, type: "bar", stack: "r", data: s.by_grid.map(function (r) { return r.red; }), itemStyle: { color: "#dc3545" } },
      { name: t.yellow, type: "bar", stack: "r", data: s.by_grid.map(function (r) { return r.yellow; }), itemStyle: { color: "#ffc107" } },
      { name: t.green, type: "bar", stack: "r", data: s.by_grid.map(function (r) { return r.green; }), itemStyle: { color: "#198754" } }
    ]
  });
  chart("chart-class", { tooltip: { trigger: "item" },
    series: [{ type: "pie", radius: "65%", data: s.by_class.map(function (r) { return { name: r.name, value: r.n }; }) }] });
})();
