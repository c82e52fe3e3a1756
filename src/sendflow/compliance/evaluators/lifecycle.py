"""Evaluators and findings for the life of an EHC plan (issue 5).

Each function computes the deadlines of the rules in ``rules/data/review.toml``,
``transfer.toml``, ``reassessment.toml``, ``la_transfer.toml`` and
``ceasing.toml`` that name it as their ``evaluator``. They share the engine in
:mod:`sendflow.compliance`: every deadline is built with ``ctx.make``; the table
``EVALUATORS`` at the bottom names them for the rule data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import date

from sendflow import calendar
from sendflow._readings_law import DECISION_NOTICES, completes_review, day_of_move_due
from sendflow.appeals import _appeal_arithmetic
from sendflow.compliance._compiled import matches
from sendflow.compliance._context import EvaluationContext, Evaluator, Hook
from sendflow.compliance._report import Deadline, Finding, Status, format_date
from sendflow.lifecycle import _kind_limb, _latest_end, _rule_on, _transitional_rule
from sendflow.rules import Period, Rule
from sendflow.rules._registry import RuleHistory
from sendflow.workflows import BaseEvent
from sendflow.workflows._table import has_fields
from sendflow.workflows.review import (
    CourseRecorded,
    MovedToAnotherLA,
    PhaseTransferScheduled,
    TransferKind,
)

__all__ = ["EVALUATORS", "FINDINGS", "READS"]

def _fmt(d: date) -> str:
    return format_date(d)


def _is(event: BaseEvent, type_: str, **where: str) -> bool:
    return event.type == type_ and has_fields(event, where.items())


def _next_review(
    events: tuple[BaseEvent, ...],
    index: int,
    closing: tuple[str, ...],
    due: date | None = None,
    reading: str = "meeting",
) -> tuple[date | None, bool]:
    """The first completed review after ``index`` (its date, not closed), or ``(None, True)``
    when one of ``closing`` (on or before ``due``, if given) comes first. What completes
    a review is the reading ``review.completed_by`` (:func:`completes_review`)."""
    meeting_since = False
    for later in events[index + 1 :]:
        if completes_review(later.type, reading=reading, meeting_since_last=meeting_since):
            return later.on, False
        if later.type == "review_meeting_held":
            meeting_since = True
        if later.type in closing and (due is None or later.on <= due):
            return None, True
    return None, False


def _plan_periods(events: tuple[BaseEvent, ...]) -> Iterator[tuple[int, BaseEvent, bool]]:
    """Each event with its index and whether a plan was in force just before it."""
    has_plan = False
    for i, e in enumerate(events):
        yield i, e, has_plan
        if e.type in ("final_plan_issued", "plan_transferred"):
            has_plan = True
        elif e.type == "plan_ceased":
            has_plan = False


def _version(hist: RuleHistory, on: date) -> Rule | None:
    return hist.on(on)


# ------------------------------------------------------------ review.annual
def review_annual(hist: RuleHistory, ctx: EvaluationContext) -> list[Deadline]:
    """CFA s. 44(1): 12 months beginning with the plan's making, then with each review.

    What completes a review is the reading ``review.completed_by``: by default the
    LA's decision notice after the meeting (``review_decision``, or an amendment or
    cease notice after a meeting in the same cycle), else the meeting itself
    (:func:`sendflow._readings_law.completes_review`). The completing event meets the
    running instance and starts the next. A plan re-issued after a
    re-assessment hands the next review to ``review.after_reassessment`` (reg.
    27(4)); a transfer to another LA hands it to ``la_transfer.review`` (reg.
    15(5)); in both cases this rule resumes from the next review meeting. An
    amended plan does not restart the clock.
    """
    out: list[Deadline] = []
    open_: tuple[date, str, int] | None = None  # start, start event, index
    has_plan = False
    reassessing = False
    reading = ctx.reading("review.completed_by")
    meeting_since = False  # a review meeting since the last completed review

    def emit(met_on: date | None, closed: bool, note: str | None = None) -> None:
        assert open_ is not None
        start, start_event, _ = open_
        rule = _version(hist, start)
        if rule is None:
            return
        due = rule.period.due(start, holidays=ctx.holidays)
        out.append(ctx.make(rule, due=due, started_on=start, start_event=start_event,
                            met_on=met_on, closed=closed, history=hist, note=note))

    def due_of(start: date) -> date:
        rule = _version(hist, start) or hist.versions[-1]
        return rule.period.due(start, holidays=ctx.holidays)

    for i, e in enumerate(ctx.events):
        completes = has_plan and completes_review(
            e.type, reading=reading, meeting_since_last=meeting_since
        )
        if e.type == "review_meeting_held":
            meeting_since = True
        if _is(e, "reassessment_decision", outcome="assess"):
            reassessing = True
        elif e.type == "final_plan_issued":
            if not has_plan:
                has_plan = True
                open_ = (e.on, e.type, i)
            elif reassessing:
                if open_ is not None:
                    emit(None, e.on <= due_of(open_[0]),
                         "Superseded by review.after_reassessment: the plan was re-issued "
                         "after a re-assessment (SEND Regulations 2014 reg. 27(4)).")
                open_ = None
            reassessing = False
        elif e.type == "plan_transferred":
            if not has_plan:
                has_plan = True
            elif open_ is not None and e.on <= due_of(open_[0]):
                emit(None, True, "Superseded by la_transfer.review: the plan moved to another "
                     "local authority (SEND Regulations 2014 reg. 15(5)).")
                open_ = None
        elif completes:
            if open_ is not None:
                emit(e.on, False)
            open_ = (e.on, e.type, i)
            meeting_since = False
        elif e.type == "plan_ceased" and has_plan:
            if open_ is not None:
                emit(None, e.on <= due_of(open_[0]))
            open_ = None
            has_plan = False
    if open_ is not None:
        emit(None, False)
    return out


#: Due dates already counted, by (period object, start): only for the default holiday
#: table. Each period is kept alive beside its answers, so its id is never reused.
_DUES: dict[tuple[int, date], date] = {}
_DUE_PERIODS: dict[int, Period] = {}


def _due(period: Period, start: date, holidays: object) -> date:
    """``period.due(start)``, remembered (the fast paths' date arithmetic)."""
    if holidays is not None:
        return period.due(start, holidays=holidays)  # type: ignore[arg-type]
    key = (id(period), start)
    due = _DUES.get(key)
    if due is None:
        due = period.due(start)
        if len(_DUES) >= 50_000:
            _DUES.clear()
            _DUE_PERIODS.clear()
        _DUES[key] = due
        _DUE_PERIODS[key[0]] = period
    return due


#: The event types besides ``final_plan_issued`` that review_annual's pass reacts to.
#: A case with none of them has one instance, from its first plan, neither met nor
#: closed (the fast path; review_annual is the plain one, tests/property/
#: test_engine_reference.py holds them equal).
_ANNUAL_REACTS = frozenset(
    {"review_meeting_held", "reassessment_decision", "plan_transferred", "plan_ceased"}
) | DECISION_NOTICES


def _review_annual_fast(hist: RuleHistory, ctx: EvaluationContext) -> list[Deadline]:
    """review_annual, in one step for a case none of whose events can meet or move it."""
    types = ctx.event_types
    if not types or not types.isdisjoint(_ANNUAL_REACTS):
        return review_annual(hist, ctx)
    for e in ctx.events:
        if e.type == "final_plan_issued":
            rule = hist.on(e.on)
            if rule is None:
                return []
            due = _due(rule.period, e.on, ctx.holidays)
            return [ctx.make(rule, due=due, started_on=e.on, start_event=e.type, met_on=None,
                             history=hist)]
    return []


def review_after_reassessment(hist: RuleHistory, ctx: EvaluationContext) -> list[Deadline]:
    """Reg. 27(4)(a): the first review within 12 months of a plan issued after a re-assessment."""
    out: list[Deadline] = []
    if ctx.event_types and "reassessment_decision" not in ctx.event_types:
        return out  # no re-assessment, no plan issued after one (types unknown: scan)
    events = ctx.events
    reassessing = False
    has_plan = False
    for i, e in enumerate(events):
        if _is(e, "reassessment_decision", outcome="assess"):
            reassessing = True
        elif e.type == "final_plan_issued":
            if has_plan and reassessing:
                rule = _version(hist, e.on)
                if rule is not None:
                    due = rule.period.due(e.on, holidays=ctx.holidays)
                    met_on, closed = _next_review(
                        events, i, ("plan_ceased", "plan_transferred"), due,
                        ctx.reading("review.completed_by"),
                    )
                    out.append(ctx.make(rule, due=due, started_on=e.on, start_event=e.type,
                                        met_on=met_on, closed=closed, history=hist))
            has_plan = True
            reassessing = False
        elif e.type == "plan_transferred":
            has_plan = True
    return out


def review_early_years(hist: RuleHistory, ctx: EvaluationContext) -> list[Deadline]:
    """Code of Practice: for a child under 5, consider a review every 3 to 6 months.

    Needs the child's date of birth (``case.child.date_of_birth``); one
    instance for the plan's making and for each review meeting while the
    child is under 5.
    """
    case = ctx.case
    child = case.child if case is not None else None
    if child is None:
        return []
    dob = child.date_of_birth
    out: list[Deadline] = []
    events = ctx.events
    # The guidance applies below the age its data names (the oldest any version names,
    # for the quick test that no event can start a clock).
    oldest = max(v.age("under") for v in hist.versions)
    if events:
        first = min(e.on for e in events)
        # Too old at every event: no start can count (a whole calendar year past the
        # age settles it without working out the age).
        if first.year - dob.year > oldest or (
            first >= dob and calendar.age_on(dob, first) >= oldest
        ):
            return out
    for i, e, had_plan in _plan_periods(events):
        starts = (e.type == "final_plan_issued" and not had_plan) or (
            e.type == "review_meeting_held" and had_plan
        )
        if not starts or e.on < dob:
            continue
        rule = _version(hist, e.on)
        if rule is None:
            continue
        under = rule.age("under")
        if calendar.age_on(dob, e.on) >= under:
            continue
        met_on, closed = _next_review(events, i, ("plan_ceased",))
        out.append(_early_years_instance(hist, ctx, rule, e, met_on, closed, rule.period.due))
    return out


def _early_years_instance(
    hist: RuleHistory,
    ctx: EvaluationContext,
    rule: Rule,
    e: BaseEvent,
    met_on: date | None,
    closed: bool,
    count: Callable[..., date],
) -> Deadline:
    """One instance of review.early_years started by ``e`` (``count``: its period's due)."""
    under = rule.age("under")
    consider = rule.limb("consider_from")
    due = count(e.on, holidays=ctx.holidays)
    note = (f"Under {under} on {_fmt(e.on)}: the Code of Practice suggests considering a "
            f"review from {_fmt(consider.due(e.on, holidays=ctx.holidays))} and by "
            f"{_fmt(due)} ({consider.describe()} to {rule.period.describe()}).")
    return ctx.make(rule, due=due, started_on=e.on, start_event=e.type, met_on=met_on,
                    closed=closed, history=hist, note=note)


#: The event types besides ``final_plan_issued`` that review_early_years reacts to:
#: without them only the first plan's issue can start it, and nothing meets or closes it.
_EARLY_YEARS_REACTS = frozenset({"review_meeting_held", "plan_transferred", "plan_ceased"})


def _review_early_years_fast(hist: RuleHistory, ctx: EvaluationContext) -> list[Deadline]:
    """review_early_years, in one step for a case with only its first plan to start it."""
    types = ctx.event_types
    case = ctx.case
    child = case.child if case is not None else None
    if child is None:
        return []
    if not types or not types.isdisjoint(_EARLY_YEARS_REACTS):
        return review_early_years(hist, ctx)
    for e in ctx.events:
        if e.type == "final_plan_issued":
            break
    else:
        return []
    dob = child.date_of_birth
    if e.on < dob:
        return []
    rule = hist.on(e.on)
    if rule is None:
        return []
    under = rule.age("under")
    years = e.on.year - dob.year  # the age, or one more before the birthday
    if years > under or (years == under and calendar.age_on(dob, e.on) >= under):
        return []
    period = rule.period

    def count(start: date, holidays: object = None) -> date:
        return _due(period, start, holidays)

    return [_early_years_instance(hist, ctx, rule, e, None, False, count)]


# ---------------------------------------------------------- transfer.phase
def _transfer_met(
    events: tuple[BaseEvent, ...], index: int, window: date, kind: str, due: date
) -> tuple[date | None, bool]:
    """When the plan was finalised for the transfer, and whether the path closed.

    Met by the finalised amended plan (or a plan re-issued after re-assessment,
    or a review decision keeping a plan that already names the next setting)
    issued on or after ``window`` (the rule's ``window_opens`` before the
    transfer); the first plan's issue does not count. A later
    ``phase_transfer_scheduled`` of the same kind reschedules (closes) this one.
    """
    for later in events[index + 1:]:
        if isinstance(later, PhaseTransferScheduled) and later.kind.value == kind:
            return None, True
        if later.type == "plan_ceased" and later.on <= due:
            return None, True
    first_plan = next((i for i, e in enumerate(events) if e.type == "final_plan_issued"), None)
    for i, e in enumerate(events):
        if e.on < window:
            continue
        reissued = e.type == "final_plan_issued" and i != first_plan
        if reissued or e.type == "amended_plan_issued" or _is(
            e, "review_decision", outcome="maintain"
        ):
            return e.on, False
    return None, False


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
        if not isinstance(e, PhaseTransferScheduled):
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
        if not isinstance(e, PhaseTransferScheduled):
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
        if not isinstance(e, MovedToAnotherLA) or not had_plan:
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


# ------------------------------------------------------------ reassessment
# ----------------------------------------------------------------- ceasing
class NotBeforeDeadline(Deadline):
    """A prohibition's date: the plan may not cease before ``due`` (CFA s. 45(4)).

    ``met`` means the plan was not ceased before ``due``; ``missed`` means it was, or
    that it ceased although the appeal against ceasing succeeded.
    """

    appeal_succeeded: bool = False

    def _status_sentence(self) -> str:
        due, ceased = self.due, self.met_on
        if due is None:
            return super()._status_sentence()
        if self.appeal_succeeded and ceased is not None:
            return (f"Status: breached — the plan ceased on {_fmt(ceased)} although the "
                    "appeal against ceasing succeeded.")
        if self.appeal_succeeded:
            return "Status: not applicable — the appeal succeeded and the plan continues."
        if self.status is Status.MISSED and ceased is not None:
            return (f"Status: breached — the plan ceased on {_fmt(ceased)}, before "
                    f"{_fmt(due)}, the first day it could lawfully cease.")
        if self.status is Status.MET and ceased is not None:
            return (f"Status: met — the plan ceased on {_fmt(ceased)}, on or after "
                    f"{_fmt(due)}.")
        if self.status is Status.MET:
            return (f"Status: met — the plan was still maintained when the protected period "
                    f"ended; it may cease from {_fmt(due)}.")
        if self.status is Status.PENDING:
            return (f"Status: pending — keep maintaining the plan; the earliest it may cease "
                    f"is {_fmt(due)} (as of {_fmt(self.as_of)}).")
        return super()._status_sentence()




def ceasing_appeal_window(hist: RuleHistory, ctx: EvaluationContext) -> list[Deadline]:
    """CFA s. 45(4): no cessation until the appeal window has closed with no appeal,
    or an appeal has been finally decided or withdrawn."""
    out: list[Deadline] = []
    events = ctx.events
    episodes: list[tuple[int, date]] = []
    for i, e in enumerate(events):
        if e.type == "cease_notice_sent":
            episodes.append((i, e.on))
        elif _is(e, "appeal_rights_notified", decision="cease"):
            sent = e.start_date
            between = events[episodes[-1][0] + 1:i] if episodes else ()
            if episodes and not any(
                x.type in ("plan_ceased", "cease_notice_sent") for x in between
            ):
                episodes[-1] = (episodes[-1][0], sent)
            else:
                episodes.append((i, sent))
    for n, (i, sent) in enumerate(episodes):
        end_index = episodes[n + 1][0] if n + 1 < len(episodes) else len(events)
        later = events[i + 1:end_index]
        rule = _version(hist, sent)
        if rule is None:
            continue
        certificate: date | None = None
        lodged: date | None = None
        resolved: date | None = None
        ceased: date | None = None
        withdrawn_cease = False
        kept = False  # the appeal succeeded: the plan must continue (regs 44(2)(g)-(h), 45(6A))
        for x in later:
            if x.type == "mediation_certificate_issued":
                certificate = x.on
            elif x.type == "appeal_lodged" and lodged is None:
                lodged = x.on
            elif x.type in ("appeal_decided", "tribunal_order", "appeal_withdrawn",
                            "appeal_conceded") and lodged is not None and resolved is None:
                resolved = x.on
                kept = (
                    _is(x, "tribunal_order", kind="continue")
                    or _is(x, "tribunal_order", kind="continue_and_amend")
                    or _is(x, "appeal_conceded", kind="cease")
                    or _is(x, "appeal_decided", outcome="upheld")
                )
            elif x.type == "plan_ceased":
                ceased = x.on
                break
            elif _is(x, "review_decision", outcome="maintain") or x.type == "amended_plan_issued":
                withdrawn_cease = True
                break
        window_end = _appeal_arithmetic(
            sent, certificate, holidays=ctx.holidays, rule=rule
        ).deadline
        how = "the appeal deadline"
        earliest = calendar.add_days(window_end, 1)
        note = (f"Cease notice sent {_fmt(sent)}; {how} is {_fmt(window_end)}, so the plan "
                f"may cease from {_fmt(earliest)} if no appeal is brought.")
        appeal_pending = lodged is not None and resolved is None
        if kept:
            note += (
                " The appeal succeeded: the decision to cease fell away and the plan must "
                "continue (SEND Regulations 2014 regs 44(2)(g)-(h), 45(6A))."
            )
        elif lodged is not None:
            if resolved is not None:
                earliest = max(resolved, sent)
                note += f" An appeal was brought and ended on {_fmt(resolved)}."
            else:
                note += " An appeal was brought: the plan continues until it is decided."
        base = ctx.make(rule, due=earliest, started_on=sent, start_event="cease_notice_sent",
                        met_on=None, closed=withdrawn_cease, history=hist, note=note)
        if kept:
            # Any later cessation without a fresh decision to cease is unlawful.
            status = Status.MISSED if ceased is not None else Status.NOT_APPLICABLE
        elif withdrawn_cease:
            status = Status.NOT_APPLICABLE
        elif ceased is not None:
            early = ceased < earliest or (appeal_pending and ceased >= lodged)  # type: ignore[operator]
            status = Status.MISSED if early else Status.MET
        elif appeal_pending or ctx.as_of < earliest:
            status = Status.PENDING
        else:
            status = Status.MET
        data = base.model_dump()
        data.update(status=status, met_on=ceased, exception=base.exception, appeal_succeeded=kept)
        d = NotBeforeDeadline(**data)
        d._rule = base.rule
        out.append(d)
    return out


#: Notes of ceasing.age_25 by due date and age (a 31 July: the cache holds no personal data).
_AGE_25_NOTES: dict[tuple[date, int], str] = {}


def _age_25(
    rule: Rule, dob: date, setting: str = "further_education", course_end: date | None = None
) -> tuple[date, str]:
    """The latest end of a plan (reg. 46(1)(a)-(c)) by ``rule``'s data, and its note."""
    turns = rule.age("turns")
    if setting != "further_education":
        due = _latest_end(rule, dob, setting, course_end)  # type: ignore[arg-type]
        what = "apprenticeship" if setting == "apprenticeship" else "course or training"
        limb = "(b)" if setting == "apprenticeship" else "(c)"
        # Never say which limb gave the date: with the rule it could give away the birthday.
        if course_end is None:
            note = (f"For an {what} whose end is not recorded, the outer limit: the academic "
                    f"year ends at the latest on {_fmt(due)} (reg. 46(1){limb}). Record the "
                    "scheduled end with course_recorded.")
        else:
            note = (f"For an {what} scheduled to end on {_fmt(course_end)}, the academic year "
                    f"in which the young person turns {turns} ends on {_fmt(due)}: the end of "
                    f"the {what}, or earlier if the outer limit comes first (reg. "
                    f"46(1){limb}).")
        return due, note
    due = _latest_end(rule, dob, "further_education", None)
    cached = _AGE_25_NOTES.get((due, turns))
    if cached is not None:
        return due, cached
    # Never name the birthday itself: with the rule it would give away the date of birth.
    note = (f"The academic year in which the young person turns {turns} ends on "
            f"{_fmt(due)}: the latest end for a further education college (reg. "
            "46(1)(a)). For an apprenticeship or another course, record it with "
            "course_recorded (reg. 46(1)(b)-(c)).")
    if len(_AGE_25_NOTES) < 1_000:
        _AGE_25_NOTES[(due, turns)] = note
    return due, note


def ceasing_age_25(hist: RuleHistory, ctx: EvaluationContext) -> list[Deadline]:
    """CFA s. 46, reg. 46: the plan may run to the end of the academic year in which the
    young person turns the age the rule's data gives (``ages.turns``)."""
    case = ctx.case
    child = case.child if case is not None else None
    if child is None:
        return []
    dob = child.date_of_birth
    first_plan = next(
        (e.on for e in ctx.events if e.type in ("final_plan_issued", "plan_transferred")), None
    )
    if first_plan is None:
        return []
    # The version in force when the plan was first held (the nearest, outside every span).
    rule = _version(hist, first_plan) or (
        hist.versions[0] if first_plan < hist.versions[0].effective_from else hist.versions[-1]
    )
    course = next((e for e in reversed(ctx.events) if isinstance(e, CourseRecorded)), None)
    if course is None:
        due, note = _age_25(rule, dob)
    else:
        due, note = _age_25(rule, dob, course.setting, course.course_end)
    ceased = next((e.on for e in ctx.events if e.type == "plan_ceased"), None)
    return [ctx.make(rule, due=due, started_on=None, start_event="25th_birthday", met_on=ceased,
                     history=hist, note=note)]


#: The event types ceasing_age_25 reads besides the plan's first issue or transfer:
#: without them the plan ends at the further education limit and has not ceased.
_AGE_25_REACTS = frozenset({"course_recorded", "plan_ceased"})


def _ceasing_age_25_fast(hist: RuleHistory, ctx: EvaluationContext) -> list[Deadline]:
    """ceasing_age_25 in one scan for a case with no course recorded and no cessation."""
    types = ctx.event_types
    if not types or not types.isdisjoint(_AGE_25_REACTS):
        return ceasing_age_25(hist, ctx)
    case = ctx.case
    child = case.child if case is not None else None
    if child is None:
        return []
    for e in ctx.events:
        if e.type == "final_plan_issued" or e.type == "plan_transferred":
            first_plan = e.on
            break
    else:
        return []
    rule = hist.on(first_plan) or (
        hist.versions[0] if first_plan < hist.versions[0].effective_from else hist.versions[-1]
    )
    due, note = _age_25(rule, child.date_of_birth)
    return [ctx.make(rule, due=due, started_on=None, start_event="25th_birthday", met_on=None,
                     history=hist, note=note)]


# ---------------------------------------------------------------- findings
def _lifecycle_findings(ctx: EvaluationContext) -> list[Finding]:
    out: list[Finding] = []
    invited = False
    for index, e, had_plan in _plan_periods(ctx.events):
        if e.type == "review_invitations_sent":
            invited = True
        elif e.type == "review_meeting_held" and had_plan:
            if not invited:
                out.append(Finding(
                    code="review_without_invitations",
                    message=("review meeting held with no invitations recorded since the last "
                             "review (SEND Regulations 2014 regs 20(3), 21(3))"),
                    rule_id="review.invitations",
                    event_index=index,
                    on=e.on,
                ))
            invited = False
    return out


def _ceasing_findings(ctx: EvaluationContext) -> list[Finding]:
    from sendflow.rules._registry import history

    hist = history("ceasing.appeal_window")
    out: list[Finding] = []
    for d in ceasing_appeal_window(hist, ctx):
        if d.status is Status.MISSED and d.met_on is not None and not getattr(
            d, "appeal_succeeded", False
        ):
            index = next((i for i, e in enumerate(ctx.events)
                          if e.type == "plan_ceased" and e.on == d.met_on), None)
            out.append(Finding(
                code="ceased_before_appeal_window_closed",
                message=("plan ceased while an appeal against the decision to cease was still "
                         "possible or pending (Children and Families Act 2014 s. 45(4))"),
                rule_id="ceasing.appeal_window",
                event_index=index,
                on=d.met_on,
            ))
    return out


#: The evaluators this module implements, by the name rule data gives them
#: (``evaluator = ...``); sendflow.compliance.evaluators gathers them.
EVALUATORS: Mapping[str, Evaluator] = {
    "review_annual": _review_annual_fast,
    "review_after_reassessment": review_after_reassessment,
    "review_early_years": _review_early_years_fast,
    "phase_transfer": phase_transfer,
    "phase_transfer_2015": phase_transfer_2015,
    "la_transfer_day_of_move": la_transfer_day_of_move,
    "la_transfer_review": la_transfer_review,
    "ceasing_appeal_window": ceasing_appeal_window,
    "ceasing_age_25": _ceasing_age_25_fast,
}
#: What each evaluator reads from its rule's data besides ``period``: the named
#: periods, ages and spans a version must have, and may have no others of.
READS: Mapping[str, frozenset[str]] = {
    "review_annual": frozenset(),
    "review_after_reassessment": frozenset(),
    "review_early_years": frozenset({"periods.consider_from", "ages.under"}),
    "phase_transfer": frozenset(
        {"periods.secondary_to_post16", "periods.post16_to_post16", "periods.window_opens"}
    ),
    "phase_transfer_2015": frozenset(),
    "la_transfer_day_of_move": frozenset(),
    "la_transfer_review": frozenset({"periods.since_last_review"}),
    "ceasing_appeal_window": frozenset(
        {"periods.after_certificate", "spans.christmas", "spans.august"}
    ),
    "ceasing_age_25": frozenset({"periods.further_education", "ages.turns", "ages.outer_limit"}),
}
#: Its findings hooks, each with the event types without which it finds nothing.
FINDINGS: tuple[Hook, ...] = (
    Hook(_lifecycle_findings, frozenset({"review_meeting_held"})),
    Hook(_ceasing_findings, frozenset({"cease_notice_sent", "appeal_rights_notified"})),
)
