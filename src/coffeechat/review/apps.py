from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "coffeechat.review"
    label = "review"
    verbose_name = "Weekly review"
