app_name = "know_staff"
urlpatterns: list = []
