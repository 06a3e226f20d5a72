"""Django admin: health data for superusers only.

Split from tests/test_night_pages.py; the pinned date and the `bed` fixture are in
tests/night_pages/conftest.py."""

from __future__ import annotations

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from tests.factories import make_bed, make_night
from tests.night_pages.helpers import TODAY

# --- Django admin: health data for superusers only ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_admin_lists_nights_for_a_superuser_without_their_notes(client, django_user_model, alice, bed):
    make_night(alice, bed, date=TODAY, notes="private note about my night")
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "x-long-password-1")
    client.force_login(admin)
    response = client.get("/admin/diary/night/?q=alice@example")
    assertContains(response, "alice")
    assertNotContains(response, "private note about my night")
    assert client.get("/admin/diary/bed/").status_code == 200
    assert client.get("/admin/diary/profile/").status_code == 200


@pytest.mark.django_db
def test_staff_without_superuser_status_cannot_see_diary_data_in_the_admin(client, django_user_model, alice, bed):
    from django.contrib.auth.models import Permission

    night = make_night(alice, bed, date=TODAY)
    staff = django_user_model.objects.create_user("helper", "helper@example.com", "x-long-password-1", is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="diary"))
    client.force_login(staff)
    assertNotContains(client.get("/admin/"), "/admin/diary/")
    for url in (
        "/admin/diary/night/",
        f"/admin/diary/night/{night.pk}/change/",
        "/admin/diary/profile/",
        "/admin/diary/bed/",
    ):
        assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_the_admin_refuses_a_night_on_another_users_bed(client, django_user_model, alice, bob, bed):
    night = make_night(alice, bed, date=TODAY)
    bobs_bed = make_bed(bob, "Bob's bed")
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "x-long-password-1")
    client.force_login(admin)
    data = {
        "user": alice.pk,
        "date": "2026-11-03",
        "night_pain": "3",
        "woke_by_pain": "no",
        "morning_pain_minutes": "10",
        "bed": bobs_bed.pk,
        "notes": "",
    }
    response = client.post(f"/admin/diary/night/{night.pk}/change/", data)
    assertContains(response, "This bed belongs to another user.")
    night.refresh_from_db()
    assert night.bed == bed
