"""The content of an education, health and care (EHC) plan: sections A to K.

Regulation 12(1) of the SEND Regulations 2014 says what an EHC plan must
contain; the SEND Code of Practice (paras 9.62 and 9.69) letters those parts
A to K. :class:`EHCPlan` holds them and checks the things that make a plan
workable:

- every outcome in section E is met by some provision in sections F, G or H
  (each :class:`ProvisionItem` lists the outcome ids it serves, and every id
  it lists exists);
- every provision item says **what**, **who** and **how often**, quantified
  (Code of Practice 9.69: provision "should normally be quantified");
- section I names a setting (URN, LAESTAB, UKPRN or a type of setting) in a
  final plan, and is left for the final plan in a first draft, which must not
  name a school or type of school (Children and Families Act 2014 s. 38(5));
- section J's personal budget and direct payments follow the Special
  Educational Needs (Personal Budgets) Regulations 2014 (SI 2014/1652).

Validation errors name the section and the field ("section E: outcomes[1] ...")
and never echo the text of the plan.

```python
>>> from datetime import date
>>> plan = EHCPlan(
...     status="final", issued_on=date(2026, 5, 18),
...     section_b=SpecialEducationalNeeds(needs=NeedsProfile.of(NeedType.SLCN)),
...     section_e=(Outcome(id="E1", description="Uses sentences of 5+ words in class"),),
...     section_f=(ProvisionItem(id="F1", what="Speech and language therapy",
...                              who=ContactRole.SPEECH_AND_LANGUAGE_THERAPIST,
...                              how_often="30 minutes each week", outcomes=("E1",)),),
...     section_i=Placement(urn="100000"),
... )
>>> plan.provision_for("E1")[0].id
'F1'

```
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import Field, field_validator, model_validator

from sendflow._base import SendflowModel
from sendflow.identifiers import LAESTAB, URN
from sendflow.needs import AreaOfNeed, NeedsProfile, NeedType
from sendflow.partners import AdviceContribution, ContactRole, ParticipationRecord
from sendflow.returns import PlacementRank, SEN2SettingCode
from sendflow.rules import Citation, CitationKind
from sendflow.rules._registry import nearest_version

__all__ = [
    "DIRECT_PAYMENT_CONDITIONS",
    "SECTION_CITATIONS",
    "VAGUE_TERMS",
    "BudgetArrangement",
    "DirectPayment",
    "EHCPlan",
    "Outcome",
    "PersonalBudget",
    "Placement",
    "PlanSection",
    "PlanStatus",
    "ProvisionItem",
    "SettingType",
    "SpecialEducationalNeeds",
    "ViewsInterestsAspirations",
]

_REGS = "SEND Regulations 2014"
_REG12 = "https://www.legislation.gov.uk/uksi/2014/1530/regulation/12"
_COP = "SEND Code of Practice: 0 to 25 years (2015)"
_COP_HREF = "https://www.gov.uk/government/publications/send-code-of-practice-0-to-25"
_PB_REGS = "Special Educational Needs (Personal Budgets) Regulations 2014"
_PB_HREF = "https://www.legislation.gov.uk/uksi/2014/1652"


class PlanStatus(StrEnum):
    """Whether a plan is a draft (for consultation) or the final, issued plan."""

    DRAFT = "draft"
    FINAL = "final"


class PlanSection(StrEnum):
    """The lettered sections of an EHC plan (Code of Practice 9.62)."""

    A = "A"
    """Views, interests and aspirations of the child and parents, or the young person."""
    B = "B"
    """Special educational needs."""
    C = "C"
    """Health needs related to the SEN."""
    D = "D"
    """Social care needs related to the SEN or disability."""
    E = "E"
    """Outcomes sought."""
    F = "F"
    """Special educational provision."""
    G = "G"
    """Health provision reasonably required by the SEN."""
    H1 = "H1"
    """Social care provision under s. 2 of the Chronically Sick and Disabled Persons Act 1970."""
    H2 = "H2"
    """Other social care provision reasonably required by the SEN or disability."""
    I = "I"  # noqa: E741 - the Code's own letter
    """Placement: the school or other institution, or type, named."""
    J = "J"
    """Personal budget, including any direct payments."""
    K = "K"
    """The advice and information gathered in the EHC needs assessment."""


def _reg12(para: str) -> Citation:
    return Citation(title=_REGS, provision=f"reg. 12(1)({para})", href=_REG12)


#: Where each section comes from: SEND Regs 2014 reg. 12(1), lettered by Code of Practice 9.62.
SECTION_CITATIONS: dict[PlanSection, Citation] = {
    PlanSection.A: _reg12("a"),
    PlanSection.B: _reg12("b"),
    PlanSection.C: _reg12("c"),
    PlanSection.D: _reg12("d"),
    PlanSection.E: _reg12("e"),
    PlanSection.F: _reg12("f"),
    PlanSection.G: _reg12("g"),
    PlanSection.H1: _reg12("h)(i"),
    PlanSection.H2: _reg12("h)(ii"),
    PlanSection.I: _reg12("i"),
    PlanSection.J: _reg12("j"),
    PlanSection.K: _reg12("k"),
}

_QUANTIFIED_CITATION = Citation(
    title=_COP,
    provision="para 9.69",
    href=_COP_HREF,
    kind=CitationKind.CODE_OF_PRACTICE,
    note="Provision must be detailed and specific and should normally be quantified "
    "(type, hours and frequency of support, level of expertise).",
)

#: Phrases that leave provision unquantified ("access to", "as appropriate", ...).
VAGUE_TERMS: tuple[str, ...] = (
    "access to",
    "as appropriate",
    "as required",
    "as needed",
    "when needed",
    "if needed",
    "where possible",
    "where appropriate",
    "opportunities",
    "regular",
    "ongoing",
    "up to",
)

_FREQUENCY = re.compile(
    r"\d|\b(daily|weekly|fortnightly|monthly|termly|annually|yearly|each|every|per|"
    r"once|twice|full[- ]time|throughout|all day|one|two|three|four|five|six)\b",
    re.IGNORECASE,
)


class ViewsInterestsAspirations(SendflowModel):
    """Section A: views, interests and aspirations (free text, hidden from ``repr``)."""

    child_or_young_person_views: str | None = Field(default=None, repr=False)
    parent_views: str | None = Field(default=None, repr=False)
    interests: str | None = Field(default=None, repr=False)
    aspirations: str | None = Field(default=None, repr=False)
    how_views_were_gathered: tuple[ParticipationRecord, ...] = ()


class SpecialEducationalNeeds(SendflowModel):
    """Section B: the child's or young person's special educational needs."""

    needs: NeedsProfile
    description: str | None = Field(default=None, repr=False)

    @model_validator(mode="after")
    def _no_nsa(self) -> SpecialEducationalNeeds:
        if any(n.need_type is NeedType.NSA for n in self.needs.needs):
            raise ValueError("section B: NSA is a SEN support code, not used with an EHC plan")
        return self


class Outcome(SendflowModel):
    """Section E: one outcome sought, with an id the provision refers to."""

    id: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.\-]+$")
    description: str = Field(min_length=1, repr=False)
    area: AreaOfNeed | None = None
    by_when: date | None = None
    preparing_for_adulthood: bool = False


class ProvisionItem(SendflowModel):
    """One item of provision (sections F, G, H1, H2): what, who, how often, for which outcomes.

    ``how_often`` must be quantified: it has to state a number or a frequency
    and must not rely on a vague phrase from :data:`VAGUE_TERMS`.

    ```python
    >>> ProvisionItem(id="F1", what="1:1 support", who="teaching_assistant",
    ...               how_often="as required", outcomes=("E1",))
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for ProvisionItem
    how_often
      Value error, how_often: vague ('as required'); quantify it, e.g. '3 x 30 minutes a week' ...

    ```
    """

    id: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.\-]+$")
    what: str = Field(min_length=1)
    who: ContactRole | str = Field(min_length=1)
    how_often: str = Field(min_length=1)
    duration: str | None = None
    outcomes: tuple[str, ...] = Field(min_length=1)
    via_direct_payment: bool = False

    @field_validator("what", "who", "how_often", mode="after")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not str(value).strip():
            raise ValueError("must not be blank")
        return value

    @field_validator("how_often", mode="after")
    @classmethod
    def _quantified(cls, value: str) -> str:
        lowered = value.lower()
        for term in VAGUE_TERMS:
            if term in lowered:
                raise ValueError(
                    f"how_often: vague ({term!r}); quantify it, e.g. '3 x 30 minutes a week' "
                    "(Code of Practice 9.69)"
                )
        if not _FREQUENCY.search(value):
            raise ValueError("how_often: states no number or frequency (Code of Practice 9.69)")
        return value


class SettingType(StrEnum):
    """A type of setting, for section I when no particular institution is named."""

    MAINSTREAM_SCHOOL = "mainstream_school"
    MAINSTREAM_WITH_SEN_UNIT = "mainstream_with_sen_unit"
    MAINSTREAM_WITH_RESOURCED_PROVISION = "mainstream_with_resourced_provision"
    SPECIAL_SCHOOL = "special_school"
    INDEPENDENT_SPECIAL_SCHOOL = "independent_special_school"
    FURTHER_EDUCATION = "further_education"
    SPECIALIST_POST16 = "specialist_post16"
    EARLY_YEARS = "early_years"
    ALTERNATIVE_PROVISION = "alternative_provision"
    EDUCATION_OTHERWISE_THAN_AT_SCHOOL = "education_otherwise_than_at_school"
    """CFA 2014 s. 61 (SEN2 ``OLA``)."""


class Placement(SendflowModel):
    """Section I: the named setting, a type of setting, or left for the final plan.

    It is also a setting named in the plan as the SEN2 return holds it (module 4b,
    PlanDetail, at most two a plan): ``urn``, ``ukprn`` or ``sen2_setting`` with
    ``setting_name`` (SENSettingOther), ``rank``, ``sen_unit`` and
    ``resourced_provision``. A setting the child attends is a different thing
    (:class:`sendflow.people.SettingAttended`, SEN2 PlacementDetail).

    ```python
    >>> Placement(left_for_final_plan=True).names_a_setting
    False
    >>> Placement()
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for Placement
      Value error, section I: name a setting (urn, laestab or ukprn), a setting_type, ...

    ```
    """

    urn: URN | None = None
    laestab: LAESTAB | None = None
    ukprn: str | None = Field(default=None, pattern=r"^[0-9]{8}$")
    setting_type: SettingType | None = None
    setting_name: str | None = Field(
        default=None, max_length=200,
        description="The setting's name or description (SEN2 SENSettingOther).")
    left_for_final_plan: bool = False
    sen2_setting: SEN2SettingCode | None = Field(
        default=None, description="The SEN2 code of a setting named with no URN or UKPRN "
        "(SEN2 SENSetting, code set SENsetting: OLA, OPA, EHE, EYP, OTH...). Added in 0.9.")
    rank: PlacementRank | None = Field(
        default=None, description="SEN2 PlacementRank of a setting named in the plan: 1 the "
        "main one, 2 a second. Added in 0.9.")
    sen_unit: bool | None = Field(
        default=None, description="SEN2 SENunitIndicator: the place named is in a SEN unit. "
        "Added in 0.9.")
    resourced_provision: bool | None = Field(
        default=None, description="SEN2 ResourcedProvisionIndicator: the place named is in "
        "resourced provision. Added in 0.9.")

    @model_validator(mode="after")
    def _one_choice(self) -> Placement:
        named = self.names_a_setting
        if self.left_for_final_plan and named:
            raise ValueError("section I: left_for_final_plan cannot be set when a setting is named")
        if not self.left_for_final_plan and not named:
            raise ValueError(
                "section I: name a setting (urn, laestab or ukprn), a setting_type, "
                "or set left_for_final_plan"
            )
        return self

    @property
    def names_a_setting(self) -> bool:
        """Whether an institution or a type of institution is given."""
        return any(x is not None for x in (self.urn, self.laestab, self.ukprn, self.setting_type,
                                           self.sen2_setting))


class BudgetArrangement(StrEnum):
    """How a personal budget is held (Code of Practice 9.101)."""

    DIRECT_PAYMENT = "direct_payment"
    NOTIONAL = "notional"
    """An arrangement: the LA, school or college holds the funds and commissions support."""
    THIRD_PARTY = "third_party"
    COMBINATION = "combination"


DirectPaymentRecipient = Literal["parent", "young_person", "nominee"]


def _pb(provision: str, note: str) -> Citation:
    return Citation(title=_PB_REGS, provision=provision, href=_PB_HREF, note=note)


#: The conditions the Personal Budgets Regulations attach to direct payments.
DIRECT_PAYMENT_CONDITIONS: dict[str, Citation] = {
    "request": _pb(
        "reg. 4",
        "A personal budget may be requested when a draft plan is being prepared or the plan "
        "is being reviewed or re-assessed.",
    ),
    "recipient": _pb("reg. 5", "Payments go to the parent, the young person or a nominee."),
    "criteria": _pb(
        "reg. 6",
        "The LA must be satisfied the recipient will use them appropriately and in the "
        "child's or young person's best interests, that they will not harm other services "
        "and are an efficient use of resources. Where provision is made in a school, college "
        "or early years setting, its head or principal must agree (also Code of Practice "
        "9.119). Paragraph numbers within reg. 6 UNVERIFIED.",
    ),
    "refusal": _pb("reg. 7", "A refusal must be explained, and can be reviewed on request."),
    "agreed_provision": _pb("reg. 8", "The LA's notice specifies the agreed provision."),
    "monitoring": _pb(
        "reg. 11",
        "The LA must monitor direct payments and review them within the first three months "
        "and then at least annually. Regulation number UNVERIFIED (reg. 12 on reducing and "
        "reg. 14 on stopping payments are verified); the three-month review repeats the 2012 "
        "pilot order, SI 2012/206 Sch. 1 para 15(2)(a).",
    ),
    "stopping": _pb(
        "reg. 14", "Payments stop if the recipient withdraws consent or is no longer eligible."
    ),
}

class DirectPayment(SendflowModel):
    """A direct payment for provision in the plan (SI 2014/1652).

    ```python
    >>> from datetime import date
    >>> dp = DirectPayment(provision_ids=("F2",), recipient="parent",
    ...                    consent_given_on=date(2026, 5, 1), first_payment_on=date(2026, 5, 31))
    >>> dp.first_review_due          # 3 months beginning with 31 May: to 30 August
    datetime.date(2026, 8, 30)

    ```
    """

    provision_ids: tuple[str, ...] = Field(min_length=1)
    recipient: DirectPaymentRecipient
    consent_given_on: date
    first_payment_on: date | None = None
    annual_amount_pence: int | None = Field(default=None, ge=0)
    provided_in_setting: bool = False
    setting_agreed_on: date | None = None
    consent_withdrawn_on: date | None = None

    @model_validator(mode="after")
    def _conditions(self) -> DirectPayment:
        if self.provided_in_setting and self.setting_agreed_on is None:
            raise ValueError(
                "section J: direct payment for provision in a setting needs setting_agreed_on "
                "(the head or principal's agreement; SI 2014/1652 reg. 6)"
            )
        if self.first_payment_on is not None and self.first_payment_on < self.consent_given_on:
            raise ValueError("section J: first_payment_on must not be before consent_given_on")
        if self.consent_withdrawn_on is not None and (
            self.consent_withdrawn_on < self.consent_given_on
        ):
            raise ValueError("section J: consent_withdrawn_on must not be before consent_given_on")
        return self

    @property
    def first_review_due(self) -> date | None:
        """The last day for the first review: the period of the rule
        ``personal_budget.direct_payment_first_review`` (reg. 11(2)(a), "within the first
        three months", read as 3 months beginning with the first payment)."""
        if self.first_payment_on is None:
            return None
        rule = nearest_version("personal_budget.direct_payment_first_review", self.first_payment_on)
        return rule.period.due(self.first_payment_on)

    def may_be_paid(self, on: date) -> bool:
        """Whether payments may be made on ``on`` (consent given and not withdrawn).

        ```python
        >>> from datetime import date
        >>> dp = DirectPayment(provision_ids=("F2",), recipient="young_person",
        ...                    consent_given_on=date(2026, 5, 1),
        ...                    consent_withdrawn_on=date(2026, 9, 1))
        >>> dp.may_be_paid(date(2026, 8, 31)), dp.may_be_paid(date(2026, 9, 1))
        (True, False)

        ```
        """
        if on < self.consent_given_on:
            return False
        return self.consent_withdrawn_on is None or on < self.consent_withdrawn_on


class PersonalBudget(SendflowModel):
    """Section J: a personal budget (CFA 2014 s. 49) and any direct payments."""

    requested_on: date
    arrangement: BudgetArrangement
    provision_ids: tuple[str, ...] = Field(min_length=1)
    annual_amount_pence: int | None = Field(default=None, ge=0)
    direct_payments: tuple[DirectPayment, ...] = ()

    @model_validator(mode="after")
    def _direct_payments_match(self) -> PersonalBudget:
        wants_dp = self.arrangement in (
            BudgetArrangement.DIRECT_PAYMENT,
            BudgetArrangement.COMBINATION,
        )
        if self.direct_payments and not wants_dp:
            raise ValueError("section J: direct_payments given but arrangement has none")
        if self.arrangement is BudgetArrangement.DIRECT_PAYMENT and not self.direct_payments:
            raise ValueError("section J: arrangement is direct_payment but no direct_payments")
        return self


class EHCPlan(SendflowModel):
    """An EHC plan's content, sections A to K, checked for internal consistency.

    ``amendment`` marks a draft *amended* plan after a review or re-assessment;
    only a first draft is barred from naming a setting (CFA 2014 s. 38(5)).
    """

    status: PlanStatus
    issued_on: date
    amendment: bool = False
    section_a: ViewsInterestsAspirations = ViewsInterestsAspirations()
    section_b: SpecialEducationalNeeds
    section_c: tuple[str, ...] = Field(default=(), repr=False)
    section_d: tuple[str, ...] = Field(default=(), repr=False)
    section_e: tuple[Outcome, ...] = Field(min_length=1)
    section_f: tuple[ProvisionItem, ...] = Field(min_length=1)
    section_g: tuple[ProvisionItem, ...] = ()
    section_h1: tuple[ProvisionItem, ...] = ()
    section_h2: tuple[ProvisionItem, ...] = ()
    section_i: Placement
    section_j: PersonalBudget | None = None
    section_k: tuple[AdviceContribution, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> EHCPlan:
        outcome_ids = [o.id for o in self.section_e]
        if len(set(outcome_ids)) != len(outcome_ids):
            raise ValueError("section E: two outcomes share an id")
        provision_ids: set[str] = set()
        served: set[str] = set()
        for letter, items in self._provision_sections():
            for i, item in enumerate(items):
                if item.id in provision_ids:
                    raise ValueError(f"section {letter}: provision[{i}].id is used twice")
                provision_ids.add(item.id)
                for ref in item.outcomes:
                    if ref not in outcome_ids:
                        raise ValueError(
                            f"section {letter}: provision[{i}].outcomes names an outcome id "
                            "that is not in section E"
                        )
                    served.add(ref)
        for i, oid in enumerate(outcome_ids):
            if oid not in served:
                raise ValueError(
                    f"section E: outcomes[{i}] has no provision in sections F, G, H1 or H2"
                )
        self._check_placement()
        self._check_budget(provision_ids)
        return self

    def _provision_sections(self) -> tuple[tuple[str, tuple[ProvisionItem, ...]], ...]:
        return (
            ("F", self.section_f),
            ("G", self.section_g),
            ("H1", self.section_h1),
            ("H2", self.section_h2),
        )

    def _check_placement(self) -> None:
        placement = self.section_i
        if self.status is PlanStatus.FINAL and placement.left_for_final_plan:
            raise ValueError("section I: a final plan must name a setting or a type of setting")
        if self.status is PlanStatus.DRAFT and not self.amendment and placement.names_a_setting:
            raise ValueError(
                "section I: a first draft must not name a setting or type (CFA 2014 s. 38(5)); "
                "set left_for_final_plan"
            )

    def _check_budget(self, provision_ids: set[str]) -> None:
        budget = self.section_j
        if budget is None:
            return
        for ref in budget.provision_ids:
            if ref not in provision_ids:
                raise ValueError("section J: provision_ids names provision not in sections F-H")
        for j, dp in enumerate(budget.direct_payments):
            for ref in dp.provision_ids:
                if ref not in budget.provision_ids:
                    raise ValueError(
                        f"section J: direct_payments[{j}] covers provision outside the budget"
                    )

    @property
    def provision(self) -> tuple[ProvisionItem, ...]:
        """All provision items, sections F, G, H1 and H2 in order."""
        return tuple(item for _, items in self._provision_sections() for item in items)

    def provision_for(self, outcome_id: str) -> tuple[ProvisionItem, ...]:
        """The provision items that serve the outcome with id ``outcome_id``."""
        return tuple(p for p in self.provision if outcome_id in p.outcomes)

    def section_of(self, provision_id: str) -> PlanSection | None:
        """The section holding the provision item ``provision_id``, if any.

        ```python
        >>> from datetime import date
        >>> plan = EHCPlan(
        ...     status="draft", issued_on=date(2026, 4, 20),
        ...     section_b=SpecialEducationalNeeds(needs=NeedsProfile.of(NeedType.PD)),
        ...     section_e=(Outcome(id="E1", description="Moves safely around school"),),
        ...     section_f=(ProvisionItem(id="F1", what="Mobility programme",
        ...                              who="physiotherapist", how_often="twice a week",
        ...                              outcomes=("E1",)),),
        ...     section_i=Placement(left_for_final_plan=True))
        >>> plan.section_of("F1")
        <PlanSection.F: 'F'>

        ```
        """
        for letter, items in self._provision_sections():
            if any(p.id == provision_id for p in items):
                return PlanSection(letter)
        return None
