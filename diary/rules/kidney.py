"""Kidney rules: infection signs and kidney stones, now (urgent) or earlier in the period.

NHS kidney infection: same-day care with a high temperature *or feeling hot and shivery*, pain in
the side, back or groin, blood in urine. NHS kidney stones: pain that comes in waves, from the
side into the groin, often unable to keep still; a stone with fever is an emergency.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from diary.rules.records import (
    Draft,
    NightRecord,
    Window,
    clinical_dates,
    dates_of,
    day_list,
    has_fever,
    listing,
)

KIDNEY_DAYS = 2  # NHS / NICE NG111: kidney infection signs need same-day care, so only fresh nights
KIDNEY_AREAS = frozenset({"flank_left", "flank_right"})  # NICE NG111: pain in the side under the ribs
KIDNEY_SYMPTOMS = frozenset({"painful_urination", "chills", "nausea"})  # NICE NG111 / NHS, with a fever
FLANK_ALONE_SIGNS = frozenset({"chills", "blood_in_urine"})  # NHS: "hot and shivery" or blood in urine, no thermometer
STONE_SIGNS_AREA = "groin"  # NHS kidney stones: pain spreading from the side into the groin
STONE_SIGNS_SYMPTOM = "pain_in_waves"  # NHS kidney stones: pain in waves, cannot keep still
STONE_PATTERN_DAYS = 14  # two weeks: a stone that has not passed still needs a GP

URGENT_KIDNEY_CODES = ("KIDNEY_INFECTION_SIGNS", "KIDNEY_STONE_WITH_FEVER")

_PHRASE_ORDER = (
    "flank_left",
    "flank_right",
    "groin",
    "painful_urination",
    "blood_in_urine",
    "chills",
    "nausea",
    "pain_in_waves",
)


def _phrases() -> dict[str, str]:
    # Written when a finding is built, so in the language active then.
    return {
        "flank_left": _("pain in the left side under the ribs"),
        "flank_right": _("pain in the right side under the ribs"),
        "groin": _("pain in the groin or lower belly"),
        "painful_urination": _("pain when urinating"),
        "blood_in_urine": _("blood in the urine"),
        "chills": _("chills or shivering"),
        "nausea": _("nausea or vomiting"),
        "pain_in_waves": _("pain in waves with restlessness"),
    }


def kidney_pain(night: NightRecord) -> bool:
    """Pain in the side under the ribs (either side)."""
    return bool(night.pain_areas & KIDNEY_AREAS)


def kidney_infection_night(night: NightRecord) -> bool:
    """Fever with flank pain, painful urination, chills or nausea; or flank pain with chills or blood in urine."""
    if not night.symptoms and night.temperature_c is None:
        return False  # most nights: nothing to weigh (a year-long report checks every night)
    flank = kidney_pain(night)
    if has_fever(night) and (flank or night.symptoms & KIDNEY_SYMPTOMS):
        return True
    return flank and bool(night.symptoms & FLANK_ALONE_SIGNS)


def kidney_stone_night(night: NightRecord) -> bool:
    """Flank pain together with pain in waves or groin pain."""
    return kidney_pain(night) and (STONE_SIGNS_SYMPTOM in night.symptoms or STONE_SIGNS_AREA in night.pain_areas)


def stone_with_fever_night(night: NightRecord) -> bool:
    """The kidney-stone pattern with a temperature ≥ 38.0 °C or chills."""
    return kidney_stone_night(night) and (has_fever(night) or "chills" in night.symptoms)


def _signs(window: Window, nights: list[NightRecord]) -> str:
    """The kidney-related signs of some nights in words, with the highest temperature first."""
    phrases = _phrases()
    words = [phrases[code] for code in _PHRASE_ORDER if any(code in n.pain_areas or code in n.symptoms for n in nights)]
    temperatures = [n.temperature_c for n in nights if has_fever(n)]
    if temperatures:
        words.insert(0, _("a temperature of %(temperature)s") % {"temperature": window.temperature(max(temperatures))})
    return listing(words)


def kidney_infection_signs(window: Window) -> Draft | None:
    """Last 2 days: fever with flank pain, painful urination, chills or nausea; or flank pain with
    chills; or flank pain with blood in the urine."""
    flagged = [night for night in window.last_days(KIDNEY_DAYS) if kidney_infection_night(night)]
    if not flagged:
        return None
    days, signs = dates_of(flagged), _signs(window, flagged)
    return Draft(
        title=_("Get medical help today: possible kidney infection"),
        message=_(
            "You logged %(signs)s. Together these can be signs of a kidney infection, which needs treatment the "
            "same day. Contact a doctor or urgent care today (in the UK, NHS 111); if you feel confused, very "
            "drowsy or cannot keep fluids down, go to an emergency department now."
        )
        % {"signs": signs},
        evidence=days,
        detail=_("Kidney infection signs in the last %(days)d days: %(signs)s.")
        % {"days": KIDNEY_DAYS, "signs": signs},
        clinician_message=_(
            "The patient logged %(signs)s on %(dates)s: signs compatible with pyelonephritis (NICE NG111 / NHS: "
            "same-day assessment). The patient was advised to seek care today."
        )
        % {"signs": signs, "dates": clinical_dates(days)},
        tell_doctor=_("On %(dates)s I had %(signs)s.") % {"dates": day_list(days), "signs": signs},
    )


def kidney_stone_with_fever(window: Window) -> Draft | None:
    """Last 2 days: flank pain with pain in waves or groin pain, and a temperature ≥ 38.0 °C or chills."""
    flagged = [night for night in window.last_days(KIDNEY_DAYS) if stone_with_fever_night(night)]
    if not flagged:
        return None
    days, signs = dates_of(flagged), _signs(window, flagged)
    return Draft(
        title=_("Get emergency help now: kidney-stone pain with fever or shivering"),
        message=_(
            "You logged %(signs)s. Pain like this can come from a kidney stone, and with a fever or shivering the "
            "kidney may be blocked and infected, which is an emergency. Go to an emergency department or call "
            "your emergency number now."
        )
        % {"signs": signs},
        evidence=days,
        detail=_("Kidney-stone pattern with fever or chills in the last %(days)d days: %(signs)s.")
        % {"days": KIDNEY_DAYS, "signs": signs},
        clinician_message=_(
            "The patient logged %(signs)s on %(dates)s: a renal colic pattern with fever or rigors, possible "
            "infected obstructed kidney (NHS: emergency). The patient was advised to seek emergency care."
        )
        % {"signs": signs, "dates": clinical_dates(days)},
        tell_doctor=_("On %(dates)s I had %(signs)s.") % {"dates": day_list(days), "signs": signs},
    )


def kidney_stone_pattern(window: Window) -> Draft | None:
    """Last 14 days: flank pain with pain in waves or groin pain, when neither urgent kidney rule fired."""
    flagged = [night for night in window.last_days(STONE_PATTERN_DAYS) if kidney_stone_night(night)]
    if not flagged or window.fired(*URGENT_KIDNEY_CODES):
        return None
    days, signs = dates_of(flagged), _signs(window, flagged)
    return Draft(
        title=_("Pain that fits a kidney stone"),
        message=_(
            "You logged %(signs)s. Pain in the side that comes in waves or spreads into the groin can come from a "
            "kidney stone rather than the back. See a doctor soon; get help the same day if you develop a fever, "
            "shivering, blood in your urine or pain you cannot bear."
        )
        % {"signs": signs},
        evidence=days,
        detail=ngettext(
            "Flank pain with pain in waves or groin pain on %(count)d night in the last %(days)d days.",
            "Flank pain with pain in waves or groin pain on %(count)d nights in the last %(days)d days.",
            len(days),
        )
        % {"count": len(days), "days": STONE_PATTERN_DAYS},
        clinician_message=_(
            "The patient logged %(signs)s on %(dates)s: a pattern compatible with renal colic (no fever or chills "
            "in the last two days). Consider assessment for urolithiasis."
        )
        % {"signs": signs, "dates": clinical_dates(days)},
        tell_doctor=_("On %(dates)s I had %(signs)s.") % {"dates": day_list(days), "signs": signs},
    )


def kidney_episode_earlier(window: Window) -> Draft | None:
    """Nights of the period before the last 2 days that meet the KIDNEY_INFECTION_SIGNS or
    KIDNEY_STONE_WITH_FEVER condition."""
    before = window.between(window.start, window.end - timedelta(days=KIDNEY_DAYS))
    flagged = [night for night in before if kidney_infection_night(night) or stone_with_fever_night(night)]
    if not flagged:
        return None
    days, signs = dates_of(flagged), _signs(window, flagged)
    return Draft(
        title=_("Earlier kidney warning signs: tell a doctor"),
        message=_(
            "On %(dates)s you logged %(signs)s. Those can be signs of a kidney infection or an infected kidney "
            "stone. It may have passed, but tell a doctor about it; if it comes back, seek care at once."
        )
        % {"dates": day_list(days), "signs": signs},
        evidence=days,
        detail=ngettext(
            "Kidney infection or stone-with-fever signs on %(count)d night before the last %(days)d days of the "
            "period.",
            "Kidney infection or stone-with-fever signs on %(count)d nights before the last %(days)d days of the "
            "period.",
            len(days),
        )
        % {"count": len(days), "days": KIDNEY_DAYS},
        clinician_message=_(
            "Earlier in the period the patient logged %(signs)s on %(dates)s (signs compatible with "
            "pyelonephritis or an infected kidney stone). Not in the last two days; worth asking whether it was "
            "assessed and has resolved."
        )
        % {"signs": signs, "dates": clinical_dates(days)},
        tell_doctor=_("On %(dates)s I had %(signs)s; I don't know whether it was a kidney infection.")
        % {"dates": day_list(days), "signs": signs},
    )
