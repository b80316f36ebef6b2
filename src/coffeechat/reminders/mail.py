"""Sending one user's digest: what the worker's task and `coffeechat digest --now` run."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage

from coffeechat.reminders.digest import digest_for


class MailNotConfigured(Exception):
    """No SMTP server is configured, so no digest can be sent."""


def digest_send(*, user: User, day: date) -> bool:
    """Sends the digest of ``day`` to ``user`` at once. False when nothing is due (no mail)
    or the user has no email address."""
    if not settings.MAIL_CONFIGURED:
        raise MailNotConfigured(
            "No mail server: set COFFEECHAT_SMTP_HOST (and COFFEECHAT_SMTP_PORT, _USER, "
            "_PASSWORD, _TLS as needed)."
        )
    if not user.email:
        return False
    digest = digest_for(user=user, day=day)
    if digest.is_empty:
        return False
    message = EmailMessage(
        subject=digest.subject,
        body=digest.text(site_url=getattr(settings, "SITE_URL", "")),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
    message.send(using="default")
    return True
