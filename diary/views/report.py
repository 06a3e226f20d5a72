"""The report page and its PDF: one report object, loaded once, shown as HTML or as a PDF."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.http import urlencode

from diary.caching import cache_per_user
from diary.models import reader_language
from diary.period import PRESET_CHOICES, Period, PeriodForm
from diary.report_display import findings_for_page, paper_from, patient_name, pdf_response, report_charts
from diary.reporting import diary_overview, load_report
from diary.rules import BEFORE_AFTER_CAUTION
from diary.trials.summary import trial_for_period
from diary.units import unit_of


def _custom_dates(params, period: Period) -> tuple[str, str]:
    # After a bad custom period, give back what was typed so it can be corrected.
    if period.error:
        return str(params.get("start", ""))[:10], str(params.get("end", ""))[:10]
    return period.start.isoformat(), period.end.isoformat()


@login_required
@cache_per_user("report")
def report(request):
    overview = diary_overview(request.user)
    period = PeriodForm(request.GET, first_logged=overview.first, last_logged=overview.last).period
    unit = unit_of(request)
    report = load_report(request.user, period.start, period.end, profile=overview.profile, temperature_unit=unit)
    trial = None
    if overview.has_trials:  # no query for the many diaries without a trial
        trial = trial_for_period(
            request.user, report.start, report.end, today=timezone.localdate(), nights=report.nights
        )
    custom_start, custom_end = _custom_dates(request.GET, period)
    context = {
        "period": period,
        "report": report,
        "summary": report.summary,
        "findings": findings_for_page(report),
        "charts": report_charts(report),
        "bed_caution": BEFORE_AFTER_CAUTION,
        "trial": trial,
        # Presets and "all" always reach the latest logged night, so no nights there means no diary yet.
        "diary_is_empty": not report.nights and period.choice != "custom",
        "presets": PRESET_CHOICES,
        "period_query": urlencode(period.as_query()),
        "custom_start": custom_start,
        "custom_end": custom_end,
        "temperature_unit": unit,
    }
    return render(request, "diary/report.html", context)


@login_required
def report_pdf(request):
    period = PeriodForm.for_user(request.user, request.GET).period
    if period.error:  # as the FHIR download: a file for another period than asked would mislead
        return HttpResponseBadRequest(period.error, content_type="text/plain; charset=utf-8")
    unit = unit_of(request)
    # The PDF is in the language its reader chose on the report page, not necessarily the person's.
    with translation.override(reader_language(request.GET.get("language"))):
        report = load_report(request.user, period.start, period.end, temperature_unit=unit)
        name = patient_name(request.user) if request.GET.get("include_name") else None
        today = timezone.localdate()
        trial = trial_for_period(request.user, report.start, report.end, today=today, nights=report.nights)
        return pdf_response(report, name=name, paper=paper_from(request.GET), temperature_unit=unit, trial=trial)
