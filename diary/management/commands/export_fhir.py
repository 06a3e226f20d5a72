"""python manage.py export_fhir USERNAME [--start DATE] [--end DATE] [--include-name] > bundle.json"""

from __future__ import annotations

import json
from datetime import date

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from diary.exports.fhir import bundle_for_user
from diary.reporting import logged_range


def find_user(name: str):
    """A user by username, or else by e-mail address (any case)."""
    users = get_user_model().objects
    user = users.filter(username=name).first() or users.filter(Q(email__iexact=name)).order_by("pk").first()
    if user is None:
        raise CommandError(f"No user with the username or e-mail {name!r}.")
    return user


def parse_day(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{option} must be a date like 2026-11-01, not {text!r}.") from None


class Command(BaseCommand):
    help = "Print a user's diary as a FHIR R4 Bundle (JSON). Without dates: from the first to the last logged night."

    def add_arguments(self, parser):
        parser.add_argument("username", help="Username or e-mail address.")
        parser.add_argument("--start", help="First night (YYYY-MM-DD).")
        parser.add_argument("--end", help="Last night (YYYY-MM-DD).")
        parser.add_argument(
            "--include-name", action="store_true", help="Put the profile's display name on the Patient."
        )

    def handle(self, *args, **options):
        user = find_user(options["username"])
        start, end = parse_day(options["start"], "--start"), parse_day(options["end"], "--end")
        first, last = logged_range(user)
        # A missing bound defaults to the diary's first / last night, but never past the given one.
        if end is None:
            end = max(last or timezone.localdate(), start or date.min)
        if start is None:
            start = min(first or end, end)
        if start > end:
            raise CommandError(f"--start ({start}) is after --end ({end}).")
        bundle = bundle_for_user(user, start, end, include_name=options["include_name"], generated_at=timezone.now())
        self.stdout.write(json.dumps(bundle, ensure_ascii=False, separators=(",", ":")))
