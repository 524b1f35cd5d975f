"""Pages of a company's statements and bill evidence (mounted under /measure/)."""

from django.urls import path

from cnnavi.statements import views

app_name = "statements"
C = "companies/<int:company_id>/"
S = C + "statements/<int:statement_id>/"
urlpatterns = [
    path(C + "statement/", views.statement, name="statement"),
    path(C + "statement/pdf/", views.statement_pdf, name="statement_pdf"),
    path(C + "statement/xlsx/", views.statement_xlsx, name="statement_xlsx"),
    path(C + "statement/issue/", views.statement_issue, name="issue"),
    path(S, views.issued, name="issued"),
    path(S + "pdf/", views.issued_pdf, name="issued_pdf"),
    path(S + "xlsx/", views.issued_xlsx, name="issued_xlsx"),
    path(S + "links/", views.link_create, name="link_create"),
    path(S + "links/<int:link_id>/revoke/", views.link_revoke, name="link_revoke"),
    path(S + "links/<int:link_id>/opens/", views.link_opens, name="link_opens"),
    path(
        C + "facilities/<int:facility_id>/evidence/", views.evidence_upload, name="evidence_upload"
    ),  # fmt: skip
    path(C + "evidence/<int:evidence_id>/", views.evidence_file, name="evidence_file"),
    path(C + "evidence/<int:evidence_id>/delete/", views.evidence_delete, name="evidence_delete"),
]
