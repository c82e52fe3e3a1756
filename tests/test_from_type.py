"""``st.from_type`` gives valid values for every model sendflow exports.

The hypothesis plugin registers a strategy for each (see
``sendflow.testing._register``); a model whose parts must agree (an EHC plan's
outcomes and provision) has its own. A new exported model is covered as soon as
it is in a public module's ``__all__``.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sendflow
from sendflow.testing._register import exported_models, register_all

register_all()
_MODELS = exported_models()


def test_the_exported_models_are_found() -> None:
    found = set(_MODELS)
    for cls in (sendflow.EHCPlan, sendflow.Case, sendflow.ChildOrYoungPerson,
                sendflow.ComplianceReport, sendflow.Rule, sendflow.SupportRecord,
                sendflow.Timeline, sendflow.Worklist):
        assert cls in found, cls.__name__
    assert len(found) >= 100


@pytest.mark.parametrize("cls", sorted(_MODELS, key=lambda c: _MODELS[c]), ids=_MODELS.get)
def test_from_type_draws_valid_values(cls: type[Any]) -> None:
    @settings(max_examples=3, database=None, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(st.from_type(cls))
    def check(value: Any) -> None:
        assert isinstance(value, cls)
        # valid by the model's own rules: it validates again from its own data
        assert cls.model_validate(value.model_dump()) == value

    check()


def test_from_type_of_an_ehc_plan_gives_plans_whose_sections_agree() -> None:
    @settings(max_examples=15, database=None, deadline=None)
    @given(st.from_type(sendflow.EHCPlan))
    def check(plan: sendflow.EHCPlan) -> None:
        served = {o for p in plan.provision for o in p.outcomes}
        assert {o.id for o in plan.section_e} <= served
        if plan.status == "final":
            assert plan.section_i.names_a_setting

    check()
