from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "coffeechat.reminders"
    label = "reminders"
