"""Concurrency and no lost data: racing submissions of one night, all-or-nothing account deletion.

The race tests need real concurrent transactions, so they run against PostgreSQL only (SQLite
serialises writers, so it cannot show the race). CI runs the suite on PostgreSQL as well.
"""

from __future__ import annotations

import re
import threading
from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.db.models.signals import post_delete
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from diary import services
from diary.models import Bed, Night, Profile, ShareLink
from tests.factories import PASSWORD, make_bed, make_night

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs concurrent transactions: run with DATABASE_URL pointing at PostgreSQL (CI does)",
)
DUPLICATE_MESSAGE = "already logged the night ending"


def night_post(day, **extra) -> dict:
    return {
        "date": day.isoformat(),
        "night_pain": "6",
        "woke_by_pain": "late",
        "pain_areas": ["lower_back"],
        "morning_quick": "30",
        "notes": "both tabs sent this",
        **extra,
    }


def post_together(user, url: str, payloads: list[dict]) -> list:
    """POST each payload from its own thread (own client, own database connection), all at once."""
    barrier = threading.Barrier(len(payloads))
    responses: list = [None] * len(payloads)
    errors: list[BaseException] = []

    def send(index: int, data: dict) -> None:
        client = Client(raise_request_exception=False)
        client.force_login(user)
        try:
            barrier.wait(timeout=10)
            responses[index] = client.post(url, data)
        except BaseException as error:  # reported in the main thread
            errors.append(error)
        finally:
            connections.close_all()  # this thread's connection, so teardown can flush the database

    threads = [threading.Thread(target=send, args=(i, data)) for i, data in enumerate(payloads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return responses


@contextmanager
def both_reach(module, name: str):
    """Hold each of two calls of `module.name` until the other has reached it too: both requests
    have passed their form's own checks, so only the database can refuse one."""
    barrier = threading.Barrier(2)
    original = getattr(module, name)

    def after_both_arrived(*args, **kwargs):
        barrier.wait(timeout=10)
        return original(*args, **kwargs)

    with mock.patch.object(module, name, after_both_arrived):
        yield


@pytest.fixture
def both_pass_validation():
    """Hold each request after its form validated until the other has validated too.

    Without this, the first request may commit before the second even checks for a duplicate
    date, and only the form's own check is exercised; with it, both pass that check and the
    database's unique constraint must decide.
    """
    barrier = threading.Barrier(2)
    original_log_night = services.log_night

    def log_after_both_validated(*args, **kwargs):
        barrier.wait(timeout=10)
        return original_log_night(*args, **kwargs)

    with mock.patch.object(services, "log_night", log_after_both_validated):
        yield


def assert_one_saved_and_one_told(responses) -> None:
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200, 302], statuses
    rejected = next(r for r in responses if r.status_code == 200)
    assert DUPLICATE_MESSAGE in rejected.content.decode()


@needs_postgresql
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submissions_of_a_night_save_it_once(alice):
    bed = make_bed(alice, "Old mattress")
    day = timezone.localdate() - timedelta(days=1)
    responses = post_together(alice, reverse("diary:night-create"), [night_post(day, bed=bed.pk)] * 2)
    assert Night.objects.for_user(alice).filter(date=day).count() == 1
    assert_one_saved_and_one_told(responses)


@needs_postgresql
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_when_both_pass_the_form_check_the_database_keeps_one_and_the_second_is_told(alice, both_pass_validation):
    bed = make_bed(alice, "Old mattress")
    day = timezone.localdate() - timedelta(days=1)
    responses = post_together(alice, reverse("diary:night-create"), [night_post(day, bed=bed.pk)] * 2)
    assert Night.objects.for_user(alice).filter(date=day).count() == 1
    assert_one_saved_and_one_told(responses)


@needs_postgresql
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_first_nights_with_a_new_bed_leave_one_night_and_one_bed(alice, both_pass_validation):
    # A first-time user double-taps "Save": both requests create the bed and the night.
    day = timezone.localdate() - timedelta(days=1)
    data = night_post(day, new_bed_name="My bed", new_bed_kind="mattress", new_bed_firmness="unknown")
    responses = post_together(alice, reverse("diary:night-create"), [data] * 2)
    assert Night.objects.for_user(alice).count() == 1
    assert Bed.objects.for_user(alice).count() == 1
    assert Night.objects.for_user(alice).get().bed.name == "My bed"
    assert_one_saved_and_one_told(responses)


@needs_postgresql
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_different_nights_sent_at_once_are_all_saved(alice):
    # The control: the constraint refuses duplicates, not concurrent work.
    bed = make_bed(alice, "Old mattress")
    today = timezone.localdate()
    payloads = [night_post(today - timedelta(days=n), bed=bed.pk) for n in range(1, 5)]
    responses = post_together(alice, reverse("diary:night-create"), payloads)
    assert [r.status_code for r in responses] == [302] * 4
    assert Night.objects.for_user(alice).count() == 4


# --- Account deletion: everything, in one transaction ---


def everything_of(user) -> dict[str, int]:
    return {
        "users": get_user_model().objects.filter(pk=user.pk).count(),
        "profiles": Profile.objects.filter(user_id=user.pk).count(),
        "beds": Bed.objects.filter(user_id=user.pk).count(),
        "nights": Night.objects.filter(user_id=user.pk).count(),
        "share_links": ShareLink.objects.filter(user_id=user.pk).count(),
        "email_addresses": EmailAddress.objects.filter(user_id=user.pk).count(),
    }


@pytest.fixture
def full_account(alice):
    for name in ("Old mattress", "Sofa"):
        bed = make_bed(alice, name)
        for offset in range(3):
            make_night(
                alice, bed=bed, date=timezone.localdate() - timedelta(days=offset + (10 if name == "Sofa" else 0))
            )
    today = timezone.localdate()
    ShareLink.create_for(alice, start=today - timedelta(days=13), end=today, expiry_days=7)
    return alice


@pytest.mark.django_db(transaction=True)
def test_account_deletion_removes_everything_and_nothing_of_anyone_else(full_account, bob):
    make_night(bob, date=timezone.localdate())
    bobs = everything_of(bob)
    client = Client()
    client.force_login(full_account)
    response = client.post(reverse("account-delete"), {"password": PASSWORD})
    assert response.status_code == 302
    assert set(everything_of(full_account).values()) == {0}
    assert everything_of(bob) == bobs


@contextmanager
def failing(fails_at: str):
    """Make account deletion fail after the nights are already deleted."""
    if fails_at == "deleting the user":
        with mock.patch.object(get_user_model(), "delete", side_effect=RuntimeError("database went away")):
            yield
        return

    # Half-way through the cascade from the user: right after the beds' rows are deleted.
    def fail(**kwargs):
        raise RuntimeError("database went away")

    post_delete.connect(fail, sender=Bed, dispatch_uid="fail-half-way")
    try:
        yield
    finally:
        post_delete.disconnect(sender=Bed, dispatch_uid="fail-half-way")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("fails_at", ["deleting the user", "cascading to the beds"])
def test_account_deletion_that_fails_half_way_deletes_nothing(full_account, fails_at):
    before = everything_of(full_account)
    assert before["nights"] == 6 and before["share_links"] == 1
    client = Client(raise_request_exception=False)
    client.force_login(full_account)
    with failing(fails_at):
        response = client.post(reverse("account-delete"), {"password": PASSWORD})
    assert response.status_code == 500
    assert everything_of(full_account) == before
    # And the person can still use the account.
    assert client.get(reverse("diary:night-list")).status_code == 200


# --- Account deletion racing a CSV import (issue 13, item 10): both answer clearly, no 500 ---


def _csv_of_two_nights() -> bytes:
    from tests.test_csv import csv_bytes, row

    return csv_bytes(row(date="2026-11-01"), row(date="2026-11-02"))


def _import_request(user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client, {"file": SimpleUploadedFile("diary.csv", _csv_of_two_nights(), content_type="text/csv")}


def _delete_account(user) -> list:
    """Post the deletion from its own thread and connection; returns [response]."""
    answer: list = []

    def send():
        client = Client(raise_request_exception=False)
        client.force_login(user)
        try:
            answer.append(client.post(reverse("account-delete"), {"password": PASSWORD}))
        finally:
            connections.close_all()

    thread = threading.Thread(target=send)
    thread.start()
    return [thread, answer]


@pytest.mark.django_db(transaction=True)
def test_an_import_that_finds_its_account_deleted_says_so_and_saves_nothing(alice):
    import diary.transfer.csv_import as csv_module

    real_write = csv_module._write

    def delete_first(*args, **kwargs):
        thread, answer = _delete_account(alice)
        thread.join(timeout=30)
        assert answer[0].status_code == 302  # the deletion went through
        return real_write(*args, **kwargs)

    client, payload = _import_request(alice)
    with mock.patch.object(csv_module, "_write", delete_first):
        response = client.post(reverse("diary:import-csv"), payload)
    assert response.status_code == 200
    assert str(csv_module.ACCOUNT_GONE) in response.content.decode().lower()  # the page capitalises it
    assert set(everything_of(alice).values()) == {0}


@pytest.mark.django_db(transaction=True)
def test_a_deletion_that_starts_while_an_import_writes_waits_and_then_deletes_everything(alice):
    import diary.transfer.csv_import as csv_module

    started: list = []
    real_bulk_create = Night.objects.bulk_create

    def hold_while_the_deletion_starts(*args, **kwargs):
        created = real_bulk_create(*args, **kwargs)
        started.extend(_delete_account(alice))
        started[0].join(timeout=1.5)  # it must wait for this import's transaction
        assert started[0].is_alive(), "the deletion did not wait for the import"
        return created

    client, payload = _import_request(alice)
    with mock.patch.object(csv_module.Night.objects, "bulk_create", hold_while_the_deletion_starts):
        response = client.post(reverse("diary:import-csv"), payload)
    assert response.status_code == 302, re.sub(r"\s+", " ", response.content.decode())[-3000:]  # imported
    thread, answer = started
    thread.join(timeout=30)
    assert answer[0].status_code == 302  # then deleted, the new nights too
    assert set(everything_of(alice).values()) == {0}
