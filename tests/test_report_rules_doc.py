"""docs/report-rules.md and the RULES table of diary.rules list the same rules, in the same order."""

from __future__ import annotations

import re
from pathlib import Path

from diary.rules import RULES

DOC = Path(__file__).resolve().parent.parent / "docs" / "report-rules.md"


def documented_codes() -> list[str]:
    """The codes in the first column of the rules table: lines starting with | `CODE` |."""
    return re.findall(r"^\|\s*`([A-Z][A-Z0-9_]+)`\s*\|", DOC.read_text(encoding="utf-8"), flags=re.MULTILINE)


def test_the_document_lists_exactly_the_codes_of_the_rules():
    assert sorted(documented_codes()) == sorted(rule.code for rule in RULES)


def test_the_document_lists_each_code_once_in_table_order():
    assert documented_codes() == [rule.code for rule in RULES]


def documented_rows() -> dict[str, list[str]]:
    """Each documented code's table row, split into its cells."""
    rows = re.findall(r"^\|\s*`([A-Z][A-Z0-9_]+)`\s*\|(.*)$", DOC.read_text(encoding="utf-8"), flags=re.MULTILINE)
    return {code: [cell.strip() for cell in rest.split("|")] for code, rest in rows}


def test_the_document_gives_each_rule_the_level_and_article_of_the_table():
    rows = documented_rows()
    for rule in RULES:
        level, *_middle, article, _sources, _end = rows[rule.code]
        assert level == str(rule.level), rule.code
        assert article == rule.article, rule.code


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
        "NICE NG59",
        "NHS kidney infection",
        "NHS kidney stones",
        "ASAS",
    ):
        assert source in text


def test_every_rule_row_gives_a_person_message_and_a_clinician_message():
    for code, (_level, trigger, message, clinician, _article, sources, _end) in documented_rows().items():
        assert trigger and message and sources, code
        assert clinician.startswith(
            (
                "The patient",
                "Earlier in the period",
                "Night pain",
                "Morning",
                "After",
                "Bed",
                "Over",
                "Woken",
                "Only",
                "Back pain",
                "Leg",
                "Thoracic",
                "Nocturia",
            )
        ), code


def test_the_document_says_what_changed_from_v1():
    text = DOC.read_text(encoding="utf-8")
    assert "## Changes from v1" in text
    for code in ("KIDNEY_STONE_WITH_FEVER", "RED_FLAG_EARLIER", "MORNING_STIFFNESS_LONG", "LEG_PAIN_PERSISTS"):
        assert code in text.split("## Changes from v1")[1]
