from django.urls import path

from coffeechat.fit import views

app_name = "fit"

urlpatterns = [
    path("", views.compare, name="compare"),
    path("targets/<int:target_id>/", views.assessment, name="assessment"),
    path("targets/<int:target_id>/dimensions/", views.dimensions_save, name="dimensions"),
    path("targets/<int:target_id>/lines/", views.line_add, name="line_add"),
    path("targets/<int:target_id>/open-questions/", views.open_question_add, name="open_add"),
    path("targets/<int:target_id>/insights/", views.insights, name="insights"),
    path("targets/<int:target_id>/verdict/", views.verdict_save, name="verdict"),
    path("lines/<int:fit_line_id>/cite/", views.line_cite, name="cite"),
    path("lines/<int:fit_line_id>/delete/", views.line_delete, name="line_delete"),
    path(
        "open-questions/<int:open_question_id>/toggle/",
        views.open_question_toggle,
        name="open_toggle",
    ),
]
