"""The articles shipped with the app: parsing their files and adding the missing ones.

Each file in ``articles/content/`` starts with a small header between two ``---`` lines,
one ``key: value`` per line, followed by the Markdown body:

    ---
    title: Is it your bed?
    slug: is-it-your-bed
    topic: bed
    order: 20
    reviewed: 2026-11-25
    related: why-does-my-back-hurt-at-night, muscle-spasm
    summary: One or two sentences.
    ---
    ## First heading
    ...

This module does not import the Article model: the data migration passes in its historical
model and the ``load_articles`` command passes in the live one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

CONTENT_DIR = Path(__file__).resolve().parent / "content"
REQUIRED_KEYS = {"title", "slug", "topic", "order", "reviewed", "summary"}
OPTIONAL_KEYS = {"related"}


@dataclass(frozen=True, slots=True)
class ShippedArticle:
    slug: str
    title: str
    summary: str
    topic: str
    order: int
    reviewed_on: date
    related: tuple[str, ...]
    body: str


def parse_article(text: str, source: str = "article") -> ShippedArticle:
    """Parse one article file; raises ValueError naming `source` when the header is wrong."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise ValueError(f"{source}: must start with a '---' header line")
    try:
        end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() == "---")
    except StopIteration:
        raise ValueError(f"{source}: the header has no closing '---' line") from None

    header: dict[str, str] = {}
    for line in lines[1:end]:
        if not line.strip():
            continue
        key, sep, value = line.partition(":")
        key = key.strip()
        if not sep or key not in REQUIRED_KEYS | OPTIONAL_KEYS:
            raise ValueError(f"{source}: unexpected header line {line!r}")
        header[key] = value.strip()
    missing = REQUIRED_KEYS - header.keys()
    if missing:
        raise ValueError(f"{source}: header is missing {', '.join(sorted(missing))}")

    return ShippedArticle(
        slug=header["slug"],
        title=header["title"],
        summary=header["summary"],
        topic=header["topic"],
        order=int(header["order"]),
        reviewed_on=date.fromisoformat(header["reviewed"]),
        related=tuple(slug.strip() for slug in header.get("related", "").split(",") if slug.strip()),
        body="\n".join(lines[end + 1 :]).strip() + "\n",
    )


def shipped_articles(directory: Path = CONTENT_DIR) -> list[ShippedArticle]:
    """Every shipped article, in file-name order."""
    return [
        parse_article(path.read_text(encoding="utf-8"), source=path.name) for path in sorted(directory.glob("*.md"))
    ]


def load_shipped_articles(article_model, articles: list[ShippedArticle] | None = None, using: str = "default"):
    """Create the shipped articles whose slug is not in the database yet; return their slugs.

    Existing articles are never changed, so an editor's changes survive every re-run, and an
    article an editor deleted comes back only in its shipped form.
    """
    articles = shipped_articles() if articles is None else articles
    manager = article_model.objects.db_manager(using)
    existing = set(manager.values_list("slug", flat=True))
    created = {}
    for shipped in articles:
        if shipped.slug in existing or shipped.slug in created:
            continue
        created[shipped.slug] = manager.create(
            slug=shipped.slug,
            title=shipped.title,
            summary=shipped.summary,
            body=shipped.body,
            topic=shipped.topic,
            order=shipped.order,
            reviewed_on=shipped.reviewed_on,
            published=True,
        )
    # Links are added from new articles only; the relation runs both ways, so an existing
    # article gains a link to its new neighbour but keeps every link an editor chose.
    for shipped in articles:
        article = created.get(shipped.slug)
        if article is not None and shipped.related:
            article.related.add(*manager.filter(slug__in=shipped.related))
    return list(created)
