from django.urls import path

from coffeechat.questions import views

app_name = "questions"

urlpatterns = [
    path("", views.question_list, name="list"),
    path("new/", views.question_form, name="create"),
    path("<int:question_id>/edit/", views.question_form, name="edit"),
    path("<int:question_id>/star/", views.question_star, name="star"),
    path("<int:question_id>/hide/", views.question_hide, name="hide"),
    path("<int:question_id>/delete/", views.question_delete, name="delete"),
]
