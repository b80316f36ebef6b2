from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from coffeechat.accounts.services import profile_for
from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import Status
from coffeechat.conversations.selectors import conversation_detail_queryset
from coffeechat.core.access import get_owned_or_404, owned
from coffeechat.core.types import AuthedRequest
from coffeechat.core.views import confirm_delete, form_page_context, query_int
from coffeechat.guide.terms import term_html
from coffeechat.outreach import checker, drafts, selectors, services
from coffeechat.outreach.forms import (
    CheckForm,
    DraftForm,
    KeepInTouchForm,
    MessageTemplateForm,
    ReplyForm,
)
from coffeechat.outreach.models import (
    CHECKER_KIND,
    DEFAULT_CHANNEL,
    Channel,
    DraftKind,
    MessageTemplate,
    Outreach,
)

# The message a conversation most likely needs next, by its status.
_NEXT_KIND: dict[str, str] = {
    Status.IDEA: DraftKind.REQUEST_EMAIL,
    Status.NO_REPLY: DraftKind.REQUEST_EMAIL,
    Status.REQUESTED: DraftKind.NUDGE,
    Status.SCHEDULED: DraftKind.REQUEST_EMAIL,
    Status.HELD: DraftKind.THANKS,
    Status.THANKED: DraftKind.KEEP_IN_TOUCH,
    Status.FOLLOWING_UP: DraftKind.KEEP_IN_TOUCH,
}


# The messages that quote something the contact said back to them.
_QUOTING_KINDS = (DraftKind.THANKS, DraftKind.KEEP_IN_TOUCH, DraftKind.SHADOWING)


def _report(text: str, kind: str) -> checker.Report:
    return checker.check(text, CHECKER_KIND.get(DraftKind(kind), "request"))


def _findings_context(text: str, kind: str) -> dict[str, object]:
    report = _report(text, kind)
    return {
        "report": report,
        "gaps": drafts.gaps(text),
        "findings": [
            {"finding": finding, "excerpt": text[finding.start : finding.end][:160]}
            for finding in report.findings
        ],
        "characters": len(text),
        "checker_kind": CHECKER_KIND.get(DraftKind(kind), "request"),
        "is_note": kind == DraftKind.REQUEST_LINKEDIN_NOTE,
    }


def draft(request: AuthedRequest, conversation_id: int) -> HttpResponse:
    """A message filled from a template, checked as it is edited; sending it logs it."""
    conversation = get_owned_or_404(
        conversation_detail_queryset(user=request.user).prefetch_related("learnings"),
        request.user,
        pk=conversation_id,
    )
    mentionable = drafts.mentionable_learnings(conversation)
    if request.method == "POST":
        form = DraftForm(request.POST)
        data = form.cleaned_data if form.is_valid() else {}
        if data and not data["send_anyway"] and _report(data["body"], data["kind"]).has_errors:
            form.add_error(
                "send_anyway",
                "The checker found an error in this draft (see its findings). Fix it, or "
                "tick this box if you already sent it as it is.",
            )
        if form.is_valid():
            data = form.cleaned_data
            outreach = services.outreach_log(
                conversation=conversation,
                kind=data["kind"],
                channel=data["channel"],
                sent_on=data["sent_on"],
                subject=data["subject"],
                body=data["body"],
            )
            followups = outreach.followups.order_by("due_on")
            summary = "; ".join(f"{f.what} by {f.due_on:%a %b %-d}" for f in followups)
            # The message names 3B7 as a term the user can open in place.
            messages.success(
                request,
                format_html(
                    "Logged the {} as sent.{}",
                    outreach.get_kind_display().lower(),
                    format_html(" {}: {}.", term_html("3B7"), summary) if summary else "",
                ),
            )
            return redirect("conversations:detail", conversation_id=conversation.pk)
        kind = request.POST.get("kind", "")
        if kind not in DraftKind.values:
            kind = DraftKind.REQUEST_EMAIL
    else:
        kind = request.GET.get("kind") or _NEXT_KIND.get(conversation.status, "request_email")
        if kind not in DraftKind.values:
            kind = DraftKind.REQUEST_EMAIL
        user_templates = owned(MessageTemplate, request.user).filter(kind=kind)
        chosen = None
        if template_id := query_int(request, "template"):
            chosen = user_templates.filter(pk=template_id).first()
        template = drafts.template_for(kind, chosen)
        mention_id = query_int(request, "learning")
        mention = next((item for item in mentionable if item.pk == mention_id), None)
        values = drafts.draft_values(
            conversation=conversation, profile=profile_for(request.user), mention=mention
        )
        form = DraftForm(
            initial={
                "kind": kind,
                "subject": drafts.fill(template.subject, values) if template.subject else "",
                "body": drafts.fill(template.body, values),
                "channel": DEFAULT_CHANNEL.get(DraftKind(kind), Channel.EMAIL),
                "sent_on": timezone.localdate(),
            }
        )
    body = form["body"].value() or ""
    context = {
        "conversation": conversation,
        "form": form,
        "kind": kind,
        "kinds": DraftKind.choices,
        "templates": owned(MessageTemplate, request.user).filter(kind=kind),
        "mentionable": mentionable if kind in _QUOTING_KINDS else [],
        "mention_id": query_int(request, "learning")
        or getattr(drafts.default_mention(conversation), "pk", None),
        "signed": bool(drafts.sender_name(profile_for(request.user))),
        **_findings_context(str(body), kind),
    }
    return render(request, "outreach/draft.html", context)


@require_POST
def check_message(request: AuthedRequest) -> HttpResponse:
    """The checker's findings for the text being typed (htmx, debounced in the page)."""
    form = CheckForm(request.POST)
    form.is_valid()
    kind = form.cleaned_data.get("kind") or DraftKind.REQUEST_EMAIL
    text = form.cleaned_data.get("body") or ""
    return render(request, "outreach/_findings.html", _findings_context(text, kind))


@require_POST
def outreach_reply(request: AuthedRequest, outreach_id: int) -> HttpResponse:
    outreach = get_owned_or_404(
        Outreach.objects.select_related("conversation"), request.user, pk=outreach_id
    )
    form = ReplyForm(request.POST)
    if form.is_valid():
        services.outreach_reply(outreach=outreach, replied_on=form.cleaned_data["replied_on"])
        messages.success(
            request,
            format_html(
                "Reply logged; the {} follow-ups of this request are closed.", term_html("3B7")
            ),
        )
    else:
        messages.error(request, "Give the date of the reply. Nothing changed.")
    return redirect("conversations:detail", conversation_id=outreach.conversation_id)


def template_list(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "outreach/template_list.html",
        {
            "templates": owned(MessageTemplate, request.user),
            "builtin": [(DraftKind(kind).label, t) for kind, t in drafts.BUILTIN.items()],
            "placeholders": drafts.PLACEHOLDERS,
        },
    )


def template_form(request: AuthedRequest, template_id: int | None = None) -> HttpResponse:
    template = (
        get_owned_or_404(MessageTemplate, request.user, pk=template_id)
        if template_id
        else MessageTemplate(owner=request.user)
    )
    initial: dict[str, str] = {}
    if not template_id and request.GET.get("kind") in DraftKind.values:
        kind = request.GET["kind"]
        builtin = drafts.BUILTIN[kind]
        initial = {"kind": kind, "subject": builtin.subject, "body": builtin.body}
    form = MessageTemplateForm(request.POST or None, instance=template, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.template_save(template=form.save(commit=False))
        messages.success(request, "Template saved.")
        return redirect("outreach:templates")
    context = form_page_context(
        form=form,
        obj=template,
        noun="template",
        list_url=reverse("outreach:templates"),
        delete="outreach:template_delete",
    )
    return render(request, "outreach/template_form.html", context)


def template_delete(request: AuthedRequest, template_id: int) -> HttpResponse:
    template = get_owned_or_404(MessageTemplate, request.user, pk=template_id)
    return confirm_delete(
        request,
        template,
        what=f"the template “{template.name}”",
        consequences=["Messages already sent with it stay in the outreach log."],
        cancel_url=reverse("outreach:templates"),
        success_url=reverse("outreach:templates"),
    )


def keep_in_touch(request: AuthedRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = selectors.keep_in_touch_rows(user=request.user, today=today)
    return render(
        request,
        "outreach/keep_in_touch.html",
        {
            "overdue": [row for row in rows if row.due_on <= today],
            "upcoming": [row for row in rows if row.due_on > today][:50],
            "today": today,
            "cadences": KeepInTouchForm.base_fields["every_months"].choices,  # type: ignore[attr-defined]
        },
    )


@require_POST
def keep_in_touch_set(request: AuthedRequest, contact_id: int) -> HttpResponse:
    contact = get_owned_or_404(Contact, request.user, pk=contact_id)
    form = KeepInTouchForm(request.POST)
    if form.is_valid():
        services.keep_in_touch_set(
            owner=request.user, contact=contact, every_months=form.cleaned_data["every_months"]
        )
        messages.success(request, f"Keep-in-touch cadence for {contact.full_name} saved.")
    else:
        messages.error(request, "Choose how often to keep in touch. Nothing changed.")
    return redirect("outreach:keep_in_touch")
