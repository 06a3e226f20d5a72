"""docs/report-rules.md and diary.patterns list the same rule codes."""

from __future__ import annotations

import re
from pathlib import Path

from diary.patterns import ARTICLES, RULE_CODES

DOC = Path(__file__).resolve().parent.parent / "docs" / "report-rules.md"


def documented_codes() -> list[str]:
    """The codes in the first column of the rules table: lines starting with | `CODE` |."""
    return re.findall(r"^\|\s*`([A-Z][A-Z0-9_]+)`\s*\|", DOC.read_text(encoding="utf-8"), flags=re.MULTILINE)


def test_the_document_lists_exactly_the_codes_of_the_rules():
    assert sorted(documented_codes()) == sorted(RULE_CODES)


def test_the_document_lists_each_code_once_in_table_order():
    assert documented_codes() == list(RULE_CODES)


def test_every_rule_has_an_article_and_the_document_names_it():
    text = DOC.read_text(encoding="utf-8")
    assert set(ARTICLES) == set(RULE_CODES)
    for slug in set(ARTICLES.values()):
        assert slug in text


def test_the_document_cites_the_sources_behind_the_thresholds():
    text = DOC.read_text(encoding="utf-8")
    for source in (
        "Rudwaleit 2006",
        "Sieper",
        "NICE NG65",
        "NICE NG111",
        "Chou 2007",
        "Henschke 2013",
        "Kovacs 2003",
        "Jacobson 2009",
        "Farrar 2001",
        "unconfirmed rule of thumb",
    ):
        assert source in text
