"""Disagreement resolution: appeal rights, mediation, appeals and Tribunal orders.

Models Children and Families Act 2014 ss. 51-55, the SEND Regulations 2014
(SI 2014/1530) Part 6 (regs 32-45), the Tribunal's procedure rules
(SI 2008/2699 rules 12 and 20) and the recommendations power (SI 2017/1306).

A disagreement runs in its own *region* beside the case's main line (see
``sendflow.workflows``): the ``DISAGREEMENT`` table moves from
``no_disagreement`` to ``raised`` when the local authority notifies an
appealable decision, and on through mediation, a certificate, an appeal and
its outcome (state ``appeal_pending`` is "appeal lodged": the generated
python-statemachine class cannot have a state and an event of the same
name). A case can hold several disagreements over the years, so no
state is final: a new ``appeal_rights_notified`` starts the next one from
any state where the last has settled (decided, withdrawn, conceded, or a
certificate the family did not use).

Recording appeal rights. Every decision that carries a right of appeal
(``AppealableDecision``) should be followed by an
``AppealRightsNotified`` event dated the day the written notice was
sent (``sent_on`` when the record is made later). That event opens the
appeal window (rule ``appeal.deadline``) and the 2 months for contacting a
mediation adviser (``disagreement.mediation_contact``);
``sendflow.ComplianceReport.open_appeal_windows`` lists the windows
still open.

```python
>>> from datetime import date
>>> DISAGREEMENT.next_state("no_disagreement",
...     AppealRightsNotified(on=date(2026, 10, 1), decision="refuse_assessment"))
'raised'

```
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any, Literal

from pydantic import Field

from sendflow.workflows._events import BaseEvent
from sendflow.workflows._table import T, Transition, WorkflowTable

__all__ = [
    "DISAGREEMENT",
    "DISAGREEMENT_EVENTS",
    "AppealConceded",
    "AppealDecided",
    "AppealLodged",
    "AppealRightsNotified",
    "AppealWithdrawn",
    "AppealableDecision",
    "ConcessionKind",
    "DisagreementState",
    "HealthBodiesNotified",
    "LocalResolutionMeeting",
    "MediationAdviserContacted",
    "MediationAgreement",
    "MediationAgreementActioned",
    "MediationAgreementNotified",
    "MediationArranged",
    "MediationCertificateIssued",
    "MediationDeclined",
    "MediationHeld",
    "MediationNoticeSent",
    "MediationParticipant",
    "MediationRequested",
    "MediationUnavailableNotified",
    "RecommendationCopySent",
    "RecommendationKind",
    "RecommendationResponseSent",
    "TribunalOrder",
    "TribunalOrderKind",
    "TribunalRecommendation",
    "disagreement_machine",
]


class AppealableDecision(StrEnum):
    """Decisions a parent or young person may appeal (CFA 2014 s. 51(2))."""

    REFUSE_ASSESSMENT = "refuse_assessment"
    """Not to carry out an EHC needs assessment (s. 51(2)(a))."""
    REFUSE_PLAN = "refuse_plan"
    """Not to secure an EHC plan after assessing (s. 51(2)(b))."""
    PLAN_CONTENTS = "plan_contents"
    """The needs, provision or named school/institution (or none named) in a plan (s. 51(2)(c))."""
    AMENDED_PLAN_CONTENTS = "amended_plan_contents"
    """The same, in an amended plan (s. 51(2)(c))."""
    REFUSE_REASSESSMENT = "refuse_reassessment"
    """Not to carry out a re-assessment (s. 51(2)(d))."""
    REFUSE_AMENDMENT = "refuse_amendment"
    """Not to amend the plan after a review or re-assessment (s. 51(2)(e))."""
    CEASE = "cease"
    """To cease to maintain the plan (s. 51(2)(f))."""


class TribunalOrderKind(StrEnum):
    """What the Tribunal ordered (SEND Regulations 2014 reg. 44(2)(a)-(h))."""

    CEASE = "cease"
    """Appeal against ceasing dismissed: cease the plan immediately (reg. 44(2)(a))."""
    ASSESS = "assess"
    """Assess or re-assess (reg. 44(2)(b))."""
    MAKE_PLAN = "make_plan"
    """Make and maintain a plan (reg. 44(2)(c))."""
    REFER_BACK = "refer_back"
    """Reconsider whether to make a plan (reg. 44(2)(d))."""
    AMEND_PROVISION = "amend_provision"
    """Amend the special educational provision (reg. 44(2)(e))."""
    AMEND_PLACEMENT = "amend_placement"
    """Change the named school or institution, or its type (reg. 44(2)(f))."""
    CONTINUE = "continue"
    """Continue to maintain the plan unchanged (reg. 44(2)(g))."""
    CONTINUE_AND_AMEND = "continue_and_amend"
    """Continue to maintain the plan, with amendments (reg. 44(2)(h))."""


class ConcessionKind(StrEnum):
    """What the local authority agreed to by not opposing an appeal (reg. 45)."""

    ASSESS = "assess"
    """Refusal to assess or re-assess (reg. 45(3), (3A))."""
    MAKE_PLAN = "make_plan"
    """Refusal to make a plan (reg. 45(6))."""
    AMEND_PROVISION = "amend_provision"
    """Needs or provision, or a refusal to amend (reg. 45(4))."""
    AMEND_PLACEMENT = "amend_placement"
    """The named school or institution, or none named (reg. 45(5))."""
    CEASE = "cease"
    """A decision to cease the plan (reg. 45(6A))."""


class RecommendationKind(StrEnum):
    """Which non-binding Tribunal recommendation (SI 2017/1306 regs 6-7)."""

    HEALTH = "health"
    SOCIAL_CARE = "social_care"


class MediationParticipant(StrEnum):
    """Who took part in a mediation (SEND Regulations 2014 reg. 38)."""

    PARENT = "parent"
    YOUNG_PERSON = "young_person"
    LOCAL_AUTHORITY = "local_authority"
    HEALTH_BODY = "health_body"
    MEDIATOR = "mediator"
    ADVOCATE = "advocate"
    """An advocate for the young person or child (reg. 38(2))."""
    SUPPORTER = "supporter"
    """Someone the parent or young person brought to support them (reg. 38(2))."""
    CHILD = "child"
    """The child, with the parent's agreement (reg. 38(3))."""


# ------------------------------------------------------------------ events
class AppealRightsNotified(BaseEvent):
    """The LA sent written notice of an appealable decision and of the right to
    appeal (with the mediation information reg. 32 requires). ``sent_on`` is
    the day the notice was sent when that differs from ``on``; both the appeal
    window and the 2 months to contact a mediation adviser run from it.

    ``placement_only`` marks an appeal that would be only about the school or
    institution named (or none named): no mediation certificate is needed for
    it (CFA s. 55(2))."""

    type: Literal["appeal_rights_notified"] = "appeal_rights_notified"
    decision: AppealableDecision
    sent_on: date | None = Field(default=None, description="Day the notice was sent.")
    placement_only: bool | None = Field(
        default=None, description="Only the named setting is in dispute (CFA s. 55(2))."
    )

    @property
    def start_date(self) -> date:
        """The appeal window runs from the day the notice was sent."""
        return self.sent_on or self.on


class LocalResolutionMeeting(BaseEvent):
    """A non-statutory meeting to settle a disagreement locally (e.g. a
    "way forward" meeting). It has no time limit; the report notes it."""

    type: Literal["local_resolution_meeting"] = "local_resolution_meeting"
    resolved: bool | None = None


class MediationAdviserContacted(BaseEvent):
    """The parent or young person contacted the mediation adviser (reg. 33)."""

    type: Literal["mediation_adviser_contacted"] = "mediation_adviser_contacted"
    wants_mediation: bool | None = None


class MediationDeclined(BaseEvent):
    """The parent or young person told the adviser they do not want mediation
    (the certificate is due within 3 working days, reg. 34(1))."""

    type: Literal["mediation_declined"] = "mediation_declined"


class MediationRequested(BaseEvent):
    """The parent or young person told the LA they want mediation (regs 35-36).
    ``health_issues``/``other_issues`` say what the mediation is about; the
    30-day clocks start only when they are recorded."""

    type: Literal["mediation_requested"] = "mediation_requested"
    health_issues: bool | None = None
    other_issues: bool | None = None


class HealthBodiesNotified(BaseEvent):
    """The LA told each health commissioning body concerned (reg. 35(2)).
    ``received_on`` is the day the body received it, if known (reg. 35(3))."""

    type: Literal["health_bodies_notified"] = "health_bodies_notified"
    received_on: date | None = None

    @property
    def start_date(self) -> date:
        """The health-only 30 days run from the body's receipt of the notice."""
        return self.received_on or self.on


class MediationUnavailableNotified(BaseEvent):
    """The LA told the adviser it cannot arrange mediation within 30 days
    (reg. 39(2)); the family is treated as having taken part."""

    type: Literal["mediation_unavailable_notified"] = "mediation_unavailable_notified"


class MediationCertificateIssued(BaseEvent):
    """The mediation adviser issued a certificate (CFA s. 55(4)-(5); regs 34, 39).
    Its date of issue can extend the appeal window (HESC r. 20(1)(c)(ii))."""

    type: Literal["mediation_certificate_issued"] = "mediation_certificate_issued"
    reason: Literal["declined", "after_mediation", "deemed"] | None = None


class MediationArranged(BaseEvent):
    """A mediation was booked for ``mediation_date`` (notice of date and place
    is due at least 5 working days before it, reg. 37(2))."""

    type: Literal["mediation_arranged"] = "mediation_arranged"
    mediation_date: date


class MediationNoticeSent(BaseEvent):
    """The body arranging mediation told the family its date and place (reg. 37(2)).
    ``shorter_notice_agreed``: the family agreed to less than 5 working days."""

    type: Literal["mediation_notice_sent"] = "mediation_notice_sent"
    shorter_notice_agreed: bool | None = None


class MediationHeld(BaseEvent):
    """A mediation took place (the certificate is due within 3 working days,
    reg. 39(1)). ``participants`` records who took part (reg. 38)."""

    type: Literal["mediation_held"] = "mediation_held"
    outcome: Literal["agreement", "partial_agreement", "no_agreement"] | None = None
    participants: tuple[MediationParticipant, ...] = ()


class MediationAgreement(BaseEvent):
    """The parties recorded a written mediation agreement (reg. 42).
    ``appealable``: about matters the family could appeal; ``kind``: which
    Tribunal order it corresponds to (its period then applies, reg. 42(2));
    ``la_party``: whether the LA was a party (reg. 42(4))."""

    type: Literal["mediation_agreement"] = "mediation_agreement"
    appealable: bool | None = None
    kind: TribunalOrderKind | None = None
    la_party: bool | None = None


class MediationAgreementNotified(BaseEvent):
    """The commissioning body told the LA about an agreement it was not party to (reg. 42(4))."""

    type: Literal["mediation_agreement_notified"] = "mediation_agreement_notified"


class MediationAgreementActioned(BaseEvent):
    """The LA or commissioning body did what a non-appealable agreement required (reg. 42(3))."""

    type: Literal["mediation_agreement_actioned"] = "mediation_agreement_actioned"


class AppealLodged(BaseEvent):
    """The Tribunal received the notice of appeal. ``decision`` says which
    decision it is against (the latest notified one when absent)."""

    type: Literal["appeal_lodged"] = "appeal_lodged"
    decision: AppealableDecision | None = None


class AppealWithdrawn(BaseEvent):
    """The appeal was withdrawn."""

    type: Literal["appeal_withdrawn"] = "appeal_withdrawn"


class AppealConceded(BaseEvent):
    """The LA told the Tribunal, before its response, that it will not oppose
    the appeal (reg. 45); the periods run from this day. For ``kind="cease"``,
    ``with_amendments`` records that the LA also agreed to amend the plan
    (reg. 45(6A))."""

    type: Literal["appeal_conceded"] = "appeal_conceded"
    kind: ConcessionKind
    with_amendments: bool | None = None


class AppealDecided(BaseEvent):
    """The Tribunal decided the appeal (record each order as a ``TribunalOrder``)."""

    type: Literal["appeal_decided"] = "appeal_decided"
    outcome: Literal["upheld", "partly_upheld", "dismissed"] | None = None


class TribunalOrder(BaseEvent):
    """The Tribunal made an order (reg. 44); ``on`` is the date of the order."""

    type: Literal["tribunal_order"] = "tribunal_order"
    kind: TribunalOrderKind


class TribunalRecommendation(BaseEvent):
    """The Tribunal made a health or social care recommendation (SI 2017/1306)."""

    type: Literal["tribunal_recommendation"] = "tribunal_recommendation"
    kind: RecommendationKind


class RecommendationResponseSent(BaseEvent):
    """The responsible body answered a recommendation (SI 2017/1306 regs 6(3), 7(1))."""

    type: Literal["recommendation_response_sent"] = "recommendation_response_sent"
    kind: RecommendationKind


class RecommendationCopySent(BaseEvent):
    """The LA sent the Secretary of State a copy of the response (regs 6(6), 7(4))."""

    type: Literal["recommendation_copy_sent"] = "recommendation_copy_sent"
    kind: RecommendationKind


DISAGREEMENT_EVENTS: tuple[type[BaseEvent], ...] = (
    AppealRightsNotified,
    LocalResolutionMeeting,
    MediationAdviserContacted,
    MediationDeclined,
    MediationRequested,
    HealthBodiesNotified,
    MediationUnavailableNotified,
    MediationCertificateIssued,
    MediationArranged,
    MediationNoticeSent,
    MediationHeld,
    MediationAgreement,
    MediationAgreementNotified,
    MediationAgreementActioned,
    AppealLodged,
    AppealWithdrawn,
    AppealConceded,
    AppealDecided,
    TribunalOrder,
    TribunalRecommendation,
    RecommendationResponseSent,
    RecommendationCopySent,
)


# ------------------------------------------------------------------ table
class DisagreementState(StrEnum):
    """Where a disagreement stands."""

    NO_DISAGREEMENT = "no_disagreement"
    RAISED = "raised"
    IN_MEDIATION = "in_mediation"
    CERTIFICATE_ISSUED = "certificate_issued"
    APPEAL_PENDING = "appeal_pending"
    DECIDED = "decided"
    WITHDRAWN = "withdrawn"
    CONCEDED = "conceded"


_S = DisagreementState

#: Events recorded at any time without changing the state.
_ANYTIME = ("exception_recorded", "local_resolution_meeting")
#: Follow-ups of an earlier step (agreements carried out, responses to
#: recommendations) that may arrive after a new disagreement has begun.
_FOLLOW_UPS = (
    "mediation_agreement_notified",
    "mediation_agreement_actioned",
    "recommendation_response_sent",
    "recommendation_copy_sent",
)
#: States where the last disagreement has settled: a new decision starts another.
_SETTLED = (_S.DECIDED, _S.WITHDRAWN, _S.CONCEDED, _S.CERTIFICATE_ISSUED)


def _rows() -> list[Transition]:
    rows = [
        T(_S.NO_DISAGREEMENT, "appeal_rights_notified", _S.RAISED),
        # raised: a decision notified; the family may seek mediation or appeal
        T(_S.RAISED, "appeal_rights_notified", _S.RAISED),
        T(_S.RAISED, "mediation_adviser_contacted", _S.RAISED),
        T(_S.RAISED, "mediation_declined", _S.RAISED),
        T(_S.RAISED, "mediation_requested", _S.IN_MEDIATION),
        T(_S.RAISED, "mediation_certificate_issued", _S.CERTIFICATE_ISSUED),
        T(_S.RAISED, "appeal_lodged", _S.APPEAL_PENDING),
        # in mediation
        T(_S.IN_MEDIATION, "appeal_rights_notified", _S.IN_MEDIATION),
        T(_S.IN_MEDIATION, "health_bodies_notified", _S.IN_MEDIATION),
        T(_S.IN_MEDIATION, "mediation_arranged", _S.IN_MEDIATION),
        T(_S.IN_MEDIATION, "mediation_notice_sent", _S.IN_MEDIATION),
        T(_S.IN_MEDIATION, "mediation_held", _S.IN_MEDIATION),
        T(_S.IN_MEDIATION, "mediation_agreement", _S.IN_MEDIATION),
        T(_S.IN_MEDIATION, "mediation_unavailable_notified", _S.IN_MEDIATION),
        T(_S.IN_MEDIATION, "mediation_certificate_issued", _S.CERTIFICATE_ISSUED),
        T(_S.IN_MEDIATION, "appeal_lodged", _S.APPEAL_PENDING),
        # certificate issued: the family may appeal (or let the window lapse)
        T(_S.CERTIFICATE_ISSUED, "mediation_certificate_issued", _S.CERTIFICATE_ISSUED),
        T(_S.CERTIFICATE_ISSUED, "mediation_agreement", _S.CERTIFICATE_ISSUED),
        T(_S.CERTIFICATE_ISSUED, "mediation_requested", _S.IN_MEDIATION),
        T(_S.CERTIFICATE_ISSUED, "appeal_lodged", _S.APPEAL_PENDING),
        # appeal lodged
        T(_S.APPEAL_PENDING, "appeal_rights_notified", _S.APPEAL_PENDING),
        T(_S.APPEAL_PENDING, "appeal_lodged", _S.APPEAL_PENDING),
        T(_S.APPEAL_PENDING, "appeal_withdrawn", _S.WITHDRAWN),
        T(_S.APPEAL_PENDING, "appeal_conceded", _S.CONCEDED),
        T(_S.APPEAL_PENDING, "appeal_decided", _S.DECIDED),
        T(_S.APPEAL_PENDING, "tribunal_order", _S.DECIDED),
        # after the decision: orders and recommendations
        T(_S.DECIDED, "appeal_decided", _S.DECIDED),
        T(_S.DECIDED, "tribunal_order", _S.DECIDED),
        T(_S.DECIDED, "tribunal_recommendation", _S.DECIDED),
        T(_S.CONCEDED, "appeal_conceded", _S.CONCEDED),
    ]
    for state in _SETTLED:
        rows.append(T(state, "appeal_rights_notified", _S.RAISED))
    for state in DisagreementState:
        rows.extend(T(state, event, state) for event in _ANYTIME)
        if state is not _S.NO_DISAGREEMENT:
            rows.extend(T(state, event, state) for event in _FOLLOW_UPS)
    return rows


DISAGREEMENT = WorkflowTable(
    "disagreement",
    initial=_S.NO_DISAGREEMENT,
    final=(),
    states=[s.value for s in DisagreementState],
    descriptions={
        _S.NO_DISAGREEMENT: "No appealable decision has been notified yet.",
        _S.RAISED: (
            "An appealable decision was notified; the family may seek mediation "
            "or appeal within the appeal window."
        ),
        _S.IN_MEDIATION: "The family asked for mediation; it must take place within 30 days.",
        _S.CERTIFICATE_ISSUED: (
            "A mediation certificate was issued; the family may appeal within the window."
        ),
        _S.APPEAL_PENDING: "The Tribunal received the appeal (appeal lodged); it is pending.",
        _S.DECIDED: "The Tribunal decided the appeal; any orders must be carried out in time.",
        _S.WITHDRAWN: "The appeal was withdrawn.",
        _S.CONCEDED: "The LA did not oppose the appeal (reg. 45); it must act in time.",
    },
    transitions=_rows(),
)


def disagreement_machine(**kwargs: Any) -> Any:
    """A fresh python-statemachine instance generated from ``DISAGREEMENT``.

    ```python
    >>> m = disagreement_machine()
    >>> m.send("appeal_rights_notified",
    ...        record=AppealRightsNotified(on=date(2026, 10, 1), decision="cease"))
    >>> m.current_state_value
    'raised'

    ```
    """
    from sendflow.workflows._machine import build_machine_class

    return build_machine_class(DISAGREEMENT)(**kwargs)
