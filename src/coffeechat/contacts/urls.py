from django.urls import path

from coffeechat.contacts import views

app_name = "contacts"

urlpatterns = [
    path("", views.contact_list, name="list"),
    path("new/", views.contact_form, name="create"),
    path("pick/", views.contact_pick, name="pick"),
    path("duplicates/", views.contact_duplicates, name="duplicates"),
    path("<int:contact_id>/merge/<int:duplicate_id>/", views.contact_merge, name="merge"),
    path(
        "<int:contact_id>/not-duplicate/<int:duplicate_id>/",
        views.contact_not_duplicate,
        name="not_duplicate",
    ),
    path("<int:contact_id>/", views.contact_detail, name="detail"),
    path("<int:contact_id>/edit/", views.contact_form, name="edit"),
    path("<int:contact_id>/delete/", views.contact_delete, name="delete"),
]
