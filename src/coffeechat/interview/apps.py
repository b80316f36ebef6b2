from django.apps import AppConfig


class InterviewConfig(AppConfig):
    name = "coffeechat.interview"
    label = "interview"
