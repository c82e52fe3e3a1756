"""Evaluators for a move to another local authority (``rules/data/la_transfer.toml``).

``la_transfer_day_of_move``  regs 15(2), 15(7): transfer the plan (or notify the
                             commissioner) on the day of the move
``la_transfer_review``       reg. 15(5): the new LA's first review
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sendflow._readings_law import completes_review, day_of_move_due
from sendflow.compliance._context import EvaluationContext, Evaluator
from sendflow.compliance._report import Deadline
from sendflow.compliance.evaluators._common import (
    _fmt,
    _is,
    _next_review,
    _plan_periods,
    _version,
)
from sendflow.rules._registry import RuleHistory
from sendflow.workflows import BaseEvent
from sendflow.workflows.review import MovedToAnotherLA

__all__ = ["EVALUATORS", "READS"]


# ------------------------------------------------------------- la_transfer
def _first_after(events: tuple[BaseEvent, ...], index: int, type_: str) -> date | None:
    for later in events[index + 1:]:
        if later.type == type_:
            return later.on
    return None


def la_transfer_day_of_move(hist: RuleHistory, ctx: EvaluationContext) -> list[Deadline]:
    """Regs 15(2), 15(7): on the day of the move, or 15 working days beginning with
    the day the old body learnt of it if that was less than 15 working days before
    the move or after it (see :func:`sendflow._readings_law.day_of_move_due`)."""
    health = hist.id == "la_transfer.health_notify"
    met_type = "commissioner_notified" if health else "plan_transferred"
    out: list[Deadline] = []
    for i, e, had_plan in _plan_periods(ctx.events):
        # (the type first: an isinstance miss on a pydantic model costs about 1k)
        if e.type != "moved_to_another_la" or not isinstance(e, MovedToAnotherLA) or not had_plan:
            continue
        if health and not e.commissioner_changes:
            continue
        move = e.move_date or e.on
        aware = e.old_commissioner_aware_on if health else e.old_la_aware_on
        rule = _version(hist, move)
        if rule is None:
            continue
        # The rule's period is the late-learning limb: 15 working days beginning with
        # the day the old body learnt of the move, also when that was after it.
        due, start, note = day_of_move_due(move, aware, rule.period, holidays=ctx.holidays)
        met_on = _first_after(ctx.events, i, met_type)
        out.append(ctx.make(rule, due=due, started_on=start, start_event=e.type, met_on=met_on,
                            history=hist, note=note))
    return out


def la_transfer_review(hist: RuleHistory, ctx: EvaluationContext) -> list[Deadline]:
    """Reg. 15(5): the new LA reviews before the later of two limbs, both from the rule's
    data: ``periods.since_last_review`` from the plan's making or last review, and the
    rule's ``period`` from the transfer."""
    out: list[Deadline] = []
    events = ctx.events
    made: date | None = None
    last_review: date | None = None
    reassessing = False
    reading = ctx.reading("review.completed_by")
    meeting_since = False
    for i, e in enumerate(events):
        if completes_review(e.type, reading=reading, meeting_since_last=meeting_since):
            last_review, meeting_since = e.on, False
        elif e.type == "review_meeting_held":
            meeting_since = True
        if _is(e, "reassessment_decision", outcome="assess"):
            reassessing = True
        elif e.type == "final_plan_issued":
            if made is None or reassessing:
                made, last_review = e.on, None
            reassessing = False
        elif e.type == "plan_transferred":
            transfer = e.on
            recorded = [d for d in (getattr(e, "plan_made_on", None),
                                    getattr(e, "last_reviewed_on", None),
                                    last_review or made) if d is not None]
            anchor = max(recorded) if recorded else None
            rule = _version(hist, transfer)
            if rule is None:
                continue
            limb_b = rule.period.due(transfer, holidays=ctx.holidays)
            if anchor is not None:
                since = rule.limb("since_last_review")
                limb_a = since.due(anchor, holidays=ctx.holidays)
                due = max(limb_a, limb_b)
                note = (f"The later of {_fmt(limb_a)} ({since.describe()} the plan's making or "
                        f"last review, {_fmt(anchor)}) and {_fmt(limb_b)} "
                        f"({rule.period.describe()} the transfer, {_fmt(transfer)}): "
                        f"{_fmt(due)}.")
            else:
                due = limb_b
                note = ("The plan's making or last review is not recorded; only the limb "
                        f"counted from the transfer ({rule.period.describe()}) is shown.")
            met_on, closed = _next_review(events, i, ("plan_ceased",), due, reading)
            out.append(ctx.make(rule, due=due, started_on=transfer, start_event=e.type,
                                met_on=met_on, closed=closed, history=hist, note=note))
            last_review = None
            made = anchor
    return out


#: The evaluators this module implements, by the name rule data gives them
#: (``evaluator = ...``); sendflow.compliance.evaluators gathers them.
EVALUATORS: Mapping[str, Evaluator] = {
    "la_transfer_day_of_move": la_transfer_day_of_move,
    "la_transfer_review": la_transfer_review,
}
#: What each evaluator reads from its rule's data besides ``period``: the named
#: periods, ages and spans a version must have, and may have no others of.
READS: Mapping[str, frozenset[str]] = {
    "la_transfer_day_of_move": frozenset(),
    "la_transfer_review": frozenset({"periods.since_last_review"}),
}
