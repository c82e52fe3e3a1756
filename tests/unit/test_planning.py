"""Planning dates: latest safe steps on working days, statutory dates never moved (issue 18)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sendflow import calendar, plan_timeline
from sendflow._cli import main
from sendflow.rules import get as get_rule


def test_readme_timeline_rolls_the_sunday_draft_back_to_friday() -> None:
    # Request Mon 5 Jan 2026: week 20 is Mon 25 May (Spring bank holiday, not moved).
    # Latest draft = 25 May - 15 days = Sun 10 May -> Fri 8 May.
    # All advice back = Fri 8 May - 14 days = Fri 24 Apr (a working day, kept).
    # Advice requested = Fri 24 Apr - 6 weeks = Fri 13 Mar (kept).
    t = plan_timeline(request_received=date(2026, 1, 5))
    assert t.step("final_plan").on == date(2026, 5, 25)
    assert t.step("final_plan").computed_on is None
    draft = t.step("latest_draft")
    assert (draft.on, draft.computed_on) == (date(2026, 5, 8), date(2026, 5, 10))
    assert draft.note is not None and "rolled back from Sun 10 May 2026" in draft.note
    assert t.step("latest_advice_back").on == date(2026, 4, 24)
    assert t.step("latest_advice_back").computed_on is None
    assert t.step("latest_advice_requests").on == date(2026, 3, 13)
    assert t.warnings == ()
    assert "(rolled back from Sun 10 May 2026)" in t.to_text()


def test_good_friday_is_not_a_planning_day() -> None:
    # Request Sat 21 Nov 2026: week 20 is Sat 10 Apr 2027. Latest draft = 10 Apr - 15 days =
    # Fri 26 Mar 2027, Good Friday -> Thu 25 Mar. Advice back Thu 11 Mar, asked Thu 28 Jan.
    t = plan_timeline(request_received=date(2026, 11, 21))
    assert t.step("final_plan").on == date(2027, 4, 10)  # a Saturday, and it stays one
    assert t.step("latest_draft").on == date(2027, 3, 25)
    assert t.step("latest_draft").computed_on == date(2027, 3, 26)
    assert t.step("latest_advice_back").on == date(2027, 3, 11)
    assert t.step("latest_advice_requests").on == date(2027, 1, 28)


def test_each_step_is_worked_back_from_the_rolled_step_after_it() -> None:
    # drafting_days=13: Fri 8 May - 13 days = Sat 25 Apr -> Fri 24 Apr; then 6 weeks before
    # Fri 24 Apr (not before Sat 25 Apr) = Fri 13 Mar.
    t = plan_timeline(request_received=date(2026, 1, 5), drafting_days=13)
    back = t.step("latest_advice_back")
    assert (back.on, back.computed_on) == (date(2026, 4, 24), date(2026, 4, 25))
    assert t.step("latest_advice_requests").on == date(2026, 3, 13)


def test_warning_when_assumptions_put_a_step_before_the_request() -> None:
    # 200 drafting days: all advice back by Mon 20 Oct 2025 (Fri 8 May 2026 - 200 days),
    # requested by Mon 8 Sep 2025: both before the request of Mon 5 Jan 2026.
    t = plan_timeline(request_received=date(2026, 1, 5), drafting_days=200)
    assert t.step("latest_advice_back").on == date(2025, 10, 20)
    assert len(t.warnings) == 2
    assert all("before the request was received (Mon 5 Jan 2026)" in w for w in t.warnings)
    assert '"request all advice" (Mon 8 Sep 2025)' in t.warnings[0]
    assert "Warnings:" in t.to_text()


def test_cli_prints_warnings_on_stderr_for_json(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["timeline", "--request-received", "2026-01-05", "--drafting-days", "200"]
    assert main([*args, "--format", "json"]) == 0
    out, err = capsys.readouterr()
    assert len(json.loads(out)["warnings"]) == 2
    assert err.count("sendflow timeline: warning:") == 2
    assert main(args) == 0
    out, err = capsys.readouterr()
    assert "Warnings:" in out and err == ""


@given(
    st.dates(min_value=date(2015, 1, 1), max_value=date(2040, 12, 31)),
    st.integers(min_value=0, max_value=60),
)
def test_latest_safe_steps_are_working_days_and_statutory_dates_are_not_moved(
    request_received: date, drafting_days: int
) -> None:
    t = plan_timeline(request_received=request_received, drafting_days=drafting_days)
    final = get_rule("assessment.final_plan", on=request_received).period.due(request_received)
    assert t.step("final_plan").on == final
    for step in t.steps:
        if step.kind == "statutory":
            assert step.computed_on is None
            continue
        assert calendar.is_working_day(step.on)
        if step.computed_on is None:
            continue
        # rolled back to the working day immediately before the arithmetic's date
        assert step.on < step.computed_on
        assert not calendar.is_working_day(step.computed_on)
        assert calendar.next_working_day(step.on) > step.computed_on
    draft = t.step("latest_draft")
    # the family's 15 days beginning with service end before week 20
    assert calendar.period_beginning_with(draft.on, 15) < final
    assert draft.on >= final - timedelta(days=15 + 4)  # never rolled back more than a long weekend
    assert (t.warnings != ()) == any(
        s.on < request_received for s in t.steps if s.kind == "latest_safe"
    )


def test_the_worked_back_dates_count_the_rule_data_in_its_own_unit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The latest safe dates are worked back by the rules' own periods, in their own units:
    # with reg. 8's advice period made 30 working days in a copy of the registry, advice
    # due back Fri 24 Apr 2026 must be asked for 30 working days earlier: 15 working days
    # of April before the 24th (Good Friday 3 Apr and Easter Monday 6 Apr not counted),
    # then 31 Mar back to Wed 11 Mar 2026 (15 more), not 6 weeks earlier (Fri 13 Mar);
    # the assumptions say the new period.
    from sendflow.rules import Period
    from sendflow.rules import _registry as registry
    from sendflow.rules._registry import RuleHistory

    before = plan_timeline(request_received=date(2026, 1, 5))
    back = next(s for s in before.steps if s.key == "latest_advice_back").on
    assert back == date(2026, 4, 24)
    table = dict(registry._registry())
    hist = table["assessment.advice"]
    table["assessment.advice"] = RuleHistory(id=hist.id, versions=tuple(
        v.model_copy(update={"period": Period(amount=30, unit="working_days")})
        for v in hist.versions))
    monkeypatch.setattr(registry, "_registry", lambda: table)
    after = plan_timeline(request_received=date(2026, 1, 5))
    asked = next(s for s in after.steps if s.key == "latest_advice_requests").on
    assert asked == date(2026, 3, 11)
    assert calendar.add_weeks(back, -6) == date(2026, 3, 13)
    assert "Each adviser takes the full 30 working days allowed by reg. 8." in after.assumptions
