"""Oracle: ceasing.age_25's cached further education end equals the plain _latest_end.

``_further_education_end`` keeps only the year of the birthday the rule names and whether
it falls after that year's end; this holds it equal to sendflow.lifecycle._latest_end for
every day of birth across a span of years (leap days and the days around 31 July and
1 August included), in every version of the rule, looked up cold and then from the cache.
"""

from __future__ import annotations

from datetime import date, timedelta

from sendflow.compliance._plan import clear_caches
from sendflow.compliance.evaluators import ceasing
from sendflow.lifecycle import _latest_end
from sendflow.rules._registry import history

_FIRST, _LAST = date(1995, 1, 1), date(2009, 12, 31)


def _days() -> list[date]:
    n = (_LAST - _FIRST).days + 1
    return [_FIRST + timedelta(days=i) for i in range(n)]


def test_further_education_end_equals_latest_end_for_every_birthday() -> None:
    days = _days()
    assert date(2000, 2, 29) in days and date(2004, 7, 31) in days  # the edges are covered
    for rule in history("ceasing.age_25").versions:
        clear_caches()
        assert not ceasing._FE_ENDS
        for _ in range(2):  # cold, then from the cache
            for dob in days:
                assert ceasing._further_education_end(rule, dob) == _latest_end(
                    rule, dob, "further_education", None
                ), (rule.effective_from, dob)
        assert ceasing._FE_ENDS  # the cache was used


def test_clear_caches_forgets_further_education_ends() -> None:
    rule = history("ceasing.age_25").versions[0]
    ceasing._further_education_end(rule, date(2001, 8, 1))
    assert ceasing._FE_ENDS
    clear_caches()
    assert ceasing._FE_ENDS == {}


def test_worked_example_birthday_either_side_of_the_year_end() -> None:
    # reg. 46(1)(a): the academic year of a further education college ends on 31 July.
    # Turning 25 on 31 July 2035 ends that day; on 1 August 2035, the next 31 July.
    rule = history("ceasing.age_25").on(date(2020, 1, 1))
    assert rule is not None
    clear_caches()
    assert ceasing._further_education_end(rule, date(2010, 7, 31)) == date(2035, 7, 31)
    assert ceasing._further_education_end(rule, date(2010, 8, 1)) == date(2036, 7, 31)
    assert ceasing._further_education_end(rule, date(2010, 7, 30)) == date(2035, 7, 31)
