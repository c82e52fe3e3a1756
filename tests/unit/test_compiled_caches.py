"""The engine's caches are keyed by what a rule is, never by an object's ``id()``.

Issue 15 point 3: rules are compiled once per rule id. A cached answer serves only the
very version (or an equal period) it was worked out from, so a copied or changed
registry whose version has the same rule id and first day gets its own parts.
"""

from __future__ import annotations

from datetime import date

from sendflow.compliance import _compiled
from sendflow.rules import get
from sendflow.rules._model import Period, PeriodUnit


def test_a_changed_version_under_the_same_key_gets_its_own_parts() -> None:
    rule = get("assessment.final_plan", on=date(2026, 1, 5))
    first = _compiled.parts_for(rule)
    assert first.rule is rule
    changed = rule.model_copy(update={"period": Period(amount=21, unit=PeriodUnit.WEEKS)})
    assert (changed.id, changed.effective_from) == (rule.id, rule.effective_from)
    second = _compiled.parts_for(changed)
    assert second.rule is changed
    assert second is not first
    # The registry's own version is still served its own parts afterwards.
    assert _compiled.parts_for(rule).rule is rule


def test_due_dates_are_remembered_by_the_period_and_start() -> None:
    _compiled.clear()
    six = Period(amount=6, unit=PeriodUnit.WEEKS)
    twenty = Period(amount=20, unit=PeriodUnit.WEEKS)
    start = date(2026, 1, 5)
    # 5 January 2026 + 6 weeks = 16 February; + 20 weeks = 25 May.
    assert _compiled.due_on(six, start) == date(2026, 2, 16)
    assert _compiled.due_on(twenty, start) == date(2026, 5, 25)
    # An equal period made elsewhere shares the answer; a different one does not.
    assert _compiled.due_on(Period(amount=6, unit=PeriodUnit.WEEKS), start) == date(2026, 2, 16)
    assert len(_compiled._DUES) == 2
    assert all(type(key[0]) is Period for key in _compiled._DUES)


def test_no_cache_in_the_engine_is_keyed_by_an_object_id() -> None:
    import re
    from pathlib import Path

    import sendflow.compliance as compliance

    root = Path(compliance.__file__).parent
    offenders = [
        f"{path.relative_to(root)}:{n}"
        for path in sorted(root.rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"(?<![\w.])id\(", line) and not line.lstrip().startswith("#")
    ]
    assert offenders == []
