from django.apps import AppConfig


class LeadsConfig(AppConfig):
    name = "coffeechat.leads"
    label = "leads"
    verbose_name = "Leads and formal interviews"
