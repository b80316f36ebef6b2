from django.urls import path

from coffeechat.targets import views

app_name = "targets"

urlpatterns = [
    path("", views.target_list, name="list"),
    path("new/", views.target_form, name="create"),
    path("<int:target_id>/", views.target_detail, name="detail"),
    path("<int:target_id>/edit/", views.target_form, name="edit"),
    path("<int:target_id>/delete/", views.target_delete, name="delete"),
]
