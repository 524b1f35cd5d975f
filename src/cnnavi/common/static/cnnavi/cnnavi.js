// CN Navi: small progressive enhancements. No inline scripts (the CSP forbids them).
document.addEventListener("DOMContentLoaded", function () {
  // Move keyboard focus to an error summary so screen readers announce it.
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
  // Buttons that ask before a destructive action: <button data-confirm="...">
  document.body.addEventListener("click", function (event) {
    var target = event.target.closest("[data-confirm]");
    if (target && !window.confirm(target.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
});
