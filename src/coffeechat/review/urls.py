from __future__ import annotations

from datetime import date

from django.urls import path, register_converter

from coffeechat.review import views


class WeekConverter:
    """A day as YYYY-MM-DD; a string that is not a real date (2026-02-30) matches no URL, so
    it is a 404, never an error."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> date:
        return date.fromisoformat(value)  # ValueError: no match

    def to_url(self, value: date | str) -> str:
        return value.isoformat() if isinstance(value, date) else str(value)


register_converter(WeekConverter, "day")

app_name = "review"

urlpatterns = [
    path("", views.review_week, name="current"),
    path("<day:week>/", views.review_week, name="week"),
    path("<day:week>/done/", views.review_done, name="done"),
    path("<day:week>/undo/", views.review_undo, name="undo"),
    path("draft/", views.draft_request, name="draft"),
]
