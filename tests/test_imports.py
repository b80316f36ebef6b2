"""Importing address books: every format from a sample file, matching on re-import, job
changes, LinkedIn archives, and every kind of bad file refused with nothing written."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from coffeechat.contacts.models import Contact, JobHistory, Tag
from coffeechat.imports import parsers
from coffeechat.imports.models import ImportBatch
from coffeechat.imports.services import import_file
from coffeechat.organizations.models import Organization

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).parent / "samples"


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def archive(*extra: tuple[str, bytes], connections: bool = True) -> bytes:
    """A LinkedIn data archive as LinkedIn zips it: a folder of CSV files, most unrelated."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("Basic_LinkedInDataExport_02-21-2026/Profile.csv", "First Name,Last Name\n")
        if connections:
            zf.writestr(
                "Basic_LinkedInDataExport_02-21-2026/Connections.csv",
                sample("linkedin-connections.csv"),
            )
        zf.writestr(
            "Basic_LinkedInDataExport_02-21-2026/messages.csv", sample("linkedin-messages.csv")
        )
        zf.writestr(
            "Basic_LinkedInDataExport_02-21-2026/Invitations.csv",
            sample("linkedin-invitations.csv"),
        )
        for name, data in extra:
            zf.writestr(name, data)
    return buffer.getvalue()


def names(owner: User) -> set[str]:
    return {c.full_name for c in Contact.objects.filter(owner=owner)}


@pytest.mark.parametrize(
    ("name", "kind", "expected", "skipped"),
    [
        ("linkedin-connections.csv", "linkedin-connections", 8, [8, 12]),
        ("linkedin-connections-old.csv", "linkedin-connections", 3, [4]),
        ("google-contacts.csv", "google", 3, [4]),
        ("google-contacts-legacy.csv", "google-legacy", 2, []),
        ("outlook-contacts.csv", "outlook", 2, [4]),
        ("contacts-3.vcf", "vcard", 2, [3]),
        ("contacts-4.vcf", "vcard", 2, []),
    ],
)
def test_every_sample_imports_by_content(owner, name, kind, expected, skipped) -> None:
    plan = import_file(owner=owner, data=sample(name), filename="whatever.txt")
    assert plan.format == kind
    assert Contact.objects.filter(owner=owner).count() == expected == len(plan.new)
    assert [row for row, _ in plan.skipped] == skipped
    # Importing the same file again creates nothing and changes nothing.
    again = import_file(owner=owner, data=sample(name))
    assert (len(again.new), len(again.updates), again.unchanged) == (0, 0, expected)
    assert Contact.objects.filter(owner=owner).count() == expected


def test_linkedin_connections_fields_orgs_and_quoted_commas(owner) -> None:
    import_file(owner=owner, data=sample("linkedin-connections.csv"))
    tomasz = Contact.objects.get(owner=owner, last_name="Wierzbicki")
    assert tomasz.organization.name == "Keller, Ames & Duarte LLP"
    assert tomasz.title == "Associate, Life Sciences Regulatory"
    assert tomasz.email == ""
    assert tomasz.how_connected == Contact.Connection.ONLINE
    assert tomasz.connection_detail == "LinkedIn connection since 21 Jan 2026"
    # "Corvane Pharmaceuticals Inc.", "CORVANE PHARMACEUTICALS INC", "Corvane Pharmaceuticals".
    corvane = Organization.objects.get(owner=owner, key="corvane pharmaceuticals")
    assert corvane.contacts.count() == 3
    lucia = Contact.objects.get(owner=owner, first_name="Lucía")
    assert lucia.last_name == "Fernández Ortega"


def test_google_multi_values_labels_and_profile(owner) -> None:
    import_file(owner=owner, data=sample("google-contacts.csv"))
    dana = Contact.objects.get(owner=owner, last_name="Kowalczyk")
    assert dana.email == "dana.k@brightwater.example"
    assert dana.linkedin_url == "https://www.linkedin.com/in/dana-kowalczyk"
    assert sorted(dana.tags.values_list("name", flat=True)) == ["alumni", "devices"]
    assert dana.how_connected == Contact.Connection.ADDRESS_BOOK
    assert not Tag.objects.filter(owner=owner, name__contains="mycontacts").exists()


def test_outlook_uses_job_title_not_courtesy_title(owner) -> None:
    import_file(owner=owner, data=sample("outlook-contacts.csv"))
    yusuf = Contact.objects.get(owner=owner, last_name="Demir")
    assert (yusuf.title, yusuf.organization.name) == ("Reimbursement Analyst", "Tidewater Health")
    assert yusuf.linkedin_url == "https://www.linkedin.com/in/yusuf-demir-ma"


def test_vcard_folded_lines_and_escapes(owner) -> None:
    import_file(owner=owner, data=sample("contacts-3.vcf"))
    import_file(owner=owner, data=sample("contacts-4.vcf"))
    theresa = Contact.objects.get(owner=owner, last_name="Bauer")
    assert theresa.notes.endswith("and offered to introduce me to her manager.")
    assert (
        Contact.objects.get(owner=owner, last_name="van der Berg").title == "Clinical Trial Manager"
    )
    kenji = Contact.objects.get(owner=owner, last_name="Nakashima")
    assert kenji.organization.key == "corvane pharmaceuticals"


def test_newer_export_updates_jobs_and_records_history(owner) -> None:
    import_file(owner=owner, data=sample("linkedin-connections.csv"))
    newer = sample("linkedin-connections.csv").replace(
        b"Halvorsen Biologics,Medical Science Liaison",
        b"Brightwater Devices,Senior Medical Science Liaison",
    )
    plan = import_file(owner=owner, data=newer)
    assert (len(plan.new), len(plan.updates)) == (0, 1)
    priya = Contact.objects.get(owner=owner, last_name="Raman")
    assert (priya.title, priya.organization.name) == (
        "Senior Medical Science Liaison",
        "Brightwater Devices GmbH",
    )
    job = JobHistory.objects.get(contact=priya)
    assert (job.organization.name, job.title, job.source) == (
        "Halvorsen Biologics",
        "Medical Science Liaison",
        "linkedin",
    )
    assert job.ended_on is not None


def test_old_export_without_urls_matches_by_name_and_employer(owner) -> None:
    import_file(owner=owner, data=sample("linkedin-connections-old.csv"))
    again = import_file(owner=owner, data=sample("linkedin-connections-old.csv"))
    assert len(again.new) == 0
    # Someone with the same name elsewhere is imported, and flagged as a possible duplicate.
    other = (
        b"First Name,Last Name,Email Address,Company,Position,Connected On\n"
        b"Grace,Whitfield,,Kestrel Labs,Scientist,01 Mar 2026\n"
    )
    plan = import_file(owner=owner, data=other)
    assert len(plan.new) == 1 and len(plan.duplicates) == 1
    assert Contact.objects.filter(owner=owner, first_name="Grace").count() == 2


def test_linkedin_archive_sets_last_interaction_and_how_connected(owner) -> None:
    plan = import_file(owner=owner, data=archive())
    assert plan.format == "linkedin-archive"
    priya = Contact.objects.get(owner=owner, last_name="Raman")
    assert priya.last_interaction == dt.date(2026, 2, 20)
    assert priya.connection_detail == "LinkedIn: you invited them on 7 Feb 2026"
    adaeze = Contact.objects.get(owner=owner, last_name="Okonkwo")
    assert adaeze.connection_detail == "LinkedIn: they invited you on 2 Dec 2025"
    assert Contact.objects.get(owner=owner, last_name="Tanaka").last_interaction == dt.date(
        2026, 1, 7
    )


def test_messages_alone_annotate_existing_contacts(owner) -> None:
    import_file(owner=owner, data=sample("linkedin-connections.csv"))
    plan = import_file(owner=owner, data=sample("linkedin-messages.csv"))
    assert len(plan.new) == 0 and plan.touched == 2
    assert Contact.objects.get(owner=owner, last_name="Tanaka").last_interaction == dt.date(
        2026, 1, 7
    )


def test_forced_format_must_match(owner) -> None:
    with pytest.raises(parsers.ImportError_, match="You chose Google"):
        import_file(owner=owner, data=sample("outlook-contacts.csv"), family="google")
    assert import_file(owner=owner, data=sample("contacts-4.vcf"), family="vcard").format == "vcard"


def _bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("Connections.csv", b"First Name,Last Name,Connected On\n" + b"\n" * 50_000_000)
    return buffer.getvalue()


BAD_FILES = {
    "empty": (b"", "empty"),
    "blank": (b"  \n\n", "empty"),
    "binary": (bytes(range(256)) * 20, "not a text file"),
    "latin-1": (
        "First Name,Last Name,Connected On\nJosé,Núñez,08 Feb 2026\n".encode("latin-1"),
        "not UTF-8",
    ),
    "utf-16": ("First Name,Last Name\n".encode("utf-16"), "UTF-16"),
    "other csv": (b"date,amount,payee\n2026-01-02,12.50,Bakery\n", "not a contacts export"),
    "zip bomb": (_bomb(), "refused"),
    "zip without connections": (b"", "no Connections.csv"),
    "broken zip": (b"PK\x03\x04" + b"\x00" * 100, "damaged"),
    "only hidden rows": (
        b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        b",,,,,,08 Feb 2026\n",
        "no contacts",
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_files_get_a_clear_message_and_write_nothing(owner, case) -> None:
    data, message = BAD_FILES[case]
    if case == "zip without connections":
        data = archive(connections=False)
    with pytest.raises(parsers.ImportError_, match=message):
        import_file(owner=owner, data=data)
    assert not Contact.objects.filter(owner=owner).exists()
    assert not Organization.objects.filter(owner=owner).exists()
    assert not ImportBatch.objects.exists()


def test_a_failure_part_way_writes_nothing(owner) -> None:
    calls = []

    def interrupt(done: int, total: int) -> None:
        calls.append(done)
        if done >= 8:  # after the contacts went in: the user pressed Ctrl+C
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_file(owner=owner, data=sample("linkedin-connections.csv"), progress=interrupt)
    assert 8 in calls
    assert not Contact.objects.filter(owner=owner).exists()
    assert not Organization.objects.filter(owner=owner).exists()


def test_dry_run_writes_nothing(owner) -> None:
    plan = import_file(owner=owner, data=sample("google-contacts.csv"), dry_run=True)
    assert len(plan.new) == 3
    assert not Contact.objects.filter(owner=owner).exists()


def test_cli_json_output_and_errors(owner, tmp_path, capsys) -> None:
    path = tmp_path / "anything.bin"
    path.write_bytes(sample("linkedin-connections.csv"))
    call_command("import", str(path), "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["format"] == "linkedin-connections"
    assert (out["created"], out["updated"], out["duplicates"]) == (8, 0, 0)
    assert out["skipped"] == [
        {"row": 8, "reason": "hidden profile: LinkedIn gave only a connection date"},
        {"row": 12, "reason": "hidden profile: LinkedIn gave only a connection date"},
    ]
    call_command("import", str(path), "--dry-run", "--user", "owner")
    assert "Would import from a LinkedIn connections file" in capsys.readouterr().out
    path.write_bytes(b"")
    with pytest.raises(CommandError, match="empty.*Nothing was imported"):
        call_command("import", str(path))


def test_import_touches_nobody_else(owner, outsider) -> None:
    import_file(owner=outsider, data=sample("linkedin-connections.csv"))
    plan = import_file(owner=owner, data=sample("linkedin-connections.csv"))
    assert len(plan.new) == 8
    assert Contact.objects.filter(owner=outsider).count() == 8
