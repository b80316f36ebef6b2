from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "coffeechat.organizations"
    label = "organizations"
