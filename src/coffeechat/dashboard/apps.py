from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "coffeechat.dashboard"
    label = "dashboard"
