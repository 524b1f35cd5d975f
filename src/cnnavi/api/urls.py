"""Personal API tokens (pages under /measure/api-tokens/, where the measure menu links to them)."""

from django.urls import path

from cnnavi.api import views

app_name = "api_tokens"
urlpatterns = [
    path("", views.tokens, name="index"),
    path("<int:token_id>/revoke/", views.token_revoke, name="revoke"),
]
