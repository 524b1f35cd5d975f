from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from cnnavi.api.api import api

# Pages exist in Japanese at / and in English under /en/ (same view, other language).
urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
urlpatterns += i18n_patterns(
    path("", include("cnnavi.pages.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("cnnavi.orgs.urls")),
    path("staff/", include("cnnavi.backoffice.staff_urls")),
    path("experts/", include("cnnavi.backoffice.expert_urls")),
    prefix_default_language=False,
)
