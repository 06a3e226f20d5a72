"""Rules on signs that need care soon: nerve red flags (now or earlier), fever, urinary symptoms."""

from __future__ import annotations

from datetime import timedelta

from diary.rules.kidney import URGENT_KIDNEY_CODES
from diary.rules.records import (
    FEVER_C,
    Draft,
    NightRecord,
    Window,
    clinical_dates,
    count_of,
    dates_of,
    day_list,
    has_fever,
)

RED_FLAG_DAYS = 7  # Chou 2007 / NHS: cauda equina signs need care now; a week keeps recent ones visible
RED_FLAG_SYMPTOMS = ("saddle_numbness", "bladder_bowel_change", "leg_weakness")  # Chou 2007 cauda equina signs

FEVER_DAYS = 7  # Chou 2007: fever is an infection red flag
FEVER_MIN_NIGHTS = 1  # rules v2: one night of 38 °C or more with back pain is enough (NHS: high temperature)

URINARY_DAYS = 7  # NICE NG111 / NHS: urinary symptoms with back pain need a check
PAINFUL_URINATION_MIN_NIGHTS = 2  # NICE NG111: repeated painful urination, not one night
BLOOD_IN_URINE_MIN_NIGHTS = 1  # NHS: blood in urine always needs a doctor

NIGHT_URINATION_DAYS = 7  # nocturia: ≥ 2 voids a night tracks with moderate-severe urinary symptoms
NIGHT_URINATIONS_MIN = 2  # nocturia: ≥ 2 voids a night
NIGHT_URINATION_MIN_NIGHTS = 4  # "most nights" of a week (issue 5)

_RED_FLAG_SET = frozenset(RED_FLAG_SYMPTOMS)
_RED_FLAG_WORDS = {
    "saddle_numbness": "numbness around the genitals, buttocks or inner thighs",
    "bladder_bowel_change": "new trouble controlling the bladder or bowel",
    "leg_weakness": "new weakness in a leg",
}


def has_red_flag(night: NightRecord) -> bool:
    """Saddle numbness, new bladder/bowel trouble or leg weakness that night (Chou 2007: cauda equina)."""
    return not _RED_FLAG_SET.isdisjoint(night.symptoms)


def _red_flag_words(nights: list[NightRecord]) -> str:
    return "; ".join(words for sign, words in _RED_FLAG_WORDS.items() if any(sign in n.symptoms for n in nights))


def red_flag_nerves(window: Window) -> Draft | None:
    """Saddle numbness, new bladder/bowel trouble or leg weakness on any night of the last 7 days."""
    flagged = [night for night in window.last_days(RED_FLAG_DAYS) if has_red_flag(night)]
    if not flagged:
        return None
    signs = sorted(
        {sign.replace("_", " ") for night in flagged for sign in RED_FLAG_SYMPTOMS if sign in night.symptoms}
    )
    days = dates_of(flagged)
    return Draft(
        title="Get medical help now: possible pressure on the nerves of the lower back",
        message=(
            f"You logged {_red_flag_words(flagged)}. With back pain these can be signs of pressure "
            "on the nerves at the base of the spine, which must be checked straight away. Go to an emergency "
            "department or call your emergency number now, even if the pain is mild."
        ),
        evidence=days,
        detail=f"Possible cauda equina signs ({', '.join(signs)}) on {count_of(len(days), 'night')} in the last {RED_FLAG_DAYS} days.",
        clinician_message=(
            f"The patient logged {_red_flag_words(flagged)} with back pain on {clinical_dates(days)}: possible "
            "cauda equina syndrome (Chou 2007 red flag). The patient was advised to seek emergency care."
        ),
        tell_doctor=f"I have back pain and on {day_list(days)} I noticed {', '.join(signs)}.",
    )


def red_flag_earlier(window: Window) -> Draft | None:
    """A red-flag symptom on a night of the period before the last 7 days."""
    before = window.between(window.start, window.end - timedelta(days=RED_FLAG_DAYS))
    flagged = [night for night in before if has_red_flag(night)]
    if not flagged:
        return None
    days, words = dates_of(flagged), _red_flag_words(flagged)
    return Draft(
        title="Earlier nerve warning signs: tell a doctor",
        message=(
            f"On {day_list(days)} you logged {words}. With back pain these can be signs of pressure on the nerves "
            "at the base of the spine. It may have passed, but tell a doctor about it soon; if it comes back, go to "
            "an emergency department at once."
        ),
        evidence=days,
        detail=f"Possible cauda equina signs on {count_of(len(days), 'night')} before the last {RED_FLAG_DAYS} days.",
        clinician_message=(
            f"Earlier in the period the patient logged {words} on {clinical_dates(days)} (possible cauda equina "
            "signs, Chou 2007), not in the last seven days. Worth asking whether they were assessed and have resolved."
        ),
        tell_doctor=f"On {day_list(days)} I noticed {words}.",
    )


def fever(window: Window) -> Draft | None:
    """≥ 1 night with temperature ≥ 38.0 °C in the last 7 days, unless an urgent kidney rule fired."""
    feverish = [night for night in window.last_days(FEVER_DAYS) if has_fever(night)]
    if len(feverish) < FEVER_MIN_NIGHTS or window.fired(*URGENT_KIDNEY_CODES):
        return None
    days = dates_of(feverish)
    top, limit = window.temperature(max(night.temperature_c for night in feverish)), window.temperature(FEVER_C)
    return Draft(
        title="Fever with back pain",
        message=(
            f"You had a temperature of {limit} or more (up to {top}) in the last week. Fever together with back "
            "pain should be checked by a doctor, because an infection needs to be ruled out. Book an appointment "
            "soon; seek care today if you feel very unwell."
        ),
        evidence=days,
        detail=f"Temperature ≥ {limit} on {count_of(len(days), 'night')} of the last {FEVER_DAYS} days (max {top}).",
        clinician_message=(
            f"The patient logged a temperature of {limit} or more with back pain on {clinical_dates(days)} "
            f"(maximum {top}): fever is an infection red flag (Chou 2007)."
        ),
        tell_doctor=f"I had a temperature of {limit} or more on {count_of(len(days), 'night')} ({day_list(days)}), up to {top}.",
    )


def urinary_symptoms(window: Window) -> Draft | None:
    """Painful urination on ≥ 2 nights or blood in urine on ≥ 1 night in the last 7 days."""
    recent = window.last_days(URINARY_DAYS)
    painful = [night for night in recent if "painful_urination" in night.symptoms]
    blood = [night for night in recent if "blood_in_urine" in night.symptoms]
    if len(painful) < PAINFUL_URINATION_MIN_NIGHTS and len(blood) < BLOOD_IN_URINE_MIN_NIGHTS:
        return None
    days = dates_of(painful + blood)
    return Draft(
        title="Urinary symptoms with back pain",
        message=(
            "You logged pain when urinating or blood in your urine. With back pain these are worth a check "
            "for a urinary or kidney problem. Book an appointment soon; seek care today if you also have a "
            "fever, chills or pain under the ribs."
        ),
        evidence=days,
        detail=f"Painful urination on {len(painful)} and blood in urine on {len(blood)} of the last {URINARY_DAYS} days.",
        clinician_message=f"The patient logged {_urinary_words(painful, blood)} in the last week, with back pain.",
        tell_doctor=(
            f"In the last week I had pain when urinating on {count_of(len(painful), 'night')} and noticed blood in my urine "
            f"on {len(blood)} ({day_list(days)})."
        ),
    )


def _urinary_words(painful: list[NightRecord], blood: list[NightRecord]) -> str:
    parts = [
        f"{words} on {count_of(len(nights), 'night')} ({clinical_dates(dates_of(nights))})"
        for words, nights in (("dysuria", painful), ("visible blood in the urine", blood))
        if nights
    ]
    return " and ".join(parts)


def frequent_night_urination(window: Window) -> Draft | None:
    """Woke to urinate ≥ 2 times on ≥ 4 nights of the last 7 days."""
    frequent = [
        night
        for night in window.last_days(NIGHT_URINATION_DAYS)
        if night.night_urinations is not None and night.night_urinations >= NIGHT_URINATIONS_MIN
    ]
    if len(frequent) < NIGHT_URINATION_MIN_NIGHTS:
        return None
    days = dates_of(frequent)
    return Draft(
        title="Waking often to urinate",
        message=(
            "On most nights this week you got up at least twice to urinate. This is common and has many "
            "causes, most of them not serious, but it is worth mentioning at your next appointment."
        ),
        evidence=days,
        detail=f"≥ {NIGHT_URINATIONS_MIN} night voids on {len(days)} of the last {NIGHT_URINATION_DAYS} days.",
        clinician_message=(
            f"Nocturia: the patient logged two or more night voids on {count_of(len(days), 'night')} of the last "
            f"week ({clinical_dates(days)})."
        ),
        tell_doctor=f"I got up to urinate two or more times a night on {len(days)} nights in the last week.",
    )
