/* 隐患上报：在学校散点图上点选隐患位置，写入经纬度输入框。 */
(function () {
  if (!window.echarts) return;
  var points = JSON.parse(document.getElementById("school-points").textContent);
  var chart = echarts.init(document.getElementById("school-map"));
  var picked = [];
  function draw() {
    chart.setOption({tooltip: {formatter: function (p) { return p.name || "隐患位置"; }},
      xAxis: {type: "value", scale: true, name: "经度"}, yAxis: {type: "value", scale: true, name: "纬度"},
      series: [{type: "scatter", data: points.map(function (p) {
                  return {name: p.name, value: p.value, itemStyle: {color: p.own ? "#c0392b" : "#2c7be5"}}; })},
               {type: "scatter", symbol: "pin", symbolSize: 28, data: picked}]});
  }
  draw();
  chart.getZr().on("click", function (e) {
    var v = chart.convertFromPixel({seriesIndex: 0}, [e.offsetX, e.offsetY]);
    if (!v) return;
    var lon = v[0].toFixed(6), lat = v[1].toFixed(6);
    document.getElementById("id_lon").value = lon;
    document.getElementById("id_lat").value = lat;
    picked = [{name: "隐患位置", value: [Number(lon), Number(lat)]}];
    draw();
  });
})();
