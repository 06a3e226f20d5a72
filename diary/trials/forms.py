"""The form that starts a bed trial: two of the person's beds, a start date and the design."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone

from diary.models import Bed
from diary.trials.analysis import MIN_PAIRS
from diary.trials.schedule import DEFAULT_BLOCK_NIGHTS, DEFAULT_PAIRS, MAX_BLOCK_NIGHTS, MAX_PAIRS, Design
from diary.widgets import DateInput

MAX_START_DAYS_AHEAD = 60


class BedTrialForm(forms.Form):
    bed_a = forms.ModelChoiceField(
        queryset=Bed.objects.none(),
        label="Bed A",
        help_text="Usually the bed you sleep on now.",
        empty_label="Choose a bed",
        error_messages={"required": "Choose bed A.", "invalid_choice": "Choose one of your beds from the list."},
    )
    bed_b = forms.ModelChoiceField(
        queryset=Bed.objects.none(),
        label="Bed B",
        help_text="The bed or mattress you want to try.",
        empty_label="Choose a bed",
        error_messages={"required": "Choose bed B.", "invalid_choice": "Choose one of your beds from the list."},
    )
    start = forms.DateField(
        label="First trial night ends on the morning of",
        widget=DateInput(),
        error_messages={"required": "Give the date of the first trial morning.", "invalid": "Enter a date."},
    )
    block_nights = forms.IntegerField(
        label="Nights in a row on one bed",
        min_value=1,
        max_value=MAX_BLOCK_NIGHTS,
        initial=DEFAULT_BLOCK_NIGHTS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text="Longer blocks suit a body that needs time to settle on a different bed, but need more nights.",
    )
    pairs = forms.IntegerField(
        label="Pairs of blocks",
        min_value=MIN_PAIRS,
        max_value=MAX_PAIRS,
        initial=DEFAULT_PAIRS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=f"Each pair is one block on each bed, in a random order. At least {MIN_PAIRS} for a verdict.",
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
            raise forms.ValidationError("A trial starts today or later: its order is drawn before the nights.")
        if start > self.today + timedelta(days=MAX_START_DAYS_AHEAD):
            raise forms.ValidationError(f"Start within the next {MAX_START_DAYS_AHEAD} days.")
        return start

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("bed_a") and cleaned.get("bed_a") == cleaned.get("bed_b"):
            self.add_error("bed_b", "Choose a different bed from bed A: the trial compares two beds.")
        return cleaned

    def design(self) -> Design:
        return Design(block_nights=self.cleaned_data["block_nights"], pairs=self.cleaned_data["pairs"])
