from django import forms

from coffeechat.notes.models import Note


class NoteForm(forms.ModelForm):
    # Prefixed: a conversation page holds this form and the learning form, both with "text".
    prefix = "note"

    class Meta:
        model = Note
        fields = ["text"]
        labels = {"text": "New note"}
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
