// Grid map: draws grid and micro-grid boundaries from a GeoJSON endpoint (or an inline json_script).
// No external tiles: a tile layer is added only when the server sets data-tile-url (FAZHI_MAP_TILE_URL).
(function () {
  "use strict";
  var el = document.getElementById("grid-map");
  if (!el || typeof L === "undefined") { return; }
  var map = L.map(el, { attributionControl: false, zoomSnap: 0.25 });
  var tileUrl = el.getAttribute("data-tile-url");
  if (tileUrl) { L.tileLayer(tileUrl, { maxZoom: 19 }).addTo(map); }
  map.setView([30.0, 108.0], 12);

  // Translated strings come from the page (data-text-*), never from this file.
  function text(key) { return el.getAttribute("data-text-" + key) || ""; }
  function escapeHtml(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function style(feature) {
    var grid = feature.properties && feature.properties.kind === "grid";
    return grid ? { color: "#b3261e", weight: 3, fillOpacity: 0.06 }
                : { color: "#0d6efd", weight: 1, dashArray: "4 3", fillOpacity: 0.12 };
  }
  function popup(feature, layer) {
    var p = feature.properties || {};
    var html = "<strong>" + escapeHtml(p.name) + "</strong><br>" + escapeHtml(p.code);
    if (p.village) { html += " · " + escapeHtml(p.village); }
    if (p.grid) { html += " · " + escapeHtml(p.grid); }
    if (p.households != null) { html += "<br>" + escapeHtml(p.households) + " " + escapeHtml(text("households")); }
    if (p.url) { html += '<br><a href="' + escapeHtml(p.url) + '">' + escapeHtml(text("detail")) + "</a>"; }
    layer.bindPopup(html);
    if (p.kind === "grid") { layer.bindTooltip(escapeHtml(p.name), { sticky: true }); }
  }
  function draw(data) {
    var features = (data && data.features) || [];
    // grids first, micro-grids on top
    features.sort(function (a, b) { return (a.properties.kind === "grid" ? 0 : 1) - (b.properties.kind === "grid" ? 0 : 1); });
    var layer = L.geoJSON({ type: "FeatureCollection", features: features }, { style: style, onEachFeature: popup }).addTo(map);
    if (features.length) {
      map.fitBounds(layer.getBounds(), { padding: [12, 12] });
    } else {
      var note = document.createElement("div");
      note.className = "alert alert-info m-2";
      note.textContent = text("empty");
      el.appendChild(note);
    }
  }
  var inline = el.getAttribute("data-geojson-inline");
  if (inline) {
    var node = document.getElementById(inline);
    var geometry = node ? JSON.parse(node.textContent) : null;
    draw({ features: geometry ? [{ type: "Feature", geometry: geometry, properties: { kind: "grid" } }] : [] });
    return;
  }
  fetch(el.getAttribute("data-geojson-url"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
    .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
    .then(draw)
    .catch(function () {
      var note = document.createElement("div");
      note.className = "alert alert-danger m-2";
      note.textContent = text("error");
      el.appendChild(note);
    });
})();
