from django.urls import path

from coffeechat.guide import views

app_name = "guide"

urlpatterns = [
    path("", views.how_it_works, name="how_it_works"),
    path("glossary/", views.glossary, name="glossary"),
]
