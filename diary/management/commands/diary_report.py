"""Print a user's pattern report:
`python manage.py diary_report USERNAME [--start] [--end] --format json|text [--language en|ru]`."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from diary.management.arguments import find_user, period_from_options
from diary.models import reader_language
from diary.reporting import load_report
from diary.rules import MORNING_PAIN_LIMIT_MIN, Report, report_as_dict

LEVEL_LABELS = {"urgent": "URGENT", "see_doctor": "SEE A DOCTOR", "info": "INFO"}
# "en", "ru": the site's languages by their first part (en-gb is English).
LANGUAGE_OPTIONS = sorted({code.split("-")[0] for code, _name in settings.LANGUAGES})


class Command(BaseCommand):
    help = "Print the pattern report of one user (username or e-mail) as JSON or text."

    def add_arguments(self, parser):
        parser.add_argument("user", metavar="USERNAME", help="The user's username or e-mail address.")
        parser.add_argument("--start", help="First night of the report, YYYY-MM-DD (default: first logged night).")
        parser.add_argument("--end", help="Last night of the report, YYYY-MM-DD (default: latest logged night).")
        parser.add_argument("--format", choices=["json", "text"], default="json", help="Output format (default json).")
        parser.add_argument(
            "--language",
            choices=LANGUAGE_OPTIONS,
            default="en",
            help="Language of the findings' texts (default en); the codes and dates stay the same.",
        )

    def handle(self, *args, **options):
        user = find_user(options["user"])
        period = period_from_options(user, options)
        # The findings are written in the language active while the report is built.
        with translation.override(reader_language(options["language"])):
            report = load_report(user, period.start, period.end)
            if options["format"] == "json":
                self.stdout.write(json.dumps(report_as_dict(report), indent=2, ensure_ascii=False))
            else:
                self.stdout.write(report_as_text(report, user.get_username()))


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
            f"Morning pain: median {summary.median_morning_minutes:g} min; over {MORNING_PAIN_LIMIT_MIN} min on "
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
