"""python manage.py export_diary USERNAME [--start DATE] [--end DATE] > diary.csv"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from diary.management.arguments import find_user, period_from_options
from diary.transfer.csv_export import export_lines


class Command(BaseCommand):
    help = "Print a user's diary as CSV (the format import_diary reads), oldest night first."

    def add_arguments(self, parser):
        parser.add_argument("username", help="Username or e-mail address.")
        parser.add_argument("--start", help="First night (YYYY-MM-DD); default: the first logged.")
        parser.add_argument("--end", help="Last night (YYYY-MM-DD); default: the last logged.")

    def handle(self, *args, **options):
        user = find_user(options["username"])
        period = period_from_options(user, options)
        for line in export_lines(user, period.start, period.end):
            self.stdout.write(line, ending="")
