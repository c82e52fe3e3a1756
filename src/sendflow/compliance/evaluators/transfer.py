"""Evaluators for a transfer between phases of education (``rules/data/transfer.toml``).

``phase_transfer``       reg. 18(1)-(2): review and amend the plan before the transfer
``phase_transfer_2015``  reg. 18(3): the transitional dates
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sendflow.compliance._compiled import matches
from sendflow.compliance._context import EvaluationContext, Evaluator
from sendflow.compliance._report import Deadline
from sendflow.compliance.evaluators._common import Outcome, _fmt, _is, _version
from sendflow.lifecycle import _kind_limb, _rule_on, _transitional_rule
from sendflow.rules import Period
from sendflow.rules._registry import RuleHistory
from sendflow.workflows import BaseEvent
from sendflow.workflows.review import PhaseTransferScheduled, TransferKind

__all__ = ["EVALUATORS", "READS", "START_FIELDS"]


# ---------------------------------------------------------- transfer.phase
def _transfer_met(
    events: tuple[BaseEvent, ...], index: int, window: date, kind: str, due: date
) -> Outcome:
    """When the plan was finalised for the transfer, and whether the path closed.

    Met by the finalised amended plan (or a plan re-issued after re-assessment,
    or a review decision keeping a plan that already names the next setting)
    issued on or after ``window`` (the rule's ``window_opens`` before the
    transfer); the first plan's issue does not count. A later
    ``phase_transfer_scheduled`` of the same kind reschedules (closes) this one.
    """
    for later in events[index + 1:]:
        if (later.type == "phase_transfer_scheduled" and isinstance(later, PhaseTransferScheduled)
                and later.kind.value == kind):
            return Outcome(None, True)
        if later.type == "plan_ceased" and later.on <= due:
            return Outcome(None, True)
    first_plan = next((i for i, e in enumerate(events) if e.type == "final_plan_issued"), None)
    for i, e in enumerate(events):
        if e.on < window:
            continue
        reissued = e.type == "final_plan_issued" and i != first_plan
        if reissued or e.type == "amended_plan_issued" or _is(
            e, "review_decision", outcome="maintain"
        ):
            return Outcome(e.on, False)
    return Outcome(None, False)


#: Where each fixed-date limb of reg. 18 is (the dates themselves are rule data).
_REG_18_LIMB = {TransferKind.SECONDARY_TO_POST16: "reg. 18(1)(a)"}


def _transfer_note(kind: TransferKind, limb: Period, due: date) -> str:
    if kind is TransferKind.POST16_TO_POST16:
        return (f"Between post-16 institutions: {limb.describe()} the transfer (reg. 18(2)), "
                "counted back to the corresponding date.")
    words = limb.describe().removesuffix(" in the calendar year of")
    return (f"The regulation says '{words}' ({_REG_18_LIMB.get(kind, 'reg. 18(1)(b)')}), so "
            f"the last day is {_fmt(due)}. The Code of Practice says "
            f"'{words.replace('before', 'by', 1)}', one day later; "
            "sendflow follows the regulation. No roll-forward for weekends.")


def phase_transfer(hist: RuleHistory, ctx: EvaluationContext) -> list[Deadline]:
    """Reg. 18: review and amend the plan before the date the rule's data gives the
    transfer's kind (its ``period``, or the named limb of its ``periods``)."""
    out: list[Deadline] = []
    for i, e in enumerate(ctx.events):
        # (the type first: an isinstance miss on a pydantic model costs about 1k)
        if e.type != "phase_transfer_scheduled" or not isinstance(e, PhaseTransferScheduled):
            continue
        kind, transfer = e.kind, e.transfer_date
        base = _version(hist, transfer)
        if base is None:
            continue
        if _transitional_rule(kind, transfer) is not None:
            continue  # reg. 18(3): transfer.phase_2015 dates it
        if kind is TransferKind.INTO_APPRENTICESHIP:
            out.append(ctx.make(base, due=None, started_on=None, start_event=e.type, met_on=None,
                                key=kind.value, history=hist,
                                note="A move into an apprenticeship is not a transfer between "
                                "phases of education (SEND Regulations 2014 reg. 2(1)): reg. 18 "
                                "sets no date for it."))
            continue
        limb = _kind_limb(base, kind)
        due = limb.due(transfer, holidays=ctx.holidays)
        rule = base.model_copy(update={"period": limb})
        window = base.limb("window_opens").due(transfer, holidays=ctx.holidays)
        met_on, closed = _transfer_met(ctx.events, i, window, kind.value, due)
        out.append(ctx.make(rule, due=due, started_on=transfer, start_event="transfer_date",
                            met_on=met_on, closed=closed, key=kind.value, history=hist,
                            note=_transfer_note(kind, limb, due)))
    return out


def phase_transfer_2015(hist: RuleHistory, ctx: EvaluationContext) -> list[Deadline]:
    """Reg. 18(3): the transfers the rule's clock names (secondary to post-16 on the
    transfer date in its data), due by its period."""
    out: list[Deadline] = []
    for i, e in enumerate(ctx.events):
        if e.type != "phase_transfer_scheduled" or not isinstance(e, PhaseTransferScheduled):
            continue
        rule = _version(hist, e.transfer_date)
        if rule is None or not any(matches(m, e) for m in rule.clock.starts):
            continue
        due = rule.period.due(e.transfer_date, holidays=ctx.holidays)
        # The window of reg. 18(1) is transfer.phase's: reg. 18(3) changes only the date.
        main = _rule_on("transfer.phase", e.transfer_date)
        window = main.limb("window_opens").due(e.transfer_date, holidays=ctx.holidays)
        met_on, closed = _transfer_met(ctx.events, i, window, e.kind.value, due)
        out.append(ctx.make(rule, due=due, started_on=e.transfer_date,
                            start_event="transfer_date", met_on=met_on, closed=closed,
                            key=e.kind.value, history=hist))
    return out


#: The evaluators this module implements, by the name rule data gives them
#: (``evaluator = ...``); sendflow.compliance.evaluators gathers them.
EVALUATORS: Mapping[str, Evaluator] = {
    "phase_transfer": phase_transfer,
    "phase_transfer_2015": phase_transfer_2015,
}
#: What each evaluator reads from its rule's data besides ``period``: the named
#: periods, ages and spans a version must have, and may have no others of.
READS: Mapping[str, frozenset[str]] = {
    "phase_transfer": frozenset(
        {"periods.secondary_to_post16", "periods.post16_to_post16", "periods.window_opens"}
    ),
    "phase_transfer_2015": frozenset(),
}
#: The start date field each evaluator takes in code (its rule's data must name the same
#: ``start_field``; see :data:`sendflow.compliance.evaluators.START_FIELDS`).
START_FIELDS: Mapping[str, str] = {
    "phase_transfer": "transfer_date",
    "phase_transfer_2015": "transfer_date",
}
