"""Nights: the diary's rows, and the one query that feeds the report rules.

Multi-choice answers (pain areas, what eased it, symptoms) are stored as one boolean column per
choice, so they are validated by the schema and can be filtered on any database. The
``pain_areas`` / ``eased_by`` / ``symptoms`` properties give them back as tuples of codes.
"""

from __future__ import annotations

from datetime import date
from decimal import Context, Decimal
from functools import cache, lru_cache

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connections, models
from django.db.models import Exists, Max, Min, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from diary.choices import (
    MULTI_CHOICE_FIELDS,
    WokeByPain,
    codes_from_flags,
    flag_columns,
    flags_for,
)
from diary.models.beds import Bed
from diary.models.querysets import OwnedQuerySet
from diary.models.trials import BedTrial
from diary.rules import NightRecord, has_fever, urgent_findings


class NightQuerySet(OwnedQuerySet):
    def in_period(self, start: date | None = None, end: date | None = None):
        qs = self
        if start:
            qs = qs.filter(date__gte=start)
        if end:
            qs = qs.filter(date__lte=end)
        return qs

    def logged_range(self) -> tuple[date | None, date | None]:
        """The first and the latest logged night (None, None for an empty diary), in one query."""
        bounds = self.aggregate(first=Min("date"), last=Max("date"))
        return bounds["first"], bounds["last"]

    def records(self) -> list[NightRecord]:
        """The nights as light, immutable records for the report rules, oldest first, in one query."""
        masks = {f"{field}_mask": _bitmask(field) for field in MULTI_CHOICE_FIELDS}
        rows = self.order_by("date").annotate(**masks, in_trial=_in_bed_trial()).values_list(*_RECORD_COLUMNS)
        # Read as the database driver gives them: on a ten-year diary, Django's per-value converters
        # cost more than the query. The drivers already give dates, integers and the bed's boolean;
        # the temperature and in_trial are converted below (docs/performance.md).
        try:
            sql, params = rows.query.get_compiler(using=rows.db).as_sql()
        except EmptyResultSet:  # e.g. .none(): nothing to ask the database
            return []
        with connections[rows.db].cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        # By position, in NightRecord's field order (keywords cost a third more on 3,650 nights).
        return [
            NightRecord(
                day,
                night_pain,
                woke_by_pain,
                _codes_in("pain_areas", areas),
                morning_pain_minutes,
                _codes_in("eased_by", eased),
                bed_id,
                bed_name,
                bed_occasional,
                bool(in_trial),
                _celsius(temperature_c),
                night_urinations,
                _codes_in("symptoms", symptoms),
                stress,
                day_pain,
                notes,
            )
            for (
                day,
                night_pain,
                woke_by_pain,
                areas,
                morning_pain_minutes,
                eased,
                bed_id,
                bed_name,
                bed_occasional,
                in_trial,
                temperature_c,
                night_urinations,
                symptoms,
                stress,
                day_pain,
                notes,
            ) in fetched
        ]


def _in_bed_trial() -> Exists:
    """Whether a night lies inside one of its user's planned bed trials (up to the day it was
    stopped or abandoned) on one of the trial's two beds: the bed-change rules leave such nights
    to the trial (docs/report-rules.md)."""
    return Exists(
        BedTrial.objects.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=OuterRef("date")),
            Q(bed_a=OuterRef("bed")) | Q(bed_b=OuterRef("bed")),
            user=OuterRef("user"),
            start__lte=OuterRef("date"),
            end__gte=OuterRef("date"),
        )
    )


# The columns of records(), in NightRecord's field order.
_RECORD_COLUMNS = (
    "date",
    "night_pain",
    "woke_by_pain",
    "pain_areas_mask",
    "morning_pain_minutes",
    "eased_by_mask",
    "bed_id",
    "bed__name",
    "bed__occasional",
    "in_trial",
    "temperature_c",
    "night_urinations",
    "symptoms_mask",
    "stress",
    "day_pain",
    "notes",
)


# A 10-year report reads 3,650 nights, and Django converts every boolean column in Python: so the
# 20 multi-choice columns are packed in SQL into one integer per field (bit i = its i-th code) and
# each distinct integer becomes a frozenset once. The SQL is a constant built once from the model,
# since resolving 20 ORM expressions on every call would cost more than it saves on a small diary.
# records() is ~4x faster on 3,650 nights, ~3x on 30 (docs/performance.md).
@cache
def _bitmask(field: str) -> RawSQL:
    table = Night._meta.db_table
    bits = [
        f'(CASE WHEN "{table}"."{Night._meta.get_field(column).column}" THEN {1 << i} ELSE 0 END)'
        for i, column in enumerate(flag_columns(field).values())
    ]
    return RawSQL(" + ".join(bits), (), output_field=models.IntegerField())  # noqa: S611 - no user input


_MULTI_CODES = {field: tuple(flag_columns(field)) for field in MULTI_CHOICE_FIELDS}


@lru_cache(maxsize=4096)
def _codes_in(field: str, mask: int) -> frozenset[str]:
    return frozenset(code for i, code in enumerate(_MULTI_CODES[field]) if mask >> i & 1)


_TENTH = Decimal("0.1")  # temperature_c's decimal_places
_FROM_FLOAT = Context(prec=15).create_decimal_from_float  # as Django's SQLite backend reads a DecimalField


def _celsius(value: Decimal | float | None) -> Decimal | None:
    """A temperature as Django would read it: PostgreSQL gives a Decimal, SQLite a float or an int."""
    if value is None or isinstance(value, Decimal):
        return value
    return _FROM_FLOAT(value).quantize(_TENTH)


class Night(models.Model):
    """One night, identified by the date of the morning it ended."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="nights")
    date = models.DateField(help_text=_("The morning this night ended."))
    night_pain = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(0), MaxValueValidator(10)],
        help_text=_("Worst back pain during the night, 0 (none) to 10 (worst imaginable)."),
    )
    woke_by_pain = models.CharField(max_length=5, choices=WokeByPain.choices, default=WokeByPain.NO)
    morning_pain_minutes = models.PositiveSmallIntegerField(
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(1440)],
        help_text=_("How long pain or stiffness lasted after getting up (0 = none)."),
    )
    bed = models.ForeignKey(Bed, on_delete=models.PROTECT, related_name="nights")
    temperature_c = models.DecimalField(
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(34), MaxValueValidator(43)],
        help_text=_("Leave empty if not measured."),
    )
    night_urinations = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(20)]
    )
    stress = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(10)])
    day_pain = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(10)])
    notes = models.TextField(blank=True, max_length=4000)

    area_lower_back = models.BooleanField(default=False)
    area_upper_back = models.BooleanField(default=False)
    area_flank_left = models.BooleanField(default=False)
    area_flank_right = models.BooleanField(default=False)
    area_groin = models.BooleanField(default=False)
    area_buttock_left = models.BooleanField(default=False)
    area_buttock_right = models.BooleanField(default=False)
    area_leg = models.BooleanField(default=False)

    eased_movement = models.BooleanField(default=False)
    eased_hot_shower = models.BooleanField(default=False)
    eased_rest = models.BooleanField(default=False)
    eased_anti_inflammatory = models.BooleanField(default=False)
    eased_painkiller = models.BooleanField(default=False)
    eased_nothing = models.BooleanField(default=False)

    symptom_painful_urination = models.BooleanField(default=False)
    symptom_blood_in_urine = models.BooleanField(default=False)
    symptom_chills = models.BooleanField(default=False)
    symptom_nausea = models.BooleanField(default=False)
    symptom_pain_in_waves = models.BooleanField(default=False)
    symptom_saddle_numbness = models.BooleanField(default=False)
    symptom_bladder_bowel_change = models.BooleanField(default=False)
    symptom_leg_weakness = models.BooleanField(default=False)
    symptom_weight_loss = models.BooleanField(default=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NightQuerySet.as_manager()

    class Meta:
        ordering = ["-date"]
        indexes = [
            # caching.data_stamp(): the latest change to a user's nights, from the index alone.
            models.Index(fields=["user", "updated_at"], name="night_user_updated_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["user", "date"], name="night_unique_date_per_user"),
            models.CheckConstraint(condition=Q(night_pain__lte=10), name="night_pain_0_10"),
            models.CheckConstraint(condition=Q(morning_pain_minutes__lte=1440), name="morning_minutes_0_1440"),
            models.CheckConstraint(
                condition=Q(temperature_c__isnull=True) | Q(temperature_c__gte=34, temperature_c__lte=43),
                name="temperature_34_43",
            ),
            models.CheckConstraint(
                condition=Q(night_urinations__isnull=True) | Q(night_urinations__lte=20), name="urinations_0_20"
            ),
            models.CheckConstraint(condition=Q(stress__isnull=True) | Q(stress__lte=10), name="stress_0_10"),
            models.CheckConstraint(condition=Q(day_pain__isnull=True) | Q(day_pain__lte=10), name="day_pain_0_10"),
        ]

    def __str__(self) -> str:
        return f"Night ending {self.date:%a %d %b %Y}"

    def _codes(self, field: str) -> tuple[str, ...]:
        return codes_from_flags(field, (getattr(self, column) for column in flag_columns(field).values()))

    def _set_codes(self, field: str, codes) -> None:
        for column, on in flags_for(field, codes).items():
            setattr(self, column, on)

    pain_areas = property(lambda self: self._codes("pain_areas"), lambda self, v: self._set_codes("pain_areas", v))
    eased_by = property(lambda self: self._codes("eased_by"), lambda self, v: self._set_codes("eased_by", v))
    symptoms = property(lambda self: self._codes("symptoms"), lambda self, v: self._set_codes("symptoms", v))

    def as_record(self) -> NightRecord:
        """This night as the report rules read it (the bed by id only, so no query is made)."""
        return NightRecord(
            date=self.date,
            night_pain=self.night_pain,
            woke_by_pain=self.woke_by_pain,
            pain_areas=frozenset(self.pain_areas),
            morning_pain_minutes=self.morning_pain_minutes,
            eased_by=frozenset(self.eased_by),
            bed_id=self.bed_id,
            temperature_c=self.temperature_c,
            night_urinations=self.night_urinations,
            symptoms=frozenset(self.symptoms),
            stress=self.stress,
            day_pain=self.day_pain,
        )

    @property
    def has_fever(self) -> bool:
        return has_fever(self)

    @property
    def warning_signs(self) -> list[str]:
        """The titles of the report's urgent findings on this night alone (empty when there are none).

        Not a second definition: the urgent rules of diary.rules, evaluated on this one night.
        """
        return [finding.title for finding in urgent_findings(self.as_record())]
