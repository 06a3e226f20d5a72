"""records(), the one query behind every report, reads each night exactly as the ORM does (it
skips Django's per-value converters for speed, so the values' types are checked here)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from diary.models import Night
from tests.factories import make_diary, make_night


@pytest.mark.django_db
def test_records_read_every_night_as_the_orm_does(alice):
    diary = make_diary(alice, 120, seed=7)
    sofa = diary.beds[0]
    sofa.occasional = True
    sofa.save()
    make_night(
        alice,
        sofa,
        date=date(2001, 1, 1),
        temperature_c=Decimal("38.0"),  # SQLite keeps a whole number as an integer
        pain_areas=["flank_left", "groin"],
        eased_by=["rest"],
        symptoms=["chills", "pain_in_waves"],
        notes="A note",
    )
    records = Night.objects.for_user(alice).records()
    nights = Night.objects.for_user(alice).select_related("bed").order_by("date")
    expected = [
        replace(night.as_record(), bed_name=night.bed.name, bed_occasional=night.bed.occasional, notes=night.notes)
        for night in nights
    ]
    assert records == expected
    assert [str(record.temperature_c) for record in records] == [str(record.temperature_c) for record in expected]
    assert str(records[0].temperature_c) == "38.0"
    assert {type(record.bed_occasional) for record in records} == {bool}
    assert {type(record.in_trial) for record in records} == {bool}
    assert {type(record.date) for record in records} == {date}


@pytest.mark.django_db
def test_an_empty_queryset_has_no_records(alice):
    make_diary(alice, 5, seed=5)
    assert Night.objects.none().records() == []
    assert Night.objects.for_user(alice).filter(pk__in=[]).records() == []
