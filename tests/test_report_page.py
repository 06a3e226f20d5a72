"""The report page: period picker, completeness, summary, charts, findings cards and buttons."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from diary.models import Night
from tests.factories import make_bed, make_night

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 1)
URL = reverse("diary:report")


@pytest.fixture(autouse=True)
def pinned_today():
    with time_machine.travel(TODAY, tick=False):
        yield


def log_nights(user, count: int, last: date = date(2026, 11, 30), bed=None, **overrides) -> list[Night]:
    """`count` consecutive nights ending on `last`, saved in one query."""
    bed = bed or make_bed(user)
    nights = [
        Night(
            user=user,
            bed=bed,
            date=last - timedelta(days=i),
            night_pain=3 + i % 4,
            morning_pain_minutes=10,
            **overrides,
        )
        for i in range(count)
    ]
    return Night.objects.bulk_create(nights)


def text_of(response) -> str:
    return response.content.decode()


def test_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_empty_diary_invites_to_log_the_first_night(alice_client):
    response = alice_client.get(URL)
    html = text_of(response)
    assert response.status_code == 200
    assert "Log your first night" in html
    assert reverse("diary:night-create") in html
    assert "Download PDF" not in html
    assert "not a diagnosis" in html


def test_short_diary_shows_completeness_summary_and_not_enough_data(alice_client, alice):
    bed = make_bed(alice, "Guest futon")
    make_night(alice, bed, date=date(2026, 11, 20), night_pain=4, morning_pain_minutes=20, woke_by_pain="late")
    make_night(alice, bed, date=date(2026, 11, 22), night_pain=6, morning_pain_minutes=5)
    html = text_of(alice_client.get(URL))
    assert "20 Nov 2026 to 22 Nov 2026" in html
    assert "2 nights logged out of 3 days in this period." in html
    assert "missing, not pain-free" in html
    assert "mean <strong>5.0</strong>" in html
    assert "worst <strong>6</strong>" in html
    assert "Guest futon" in html
    assert "Not enough nights yet" in html or "NOT_ENOUGH_DATA" in html or "keeping-a-pain-diary" in html
    assert reverse("articles:detail", args=["keeping-a-pain-diary"]) in html


def test_year_long_diary_renders_both_charts(alice_client, alice):
    log_nights(alice, 365)
    response = alice_client.get(URL)
    html = text_of(response)
    assert response.status_code == 200
    assert "365 nights logged out of 365 days in this period." in html
    assert html.count("<svg") >= 2
    assert "1 Dec 2025 to 30 Nov 2026" in html


def test_preset_periods_end_at_the_latest_night(alice_client, alice):
    log_nights(alice, 60)
    html = text_of(alice_client.get(URL, {"period": "14"}))
    assert "17 Nov 2026 to 30 Nov 2026" in html
    assert "14 nights logged out of 14 days" in html
    assert re.search(r'class="nav-link active" aria-current="page" href="[^"]*\?period=14"', html)


def test_custom_dates_choose_the_period(alice_client, alice):
    log_nights(alice, 60)
    html = text_of(alice_client.get(URL, {"period": "custom", "start": "2026-11-01", "end": "2026-11-10"}))
    assert "1 Nov 2026 to 10 Nov 2026" in html
    assert "10 nights logged out of 10 days" in html
    assert 'value="2026-11-01"' in html


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2026-11-10", "2026-11-01", "The start date is after the end date."),
        ("", "2026-11-01", "Enter both a start and an end date"),
        ("not-a-date", "2026-11-01", "Enter both a start and an end date"),
        ("2026-11-01", "2027-01-01", "The end date is in the future."),
    ],
)
def test_bad_custom_dates_are_explained_next_to_the_picker(alice_client, alice, start, end, message):
    log_nights(alice, 20)
    response = alice_client.get(URL, {"period": "custom", "start": start, "end": end})
    html = text_of(response)
    assert response.status_code == 200
    assert message in html
    assert 'id="period-error"' in html
    assert 'aria-describedby="period-error"' in html
    assert "Showing all your nights instead." in html
    assert "11 Nov 2026 to 30 Nov 2026" in html  # fell back to every night


def test_findings_are_cards_with_evidence_article_and_words_for_the_doctor(alice_client, alice):
    log_nights(alice, 13, last=date(2026, 11, 26))
    make_night(alice, date=date(2026, 11, 28), night_pain=5, symptoms=["saddle_numbness"])
    html = text_of(alice_client.get(URL))
    urgent = html[html.index("Seek medical care today") :]
    assert "1 night:</strong> 28 Nov 2026" in urgent
    assert "What to tell your doctor:" in urgent
    assert reverse("articles:detail", args=["when-to-see-a-doctor"]) in urgent
    assert "finding-urgent" in html


def test_urgent_findings_come_first_then_appointments_then_information(alice_client, alice):
    bed = make_bed(alice)
    # Two weeks of long mornings (see a doctor) ending with a night of leg weakness (urgent).
    for i in range(14):
        make_night(alice, bed, date=date(2026, 11, 30) - timedelta(days=i), night_pain=5, morning_pain_minutes=40)
    Night.objects.filter(user=alice, date=date(2026, 11, 30)).update(symptom_leg_weakness=True)
    Night.objects.filter(user=alice, date__lte=date(2026, 11, 20)).update(stress=1)
    html = text_of(alice_client.get(URL))
    urgent = html.index("Seek medical care today")
    appointment = html.index("Book an appointment")
    assert urgent < appointment
    if "For your information" in html:
        assert appointment < html.index("For your information")
    assert html.index("What your diary shows") < urgent < html.index("Key numbers")


def test_buttons_keep_the_period_for_pdf_fhir_and_sharing(alice_client, alice):
    log_nights(alice, 20)
    html = text_of(alice_client.get(URL, {"period": "14"}))
    assert f'action="{reverse("diary:report-pdf")}"' in html
    assert '<input type="hidden" name="period" value="14">' in html
    assert f'formaction="{reverse("diary:report-fhir")}"' in html
    assert f'href="{reverse("diary:share-list")}?period=14"' in html
    assert 'name="include_name"' in html
    assert '<option value="letter">Letter</option>' in html


def test_page_has_no_inline_styles_or_scripts(alice_client, alice):
    log_nights(alice, 40)
    make_night(alice, date=date(2026, 11, 29) - timedelta(days=60), night_pain=2)
    html = text_of(alice_client.get(URL))
    assert "style=" not in html
    assert "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "css/report.css" in html


def test_report_shows_only_your_own_nights(alice_client, alice, bob):
    log_nights(alice, 5)
    log_nights(bob, 30, bed=make_bed(bob, "Bob's waterbed"))
    html = text_of(alice_client.get(URL))
    assert "5 nights logged out of 5 days" in html
    assert "Bob&#x27;s waterbed" not in html and "Bob's waterbed" not in html


def count_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_the_number_of_nights(alice_client, alice, bob, django_assert_max_num_queries):
    log_nights(alice, 5)
    log_nights(bob, 365)
    alice_client.get(URL)  # warm the session (time zone is cached there on the first request)
    few = count_queries(alice_client)
    Night.objects.filter(user=alice).delete()
    log_nights(alice, 365, bed=alice.beds.first())
    with django_assert_max_num_queries(10):
        alice_client.get(URL)
    assert count_queries(alice_client) == few
