// The search form: "Use my location", a typed place replacing a located point, and the
// date field shown only for "a date and time". Without JavaScript the form still works
// (the location button stays hidden).
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  if (!form) return;
  var fields = form.elements;

  // A typed place replaces the located point (the server does the same).
  form.addEventListener("submit", function () {
    if (fields.q && fields.q.value.trim()) {
      ["lat", "lng", "near"].forEach(function (name) {
        if (fields[name]) fields[name].value = "";
      });
    }
    // Blank fields stay out of the URL.
    Array.prototype.forEach.call(fields, function (field) {
      if (field.name && !field.value && field.type !== "submit") field.disabled = true;
    });
  });
  window.addEventListener("pageshow", function () {
    Array.prototype.forEach.call(fields, function (field) { field.disabled = false; });
  });

  var when = fields.when, on = fields.on;
  if (when && on) {
    var box = on.closest(".filter");
    var toggle = function () { box.hidden = when.value !== "on"; };
    when.addEventListener("change", function () {
      toggle();
      if (when.value === "on") on.focus();
    });
    toggle();
  }

  var button = form.querySelector("[data-locate]");
  var status = form.querySelector(".locate-status");
  if (!button || !("geolocation" in navigator)) return;
  button.hidden = false;
  function say(key) {
    status.textContent = status.dataset[key];
    status.hidden = false;
    status.classList.toggle("is-error", key !== "locating");
  }
  button.addEventListener("click", function () {
    button.disabled = true;
    say("locating");
    navigator.geolocation.getCurrentPosition(
      function (position) {
        fields.lat.value = position.coords.latitude.toFixed(5);
        fields.lng.value = position.coords.longitude.toFixed(5);
        fields.near.value = "me";
        fields.q.value = "";
        form.requestSubmit ? form.requestSubmit() : form.submit();
      },
      function (error) {
        button.disabled = false;
        say(error.code === 1 ? "denied" : error.code === 3 ? "timeout" : "unavailable");
        fields.q.focus();
      },
      { timeout: 10000, maximumAge: 60000 }
    );
  });
})();
