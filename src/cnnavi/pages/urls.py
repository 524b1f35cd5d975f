from django.urls import path

from cnnavi.pages import views

app_name = "pages"
urlpatterns = [
    path("", views.home, name="home"),
    # One path per text (no URL argument: these pages hold no tenant's data).
    path("legal/privacy/", views.legal, {"kind": "privacy"}, name="legal_privacy"),
    path("legal/terms/", views.legal, {"kind": "terms"}, name="legal_terms"),
    path("legal/operator/", views.legal, {"kind": "operator"}, name="legal_operator"),
]
