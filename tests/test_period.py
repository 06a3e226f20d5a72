"""The report period: one parser (diary.period.PeriodForm) for pages, downloads, share links and commands."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from diary.period import PeriodForm
from tests.factories import make_night

TODAY = date(2026, 12, 1)
FIRST, LAST = date(2026, 11, 1), date(2026, 11, 20)


@pytest.fixture(autouse=True)
def pinned_today():
    with time_machine.travel(TODAY, tick=False):
        yield


def period(params):
    return PeriodForm(params, first_logged=FIRST, last_logged=LAST, today=TODAY).period


def test_presets_end_at_the_latest_logged_night():
    assert (period({"period": "14"}).start, period({"period": "14"}).end) == (date(2026, 11, 7), LAST)


def test_the_default_is_every_logged_night_and_an_empty_diary_is_today():
    assert (period({}).choice, period({}).start, period({}).end) == ("all", FIRST, LAST)
    empty = PeriodForm({}, today=TODAY).period
    assert (empty.start, empty.end) == (TODAY, TODAY)


def test_a_custom_period_needs_both_dates_but_a_bare_start_is_open_ended():
    assert period({"period": "custom", "start": "2026-11-05"}).error.startswith("Enter both")
    open_ended = period({"start": "2026-11-05"})
    assert (open_ended.choice, open_ended.start, open_ended.end, open_ended.error) == (
        "custom",
        date(2026, 11, 5),
        LAST,
        "",
    )


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2026-11-10", "2026-11-01", "The start date is after the end date."),
        ("2026-11-01", "2026-12-02", "The end date is in the future."),
        ("1899-12-31", "1900-01-02", "Choose a start date from 1900-01-01 on."),
        ("1950-01-01", "2026-11-01", "That period is too long."),
        ("01/11/2026", "2026-11-02", "Enter the start date as YYYY-MM-DD."),
    ],
)
def test_impossible_periods_fall_back_to_every_night_with_a_plain_message(start, end, message):
    result = period({"start": start, "end": end})
    assert (result.choice, result.start, result.end, result.error) == ("all", FIRST, LAST, message)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["diary:report-pdf", "diary:report-fhir", "diary:export-csv"])
def test_every_download_refuses_an_impossible_period_the_same_way(alice_client, alice, name):
    make_night(alice, date=FIRST)
    response = alice_client.get(reverse(name), {"period": "custom", "start": "2026-11-03", "end": "2026-11-01"})
    assert response.status_code == 400
    assert response.content.decode() == "The start date is after the end date."


@pytest.mark.django_db
@pytest.mark.parametrize("command", ["diary_report", "export_fhir", "export_diary"])
def test_commands_read_dates_with_the_same_parser(alice, command):
    make_night(alice, date=FIRST)
    with pytest.raises(CommandError, match="The end date is in the future."):
        call_command(command, "alice", "--end", "2026-12-02")
    with pytest.raises(CommandError, match=r"--start \(2026-11-10\) is after --end \(2026-11-01\)"):
        call_command(command, "alice@example.com", "--start", "2026-11-10", "--end", "2026-11-01")
