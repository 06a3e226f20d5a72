"""The clinician PDF: the report object rendered by WeasyPrint from a Django template.

Takes the same `Report` as the report page, so every number and finding is identical; returns
bytes. Nothing is fetched while rendering: the charts are embedded as data URIs and the
stylesheet is read from disk, and the URL fetcher refuses every other scheme.
"""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Literal

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.translation import gettext

from backpain_site.pdf_process import render_pdf
from diary import charts
from diary.report_display import findings_with_dates
from diary.rules import BEFORE_AFTER_CAUTION, NightRecord, Report
from diary.transfer.pdf_tables import (
    NIGHT_TABLE_MAX_NIGHTS,
    flagged_table,
    night_flags,
    night_rows,
    night_summary,
    summary_table,
)
from diary.units import symbol

Paper = Literal["A4", "Letter"]
PAPER_SIZES: tuple[Paper, ...] = ("A4", "Letter")
STYLESHEET = "css/report_pdf.css"

# WeasyPrint reports every layout step at INFO; one line per page per download is noise.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
logging.getLogger("weasyprint").setLevel(logging.WARNING)


@dataclass(frozen=True, slots=True)
class BedRun:
    """A stretch of consecutive logged nights on one bed."""

    bed_name: str
    first: date
    last: date
    nights: int


def bed_runs(nights: tuple[NightRecord, ...] | list[NightRecord]) -> list[BedRun]:
    """The bed history of the period: consecutive logged nights on the same bed, oldest first."""
    runs: list[BedRun] = []
    for night in nights:
        if runs and runs[-1].bed_name == night.bed_name:
            last = runs[-1]
            runs[-1] = BedRun(last.bed_name, last.first, night.date, last.nights + 1)
        else:
            runs.append(BedRun(night.bed_name, night.date, night.date, 1))
    return runs


def evidence_nights(report: Report) -> list[NightRecord]:
    """The nights any finding cites, oldest first."""
    cited = {day for finding in report.findings for day in finding.evidence}
    return [night for night in report.nights if night.date in cited]


def _svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


@cache
def _stylesheet_text() -> str:
    path = finders.find(STYLESHEET)
    if not path:
        raise FileNotFoundError(f"static/{STYLESHEET} is missing")
    return Path(path).read_text(encoding="utf-8")


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def page_margin_css() -> str:
    """The running header and footer of every page in the report's language: the static
    stylesheet lays them out; their words come from the catalogue (a stylesheet cannot translate)."""
    generated = gettext(
        "Not a diagnosis: a summary of the patient's own diary, for discussion with a clinician. Generated %(date)s."
    )
    before, _sep, after = generated.partition("%(date)s")
    page_of = gettext("Page %(number)s of %(pages)s")
    page_before, _sep, rest = page_of.partition("%(number)s")
    page_middle, _sep, page_after = rest.partition("%(pages)s")
    header = gettext("Self-reported by the patient")
    return (
        f"@page {{ @top-right {{ content: {_css_string(header)}; }}"
        f" @bottom-left {{ content: {_css_string(before)} string(generated) {_css_string(after)}; }}"
        f" @bottom-right {{ content: {_css_string(page_before)} counter(page) {_css_string(page_middle)}"
        f" counter(pages) {_css_string(page_after)}; }} }}"
    )


def render_report_pdf(
    report: Report,
    *,
    patient_name: str | None,
    paper: Paper = "A4",
    generated_at: datetime,
    temperature_unit: str = "C",
    trial=None,
) -> bytes:
    """Render `report` as a PDF for a clinician.

    Page 1 holds who, which period, completeness, the findings by urgency, the key numbers and
    the two charts; then the bed history, the per-bed figures, a planned bed trial's result
    (`trial`, a diary.trials.summary.TrialSummary, when one touches the period) and every night
    of the period. `patient_name` is printed only when given (the user chooses); `paper` is
    "A4" or "Letter".
    """
    if paper not in PAPER_SIZES:
        raise ValueError(f"paper must be one of {PAPER_SIZES}, not {paper!r}")
    bed_changes = report.summary.bed_changes
    context = {
        "pdf": True,  # free text is marked for print (diary/templatetags/own_words.py)
        "report": report,
        "summary": report.summary,
        "findings": findings_with_dates(report),
        "patient_name": patient_name,
        "generated_at": generated_at,
        "night_pain_chart": _svg_data_uri(charts.night_pain_chart(report.nights, bed_changes, report.start, report.end))
        if report.nights
        else "",
        "morning_minutes_chart": _svg_data_uri(
            charts.morning_minutes_chart(report.nights, bed_changes, report.start, report.end)
        )
        if report.nights
        else "",
        "peg_chart": _svg_data_uri(charts.peg_chart(report.peg, report.start, report.end)) if report.peg else "",
        "bed_runs": bed_runs(report.nights),
    }
    if len(report.nights) > NIGHT_TABLE_MAX_NIGHTS:
        unit, rows = night_summary(report.nights, report.start, report.end, temperature_unit)
        context["summary_unit"] = unit
        context["summary_table"] = summary_table(unit, rows)
        cited = evidence_nights(report)
        context["night_table"] = flagged_table(night_rows(cited, temperature_unit, night_flags(cited)))
    else:
        context["night_table"] = flagged_table(night_rows(report.nights, temperature_unit, night_flags(report.nights)))
    context |= {
        "temperature_unit": temperature_unit,
        "temperature_symbol": symbol(temperature_unit),
        "bed_caution": BEFORE_AFTER_CAUTION,
        "trial": trial,
    }
    html = render_to_string("diary/report_pdf.html", context)
    stylesheets = [_stylesheet_text(), f"@page {{ size: {paper}; }}", page_margin_css()]
    # The layout may run in a low-priority process of its own (PDF_RENDER_PROCESSES, docs/scaling.md).
    # Only data: URIs (the embedded charts) may be loaded; diary text can never pull in a file or URL.
    return render_pdf(html, stylesheets, processes=settings.PDF_RENDER_PROCESSES, timeout=settings.PDF_RENDER_TIMEOUT)
