"""Rules on signs that need care soon: nerve red flags (now or earlier), fever, urinary symptoms."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from diary.rules.kidney import URGENT_KIDNEY_CODES
from diary.rules.records import (
    FEVER_C,
    Draft,
    NightRecord,
    Window,
    clinical_dates,
    dates_of,
    day_list,
    has_fever,
    listing,
    nights_words,
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


def _red_flag_phrases() -> dict[str, str]:
    # Written when a finding is built, so in the language active then.
    return {
        "saddle_numbness": _("numbness around the genitals, buttocks or inner thighs"),
        "bladder_bowel_change": _("new trouble controlling the bladder or bowel"),
        "leg_weakness": _("new weakness in a leg"),
    }


def _red_flag_names() -> dict[str, str]:
    """The short names of the signs, for the detail line and "what to tell your doctor"."""
    return {
        "saddle_numbness": _("saddle numbness"),
        "bladder_bowel_change": _("bladder or bowel change"),
        "leg_weakness": _("leg weakness"),
    }


def has_red_flag(night: NightRecord) -> bool:
    """Saddle numbness, new bladder/bowel trouble or leg weakness that night (Chou 2007: cauda equina)."""
    return not _RED_FLAG_SET.isdisjoint(night.symptoms)


def _red_flag_words(nights: list[NightRecord]) -> str:
    return "; ".join(words for sign, words in _red_flag_phrases().items() if any(sign in n.symptoms for n in nights))


def red_flag_nerves(window: Window) -> Draft | None:
    """Saddle numbness, new bladder/bowel trouble or leg weakness on any night of the last 7 days."""
    flagged = [night for night in window.last_days(RED_FLAG_DAYS) if has_red_flag(night)]
    if not flagged:
        return None
    names = _red_flag_names()
    signs = ", ".join(
        sorted({names[sign] for night in flagged for sign in RED_FLAG_SYMPTOMS if sign in night.symptoms})
    )
    days = dates_of(flagged)
    words = _red_flag_words(flagged)
    return Draft(
        title=_("Get medical help now: possible pressure on the nerves of the lower back"),
        message=_(
            "You logged %(signs)s. With back pain these can be signs of pressure on the nerves at the base of "
            "the spine, which must be checked straight away. Go to an emergency department or call your "
            "emergency number now, even if the pain is mild."
        )
        % {"signs": words},
        evidence=days,
        detail=ngettext(
            "Possible cauda equina signs (%(signs)s) on %(count)d night in the last %(days)d days.",
            "Possible cauda equina signs (%(signs)s) on %(count)d nights in the last %(days)d days.",
            len(days),
        )
        % {"signs": signs, "count": len(days), "days": RED_FLAG_DAYS},
        clinician_message=_(
            "The patient logged %(signs)s with back pain on %(dates)s: possible cauda equina syndrome "
            "(Chou 2007 red flag). The patient was advised to seek emergency care."
        )
        % {"signs": words, "dates": clinical_dates(days)},
        tell_doctor=_("I have back pain and on %(dates)s I noticed %(signs)s.")
        % {"dates": day_list(days), "signs": signs},
    )


def red_flag_earlier(window: Window) -> Draft | None:
    """A red-flag symptom on a night of the period before the last 7 days."""
    before = window.between(window.start, window.end - timedelta(days=RED_FLAG_DAYS))
    flagged = [night for night in before if has_red_flag(night)]
    if not flagged:
        return None
    days, words = dates_of(flagged), _red_flag_words(flagged)
    return Draft(
        title=_("Earlier nerve warning signs: tell a doctor"),
        message=_(
            "On %(dates)s you logged %(signs)s. With back pain these can be signs of pressure on the nerves at "
            "the base of the spine. It may have passed, but tell a doctor about it soon; if it comes back, go to "
            "an emergency department at once."
        )
        % {"dates": day_list(days), "signs": words},
        evidence=days,
        detail=ngettext(
            "Possible cauda equina signs on %(count)d night before the last %(days)d days.",
            "Possible cauda equina signs on %(count)d nights before the last %(days)d days.",
            len(days),
        )
        % {"count": len(days), "days": RED_FLAG_DAYS},
        clinician_message=_(
            "Earlier in the period the patient logged %(signs)s on %(dates)s (possible cauda equina signs, "
            "Chou 2007), not in the last seven days. Worth asking whether they were assessed and have resolved."
        )
        % {"signs": words, "dates": clinical_dates(days)},
        tell_doctor=_("On %(dates)s I noticed %(signs)s.") % {"dates": day_list(days), "signs": words},
    )


def fever(window: Window) -> Draft | None:
    """≥ 1 night with temperature ≥ 38.0 °C in the last 7 days, unless an urgent kidney rule fired."""
    feverish = [night for night in window.last_days(FEVER_DAYS) if has_fever(night)]
    if len(feverish) < FEVER_MIN_NIGHTS or window.fired(*URGENT_KIDNEY_CODES):
        return None
    days = dates_of(feverish)
    top, limit = window.temperature(max(night.temperature_c for night in feverish)), window.temperature(FEVER_C)
    values = {"limit": limit, "top": top, "count": len(days), "days": FEVER_DAYS}
    return Draft(
        title=_("Fever with back pain"),
        message=_(
            "You had a temperature of %(limit)s or more (up to %(top)s) in the last week. Fever together with "
            "back pain should be checked by a doctor, because an infection needs to be ruled out. Book an "
            "appointment soon; seek care today if you feel very unwell."
        )
        % values,
        evidence=days,
        detail=ngettext(
            "Temperature ≥ %(limit)s on %(count)d night of the last %(days)d days (max %(top)s).",
            "Temperature ≥ %(limit)s on %(count)d nights of the last %(days)d days (max %(top)s).",
            len(days),
        )
        % values,
        clinician_message=_(
            "The patient logged a temperature of %(limit)s or more with back pain on %(dates)s (maximum %(top)s): "
            "fever is an infection red flag (Chou 2007)."
        )
        % {**values, "dates": clinical_dates(days)},
        tell_doctor=ngettext(
            "I had a temperature of %(limit)s or more on %(count)d night (%(dates)s), up to %(top)s.",
            "I had a temperature of %(limit)s or more on %(count)d nights (%(dates)s), up to %(top)s.",
            len(days),
        )
        % {**values, "dates": day_list(days)},
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
        title=_("Urinary symptoms with back pain"),
        message=_(
            "You logged pain when urinating or blood in your urine. With back pain these are worth a check for a "
            "urinary or kidney problem. Book an appointment soon; seek care today if you also have a fever, "
            "chills or pain under the ribs."
        ),
        evidence=days,
        detail=_("Painful urination on %(painful)d and blood in urine on %(blood)d of the last %(days)d days.")
        % {"painful": len(painful), "blood": len(blood), "days": URINARY_DAYS},
        clinician_message=_("The patient logged %(signs)s in the last week, with back pain.")
        % {"signs": _urinary_words(painful, blood)},
        tell_doctor=ngettext(
            "In the last week I had pain when urinating on %(count)d night and noticed blood in my urine on "
            "%(blood)d (%(dates)s).",
            "In the last week I had pain when urinating on %(count)d nights and noticed blood in my urine on "
            "%(blood)d (%(dates)s).",
            len(painful),
        )
        % {"count": len(painful), "blood": len(blood), "dates": day_list(days)},
    )


def _urinary_words(painful: list[NightRecord], blood: list[NightRecord]) -> str:
    parts = [
        words % {"nights": nights_words(len(nights)), "dates": clinical_dates(dates_of(nights))}
        for words, nights in (
            (_("dysuria on %(nights)s (%(dates)s)"), painful),
            (_("visible blood in the urine on %(nights)s (%(dates)s)"), blood),
        )
        if nights
    ]
    return listing(parts)


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
    values = {"count": len(days), "voids": NIGHT_URINATIONS_MIN, "days": NIGHT_URINATION_DAYS}
    return Draft(
        title=_("Waking often to urinate"),
        message=_(
            "On most nights this week you got up at least twice to urinate. This is common and has many causes, "
            "most of them not serious, but it is worth mentioning at your next appointment."
        ),
        evidence=days,
        detail=_("≥ %(voids)d night voids on %(count)d of the last %(days)d days.") % values,
        clinician_message=ngettext(
            "Nocturia: the patient logged two or more night voids on %(count)d night of the last week (%(dates)s).",
            "Nocturia: the patient logged two or more night voids on %(count)d nights of the last week (%(dates)s).",
            len(days),
        )
        % {**values, "dates": clinical_dates(days)},
        tell_doctor=ngettext(
            "I got up to urinate two or more times a night on %(count)d night in the last week.",
            "I got up to urinate two or more times a night on %(count)d nights in the last week.",
            len(days),
        )
        % values,
    )
