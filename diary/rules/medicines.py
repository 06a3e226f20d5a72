"""Rules about medicines and the weekly PEG score (issue 17): one function per rule code.

Sources and exact definitions in docs/report-rules.md.
"""

from __future__ import annotations

from decimal import Decimal

from diary.medication import OPIOID, paracetamol_mg
from diary.peg import PEG_MEANINGFUL_SHARE
from diary.rules.records import Draft, Window, count_of, dates_of, day_list

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
    return Draft(
        title="An opioid painkiller on most nights",
        message=(
            f"You took {', '.join(names)} on {count_of(len(with_opioid), 'night')} of the "
            f"{count_of(len(nights), 'logged night')} in the last four weeks. Guidelines advise against "
            "opioids for long-lasting low back pain, so it is worth reviewing them with your doctor; "
            "do not stop suddenly without advice."
        ),
        evidence=dates_of(with_opioid),
        detail=(
            f"Opioid on {len(with_opioid)}/{len(nights)} logged nights of the last {OPIOID_DAYS} days "
            "(NICE NG59: do not offer opioids for managing chronic low back pain)."
        ),
        clinician_message=(
            f"The patient recorded an opioid ({', '.join(names)}) on {len(with_opioid)} of {len(nights)} logged "
            f"nights in the last 4 weeks ({day_list(dates_of(with_opioid))}). NICE NG59 advises against opioids "
            "for chronic low back pain."
        ),
        tell_doctor=f"Opioid ({', '.join(names)}) taken on {len(with_opioid)} of {len(nights)} logged nights in 4 weeks.",
    )


def paracetamol_over_4g(window: Window) -> Draft | None:
    """PARACETAMOL_OVER_4G: more than 4 g of paracetamol recorded on any night of the period."""
    over = [(night, paracetamol_mg(night.medicines)) for night in window.nights if night.medicines]
    over = [(night, mg) for night, mg in over if mg > PARACETAMOL_MAX_MG]
    if not over:
        return None
    highest = max(mg for _, mg in over)
    days = dates_of(night for night, _ in over)
    return Draft(
        title="More than 4 g of paracetamol in a day",
        message=(
            f"On {count_of(len(days), 'day')} ({day_list(days)}) the diary records more than 4 g of paracetamol "
            f"(up to {_grams(highest)} g). The usual adult maximum is 4 g in 24 hours, less for people under "
            "50 kg or with liver problems. Mention it to your doctor or pharmacist; remember that combination "
            "products (e.g. co-codamol, cold remedies) contain paracetamol too."
        ),
        evidence=days,
        detail=f"Paracetamol > {_grams(PARACETAMOL_MAX_MG)} g on {len(days)} diary days (BNF: max 4 g in 24 hours).",
        clinician_message=(
            f"The patient recorded more than 4 g of paracetamol on {count_of(len(days), 'diary day')} "
            f"({day_list(days)}), at most {_grams(highest)} g (doses × usual dose). BNF adult maximum: 4 g in 24 hours."
        ),
        tell_doctor=f"Paracetamol above 4 g recorded on {count_of(len(days), 'day')}, highest {_grams(highest)} g.",
    )


def peg_improved(window: Window) -> Draft | None:
    """PEG_IMPROVED: the latest PEG score ≥ 30 % below the period's first."""
    change = _peg_change(window)
    if change is None or change[2] * 100 > -PEG_MEANINGFUL_PERCENT * change[0]:
        return None
    first, latest, _difference = change
    return Draft(
        title="Meaningful improvement in the weekly PEG score",
        message=(
            f"Your PEG score (pain and how much it gets in the way) fell from {first} to {latest}, "
            f"a fall of {_percent(first, latest)} %. A fall of 30 % or more is a meaningful improvement."
        ),
        evidence=(window.peg[0].date, window.peg[-1].date),
        detail=f"PEG {first} → {latest} ({_percent(first, latest)} %; Krebs 2009: ≥ 30 % is meaningful).",
        clinician_message=(
            f"The patient's PEG score (Krebs 2009) fell from {first} on {window.peg[0].date:%d %b} to {latest} on "
            f"{window.peg[-1].date:%d %b} (−{_percent(first, latest)} %): a meaningful improvement (≥ 30 %)."
        ),
        tell_doctor=f"PEG score improved from {first} to {latest}.",
    )


def peg_worsened(window: Window) -> Draft | None:
    """PEG_WORSENED: the latest PEG score ≥ 30 % above the period's first."""
    change = _peg_change(window)
    if change is None or change[2] * 100 < PEG_MEANINGFUL_PERCENT * change[0]:
        return None
    first, latest, _difference = change
    return Draft(
        title="The weekly PEG score is worse",
        message=(
            f"Your PEG score (pain and how much it gets in the way) rose from {first} to {latest}, "
            f"a rise of {_percent(first, latest)} %. A change of 30 % or more is meaningful: "
            "book an appointment and show your doctor this report."
        ),
        evidence=(window.peg[0].date, window.peg[-1].date),
        detail=f"PEG {first} → {latest} (+{_percent(first, latest)} %; Krebs 2009: ≥ 30 % change is meaningful).",
        clinician_message=(
            f"The patient's PEG score (Krebs 2009) rose from {first} on {window.peg[0].date:%d %b} to {latest} on "
            f"{window.peg[-1].date:%d %b} (+{_percent(first, latest)} %): a meaningful worsening (≥ 30 %)."
        ),
        tell_doctor=f"PEG score worsened from {first} to {latest}.",
    )


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
    return f"{(mg / 1000).normalize():f}"
