"""The weekly PEG check-in: when it is offered, its score, the page and the log form, bad input."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from diary.models import Night, PegCheckIn, Profile
from diary.peg import PegRecord, check_in_due, next_check_in, peg_score, summarize_peg
from tests.factories import make_night

TODAY = date(2026, 11, 20)  # a Friday
PEG = {"peg-pain": "6", "peg-enjoyment": "4", "peg-activity": "5"}


def test_the_score_is_the_mean_of_the_three_items():
    assert peg_score(6, 4, 5) == 5.0
    assert peg_score(7, 7, 6) == 6.7
    assert PegRecord(TODAY, 0, 0, 1).score == 0.3


def test_a_first_check_in_is_due_at_once_and_then_seven_days_after_the_last():
    assert check_in_due(None, None, TODAY)
    assert next_check_in(TODAY - timedelta(days=3), None, TODAY) == TODAY + timedelta(days=4)
    assert not check_in_due(TODAY - timedelta(days=6), None, TODAY)
    assert check_in_due(TODAY - timedelta(days=7), None, TODAY)
    assert check_in_due(TODAY - timedelta(days=30), None, TODAY)  # stays offered until answered


def test_a_chosen_weekday_sets_the_day_but_never_twice_in_a_few_days():
    monday = 0
    # Last check-in on Friday 13 November: the next Monday at least 4 days later is 23 November.
    assert next_check_in(date(2026, 11, 13), monday, TODAY) == date(2026, 11, 23)
    # Last on Sunday 22 November (a day early): not the next day, but Monday 30 November.
    assert next_check_in(date(2026, 11, 22), monday, TODAY) == date(2026, 11, 30)
    friday = 4
    assert check_in_due(date(2026, 11, 13), friday, TODAY)


def test_the_summary_gives_first_latest_and_change():
    summary = summarize_peg([PegRecord(date(2026, 11, 8), 5, 5, 5), PegRecord(date(2026, 11, 1), 6, 6, 6)])
    assert (summary.first.score, summary.latest.score, summary.change, summary.change_percent) == (6.0, 5.0, -1.0, -17)
    assert summarize_peg([]) is None


@pytest.mark.django_db
@time_machine.travel(TODAY)
def test_the_check_in_page_saves_three_answers(alice_client, alice):
    response = alice_client.post(reverse("diary:peg-check-in"), {**PEG, "day-peg_weekday": "4"}, follow=True)
    assert "score 5.0 out of 10" in response.content.decode()
    check_in = PegCheckIn.objects.get()
    assert (check_in.user, check_in.date, check_in.pain, check_in.enjoyment, check_in.activity) == (
        alice,
        TODAY,
        6,
        4,
        5,
    )
    assert Profile.objects.get(user=alice).peg_weekday == 4


@pytest.mark.django_db
@time_machine.travel(TODAY)
@pytest.mark.parametrize("bad", [{"peg-pain": "11"}, {"peg-pain": "-1"}, {"peg-activity": ""}, {"peg-enjoyment": "x"}])
def test_a_peg_item_outside_0_to_10_is_refused(alice_client, bad):
    response = alice_client.post(reverse("diary:peg-check-in"), {**PEG, **bad})
    assert response.status_code == 200
    assert "Choose a number from 0 to 10." in response.content.decode()
    assert not PegCheckIn.objects.exists()


@pytest.mark.django_db
@time_machine.travel(TODAY)
def test_the_diary_offers_the_check_in_when_due_and_not_after_it(alice_client, alice):
    make_night(alice, date=TODAY)
    assert "Your weekly check-in is due" in alice_client.get(reverse("diary:night-list")).content.decode()
    PegCheckIn.objects.create(user=alice, date=TODAY - timedelta(days=2), pain=5, enjoyment=5, activity=5)
    assert "Your weekly check-in is due" not in alice_client.get(reverse("diary:night-list")).content.decode()


@pytest.mark.django_db
@time_machine.travel(TODAY)
def test_the_log_form_offers_the_check_in_when_due_and_saves_it_with_the_night(alice_client, alice):
    assert "Weekly check-in" in alice_client.get(reverse("diary:night-create")).content.decode()
    data = {"date": TODAY.isoformat(), "night_pain": "5", "woke_by_pain": "no", "morning_quick": "15"}
    data["new_bed_name"] = "My bed"
    assert alice_client.post(reverse("diary:night-create"), {**data, **PEG}).status_code == 302
    assert PegCheckIn.objects.get().score == 5
    assert "Weekly check-in" not in alice_client.get(reverse("diary:night-create")).content.decode()


@pytest.mark.django_db
@time_machine.travel(TODAY)
def test_the_log_form_check_in_is_optional_but_all_three_or_none(alice_client, alice):
    data = {"date": TODAY.isoformat(), "night_pain": "5", "woke_by_pain": "no", "morning_quick": "15"}
    data["new_bed_name"] = "My bed"
    response = alice_client.post(reverse("diary:night-create"), {**data, "peg-pain": "4"})
    assert "Answer all three weekly questions, or none of them." in response.content.decode()
    assert not Night.objects.exists()
    response = alice_client.post(reverse("diary:night-create"), {**data, "peg-pain": "11", **{"peg-x": "1"}})
    assert not Night.objects.exists()
    assert alice_client.post(reverse("diary:night-create"), data).status_code == 302
    assert Night.objects.count() == 1 and not PegCheckIn.objects.exists()
