from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "coffeechat.imports"
    label = "imports"
