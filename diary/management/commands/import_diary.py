"""python manage.py import_diary USERNAME FILE.csv [--replace]"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from diary.management.arguments import find_user
from diary.transfer.csv_import import parse_diary_csv


class Command(BaseCommand):
    help = (
        "Import nights from a diary CSV file (the format of export_diary). All or nothing: if any row is "
        "bad, every problem is printed and nothing is imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="Username or e-mail address.")
        parser.add_argument("file", help="The CSV file to import.")
        parser.add_argument(
            "--replace", action="store_true", help="Overwrite nights whose date is already in the diary."
        )

    def handle(self, *args, **options):
        user = find_user(options["username"])
        path = Path(options["file"])
        try:
            with path.open("rb") as handle:
                # One byte past the limit is enough for parse_diary_csv to refuse it as too large.
                data = handle.read(settings.DIARY_IMPORT_MAX_BYTES + 1)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror or error}.") from None
        result = parse_diary_csv(data, user, replace=options["replace"])
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(str(problem))
            if result.more_problems:
                self.stderr.write(f"… and {result.more_problems} more.")
            count = result.problem_count
            raise CommandError(f"Nothing imported: {count} problem{'s' if count != 1 else ''} in {path}.")
        message = f"Imported {result.imported} night{'s' if result.imported != 1 else ''} ({result.replaced} replaced)."
        if result.beds_created:
            message += f" New beds: {', '.join(result.beds_created)}."
        self.stdout.write(message)
