from django.urls import path

from coffeechat.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.home, name="home"),
    path("quick-add/", views.quick_add, name="quick_add"),
    path("first-steps/dismiss/", views.first_steps_dismiss, name="first_steps_dismiss"),
]
