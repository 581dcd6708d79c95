/* 案件详情：案件位置画在所在区县的边界上（ECharts geo 坐标系；边界随平台提供，坐标来自 json_script "case-point"）。 */
(function () {
  "use strict";
  if (!window.echarts || !window.MofangCountyMap) { return; }
  var p = JSON.parse(document.getElementById("case-point").textContent);
  window.MofangCountyMap.draw(document.getElementById("case-map"), {
    county: p.county,
    points: [{name: p.name, value: [p.lon, p.lat]}],
    series: function (pts) {
      return [{type: "scatter", coordinateSystem: "geo", symbol: "pin", symbolSize: 30, itemStyle: {color: "#c0392b"},
        data: pts, label: {show: true, position: "top", formatter: "{b}", color: "#1b1b1b"}}];
    }
  });
})();
