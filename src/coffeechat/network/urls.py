from django.urls import path

from coffeechat.network import views

app_name = "network"

urlpatterns = [
    path("", views.network, name="home"),
    path("knows/new/", views.knows_create, name="knows_create"),
    path("knows/<int:knows_id>/delete/", views.knows_delete, name="knows_delete"),
]
