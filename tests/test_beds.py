"""Beds: list, add, edit, delete (only when no night uses it), and isolation between users."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.messages import get_messages
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from diary.models import Bed
from tests.factories import make_bed, make_night


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.django_db
def test_the_bed_list_says_what_beds_are_for_when_empty(alice_client):
    response = alice_client.get("/beds/")
    assertContains(response, "No beds yet")
    assertContains(response, 'href="/beds/new/"')


@pytest.mark.django_db
def test_the_bed_list_shows_each_bed_with_its_nights(alice, alice_client):
    sofa = make_bed(alice, "Sofa", kind="sofa", firmness="soft")
    make_night(alice, sofa, date=date(2026, 11, 1))
    make_night(alice, sofa, date=date(2026, 11, 2))
    make_bed(alice, "Futon", kind="futon")
    response = alice_client.get("/beds/")
    assertContains(response, "Sofa · Soft · 2 nights, last on 2 Nov 2026")
    assertContains(response, "0 nights")
    assertNotContains(response, f'href="/beds/{sofa.pk}/delete/"')  # in use: no delete button


@pytest.mark.django_db
def test_adding_a_bed(alice, alice_client):
    response = alice_client.post("/beds/new/", {"name": " Guest  bed ", "kind": "mattress", "firmness": "firm"})
    assertRedirects(response, "/beds/")
    bed = Bed.objects.get()
    assert (bed.user, bed.name, bed.firmness) == (alice, "Guest bed", "firm")
    assert messages_of(response) == ["Added the bed “Guest bed”."]


@pytest.mark.django_db
def test_a_bed_needs_a_name(alice_client):
    response = alice_client.post("/beds/new/", {"name": "   ", "kind": "mattress", "firmness": "firm"})
    assertContains(response, "Give the bed a name")
    assert Bed.objects.count() == 0


@pytest.mark.django_db
def test_a_second_bed_with_the_same_name_gets_a_clear_error(alice, alice_client):
    make_bed(alice, "Sofa")
    response = alice_client.post("/beds/new/", {"name": "SOFA", "kind": "sofa", "firmness": "soft"})
    assert response.status_code == 200
    assertContains(response, "You already have a bed called “SOFA”. Choose another name.")
    assert Bed.objects.count() == 1


@pytest.mark.django_db
def test_two_users_may_each_have_a_bed_of_the_same_name(alice, bob, alice_client):
    make_bed(bob, "Sofa")
    assertRedirects(alice_client.post("/beds/new/", {"name": "Sofa", "kind": "sofa", "firmness": "soft"}), "/beds/")


@pytest.mark.django_db
def test_editing_a_bed_renames_it_everywhere(alice, alice_client):
    bed = make_bed(alice, "Old mattress")
    make_night(alice, bed, date=date(2026, 11, 1))
    assertContains(alice_client.get(f"/beds/{bed.pk}/edit/"), 'value="Old mattress"')
    response = alice_client.post(
        f"/beds/{bed.pk}/edit/", {"name": "Spare mattress", "kind": "mattress", "firmness": "medium"}
    )
    assertRedirects(response, "/beds/")
    assertContains(alice_client.get("/diary/"), "Bed: Spare mattress")


@pytest.mark.django_db
def test_a_bed_cannot_be_renamed_onto_another_of_the_users_beds(alice, alice_client):
    make_bed(alice, "Sofa")
    bed = make_bed(alice, "Futon")
    response = alice_client.post(f"/beds/{bed.pk}/edit/", {"name": "sofa", "kind": "futon", "firmness": "soft"})
    assertContains(response, "You already have a bed called “sofa”.")
    bed.refresh_from_db()
    assert bed.name == "Futon"


@pytest.mark.django_db
def test_deleting_an_unused_bed_asks_first_then_deletes_on_post(alice, alice_client):
    bed = make_bed(alice, "Futon")
    page = alice_client.get(f"/beds/{bed.pk}/delete/")
    assertContains(page, "Delete “Futon”?")
    assert Bed.objects.count() == 1
    response = alice_client.post(f"/beds/{bed.pk}/delete/")
    assertRedirects(response, "/beds/")
    assert Bed.objects.count() == 0
    assert messages_of(response) == ["Deleted the bed “Futon”."]


@pytest.mark.django_db
def test_a_bed_with_nights_cannot_be_deleted_and_says_why(alice, alice_client):
    bed = make_bed(alice, "Sofa")
    make_night(alice, bed, date=date(2026, 11, 1))
    page = alice_client.get(f"/beds/{bed.pk}/delete/")
    assertContains(page, "“Sofa” cannot be deleted because 1 night in your diary used it.")
    assertNotContains(page, "Delete this bed")
    response = alice_client.post(f"/beds/{bed.pk}/delete/")
    assertRedirects(response, "/beds/")
    assert messages_of(response) == [
        "“Sofa” cannot be deleted because 1 night in your diary used it. "
        "Move those nights to another bed first, or keep the bed (you can rename it)."
    ]
    assert Bed.objects.count() == 1


@pytest.mark.django_db
def test_bed_delete_refuses_other_methods(alice, alice_client):
    bed = make_bed(alice, "Futon")
    assert alice_client.put(f"/beds/{bed.pk}/delete/").status_code == 405
    assert Bed.objects.count() == 1


# --- isolation ---------------------------------------------------------------------------------------------


BED_PAGES = ["/beds/", "/beds/new/", "/beds/{pk}/edit/", "/beds/{pk}/delete/"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", BED_PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, alice, url):
    url = url.format(pk=make_bed(alice).pk)
    assertRedirects(client.get(url), f"/accounts/login/?next={url}", fetch_redirect_response=False)


@pytest.mark.django_db
@pytest.mark.parametrize("url", BED_PAGES)
def test_the_owner_sees_every_bed_page(alice, alice_client, url):
    assert alice_client.get(url.format(pk=make_bed(alice).pk)).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/beds/{pk}/edit/", "/beds/{pk}/delete/"])
def test_another_users_bed_is_not_found(client, alice, bob, url):
    bed = make_bed(alice, "Alices bed")
    client.force_login(bob)
    assert client.get(url.format(pk=bed.pk)).status_code == 404
    assert client.post(url.format(pk=bed.pk), {"name": "Taken", "kind": "sofa", "firmness": "soft"}).status_code == 404
    bed.refresh_from_db()
    assert bed.name == "Alices bed"


@pytest.mark.django_db
def test_the_bed_list_shows_only_the_users_own_beds(client, alice, bob):
    make_bed(alice, "Alices bed")
    make_bed(bob, "Bobs bed")
    client.force_login(bob)
    response = client.get("/beds/")
    assertContains(response, "Bobs bed")
    assertNotContains(response, "Alices bed")


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 40])
def test_the_bed_list_issues_a_constant_number_of_queries(alice, alice_client, django_assert_max_num_queries, count):
    for i in range(count):
        bed = make_bed(alice, f"Bed {i}")
        make_night(alice, bed, date=date(2026, 1, 1 + i % 28).replace(month=1 + i // 28))
    alice_client.get("/beds/")
    # session, user, beds with their counts, the bed trials and the nights for the per-bed figures
    # (one query each, whatever their number)
    with django_assert_max_num_queries(5):
        alice_client.get("/beds/")


# --- Bed names are unique whatever their case, in the database too (issue 13, item 11) ---------


@pytest.mark.django_db
def test_the_database_refuses_a_second_bed_whose_name_differs_only_in_case(alice, bob):
    from django.db import IntegrityError, transaction

    make_bed(alice, "Sofa")
    with pytest.raises(IntegrityError), transaction.atomic():
        Bed.objects.create(user=alice, name="sOFA")
    make_bed(bob, "sofa")  # per user: Bob's sofa is his own


@pytest.fixture
def both_pass_the_name_check():
    """Hold each bed post after its form validated until the other has validated too."""
    from diary import services
    from tests.test_concurrency import both_reach

    with both_reach(services, "save_bed"):
        yield


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_posts_of_one_name_in_two_cases_leave_one_bed_and_a_clear_error(
    alice, both_pass_the_name_check
):
    from tests.test_concurrency import post_together

    payloads = [{"name": "Guest bed", "kind": "mattress", "firmness": "firm"}, {"name": "GUEST BED", "kind": "sofa"}]
    responses = post_together(alice, "/beds/new/", [{**p, "firmness": "firm"} for p in payloads])
    assert sorted(response.status_code for response in responses) == [200, 302]
    refused = next(response for response in responses if response.status_code == 200)
    assert "You already have a bed with this name" in refused.content.decode()
    assert Bed.objects.for_user(alice).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_migration_renames_beds_that_differ_only_in_case_before_adding_the_constraint(alice, bob):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    before = [("diary", "0008_profile_language")]
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    OldBed = old_apps.get_model("diary", "Bed")
    for user, name in [(alice, "Sofa"), (alice, "sofa"), (alice, "SOFA"), (alice, "sofa (2)"), (bob, "sofa")]:
        OldBed.objects.create(user_id=user.pk, name=name, kind="sofa", firmness="soft")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    names = sorted(Bed.objects.for_user(alice).values_list("name", flat=True), key=str.lower)
    assert sorted(name.lower() for name in names) == ["sofa", "sofa (2)", "sofa (3)", "sofa (4)"]
    assert list(Bed.objects.for_user(bob).values_list("name", flat=True)) == ["sofa"]
