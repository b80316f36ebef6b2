from django.urls import path

from coffeechat.organizations import views

app_name = "organizations"

urlpatterns = [
    path("", views.organization_list, name="list"),
    path("new/", views.organization_form, name="create"),
    path("<int:organization_id>/", views.organization_detail, name="detail"),
    path("<int:organization_id>/edit/", views.organization_form, name="edit"),
    path("<int:organization_id>/delete/", views.organization_delete, name="delete"),
]
