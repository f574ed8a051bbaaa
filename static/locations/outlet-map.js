/*
 * The outlet page's map: one marker on the outlet (the server opens the map on it).
 *
 * django-leaflet calls window.axisfinderOutletMap(map) once the map exists. The point and
 * the name come from the map element's data- attributes; the name reaches the page only as
 * text (the marker's title, the popup's textContent), never as markup.
 */
(function () {
  "use strict";

  window.axisfinderOutletMap = function (map) {
    var element = map.getContainer();
    var point = [
      parseFloat(element.getAttribute("data-latitude")),
      parseFloat(element.getAttribute("data-longitude"))
    ];
    var name = element.getAttribute("data-name") || "";
    var label = document.createElement("strong");
    label.textContent = name;
    L.marker(point, {
      icon: L.divIcon({
        className: "outlet-marker",
        iconSize: [22, 22],
        iconAnchor: [11, 22],
        popupAnchor: [0, -22]
      }),
      title: name,
      keyboard: true
    }).bindPopup(label).addTo(map);
  };
})();
