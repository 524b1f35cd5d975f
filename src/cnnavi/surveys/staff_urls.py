from django.urls import path

from cnnavi.surveys import staff_views

app_name = "surveys_staff"
urlpatterns = [
    path("surveys/", staff_views.results, name="results"),
    path("surveys/export.csv", staff_views.export_csv, name="export_csv"),
    path("surveys/questions/", staff_views.questions, name="questions"),
    path(
        "surveys/questions/<int:question_id>/toggle/",
        staff_views.question_toggle,
        name="question_toggle",
    ),
    path(
        "surveys/invitations/<int:invitation_id>/revoke/",
        staff_views.invitation_revoke,
        name="invitation_revoke",
    ),
]
