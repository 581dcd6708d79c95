/* 公开学校页：学校与学区小区画在学校所在区县的边界上（ECharts geo 坐标系，边界随平台提供；
   坐标来自 json_script "map-points"）。 */
(function () {
  "use strict";
  if (!window.echarts || !window.MofangCountyMap) { return; }
  var el = document.getElementById("district-map");
  var pts = JSON.parse(document.getElementById("map-points").textContent);
  window.MofangCountyMap.draw(el, {county: el.getAttribute("data-county"), points: pts,
    tooltip: function (p) { return p.data ? p.data.name : p.name; },
    series: function (shown) {
      return [
        {type: "scatter", coordinateSystem: "geo", symbolSize: 18, itemStyle: {color: "#d93025"},
         data: shown.filter(function (p) { return p.school; }), label: {show: true, position: "top", formatter: "{b}", color: "#1b1b1b"}},
        {type: "scatter", coordinateSystem: "geo", symbolSize: 10, itemStyle: {color: "#1a73e8"},
         data: shown.filter(function (p) { return !p.school; }), label: {show: true, position: "right", formatter: "{b}", color: "#1b1b1b"}}
      ];
    }
  });
})();
