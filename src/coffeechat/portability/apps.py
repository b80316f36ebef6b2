from django.apps import AppConfig


class PortabilityConfig(AppConfig):
    name = "coffeechat.portability"
    label = "portability"
