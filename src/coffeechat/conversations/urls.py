from django.urls import path

from coffeechat.conversations import views

app_name = "conversations"

urlpatterns = [
    path("", views.conversation_board, name="board"),
    path("new/", views.conversation_form, name="create"),
    path("<int:conversation_id>/", views.conversation_detail, name="detail"),
    path("<int:conversation_id>/edit/", views.conversation_form, name="edit"),
    path("<int:conversation_id>/delete/", views.conversation_delete, name="delete"),
    path("<int:conversation_id>/status/", views.conversation_transition, name="transition"),
    path("<int:conversation_id>/learnings/", views.learning_add, name="learning_add"),
    path("learnings/<int:learning_id>/edit/", views.learning_edit, name="learning_edit"),
    path("learnings/<int:learning_id>/delete/", views.learning_delete, name="learning_delete"),
]
