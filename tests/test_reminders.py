"""The daily reminder: once per local day, after the chosen time, not once today is logged."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from diary.models import Profile
from diary.reminders import find_due_reminders, send_due_reminders, send_reminder
from tests.factories import make_night

pytestmark = pytest.mark.django_db


def at(*args) -> time_machine.travel:
    """Travel to a UTC instant (the clock stands still there)."""
    return time_machine.travel(datetime(*args, tzinfo=UTC), tick=False)


def set_reminder(user, zone: str, when: time, enabled: bool = True, last_sent_on: date | None = None) -> None:
    Profile.objects.filter(user=user).update(
        time_zone=zone, reminder_enabled=enabled, reminder_time=when, reminder_last_sent_on=last_sent_on
    )


def last_sent(user) -> date | None:
    return Profile.objects.get(user=user).reminder_last_sent_on


def run_command() -> str:
    out = StringIO()
    call_command("send_reminders", stdout=out)
    return out.getvalue()


def test_nothing_is_sent_before_the_chosen_local_time(alice, mailoutbox):
    set_reminder(alice, "America/New_York", time(7, 30))
    with at(2026, 11, 2, 12, 29):  # 07:29 in New York (EST, UTC-5)
        assert send_due_reminders() == 0
    assert mailoutbox == []
    assert last_sent(alice) is None


def test_one_kind_email_is_sent_once_the_time_has_come(alice, mailoutbox, settings):
    settings.SITE_URL = "https://diary.example.org/"
    set_reminder(alice, "America/New_York", time(7, 30))
    with at(2026, 11, 2, 12, 30):  # 07:30 in New York
        assert "Sent 1 reminder." in run_command()
    (mail,) = mailoutbox
    assert mail.to == ["alice@example.com"]
    assert mail.subject == "Time to log last night"
    assert "https://diary.example.org/log/" in mail.body
    assert "https://diary.example.org/account/" in mail.body
    assert last_sent(alice) == date(2026, 11, 2)


def test_a_second_run_the_same_day_sends_nothing(alice, mailoutbox):
    set_reminder(alice, "Europe/London", time(7, 0))
    with at(2026, 11, 2, 7, 5):
        assert send_due_reminders() == 1
    with at(2026, 11, 2, 7, 10):
        assert send_due_reminders() == 0
    with at(2026, 11, 2, 22, 0):
        assert "Sent 0 reminders." in run_command()
    assert len(mailoutbox) == 1


def test_no_reminder_once_last_night_is_logged(alice, mailoutbox):
    set_reminder(alice, "Europe/London", time(7, 0))
    make_night(alice, date=date(2026, 11, 2))
    with at(2026, 11, 2, 9, 0):
        assert send_due_reminders() == 0
    assert mailoutbox == []
    assert last_sent(alice) is None


def test_the_next_day_it_comes_again(alice, mailoutbox):
    set_reminder(alice, "Europe/London", time(7, 0))
    with at(2026, 11, 2, 7, 0):
        send_due_reminders()
    with at(2026, 11, 3, 6, 59):
        assert send_due_reminders() == 0
    with at(2026, 11, 3, 7, 0):
        assert send_due_reminders() == 1
    assert len(mailoutbox) == 2
    assert last_sent(alice) == date(2026, 11, 3)


def test_a_disabled_reminder_or_one_without_a_time_sends_nothing(alice, bob, mailoutbox):
    set_reminder(alice, "Europe/London", time(7, 0), enabled=False)
    Profile.objects.filter(user=bob).update(reminder_enabled=True, reminder_time=None)
    with at(2026, 11, 2, 12, 0):
        assert send_due_reminders() == 0
    assert mailoutbox == []


def test_the_day_is_the_users_local_day_not_utc(alice, bob, mailoutbox):
    # 19:00 UTC on 1 November is 08:00 on 2 November in Auckland (NZDT, UTC+13)
    # and 11:00 on 1 November in Los Angeles (PST, UTC-8).
    set_reminder(alice, "Pacific/Auckland", time(7, 0))
    set_reminder(bob, "America/Los_Angeles", time(12, 0))
    make_night(bob, date=date(2026, 11, 2))  # logged "tomorrow" by Los Angeles time: does not count
    with at(2026, 11, 1, 19, 0):
        assert send_due_reminders() == 1
    assert [m.to for m in mailoutbox] == [["alice@example.com"]]
    assert last_sent(alice) == date(2026, 11, 2)
    with at(2026, 11, 1, 20, 0):  # 12:00 in Los Angeles, 1 November not logged
        assert send_due_reminders() == 1
    assert last_sent(bob) == date(2026, 11, 1)
    assert len(mailoutbox) == 2


def test_logging_today_in_the_users_zone_stops_the_reminder(alice, mailoutbox):
    set_reminder(alice, "Asia/Tokyo", time(6, 0))
    make_night(alice, date=date(2026, 11, 3))  # 3 November in Tokyo
    with at(2026, 11, 2, 22, 0):  # 07:00 on 3 November in Tokyo
        assert send_due_reminders() == 0
    assert mailoutbox == []


def test_two_overlapping_runs_send_only_one_email(alice, mailoutbox):
    set_reminder(alice, "Europe/London", time(7, 0), last_sent_on=date(2026, 11, 1))
    with at(2026, 11, 2, 7, 0):
        # Both runs read the profiles before either sends: the worst interleaving.
        first_run, second_run = find_due_reminders(), find_due_reminders()
        assert len(first_run) == len(second_run) == 1
        sent = [send_reminder(r) for r in second_run] + [send_reminder(r) for r in first_run]
    assert sent == [True, False]
    assert len(mailoutbox) == 1
    assert last_sent(alice) == date(2026, 11, 2)


def test_a_failed_send_gives_the_day_back_for_the_next_run(alice, mailoutbox, monkeypatch):
    set_reminder(alice, "Europe/London", time(7, 0))

    def broken_send_mail(*args, **kwargs):
        raise OSError("SMTP server unreachable")

    monkeypatch.setattr("diary.reminders.send_mail", broken_send_mail)
    with at(2026, 11, 2, 7, 0):
        assert send_due_reminders() == 0
    assert last_sent(alice) is None
    monkeypatch.undo()
    with at(2026, 11, 2, 7, 5):
        assert send_due_reminders() == 1
    assert len(mailoutbox) == 1


def test_the_email_carries_no_health_data(alice, mailoutbox):
    set_reminder(alice, "Europe/London", time(7, 0))
    make_night(alice, date=date(2026, 11, 1), night_pain=9, notes="private-note")
    with at(2026, 11, 2, 8, 0):
        send_due_reminders()
    (mail,) = mailoutbox
    assert "private-note" not in mail.body
    assert "/log/" in mail.body
