"""The report rules: pure, typed functions over a user's nights. No ORM, no request.

- ``records``: NightRecord, ProfileFacts, Finding, the report Window and small shared helpers;
- ``signs``, ``kidney``, ``mornings``, ``course``, ``inflammatory``, ``risk``, ``bed_outcomes``: one
  function per rule, named after its code; ``beds``: bed changes, runs, away nights and the judged
  changes; ``bed_figures``: the per-bed figures (not a rule);
- ``table``: the one RULES table (code, level, article, function) and the runner;
- ``report``: summary numbers, ``build_report`` and the JSON shape.

Counting conventions (issue 5; exact definitions and sources in docs/report-rules.md):
a night's ``date`` is the morning it ended; the report covers [start, end]; "the last N days"
are end-(N-1)..end, counting *logged* nights; means and shares are compared exactly.
"""

from diary.rules.bed_figures import BEFORE_AFTER_CAUTION, BedFigures, bed_figures, figures_over
from diary.rules.beds import bed_changes
from diary.rules.records import (
    FEVER_C,
    MORNING_PAIN_LIMIT_MIN,
    BedChange,
    Draft,
    Finding,
    Level,
    NightRecord,
    ProfileFacts,
    Window,
    has_fever,
    has_urinary_signs,
    is_pain_morning,
)
from diary.rules.report import Report, Summary, build_report, report_as_dict, summarize
from diary.rules.stats import spearman_rho
from diary.rules.table import (
    ARTICLE_SLUGS,
    ARTICLES,
    RULE_CODES,
    RULES,
    RULES_BY_CODE,
    Rule,
    run_rules,
    urgent_findings,
)

__all__ = [
    "BEFORE_AFTER_CAUTION",
    "BedFigures",
    "bed_figures",
    "figures_over",
    "ARTICLES",
    "ARTICLE_SLUGS",
    "FEVER_C",
    "MORNING_PAIN_LIMIT_MIN",
    "RULES",
    "RULES_BY_CODE",
    "RULE_CODES",
    "BedChange",
    "Draft",
    "Finding",
    "Level",
    "NightRecord",
    "ProfileFacts",
    "Report",
    "Rule",
    "Summary",
    "Window",
    "bed_changes",
    "build_report",
    "has_fever",
    "has_urinary_signs",
    "is_pain_morning",
    "report_as_dict",
    "run_rules",
    "spearman_rho",
    "summarize",
    "urgent_findings",
]
