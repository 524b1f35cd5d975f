app_name = "know"
urlpatterns: list = []
