from django.urls import path

from coffeechat.search import views

app_name = "search"

urlpatterns = [path("", views.search_page, name="results")]
