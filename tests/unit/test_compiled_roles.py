"""Compiled clock roles play exactly as their field tests (sendflow.compliance._compiled)."""

from __future__ import annotations

from enum import StrEnum
from types import SimpleNamespace
from typing import Any, cast

from hypothesis import given
from hypothesis import strategies as st

from sendflow.compliance._compiled import Matcher, OneOf, compile_rule, plays
from sendflow.rules._registry import all_rules
from sendflow.workflows._table import has_fields


def _plain(tests: Any, event: object) -> bool:
    """plays() as it reads field tests, test by test."""
    return any(has_fields(event, fields) for fields in tests)


def _roles() -> list[OneOf]:
    out: list[OneOf] = []
    for hist in all_rules():
        for segment in compile_rule(hist).segments:
            for roles in segment.clock.roles.values():
                out.extend(r for r in roles if type(r) is OneOf)
    return out


def test_the_shipped_clocks_have_one_of_roles() -> None:
    # assessment.advice's nine advisers, review.amendment_notice's two outcomes, ...
    found = _roles()
    assert any(role.field == "adviser" and len(role.values) == 9 for role in found)
    assert any(role.field == "outcome" and role.values == {"maintain", "cease"}
               for role in found)


class _Text(StrEnum):
    MAINTAIN = "maintain"
    OTHER = "other"


_VALUES = st.one_of(
    st.sampled_from(sorted({v for role in _roles() for v in role.values})),
    st.text(max_size=5),
    st.sampled_from(list(_Text)),
    st.none(), st.booleans(), st.integers(), st.dates(),
)


@given(st.sampled_from(_roles()), st.one_of(st.none(), _VALUES), st.booleans())
def test_one_of_plays_as_its_field_tests(role: OneOf, value: Any, has_field: bool) -> None:
    event = SimpleNamespace(**({role.field: value} if has_field else {}))
    assert plays(role, cast(Any, event)) is _plain(role.tests, event)


@given(st.lists(st.tuples(st.sampled_from(["outcome", "adviser"]),
                          st.one_of(st.sampled_from(["a", "b", "maintain"]), st.booleans())),
                min_size=1, max_size=4),
       st.sampled_from(["a", "b", "maintain", True, None]))
def test_a_matcher_compiles_only_what_it_can_and_matches_the_same(
    wheres: list[tuple[str, Any]], value: Any
) -> None:
    from sendflow.rules._model import EventMatch

    matches = [EventMatch(event="assessment_decision", where={k: v}) for k, v in wheres]
    matcher = Matcher(matches)
    role = matcher.by_type["assessment_decision"]
    tests = tuple(((k, v),) for k, v in wheres)
    for name in ("outcome", "adviser"):
        event = SimpleNamespace(type="assessment_decision", **{name: value})
        assert plays(role, cast(Any, event)) is _plain(tests, event)
    if type(role) is OneOf:
        assert len({k for k, _ in wheres}) == 1
        assert all(type(v) is str for _, v in wheres)
