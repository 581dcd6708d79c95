/* A county's outline with points on it, in ECharts' geo coordinate system (longitude/latitude on a
   map projection, never cartesian axes). Outlines are the platform's shipped boundary files
   (/static/orgs/boundaries/<city code>.json, one feature per county by GB/T 2260 code), fetched from
   this server: no online tiles.

   MofangCountyMap.draw(el, {county: "330822", points: [{name, value: [lon, lat], ...}],
                             series: function (points) { return [ECharts scatter series] },
                             tooltip: function (params) { return text }})
   returns a promise of the chart; el gets data-state="ready" when drawn, and data-outline="none"
   when no outline is shipped for the county (the points are then drawn on a plain frame). */
(function () {
  "use strict";
  var base = (document.currentScript && document.currentScript.src || "/static/orgs/county_map.js")
    .replace(/county_map\.js(\?.*)?$/, "boundaries/");
  var files = {};

  function cityFile(code) {
    if (!/^\d{6}$/.test(code || "")) { return Promise.resolve(null); }
    var name = code.slice(0, 4) + "00";
    if (!files[name]) {
      files[name] = fetch(base + name + ".json", {credentials: "same-origin"})
        .then(function (r) { return r.ok ? r.json() : null; })
        .catch(function () { return null; });
    }
    return files[name];
  }

  function outline(code) {
    return cityFile(code).then(function (data) {
      var f = data && data.features.filter(function (x) { return String(x.properties.code) === code; })[0];
      return f ? {type: "FeatureCollection", features: [f]} : null;
    });
  }

  // no outline shipped: an invisible frame around the points keeps the geo coordinate system
  function frame(points) {
    var xs = points.map(function (p) { return p.value[0]; }), ys = points.map(function (p) { return p.value[1]; });
    if (!xs.length) { xs = [120, 120.1]; ys = [30, 30.1]; }
    var x0 = Math.min.apply(null, xs) - 0.05, x1 = Math.max.apply(null, xs) + 0.05;
    var y0 = Math.min.apply(null, ys) - 0.05, y1 = Math.max.apply(null, ys) + 0.05;
    return {type: "FeatureCollection", features: [{type: "Feature", properties: {name: ""},
      geometry: {type: "Polygon", coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}}]};
  }

  function draw(el, opts) {
    var points = (opts.points || []).filter(function (p) { return p.value && p.value[0] !== null && p.value[1] !== null; });
    el.setAttribute("data-state", "drawing");
    return outline(opts.county).then(function (geo) {
      var name = "county-" + (geo ? opts.county : "frame-" + Math.random().toString(36).slice(2));
      el.setAttribute("data-outline", geo ? opts.county : "none");
      echarts.registerMap(name, geo || frame(points));
      var chart = echarts.getInstanceByDom(el) || echarts.init(el, null, {renderer: "svg"});
      chart.on("finished", function () { el.setAttribute("data-state", "ready"); });
      chart.setOption({
        tooltip: {trigger: "item", formatter: opts.tooltip || function (p) { return p.name; }},
        geo: {map: name, roam: false, layoutCenter: ["50%", "50%"], layoutSize: "95%", silent: !geo,
          label: {show: false}, emphasis: {disabled: true},
          itemStyle: geo ? {areaColor: "#eef3f8", borderColor: "#5b7a99", borderWidth: 1.2}
                         : {areaColor: "transparent", borderColor: "transparent"}},
        series: opts.series(points)
      }, true);
      return chart;
    });
  }

  window.MofangCountyMap = {draw: draw, outline: outline};
})();
