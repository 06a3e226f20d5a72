"""What the night-page tests share besides fixtures: the pinned date and small helpers."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.messages import get_messages

from diary.models import Night
from tests.factories import make_bed

TODAY = date(2026, 11, 3)
WHEN_TO_SEE_A_DOCTOR = "/articles/when-to-see-a-doctor/"


def log_data(bed, **overrides):
    data = {"date": TODAY.isoformat(), "night_pain": "4", "woke_by_pain": "no", "morning_quick": "15", "bed": bed.pk}
    data.update(overrides)
    return data


def nights_for(user, count: int, bed=None, end: date = TODAY):
    bed = bed or make_bed(user, "Bed for many nights")
    Night.objects.bulk_create(
        Night(user=user, bed=bed, date=end - timedelta(days=i), night_pain=i % 11, morning_pain_minutes=i)
        for i in range(count)
    )


def message_texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]
