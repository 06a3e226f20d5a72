"""Article search ranks where the words are: title, then headings, then summary, then body
(issue 15, defect 10: "kidney" listed Osteochondrosis above the kidney article). The same order
on SQLite and on PostgreSQL (CI runs this file on both)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from articles.models import Article

pytestmark = pytest.mark.django_db


def found(client, query: str) -> list[str]:
    html = client.get(reverse("articles:list"), {"q": query}).content.decode()
    results = html.split('id="results-heading"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'class="fw-semibold" href="/articles/([a-z0-9-]+)/"', results)


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("kidney", "kidney-pain-or-back-pain"),
        ("mattress", "is-it-your-bed"),
        ("disc", "herniated-disc"),  # in two titles; a heading decides
        ("spasm", "muscle-spasm"),
        ("menopause", "spinal-instability"),
        ("stress", "stress-and-back-pain"),
    ],
)
def test_the_article_titled_with_the_words_comes_first(client, query, first):
    slugs = found(client, query)
    assert slugs and slugs[0] == first, slugs


def make(slug: str, title: str = "Plain title", summary: str = "Plain summary.", body: str = "## Part\n\nText."):
    return Article.objects.create(slug=slug, title=title, summary=summary, body=body, published=True, order=1)


def test_title_then_heading_then_summary_then_body(client):
    # Created in the opposite order, and the body-only one says the word most often.
    make("in-body", body="## Part\n\nZebrafish, zebrafish, zebrafish and more zebrafish.")
    make("in-summary", summary="All about the zebrafish.")
    make("in-heading", body="## Keeping a zebrafish\n\nText.")
    make("in-title", title="Zebrafish")
    assert found(client, "zebrafish") == ["in-title", "in-heading", "in-summary", "in-body"]
