"""Per-bed figures (issue 16): each bed's nights, away nights, mean night pain with an interval
that allows for correlated nights, and morning minutes; away nights are left out of every figure."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from diary.rules.beds import away_dates, bed_key
from diary.rules.records import BY_DATE, MORNING_PAIN_LIMIT_MIN, NightRecord, Window, mean_pain
from diary.rules.stats import correlated_mean_interval

# Shown wherever the per-bed figures are: they compare periods, not a planned experiment.
BEFORE_AFTER_CAUTION = gettext_lazy(
    "A before/after comparison: other things may have changed at the same time; a planned trial is more reliable."
)


@dataclass(frozen=True, slots=True)
class BedFigures:
    """One bed's nights in the period; every figure leaves its away nights out."""

    bed_name: str
    nights: int  # non-away nights
    away_nights: int
    mean_night_pain: float | None
    mean_low: float | None  # 95 % interval, widened for correlated nights (stats.correlated_mean_interval)
    mean_high: float | None
    median_morning_minutes: float | None
    share_mornings_over_15: float | None  # 0..1

    def as_dict(self) -> dict:
        def rounded(value: float | None, places: int = 2) -> float | None:
            return None if value is None else round(value, places)

        return {
            "bed": self.bed_name,
            "nights": self.nights,
            "away_nights": self.away_nights,
            "mean_night_pain": rounded(self.mean_night_pain),
            "mean_night_pain_low": rounded(self.mean_low),
            "mean_night_pain_high": rounded(self.mean_high),
            "median_morning_minutes": self.median_morning_minutes,
            "share_mornings_over_15": rounded(self.share_mornings_over_15, 3),
        }


def bed_figures(window: Window) -> tuple[BedFigures, ...]:
    """For each bed used in the period (in order of first use): nights, away nights, mean night pain
    with a 95 % interval that allows for correlated nights, median morning minutes, share > 15 min."""
    away = away_dates(window)
    by_bed: dict[int | str, list[NightRecord]] = {}
    for night in window.nights:
        if (key := bed_key(night)) is not None:
            by_bed.setdefault(key, []).append(night)
    figures = []
    for on_bed in by_bed.values():
        home = [night for night in on_bed if night.date not in away]
        interval = correlated_mean_interval({night.date: night.night_pain for night in home})
        minutes = [night.morning_pain_minutes for night in home]
        figures.append(
            BedFigures(
                bed_name=on_bed[0].bed_name,
                nights=len(home),
                away_nights=len(on_bed) - len(home),
                mean_night_pain=mean_pain(home) if home else None,
                # A mean of 0-10 scores stays on the scale, however wide the uncertainty.
                mean_low=max(0.0, interval[1]) if interval else None,
                mean_high=min(10.0, interval[2]) if interval else None,
                median_morning_minutes=float(statistics.median(minutes)) if minutes else None,
                share_mornings_over_15=(
                    sum(1 for m in minutes if m > MORNING_PAIN_LIMIT_MIN) / len(minutes) if minutes else None
                ),
            )
        )
    return tuple(figures)


def figures_over(nights: Sequence[NightRecord]) -> tuple[BedFigures, ...]:
    """Per-bed figures over a whole diary (the beds page): the period runs from first to last night."""
    ordered = sorted(nights, key=BY_DATE)
    if not ordered:
        return ()
    return bed_figures(Window(ordered, ordered[0].date, ordered[-1].date))
