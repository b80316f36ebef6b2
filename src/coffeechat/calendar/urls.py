from django.urls import path

from coffeechat.calendar import views

app_name = "calendar"

urlpatterns = [
    path(
        "conversations/<int:conversation_id>.ics",
        views.conversation_ics,
        name="conversation_ics",
    ),
    path("rounds/<int:round_id>.ics", views.round_ics, name="round_ics"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
    path("token/", views.token_regenerate, name="token_regenerate"),
]
