"""Forms for logging a night and managing beds.

The night form is built for a phone: big tap targets, quick picks, rare fields folded away, and
it works without JavaScript. Every rule gives a message a person understands, next to its field.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Layout, Submit
from django import forms
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from diary.choices import PAIN_AREA_BUTTON_LABELS, WOKE_BUTTON_LABELS, EasedBy, Symptom, WokeByPain
from diary.dates import EARLIEST_DATE, long_date
from diary.forms_layout import Details, choice_buttons
from diary.models import Bed, Night, Profile
from diary.services import NewBed, duplicate_night_message, name_taken
from diary.units import TemperatureUnit, from_celsius, symbol, to_celsius
from diary.widgets import DATE_INPUT_FORMATS, DateInput

TEMPERATURE_MIN_C, TEMPERATURE_MAX_C = Decimal("34.0"), Decimal("43.0")
MORNING_MAX_MIN = 1440
# Quick picks for morning pain; "180+" stands for 180 unless exact minutes are given.
MORNING_QUICK_PICKS = [
    ("0", "0"),
    ("5", "5"),
    ("15", "15"),
    ("30", "30"),
    ("60", "60"),
    ("120", "120"),
    ("180", "180+"),
]


MULTI_CHOICE_ERRORS = {"invalid_choice": _("That is not one of the choices; untick it and try again.")}


def _range_messages(low, high) -> dict[str, str]:
    message = format_lazy(_("Enter a number from {low} to {high}, or leave it empty."), low=low, high=high)
    return {
        "invalid": format_lazy(_("Enter a number from {low} to {high}."), low=low, high=high),
        "min_value": message,
        "max_value": message,
    }


def _optional_whole_number(label: str, high: int) -> forms.IntegerField:
    """An optional 0–`high` answer typed on a phone's number pad, with a plain range message."""
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=high,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages=_range_messages(0, high),
    )


class CommaDecimalField(forms.DecimalField):
    """A decimal that also accepts a comma as the decimal mark ("37,8"), as many phone keyboards type it."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


def nearest_night(user, day: date) -> Night | None:
    """The nearest logged night before `day`, or after it when none is before (two queries at most)."""
    nights = Night.objects.for_user(user)
    return nights.filter(date__lt=day).order_by("-date").first() or nights.filter(date__gt=day).order_by("date").first()


def same_as(night: Night) -> dict[str, object]:
    """What "Same as last night" copies from `night`: the bed, pain areas and what eased it."""
    return {"bed": night.bed_id, "pain_areas": list(night.pain_areas), "eased_by": list(night.eased_by)}


class NightForm(forms.ModelForm):
    night_pain = forms.TypedChoiceField(
        label=_("Worst back pain during the night"),
        help_text=_("0 = no pain, 10 = worst imaginable."),
        choices=[(str(n), str(n)) for n in range(11)],
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
        error_messages={
            "required": _("Choose how bad the pain was, from 0 (none) to 10."),
            "invalid_choice": _("Choose a number from 0 (no pain) to 10 (worst imaginable)."),
        },
    )
    woke_by_pain = forms.ChoiceField(
        label=_("Did the pain wake you?"),
        choices=WOKE_BUTTON_LABELS,
        initial=WokeByPain.NO,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
        error_messages={
            "required": _("Say whether the pain woke you."),
            "invalid_choice": _("Choose one of the answers."),
        },
    )
    pain_areas = forms.MultipleChoiceField(
        label=_("Where was the pain?"),
        choices=PAIN_AREA_BUTTON_LABELS,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "btn-check"}),
        error_messages=MULTI_CHOICE_ERRORS,
    )
    morning_quick = forms.ChoiceField(
        label=_("Pain or stiffness after getting up (minutes)"),
        choices=MORNING_QUICK_PICKS,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "btn-check", "data-morning-quick": ""}),
        error_messages={"invalid_choice": _("Choose one of the minute buttons, or type the exact minutes.")},
    )
    morning_pain_minutes = forms.IntegerField(
        label=_("Or exact minutes"),
        required=False,
        min_value=0,
        max_value=MORNING_MAX_MIN,
        help_text=_("Used instead of the button when filled in."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "data-morning-exact": "", "min": 0, "max": 1440}),
        error_messages={
            "invalid": _("Enter whole minutes, from 0 to 1440 (24 hours)."),
            "min_value": _("Enter whole minutes, from 0 to 1440 (24 hours)."),
            "max_value": _("Enter whole minutes, from 0 to 1440 (24 hours)."),
        },
    )
    eased_by = forms.MultipleChoiceField(
        label=_("What eased it?"),
        choices=EasedBy.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "btn-check"}),
        error_messages=MULTI_CHOICE_ERRORS,
    )
    bed = forms.ModelChoiceField(
        label=_("Bed you slept on"),
        queryset=Bed.objects.none(),
        required=False,
        empty_label=_("Choose a bed"),
        error_messages={"invalid_choice": _("Choose one of your beds from the list.")},
    )
    new_bed_name = forms.CharField(
        label=_("New bed's name"),
        max_length=80,
        required=False,
        help_text=_("For example “Guest room bed” or “Sofa”. A name here is used for this night."),
    )
    new_bed_kind = forms.ChoiceField(
        label=_("Kind"), choices=Bed.Kind.choices, initial=Bed.Kind.MATTRESS, required=False
    )
    new_bed_firmness = forms.ChoiceField(
        label=_("Firmness"), choices=Bed.Firmness.choices, initial=Bed.Firmness.UNKNOWN, required=False
    )
    # Typed in the person's unit (profile), stored in °C: the label, help and range follow the unit.
    temperature_c = CommaDecimalField(
        label=_("Temperature (°C)"),
        required=False,
        help_text=_("Leave empty if you did not measure it. For example 37.8."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"invalid": _("Enter a temperature such as 37.8, or leave it empty.")},
    )
    night_urinations = _optional_whole_number(_("Times up to urinate during the night"), 20)
    symptoms = forms.MultipleChoiceField(
        label=_("Other symptoms"),
        choices=Symptom.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages=MULTI_CHOICE_ERRORS,
    )
    stress = _optional_whole_number(_("Stress yesterday (0–10)"), 10)
    day_pain = _optional_whole_number(_("Back pain yesterday during the day (0–10)"), 10)

    class Meta:
        model = Night
        fields = [
            "date",
            "night_pain",
            "woke_by_pain",
            "morning_pain_minutes",
            "bed",
            "temperature_c",
            "night_urinations",
            "stress",
            "day_pain",
            "notes",
        ]
        labels = {"date": _("Night ending on"), "notes": _("Notes")}
        help_texts = {"date": "", "notes": ""}
        widgets = {
            "date": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "date": {
                "required": _("Enter the date of the morning this night ended."),
                "invalid": _("Enter a date such as 2026-11-03."),
            }
        }

    def __init__(self, *args, user, temperature_unit: str | None = None, same_as_last: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.today = timezone.localdate()
        self.last_night: Night | None = None
        self.temperature_unit = temperature_unit or Profile.temperature_unit_for(user)
        if self.temperature_unit == TemperatureUnit.FAHRENHEIT:
            self.fields["temperature_c"].label = _("Temperature (°F)")
            self.fields["temperature_c"].help_text = _("Leave empty if you did not measure it. For example 100.2.")
            self.fields["temperature_c"].error_messages["invalid"] = _(
                "Enter a temperature such as 100.2, or leave it empty."
            )
        today = self.today
        beds = Bed.objects.for_user(user)
        self.fields["bed"].queryset = beds
        self.fields["date"].widget.attrs["max"] = today.isoformat()
        self.fields["date"].input_formats = DATE_INPUT_FORMATS
        first_bed = False
        if self.instance.pk:
            for name in ("pain_areas", "eased_by", "symptoms"):
                self.initial.setdefault(name, list(getattr(self.instance, name)))
            if self.instance.temperature_c is not None:
                self.initial["temperature_c"] = from_celsius(self.instance.temperature_c, self.temperature_unit)
            self._initial_morning_minutes(self.instance.morning_pain_minutes)
        elif not self.is_bound:
            self.initial.setdefault("date", today)
            # The nearest logged night: its bed is the default (filling a gap from the calendar must
            # not default to the newest night's bed, which would record two false bed changes), and
            # "Same as last night" copies its bed, areas and eased-by (never pain or date).
            self.last_night = nearest_night(user, self.initial["date"])
            if self.last_night is not None:
                self.initial.setdefault("bed", self.last_night.bed_id)
                if same_as_last:
                    self.initial.update(same_as(self.last_night))
            else:
                newest = Bed.objects.for_user(user).order_by("-created_at").values_list("pk", flat=True).first()
                self.initial.setdefault("bed", newest)
            # A first-time user has no bed yet: offer one, already named, so the first log is quick.
            if self.initial["bed"] is None:
                first_bed = True
                self.initial.setdefault("new_bed_name", gettext("My bed"))
        self.helper = self._helper(first_bed=first_bed)

    def _initial_morning_minutes(self, minutes: int) -> None:
        # Show a saved value on its quick pick when there is one, otherwise only as exact minutes, so
        # that choosing another quick pick on edit is not silently overridden by a stale exact value.
        picks = {value for value, _ in MORNING_QUICK_PICKS}
        if str(minutes) in picks:
            self.initial["morning_quick"] = str(minutes)
            self.initial["morning_pain_minutes"] = None
        else:
            self.initial["morning_pain_minutes"] = minutes

    def _helper(self, first_bed: bool) -> FormHelper:
        helper = FormHelper()
        helper.form_method = "post"
        helper.attrs = {"novalidate": "", "class": "night-form", "data-once": ""}
        helper.layout = Layout(
            Field("date", wrapper_class="night-date"),
            HTML('{% include "diary/_night_date_taken.html" %}'),
            choice_buttons("night_pain", "choice-buttons--scale"),
            choice_buttons("woke_by_pain", "choice-buttons--three"),
            choice_buttons("pain_areas", "choice-buttons--chips"),
            Div(
                choice_buttons("morning_quick", "choice-buttons--minutes"),
                Field("morning_pain_minutes", wrapper_class="morning-exact"),
                css_class="morning-minutes",
            ),
            choice_buttons("eased_by", "choice-buttons--chips"),
            Field("bed"),
            Details(
                _("Slept somewhere new? Add a bed"),
                Field("new_bed_name"),
                Div(Field("new_bed_kind"), Field("new_bed_firmness"), css_class="new-bed-row"),
                open_when=("new_bed_name",),
                force_open=first_bed,
                css_class="new-bed",
            ),
            # Medicines taken and, when due, the weekly PEG check-in: separate forms (prefixes
            # "med" and "peg") given by the view, rendered inside this <form>.
            HTML('{% include "diary/_night_medicines.html" %}'),
            Details(
                _("More (temperature, urinary and other symptoms, stress, notes)"),
                Field("temperature_c", wrapper_class="narrow-field"),
                Field("night_urinations", wrapper_class="narrow-field"),
                Field("symptoms"),
                Field("stress", wrapper_class="narrow-field"),
                Field("day_pain", wrapper_class="narrow-field"),
                Field("notes"),
                css_class="night-more",
            ),
            # Sticky at the bottom of a phone screen; html's scroll-padding keeps fields clear of it.
            Div(Submit("save", _("Save night"), css_class="btn-lg w-100 night-save"), css_class="night-save-bar"),
        )
        return helper

    # --- field rules -----------------------------------------------------------------------

    # The CSV import checks every date of a file against the diary in one query, and may replace.
    check_date_taken = True

    def clean_date(self):
        day = self.cleaned_data["date"]
        today = self.today
        if day > today:
            raise forms.ValidationError(
                gettext("This date is in the future (today is %(today)s). A night is logged on the morning it ends.")
                % {"today": long_date(today)}
            )
        if day < EARLIEST_DATE:
            raise forms.ValidationError(gettext("Enter a date after 1900."))
        if not self.check_date_taken:
            return day
        existing = Night.objects.for_user(self.user).filter(date=day).exclude(pk=self.instance.pk).first()
        if existing is not None:
            raise forms.ValidationError(duplicate_night_message(existing))
        return day

    def clean_temperature_c(self):
        """The temperature in the person's unit, checked against the stored range in that unit, as °C."""
        value = self.cleaned_data["temperature_c"]
        if value is None:
            return None
        unit = self.temperature_unit
        low, high = (from_celsius(limit, unit) for limit in (TEMPERATURE_MIN_C, TEMPERATURE_MAX_C))
        if not low <= value <= high:
            message = gettext("Enter a temperature from %(low)s to %(high)s %(unit)s, or leave it empty.") % {
                "low": number_format(low, 1),
                "high": number_format(high, 1),
                "unit": symbol(unit),
            }
            # A value that fits the other unit was most likely typed in it: say so.
            other = TemperatureUnit.CELSIUS if unit == TemperatureUnit.FAHRENHEIT else TemperatureUnit.FAHRENHEIT
            other_low, other_high = (from_celsius(limit, other) for limit in (TEMPERATURE_MIN_C, TEMPERATURE_MAX_C))
            if other_low <= value <= other_high:
                message += " " + gettext(
                    "%(value)s looks like %(other)s: your profile is set to %(unit)s"
                    " (you can change it on your account page)."
                ) % {"value": number_format(value), "other": symbol(other), "unit": symbol(unit)}
            raise forms.ValidationError(message)
        if value != value.quantize(Decimal("0.1")):
            raise forms.ValidationError(gettext("Use at most one decimal, for example 37.8."))
        return to_celsius(value, unit)

    def clean_new_bed_name(self):
        name = " ".join(self.cleaned_data["new_bed_name"].split())
        if name and name_taken(Bed, self.user, name):
            raise forms.ValidationError(
                gettext("You already have a bed called “%(name)s”: choose it from the list above.") % {"name": name}
            )
        return name

    def clean_eased_by(self):
        codes = self.cleaned_data["eased_by"]
        if EasedBy.NOTHING in codes and len(codes) > 1:
            raise forms.ValidationError(
                gettext("“Nothing helped” cannot be ticked together with something that helped.")
            )
        return codes

    def clean(self):
        cleaned = super().clean()
        bed_given = cleaned.get("new_bed_name") or cleaned.get("bed") or "bed" in self.errors
        if not bed_given and "new_bed_name" not in self.errors:
            self.add_error("bed", gettext("Choose the bed you slept on, or add a new bed below."))
        # Exact minutes win over the quick pick; "180+" alone means 180.
        if cleaned.get("morning_pain_minutes") is None and "morning_pain_minutes" not in self.errors:
            quick = cleaned.get("morning_quick")
            if quick:
                cleaned["morning_pain_minutes"] = int(quick)
            elif "morning_quick" not in self.errors:
                self.add_error(
                    "morning_quick", gettext("Choose how long pain or stiffness lasted after getting up (0 if none).")
                )
        return cleaned

    # --- what to save (diary.services.log_night saves it) ---------------------------------------

    def night_to_save(self) -> Night:
        """The night as typed, not saved yet."""
        night = super().save(commit=False)
        for name in ("pain_areas", "eased_by", "symptoms"):
            setattr(night, name, self.cleaned_data[name])
        return night

    def new_bed(self) -> NewBed | None:
        if not self.cleaned_data["new_bed_name"]:
            return None
        return NewBed(
            name=self.cleaned_data["new_bed_name"],
            kind=self.cleaned_data["new_bed_kind"] or Bed.Kind.MATTRESS,
            firmness=self.cleaned_data["new_bed_firmness"] or Bed.Firmness.UNKNOWN,
        )
