"""Print a user's pattern report: `python manage.py diary_report USERNAME [--start] [--end] --format json|text`."""

from __future__ import annotations

import json
from datetime import date

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from diary.reporting import load_report, logged_range
from diary.rules import Report, report_as_dict

LEVEL_LABELS = {"urgent": "URGENT", "see_doctor": "SEE A DOCTOR", "info": "INFO"}


class Command(BaseCommand):
    help = "Print the pattern report of one user (username or e-mail) as JSON or text."

    def add_arguments(self, parser):
        parser.add_argument("user", metavar="USERNAME", help="The user's username or e-mail address.")
        parser.add_argument("--start", help="First night of the report, YYYY-MM-DD (default: first logged night).")
        parser.add_argument("--end", help="Last night of the report, YYYY-MM-DD (default: latest logged night).")
        parser.add_argument("--format", choices=["json", "text"], default="json", help="Output format (default json).")

    def handle(self, *args, **options):
        user = find_user(options["user"])
        start, end = report_period(user, parse_day(options["start"], "--start"), parse_day(options["end"], "--end"))
        report = load_report(user, start, end)
        if options["format"] == "json":
            self.stdout.write(json.dumps(report_as_dict(report), indent=2, ensure_ascii=False))
        else:
            self.stdout.write(report_as_text(report, user.get_username()))


def find_user(identifier: str):
    """The user whose username is `identifier`, or else whose e-mail is (case-insensitive)."""
    users = get_user_model().objects
    by_username = users.filter(username=identifier).first()
    if by_username is not None:
        return by_username
    by_email = list(
        users.filter(Q(email__iexact=identifier) | Q(emailaddress__email__iexact=identifier)).distinct()[:2]
    )
    if len(by_email) == 1:
        return by_email[0]
    if by_email:
        raise CommandError(f"More than one user has the e-mail {identifier!r}; give the username instead.")
    raise CommandError(f"No user with the username or e-mail {identifier!r}.")


def parse_day(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(f"{option} {text!r} is not a date; use YYYY-MM-DD, e.g. 2026-11-01.") from None


def report_period(user, start: date | None, end: date | None) -> tuple[date, date]:
    """Fill in missing dates like the report page: first to latest logged night, today when empty."""
    if start is not None and end is not None and start > end:
        raise CommandError(f"--start {start} is after --end {end}.")
    first, last = logged_range(user)
    if end is None:
        end = last or timezone.localdate()
        if start is not None and start > end:
            end = start  # a period after the last logged night: an empty report, not an error
    if start is None:
        start = first if first is not None and first <= end else end
    return start, end


def report_as_text(report: Report, who: str) -> str:
    """A plain-text rendering of the same report object the page and the PDF use."""
    summary = report.summary
    lines = [
        f"Night back-pain report for {who}: {report.start.isoformat()} to {report.end.isoformat()}",
        f"Nights logged: {summary.nights_logged} of {summary.nights_in_period}",
    ]
    if summary.nights_logged:
        lines += [
            f"Night pain (0-10): mean {summary.mean_night_pain:.1f}, median {summary.median_night_pain:g}, "
            f"max {summary.max_night_pain}",
            f"Nights woken by pain: {summary.nights_woken}",
            f"Morning pain: median {summary.median_morning_minutes:g} min; over 15 min on "
            f"{summary.share_mornings_over_15:.0%} of logged mornings",
            f"Nights with fever (38 °C or more): {summary.nights_with_fever}; "
            f"with urinary signs: {summary.nights_with_urinary_signs}",
            f"Beds used: {', '.join(summary.beds_used) or '-'}",
        ]
    for change in summary.bed_changes:
        lines.append(f"Bed change {change.date.isoformat()}: {change.from_bed} -> {change.to_bed}")
    lines += ["", "Findings" if report.findings else "No findings."]
    for finding in report.findings:
        lines += [
            "",
            f"[{LEVEL_LABELS[finding.level]}] {finding.title} ({finding.code})",
            f"  {finding.message}",
            f"  Detail: {finding.detail}",
        ]
        if finding.evidence:
            lines.append("  Evidence: " + ", ".join(day.isoformat() for day in finding.evidence))
        if finding.article:
            lines.append(f"  Read more: {finding.article}")
        if finding.tell_doctor:
            lines.append(f"  Tell your doctor: {finding.tell_doctor}")
    return "\n".join(lines)
