"""SEN2 validation of the review's draft, the phase transfer and the named setting, each
worked by hand from the law it cites (SF0507, SF0606-SF0610), and the validation data's
joins (readings, citations).

SEND Regulations 2014 (SI 2014/1530): reg. 18(1)(b) — a transfer into school, infant to
junior, primary to middle or secondary: review and amend "before 15 February in the
calendar year of the transfer"; reg. 18(1)(a) — secondary school to a post-16
institution: before 31 March; reg. 18(2) — between post-16 institutions at another time:
at least five months before. Reg. 20(10), 22(2)-(5): the meeting, then the decision with
the draft amended plan, then the final plan.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sendflow.errors import RuleDataError
from sendflow.sen2 import READINGS, RULES, PlacementDetail, validate
from sendflow.sen2._validate import _parse, phase_transfer_deadlines

sys.path.insert(0, str(Path(__file__).parent))
from test_sen2_validate import full


def codes(year: int = 2026, **active: Any) -> set[str]:
    return validate(full(year, active=active)).codes()


# ------------------------------------------------------------ SF0608: reg. 18's dates
@pytest.mark.parametrize(("due", "ok"), [
    (date(2025, 2, 14), True),   # the last day "before 15 February" (reg. 18(1)(b))
    (date(2025, 2, 15), True),   # "by 15 February", as the Code of Practice writes it
    (date(2025, 3, 30), True),   # the last day before 31 March (reg. 18(1)(a), post-16)
    (date(2025, 3, 31), True),   # "by 31 March"
    (date(2025, 2, 13), False),
    (date(2025, 2, 16), False),
    (date(2025, 4, 1), False),
    (date(2025, 9, 1), False),   # the transfer day itself is not the deadline
])
def test_the_due_date_is_one_of_reg_18s_fixed_dates(due: date, ok: bool) -> None:
    assert ("SF0608" not in codes(phase_transfer_due_date=due)) is ok


def test_the_fixed_dates_come_from_the_rule_data() -> None:
    # transfer.phase in rules/data/transfer.toml: period 15 Feb, periods.secondary_to_post16
    # 31 Mar; 2028 is a leap year, and 14 Feb is still the day before 15 Feb.
    assert phase_transfer_deadlines(date(2028, 7, 1)) == {
        date(2028, 2, 14), date(2028, 2, 15), date(2028, 3, 30), date(2028, 3, 31)}
    # No version of the rule is in force before 1 September 2014: no date passes.
    assert phase_transfer_deadlines(date(2014, 2, 14)) == frozenset()


def test_which_day_is_a_named_reading() -> None:
    rule = next(r for r in RULES if r.code == "SF0608")
    assert rule.reading == "sen2.phase_transfer_due_date.day"
    reading = READINGS[rule.reading]
    assert reading.chosen.startswith("either") and "transfer.phase" in reading.alternative


def test_a_post_16_move_at_another_time_is_a_query_not_an_error() -> None:
    # reg. 18(2): five months before a move on 1 January 2026 is 1 August 2025.
    report = validate(full(active={"phase_transfer_due_date": date(2025, 8, 1)}))
    assert "SF0608" in report.codes() and report.ok


# --------------------------------------------------------- SF0609, SF0610: the final plan
def test_a_final_plan_after_the_due_date_is_late() -> None:
    due = date(2025, 2, 14)
    assert "SF0609" not in codes(phase_transfer_due_date=due,
                                 phase_transfer_final_date=date(2025, 2, 14))  # on the day
    assert "SF0609" not in codes(phase_transfer_due_date=due,
                                 phase_transfer_final_date=date(2025, 1, 20))
    report = validate(full(active={"phase_transfer_due_date": due,
                                   "phase_transfer_final_date": date(2025, 2, 15)}))
    assert "SF0609" in report.codes() and report.ok  # a query: a true record of a late plan


def test_a_final_date_needs_its_due_date() -> None:
    assert "SF0610" in codes(phase_transfer_final_date=date(2025, 2, 10))
    assert "SF0610" not in codes(phase_transfer_due_date=date(2025, 2, 15),
                                 phase_transfer_final_date=date(2025, 2, 10))
    assert not validate(full(active={"phase_transfer_final_date": date(2025, 2, 10)})).ok


# ------------------------------------------------------ SF0606, SF0607: the draft's place
def test_the_draft_follows_the_meeting() -> None:
    meeting = {"review_meeting": date(2025, 6, 2), "review_outcome": "A"}
    assert "SF0606" in codes(**meeting, review_draft=date(2025, 5, 30))
    assert "SF0606" not in codes(**meeting, review_draft=date(2025, 6, 2))  # the same day
    assert "SF0606" not in codes(**meeting, review_draft=date(2025, 6, 20))
    assert "SF0606" not in codes(review_draft=date(2025, 6, 20))  # no meeting to compare
    assert not validate(full(active={**meeting, "review_draft": date(2025, 5, 30)})).ok


def test_the_draft_comes_before_the_final_plan() -> None:
    transfer = {"phase_transfer_due_date": date(2025, 2, 14)}
    assert "SF0607" in codes(**transfer, review_draft=date(2025, 2, 1),
                             phase_transfer_final_date=date(2025, 1, 31))
    assert "SF0607" not in codes(**transfer, review_draft=date(2025, 1, 10),
                                 phase_transfer_final_date=date(2025, 2, 1))
    assert "SF0607" not in codes(**transfer, review_draft=date(2025, 2, 1),
                                 phase_transfer_final_date=date(2025, 2, 1))
    # The meeting was before the final plan too: the draft of that review came after it.
    autumn = {"review_meeting": date(2024, 11, 4), "review_outcome": "A"}
    report = validate(full(active={**transfer, **autumn, "review_draft": date(2025, 2, 20),
                                   "phase_transfer_final_date": date(2025, 2, 10)}))
    assert "SF0607" in report.codes() and report.ok  # a query
    # A transfer in September 2025 and the next annual review that autumn: the latest
    # review's meeting and draft both follow the transfer's final plan, rightly.
    later = {"review_meeting": date(2025, 10, 6), "review_outcome": "A",
             "review_draft": date(2025, 10, 27)}
    assert "SF0607" not in codes(**transfer, **later,
                                 phase_transfer_final_date=date(2025, 2, 10))


def test_the_2025_collection_is_checked_when_the_items_are_given() -> None:
    # In the collection from 2025 (voluntary), mandatory from 2026: checked whenever given.
    assert "SF0609" in codes(2025, phase_transfer_due_date=date(2024, 2, 14),
                             phase_transfer_final_date=date(2024, 3, 1))


# ------------------------------------------------ SF0507: named setting and placement
def test_the_named_setting_is_among_the_placements() -> None:
    assert "SF0507" in validate(full(detail={"urn": "100001"})).codes()
    second = (PlacementDetail(urn="100000", placement_rank=1, entry_date=date(2024, 9, 1)),
              PlacementDetail(urn="100001", placement_rank=2, entry_date=date(2024, 9, 1)))
    dual = full(detail={"urn": "100001"}, active={"placements": second})
    assert "SF0507" not in validate(dual).codes()  # the second placement is the named one
    # No placement at all is SF0702's failure, not this one's.
    none = validate(full(detail={"urn": "100001"}, active={"placements": ()})).codes()
    assert "SF0702" in none and "SF0507" not in none
    # A plan naming a type of setting (no URN) is not compared.
    typed = full(detail={"urn": None, "sen_setting": "OLA"})
    assert "SF0507" not in validate(typed).codes()
    assert validate(full(detail={"urn": "100001"})).ok  # a query


# ------------------------------------------------------------------ data and its joins
def test_each_new_rule_cites_the_law_it_checks() -> None:
    by_code = {r.code: r for r in RULES}
    for code, provision in (("SF0507", "reg. 12(1)(i)"), ("SF0606", "reg. 20(10)"),
                            ("SF0607", "reg. 22(2)-(5)"), ("SF0608", "reg. 18(1)(a)"),
                            ("SF0609", "reg. 18(1)")):
        cites = by_code[code].citations
        assert any(provision in c.provision for c in cites), code
        assert all(c.href.startswith("https://www.legislation.gov.uk/") for c in cites)


def test_the_request_source_exemption_is_a_named_reading() -> None:
    rule = next(r for r in RULES if r.code == "SF0207")
    reading = READINGS[rule.reading or ""]
    assert not reading.verified and "Not required if request outcome is historical (H)" \
        in reading.evidence
    assert reading.chosen.startswith("exempt") and reading.alternative


_RULE = '''
[[rule]]
code = "SF9999"
module = "Person"
severity = "error"
message = "m"
item = "i"
'''
_READING = '''
[[reading]]
id = "x"
question = "q"
chosen = "c"
alternative = "a"
evidence = "e"
'''


@pytest.mark.parametrize(("text", "key"), [
    (_RULE + 'reading = "nowhere"\n', "rule[0].reading"),
    (_READING + _RULE, "reading[0].id"),  # a reading no rule follows
    (_READING + _READING + _RULE + 'reading = "x"\n', "reading[1].id"),
    (_RULE + _RULE, "rule[1].code"),
    (_RULE + 'colour = "blue"\n', "rule[0]"),
    (_RULE + 'citations = [{ title = "t", provision = "p", href = "http://x" }]\n',
     "rule[0].citations"),
])
def test_a_broken_join_names_the_file_and_key(text: str, key: str) -> None:
    with pytest.raises(RuleDataError) as info:
        _parse(text)
    assert info.value.file == "validation.toml" and info.value.key == key
