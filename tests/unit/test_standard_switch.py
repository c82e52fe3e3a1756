"""The standard pass's switches decide each role as plays() does (sendflow.compliance._standard).

standard_many looks an event's actions up in its type's Switch instead of calling
plays() for every entry; here every switch of the shipped rules is held equal to
the plain decision (_decided) for any value of its field. The pass as a whole is
held equal to the plain reading by tests/property/test_engine_reference.py.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from types import SimpleNamespace
from typing import Any, cast

from hypothesis import given
from hypothesis import strategies as st

from sendflow.compliance._compiled import OneOf, Span, compile_rule
from sendflow.compliance._standard import Group, Switch, _decided, _disjoint, group
from sendflow.rules._registry import all_rules


def _group() -> Group:
    return group(tuple(
        segment
        for hist in all_rules()
        for segment in compile_rule(hist).segments
        if segment.evaluator == "standard"
    ))


def _looked_up(g: Group, event: Any) -> tuple[tuple[Any, ...], ...] | None:
    """The actions as standard_many finds them (None: decided event by event)."""
    field, actions, by_value, generic = g.switches[event.type]
    if generic:
        return None
    if field is not None and by_value:
        value = getattr(event, field, None)
        value = getattr(value, "_value_", value)
        if type(value) is not str:
            return None
        return by_value.get(value, actions)
    return actions


class _Text(StrEnum):
    MAINTAIN = "maintain"
    MEDICAL = "medical"
    OTHER = "other"


def _texts() -> list[str]:
    g = _group()
    return sorted({v for sw in g.switches.values() for v in Switch._make(sw).by_value})


_VALUES = st.one_of(
    st.sampled_from(_texts()),
    st.text(max_size=5),
    st.sampled_from(list(_Text)),
    st.none(), st.booleans(), st.integers(), st.dates(),
)


@given(st.sampled_from(sorted(_group().switches)), _VALUES, st.booleans())
def test_a_switch_decides_as_plays(type_: str, value: Any, has_field: bool) -> None:
    g = _group()
    field = Switch._make(g.switches[type_]).field
    fields = {field: value} if field is not None and has_field else {}
    event = cast(Any, SimpleNamespace(type=type_, **fields))
    found = _looked_up(g, event)
    plain = _decided(g.dispatch[type_], event)
    if found is not None:
        assert found == plain
    # and every action plays some role (the others are left out)
    assert all(a[1] or a[2] or a[3] for a in plain)


def test_the_shipped_rules_have_each_kind_of_switch() -> None:
    g = _group()
    by_value = Switch._make(g.switches["advice_requested"])
    assert by_value.field == "adviser" and "medical" in by_value.by_value
    keyed = Switch._make(g.switches["advice_received"])  # no field test: the key's field read once
    assert keyed.field == "adviser" and not keyed.by_value and not keyed.generic
    decision = Switch._make(g.switches["assessment_decision"])
    # a "refuse" decision closes the assessment's other clocks; an "assess" one does not
    # (those entries are left out of its actions)
    closing = {"assessment.final_plan", "assessment.no_plan_notice", "assessment.advice"}
    refuse = {g.hists[a[0]].id for a in decision.by_value["refuse"] if a[3]}
    assess = {g.hists[a[0]].id for a in decision.by_value.get("assess", decision.actions)}
    assert closing <= refuse and "assessment.decision" in assess and not closing & assess
    assert any(type(role) is OneOf for e in g.dispatch["assessment_decision"] for role in e[1:4])


def _span(first: date, last: date) -> Span:
    return Span(first, last, cast(Any, None), None)


def test_spans_are_searched_newest_first_only_when_disjoint() -> None:
    a = _span(date(2014, 9, 1), date(2020, 4, 30))
    b = _span(date(2020, 5, 1), date.max)
    assert _disjoint((a, b)) and _disjoint((b, a)) and _disjoint((a,)) and _disjoint(())
    overlapping = _span(date(2020, 4, 30), date.max)
    assert not _disjoint((a, overlapping))
    g = _group()
    for spans, search in zip(g.spans, g.search, strict=True):
        assert search == (tuple(reversed(spans)) if _disjoint(spans) else spans)


def test_a_rule_that_cannot_start_is_left_out_of_every_switch() -> None:
    g = _group()
    assert g.gated  # assessment.advice and reassessment.advice start only while assessing
    ids = {g.hists[r].id for r, _ in g.gated}
    assert {"assessment.advice", "reassessment.advice"} <= ids
    for r, _ in g.gated:
        dead = frozenset({r})
        pruned = g.without(dead)
        assert g.without(dead) is pruned  # made once per set
        assert pruned.keys() == g.switches.keys()
        for type_, switch in g.switches.items():
            field, actions, by_value, generic = switch
            p_field, p_actions, p_by_value, p_generic = pruned[type_]
            assert (p_field, p_generic) == (field, generic)
            assert p_actions == tuple(a for a in actions if a[0] != r)
            assert p_by_value == {v: tuple(a for a in acts if a[0] != r)
                                  for v, acts in by_value.items()}
