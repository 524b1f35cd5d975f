app_name = "reduce"
urlpatterns: list = []
