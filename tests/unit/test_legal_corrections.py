"""Legal corrections of issue 15 point 5 that the rule data carries."""

from __future__ import annotations

from datetime import date

import pytest

from sendflow import RuleNotFound, rules
from sendflow.partners import AdviceKind


@pytest.mark.parametrize("rule_id", ["assessment.advice", "reassessment.advice"])
def test_every_body_but_the_family_starts_the_reg_8_clock(rule_id: str) -> None:
    # Reg. 8 binds a body asked under CFA s. 31; the family's own views (reg. 6(1)(a))
    # are not such advice. A new kind of adviser must be added to the data on purpose.
    for version in rules.history(rule_id).versions:
        started = {m.where.get("adviser") for m in version.clock.starts}
        expected = {k.value for k in AdviceKind} - {AdviceKind.PARENT_OR_YOUNG_PERSON.value}
        assert started == expected, (rule_id, version.effective_from)


@pytest.mark.parametrize(
    ("rule_id", "weeks_as_made", "weeks_2015"),
    [
        ("unopposed.assess_notify", 4, 2),
        ("unopposed.amend_content", 4, 5),
        ("unopposed.amend_placement", 2, 2),
    ],
)
def test_reg_45_as_made_is_a_dated_version(
    rule_id: str, weeks_as_made: int, weeks_2015: int
) -> None:
    as_made = rules.get(rule_id, on=date(2015, 3, 22))
    assert (as_made.effective_from, as_made.effective_to) == (date(2014, 9, 1), date(2015, 3, 22))
    assert as_made.period.amount == weeks_as_made
    assert rules.get(rule_id, on=date(2015, 3, 23)).period.amount == weeks_2015


@pytest.mark.parametrize(
    "rule_id", ["unopposed.assess_no_plan", "unopposed.assess_final", "unopposed.cease_appeal"]
)
def test_limits_added_in_2015_have_no_earlier_version(rule_id: str) -> None:
    with pytest.raises(RuleNotFound):
        rules.get(rule_id, on=date(2015, 3, 22))
