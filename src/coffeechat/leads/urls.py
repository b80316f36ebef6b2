from django.urls import path

from coffeechat.leads import views

app_name = "leads"

urlpatterns = [
    path("", views.lead_list, name="list"),
    path("new/", views.lead_form, name="create"),
    path("<int:lead_id>/", views.lead_detail, name="detail"),
    path("<int:lead_id>/edit/", views.lead_form, name="edit"),
    path("<int:lead_id>/delete/", views.lead_delete, name="delete"),
    path("<int:lead_id>/status/", views.lead_transition, name="transition"),
    path("<int:lead_id>/rounds/new/", views.round_form, name="round_create"),
    path("rounds/<int:round_id>/edit/", views.round_form, name="round_edit"),
    path("rounds/<int:round_id>/delete/", views.round_delete, name="round_delete"),
]
