/* 隐患上报：在本县边界（ECharts geo 坐标系，边界随平台提供）上点选隐患位置，写入经纬度输入框；
   红点为本校，蓝点为本县其他学校。 */
(function () {
  "use strict";
  if (!window.echarts || !window.MofangCountyMap) { return; }
  var el = document.getElementById("school-map");
  var points = JSON.parse(document.getElementById("school-points").textContent).map(function (p) {
    return {name: p.name, value: p.value, itemStyle: {color: p.own ? "#c0392b" : "#2c7be5"}};
  });
  var picked = [];

  function series() {
    return [{type: "scatter", coordinateSystem: "geo", symbolSize: 9, data: points},
            {type: "scatter", coordinateSystem: "geo", symbol: "pin", symbolSize: 28, itemStyle: {color: "#e67e22"}, data: picked}];
  }

  window.MofangCountyMap.draw(el, {county: el.getAttribute("data-county"), points: points,
    tooltip: function (p) { return p.name || "隐患位置"; },
    series: function () { return series(); }
  }).then(function (chart) {
    chart.getZr().on("click", function (e) {
      var v = chart.convertFromPixel({geoIndex: 0}, [e.offsetX, e.offsetY]);
      if (!v || isNaN(v[0]) || isNaN(v[1])) { return; }
      var lon = v[0].toFixed(6), lat = v[1].toFixed(6);
      document.getElementById("id_lon").value = lon;
      document.getElementById("id_lat").value = lat;
      picked = [{name: "隐患位置", value: [Number(lon), Number(lat)]}];
      chart.setOption({series: series()});
    });
  });
})();
