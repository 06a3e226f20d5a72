"""The bed form (validation only; the write is diary.services.save_bed)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from diary.models import Bed
from diary.services import bed_name_taken


class BedForm(forms.ModelForm):
    class Meta:
        model = Bed
        fields = ["name", "kind", "firmness", "occasional", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        # The model names these fields without a label of its own (a label there would need a migration).
        labels = {"name": _("Name"), "kind": _("Kind"), "firmness": _("Firmness"), "notes": _("Notes")}
        error_messages = {"name": {"required": _("Give the bed a name, for example “Guest room bed”.")}}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Give the bed a name, for example “Guest room bed”."))
        if bed_name_taken(self.user, name, exclude_pk=self.instance.pk):
            raise forms.ValidationError(
                _("You already have a bed called “%(name)s”. Choose another name.") % {"name": name}
            )
        return name
