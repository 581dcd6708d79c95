/* 教育智治一张图: draws the map (geo choropleth, county tiles or school points) and the card
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

  function visualMap(d, values, dark) {
    var lower = d.indicator && d.indicator.direction === "lower";
    var have = values.filter(function (v) { return v !== null && v !== undefined; });
    var min = have.length ? Math.min.apply(null, have) : 0, max = have.length ? Math.max.apply(null, have) : 1;
    if (min === max) { max = min + 1; }
    var colours = dark ? ["#12324a", "#1e88e5", "#7fdbff"] : ["#e3f2fd", "#64b5f6", "#0d47a1"];
    return {type: "continuous", min: min, max: max, calculable: false, left: 10, bottom: 10, dimension: 2,
      inRange: {color: lower ? colours.slice().reverse() : colours},
      text: [(lower ? "低（优）" : "高（优）"), "数据截至 " + (d.as_of ? d.as_of.slice(0, 16).replace("T", " ") : "—")],
      textStyle: {color: dark ? "#cfe8ff" : "#333"}, outOfRange: {color: "#bbb"}};
  }

  function option(d, dark) {
    var unit = d.indicator ? d.indicator.unit : "";
    var text = dark ? "#e0f0ff" : "#333";
    var tip = {trigger: "item", formatter: function (p) {
      var row = p.data && p.data.row; if (!row) { return p.name; }
      return row.name + "<br>" + (d.indicator ? d.indicator.name + "：" + fmt(row.value, unit) : "") +
        (row.target !== null && row.target !== undefined ? "<br>目标：" + row.target + unit : "");
    }};
    if (d.mode === "geo") {
      var name = "cockpit-" + d.region.id;
      echarts.registerMap(name, d.geo);
      var vm = visualMap(d, d.children.map(function (r) { return r.value; }), dark);
      vm.dimension = undefined;
      return {tooltip: tip, visualMap: vm, series: [{type: "map", map: name, roam: false, selectedMode: false,
        label: {show: true, color: text, fontSize: 11}, itemStyle: {borderColor: dark ? "#5fa8d3" : "#fff"},
        emphasis: {label: {color: text}},
        data: d.children.map(function (r) { return {name: r.name, value: r.value === null ? NaN : r.value, id: r.id, row: r}; })}]};
    }
    var rows = d.children, pts;
    if (d.mode === "tiles") {
      pts = rows.map(function (r) { return {value: [r.tile[0], -r.tile[1], r.value === null ? NaN : r.value], id: r.id, row: r,
        name: r.name, itemStyle: r.value === null ? {color: "#9e9e9e"} : undefined}; });
      var cols = Math.max.apply(null, rows.map(function (r) { return r.tile[0]; }).concat([0])) + 1;
      var nrows = Math.max.apply(null, rows.map(function (r) { return r.tile[1]; }).concat([0])) + 1;
      var tvm = visualMap(d, rows.map(function (r) { return r.value; }), dark);
      tvm.left = undefined; tvm.bottom = undefined; tvm.right = 5; tvm.top = "middle"; tvm.itemWidth = 14;
      return {tooltip: tip, visualMap: tvm,
        grid: {left: 20, right: 110, top: 20, bottom: 20},
        xAxis: {type: "value", show: false, min: -0.5, max: cols - 0.5}, yAxis: {type: "value", show: false, min: -nrows + 0.5, max: 0.5},
        series: [{type: "scatter", symbol: "roundRect", symbolSize: function () { return state.tileSize || 60; },
          label: {show: true, color: "#000", fontSize: 11, formatter: function (p) { return p.name + "\n" + fmt(p.data.row.value, ""); }},
          itemStyle: {borderColor: dark ? "#5fa8d3" : "#fff", borderWidth: 1}, data: pts}]};
    }
    // schools as points (a county, or a single school)
    var src = d.mode === "point" ? d.points.map(function (p) { return Object.assign({value: null, target: null}, p); }) : rows;
    pts = src.filter(function (r) { return r.lon !== null && r.lat !== null; }).map(function (r) {
      var none = r.value === null || r.value === undefined;
      return {value: [r.lon, r.lat, none ? NaN : r.value], id: r.id, row: r, name: r.name,
        itemStyle: none ? {color: "#9e9e9e"} : undefined}; });
    var pad = function (v) { var span = Math.max(v.max - v.min, 0.02); return span * 0.12; };
    var opt = {tooltip: tip, grid: {left: 60, right: d.mode === "points" ? 110 : 40, top: 40, bottom: 40},
      xAxis: {type: "value", name: "经度", nameLocation: "middle", nameGap: 24, axisLabel: {color: text}, splitLine: {show: false},
        min: function (v) { return +(v.min - pad(v)).toFixed(3); }, max: function (v) { return +(v.max + pad(v)).toFixed(3); }},
      yAxis: {type: "value", name: "纬度", nameLocation: "middle", nameGap: 44, axisLabel: {color: text}, splitLine: {show: false},
        min: function (v) { return +(v.min - pad(v)).toFixed(3); }, max: function (v) { return +(v.max + pad(v)).toFixed(3); }},
      series: [{type: "scatter", symbolSize: 14, data: pts, itemStyle: {borderColor: dark ? "#fff" : "#333", borderWidth: 0.5},
        label: {show: pts.length <= 40, position: "right", color: text, fontSize: 10, formatter: function (p) { return p.name; }}}]};
    if (d.mode === "points") {
      opt.visualMap = visualMap(d, rows.map(function (r) { return r.value; }), dark);
      opt.visualMap.left = undefined; opt.visualMap.bottom = undefined; opt.visualMap.right = 5; opt.visualMap.top = "middle";
      opt.visualMap.itemWidth = 14;
    }
    return opt;
  }

  function sizeTiles() {
    var d = state.data, el = document.getElementById("cockpit-map");
    if (!d || d.mode !== "tiles" || !el) { return; }
    var cols = Math.max.apply(null, d.children.map(function (r) { return r.tile[0]; }).concat([0])) + 1;
    var nrows = Math.max.apply(null, d.children.map(function (r) { return r.tile[1]; }).concat([0])) + 1;
    state.tileSize = Math.max(30, Math.min((el.clientWidth - 130) / cols, (el.clientHeight - 40) / nrows) - 6);
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
      state.chart = echarts.init(el, state.opts.dark ? "dark" : null);
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
