"""Compliance engine: statuses, explanations, streaming, and rule look-ups."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from sendflow import Case, RuleNotFound, evaluate, evaluate_many, rules
from sendflow.compliance import EvaluationContext, Status
from sendflow.workflows import ExceptionRecorded

REQUEST = {"type": "request_received", "on": "2026-01-05", "made_by": "parent"}


def _case(*events: dict[str, object]) -> Case:
    return Case.model_validate({"events": [REQUEST, *events]})


def test_explain_gives_start_arithmetic_due_and_citation() -> None:
    # SEND Regulations 2014 reg. 13(2): Mon 5 Jan 2026 + 20 weeks = Mon 25 May 2026.
    text = evaluate(_case(), as_of=date(2026, 1, 6)).deadline("assessment.final_plan").explain()
    assert "request received Mon 5 Jan 2026; due within 20 weeks: Mon 25 May 2026" in text
    assert "+ 140 days" in text
    assert "SEND Regulations 2014 reg. 13(2)" in text
    assert "https://www.legislation.gov.uk/uksi/2014/1530/regulation/13" in text
    assert "not a working day" in text and "Fri 22 May 2026" in text
    assert "pending — 139 days left" in text


#: assessment.decision for a request of Mon 5 Jan 2026: due Mon 16 Feb (6 weeks, reg. 4(1)).
DECISION = rules.get("assessment.decision", on=date(2026, 1, 5))
START, DUE = date(2026, 1, 5), date(2026, 2, 16)


def _status(
    *,
    met_on: date | None,
    as_of: date,
    closed: bool = False,
    lapses: bool = False,
    excepted: bool = False,
) -> Status:
    # The status through the engine's own path (EvaluationContext.make, the one
    # place a status is decided), with an exception reg. 5(4)(c) accepts.
    rule = DECISION.model_copy(update={"lapses": True}) if lapses else DECISION
    exceptions = (
        (
            ExceptionRecorded(
                on=date(2026, 1, 20), ground="exceptional_personal_circumstances"
            ),
        )
        if excepted
        else ()
    )
    ctx = EvaluationContext(events=(), as_of=as_of, exceptions=exceptions)
    deadline = ctx.make(rule, due=DUE, started_on=START, start_event="request_received",
                        met_on=met_on, closed=closed)
    return deadline.status


@pytest.mark.parametrize(
    ("met_on", "as_of", "expected"),
    [
        (date(2026, 2, 16), date(2026, 3, 1), Status.MET),
        (date(2026, 2, 17), date(2026, 3, 1), Status.MISSED),
        (None, date(2026, 2, 16), Status.PENDING),
        (None, date(2026, 2, 17), Status.OVERDUE),
    ],
)
def test_status_boundaries(met_on: date | None, as_of: date, expected: Status) -> None:
    assert _status(met_on=met_on, as_of=as_of) == expected


def test_status_closed_and_lapsed_and_excepted() -> None:
    assert _status(met_on=None, closed=True, as_of=DUE) == "not_applicable"
    assert _status(met_on=None, as_of=date(2026, 3, 1), lapses=True) == "not_applicable"
    assert _status(met_on=None, as_of=date(2026, 3, 1), excepted=True) == "disapplied"
    assert _status(met_on=date(2026, 3, 1), as_of=DUE, excepted=True) == "disapplied"
    assert _status(met_on=DUE, as_of=DUE, excepted=True) == "met"
    # Pending is pending, exception or not; a closed path drops the exception.
    assert _status(met_on=None, as_of=DUE, excepted=True) == "pending"
    assert _status(met_on=None, as_of=date(2026, 3, 1), closed=True, excepted=True) == (
        "not_applicable"
    )


def test_status_values_are_the_contract() -> None:
    assert {s.value for s in Status} == {
        "pending",
        "met",
        "missed",
        "overdue",
        "disapplied",
        "not_applicable",
        "not_recorded",
    }


def test_deadline_of_a_rule_never_started_is_not_applicable() -> None:
    d = evaluate(_case(), as_of=date(2026, 2, 1)).deadline("assessment.draft_representations")
    assert d.status == "not_applicable" and d.due is None
    assert d.citations and "No deadline arose" in d.explain()


def test_unknown_rule_id_raises() -> None:
    with pytest.raises(RuleNotFound):
        evaluate(_case(), as_of=date(2026, 2, 1)).deadline("assessment.nonsense")


def test_report_counts_and_json() -> None:
    report = evaluate(_case(), as_of=date(2026, 3, 1))
    counts = report.counts()
    assert counts["overdue"] == 1 and counts["pending"] == 2
    data = report.model_dump(mode="json")
    assert data["deadlines"][0]["rule_id"] == "assessment.decision"
    assert data["deadlines"][0]["status"] == "overdue"


def test_evaluate_many_streams_lazily_and_matches_evaluate() -> None:
    cases = [_case(), _case({"type": "request_withdrawn", "on": "2026-01-06"})]
    consumed: list[int] = []

    def once() -> Iterator[Case]:
        assert not consumed, "the input was consumed twice"
        consumed.append(1)
        yield from cases

    stream = evaluate_many(once(), as_of=date(2026, 3, 1))
    assert consumed == []  # nothing read before the first report is asked for
    reports = list(stream)
    assert reports == [evaluate(c, as_of=date(2026, 3, 1)) for c in cases]


def test_as_of_is_required() -> None:
    with pytest.raises(TypeError):
        evaluate(_case())  # type: ignore[call-arg]


def test_no_hidden_clock_in_the_library() -> None:
    import pathlib

    import sendflow

    root = pathlib.Path(sendflow.__file__).parent
    offenders = [
        p.relative_to(root).as_posix()
        for p in root.rglob("*.py")
        if p.name != "_cli.py"
        and any(
            word in p.read_text(encoding="utf-8")
            for word in ("date.today(", "datetime.now(", "time.time(")
        )
    ]
    assert offenders == []


def test_a_superseded_instance_keeps_a_breach_that_had_already_happened() -> None:
    """Regs 20(7)-(10): a second review meeting does not wipe out the first one's overdue
    report (due Tue 24 Mar 2026, 14 days after the meeting of Tue 10 Mar)."""
    case = Case.model_validate(
        {
            "events": [
                {"type": "final_plan_issued", "on": "2025-03-20"},
                {"type": "review_invitations_sent", "on": "2026-02-20"},
                {"type": "review_meeting_held", "on": "2026-03-10"},
                {"type": "review_invitations_sent", "on": "2026-09-25"},
                {"type": "review_meeting_held", "on": "2026-10-15"},
            ]
        }
    )
    reports = [
        d for d in evaluate(case, as_of=date(2026, 12, 1)).deadlines if d.rule_id == "review.report"
    ]
    assert [(d.due, d.status) for d in reports] == [
        (date(2026, 3, 24), "overdue"),
        (date(2026, 10, 29), "overdue"),
    ]


def test_a_new_request_before_the_due_date_supersedes_without_a_breach() -> None:
    # Advice re-requested from the same adviser before the first 6 weeks ran out.
    case = _case(
        {"type": "assessment_decision", "on": "2026-01-20", "outcome": "assess"},
        {"type": "advice_requested", "on": "2026-01-21", "adviser": "medical"},
        {"type": "advice_requested", "on": "2026-02-02", "adviser": "medical"},
    )
    advice = [
        d
        for d in evaluate(case, as_of=date(2026, 6, 1)).deadlines
        if d.rule_id == "assessment.advice"
    ]
    assert [d.status for d in advice] == ["not_applicable", "overdue"]


def test_fast_built_deadlines_equal_validated_ones_and_copy_safely() -> None:
    # The engine builds deadlines without validation (compliance._build);
    # the same data through pydantic gives an equal model with the same fields set.
    from sendflow.compliance import Deadline

    report = evaluate(_case(), as_of=date(2026, 3, 1))
    for d in report.deadlines:
        again = Deadline.model_validate(d.model_dump())
        again._rule = d.rule  # the rule behind it is private state, not data
        assert again == d
        assert again.model_fields_set == d.model_fields_set == set(Deadline.model_fields)
    first, second = report.deadlines[:2]
    changed = first.model_copy(update={"note": "x"})
    assert changed.note == "x" and first.note is None
    assert second.model_fields_set == set(Deadline.model_fields)  # the shared set is untouched


def test_fast_built_findings_equal_validated_ones() -> None:
    # The review findings are built without validation (compliance._build.new_finding):
    # the same data through pydantic gives an equal model with the same fields set.
    from sendflow.compliance import Finding

    case = Case.model_validate({"events": [
        {"type": "final_plan_issued", "on": "2025-01-10"},
        {"type": "review_meeting_held", "on": "2025-12-01"},
    ]})
    found = evaluate(case, as_of=date(2026, 1, 15)).findings
    assert [f.code for f in found] == ["review_without_invitations"]
    for f in found:
        again = Finding.model_validate(f.model_dump())
        assert again == f and repr(again) == repr(f)
        assert again.model_fields_set == f.model_fields_set == set(Finding.model_fields)
        assert f.event_index == 1 and f.on == date(2025, 12, 1)
