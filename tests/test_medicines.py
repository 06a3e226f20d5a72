"""Medicines: the list, the log form's one-tap doses, deleting with a clear warning, and bad input."""

from __future__ import annotations

from datetime import date, time

import pytest
import time_machine
from django.urls import reverse

from diary.models import Medicine, MedicineDose, Night, PegCheckIn
from tests.factories import make_night

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 20)


def make_medicine(user, name: str = "Ibuprofen", **overrides) -> Medicine:
    values = {"medicine_class": "nsaid", "dose": 400, "unit": "mg"}
    values.update(overrides)
    return Medicine.objects.create(user=user, name=name, **values)


def night_post(**extra) -> dict:
    data = {
        "date": TODAY.isoformat(),
        "night_pain": "5",
        "woke_by_pain": "no",
        "morning_quick": "15",
        "bed": "",
        "new_bed_name": "My bed",
    }
    data.update(extra)
    return data


@time_machine.travel(TODAY)
def test_the_log_form_offers_current_medicines_as_dose_buttons(alice_client, alice):
    make_medicine(alice)
    make_medicine(alice, "Codeine", medicine_class="opioid", dose=30, current=False)
    page = alice_client.get(reverse("diary:night-create")).content.decode()
    assert "Ibuprofen 400 mg" in page
    assert "×2" in page
    assert "Codeine" not in page  # stopped medicines are not offered


@time_machine.travel(TODAY)
def test_one_tap_records_ibuprofen_400_mg_twice(alice_client, alice):
    ibuprofen = make_medicine(alice)
    response = alice_client.post(reverse("diary:night-create"), night_post(**{f"med-m{ibuprofen.pk}": "2"}))
    assert response.status_code == 302
    dose = MedicineDose.objects.get()
    assert (dose.medicine, dose.doses, dose.taken_at, dose.night.date) == (ibuprofen, 2, None, TODAY)


@time_machine.travel(TODAY)
def test_doses_are_editable_later_and_none_removes_them(alice_client, alice):
    ibuprofen = make_medicine(alice)
    paracetamol = make_medicine(alice, "Paracetamol", medicine_class="paracetamol", dose=1, unit="g")
    night = make_night(alice, date=TODAY)
    MedicineDose.objects.create(night=night, medicine=ibuprofen, doses=1)
    edit = reverse("diary:night-edit", args=[night.pk])
    post = night_post(bed=str(night.bed_id), new_bed_name="")
    post.update({f"med-m{ibuprofen.pk}": "", f"med-m{paracetamol.pk}": "3", f"med-m{paracetamol.pk}_time": "22:30"})
    assert alice_client.post(edit, post).status_code == 302
    assert [(d.medicine.name, d.doses, d.taken_at) for d in MedicineDose.objects.all()] == [
        ("Paracetamol", 3, time(22, 30))
    ]


@time_machine.travel(TODAY)
def test_a_stopped_medicine_already_on_a_night_stays_editable(alice_client, alice):
    codeine = make_medicine(alice, "Codeine", medicine_class="opioid", dose=30, current=False)
    night = make_night(alice, date=TODAY)
    MedicineDose.objects.create(night=night, medicine=codeine, doses=2)
    page = alice_client.get(reverse("diary:night-edit", args=[night.pk])).content.decode()
    assert "Codeine 30 mg" in page


@time_machine.travel(TODAY)
@pytest.mark.parametrize("doses", ["-1", "0.5", "25", "two"])
def test_bad_dose_counts_are_refused_with_nothing_saved(alice_client, alice, doses):
    ibuprofen = make_medicine(alice)
    response = alice_client.post(reverse("diary:night-create"), night_post(**{f"med-m{ibuprofen.pk}": doses}))
    assert response.status_code == 200
    assert "Choose how many doses of Ibuprofen" in response.content.decode()
    assert not Night.objects.exists() and not MedicineDose.objects.exists()


@time_machine.travel(TODAY)
def test_an_unknown_or_other_users_medicine_id_is_refused(alice_client, alice, bob):
    bobs = make_medicine(bob, "Bob's tramadol", medicine_class="opioid", dose=50)
    for medicine_id in (bobs.pk, 999_999):
        response = alice_client.post(reverse("diary:night-create"), night_post(**{f"med-m{medicine_id}": "1"}))
        assert response.status_code == 200
        assert "not in your medicines list" in response.content.decode()
    assert not Night.objects.exists() and not MedicineDose.objects.exists()


def test_a_negative_usual_dose_is_refused(alice_client):
    response = alice_client.post(
        reverse("diary:medicine-create"), {"name": "Ibuprofen", "medicine_class": "nsaid", "dose": "-400", "unit": "mg"}
    )
    assert response.status_code == 200
    assert "Enter a dose above 0" in response.content.decode()
    assert not Medicine.objects.exists()


def test_medicines_are_added_listed_and_edited(alice_client, alice):
    data = {"name": " Naproxen ", "medicine_class": "nsaid", "dose": "250", "unit": "mg", "current": "on"}
    assert alice_client.post(reverse("diary:medicine-create"), data).status_code == 302
    naproxen = Medicine.objects.get()
    assert (naproxen.user, naproxen.name, naproxen.dose_text) == (alice, "Naproxen", "250 mg")
    assert "Naproxen 250 mg" in alice_client.get(reverse("diary:medicine-list")).content.decode()
    data.update(dose="500")
    assert alice_client.post(reverse("diary:medicine-edit", args=[naproxen.pk]), data).status_code == 302
    naproxen.refresh_from_db()
    assert naproxen.dose_text == "500 mg"


def test_a_duplicate_name_is_refused_whatever_its_case(alice_client, alice):
    make_medicine(alice)
    data = {"name": "ibuprofen", "medicine_class": "nsaid", "dose": "200", "unit": "mg"}
    response = alice_client.post(reverse("diary:medicine-create"), data)
    assert "already have a medicine called" in response.content.decode()


@pytest.mark.django_db
def test_the_database_refuses_a_second_medicine_whose_name_differs_only_in_case(alice, bob):
    from django.db import IntegrityError, transaction

    make_medicine(alice, "Ibuprofen")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_medicine(alice, "IBUPROFEN")
    make_medicine(bob, "ibuprofen")  # per user: Bob's medicine is his own


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_posts_of_one_medicine_name_leave_one_medicine_and_a_clear_error(alice):
    from diary import services
    from tests.test_concurrency import both_reach, post_together

    payloads = [
        {"name": "Ibuprofen", "medicine_class": "nsaid", "dose": "400", "unit": "mg"},
        {"name": "IBUPROFEN", "medicine_class": "nsaid", "dose": "200", "unit": "mg"},
    ]
    with both_reach(services, "save_medicine"):
        responses = post_together(alice, reverse("diary:medicine-create"), payloads)
    assert sorted(response.status_code for response in responses) == [200, 302]
    refused = next(response for response in responses if response.status_code == 200)
    assert "You already have a medicine with this name" in refused.content.decode()
    assert Medicine.objects.for_user(alice).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_migration_renames_medicines_that_differ_only_in_case_before_adding_the_constraint(alice, bob):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    before = [("diary", "0014_share_link_language")]
    executor.migrate(before)
    OldMedicine = executor.loader.project_state(before).apps.get_model("diary", "Medicine")
    for user, name in [(alice, "Ibuprofen"), (alice, "ibuprofen"), (alice, "Ibuprofen (2)"), (bob, "ibuprofen")]:
        OldMedicine.objects.create(user_id=user.pk, name=name, dose=400, unit="mg")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    names = sorted(Medicine.objects.for_user(alice).values_list("name", flat=True))
    assert names == ["Ibuprofen", "Ibuprofen (2)", "ibuprofen (3)"]
    assert list(Medicine.objects.for_user(bob).values_list("name", flat=True)) == ["ibuprofen"]


def test_deleting_a_medicine_in_use_says_what_happens_to_its_nights(alice_client, alice):
    ibuprofen = make_medicine(alice)
    for day in (1, 2, 3):
        MedicineDose.objects.create(night=make_night(alice, date=date(2026, 11, day)), medicine=ibuprofen)
    page = alice_client.get(reverse("diary:medicine-delete", args=[ibuprofen.pk])).content.decode()
    assert "3 nights in your diary record taking Ibuprofen" in page
    assert "the nights themselves stay" in page
    assert "mark it as stopped" in page
    response = alice_client.post(reverse("diary:medicine-delete", args=[ibuprofen.pk]), follow=True)
    assert "Deleted Ibuprofen and its record on 3 nights. The nights themselves are kept." in response.content.decode()
    assert Night.objects.count() == 3 and not Medicine.objects.exists() and not MedicineDose.objects.exists()


def test_another_users_medicine_is_a_404(alice_client, bob):
    bobs = make_medicine(bob)
    for name in ("diary:medicine-edit", "diary:medicine-delete"):
        assert alice_client.get(reverse(name, args=[bobs.pk])).status_code == 404
        assert alice_client.post(reverse(name, args=[bobs.pk])).status_code == 404
    assert Medicine.objects.filter(pk=bobs.pk).exists()


def test_medicine_pages_need_a_log_in(client):
    response = client.get(reverse("diary:medicine-list"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_deleting_the_account_removes_medicines_doses_and_check_ins(alice_client, alice, bob):
    from tests.factories import PASSWORD

    ibuprofen = make_medicine(alice)
    MedicineDose.objects.create(night=make_night(alice), medicine=ibuprofen, doses=2)
    PegCheckIn.objects.create(user=alice, date=date(2026, 11, 1), pain=5, enjoyment=5, activity=5)
    make_medicine(bob)
    assert alice_client.post(reverse("account-delete"), {"password": PASSWORD}).status_code == 302
    assert not Medicine.objects.filter(user_id=alice.pk).exists()
    assert not MedicineDose.objects.exists()
    assert not PegCheckIn.objects.exists()
    assert Medicine.objects.filter(user=bob).count() == 1
