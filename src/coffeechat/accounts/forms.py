from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.models import User

from coffeechat.accounts.models import Profile, country_choices
from coffeechat.core.forms import LongSelect, TimeZoneField


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
    time_zone = TimeZoneField(initial="UTC")

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


class TimeZoneForm(forms.Form):
    """The zone offered on the dashboard (the browser's), or the one the user keeps."""

    time_zone = TimeZoneField()


class ProfileForm(forms.ModelForm):
    time_zone = TimeZoneField()
    country = forms.ChoiceField(
        label="Country for public holidays",
        choices=country_choices,
        widget=LongSelect,
        required=False,
        help_text="Its public holidays do not count as business days for 3B7 follow-ups.",
    )
    email = forms.EmailField(
        label="Email for reminders",
        required=False,
        help_text="Where the daily email of what is due goes. Empty: no email.",
    )

    class Meta:
        model = Profile
        fields = [
            "display_name",
            "stage",
            "background",
            "time_zone",
            "weekly_goal",
            "review_weekday",
            "country",
            "digest_hour",
        ]
        labels = {"stage": "Where you are", "weekly_goal": "Weekly goal"}
        widgets = {"digest_hour": forms.NumberInput(attrs={"min": 0, "max": 23})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].initial = self.instance.user.email
        # A form posted without the review day (saved before it existed) keeps the one set.
        self.fields["review_weekday"].required = False

    def clean_review_weekday(self) -> int:
        value = self.cleaned_data.get("review_weekday")
        return self.instance.review_weekday if value in (None, "") else int(value)

    def save(self, commit: bool = True) -> Profile:
        # Saving this page is a decision on stage, goal and zone: the first step is done and
        # the dashboard stops offering the browser's zone.
        self.instance.settings_saved = True
        self.instance.time_zone_confirmed = True
        profile = super().save(commit=commit)
        if commit:
            user = profile.user
            user.email = self.cleaned_data["email"]
            user.save(update_fields=["email"])
        return profile
