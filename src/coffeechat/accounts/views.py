from __future__ import annotations

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from coffeechat.accounts import services
from coffeechat.accounts.forms import AccountCreateForm, ProfileForm, TimeZoneForm
from coffeechat.accounts.middleware import TIME_ZONE_SESSION_KEY
from coffeechat.accounts.throttling import client_address
from coffeechat.core.types import AuthedRequest


def _create_account(request: HttpRequest, form: AccountCreateForm) -> User:
    data = form.cleaned_data
    user = services.user_create(
        username=data["username"],
        password=data["password"],
        email=data["email"],
        display_name=data["display_name"],
        stage=data["stage"],
        time_zone=data["time_zone"],
    )
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return user


@login_not_required
def setup(request: HttpRequest) -> HttpResponse:
    """First visit: the installation has no user yet, so the visitor creates the owner."""
    if User.objects.exists():
        return redirect("accounts:login")
    form = AccountCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _create_account(request, form)
        messages.success(request, "Welcome to coffeechat. Your first steps are below.")
        return redirect("dashboard:home")
    return render(request, "accounts/setup.html", {"form": form})


@login_not_required
def signup(request: HttpRequest) -> HttpResponse:
    if not settings.SIGNUP_OPEN:
        raise Http404("Sign-up is closed on this installation.")
    form = AccountCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _create_account(request, form)
        return redirect("dashboard:home")
    return render(request, "accounts/signup.html", {"form": form})


def settings_page(request: AuthedRequest) -> HttpResponse:
    profile = services.profile_for(request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        profile = form.save()
        request.session[TIME_ZONE_SESSION_KEY] = profile.time_zone
        messages.success(request, "Settings saved.")
        return redirect("accounts:settings")
    feed_url = ""
    if profile.calendar_token:
        path = reverse("calendar:feed", kwargs={"token": profile.calendar_token})
        feed_url = "webcal://" + request.get_host() + path
    return render(request, "accounts/settings.html", {"form": form, "feed_url": feed_url})


@require_POST
def time_zone_confirm(request: AuthedRequest) -> HttpResponse:
    """The dashboard's "Use it?" about the browser's zone, or "Keep" the current one."""
    form = TimeZoneForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            "That is not a time zone coffeechat knows; choose yours here. Nothing was changed.",
        )
        return redirect("accounts:settings")
    before = services.profile_for(request.user).time_zone
    profile = services.profile_time_zone_confirm(
        user=request.user, time_zone=form.cleaned_data["time_zone"]
    )
    request.session[TIME_ZONE_SESSION_KEY] = profile.time_zone
    if profile.time_zone == before:
        messages.success(request, f"Keeping {profile.time_zone}. Settings can change it later.")
    else:
        messages.success(request, f"Time zone set to {profile.time_zone}: times now show in it.")
    return redirect("dashboard:home")


def password_change(request: AuthedRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        if services.calendar_token_rotate_if_any(user=user):
            messages.success(
                request,
                "Password changed. Your calendar feed has a new address too: subscribe again "
                "with the one below (the old one no longer works).",
            )
        else:
            messages.success(request, "Password changed.")
        return redirect("accounts:settings")
    return render(request, "accounts/password_change.html", {"form": form})


@require_POST
def delete_account(request: AuthedRequest) -> HttpResponse:
    if request.POST.get("confirm_username") != request.user.get_username():
        messages.error(request, "Type your username to confirm. Nothing was deleted.")
        return redirect("accounts:settings")
    services.account_delete(user=request.user)
    return redirect("accounts:login")


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):  # type: ignore[no-untyped-def]
        return super().get_context_data(**kwargs) | {"signup_open": settings.SIGNUP_OPEN}

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        # A success clears this username's failures from this address, not the address's
        # failures for other usernames (see settings.AXES_RESET_ON_SUCCESS).
        axes_reset(
            ip=getattr(self.request, "axes_ip_address", None) or client_address(self.request),
            username=form.cleaned_data.get("username"),
        )
        return super().form_valid(form)
