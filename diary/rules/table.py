"""The one table of report rules, and the runner that evaluates it.

``RULES`` drives everything that lists the rules: the order of the findings (by level, then
table order), the codes the documentation must list (tests/test_report_rules_doc.py) and the
article each finding links to. To add a rule: write one function ``rule(window) -> Draft | None``
(or a list of drafts) in a module of this package, and add one ``Rule`` row here.

A rule that depends on others asks ``window.fired("CODE")`` or ``window.fired_at(Level.URGENT)``;
the runner evaluates every rule at most once per window, whatever the order of the asks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from diary.rules.beds import bed_change_helped, bed_change_no_effect, bed_change_too_early, bed_likely
from diary.rules.course import (
    morning_pain_persists,
    night_pain_unrelieved,
    not_enough_data,
    pain_not_improving,
    pain_worsening,
    stress_link,
)
from diary.rules.inflammatory import inflammatory_pattern, night_pain_risk_factors, spa_referral_criteria
from diary.rules.records import LEVEL_ORDER, Draft, Finding, Level, Window
from diary.rules.signs import fever, frequent_night_urination, kidney_infection_signs, red_flag_nerves, urinary_symptoms

RuleFunction = Callable[[Window], Draft | Sequence[Draft] | None]


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    level: Level
    article: str  # slug of the article the finding links to
    check: RuleFunction

    def findings(self, window: Window) -> tuple[Finding, ...]:
        """The rule's findings on this window, with the table's code, level and article."""
        result = self.check(window)
        drafts = () if result is None else (result,) if isinstance(result, Draft) else tuple(result)
        return tuple(
            Finding(
                code=self.code,
                level=self.level,
                title=draft.title,
                message=draft.message,
                evidence=draft.evidence,
                article=self.article,
                detail=draft.detail,
                tell_doctor=draft.tell_doctor,
            )
            for draft in drafts
        )


URGENT, SEE_DOCTOR, INFO = Level.URGENT, Level.SEE_DOCTOR, Level.INFO

RULES: tuple[Rule, ...] = (
    Rule("RED_FLAG_NERVES", URGENT, "when-to-see-a-doctor", red_flag_nerves),
    Rule("KIDNEY_INFECTION_SIGNS", URGENT, "kidney-pain-or-back-pain", kidney_infection_signs),
    Rule("FEVER", SEE_DOCTOR, "when-to-see-a-doctor", fever),
    Rule("URINARY_SYMPTOMS", SEE_DOCTOR, "kidney-pain-or-back-pain", urinary_symptoms),
    Rule("FREQUENT_NIGHT_URINATION", INFO, "kidney-pain-or-back-pain", frequent_night_urination),
    Rule("MORNING_PAIN_PERSISTS", SEE_DOCTOR, "why-does-my-back-hurt-at-night", morning_pain_persists),
    Rule("BED_LIKELY", INFO, "is-it-your-bed", bed_likely),
    Rule("BED_CHANGE_HELPED", INFO, "is-it-your-bed", bed_change_helped),
    Rule("BED_CHANGE_NO_EFFECT", SEE_DOCTOR, "why-does-my-back-hurt-at-night", bed_change_no_effect),
    Rule("BED_CHANGE_TOO_EARLY", INFO, "is-it-your-bed", bed_change_too_early),
    Rule("INFLAMMATORY_PATTERN", SEE_DOCTOR, "ankylosing-spondylitis", inflammatory_pattern),
    Rule("NIGHT_PAIN_UNRELIEVED", SEE_DOCTOR, "why-does-my-back-hurt-at-night", night_pain_unrelieved),
    Rule("PAIN_WORSENING", SEE_DOCTOR, "when-to-see-a-doctor", pain_worsening),
    Rule("PAIN_NOT_IMPROVING", SEE_DOCTOR, "when-to-see-a-doctor", pain_not_improving),
    Rule("STRESS_LINK", INFO, "stress-and-back-pain", stress_link),
    Rule("NOT_ENOUGH_DATA", INFO, "keeping-a-pain-diary", not_enough_data),
    Rule("NIGHT_PAIN_RISK_FACTORS", SEE_DOCTOR, "when-to-see-a-doctor", night_pain_risk_factors),
    Rule("SPA_REFERRAL_CRITERIA", SEE_DOCTOR, "ankylosing-spondylitis", spa_referral_criteria),
)

RULES_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}
RULE_CODES: tuple[str, ...] = tuple(RULES_BY_CODE)
ARTICLES: dict[str, str] = {rule.code: rule.article for rule in RULES}
ARTICLE_SLUGS: frozenset[str] = frozenset(ARTICLES.values())
_TABLE_ORDER = {code: i for i, code in enumerate(RULE_CODES)}


def run_rules(window: Window, rules: Iterable[Rule] = RULES) -> list[Finding]:
    """Evaluate `rules` on the window; findings sorted urgent, see_doctor, info, then table order.

    Rules outside `rules` that a rule asks about are evaluated too, but only `rules` are returned.
    """
    results: dict[str, tuple[Finding, ...] | None] = {}

    def findings_of(code: str) -> tuple[Finding, ...]:
        if code not in results:
            results[code] = None  # being evaluated: asking again would be a cycle
            results[code] = RULES_BY_CODE[code].findings(window)
        found = results[code]
        if found is None:
            raise RuntimeError(f"rule {code} depends on itself")
        return found

    window.findings_of = findings_of
    window.codes_at = lambda levels: [rule.code for rule in RULES if rule.level in levels]
    found = [finding for rule in rules for finding in findings_of(rule.code)]
    # sorted() is stable: the findings of one rule (bed changes) keep the order of their dates.
    return sorted(found, key=lambda finding: (LEVEL_ORDER[finding.level], _TABLE_ORDER[finding.code]))
