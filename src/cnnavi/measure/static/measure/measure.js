// Measure: the grid's messages for rejected cells, auto-submitting selects, supplier picking.
document.addEventListener("DOMContentLoaded", function () {
  // Show the cell's message for 4xx answers too (htmx does not swap them by default).
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 422 || status === 400) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.body.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("select[data-autosubmit]") && el.form) { el.form.submit(); }
  });
  // Supplier search results fill the contract form.
  document.body.addEventListener("click", function (event) {
    var button = event.target.closest("[data-fill-reg]");
    if (!button) { return; }
    var reg = document.getElementById("id_supplier_reg");
    var menu = document.getElementById("id_menu");
    var kind = document.getElementById("id_kind");
    if (reg) { reg.value = button.getAttribute("data-fill-reg"); }
    if (menu) { menu.value = button.getAttribute("data-fill-menu"); }
    if (kind) { kind.value = button.getAttribute("data-fill-kind"); }
    if (reg) { reg.focus(); }
  });
});
