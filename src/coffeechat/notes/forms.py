from django import forms

from coffeechat.notes.models import Note


class NoteForm(forms.ModelForm):
    class Meta:
        model = Note
        fields = ["text"]
        labels = {"text": "New note"}
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
