"""The weekly PEG check-in (pain, enjoyment, activity)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from diary.models.querysets import OwnedQuerySet

PEG_ITEMS = (
    # (field, question) - Krebs et al., J Gen Intern Med 2009;24:733, free to use. Each 0-10.
    ("pain", _("What number best describes your pain on average in the past week?")),
    (
        "enjoyment",
        _("What number best describes how, during the past week, pain has interfered with your enjoyment of life?"),
    ),
    (
        "activity",
        _("What number best describes how, during the past week, pain has interfered with your general activity?"),
    ),
)


class PegCheckIn(models.Model):
    """A weekly PEG check-in: three 0-10 answers about the past week; the score is their mean."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="peg_check_ins")
    date = models.DateField()
    pain = models.PositiveSmallIntegerField(validators=[MaxValueValidator(10)])
    enjoyment = models.PositiveSmallIntegerField(validators=[MaxValueValidator(10)])
    activity = models.PositiveSmallIntegerField(validators=[MaxValueValidator(10)])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["user", "date"], name="peg_once_per_day"),
            models.CheckConstraint(
                condition=Q(pain__lte=10, enjoyment__lte=10, activity__lte=10), name="peg_items_0_10"
            ),
        ]

    def __str__(self) -> str:
        return f"PEG check-in on {self.date}"

    @property
    def score(self) -> Decimal:
        """The PEG score: the mean of the three items, to one decimal (Krebs 2009)."""
        return (Decimal(self.pain + self.enjoyment + self.activity) / 3).quantize(Decimal("0.1"))
