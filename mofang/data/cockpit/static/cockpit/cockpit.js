/* 教育智治一张图: draws the map (a choropleth of the children's outlines, or a county's outline with
   its schools as points in geo coordinates; tiles where no outline is shipped) and the card
   trends from the JSON embedded in the page; the 大屏 re-reads its own page on a timer. */
(function () {
  "use strict";
  var state = {chart: null, trends: [], opts: null, data: null};

  function fmt(v, unit) { return v === null || v === undefined ? "暂无数据" : v + (unit || ""); }

  function drill(id) {
    var d = state.data, q = new URLSearchParams(window.location.search);
    q.set("region", id);
    if (d.indicator) { q.set("indicator", d.indicator.code); q.set("period", d.period); }
    window.location.href = state.opts.base + "?" + q.toString();
  }

  var NO_DATA = "#9e9e9e";

  // labels on coloured regions: light text with a dark halo on the 大屏, dark with a white halo otherwise
  function labelStyle(dark, size) {
    return {show: true, color: dark ? "#f2f8ff" : "#1b1b1b", fontSize: size, textBorderColor: dark ? "#061a2c" : "#ffffff",
      textBorderWidth: 2};
  }

  // every mark is coloured by the server (scale.py) with the same pieces the legend shows
  function colourOf(r) { return r && r.colour ? r.colour : NO_DATA; }

  function outlineGeo(d, dark) {
    var name = "cockpit-outline-" + d.region.id;
    echarts.registerMap(name, d.geo);
    return {map: name, roam: false, layoutCenter: ["50%", "50%"], layoutSize: "92%", silent: true,
      label: {show: false}, emphasis: {disabled: true},
      itemStyle: {areaColor: dark ? "#0f3554" : "#eef3f8", borderColor: dark ? "#7fdbff" : "#5b7a99", borderWidth: 1.5}};
  }

  function option(d, dark) {
    var unit = d.indicator ? d.indicator.unit : "";
    var tip = {trigger: "item", formatter: function (p) {
      var row = p.data && p.data.row; if (!row) { return p.name; }
      return row.name + "<br>" + (d.indicator ? d.indicator.name + "：" + fmt(row.value, unit) : "") +
        (row.band ? "（" + row.band + "）" : "") +
        (row.target !== null && row.target !== undefined ? "<br>目标：" + row.target + unit : "");
    }};
    if (d.mode === "geo") {
      var name = "cockpit-" + d.region.id;
      echarts.registerMap(name, d.geo);
      var byId = {};
      d.children.forEach(function (r) { byId[r.id] = r; });
      // one data item per drawn region: a child without a value is still drawn, grey (暂无数据)
      var items = d.geo.features.map(function (f) {
        var r = byId[f.properties.org_id] || {name: f.properties.name, value: null, colour: NO_DATA, band: "暂无数据"};
        return {name: f.properties.name, value: r.value === null ? NaN : r.value, id: r.id, row: r,
          itemStyle: {areaColor: colourOf(r)}, emphasis: {itemStyle: {areaColor: colourOf(r)}}};
      });
      return {tooltip: tip, series: [{type: "map", map: name, roam: false, selectedMode: false,
        layoutCenter: ["50%", "50%"], layoutSize: "95%",
        label: labelStyle(dark, dark ? 15 : 12), itemStyle: {borderColor: dark ? "#061a2c" : "#ffffff", borderWidth: 1},
        emphasis: {label: labelStyle(dark, dark ? 15 : 12), itemStyle: {borderColor: dark ? "#7fdbff" : "#333", borderWidth: 2}},
        data: items}]};
    }
    var rows = d.children, pts;
    if (d.mode === "tiles") {  // no shipped outline for this region: one tile per child
      pts = rows.map(function (r) { return {value: [r.tile[0], -r.tile[1], r.value === null ? NaN : r.value], id: r.id, row: r,
        name: r.name, itemStyle: {color: colourOf(r)}}; });
      var cols = Math.max.apply(null, rows.map(function (r) { return r.tile[0]; }).concat([0])) + 1;
      var nrows = Math.max.apply(null, rows.map(function (r) { return r.tile[1]; }).concat([0])) + 1;
      return {tooltip: tip, grid: {left: 20, right: 20, top: 20, bottom: 20},
        xAxis: {type: "value", show: false, min: -0.5, max: cols - 0.5}, yAxis: {type: "value", show: false, min: -nrows + 0.5, max: 0.5},
        series: [{type: "scatter", symbol: "roundRect", symbolSize: function () { return state.tileSize || 60; },
          label: {show: true, color: "#000", fontSize: 11, formatter: function (p) { return p.name + "\n" + fmt(p.data.row.value, ""); }},
          itemStyle: {borderColor: dark ? "#5fa8d3" : "#fff", borderWidth: 1}, data: pts}]};
    }
    // a county's schools (or one school) as points on the county's outline, in geo coordinates
    var src = d.mode === "point" ? d.points.map(function (p) { return Object.assign({value: null, target: null}, p); }) : rows;
    pts = src.filter(function (r) { return r.lon !== null && r.lat !== null; }).map(function (r) {
      return {value: [r.lon, r.lat, r.value === null || r.value === undefined ? NaN : r.value], id: r.id, row: r, name: r.name,
        itemStyle: {color: d.mode === "point" ? "#c62828" : colourOf(r)}}; });
    var opt = {tooltip: tip,
      series: [{type: "scatter", coordinateSystem: "geo", symbolSize: d.mode === "point" ? 18 : 12, data: pts,
        itemStyle: {borderColor: dark ? "#ffffff" : "#333333", borderWidth: 1},
        label: Object.assign(labelStyle(dark, dark ? 14 : 11), {show: pts.length <= 40, position: "right",
          formatter: function (p) { return p.name; }})}]};
    opt.geo = d.geo ? outlineGeo(d, dark) : outlineGeo(Object.assign({}, d, {geo: frame(pts)}), dark);
    return opt;
  }

  // no outline shipped for this county: an invisible frame around its schools
  function frame(pts) {
    var xs = pts.map(function (p) { return p.value[0]; }), ys = pts.map(function (p) { return p.value[1]; });
    if (!xs.length) { xs = [120, 120.1]; ys = [30, 30.1]; }
    var x0 = Math.min.apply(null, xs) - 0.05, x1 = Math.max.apply(null, xs) + 0.05;
    var y0 = Math.min.apply(null, ys) - 0.05, y1 = Math.max.apply(null, ys) + 0.05;
    return {type: "FeatureCollection", features: [{type: "Feature", properties: {name: ""},
      geometry: {type: "Polygon", coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}}]};
  }

  function sizeTiles() {
    var d = state.data, el = document.getElementById("cockpit-map");
    if (!d || d.mode !== "tiles" || !el) { return; }
    var cols = Math.max.apply(null, d.children.map(function (r) { return r.tile[0]; }).concat([0])) + 1;
    var nrows = Math.max.apply(null, d.children.map(function (r) { return r.tile[1]; }).concat([0])) + 1;
    state.tileSize = Math.max(30, Math.min((el.clientWidth - 40) / cols, (el.clientHeight - 40) / nrows) - 6);
  }

  function drawTrends(d, dark) {
    state.trends.forEach(function (c) { c.dispose(); });
    state.trends = [];
    (d.cards || []).forEach(function (c, i) {
      var el = document.getElementById("trend-" + (i + 1));
      if (!el) { return; }
      var t = echarts.init(el);
      t.setOption({grid: {left: 2, right: 2, top: 4, bottom: 2}, tooltip: {trigger: "axis"},
        xAxis: {type: "category", show: false, data: c.trend.map(function (p) { return p.period; })},
        yAxis: {type: "value", show: false, scale: true},
        series: [{type: "line", name: c.name, symbolSize: 4, connectNulls: false, lineStyle: {color: dark ? "#7fdbff" : "#1565c0"},
          data: c.trend.map(function (p) { return p.value; })}]});
      state.trends.push(t);
    });
  }

  function draw() {
    var d = state.data, el = document.getElementById("cockpit-map");
    if (!window.echarts || !el) { return; }
    if (!state.chart) {
      state.chart = echarts.init(el, state.opts.dark ? "dark" : null, {renderer: "svg"});
      state.chart.on("click", function (p) { if (p.data && p.data.id && p.data.id !== d.region.id) { drill(p.data.id); } });
      window.addEventListener("resize", function () {
        sizeTiles(); state.chart.resize(); state.trends.forEach(function (t) { t.resize(); }); });
    }
    sizeTiles();
    // settled: drawn and every animation over, so a mark is where pixelOf says and full size; the
    // map's data-state says so too ("drawing" → "ready"), for tests and assistive tools to wait on
    state.settled = false;
    el.setAttribute("data-state", "drawing");
    state.chart.off("finished");
    state.chart.on("finished", function () { state.settled = true; el.setAttribute("data-state", "ready"); });
    state.chart.setOption(option(d, state.opts.dark), true);
    state.chart.off("click");
    state.chart.on("click", function (p) { if (p.data && p.data.id && p.data.id !== state.data.region.id) { drill(p.data.id); } });
    drawTrends(d, state.opts.dark);
    if (state.opts.dark) { state.chart.setOption({backgroundColor: "transparent"}); }
  }

  function refresh() {
    fetch(window.location.href, {credentials: "same-origin", headers: {"X-Requested-With": "fetch"}})
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        ["screen-body", "screen-as-of", "screen-updated"].forEach(function (id) {
          var from = doc.getElementById(id), to = document.getElementById(id);
          if (from && to) { to.innerHTML = from.innerHTML; }
        });
        var legend = doc.querySelector(".map-legend"), here = document.querySelector(".map-legend");
        if (legend && here) { here.innerHTML = legend.innerHTML; }
        state.data = JSON.parse(doc.getElementById("cockpit-data").textContent);
        draw();
        window.cockpitRefreshed = (window.cockpitRefreshed || 0) + 1;
        document.body.setAttribute("data-refreshed", String(window.cockpitRefreshed));
      })
      .catch(function () { /* keep showing the last figures; try again on the next tick */ });
  }

  window.MofangCockpit = {
    start: function (opts) {
      state.opts = opts;
      state.data = JSON.parse(document.getElementById("cockpit-data").textContent);
      draw();
      if (opts.refresh) { window.setInterval(refresh, opts.refresh * 1000); }
    },
    // for tests and assistive tools: the page position of an org's mark on the map
    pixelOf: function (id) {
      var d = state.data, c = state.chart, i;
      if (!c) { return null; }
      if (d.mode === "geo") {
        var f = d.geo.features.filter(function (x) { return x.properties.org_id === id; })[0];
        if (!f) { return null; }
        var ring = f.geometry.type === "Polygon" ? f.geometry.coordinates[0] : f.geometry.coordinates[0][0];
        var cp = f.properties.cp || ring[0];
        return c.convertToPixel({seriesIndex: 0}, cp);
      }
      var data = c.getOption().series[0].data;
      for (i = 0; i < data.length; i++) {
        if (data[i].id === id) { return c.convertToPixel({seriesIndex: 0}, data[i].value.slice(0, 2)); }
      }
      return null;
    },
    chart: function () { return state.chart; },
    settled: function () { return Boolean(state.chart && state.settled); }
  };
})();
