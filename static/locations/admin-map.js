// The outlet form's map: a pin at the outlet's coordinates. Clicking the map or dragging
// the pin writes the latitude and longitude fields; typing in them moves the pin.
// django-leaflet creates the map and calls window.axisfinderAdminMap(map); the map's
// element names the two fields (data-latitude-field, data-longitude-field) and keeps
// the pin's position in data-latitude and data-longitude (written by the server for a
// saved outlet, so a form without editable fields still shows where the outlet is).
(function () {
  "use strict";

  var DECIMALS = 6; // about 10 cm, as the site writes coordinates everywhere
  var PIN_ZOOM = 16; // streets and buildings, to place a pin at a shop front

  // A field's number when it holds one within [-limit, limit], else null.
  function reading(input, limit) {
    var text = input.value.trim();
    if (text === "") return null;
    var value = Number(text);
    return isFinite(value) && Math.abs(value) <= limit ? value : null;
  }

  window.axisfinderAdminMap = function (map) {
    var element = map.getContainer();
    var latitudeInput = document.getElementById(element.dataset.latitudeField);
    var longitudeInput = document.getElementById(element.dataset.longitudeField);
    var editable = Boolean(latitudeInput && longitudeInput);
    var pin = null;

    function keep(latlng) {
      element.dataset.latitude = latlng.lat.toFixed(DECIMALS);
      element.dataset.longitude = latlng.lng.toFixed(DECIMALS);
    }

    function write(latlng) {
      latitudeInput.value = latlng.lat.toFixed(DECIMALS);
      longitudeInput.value = latlng.lng.toFixed(DECIMALS);
    }

    function place(latlng) {
      if (pin === null) {
        pin = L.marker(latlng, {
          draggable: editable,
          alt: element.dataset.pinLabel,
          title: element.dataset.pinLabel,
        }).addTo(map);
        pin.on("dragend", function () {
          // A pin dragged across the antimeridian comes back with a longitude past 180.
          var latlng = pin.getLatLng().wrap();
          pin.setLatLng(latlng);
          keep(latlng);
          write(latlng);
        });
      } else {
        pin.setLatLng(latlng);
      }
      keep(latlng);
    }

    function typed() {
      var latitude = reading(latitudeInput, 90);
      var longitude = reading(longitudeInput, 180);
      if (latitude === null || longitude === null) return null;
      return L.latLng(latitude, longitude);
    }

    var start = editable
      ? typed()
      : element.dataset.latitude && element.dataset.longitude
        ? L.latLng(Number(element.dataset.latitude), Number(element.dataset.longitude))
        : null;
    if (start) {
      place(start);
      map.setView(start, PIN_ZOOM);
    }
    if (!editable) return;

    map.on("click", function (event) {
      var latlng = event.latlng.wrap();
      place(latlng);
      write(latlng);
    });

    function follow() {
      var latlng = typed();
      if (latlng === null) return;
      place(latlng);
      // Small corrections move the pin on a still map; a point out of view is brought in.
      if (!map.getBounds().contains(latlng)) map.panTo(latlng);
    }
    [latitudeInput, longitudeInput].forEach(function (input) {
      input.addEventListener("input", follow);
      input.addEventListener("change", follow);
    });
  };
})();
