"""python manage.py export_fhir USERNAME [--start DATE] [--end DATE] [--include-name] > bundle.json"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand
from django.utils import timezone

from diary.management.arguments import find_user, period_from_options
from diary.transfer.fhir import bundle_for_user


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
        period = period_from_options(user, options)
        bundle = bundle_for_user(
            user, period.start, period.end, include_name=options["include_name"], generated_at=timezone.now()
        )
        self.stdout.write(json.dumps(bundle, ensure_ascii=False, separators=(",", ":")))
