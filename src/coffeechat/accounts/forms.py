from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.models import User

from coffeechat.accounts.models import Profile, time_zone_choices


class AccountCreateForm(forms.Form):
    """The owner's first account, or an open sign-up."""

    username = forms.CharField(max_length=150, help_text="Letters, digits and @ . + - _ only.")
    display_name = forms.CharField(label="Your name", max_length=120, required=False)
    email = forms.EmailField(required=False, help_text="Optional. Used for reminders later.")
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters, not a common password.",
    )
    password_again = forms.CharField(
        label="Password again", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    stage = forms.ChoiceField(label="Where you are", choices=Profile.Stage.choices)
    time_zone = forms.ChoiceField(label="Time zone", choices=time_zone_choices, initial="UTC")

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        User.username_validator(username)
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("That username is taken.")
        return username

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password = data.get("password")
        if password and password != data.get("password_again"):
            self.add_error("password_again", "The two passwords differ.")
        elif password:
            candidate = User(username=data.get("username", ""), email=data.get("email", ""))
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(label="Time zone", choices=time_zone_choices)

    class Meta:
        model = Profile
        fields = ["display_name", "stage", "time_zone", "weekly_goal"]
        labels = {"stage": "Where you are", "weekly_goal": "Weekly goal"}
