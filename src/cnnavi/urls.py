from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from cnnavi.api.api import api
from cnnavi.common.admin import login_through_the_site

admin.site.login = login_through_the_site

# Pages exist in Japanese at / and in English under /en/ (same view, other language).
urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
urlpatterns += i18n_patterns(
    path("", include("cnnavi.pages.urls")),
    path("accounts/", include("cnnavi.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("cnnavi.orgs.urls")),
    path("", include("cnnavi.know.urls")),  # /self-check/, /diagnosis/
    path("measure/api-tokens/", include("cnnavi.api.urls")),
    path("measure/", include("cnnavi.measure.urls")),
    path("measure/", include("cnnavi.statements.urls")),  # statements, bill evidence
    path("", include("cnnavi.statements.public_urls")),  # /verify/, shared statements /s/...
    path("reduce/", include("cnnavi.reduce.urls")),
    path("", include("cnnavi.programmes.urls")),  # /events/, /courses/, /headlines/
    path("consultations/", include("cnnavi.consultations.urls")),
    path("surveys/", include("cnnavi.surveys.urls")),  # the answer form behind the link
    path("", include("cnnavi.outcomes.urls")),  # /companies/<id>/benchmark/
    path("staff/", include("cnnavi.backoffice.staff_urls")),
    # Each menu's back-office pages live in its own app, under /staff/.
    path("staff/", include("cnnavi.know.staff_urls")),
    path("staff/", include("cnnavi.measure.staff_urls")),
    path("staff/", include("cnnavi.reduce.staff_urls")),
    path("staff/", include("cnnavi.programmes.staff_urls")),
    path("staff/", include("cnnavi.consultations.staff_urls")),
    path("staff/", include("cnnavi.surveys.staff_urls")),
    path("staff/", include("cnnavi.outcomes.staff_urls")),
    path("experts/", include("cnnavi.backoffice.expert_urls")),
    prefix_default_language=False,
)
