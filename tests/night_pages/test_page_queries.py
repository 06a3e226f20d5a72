"""Night pages issue a constant number of queries however long the diary.

Split from tests/test_night_pages.py; the pinned date and the `bed` fixture are in
tests/night_pages/conftest.py."""

from __future__ import annotations

from datetime import timedelta

import pytest

from diary.models import Night
from tests.factories import make_bed
from tests.night_pages.helpers import TODAY

# --- constant queries ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/diary/",
        "/diary/?start=2026-09-01&page=2",
        "/diary/calendar/",
        "/diary/charts/?period=30",
        "/diary/charts/",
        "/log/",
    ],
)
@pytest.mark.parametrize("count", [5, 60])
def test_pages_issue_a_constant_number_of_queries(alice, alice_client, django_assert_max_num_queries, url, count):
    beds = [make_bed(alice, "Mattress"), make_bed(alice, "Sofa")]
    Night.objects.bulk_create(
        Night(user=alice, bed=beds[(i // 7) % 2], date=TODAY - timedelta(days=i), night_pain=i % 11, area_leg=True)
        for i in range(count)
    )
    alice_client.get("/diary/")  # the session's time zone is cached on the first request
    # + the session, read from the database (docs/security.md); + 1 on the log form, which looks up a
    # running bed trial to pre-select its bed (issue 16), and + 1 there for the person's medicines,
    # its dose buttons (issue 17). The same for 5 and 60 nights.
    with django_assert_max_num_queries(5 + 1 + 2 * (url == "/log/")):
        assert alice_client.get(url).status_code == 200
