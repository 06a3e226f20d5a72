"""Makers of test data: users, beds and nights one at a time (make_*), and realistic seeded
diaries of any length (make_diary, also used by the benchmarks).

make_diary's values are made up but shaped like a real diary: night pain follows a slow drift with day-to-day
noise, morning stiffness lasts longer after worse nights, a thermometer comes out now and then (and
rarely shows a fever), urinary signs are occasional, stress and notes come and go, the bed changes
every few months among three or four beds, and a few nights are missing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from diary.choices import EasedBy, PainArea, WokeByPain
from diary.models import Bed, Night, Profile

# (name, kind, firmness) of the beds a diary may use; each diary uses the first three or all four.
BEDS = (
    ("Old mattress", Bed.Kind.MATTRESS, Bed.Firmness.SOFT),
    ("Memory foam", Bed.Kind.MATTRESS, Bed.Firmness.MEDIUM),
    ("Guest room futon", Bed.Kind.FUTON, Bed.Firmness.FIRM),
    ("Firm hybrid", Bed.Kind.MATTRESS, Bed.Firmness.FIRM),
)
NOTES = (
    "Long drive yesterday.",
    "Gardening in the afternoon.",
    "Slept on my side.",
    "Extra pillow under the knees.",
    "Took the stairs a lot at work.",
    "Late dinner, restless night.",
    "Hot shower helped within minutes.",
    "Walked 5 km in the evening.",
    "Stiff getting out of bed, eased after breakfast.",
    "Kids woke me twice.",
)


@dataclass(frozen=True, slots=True)
class Diary:
    """What make_diary wrote: the beds and nights (oldest first) and the logged range."""

    beds: list[Bed]
    nights: list[Night]

    @property
    def first(self) -> date:
        return self.nights[0].date

    @property
    def last(self) -> date:
        return self.nights[-1].date


def make_diary(user, nights: int, seed: int = 1, end: date | None = None) -> Diary:
    """Write `nights` nights for `user`, the last ending on `end` (default today), in a few queries.

    The same seed always gives the same diary. A Profile is created if the user has none.
    """
    rng = random.Random(seed)
    end = end or timezone.localdate()
    Profile.objects.get_or_create(user=user, defaults={"time_zone": "Europe/London", "birth_year": 1975})
    bed_count = rng.choice((3, 4))
    beds = Bed.objects.bulk_create(
        [Bed(user=user, name=name, kind=kind, firmness=firmness) for name, kind, firmness in BEDS[:bed_count]]
    )
    dates = _dates(rng, nights, end)
    level = rng.uniform(2.5, 5.0)  # the underlying pain level that drifts slowly
    bed = beds[0]
    days_to_bed_change = rng.randint(45, 150)
    rows = []
    for day in dates:
        days_to_bed_change -= 1
        if days_to_bed_change <= 0:
            bed = rng.choice([b for b in beds if b is not bed])
            days_to_bed_change = rng.randint(45, 150)
        # Mean-reverting random walk: weeks-long good and bad spells, never far outside 1–8.
        level += rng.gauss(0, 0.18) + (4.0 - level) * 0.01
        level = min(max(level, 0.5), 8.5)
        rows.append(_night(rng, user, bed, day, level))
    created = Night.objects.bulk_create(rows, batch_size=500)
    return Diary(beds=beds, nights=created)


def _dates(rng: random.Random, count: int, end: date) -> list[date]:
    """`count` distinct dates ending on `end`, oldest first, with a gap of 1–6 nights every ~2 months."""
    dates = []
    day = end
    while len(dates) < count:
        dates.append(day)
        day -= timedelta(days=1)
        if rng.random() < 1 / 60:
            day -= timedelta(days=rng.randint(1, 6))
    dates.reverse()
    return dates


def _night(rng: random.Random, user, bed: Bed, day: date, level: float) -> Night:
    pain = round(min(max(rng.gauss(level, 1.2), 0), 10))
    if pain >= 6:
        woke = rng.choices((WokeByPain.NO, WokeByPain.EARLY, WokeByPain.LATE), (3, 2, 5))[0]
    elif pain >= 3:
        woke = rng.choices((WokeByPain.NO, WokeByPain.EARLY, WokeByPain.LATE), (8, 1, 1))[0]
    else:
        woke = WokeByPain.NO
    # Morning stiffness grows with the night's pain: ~6 minutes per point, with noise.
    minutes = 0 if pain == 0 else max(0, round(rng.gauss(pain * 6, 8)))
    temperature = None
    if rng.random() < 0.15:
        fever = rng.random() < 0.04
        temperature = Decimal(str(round(rng.uniform(38.0, 39.2) if fever else rng.uniform(36.1, 37.4), 1)))
    night = Night(
        user=user,
        date=day,
        night_pain=pain,
        woke_by_pain=woke,
        morning_pain_minutes=min(minutes, 1440),
        bed=bed,
        temperature_c=temperature,
        night_urinations=rng.choices((0, 1, 2, 3), (4, 4, 2, 1))[0] if rng.random() < 0.7 else None,
        stress=min(10, max(0, round(rng.gauss(4, 2)))) if rng.random() < 0.8 else None,
        day_pain=min(10, max(0, round(rng.gauss(level - 1, 1.5)))) if rng.random() < 0.6 else None,
        notes=rng.choice(NOTES) if rng.random() < 0.12 else "",
    )
    if pain:
        areas = {PainArea.LOWER_BACK} if rng.random() < 0.85 else {PainArea.UPPER_BACK}
        for area, chance in ((PainArea.BUTTOCK_LEFT, 0.1), (PainArea.BUTTOCK_RIGHT, 0.1), (PainArea.LEG, 0.05)):
            if rng.random() < chance:
                areas.add(area)
        if rng.random() < 0.03:
            areas.add(rng.choice((PainArea.FLANK_LEFT, PainArea.FLANK_RIGHT)))
        night.pain_areas = areas
        eased = [code for code, chance in _EASED_CHANCES if rng.random() < chance]
        night.eased_by = eased or [EasedBy.NOTHING]
    night.symptom_painful_urination = rng.random() < 0.01
    night.symptom_blood_in_urine = rng.random() < 0.002
    night.symptom_chills = temperature is not None and temperature >= 38 and rng.random() < 0.5
    night.symptom_nausea = rng.random() < 0.005
    return night


_EASED_CHANCES = (
    (EasedBy.MOVEMENT, 0.55),
    (EasedBy.HOT_SHOWER, 0.25),
    (EasedBy.REST, 0.1),
    (EasedBy.PAINKILLER, 0.2),
)


# --- one at a time ---------------------------------------------------------------------------

PASSWORD = "correct-horse-battery-staple"
USERS_TIME_ZONE = "Europe/London"  # every make_user() profile's zone


def users_today() -> date:
    """Today where the made users live (for tests that cannot pin the clock: live browsers)."""
    return datetime.now(ZoneInfo(USERS_TIME_ZONE)).date()


def make_user(django_user_model, email: str):
    user = django_user_model.objects.create_user(username=email.split("@")[0], email=email, password=PASSWORD)
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    Profile.objects.create(user=user, time_zone=USERS_TIME_ZONE)
    return user


def make_bed(user, name: str = "Old mattress", **overrides) -> Bed:
    return Bed.objects.create(user=user, name=name, **overrides)


def make_night(user, bed: Bed | None = None, **overrides) -> Night:
    """A saved night for `user`; pain_areas/eased_by/symptoms may be given as lists of codes."""
    multi = {key: overrides.pop(key) for key in ("pain_areas", "eased_by", "symptoms") if key in overrides}
    values = {"date": date(2026, 11, 1), "night_pain": 3, "morning_pain_minutes": 10}
    values.update(overrides)
    night = Night(user=user, bed=bed or Bed.objects.for_user(user).first() or make_bed(user), **values)
    for key, codes in multi.items():
        setattr(night, key, codes)
    night.save()
    return night
