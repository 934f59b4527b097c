// Maps that work offline: the bundled country outlines always, tiles only when configured.
// [data-map-picker]: click/tap sets #lat and #lon; typed decimal coordinates move the marker;
//                    choosing a place centres the map on it.
// [data-map-point]:  a read-only marker (a square when the position is generalised).
(function () {
  "use strict";
  if (!window.L) return;
  var REGION_CENTRE = [46.5, 128.0];

  function baseMap(element, zoom) {
    var map = L.map(element, { maxZoom: 17, minZoom: 3, zoomControl: true, attributionControl: false });
    map.setView(REGION_CENTRE, zoom || 4);
    var tiles = element.getAttribute("data-tile-url");
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 17, attribution: element.getAttribute("data-tile-attribution") || "" }).addTo(map);
    }
    var outline = element.getAttribute("data-outline-url");
    if (outline) {
      fetch(outline, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (geo) {
        L.geoJSON(geo, { style: { color: "#51705f", weight: 1, fillColor: "#dfe9e2", fillOpacity: tiles ? 0 : 0.7 },
                         interactive: false }).addTo(map).bringToBack();
      }).catch(function () { /* offline and not cached: the grey panel still takes clicks */ });
    }
    return map;
  }

  function decimal(value) {
    var text = (value || "").trim().replace(",", ".");
    return /^[-+]?\d{1,3}(\.\d+)?$/.test(text) ? parseFloat(text) : null;
  }

  function initPicker(element) {
    var form = element.closest("form");
    var lat = form.querySelector("#lat"), lon = form.querySelector("#lon"), place = form.querySelector("#place");
    var map = baseMap(element, 5), marker = null;

    function show(latlng, pan) {
      if (!marker) marker = L.marker(latlng, { keyboard: false }).addTo(map);
      marker.setLatLng(latlng);
      if (pan) map.setView(latlng, Math.max(map.getZoom(), 9));
    }
    function fromInputs(pan) {
      var a = decimal(lat.value), b = decimal(lon.value);
      if (a !== null && b !== null && Math.abs(a) <= 90 && Math.abs(b) <= 180) show([a, b], pan);
    }
    function centreOnPlace() {
      var option = place && place.selectedOptions[0];
      if (option && option.dataset.lat && decimal(lat.value) === null) {
        map.setView([parseFloat(option.dataset.lat), parseFloat(option.dataset.lon)], 8);
      }
    }
    map.on("click", function (event) {
      lat.value = event.latlng.lat.toFixed(5);
      lon.value = event.latlng.lng.toFixed(5);
      show(event.latlng, false);
      lat.dispatchEvent(new Event("change", { bubbles: true }));
    });
    lat.addEventListener("input", function () { fromInputs(true); });
    lon.addEventListener("input", function () { fromInputs(true); });
    lat.addEventListener("change", function () { fromInputs(true); });
    lon.addEventListener("change", function () { fromInputs(true); });
    if (place) place.addEventListener("change", centreOnPlace);
    fromInputs(true);
    centreOnPlace();
  }

  function initPoint(element) {
    var map = baseMap(element, 8);
    var point = [parseFloat(element.dataset.lat), parseFloat(element.dataset.lon)];
    if (element.dataset.generalised === "true") {
      L.rectangle([[point[0] - 0.05, point[1] - 0.05], [point[0] + 0.05, point[1] + 0.05]],
                  { color: "#b42318", weight: 2, fillOpacity: 0.15 }).addTo(map);
    } else {
      L.marker(point, { keyboard: false }).addTo(map);
    }
    map.setView(point, 7);
  }

  document.querySelectorAll("[data-map-picker]").forEach(initPicker);
  document.querySelectorAll("[data-map-point]").forEach(initPoint);
})();
