"""Evaluators and findings for the assessment workflow.

``special_school_stay``  reg. 48: a child admitted to a special school for the
                         assessment may stay 10 school days after a no-plan notice

Findings: ``required_advice_not_sought`` (reg. 6(1)) and
``final_before_representation_period_ended`` (reg. 13(1)(a)).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sendflow import calendar
from sendflow.compliance._compiled import clock_of, due_on
from sendflow.compliance._context import EvaluationContext, Evaluator, Hook
from sendflow.compliance._report import Deadline, Finding, format_date
from sendflow.partners import AdviceKind
from sendflow.rules import Period
from sendflow.rules._registry import RuleHistory, history
from sendflow.workflows.assessment import (
    AdviceRequested,
    DraftPlanIssued,
    FinalPlanIssued,
    RepresentationsReceived,
    RequestReceived,
)

__all__ = ["EVALUATORS", "FINDINGS", "REQUIRED_ADVICE", "advice_not_sought", "final_too_early"]

#: Advice reg. 6(1)(a)-(e) of SI 2014/1530 requires in every assessment.
REQUIRED_ADVICE: tuple[AdviceKind, ...] = (
    AdviceKind.PARENT_OR_YOUNG_PERSON,
    AdviceKind.EDUCATIONAL,
    AdviceKind.MEDICAL,
    AdviceKind.PSYCHOLOGICAL,
    AdviceKind.SOCIAL_CARE,
)


def special_school_stay(hist: RuleHistory, ctx: EvaluationContext) -> list[Deadline]:
    """How long a child admitted to a special school for the assessment may stay there.

    SEND Regulations 2014 reg. 48: after the LA's notice that it will not make a
    plan, the child or young person may remain for the rule's number of "school
    or institution days" (days the setting is open to admit students), or until
    a plan is finalised. sendflow counts those days as the working days of the
    holiday calendar given to :func:`~sendflow.evaluate` (England's bank
    holidays by default): give a calendar holding the setting's own closures to
    count its term dates. A right to remain, not a duty: it lapses, it is never
    overdue. The records do not say whether the child was admitted for the
    assessment, so every no-plan notice opens one, with a note saying so.
    """
    out: list[Deadline] = []
    events = ctx.events
    clock = clock_of(hist)
    for i, event in enumerate(events):
        if not clock.starts(event):
            continue
        rule = hist.on(event.on)
        if rule is None:
            continue
        days = rule.period.amount
        due = calendar.add_working_days(event.on, days, holidays=ctx.holidays)
        closed = next((e for e in events[i + 1 :] if clock.closed_by(e) or clock.starts(e)), None)
        note = (
            f"If the child or young person was admitted to a special school or special "
            f"post-16 institution for this assessment, they may stay there until "
            f"{format_date(due)} ({days} school or institution days after the notice of "
            f"{format_date(event.on)}) or until a plan is finalised (SEND Regulations 2014 "
            f"reg. 48). School days are counted as working days of the holiday calendar "
            f"given to evaluate; give the setting's own closures to count its term dates."
        )
        out.append(
            ctx.make(
                rule,
                due=due,
                started_on=event.on,
                start_event=event.type,
                met_on=None,
                closed=closed is not None and closed.on <= due,
                history=hist,
                note=note,
            )
        )
    return out


def _assessment_findings(ctx: EvaluationContext) -> list[Finding]:
    """Advice not sought before a draft, and a final plan issued inside the draft's
    representation period with no representations recorded.

    Events are told apart by their ``type``, the tag a case's events are validated
    by (each type has its own class, none a subclass of another), never by
    ``isinstance``: pydantic's model classes answer ``isinstance`` through
    ``ABCMeta.__instancecheck__``, about a thousand instructions for each miss, and
    this hook asked up to five times an event. tests/reference/engine.py keeps the
    ``isinstance`` reading (``assessment_findings``) and
    tests/property/test_engine_reference.py holds the two equal.
    """
    out: list[Finding] = []
    draft: DraftPlanIssued | None = None
    represented = False
    requested: set[AdviceKind] = set()
    # (Any: each event is read as its type says it is; typing.cast is a call.)
    events: tuple[Any, ...] = ctx.events
    for index, event in enumerate(events):
        type_ = event.type
        if type_ not in _FINDINGS_TYPES:
            continue
        if type_ == _ADVICE:
            requested.add(event.adviser)
        elif type_ == _REQUEST:
            requested = set()
            draft = None
        elif type_ == _DRAFT:
            # (every required kind requested, as is usual: no list to make)
            missing = ([] if _REQUIRED.issubset(requested)
                       else [k.value for k in REQUIRED_ADVICE if k not in requested])
            if missing and draft is None:
                out.append(advice_not_sought(missing, index, event.on))
            draft, represented = event, False
        elif type_ == _REPRESENTED:
            represented = True
        elif draft is not None:  # (the type is _FINAL)
            # The representation period of the rule in force on the draft's day.
            drafted = draft.start_date
            window = history("assessment.draft_representations").on(drafted)
            period = None if window is None else window.period
            window_end = None if period is None else due_on(period, drafted, ctx.holidays)
            if period is not None and window_end is not None and (
                event.on <= window_end and not represented
            ):
                out.append(final_too_early(period, window_end, index, event.on))
            draft = None
    return out


def advice_not_sought(missing: list[str], index: int, on: date) -> Finding:
    """The finding for a draft issued with no recorded request for the ``missing``
    advice (reg. 6(1)), at event ``index`` dated ``on``."""
    return Finding(
        code="required_advice_not_sought",
        message=(
            "draft plan issued without a recorded request for "
            f"{', '.join(missing)} advice (SEND Regulations 2014 reg. 6(1))"
        ),
        rule_id="assessment.advice",
        event_index=index,
        on=on,
    )


def final_too_early(period: Period, window_end: date, index: int, on: date) -> Finding:
    """The finding for a final plan issued by ``window_end``, the end of the draft's
    representation ``period``, with no representations recorded (reg. 13(1)(a))."""
    return Finding(
        code="final_before_representation_period_ended",
        message=(
            f"final plan issued before the representation period "
            f"({period.describe()} the draft) ended "
            f"({window_end.isoformat()}) and no representations were "
            "recorded (SEND Regulations 2014 reg. 13(1)(a))"
        ),
        rule_id="assessment.draft_representations",
        event_index=index,
        on=on,
    )


#: The ``type`` of each event class :func:`_assessment_findings` reads.
_REQUEST, _ADVICE, _DRAFT, _REPRESENTED, _FINAL = (
    cls.model_fields["type"].default
    for cls in (RequestReceived, AdviceRequested, DraftPlanIssued, RepresentationsReceived,
                FinalPlanIssued)
)
#: REQUIRED_ADVICE as a set, to test a draft's requests against in one step.
_REQUIRED = frozenset(REQUIRED_ADVICE)
#: Those types: every other event is passed over.
_FINDINGS_TYPES = frozenset({_REQUEST, _ADVICE, _DRAFT, _REPRESENTED, _FINAL})


#: The evaluators this module implements, by the name rule data gives them
#: (``evaluator = ...``); sendflow.compliance.evaluators gathers them.
EVALUATORS: Mapping[str, Evaluator] = {
    "special_school_stay": special_school_stay,
}
#: Its findings hooks, each with the event types without which it finds nothing.
FINDINGS: tuple[Hook, ...] = (
    Hook(_assessment_findings, frozenset({"draft_plan_issued"})),
)
