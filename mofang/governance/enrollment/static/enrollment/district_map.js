/* 公开学校页：学校与学区小区位置示意图（坐标来自 json_script "map-points"）。 */
(function () {
  if (!window.echarts) return;
  var pts = JSON.parse(document.getElementById("map-points").textContent);
  var chart = echarts.init(document.getElementById("district-map"));
  chart.setOption({
    tooltip: {formatter: function (p) { return p.data.name; }},
    xAxis: {type: "value", scale: true, name: "经度"}, yAxis: {type: "value", scale: true, name: "纬度"},
    series: [
      {type: "scatter", symbolSize: 18, itemStyle: {color: "#d93025"}, data: pts.filter(function (p) { return p.school; }),
       label: {show: true, position: "top", formatter: "{b}"}},
      {type: "scatter", symbolSize: 10, itemStyle: {color: "#1a73e8"}, data: pts.filter(function (p) { return !p.school; }),
       label: {show: true, position: "right", formatter: "{b}"}}
    ]
  });
})();
