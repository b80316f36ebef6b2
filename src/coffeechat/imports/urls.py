from django.urls import path

from coffeechat.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.upload, name="upload"),
    path("<int:batch_id>/", views.preview, name="preview"),
    path("<int:batch_id>/confirm/", views.confirm, name="confirm"),
]
