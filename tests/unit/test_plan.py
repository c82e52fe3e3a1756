"""EHC plan content, sections A-K (SEND Regs 2014 reg. 12(1); CoP 9.62, 9.69; CFA 2014 s. 38(5);
SI 2014/1652 personal budgets and direct payments)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from sendflow.plan import (
    SECTION_CITATIONS,
    DirectPayment,
    EHCPlan,
    PersonalBudget,
    Placement,
    PlanSection,
    ProvisionItem,
)

SECRET = "Balthazar wants to be a zookeeper"


def plan_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "status": "final",
        "issued_on": "2026-05-18",
        "section_a": {"aspirations": SECRET},
        "section_b": {"needs": {"needs": [{"need_type": "ASD"}, {"need_type": "SLCN", "rank": 2}]}},
        "section_c": ["Sleep difficulties"],
        "section_e": [
            {"id": "E1", "description": "Asks an adult for help when stuck"},
            {"id": "E2", "description": "Travels to college independently", "area": None},
        ],
        "section_f": [
            {
                "id": "F1",
                "what": "Social communication group",
                "who": "speech_and_language_therapist",
                "how_often": "1 hour each week",
                "outcomes": ["E1"],
            }
        ],
        "section_h2": [
            {
                "id": "H2a",
                "what": "Independent travel training",
                "who": "key_worker",
                "how_often": "2 sessions a week for 10 weeks",
                "outcomes": ["E2"],
            }
        ],
        "section_i": {"urn": "100000"},
        "section_k": [
            {
                "kind": "psychological",
                "from_role": "educational_psychologist",
                "requested_on": "2026-02-16",
                "received_on": "2026-03-20",
            }
        ],
    }
    data.update(overrides)
    return data


def _leak_free(exc: ValidationError) -> None:
    text = str(exc) + json.dumps(exc.errors(include_input=False), default=str)
    assert SECRET not in text


def test_good_final_plan_round_trips() -> None:
    plan = EHCPlan.model_validate(plan_data())
    assert [p.id for p in plan.provision_for("E2")] == ["H2a"]
    assert plan.section_of("H2a") is PlanSection.H2
    assert plan.section_of("nope") is None
    assert SECRET not in repr(plan)
    assert EHCPlan.model_validate(plan.model_dump(mode="json")) == plan


def test_every_section_is_cited_to_reg_12() -> None:
    assert set(SECTION_CITATIONS) == set(PlanSection)
    assert SECTION_CITATIONS[PlanSection.H1].provision == "reg. 12(1)(h)(i)"
    assert all("uksi/2014/1530/regulation/12" in c.href for c in SECTION_CITATIONS.values())


def test_outcome_without_provision_is_rejected() -> None:
    with pytest.raises(ValidationError, match=r"section E: outcomes\[1\] has no provision") as info:
        EHCPlan.model_validate(plan_data(section_h2=[]))
    _leak_free(info.value)


def test_provision_naming_unknown_outcome_is_rejected() -> None:
    bad = plan_data()
    bad["section_f"][0]["outcomes"] = ["E1", "E9"]
    with pytest.raises(ValidationError, match=r"section F: provision\[0\].outcomes names"):
        EHCPlan.model_validate(bad)


def test_duplicate_ids_rejected() -> None:
    bad = plan_data()
    bad["section_h2"][0]["id"] = "F1"
    with pytest.raises(ValidationError, match=r"section H2: provision\[0\].id is used twice"):
        EHCPlan.model_validate(bad)
    bad = plan_data()
    bad["section_e"][1]["id"] = "E1"
    with pytest.raises(ValidationError, match="section E: two outcomes share an id"):
        EHCPlan.model_validate(bad)


@pytest.mark.parametrize("field", ["what", "who", "how_often"])
def test_provision_must_name_what_who_how_often(field: str) -> None:
    data = {"id": "F1", "what": "x", "who": "senco", "how_often": "daily", "outcomes": ["E1"]}
    del data[field]
    with pytest.raises(ValidationError) as info:
        ProvisionItem.model_validate(data)
    assert info.value.errors()[0]["loc"] == (field,)
    data[field] = "   "
    with pytest.raises(ValidationError):
        ProvisionItem.model_validate(data)


@pytest.mark.parametrize(
    "how_often", ["as required", "regular sessions", "access to therapy", "sometimes"]
)
def test_unquantified_provision_rejected(how_often: str) -> None:
    with pytest.raises(ValidationError, match="how_often") as info:
        ProvisionItem(id="F1", what="Therapy", who="senco", how_often=how_often, outcomes=("E1",))
    assert info.value.errors()[0]["loc"] == ("how_often",)


@pytest.mark.parametrize(
    "how_often", ["3 x 30 minutes a week", "daily", "once each half term", "full-time"]
)
def test_quantified_provision_accepted(how_often: str) -> None:
    item = ProvisionItem(
        id="F1", what="Therapy", who="senco", how_often=how_often, outcomes=("E1",)
    )
    assert item.how_often == how_often


def test_final_plan_must_name_a_setting() -> None:
    with pytest.raises(ValidationError, match="section I: a final plan must name"):
        EHCPlan.model_validate(plan_data(section_i={"left_for_final_plan": True}))
    plan = EHCPlan.model_validate(plan_data(section_i={"setting_type": "special_school"}))
    assert plan.section_i.names_a_setting


def test_first_draft_must_not_name_a_setting() -> None:
    # CFA 2014 s. 38(5): the draft must not name a school or specify a type.
    with pytest.raises(ValidationError, match=r"s\. 38\(5\)"):
        EHCPlan.model_validate(plan_data(status="draft"))
    draft = EHCPlan.model_validate(
        plan_data(status="draft", section_i={"left_for_final_plan": True})
    )
    assert not draft.section_i.names_a_setting
    amended = EHCPlan.model_validate(plan_data(status="draft", amendment=True))
    assert amended.section_i.urn == "100000"


@pytest.mark.parametrize(
    "section_i",
    [{}, {"urn": "100000", "left_for_final_plan": True}, {"urn": "12"}, {"ukprn": "1234"}],
)
def test_placement_rejects(section_i: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        Placement.model_validate(section_i)


def test_section_b_rejects_nsa() -> None:
    with pytest.raises(ValidationError, match="section B: NSA"):
        EHCPlan.model_validate(plan_data(section_b={"needs": {"needs": [{"need_type": "NSA"}]}}))


def test_personal_budget_and_direct_payment() -> None:
    budget = {
        "requested_on": "2026-04-27",
        "arrangement": "combination",
        "provision_ids": ["H2a"],
        "direct_payments": [
            {
                "provision_ids": ["H2a"],
                "recipient": "young_person",
                "consent_given_on": "2026-05-01",
                "first_payment_on": "2026-05-31",
            }
        ],
    }
    plan = EHCPlan.model_validate(plan_data(section_j=budget))
    assert plan.section_j is not None
    dp = plan.section_j.direct_payments[0]
    # First review within the first 3 months of payments (SI 2014/1652 reg. 11(2)(a)),
    # read as 3 months beginning with the first payment, 31 May: they end 30 August,
    # the day the compliance rule personal_budget.direct_payment_first_review gives.
    assert dp.first_review_due == date(2026, 8, 30)
    assert EHCPlan.model_validate(plan.model_dump(mode="json")) == plan

    outside = {**budget, "provision_ids": ["F9"]}
    with pytest.raises(ValidationError, match="section J: provision_ids names provision not"):
        EHCPlan.model_validate(plan_data(section_j=outside))
    narrower = {**budget, "provision_ids": ["F1"]}
    with pytest.raises(ValidationError, match=r"section J: direct_payments\[0\] covers"):
        EHCPlan.model_validate(plan_data(section_j=narrower))


def test_direct_payment_in_setting_needs_setting_agreement() -> None:
    with pytest.raises(ValidationError, match="setting_agreed_on"):
        DirectPayment(
            provision_ids=("F1",),
            recipient="parent",
            consent_given_on=date(2026, 5, 1),
            provided_in_setting=True,
        )
    dp = DirectPayment(
        provision_ids=("F1",),
        recipient="parent",
        consent_given_on=date(2026, 5, 1),
        provided_in_setting=True,
        setting_agreed_on=date(2026, 4, 28),
    )
    assert dp.first_review_due is None
    assert dp.may_be_paid(date(2026, 5, 1))
    assert not dp.may_be_paid(date(2026, 4, 30))


def test_direct_payment_dates() -> None:
    with pytest.raises(ValidationError, match="first_payment_on must not be before"):
        DirectPayment(
            provision_ids=("F1",),
            recipient="nominee",
            consent_given_on=date(2026, 5, 1),
            first_payment_on=date(2026, 4, 1),
        )


def test_budget_arrangement_must_match_payments() -> None:
    with pytest.raises(ValidationError, match="no direct_payments"):
        PersonalBudget(
            requested_on=date(2026, 4, 1), arrangement="direct_payment", provision_ids=("F1",)
        )
    with pytest.raises(ValidationError, match="arrangement has none"):
        PersonalBudget(
            requested_on=date(2026, 4, 1),
            arrangement="notional",
            provision_ids=("F1",),
            direct_payments=(
                DirectPayment(
                    provision_ids=("F1",), recipient="parent", consent_given_on=date(2026, 5, 1)
                ),
            ),
        )


def test_plan_needs_outcomes_and_section_f() -> None:
    with pytest.raises(ValidationError) as info:
        EHCPlan.model_validate(plan_data(section_e=[], section_f=[]))
    locs = {e["loc"] for e in info.value.errors()}
    assert ("section_e",) in locs
    assert ("section_f",) in locs
    _leak_free(info.value)
