/* Status changes in the measures table (HTMX). The charts are SVG drawn on the server. */
(function () {
  "use strict";
  // Status changes in the measures table (HTMX): show a failure by the select and in the
  // page's live region (a success comes back with the table: 「保存しました」).
  document.addEventListener("htmx:responseError", showError);
  document.addEventListener("htmx:sendError", showError);
  function showError(evt) {
    var elt = evt.detail && evt.detail.elt;
    if (!elt || !elt.dataset || !elt.dataset.msg) return;
    var live = document.getElementById("measures-live");
    var xhr = evt.detail.xhr;
    var text = (xhr && xhr.status === 400 && xhr.responseText) || (live && live.dataset.error) || "";
    var box = document.getElementById(elt.dataset.msg);
    if (box) {
      box.textContent = "";
      var span = document.createElement("span");
      span.className = "error";
      span.textContent = text;
      box.appendChild(span);
    }
    if (live) live.textContent = text;
  }
})();
