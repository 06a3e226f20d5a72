"""Warning signs: a saved night with a red flag gets an immediate seek-care message.

Split from tests/test_night_pages.py; the pinned date and the `bed` fixture are in
tests/night_pages/conftest.py."""

from __future__ import annotations

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from tests.factories import make_night
from tests.night_pages.helpers import TODAY, WHEN_TO_SEE_A_DOCTOR, log_data

# --- warning signs ---------------------------------------------------------------------------------------


# The warning is the report's urgent findings on the saved night: each names the signs logged.
WARNING_CASES = {
    "saddle numbness": (
        {"symptoms": ["saddle_numbness"]},
        "You logged numbness around the genitals, buttocks or inner thighs",
    ),
    "bladder or bowel change": (
        {"symptoms": ["bladder_bowel_change"]},
        "You logged new trouble controlling the bladder or bowel",
    ),
    "leg weakness": ({"symptoms": ["leg_weakness"]}, "You logged new weakness in a leg"),
    "fever with left flank pain": (
        {"temperature_c": "38.0", "pain_areas": ["flank_left"]},
        "You logged a temperature of 38.0 °C and pain in the left side under the ribs",
    ),
    "fever with right flank pain": (
        {"temperature_c": "39.2", "pain_areas": ["flank_right"]},
        "You logged a temperature of 39.2 °C and pain in the right side under the ribs",
    ),
    "fever with painful urination": (
        {"temperature_c": "38,5", "symptoms": ["painful_urination"]},
        "You logged a temperature of 38.5 °C and pain when urinating",
    ),
    "flank pain with chills, no thermometer": (
        {"pain_areas": ["flank_right"], "symptoms": ["chills", "nausea"]},
        "You logged pain in the right side under the ribs, chills or shivering and nausea or vomiting",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", WARNING_CASES)
def test_each_warning_sign_gives_an_immediate_seek_care_message(alice_client, bed, case):
    answers, sign = WARNING_CASES[case]
    response = alice_client.post("/log/", log_data(bed, **answers), follow=True)
    assert response.redirect_chain == [("/diary/", 302)]
    assertContains(response, "Seek medical care now.")
    assertContains(response, sign)
    assertContains(response, 'role="alert"')
    assertContains(response, '<section class="warning-box"')
    assertContains(response, f'href="{WHEN_TO_SEE_A_DOCTOR}"')
    assert any(m.level_tag == "error" for m in response.context["messages"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "answers",
    [
        {"temperature_c": "39.0"},  # fever alone
        {"temperature_c": "37.9", "pain_areas": ["flank_left"]},  # flank pain just under a fever
        {"symptoms": ["painful_urination"], "pain_areas": ["flank_right"]},  # kidney-area signs without fever
        {"symptoms": ["chills", "nausea", "weight_loss", "blood_in_urine"]},
    ],
    ids=["fever alone", "37.9 with flank pain", "no fever", "other symptoms"],
)
def test_nights_without_warning_signs_get_the_calm_message(alice_client, bed, answers):
    response = alice_client.post("/log/", log_data(bed, **answers), follow=True)
    assertNotContains(response, "Seek medical care now")
    assertNotContains(response, "warning-box")
    assertContains(response, "Saved the night ending Tue 3 Nov 2026.")


@pytest.mark.django_db
def test_editing_a_night_into_a_warning_sign_also_warns(alice, alice_client, bed):
    night = make_night(alice, bed, date=TODAY)
    response = alice_client.post(f"/diary/{night.pk}/edit/", log_data(bed, symptoms=["leg_weakness"]), follow=True)
    assertContains(response, "Seek medical care now.")
