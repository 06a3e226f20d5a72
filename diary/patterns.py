"""The report rules: pure, typed functions over a user's nights. No ORM, no request.

THIS FILE IS A SKELETON: the types below are the agreed interface; the rules are filled in by
the pattern-report work. Sources for every threshold are in docs/report-rules.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class NightRecord:
    """What the rules read of one night (built from a Night row, or by hand in tests)."""

    date: date
    night_pain: int
    woke_by_pain: str = "no"  # "no" | "early" | "late"
    pain_areas: frozenset[str] = frozenset()
    morning_pain_minutes: int = 0
    eased_by: frozenset[str] = frozenset()
    bed_id: int | None = None
    bed_name: str = ""
    temperature_c: Decimal | None = None
    night_urinations: int | None = None
    symptoms: frozenset[str] = frozenset()
    stress: int | None = None
    day_pain: int | None = None
    notes: str = ""


@dataclass(frozen=True, slots=True)
class ProfileFacts:
    """Optional facts from the profile page."""

    birth_year: int | None = None
    back_pain_since: date | None = None
    history_of_cancer: bool = False
    osteoporosis: bool = False
    long_term_steroids: bool = False
    family_spondyloarthritis: bool = False
    psoriasis_arthritis_enthesitis: bool = False


class Level(StrEnum):
    URGENT = "urgent"
    SEE_DOCTOR = "see_doctor"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    level: Level
    title: str
    message: str
    evidence: tuple[date, ...]
    article: str | None
    detail: str
    tell_doctor: str = ""


@dataclass(frozen=True, slots=True)
class BedChange:
    date: date
    from_bed: str
    to_bed: str


@dataclass(frozen=True, slots=True)
class Summary:
    nights_logged: int
    nights_in_period: int
    mean_night_pain: float | None
    median_night_pain: float | None
    max_night_pain: int | None
    nights_woken: int
    median_morning_minutes: float | None
    share_mornings_over_15: float | None  # of logged nights, 0..1
    nights_with_fever: int
    nights_with_urinary_signs: int
    beds_used: tuple[str, ...]
    bed_changes: tuple[BedChange, ...]


@dataclass(frozen=True, slots=True)
class Report:
    start: date
    end: date
    nights: tuple[NightRecord, ...]  # in the period, oldest first
    summary: Summary
    findings: tuple[Finding, ...] = field(default_factory=tuple)  # urgent, see_doctor, info


def build_report(
    nights: list[NightRecord], profile: ProfileFacts | None = None, start: date | None = None, end: date | None = None
) -> Report:
    raise NotImplementedError
