/* 案件详情：案件位置散点图（坐标来自 json_script "case-point"）。 */
(function () {
  var p = JSON.parse(document.getElementById("case-point").textContent);
  var chart = echarts.init(document.getElementById("case-map"));
  chart.setOption({tooltip: {formatter: function () { return p.name; }},
    xAxis: {type: "value", scale: true, name: "经度"}, yAxis: {type: "value", scale: true, name: "纬度"},
    series: [{type: "scatter", symbolSize: 16, itemStyle: {color: "#c0392b"}, data: [{name: p.name, value: [p.lon, p.lat]}],
              label: {show: true, position: "top", formatter: "{b}"}}]});
})();
