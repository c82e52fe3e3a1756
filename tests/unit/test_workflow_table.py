"""The transition table is the single source of truth; the generated machine agrees."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from statemachine.exceptions import TransitionNotAllowed

from sendflow.workflows import EVENT_CLASSES, TABLES, BaseEvent
from sendflow.workflows._machine import build_machine_class
from sendflow.workflows._table import T, WorkflowTable
from sendflow.workflows.assessment import ASSESSMENT, AssessmentState, assessment_machine


class _Ev:
    """A minimal event stand-in carrying guard fields (for the table alone)."""

    def __init__(self, type: str, **fields: Any) -> None:
        self.type = type
        self.on = date(2026, 1, 5)
        self.__dict__.update(fields)


_CLASS_OF = {cls.model_fields["type"].default: cls for cls in EVENT_CLASSES}


def _record(type: str, **fields: Any) -> BaseEvent:
    """A real event of ``type`` with the guard fields set, unvalidated (so a
    guard value no row names can be tried); the machine, like Case, needs one."""
    return _CLASS_OF[type].model_construct(on=date(2026, 1, 5), **fields)


def _guard_values(table: WorkflowTable, state: str, event: str) -> list[dict[str, Any]]:
    rows = table.rows(state, event)
    return [dict(r.when) for r in rows] or [{}]


@pytest.mark.parametrize("name", sorted(TABLES))
def test_table_and_generated_machine_agree_on_every_pair(name: str) -> None:
    """For every (state, event, guard) the machine goes where the table says, or refuses."""
    table = TABLES[name]
    cls = build_machine_class(table)
    for state in table.states:
        for event in sorted(table.events):
            for fields in [*_guard_values(table, state, event), {"outcome": "no_such_value"}]:
                record = _record(event, **fields)
                expected = table.next_state(state, record)
                machine = cls(start_value=state)
                if expected is None:
                    with pytest.raises(TransitionNotAllowed):
                        machine.send(event, record=record)
                else:
                    machine.send(event, record=record)
                    assert machine.current_state_value == expected, (state, event, fields)


def test_assessment_states_are_the_contract() -> None:
    assert set(ASSESSMENT.states) >= {
        "awaiting_decision",
        "assessment_refused",
        "assessing",
        "plan_refused",
        "draft_issued",
        "plan_issued",
        "withdrawn",
    }
    assert {s.value for s in AssessmentState} == set(ASSESSMENT.states)


def test_guards_choose_between_rows() -> None:
    assert (
        ASSESSMENT.next_state("awaiting_decision", _Ev("assessment_decision", outcome="assess"))
        == "assessing"
    )
    assert (
        ASSESSMENT.next_state("awaiting_decision", _Ev("assessment_decision", outcome="refuse"))
        == "assessment_refused"
    )
    assert ASSESSMENT.next_state("awaiting_decision", _Ev("draft_plan_issued")) is None


def test_machine_refuses_event_without_transition() -> None:
    machine = assessment_machine()
    with pytest.raises(TransitionNotAllowed):
        machine.send("final_plan_issued_typo",
                     record=_record("request_received", made_by="parent"))


@pytest.mark.parametrize(
    ("rows", "problem"),
    [
        ([T("a", "go", "b")], "trap"),
        ([T("a", "go", "b"), T("c", "go", "b")], "cannot be reached"),
        ([T("a", "go", "b"), T("a", "go", "c")], "ambiguous"),
        ([T("a", "go", "b"), T("b", "back", "a")], "has an exit"),
    ],
)
def test_bad_tables_are_rejected_when_defined(rows: list[Any], problem: str) -> None:
    final = {"b"} if problem in ("has an exit", "ambiguous") else set()
    if problem == "ambiguous":
        final = {"b", "c"}
    with pytest.raises(ValueError, match=problem):
        WorkflowTable(
            "bad",
            initial="a",
            final=final,
            transitions=rows,
            states=sorted({r.source for r in rows} | {r.target for r in rows} | {"a"}),
        )


def test_compose_unions_rows_and_replaces_final_states() -> None:
    one = WorkflowTable("one", initial="a", final={"b"}, transitions=[T("a", "go", "b")])
    two = WorkflowTable("two", initial="b", final={"c"}, transitions=[T("b", "on", "c")])
    both = WorkflowTable.compose("both", [one, two], initial="a", final={"c"})
    assert both.next_state("b", _Ev("on")) == "c"
    assert both.final == frozenset({"c"})
    assert both.states == ("a", "b", "c")


def test_diagram_formats_come_from_the_table() -> None:
    from sendflow.export.diagrams import to_dot, to_markdown_table, to_mermaid

    mermaid = to_mermaid(ASSESSMENT)
    assert "awaiting_decision --> assessing : assessment_decision [outcome == 'assess']" in mermaid
    assert mermaid.count(" --> ") == len(ASSESSMENT.transitions) + 1 + len(ASSESSMENT.final)
    dot = to_dot(ASSESSMENT)
    assert dot.startswith('digraph "assessment"') and dot.rstrip().endswith("}")
    assert to_markdown_table(ASSESSMENT).count("\n") == len(ASSESSMENT.transitions) + 2
