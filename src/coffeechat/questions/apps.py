from django.apps import AppConfig


class QuestionsConfig(AppConfig):
    name = "coffeechat.questions"
    label = "questions"
