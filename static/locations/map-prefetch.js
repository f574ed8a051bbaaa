// Without a search, the map opens on the whole country: ask for its first clusters now,
// while Leaflet is still loading, at the zoom Leaflet's fitBounds will choose for this
// map's size. map.js takes the answer if the zoom agrees, and asks again if not.
(function () {
  "use strict";
  var source = document.getElementById("map-config");
  var box = document.getElementById("map");
  if (!source || !box || !window.fetch) return;
  var config = JSON.parse(source.textContent);
  if (config.origin || !config.bounds) return;
  var south = config.bounds[0][0], west = config.bounds[0][1];
  var north = config.bounds[1][0], east = config.bounds[1][1];
  function mercator(lat) {  // Web Mercator y of a latitude, 0 to 1 from north to south
    var sin = Math.sin((lat * Math.PI) / 180);
    return 0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI);
  }
  var scale = Math.min(
    box.clientWidth / (256 * ((east - west) / 360)),
    box.clientHeight / (256 * (mercator(south) - mercator(north)))
  );
  if (!(scale > 0)) return;
  // As Leaflet's getBoundsZoom: within 1% of a level counts as that level, then floor.
  var zoom = Math.floor(Math.round(Math.log2(scale) * 100) / 100);
  zoom = Math.max(config.zoom_range[0], Math.min(config.zoom_range[1], zoom));
  var url = config.api.clusters + "?bbox=" + [west, south, east, north].join(",") +
    "&zoom=" + zoom + (config.filters ? "&" + config.filters : "");
  window.axisfinderFirstClusters = {
    zoom: zoom,
    answer: fetch(url).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    }),
  };
})();
