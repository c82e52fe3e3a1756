"""The fast builder (sendflow.compliance._build) against pydantic's own models.

The engine builds deadlines, findings and reports without validating them, leaving
pydantic's bookkeeping slots that hold the same value on every instance unset (read
through ``_UnsetReadsAs``) and sharing one private store between the deadlines of a
rule version. Here each built model is held equal to the model pydantic validates
from the same data in every way pydantic reads a model: equality both ways, dumps,
JSON, repr, fields set, extra and private state, copies, deep copies, pickles and
``model_copy``; and each deadline's status to the plain classification.
"""

from __future__ import annotations

import copy
import pickle
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from sendflow import Case, evaluate
from sendflow.calendar import ENGLAND_AND_WALES
from sendflow.calendar import _arithmetic as arithmetic
from sendflow.compliance import (
    ComplianceReport,
    Deadline,
    EvaluationContext,
    Finding,
    Status,
)
from sendflow.compliance._build import build_deadline, new_finding
from sendflow.compliance._compiled import Parts, parts_for
from sendflow.errors import CalendarError
from sendflow.rules import PeriodUnit
from sendflow.rules._registry import RuleHistory, all_rules
from sendflow.workflows import ExceptionRecorded

_SLOT = BaseModel.__dict__
#: The fields build_deadline stores only when they are not None: the template holds None.
_CASE_FIELDS = ("due", "status", "met_on", "started_on", "start_event", "key", "exception",
                "latest_working_day", "as_of", "note")


def _histories() -> dict[str, RuleHistory]:
    return {h.id: h for h in all_rules()}


def _pick(want: str) -> RuleHistory:
    """A history whose latest version is plain, lapses, or counts working days."""
    for hist in all_rules():
        rule = hist.versions[-1]
        if want == "lapses" and rule.lapses:
            return hist
        if want == "working" and rule.period.unit is PeriodUnit.WORKING_DAYS:
            return hist
        if want == "plain" and not rule.lapses and rule.period.unit is not PeriodUnit.WORKING_DAYS:
            return hist
    raise AssertionError(want)


_HISTS = {want: _pick(want) for want in ("plain", "lapses", "working")}


def _plain_deadline(ctx: EvaluationContext, parts: Parts, due: date | None,
                    started_on: date | None, start_event: str | None, met_on: date | None,
                    closed: bool, key: str | None, history: RuleHistory | None,
                    note: str | None) -> Deadline:
    """The plain path: the status as the engine classified it before the fast builder,
    and the model validated by pydantic, with the rule version as its private state."""
    rule = parts.rule
    as_of = ctx.as_of
    exception = None
    if due is not None and started_on is not None and ctx.exceptions:
        exception = ctx.exception_for(rule, started_on, due, history)
    if due is None:
        status = Status.NOT_APPLICABLE
    elif met_on is not None:
        if met_on <= due:
            status = Status.MET
        else:
            status = Status.MISSED if exception is None else Status.DISAPPLIED
    elif closed or (rule.lapses and as_of > due):
        status = Status.NOT_APPLICABLE
    elif as_of > due:
        status = Status.OVERDUE if exception is None else Status.DISAPPLIED
    else:
        status = Status.PENDING
    if status is Status.NOT_APPLICABLE:
        exception = None
    latest = None
    if due is not None and rule.period.unit is not PeriodUnit.WORKING_DAYS:
        try:
            if not arithmetic.is_working_day(due, holidays=ctx.holidays):
                latest = arithmetic.previous_working_day(due, holidays=ctx.holidays)
        except CalendarError:
            latest = None
    values: dict[str, Any] = {
        "rule_id": rule.id, "title": rule.title, "due": due, "status": status,
        "met_on": met_on, "started_on": started_on, "start_event": start_event, "key": key,
        "exception": exception, "latest_working_day": latest,
        "legal_status": rule.legal_status, "citations": rule.citations, "as_of": as_of,
        "note": note, "rule_version": rule.effective_from,
        # (the period only when the case fixed it: not the registry version's own)
        "period": rule.period if parts.template["period"] is not None else None,
    }
    made = Deadline.model_validate(values)
    made._rule = rule
    return made


def _assert_same_model(fast: BaseModel, plain: BaseModel) -> None:
    """``fast`` (built here) and ``plain`` (pydantic's) alike in every way pydantic reads."""
    assert fast == plain and plain == fast
    assert fast.model_dump() == plain.model_dump()
    assert fast.model_dump(mode="json") == plain.model_dump(mode="json")
    assert fast.model_dump_json() == plain.model_dump_json()
    # (keys: a report read back sets every field of its citations, the rule data not)
    assert fast.model_dump(exclude_unset=True).keys() == plain.model_dump(exclude_unset=True).keys()
    assert repr(fast) == repr(plain) and str(fast) == str(plain)
    assert fast.model_fields_set == plain.model_fields_set == set(type(plain).model_fields)
    assert fast.__pydantic_extra__ is None and plain.__pydantic_extra__ is None
    assert fast.__pydantic_private__ == plain.__pydantic_private__
    assert list(vars(fast)) == list(vars(plain))  # every field, in order
    for again in (copy.copy(fast), copy.deepcopy(fast), pickle.loads(pickle.dumps(fast))):
        assert type(again) is type(plain)
        assert again == plain and again.model_dump_json() == plain.model_dump_json()
        assert again.model_fields_set == plain.model_fields_set
        assert again.__pydantic_private__ == plain.__pydantic_private__
    name = "as_of" if "as_of" in type(plain).model_fields else "on"
    # (a date the model does not hold already, so that the copy differs)
    update = {name: date(2030, 1, 2) if getattr(plain, name) == date(2030, 1, 1)
              else date(2030, 1, 1)}
    changed = fast.model_copy(update=update)
    assert changed == plain.model_copy(update=update) and changed != plain
    assert changed.model_fields_set == set(type(plain).model_fields)
    assert fast == plain  # the copy left it alone
    assert fast.model_fields_set == set(type(plain).model_fields)


def _unset(model: BaseModel, name: str) -> bool:
    """Whether the fast builder left pydantic's slot ``name`` unset on ``model``."""
    try:
        _SLOT[name].__get__(model, type(model))
    except AttributeError:
        return True
    return False


@settings(max_examples=300, deadline=None)
@given(
    want=st.sampled_from(sorted(_HISTS)),
    start=st.dates(date(2015, 1, 1), date(2035, 12, 31)),
    due_after=st.none() | st.integers(-10, 400),
    met_after=st.none() | st.integers(-20, 420),
    as_of_after=st.integers(-30, 500),
    closed=st.booleans(),
    key=st.none() | st.sampled_from(["educational_psychologist", "health"]),
    note=st.none() | st.just("A note."),
    started=st.booleans(),
    holidays=st.booleans(),
    exception=st.none() | st.tuples(st.integers(-10, 300), st.none() | st.integers(0, 120)),
)
def test_a_built_deadline_is_pydantics_deadline(
    want: str, start: date, due_after: int | None, met_after: int | None, as_of_after: int,
    closed: bool, key: str | None, note: str | None, started: bool, holidays: bool,
    exception: tuple[int, int | None] | None,
) -> None:
    hist = _HISTS[want]
    rule = hist.versions[-1]
    parts = parts_for(rule)
    exceptions: tuple[ExceptionRecorded, ...] = ()
    if exception is not None:
        grounds = [g.ground for g in rule.exceptions] or ["school_closure"]
        on = start + timedelta(days=exception[0])
        until = None if exception[1] is None else on + timedelta(days=exception[1])
        exceptions = (ExceptionRecorded(on=on, until=until, ground=grounds[0]),)
    ctx = EvaluationContext(events=(), as_of=start + timedelta(days=as_of_after),
                            holidays=ENGLAND_AND_WALES if holidays else None,
                            exceptions=exceptions)
    due = None if due_after is None else start + timedelta(days=due_after)
    met_on = None if met_after is None else start + timedelta(days=met_after)
    started_on = start if started else None
    args = (ctx, parts, due, started_on, "final_plan_issued" if started else None, met_on,
            closed, key, hist, note)
    fast = build_deadline(*args)
    plain = _plain_deadline(*args)
    _assert_same_model(fast, plain)
    assert fast.model_dump(exclude_unset=True) == plain.model_dump(exclude_unset=True)
    assert fast._rule is rule and fast.rule is rule
    assert fast.__pydantic_private__ is parts.private  # shared by the version's deadlines
    assert copy.copy(fast).__pydantic_private__ is not parts.private  # a copy has its own
    assert _unset(fast, "__pydantic_fields_set__") and _unset(fast, "__pydantic_extra__")
    assert fast.explain() == plain.explain()
    try:
        hashed = hash(plain)
    except TypeError:
        pass
    else:
        assert hash(fast) == hashed


def test_every_template_leaves_the_case_fields_to_the_builder() -> None:
    # build_deadline stores a case's value only when it is not None: every template
    # must hold None there (and every field of Deadline, in order).
    count = 0
    for hist in _histories().values():
        for rule in hist.versions:
            parts = parts_for(rule)
            assert list(parts.template) == list(Deadline.model_fields)
            assert all(parts.template[name] is None for name in _CASE_FIELDS)
            assert parts.private == {"_rule": rule}
            count += 1
    assert count > 50


def _cases() -> list[Case]:
    return [
        Case.model_validate({"events": [
            {"type": "request_received", "on": "2025-09-01", "made_by": "parent"},
            {"type": "assessment_decision", "on": "2025-10-01", "outcome": "assess"},
        ]}),
        Case.model_validate({"events": [
            {"type": "final_plan_issued", "on": "2025-01-10"},
            {"type": "review_meeting_held", "on": "2025-12-01"},
        ]}),
        Case.model_validate({"reference": "R1", "events": [
            {"type": "final_plan_issued", "on": "2024-03-01"}]}),
    ]


def test_built_reports_and_findings_are_pydantics() -> None:
    found = 0
    for case in _cases():
        for as_of in (date(2025, 11, 1), date(2026, 6, 1)):
            for rules in (None, ("assessment.decision", "assessment.final_plan")):
                report = evaluate(case, as_of=as_of, rules=rules, findings=rules is None)
                plain = ComplianceReport.model_validate(report.model_dump())
                for d, again in zip(report.deadlines, plain.deadlines, strict=True):
                    again._rule = d.rule
                _assert_same_model(report, plain)
                assert _unset(report, "__pydantic_fields_set__")
                assert _unset(report, "__pydantic_private__")
                assert report.__pydantic_private__ is None
                for f in report.findings:
                    found += 1
                    _assert_same_model(f, Finding.model_validate(f.model_dump()))
    assert found > 0
    made = new_finding("code", "message", None, 0, date(2026, 1, 1))
    _assert_same_model(made, Finding(code="code", message="message", rule_id=None, event_index=0,
                                     on=date(2026, 1, 1)))
    assert _unset(made, "__pydantic_extra__")


def test_validated_models_keep_their_own_slots() -> None:
    # A model pydantic builds sets every slot: the class's defaults never stand in.
    d = Deadline.model_validate(evaluate(_cases()[2], as_of=date(2026, 1, 15))
                                .deadlines[0].model_dump())
    assert not _unset(d, "__pydantic_fields_set__") and not _unset(d, "__pydantic_extra__")
    partial = Deadline.model_validate({
        "rule_id": "review.annual", "title": "t", "due": None, "status": "pending",
        "legal_status": "statute", "citations": [], "as_of": "2026-01-01"})
    assert partial.model_fields_set == {"rule_id", "title", "due", "status", "legal_status",
                                        "citations", "as_of"}
    assert "note" not in partial.model_dump(exclude_unset=True)
    # at class level the slot is pydantic's own descriptor, as before
    assert Deadline.__pydantic_fields_set__ is _SLOT["__pydantic_fields_set__"]
    with pytest.raises(ValidationError):  # frozen as ever
        partial.note = "x"  # type: ignore[misc]


def test_a_private_write_never_reaches_another_deadline() -> None:
    # The deadlines of one rule version share one private store: a write or delete of
    # a private attribute on one gives it a store of its own first.
    hist = _HISTS["plain"]
    rule = hist.versions[-1]
    parts = parts_for(rule)
    ctx = EvaluationContext(events=(), as_of=date(2026, 1, 15))
    first, second, third = (
        build_deadline(ctx, parts, date(2026, 2, n), date(2025, 2, n), "x", None, False,
                       None, hist) for n in (2, 3, 4))
    assert first.__pydantic_private__ is second.__pydantic_private__ is parts.private
    first._rule = None
    assert first._rule is None and first.rule is None
    assert second._rule is rule and third._rule is rule and parts.private == {"_rule": rule}
    assert type(first.__pydantic_private__) is dict
    del second._rule
    with pytest.raises(AttributeError):
        second._rule  # noqa: B018
    assert third._rule is rule and parts.private == {"_rule": rule}
    with pytest.raises(ValidationError):  # a field is frozen; the store stays shared
        third.note = "x"  # type: ignore[misc]
    assert third.__pydantic_private__ is parts.private
    # a report's deadlines, and every copy, likewise
    case = _cases()[0]
    report = evaluate(case, as_of=date(2026, 6, 1))
    shared = [d for d in report.deadlines if type(d.__pydantic_private__) is not dict]
    assert shared
    again = evaluate(case, as_of=date(2026, 6, 1))
    for d in shared:
        for other in (copy.copy(d), copy.deepcopy(d), pickle.loads(pickle.dumps(d)),
                      d.model_copy(update={"note": "x"})):
            assert type(other.__pydantic_private__) is dict
            other._rule = None
        d._rule = None
    assert all(d._rule is not None for d in again.deadlines)
    assert again == evaluate(case, as_of=date(2026, 6, 1))
