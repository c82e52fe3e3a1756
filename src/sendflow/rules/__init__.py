"""Statutory time limits as cited, effective-dated data.

Each rule lives in a TOML file under ``sendflow/rules/data/``. A rule has an
id (``assessment.final_plan``), a plain-English duty, the events that start
and stop its clock, a period and how it is counted, the exception grounds that
can disapply it, its citations, and one or more dated versions. A change in
the law (such as the 2020 coronavirus modifications) is a new version under
the same id.

```python
>>> from datetime import date
>>> from sendflow import rules
>>> rules.get("assessment.decision", on=date(2026, 1, 5)).period.describe()
'within 6 weeks'

```
"""

from __future__ import annotations

from sendflow.rules._model import (
    Citation,
    CitationKind,
    Counting,
    EventMatch,
    ExceptionGround,
    GroundRule,
    LegalStatus,
    Period,
    PeriodUnit,
    Rule,
    RuleClock,
    YearlySpan,
)
from sendflow.rules._readings import (
    Reading,
    ReadingChoice,
    ReadingSource,
    default_readings,
    readings,
    resolve_readings,
)
from sendflow.rules._registry import RuleHistory, all_rules, get, history, in_force, rule_ids

__all__ = [
    "Citation",
    "CitationKind",
    "Counting",
    "EventMatch",
    "ExceptionGround",
    "GroundRule",
    "LegalStatus",
    "Period",
    "PeriodUnit",
    "Reading",
    "ReadingChoice",
    "ReadingSource",
    "Rule",
    "RuleClock",
    "RuleHistory",
    "YearlySpan",
    "all_rules",
    "default_readings",
    "get",
    "history",
    "in_force",
    "readings",
    "resolve_readings",
    "rule_ids",
]
