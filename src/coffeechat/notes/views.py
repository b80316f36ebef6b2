from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from coffeechat.contacts.models import Contact
from coffeechat.conversations.models import Conversation
from coffeechat.core.access import get_owned_or_404
from coffeechat.core.types import AuthedRequest
from coffeechat.core.views import confirm_delete, edit_page
from coffeechat.notes import services
from coffeechat.notes.forms import NoteForm
from coffeechat.notes.models import Note
from coffeechat.notes.selectors import notes_section


def _added(
    request: AuthedRequest, subject: Contact | Conversation, form: NoteForm, back: str
) -> HttpResponse:
    """The notes section again (htmx), with the form emptied once saved, or the page."""
    if request.htmx:
        section = notes_section(subject=subject, form=form if form.errors else None)
        return render(request, "notes/_section.html", {"section": section})
    return redirect(back)


@require_POST
def note_add_to_contact(request: AuthedRequest, contact_id: int) -> HttpResponse:
    contact = get_owned_or_404(Contact, request.user, pk=contact_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.note_add(owner=request.user, text=form.cleaned_data["text"], contact=contact)
    return _added(request, contact, form, reverse("contacts:detail", args=[contact.pk]))


@require_POST
def note_add_to_conversation(request: AuthedRequest, conversation_id: int) -> HttpResponse:
    conversation = get_owned_or_404(Conversation, request.user, pk=conversation_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.note_add(
            owner=request.user, text=form.cleaned_data["text"], conversation=conversation
        )
    back = reverse("conversations:detail", args=[conversation.pk])
    return _added(request, conversation, form, back)


def _back_url(note: Note) -> str:
    if note.conversation_id:
        return reverse("conversations:detail", args=[note.conversation_id])
    return reverse("contacts:detail", args=[note.contact_id])


def note_delete(request: AuthedRequest, note_id: int) -> HttpResponse:
    note = get_owned_or_404(Note, request.user, pk=note_id)
    back = _back_url(note)
    return confirm_delete(
        request, note, what="the note", quote=note.text, cancel_url=back, success_url=back
    )


def note_edit(request: AuthedRequest, note_id: int) -> HttpResponse:
    note = get_owned_or_404(Note, request.user, pk=note_id)
    back = _back_url(note)
    form = NoteForm(request.POST or None, instance=note)
    return edit_page(
        request,
        form=form,
        heading="Edit note",
        back=back,
        delete_url=reverse("notes:delete", args=[note.pk]),
        save=lambda: services.note_update(note=note, text=form.cleaned_data["text"]),
    )
