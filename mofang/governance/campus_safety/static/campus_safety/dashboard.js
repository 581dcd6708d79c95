/* 校园安全驾驶舱：按类别、按责任单位的未办结隐患柱状图（数据来自 json_script "dashboard-data"）。 */
(function () {
  if (!window.echarts) return;
  var data = JSON.parse(document.getElementById("dashboard-data").textContent);
  var cat = echarts.init(document.getElementById("chart-categories"));
  cat.setOption({title: {text: "未办结隐患（按类别）", textStyle: {fontSize: 14}}, tooltip: {},
    grid: {left: 40, right: 10, bottom: 70}, xAxis: {type: "category", data: data.categories.map(function (c) { return c.name; }), axisLabel: {rotate: 30}},
    yAxis: {type: "value", minInterval: 1}, series: [{type: "bar", name: "未办结", data: data.categories.map(function (c) { return c.value; })}]});
  var units = echarts.init(document.getElementById("chart-units"));
  units.setOption({title: {text: "未办结隐患（按责任单位）", textStyle: {fontSize: 14}}, tooltip: {}, legend: {top: 20},
    grid: {left: 40, right: 10, bottom: 70, top: 50}, xAxis: {type: "category", data: data.units.map(function (u) { return u.name; }), axisLabel: {rotate: 30}},
    yAxis: {type: "value", minInterval: 1}, series: [{type: "bar", name: "未办结", data: data.units.map(function (u) { return u.open; })},
    {type: "bar", name: "逾期", data: data.units.map(function (u) { return u.overdue; })}]});
  window.addEventListener("resize", function () { cat.resize(); units.resize(); });
})();
