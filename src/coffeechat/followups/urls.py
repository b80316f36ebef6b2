from django.urls import path

from coffeechat.followups import views

app_name = "followups"

urlpatterns = [
    path("", views.followup_list, name="list"),
    path("new/", views.followup_form, name="create"),
    path("<int:followup_id>/edit/", views.followup_form, name="edit"),
    path("<int:followup_id>/toggle/", views.followup_toggle, name="toggle"),
    path("<int:followup_id>/delete/", views.followup_delete, name="delete"),
]
