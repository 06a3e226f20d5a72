"""A person's medicines and the doses taken on a night."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from diary.choices import (
    DOSE_UNIT_SYMBOLS,
    DoseUnit,
    MedicineClass,
)
from diary.models.nights import Night
from diary.models.querysets import OwnedQuerySet

# How many milligrams one unit is, for the units that are a weight (the paracetamol rule adds them up).
MG_PER_UNIT = {DoseUnit.MG: Decimal(1), DoseUnit.G: Decimal(1000), DoseUnit.MCG: Decimal("0.001")}
MAX_DOSES_PER_NIGHT = 24  # hourly for a whole day: anything more is a typing slip


class Medicine(models.Model):
    """One of a person's medicines, with the dose they usually take at a time."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="medicines")
    name = models.CharField(max_length=80)
    medicine_class = models.CharField(
        _("Kind of medicine"), max_length=16, choices=MedicineClass.choices, default=MedicineClass.OTHER
    )
    dose = models.DecimalField(
        _("Usual dose"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("The amount you usually take at one time, e.g. 400."),
    )
    unit = models.CharField(max_length=8, choices=DoseUnit.choices, default=DoseUnit.MG)
    current = models.BooleanField(
        _("I take it now"),
        default=True,
        help_text=_("Untick when you stop: past nights keep it, the log form hides it."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)  # part of the pages' data stamp (diary.caching)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            # "Ibuprofen" and "ibuprofen" are one medicine (the form and the CSV import match names
            # whatever their case); the database holds to it too, so two simultaneous posts cannot both win.
            models.UniqueConstraint(
                F("user"),
                Lower("name"),
                name="medicine_unique_name_per_user_any_case",
                violation_error_message=_("You already have a medicine with this name."),
            ),
            models.CheckConstraint(condition=Q(dose__gt=0), name="medicine_dose_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.dose_text}"

    @property
    def dose_text(self) -> str:
        """The usual dose as a person writes it: "400 mg", "1 g", "2 tablets"."""
        return dose_text(self.dose, self.unit)

    @property
    def dose_mg(self) -> Decimal | None:
        """The usual dose in milligrams, or None when the unit is not a weight (ml, tablets)."""
        per_unit = MG_PER_UNIT.get(self.unit)
        return None if per_unit is None else self.dose * per_unit


def dose_text(dose: Decimal, unit: str) -> str:
    """A dose as the reader writes it: "400 mg", "0.5 g", "2 tablets" ("0,5 г", "2 табл." in Russian)."""
    number = f"{dose.normalize():f}" if isinstance(dose, Decimal) else str(dose)
    number = number.replace(".", get_format("DECIMAL_SEPARATOR"))
    if unit == DoseUnit.TABLET:
        # A dose may be a fraction (half a tablet): English says "tablet" for exactly 1 only.
        return ngettext("%(number)s tablet", "%(number)s tablets", 1 if dose == 1 else 2) % {"number": number}
    return f"{number} {DOSE_UNIT_SYMBOLS.get(unit, unit)}"


class MedicineDose(models.Model):
    """A medicine taken on one night: how many of the usual doses, and optionally when."""

    night = models.ForeignKey(Night, on_delete=models.CASCADE, related_name="medicine_doses")
    medicine = models.ForeignKey(Medicine, on_delete=models.RESTRICT, related_name="night_doses")
    doses = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(MAX_DOSES_PER_NIGHT)]
    )
    taken_at = models.TimeField(null=True, blank=True, help_text=_("Optional: when you took the (last) dose."))

    class Meta:
        ordering = ["medicine__name"]
        constraints = [
            models.UniqueConstraint(fields=["night", "medicine"], name="medicine_dose_once_per_night"),
            models.CheckConstraint(
                condition=Q(doses__gte=1, doses__lte=MAX_DOSES_PER_NIGHT), name="medicine_doses_1_24"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.medicine.name} ×{self.doses}"
