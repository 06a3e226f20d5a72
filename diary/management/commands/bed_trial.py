"""Start or report a planned bed trial (issue 16's contract, docs/bed-trials.md).

python manage.py bed_trial USERNAME start --bed-a NAME --bed-b NAME --start YYYY-MM-DD
    [--block-nights N] [--pairs N] [--seed N]      -> {"schedule": [{"date": ..., "bed": ...}]}
python manage.py bed_trial USERNAME report --format json|text
    -> {"verdict": ..., "night_pain": {...}, "morning_minutes": {...}, "nights": {...}, "adherence": x}
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from diary.dates import today_for
from diary.management.arguments import day_option, find_user
from diary.models import Bed
from diary.trials.schedule import DEFAULT_BLOCK_NIGHTS, DEFAULT_PAIRS, Design
from diary.trials.services import TrialError, latest_trial, schedule_json, start_trial, trial_result


class Command(BaseCommand):
    help = "Start a planned bed trial for a user and print its schedule, or print the latest trial's result."

    def add_arguments(self, parser):
        parser.add_argument("user", metavar="USERNAME", help="The user's username or e-mail address.")
        actions = parser.add_subparsers(dest="action", required=True)
        start = actions.add_parser("start", help="Draw and store a schedule; print it as JSON.")
        start.add_argument("--bed-a", required=True, help="Name of bed A (usually the current bed).")
        start.add_argument("--bed-b", required=True, help="Name of bed B (the one being tried).")
        start.add_argument("--start", required=True, help="Morning of the first trial night, YYYY-MM-DD.")
        start.add_argument("--block-nights", type=int, default=DEFAULT_BLOCK_NIGHTS)
        start.add_argument("--pairs", type=int, default=DEFAULT_PAIRS)
        start.add_argument("--seed", type=int, help="Seed of the A/B order (default: a fresh random one).")
        report = actions.add_parser("report", help="Print the latest trial's analysis.")
        report.add_argument("--format", choices=["json", "text"], default="json")

    def handle(self, *args, **options):
        user = find_user(options["user"])
        today = today_for(user)
        if options["action"] == "start":
            self._start(user, options)
        else:
            self._report(user, options, today)

    def _start(self, user, options):
        start = day_option(options["start"], "--start")
        try:
            design = Design(block_nights=options["block_nights"], pairs=options["pairs"])
            trial = start_trial(
                user=user,
                bed_a=_bed(user, options["bed_a"], "--bed-a"),
                bed_b=_bed(user, options["bed_b"], "--bed-b"),
                start=start,
                design=design,
                seed=options["seed"],
            )
        except (TrialError, ValueError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(json.dumps(schedule_json(trial), ensure_ascii=False))

    def _report(self, user, options, today):
        trial = latest_trial(user, today=today)
        if trial is None:
            raise CommandError(f"{user.get_username()} has no bed trial.")
        result = trial_result(trial, today=today)
        if options["format"] == "json":
            self.stdout.write(json.dumps(result.as_contract(), ensure_ascii=False))
            return
        self.stdout.write(f"Bed trial: {trial.bed_a} (A) vs {trial.bed_b} (B), {trial.start} to {trial.end}")
        self.stdout.write(f"Status: {trial.get_status_display()}; verdict: {result.verdict}")
        for label, estimate in (("Night pain", result.night_pain), ("Morning minutes", result.morning_minutes)):
            numbers = estimate.as_dict()
            self.stdout.write(
                f"{label} B − A: {numbers['difference']} (95 % interval {numbers['low']} to {numbers['high']})"
            )
        self.stdout.write(
            f"Nights: A {result.nights_a}, B {result.nights_b}, deviations {result.deviations}; adherence {result.adherence}"
        )


def _bed(user, name: str, option: str) -> Bed:
    bed = Bed.objects.for_user(user).filter(name__iexact=" ".join(name.split())).first()
    if bed is None:
        raise CommandError(f"{option}: {user.get_username()} has no bed called {name!r}.")
    return bed
