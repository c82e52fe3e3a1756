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

Latest safe dates are planning dates, not legal limits, so they fall on working days: a
step whose arithmetic lands on a weekend or bank holiday is rolled back to the working day
before it (the step keeps the arithmetic's date in ``computed_on``), and the steps before it
are worked back from the rolled date. Statutory due dates are never moved. When the
assumptions put a latest safe date before the request was received, the timeline carries
a warning saying so.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import Field

from sendflow import calendar
from sendflow._base import SendflowModel
from sendflow.case import Case
from sendflow.errors import InvalidArgument
from sendflow.rules import Citation, Counting, Period
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
    computed_on: date | None = Field(
        default=None,
        description=(
            "For a latest safe date rolled back off a weekend or bank holiday: the date the "
            "arithmetic gave; ``on`` is the working day before it. None when not rolled back."
        ),
    )


class Timeline(SendflowModel):
    """Statutory dates and latest safe dates for one request, in date order."""

    request_received: date
    steps: tuple[TimelineStep, ...]
    assumptions: tuple[str, ...] = Field(default=())
    warnings: tuple[str, ...] = Field(
        default=(),
        description=(
            "Plain-English warnings: a latest safe date the assumptions put before the request "
            "was received, so week 20 cannot be met as assumed."
        ),
    )

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
            moved = f" (rolled back from {_fmt(s.computed_on)})" if s.computed_on else ""
            lines.append(
                f"  {_fmt(s.on):<16} {kind:<6} {s.label}{done}{moved}"
                + (f"  — {cite}" if cite else "")
            )
        if self.warnings:
            lines.append("Warnings:")
            lines.extend(f"  - {w}" for w in self.warnings)
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
    >>> t.step("final_plan").on, t.step("latest_draft").on   # Sun 10 May -> Fri 8 May
    (datetime.date(2026, 5, 25), datetime.date(2026, 5, 8))

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
    window_period = rules["assessment.draft_representations"].period
    advice_period = rules["assessment.advice"].period
    setting_period = get_rule("assessment.setting_response", on=r).period

    def back(d: date, period: Period) -> date:
        """``d`` less the period's amount, counted in its own unit by the calendar."""
        return Period(amount=period.amount, unit=period.unit,
                      counting=Counting.AT_LEAST_BEFORE).due(d, holidays=holidays)

    def length(period: Period) -> str:
        """'6 weeks', '15 days': the period's amount in its own unit."""
        unit = period.unit.value.replace("_", " ")
        return f"{period.amount} {unit.rstrip('s') if period.amount == 1 else unit}"

    def working(d: date) -> tuple[date, date | None]:
        """``d`` itself if a working day, else the working day before it (and ``d``)."""
        if calendar.is_working_day(d, holidays=holidays):
            return d, None
        return calendar.previous_working_day(d, holidays=holidays), d

    # Worked back from week 20; each step from the (rolled) step after it, so keeping
    # every latest safe date keeps the next one reachable.
    latest_draft = working(back(final_due, window_period))
    latest_advice_back = working(calendar.add_days(latest_draft[0], -drafting_days))
    latest_advice_asked = working(back(latest_advice_back[0], advice_period))
    derived = [
        (
            "latest_advice_requests",
            "request all advice",
            latest_advice_asked,
            "advice_requested",
            f"advisers have {length(advice_period)} (reg. 8)",
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
            f"the representation period ({length(window_period)}) must end before week 20",
        ),
    ]
    warnings: list[str] = []
    for key, label, (when, computed), done_type, note in derived:
        if computed is not None:
            note = f"{note}; rolled back from {_fmt(computed)}, not a working day"
        steps.append(
            TimelineStep(
                key=key,
                label=label,
                on=when,
                kind="latest_safe",
                done_on=done.get(done_type),
                note=note,
                computed_on=computed,
            )
        )
        if when < r:
            warnings.append(
                f"The latest safe date for \"{label}\" ({_fmt(when)}) is before the request was "
                f"received ({_fmt(r)}): under these assumptions week 20 cannot be met."
            )
    steps.sort(key=lambda s: (s.on, s.kind != "statutory"))
    return Timeline(
        request_received=r,
        steps=tuple(steps),
        assumptions=(
            "Statutory dates are not moved off weekends or bank holidays.",
            f"The draft is served at least {length(window_period)} before the final-plan "
            "deadline so the representation period (reg. 13(1)(a)) ends first.",
            "Settings are consulted when the draft is served "
            f"(CoP 9.83 expects a reply in {length(setting_period)}).",
            f"Drafting takes {drafting_days} days after the last advice arrives.",
            f"Each adviser takes the full {length(advice_period)} allowed by reg. 8.",
            "Latest safe dates fall on working days: one that lands on a weekend or bank "
            "holiday is rolled back to the working day before.",
        ),
        warnings=tuple(warnings),
    )
