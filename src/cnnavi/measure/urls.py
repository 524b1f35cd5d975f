app_name = "measure"
urlpatterns: list = []
