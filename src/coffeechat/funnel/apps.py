from django.apps import AppConfig


class FunnelConfig(AppConfig):
    name = "coffeechat.funnel"
    label = "funnel"
    verbose_name = "Funnel: from requests to offers"
