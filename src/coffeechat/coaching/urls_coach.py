"""The coach's pages. ``/coach/`` and ``/coach/students/<share_id>/`` are load-tested by path:
keep them."""

from django.urls import path

from coffeechat.coaching import views_coach

app_name = "coach"

urlpatterns = [
    path("", views_coach.home, name="home"),
    path("join/", views_coach.join, name="join"),
    path("join/<str:token>/", views_coach.join_link, name="join_link"),
    path("students/<int:share_id>/", views_coach.student, name="student"),
    path("students/<int:share_id>/comment/", views_coach.comment, name="comment"),
    path("students/<int:share_id>/notes/<int:note_id>/", views_coach.note, name="note"),
    path("students/<int:share_id>/prep/<int:conversation_id>/", views_coach.prep, name="prep"),
]
