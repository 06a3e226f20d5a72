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

The other languages live in a folder per language code, ``articles/content/ru/`` and so on:
one file per article, named like its original, with a shorter header (``title``, ``slug``,
``reviewed``, ``summary``); the slug names the article it translates.

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
TRANSLATION_KEYS = {"title", "slug", "reviewed", "summary"}


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


@dataclass(frozen=True, slots=True)
class ShippedTranslation:
    slug: str
    language: str
    title: str
    summary: str
    reviewed_on: date
    body: str


def parse_article(text: str, source: str = "article") -> ShippedArticle:
    """Parse one article file; raises ValueError naming `source` when the header is wrong."""
    header, body = parse_header(text, source, REQUIRED_KEYS, OPTIONAL_KEYS)
    return ShippedArticle(
        slug=header["slug"],
        title=header["title"],
        summary=header["summary"],
        topic=header["topic"],
        order=int(header["order"]),
        reviewed_on=date.fromisoformat(header["reviewed"]),
        related=tuple(slug.strip() for slug in header.get("related", "").split(",") if slug.strip()),
        body=body,
    )


def parse_translation(text: str, language: str, source: str = "translation") -> ShippedTranslation:
    """Parse one translated article file (the shorter header); ValueError naming `source` when wrong."""
    header, body = parse_header(text, source, TRANSLATION_KEYS, set())
    return ShippedTranslation(
        slug=header["slug"],
        language=language,
        title=header["title"],
        summary=header["summary"],
        reviewed_on=date.fromisoformat(header["reviewed"]),
        body=body,
    )


def parse_header(text: str, source: str, required: set[str], optional: set[str]) -> tuple[dict[str, str], str]:
    """The ``key: value`` header between the two ``---`` lines, and the body after it."""
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
        if not sep or key not in required | optional:
            raise ValueError(f"{source}: unexpected header line {line!r}")
        header[key] = value.strip()
    missing = required - header.keys()
    if missing:
        raise ValueError(f"{source}: header is missing {', '.join(sorted(missing))}")
    return header, "\n".join(lines[end + 1 :]).strip() + "\n"


def shipped_articles(directory: Path = CONTENT_DIR) -> list[ShippedArticle]:
    """Every shipped article, in file-name order."""
    return [
        parse_article(path.read_text(encoding="utf-8"), source=path.name) for path in sorted(directory.glob("*.md"))
    ]


def shipped_translations(directory: Path = CONTENT_DIR) -> list[ShippedTranslation]:
    """Every shipped translation: one folder per language code, files in name order."""
    return [
        parse_translation(path.read_text(encoding="utf-8"), language=folder.name, source=f"{folder.name}/{path.name}")
        for folder in sorted(path for path in directory.iterdir() if path.is_dir())
        for path in sorted(folder.glob("*.md"))
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


def load_shipped_translations(
    article_model, translations: list[ShippedTranslation] | None = None, using: str = "default"
) -> list[str]:
    """Create the shipped translations missing from the database (matched by article slug and
    language); return them as "language:slug". Existing translations are never changed, and a
    translation of an article that is not in the database is skipped.
    """
    translations = shipped_translations() if translations is None else translations
    articles = dict(article_model.objects.db_manager(using).values_list("slug", "pk"))
    # The translation model through the relation: the data migration's historical one, or the live one.
    translation_model = article_model._meta.get_field("translations").related_model
    manager = translation_model.objects.db_manager(using)
    existing = set(manager.values_list("article__slug", "language"))
    created = []
    for shipped in translations:
        key = (shipped.slug, shipped.language)
        if shipped.slug not in articles or key in existing:
            continue
        manager.create(
            article_id=articles[shipped.slug],
            language=shipped.language,
            title=shipped.title,
            summary=shipped.summary,
            body=shipped.body,
            reviewed_on=shipped.reviewed_on,
        )
        existing.add(key)
        created.append(f"{shipped.language}:{shipped.slug}")
    return created
