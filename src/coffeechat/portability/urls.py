from django.urls import path

from coffeechat.portability import views

app_name = "portability"

urlpatterns = [path("", views.export, name="export")]
