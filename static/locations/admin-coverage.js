// The coverage screen's map: the worst postcodes as circles, larger and darker the
// farther they are from an outlet, and the proposed sites as pins. The tables above and
// below are the answer; the map only shows where. django-leaflet creates the map and
// calls window.axisfinderCoverage(map); the map's element names the JSON script that
// holds the points (data-source), with each popup's lines already worded by the server,
// written here with textContent.
(function () {
  "use strict";

  var SMALLEST = 4; // circle radius in pixels at the shortest distance shown
  var LARGEST = 16; // ... and at the longest
  var COLOURS = ["#fdae61", "#f46d43", "#d73027", "#a50026"]; // near to far

  function popup(lines) {
    var box = document.createElement("div");
    lines.forEach(function (text, n) {
      var line = document.createElement(n === 0 ? "strong" : "div");
      line.textContent = text;
      box.appendChild(line);
    });
    return box;
  }

  window.axisfinderCoverage = function (map) {
    var element = map.getContainer();
    var source = document.getElementById(element.dataset.source);
    if (!source) return;
    var data = JSON.parse(source.textContent);
    var far = data.postcodes.reduce(function (most, point) {
      return Math.max(most, point.km);
    }, 0);
    var drawn = [];
    // Nearest first, so the farthest (largest) circles are drawn on top.
    data.postcodes
      .slice()
      .reverse()
      .forEach(function (point) {
        var share = far > 0 ? point.km / far : 0;
        var colour = COLOURS[Math.min(COLOURS.length - 1, Math.floor(share * COLOURS.length))];
        var circle = L.circleMarker([point.lat, point.lng], {
          radius: SMALLEST + share * (LARGEST - SMALLEST),
          color: colour,
          fillColor: colour,
          fillOpacity: 0.55,
          weight: 1,
          className: "coverage-postcode",
        });
        circle.bindPopup(popup(point.lines));
        circle.addTo(map);
        drawn.push(circle.getLatLng());
      });
    data.sites.forEach(function (site) {
      var pin = L.marker([site.lat, site.lng], { alt: site.label, title: site.label });
      pin.bindPopup(popup(site.lines));
      pin.addTo(map);
      pin.getElement().classList.add("coverage-site");
      drawn.push(pin.getLatLng());
    });
    if (drawn.length) map.fitBounds(L.latLngBounds(drawn), { padding: [20, 20], maxZoom: 10 });
  };
})();
