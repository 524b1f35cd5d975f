from django.urls import path

from cnnavi.orgs import views

app_name = "orgs"
urlpatterns = [
    path("companies/", views.company_list, name="company_list"),
    path("companies/new/", views.company_create, name="company_create"),
    path("companies/<int:company_id>/", views.company_detail, name="company_detail"),
    path("companies/<int:company_id>/edit/", views.company_edit, name="company_edit"),
    path(
        "companies/<int:company_id>/facilities/new/", views.facility_create, name="facility_create"
    ),
    path(
        "companies/<int:company_id>/facilities/<int:facility_id>/edit/",
        views.facility_edit,
        name="facility_edit",
    ),
    path(
        "companies/<int:company_id>/facilities/<int:facility_id>/delete/",
        views.facility_delete,
        name="facility_delete",
    ),
    path("companies/<int:company_id>/members/", views.members, name="members"),
    path(
        "companies/<int:company_id>/members/<int:membership_id>/role/",
        views.membership_role,
        name="membership_role",
    ),
    path(
        "companies/<int:company_id>/members/<int:membership_id>/remove/",
        views.membership_remove,
        name="membership_remove",
    ),
    path(
        "companies/<int:company_id>/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("companies/<int:company_id>/consent/", views.consent, name="consent"),
    path(
        "companies/<int:company_id>/consent/<int:consent_id>/revoke/",
        views.consent_revoke,
        name="consent_revoke",
    ),
]
