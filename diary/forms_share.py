"""Forms for share links: the owner creates one; a clinician may have to type its passcode."""

from __future__ import annotations

import secrets

from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from diary.dates import today_for
from diary.models import ShareLink, reader_language
from diary.period import check_range, date_field, field_of

# A passcode must outlast a patient guesser until the link expires (docs/security.md): at least
# 10 characters and not a common password. The page suggests one of SUGGESTED_LENGTH characters
# from PASSCODE_ALPHABET (31 symbols, no 0/o or 1/i/l to misread): 31**10, about 8 x 10**14.
PASSCODE_MIN, PASSCODE_MAX = 10, 64
PASSCODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
SUGGESTED_LENGTH = 10


def suggest_passcode() -> str:
    return "".join(secrets.choice(PASSCODE_ALPHABET) for _ in range(SUGGESTED_LENGTH))


def expiry_choices() -> list[tuple[int, str]]:
    """ "1 day", "7 days", "30 days" in the active language (built per form: plural forms differ)."""
    return [
        (days, ngettext("%(count)d day", "%(count)d days", days) % {"count": days}) for days in ShareLink.EXPIRY_DAYS
    ]


class ShareLinkForm(forms.Form):
    label = forms.CharField(
        max_length=80,
        required=False,
        label=_("Who is it for? (optional)"),
        help_text=_("Only you see this, e.g. “Dr Patel, March appointment”."),
    )
    start = date_field(_("From"), "start", required=True)
    end = date_field(_("To"), "end", required=True)
    expiry_days = forms.TypedChoiceField(
        label=_("The link works for"),
        choices=[(days, str(days)) for days in ShareLink.EXPIRY_DAYS],
        coerce=int,
        initial=7,
        widget=forms.RadioSelect,
    )
    passcode = forms.CharField(
        required=False,
        min_length=PASSCODE_MIN,
        max_length=PASSCODE_MAX,
        strip=True,
        label=_("Passcode (optional)"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "off"}),
    )
    include_name = forms.BooleanField(
        required=False,
        label=_("Show my name on the shared report"),
        help_text=_("Uses the display name on your account page."),
    )
    language = forms.ChoiceField(
        label=_("Language of the shared report"),
        choices=settings.LANGUAGES,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("The language your clinician reads the page and its PDF in, whatever your own language."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.suggested_passcode = suggest_passcode()
        # Texts with numbers are written here, per form, so they are in the active language.
        self.fields["expiry_days"].choices = expiry_choices()
        passcode = self.fields["passcode"]
        passcode.help_text = " ".join(
            (
                gettext(
                    "At least %(count)d characters. Tell it to your clinician separately, "
                    "not in the same message as the link."
                )
                % {"count": PASSCODE_MIN},
                gettext("A strong one, made for you at random: %(passcode)s") % {"passcode": self.suggested_passcode},
            )
        )
        passcode.error_messages = {
            **passcode.error_messages,
            "min_length": gettext("Use at least %(count)d characters, or leave it empty.") % {"count": PASSCODE_MIN},
            "max_length": gettext("Use at most %(count)d characters.") % {"count": PASSCODE_MAX},
        }
        # Unless chosen, the clinician reads the report in the language the person is using now.
        self.fields["language"].initial = reader_language(translation.get_language())

    def clean_language(self) -> str:
        return reader_language(self.cleaned_data.get("language"))

    def clean_passcode(self):
        passcode = self.cleaned_data["passcode"]
        if passcode:
            try:
                CommonPasswordValidator().validate(passcode)
            except ValidationError:
                raise forms.ValidationError(
                    _(
                        "This passcode is among the most common passwords, so it is easy to guess. "
                        "Use the one suggested below, or another of your own."
                    )
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
            self.add_error("expiry_days", _("Choose 1, 7 or 30 days."))
        return cleaned


class SharePasscodeForm(forms.Form):
    passcode = forms.CharField(
        max_length=PASSCODE_MAX,
        strip=True,
        label=_("Passcode"),
        help_text=_("Ask the patient if you do not have it."),
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "autofocus": True}),
        error_messages={"required": _("Enter the passcode."), "max_length": _("That passcode is not right.")},
    )
