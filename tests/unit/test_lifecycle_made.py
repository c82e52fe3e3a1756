"""Oracle: the lifecycle rules' remembered one-step deadlines equal the plain paths'.

``review.annual``, ``review.early_years`` and ``ceasing.age_25`` keep the deadline their
one-step path made for a plan with nothing after its issue to meet or move it, keyed by
bare dates (sendflow.compliance.evaluators._made), and hand the same frozen deadline to
the next plan that asks. Here every such report, made cold and then from the tables, is
held equal (every field and the private rule version) to the report of the plain
evaluators, over every day of birth in a span of years, issue dates either side of the
fifth birthday, several report dates, with and without a holiday table, an exception or
a later event; and the tables are checked to hold only bare dates and version ids.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sendflow import Case, evaluate
from sendflow.calendar import ENGLAND_AND_WALES
from sendflow.compliance._plan import clear_caches
from sendflow.compliance.evaluators import ceasing, review
from sendflow.lifecycle import _latest_end
from sendflow.rules._registry import history

#: The plain paths beside the fast ones (evaluate's ``evaluators=``).
PLAIN = {
    "review_annual": review.review_annual,
    "review_early_years": review.review_early_years,
    "ceasing_age_25": ceasing.ceasing_age_25,
}
RULES = ("review", "ceasing.age_25")
AS_OF = (date(2026, 1, 15), date(2019, 7, 31))


def _case(dob: date, issued: date, *later: dict[str, Any]) -> Case:
    events = [{"type": "final_plan_issued", "on": issued.isoformat()}, *later]
    return Case.model_validate({"child": {"date_of_birth": dob.isoformat()}, "events": events})


def _days(first: date, last: date, step: int = 1) -> list[date]:
    return [first + timedelta(days=i) for i in range(0, (last - first).days + 1, step)]


def _assert_same(case: Case, as_of: date, **kw: Any) -> None:
    fast = evaluate(case, as_of=as_of, rules=RULES, **kw)
    plain = evaluate(case, as_of=as_of, rules=RULES, evaluators=PLAIN, **kw)
    assert fast == plain, (case.events, as_of)
    for a, b in zip(fast.deadlines, plain.deadlines, strict=True):
        assert a.rule is b.rule
        assert a.model_dump() == b.model_dump()


def _plans() -> list[Case]:
    """One-event plans for every day of birth from 2008 to 2012 (leap days and the days
    around 31 July and 1 August included), each issued some days after a birthday, under
    five for some and not for others."""
    out = []
    for n, dob in enumerate(_days(date(2008, 1, 1), date(2012, 12, 31))):
        years = 1 + n % 7  # issued at ages 1 to 7
        issued = date(dob.year + years, 1, 1) + timedelta(days=(n * 37) % 365)
        out.append(_case(dob, issued))
    return out


def test_one_step_deadlines_equal_the_plain_paths_cold_and_warm() -> None:
    plans = _plans()
    assert any(c.child is not None and c.child.date_of_birth == date(2008, 2, 29) for c in plans)
    clear_caches()
    assert not review._ANNUAL_MADE and not ceasing._AGE_25_MADE and not ceasing._FE_BY_BIRTH
    for _ in range(2):  # cold, then from the tables
        for as_of in AS_OF:
            for case in plans:
                _assert_same(case, as_of)
    # the tables were used, and a warm report hands out the remembered deadline itself
    assert review._ANNUAL_MADE and review._EARLY_YEARS_MADE and ceasing._AGE_25_MADE
    case = plans[0]
    first = evaluate(case, as_of=AS_OF[0], rules=RULES)
    again = evaluate(case, as_of=AS_OF[0], rules=RULES)
    assert all(a is b for a, b in zip(first.deadlines, again.deadlines, strict=True))


def test_plans_issued_the_same_day_share_deadlines_only_where_nothing_personal_differs() -> None:
    # Worked by hand: a plan issued on Wed 1 Mar 2023 is first reviewed within 12 months
    # (CFA 2014 s. 44(1)): by Thu 29 Feb 2024; the child born 1 Sep 2020 is under 5
    # (Code of Practice 9.179: review every 3 to 6 months) and the one born 1 Sep 2010
    # is not; born 1 Aug 2010, the plan may run to 31 Jul 2036, the end of the academic
    # year in which the young person turns 25 (reg. 46(1)(a)); born 31 Jul, to 2035.
    clear_caches()
    as_of = date(2026, 1, 15)
    young = evaluate(_case(date(2020, 9, 1), date(2023, 3, 1)), as_of=as_of, rules=RULES)
    old = evaluate(_case(date(2010, 8, 1), date(2023, 3, 1)), as_of=as_of, rules=RULES)
    july = evaluate(_case(date(2010, 7, 31), date(2023, 3, 1)), as_of=as_of, rules=RULES)
    assert young.deadline("review.annual") is old.deadline("review.annual")
    assert old.deadline("review.annual").due == date(2024, 2, 29)
    assert young.deadline("review.early_years") is not None
    assert [d.rule_id for d in old.deadlines if d.rule_id == "review.early_years"] == []
    assert old.deadline("ceasing.age_25").due == date(2036, 7, 31)
    assert july.deadline("ceasing.age_25").due == date(2035, 7, 31)
    for dob in (date(2020, 9, 1), date(2010, 8, 1), date(2010, 7, 31)):
        _assert_same(_case(dob, date(2023, 3, 1)), as_of)


class _ExtraDay:
    """England and Wales' holidays and one more: 29 Feb 2024, a review's due date."""

    source = "test"

    def is_holiday(self, d: date, /) -> bool:
        return d == date(2024, 2, 29) or ENGLAND_AND_WALES.is_holiday(d)

    def covers(self, d: date, /) -> bool:
        return ENGLAND_AND_WALES.covers(d)


def test_holidays_exceptions_and_later_events_take_the_plain_way() -> None:
    clear_caches()
    calendar = _ExtraDay()
    extra = evaluate(_case(date(2010, 8, 1), date(2023, 3, 1)), as_of=AS_OF[0], rules=RULES,
                     holidays=calendar).deadline("review.annual")
    assert extra.latest_working_day == date(2024, 2, 28)  # the extra day is not remembered
    for dob in _days(date(2019, 1, 1), date(2021, 12, 31), step=11):
        issued = date(2023, 3, 1)
        _assert_same(_case(dob, issued), AS_OF[0], holidays=calendar)
        exception = {"type": "exception_recorded", "on": "2023-06-01",
                     "ground": "school_closure"}
        _assert_same(_case(dob, issued, exception), AS_OF[0])
        meeting = {"type": "review_meeting_held", "on": "2023-09-01"}
        _assert_same(_case(dob, issued, meeting), AS_OF[0])
    assert not review._ANNUAL_MADE  # none of those was remembered
    assert not review._EARLY_YEARS_MADE


def test_a_copy_of_a_remembered_deadline_leaves_it_alone() -> None:
    clear_caches()
    case = _case(date(2020, 9, 1), date(2023, 3, 1))
    shared = evaluate(case, as_of=AS_OF[0], rules=RULES).deadline("review.annual")
    copied = shared.model_copy(update={"note": "changed"})
    copied._rule = None
    again = evaluate(case, as_of=AS_OF[0], rules=RULES).deadline("review.annual")
    assert again is shared and again.note is None and again.rule is not None


def test_tables_hold_bare_dates_and_version_ids_only() -> None:
    clear_caches()
    for case in _plans()[::50]:
        evaluate(case, as_of=AS_OF[0], rules=RULES)
    for table in (review._ANNUAL_MADE, review._EARLY_YEARS_MADE):
        assert table
        assert all(len(k) == 2 and all(type(v) is date for v in k) for k in table)
    for rule_id, first, due, as_of in ceasing._AGE_25_MADE:
        assert rule_id == "ceasing.age_25" and (due.month, due.day) == (7, 31)
        assert type(first) is date and as_of == AS_OF[0]
    for (rule_id, _), table in ceasing._FE_BY_BIRTH.items():
        assert rule_id == "ceasing.age_25"
        assert all(type(k) is date and type(v) is date for k, v in table.ends.items())
        assert all(type(k) is int and type(v) is date for k, v in table.year_ends.items())


def test_clear_caches_forgets_the_remembered_deadlines() -> None:
    evaluate(_case(date(2020, 9, 1), date(2023, 3, 1)), as_of=AS_OF[0], rules=RULES)
    assert review._ANNUAL_MADE and review._EARLY_YEARS_MADE and ceasing._AGE_25_MADE
    clear_caches()
    assert review._ANNUAL_MADE == {} and review._EARLY_YEARS_MADE == {}
    assert ceasing._AGE_25_MADE == {} and ceasing._FE_BY_BIRTH == {}


def test_end_for_a_new_birthday_equals_latest_end_for_every_birthday() -> None:
    # _end_for_birth reads the version's limb, age and year ends once a version; held
    # equal to sendflow.lifecycle._latest_end over 15 years of days of birth (leap days,
    # 31 July and 1 August included), with the tables cold and then warm.
    first, last = date(1995, 1, 1), date(2009, 12, 31)
    days = _days(first, last)
    for rule in history("ceasing.age_25").versions:
        clear_caches()
        table = ceasing._birth_table(rule)
        for _ in range(2):
            for dob in days:
                assert ceasing._end_for_birth(table, dob) == _latest_end(
                    rule, dob, "further_education", None), (rule.effective_from, dob)
        assert table.year_ends  # the year ends were kept
