"""Forms of the account pages (profile, sign-up extras, deletion, restore)."""

from __future__ import annotations

import zoneinfo

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diary.dates import EARLIEST_DATE
from diary.models import Profile, common_time_zones
from diary.transfer.backup import UnreadableBackup, parse_backup
from diary.units import TemperatureUnit
from diary.widgets import DateInput, TimeInput


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        choices=common_time_zones, label=_("Time zone"), help_text=_("Used for 'today' and for reminders.")
    )
    # The same choice as the footer's switcher; empty = follow the browser.
    language = forms.ChoiceField(
        choices=[("", _("The language of my browser")), *settings.LANGUAGES],
        required=False,
        label=_("Language"),
    )

    class Meta:
        model = Profile
        fields = [
            "display_name",
            "time_zone",
            "birth_year",
            "back_pain_since",
            "history_of_cancer",
            "osteoporosis",
            "long_term_steroids",
            "family_spondyloarthritis",
            "psoriasis_arthritis_enthesitis",
            "temperature_unit",
            "language",
            "reminder_enabled",
            "reminder_time",
        ]
        labels = {
            "display_name": _("Your name (optional)"),
            "birth_year": _("Year of birth (optional)"),
            "back_pain_since": _("When did this back pain start? (optional)"),
            "history_of_cancer": _("I have had cancer"),
            "osteoporosis": _("I have osteoporosis"),
            "long_term_steroids": _("I take or have taken steroid tablets long-term"),
            "family_spondyloarthritis": _("A close relative has spondyloarthritis"),
            "psoriasis_arthritis_enthesitis": _("I have or had psoriasis, arthritis or enthesitis"),
            "temperature_unit": _("I measure my temperature in"),
            "reminder_enabled": _("E-mail me a daily reminder to log my night"),
            "reminder_time": _("Reminder time"),
        }
        widgets = {
            "back_pain_since": DateInput(),
            "reminder_time": TimeInput(),
            "temperature_unit": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["temperature_unit"].required = False  # left out (an older form, a script): °C

    def clean_temperature_unit(self):
        return self.cleaned_data["temperature_unit"] or TemperatureUnit.CELSIUS

    def clean_time_zone(self):
        name = self.cleaned_data["time_zone"]
        try:
            zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise forms.ValidationError(_("Choose a time zone from the list.")) from None
        return name

    def clean_birth_year(self):
        year = self.cleaned_data["birth_year"]
        this_year = timezone.localdate().year
        if year is not None and not (this_year - 120 <= year <= this_year):
            raise forms.ValidationError(
                _("Enter a year between %(first)s and %(last)s.") % {"first": this_year - 120, "last": this_year}
            )
        return year

    def clean_back_pain_since(self):
        since = self.cleaned_data["back_pain_since"]
        if since is not None and since > timezone.localdate():
            raise forms.ValidationError(_("This date is in the future."))
        if since is not None and since < EARLIEST_DATE:
            raise forms.ValidationError(_("Enter a date after 1900."))
        return since

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reminder_enabled") and not cleaned.get("reminder_time"):
            self.add_error("reminder_time", _("Choose a time for the reminder, or turn the reminder off."))
        birth_year, since = cleaned.get("birth_year"), cleaned.get("back_pain_since")
        if birth_year and since and since.year < birth_year:
            self.add_error("back_pain_since", _("This is before your year of birth."))
        return cleaned


def valid_time_zone(name: str) -> str | None:
    """`name` when it is a time zone this site offers, else None."""
    return name if name in {value for value, _label in common_time_zones()} else None


class SignupForm(forms.Form):
    """Extra sign-up fields for allauth (ACCOUNT_SIGNUP_FORM_CLASS): the browser's time zone.

    The hidden field is filled by static/js/site.js from the browser's own setting (no inline
    script: the CSP forbids it). Without JavaScript it stays empty and the account starts on
    UTC, which the profile page then says plainly.
    """

    time_zone = forms.CharField(
        required=False, max_length=64, widget=forms.HiddenInput(attrs={"data-detect-time-zone": ""})
    )

    def signup(self, request, user) -> None:
        time_zone = valid_time_zone(self.cleaned_data.get("time_zone", "").strip()) or "UTC"
        Profile.objects.update_or_create(user=user, defaults={"time_zone": time_zone})
        request.session["time_zone"] = time_zone


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        label=_("Password"),
        help_text=_("Enter your password to confirm. This cannot be undone."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That password is not right."))
        return password


class RestoreForm(forms.Form):
    backup = forms.FileField(
        label=_("Backup file"),
        help_text=_("A .json file made with “Download a full backup of my account” on this site."),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def clean_backup(self):
        upload = self.cleaned_data["backup"]
        if upload.size > settings.BACKUP_MAX_BYTES:
            raise forms.ValidationError(
                _("This file is too large (the limit is %(size)s MB).")
                % {"size": settings.BACKUP_MAX_BYTES // (1024 * 1024)}
            )
        try:
            return parse_backup(upload.read())
        except UnreadableBackup as error:
            raise forms.ValidationError(str(error)) from None
