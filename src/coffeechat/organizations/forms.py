from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User

from coffeechat.organizations.models import Organization, organization_key


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "industry", "website", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, owner: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owner = owner

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        key = organization_key(name)
        if not key:
            raise forms.ValidationError("Give the organization a name with letters or digits.")
        clash = Organization.objects.filter(owner=self.owner, key=key).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(f"You already have this organization: {clash[0].name}.")
        return name
