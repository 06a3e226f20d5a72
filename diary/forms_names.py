"""The name of a person's bed or medicine, as their forms check it: spaces collapsed, given, and
not already one of theirs whatever its case (diary.services.name_taken; the database holds to it too)."""

from __future__ import annotations

from django import forms

from diary.services import name_taken


class OwnNameForm(forms.ModelForm):
    """A ModelForm of a user's named thing; subclasses say what a missing or taken name reads."""

    missing_name: str  # e.g. "Give the bed a name, …"
    taken_name: str  # with %(name)s

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(self.missing_name)
        if name_taken(self._meta.model, self.user, name, exclude_pk=self.instance.pk):
            raise forms.ValidationError(self.taken_name % {"name": name})
        return name
