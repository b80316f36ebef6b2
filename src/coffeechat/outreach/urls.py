from django.urls import path

from coffeechat.outreach import views

app_name = "outreach"

urlpatterns = [
    path("conversations/<int:conversation_id>/draft/", views.draft, name="draft"),
    path("check/", views.check_message, name="check"),
    path("<int:outreach_id>/reply/", views.outreach_reply, name="reply"),
    path("templates/", views.template_list, name="templates"),
    path("templates/new/", views.template_form, name="template_create"),
    path("templates/<int:template_id>/edit/", views.template_form, name="template_edit"),
    path("templates/<int:template_id>/delete/", views.template_delete, name="template_delete"),
    path("keep-in-touch/", views.keep_in_touch, name="keep_in_touch"),
    path("keep-in-touch/<int:contact_id>/", views.keep_in_touch_set, name="keep_in_touch_set"),
]
