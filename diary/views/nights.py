"""Nights: log, browse (list, calendar, charts), edit and delete.

Every query goes through Night.objects.for_user(request.user); each page issues a constant number
of queries whatever the size of the diary.
"""

from __future__ import annotations

import json
import statistics
from calendar import Calendar, monthrange
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, get_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from diary import services
from diary.caching import cache_per_user
from diary.dates import long_date
from diary.forms import NightForm, same_as
from diary.forms_medicines import NightMedicinesForm, PegForm
from diary.models import Night, PegCheckIn, Profile
from diary.peg import next_check_in
from diary.period import PRESET_CHOICES, PeriodForm
from diary.reporting import DiaryOverview, diary_overview
from diary.rules import MORNING_PAIN_LIMIT_MIN, NightRecord, bed_changes, urgent_findings
from diary.trials.services import tonights_bed
from diary.units import format_temperature, unit_of

NIGHTS_PER_PAGE = 30
CHART_TABLE_MAX_DAYS = 120  # longer periods get the summary only; the CSV export has every night


@login_required
def night_create(request):
    initial = {}
    asked_for = _parse_date(request.GET.get("date"))
    if asked_for and asked_for <= timezone.localdate():
        initial["date"] = asked_for  # from an empty day on the calendar
    # A planned bed trial's night: its scheduled bed is the default (NightForm's own default,
    # the nearest night's bed, applies to every other night).
    trial_night = tonights_bed(request.user, initial.get("date", timezone.localdate()), today=timezone.localdate())
    if trial_night is not None:
        initial["bed"] = trial_night.bed.pk
    form = NightForm(
        request.POST or None,
        user=request.user,
        initial=initial,
        temperature_unit=unit_of(request),
        same_as_last=request.GET.get("same") == "last",
    )
    trial_bed = trial_night.bed.pk if trial_night is not None else None
    if trial_bed is not None and not form.is_bound:
        form.initial["bed"] = trial_bed  # "Same as last night" copies areas and eased-by, not a trial night's bed
    medicines_form = NightMedicinesForm(request.POST or None, user=request.user)
    # The weekly check-in rides along on the log form when it is due (optional: all three or none).
    peg_form = PegForm(request.POST or None, optional=True) if peg_due(request) else None
    if _all_valid(form, medicines_form, peg_form) and (night := _log(request, form, medicines_form)):
        if peg_form is not None and peg_form.answered:
            services.record_peg(user=request.user, day=timezone.localdate(), **peg_form.answers())
            forget_peg_due(request)
        return _saved(request, night)
    past_date = asked_for if "date" in initial and asked_for != timezone.localdate() else None  # the heading names it
    context = {
        "form": form,
        "past_date": past_date,
        "medicines_form": medicines_form,
        "peg_form": peg_form,
        "trial_night": trial_night,
        "same_as_last": _same_as_last(form.last_night, initial.get("date"), bed=trial_bed)
        if not form.is_bound
        else None,
        "logged_nights": _logged_nights(request.user),
    }
    return render(request, "diary/night_form.html", context)


@login_required
def night_edit(request, pk):
    night = get_object_or_404(Night.objects.for_user(request.user), pk=pk)
    form = NightForm(request.POST or None, instance=night, user=request.user, temperature_unit=unit_of(request))
    medicines_form = NightMedicinesForm(request.POST or None, user=request.user, night=night)
    if _all_valid(form, medicines_form) and (night := _log(request, form, medicines_form)):
        return _saved(request, night)
    context = {
        "form": form,
        "night": night,
        "medicines_form": medicines_form,
        "logged_nights": _logged_nights(request.user, but=night),
    }
    return render(request, "diary/night_form.html", context)


def _log(request, form: NightForm, medicines_form: NightMedicinesForm) -> Night | None:
    """The night saved by diary.services.log_night, or None with the form told why (a double tap
    that saved the same date or bed name first)."""
    try:
        return services.log_night(
            user=request.user, night=form.night_to_save(), new_bed=form.new_bed(), doses=medicines_form.doses()
        )
    except ValidationError as race:
        form.add_error(None, race)
        return None


def _all_valid(*forms) -> bool:
    # Every form validated (not short-circuited), so each shows its own errors at once.
    results = [form.is_valid() for form in forms if form is not None]
    return all(results)


PEG_SESSION_KEY = "peg_next_check_in"


def peg_due(request) -> bool:
    """Whether the weekly PEG check-in is offered today (diary.peg.check_in_due).

    The next check-in date is kept in the session for the rest of the day, like the time zone, so
    the log form costs no query for it; saving a check-in or its weekday here forgets it
    (forget_peg_due). A check-in saved on another device shows here from the next day.
    """
    today = timezone.localdate()
    kept = request.session.get(PEG_SESSION_KEY)
    if isinstance(kept, list) and len(kept) == 2 and kept[0] == today.isoformat():
        return kept[1] <= today.isoformat()
    user = request.user
    latest_first = PegCheckIn.objects.order_by("-date").values("date")
    row = (
        Profile.objects.filter(user=user)
        .annotate(last=Subquery(latest_first.filter(user=OuterRef("user"))[:1]))
        .values_list("peg_weekday", "last")
        .first()
    )
    if row is None:  # no profile yet: no chosen day
        row = (None, latest_first.filter(user=user).values_list("date", flat=True).first())
    weekday, last = row
    next_day = next_check_in(last, weekday, today)
    request.session[PEG_SESSION_KEY] = [today.isoformat(), next_day.isoformat()]
    return next_day <= today


def forget_peg_due(request) -> None:
    request.session.pop(PEG_SESSION_KEY, None)


@login_required
@require_http_methods(["GET", "POST"])
def night_delete(request, pk):
    night = get_object_or_404(Night.objects.for_user(request.user).select_related("bed"), pk=pk)
    if request.method == "POST":
        night.delete()
        messages.success(
            request,
            gettext("The night ending %(date)s was deleted.")
            % {"date": long_date(night.date, weekday=True, abbreviated=True)},
        )
        return redirect("diary:night-list")
    return render(request, "diary/night_confirm_delete.html", {"night": night})


def _saved(request, night: Night):
    # Warning signs are told at once, in plain words: the report must not be the first place
    # a person learns that a night needs care now.
    # The warning is the report's own urgent rules evaluated on this night (one definition).
    unit = unit_of(request)
    findings = urgent_findings(night.as_record(), temperature=partial(format_temperature, unit=unit))
    if findings:
        messages.error(
            request,
            gettext("Seek medical care now. On the night ending %(date)s:")
            % {"date": long_date(night.date, weekday=True, abbreviated=True)}
            + " "
            + " ".join(f"{finding.title}. {finding.message}" for finding in findings),
            extra_tags="warning-signs",
        )
    else:
        messages.success(
            request,
            gettext("Saved the night ending %(date)s.")
            % {"date": long_date(night.date, weekday=True, abbreviated=True)},
        )
    return redirect("diary:night-list")


@login_required
@cache_per_user("night-list")
def night_list(request):
    filter_form = PeriodForm({key: request.GET.get(key) for key in ("start", "end")})
    start = end = None
    if filter_form.dates_given:
        if filter_form.is_valid():
            start, end = filter_form.cleaned_data["start"], filter_form.cleaned_data["end"]
        else:
            messages.warning(
                request, gettext("Those dates could not be used, so every night is shown. See the dates below.")
            )
    overview = diary_overview(request.user, start, end)
    nights = Night.objects.for_user(request.user)
    listed = nights.in_period(start, end).select_related("bed").defer("notes").order_by("-date")
    paginator = Paginator(listed, NIGHTS_PER_PAGE)
    paginator.count = overview.listed  # counted by diary_overview(): saves a COUNT query
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    if page.object_list:
        oldest = page.object_list[-1]
        _mark_bed_changes(page.object_list, _night_before(nights, oldest.date))
    dates = {key: day.isoformat() for key, day in (("start", start), ("end", end)) if day}
    context = {
        "page": page,
        "filter_form": filter_form,
        "filtered": bool(dates),
        "export_url": reverse("diary:export-csv") + (f"?{urlencode(dates)}" if dates else ""),
        "temperature_unit": unit_of(request),
        "peg_due": _peg_due_on_list(request, overview),
    }
    return render(request, "diary/night_list.html", context)


def _peg_due_on_list(request, overview: DiaryOverview) -> bool:
    """The weekly check-in is offered on the diary once there is a diary. The overview query
    read what peg_due() would, so the session copy is refreshed without a query of its own."""
    today = timezone.localdate()
    next_day = next_check_in(overview.peg_last, overview.peg_weekday, today)
    keep = [today.isoformat(), next_day.isoformat()]
    if request.session.get(PEG_SESSION_KEY) != keep:  # for the log form; unchanged: no session write
        request.session[PEG_SESSION_KEY] = keep
    return overview.last is not None and next_day <= today


@dataclass(frozen=True, slots=True)
class CalendarDay:
    date: date
    night: Night | None
    in_month: bool
    is_future: bool


@login_required
def calendar(request):
    today = timezone.localdate()
    month = _parse_month(request.GET.get("month"))
    if month is None:
        if request.GET.get("month"):
            messages.warning(request, gettext("Choose a month as YYYY-MM, for example 2026-11. Showing this month."))
        month = today.replace(day=1)
    month_end = month.replace(day=monthrange(month.year, month.month)[1])
    # The week starts on the reader's locale's first day (Monday in British English and Russian;
    # Django counts from Sunday = 0, Python's calendar from Monday = 0).
    first_weekday = (int(get_format("FIRST_DAY_OF_WEEK")) - 1) % 7
    nights = Night.objects.for_user(request.user)
    in_month = list(nights.in_period(month, month_end).select_related("bed").defer("notes").order_by("date"))
    _mark_bed_changes(in_month, _night_before(nights, month))
    by_date = {night.date: night for night in in_month}
    weeks = [
        [CalendarDay(day, by_date.get(day), day.month == month.month, day > today) for day in week]
        for week in Calendar(firstweekday=first_weekday).monthdatescalendar(month.year, month.month)
    ]
    previous_month = (month - timedelta(days=1)).replace(day=1)
    next_month = month_end + timedelta(days=1)
    context = {
        "month": month,
        "weeks": weeks,
        "weekday_names": [(date_format(day.date, "l"), date_format(day.date, "D")) for day in weeks[0]],
        "nights_logged": len(in_month),
        "previous_month": previous_month,
        "next_month": next_month if next_month <= today else None,
        "pain_scale": range(11),
    }
    return render(request, "diary/calendar.html", context)


@login_required
def charts(request):
    from diary import charts as svg  # the chart module is only needed on this page

    period = PeriodForm.for_user(request.user, request.GET).period
    if period.error:
        messages.warning(request, gettext("%(error)s Showing every night instead.") % {"error": period.error})
    nights = Night.objects.for_user(request.user)
    # One night before the period is read too, so a bed change on its first night is seen.
    before = nights.filter(date__lt=period.start).order_by("-date").values_list("date", flat=True).first()
    records = nights.in_period(before or period.start, period.end).records()
    changes = [change for change in bed_changes(records) if change.date >= period.start]
    in_period = [r for r in records if r.date >= period.start]
    context = {
        "period": period,
        "presets": PRESET_CHOICES,
        "pain_chart": mark_safe(svg.night_pain_chart(in_period, changes, period.start, period.end)),  # noqa: S308  # escaped by diary.charts
        "minutes_chart": mark_safe(svg.morning_minutes_chart(in_period, changes, period.start, period.end)),  # noqa: S308
        "summary": _chart_summary(in_period),
        "bed_changes": changes,
        "table_nights": in_period if period.days <= CHART_TABLE_MAX_DAYS else None,
    }
    return render(request, "diary/charts.html", context)


# --- helpers -----------------------------------------------------------------------------

LOGGED_DATES_SHOWN_DAYS = 366  # the log form knows this far back which dates are taken (the server checks all)


def _same_as_last(last_night: Night | None, day: date | None, *, bed: int | None = None) -> dict | None:
    """The "Same as last night" button: a link that works without JavaScript, and the answers
    it copies for diary.js to fill in without reloading (so nothing already chosen is lost).
    `bed`: a bed trial's bed for this night, which the button keeps instead of last night's."""
    if last_night is None:
        return None
    answers = same_as(last_night)
    if bed is not None:
        answers["bed"] = bed
    query = {"same": "last", **({"date": day.isoformat()} if day else {})}
    return {
        "night": last_night,
        "href": f"{reverse('diary:night-create')}?{urlencode(query)}",
        "answers": json.dumps(answers, separators=(",", ":")),
    }


def _logged_nights(user, but: Night | None = None) -> str:
    """Dates already logged (in the last LOGGED_DATES_SHOWN_DAYS) as "YYYY-MM-DD=pk ...", so the form
    says at once that a chosen date is taken, with a link to edit that night."""
    since = timezone.localdate() - timedelta(days=LOGGED_DATES_SHOWN_DAYS)
    nights = Night.objects.for_user(user).filter(date__gte=since)
    if but is not None:
        nights = nights.exclude(pk=but.pk)
    return " ".join(f"{day.isoformat()}={pk}" for day, pk in nights.order_by("date").values_list("date", "pk"))


def _night_before(nights, day: date) -> Night | None:
    """The latest night before `day` (one query), the baseline for a bed change on the next night."""
    return nights.filter(date__lt=day).select_related("bed").defer("notes").order_by("-date").first()


def _mark_bed_changes(shown: list[Night], before: Night | None) -> None:
    """Set `bed_change` (a BedChange or None) on each shown night, in whatever order they are shown."""
    records = [
        NightRecord(date=night.date, night_pain=night.night_pain, bed_id=night.bed_id, bed_name=night.bed.name)
        for night in [*shown, *([before] if before else [])]
    ]
    by_date = {change.date: change for change in bed_changes(records)}
    for night in shown:
        night.bed_change = by_date.get(night.date)


def _chart_summary(nights: list[NightRecord]) -> dict | None:
    if not nights:
        return None
    pains = [n.night_pain for n in nights]
    minutes = [n.morning_pain_minutes for n in nights]
    return {
        "nights": len(nights),
        "mean_pain": round(statistics.fmean(pains), 1),
        "max_pain": max(pains),
        "nights_woken": sum(n.woke_by_pain != "no" for n in nights),
        "median_minutes": statistics.median(minutes),
        "long_mornings": sum(m > MORNING_PAIN_LIMIT_MIN for m in minutes),
    }


def _parse_date(text: str | None) -> date | None:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        return None


def _parse_month(text: str | None) -> date | None:
    try:
        year, month = (int(part) for part in (text or "").strip().split("-"))
        if not 1900 <= year <= 9998:
            return None
        return date(year, month, 1)
    except ValueError:
        return None
