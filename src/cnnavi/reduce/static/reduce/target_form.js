/* Target form: following the SBTi SME route sets the targets, so their fields become read-only
   while the box is ticked (the server applies the route's values either way). */
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("id_follows_sbt_sme");
  if (!box) { return; }
  var names = ["id_near_year", "id_near_pct", "id_long_year", "id_long_pct"];
  function sync() {
    names.forEach(function (id) {
      var field = document.getElementById(id);
      if (field) { field.readOnly = box.checked; field.classList.toggle("is-readonly", box.checked); }
    });
  }
  box.addEventListener("change", sync);
  sync();
});
