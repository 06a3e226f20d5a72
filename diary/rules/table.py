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

from django.utils.translation import gettext_lazy as _

from diary.rules.bed_outcomes import bed_change_helped, bed_change_no_effect, bed_change_too_early
from diary.rules.course import (
    leg_pain_persists,
    night_pain_unrelieved,
    not_enough_data,
    pain_not_improving,
    pain_worsening,
    stress_link,
)
from diary.rules.inflammatory import inflammatory_pattern, spa_referral_criteria
from diary.rules.kidney import (
    kidney_episode_earlier,
    kidney_infection_signs,
    kidney_stone_pattern,
    kidney_stone_with_fever,
)
from diary.rules.medicines import opioid_most_nights, paracetamol_over_4g, peg_improved, peg_worsened
from diary.rules.mornings import bed_likely, morning_pain_persists, morning_stiffness_long
from diary.rules.records import LEVEL_ORDER, Draft, Finding, Level, NightRecord, TemperatureWords, Window
from diary.rules.risk import night_pain_risk_factors, upper_back_pain_risk
from diary.rules.signs import fever, frequent_night_urination, red_flag_earlier, red_flag_nerves, urinary_symptoms

RuleFunction = Callable[[Window], Draft | Sequence[Draft] | None]


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    level: Level
    article: str  # slug of the article the finding links to
    check: RuleFunction
    clinical_title: str  # the heading a clinician reads (share page, PDF): never the code; lazily translated

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
                clinician_message=draft.clinician_message,
                clinical_title=str(self.clinical_title),  # in the language active while the report is built
            )
            for draft in drafts
        )


URGENT, SEE_DOCTOR, INFO = Level.URGENT, Level.SEE_DOCTOR, Level.INFO

# Article slugs, short so that each rule stays one row.
DOCTOR = "when-to-see-a-doctor"
KIDNEY = "kidney-pain-or-back-pain"
AXSPA = "ankylosing-spondylitis"
DISC = "herniated-disc"
NIGHT = "why-does-my-back-hurt-at-night"
BED = "is-it-your-bed"
STRESS = "stress-and-back-pain"
DIARY = "keeping-a-pain-diary"

# Within a level, findings keep this order. Keep docs/report-rules.md's table in the same order.
RULES: tuple[Rule, ...] = (
    # urgent
    Rule("RED_FLAG_NERVES", URGENT, DOCTOR, red_flag_nerves, _("Possible cauda equina signs")),
    Rule("KIDNEY_INFECTION_SIGNS", URGENT, KIDNEY, kidney_infection_signs, _("Possible pyelonephritis")),
    Rule("KIDNEY_STONE_WITH_FEVER", URGENT, KIDNEY, kidney_stone_with_fever, _("Renal colic with fever or rigors")),
    # see_doctor
    Rule("RED_FLAG_EARLIER", SEE_DOCTOR, DOCTOR, red_flag_earlier, _("Earlier possible cauda equina signs")),
    Rule("KIDNEY_EPISODE_EARLIER", SEE_DOCTOR, KIDNEY, kidney_episode_earlier, _("Earlier kidney infection signs")),
    Rule(
        "KIDNEY_STONE_PATTERN", SEE_DOCTOR, KIDNEY, kidney_stone_pattern, _("Pain pattern compatible with renal colic")
    ),
    Rule("FEVER", SEE_DOCTOR, DOCTOR, fever, _("Fever with back pain")),
    Rule("URINARY_SYMPTOMS", SEE_DOCTOR, KIDNEY, urinary_symptoms, _("Urinary symptoms with back pain")),
    Rule("MORNING_STIFFNESS_LONG", SEE_DOCTOR, AXSPA, morning_stiffness_long, _("Morning stiffness over 30 minutes")),
    Rule("LEG_PAIN_PERSISTS", SEE_DOCTOR, DISC, leg_pain_persists, _("Persistent leg pain (possible sciatica)")),
    Rule("UPPER_BACK_PAIN_RISK", SEE_DOCTOR, DOCTOR, upper_back_pain_risk, _("Thoracic pain with risk factors")),
    Rule(
        "BED_CHANGE_NO_EFFECT", SEE_DOCTOR, NIGHT, bed_change_no_effect, _("No improvement 4 weeks after a bed change")
    ),
    Rule("INFLAMMATORY_PATTERN", SEE_DOCTOR, AXSPA, inflammatory_pattern, _("Inflammatory back pain features")),
    Rule(
        "NIGHT_PAIN_UNRELIEVED", SEE_DOCTOR, NIGHT, night_pain_unrelieved, _("Frequent night waking, pain unrelieved")
    ),
    Rule("PAIN_WORSENING", SEE_DOCTOR, DOCTOR, pain_worsening, _("Night pain worsening")),
    Rule("PAIN_NOT_IMPROVING", SEE_DOCTOR, DOCTOR, pain_not_improving, _("No improvement over a month or more")),
    Rule("NIGHT_PAIN_RISK_FACTORS", SEE_DOCTOR, DOCTOR, night_pain_risk_factors, _("Night pain with risk factors")),
    Rule("SPA_REFERRAL_CRITERIA", SEE_DOCTOR, AXSPA, spa_referral_criteria, _("NICE NG65 spondyloarthritis criteria")),
    # xgettext:no-python-format
    Rule("PEG_WORSENED", SEE_DOCTOR, DOCTOR, peg_worsened, _("PEG score worse by 30 % or more")),
    # info
    Rule("FREQUENT_NIGHT_URINATION", INFO, KIDNEY, frequent_night_urination, _("Nocturia")),
    Rule("MORNING_PAIN_PERSISTS", INFO, NIGHT, morning_pain_persists, _("Morning pain over 15 minutes")),
    Rule("BED_LIKELY", INFO, BED, bed_likely, _("Pattern compatible with bed-related mechanical pain")),
    Rule("BED_CHANGE_HELPED", INFO, BED, bed_change_helped, _("Improvement after a bed change")),
    Rule("BED_CHANGE_TOO_EARLY", INFO, BED, bed_change_too_early, _("Recent bed change, too early to judge")),
    Rule("STRESS_LINK", INFO, STRESS, stress_link, _("Night pain correlates with stress")),
    Rule("NOT_ENOUGH_DATA", INFO, DIARY, not_enough_data, _("Short diary")),
    # xgettext:no-python-format
    Rule("PEG_IMPROVED", INFO, DIARY, peg_improved, _("PEG score better by 30 % or more")),
    Rule("OPIOID_MOST_NIGHTS", INFO, DOCTOR, opioid_most_nights, _("Opioid on most nights")),
    Rule("PARACETAMOL_OVER_4G", INFO, DOCTOR, paracetamol_over_4g, _("Paracetamol above 4 g in a day")),
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


def urgent_findings(night: NightRecord, temperature: TemperatureWords | None = None) -> list[Finding]:
    """The urgent rules evaluated on one night alone, as the log form's immediate warning.

    The same functions as the report's, on a window of that single night (start = end = its
    date), so the warning and the report cannot disagree about a night.
    """
    window = Window([night], night.date, night.date, temperature=temperature)
    return run_rules(window, [rule for rule in RULES if rule.level is Level.URGENT])
