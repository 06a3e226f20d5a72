"""The diary's data: a user's profile, beds and nights.

Multi-choice answers (pain areas, what eased it, symptoms) are stored as one boolean column per
choice, so they are validated by the schema and can be filtered on any database. The
``pain_areas`` / ``eased_by`` / ``symptoms`` properties give them back as tuples of codes.
"""

from __future__ import annotations

import calendar
import hashlib
import secrets
import zoneinfo
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache, lru_cache

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, Max, Min, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower
from django.utils import timezone

from diary.choices import (
    MULTI_CHOICE_FIELDS,
    DoseUnit,
    MedicineClass,
    WokeByPain,
    codes_from_flags,
    flag_columns,
    flags_for,
)
from diary.rules import NightRecord, ProfileFacts, has_fever, urgent_findings
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
        max_length=100, blank=True, help_text="Only shown on exports when you choose to include it."
    )
    time_zone = models.CharField(max_length=64, default="UTC")
    # A code from settings.LANGUAGES (not model choices, so a new language needs no migration);
    # empty until the person picks one: until then the browser's language is followed.
    language = models.CharField(max_length=10, blank=True, default="")
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    back_pain_since = models.DateField(
        null=True, blank=True, help_text="Roughly when this back pain began (any day of that month is fine)."
    )
    history_of_cancer = models.BooleanField(default=False)
    osteoporosis = models.BooleanField(default=False)
    long_term_steroids = models.BooleanField(default=False, help_text="Steroid tablets for 3 months or more.")
    family_spondyloarthritis = models.BooleanField(
        default=False,
        help_text="A parent, brother, sister or child with spondyloarthritis (e.g. ankylosing spondylitis).",
    )
    psoriasis_arthritis_enthesitis = models.BooleanField(
        default=False, help_text="Now or in the past: psoriasis, arthritis, or enthesitis (painful tendon attachments)."
    )
    temperature_unit = models.CharField(
        max_length=1,
        choices=TemperatureUnit.choices,
        default=TemperatureUnit.CELSIUS,
        help_text="Stored in °C either way.",
    )
    reminder_enabled = models.BooleanField(default=False)
    reminder_time = models.TimeField(null=True, blank=True, help_text="Local time for a daily e-mail reminder.")
    reminder_last_sent_on = models.DateField(null=True, blank=True)
    peg_weekday = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        choices=[(i, name) for i, name in enumerate(calendar.day_name)],
        validators=[MaxValueValidator(6)],
        verbose_name="Day for the weekly check-in",
        help_text="Leave empty to be asked 7 days after your last check-in.",
    )
    # Part of the diary's data version (caching.data_stamp): a saved profile refreshes cached pages.
    updated_at = models.DateTimeField(auto_now=True)

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


class OwnedQuerySet(models.QuerySet):
    """The one choke point for per-user data: every read of diary data goes through for_user()."""

    def for_user(self, user):
        return self.filter(user=user)


class Bed(models.Model):
    class Kind(models.TextChoices):
        MATTRESS = "mattress", "Mattress / bed"
        SOFA = "sofa", "Sofa"
        FUTON = "futon", "Futon"
        FLOOR = "floor", "Floor / mat"
        OTHER = "other", "Other"

    class Firmness(models.TextChoices):
        SOFT = "soft", "Soft"
        MEDIUM = "medium", "Medium"
        FIRM = "firm", "Firm"
        UNKNOWN = "unknown", "Not sure"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="beds")
    name = models.CharField(max_length=80)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MATTRESS)
    firmness = models.CharField(max_length=10, choices=Firmness.choices, default=Firmness.UNKNOWN)
    notes = models.TextField(blank=True, max_length=2000)
    occasional = models.BooleanField(
        default=False,
        verbose_name="Occasional bed",
        help_text="Travel, a friend's sofa: its nights are always away nights, never a bed change.",
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
                violation_error_message="You already have a bed with this name.",
            )
        ]

    def __str__(self) -> str:
        return self.name


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
        rows = (
            self.order_by("date")
            .annotate(**masks, in_trial=_in_bed_trial())
            .values_list(*_RECORD_COLUMNS, *masks, "in_trial")
        )
        return [
            NightRecord(
                date=day,
                night_pain=night_pain,
                woke_by_pain=woke_by_pain,
                morning_pain_minutes=morning_pain_minutes,
                bed_id=bed_id,
                bed_name=bed_name,
                bed_occasional=bed_occasional,
                temperature_c=temperature_c,
                night_urinations=night_urinations,
                stress=stress,
                day_pain=day_pain,
                notes=notes,
                pain_areas=_codes_in("pain_areas", areas),
                eased_by=_codes_in("eased_by", eased),
                symptoms=_codes_in("symptoms", symptoms),
                in_trial=in_trial,
            )
            for (
                day,
                night_pain,
                woke_by_pain,
                morning_pain_minutes,
                bed_id,
                bed_name,
                bed_occasional,
                temperature_c,
                night_urinations,
                stress,
                day_pain,
                notes,
                areas,
                eased,
                symptoms,
                in_trial,
            ) in rows
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


_RECORD_COLUMNS = (
    "date",
    "night_pain",
    "woke_by_pain",
    "morning_pain_minutes",
    "bed_id",
    "bed__name",
    "bed__occasional",
    "temperature_c",
    "night_urinations",
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


class Night(models.Model):
    """One night, identified by the date of the morning it ended."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="nights")
    date = models.DateField(help_text="The morning this night ended.")
    night_pain = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(0), MaxValueValidator(10)],
        help_text="Worst back pain during the night, 0 (none) to 10 (worst imaginable).",
    )
    woke_by_pain = models.CharField(max_length=5, choices=WokeByPain.choices, default=WokeByPain.NO)
    morning_pain_minutes = models.PositiveSmallIntegerField(
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(1440)],
        help_text="How long pain or stiffness lasted after getting up (0 = none).",
    )
    bed = models.ForeignKey(Bed, on_delete=models.PROTECT, related_name="nights")
    temperature_c = models.DecimalField(
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(34), MaxValueValidator(43)],
        help_text="Leave empty if not measured.",
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
            # Covers diary_state()'s per-bed count/min/max of dates and updated_at, which every
            # diary and report page runs to check its cache: answered from the index alone.
            models.Index(fields=["bed", "date", "updated_at"], name="night_bed_date_updated_idx"),
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


# How many milligrams one unit is, for the units that are a weight (the paracetamol rule adds them up).
MG_PER_UNIT = {DoseUnit.MG: Decimal(1), DoseUnit.G: Decimal(1000), DoseUnit.MCG: Decimal("0.001")}
MAX_DOSES_PER_NIGHT = 24  # hourly for a whole day: anything more is a typing slip


class Medicine(models.Model):
    """One of a person's medicines, with the dose they usually take at a time."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="medicines")
    name = models.CharField(max_length=80)
    medicine_class = models.CharField(
        "Kind of medicine", max_length=16, choices=MedicineClass.choices, default=MedicineClass.OTHER
    )
    dose = models.DecimalField(
        "Usual dose",
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="The amount you usually take at one time, e.g. 400.",
    )
    unit = models.CharField(max_length=8, choices=DoseUnit.choices, default=DoseUnit.MG)
    current = models.BooleanField(
        "I take it now", default=True, help_text="Untick when you stop: past nights keep it, the log form hides it."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)  # part of the diary's data version

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="medicine_unique_name_per_user"),
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
    number = f"{dose.normalize():f}" if isinstance(dose, Decimal) else str(dose)
    if unit == DoseUnit.TABLET:
        return f"{number} tablet{'' if dose == 1 else 's'}"
    return f"{number} {unit}"


class MedicineDose(models.Model):
    """A medicine taken on one night: how many of the usual doses, and optionally when."""

    night = models.ForeignKey(Night, on_delete=models.CASCADE, related_name="medicine_doses")
    medicine = models.ForeignKey(Medicine, on_delete=models.RESTRICT, related_name="night_doses")
    doses = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(MAX_DOSES_PER_NIGHT)]
    )
    taken_at = models.TimeField(null=True, blank=True, help_text="Optional: when you took the (last) dose.")

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


PEG_ITEMS = (
    # (field, question) - Krebs et al., J Gen Intern Med 2009;24:733, free to use. Each 0-10.
    ("pain", "What number best describes your pain on average in the past week?"),
    (
        "enjoyment",
        "What number best describes how, during the past week, pain has interfered with your enjoyment of life?",
    ),
    (
        "activity",
        "What number best describes how, during the past week, pain has interfered with your general activity?",
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


class ShareLinkQuerySet(OwnedQuerySet):
    def active(self, now: datetime | None = None):
        """Links a clinician may still open: not revoked and not yet expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class ShareLink(models.Model):
    """A read-only view of one period of a user's report, opened by a clinician without an account.

    Only the SHA-256 of the token is stored: the link itself is shown to the user once, at creation.
    """

    EXPIRY_DAYS = (1, 7, 30)
    TOKEN_BYTES = 32  # 256 bits from secrets.token_urlsafe

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        EXPIRED = "expired", "Expired"
        REVOKED = "revoked", "Revoked"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="share_links")
    label = models.CharField(max_length=80, blank=True, help_text="Only you see this, e.g. “Dr Patel, March visit”.")
    start = models.DateField()
    end = models.DateField()
    include_name = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)  # sha256 hex; unique means indexed
    passcode_hash = models.CharField(max_length=128, blank=True)
    open_count = models.PositiveIntegerField(default=0)
    last_opened_at = models.DateTimeField(null=True, blank=True)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=Q(start__lte=F("end")), name="share_link_start_before_end")]

    def __str__(self) -> str:
        return self.label or f"Share link {self.start} to {self.end}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def create_for(
        cls,
        user,
        *,
        start: date,
        end: date,
        expiry_days: int,
        label: str = "",
        include_name: bool = False,
        passcode: str = "",
    ) -> tuple[ShareLink, str]:
        """Create a link and return it with its token, which is never stored and cannot be shown again."""
        if expiry_days not in cls.EXPIRY_DAYS:
            raise ValueError(f"expiry_days must be one of {cls.EXPIRY_DAYS}")
        token = secrets.token_urlsafe(cls.TOKEN_BYTES)
        now = timezone.now()
        link = cls.objects.create(
            user=user,
            label=label,
            start=start,
            end=end,
            include_name=include_name,
            created_at=now,
            expires_at=now + timedelta(days=expiry_days),
            token_hash=cls.hash_token(token),
            passcode_hash=make_password(passcode) if passcode else "",
        )
        return link, token

    @classmethod
    def find_active(cls, token: str) -> ShareLink | None:
        """The active link for a token, or None for unknown, expired and revoked alike."""
        if not token or len(token) > 100:
            return None
        return cls.objects.active().filter(token_hash=cls.hash_token(token)).select_related("user").first()

    @property
    def has_passcode(self) -> bool:
        return bool(self.passcode_hash)

    def status(self, now: datetime | None = None) -> Status:
        if self.revoked_at is not None:
            return self.Status.REVOKED
        if self.expires_at <= (now or timezone.now()):
            return self.Status.EXPIRED
        return self.Status.ACTIVE

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])

    def record_open(self) -> None:
        now = timezone.now()
        # F() so that opens on several workers at once are all counted.
        ShareLink.objects.filter(pk=self.pk).update(open_count=F("open_count") + 1, last_opened_at=now)
        self.open_count += 1
        self.last_opened_at = now

    def passcode_matches(self, passcode: str) -> bool:
        """Whether `passcode` is this link's passcode. Wrong guesses are limited per link and per
        client address by the share view (diary/views/share.py, docs/security.md), not here."""
        return bool(self.passcode_hash) and check_password(passcode, self.passcode_hash)


class BedTrialQuerySet(OwnedQuerySet):
    def active(self):
        return self.filter(status=BedTrial.Status.ACTIVE)


class BedTrial(models.Model):
    """A planned N-of-1 trial of two beds: a randomised blocked crossover (docs/bed-trials.md).

    ``arms`` stores the whole schedule, one letter ("A"/"B") per night from ``start``, so the
    plan never changes once drawn. Results are computed from the nights, never stored.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", "Running"
        COMPLETED = "completed", "Completed"
        STOPPED = "stopped", "Stopped early"
        ABANDONED = "abandoned", "Abandoned"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bed_trials")
    bed_a = models.ForeignKey(Bed, on_delete=models.PROTECT, related_name="+")
    bed_b = models.ForeignKey(Bed, on_delete=models.PROTECT, related_name="+")
    start = models.DateField(help_text="The morning the first trial night ends.")
    block_nights = models.PositiveSmallIntegerField()
    pairs = models.PositiveSmallIntegerField()
    seed = models.BigIntegerField()
    arms = models.CharField(max_length=1000)
    # The last scheduled night (start + len(arms) - 1), stored so that a query can tell which
    # nights lie inside a trial (NightQuerySet.records() marks them for the bed-change rules).
    end = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    ended_on = models.DateField(null=True, blank=True, help_text="The day it was stopped or abandoned.")
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
