"""Medicines in the report: pure records and the per-medicine summary. No ORM, no request.

The report rules about medicines are in diary.rules (OPIOID_MOST_NIGHTS, PARACETAMOL_OVER_4G);
they read the ``medicines`` of each NightRecord, which are MedicineTaken records.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import time
from decimal import Decimal
from typing import Protocol

PARACETAMOL = "paracetamol"
OPIOID = "opioid"


@dataclass(frozen=True, slots=True)
class MedicineInfo:
    """One medicine of the person's list, as the report shows it."""

    id: int
    name: str
    medicine_class: str  # a diary.choices.MedicineClass value
    class_label: str
    dose_text: str  # the usual dose, e.g. "400 mg"
    current: bool = True
    dose_value: Decimal | None = None  # the usual dose as a number and its unit (DoseUnit), for exports
    dose_unit: str = ""


@dataclass(frozen=True, slots=True)
class MedicineTaken:
    """A medicine taken on one night: `doses` times the usual dose (`dose_mg` when it is a weight)."""

    medicine_id: int
    name: str
    medicine_class: str
    doses: int
    dose_mg: Decimal | None = None
    taken_at: time | None = None

    @property
    def total_mg(self) -> Decimal | None:
        return None if self.dose_mg is None else self.dose_mg * self.doses


@dataclass(frozen=True, slots=True)
class MedicineSummary:
    """One medicine over the report's period. The two means are an observation, not proof of effect:
    people take a painkiller on bad nights, so "with" is often higher than "without"."""

    medicine: MedicineInfo
    nights_taken: int
    doses: int
    mean_pain_with: float | None  # mean night pain on logged nights it was taken
    mean_pain_without: float | None  # ... and on the period's other logged nights


class _Night(Protocol):
    night_pain: int
    medicines: tuple[MedicineTaken, ...]


def summarize_medicines(nights: Sequence[_Night], medicines: Sequence[MedicineInfo]) -> tuple[MedicineSummary, ...]:
    """Per medicine: nights taken, doses and mean night pain with / without it, over `nights` (the
    period's logged nights). Lists the medicines taken in the period, then current ones not taken."""
    by_id = {medicine.id: medicine for medicine in medicines}
    taken: dict[int, list[tuple[_Night, MedicineTaken]]] = {}
    for night in nights:
        for dose in night.medicines:
            taken.setdefault(dose.medicine_id, []).append((night, dose))
    summaries = []
    for medicine_id, uses in taken.items():
        info = by_id.get(medicine_id) or MedicineInfo(medicine_id, uses[0][1].name, uses[0][1].medicine_class, "", "")
        with_pains = [night.night_pain for night, _ in uses]
        dates = {id(night) for night, _ in uses}
        without_pains = [night.night_pain for night in nights if id(night) not in dates]
        summaries.append(
            MedicineSummary(
                medicine=info,
                nights_taken=len(uses),
                doses=sum(dose.doses for _, dose in uses),
                mean_pain_with=_mean(with_pains),
                mean_pain_without=_mean(without_pains),
            )
        )
    summaries.sort(key=lambda summary: (-summary.nights_taken, summary.medicine.name.lower()))
    unused = [
        MedicineSummary(medicine, 0, 0, None, _mean([night.night_pain for night in nights]))
        for medicine in medicines
        if medicine.current and medicine.id not in taken
    ]
    return (*summaries, *sorted(unused, key=lambda summary: summary.medicine.name.lower()))


def paracetamol_mg(medicines: Sequence[MedicineTaken]) -> Decimal:
    """Paracetamol taken on one night, in mg (medicines whose dose is not a weight count as 0)."""
    return sum(
        (dose.total_mg for dose in medicines if dose.medicine_class == PARACETAMOL and dose.total_mg is not None),
        Decimal(0),
    )


def _mean(values: Sequence[int]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None
