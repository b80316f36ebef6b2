from django.urls import path

from coffeechat.funnel import views

app_name = "funnel"

urlpatterns = [
    path("", views.page, name="page"),
]
