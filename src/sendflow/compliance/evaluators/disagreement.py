"""Evaluators and findings for disagreement resolution (mediation, appeals, orders).

Named for the rule data in the table ``EVALUATORS`` at the bottom:

``appeal_deadline``               the appeal window of each notified decision
                                  (HESC Rules r. 20(1)(c) and r. 12), with the
                                  mediation certificate that follows it
``mediation_contact``             2 months to contact the mediation adviser, not
                                  opened for placement-only appeals (CFA s. 55(2))
``mediation_health_only``         30 days for health-only mediation (reg. 35(3))
``mediation_agreement_as_order``  an appealable mediation agreement carried out
                                  within the matching reg. 44 period (reg. 42(2))
``unopposed_placement``           2 weeks, or 5 when content changes too (reg. 45(5))
``continuing_duty``               an order to continue the plan: no due date

Findings: ``local_resolution_meeting`` (non-statutory, no time limit),
``mediation_agreement_kind_missing`` and ``plan_ceased_despite_continue_order``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from datetime import date

from sendflow.appeals import _appeal_arithmetic
from sendflow.compliance._compiled import matches
from sendflow.compliance._context import EvaluationContext, Evaluator, Hook
from sendflow.compliance._report import Deadline, Finding
from sendflow.compliance._standard import standard
from sendflow.rules._model import EventMatch
from sendflow.rules._registry import RuleHistory, history, nearest_version
from sendflow.workflows import BaseEvent
from sendflow.workflows.disagreement import (
    AppealConceded,
    AppealLodged,
    AppealRightsNotified,
    ConcessionKind,
    HealthBodiesNotified,
    LocalResolutionMeeting,
    MediationAgreement,
    MediationCertificateIssued,
    MediationHeld,
    MediationRequested,
    TribunalOrder,
    TribunalOrderKind,
)

__all__ = ["CLOCKED", "EVALUATORS", "FINDINGS", "ORDER_RULES", "READS", "START_FIELDS"]

#: The reg. 44 rules that each kind of order (or matching mediation agreement) starts.
ORDER_RULES: dict[TribunalOrderKind, tuple[str, ...]] = {
    TribunalOrderKind.CEASE: ("tribunal_order.cease",),
    TribunalOrderKind.ASSESS: (
        "tribunal_order.assess_notify",
        "tribunal_order.assess_no_plan",
        "tribunal_order.assess_final",
    ),
    TribunalOrderKind.MAKE_PLAN: (
        "tribunal_order.make_plan_draft",
        "tribunal_order.make_plan_final",
    ),
    TribunalOrderKind.REFER_BACK: ("tribunal_order.refer_back",),
    TribunalOrderKind.AMEND_PROVISION: ("tribunal_order.amend_provision",),
    TribunalOrderKind.AMEND_PLACEMENT: ("tribunal_order.amend_placement",),
    TribunalOrderKind.CONTINUE: (),
    TribunalOrderKind.CONTINUE_AND_AMEND: ("tribunal_order.continue_and_amend",),
}


def _first(
    events: tuple[BaseEvent, ...], after: int, wanted: Iterable[EventMatch]
) -> BaseEvent | None:
    wanted = tuple(wanted)
    for e in events[after + 1 :]:
        if any(matches(m, e) for m in wanted):
            return e
    return None


# -------------------------------------------------------------- appeal window
def _appeal_deadline(hist: RuleHistory, ctx: EvaluationContext) -> list[Deadline]:
    """One window per notified decision: due per HESC r. 20(1)(c) and r. 12.

    A mediation certificate counts for the latest decision notified before
    it; an appeal lodged meets the latest earlier window of the same decision
    (any decision when the appeal does not say) that no appeal has met yet.
    """
    events = ctx.events
    starts = [i for i, e in enumerate(events) if isinstance(e, AppealRightsNotified)]
    certificate: dict[int, date] = {}
    lodged: dict[int, date] = {}
    current: int | None = None
    for j, e in enumerate(events):
        if isinstance(e, AppealRightsNotified):
            current = j
        elif isinstance(e, MediationCertificateIssued) and current is not None:
            certificate.setdefault(current, e.on)
        elif isinstance(e, AppealLodged):
            for i in reversed(starts):
                start = events[i]
                if i > j or i in lodged or not isinstance(start, AppealRightsNotified):
                    continue
                if e.decision is None or e.decision == start.decision:
                    lodged[i] = e.on
                    break
    out: list[Deadline] = []
    for i in starts:
        event = events[i]
        assert isinstance(event, AppealRightsNotified)
        sent = event.start_date
        rule = hist.on(sent)
        if rule is None:
            continue
        arithmetic = _appeal_arithmetic(
            sent, certificate.get(i), holidays=ctx.holidays, rule=rule
        )
        out.append(
            ctx.make(
                rule,
                due=arithmetic.deadline,
                started_on=sent,
                start_event=event.type,
                met_on=lodged.get(i),
                key=event.decision.value,
                history=hist,
                note=arithmetic.explain(),
            )
        )
    return out


def _mediation_contact(hist: RuleHistory, ctx: EvaluationContext) -> list[Deadline]:
    """The standard clock, except that a placement-only appeal needs no certificate."""
    kept = tuple(
        e for e in ctx.events if not (isinstance(e, AppealRightsNotified) and e.placement_only)
    )
    return standard(hist, dataclasses.replace(ctx, events=kept, findings=[]))


# ------------------------------------------------------------------ mediation
def _mediation_health_only(hist: RuleHistory, ctx: EvaluationContext) -> list[Deadline]:
    """30 days from the commissioning body's receipt of the notice, only when the
    mediation request was about health care alone (reg. 35(3))."""
    events = ctx.events
    out: list[Deadline] = []
    request: MediationRequested | None = None
    for i, e in enumerate(events):
        if isinstance(e, MediationRequested):
            request = e
            continue
        if not isinstance(e, HealthBodiesNotified) or request is None:
            continue
        if request.health_issues is not True or request.other_issues is not False:
            continue
        start = e.start_date
        rule = hist.on(start)
        if rule is None:
            continue
        met: date | None = None
        closed = False
        for later in events[i + 1 :]:
            if isinstance(later, MediationHeld):
                met = later.on
                break
            if isinstance(later, MediationRequested):
                closed = True
                break
        out.append(
            ctx.make(rule, due=rule.period.due(start, holidays=ctx.holidays), started_on=start,
                     start_event=e.type, met_on=met, closed=closed, history=hist)
        )
    return out


def _agreement_as_order(hist: RuleHistory, ctx: EvaluationContext) -> list[Deadline]:
    """An appealable agreement is carried out within the period of the matching
    order (reg. 42(2)), one deadline per reg. 44 limit, keyed by that limit."""
    events = ctx.events
    out: list[Deadline] = []
    for i, e in enumerate(events):
        if not isinstance(e, MediationAgreement) or e.appealable is not True or e.kind is None:
            continue
        rule = hist.on(e.on)
        if rule is None:
            continue
        for rule_id in ORDER_RULES[e.kind]:
            order = history(rule_id).on(e.on)
            if order is None:
                continue
            merged = rule.model_copy(
                update={"period": order.period, "exceptions": order.exceptions}
            )
            met = _first(events, i, order.clock.met_by)
            closer = _first(events, i, order.clock.closed_by)
            closed = closer is not None and (met is None or closer.on < met.on)
            out.append(
                ctx.make(
                    merged,
                    due=order.period.due(e.on, holidays=ctx.holidays),
                    started_on=e.on,
                    start_event=e.type,
                    met_on=None if closed or met is None else met.on,
                    closed=closed,
                    key=rule_id.split(".", 1)[1],
                    note=f"As if a Tribunal order: {order.title} ({order.period.describe()}).",
                )
            )
    return out


# ------------------------------------------------------ orders and concessions
def _unopposed_placement(hist: RuleHistory, ctx: EvaluationContext) -> list[Deadline]:
    """2 weeks to change the named setting, or 5 when the same appeal also
    concedes needs or provision (reg. 45(5)(a)-(b))."""
    events = ctx.events
    out: list[Deadline] = []
    for i, e in enumerate(events):
        if not isinstance(e, AppealConceded) or e.kind is not ConcessionKind.AMEND_PLACEMENT:
            continue
        rule = hist.on(e.on)
        if rule is None:
            continue
        lo = max((j for j in range(i) if isinstance(events[j], AppealLodged)), default=-1)
        hi = next(
            (j for j in range(i + 1, len(events)) if isinstance(events[j], AppealLodged)),
            len(events),
        )
        with_content = any(
            isinstance(x, AppealConceded) and x.kind is ConcessionKind.AMEND_PROVISION
            for x in events[lo + 1 : hi]
        )
        note = None
        if with_content:
            content = history("unopposed.amend_content").on(e.on)
            if content is not None:
                rule = rule.model_copy(update={"period": content.period})
                note = ("The same appeal also concedes needs or provision: "
                        f"{content.period.describe()}, unopposed.amend_content's period "
                        "(reg. 45(5)(b)).")
        met = _first(events, i, rule.clock.met_by)
        out.append(
            ctx.make(rule, due=rule.period.due(e.on, holidays=ctx.holidays), started_on=e.on,
                     start_event=e.type, met_on=None if met is None else met.on, note=note)
        )
    return out


def _continuing_duty(hist: RuleHistory, ctx: EvaluationContext) -> list[Deadline]:
    """An order to continue the plan sets no time limit: report it without a due date."""
    out: list[Deadline] = []
    for e in ctx.events:
        if not (isinstance(e, TribunalOrder) and e.kind is TribunalOrderKind.CONTINUE):
            continue
        rule = hist.on(e.on)
        if rule is None:
            continue
        out.append(
            ctx.make(rule, due=None, started_on=e.on, start_event=e.type, met_on=None,
                     note="A continuing duty to maintain the plan from the order date; "
                          "no time limit falls due.")
        )
    return out


# ------------------------------------------------------------------- findings
def _mediation_contact_limit(on: date) -> str:
    """The time to contact a mediation adviser, in words, as the rule in force on ``on``
    (or the nearest version) gives it: 'the 2 months'."""
    period = nearest_version("disagreement.mediation_contact", on).period
    unit = period.unit.value.replace("_", " ")
    return f"the {period.amount} {unit.rstrip('s') if period.amount == 1 else unit}"


def _disagreement_findings(ctx: EvaluationContext) -> list[Finding]:
    out: list[Finding] = []
    continue_order: TribunalOrder | None = None
    for index, e in enumerate(ctx.events):
        if isinstance(e, LocalResolutionMeeting):
            outcome = {True: " (resolved)", False: " (not resolved)", None: ""}[e.resolved]
            out.append(
                Finding(
                    code="local_resolution_meeting",
                    message=(
                        f"local resolution meeting held{outcome}; a non-statutory step with no "
                        "time limit, which does not pause the appeal window or "
                        f"{_mediation_contact_limit(e.on)} to contact a mediation adviser"
                    ),
                    event_index=index,
                    on=e.on,
                )
            )
        elif isinstance(e, MediationAgreement) and e.appealable is True and e.kind is None:
            out.append(
                Finding(
                    code="mediation_agreement_kind_missing",
                    message=(
                        "mediation agreement on appealable matters without 'kind': its time "
                        "limit is the matching Tribunal order's (SEND Regulations 2014 "
                        "reg. 42(2)); record the kind to check it"
                    ),
                    rule_id="disagreement.agreement_appealable",
                    event_index=index,
                    on=e.on,
                )
            )
        elif isinstance(e, TribunalOrder):
            continue_order = e if e.kind is TribunalOrderKind.CONTINUE else None
        elif isinstance(e, AppealRightsNotified) and e.decision.value == "cease":
            continue_order = None
        elif e.type == "plan_ceased" and continue_order is not None:
            out.append(
                Finding(
                    code="plan_ceased_despite_continue_order",
                    message=(
                        "plan ceased after a Tribunal order to continue it, with no later "
                        "notice of a decision to cease (SEND Regulations 2014 reg. 44(2)(g))"
                    ),
                    rule_id="tribunal_order.continue",
                    event_index=index,
                    on=e.on,
                )
            )
            continue_order = None
    return out


#: The evaluators this module implements, by the name rule data gives them
#: (``evaluator = ...``); sendflow.compliance.evaluators gathers them.
EVALUATORS: Mapping[str, Evaluator] = {
    "appeal_deadline": _appeal_deadline,
    "mediation_contact": _mediation_contact,
    "mediation_health_only": _mediation_health_only,
    "mediation_agreement_as_order": _agreement_as_order,
    "unopposed_placement": _unopposed_placement,
    "continuing_duty": _continuing_duty,
}
#: What each evaluator reads from its rule's data besides ``period`` (see
#: :data:`sendflow.compliance.evaluators.review.READS`).
READS: Mapping[str, frozenset[str]] = {
    "appeal_deadline": frozenset({"periods.after_certificate", "spans.christmas", "spans.august"}),
    "mediation_contact": frozenset(),
    "mediation_health_only": frozenset(),
    "mediation_agreement_as_order": frozenset(),
    "unopposed_placement": frozenset(),
    "continuing_duty": frozenset(),
}
#: Those of them that judge a case by its rule version's clock, with the clock keys
#: besides starts, met_by and closed_by each reads (mediation_contact is the standard
#: clock over the events it keeps; see :data:`sendflow.compliance.evaluators.CLOCKED`).
CLOCKED: Mapping[str, frozenset[str]] = {
    "mediation_contact": frozenset({"per", "start_field", "while_in"}),
}
#: The start date field each of them that does not read its clock takes in code (its
#: rule's data must name the same ``start_field``; see
#: :data:`sendflow.compliance.evaluators.START_FIELDS`).
START_FIELDS: Mapping[str, str] = {"appeal_deadline": "sent_on"}
#: Its findings hooks, each with the event types without which it finds nothing.
FINDINGS: tuple[Hook, ...] = (
    Hook(
        _disagreement_findings,
        frozenset({"local_resolution_meeting", "mediation_agreement", "tribunal_order"}),
    ),
)
