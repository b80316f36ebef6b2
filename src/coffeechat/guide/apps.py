from django.apps import AppConfig


class GuideConfig(AppConfig):
    name = "coffeechat.guide"
    label = "guide"
