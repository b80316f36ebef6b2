from __future__ import annotations

from django import forms

from coffeechat.api.models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Token name",
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text="What will use it, e.g. “my sync script”.",
    )
    read_only = forms.BooleanField(
        label="Read only: it can read but not change anything", required=False
    )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Give the token a name.")
        return name
