"""What a Russian reader sees of a page, and the English words left in it: shared by the
translation completeness test, the Russian pages' tests and the Russian browser journey."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Latin words a Russian page may show: names of formats, standards, scales and paper sizes, the
# sources the report cites (their authors and bodies), and "English" (the switcher names each
# language in that language).
ALLOWED_LATIN = {
    *("CSV", "UTF", "JSON", "PDF", "FHIR", "UTC", "GMT", "PEG", "SVG", "QR", "JavaScript", "Letter", "English"),
    *("NICE", "NHS", "ASAS", "Rudwaleit", "Krebs", "et", "al"),
}
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*[A-Za-z]")
# Parts of a text that are not words of the interface: addresses, file names and extensions, time
# zone names, and "E-mail", which allauth's own Russian catalogue uses (as Russian often does).
NOT_WORDS = re.compile(
    r"https?://\S+|[\w.+-]+@[\w.-]+|[\w-]*\.(?:json|csv|pdf)\b|\b[A-Z][A-Za-z_]+(?:/[A-Za-z_+-]+)+|\bE-mail\b"
)


def english_words(text: str, allowed: set[str] = frozenset()) -> list[str]:
    """The runs of Latin words in `text` that are not allowed: ["Save profile", "Edit"]."""
    text = NOT_WORDS.sub(" ", text)
    runs, run = [], []
    for token in re.split(r"(\s+|[^\w'’]+)", text):
        if not token or not token.strip() or re.fullmatch(r"[^\w]+", token) and run:
            continue  # spaces and punctuation keep a run going
        if LATIN_WORD.fullmatch(token) and token not in ALLOWED_LATIN | allowed:
            run.append(token)
        else:
            if run:
                runs.append(" ".join(run))
            run = []
    if run:
        runs.append(" ".join(run))
    return runs


class VisibleText(HTMLParser):
    """The text of a page as a person meets it: its title, body text and the attributes that are
    read out (labels, placeholders, titles), without scripts and styles."""

    # Not read as prose: scripts and styles, and code (a file format's column names and codes,
    # which stay as the importer reads them in every language).
    HIDDEN = {"script", "style", "template", "code", "pre", "kbd", "samp"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden: list[str] = []  # the open elements whose text is not read

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        # Time zone names are identifiers ("America/Argentina/Rio_Gallegos"), the same in every language.
        if tag in self.HIDDEN or (tag == "select" and attributes.get("name") == "time_zone"):
            self.hidden.append(tag)
        for name in ("title", "aria-label", "placeholder", "alt", "aria-description"):
            if attributes.get(name):
                self.parts.append(attributes[name])
        if tag == "input" and attributes.get("type") in {"submit", "button", "reset"} and attributes.get("value"):
            self.parts.append(attributes["value"])
        if tag == "meta" and attributes.get("name") == "description":
            self.parts.append(attributes.get("content") or "")

    def handle_endtag(self, tag):
        if self.hidden and self.hidden[-1] == tag:
            self.hidden.pop()

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    # An article's own text cites its sources in their language (English journals): left out here;
    # tests/test_languages.py checks the Russian articles themselves.
    html = re.sub(r'<div class="article-body">.*?</div>\s*<aside', "<aside", html, flags=re.S)
    parser = VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)
