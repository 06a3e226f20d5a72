"""Forms for share links: the owner creates one; a clinician may have to type its passcode."""

from __future__ import annotations

import secrets

from django import forms
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError

from diary.dates import today_for
from diary.models import ShareLink
from diary.period import check_range, date_field, field_of

# A passcode must outlast a patient guesser until the link expires (docs/security.md): at least
# 10 characters and not a common password. The page suggests one of SUGGESTED_LENGTH characters
# from PASSCODE_ALPHABET (31 symbols, no 0/o or 1/i/l to misread): 31**10, about 8 x 10**14.
PASSCODE_MIN, PASSCODE_MAX = 10, 64
PASSCODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
SUGGESTED_LENGTH = 10


def suggest_passcode() -> str:
    return "".join(secrets.choice(PASSCODE_ALPHABET) for _ in range(SUGGESTED_LENGTH))


EXPIRY_CHOICES = [(1, "1 day"), (7, "7 days"), (30, "30 days")]


class ShareLinkForm(forms.Form):
    label = forms.CharField(
        max_length=80,
        required=False,
        label="Who is it for? (optional)",
        help_text="Only you see this, e.g. “Dr Patel, March appointment”.",
    )
    start = date_field("From", "start", required=True)
    end = date_field("To", "end", required=True)
    expiry_days = forms.TypedChoiceField(
        label="The link works for",
        choices=EXPIRY_CHOICES,
        coerce=int,
        initial=7,
        widget=forms.RadioSelect,
    )
    passcode = forms.CharField(
        required=False,
        min_length=PASSCODE_MIN,
        max_length=PASSCODE_MAX,
        strip=True,
        label="Passcode (optional)",
        help_text=f"At least {PASSCODE_MIN} characters. Tell it to your clinician separately, not in the same message as the link.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "off"}),
        error_messages={
            "min_length": f"Use at least {PASSCODE_MIN} characters, or leave it empty.",
            "max_length": f"Use at most {PASSCODE_MAX} characters.",
        },
    )
    include_name = forms.BooleanField(
        required=False,
        label="Show my name on the shared report",
        help_text="Uses the display name on your account page.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.suggested_passcode = suggest_passcode()
        self.fields["passcode"].help_text += f" A strong one, made for you at random: {self.suggested_passcode}"

    def clean_passcode(self):
        passcode = self.cleaned_data["passcode"]
        if passcode:
            try:
                CommonPasswordValidator().validate(passcode)
            except ValidationError:
                raise forms.ValidationError(
                    "This passcode is among the most common passwords, so it is easy to guess. "
                    "Use the one suggested below, or another of your own."
                ) from None
        return passcode

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            try:
                check_range(start, end, today_for())
            except forms.ValidationError as error:
                self.add_error(field_of(error), error)
        if cleaned.get("expiry_days") is not None and cleaned["expiry_days"] not in ShareLink.EXPIRY_DAYS:
            self.add_error("expiry_days", "Choose 1, 7 or 30 days.")
        return cleaned


class SharePasscodeForm(forms.Form):
    passcode = forms.CharField(
        max_length=PASSCODE_MAX,
        strip=True,
        label="Passcode",
        help_text="Ask the patient if you do not have it.",
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "autofocus": True}),
        error_messages={"required": "Enter the passcode.", "max_length": "That passcode is not right."},
    )
