"""Fixtures of the night-page tests: today is pinned, alice has a bed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.factories import make_bed


@pytest.fixture(autouse=True)
def pinned_today(time_machine):
    """8 am UTC on 3 November 2026 (also 3 November in alice's London)."""
    time_machine.move_to(datetime(2026, 11, 3, 8, 0, tzinfo=UTC), tick=False)


@pytest.fixture
def bed(alice):
    return make_bed(alice, "Old mattress")
