from django.urls import path

from coffeechat.prep import views

app_name = "prep"

urlpatterns = [
    path("try/", views.prep_try, name="try"),
    path("<int:conversation_id>/", views.prep_page, name="page"),
    path("<int:conversation_id>/generate/", views.prep_generate, name="generate"),
    path("<int:conversation_id>/print/", views.prep_print, name="print"),
    path("<int:conversation_id>/sheet.pdf", views.prep_pdf, name="pdf"),
    path("<int:conversation_id>/sheet.md", views.prep_markdown, name="markdown"),
    path("<int:conversation_id>/questions/", views.prep_item_add, name="item_add"),
    path("<int:conversation_id>/research/", views.research_item_add, name="research_add"),
    path(
        "<int:conversation_id>/research/default/<int:position>/toggle/",
        views.research_default_toggle,
        name="research_default_toggle",
    ),
    path("items/<int:prep_item_id>/move/", views.prep_item_move, name="item_move"),
    path("items/<int:prep_item_id>/pin/", views.prep_item_pin, name="item_pin"),
    path("items/<int:prep_item_id>/remove/", views.prep_item_remove, name="item_remove"),
    path(
        "research/<int:research_item_id>/toggle/",
        views.research_item_toggle,
        name="research_toggle",
    ),
    path("targets/<int:target_id>/notes/", views.target_research_save, name="target_notes"),
    # A formal interview's sheet (leads.FormalInterview): the page, print view and files.
    path("rounds/<int:round_id>/", views.round_sheet, name="round_sheet"),
    path("rounds/<int:round_id>/print/", views.round_print, name="round_print"),
    path("rounds/<int:round_id>/sheet.pdf", views.round_pdf, name="round_pdf"),
    path("rounds/<int:round_id>/sheet.md", views.round_markdown, name="round_markdown"),
]
