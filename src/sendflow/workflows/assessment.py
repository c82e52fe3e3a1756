"""EHC needs assessment: from the request to the final EHC plan.

Models Children and Families Act 2014 ss. 36-39 and the SEND Regulations 2014
(SI 2014/1530) Part 2 (regs 3-14). The events are dated facts; the
``ASSESSMENT`` table says which are allowed in which state, and is the
single source of truth for replay, validation, the generated
python-statemachine class and the diagrams.

```python
>>> from datetime import date
>>> ASSESSMENT.next_state("awaiting_decision",
...     AssessmentDecision(on=date(2026, 2, 10), outcome="assess"))
'assessing'

```
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any, Literal

from pydantic import Field

from sendflow.partners import AdviceKind
from sendflow.plan import Placement
from sendflow.returns import SEN2Items
from sendflow.workflows._events import BaseEvent, ExceptionRecorded
from sendflow.workflows._table import T, WorkflowTable

__all__ = [
    "ASSESSMENT",
    "ASSESSMENT_EVENTS",
    "AdviceKind",
    "AdviceReceived",
    "AdviceRequested",
    "AssessmentDecision",
    "AssessmentState",
    "DraftPlanIssued",
    "FinalPlanIssued",
    "LABecameResponsible",
    "NoPlanNoticeSent",
    "RepresentationsReceived",
    "RequestReceived",
    "RequestWithdrawn",
    "SettingConsulted",
    "SettingResponseReceived",
    "assessment_machine",
]


class AssessmentState(StrEnum):
    """Where an EHC needs assessment stands."""

    NOT_REQUESTED = "not_requested"
    AWAITING_DECISION = "awaiting_decision"
    ASSESSMENT_REFUSED = "assessment_refused"
    ASSESSING = "assessing"
    PLAN_REFUSED = "plan_refused"
    DRAFT_ISSUED = "draft_issued"
    PLAN_ISSUED = "plan_issued"
    WITHDRAWN = "withdrawn"


class RequestReceived(BaseEvent):
    """The local authority received a request for an EHC needs assessment
    (CFA 2014 s. 36(1)), or a child was brought to its attention (s. 24).
    The day of receipt starts the 6-, 16- and 20-week clocks."""

    type: Literal["request_received"] = "request_received"
    made_by: Literal[
        "parent",
        "young_person",
        "school_or_setting",
        "health_professional",
        "social_care_professional",
        "other",
    ] = Field(
        description="Who made the request or brought the child to the LA's attention "
        "(CFA 2014 ss. 24, 36(1)); a health or social care professional's referral is "
        "told apart because SEN2 records it (RequestSource, 2025 onwards)."
    )
    known_to_la: bool | None = Field(
        default=None, description="Whether the child was already known to the LA's SEN team."
    )
    sen2: SEN2Items | None = Field(
        default=None,
        description="The request's SEN2 items that no event dates (sendflow.returns.SEN2Items: "
        "mediation and tribunal flags, RYA, Exported...); the compliance engine does not "
        "read them.",
    )


class LABecameResponsible(BaseEvent):
    """The local authority became responsible for the child or young person under
    CFA 2014 s. 24 (in its area, and identified by it or brought to its attention as
    someone who has or may have SEN), for instance when a family moves in while a
    request made to the old authority is undecided. Like a request received, this day
    starts the 6-, 16- and 20-week clocks (SEND Regulations 2014 regs 5(1)(b), 10(1),
    13(2)); a clock already running from an earlier request gives way to it."""

    type: Literal["la_became_responsible"] = "la_became_responsible"


class AssessmentDecision(BaseEvent):
    """The LA notified its decision whether to assess (reg. 5(1); refusal: reg. 4(1))."""

    type: Literal["assessment_decision"] = "assessment_decision"
    outcome: Literal["assess", "refuse"]


class AdviceRequested(BaseEvent):
    """The LA asked for advice and information for the assessment (reg. 6).
    The adviser's 6 weeks run from the day the request is received (reg. 8)."""

    type: Literal["advice_requested"] = "advice_requested"
    adviser: AdviceKind
    adviser_ref: str | None = Field(default=None, max_length=100)


class AdviceReceived(BaseEvent):
    """The LA received advice and information from an adviser."""

    type: Literal["advice_received"] = "advice_received"
    adviser: AdviceKind
    adviser_ref: str | None = Field(default=None, max_length=100)


class NoPlanNoticeSent(BaseEvent):
    """The LA told the family it will not make an EHC plan (CFA s. 36(9), reg. 10)."""

    type: Literal["no_plan_notice_sent"] = "no_plan_notice_sent"


class DraftPlanIssued(BaseEvent):
    """The LA sent the draft EHC plan (CFA s. 38). ``served_on`` is the day it
    was served if that differs from ``on`` (the 15 days begin with service)."""

    type: Literal["draft_plan_issued"] = "draft_plan_issued"
    served_on: date | None = None

    @property
    def start_date(self) -> date:
        """The representation period begins with the day of service."""
        return self.served_on or self.on


class RepresentationsReceived(BaseEvent):
    """The parent or young person made representations on the draft plan
    (reg. 13(1)(a)), perhaps asking for a school or institution to be named."""

    type: Literal["representations_received"] = "representations_received"
    setting_requested: bool | None = None
    meeting_requested: bool | None = None


class SettingConsulted(BaseEvent):
    """The LA consulted a school, college or other setting about being named (CFA s. 39(2))."""

    type: Literal["setting_consulted"] = "setting_consulted"
    setting_ref: str | None = Field(default=None, max_length=100)


class SettingResponseReceived(BaseEvent):
    """A consulted setting replied (the Code of Practice expects 15 days)."""

    type: Literal["setting_response_received"] = "setting_response_received"
    setting_ref: str | None = Field(default=None, max_length=100)


class FinalPlanIssued(BaseEvent):
    """The LA sent the final EHC plan (reg. 13(2)); from this day the plan is made.

    As the first event of a case it records a plan made before the history
    starts (e.g. plans migrated from another system)."""

    type: Literal["final_plan_issued"] = "final_plan_issued"
    setting_ref: str | None = Field(default=None, max_length=100)
    named_settings: tuple[Placement, ...] | None = Field(
        default=None,
        max_length=2,
        description="The settings named in the plan (section I; SEN2 PlanDetail, at most 2), "
        "when the source records them. None: not recorded.",
    )


class RequestWithdrawn(BaseEvent):
    """The request was withdrawn before a plan was made."""

    type: Literal["request_withdrawn"] = "request_withdrawn"


ASSESSMENT_EVENTS: tuple[type[BaseEvent], ...] = (
    RequestReceived,
    LABecameResponsible,
    AssessmentDecision,
    AdviceRequested,
    AdviceReceived,
    ExceptionRecorded,
    NoPlanNoticeSent,
    DraftPlanIssued,
    RepresentationsReceived,
    SettingConsulted,
    SettingResponseReceived,
    FinalPlanIssued,
    RequestWithdrawn,
)

_S = AssessmentState

ASSESSMENT = WorkflowTable(
    "assessment",
    initial=_S.NOT_REQUESTED,
    final={_S.PLAN_ISSUED},
    states=[s.value for s in AssessmentState],
    descriptions={
        _S.NOT_REQUESTED: "No request for an EHC needs assessment yet.",
        _S.AWAITING_DECISION: "Request received; the LA has 6 weeks to decide whether to assess.",
        _S.ASSESSMENT_REFUSED: "The LA decided not to assess (appealable).",
        _S.ASSESSING: "The LA is gathering advice and information.",
        _S.PLAN_REFUSED: "After assessing, the LA decided not to make a plan (appealable).",
        _S.DRAFT_ISSUED: "A draft plan is with the family for representations.",
        _S.PLAN_ISSUED: "The final EHC plan has been issued.",
        _S.WITHDRAWN: "The request was withdrawn.",
    },
    transitions=[
        T(_S.NOT_REQUESTED, "request_received", _S.AWAITING_DECISION),
        T(_S.NOT_REQUESTED, "la_became_responsible", _S.AWAITING_DECISION),
        T(_S.NOT_REQUESTED, "final_plan_issued", _S.PLAN_ISSUED),
        T(_S.AWAITING_DECISION, "assessment_decision", _S.ASSESSING, outcome="assess"),
        T(_S.AWAITING_DECISION, "assessment_decision", _S.ASSESSMENT_REFUSED, outcome="refuse"),
        T(_S.AWAITING_DECISION, "exception_recorded", _S.AWAITING_DECISION),
        T(_S.AWAITING_DECISION, "request_withdrawn", _S.WITHDRAWN),
        T(_S.ASSESSMENT_REFUSED, "request_received", _S.AWAITING_DECISION),
        T(_S.ASSESSMENT_REFUSED, "assessment_decision", _S.ASSESSING, outcome="assess"),
        T(_S.ASSESSING, "advice_requested", _S.ASSESSING),
        T(_S.ASSESSING, "advice_received", _S.ASSESSING),
        T(_S.ASSESSING, "exception_recorded", _S.ASSESSING),
        T(_S.ASSESSING, "no_plan_notice_sent", _S.PLAN_REFUSED),
        T(_S.ASSESSING, "draft_plan_issued", _S.DRAFT_ISSUED),
        T(_S.ASSESSING, "request_withdrawn", _S.WITHDRAWN),
        T(_S.PLAN_REFUSED, "request_received", _S.AWAITING_DECISION),
        T(_S.PLAN_REFUSED, "draft_plan_issued", _S.DRAFT_ISSUED),
        T(_S.DRAFT_ISSUED, "draft_plan_issued", _S.DRAFT_ISSUED),
        T(_S.DRAFT_ISSUED, "advice_received", _S.DRAFT_ISSUED),
        T(_S.DRAFT_ISSUED, "representations_received", _S.DRAFT_ISSUED),
        T(_S.DRAFT_ISSUED, "setting_consulted", _S.DRAFT_ISSUED),
        T(_S.DRAFT_ISSUED, "setting_response_received", _S.DRAFT_ISSUED),
        T(_S.DRAFT_ISSUED, "exception_recorded", _S.DRAFT_ISSUED),
        T(_S.DRAFT_ISSUED, "no_plan_notice_sent", _S.PLAN_REFUSED),
        T(_S.DRAFT_ISSUED, "final_plan_issued", _S.PLAN_ISSUED),
        T(_S.DRAFT_ISSUED, "request_withdrawn", _S.WITHDRAWN),
        T(_S.WITHDRAWN, "request_received", _S.AWAITING_DECISION),
    ],
)


def assessment_machine(**kwargs: Any) -> Any:
    """A fresh python-statemachine instance generated from ``ASSESSMENT``.

    ```python
    >>> from datetime import date
    >>> m = assessment_machine()
    >>> m.send("request_received",
    ...        record=RequestReceived(on=date(2026, 1, 5), made_by="parent"))
    >>> m.current_state_value
    'awaiting_decision'

    ```
    """
    from sendflow.workflows._machine import build_machine_class

    return build_machine_class(ASSESSMENT)(**kwargs)
