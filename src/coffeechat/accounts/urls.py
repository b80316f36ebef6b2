from django.contrib.auth import views as auth_views
from django.urls import path

from coffeechat.accounts import views

app_name = "accounts"

urlpatterns = [
    path("setup/", views.setup, name="setup"),
    path("signup/", views.signup, name="signup"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/time-zone/", views.time_zone_confirm, name="time_zone_confirm"),
    path("settings/password/", views.password_change, name="password_change"),
    path("settings/delete-account/", views.delete_account, name="delete_account"),
]
