"""The web import: upload, preview, confirm; and files refused at the door."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from coffeechat.contacts.models import Contact
from coffeechat.imports.models import ImportBatch
from tests.test_imports import sample

pytestmark = pytest.mark.django_db


def upload(client, name: str, data: bytes, **extra):
    return client.post(
        reverse("imports:upload"), {"file": SimpleUploadedFile(name, data), **extra}, follow=True
    )


def test_upload_preview_then_confirm(owner, owner_client) -> None:
    page = owner_client.get(reverse("contacts:list")).content.decode()
    assert reverse("imports:upload") in page
    response = upload(owner_client, "Connections.csv", sample("linkedin-connections.csv"))
    html = response.content.decode()
    assert "Preview" in html and "Nothing is saved until you confirm" in html
    assert "Row 8: hidden profile" in html and "Row 12: hidden profile" in html
    assert not Contact.objects.filter(owner=owner).exists()
    batch = ImportBatch.objects.get(owner=owner)
    assert batch.summary["created"] == 8
    done = owner_client.post(reverse("imports:confirm", args=[batch.pk]), follow=True)
    assert "Imported 8 new contacts and updated 0 contacts." in done.content.decode()
    assert Contact.objects.filter(owner=owner).count() == 8
    batch.refresh_from_db()
    assert (batch.status, bytes(batch.data)) == ("done", b"")
    # Confirming twice imports once.
    owner_client.post(reverse("imports:confirm", args=[batch.pk]))
    assert Contact.objects.filter(owner=owner).count() == 8
    # The same file again: a preview with nothing new, every row already up to date.
    again = upload(owner_client, "Connections.csv", sample("linkedin-connections.csv"))
    assert ImportBatch.objects.filter(owner=owner).latest("id").summary["unchanged"] == 8
    assert again.status_code == 200
    again_html = again.content.decode()
    assert "Nothing to import: everyone in this file is already in coffeechat" in again_html
    assert "Import 0 new" not in again_html


def test_bad_upload_shows_the_reason(owner, owner_client) -> None:
    response = upload(owner_client, "contacts.csv", b"\x00\x01binary\x00" * 50)
    assert "not a text file" in response.content.decode()
    assert "Nothing was imported" in response.content.decode()
    assert not ImportBatch.objects.exists() and not Contact.objects.exists()


@override_settings(IMPORT_MAX_BYTES=1024 * 1024)
def test_an_upload_over_the_limit_is_refused_without_being_kept(owner, owner_client) -> None:
    big = b"First Name,Last Name,Connected On\n" + b"Ann,Lee,08 Feb 2026\n" * 60_000
    response = upload(owner_client, "Connections.csv", big)
    assert "larger than 1 MB" in response.content.decode()
    assert not ImportBatch.objects.exists() and not Contact.objects.exists()
