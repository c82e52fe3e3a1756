"""Planning: the statutory dates of an assessment, and the latest safe day for each step.

:func:`plan_timeline` answers a caseworker's question on the day a request
arrives: *when is each step due, and how late can each step be and still let
the final plan meet week 20?* For a case in progress it projects the same
dates from the events so far.

Assumptions (all parameters): the draft plan is served at least 15 days
before the final-plan deadline so the parent's 15-day representation period
(reg. 13(1)(a), counted from service) ends before it; settings are consulted
when the draft is served (the Code of Practice, para 9.83, expects a reply
within 15 days); drafting takes ``drafting_days`` after the last advice
arrives; advisers take their full 6 weeks (reg. 8).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Literal

from pydantic import Field

from sendflow._base import SendflowModel
from sendflow.case import Case
from sendflow.errors import InvalidArgument
from sendflow.rules import Citation
from sendflow.rules import get as get_rule

__all__ = ["Timeline", "TimelineStep", "plan_timeline"]

StepKind = Literal["statutory", "latest_safe", "done"]


class TimelineStep(SendflowModel):
    """One dated step of an assessment timeline."""

    key: str
    label: str
    on: date
    kind: StepKind
    rule_id: str | None = None
    citations: tuple[Citation, ...] = ()
    done_on: date | None = None
    note: str | None = None


class Timeline(SendflowModel):
    """Statutory dates and latest safe dates for one request, in date order."""

    request_received: date
    steps: tuple[TimelineStep, ...]
    assumptions: tuple[str, ...] = Field(default=())

    def step(self, key: str) -> TimelineStep:
        """The step with ``key`` (e.g. ``"final_plan"``)."""
        for s in self.steps:
            if s.key == key:
                return s
        known = ", ".join(s.key for s in self.steps)
        raise InvalidArgument(f"Timeline.step: no step with that key (the keys are {known})")

    def to_text(self) -> str:
        """A table for the terminal."""
        lines = [f"EHC needs assessment timeline — request received {_fmt(self.request_received)}"]
        for s in self.steps:
            cite = "; ".join(f"{c.title} {c.provision}" for c in s.citations)
            kind = {"statutory": "due", "latest_safe": "latest", "done": "done"}[s.kind]
            done = f" (done {_fmt(s.done_on)})" if s.done_on else ""
            lines.append(
                f"  {_fmt(s.on):<16} {kind:<6} {s.label}{done}" + (f"  — {cite}" if cite else "")
            )
        if self.assumptions:
            lines.append("Assumptions:")
            lines.extend(f"  - {a}" for a in self.assumptions)
        return "\n".join(lines)


def _fmt(d: date) -> str:
    return f"{d:%a} {d.day} {d:%b %Y}"


def plan_timeline(
    request_received: date | None = None,
    *,
    case: Case | None = None,
    drafting_days: int = 14,
    holidays: Any = None,
) -> Timeline:
    """Each statutory deadline of an assessment and the latest safe date per step.

    Give either ``request_received`` (a new request) or ``case`` (a case in
    progress: the latest request in its history, with what has been done).

    ```python
    >>> t = plan_timeline(request_received=date(2026, 1, 5))
    >>> t.step("final_plan").on, t.step("latest_draft").on
    (datetime.date(2026, 5, 25), datetime.date(2026, 5, 10))

    ```
    """
    if not 0 <= drafting_days <= 365:
        raise InvalidArgument("plan_timeline: drafting_days must be between 0 and 365")
    done: dict[str, date] = {}
    advice_due: list[tuple[str, date]] = []
    if case is not None:
        request_received = None
        for event in case.events:
            if event.type == "request_received":
                request_received = event.on
                done = {}
                advice_due = []
            elif request_received is not None:
                done.setdefault(event.type, event.on)
                if event.type == "advice_requested":
                    kind = str(getattr(event, "adviser", "adviser"))
                    advice_due.append((kind, event.on))
        if request_received is None:
            raise InvalidArgument(
                "plan_timeline: the case has no request_received event to plan from"
            )
    if request_received is None:
        raise InvalidArgument("plan_timeline: give request_received or case")
    r = request_received
    rules = {
        rid: get_rule(rid, on=r)
        for rid in (
            "assessment.decision",
            "assessment.advice",
            "assessment.no_plan_notice",
            "assessment.final_plan",
            "assessment.draft_representations",
        )
    }
    steps: list[TimelineStep] = []

    def statutory(key: str, label: str, rule_id: str, start: date, done_type: str) -> date:
        rule = rules[rule_id]
        due = rule.period.due(start, holidays=holidays)
        steps.append(
            TimelineStep(
                key=key,
                label=label,
                on=due,
                kind="statutory",
                rule_id=rule_id,
                citations=rule.citations,
                done_on=done.get(done_type),
            )
        )
        return due

    statutory(
        "decision", "decide whether to assess", "assessment.decision", r, "assessment_decision"
    )
    for kind, asked in advice_due:
        due = rules["assessment.advice"].period.due(asked, holidays=holidays)
        steps.append(
            TimelineStep(
                key=f"advice:{kind}",
                label=f"{kind.replace('_', ' ')} advice due",
                on=due,
                kind="statutory",
                rule_id="assessment.advice",
                citations=rules["assessment.advice"].citations,
            )
        )
    statutory(
        "no_plan_notice",
        "notice if no plan will be made",
        "assessment.no_plan_notice",
        r,
        "no_plan_notice_sent",
    )
    final_due = statutory(
        "final_plan", "issue the final EHC plan", "assessment.final_plan", r, "final_plan_issued"
    )
    window = rules["assessment.draft_representations"].period.amount
    latest_draft = final_due - timedelta(days=window)
    latest_advice_back = latest_draft - timedelta(days=drafting_days)
    advice_weeks = rules["assessment.advice"].period.amount
    latest_advice_asked = latest_advice_back - timedelta(weeks=advice_weeks)
    derived = [
        (
            "latest_advice_requests",
            "request all advice",
            latest_advice_asked,
            "advice_requested",
            f"advisers have {advice_weeks} weeks (reg. 8)",
        ),
        (
            "latest_advice_back",
            "all advice received",
            latest_advice_back,
            "advice_received",
            f"{drafting_days} days allowed to write the draft",
        ),
        (
            "latest_draft",
            "serve the draft plan and consult settings",
            latest_draft,
            "draft_plan_issued",
            f"the {window}-day representation period must end before week 20",
        ),
    ]
    for key, label, when, done_type, note in derived:
        steps.append(
            TimelineStep(
                key=key,
                label=label,
                on=when,
                kind="latest_safe",
                done_on=done.get(done_type),
                note=note,
            )
        )
    steps.sort(key=lambda s: (s.on, s.kind != "statutory"))
    return Timeline(
        request_received=r,
        steps=tuple(steps),
        assumptions=(
            "Statutory dates are not moved off weekends or bank holidays.",
            f"The draft is served at least {window} days before the final-plan deadline so the "
            "representation period (reg. 13(1)(a)) ends first.",
            "Settings are consulted when the draft is served "
            "(CoP 9.83 expects a reply in 15 days).",
            f"Drafting takes {drafting_days} days after the last advice arrives.",
            f"Each adviser takes the full {advice_weeks} weeks allowed by reg. 8.",
        ),
    )
