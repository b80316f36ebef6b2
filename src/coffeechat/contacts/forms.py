from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from coffeechat.contacts.models import Contact
from coffeechat.core.forms import date_input
from coffeechat.core.widgets import ContactChoiceField


def parse_tags(text: str) -> list[str]:
    """'pharma, alumni,  Pharma' -> ['pharma', 'alumni']: trimmed, lower-cased, no repeats."""
    seen: dict[str, None] = {}
    for raw in text.split(","):
        tag = " ".join(raw.split()).lower()[:60]
        if tag:
            seen.setdefault(tag, None)
    return list(seen)


class ContactForm(forms.ModelForm):
    organization_name = forms.CharField(
        label="Organization",
        max_length=200,
        required=False,
        help_text="Where they work now. A new name creates the organization.",
        widget=forms.TextInput(attrs={"list": "organization-names", "autocomplete": "off"}),
    )
    tag_names = forms.CharField(
        label="Tags", required=False, help_text="Separated by commas: alumni, pharma, Boston."
    )

    class Meta:
        model = Contact
        fields = [
            "first_name",
            "last_name",
            "title",
            "organization_name",
            "email",
            "phone",
            "linkedin_url",
            "how_connected",
            "connection_detail",
            "introduced_by",
            "tag_names",
            "notes",
            "last_interaction",
        ]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 4}),
            "last_interaction": date_input(),
        }

    def __init__(self, *args: Any, owner: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owner = owner
        candidates = Contact.objects.filter(owner=owner)
        if self.instance.pk:
            candidates = candidates.exclude(pk=self.instance.pk)
        self.fields["introduced_by"] = ContactChoiceField(
            candidates, required=False, label="Introduced by"
        )
        # Someone else already has the typed e-mail: most often the same person typed twice.
        # Only then does the form grow a "save anyway" box, for a shared family or team inbox.
        self.same_email = self._contact_with_same_email() if self.is_bound else None
        if self.same_email is not None:
            self.fields["save_anyway"] = forms.BooleanField(
                required=False, label="Save anyway: this is a different person"
            )
        if self.instance.pk:
            if self.instance.organization_id:
                self.fields["organization_name"].initial = self.instance.organization.name
            self.fields["tag_names"].initial = ", ".join(t.name for t in self.instance.tags.all())

    def clean_introduced_by(self) -> Contact | None:
        introducer = self.cleaned_data.get("introduced_by")
        if introducer and self.instance.pk:
            # Walk up the chain: a contact cannot end up introducing themselves.
            seen, current = set(), introducer
            while current is not None and current.pk not in seen:
                if current.pk == self.instance.pk:
                    raise forms.ValidationError("That would make a loop of introductions.")
                seen.add(current.pk)
                current = current.introduced_by
        return introducer

    def _contact_with_same_email(self) -> Contact | None:
        email = str(self.data.get(self.add_prefix("email"), "")).strip()
        # Read before the form is validated (to ask first), so only an address the field
        # would accept is looked up: a NUL byte, say, is refused by the field with a sentence,
        # where PostgreSQL would refuse the query with an error page.
        try:
            validate_email(email)
        except ValidationError:
            return None
        others = Contact.objects.filter(owner=self.owner, email__iexact=email)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        return others.order_by("id").first()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.same_email is not None and not data.get("save_anyway"):
            self.add_error(
                "email",
                f"{self.same_email.full_name} already has this e-mail. If it is the same "
                "person, open their page instead; if not, tick “Save anyway” below.",
            )
        return data

    def clean_tag_names(self) -> list[str]:
        return parse_tags(self.cleaned_data.get("tag_names", ""))


class QuickContactForm(forms.Form):
    """The dashboard's quick add: a name and where they work is enough to start."""

    name = forms.CharField(label="Name", max_length=200)
    organization_name = forms.CharField(label="Organization", max_length=200, required=False)
    title = forms.CharField(label="Title", max_length=200, required=False)
    as_idea = forms.BooleanField(
        label="Add a conversation idea with them", required=False, initial=True
    )

    def split_name(self) -> tuple[str, str]:
        first, _, last = self.cleaned_data["name"].strip().partition(" ")
        return first, last.strip()
