app_name = "reduce_staff"
urlpatterns: list = []
