from django.urls import path

from cnnavi.measure import staff_views

app_name = "measure_staff"
urlpatterns = [
    path("measure/factor-tables/", staff_views.factor_tables, name="factor_tables"),
    path(
        "measure/factor-tables/<int:upload_id>/",
        staff_views.factor_table_preview,
        name="factor_table_preview",
    ),
    path(
        "measure/factor-tables/<int:upload_id>/confirm/",
        staff_views.factor_table_confirm,
        name="factor_table_confirm",
    ),
    path(
        "measure/factor-tables/<int:upload_id>/discard/",
        staff_views.factor_table_discard,
        name="factor_table_discard",
    ),
]
