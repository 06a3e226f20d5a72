"""Bed trials end to end: the command contract, the pages, the log form's pre-selected bed."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse

from diary.models import BedTrial, Night
from diary.trials.schedule import Design
from diary.trials.services import TrialError, start_trial, trial_result
from tests.factories import make_bed, make_night

pytestmark = pytest.mark.django_db

START = date(2026, 3, 2)


def bed_trial(*args) -> str:
    out = io.StringIO()
    call_command("bed_trial", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def beds(alice):
    return make_bed(alice, "Old mattress"), make_bed(alice, "New mattress")


def follow_schedule(user, trial, *, pain_a=6, pain_b=4, last: date | None = None):
    """Log every trial night on its scheduled bed, up to ``last``."""
    for offset, arm in enumerate(trial.arms):
        day = trial.start + timedelta(days=offset)
        if last and day > last:
            break
        wobble = (offset // (2 * trial.block_nights)) % 3  # a drift from pair to pair, which pairing cancels
        make_night(
            user,
            bed=trial.bed_a if arm == "A" else trial.bed_b,
            date=day,
            night_pain=(pain_a if arm == "A" else pain_b) + wobble,
            morning_pain_minutes=20 if arm == "A" else 5,
        )


# --- The command contract ---


def test_start_prints_the_schedule_as_json_drawn_from_the_seed(alice, beds):
    args = ("alice", "start", "--bed-a", "old mattress", "--bed-b", "New mattress", "--start", "2026-03-02")
    printed = json.loads(bed_trial(*args, "--seed", "7"))
    assert list(printed) == ["schedule"]
    schedule = printed["schedule"]
    assert len(schedule) == Design().nights == 32
    assert schedule[0]["date"] == "2026-03-02" and schedule[-1]["date"] == "2026-04-02"
    assert {night["bed"] for night in schedule} == {"Old mattress", "New mattress"}
    trial = BedTrial.objects.get()
    assert trial.seed == 7 and trial.status == BedTrial.Status.ACTIVE
    assert "".join("A" if n["bed"] == "Old mattress" else "B" for n in schedule) == trial.arms
    # The same seed draws the same schedule for another trial.
    trial.status = BedTrial.Status.ABANDONED
    trial.save()
    assert json.loads(bed_trial(*args, "--seed", "7")) == printed


def test_start_takes_the_design_options(alice, beds):
    args = ("alice", "start", "--bed-a", "Old mattress", "--bed-b", "New mattress", "--start", "2026-03-02")
    schedule = json.loads(bed_trial(*args, "--block-nights", "7", "--pairs", "6", "--seed", "1"))["schedule"]
    assert len(schedule) == 84
    assert all(len({n["bed"] for n in schedule[i : i + 7]}) == 1 for i in range(0, 84, 7))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--bed-a", "Old mattress", "--bed-b", "Hammock"), "no bed called 'Hammock'"),
        (("--bed-a", "Old mattress", "--bed-b", "old mattress"), "two different beds"),
        (("--bed-a", "Old mattress", "--bed-b", "New mattress", "--pairs", "3"), "6 to 12 pairs"),
    ],
)
def test_start_refuses_what_cannot_be_a_trial(alice, beds, options, message):
    with pytest.raises(CommandError, match=message):
        bed_trial("alice", "start", *options, "--start", "2026-03-02")


def test_only_one_trial_runs_at_a_time(alice, beds):
    start_trial(user=alice, bed_a=beds[0], bed_b=beds[1], start=START, design=Design())
    with pytest.raises(TrialError, match="already have a bed trial running"):
        start_trial(user=alice, bed_a=beds[1], bed_b=beds[0], start=START, design=Design())


def test_report_prints_exactly_the_contract(alice, beds):
    trial = start_trial(user=alice, bed_a=beds[0], bed_b=beds[1], start=START, design=Design(), seed=3)
    follow_schedule(alice, trial)
    with time_machine.travel(date(2026, 4, 10)):
        printed = json.loads(bed_trial("alice", "report", "--format", "json"))
    assert printed == {
        "verdict": "better",
        "night_pain": {"difference": -2.0, "low": -2.0, "high": -2.0},
        "morning_minutes": {"difference": -15.0, "low": -15.0, "high": -15.0},
        "nights": {"a": 16, "b": 16, "deviations": 0},
        "adherence": 1.0,
    }
    assert BedTrial.objects.get().status == BedTrial.Status.COMPLETED


def test_report_while_running_is_too_early_with_numbers_so_far(alice, beds):
    trial = start_trial(user=alice, bed_a=beds[0], bed_b=beds[1], start=START, design=Design(), seed=3)
    follow_schedule(alice, trial, last=START + timedelta(days=8))
    with time_machine.travel(START + timedelta(days=8)):
        printed = json.loads(bed_trial("alice", "report"))
    assert printed["verdict"] == "too_early"
    assert printed["night_pain"]["difference"] == -2.0 and printed["night_pain"]["low"] is None
    assert printed["nights"]["a"] + printed["nights"]["b"] == 9


def test_report_without_a_trial_says_so(alice):
    with pytest.raises(CommandError, match="no bed trial"):
        bed_trial("alice", "report")


def test_nights_on_another_bed_are_deviations(alice, beds):
    trial = start_trial(user=alice, bed_a=beds[0], bed_b=beds[1], start=START, design=Design(), seed=3)
    follow_schedule(alice, trial)
    sofa = make_bed(alice, "Friend's sofa")
    Night.objects.filter(user=alice, date=START).update(bed=sofa)
    with time_machine.travel(date(2026, 4, 10)):
        result = trial_result(trial, today=date(2026, 4, 10))
    assert result.deviations == 1 and result.adherence == pytest.approx(31 / 32)


# --- Pages ---


@time_machine.travel(START)
def test_the_beds_page_offers_a_trial_and_the_start_page_proposes_the_design(alice_client, beds):
    page = alice_client.get(reverse("diary:bed-list")).content.decode()
    assert reverse("diary:trial-create") in page
    form = alice_client.get(reverse("diary:trial-create")).content.decode()
    assert "2 nights in a row on one bed" in form and "8 pairs" in form and "32 nights" in form
    assert 'value="2026-03-03"' in form  # tonight's night ends tomorrow morning


@time_machine.travel(START)
def test_starting_stopping_and_the_trial_page(alice_client, alice, beds):
    response = alice_client.post(
        reverse("diary:trial-create"),
        {"bed_a": beds[0].pk, "bed_b": beds[1].pk, "start": "2026-03-02", "block_nights": "2", "pairs": "8"},
    )
    trial = BedTrial.objects.get()
    assert response["Location"] == reverse("diary:trial-detail", kwargs={"pk": trial.pk})
    page = alice_client.get(response["Location"]).content.decode()
    assert "So far" in page and "Too early to judge" in page and "1 of 32 trial nights passed" in page
    assert f"The night ending today is bed {trial.arms[0]}" in page
    alice_client.post(reverse("diary:trial-stop", kwargs={"pk": trial.pk}))
    trial.refresh_from_db()
    assert trial.status == BedTrial.Status.STOPPED and trial.ended_on == START
    page = alice_client.get(reverse("diary:trial-detail", kwargs={"pk": trial.pk})).content.decode()
    assert "Stopped early after 0 of 8 pairs" in page and "Too few complete pairs" in page
    # Stopping twice, or abandoning a stopped trial, is refused with a message.
    alice_client.post(reverse("diary:trial-abandon", kwargs={"pk": trial.pk}))
    trial.refresh_from_db()
    assert trial.status == BedTrial.Status.STOPPED


@time_machine.travel(START)
def test_the_start_form_refuses_one_bed_twice_and_a_past_start(alice_client, beds):
    response = alice_client.post(
        reverse("diary:trial-create"),
        {"bed_a": beds[0].pk, "bed_b": beds[0].pk, "start": "2026-02-01", "block_nights": "2", "pairs": "8"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and not BedTrial.objects.exists()
    assert "Choose a different bed from bed A" in page and "starts today or later" in page


def test_another_users_bed_cannot_be_put_in_a_trial(alice_client, bob, beds):
    bobs = make_bed(bob, "Bob's bed")
    response = alice_client.post(
        reverse("diary:trial-create"),
        {"bed_a": beds[0].pk, "bed_b": bobs.pk, "start": "2030-01-01", "block_nights": "2", "pairs": "8"},
    )
    assert response.status_code == 200 and not BedTrial.objects.exists()


def test_abandoning_keeps_the_trial_marked(alice_client, alice, beds):
    with time_machine.travel(START):
        trial = start_trial(user=alice, bed_a=beds[0], bed_b=beds[1], start=START, design=Design(), seed=3)
        follow_schedule(alice, trial, last=START + timedelta(days=5))
    with time_machine.travel(START + timedelta(days=5)):
        alice_client.post(reverse("diary:trial-abandon", kwargs={"pk": trial.pk}))
        page = alice_client.get(reverse("diary:trial-detail", kwargs={"pk": trial.pk})).content.decode()
    trial.refresh_from_db()
    assert trial.status == BedTrial.Status.ABANDONED
    assert "Abandoned" in page and "gives no verdict" in page


def test_the_final_verdict_shows_on_the_trial_page(alice_client, alice, beds):
    trial = start_trial(user=alice, bed_a=beds[0], bed_b=beds[1], start=START, design=Design(), seed=3)
    follow_schedule(alice, trial)
    with time_machine.travel(date(2026, 4, 10)):
        page = alice_client.get(reverse("diary:trial-detail", kwargs={"pk": trial.pk})).content.decode()
    assert "Result: Bed B better." in page and "Night pain was lower on New mattress (B)" in page


# --- The log form ---


def test_the_log_form_names_and_preselects_tonights_trial_bed(alice_client, alice, beds):
    trial = start_trial(user=alice, bed_a=beds[0], bed_b=beds[1], start=START, design=Design(), seed=3)
    # The nearest night before is on bed A; the trial's bed for night 9 must still win.
    make_night(alice, bed=beds[0], date=START + timedelta(days=7))
    night_9 = START + timedelta(days=8)
    expected = trial.bed_on(night_9)
    with time_machine.travel(night_9):
        form = alice_client.get(reverse("diary:night-create"))
    page = form.content.decode()
    assert f"Tonight: bed {trial.arm_on(night_9)} (trial night 9 of 32)" in page
    assert form.context["form"].initial["bed"] == expected.pk
    assert f'<option value="{expected.pk}" selected>' in page


def test_a_past_trial_night_from_the_calendar_gets_its_scheduled_bed(alice_client, alice, beds):
    trial = start_trial(user=alice, bed_a=beds[0], bed_b=beds[1], start=START, design=Design(), seed=3)
    day = START + timedelta(days=3)
    with time_machine.travel(START + timedelta(days=10)):
        form = alice_client.get(reverse("diary:night-create") + f"?date={day.isoformat()}")
    assert form.context["form"].initial["bed"] == trial.bed_on(day).pk
    assert "This night: bed" in form.content.decode() and "(trial night 4 of 32)" in form.content.decode()


def test_outside_a_trial_the_log_form_keeps_its_own_default_bed(alice_client, alice, beds):
    make_night(alice, bed=beds[1], date=START - timedelta(days=1))
    with time_machine.travel(START):
        form = alice_client.get(reverse("diary:night-create"))
    assert "trial night" not in form.content.decode()
    assert form.context["form"].initial["bed"] == beds[1].pk


# --- Report, share page, PDF and FHIR ---


@pytest.fixture
def finished_trial(alice, beds):
    trial = start_trial(user=alice, bed_a=beds[0], bed_b=beds[1], start=START, design=Design(), seed=3)
    follow_schedule(alice, trial)
    return trial


@time_machine.travel(date(2026, 4, 10))
def test_the_report_page_shows_per_bed_figures_and_the_trial_verdict(alice_client, finished_trial):
    page = alice_client.get(reverse("diary:report") + "?period=all").content.decode()
    assert "Night pain by bed" in page and "A before/after comparison" in page
    assert "Planned bed trial: Old mattress (A) vs New mattress (B), completed" in page
    assert "Result: Bed B better." in page


@time_machine.travel(date(2026, 4, 10))
def test_the_share_page_and_the_pdf_show_the_trial(client, alice, finished_trial):
    from pypdf import PdfReader

    from diary.models import ShareLink

    _link, token = ShareLink.create_for(alice, start=START, end=date(2026, 4, 2), expiry_days=7)
    page = client.get(reverse("diary:shared-report", kwargs={"token": token})).content.decode()
    assert "Result: Bed B better." in page and "Night pain by bed" in page
    pdf = client.get(reverse("diary:shared-report-pdf", kwargs={"token": token}))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Planned bed trial" in text and "Bed B better" in text and "Night pain by bed" in text
    assert "before/after" in text


@time_machine.travel(date(2026, 4, 10))
def test_the_fhir_bundle_carries_the_trial_as_a_valid_observation(alice_client, finished_trial):
    from fhir.resources.R4B.bundle import Bundle

    response = alice_client.get(reverse("diary:report-fhir") + "?period=all")
    bundle = json.loads(response.content)
    Bundle.model_validate(bundle)
    [trial] = [
        e["resource"]
        for e in bundle["entry"]
        if e["resource"].get("code", {}).get("coding", [{}])[0].get("code") == "bed-trial"
    ]
    assert trial["status"] == "final"
    assert trial["valueCodeableConcept"]["coding"][0]["code"] == "bed-trial.better"
    components = {c["code"]["coding"][0]["code"]: c for c in trial["component"]}
    assert components["bed-trial-night-pain-difference"]["valueQuantity"]["value"] == -2.0
    assert components["bed-trial-night-pain-interval"]["valueRange"]["high"]["value"] == -2.0
    assert components["bed-trial-nights-a"]["valueInteger"] == 16
    assert components["bed-trial-adherence"]["valueQuantity"] == {
        "value": 100.0,
        "unit": "%",
        "system": "http://unitsofmeasure.org",
        "code": "%",
    }
    assert trial["effectivePeriod"] == {"start": "2026-03-02", "end": "2026-04-02"}


def test_a_report_period_without_a_trial_shows_none(alice_client, alice, beds):
    make_night(alice, bed=beds[0], date=date(2026, 1, 5))
    with time_machine.travel(date(2026, 1, 6)):
        page = alice_client.get(reverse("diary:report") + "?period=all").content.decode()
    assert "Planned bed trial" not in page and "Night pain by bed" in page


@time_machine.travel(date(2026, 4, 10))
def test_the_report_page_with_a_trial_stays_within_the_query_budget(
    alice_client, finished_trial, django_assert_max_num_queries
):
    from tests.test_query_counts import MAX_QUERIES

    alice_client.get(reverse("diary:bed-list"))  # the session is written on the first request
    with django_assert_max_num_queries(MAX_QUERIES):
        page = alice_client.get(reverse("diary:report") + "?period=all")
    assert "Result: Bed B better." in page.content.decode()


def test_a_trial_that_completes_today_refreshes_the_cached_report(alice_client, alice, beds):
    trial = start_trial(user=alice, bed_a=beds[0], bed_b=beds[1], start=START, design=Design(), seed=3)
    follow_schedule(alice, trial)
    with time_machine.travel(trial.end - timedelta(days=1)):
        assert (
            "So far: Too early to judge." in alice_client.get(reverse("diary:report") + "?period=all").content.decode()
        )
    with time_machine.travel(trial.end):
        assert "Result: Bed B better." in alice_client.get(reverse("diary:report") + "?period=all").content.decode()


def test_a_bed_can_be_marked_occasional_and_its_nights_become_away_nights(alice_client, alice, beds):
    response = alice_client.post(
        reverse("diary:bed-create"), {"name": "Friend's sofa", "kind": "sofa", "firmness": "soft", "occasional": "on"}
    )
    assert response.status_code == 302
    sofa = alice.beds.get(name="Friend's sofa")
    assert sofa.occasional
    assert "occasional (away nights)" in alice_client.get(reverse("diary:bed-list")).content.decode()
    make_night(alice, bed=beds[0], date=START)
    make_night(alice, bed=sofa, date=START + timedelta(days=1))
    make_night(alice, bed=sofa, date=START + timedelta(days=2))
    records = Night.objects.for_user(alice).records()
    assert [night.bed_occasional for night in records] == [False, True, True]


def test_same_as_last_night_keeps_the_trial_bed(alice_client, alice, beds):
    trial = start_trial(user=alice, bed_a=beds[0], bed_b=beds[1], start=START, design=Design(), seed=3)
    day = START + timedelta(days=2)
    scheduled = trial.bed_on(day)
    other = beds[0] if scheduled == beds[1] else beds[1]
    make_night(alice, bed=other, date=day - timedelta(days=1), pain_areas=["lower_back"])
    with time_machine.travel(day):
        page = alice_client.get(reverse("diary:night-create") + "?same=last")  # the no-JavaScript path
    assert page.context["form"].initial["bed"] == scheduled.pk
    assert page.context["form"].initial["pain_areas"] == ["lower_back"]
    assert json.loads(page.context["same_as_last"]["answers"])["bed"] == scheduled.pk  # the JavaScript path


def test_report_as_text_names_the_beds_and_the_verdict(alice, beds):
    trial = start_trial(user=alice, bed_a=beds[0], bed_b=beds[1], start=START, design=Design(), seed=3)
    follow_schedule(alice, trial)
    with time_machine.travel(date(2026, 4, 10)):
        text = bed_trial("alice", "report", "--format", "text")
    assert "Old mattress (A) vs New mattress (B)" in text and "verdict: better" in text
    assert "Night pain B − A: -2.0 (95 % interval -2.0 to -2.0)" in text


@time_machine.travel(date(2026, 4, 10))
def test_a_trials_own_switches_are_neither_bed_changes_nor_away_nights_in_the_report(alice, beds):
    from diary.reporting import load_report

    # Two weeks on the old bed first, so that a switch could be judged as a change.
    for offset in range(1, 15):
        make_night(alice, bed=beds[0], date=START - timedelta(days=offset), night_pain=6)
    trial = start_trial(user=alice, bed_a=beds[0], bed_b=beds[1], start=START, design=Design(), seed=3)
    follow_schedule(alice, trial)
    records = Night.objects.for_user(alice).records()
    assert [n.in_trial for n in records] == [False] * 14 + [True] * 32
    report = load_report(alice, START - timedelta(days=14), trial.end)
    assert not [f for f in report.findings if f.code.startswith("BED_CHANGE")]
    figures = {bed.bed_name: bed for bed in report.beds}
    assert (figures["New mattress"].nights, figures["New mattress"].away_nights) == (16, 0)
    assert (figures["Old mattress"].nights, figures["Old mattress"].away_nights) == (30, 0)


def test_nights_after_a_stopped_trial_are_ordinary_again(alice, beds):
    trial = start_trial(user=alice, bed_a=beds[0], bed_b=beds[1], start=START, design=Design(), seed=3)
    follow_schedule(alice, trial, last=START + timedelta(days=5))
    with time_machine.travel(START + timedelta(days=5)):
        from diary.trials.services import stop_trial

        stop_trial(trial, today=START + timedelta(days=5))
    make_night(alice, bed=beds[1], date=START + timedelta(days=6))
    assert [n.in_trial for n in Night.objects.for_user(alice).records()] == [True] * 6 + [False]
