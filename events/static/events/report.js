// Report form: a point from the phone's GPS or a tap on the map (local Leaflet, grid outlines; tiles only
// when the intranet provides a tile server). Every field still works without this script.
(function () {
  var box = document.getElementById("report-map");
  if (!box || typeof L === "undefined") return;
  var lat = document.getElementById("id_lat"), lng = document.getElementById("id_lng");
  var text = document.getElementById("loc-text");
  var msg = box.dataset; // translated texts come from the page (data-msg-*)
  var map = L.map(box, { attributionControl: false });
  if (box.dataset.tiles) L.tileLayer(box.dataset.tiles, { maxZoom: 19 }).addTo(map);
  var grids = null;
  try { grids = JSON.parse(box.dataset.grids || "null"); } catch (e) { grids = null; }
  var layer = null;
  if (grids && grids.features && grids.features.length) {
    layer = L.geoJSON(grids, { style: { color: "#b3261e", weight: 1, fillOpacity: 0.06 },
      onEachFeature: function (f, l) { l.bindTooltip(f.properties.name); } }).addTo(map);
    map.fitBounds(layer.getBounds());
  } else {
    var c = box.dataset.centre ? JSON.parse(box.dataset.centre) : [30.0, 108.0];
    map.setView(c, 13);
  }
  var marker = null;
  function place(la, ln, how) {
    lat.value = la.toFixed(6); lng.value = ln.toFixed(6);
    if (marker) marker.setLatLng([la, ln]); else marker = L.marker([la, ln]).addTo(map);
    text.textContent = la.toFixed(5) + ", " + ln.toFixed(5) + (how ? " · " + how : "");
  }
  if (lat.value && lng.value) place(parseFloat(lat.value), parseFloat(lng.value), "");
  map.on("click", function (e) { place(e.latlng.lat, e.latlng.lng, msg.msgPicked); });
  if (layer) layer.on("click", function (e) { place(e.latlng.lat, e.latlng.lng, msg.msgPicked); });
  var btn = document.getElementById("locate");
  if (btn) btn.addEventListener("click", function () {
    if (!navigator.geolocation) { text.textContent = msg.msgNogeo; return; }
    text.textContent = msg.msgLocating;
    navigator.geolocation.getCurrentPosition(function (pos) {
      place(pos.coords.latitude, pos.coords.longitude, "GPS");
      map.setView([pos.coords.latitude, pos.coords.longitude], 16);
    }, function () { text.textContent = msg.msgFailed; }, { enableHighAccuracy: true, timeout: 10000 });
  });
  // Show the on-the-spot result box only for categories a grid worker may settle.
  var settle = document.getElementById("settle-box"), cat = document.getElementById("id_category");
  if (settle && cat) {
    var ok = JSON.parse(settle.dataset.settleable || "[]").map(String);
    var sync = function () { settle.hidden = ok.indexOf(cat.value) < 0; };
    cat.addEventListener("change", sync); sync();
  }
})();
