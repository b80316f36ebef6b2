"""Who a person is, as coffeechat compares and keeps it: one key per LinkedIn profile, one per
name, and the shapes of a profile address and an email address an address book may hold.

These live with contacts (the base entity) so that the duplicate finder, the importers and
the restore all use the same keys without the contacts app importing anything built on it.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

# Field lengths of contacts.Contact: longer values are cut, not refused.
MAX = {"name": 100, "title": 200, "organization": 200, "email": 254, "phone": 40, "url": 300}


_LINKEDIN_PATH = re.compile(r"linkedin\.com/(in|pub)/([^/?#\s]+)", re.IGNORECASE)


def linkedin_key(url: str) -> str:
    """'https://www.linkedin.com/in/Ana-Ruiz/?trk=x' -> 'in/ana-ruiz': one key per profile,
    whatever the scheme, host prefix, case, trailing slash or tracking query."""
    if not url:
        return ""
    match = _LINKEDIN_PATH.search(url)
    return f"{match.group(1)}/{match.group(2)}".lower() if match else ""


# The usual shape of a profile address, accepted without the URL validator's cost (30,000 rows).
_PROFILE_URL = re.compile(r"https?://(?:www\.|[a-z]{2}\.)?linkedin\.com/\S*\Z", re.IGNORECASE)


_WHITESPACE = re.compile(r"\s")


def profile_url(raw: str) -> str:
    """A LinkedIn address as coffeechat keeps it: http(s) only, with https:// added where the
    file wrote none (as the contact form does), within the field's length; "" for anything
    else. What is kept passes the model's own URL validator, so an export of it restores, and
    a javascript: address is never stored."""
    url = raw.strip()
    # LinkedIn's own export writes every address in this form: one prefix test and one scan.
    if url.startswith("https://www.linkedin.com/") and len(url) <= MAX["url"]:
        if not _WHITESPACE.search(url):
            return url
    if "://" not in url:
        url = f"https://{url}"
    url = url[: MAX["url"]]
    if _PROFILE_URL.match(url):
        return url
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return ""
    return url


_NOT_IN_ADDRESS = re.compile(r"[\s<>,;:\x00]")


def address_ok(value: str) -> bool:
    """An email address as the importer keeps one: one address (no spaces), a dot in its
    domain, within the field's length. Looser than Django's validator on purpose: address
    books hold internationalized addresses (josé@example.com) that people do write to."""
    return (
        "@" in value
        and "." in value.rsplit("@", 1)[-1]
        and len(value) <= MAX["email"]
        and not _NOT_IN_ADDRESS.search(value)
    )


def name_key(first: str, last: str) -> str:
    """A comparison key for a person's name: case, accents and punctuation removed."""
    text = unicodedata.normalize("NFKD", f"{first} {last}").encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())
