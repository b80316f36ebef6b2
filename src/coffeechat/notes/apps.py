from django.apps import AppConfig


class NotesConfig(AppConfig):
    name = "coffeechat.notes"
    label = "notes"
