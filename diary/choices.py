"""Every multi-choice answer's codes, labels and columns: the one home for them.

Each TextChoices has its full label (the form's tick box); SHORT_LABELS has the one short label
per code (the PDF's night table); the log form's button labels and the diary list's woke-by-pain
sentences are below. Labels are lazy translations (shown in the reader's language); codes are
what is stored and never translated.
A multi-choice answer is stored as one boolean column per code (prefix + code): `flag_columns`, `codes_from_flags` and
`flags_for` are the only translation between codes and columns (the model's properties, its
bit-mask SQL, the CSV export and import and the backup all call them).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class PainArea(models.TextChoices):
    LOWER_BACK = "lower_back", _("Lower back")
    UPPER_BACK = "upper_back", _("Upper / middle back")
    FLANK_LEFT = "flank_left", _("Left side under the ribs (kidney area)")
    FLANK_RIGHT = "flank_right", _("Right side under the ribs (kidney area)")
    GROIN = "groin", _("Groin or lower belly, one side")
    BUTTOCK_LEFT = "buttock_left", _("Left buttock")
    BUTTOCK_RIGHT = "buttock_right", _("Right buttock")
    LEG = "leg", _("Down a leg")


class EasedBy(models.TextChoices):
    MOVEMENT = "movement", _("Moving about")
    HOT_SHOWER = "hot_shower", _("Hot shower")
    REST = "rest", _("Rest / lying still")
    # Rules v2: NICE NG65 asks about a response to NSAIDs, so anti-inflammatories are told apart.
    ANTI_INFLAMMATORY = "anti_inflammatory", _("Anti-inflammatory painkiller (e.g. ibuprofen, naproxen, diclofenac)")
    PAINKILLER = "painkiller", _("Another painkiller (e.g. paracetamol)")
    NOTHING = "nothing", _("Nothing helped")


class Symptom(models.TextChoices):
    PAINFUL_URINATION = "painful_urination", _("Pain or burning when urinating")
    BLOOD_IN_URINE = "blood_in_urine", _("Blood in urine")
    CHILLS = "chills", _("Chills / shivering")
    NAUSEA = "nausea", _("Nausea or vomiting")
    PAIN_IN_WAVES = "pain_in_waves", _("Pain came in waves and I couldn't keep still")
    SADDLE_NUMBNESS = "saddle_numbness", _("Numbness around the genitals, buttocks or inner thighs")
    BLADDER_BOWEL_CHANGE = "bladder_bowel_change", _("New trouble controlling bladder or bowel")
    LEG_WEAKNESS = "leg_weakness", _("New weakness in a leg")
    WEIGHT_LOSS = "weight_loss", _("Unexplained weight loss")


class WokeByPain(models.TextChoices):
    NO = "no", _("No")
    EARLY = "early", _("Yes, first half of the night")
    LATE = "late", _("Yes, second half (towards morning)")


# Multi-choice field name -> (choices, prefix of its boolean columns).
MULTI_CHOICE_FIELDS: dict[str, tuple[type[models.TextChoices], str]] = {
    "pain_areas": (PainArea, "area_"),
    "eased_by": (EasedBy, "eased_"),
    "symptoms": (Symptom, "symptom_"),
}


@cache
def flag_columns(field: str) -> dict[str, str]:
    """code -> boolean column of a multi-choice field, in the choices' order."""
    choices, prefix = MULTI_CHOICE_FIELDS[field]
    return {code: prefix + code for code in choices.values}


ALL_FLAG_COLUMNS = frozenset(column for field in MULTI_CHOICE_FIELDS for column in flag_columns(field).values())


def codes_from_flags(field: str, flags: Iterable[bool]) -> tuple[str, ...]:
    """The ticked codes, given the field's boolean columns' values in flag_columns() order."""
    return tuple(code for code, on in zip(flag_columns(field), flags, strict=True) if on)


def flags_for(field: str, codes: Iterable[str]) -> dict[str, bool]:
    """column -> ticked, for every column of `field`; ValueError on a code it does not have."""
    wanted = set(codes)
    columns = flag_columns(field)
    unknown = wanted - set(columns)
    if unknown:
        raise ValueError(gettext("Unknown %(field)s codes: %(codes)s") % {"field": field, "codes": sorted(unknown)})
    return {column: code in wanted for code, column in columns.items()}


# Short labels for the night table, where the web form's full sentences would not fit.
SHORT_LABELS = {
    "lower_back": pgettext_lazy("short label", "lower back"),
    "upper_back": pgettext_lazy("short label", "upper back"),
    "flank_left": pgettext_lazy("short label", "L flank"),
    "flank_right": pgettext_lazy("short label", "R flank"),
    "groin": pgettext_lazy("short label", "groin"),
    "buttock_left": pgettext_lazy("short label", "L buttock"),
    "buttock_right": pgettext_lazy("short label", "R buttock"),
    "leg": pgettext_lazy("short label", "leg"),
    "movement": pgettext_lazy("short label", "moving"),
    "hot_shower": pgettext_lazy("short label", "hot shower"),
    "rest": pgettext_lazy("short label", "rest"),
    "anti_inflammatory": pgettext_lazy("short label", "anti-inflammatory"),
    "painkiller": pgettext_lazy("short label", "other painkiller"),
    "nothing": pgettext_lazy("short label", "nothing"),
    "painful_urination": pgettext_lazy("short label", "painful urination"),
    "blood_in_urine": pgettext_lazy("short label", "blood in urine"),
    "chills": pgettext_lazy("short label", "chills"),
    "nausea": pgettext_lazy("short label", "nausea"),
    "pain_in_waves": pgettext_lazy("short label", "pain in waves"),
    "saddle_numbness": pgettext_lazy("short label", "saddle numbness"),
    "bladder_bowel_change": pgettext_lazy("short label", "bladder/bowel change"),
    "leg_weakness": pgettext_lazy("short label", "leg weakness"),
    "weight_loss": pgettext_lazy("short label", "weight loss"),
    # woke_by_pain
    "no": pgettext_lazy("short label", "no"),
    "early": pgettext_lazy("short label", "early"),
    "late": pgettext_lazy("short label", "late"),
}

# The log form's buttons: shorter than the model's labels, so they fit side by side on a phone.
WOKE_BUTTON_LABELS = [
    (WokeByPain.NO, pgettext_lazy("woke by pain button", "No")),
    (WokeByPain.EARLY, _("Early in the night")),
    (WokeByPain.LATE, _("Towards morning")),
]
# The diary list's sentence for each answer (one line per night).
WOKE_SENTENCES = {
    WokeByPain.NO: _("Did not wake"),
    WokeByPain.EARLY: _("Woke early in the night"),
    WokeByPain.LATE: _("Woke towards morning"),
}
PAIN_AREA_BUTTON_LABELS = [
    (
        code,
        {PainArea.FLANK_LEFT: _("Left side (kidney area)"), PainArea.FLANK_RIGHT: _("Right side (kidney area)")}.get(
            code, label
        ),
    )
    for code, label in PainArea.choices
]


class MedicineClass(models.TextChoices):
    NSAID = "nsaid", _("Anti-inflammatory (NSAID, e.g. ibuprofen, naproxen)")
    PARACETAMOL = "paracetamol", _("Paracetamol")
    OPIOID = "opioid", _("Opioid (e.g. codeine, tramadol, morphine)")
    MUSCLE_RELAXANT = "muscle_relaxant", _("Muscle relaxant (e.g. diazepam)")
    NERVE_PAIN = "nerve_pain", _("Nerve-pain medicine (e.g. gabapentin, amitriptyline)")
    OTHER = "other", _("Other")


# How a dose is written after its number on the pages ("400 mg", "400 мг"). The codes above stay
# as they are in files (CSV, backup, FHIR's UCUM mapping); these are for reading only.
class DoseUnit(models.TextChoices):
    MG = "mg", _("mg")
    G = "g", _("g")
    MCG = "mcg", _("micrograms (mcg)")
    ML = "ml", _("ml")
    TABLET = "tablet", _("tablets")


DOSE_UNIT_SYMBOLS = {
    DoseUnit.MG: pgettext_lazy("dose unit after a number", "mg"),
    DoseUnit.G: pgettext_lazy("dose unit after a number", "g"),
    DoseUnit.MCG: pgettext_lazy("dose unit after a number", "mcg"),
    DoseUnit.ML: pgettext_lazy("dose unit after a number", "ml"),
}
