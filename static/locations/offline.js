// Offline: registers the service worker (templates/locations/service-worker.js); on a page
// shown from its stored copy, states the copy's instant in the browser's own time and works
// out each outlet's status at the browser's instant from the open intervals the server
// wrote into the page (data-open: the same hours rules, never a copy of them here), and
// keeps the "open now" filter true; on the offline page, lists what is stored on this
// device. Without script, or without service workers, pages work as before.
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
          day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit",
          timeZoneName: "short",
        }).format(new Date(banner.dataset.storedAt));
      } catch (error) { /* the server's wording stays */ }
    }
    var list = document.querySelector("[data-stored-pages]");
    if (list && window.caches) listStored(list);
    var save = document.querySelector("[data-save-offline]");
    if (save && !banner && "serviceWorker" in navigator) offerSaving(save);
    if (banner) {
      var openNow = document.querySelector("form.search input[name=open_now]");
      if (openNow) openNow.addEventListener("change", refreshStatuses);
      refreshStatuses();
      setInterval(refreshStatuses, 30000);
    }
  });

  // "Save for offline": the worker keeps the nearest outlets and their pages.
  function offerSaving(box) {
    var button = box.querySelector("button"), status = box.querySelector("[role=status]");
    navigator.serviceWorker.ready.then(function (registration) {
      box.hidden = false;
      button.addEventListener("click", function () {
        var list = new URL(location.href);
        list.searchParams.set("limit", box.dataset.limit);
        list.searchParams.delete("page");
        var channel = new MessageChannel();
        button.disabled = true;
        status.textContent = status.dataset.saving;
        channel.port1.onmessage = function (event) {
          var answer = event.data;
          button.disabled = false;
          status.textContent = answer.error ? status.dataset.failed : status.dataset.saved
            .replace("{count}", answer.outlets)
            .replace("{size}", size(answer.bytes));
        };
        registration.active.postMessage(
          { save: list.pathname + list.search, as: location.pathname + location.search },
          [channel.port2]
        );
      });
    });
  }

  function size(bytes) {
    var format = function (value) {
      return new Intl.NumberFormat(document.documentElement.lang || undefined, {
        maximumFractionDigits: 1,
      }).format(value);
    };
    return bytes < 1e6 ? format(bytes / 1e3) + " kB" : format(bytes / 1e6) + " MB";
  }

  var DAY = 86400;
  var WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

  function refreshStatuses() {
    var source = document.getElementById("status-text");
    if (!source) return;
    var text = JSON.parse(source.textContent);
    var now = Math.floor(Date.now() / 1000);
    Array.prototype.forEach.call(document.querySelectorAll(".status[data-open]"), function (badge) {
      var status = statusAt(badge, now, text);
      if (!status) return;  // beyond the period the page knows: the stored label stays
      badge.dataset.state = status.state;
      badge.className = "status status-" + status.state;
      badge.textContent = status.label;
    });
    // "Open now": outlets closed since the copy was made are left out of the list.
    var openNow = document.querySelector("form.search input[name=open_now]");
    Array.prototype.forEach.call(document.querySelectorAll("li.result"), function (item) {
      var badge = item.querySelector(".status[data-state]");
      var state = badge && badge.dataset.state;
      item.hidden = !!(openNow && openNow.checked && state !== "open" && state !== "closing_soon");
    });
  }

  // The status at ``now`` (Unix seconds) from the badge's open intervals, labelled as the
  // server labels it (locations.hours.status_label), or null outside the known period.
  function statusAt(badge, now, text) {
    var from = Number(badge.dataset.from), until = Number(badge.dataset.until);
    if (!(now >= from && now < until)) return null;
    var edges = [], total = 0;
    badge.dataset.open.split(" ").forEach(function (step) {
      if (step) { total += Number(step); edges.push(total); }
    });
    var open = false, change = null, whole = false;
    for (var i = 0; i + 1 < edges.length; i += 2) {
      if (now < edges[i]) { change = edges[i]; break; }
      if (now < edges[i + 1]) {
        open = true;
        change = edges[i + 1] < until ? edges[i + 1] : null;
        whole = edges[i] <= from && edges[i + 1] >= until;
        break;
      }
    }
    var soon = change !== null && change - now <= text.soon_seconds;
    var state = open ? (soon ? "closing_soon" : "open") : (soon ? "opening_soon" : "closed");
    var label;
    if (change === null) {
      label = open ? (whole ? text.open_24_hours : text.open_beyond) : text.closed_beyond;
    } else {
      label = text[state].replace("%(when)s", whenLabel(now, change, badge.dataset, text));
    }
    return { state: state, label: label };
  }

  // As locations.hours.when_label: "21:00 WIB" within a day, "Tue 09:00 WIB" within the
  // week, "21 Mar 09:00 WIB" beyond, in the outlet's own zone.
  function whenLabel(now, change, outlet, text) {
    var here = localParts(now, outlet.zone), then = localParts(change, outlet.zone);
    var clock = then.hour + ":" + then.minute;
    var sameDay = here.year === then.year && here.month === then.month && here.day === then.day;
    var label;
    if (sameDay || change - now < DAY) label = clock;
    else if (change - now < 6 * DAY) label = text.weekdays[then.weekday] + " " + clock;
    else {
      label = text.day_month
        .replace("%(day)s", then.day)
        .replace("%(month)s", text.months[then.month - 1]) + " " + clock;
    }
    return (label + " " + (outlet.zoneLabel || "")).trim();
  }

  function localParts(seconds, zone) {
    var parts = {};
    new Intl.DateTimeFormat("en-US", {
      timeZone: zone, year: "numeric", month: "numeric", day: "numeric",
      hour: "2-digit", minute: "2-digit", weekday: "short", hourCycle: "h23",
    }).formatToParts(new Date(seconds * 1000)).forEach(function (part) {
      parts[part.type] = part.value;
    });
    return {
      year: Number(parts.year), month: Number(parts.month), day: Number(parts.day),
      hour: ("0" + Number(parts.hour)).slice(-2), minute: ("0" + Number(parts.minute)).slice(-2),
      weekday: WEEKDAYS.indexOf(parts.weekday),
    };
  }

  // The pages the worker keeps, each by its title: searches first, then outlet pages,
  // the newest first.
  function listStored(list) {
    caches.open("axisfinder-pages").then(function (cache) {
      return cache.keys().then(function (requests) {
        return Promise.all(requests.reverse().map(function (request) {
          return cache.match(request, { ignoreVary: true }).then(function (response) {
            return response.text().then(function (html) {
              // The title alone is parsed: the whole page would bring its inline style,
              // whose nonce is not this page's.
              var found = /<title>([^<]*)<\/title>/.exec(html);
              var title = found ? new DOMParser().parseFromString(
                "<title>" + found[1] + "</title>", "text/html").title : "";
              var search = new URL(request.url).pathname === "/";
              return { url: request.url, title: title.replace(/ · axisfinder$/, "") || request.url, search: search };
            });
          });
        }));
      });
    }).then(function (pages) {
      pages.sort(function (a, b) { return b.search - a.search; });  // stable: newest first
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
