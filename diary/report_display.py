"""The report as people see it: charts, findings with their dates and articles, the patient's
name, and the PDF download. Shared by the report page, the share page and both PDF views."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpResponse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from articles.models import DEFAULT_LANGUAGE, Article, ArticleTranslation, article_url
from diary import charts
from diary.dates import date_ranges
from diary.models import Profile, reader_language
from diary.rules import Report

if TYPE_CHECKING:
    from diary.transfer.pdf import Paper


def findings_with_dates(report: Report) -> list[dict[str, object]]:
    """Each finding with its evidence as compact date runs, for the page, the share page and the PDF."""
    return [{"finding": finding, "evidence": date_ranges(finding.evidence)} for finding in report.findings]


def report_charts(report: Report) -> dict[str, SafeString]:
    """The report's two SVG charts for a web page (the chart module escapes every text it draws)."""
    if not report.nights:
        return {}
    changes = report.summary.bed_changes
    return {
        "night_pain": mark_safe(charts.night_pain_chart(report.nights, changes, report.start, report.end)),  # noqa: S308
        "morning_minutes": mark_safe(  # noqa: S308
            charts.morning_minutes_chart(report.nights, changes, report.start, report.end)
        ),
        "peg": mark_safe(charts.peg_chart(report.peg, report.start, report.end)) if report.peg else "",  # noqa: S308
    }


def findings_for_page(report: Report) -> list[dict[str, object]]:
    """Findings with compact evidence dates and the article each one links to, in the active
    language: a Russian report links to /ru/articles/… (an article without a Russian version
    keeps its English title and address)."""
    items = findings_with_dates(report)
    slugs = {item["finding"].article for item in items if item["finding"].article}
    titles = dict(Article.objects.published().filter(slug__in=slugs).values_list("slug", "title")) if slugs else {}
    language = reader_language()
    # (title, address, the title's language when it is not the report's: a screen reader's voice)
    fallback = "" if language == DEFAULT_LANGUAGE else DEFAULT_LANGUAGE
    links = {slug: (title, article_url(slug, DEFAULT_LANGUAGE), fallback) for slug, title in titles.items()}
    if slugs and language != DEFAULT_LANGUAGE:
        translated = ArticleTranslation.objects.published().filter(article__slug__in=slugs, language=language)
        for slug, title in translated.values_list("article__slug", "title"):
            links[slug] = (title, article_url(slug, language), "")
    for item in items:
        item["article_title"], item["article_url"], item["article_lang"] = links.get(
            item["finding"].article, (None, None, "")
        )
    return items


def patient_name(user) -> str | None:
    """The name to print when the user chose to include it: their display name, else their full name."""
    profile = Profile.objects.filter(user=user).first()
    name = (profile.display_name if profile else "") or user.get_full_name()
    return name.strip() or None


def paper_from(params) -> Paper:
    return "Letter" if str(params.get("paper", "")).lower() == "letter" else "A4"


def pdf_response(
    report: Report, *, name: str | None, paper: Paper, temperature_unit: str = "C", trial=None
) -> HttpResponse:
    from diary.transfer.pdf import render_report_pdf  # WeasyPrint loads only for a PDF

    pdf = render_report_pdf(
        report,
        patient_name=name,
        paper=paper,
        generated_at=timezone.localtime(),
        temperature_unit=temperature_unit,
        trial=trial,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response.headers["Content-Language"] = reader_language()
    filename = f"night-pain-report-{report.start.isoformat()}-to-{report.end.isoformat()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
