app_name = "measure_staff"
urlpatterns: list = []
