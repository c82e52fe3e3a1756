"""Week-20 figures on a small caseload worked by hand.

DfE definition (EHC plans statistics, verified from the 2025 data files): among
plans issued in the calendar year, a plan is within 20 weeks when issued no
later than 20 weeks after the request was received; "excluding exceptions"
drops plans flagged ``Week20 = 1`` from numerator and denominator. The
20-week limit is SEND Regulations 2014 reg. 13(2); its exceptions reg. 13(3)
applying reg. 10(4)(a)-(d). 20 weeks after Monday 5 January 2026 is Monday
25 May 2026 (140 days), the last compliant day.

Caseload (year 2026):

==  ===========  ==============================  ===========  =========================
#   received     exception                       issued       counts as
==  ===========  ==============================  ===========  =========================
1   2026-01-05   -                               2026-05-25   within (day 140), LA 201
2   2026-01-05   -                               2026-05-26   late, 20-52 weeks, LA 201
3   2026-01-12   school closure 9 Feb-20 Mar     2026-07-01   late, with exception, 202
4   2026-02-02   personal circumstances 2-10 Mar 2026-05-01   within, with exception, 202
5   2025-03-03   -                               2026-04-01   late, 56 weeks (> 52), 201
6   2025-06-02   -                               2025-10-01   issued in 2025: not counted
7   2026-02-02   refused 2026-03-09              -            no plan: not counted
8   (none)       -                               2026-03-01   no request date: not counted
==  ===========  ==============================  ===========  =========================

All plans: 5 issued, 2 within 20 weeks (40.0 %). Excluding the 2 with
exceptions: 1 of 3 within (33.3 %).
"""

from __future__ import annotations

from typing import Any

import pytest

from sendflow import Case, MissingExtra
from sendflow.sen2 import build_return, timeliness

#: The header items an LA supplies (DMO and DCO are required from 2026).
HDR = {"dmo": "Y", "dco": "Y", "dsco": "Y"}


def _plan(received: str, issued: str, la: str = "201",
          exception: dict[str, Any] | None = None) -> Case:
    events: list[dict[str, Any]] = [
        {"type": "request_received", "on": received, "made_by": "parent"},
        {"type": "assessment_decision", "on": received, "outcome": "assess"},
    ]
    if exception:
        events.append({"type": "exception_recorded", **exception})
    events += [{"type": "draft_plan_issued", "on": issued},
               {"type": "final_plan_issued", "on": issued}]
    return Case.model_validate({"responsible_la": la, "events": events})


def caseload() -> list[Case]:
    return [
        _plan("2026-01-05", "2026-05-25"),
        _plan("2026-01-05", "2026-05-26"),
        _plan("2026-01-12", "2026-07-01", "202",
              {"on": "2026-02-09", "until": "2026-03-20", "ground": "school_closure"}),
        _plan("2026-02-02", "2026-05-01", "202",
              {"on": "2026-03-02", "until": "2026-03-10",
               "ground": "exceptional_personal_circumstances"}),
        _plan("2025-03-03", "2026-04-01"),
        _plan("2025-06-02", "2025-10-01"),
        Case.model_validate({"responsible_la": "201", "events": [
            {"type": "request_received", "on": "2026-02-02", "made_by": "parent"},
            {"type": "assessment_decision", "on": "2026-03-09", "outcome": "refuse"}]}),
        Case.model_validate({"responsible_la": "201", "events": [
            {"type": "final_plan_issued", "on": "2026-03-01"}]}),
    ]


def test_headline_figures() -> None:
    t = timeliness(caseload(), year=2026)
    assert (t.plans_issued, t.within_20_weeks, t.with_exceptions) == (5, 2, 2)
    assert t.within_20_weeks_excluding_exceptions == 1
    assert t.plans_issued_excluding_exceptions == 3
    assert t.percent_within_20_weeks == 40.0
    assert t.percent_within_20_weeks_excluding_exceptions == 33.3
    assert t.weeks_20_to_52_excluding_exceptions == 1
    assert t.over_52_weeks_excluding_exceptions == 1


def test_breakdowns_by_month_la_and_need() -> None:
    t = timeliness(caseload(), year=2026)
    assert {m: f.plans_issued for m, f in t.by_month.items()} == {4: 1, 5: 3, 7: 1}
    assert t.by_month[5].within_20_weeks == 2
    assert {la: f.plans_issued for la, f in t.by_la.items()} == {"201": 3, "202": 2}
    assert t.by_la["202"].percent_within_20_weeks_excluding_exceptions is None
    assert t.by_la["201"].percent_within_20_weeks_excluding_exceptions == 33.3
    assert sum(f.plans_issued for f in t.by_need_type.values()) == 5


def test_the_previous_year_is_counted_separately() -> None:
    t = timeliness(caseload(), year=2025)
    assert (t.plans_issued, t.within_20_weeks) == (1, 1)


def test_the_same_figures_from_the_sen2_return() -> None:
    cases = caseload()
    returns = [build_return(cases, year=2027, la=la, header=HDR) for la in ("201", "202")]
    from_returns = timeliness(returns, year=2026)
    from_cases = timeliness(cases, year=2026)
    assert from_returns.as_dict() == from_cases.as_dict()
    assert from_returns.by_la.keys() == from_cases.by_la.keys()
    assert timeliness(returns[0], year=2026).plans_issued == 3


def test_the_week20_flag_is_the_engines_exception() -> None:
    ret = build_return(caseload(), year=2027, la="202", header=HDR)
    flags = [a.week20 for p in ret.persons for r in p.requests for a in r.assessment]
    assert flags == [True, True]


def test_rows_and_empty_year() -> None:
    t = timeliness([], year=2026)
    assert t.plans_issued == 0 and t.percent_within_20_weeks is None
    rows = list(timeliness(caseload(), year=2026).rows())
    assert rows[0]["breakdown"] == "total" and rows[0]["plans_issued"] == 5
    assert {r["breakdown"] for r in rows} == {"total", "month", "la", "need_type"}


def test_to_pandas_needs_the_dataframes_extra() -> None:
    t = timeliness(caseload(), year=2026)
    try:
        import pandas  # noqa: F401
    except ImportError:
        with pytest.raises(MissingExtra, match="dataframes"):
            t.to_pandas()
    else:
        frame = t.to_pandas()
        assert frame.loc[0, "plans_issued"] == 5
