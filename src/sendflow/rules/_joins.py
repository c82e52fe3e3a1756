"""The joins between rule data and code, checked when the registry loads.

A rule's data names things the code must have: its ``evaluator`` (an entry of
:data:`sendflow.compliance.evaluators.EVALUATORS`), the event types of its
clock (each an event class of :mod:`sendflow.workflows`), the fields its clock
reads from those events (``where``, ``per``, ``start_field``) and the states it
runs in (``while_in``). A name the code does not have would otherwise read as
"no value" and silently drop or merge deadlines, so each mismatch is a
:class:`~sendflow.errors.RuleDataError` naming the file and the key. The
workflow tables' rows are held to the same: each row's event has a class.

A clock is read only by the evaluators that judge by it
(:data:`sendflow.compliance.evaluators.CLOCKED`); the others know their events in
code. So a clock key an evaluator does not read (``per``, ``while_in``) is refused;
a clock-blind evaluator's ``start_field`` must be the one its code reads
(:data:`sendflow.compliance.evaluators.START_FIELDS`); and versions of one rule whose
clocks differ under an evaluator that does not read its clock are refused
(:func:`check_clocks`). Each would otherwise be accepted and reach nothing.

``tests/data/invalid/`` holds one broken file per kind of mismatch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import cache

from sendflow.errors import RuleDataError
from sendflow.rules._model import Rule, RuleClock

__all__ = ["check_clocks", "check_version", "check_workflow_rows"]


@cache
def _event_classes() -> Mapping[str, frozenset[str]]:
    """Every event type, with the fields of its class."""
    from sendflow.workflows import EVENT_CLASSES

    return {
        cls.model_fields["type"].default: frozenset(cls.model_fields) for cls in EVENT_CLASSES
    }


@cache
def _states() -> frozenset[str]:
    """Every state of every region a case replays through."""
    from sendflow.workflows import REGIONS

    return frozenset(s for table in REGIONS.values() for s in table.states)


def _evaluator_names() -> frozenset[str]:
    # Imported when the registry first loads, not when sendflow.rules is: the
    # evaluators import the rules package (and nothing loads the registry while
    # sendflow.compliance is being imported).
    from sendflow.compliance.evaluators import EVALUATORS

    return frozenset(EVALUATORS)


def _reads() -> Mapping[str, frozenset[str]]:
    from sendflow.compliance.evaluators import READS

    return READS


def _clocked() -> Mapping[str, frozenset[str]]:
    from sendflow.compliance.evaluators import CLOCKED

    return CLOCKED


def _start_fields() -> Mapping[str, str]:
    from sendflow.compliance.evaluators import START_FIELDS

    return START_FIELDS


#: The clock keys besides starts, met_by and closed_by, and whether each is set.
_CLOCK_KEYS: tuple[tuple[str, Callable[[RuleClock], bool]], ...] = (
    ("per", lambda c: c.per is not None),
    ("start_field", lambda c: c.start_field is not None),
    ("while_in", lambda c: bool(c.while_in)),
)


def check_version(name: str, where: str, rule: Rule) -> None:
    """Every name ``rule`` (one version, at ``where`` in file ``name``) gives the code exists."""
    if rule.evaluator not in _evaluator_names():
        raise RuleDataError(
            name,
            f"{where}.evaluator",
            f"no evaluator is named {rule.evaluator!r} "
            "(see sendflow.compliance.evaluators.EVALUATORS)",
        )
    # The named periods, ages and spans: each one the evaluator reads is there, and
    # none is there that it does not read (a change to it would reach nothing).
    held = {f"periods.{n}" for n in rule.periods} | {f"ages.{n}" for n in rule.ages}
    held |= {f"spans.{n}" for n in rule.spans}
    reads = _reads()[rule.evaluator]
    for key in sorted(reads - held):
        raise RuleDataError(
            name, f"{where}.{key}", f"evaluator {rule.evaluator!r} reads it, and it is missing"
        )
    for key in sorted(held - reads):
        raise RuleDataError(
            name, f"{where}.{key}",
            f"evaluator {rule.evaluator!r} does not read it: a change to it would reach nothing",
        )
    classes = _event_classes()
    clock = rule.clock
    # A clock key the evaluator does not read. An evaluator outside CLOCKED reads none
    # of them; its start_field must be the one its code reads (START_FIELDS), if any.
    clocked = _clocked()
    reads_clock = clocked.get(rule.evaluator)
    for key, is_set in _CLOCK_KEYS:
        if key == "start_field" and reads_clock is None:
            in_code = _start_fields().get(rule.evaluator)
            if clock.start_field != in_code:
                raise RuleDataError(
                    name, f"{where}.clock.start_field",
                    f"evaluator {rule.evaluator!r} reads the start date from "
                    + (f"{in_code!r}" if in_code else "the event's own start_date")
                    + " in code (sendflow.compliance.evaluators.START_FIELDS): the data "
                    "must say the same",
                )
        elif is_set(clock) and key not in (reads_clock or frozenset()):
            raise RuleDataError(
                name, f"{where}.clock.{key}",
                f"evaluator {rule.evaluator!r} does not read it: it would reach nothing",
            )
    for role in ("starts", "met_by", "closed_by"):
        for k, match in enumerate(getattr(clock, role)):
            at = f"{where}.clock.{role}[{k}]"
            fields = classes.get(match.event)
            if fields is None:
                raise RuleDataError(name, f"{at}.event", f"no event type {match.event!r}")
            for field in match.where:
                if field not in fields:
                    raise RuleDataError(
                        name, f"{at}.where.{field}",
                        f"{field!r} is not a field of event {match.event!r}",
                    )
    # An event with the key field concerns its own instance; one without it,
    # every instance. A start or a meeting event without it would merge
    # instances that the data meant to keep apart.
    if clock.per is not None:
        for role in ("starts", "met_by"):
            for match in getattr(clock, role):
                if clock.per not in classes[match.event]:
                    raise RuleDataError(
                        name, f"{where}.clock.per",
                        f"{clock.per!r} is not a field of event {match.event!r} ({role})",
                    )
    if clock.start_field is not None:
        for match in clock.starts:
            if clock.start_field not in classes[match.event]:
                raise RuleDataError(
                    name, f"{where}.clock.start_field",
                    f"{clock.start_field!r} is not a field of start event {match.event!r}",
                )
    for state in clock.while_in:
        if state not in _states():
            raise RuleDataError(name, f"{where}.clock.while_in", f"no state {state!r}")


def check_clocks(name: str, versions: Iterable[tuple[str, Rule]]) -> None:
    """One rule's versions (each with its place in file ``name``): under an evaluator
    that does not read its clock, every version has the same clock.

    Such an evaluator (one outside :data:`sendflow.compliance.evaluators.CLOCKED`)
    knows its events in code, so a version's own clock would change nothing it
    judges; the rule's law page would still print it.
    """
    clocked = _clocked()
    first: dict[str, tuple[str, RuleClock]] = {}
    for where, rule in versions:
        if rule.evaluator in clocked:
            continue
        seen = first.setdefault(rule.evaluator, (where, rule.clock))
        if seen[1] != rule.clock:
            raise RuleDataError(
                name, f"{where}.clock",
                f"evaluator {rule.evaluator!r} does not read its rule's clock, so a version "
                f"may not have a clock of its own (it differs from {seen[0]}'s); give the "
                "version an evaluator that reads it",
            )


def check_workflow_rows(tables: Iterable[tuple[str, Iterable[tuple[str, str]]]]) -> None:
    """Each row of each workflow table, ``(source, event)``, names an event with a class."""
    classes = _event_classes()
    for table, rows in tables:
        for source, event in rows:
            if event not in classes:
                raise RuleDataError(
                    f"workflow table {table!r}", f"({source}, {event})",
                    f"no event class for {event!r}",
                )
