"""The report: the summary numbers, the findings of the RULES table, and its JSON shape."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from diary.medication import MedicineInfo, MedicineSummary, summarize_medicines
from diary.peg import PegRecord, PegSummary, summarize_peg
from diary.rules.bed_figures import BedFigures, bed_figures
from diary.rules.beds import bed_history, bed_key
from diary.rules.records import (
    BY_DATE,
    MORNING_PAIN_LIMIT_MIN,
    BedChange,
    Finding,
    NightRecord,
    ProfileFacts,
    TemperatureWords,
    Window,
    has_fever,
    has_urinary_signs,
)
from diary.rules.table import run_rules


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
    # Completeness counts from the diary's first night when the period starts before it: a
    # diary begun 21 days ago with 20 nights is "20 of 21 days", not "20 of 90".
    counted_from: date | None = None
    days_counted: int | None = None

    @property
    def period_starts_before_the_diary(self) -> bool:
        return self.days_counted is not None and self.days_counted < self.nights_in_period

    @property
    def completeness(self) -> float:
        """Share of the counted days (the period, from the diary's first night) that were logged, 0..1."""
        days = self.nights_in_period if self.days_counted is None else self.days_counted
        return self.nights_logged / days if days else 0.0


@dataclass(frozen=True, slots=True)
class Report:
    start: date
    end: date
    nights: tuple[NightRecord, ...]  # in the period, oldest first
    summary: Summary
    findings: tuple[Finding, ...] = field(default_factory=tuple)  # urgent, see_doctor, info
    beds: tuple[BedFigures, ...] = field(default_factory=tuple)  # per-bed figures, away nights apart
    # Issue 17: per-medicine numbers (taken in the period, then current ones not taken), the
    # person's current medicines, and the weekly PEG check-ins of the period with their summary.
    medicines: tuple[MedicineSummary, ...] = ()
    current_medicines: tuple[MedicineInfo, ...] = ()
    peg: tuple[PegRecord, ...] = ()
    peg_summary: PegSummary | None = None


def summarize(
    nights: Sequence[NightRecord],
    start: date,
    end: date,
    changes: Sequence[BedChange],
    counted_from: date | None = None,
) -> Summary:
    """The report's numbers, over the logged nights of [start, end] (oldest first).

    `counted_from` is the first day completeness counts: `start`, or the diary's first night
    when that is later (default `start`).
    """
    counted_from = min(max(counted_from or start, start), end)
    pains = [night.night_pain for night in nights]
    minutes = [night.morning_pain_minutes for night in nights]
    beds_used = tuple(dict.fromkeys(night.bed_name for night in nights if bed_key(night) is not None))
    return Summary(
        nights_logged=len(nights),
        nights_in_period=(end - start).days + 1,
        mean_night_pain=sum(pains) / len(pains) if pains else None,
        median_night_pain=float(statistics.median(pains)) if pains else None,
        max_night_pain=max(pains) if pains else None,
        nights_woken=sum(1 for night in nights if night.woke_by_pain != "no"),
        median_morning_minutes=float(statistics.median(minutes)) if minutes else None,
        share_mornings_over_15=(
            sum(1 for m in minutes if m > MORNING_PAIN_LIMIT_MIN) / len(minutes) if minutes else None
        ),
        nights_with_fever=sum(1 for night in nights if has_fever(night)),
        nights_with_urinary_signs=sum(1 for night in nights if has_urinary_signs(night)),
        beds_used=beds_used,
        bed_changes=tuple(change for change in changes if start <= change.date <= end),
        counted_from=counted_from,
        days_counted=(end - counted_from).days + 1,
    )


def build_report(
    nights: Sequence[NightRecord],
    profile: ProfileFacts | None = None,
    start: date | None = None,
    end: date | None = None,
    temperature: TemperatureWords | None = None,
    diary_start: date | None = None,
    *,
    peg: Sequence[PegRecord] = (),
    medicines: Sequence[MedicineInfo] = (),
) -> Report:
    """Run every rule over `nights` and return the report for [start, end].

    `nights` may include nights before `start`: they are context only (the bed of the night
    before, bed-change baselines). Nights after `end` are ignored. start/end default to the first
    and latest logged night; with no nights and no dates, both are today. `temperature` writes a
    temperature in the person's unit (default °C). `diary_start` is the first logged night of the
    whole diary, from which completeness counts when it is inside the period; by default a night
    before `start` in `nights` means the diary began before the period, else its first night does.
    """
    ordered = sorted(nights, key=BY_DATE)
    if end is None:
        end = ordered[-1].date if ordered else (start or date.today())
    if start is None:
        in_range = [night.date for night in ordered if night.date <= end]
        start = in_range[0] if in_range else end
    if start > end:
        raise ValueError(f"The report starts ({start}) after it ends ({end}).")

    window = Window(ordered, start, end, profile, temperature, peg)
    findings = run_rules(window)
    with_bed, changes = bed_history(window)
    every_change = [BedChange(with_bed[i].date, with_bed[i - 1].bed_name, with_bed[i].bed_name) for i, _gap in changes]
    if diary_start is None:
        diary_start = ordered[0].date if ordered and ordered[0].date >= start else start
    summary = summarize(window.nights, start, end, every_change, counted_from=diary_start)
    return Report(
        start=start,
        end=end,
        nights=tuple(window.nights),
        summary=summary,
        findings=tuple(findings),
        beds=bed_figures(window),
        medicines=summarize_medicines(window.nights, medicines),
        current_medicines=tuple(medicine for medicine in medicines if medicine.current),
        peg=tuple(window.peg),
        peg_summary=summarize_peg(window.peg),
    )


def _rounded(value: float | None, places: int) -> float | None:
    return None if value is None else round(value, places)


def _summary_as_dict(summary: Summary) -> dict:
    return {
        "nights_logged": summary.nights_logged,
        "nights_in_period": summary.nights_in_period,
        "completeness": round(summary.completeness, 3),
        "mean_night_pain": _rounded(summary.mean_night_pain, 2),
        "median_night_pain": summary.median_night_pain,
        "max_night_pain": summary.max_night_pain,
        "nights_woken": summary.nights_woken,
        "median_morning_minutes": summary.median_morning_minutes,
        "share_mornings_over_15": _rounded(summary.share_mornings_over_15, 3),
        "nights_with_fever": summary.nights_with_fever,
        "nights_with_urinary_signs": summary.nights_with_urinary_signs,
        "beds_used": list(summary.beds_used),
        "bed_changes": [
            {"date": change.date.isoformat(), "from_bed": change.from_bed, "to_bed": change.to_bed}
            for change in summary.bed_changes
        ],
    }


def _finding_as_dict(finding: Finding) -> dict:
    return {
        "code": finding.code,
        "level": str(finding.level),
        "title": finding.title,
        "message": finding.message,
        "clinician_message": finding.clinician_message,
        "detail": finding.detail,
        "evidence": [day.isoformat() for day in finding.evidence],
        "article": finding.article,
        "tell_doctor": finding.tell_doctor,
    }


def report_as_dict(report: Report) -> dict:
    """The report in the JSON shape of issue 5 (ISO dates), plus tell_doctor, clinician_message
    (rules v2) and completeness."""
    return {
        "start": report.start.isoformat(),
        "end": report.end.isoformat(),
        "summary": _summary_as_dict(report.summary),
        "beds": [figures.as_dict() for figures in report.beds],
        "medicines": [
            {
                "name": item.medicine.name,
                "class": item.medicine.medicine_class,
                "usual_dose": item.medicine.dose_text,
                "current": item.medicine.current,
                "nights_taken": item.nights_taken,
                "doses": item.doses,
                "mean_night_pain_with": item.mean_pain_with,
                "mean_night_pain_without": item.mean_pain_without,
            }
            for item in report.medicines
        ],
        "peg": [
            {
                "date": c.date.isoformat(),
                "pain": c.pain,
                "enjoyment": c.enjoyment,
                "activity": c.activity,
                "score": c.score,
            }
            for c in report.peg
        ],
        "findings": [_finding_as_dict(finding) for finding in report.findings],
    }
