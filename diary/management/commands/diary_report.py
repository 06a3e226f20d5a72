"""Print a user's pattern report:
`python manage.py diary_report USERNAME [--start] [--end] --format json|text [--language en|ru]`."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from diary.management.arguments import find_user, period_from_options
from diary.models import reader_language
from diary.reporting import load_report
from diary.rules import MORNING_PAIN_LIMIT_MIN, Report, report_as_dict
from diary.rules.records import number_words


def level_labels() -> dict[str, str]:
    return {"urgent": _("URGENT"), "see_doctor": _("SEE A DOCTOR"), "info": _("INFO")}


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
    """A plain-text rendering of the same report object the page and the PDF use, in the active language."""
    summary = report.summary
    lines = [
        _("Night back-pain report for %(who)s: %(start)s to %(end)s")
        % {"who": who, "start": report.start.isoformat(), "end": report.end.isoformat()},
        _("Nights logged: %(logged)d of %(days)d")
        % {"logged": summary.nights_logged, "days": summary.nights_in_period},
    ]
    if summary.nights_logged:
        lines += [
            _("Night pain (0-10): mean %(mean)s, median %(median)s, max %(max)d")
            % {
                "mean": number_format(summary.mean_night_pain, 1),
                "median": number_words(summary.median_night_pain),
                "max": summary.max_night_pain,
            },
            _("Nights woken by pain: %(count)d") % {"count": summary.nights_woken},
            _("Morning pain: median %(median)s min; over %(limit)d min on %(share)s of logged mornings")
            % {
                "median": number_words(summary.median_morning_minutes),
                "limit": MORNING_PAIN_LIMIT_MIN,
                "share": f"{summary.share_mornings_over_15:.0%}",
            },
            _("Nights with fever (38 °C or more): %(fever)d; with urinary signs: %(urinary)d")
            % {"fever": summary.nights_with_fever, "urinary": summary.nights_with_urinary_signs},
            _("Beds used: %(beds)s") % {"beds": ", ".join(summary.beds_used) or "-"},
        ]
    for change in summary.bed_changes:
        lines.append(
            _("Bed change %(date)s: %(from_bed)s -> %(to_bed)s")
            % {"date": change.date.isoformat(), "from_bed": change.from_bed, "to_bed": change.to_bed}
        )
    lines += ["", _("Findings") if report.findings else _("No findings.")]
    levels = level_labels()
    for finding in report.findings:
        lines += ["", f"[{levels[finding.level]}] {finding.title} ({finding.code})", f"  {finding.message}"]
        lines.append("  " + _("Detail: %(detail)s") % {"detail": finding.detail})
        if finding.evidence:
            lines.append(
                "  " + _("Evidence: %(dates)s") % {"dates": ", ".join(day.isoformat() for day in finding.evidence)}
            )
        if finding.article:
            lines.append("  " + _("Read more: %(article)s") % {"article": finding.article})
        if finding.tell_doctor:
            lines.append("  " + _("Tell your doctor: %(words)s") % {"words": finding.tell_doctor})
    return "\n".join(lines)
