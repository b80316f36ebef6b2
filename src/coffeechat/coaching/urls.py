from django.urls import path

from coffeechat.coaching import views

app_name = "coaching"

urlpatterns = [
    path("", views.home, name="home"),
    path("invite/", views.invite, name="invite"),
    path("comments/read/", views.comments_read, name="comments_read"),
    path("<int:share_id>/", views.share_detail, name="share"),
    path("<int:share_id>/revoke/", views.revoke, name="revoke"),
]
