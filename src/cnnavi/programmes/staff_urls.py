app_name = "programmes_staff"
urlpatterns: list = []
