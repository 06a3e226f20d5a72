"""Every multi-choice answer's codes, labels and columns: the one home for them.

Each TextChoices has its full label (the form's tick box); SHORT_LABELS has the one short label
per code (the PDF's night table); the log form's button labels are below. A multi-choice answer
is stored as one boolean column per code (prefix + code): `flag_columns`, `codes_from_flags` and
`flags_for` are the only translation between codes and columns (the model's properties, its
bit-mask SQL, the CSV export and import and the backup all call them).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from django.db import models


class PainArea(models.TextChoices):
    LOWER_BACK = "lower_back", "Lower back"
    UPPER_BACK = "upper_back", "Upper / middle back"
    FLANK_LEFT = "flank_left", "Left side under the ribs (kidney area)"
    FLANK_RIGHT = "flank_right", "Right side under the ribs (kidney area)"
    GROIN = "groin", "Groin or lower belly, one side"
    BUTTOCK_LEFT = "buttock_left", "Left buttock"
    BUTTOCK_RIGHT = "buttock_right", "Right buttock"
    LEG = "leg", "Down a leg"


class EasedBy(models.TextChoices):
    MOVEMENT = "movement", "Moving about"
    HOT_SHOWER = "hot_shower", "Hot shower"
    REST = "rest", "Rest / lying still"
    # Rules v2: NICE NG65 asks about a response to NSAIDs, so anti-inflammatories are told apart.
    ANTI_INFLAMMATORY = "anti_inflammatory", "Anti-inflammatory painkiller (e.g. ibuprofen, naproxen, diclofenac)"
    PAINKILLER = "painkiller", "Another painkiller (e.g. paracetamol)"
    NOTHING = "nothing", "Nothing helped"


class Symptom(models.TextChoices):
    PAINFUL_URINATION = "painful_urination", "Pain or burning when urinating"
    BLOOD_IN_URINE = "blood_in_urine", "Blood in urine"
    CHILLS = "chills", "Chills / shivering"
    NAUSEA = "nausea", "Nausea or vomiting"
    PAIN_IN_WAVES = "pain_in_waves", "Pain came in waves and I couldn't keep still"
    SADDLE_NUMBNESS = "saddle_numbness", "Numbness around the genitals, buttocks or inner thighs"
    BLADDER_BOWEL_CHANGE = "bladder_bowel_change", "New trouble controlling bladder or bowel"
    LEG_WEAKNESS = "leg_weakness", "New weakness in a leg"
    WEIGHT_LOSS = "weight_loss", "Unexplained weight loss"


class WokeByPain(models.TextChoices):
    NO = "no", "No"
    EARLY = "early", "Yes, first half of the night"
    LATE = "late", "Yes, second half (towards morning)"


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
        raise ValueError(f"Unknown {field} codes: {sorted(unknown)}")
    return {column: code in wanted for code, column in columns.items()}


# Short labels for the night table, where the web form's full sentences would not fit.
SHORT_LABELS = {
    "lower_back": "lower back",
    "upper_back": "upper back",
    "flank_left": "L flank",
    "flank_right": "R flank",
    "groin": "groin",
    "buttock_left": "L buttock",
    "buttock_right": "R buttock",
    "leg": "leg",
    "movement": "moving",
    "hot_shower": "hot shower",
    "rest": "rest",
    "anti_inflammatory": "anti-inflammatory",
    "painkiller": "other painkiller",
    "nothing": "nothing",
    "painful_urination": "painful urination",
    "blood_in_urine": "blood in urine",
    "chills": "chills",
    "nausea": "nausea",
    "pain_in_waves": "pain in waves",
    "saddle_numbness": "saddle numbness",
    "bladder_bowel_change": "bladder/bowel change",
    "leg_weakness": "leg weakness",
    "weight_loss": "weight loss",
    # woke_by_pain
    "no": "no",
    "early": "early",
    "late": "late",
}

# The log form's buttons: shorter than the model's labels, so they fit side by side on a phone.
WOKE_BUTTON_LABELS = [
    (WokeByPain.NO, "No"),
    (WokeByPain.EARLY, "Early in the night"),
    (WokeByPain.LATE, "Towards morning"),
]
PAIN_AREA_BUTTON_LABELS = [
    (
        code,
        {PainArea.FLANK_LEFT: "Left side (kidney area)", PainArea.FLANK_RIGHT: "Right side (kidney area)"}.get(
            code, label
        ),
    )
    for code, label in PainArea.choices
]


class MedicineClass(models.TextChoices):
    NSAID = "nsaid", "Anti-inflammatory (NSAID, e.g. ibuprofen, naproxen)"
    PARACETAMOL = "paracetamol", "Paracetamol"
    OPIOID = "opioid", "Opioid (e.g. codeine, tramadol, morphine)"
    MUSCLE_RELAXANT = "muscle_relaxant", "Muscle relaxant (e.g. diazepam)"
    NERVE_PAIN = "nerve_pain", "Nerve-pain medicine (e.g. gabapentin, amitriptyline)"
    OTHER = "other", "Other"


class DoseUnit(models.TextChoices):
    MG = "mg", "mg"
    G = "g", "g"
    MCG = "mcg", "micrograms (mcg)"
    ML = "ml", "ml"
    TABLET = "tablet", "tablets"
