// "Use my location": fill the hidden lat/lng fields from the browser and search.
// Without JavaScript (or without geolocation) the button stays hidden.
(function () {
  "use strict";
  var button = document.querySelector("[data-locate]");
  if (!button || !("geolocation" in navigator)) return;
  var form = button.form;
  button.hidden = false;
  button.addEventListener("click", function () {
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        form.elements.lat.value = position.coords.latitude.toFixed(5);
        form.elements.lng.value = position.coords.longitude.toFixed(5);
        form.elements.q.value = "";
        form.submit();
      },
      function () {
        button.disabled = false;
        button.setAttribute("aria-invalid", "true");
      },
      { timeout: 10000, maximumAge: 60000 }
    );
  });
})();
