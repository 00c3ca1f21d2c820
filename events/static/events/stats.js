(function () {
  if (typeof echarts === "undefined") return;
  var raw = document.getElementById("stats-data");
  if (!raw) return;
  var s = JSON.parse(JSON.parse(raw.textContent));
  var t = document.getElementById("stats-labels").dataset; // translated series names from the page
  function chart(id, option) {
    var el = document.getElementById(id);
    if (!el) return;
    var c = echarts.init(el);
    c.setOption(option);
    window.addEventListener("resize", function () { c.resize(); });
  }
  var months = s.months.map(function (m) { return m.month; });
  chart("chart-months", {
    tooltip: { trigger: "axis" }, legend: { data: [t.events, t.ontime, t.satisfaction] },
    grid: { left: 40, right: 40, bottom: 30 },
    xAxis: { type: "category", data: months },
    yAxis: [{ type: "value" }, { type: "value", max: 100 }],
    series: [
      { name: t.events, type: "bar", data: s.months.map(function (m) { return m.n; }), itemStyle: { color: "#b3261e" } },
      { name: t.ontime, type: "line", yAxisIndex: 1, data: s.months.map(function (m) { return m.on_time_rate; }) },
      { name: t.satisfaction, type: "line", yAxisIndex: 1, data: s.months.map(function (m) { return m.satisfaction ? m.satisfaction * 20 : null; }) }
    ]
  });
  chart("chart-category", {
    tooltip: {}, grid: { left: 90, right: 20, bottom: 20 },
    xAxis: { type: "value" }, yAxis: { type: "category", axisLabel: { interval: 0 }, data: s.by_category.map(function (r) { return r.name; }).reverse() },
    series: [{ type: "bar", data: s.by_category.map(function (r) { return r.n; }).reverse(), itemStyle: { color: "#8c1c13" } }]
  });
  chart("chart-grid", {
    tooltip: { trigger: "axis" }, legend: { data: [t.events, t.open] }, grid: { left: 40, right: 20, bottom: 80 },
    xAxis: { type: "category", data: s.by_grid.map(function (r) { return r.name; }), axisLabel: { rotate: 45 } },
    yAxis: { type: "value" },
    series: [{ name: t.events, type: "bar", data: s.by_grid.map(function (r) { return r.n; }) },
             { name: t.open, type: "bar", data: s.by_grid.map(function (r) { return r.open; }) }]
  });
  chart("chart-status", { tooltip: { trigger: "item" },
    series: [{ type: "pie", radius: ["35%", "70%"], data: s.by_status.map(function (r) { return { name: r.name, value: r.n }; }) }] });
  chart("chart-level", { tooltip: { trigger: "item" },
    series: [{ type: "pie", radius: "65%", data: s.by_level.map(function (r) { return { name: r.name, value: r.n }; }) }] });
})();
