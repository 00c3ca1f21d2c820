// Fazhi: small progressive enhancements. Every page works without this file.
document.addEventListener("htmx:responseError", function (evt) {
  var box = document.createElement("div");
  box.className = "alert alert-danger";
  box.setAttribute("role", "alert");
  box.textContent = evt.detail.xhr.status === 403 ? "无权执行此操作。" : "操作失败，请稍后重试。";
  var main = document.getElementById("main") || document.body;
  main.prepend(box);
});
