// The incident maps of the dashboards and of the incident list: the incidents in the visible box,
// from the element's data-map-url (/dashboards/<slug>/map.json or /incidents/map.json), as
// clustered points, or counted on a grid when there are too many. Sensitive positions arrive
// already generalised for users without the exact-location right. Over the bundled country
// outlines, tiles only when configured.
(function () {
  "use strict";
  var REGION = [[38.5, 108], [55.5, 141]];  // the Amur-Heilong region, south-west and north-east corners

  function formatNumber(value) {
    return new Intl.NumberFormat(document.documentElement.lang || undefined).format(value);
  }

  function baseMap(element) {
    var map = L.map(element, { maxZoom: 13, minZoom: 3, attributionControl: false });
    map.fitBounds(REGION);
    var tiles = element.getAttribute("data-tile-url");
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 13, attribution: element.getAttribute("data-tile-attribution") || "" }).addTo(map);
    }
    fetch(element.getAttribute("data-outline-url"), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (outline) {
        L.geoJSON(outline, { interactive: false, style: { color: "#51705f", weight: 1, fillColor: "#e3ece6",
                                                           fillOpacity: tiles ? 0 : 0.8 } }).addTo(map).bringToBack();
      })
      .catch(function () { /* no outline: the markers still show */ });
    return map;
  }

  function initMap(element) {
    var map = baseMap(element), layer = null, request = 0, timer = null;
    var note = document.getElementById(element.getAttribute("data-note-id")), baseNote = note ? note.textContent : "";
    var incidentUrl = element.getAttribute("data-incident-url").replace(/0$/, "");

    function popup(point) {
      var box = document.createElement("div"), link = document.createElement("a");
      link.href = incidentUrl + point[2];
      link.textContent = point[3];
      box.appendChild(link);
      if (point[4]) {
        var approximate = document.createElement("div");
        approximate.textContent = element.getAttribute("data-label-approximate");
        box.appendChild(approximate);
      }
      return box;
    }

    function cellIcon(count) {
      var size = count < 100 ? 34 : count < 1000 ? 42 : 50;
      return L.divIcon({ className: "grid-cell", html: "<span>" + formatNumber(count) + "</span>",
                         iconSize: [size, size] });
    }

    // A cluster's count in the language's digits ("1 171"), in a circle wide enough for it.
    function clusterIcon(cluster) {
      var count = cluster.getChildCount();
      var kind = count < 10 ? "small" : count < 100 ? "medium" : "large";
      var size = count < 100 ? 40 : count < 1000 ? 46 : 56;
      return L.divIcon({ html: "<div><span>" + formatNumber(count) + "</span></div>",
                         className: "marker-cluster marker-cluster-" + kind, iconSize: [size, size] });
    }

    function show(payload) {
      if (layer) map.removeLayer(layer);
      if (payload.mode === "points") {
        layer = L.markerClusterGroup({ maxClusterRadius: 50, showCoverageOnHover: false,
                                       iconCreateFunction: clusterIcon });
        payload.points.forEach(function (point) {
          var marker = point[4] ? L.circleMarker([point[0], point[1]], { radius: 7, color: "#b42318", weight: 2 })
                                : L.marker([point[0], point[1]], { keyboard: false });
          layer.addLayer(marker.bindPopup(popup(point)));
        });
        if (note) note.textContent = baseNote;
      } else {
        layer = L.layerGroup(payload.cells.map(function (cell) {
          var label = element.getAttribute("data-label-incidents").replace("{n}", formatNumber(cell[2]));
          return L.marker([cell[0], cell[1]], { icon: cellIcon(cell[2]), title: label, keyboard: false })
            .on("click", function () { map.setView([cell[0], cell[1]], Math.min(map.getZoom() + 2, 13)); });
        }));
        if (note) {
          note.textContent = element.getAttribute("data-label-grid").replace("{size}", payload.cell) + " " + baseNote;
        }
      }
      layer.addTo(map);
    }

    function load() {
      var bounds = map.getBounds(), mine = ++request;
      var bbox = [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()]
        .map(function (value) { return value.toFixed(4); }).join(",");
      var url = element.getAttribute("data-map-url");
      url += (url.indexOf("?") < 0 ? "?" : "&") + "bbox=" + bbox;
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
        .then(function (payload) { if (mine === request) show(payload); })
        .catch(function () { if (note) note.textContent = element.getAttribute("data-label-failed"); });
    }

    map.on("moveend", function () { window.clearTimeout(timer); timer = window.setTimeout(load, 250); });
    load();
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.L || !L.markerClusterGroup) return;
    document.querySelectorAll("[data-incident-map]").forEach(initMap);
  });
})();
