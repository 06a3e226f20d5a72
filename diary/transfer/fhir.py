"""FHIR R4 export: a diary period as a `collection` Bundle of patient-reported Observations.

The mapping (codes, value types, what is left out and why) is documented in docs/fhir.md; keep
the two in step. The builder is pure: it takes NightRecords and returns a JSON-able dict, so
the view, the export_fhir command and the tests all get the same bundle.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta

from django.utils import translation

from diary.choices import EasedBy, PainArea, Symptom, WokeByPain
from diary.medication import MedicineInfo, MedicineTaken
from diary.models import PEG_ITEMS
from diary.peg import PegRecord
from diary.rules import BedChange, NightRecord, bed_changes
from diary.trials.analysis import VERDICT_LABELS

# Our own code system for diary items that have no standard code. The URL is ours to define; it
# is stable (never reuse a code for another meaning) and documented in docs/fhir.md.
LOCAL_SYSTEM = "https://backpain-diary.example/fhir/CodeSystem/night-diary"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category"


def _concept(system: str, code: str, display: str) -> dict:
    return {"coding": [{"system": system, "code": code, "display": display}]}


def _category(code: str, display: str) -> list[dict]:
    return [{"coding": [{"system": CATEGORY_SYSTEM, "code": code, "display": display}]}]


SURVEY = _category("survey", "Survey")
VITAL_SIGNS = _category("vital-signs", "Vital Signs")

# Observation codes. Standard LOINC where one exists (clinical-notes.md, "Codes for export").
NIGHT_PAIN = _concept(LOINC, "72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")
BODY_TEMPERATURE = _concept(LOINC, "8310-5", "Body temperature")
# Local codes: code -> display. docs/fhir.md lists every one of them.
LOCAL_CODES: dict[str, str] = {
    "woke-by-pain": "Woken by back pain during the night",
    "morning-pain-minutes": "Duration of back pain or stiffness after getting up",
    "night-urinations": "Number of times up to urinate during the night",
    "pain-area": "Area of back pain during the night",
    "eased-by": "What eased the night's back pain",
    "symptom": "Other symptom noticed that night",
    "bed": "Bed slept in",
    "bed-change": "Slept in a different bed from the previous logged night",
    "stress": "Stress during the previous day, 0-10",
    "day-pain": "Back pain during the previous day, 0-10",
    # A planned bed trial (issue 16, docs/bed-trials.md): one Observation, its numbers as components.
    "bed-trial": "Planned bed trial (N-of-1): verdict on bed B against bed A",
    "bed-trial-night-pain-difference": "Night pain, bed B minus bed A (mean of pair differences)",
    "bed-trial-night-pain-interval": "Night pain, bed B minus bed A: 95 % randomisation interval",
    "bed-trial-morning-minutes-difference": "Morning pain minutes, bed B minus bed A",
    "bed-trial-morning-minutes-interval": "Morning pain minutes, bed B minus bed A: 95 % randomisation interval",
    "bed-trial-nights-a": "Trial nights on bed A used",
    "bed-trial-nights-b": "Trial nights on bed B used",
    "bed-trial-deviations": "Trial nights spent on another bed than scheduled",
    "bed-trial-adherence": "Share of logged trial nights on the scheduled bed",
    # The weekly PEG check-in (issue 17). No LOINC code for the PEG panel or its items could be
    # confirmed from a trustworthy source, so these are ours too (docs/fhir.md, "PEG").
    "peg-score": "PEG score: mean of the three PEG items, 0-10 (Krebs 2009)",
}
# Answer codes for the coded items: "<item>.<the diary's own code>", with the diary's label.
ANSWER_SETS: dict[str, type] = {
    "woke-by-pain": WokeByPain,
    "pain-area": PainArea,
    "eased-by": EasedBy,
    "symptom": Symptom,
}
# A code's display and a question's text are the code system's and the questionnaire's one text
# (English, as docs/fhir.md lists them), whatever language the page that asked for the export is
# in: the labels are lazy translations, read here untranslated.
with translation.override(None):
    LOCAL_ANSWERS: dict[str, str] = {
        **{f"{item}.{code}": str(label) for item, choices in ANSWER_SETS.items() for code, label in choices.choices},
        **{f"bed-trial.{verdict}": str(label) for verdict, label in VERDICT_LABELS.items()},
    }
    PEG_QUESTIONS: dict[str, str] = {link_id: str(question) for link_id, question in PEG_ITEMS}

_LOCAL = {code: _concept(LOCAL_SYSTEM, code, display) for code, display in LOCAL_CODES.items()}

# The PEG questionnaire's canonical URL (ours: see LOCAL_SYSTEM) and its items, in the words of
# Krebs 2009 (diary.models.PEG_ITEMS); the linkIds are the diary's field names.
PEG_QUESTIONNAIRE_URL = "https://backpain-diary.example/fhir/Questionnaire/peg"
MEDICATION_CATEGORY = {
    "coding": [
        {
            "system": "http://terminology.hl7.org/CodeSystem/medication-statement-category",
            "code": "patientspecified",
            "display": "Patient Specified",
        }
    ]
}
# UCUM for the diary's dose units (diary.choices.DoseUnit).
DOSE_UCUM = {"mg": "mg", "g": "g", "mcg": "ug", "ml": "mL", "tablet": "{tbl}"}
_ANSWER = {code: _concept(LOCAL_SYSTEM, code, display) for code, display in LOCAL_ANSWERS.items()}


def _quantity(value, unit: str, code: str) -> dict:
    return {"value": value, "unit": unit, "system": UCUM, "code": code}


def _uuid_prefix(
    nights: Sequence[NightRecord | PegRecord], period_start, period_end, patient_name, generated_at
) -> str:
    """The first 20 hex digits of every UUID in a bundle: a digest of everything in it.

    Equal input gives equal UUIDs (stable tests, idempotent re-imports) and different input gives
    different ones. The UUIDs are version 8 ("custom", RFC 9562): digest bits, then a counter,
    which is far cheaper than a uuid5 per resource for a 40,000-resource bundle.
    """
    digest = hashlib.sha256()
    digest.update(f"{period_start}|{period_end}|{patient_name or ''}|{generated_at.isoformat()}".encode())
    for night in nights:
        digest.update(repr(night).encode())
    h = digest.hexdigest()
    variant = "89ab"[int(h[16], 16) % 4]  # RFC 9562 variant bits 10xx
    return f"{h[:8]}-{h[8:12]}-8{h[13:16]}-{variant}{h[17:20]}-"


class _Entries(list):
    """The bundle's entries; each added resource gets the next content-derived urn:uuid fullUrl."""

    def __init__(self, prefix: str):
        super().__init__()
        self.prefix = prefix

    def add(self, resource: dict) -> str:
        url = f"urn:uuid:{self.prefix}{len(self) + 1:012x}"
        self.append({"fullUrl": url, "resource": resource})
        return url


def build_fhir_bundle(
    nights: list[NightRecord],
    *,
    period_start: date,
    period_end: date,
    patient_name: str | None,
    generated_at: datetime,
    trial: dict | None = None,
    medicines: Sequence[MedicineInfo] = (),
    peg: Sequence[PegRecord] = (),
) -> dict:
    """The nights of [period_start, period_end] as a FHIR R4 Bundle (type "collection").

    Each medicine taken on a night (``NightRecord.medicines``) is a MedicationStatement with its
    dose; ``medicines`` (the person's list) gives each its usual dose and unit. ``peg`` are the
    period's weekly check-ins: the PEG Questionnaire once, then per check-in a
    QuestionnaireResponse and an Observation of its score (docs/fhir.md, "Medicines" and "PEG").

    ``trial`` is a planned bed trial touching the period, as ``TrialSummary.as_dict()``: it
    becomes one more Observation (docs/fhir.md, "Bed trial").

    `nights` may also hold nights before the period: they are context only, so a bed change on
    the first night of the period is recognised; no Observation is made for them. The Patient
    carries a name only when `patient_name` is given. Resource ids and fullUrls are UUIDs
    derived from the content, so the same input always gives the same bundle.
    """
    prefix = _uuid_prefix([*nights, *peg], period_start, period_end, patient_name, generated_at)
    entries = _Entries(prefix)
    patient_id = f"{prefix}{1:012x}"  # the first entry's fullUrl
    patient: dict = {"resourceType": "Patient", "id": patient_id}
    if patient_name:
        patient["name"] = [{"text": patient_name}]
    entries.add(patient)
    patient_ref = {"reference": f"urn:uuid:{patient_id}"}

    in_period = sorted((n for n in nights if period_start <= n.date <= period_end), key=lambda n: n.date)
    # The same bed-change rule as the report, the charts and the PDF.
    changes = {change.date: change for change in bed_changes(nights)}
    for night in in_period:
        for observation in _night_observations(night, changes.get(night.date), patient_ref):
            entries.add(observation)
    by_id = {medicine.id: medicine for medicine in medicines}
    for night in in_period:
        for taken in night.medicines:
            entries.add(_medication_statement(night.date, taken, by_id.get(taken.medicine_id), patient_ref))
    check_ins = sorted((c for c in peg if period_start <= c.date <= period_end), key=lambda c: c.date)
    if check_ins:
        entries.add(peg_questionnaire())
    for check_in in check_ins:
        response_url = entries.add(_peg_response(check_in, patient_ref))
        entries.add(_peg_observation(check_in, response_url, patient_ref))
    if trial is not None:
        entries.add(_trial_observation(trial, patient_ref))
    return {
        "resourceType": "Bundle",
        "id": f"{prefix}{0:012x}",
        "type": "collection",
        "timestamp": generated_at.isoformat(timespec="seconds"),
        "entry": list(entries),
    }


def _observation(
    day: str, code: dict, value: dict, patient_ref: dict, category: list[dict] = SURVEY, note: str = ""
) -> dict:
    """An Observation the person made on `day`. No resource id: the urn:uuid fullUrl identifies it
    (and keeps a ten-year bundle smaller)."""
    observation = {
        "resourceType": "Observation",
        "status": "final",
        "category": category,
        "code": code,
        "subject": patient_ref,
        "effectiveDateTime": day,
        "performer": [patient_ref],
        **value,
    }
    if note:
        observation["note"] = [{"text": note}]
    return observation


def _night_observations(night: NightRecord, change: BedChange | None, patient_ref: dict) -> Iterator[dict]:
    """One night's answers as Observations, in the order of the log form."""
    day = night.date.isoformat()

    def observe(code: dict, value: dict, **kwargs) -> dict:
        return _observation(day, code, value, patient_ref, **kwargs)

    # Notes are the patient's own words about the night: they ride on the night-pain Observation.
    yield observe(NIGHT_PAIN, {"valueInteger": night.night_pain}, note=night.notes.strip())
    yield observe(_LOCAL["woke-by-pain"], {"valueCodeableConcept": _ANSWER[f"woke-by-pain.{night.woke_by_pain}"]})
    yield observe(
        _LOCAL["morning-pain-minutes"], {"valueQuantity": _quantity(night.morning_pain_minutes, "min", "min")}
    )
    if night.temperature_c is not None:
        temperature = {"valueQuantity": _quantity(float(night.temperature_c), "Cel", "Cel")}
        yield observe(BODY_TEMPERATURE, temperature, category=VITAL_SIGNS)
    if night.night_urinations is not None:
        yield observe(_LOCAL["night-urinations"], {"valueInteger": night.night_urinations})
    # Multi-choice answers: one Observation per ticked choice (codings in one CodeableConcept
    # would mean "the same concept in other words", not a list).
    for item, codes in (("pain-area", night.pain_areas), ("eased-by", night.eased_by), ("symptom", night.symptoms)):
        for code in sorted(codes):
            yield observe(_LOCAL[item], {"valueCodeableConcept": _ANSWER[f"{item}.{code}"]})
    if night.bed_name:
        yield observe(_LOCAL["bed"], {"valueString": night.bed_name})
    if change is not None:
        yield observe(_LOCAL["bed-change"], {"valueBoolean": True}, note=f"{change.from_bed} → {change.to_bed}")
    if night.stress is not None:
        yield observe(_LOCAL["stress"], {"valueInteger": night.stress})
    if night.day_pain is not None:
        yield observe(_LOCAL["day-pain"], {"valueInteger": night.day_pain})


def _peg_observation(check_in: PegRecord, response_url: str, patient_ref: dict) -> dict:
    # R4 has no valueDecimal on Observation: a unitless score is a Quantity with {score}.
    value = {
        "valueQuantity": _quantity(check_in.score, "score", "{score}"),
        "derivedFrom": [{"reference": response_url}],
    }
    return _observation(check_in.date.isoformat(), _LOCAL["peg-score"], value, patient_ref)


def _medication_statement(day: date, taken: MedicineTaken, medicine: MedicineInfo | None, patient_ref: dict) -> dict:
    """One medicine taken on one night: the usual dose as doseQuantity, taken `doses` times."""
    name = medicine.name if medicine else taken.name
    dosage: dict = {"text": f"{taken.doses} × {medicine.dose_text}" if medicine else f"{taken.doses} dose(s)"}
    dosage["timing"] = {"repeat": {"count": taken.doses}}
    if medicine is not None and medicine.dose_value is not None:
        dose = {"value": float(medicine.dose_value), "unit": medicine.dose_unit, "system": UCUM}
        dose["code"] = DOSE_UCUM.get(medicine.dose_unit, "1")
        dosage["doseAndRate"] = [{"doseQuantity": dose}]
    notes = [f"Kind of medicine: {medicine.class_label}" if medicine and medicine.class_label else ""]
    if taken.taken_at is not None:
        notes.append(f"Last dose taken at {taken.taken_at:%H:%M}")
    statement = {
        "resourceType": "MedicationStatement",
        "status": "completed",
        "category": MEDICATION_CATEGORY,
        "medicationCodeableConcept": {"text": name},
        "subject": patient_ref,
        # The night's date (the morning it ended), as on every Observation of the night.
        "effectiveDateTime": day.isoformat(),
        "informationSource": patient_ref,
        "dosage": [dosage],
    }
    text = "; ".join(note for note in notes if note)
    if text:
        statement["note"] = [{"text": text}]
    return statement


def peg_questionnaire() -> dict:
    """The PEG as a FHIR Questionnaire: three integer items 0-10 (Krebs 2009, free to use)."""
    return {
        "resourceType": "Questionnaire",
        "url": PEG_QUESTIONNAIRE_URL,
        "name": "PEG",
        "title": "PEG: pain, enjoyment of life, general activity (Krebs 2009)",
        "status": "active",
        "subjectType": ["Patient"],
        "item": [
            {"linkId": link_id, "text": question, "type": "integer", "required": True}
            for link_id, question in PEG_QUESTIONS.items()
        ],
    }


def _peg_response(check_in: PegRecord, patient_ref: dict) -> dict:
    answers = {"pain": check_in.pain, "enjoyment": check_in.enjoyment, "activity": check_in.activity}
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": PEG_QUESTIONNAIRE_URL,
        "status": "completed",
        "subject": patient_ref,
        "authored": check_in.date.isoformat(),
        "author": patient_ref,
        "source": patient_ref,
        "item": [
            {"linkId": link_id, "text": question, "answer": [{"valueInteger": answers[link_id]}]}
            for link_id, question in PEG_QUESTIONS.items()
        ],
    }


def _trial_observation(trial: dict, patient_ref: dict) -> dict:
    """The trial's verdict as a coded value, its numbers as components, its wording as a note."""
    components = []

    def component(code: str, value: dict) -> None:
        components.append({"code": _LOCAL[code], **value})

    for outcome, unit, ucum in (("night_pain", "score", "{score}"), ("morning_minutes", "min", "min")):
        numbers = trial[outcome]
        name = outcome.replace("_", "-")
        if numbers["difference"] is not None:
            component(f"bed-trial-{name}-difference", {"valueQuantity": _quantity(numbers["difference"], unit, ucum)})
        if numbers["low"] is not None:
            interval = {"low": _quantity(numbers["low"], unit, ucum), "high": _quantity(numbers["high"], unit, ucum)}
            component(f"bed-trial-{name}-interval", {"valueRange": interval})
    component("bed-trial-nights-a", {"valueInteger": trial["nights"]["a"]})
    component("bed-trial-nights-b", {"valueInteger": trial["nights"]["b"]})
    component("bed-trial-deviations", {"valueInteger": trial["nights"]["deviations"]})
    if trial["adherence"] is not None:
        component("bed-trial-adherence", {"valueQuantity": _quantity(round(100 * trial["adherence"], 1), "%", "%")})
    note = (
        f"Bed A: {trial['bed_a']}; bed B: {trial['bed_b']}; {trial['block_nights']}-night blocks, "
        f"{trial['pairs']} pairs, status {trial['status']}. {trial['summary']}"
    )
    return {
        "resourceType": "Observation",
        # A running trial's "so far" numbers may still change; a finished one's are final.
        "status": "final" if trial["status"] in ("completed", "stopped", "abandoned") else "preliminary",
        "category": SURVEY,
        "code": _LOCAL["bed-trial"],
        "subject": patient_ref,
        "effectivePeriod": {"start": trial["start"], "end": trial["end"]},
        "performer": [patient_ref],
        "valueCodeableConcept": _ANSWER[f"bed-trial.{trial['verdict']}"],
        "component": components,
        "note": [{"text": note}],
    }


def bundle_for_user(user, start: date, end: date, *, include_name: bool, generated_at: datetime) -> dict:
    """Load `user`'s nights for [start, end] (plus bed-change context) and build their bundle.

    The one loader shared by the report_fhir view and the export_fhir command.
    """
    from diary.dates import today_for
    from diary.models import Night, Profile
    from diary.reporting import CONTEXT_DAYS, medicines_and_peg, with_medicines
    from diary.trials.summary import trial_for_period

    # The nights just before the period are context: they tell whether the first night changed bed.
    nights = Night.objects.for_user(user).in_period(start - timedelta(days=CONTEXT_DAYS), end).records()
    medicines, doses, peg = medicines_and_peg(user, start, end)
    nights = with_medicines(nights, doses)
    name = None
    if include_name:
        name = Profile.objects.filter(user=user).values_list("display_name", flat=True).first() or None
    trial = trial_for_period(user, start, end, today=today_for(user))
    return build_fhir_bundle(
        nights,
        period_start=start,
        period_end=end,
        patient_name=name,
        generated_at=generated_at,
        trial=trial.as_dict() if trial else None,
        medicines=medicines,
        peg=peg,
    )


def bundle_filename(start: date, end: date) -> str:
    return f"night-diary-fhir-{start.isoformat()}-to-{end.isoformat()}.json"
