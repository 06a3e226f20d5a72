"""Forms for medicines (the list, and the doses taken on a night) and the weekly PEG check-in.

They validate only; the writes are in diary.services.
"""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext, gettext_lazy, pgettext

from diary.forms_names import OwnNameForm
from diary.models import MAX_DOSES_PER_NIGHT, PEG_ITEMS, Medicine, MedicineDose, Profile
from diary.services import DoseData
from diary.widgets import TimeInput

DOSE_BUTTONS = 6  # ×1 … ×6 as buttons: one tap records "took ibuprofen 400 mg ×2"
FIELD_PREFIX = "m"
_MEDICINE_FIELD = re.compile(r"^med-m(\d+)$")


NO_MEDICINE_NAME = gettext_lazy("Give the medicine's name, for example “Ibuprofen”.")


class MedicineForm(OwnNameForm):
    missing_name = NO_MEDICINE_NAME
    taken_name = gettext_lazy("You already have a medicine called “%(name)s”. Edit that one instead.")

    class Meta:
        model = Medicine
        fields = ["name", "medicine_class", "dose", "unit", "current"]
        labels = {"name": gettext_lazy("Name"), "unit": gettext_lazy("Unit")}  # unnamed on the model
        error_messages = {
            "name": {"required": NO_MEDICINE_NAME},
            "dose": {
                "required": gettext_lazy("Enter the amount you usually take at one time, for example 400."),
                "min_value": gettext_lazy("Enter a dose above 0, for example 400."),
                "invalid": gettext_lazy("Enter the dose as a number, for example 400 or 0.5."),
                "max_digits": gettext_lazy("Enter a dose below 1,000,000."),
                "max_decimal_places": gettext_lazy("Use at most two decimals."),
                "max_whole_digits": gettext_lazy("Enter a dose below 1,000,000."),
            },
        }
        widgets = {"dose": forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})}

    def clean_dose(self):
        dose = self.cleaned_data["dose"]
        if dose is not None and dose <= 0:
            raise forms.ValidationError(gettext("Enter a dose above 0, for example 400."))
        return dose


def _dose_choices(highest: int) -> list[tuple[str, str]]:
    top = max(DOSE_BUTTONS, highest)
    return [("", pgettext("no doses taken", "None"))] + [(str(n), f"×{n}") for n in range(1, top + 1)]


class NightMedicinesForm(forms.Form):
    """One row of buttons per medicine (None, ×1 … ×6) and an optional time: "took ibuprofen 400 mg ×2".

    Offers the person's current medicines plus any already recorded on this night. Rendered inside
    the night form (prefix "med"), saved by diary.services.set_night_medicines.
    """

    prefix = "med"

    def __init__(self, *args, user, night=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        recorded = {dose.medicine_id: dose for dose in MedicineDose.objects.filter(night=night)} if night else {}
        medicines = Medicine.objects.for_user(user).filter(current=True)
        if recorded:
            medicines = Medicine.objects.for_user(user).filter(pk__in=recorded) | medicines
        self.medicines = list(medicines.distinct().order_by("name"))
        for medicine in self.medicines:
            saved = recorded.get(medicine.pk)
            name = f"{FIELD_PREFIX}{medicine.pk}"
            self.fields[name] = forms.TypedChoiceField(
                label=f"{medicine.name} {medicine.dose_text}",
                choices=_dose_choices(saved.doses if saved else 0),
                coerce=int,
                empty_value=0,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "btn-check"}),
                error_messages={
                    "invalid_choice": gettext("Choose how many doses of %(name)s you took (×1 to ×%(most)s), or None.")
                    % {"name": medicine.name, "most": MAX_DOSES_PER_NIGHT}
                },
            )
            self.fields[f"{name}_time"] = forms.TimeField(
                label=gettext("Time of %(name)s (optional)") % {"name": medicine.name},
                required=False,
                widget=TimeInput(),
                error_messages={"invalid": gettext("Enter a time such as 22:30, or leave it empty.")},
            )
            if saved and not self.is_bound:
                self.initial[name] = str(saved.doses)
                self.initial[f"{name}_time"] = saved.taken_at

    def rows(self):
        """(medicine, doses field, time field) for the template."""
        return [(m, self[f"{FIELD_PREFIX}{m.pk}"], self[f"{FIELD_PREFIX}{m.pk}_time"]) for m in self.medicines]

    def clean(self):
        cleaned = super().clean()
        # A posted medicine that is not one of this person's offered medicines (another user's id,
        # a deleted one, a made-up one) is refused rather than silently dropped.
        known = {medicine.pk for medicine in self.medicines}
        for key in self.data:
            match = _MEDICINE_FIELD.match(key)
            if match and int(match.group(1)) not in known:
                raise forms.ValidationError(
                    gettext(
                        "One of the medicines sent is not in your medicines list (perhaps it was just deleted). "
                        "Reload the page and try again."
                    )
                )
        for medicine in self.medicines:
            name = f"{FIELD_PREFIX}{medicine.pk}"
            doses = cleaned.get(name) or 0
            if doses < 0 or doses > MAX_DOSES_PER_NIGHT:
                self.add_error(name, gettext("Choose from ×1 to ×%(most)s, or None.") % {"most": MAX_DOSES_PER_NIGHT})
            if not doses and cleaned.get(f"{name}_time") and name not in self.errors:
                self.add_error(
                    f"{name}_time",
                    gettext("A time was given for %(name)s: choose how many doses too.") % {"name": medicine.name},
                )
        return cleaned

    def doses(self) -> list[DoseData]:
        """The medicines taken, for diary.services.set_night_medicines."""
        return [
            DoseData(
                medicine,
                self.cleaned_data[f"{FIELD_PREFIX}{medicine.pk}"],
                self.cleaned_data.get(f"{FIELD_PREFIX}{medicine.pk}_time"),
            )
            for medicine in self.medicines
            if self.cleaned_data.get(f"{FIELD_PREFIX}{medicine.pk}")
        ]


def _peg_item(question: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=question,
        choices=[(str(n), str(n)) for n in range(11)],
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
        error_messages={
            "required": gettext_lazy("Choose a number from 0 to 10."),
            "invalid_choice": gettext_lazy("Choose a number from 0 to 10."),
        },
    )


class PegForm(forms.Form):
    """The three PEG questions (Krebs 2009), each 0-10. `optional`: all three or none (on the log form)."""

    prefix = "peg"
    HELP = {
        "pain": gettext_lazy("0 = no pain, 10 = pain as bad as you can imagine."),
        "enjoyment": gettext_lazy("0 = does not interfere, 10 = completely interferes."),
        "activity": gettext_lazy("0 = does not interfere, 10 = completely interferes."),
    }

    def __init__(self, *args, optional: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.optional = optional
        for name, question in PEG_ITEMS:
            self.fields[name] = _peg_item(question)
            self.fields[name].help_text = self.HELP[name]
            self.fields[name].required = not optional

    def clean(self):
        cleaned = super().clean()
        if self.optional:
            answered = [name for name, _ in PEG_ITEMS if cleaned.get(name) not in (None, "")]
            if answered and len(answered) < len(PEG_ITEMS) and not self.errors:
                for name, _ in PEG_ITEMS:
                    if name not in answered:
                        self.add_error(name, gettext("Answer all three weekly questions, or none of them."))
        return cleaned

    @property
    def answered(self) -> bool:
        return all(self.cleaned_data.get(name) not in (None, "") for name, _ in PEG_ITEMS)

    def answers(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name, _ in PEG_ITEMS}


class PegDayForm(forms.ModelForm):
    """The weekday of the weekly check-in, kept on the profile."""

    class Meta:
        model = Profile
        fields = ["peg_weekday"]
