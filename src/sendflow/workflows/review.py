"""The life of an EHC plan: reviews, amendments, phase transfers, re-assessment,
moves between local authorities and ceasing.

Models Children and Families Act 2014 ss. 44-46 and the SEND Regulations 2014
(SI 2014/1530) regs 15-31 and 46. The ``REVIEW`` table starts where the
assessment ends (``plan_issued``) and is composed with it into the case's main
line (``sendflow.workflows.MAIN``), so one case holds the whole history
from the request to ceasing. The date of a review is the date of its review
meeting.

```python
>>> from datetime import date
>>> REVIEW.next_state("under_review",
...     ReviewDecision(on=date(2026, 11, 5), outcome="amend"))
'amending'

```
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any, Literal

from pydantic import Field

from sendflow.identifiers import LACode
from sendflow.workflows._events import BaseEvent
from sendflow.workflows._table import T, Transition, WorkflowTable

__all__ = [
    "LIVE_PLAN_STATES",
    "MOVED_BEFORE_PLAN",
    "REVIEW",
    "REVIEW_EVENTS",
    "AmendedPlanIssued",
    "AmendmentNoticeSent",
    "AmendmentRepresentationsReceived",
    "CeaseNoticeSent",
    "CeaseReason",
    "CommissionerChanged",
    "CommissionerNotified",
    "CourseRecorded",
    "DirectPaymentMade",
    "DirectPaymentReviewed",
    "DisclosureRequested",
    "HealthAssessmentRequested",
    "MovedToAnotherLA",
    "NewLANoticeSent",
    "NoAmendmentNoticeSent",
    "PhaseTransferScheduled",
    "PlanCeased",
    "PlanDisclosed",
    "PlanTransferred",
    "ReassessmentDecision",
    "ReassessmentRequested",
    "ReviewAdviceCirculated",
    "ReviewDecision",
    "ReviewInvitationsSent",
    "ReviewMeetingHeld",
    "ReviewReportSent",
    "ReviewState",
    "TransferKind",
    "review_machine",
]


class ReviewState(StrEnum):
    """Where a maintained EHC plan stands."""

    PLAN_ISSUED = "plan_issued"
    PLAN_MAINTAINED = "plan_maintained"
    UNDER_REVIEW = "under_review"
    AMENDING = "amending"
    CONSIDERING_REASSESSMENT = "considering_reassessment"
    REASSESSING = "reassessing"
    TRANSFERRED_OUT = "transferred_out"
    CEASING = "ceasing"
    CEASED = "ceased"
    MOVED_BEFORE_PLAN = "moved_before_plan"


class TransferKind(StrEnum):
    """The kind of move between phases of education (reg. 2(1) and reg. 18).

    ``into_apprenticeship`` is recorded for planning but is not a "transfer
    between phases of education" in reg. 2(1), so it carries no reg. 18 date.
    ``primary_to_secondary`` also covers primary to middle school.
    """

    INTO_SCHOOL = "into_school"
    INFANT_TO_JUNIOR = "infant_to_junior"
    PRIMARY_TO_SECONDARY = "primary_to_secondary"
    MIDDLE_TO_SECONDARY = "middle_to_secondary"
    SECONDARY_TO_POST16 = "secondary_to_post16"
    POST16_TO_POST16 = "post16_to_post16"
    INTO_APPRENTICESHIP = "into_apprenticeship"


# --------------------------------------------------------------------- events
class ReviewInvitationsSent(BaseEvent):
    """Invitations to the review meeting went out (regs 20(3), 21(3): at least 2 weeks' notice)."""

    type: Literal["review_invitations_sent"] = "review_invitations_sent"
    meeting_date: date | None = Field(default=None, description="The meeting date given.")


class ReviewAdviceCirculated(BaseEvent):
    """Advice and information for the review went to those invited (regs 20(4), 21(4))."""

    type: Literal["review_advice_circulated"] = "review_advice_circulated"


class ReviewMeetingHeld(BaseEvent):
    """The review meeting was held. Its date is the date of the review (CFA s. 44(1))."""

    type: Literal["review_meeting_held"] = "review_meeting_held"
    early: bool | None = Field(
        default=None, description="Whether the review was brought forward (e.g. after a move)."
    )


class ReviewReportSent(BaseEvent):
    """The written report of the review was sent to those invited (regs 20(7)-(9), 21(7)-(8))."""

    type: Literal["review_report_sent"] = "review_report_sent"


class ReviewDecision(BaseEvent):
    """The LA told the parent or young person whether it will keep, amend or cease
    the plan (regs 20(10), 21(9))."""

    type: Literal["review_decision"] = "review_decision"
    outcome: Literal["maintain", "amend", "cease"]


class AmendmentNoticeSent(BaseEvent):
    """The LA sent the plan with a notice of proposed amendments (reg. 22(2); reg. 28).
    ``served_on`` is the day of service where it differs from ``on``."""

    type: Literal["amendment_notice_sent"] = "amendment_notice_sent"
    served_on: date | None = None

    @property
    def start_date(self) -> date:
        """The 15-day representation period begins with the day of service."""
        return self.served_on or self.on


class AmendmentRepresentationsReceived(BaseEvent):
    """The parent or young person commented on the proposed amendments (reg. 22(2)(c))."""

    type: Literal["amendment_representations_received"] = "amendment_representations_received"


class AmendedPlanIssued(BaseEvent):
    """The LA issued the finalised amended plan (reg. 22(3)); after a phase transfer
    review it names the next school, institution or type (reg. 18)."""

    type: Literal["amended_plan_issued"] = "amended_plan_issued"
    setting_ref: str | None = Field(default=None, max_length=100)


class NoAmendmentNoticeSent(BaseEvent):
    """The LA told the family, with reasons, that it will not amend the plan after all
    (reg. 22(4))."""

    type: Literal["no_amendment_notice_sent"] = "no_amendment_notice_sent"


class PhaseTransferScheduled(BaseEvent):
    """A move to the next phase of education is due on ``transfer_date`` (reg. 18)."""

    type: Literal["phase_transfer_scheduled"] = "phase_transfer_scheduled"
    transfer_date: date
    kind: TransferKind


class ReassessmentRequested(BaseEvent):
    """The LA received a request to re-assess (CFA s. 44(2); reg. 25)."""

    type: Literal["reassessment_requested"] = "reassessment_requested"
    made_by: (
        Literal["parent", "young_person", "school_or_setting", "commissioning_body"] | None
    ) = None


class ReassessmentDecision(BaseEvent):
    """The LA decided whether to re-assess (reg. 25(1)); on its own initiative too (s. 44(3))."""

    type: Literal["reassessment_decision"] = "reassessment_decision"
    outcome: Literal["assess", "refuse"]


class MovedToAnotherLA(BaseEvent):
    """The child or young person moved to another local authority's area (reg. 15).

    ``on`` is the day the move is recorded; ``move_date`` the day of the move
    (default ``on``); ``old_la_aware_on`` the day the old LA learnt of it.
    """

    type: Literal["moved_to_another_la"] = "moved_to_another_la"
    new_la: LACode
    old_la: LACode | None = None
    move_date: date | None = None
    old_la_aware_on: date | None = None
    commissioner_changes: bool | None = Field(
        default=None, description="Whether the health commissioning body changes too (reg. 15(7))."
    )
    old_commissioner_aware_on: date | None = None
    new_commissioner_aware_on: date | None = None


class PlanTransferred(BaseEvent):
    """The old LA transferred the plan to the new LA (reg. 15(2)); from now the plan is
    treated as made by the new LA on its original date (reg. 15(3)(a)).

    ``plan_made_on`` and ``last_reviewed_on`` record those dates when the case
    history does not hold them (a new LA's own record starting here)."""

    type: Literal["plan_transferred"] = "plan_transferred"
    plan_made_on: date | None = None
    last_reviewed_on: date | None = None


class NewLANoticeSent(BaseEvent):
    """The new LA told the family of the transfer, whether it will assess and when it
    will review (reg. 15(4))."""

    type: Literal["new_la_notice_sent"] = "new_la_notice_sent"


class CommissionerChanged(BaseEvent):
    """Another health commissioning body became responsible, the LA unchanged (reg. 16)."""

    type: Literal["commissioner_changed"] = "commissioner_changed"
    old_commissioner_aware_on: date | None = None
    new_commissioner_aware_on: date | None = None


class CommissionerNotified(BaseEvent):
    """The old commissioning body told the new one (regs 15(7), 16(2))."""

    type: Literal["commissioner_notified"] = "commissioner_notified"


class HealthAssessmentRequested(BaseEvent):
    """The new commissioning body asked the LA to assess or review (regs 15(8), 16(3))."""

    type: Literal["health_assessment_requested"] = "health_assessment_requested"


class CeaseNoticeSent(BaseEvent):
    """The LA notified its decision to cease to maintain the plan, with appeal rights
    (CFA s. 45; regs 29-31). The plan continues while an appeal is possible (s. 45(4))."""

    type: Literal["cease_notice_sent"] = "cease_notice_sent"
    reason: Literal["no_longer_needed", "education_or_training_ended", "age_25", "other"] | None = (
        None
    )


class CeaseReason(StrEnum):
    """Why the LA stopped maintaining a plan, as the DfE SEN2 return codes it
    (NamedPlan CeaseReason). The one power to cease is CFA 2014 s. 45(1): the LA is no
    longer responsible, or the plan is no longer necessary; each reason's law and its
    SEN2 code are data (``sen2/data/codes.toml``, code set CeaseReason, checked against
    this list when the codes load).

    Added in 0.9.
    """

    MAXIMUM_AGE = "maximum_age"
    """The young person reached the end of the academic year of their 25th birthday."""
    NEEDS_MET = "needs_met"
    """Education or training needs are now met without a plan."""
    HIGHER_EDUCATION = "higher_education"
    """Moved on to higher education."""
    PAID_EMPLOYMENT = "paid_employment"
    """Moved on to paid employment (not an apprenticeship)."""
    TRANSFERRED_TO_ANOTHER_LA = "transferred_to_another_la"
    """The plan was transferred to another LA in England."""
    NO_LONGER_ENGAGING = "no_longer_engaging"
    """The young person no longer wishes to engage in education or training."""
    MOVED_OUTSIDE_ENGLAND = "moved_outside_england"
    """Moved outside England."""
    DIED = "died"
    """The child or young person died."""
    OTHER = "other"
    """Another reason."""


class PlanCeased(BaseEvent):
    """The LA stopped maintaining the plan, with the reason if the source records it."""

    type: Literal["plan_ceased"] = "plan_ceased"
    reason: CeaseReason | None = Field(
        default=None, description="Why the plan ceased (SEN2 CeaseReason); no deadline "
        "depends on it.")


class DirectPaymentMade(BaseEvent):
    """A direct payment for part of a personal budget was made (SI 2014/1652)."""

    type: Literal["direct_payment_made"] = "direct_payment_made"


class DirectPaymentReviewed(BaseEvent):
    """The LA reviewed the making and use of direct payments (SI 2014/1652 reg. 11)."""

    type: Literal["direct_payment_reviewed"] = "direct_payment_reviewed"


class CourseRecorded(BaseEvent):
    """What the young person's education or training is, for the end of the plan at 25
    (SEND Regulations 2014 reg. 46(1)): a further education college (the academic year
    ends on 31 July), an apprenticeship or another course or training, with the day it is
    scheduled to end. The latest such record decides ``ceasing.age_25``."""

    type: Literal["course_recorded"] = "course_recorded"
    setting: Literal["further_education", "apprenticeship", "other"]
    course_end: date | None = Field(
        default=None,
        description="The day the apprenticeship, course or training is scheduled to end "
        "(reg. 46(1)(b)-(c)); not used for a further education college.",
    )


class DisclosureRequested(BaseEvent):
    """A young person asked for the plan to be disclosed for higher education (reg. 47)."""

    type: Literal["disclosure_requested"] = "disclosure_requested"


class PlanDisclosed(BaseEvent):
    """The LA disclosed the plan for higher education (reg. 47)."""

    type: Literal["plan_disclosed"] = "plan_disclosed"


REVIEW_EVENTS: tuple[type[BaseEvent], ...] = (
    ReviewInvitationsSent,
    ReviewAdviceCirculated,
    ReviewMeetingHeld,
    ReviewReportSent,
    ReviewDecision,
    AmendmentNoticeSent,
    AmendmentRepresentationsReceived,
    AmendedPlanIssued,
    NoAmendmentNoticeSent,
    PhaseTransferScheduled,
    ReassessmentRequested,
    ReassessmentDecision,
    MovedToAnotherLA,
    PlanTransferred,
    NewLANoticeSent,
    CommissionerChanged,
    CommissionerNotified,
    HealthAssessmentRequested,
    CeaseNoticeSent,
    PlanCeased,
    DirectPaymentMade,
    DirectPaymentReviewed,
    CourseRecorded,
    DisclosureRequested,
    PlanDisclosed,
)

# ---------------------------------------------------------------------- table
_S = ReviewState

#: States in which a plan is in force and maintained by an LA.
LIVE_PLAN_STATES: tuple[str, ...] = (
    _S.PLAN_ISSUED,
    _S.PLAN_MAINTAINED,
    _S.UNDER_REVIEW,
    _S.AMENDING,
    _S.CONSIDERING_REASSESSMENT,
    _S.REASSESSING,
    _S.CEASING,
)

#: Facts that can be recorded whenever a plan is in force, without changing state.
_ANYTIME = (
    "phase_transfer_scheduled",
    "exception_recorded",
    "new_la_notice_sent",
    "commissioner_changed",
    "commissioner_notified",
    "health_assessment_requested",
    "direct_payment_made",
    "direct_payment_reviewed",
    "disclosure_requested",
    "plan_disclosed",
    "review_report_sent",
    "course_recorded",
)


def _plan_rows(src: str) -> list[Transition]:
    """Rows shared by ``plan_issued`` and ``plan_maintained`` (the plan at rest)."""
    return [
        T(src, "review_invitations_sent", _S.UNDER_REVIEW),
        T(src, "review_advice_circulated", _S.UNDER_REVIEW),
        T(src, "review_meeting_held", _S.UNDER_REVIEW),
        # A review whose earlier steps the source system does not record (a
        # system that holds only the LA's decision, as SEN2's LastReview does).
        T(src, "review_decision", _S.PLAN_MAINTAINED, outcome="maintain"),
        T(src, "review_decision", _S.AMENDING, outcome="amend"),
        T(src, "review_decision", _S.CEASING, outcome="cease"),
        T(src, "amendment_notice_sent", _S.AMENDING),
        T(src, "reassessment_requested", _S.CONSIDERING_REASSESSMENT),
        T(src, "reassessment_decision", _S.REASSESSING, outcome="assess"),
        T(src, "moved_to_another_la", _S.TRANSFERRED_OUT),
        T(src, "cease_notice_sent", _S.CEASING),
        T(src, "plan_ceased", _S.CEASED),
    ]


def _rows() -> list[Transition]:
    rows: list[Transition] = []
    rows += _plan_rows(_S.PLAN_ISSUED)
    rows += _plan_rows(_S.PLAN_MAINTAINED)
    # A review: invitations, advice, meeting, report, decision.
    rows += [
        T(_S.UNDER_REVIEW, "review_invitations_sent", _S.UNDER_REVIEW),
        T(_S.UNDER_REVIEW, "review_advice_circulated", _S.UNDER_REVIEW),
        T(_S.UNDER_REVIEW, "review_meeting_held", _S.UNDER_REVIEW),
        T(_S.UNDER_REVIEW, "review_decision", _S.PLAN_MAINTAINED, outcome="maintain"),
        T(_S.UNDER_REVIEW, "review_decision", _S.AMENDING, outcome="amend"),
        T(_S.UNDER_REVIEW, "review_decision", _S.CEASING, outcome="cease"),
        T(_S.UNDER_REVIEW, "amendment_notice_sent", _S.AMENDING),
        T(_S.UNDER_REVIEW, "cease_notice_sent", _S.CEASING),
        T(_S.UNDER_REVIEW, "moved_to_another_la", _S.TRANSFERRED_OUT),
        T(_S.UNDER_REVIEW, "plan_ceased", _S.CEASED),
    ]
    # Amending (after a review, or at any other time: reg. 28).
    rows += [
        T(_S.AMENDING, "review_decision", _S.AMENDING, outcome="amend"),
        T(_S.AMENDING, "amendment_notice_sent", _S.AMENDING),
        T(_S.AMENDING, "amendment_representations_received", _S.AMENDING),
        T(_S.AMENDING, "amended_plan_issued", _S.PLAN_MAINTAINED),
        T(_S.AMENDING, "no_amendment_notice_sent", _S.PLAN_MAINTAINED),
        T(_S.AMENDING, "review_invitations_sent", _S.UNDER_REVIEW),
        T(_S.AMENDING, "review_meeting_held", _S.UNDER_REVIEW),
        T(_S.AMENDING, "moved_to_another_la", _S.TRANSFERRED_OUT),
        T(_S.AMENDING, "cease_notice_sent", _S.CEASING),
        T(_S.AMENDING, "plan_ceased", _S.CEASED),
    ]
    # The plan is at rest again after an amended plan is issued at other times
    # (e.g. a Tribunal order to amend).
    rows += [T(s, "amended_plan_issued", _S.PLAN_MAINTAINED)
             for s in (_S.PLAN_ISSUED, _S.PLAN_MAINTAINED, _S.UNDER_REVIEW)]
    # Re-assessment (CFA s. 44(2)-(3); regs 24-27).
    rows += [
        T(_S.CONSIDERING_REASSESSMENT, "reassessment_decision", _S.REASSESSING, outcome="assess"),
        T(_S.CONSIDERING_REASSESSMENT, "reassessment_decision", _S.PLAN_MAINTAINED,
          outcome="refuse"),
        T(_S.CONSIDERING_REASSESSMENT, "moved_to_another_la", _S.TRANSFERRED_OUT),
        T(_S.CONSIDERING_REASSESSMENT, "plan_ceased", _S.CEASED),
        T(_S.REASSESSING, "advice_requested", _S.REASSESSING),
        T(_S.REASSESSING, "advice_received", _S.REASSESSING),
        T(_S.REASSESSING, "draft_plan_issued", _S.REASSESSING),
        T(_S.REASSESSING, "representations_received", _S.REASSESSING),
        T(_S.REASSESSING, "setting_consulted", _S.REASSESSING),
        T(_S.REASSESSING, "setting_response_received", _S.REASSESSING),
        T(_S.REASSESSING, "final_plan_issued", _S.PLAN_MAINTAINED),
        T(_S.REASSESSING, "no_amendment_notice_sent", _S.PLAN_MAINTAINED),
        T(_S.REASSESSING, "moved_to_another_la", _S.TRANSFERRED_OUT),
        T(_S.REASSESSING, "cease_notice_sent", _S.CEASING),
        T(_S.REASSESSING, "plan_ceased", _S.CEASED),
    ]
    # Moving to another LA with a plan (reg. 15): the old LA transfers it and the
    # new LA maintains it from then, as if it had made it on the original date.
    rows += [
        T(_S.TRANSFERRED_OUT, "plan_transferred", _S.PLAN_MAINTAINED),
        T(_S.TRANSFERRED_OUT, "exception_recorded", _S.TRANSFERRED_OUT),
        T(_S.TRANSFERRED_OUT, "commissioner_notified", _S.TRANSFERRED_OUT),
        T(_S.TRANSFERRED_OUT, "health_assessment_requested", _S.TRANSFERRED_OUT),
        T(_S.TRANSFERRED_OUT, "phase_transfer_scheduled", _S.TRANSFERRED_OUT),
        # A new LA's own record: the plan (on its original date), then the transfer.
        T(_S.PLAN_ISSUED, "plan_transferred", _S.PLAN_MAINTAINED),
        T(_S.PLAN_MAINTAINED, "plan_transferred", _S.PLAN_MAINTAINED),
    ]
    # Ceasing (CFA s. 45; regs 29-31): the plan continues while an appeal is possible.
    rows += [
        T(_S.CEASING, "cease_notice_sent", _S.CEASING),
        T(_S.CEASING, "plan_ceased", _S.CEASED),
        T(_S.CEASING, "review_decision", _S.PLAN_MAINTAINED, outcome="maintain"),
        T(_S.CEASING, "amended_plan_issued", _S.PLAN_MAINTAINED),
        T(_S.CEASING, "moved_to_another_la", _S.TRANSFERRED_OUT),
        # The review duty (CFA s. 44(1)) runs on while an appeal against ceasing is possible.
        T(_S.CEASING, "review_invitations_sent", _S.CEASING),
        T(_S.CEASING, "review_advice_circulated", _S.CEASING),
        T(_S.CEASING, "review_meeting_held", _S.CEASING),
        # A successful appeal keeps the plan: an order to continue it, with or without
        # amendments (reg. 44(2)(g)-(h)), or the LA conceding (reg. 45(6A)).
        T(_S.CEASING, "tribunal_order", _S.PLAN_MAINTAINED, kind="continue"),
        T(_S.CEASING, "tribunal_order", _S.AMENDING, kind="continue_and_amend"),
        T(_S.CEASING, "appeal_conceded", _S.PLAN_MAINTAINED, kind="cease"),
    ]
    # A review may fall due during a re-assessment, and a re-assessment may be asked
    # for during a review.
    rows += [
        T(_S.REASSESSING, "review_invitations_sent", _S.REASSESSING),
        T(_S.REASSESSING, "review_advice_circulated", _S.REASSESSING),
        T(_S.REASSESSING, "review_meeting_held", _S.REASSESSING),
        T(_S.UNDER_REVIEW, "reassessment_requested", _S.CONSIDERING_REASSESSMENT),
    ]
    for s in LIVE_PLAN_STATES:
        for event in _ANYTIME:
            if not any(r.source == s and r.event == event for r in rows):
                rows.append(T(s, event, s))
    return rows


REVIEW = WorkflowTable(
    "review",
    initial=_S.PLAN_ISSUED,
    final={_S.CEASED},
    states=[s.value for s in ReviewState if s is not _S.MOVED_BEFORE_PLAN],
    descriptions={
        _S.PLAN_MAINTAINED: "The LA maintains the plan and secures its provision.",
        _S.UNDER_REVIEW: "A review is under way: invitations, advice, meeting, report, decision.",
        _S.AMENDING: "Amendments have been proposed; the amended plan is due within 8 weeks.",
        _S.CONSIDERING_REASSESSMENT: "A re-assessment was requested; the LA has 15 days to decide.",
        _S.REASSESSING: "The LA is re-assessing; the new plan is due within 14 weeks.",
        _S.TRANSFERRED_OUT: "The family moved; the old LA must transfer the plan to the new LA.",
        _S.CEASING: "The LA decided to cease the plan; it continues while an appeal is possible.",
        _S.CEASED: "The LA no longer maintains the plan.",
    },
    transitions=_rows(),
)
"""The plan-lifecycle table, from ``plan_issued`` to ``ceased``."""

#: Moving before a plan is made: the new LA decides for itself whether to assess,
#: using what the old LA gathered (Code of Practice; no regulation sets a period).
#: Its rows leave the assessment's states, so it is a part of its own.
MOVED_BEFORE_PLAN = WorkflowTable(
    "moved_before_plan",
    initial="awaiting_decision",
    final=(),
    descriptions={
        _S.MOVED_BEFORE_PLAN: "The family moved before a plan was made; the new LA decides "
        "whether to assess, using what the old LA gathered.",
    },
    transitions=[
        *(T(s, "moved_to_another_la", _S.MOVED_BEFORE_PLAN)
          for s in ("awaiting_decision", "assessing", "draft_issued", "plan_refused",
                    "assessment_refused")),
        T(_S.MOVED_BEFORE_PLAN, "request_received", "awaiting_decision"),
        T(_S.MOVED_BEFORE_PLAN, "la_became_responsible", "awaiting_decision"),
        T(_S.MOVED_BEFORE_PLAN, "assessment_decision", "assessing", outcome="assess"),
        T(_S.MOVED_BEFORE_PLAN, "assessment_decision", "assessment_refused", outcome="refuse"),
        T(_S.MOVED_BEFORE_PLAN, "draft_plan_issued", "draft_issued"),
        T(_S.MOVED_BEFORE_PLAN, "no_plan_notice_sent", "plan_refused"),
        T(_S.MOVED_BEFORE_PLAN, "exception_recorded", _S.MOVED_BEFORE_PLAN),
    ],
)


def review_machine(**kwargs: Any) -> Any:
    """A fresh python-statemachine instance generated from the composed main line.

    The lifecycle table joins the assessment table at ``plan_issued``, so the
    machine starts at ``not_requested``.

    ```python
    >>> from datetime import date
    >>> from sendflow.workflows.assessment import FinalPlanIssued
    >>> m = review_machine()
    >>> m.send("final_plan_issued", record=FinalPlanIssued(on=date(2025, 3, 20)))
    >>> m.send("review_meeting_held", record=ReviewMeetingHeld(on=date(2026, 3, 2)))
    >>> m.current_state_value
    'under_review'

    ```
    """
    from sendflow.workflows import MAIN
    from sendflow.workflows._machine import build_machine_class

    return build_machine_class(MAIN)(**kwargs)
