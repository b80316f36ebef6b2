from django.urls import path

from coffeechat.interview import views

app_name = "interview"

urlpatterns = [
    path("<int:conversation_id>/", views.interview_page, name="page"),
    path("<int:conversation_id>/start/", views.interview_start, name="start"),
    path("<int:conversation_id>/end/", views.interview_end, name="end"),
    path("<int:conversation_id>/reopen/", views.interview_reopen, name="reopen"),
    path("<int:conversation_id>/notes/", views.conversation_note, name="notes"),
    path(
        "<int:conversation_id>/questions/<int:question_id>/mark/",
        views.question_mark,
        name="mark",
    ),
    path(
        "<int:conversation_id>/questions/<int:question_id>/note/",
        views.question_note,
        name="note",
    ),
    path("<int:conversation_id>/learning/", views.capture_learning, name="learning"),
    path("<int:conversation_id>/referral/", views.capture_referral, name="referral"),
    path("<int:conversation_id>/action/", views.capture_action, name="action"),
    path("<int:conversation_id>/lead/", views.capture_lead, name="lead"),
    path("<int:conversation_id>/shadowing/", views.capture_shadowing, name="shadowing_offer"),
    path("<int:conversation_id>/summary/", views.summary, name="summary"),
    path("shadowing/<int:contact_id>/", views.shadowing_edit, name="shadowing"),
]
