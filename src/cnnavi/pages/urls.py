from django.urls import path

from cnnavi.pages import views

app_name = "pages"
urlpatterns = [path("", views.home, name="home")]
