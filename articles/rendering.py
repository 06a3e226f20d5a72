"""Markdown to safe HTML for article bodies, plus the headings for a table of contents."""

from __future__ import annotations

import html
from dataclasses import dataclass

import markdown
import nh3
from markdown.extensions.toc import slugify_unicode

# Only what article bodies need. Anything else an editor pastes (script, style, iframe, event
# handlers, style attributes) is removed, so a page can never run or restyle injected code.
ALLOWED_TAGS = {
    "p",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "a",
    "strong",
    "em",
    "blockquote",
    "code",
    "pre",
    "hr",
    "br",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "ol": {"start"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


@dataclass(frozen=True, slots=True)
class Heading:
    id: str
    text: str


@dataclass(frozen=True, slots=True)
class RenderedArticle:
    html: str
    headings: tuple[Heading, ...]  # the ## headings, in order, for the table of contents


def sanitise(unsafe_html: str) -> str:
    """Keep the allowed tags and attributes; drop the rest (script and style with their content)."""
    return nh3.clean(
        unsafe_html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=None,
    )


def render_markdown(text: str) -> RenderedArticle:
    """Render an article body: sanitised HTML with ids on headings, and its ## headings."""
    # slugify_unicode keeps Cyrillic letters in heading ids (the default drops them, leaving "_1").
    converter = markdown.Markdown(
        extensions=["toc", "sane_lists"],
        extension_configs={"toc": {"toc_depth": "2", "slugify": slugify_unicode}},
    )
    body_html = converter.convert(text)
    headings = tuple(
        # toc names come HTML-escaped; unescape so the template escapes them exactly once.
        Heading(id=token["id"], text=html.unescape(token["name"]))
        for token in converter.toc_tokens
        if token["level"] == 2
    )
    return RenderedArticle(html=sanitise(body_html), headings=headings)
