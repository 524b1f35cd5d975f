"""Pages anyone may open: the verification of a statement's code and shared statements."""

from django.urls import path

from cnnavi.statements import views

app_name = "statements_public"
urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("s/<str:share_token>/", views.shared, name="shared"),
    path("s/<str:share_token>/pdf/", views.shared_pdf, name="shared_pdf"),
]
