// The locator's map, started by django-leaflet:
// {% leaflet_map "map" callback="window.axisfinderMap" creatediv=False %}.
//
// The list the server rendered is the answer, and it works without this script; the map
// adds to it. With a search: the searched point and one marker per listed outlet, in step
// with the list; a city's page ("listed") has the markers without a point. Without one:
// the outlets in view, asked of the API whenever the map stops moving (groups when zoomed
// out). Outlet data reaches the page through textContent and attributes only, never as
// markup. The configuration is the page's "map-config".
(function () {
  "use strict";

  // From this zoom the map asks for each outlet in view (up to PAGE), below it for groups.
  var OUTLET_ZOOM = 13;
  var PAGE = 100;
  var DETAIL_ZOOM = 16;
  // Ask the API once the map has stopped moving for this long.
  var SETTLE_MS = 200;
  // Say "loading" only when an answer is slow: a quick one would only flicker.
  var LOADING_NOTE_MS = 400;
  var PADDING = [24, 24];
  var OPEN_STATES = ["open", "closing_soon"];
  var POPUP = { maxWidth: 280, autoPanPadding: PADDING, closeOnEscapeKey: true };
  var SVG = "http://www.w3.org/2000/svg";
  // Glyphs on a 24-unit grid, drawn as strokes: a shop front for a store, a SIM card for
  // a kiosk. With the marker's shape (square or round) they tell the kinds apart without
  // colour; a closed outlet's marker is hollow and carries a cross.
  var GLYPHS = {
    store: ["M3 4h18l1 5H2z", "M4 9v11h16V9", "M10 20v-6h4v6"],
    kiosk: ["M7 2h7l5 5v15H7z", "M10 11h6v7h-6z"],
  };

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function textOf(root, selector) {
    var node = root.querySelector(selector);
    return node ? node.textContent.trim() : "";
  }

  function glyph(kind) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    (GLYPHS[kind] || GLYPHS.store).forEach(function (d) {
      var path = document.createElementNS(SVG, "path");
      path.setAttribute("d", d);
      svg.appendChild(path);
    });
    return svg;
  }

  // A DivIcon whose element carries attributes (aria-label, data-*) each time Leaflet
  // makes it, so tests and assistive technology read the same marker however it was made.
  var MarkerIcon = L.DivIcon.extend({
    createIcon: function (oldIcon) {
      var div = L.DivIcon.prototype.createIcon.call(this, oldIcon);
      var attributes = this.options.attributes || {};
      Object.keys(attributes).forEach(function (name) {
        div.setAttribute(name, attributes[name]);
      });
      return div;
    },
  });

  function directionsTo(latitude, longitude) {
    var to = Number(latitude).toFixed(6) + "," + Number(longitude).toFixed(6);
    return [
      {
        provider: "google",
        href: "https://www.google.com/maps/dir/?api=1&destination=" + to,
        text: "Google Maps",
      },
      {
        provider: "osm",
        href: "https://www.openstreetmap.org/directions?to=" + to,
        text: "OpenStreetMap",
      },
    ];
  }

  window.axisfinderMap = function (map) {
    var source = document.getElementById("map-config");
    if (!source) return;
    var config = JSON.parse(source.textContent);
    var text = config.text;
    var container = map.getContainer();
    var list = document.querySelector("ol.results");
    var items = list ? Array.prototype.slice.call(list.querySelectorAll("li.result")) : [];
    var at = new URLSearchParams(config.filters || "").get("at");
    var searching = (config.origin !== null && config.origin !== undefined) || !!config.listed;

    if (text.map_label && !container.hasAttribute("aria-label")) {
      container.setAttribute("aria-label", text.map_label);
    }
    // Leaflet's own controls speak the page's language too.
    container.querySelectorAll(".leaflet-control-zoom-in").forEach(function (button) {
      button.title = text.zoom_in;
      button.setAttribute("aria-label", text.zoom_in);
    });
    container.querySelectorAll(".leaflet-control-zoom-out").forEach(function (button) {
      button.title = text.zoom_out;
      button.setAttribute("aria-label", text.zoom_out);
    });
    map.on("popupopen", function (event) {
      var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close) close.setAttribute("aria-label", text.close);
    });

    // --- Moves: ours, or the visitor's ------------------------------------------------

    // Set before each move this script makes (and by a popup's own panning); the next
    // moveend takes it back. Any other move is the visitor's, and offers "search this area".
    var ownMove = false;

    function moveMap(move) {
      ownMove = true;
      move();
    }

    map.on("autopanstart", function () {
      ownMove = true;
    });
    // The visitor's own gesture comes first: whatever follows it is theirs.
    ["pointerdown", "wheel", "keydown"].forEach(function (type) {
      container.addEventListener(type, function (event) {
        if (!event.target.closest(".leaflet-marker-icon, .leaflet-popup")) ownMove = false;
      }, true);
    });

    // --- Controls: "search this area", and a status line --------------------------------

    var SearchArea = L.Control.extend({
      options: { position: "topright" },
      onAdd: function () {
        var box = L.DomUtil.create("div", "map-search-area");
        var button = element("button", "map-search-area-button", text.search_area);
        button.type = "button";
        button.addEventListener("click", function () {
          var centre = map.getCenter();
          var url = config.search_url + (config.search_url.indexOf("?") >= 0 ? "&" : "?");
          window.location.assign(
            url + "lat=" + centre.lat.toFixed(5) + "&lng=" + centre.lng.toFixed(5) + "&near=map"
          );
        });
        box.appendChild(button);
        box.hidden = true;
        L.DomEvent.disableClickPropagation(box);
        return box;
      },
    });
    var searchArea = new SearchArea().addTo(map);

    var Status = L.Control.extend({
      options: { position: "bottomleft" },
      onAdd: function () {
        var line = L.DomUtil.create("div", "map-status");
        line.setAttribute("role", "status");
        line.setAttribute("aria-live", "polite");
        L.DomEvent.disableClickPropagation(line);
        return line;
      },
    });
    var status = new Status().addTo(map);

    function note(message, state) {
      var line = status.getContainer();
      line.textContent = message || "";
      line.setAttribute("data-state", message ? state : "idle");
    }

    function markReady() {
      container.dataset.ready = "true";
    }

    // --- The list and the map in step ------------------------------------------------------

    var selected = null;
    var selectedIcon = null;

    // On a narrow screen the locator's map sits below the list (a city's, above it):
    // scrolling one into view moves the other out of it.
    function mapApartFromList() {
      if (!list) return false;
      var map = container.getBoundingClientRect();
      var listBox = list.getBoundingClientRect();
      return map.top >= listBox.bottom - 1 || map.bottom <= listBox.top + 1;
    }

    function itemFor(code) {
      return list ? list.querySelector('li.result[data-code="' + CSS.escape(code) + '"]') : null;
    }

    function select(code, icon, fromList) {
      var item = itemFor(code);
      if (selected && selected !== item) {
        selected.classList.remove("is-selected");
        selected.removeAttribute("aria-current");
      }
      if (selectedIcon && selectedIcon !== icon) selectedIcon.classList.remove("is-selected");
      selected = item;
      selectedIcon = icon || null;
      if (selectedIcon) selectedIcon.classList.add("is-selected");
      if (!item) return;
      item.classList.add("is-selected");
      item.setAttribute("aria-current", "true");
      if (!fromList && !mapApartFromList()) item.scrollIntoView({ block: "nearest" });
    }

    function revealMap() {
      var box = container.getBoundingClientRect();
      if (box.top < 0 || box.bottom > window.innerHeight) {
        container.scrollIntoView({ block: "nearest" });
      }
    }

    // --- Popups -----------------------------------------------------------------------------

    // Where focus goes back to when the popup that took it closes.
    var focusReturn = null;
    var openPopup = null;

    function focusInto(popup) {
      var box = popup.getElement();
      if (!box) return;
      var target = box.querySelector(".map-popup a[href]") || box.querySelector(".map-popup-box");
      if (target) target.focus({ preventScroll: true });
    }

    map.on("popupopen", function (event) {
      openPopup = event.popup;
    });
    map.on("popupclose", function (event) {
      if (openPopup === event.popup) openPopup = null;
      var box = event.popup.getElement();
      var active = document.activeElement;
      var focusWasInside = !active || active === document.body || (box && box.contains(active));
      if (focusReturn && focusReturn.popup === event.popup && focusWasInside) {
        var back = document.contains(focusReturn.element) ? focusReturn.element : container;
        back.focus({ preventScroll: true });
      }
      if (focusReturn && focusReturn.popup === event.popup) focusReturn = null;
    });

    function popupContent(outlet) {
      var box = element("div", "map-popup");
      box.dataset.code = outlet.code;
      var name = element("p", "map-popup-name");
      var link = element("a", null, outlet.name);
      link.href = outlet.url;
      name.appendChild(link);
      box.appendChild(name);
      var facts = element("p", "map-popup-facts");
      facts.appendChild(element("span", "kind", outlet.kindLabel));
      if (outlet.distance) {
        facts.appendChild(document.createTextNode(" · "));
        facts.appendChild(element("span", "distance", outlet.distance));
      }
      box.appendChild(facts);
      var state = element("p", outlet.statusClass, outlet.statusLabel);
      state.dataset.state = outlet.state;
      box.appendChild(state);
      if (outlet.today) box.appendChild(element("p", "today", outlet.today));
      if (outlet.directions.length) {
        var links = element("p", "directions-links");
        links.appendChild(element("span", "map-popup-label", text.directions));
        outlet.directions.forEach(function (way) {
          links.appendChild(document.createTextNode(" "));
          var anchor = element("a", "directions", way.text);
          anchor.href = way.href;
          anchor.dataset.provider = way.provider;
          links.appendChild(anchor);
        });
        box.appendChild(links);
      }
      return box;
    }

    function kindLabel(kind) {
      return kind === "kiosk" ? text.kiosk : text.store;
    }

    // A list item's popup: what the list says, as the list says it.
    function itemPopup(item) {
      var name = item.querySelector(".name a");
      var state = item.querySelector("[data-state]");
      return popupContent({
        code: item.dataset.code,
        name: name ? name.textContent.trim() : item.dataset.code,
        url: name ? name.href : "",
        kindLabel: textOf(item, ".kind") || kindLabel(item.dataset.kind),
        statusClass: state ? state.className : "status",
        state: state ? state.dataset.state : "",
        statusLabel: state ? state.textContent.trim() : "",
        distance: textOf(item, ".distance"),
        today: textOf(item, ".today"),
        directions: Array.prototype.map.call(item.querySelectorAll("a.directions"), function (a) {
          return { provider: a.dataset.provider || "", href: a.href, text: a.textContent.trim() };
        }),
      });
    }

    // "Today 08:00–22:00" from the detail's hours_today ("" when closed all day; absent
    // from GeoJSON features, which then show no line).
    function todayText(outlet) {
      if (outlet.hours_today === undefined) return "";
      if (!outlet.hours_today) return text.closed_today;
      if (outlet.hours_today === "00:00–24:00") return text.open_24_hours;
      return text.today.replace("{hours}", outlet.hours_today);
    }

    // A popup from the API's fields (a GeoJSON feature's properties, or an outlet's detail).
    function answerPopup(outlet) {
      return popupContent({
        code: outlet.code,
        name: outlet.name,
        url: outlet.url,
        kindLabel: kindLabel(outlet.kind),
        statusClass: "status status-" + outlet.status.state,
        state: outlet.status.state,
        statusLabel: outlet.status.label,
        distance: "",
        today: todayText(outlet),
        directions: directionsTo(outlet.latitude, outlet.longitude),
      });
    }

    // --- Markers ------------------------------------------------------------------------------

    // What Enter and Space do on a focused marker (Leaflet's own Enter would toggle a
    // popup through the deprecated keypress event, and Space would do nothing).
    var activators = new WeakMap();

    function onActivate(marker, activate) {
      marker.on("click", function () {
        activate(false);
      });
      marker.on("add", function () {
        activators.set(marker.getElement(), activate);
      });
    }

    container.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && openPopup) {
        event.preventDefault();
        map.closePopup(openPopup);
        return;
      }
      if (event.key !== "Enter" && event.key !== " ") return;
      var icon = event.target.closest(".leaflet-marker-icon");
      var activate = icon && activators.get(icon);
      if (!activate) return;
      event.preventDefault();
      activate(true);
    });

    function outletLabel(outlet) {
      return [outlet.name, kindLabel(outlet.kind), outlet.statusLabel].filter(Boolean).join(", ");
    }

    function outletIcon(outlet) {
      var body = element("span", "map-marker-body");
      body.appendChild(glyph(outlet.kind));
      if (!outlet.open) {
        var cross = element("span", "map-marker-badge", "×");
        cross.setAttribute("aria-hidden", "true");
        body.appendChild(cross);
      }
      return new MarkerIcon({
        className:
          "map-marker map-outlet map-" + outlet.kind + (outlet.open ? " is-open" : " is-closed"),
        html: body,
        iconSize: [34, 34],
        iconAnchor: [17, 17],
        popupAnchor: [0, -17],
        attributes: {
          "aria-label": outletLabel(outlet),
          "data-code": outlet.code,
          "data-kind": outlet.kind,
          "data-state": outlet.state,
          "data-open": String(outlet.open),
        },
      });
    }

    // ``outlet``: code, kind, name, latitude, longitude, state, open, statusLabel, and
    // content(): the popup's element, or a promise of it.
    function outletMarker(outlet) {
      var latlng = L.latLng(outlet.latitude, outlet.longitude);
      var marker = L.marker(latlng, {
        icon: outletIcon(outlet),
        keyboard: true,
        title: outlet.name,
        riseOnHover: true,
        // Brought into view on focus below, as a move of ours.
        autoPanOnFocus: false,
      });
      var box = element("div", "map-popup-box");
      box.tabIndex = -1;
      var filled = false;
      var loading = null;

      function fill(content) {
        box.replaceChildren(content);
        filled = true;
      }

      onActivate(marker, function (byKeyboard) {
        // A click: Leaflet toggles the popup itself, and focus stays where the pointer is.
        focusReturn = null;
        if (!byKeyboard) return;
        if (marker.isPopupOpen()) {
          marker.closePopup();
        } else {
          focusReturn = { marker: marker, element: marker.getElement() };
          marker.openPopup();
        }
      });

      // Leaflet asks for the content each time the popup opens or updates: the first time,
      // build it (or start loading it).
      marker.bindPopup(function () {
        if (filled || loading) return box;
        var content = outlet.content();
        if (content instanceof Element) {
          fill(content);
          return box;
        }
        box.replaceChildren(element("p", "map-popup-note", text.loading));
        loading = content.then(
          function (answer) {
            fill(answer.content);
            outlet.name = answer.name;
            outlet.statusLabel = answer.statusLabel;
            marker.options.title = answer.name;
            marker.options.icon.options.attributes["aria-label"] = outletLabel(outlet);
            var icon = marker.getElement();
            if (icon) {
              icon.title = answer.name;
              icon.setAttribute("aria-label", outletLabel(outlet));
            }
          },
          function () {
            box.replaceChildren(element("p", "map-popup-note", text.load_failed));
          }
        );
        loading.then(function () {
          loading = null;
          if (!marker.isPopupOpen()) return;
          var hadFocus = document.activeElement === box;
          marker.getPopup().update();
          if (hadFocus) focusInto(marker.getPopup());
        });
        return box;
      }, POPUP);

      marker.on("popupopen", function (event) {
        var request = focusReturn && focusReturn.marker === marker ? focusReturn : null;
        select(outlet.code, marker.getElement(), !!(request && request.fromList));
        if (request) {
          request.popup = event.popup;
          focusInto(event.popup);
        }
      });


      marker.on("add", function () {
        marker.getElement().addEventListener("focus", function () {
          if (!map.getBounds().contains(latlng)) moveMap(function () { map.panTo(latlng); });
        });
      });
      return marker;
    }

    // Focus left on a marker that goes away would fall to the page: keep it in the map.
    function keepFocus(removing) {
      var active = document.activeElement;
      var icon = removing.getElement();
      if (icon && active && icon.contains(active)) container.focus({ preventScroll: true });
    }

    // --- With a search: the listed outlets ------------------------------------------------

    function outletFromItem(item) {
      var state = item.querySelector("[data-state]");
      var stateName = state ? state.dataset.state : "closed";
      return {
        code: item.dataset.code,
        kind: item.dataset.kind,
        name: textOf(item, ".name"),
        latitude: parseFloat(item.dataset.latitude),
        longitude: parseFloat(item.dataset.longitude),
        state: stateName,
        open: OPEN_STATES.indexOf(stateName) >= 0,
        statusLabel: state ? state.textContent.trim() : "",
        content: function () {
          return itemPopup(item);
        },
      };
    }

    function showOrigin() {
      var origin = L.latLng(config.origin.latitude, config.origin.longitude);
      var title = config.origin.near === "me" ? text.your_location : text.searched_place;
      L.marker(origin, {
        icon: new MarkerIcon({
          className: "map-origin",
          html: element("span", "map-origin-dot"),
          iconSize: [24, 24],
          iconAnchor: [12, 12],
          attributes: {
            role: "img",
            "aria-label": [title, config.origin.label].filter(Boolean).join(": "),
            "data-near": config.origin.near || "place",
          },
        }),
        title: title,
        keyboard: false,
        interactive: false,
        zIndexOffset: -1000,
      }).addTo(map);
      if (config.radius_km) {
        L.circle(origin, {
          radius: config.radius_km * 1000,
          interactive: false,
          className: "map-radius",
          weight: 2,
          dashArray: "6 6",
          fillOpacity: 0.05,
        }).addTo(map);
      }
      return origin;
    }

    function showSearch() {
      var origin = config.origin ? showOrigin() : null;
      var layer = L.layerGroup().addTo(map);
      var markers = {};
      var near = origin ? [origin] : [];
      var all = origin ? [origin] : [];
      items.forEach(function (item) {
        var outlet = outletFromItem(item);
        var marker = outletMarker(outlet).addTo(layer);
        markers[outlet.code] = marker;
        all.push(marker.getLatLng());
        if (!item.hasAttribute("data-far")) near.push(marker.getLatLng());
      });
      // The far outlets (beyond the "near" distance) would shrink the near ones to a dot.
      var fit = L.latLngBounds(near.length > 1 ? near : all);
      if (fit.isValid()) {
        moveMap(function () {
          map.fitBounds(fit, { padding: PADDING, maxZoom: DETAIL_ZOOM, animate: false });
        });
      }

      items.forEach(function (item) {
        var button = item.querySelector("button.show-on-map");
        var marker = markers[item.dataset.code];
        if (!button || !marker) return;
        button.hidden = false;
        button.addEventListener("click", function () {
          // Opened from the list: the result stays where the visitor is, and focus comes
          // back to this button when the popup closes.
          focusReturn = { marker: marker, element: button, fromList: true };
          moveMap(function () {
            map.setView(marker.getLatLng(), map.getZoom(), { animate: false });
          });
          if (mapApartFromList()) revealMap();
          if (marker.isPopupOpen()) {
            // Already open: no popupopen to follow.
            select(item.dataset.code, marker.getElement(), true);
            focusReturn.popup = marker.getPopup();
            focusInto(marker.getPopup());
          } else {
            marker.openPopup();
          }
        });
      });
      markReady();
    }

    // --- Without a search: the outlets in view ---------------------------------------------

    function apiURL(base, params) {
      var query = Object.keys(params)
        .map(function (name) {
          return encodeURIComponent(name) + "=" + encodeURIComponent(params[name]);
        })
        .join("&");
      if (config.filters) query += "&" + config.filters;
      return base + (base.indexOf("?") >= 0 ? "&" : "?") + query;
    }

    function getJSON(url, signal) {
      return fetch(url, { signal: signal }).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      });
    }

    function clamp(value, low, high) {
      return Math.min(high, Math.max(low, value));
    }

    function viewBox() {
      var bounds = map.getBounds();
      return [
        clamp(bounds.getWest(), -180, 180),
        clamp(bounds.getSouth(), -90, 90),
        clamp(bounds.getEast(), -180, 180),
        clamp(bounds.getNorth(), -90, 90),
      ]
        .map(function (value) {
          return value.toFixed(6);
        })
        .join(",");
    }

    function outletDetail(code) {
      var url = config.api.outlet + encodeURIComponent(code) + "/";
      if (at) url += "?at=" + encodeURIComponent(at);
      return getJSON(url).then(function (outlet) {
        return {
          name: outlet.name,
          statusLabel: outlet.status.label,
          content: answerPopup(outlet),
        };
      });
    }

    function groupMarker(group) {
      var size = Math.round(30 + 10 * Math.log10(group.count));
      var label = text.cluster.replace("{count}", String(group.count));
      var marker = L.marker([group.latitude, group.longitude], {
        icon: new MarkerIcon({
          className: "map-marker map-cluster",
          html: element("span", "map-cluster-count", String(group.count)),
          iconSize: [size, size],
          iconAnchor: [size / 2, size / 2],
          attributes: { "aria-label": label, "data-count": String(group.count) },
        }),
        keyboard: true,
        title: label,
        riseOnHover: true,
      });
      onActivate(marker, function (byKeyboard) {
        var west = group.bbox[0];
        var south = group.bbox[1];
        var east = group.bbox[2];
        var north = group.bbox[3];
        // The group's marker goes with the next answer: keep the keyboard in the map.
        if (byKeyboard) container.focus({ preventScroll: true });
        moveMap(function () {
          if (west === east && south === north) {
            map.setView([south, west], Math.min(map.getZoom() + 2, map.getMaxZoom()));
          } else {
            map.fitBounds([[south, west], [north, east]], { padding: PADDING });
          }
        });
      });
      return marker;
    }

    // Each viewport answer as keyed items; a marker whose key stays keeps its place (and
    // its open popup, and the keyboard's focus).
    function groupItems(groups) {
      return groups.map(function (group) {
        if (group.count === 1 && group.code) {
          var state = group.open_now ? "open" : "closed";
          return {
            key: "outlet:" + group.code + ":" + group.kind + ":" + state,
            make: function () {
              return outletMarker({
                code: group.code,
                kind: group.kind,
                name: group.code,
                latitude: group.latitude,
                longitude: group.longitude,
                state: state,
                open: !!group.open_now,
                statusLabel: group.open_now ? text.open : text.closed,
                content: function () {
                  return outletDetail(group.code);
                },
              });
            },
          };
        }
        return {
          key: "group:" + group.latitude + "," + group.longitude + ":" + group.count,
          make: function () {
            return groupMarker(group);
          },
        };
      });
    }

    function featureItems(features) {
      return features.map(function (feature) {
        var outlet = feature.properties;
        return {
          key: "outlet:" + outlet.code + ":" + outlet.kind + ":" + outlet.status.state,
          make: function () {
            return outletMarker({
              code: outlet.code,
              kind: outlet.kind,
              name: outlet.name,
              latitude: outlet.latitude,
              longitude: outlet.longitude,
              state: outlet.status.state,
              open: outlet.status.open_now,
              statusLabel: outlet.status.label,
              content: function () {
                return answerPopup(outlet);
              },
            });
          },
        };
      });
    }

    var viewport = L.layerGroup();
    var shown = new Map();

    function show(keyed) {
      var next = new Map();
      keyed.forEach(function (item) {
        if (!next.has(item.key)) next.set(item.key, shown.get(item.key) || item.make());
      });
      shown.forEach(function (marker, key) {
        if (next.get(key) !== marker) {
          keepFocus(marker);
          viewport.removeLayer(marker);
        }
      });
      next.forEach(function (marker) {
        if (!viewport.hasLayer(marker)) viewport.addLayer(marker);
      });
      shown = next;
    }

    var settle = null;
    var noteTimer = null;
    var controller = null;
    var asked = 0;

    function load() {
      if (controller) controller.abort();
      controller = new AbortController();
      var signal = controller.signal;
      var number = ++asked;
      var params = { bbox: viewBox(), zoom: Math.round(map.getZoom()) };
      clearTimeout(noteTimer);
      noteTimer = setTimeout(function () {
        note(text.loading, "loading");
      }, LOADING_NOTE_MS);

      function groups() {
        var first = window.axisfinderFirstClusters;
        window.axisfinderFirstClusters = null;
        if (first && first.zoom === params.zoom) return first.answer.then(groupItems);
        return getJSON(apiURL(config.api.clusters, params), signal).then(groupItems);
      }

      var answer;
      if (params.zoom >= OUTLET_ZOOM) {
        var url = apiURL(config.api.geojson, { bbox: params.bbox, limit: PAGE });
        answer = getJSON(url, signal).then(function (collection) {
          if (collection.count > PAGE) {
            return groups().then(function (keyed) {
              return { items: keyed, message: text.too_many };
            });
          }
          return { items: featureItems(collection.features), message: "" };
        });
      } else {
        answer = groups().then(function (keyed) {
          return { items: keyed, message: "" };
        });
      }
      answer.then(
        function (result) {
          if (number !== asked) return; // a later view's request owns the map
          clearTimeout(noteTimer);
          show(result.items);
          note(result.message, "done");
          markReady();
        },
        function () {
          // Aborted or outrun by a later request: that one will answer.
          if (number !== asked) return;
          clearTimeout(noteTimer);
          note(text.load_failed, "failed");
        }
      );
    }

    function showViewport() {
      viewport.addTo(map);
      // All of the country, whatever the screen's size (the moveend this causes is ours, and
      // the load below answers it).
      if (config.bounds) {
        moveMap(function () {
          map.fitBounds(config.bounds, { animate: false });
        });
        clearTimeout(settle);
      }
      items.forEach(function (item) {
        var button = item.querySelector("button.show-on-map");
        if (!button) return;
        button.hidden = false;
        button.addEventListener("click", function () {
          var latlng = L.latLng(
            parseFloat(item.dataset.latitude),
            parseFloat(item.dataset.longitude)
          );
          moveMap(function () {
            map.setView(latlng, DETAIL_ZOOM, { animate: false });
          });
          if (mapApartFromList()) revealMap();
          var popup = L.popup(POPUP).setLatLng(latlng).setContent(itemPopup(item));
          focusReturn = { element: button, popup: popup };
          popup.openOn(map);
          select(item.dataset.code, null, true);
          focusInto(popup);
        });
      });
      load();
    }

    map.on("moveend", function () {
      if (ownMove) ownMove = false;
      else searchArea.getContainer().hidden = false;
      if (!searching) {
        clearTimeout(settle);
        settle = setTimeout(load, SETTLE_MS);
      }
    });

    if (searching) showSearch();
    else showViewport();
  };
})();
