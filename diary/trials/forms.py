"""The form that starts a bed trial: two of the person's beds, a start date and the design."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from diary.models import Bed
from diary.trials.analysis import MIN_PAIRS
from diary.trials.schedule import DEFAULT_BLOCK_NIGHTS, DEFAULT_PAIRS, MAX_BLOCK_NIGHTS, MAX_PAIRS, Design
from diary.widgets import DATE_INPUT_FORMATS, DateInput

MAX_START_DAYS_AHEAD = 60


class BedTrialForm(forms.Form):
    bed_a = forms.ModelChoiceField(
        queryset=Bed.objects.none(),
        label=_("Bed A"),
        help_text=_("Usually the bed you sleep on now."),
        empty_label=_("Choose a bed"),
        error_messages={"required": _("Choose bed A."), "invalid_choice": _("Choose one of your beds from the list.")},
    )
    bed_b = forms.ModelChoiceField(
        queryset=Bed.objects.none(),
        label=_("Bed B"),
        help_text=_("The bed or mattress you want to try."),
        empty_label=_("Choose a bed"),
        error_messages={"required": _("Choose bed B."), "invalid_choice": _("Choose one of your beds from the list.")},
    )
    start = forms.DateField(
        label=_("First trial night ends on the morning of"),
        widget=DateInput(),
        input_formats=DATE_INPUT_FORMATS,
        error_messages={"required": _("Give the date of the first trial morning."), "invalid": _("Enter a date.")},
    )
    block_nights = forms.IntegerField(
        label=_("Nights in a row on one bed"),
        min_value=1,
        max_value=MAX_BLOCK_NIGHTS,
        initial=DEFAULT_BLOCK_NIGHTS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("Longer blocks suit a body that needs time to settle on a different bed, but need more nights."),
    )
    pairs = forms.IntegerField(
        label=_("Pairs of blocks"),
        min_value=MIN_PAIRS,
        max_value=MAX_PAIRS,
        initial=DEFAULT_PAIRS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=format_lazy(
            _("Each pair is one block on each bed, in a random order. At least {least} for a verdict."), least=MIN_PAIRS
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        beds = Bed.objects.for_user(user)
        self.fields["bed_a"].queryset = beds
        self.fields["bed_b"].queryset = beds
        today = timezone.localdate()
        self.today = today
        self.initial.setdefault("start", today + timedelta(days=1))  # tonight's night ends tomorrow morning

    def clean_start(self):
        start = self.cleaned_data["start"]
        if start < self.today:
            raise forms.ValidationError(_("A trial starts today or later: its order is drawn before the nights."))
        if start > self.today + timedelta(days=MAX_START_DAYS_AHEAD):
            raise forms.ValidationError(
                ngettext(
                    "Start within the next %(days)s day.", "Start within the next %(days)s days.", MAX_START_DAYS_AHEAD
                )
                % {"days": MAX_START_DAYS_AHEAD}
            )
        return start

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("bed_a") and cleaned.get("bed_a") == cleaned.get("bed_b"):
            self.add_error("bed_b", _("Choose a different bed from bed A: the trial compares two beds."))
        return cleaned

    def design(self) -> Design:
        return Design(block_nights=self.cleaned_data["block_nights"], pairs=self.cleaned_data["pairs"])
