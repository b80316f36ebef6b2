from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.models import User
from django.utils import timezone

from coffeechat.contacts.models import Contact
from coffeechat.conversations.forms import LocalDateTimeField, zoned_start
from coffeechat.conversations.models import Conversation
from coffeechat.core.forms import DateField, TimeZoneField
from coffeechat.core.widgets import ContactChoiceField, ContactsChoiceField
from coffeechat.leads import services
from coffeechat.leads.models import FormalInterview, Lead, LeadStatus
from coffeechat.organizations.services import organization_for_name
from coffeechat.targets.models import Target

# Said wherever a lead is written down: the contact shared what they know; the opening itself
# is pursued through the posting or the recruiter, never by asking the contact for it.
NORMAL_CHANNEL = (
    "Apply through the normal channel (the posting, the recruiter). The conversation that led "
    "you to it is credited; your contact is never asked for the job."
)


class LeadForm(forms.ModelForm):
    organization_name = forms.CharField(
        label="Organization",
        max_length=200,
        required=False,
        help_text="A new name creates the organization.",
    )
    heard_on = DateField(label="Heard of on", required=False)

    class Meta:
        model = Lead
        fields = [
            "role",
            "organization_name",
            "source_contact",
            "source_conversation",
            "target",
            "link",
            "heard_on",
            "notes",
        ]
        labels = {"role": "Role", "link": "Link to the posting", "target": "Target"}
        help_texts = {"role": "The opening's title, as you heard it."}
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, owner: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.fields["source_contact"] = ContactChoiceField(
            Contact.objects.filter(owner=owner), required=False, label="Heard from"
        )
        # Chosen on the conversation's page (its card, interview mode) rather than in a list
        # of every conversation: a real network has thousands.
        conversation = cast(forms.ModelChoiceField, self.fields["source_conversation"])
        conversation.queryset = Conversation.objects.filter(owner=owner)
        conversation.widget = forms.HiddenInput()
        conversation.required = False
        target = cast(forms.ModelChoiceField, self.fields["target"])
        target.queryset = Target.objects.filter(owner=owner).order_by(*Target.LAMP_ORDER)
        target.required = False
        target.help_text = "Left empty, the conversation's first target is taken."
        if self.instance.pk and self.instance.organization_id:
            self.fields["organization_name"].initial = self.instance.organization.name
        self.initial.setdefault("heard_on", self.instance.heard_on or timezone.localdate())

    def save_lead(self) -> Lead:
        """A valid form's lead, created or updated through the services, with its employer
        found or made by name: the web page and the API save a lead this one way. Raises the
        services' ValidationError for a refused change."""
        data = self.cleaned_data
        organization = organization_for_name(owner=self.owner, name=data["organization_name"])
        if self.instance.pk:
            lead = self.save(commit=False)
            lead.organization = organization
            return services.lead_update(lead=lead)
        return services.lead_create(
            owner=self.owner,
            role=data["role"],
            organization=organization,
            source_conversation=data["source_conversation"],
            source_contact=data["source_contact"],
            target=data["target"],
            link=data["link"],
            heard_on=data["heard_on"],
            notes=data["notes"],
        )

    def clean_heard_on(self) -> Any:
        return self.cleaned_data.get("heard_on") or timezone.localdate()


class QuickLeadForm(forms.Form):
    """Interview mode's quick capture: the role and the organization, nothing more."""

    prefix = "lead"

    # Labelled apart from the referral's fields beside them ("Organization" twice on one page
    # is ambiguous to a screen reader and to a test alike).
    role = forms.CharField(max_length=200, label="Role of the opening")
    organization = forms.CharField(max_length=200, required=False, label="Hiring organization")


class LeadTransitionForm(forms.Form):
    to = forms.ChoiceField(choices=LeadStatus.choices)
    on = DateField(required=False, label="On")


class RoundForm(forms.ModelForm):
    starts_local = LocalDateTimeField(label="Date and time", required=False)
    time_zone = TimeZoneField()

    class Meta:
        model = FormalInterview
        fields = [
            "kind",
            "starts_local",
            "time_zone",
            "minutes",
            "place",
            "interviewers",
            "outcome",
            "notes",
        ]
        labels = {"kind": "Round", "outcome": "Outcome"}
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 4}),
            "minutes": forms.NumberInput(attrs={"min": 5, "max": 600, "step": 5}),
        }

    def __init__(
        self, *args: Any, owner: User, default_time_zone: str = "UTC", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.fields["interviewers"] = ContactsChoiceField(
            Contact.objects.filter(owner=owner),
            required=False,
            label="Interviewers",
            help_text="Among your contacts; add someone new on the contacts page first.",
        )
        if self.instance.pk:
            self.fields["time_zone"].initial = self.instance.time_zone
            self.fields["starts_local"].initial = self.instance.local_start
        else:
            self.initial.setdefault("time_zone", default_time_zone)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["starts_at"] = zoned_start(self, data)
        return data

    def save(self, commit: bool = True) -> FormalInterview:
        fi = super().save(commit=False)
        fi.starts_at = self.cleaned_data["starts_at"]
        fi.time_zone = self.cleaned_data["time_zone"]
        if commit:
            fi.save()
            self.save_m2m()
        return fi
