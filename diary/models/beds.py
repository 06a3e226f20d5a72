"""The beds a person sleeps on."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from diary.models.querysets import OwnedQuerySet


class Bed(models.Model):
    class Kind(models.TextChoices):
        MATTRESS = "mattress", _("Mattress / bed")
        SOFA = "sofa", _("Sofa")
        FUTON = "futon", _("Futon")
        FLOOR = "floor", _("Floor / mat")
        OTHER = "other", _("Other")

    class Firmness(models.TextChoices):
        SOFT = "soft", _("Soft")
        MEDIUM = "medium", _("Medium")
        FIRM = "firm", _("Firm")
        UNKNOWN = "unknown", _("Not sure")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="beds")
    name = models.CharField(max_length=80)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MATTRESS)
    firmness = models.CharField(max_length=10, choices=Firmness.choices, default=Firmness.UNKNOWN)
    notes = models.TextField(blank=True, max_length=2000)
    occasional = models.BooleanField(
        default=False,
        verbose_name=_("Occasional bed"),
        help_text=_("Travel, a friend's sofa: its nights are always away nights, never a bed change."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)  # a renamed bed refreshes cached pages

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            # "Sofa" and "sofa" are one bed (the forms and the CSV import match names whatever
            # their case); the database holds to it too, so two simultaneous posts cannot both win.
            models.UniqueConstraint(
                F("user"),
                Lower("name"),
                name="bed_unique_name_per_user_any_case",
                violation_error_message=_("You already have a bed with this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name
