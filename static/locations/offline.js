// Offline: registers the service worker (templates/locations/service-worker.js), shows a
// stored copy's instant in the browser's own time, and on the offline page lists what is
// stored on this device. Without script, or without service workers, pages work as before.
(function () {
  "use strict";
  var script = document.currentScript;
  if ("serviceWorker" in navigator && script && script.dataset.worker) {
    navigator.serviceWorker.register(script.dataset.worker, { scope: "/" }).catch(function () {});
  }

  document.addEventListener("DOMContentLoaded", function () {
    // A stored copy: its instant in the browser's zone and language.
    var banner = document.querySelector(".stored-copy[data-stored-at]");
    var time = banner && banner.querySelector("time");
    if (time && window.Intl) {
      try {
        time.textContent = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
          dateStyle: "medium", timeStyle: "short", timeZoneName: "short",
        }).format(new Date(banner.dataset.storedAt));
      } catch (error) { /* the server's wording stays */ }
    }
    var list = document.querySelector("[data-stored-pages]");
    if (list && window.caches) listStored(list);
  });

  // The pages the worker keeps, newest first, each by its title.
  function listStored(list) {
    caches.open("axisfinder-pages").then(function (cache) {
      return cache.keys().then(function (requests) {
        return Promise.all(requests.reverse().map(function (request) {
          return cache.match(request, { ignoreVary: true }).then(function (response) {
            return response.text().then(function (html) {
              var title = new DOMParser().parseFromString(html, "text/html").title;
              return { url: request.url, title: title || request.url };
            });
          });
        }));
      });
    }).then(function (pages) {
      pages.forEach(function (page) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = page.url;
        link.textContent = page.title;
        item.appendChild(link);
        list.appendChild(item);
      });
      var empty = document.querySelector("[data-stored-empty]");
      if (empty) empty.hidden = pages.length > 0;
    }).catch(function () {});
  }
})();
