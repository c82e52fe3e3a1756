"""The plan cache: which rules and findings hooks a case's event types call for.

A caseload has few distinct sets of event types, so what to run for a set —
the rules (segments) its events can start, the standard ones compiled to run
together, and the findings hooks — is worked out once per set, with the rule
selection (``evaluate(..., rules=...)``). :func:`clear_caches` empties this
cache and every compile cache, for a registry loaded afresh.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any, NamedTuple

from sendflow import _fastjson
from sendflow.compliance import _build, _compiled, _standard
from sendflow.compliance._compiled import Segment, compile_rule
from sendflow.compliance._context import FindingsHook
from sendflow.compliance._standard import Group, group
from sendflow.compliance.evaluators import FINDINGS, ceasing, review
from sendflow.errors import InvalidArgument, RuleNotFound
from sendflow.rules._registry import all_rules

__all__ = ["Plan", "clear_caches", "plan", "plans_for", "select", "selection"]


@cache
def _rules_by_start() -> Mapping[str, tuple[Segment, ...]]:
    """Every segment of every rule, by the event types that can start it."""
    table: dict[str, list[Segment]] = {}
    for hist in all_rules():
        # (derived versions, planning aids for sendflow.planning, have no segment)
        for segment in compile_rule(hist).segments:
            types = {m.event for v in segment.history.versions for m in v.clock.starts}
            for t in sorted(types):
                table.setdefault(t, []).append(segment)
    return {k: tuple(v) for k, v in table.items()}


#: Rule selections resolved to rule ids, by the names given as a frozenset, or
#: as the very tuple given (immutable, so a key as it is: see select).
_SELECTIONS: dict[frozenset[str] | tuple[str, ...], frozenset[str]] = {}


def select(names: Iterable[str]) -> frozenset[str]:
    """The rule ids that ``names`` (ids, or prefixes such as ``"assessment"``) pick."""
    try:
        result = _SELECTIONS.get(names) if type(names) is tuple else None
        if result is None:
            given = frozenset([names] if isinstance(names, str) else names)
    except TypeError:  # not iterable, or an entry that cannot be a rule name
        raise InvalidArgument(
            "rules: give rule ids or id prefixes (strings), e.g. ['assessment.final_plan']"
        ) from None
    if result is None:
        result = _SELECTIONS.get(given) or _resolve(given)
        if len(_SELECTIONS) < 1_000:
            _SELECTIONS[given] = result
            if type(names) is tuple:
                _SELECTIONS[names] = result
    if type(names) is tuple:
        global _LAST_SELECTION
        _LAST_SELECTION = (names, result)  # one object: read whole, even across threads
    return result


#: The last tuple of names given to select and what it picked: evaluate_many
#: passes the same tuple for every case.
_LAST_SELECTION: tuple[Any, frozenset[str] | None] = (None, None)


def _resolve(given: frozenset[object]) -> frozenset[str]:
    """The rule ids the names in ``given`` pick (see select)."""
    ids = {h.id for h in all_rules()}
    out: set[str] = set()
    for name in given:
        if not isinstance(name, str):
            raise InvalidArgument("rules: each entry must be a rule id or id prefix (a string)")
        picked = {i for i in ids if i == name or i.startswith(name + ".")}
        if not picked:
            raise RuleNotFound(name)
        out |= picked
    return frozenset(out)


class Plan(NamedTuple):
    """What to run for a set of event types (and a rule selection)."""

    #: Every segment the types can start, in rule id order.
    segments: tuple[Segment, ...]
    #: The standard segments, compiled to run together.
    group: Group
    #: The segments with another evaluator.
    others: tuple[Segment, ...]
    #: ``others`` less those whose built-in evaluator finds nothing for these types
    #: (:data:`sendflow.compliance.evaluators.review.NEEDS`): what runs with the
    #: built-in evaluators.
    lean: tuple[Segment, ...]
    hooks: tuple[FindingsHook, ...]
    #: The selection as the report records it (None: every rule).
    chosen: tuple[str, ...] | None
    #: Whether the plan runs nothing: no segment can start and no hook runs.
    idle: bool
    #: A report's values under this plan, before the case's own
    #: (:func:`sendflow.compliance._build.report_template`); only ever copied.
    report: dict[str, Any]


_PLANS: dict[tuple[frozenset[str], frozenset[str] | None, bool], Plan] = {}
_PLANS_SIZE = 20_000
#: The plans of _PLANS again, by rule selection and findings, then by event types:
#: :func:`sendflow.evaluate` looks a plan up by the types alone (a frozenset, its
#: hash kept), where a key of three makes, hashes and compares a tuple (about 1,100
#: instructions a case). Emptied with _PLANS.
_BY_SELECTION: dict[tuple[frozenset[str] | None, bool], dict[frozenset[str], Plan]] = {}
_BY_SELECTION_SIZE = 2_000
_NOT_GIVEN: Any = object()
#: What :func:`plans_for` was last given and gave: (rules, findings, the selection,
#: the plans by types). A caseload's loop passes the same for every case.
_LAST_PLANS: tuple[Any, Any, frozenset[str] | None, dict[frozenset[str], Plan]] = (
    _NOT_GIVEN, _NOT_GIVEN, None, {})


def plan(types: frozenset[str], selected: frozenset[str] | None, findings: bool) -> Plan:
    """The plan for ``types`` (looked up, or worked out and remembered)."""
    hit = _PLANS.get((types, selected, findings))
    if hit is not None:
        # (held by types again, should its table have been emptied: _plans_by_types)
        _plans_by_types(selected, findings)[types] = hit
        return hit
    by_start = _rules_by_start()
    seen: dict[tuple[Any, ...], Segment] = {}
    for t in types:
        for segment in by_start.get(t, ()):
            if selected is None or segment.history.id in selected:
                seen[segment.key] = segment
    segments = tuple(seen[key] for key in sorted(seen))
    hooks = tuple(
        hook.run
        for hook in FINDINGS
        if findings and (hook.needs is None or not hook.needs.isdisjoint(types))
    )
    chosen = None if selected is None else tuple(sorted(selected))
    others = tuple(s for s in segments if s.evaluator != "standard")
    needs = review.NEEDS
    out = Plan(
        segments,
        group(tuple(s for s in segments if s.evaluator == "standard")),
        others,
        tuple(s for s in others
              if s.evaluator not in needs or not needs[s.evaluator].isdisjoint(types)),
        hooks,
        chosen,
        not segments and not hooks,
        _build.report_template(chosen),
    )
    if len(_PLANS) >= _PLANS_SIZE:
        _PLANS.clear()
        for plans in _BY_SELECTION.values():
            plans.clear()  # (in place: _LAST_PLANS may hold one)
    _PLANS[(types, selected, findings)] = out
    _plans_by_types(selected, findings)[types] = out
    return out


def _plans_by_types(selected: frozenset[str] | None, findings: bool) -> dict[frozenset[str], Plan]:
    """The plans for ``selected`` and ``findings`` by event types (see _BY_SELECTION)."""
    key = (selected, bool(findings))
    plans = _BY_SELECTION.get(key)
    if plans is None:
        if len(_BY_SELECTION) >= _BY_SELECTION_SIZE:
            global _LAST_PLANS
            _BY_SELECTION.clear()
            _LAST_PLANS = (_NOT_GIVEN, _NOT_GIVEN, None, {})
        plans = _BY_SELECTION[key] = {}
    return plans


def plans_for(
    rules: Iterable[str] | None, findings: bool
) -> tuple[frozenset[str] | None, dict[frozenset[str], Plan]]:
    """The rule ids ``rules`` picks (see selection) and the plans worked out so far for
    them and ``findings``, by event types (a plan missing there: :func:`plan`).

    Remembered in _LAST_PLANS when ``rules`` is None or a tuple (immutable, so the
    very object given stands for what it picks, as in select)."""
    global _LAST_PLANS
    selected = selection(rules)
    plans = _plans_by_types(selected, findings)
    if rules is None or type(rules) is tuple:
        _LAST_PLANS = (rules, findings, selected, plans)
    return selected, plans


def selection(rules: Iterable[str] | None) -> frozenset[str] | None:
    """The rule ids ``rules`` picks (None: every rule); see select."""
    if rules is None:
        return None
    last = _LAST_SELECTION
    if rules is last[0]:  # the same tuple as last time (see select)
        return last[1]
    return select(rules)


def clear_caches() -> None:
    """Forget every plan and compiled rule: for a registry loaded afresh (a test's copy).

    Rule selections, the rules by start event, plans, compiled groups and
    compiled rules are all worked out from the registry, and the latest working
    days from the calendar; after this, the next evaluation works them out again.
    The needs profiles remembered for reading JSON are forgotten too.
    """
    global _LAST_SELECTION, _LAST_PLANS
    _PLANS.clear()
    _BY_SELECTION.clear()
    _LAST_PLANS = (_NOT_GIVEN, _NOT_GIVEN, None, {})
    _SELECTIONS.clear()
    _LAST_SELECTION = (None, None)
    _rules_by_start.cache_clear()
    _standard.clear()
    _compiled.clear()
    _build.clear()
    ceasing.clear()
    review.clear()
    _fastjson.clear()
