from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.tasks import task

from coffeechat.reminders.mail import digest_send


@task()
def send_digest(*, user_id: int, day: str) -> bool:
    """Runs in the worker: sends one user's digest for one day (ISO date)."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return False
    return digest_send(user=user, day=date.fromisoformat(day))
