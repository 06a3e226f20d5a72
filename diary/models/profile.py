"""The person: time zone, language, temperature unit and the facts the report rules use."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from diary.models.querysets import OwnedQuerySet
from diary.rules import ProfileFacts
from diary.units import TemperatureUnit


def common_time_zones() -> list[tuple[str, str]]:
    return [
        (name, name.replace("_", " "))
        for name in sorted(zoneinfo.available_timezones())
        if "/" in name or name == "UTC"
    ]


class Profile(models.Model):
    """Facts about the person that the report can use; everything but the time zone is optional."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(
        max_length=100, blank=True, help_text=_("Only shown on exports when you choose to include it.")
    )
    time_zone = models.CharField(max_length=64, default="UTC")
    # A code from settings.LANGUAGES (not model choices, so a new language needs no migration);
    # empty until the person picks one: until then the browser's language is followed.
    language = models.CharField(max_length=10, blank=True, default="")
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    back_pain_since = models.DateField(
        null=True, blank=True, help_text=_("Roughly when this back pain began (any day of that month is fine).")
    )
    history_of_cancer = models.BooleanField(default=False)
    osteoporosis = models.BooleanField(default=False)
    long_term_steroids = models.BooleanField(default=False, help_text=_("Steroid tablets for 3 months or more."))
    family_spondyloarthritis = models.BooleanField(
        default=False,
        help_text=_("A parent, brother, sister or child with spondyloarthritis (e.g. ankylosing spondylitis)."),
    )
    psoriasis_arthritis_enthesitis = models.BooleanField(
        default=False,
        help_text=_("Now or in the past: psoriasis, arthritis, or enthesitis (painful tendon attachments)."),
    )
    temperature_unit = models.CharField(
        max_length=1,
        choices=TemperatureUnit.choices,
        default=TemperatureUnit.CELSIUS,
        help_text=_("Stored in °C either way."),
    )
    reminder_enabled = models.BooleanField(default=False)
    reminder_time = models.TimeField(null=True, blank=True, help_text=_("Local time for a daily e-mail reminder."))
    reminder_last_sent_on = models.DateField(null=True, blank=True)
    peg_weekday = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        choices=sorted(WEEKDAYS.items()),  # Monday = 0, named in the reader's language
        validators=[MaxValueValidator(6)],
        verbose_name=_("Day for the weekly check-in"),
        help_text=_("Leave empty to be asked 7 days after your last check-in."),
    )
    # Part of the pages' data stamp (diary.caching): a saved profile refreshes cached pages.
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Profile of {self.user}"

    @staticmethod
    def temperature_unit_for(user) -> str:
        return (
            Profile.objects.filter(user=user).values_list("temperature_unit", flat=True).first()
            or TemperatureUnit.CELSIUS
        )

    @staticmethod
    def time_zone_for(user) -> str:
        return Profile.objects.filter(user=user).values_list("time_zone", flat=True).first() or "UTC"

    @staticmethod
    def preferences_for(user) -> tuple[str, str, str]:
        """(time zone, language, temperature unit) in one query; "UTC", "" and "" without a profile."""
        row = Profile.objects.filter(user=user).values_list("time_zone", "language", "temperature_unit").first()
        return (row[0] or "UTC", row[1], row[2]) if row else ("UTC", "", "")

    @staticmethod
    def language_for(user) -> str:
        """The language the person chose ("" when they never chose one)."""
        return Profile.objects.filter(user=user).values_list("language", flat=True).first() or ""

    def facts(self) -> ProfileFacts:
        """The profile as the report rules see it."""
        return ProfileFacts(
            birth_year=self.birth_year,
            back_pain_since=self.back_pain_since,
            history_of_cancer=self.history_of_cancer,
            osteoporosis=self.osteoporosis,
            long_term_steroids=self.long_term_steroids,
            family_spondyloarthritis=self.family_spondyloarthritis,
            psoriasis_arthritis_enthesitis=self.psoriasis_arthritis_enthesitis,
        )
