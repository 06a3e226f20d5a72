"""Loads a user's report: the one place the ORM meets the pure report rules.

The report page, the PDF, the FHIR bundle, share links and the diary_report command all call
load_report(), so every number is the same everywhere.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Max, Min
from django.utils import timezone

from diary.models import Night, Profile
from diary.patterns import Report, build_report
from diary.period import Period, parse_period

CONTEXT_DAYS = 28


def logged_range(user) -> tuple[date | None, date | None]:
    bounds = Night.objects.for_user(user).aggregate(first=Min("date"), last=Max("date"))
    return bounds["first"], bounds["last"]


def period_for(user, params) -> Period:
    first, last = logged_range(user)
    return parse_period(params, first, last, timezone.localdate())


def load_report(user, start: date, end: date) -> Report:
    """Build the report for the nights of `user` in [start, end]."""
    # Nights before the period are context only (the bed of the night before, bed-change baselines).
    nights = Night.objects.for_user(user).in_period(start - timedelta(days=CONTEXT_DAYS), end).records()
    profile = Profile.objects.filter(user=user).first()
    return build_report(nights, profile.facts() if profile else None, start, end)
