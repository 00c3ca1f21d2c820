// Fazhi: small progressive enhancements. Every page works without this file.
document.addEventListener("htmx:responseError", function (evt) {
  var box = document.createElement("div");
  box.className = "alert alert-danger";
  box.setAttribute("role", "alert");
  // The texts come translated from the page (data-msg-* on <body>).
  var data = document.body.dataset;
  box.textContent = evt.detail.xhr.status === 403 ? data.msgForbidden : data.msgFailed;
  var main = document.getElementById("main") || document.body;
  main.prepend(box);
});
