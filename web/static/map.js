// /map: draws the cities of #map-data on the vendored China outline; the year slider replays
// the spread (a city appears once it has used the phrase, sized by its per-10k so far).
(function () {
  "use strict";
  var holder = document.getElementById("spread-map");
  var source = document.getElementById("map-data");
  if (!holder || !source || typeof echarts === "undefined") return;
  var data = JSON.parse(source.textContent);
  var slider = document.getElementById("map-year");
  var label = document.getElementById("map-year-label");
  var play = document.getElementById("map-play");
  var years = data.years;
  var firstYears = data.cities.map(function (c) { return c.first_year; })
    .filter(function (y) { return y !== null; });
  var minFirst = Math.min.apply(null, firstYears.concat([years[0] || 0]));
  var maxFirst = Math.max.apply(null, firstYears.concat([years[years.length - 1] || 0]));
  var chart = null;

  function pointsUpTo(year) {
    var index = years.indexOf(year);
    var used = [], unused = [];
    data.cities.forEach(function (c) {
      var at = index >= 0 ? c.years[index] : null;
      var rate = at ? at.per_10k : c.per_10k;
      var item = { name: c.city, value: [c.lng, c.lat, rate, c.first_year || 0],
                   city: c.city, first: c.first_year, hits: at ? at.occurrences : c.occurrences,
                   reports: at ? at.reports : c.reports };
      if (c.first_year !== null && c.first_year <= year) used.push(item);
      else if (!at || at.reports) unused.push(item);
    });
    return { used: used, unused: unused };
  }

  function tooltip(p) {
    var d = p.data;
    return d.city + "<br>" + (d.first ? "首次使用：" + d.first + "年<br>" : "未使用<br>") +
      "截至所选年份：" + d.hits + " 次，" + d.reports + " 份报告，每万字 " +
      d.value[2].toFixed(2) + " 次";
  }

  function draw(year) {
    var pts = pointsUpTo(year);
    var top = Math.max.apply(null, data.cities.map(function (c) { return c.per_10k; }).concat([0.01]));
    label.textContent = year + "年";
    chart.setOption({
      series: [
        { id: "unused", data: pts.unused },
        { id: "used", data: pts.used,
          symbolSize: function (v) { return 8 + 28 * Math.sqrt(v[2] / top); } }
      ]
    });
    holder.setAttribute("data-year", String(year));
    holder.setAttribute("data-shown", String(pts.used.length));
  }

  function start(geo) {
    echarts.registerMap("china", geo);
    chart = echarts.init(holder);
    chart.setOption({
      animation: false,
      tooltip: { trigger: "item", formatter: tooltip },
      visualMap: { type: "continuous", min: minFirst, max: Math.max(maxFirst, minFirst + 1),
                   dimension: 3, seriesIndex: 1, text: ["晚", "早"], calculable: false,
                   inRange: { color: ["#8c1c13", "#f2c14e"] }, left: 10, bottom: 10 },
      geo: { map: "china", roam: true, itemStyle: { areaColor: "#f4f6f9", borderColor: "#b9c0cc" },
             emphasis: { itemStyle: { areaColor: "#e9edf3" } } },
      series: [
        { id: "unused", type: "scatter", coordinateSystem: "geo", symbolSize: 6,
          itemStyle: { color: "#c3c8d0" }, data: [] },
        { id: "used", type: "scatter", coordinateSystem: "geo", data: [],
          itemStyle: { opacity: 0.85, borderColor: "#fff", borderWidth: 1 } }
      ]
    });
    chart.on("click", function (p) {
      if (p.data && p.data.city) window.location.href = "/city/" + encodeURIComponent(p.data.city);
    });
    window.addEventListener("resize", function () { chart.resize(); });
    draw(slider ? Number(slider.value) : years[years.length - 1]);
    holder.setAttribute("data-ready", "1");
  }

  if (slider) {
    slider.addEventListener("input", function () { draw(Number(slider.value)); });
  }
  var timer = null;
  if (play) {
    play.addEventListener("click", function () {
      if (timer) { clearInterval(timer); timer = null; play.textContent = "▶ 播放"; return; }
      var year = years[0];
      slider.value = String(year); draw(year);
      play.textContent = "❚❚ 暂停";
      timer = setInterval(function () {
        year += 1;
        if (year > years[years.length - 1]) {
          clearInterval(timer); timer = null; play.textContent = "▶ 播放"; return;
        }
        slider.value = String(year); draw(year);
      }, 900);
    });
  }
  fetch(holder.getAttribute("data-geo") || "/static/vendor/echarts/china.json")
    .then(function (r) { return r.json(); }).then(start);
})();
