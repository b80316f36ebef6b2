from django.urls import path

from coffeechat.notes import views

app_name = "notes"

urlpatterns = [
    path("contact/<int:contact_id>/", views.note_add_to_contact, name="add_to_contact"),
    path(
        "conversation/<int:conversation_id>/",
        views.note_add_to_conversation,
        name="add_to_conversation",
    ),
    path("<int:note_id>/edit/", views.note_edit, name="edit"),
    path("<int:note_id>/delete/", views.note_delete, name="delete"),
]
