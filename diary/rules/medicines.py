"""Rules about medicines and the weekly PEG score (issue 17): one function per rule code.

Sources and exact definitions in docs/report-rules.md.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, npgettext

from diary.medication import OPIOID, paracetamol_mg
from diary.peg import PEG_MEANINGFUL_SHARE
from diary.rules.records import Draft, Window, dates_of, day_list, day_month, nights_words, quoted

OPIOID_DAYS = 28  # the last four weeks of the period
OPIOID_MIN_NIGHTS = 7  # a week of logged nights before "most nights" means anything
OPIOID_SHARE = (1, 2)  # "most nights": an opioid on more than half of the logged nights
PARACETAMOL_MAX_MG = Decimal(4000)  # BNF: adults, at most 4 g in 24 hours (less under 50 kg or with liver risk)
PEG_MEANINGFUL_PERCENT = round(PEG_MEANINGFUL_SHARE * 100)  # Krebs 2009: a 30 % change is meaningful


def opioid_most_nights(window: Window) -> Draft | None:
    """OPIOID_MOST_NIGHTS: an opioid on more than half of the logged nights of the last 28 days."""
    nights = window.last_days(OPIOID_DAYS)
    with_opioid = [night for night in nights if any(dose.medicine_class == OPIOID for dose in night.medicines)]
    if len(nights) < OPIOID_MIN_NIGHTS or not with_opioid:
        return None
    numerator, denominator = OPIOID_SHARE
    if len(with_opioid) * denominator <= numerator * len(nights):  # more than half, exactly
        return None
    names = sorted({d.name for night in with_opioid for d in night.medicines if d.medicine_class == OPIOID})
    values = {
        "names": ", ".join(quoted(name) for name in names),
        "count": len(with_opioid),
        "logged": len(nights),
        "days": OPIOID_DAYS,
        "dates": day_list(dates_of(with_opioid)),
        "nights": nights_words(len(with_opioid)),
        "logged_nights": npgettext("after 'of the'", "%(count)d logged night", "%(count)d logged nights", len(nights))
        % {"count": len(nights)},
    }
    return Draft(
        title=_("An opioid painkiller on most nights"),
        message=_(
            "You took %(names)s on %(nights)s of the %(logged_nights)s in the last four weeks. Guidelines advise "
            "against opioids for long-lasting low back pain, so it is worth reviewing them with your doctor; do not "
            "stop suddenly without advice."
        )
        % values,
        evidence=dates_of(with_opioid),
        detail=_(
            "Opioid on %(count)d/%(logged)d logged nights of the last %(days)d days (NICE NG59: do not offer "
            "opioids for managing chronic low back pain)."
        )
        % values,
        clinician_message=_(
            "The patient recorded an opioid (%(names)s) on %(count)d of %(logged)d logged nights in the last 4 weeks "
            "(%(dates)s). NICE NG59 advises against opioids for chronic low back pain."
        )
        % values,
        tell_doctor=_("Opioid (%(names)s) taken on %(count)d of %(logged)d logged nights in 4 weeks.") % values,
    )


def paracetamol_over_4g(window: Window) -> Draft | None:
    """PARACETAMOL_OVER_4G: more than 4 g of paracetamol recorded on any night of the period."""
    over = [(night, paracetamol_mg(night.medicines)) for night in window.nights if night.medicines]
    over = [(night, mg) for night, mg in over if mg > PARACETAMOL_MAX_MG]
    if not over:
        return None
    highest = max(mg for _night, mg in over)
    days = dates_of(night for night, _mg in over)
    values = {
        "count": len(days),
        "dates": day_list(days),
        "highest": _grams(highest),
        "limit": _grams(PARACETAMOL_MAX_MG),
    }
    return Draft(
        title=_("More than 4 g of paracetamol in a day"),
        message=ngettext(
            "On %(count)d day (%(dates)s) the diary records more than 4 g of paracetamol (up to %(highest)s g). The "
            "usual adult maximum is 4 g in 24 hours, less for people under 50 kg or with liver problems. Mention it "
            "to your doctor or pharmacist; remember that combination products (e.g. co-codamol, cold remedies) "
            "contain paracetamol too.",
            "On %(count)d days (%(dates)s) the diary records more than 4 g of paracetamol (up to %(highest)s g). "
            "The usual adult maximum is 4 g in 24 hours, less for people under 50 kg or with liver problems. "
            "Mention it to your doctor or pharmacist; remember that combination products (e.g. co-codamol, cold "
            "remedies) contain paracetamol too.",
            len(days),
        )
        % values,
        evidence=days,
        detail=_("Paracetamol > %(limit)s g on %(count)d diary days (BNF: max 4 g in 24 hours).") % values,
        clinician_message=ngettext(
            "The patient recorded more than 4 g of paracetamol on %(count)d diary day (%(dates)s), at most "
            "%(highest)s g (doses × usual dose). BNF adult maximum: 4 g in 24 hours.",
            "The patient recorded more than 4 g of paracetamol on %(count)d diary days (%(dates)s), at most "
            "%(highest)s g (doses × usual dose). BNF adult maximum: 4 g in 24 hours.",
            len(days),
        )
        % values,
        tell_doctor=ngettext(
            "Paracetamol above 4 g recorded on %(count)d day, highest %(highest)s g.",
            "Paracetamol above 4 g recorded on %(count)d days, highest %(highest)s g.",
            len(days),
        )
        % values,
    )


def peg_improved(window: Window) -> Draft | None:
    """PEG_IMPROVED: the latest PEG score ≥ 30 % below the period's first."""
    change = _peg_change(window)
    if change is None or change[2] * 100 > -PEG_MEANINGFUL_PERCENT * change[0]:
        return None
    values = _peg_values(window, change)
    return Draft(
        title=_("Meaningful improvement in the weekly PEG score"),
        message=_(
            "Your PEG score (pain and how much it gets in the way) fell from %(first)s to %(latest)s, a fall of "
            "%(percent)d %%. A fall of 30 %% or more is a meaningful improvement."
        )
        % values,
        evidence=(window.peg[0].date, window.peg[-1].date),
        detail=_("PEG %(first)s → %(latest)s (%(percent)d %%; Krebs 2009: ≥ 30 %% is meaningful).") % values,
        clinician_message=_(
            "The patient's PEG score (Krebs 2009) fell from %(first)s on %(first_date)s to %(latest)s on "
            "%(latest_date)s (−%(percent)d %%): a meaningful improvement (≥ 30 %%)."
        )
        % values,
        tell_doctor=_("PEG score improved from %(first)s to %(latest)s.") % values,
    )


def peg_worsened(window: Window) -> Draft | None:
    """PEG_WORSENED: the latest PEG score ≥ 30 % above the period's first."""
    change = _peg_change(window)
    if change is None or change[2] * 100 < PEG_MEANINGFUL_PERCENT * change[0]:
        return None
    values = _peg_values(window, change)
    return Draft(
        title=_("The weekly PEG score is worse"),
        message=_(
            "Your PEG score (pain and how much it gets in the way) rose from %(first)s to %(latest)s, a rise of "
            "%(percent)d %%. A change of 30 %% or more is meaningful: book an appointment and show your doctor this "
            "report."
        )
        % values,
        evidence=(window.peg[0].date, window.peg[-1].date),
        detail=_("PEG %(first)s → %(latest)s (+%(percent)d %%; Krebs 2009: ≥ 30 %% change is meaningful).") % values,
        clinician_message=_(
            "The patient's PEG score (Krebs 2009) rose from %(first)s on %(first_date)s to %(latest)s on "
            "%(latest_date)s (+%(percent)d %%): a meaningful worsening (≥ 30 %%)."
        )
        % values,
        tell_doctor=_("PEG score worsened from %(first)s to %(latest)s.") % values,
    )


def _peg_values(window: Window, change: tuple[Decimal, Decimal, Decimal]) -> dict[str, object]:
    first, latest, _difference = change
    return {
        "first": _score(first),
        "latest": _score(latest),
        "percent": _percent(first, latest),
        "first_date": day_month(window.peg[0].date),
        "latest_date": day_month(window.peg[-1].date),
    }


def _score(score: Decimal) -> str:
    """A PEG score as the diary stores it ('4.3'), with the active language's decimal mark."""
    return number_format(score)


def _peg_change(window: Window) -> tuple[Decimal, Decimal, Decimal] | None:
    """(first, latest, latest − first) PEG scores of the period, exactly; None with < 2 check-ins or a first of 0."""
    if len(window.peg) < 2:
        return None
    first, latest = (Decimal(str(c.score)) for c in (window.peg[0], window.peg[-1]))
    if first == 0:  # no percentage of nothing: a rise from 0 shows on the chart and in the numbers
        return None
    return first, latest, latest - first


def _percent(first: Decimal, latest: Decimal) -> int:
    return abs(round((latest - first) / first * 100))


def _grams(mg: Decimal) -> str:
    return number_format(f"{(mg / 1000).normalize():f}")
