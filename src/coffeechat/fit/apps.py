from django.apps import AppConfig


class FitConfig(AppConfig):
    name = "coffeechat.fit"
    label = "fit"
