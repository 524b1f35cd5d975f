from django.urls import path

from cnnavi.measure import views

app_name = "measure"
C = "companies/<int:company_id>/"
F = C + "facilities/<int:facility_id>/"
urlpatterns = [
    path("", views.index, name="index"),
    path("suppliers/", views.supplier_search, name="supplier_search"),
    path("import-template.xlsx", views.import_template, name="import_template"),
    path(C, views.company, name="company"),
    path(F + "contracts/new/", views.contract_new, name="contract_new"),
    path(C + "contracts/<int:contract_id>/delete/", views.contract_delete, name="contract_delete"),
    path(
        C + "contracts/<int:contract_id>/notices/",
        views.contract_notices,
        name="contract_notices",
    ),
    path(C + "notices/<int:notice_id>/delete/", views.notice_delete, name="notice_delete"),
    path(C + "notices/<int:notice_id>/evidence/", views.notice_evidence, name="notice_evidence"),
    path(C + "calc-settings/", views.calc_settings, name="calc_settings"),
    path(F + "grid/", views.grid, name="grid"),
    path(F + "grid/cell/", views.grid_cell, name="grid_cell"),
    path(F + "grid/confirm/", views.grid_confirm, name="grid_confirm"),
    path(F + "grid/rows/", views.grid_row_add, name="grid_row_add"),
    path(F + "grid/copy/", views.grid_copy, name="grid_copy"),
    path(F + "grid/unit/", views.grid_unit, name="grid_unit"),
    path(F + "use-shares/", views.use_shares, name="use_shares"),
    path(C + "import/", views.import_upload, name="import_upload"),
    path(C + "imports/<int:import_id>/", views.import_preview, name="import_preview"),
    path(C + "imports/<int:import_id>/confirm/", views.import_confirm, name="import_confirm"),
    path(C + "imports/<int:import_id>/discard/", views.import_discard, name="import_discard"),
    path(C + "dashboard/", views.dashboard, name="dashboard"),
    path(C + "export.xlsx", views.export_xlsx, name="export_xlsx"),
    path(C + "export.csv", views.export_csv, name="export_csv"),
    path(C + "volumes/", views.volumes, name="volumes"),
    path(C + "volumes/<int:volume_id>/delete/", views.volume_delete, name="volume_delete"),
]
