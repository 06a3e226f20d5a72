"""`python manage.py diary_report USERNAME [--start] [--end] --format json|text`."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.factories import make_bed, make_night

pytestmark = pytest.mark.django_db

FIRST = date(2026, 11, 1)


def run(*args) -> str:
    out = StringIO()
    call_command("diary_report", *args, stdout=out)
    return out.getvalue()


def run_json(*args) -> dict:
    return json.loads(run(*args, "--format", "json"))


def two_weeks(user):
    """14 nights on the old bed, the last with blood in the urine, and a bed change on day 10."""
    old, new = make_bed(user, "Old mattress"), make_bed(user, "New mattress")
    for offset in range(14):
        make_night(
            user,
            bed=new if offset >= 10 else old,
            date=FIRST + timedelta(days=offset),
            night_pain=4 if offset < 7 else 6,
            morning_pain_minutes=20 if offset % 2 else 0,
            woke_by_pain="late" if offset % 4 == 0 else "no",
            symptoms=["blood_in_urine"] if offset == 13 else [],
            temperature_c=Decimal("38.0") if offset == 12 else None,
        )


def test_json_report_has_the_issue_shape_and_the_diary_numbers(alice):
    two_weeks(alice)
    report = run_json("alice")
    assert (report["start"], report["end"]) == ("2026-11-01", "2026-11-14")
    summary = report["summary"]
    assert summary["nights_logged"] == summary["nights_in_period"] == 14
    assert summary["mean_night_pain"] == 5.0
    assert summary["max_night_pain"] == 6
    assert summary["nights_woken"] == 4
    assert summary["share_mornings_over_15"] == 0.5
    assert summary["nights_with_fever"] == 1
    assert summary["nights_with_urinary_signs"] == 1
    assert summary["beds_used"] == ["Old mattress", "New mattress"]
    assert summary["bed_changes"] == [{"date": "2026-11-11", "from_bed": "Old mattress", "to_bed": "New mattress"}]
    urinary = next(f for f in report["findings"] if f["code"] == "URINARY_SYMPTOMS")
    assert urinary == {
        "code": "URINARY_SYMPTOMS",
        "level": "see_doctor",
        "title": urinary["title"],
        "message": urinary["message"],
        "clinician_message": urinary["clinician_message"],
        "detail": urinary["detail"],
        "evidence": ["2026-11-14"],
        "article": "kidney-pain-or-back-pain",
        "tell_doctor": urinary["tell_doctor"],
    }
    assert urinary["title"] and urinary["message"] and urinary["detail"]
    assert urinary["clinician_message"] == (
        "The patient logged visible blood in the urine on 1 night (14 Nov 2026) in the last week, with back pain."
    )


def test_findings_come_urgent_first_then_see_doctor_then_info(alice):
    two_weeks(alice)
    make_night(alice, date=FIRST + timedelta(days=14), night_pain=3, symptoms=["leg_weakness"])
    levels = [f["level"] for f in run_json("alice")["findings"]]
    assert levels[0] == "urgent"
    assert levels == sorted(levels, key=["urgent", "see_doctor", "info"].index)


def test_start_and_end_choose_the_period(alice):
    two_weeks(alice)
    report = run_json("alice", "--start", "2026-11-03", "--end", "2026-11-05")
    assert (report["start"], report["end"]) == ("2026-11-03", "2026-11-05")
    assert report["summary"]["nights_logged"] == 3
    assert "NOT_ENOUGH_DATA" in [f["code"] for f in report["findings"]]


def test_the_user_may_be_given_by_e_mail(alice):
    two_weeks(alice)
    assert run_json("ALICE@example.com")["summary"]["nights_logged"] == 14


def test_an_empty_diary_gives_a_valid_report_with_not_enough_data(alice):
    report = run_json("alice")
    assert report["start"] == report["end"]
    assert report["summary"]["nights_logged"] == 0
    assert [f["code"] for f in report["findings"]] == ["NOT_ENOUGH_DATA"]
    assert "NOT_ENOUGH_DATA" in run("alice", "--format", "text")


def test_text_format_shows_the_summary_and_each_finding(alice):
    two_weeks(alice)
    text = run("alice", "--format", "text")
    assert "2026-11-01 to 2026-11-14" in text
    assert "Nights logged: 14 of 14" in text
    assert "Bed change 2026-11-11: Old mattress -> New mattress" in text
    assert "[SEE A DOCTOR]" in text
    assert "URINARY_SYMPTOMS" in text
    assert "Evidence: 2026-11-14" in text
    assert "Read more: kidney-pain-or-back-pain" in text


def test_only_the_named_users_nights_are_reported(alice, bob):
    two_weeks(alice)
    make_night(bob, date=FIRST, night_pain=9)
    assert run_json("bob")["summary"]["nights_logged"] == 1


def test_an_unknown_user_is_a_clear_error(alice):
    with pytest.raises(CommandError, match="No user with the username or e-mail 'carol'"):
        run("carol")


@pytest.mark.parametrize("bad", ["2026-13-01", "yesterday", "01/11/2026"])
def test_a_bad_date_is_a_clear_error(alice, bad):
    with pytest.raises(CommandError, match="is not a date; use YYYY-MM-DD"):
        run("alice", "--start", bad)


def test_a_start_after_the_end_is_an_error(alice):
    with pytest.raises(CommandError, match="is after --end"):
        run("alice", "--start", "2026-11-10", "--end", "2026-11-01")


def test_an_unknown_format_is_refused(alice):
    with pytest.raises(CommandError):
        run("alice", "--format", "xml")
