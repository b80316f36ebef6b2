from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User

from coffeechat.targets.models import Target


class TargetForm(forms.ModelForm):
    organization_name = forms.CharField(
        label="Organization",
        max_length=200,
        required=False,
        help_text="For an organization target. A new name creates the organization.",
    )

    class Meta:
        model = Target
        fields = [
            "kind",
            "name",
            "organization_name",
            "motivation",
            "posting",
            "advocacy",
            "why",
            "status",
        ]
        widgets = {
            "why": forms.Textarea(attrs={"rows": 3}),
            "motivation": forms.Select(
                choices=[(0, "0 - none"), (1, "1 - some"), (2, "2 - strong"), (3, "3 - dream")]
            ),
            "posting": forms.Select(
                choices=[
                    (1, "1 - nothing relevant"),
                    (2, "2 - something close"),
                    (3, "3 - a fit now"),
                ]
            ),
        }
        labels = {"advocacy": "Advocacy: I have an alumni or affinity contact there"}

    def __init__(self, *args: Any, owner: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owner = owner
        if self.instance.organization_id:
            self.fields["organization_name"].initial = self.instance.organization.name

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == Target.Kind.ORGANIZATION and not data.get("organization_name"):
            # An organization target without a separate organization name names itself.
            data["organization_name"] = data.get("name", "")
        return data
