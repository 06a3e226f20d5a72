"""The log/edit form: every rule at its boundary, quick picks, the inline new bed, nothing half-saved."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from diary.forms import NightForm
from diary.forms_beds import BedForm
from diary.models import Bed, Night
from diary.services import log_night, save_bed
from tests.factories import make_bed, make_night


def save(form: NightForm | BedForm):
    """What the log and bed views do with a valid form: the service saves; a race comes back as
    the form's error and None (diary.views.nights._log, diary.views.beds._save)."""
    try:
        if isinstance(form, BedForm):
            return save_bed(form.save(commit=False), user=form.user)
        return log_night(user=form.user, night=form.night_to_save(), new_bed=form.new_bed())
    except ValidationError as race:
        form.add_error(None, race)
        return None


TODAY = date(2026, 11, 3)
LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def pinned_today(time_machine):
    """8 am in London on 3 November 2026, with the user's time zone active as the middleware would."""
    time_machine.move_to(datetime(2026, 11, 3, 8, 0, tzinfo=UTC), tick=False)
    with timezone.override(LONDON):
        yield


@pytest.fixture
def bed(alice):
    return make_bed(alice, "Old mattress")


def night_data(bed=None, **overrides):
    data = {
        "date": "2026-11-03",
        "night_pain": "4",
        "woke_by_pain": "no",
        "morning_quick": "15",
        "morning_pain_minutes": "",
        "bed": str(bed.pk) if bed else "",
        "new_bed_name": "",
        "new_bed_kind": "mattress",
        "new_bed_firmness": "unknown",
        "temperature_c": "",
        "night_urinations": "",
        "stress": "",
        "day_pain": "",
        "notes": "",
    }
    data.update(overrides)
    return data


def form_for(user, data, instance=None):
    return NightForm(data, user=user, instance=instance)


# --- night pain -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("pain", "valid"), [("-1", False), ("0", True), ("10", True), ("11", False), ("", False)])
def test_night_pain_is_a_whole_number_from_0_to_10(alice, bed, pain, valid):
    form = form_for(alice, night_data(bed, night_pain=pain))
    assert form.is_valid() is valid
    if not valid:
        assert "0" in form.errors["night_pain"][0] and "10" in form.errors["night_pain"][0]


# --- morning minutes --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("minutes", "valid"), [("0", True), ("1440", True), ("1441", False), ("-1", False)])
def test_exact_morning_minutes_run_from_0_to_1440(alice, bed, minutes, valid):
    form = form_for(alice, night_data(bed, morning_quick="", morning_pain_minutes=minutes))
    assert form.is_valid() is valid
    if valid:
        assert save(form).morning_pain_minutes == int(minutes)
    else:
        assert form.errors["morning_pain_minutes"] == ["Enter whole minutes, from 0 to 1440 (24 hours)."]


@pytest.mark.django_db
@pytest.mark.parametrize(("quick", "saved"), [("0", 0), ("5", 5), ("15", 15), ("30", 30), ("60", 60), ("120", 120)])
def test_a_quick_pick_alone_gives_its_minutes(alice, bed, quick, saved):
    form = form_for(alice, night_data(bed, morning_quick=quick))
    assert form.is_valid(), form.errors
    assert save(form).morning_pain_minutes == saved


@pytest.mark.django_db
def test_the_180_plus_quick_pick_means_180_minutes(alice, bed):
    form = form_for(alice, night_data(bed, morning_quick="180"))
    assert form.is_valid()
    assert save(form).morning_pain_minutes == 180


@pytest.mark.django_db
def test_exact_minutes_win_over_the_quick_pick(alice, bed):
    form = form_for(alice, night_data(bed, morning_quick="180", morning_pain_minutes="240"))
    assert form.is_valid()
    assert save(form).morning_pain_minutes == 240


@pytest.mark.django_db
def test_exact_zero_minutes_win_over_a_quick_pick(alice, bed):
    form = form_for(alice, night_data(bed, morning_quick="30", morning_pain_minutes="0"))
    assert form.is_valid()
    assert save(form).morning_pain_minutes == 0


@pytest.mark.django_db
def test_morning_minutes_must_be_answered_one_way_or_the_other(alice, bed):
    form = form_for(alice, night_data(bed, morning_quick="", morning_pain_minutes=""))
    assert not form.is_valid()
    assert "0 if none" in form.errors["morning_quick"][0]


@pytest.mark.django_db
def test_a_quick_pick_that_is_not_offered_is_refused(alice, bed):
    form = form_for(alice, night_data(bed, morning_quick="7"))
    assert not form.is_valid()
    assert "morning_quick" in form.errors


@pytest.mark.django_db
def test_editing_shows_saved_minutes_on_their_quick_pick_and_leaves_exact_empty(alice, bed):
    night = make_night(alice, bed, morning_pain_minutes=30)
    form = NightForm(instance=night, user=alice)
    assert form["morning_quick"].value() == "30"
    assert form["morning_pain_minutes"].value() is None


@pytest.mark.django_db
def test_editing_shows_odd_minutes_as_exact_minutes_only(alice, bed):
    night = make_night(alice, bed, morning_pain_minutes=45)
    form = NightForm(instance=night, user=alice)
    assert form["morning_quick"].value() is None
    assert form["morning_pain_minutes"].value() == 45


# --- temperature and the optional numbers -------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "saved"),
    [("33.9", None), ("34.0", Decimal("34.0")), ("43.0", Decimal("43.0")), ("43.1", None), ("", "empty")],
)
def test_temperature_runs_from_34_to_43_degrees_or_is_empty(alice, bed, typed, saved):
    form = form_for(alice, night_data(bed, temperature_c=typed))
    if saved is None:
        assert not form.is_valid()
        assert form.errors["temperature_c"] == ["Enter a temperature from 34.0 to 43.0 °C, or leave it empty."]
    else:
        assert form.is_valid(), form.errors
        assert save(form).temperature_c == (None if saved == "empty" else saved)


@pytest.mark.django_db
def test_a_phone_keyboards_comma_decimal_is_accepted(alice, bed):
    form = form_for(alice, night_data(bed, temperature_c="37,8"))
    assert form.is_valid(), form.errors
    assert save(form).temperature_c == Decimal("37.8")


@pytest.mark.django_db
@pytest.mark.parametrize(("typed", "message"), [("37.85", "one decimal"), ("warm", "such as 37.8")])
def test_an_unreadable_temperature_gets_a_clear_message(alice, bed, typed, message):
    form = form_for(alice, night_data(bed, temperature_c=typed))
    assert not form.is_valid()
    assert message in form.errors["temperature_c"][0]


@pytest.mark.django_db
@pytest.mark.parametrize(("count", "valid"), [("0", True), ("20", True), ("21", False), ("-1", False)])
def test_night_urinations_run_from_0_to_20(alice, bed, count, valid):
    form = form_for(alice, night_data(bed, night_urinations=count))
    assert form.is_valid() is valid
    if not valid:
        assert form.errors["night_urinations"] == ["Enter a number from 0 to 20, or leave it empty."]


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["stress", "day_pain"])
@pytest.mark.parametrize(("value", "valid"), [("0", True), ("10", True), ("11", False), ("-1", False)])
def test_stress_and_day_pain_run_from_0_to_10(alice, bed, field, value, valid):
    form = form_for(alice, night_data(bed, **{field: value}))
    assert form.is_valid() is valid
    if valid:
        assert getattr(save(form), field) == int(value)
    else:
        assert form.errors[field] == ["Enter a number from 0 to 10, or leave it empty."]


# --- date -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_date_defaults_to_today_in_the_users_time_zone(alice, time_machine):
    # 23:30 in London on 3 November is already 4 November in Auckland.
    time_machine.move_to(datetime(2026, 11, 3, 23, 30, tzinfo=UTC), tick=False)
    with timezone.override(zoneinfo.ZoneInfo("Pacific/Auckland")):
        assert NightForm(user=alice).initial["date"] == date(2026, 11, 4)
    assert NightForm(user=alice).initial["date"] == date(2026, 11, 3)


@pytest.mark.django_db
def test_today_is_accepted_and_tomorrow_is_refused(alice, bed):
    assert form_for(alice, night_data(bed, date="2026-11-03")).is_valid()
    form = form_for(alice, night_data(bed, date="2026-11-04"))
    assert not form.is_valid()
    assert "in the future" in form.errors["date"][0]


@pytest.mark.django_db
def test_future_is_judged_in_the_users_time_zone(alice, bed, time_machine):
    time_machine.move_to(datetime(2026, 11, 3, 23, 30, tzinfo=UTC), tick=False)
    assert not form_for(alice, night_data(bed, date="2026-11-04")).is_valid()  # London: still the 3rd
    with timezone.override(zoneinfo.ZoneInfo("Pacific/Auckland")):
        assert form_for(alice, night_data(bed, date="2026-11-04")).is_valid()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the date of the morning this night ended."),
        ("3/11/2026x", "Enter a date such as 2026-11-03."),
        ("2026-02-30", "Enter a date such as 2026-11-03."),
        ("1899-12-31", "Enter a date after 1900."),
    ],
)
def test_a_missing_or_impossible_date_gets_a_clear_message(alice, bed, typed, message):
    form = form_for(alice, night_data(bed, date=typed))
    assert not form.is_valid()
    assert form.errors["date"] == [message]


@pytest.mark.django_db
def test_a_duplicate_date_is_refused_with_a_link_to_the_existing_night(alice, bed):
    existing = make_night(alice, bed, date=TODAY)
    form = form_for(alice, night_data(bed))
    assert not form.is_valid()
    message = form.errors["date"][0]
    assert "already logged the night ending Tuesday 3 November 2026" in message
    assert f'<a href="/diary/{existing.pk}/edit/">Edit that night</a>' in message


@pytest.mark.django_db
def test_another_users_night_on_the_same_date_is_no_duplicate(alice, bob, bed):
    make_night(bob, date=TODAY)
    assert form_for(alice, night_data(bed)).is_valid()


@pytest.mark.django_db
def test_editing_a_night_keeps_its_own_date_without_a_duplicate_error(alice, bed):
    night = make_night(alice, bed, date=TODAY)
    form = form_for(alice, night_data(bed, night_pain="7"), instance=night)
    assert form.is_valid(), form.errors
    assert save(form).night_pain == 7
    assert Night.objects.count() == 1


@pytest.mark.django_db
def test_editing_a_night_onto_another_nights_date_is_refused(alice, bed):
    make_night(alice, bed, date=date(2026, 11, 2))
    night = make_night(alice, bed, date=TODAY)
    form = form_for(alice, night_data(bed, date="2026-11-02"), instance=night)
    assert not form.is_valid()
    assert "already logged" in form.errors["date"][0]


@pytest.mark.django_db
def test_a_duplicate_that_slips_past_the_check_is_caught_by_the_database(alice, bed):
    # A double tap: both requests pass the form's check, the second insert hits the constraint.
    form = form_for(alice, night_data(bed, new_bed_name="Sofa"))
    assert form.is_valid()
    existing = make_night(alice, bed, date=TODAY)
    assert save(form) is None
    assert "already logged" in form.errors["date"][0]
    assert f"/diary/{existing.pk}/edit/" in form.errors["date"][0]
    assert Night.objects.count() == 1
    assert not Bed.objects.filter(name="Sofa").exists()  # the new bed was rolled back with the night


# --- multi-choice answers -----------------------------------------------------------------------


@pytest.mark.django_db
def test_ticked_choices_are_stored_in_their_boolean_columns(alice, bed):
    data = night_data(
        bed,
        pain_areas=["lower_back", "flank_left"],
        eased_by=["movement", "hot_shower"],
        symptoms=["chills"],
    )
    form = form_for(alice, data)
    assert form.is_valid(), form.errors
    night = Night.objects.get(pk=save(form).pk)
    assert night.area_lower_back and night.area_flank_left and not night.area_leg
    assert night.eased_by == ("movement", "hot_shower")
    assert night.symptoms == ("chills",)


@pytest.mark.django_db
def test_editing_unticks_choices(alice, bed):
    night = make_night(alice, bed, date=TODAY, pain_areas=["leg"], symptoms=["nausea"])
    form = NightForm(instance=night, user=alice)
    assert form["pain_areas"].value() == ["leg"]
    form = form_for(alice, night_data(bed, pain_areas=["lower_back"]), instance=night)
    assert form.is_valid()
    save(form)
    night.refresh_from_db()
    assert night.pain_areas == ("lower_back",)
    assert night.symptoms == ()


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["pain_areas", "eased_by", "symptoms"])
def test_an_unknown_code_is_refused(alice, bed, field):
    form = form_for(alice, night_data(bed, **{field: ["elbow"]}))
    assert not form.is_valid()
    assert field in form.errors


@pytest.mark.django_db
def test_nothing_helped_cannot_be_ticked_with_something_that_helped(alice, bed):
    form = form_for(alice, night_data(bed, eased_by=["nothing", "rest"]))
    assert not form.is_valid()
    assert "Nothing helped" in form.errors["eased_by"][0]


# --- beds -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_bed_defaults_to_the_bed_of_the_latest_night(alice):
    sofa, mattress = make_bed(alice, "Sofa"), make_bed(alice, "Mattress")
    make_night(alice, sofa, date=date(2026, 10, 30))
    make_night(alice, mattress, date=date(2026, 11, 2))
    make_night(alice, sofa, date=date(2026, 11, 1))
    assert NightForm(user=alice).initial["bed"] == mattress.pk


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 10, 31), "Sofa"),  # a gap: the night before it, not the newest night
        (date(2026, 11, 1), "Sofa"),  # the night before, even with a different bed after it
        (date(2026, 10, 20), "Sofa"),  # nothing before: the nearest night after it
        (date(2026, 11, 4), "Mattress"),  # after every night: the latest night
    ],
)
def test_a_past_night_defaults_to_the_bed_of_the_nearest_night_before_it(alice, day, expected):
    sofa, mattress = make_bed(alice, "Sofa"), make_bed(alice, "Mattress")
    make_night(alice, sofa, date=date(2026, 10, 30))
    make_night(alice, mattress, date=date(2026, 11, 2))
    assert (
        NightForm(user=alice, initial={"date": day}).initial["bed"] == {"Sofa": sofa, "Mattress": mattress}[expected].pk
    )


@pytest.mark.django_db
def test_the_bed_list_holds_only_the_users_own_beds(alice, bob, bed):
    make_bed(bob, "Bob's bed")
    assert list(NightForm(user=alice).fields["bed"].queryset) == [bed]


@pytest.mark.django_db
def test_another_users_bed_cannot_be_chosen(alice, bob, bed):
    bobs_bed = make_bed(bob, "Bob's bed")
    form = form_for(alice, night_data(bobs_bed))
    assert not form.is_valid()
    assert form.errors["bed"] == ["Choose one of your beds from the list."]


@pytest.mark.django_db
def test_a_bed_or_a_new_bed_is_required(alice, bed):
    form = form_for(alice, night_data(None))
    assert not form.is_valid()
    assert form.errors["bed"] == ["Choose the bed you slept on, or add a new bed below."]


@pytest.mark.django_db
def test_a_new_bed_is_created_with_the_night_and_used_for_it(alice, bed):
    form = form_for(alice, night_data(bed, new_bed_name="  Guest   room bed ", new_bed_kind="futon"))
    assert form.is_valid(), form.errors
    night = save(form)
    assert night.bed.name == "Guest room bed"
    assert night.bed.kind == "futon" and night.bed.user == alice


@pytest.mark.django_db
def test_a_new_bed_may_not_repeat_an_existing_name_in_any_case(alice, bed):
    form = form_for(alice, night_data(bed, new_bed_name="old MATTRESS"))
    assert not form.is_valid()
    assert "You already have a bed called “old MATTRESS”" in form.errors["new_bed_name"][0]
    assert "bed" not in form.errors  # one clear message, not two


@pytest.mark.django_db
def test_another_users_bed_name_is_free_to_use(alice, bob, bed):
    make_bed(bob, "Sofa")
    form = form_for(alice, night_data(bed, new_bed_name="Sofa"))
    assert form.is_valid()
    assert save(form).bed.user == alice


@pytest.mark.django_db
def test_a_first_time_user_is_offered_a_new_bed_already_named(alice):
    form = NightForm(user=alice)
    assert form.initial["new_bed_name"] == "My bed"
    form = form_for(alice, night_data(None, new_bed_name="My bed"))
    assert form.is_valid(), form.errors
    assert save(form).bed.name == "My bed"


@pytest.mark.django_db
def test_an_invalid_night_creates_no_new_bed(alice, bed, client):
    client.force_login(alice)
    client.post("/log/", night_data(bed, night_pain="11", new_bed_name="Sofa"))
    assert not Bed.objects.filter(name="Sofa").exists()
    assert Night.objects.count() == 0


# --- BedForm ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_bed_name_is_unique_per_user_with_a_clear_error(alice, bed):
    form = BedForm({"name": "Old Mattress", "kind": "mattress", "firmness": "firm"}, user=alice)
    assert not form.is_valid()
    assert form.errors["name"] == ["You already have a bed called “Old Mattress”. Choose another name."]


@pytest.mark.django_db
def test_a_bed_keeps_its_own_name_on_edit(alice, bed):
    form = BedForm({"name": "Old mattress", "kind": "sofa", "firmness": "soft"}, instance=bed, user=alice)
    assert form.is_valid()
    assert save(form).kind == "sofa"


@pytest.mark.django_db
def test_a_bed_name_race_is_caught_by_the_database(alice):
    form = BedForm({"name": "Sofa", "kind": "sofa", "firmness": "soft"}, user=alice)
    assert form.is_valid()
    make_bed(alice, "Sofa")
    assert save(form) is None
    assert "already have a bed" in form.errors["name"][0]
    assert Bed.objects.count() == 1
