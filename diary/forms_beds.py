"""The bed form (validation only; the write is diary.services.save_bed)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from diary.forms_names import OwnNameForm
from diary.models import Bed

NO_BED_NAME = _("Give the bed a name, for example “Guest room bed”.")


class BedForm(OwnNameForm):
    missing_name = NO_BED_NAME
    taken_name = _("You already have a bed called “%(name)s”. Choose another name.")

    class Meta:
        model = Bed
        fields = ["name", "kind", "firmness", "occasional", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        # The model names these fields without a label of its own (a label there would need a migration).
        labels = {"name": _("Name"), "kind": _("Kind"), "firmness": _("Firmness"), "notes": _("Notes")}
        error_messages = {"name": {"required": NO_BED_NAME}}
