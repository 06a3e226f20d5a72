"""Rules on signs that need care soon: nerve red flags, kidney signs, fever, urinary symptoms."""

from __future__ import annotations

from diary.rules.records import Draft, Window, count_of, dates_of, day_list, has_fever

RED_FLAG_DAYS = 7  # Chou 2007 / NHS: cauda equina signs need care now; a week keeps recent ones visible
RED_FLAG_SYMPTOMS = ("saddle_numbness", "bladder_bowel_change", "leg_weakness")  # Chou 2007 cauda equina signs

KIDNEY_DAYS = 2  # NHS / NICE NG111: fever with kidney-area pain needs same-day care, so only fresh nights
KIDNEY_AREAS = frozenset({"flank_left", "flank_right"})  # NICE NG111: pain in the side under the ribs
KIDNEY_SYMPTOMS = frozenset({"painful_urination", "chills", "nausea"})  # NICE NG111 / NHS pyelonephritis signs

FEVER_DAYS = 7  # Chou 2007: fever is an infection red flag
FEVER_MIN_NIGHTS = 2  # two feverish nights, so one mis-typed reading does not fire

URINARY_DAYS = 7  # NICE NG111 / NHS: urinary symptoms with back pain need a check
PAINFUL_URINATION_MIN_NIGHTS = 2  # NICE NG111: repeated painful urination, not one night
BLOOD_IN_URINE_MIN_NIGHTS = 1  # NHS: blood in urine always needs a doctor

NIGHT_URINATION_DAYS = 7  # nocturia: ≥ 2 voids a night tracks with moderate-severe urinary symptoms
NIGHT_URINATIONS_MIN = 2  # nocturia: ≥ 2 voids a night
NIGHT_URINATION_MIN_NIGHTS = 4  # "most nights" of a week (issue 5)


def red_flag_nerves(window: Window) -> Draft | None:
    """Saddle numbness, new bladder/bowel trouble or leg weakness on any night of the last 7 days."""
    flagged = [
        night for night in window.last_days(RED_FLAG_DAYS) if any(sign in night.symptoms for sign in RED_FLAG_SYMPTOMS)
    ]
    if not flagged:
        return None
    signs = sorted(
        {sign.replace("_", " ") for night in flagged for sign in RED_FLAG_SYMPTOMS if sign in night.symptoms}
    )
    days = dates_of(flagged)
    return Draft(
        title="Get medical help now: possible pressure on the nerves of the lower back",
        message=(
            "You logged numbness around the genitals, buttocks or inner thighs, new trouble controlling "
            "your bladder or bowel, or new weakness in a leg. With back pain these can be signs of pressure "
            "on the nerves at the base of the spine, which must be checked straight away. Go to an emergency "
            "department or call your emergency number now, even if the pain is mild."
        ),
        evidence=days,
        detail=f"Possible cauda equina signs ({', '.join(signs)}) on {count_of(len(days), 'night')} in the last {RED_FLAG_DAYS} days.",
        tell_doctor=f"I have back pain and on {day_list(days)} I noticed {', '.join(signs)}.",
    )


def kidney_infection_signs(window: Window) -> Draft | None:
    """Temperature ≥ 38.0 °C with flank pain, painful urination, chills or nausea in the last 2 days."""
    flagged = [
        night
        for night in window.last_days(KIDNEY_DAYS)
        if has_fever(night) and (night.pain_areas & KIDNEY_AREAS or night.symptoms & KIDNEY_SYMPTOMS)
    ]
    if not flagged:
        return None
    days = dates_of(flagged)
    top = max(night.temperature_c for night in flagged)
    signs = sorted(
        {
            s.replace("_", " ")
            for night in flagged
            for s in (night.pain_areas & KIDNEY_AREAS) | (night.symptoms & KIDNEY_SYMPTOMS)
        }
    )
    return Draft(
        title="Get medical help today: fever with kidney-area signs",
        message=(
            "You had a temperature of 38 °C or more together with pain in the side under the ribs, pain when "
            "urinating, chills or nausea. This combination can come from a kidney infection, which needs "
            "treatment the same day. Contact a doctor or urgent care today; if you feel confused, very drowsy "
            "or cannot keep fluids down, go to an emergency department now."
        ),
        evidence=days,
        detail=f"Temperature up to {top} °C with {', '.join(signs)} in the last {KIDNEY_DAYS} days.",
        tell_doctor=f"On {day_list(days)} my temperature was up to {top} °C and I had {', '.join(signs)}.",
    )


def fever(window: Window) -> Draft | None:
    """≥ 2 nights with temperature ≥ 38.0 °C in the last 7 days, unless KIDNEY_INFECTION_SIGNS fired."""
    if window.fired("KIDNEY_INFECTION_SIGNS"):
        return None
    feverish = [night for night in window.last_days(FEVER_DAYS) if has_fever(night)]
    if len(feverish) < FEVER_MIN_NIGHTS:
        return None
    days = dates_of(feverish)
    top = max(night.temperature_c for night in feverish)
    return Draft(
        title="Fever on several nights",
        message=(
            "You had a temperature of 38 °C or more on more than one night this week. Fever together with "
            "back pain should be checked by a doctor, because an infection needs to be ruled out. Book an "
            "appointment soon; seek care today if you feel very unwell."
        ),
        evidence=days,
        detail=f"Temperature ≥ 38.0 °C on {len(days)} of the last {FEVER_DAYS} days (max {top} °C).",
        tell_doctor=f"I had a temperature of 38 °C or more on {len(days)} nights ({day_list(days)}), up to {top} °C.",
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
        tell_doctor=(
            f"In the last week I had pain when urinating on {count_of(len(painful), 'night')} and noticed blood in my urine "
            f"on {len(blood)} ({day_list(days)})."
        ),
    )


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
        tell_doctor=f"I got up to urinate two or more times a night on {len(days)} nights in the last week.",
    )
