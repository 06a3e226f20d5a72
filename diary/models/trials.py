"""Planned bed trials (N-of-1 crossover)."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from diary.models.beds import Bed
from diary.models.querysets import OwnedQuerySet


class BedTrialQuerySet(OwnedQuerySet):
    def active(self):
        return self.filter(status=BedTrial.Status.ACTIVE)


class BedTrial(models.Model):
    """A planned N-of-1 trial of two beds: a randomised blocked crossover (docs/bed-trials.md).

    ``arms`` stores the whole schedule, one letter ("A"/"B") per night from ``start``, so the
    plan never changes once drawn. Results are computed from the nights, never stored.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("Running")
        COMPLETED = "completed", _("Completed")
        STOPPED = "stopped", _("Stopped early")
        ABANDONED = "abandoned", _("Abandoned")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bed_trials")
    bed_a = models.ForeignKey(Bed, on_delete=models.PROTECT, related_name="+")
    bed_b = models.ForeignKey(Bed, on_delete=models.PROTECT, related_name="+")
    start = models.DateField(help_text=_("The morning the first trial night ends."))
    block_nights = models.PositiveSmallIntegerField()
    pairs = models.PositiveSmallIntegerField()
    seed = models.BigIntegerField()
    arms = models.CharField(max_length=1000)
    # The last scheduled night (start + len(arms) - 1), stored so that a query can tell which
    # nights lie inside a trial (NightQuerySet.records() marks them for the bed-change rules).
    end = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    ended_on = models.DateField(null=True, blank=True, help_text=_("The day it was stopped or abandoned."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)  # part of the data stamp: a stopped trial refreshes pages

    objects = BedTrialQuerySet.as_manager()

    class Meta:
        ordering = ["-start", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(status="active"), name="bed_trial_one_active_per_user"
            ),
            models.CheckConstraint(condition=~Q(bed_a=F("bed_b")), name="bed_trial_two_different_beds"),
        ]

    def __str__(self) -> str:
        return f"Bed trial from {self.start}: {self.bed_a} (A) vs {self.bed_b} (B)"

    @property
    def nights(self) -> int:
        return len(self.arms)

    @staticmethod
    def last_night_of(start: date, arms: str) -> date:
        return start + timedelta(days=len(arms) - 1)

    def night_number(self, day: date) -> int | None:
        """1-based trial night for the night ending on ``day``; None outside the schedule."""
        number = (day - self.start).days + 1
        return number if 1 <= number <= len(self.arms) else None

    def arm_on(self, day: date) -> str | None:
        number = self.night_number(day)
        return self.arms[number - 1] if number else None

    def bed_on(self, day: date) -> Bed | None:
        arm = self.arm_on(day)
        return {"A": self.bed_a, "B": self.bed_b}.get(arm or "")
