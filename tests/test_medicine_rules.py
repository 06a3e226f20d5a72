"""The medicine and PEG rules and summaries of the report (issue 17): pure, no database."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from diary.medication import MedicineInfo, MedicineTaken, summarize_medicines
from diary.peg import PegRecord
from diary.rules import NightRecord, build_report

END = date(2026, 11, 30)
IBUPROFEN = MedicineInfo(1, "Ibuprofen", "nsaid", "NSAID", "400 mg")
CODEINE = MedicineInfo(2, "Codeine", "opioid", "Opioid", "30 mg")
PARACETAMOL = MedicineInfo(3, "Paracetamol", "paracetamol", "Paracetamol", "1 g")
GABAPENTIN = MedicineInfo(4, "Gabapentin", "nerve_pain", "Nerve pain", "300 mg", current=True)
STOPPED = MedicineInfo(5, "Diazepam", "muscle_relaxant", "Muscle relaxant", "2 mg", current=False)


def took(info: MedicineInfo, doses: int = 1, dose_mg: str | None = None) -> MedicineTaken:
    return MedicineTaken(info.id, info.name, info.medicine_class, doses, Decimal(dose_mg) if dose_mg else None)


def night(offset: int, pain: int = 4, *medicines: MedicineTaken) -> NightRecord:
    return NightRecord(date=END - timedelta(days=offset), night_pain=pain, medicines=tuple(medicines))


def codes(report) -> list[str]:
    return [finding.code for finding in report.findings]


def report_of(nights, peg=(), medicines=(IBUPROFEN, CODEINE, PARACETAMOL, GABAPENTIN, STOPPED), start=None):
    return build_report(nights, None, start or END - timedelta(days=27), END, peg=peg, medicines=medicines)


def test_per_medicine_nights_doses_and_mean_pain_with_and_without():
    nights = [night(0, 6, took(IBUPROFEN, 2)), night(1, 4, took(IBUPROFEN, 1)), night(2, 2), night(3, 1)]
    summaries = summarize_medicines(nights, [IBUPROFEN, GABAPENTIN, STOPPED])
    ibuprofen, gabapentin = summaries
    assert (ibuprofen.medicine, ibuprofen.nights_taken, ibuprofen.doses) == (IBUPROFEN, 2, 3)
    assert (ibuprofen.mean_pain_with, ibuprofen.mean_pain_without) == (5.0, 1.5)
    # A current medicine not taken in the period is listed with no nights; a stopped one is not.
    assert (gabapentin.medicine, gabapentin.nights_taken, gabapentin.mean_pain_with) == (GABAPENTIN, 0, None)


def test_the_report_lists_medicines_and_only_current_ones_in_the_clinician_summary():
    report = report_of([night(0, 5, took(STOPPED))])
    assert [s.medicine.name for s in report.medicines] == [
        "Diazepam",
        "Codeine",
        "Gabapentin",
        "Ibuprofen",
        "Paracetamol",
    ]
    assert STOPPED not in report.current_medicines and IBUPROFEN in report.current_medicines


def test_an_opioid_on_more_than_half_of_the_nights_is_an_info_finding():
    nights = [night(i, 5, took(CODEINE)) for i in range(8)] + [night(i, 5) for i in range(8, 15)]
    report = report_of(nights)
    finding = next(f for f in report.findings if f.code == "OPIOID_MOST_NIGHTS")
    assert finding.level == "info" and len(finding.evidence) == 8
    assert "Codeine" in finding.message and "8 nights of the 15 logged nights" in finding.message


def test_an_opioid_on_exactly_half_the_nights_or_too_few_nights_is_not_flagged():
    half = [night(i, 5, took(CODEINE)) for i in range(7)] + [night(i, 5) for i in range(7, 14)]
    assert "OPIOID_MOST_NIGHTS" not in codes(report_of(half))
    few = [night(i, 5, took(CODEINE)) for i in range(6)]
    assert "OPIOID_MOST_NIGHTS" not in codes(report_of(few))


def test_more_than_4_g_of_paracetamol_on_a_day_is_an_info_finding():
    nights = [night(0, 5, took(PARACETAMOL, 5, "1000")), night(1, 5, took(PARACETAMOL, 4, "1000")), night(2, 3)]
    report = report_of(nights)
    finding = next(f for f in report.findings if f.code == "PARACETAMOL_OVER_4G")
    assert finding.level == "info" and finding.evidence == (END,)
    assert "up to 5 g" in finding.message


def test_exactly_4_g_or_paracetamol_in_tablets_is_not_flagged():
    assert "PARACETAMOL_OVER_4G" not in codes(report_of([night(0, 5, took(PARACETAMOL, 8, "500"))]))
    assert "PARACETAMOL_OVER_4G" not in codes(report_of([night(0, 5, took(PARACETAMOL, 12, None))]))


def peg(offset: int, pain: int, enjoyment: int, activity: int) -> PegRecord:
    return PegRecord(END - timedelta(days=offset), pain, enjoyment, activity)


def test_the_peg_summary_compares_the_latest_with_the_first_check_in_of_the_period():
    report = report_of([night(0)], peg=[peg(21, 6, 6, 6), peg(14, 5, 5, 5), peg(0, 4, 4, 4)])
    summary = report.peg_summary
    assert (summary.check_ins, summary.first.score, summary.latest.score) == (3, 6.0, 4.0)
    assert (summary.change, summary.change_percent) == (-2.0, -33)
    assert "PEG_IMPROVED" in codes(report)


def test_peg_improved_fires_at_30_percent_and_not_just_below():
    improved = report_of([night(0)], peg=[peg(21, 10, 10, 10), peg(0, 7, 7, 7)])  # exactly -30 %
    assert "PEG_IMPROVED" in codes(improved)
    finding = next(f for f in improved.findings if f.code == "PEG_IMPROVED")
    assert finding.level == "info" and "meaningful improvement" in finding.message
    not_yet = report_of([night(0)], peg=[peg(21, 10, 10, 10), peg(0, 8, 7, 7)])  # 7.3: -27 %
    assert "PEG_IMPROVED" not in codes(not_yet)


def test_a_rise_of_30_percent_in_the_peg_is_a_see_doctor_finding():
    worse = report_of([night(0)], peg=[peg(21, 3, 3, 3), peg(0, 4, 4, 4)])  # 3.0 → 4.0: +33 %
    finding = next(f for f in worse.findings if f.code == "PEG_WORSENED")
    assert finding.level == "see_doctor" and finding.evidence == (END - timedelta(days=21), END)
    slightly = report_of([night(0)], peg=[peg(21, 3, 3, 3), peg(0, 4, 3, 4)])  # 3.7: +23 %
    assert "PEG_WORSENED" not in codes(slightly)


def test_one_check_in_a_first_score_of_0_or_check_ins_outside_the_period_give_no_peg_finding():
    assert not {"PEG_IMPROVED", "PEG_WORSENED"} & set(codes(report_of([night(0)], peg=[peg(0, 9, 9, 9)])))
    assert "PEG_WORSENED" not in codes(report_of([night(0)], peg=[peg(21, 0, 0, 0), peg(0, 9, 9, 9)]))
    outside = report_of([night(0)], peg=[peg(60, 1, 1, 1), peg(0, 9, 9, 9)])
    assert "PEG_WORSENED" not in codes(outside) and [c.score for c in outside.peg] == [9.0]
