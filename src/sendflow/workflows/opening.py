"""Records that open mid-way: a case whose history starts after the law's clocks did.

A local authority's case system rarely holds a child's whole statutory
history. A plan transferred in from another authority, or a legacy plan of
which only the plan date and the last review date were migrated, starts
sendflow's record part-way along the main line. ``RecordOpened`` says so
in one event, which may only be a case's first: the day the record starts
(``on``), the main-line state the case is in that day, and whichever dates
(*anchors*) the source system holds.

Deadlines are computed from the anchors exactly as if the history they date
were held (the 20-week limit from ``request_received_on``, ``review.annual``
from ``last_review_on`` or else ``plan_made_on``, ``la_transfer.review`` from
the later of its two limbs), and from nothing else: sendflow never assumes an
earlier history. A clock whose start the record does not date is reported
with a note saying which anchor would let it run.

```python
>>> from datetime import date
>>> e = RecordOpened(on=date(2026, 9, 1), state="plan_maintained",
...                  plan_made_on=date(2021, 3, 4), last_review_on=date(2026, 2, 20))
>>> OPENING.next_state("not_requested", e)
'plan_maintained'

```

A ``plan_transferred`` event may also begin a case (a new authority's own
record of a plan transferred to it under reg. 15 of the SEND Regulations
2014, SI 2014/1530), as may ``request_received`` and ``final_plan_issued``.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, model_validator

from sendflow.identifiers import LACode
from sendflow.plan import Placement
from sendflow.returns import SEN2Items
from sendflow.workflows._events import BaseEvent
from sendflow.workflows._table import T, WorkflowTable

__all__ = [
    "FIRST_EVENTS",
    "OPENING",
    "OPENING_EVENTS",
    "OPEN_STATES",
    "PLAN_OPEN_STATES",
    "PRE_PLAN_OPEN_STATES",
    "RecordOpened",
]

#: The main-line states a record may open in before a plan is made.
PRE_PLAN_OPEN_STATES: tuple[str, ...] = (
    "awaiting_decision",
    "assessing",
    "assessment_refused",
    "plan_refused",
    "draft_issued",
)
#: The main-line states a record may open in once a plan is in force.
PLAN_OPEN_STATES: tuple[str, ...] = ("plan_issued", "plan_maintained")
#: Every state ``record_opened`` may give.
OPEN_STATES: tuple[str, ...] = (*PRE_PLAN_OPEN_STATES, *PLAN_OPEN_STATES)

OpenState = Literal[
    "awaiting_decision",
    "assessing",
    "assessment_refused",
    "plan_refused",
    "draft_issued",
    "plan_issued",
    "plan_maintained",
]

#: The event types that may begin a case (any other needs a history before it).
FIRST_EVENTS: tuple[str, ...] = (
    "request_received",
    "la_became_responsible",
    "final_plan_issued",
    "plan_transferred",
    "record_opened",
)


class RecordOpened(BaseEvent):
    """The case's record starts here, part-way along the main line.

    Only a case's first event. ``state`` is the main-line state the case is in
    on ``on``; the optional anchors are the dates the source system holds:

    - ``request_received_on``: the request for an EHC needs assessment was
      received (the 6-, 16- and 20-week clocks run from it: regs 4, 5, 10, 13),
      and ``request_made_by`` who made it (no clock depends on it);
    - ``decision_on``: the LA notified its decision whether to assess (the
      outcome follows from ``state``: refused in ``assessment_refused``);
    - ``plan_made_on``: the plan was first made (CFA 2014 s. 44(1)(a));
    - ``last_review_on``: the LA notified its decision on the last annual
      review (s. 44(1)(b); the SEN2 item LastReview);
    - ``transferred_from_la``, ``transferred_on``: the plan was transferred in
      from another LA (reg. 15; from then it is treated as made by this LA on
      its original date).

    Two fields carry what a record holds beside the anchors, read by
    :func:`sendflow.sen2.build_return` and never by the compliance engine:
    ``named_settings`` (the settings named in the plan, section I, as
    :class:`~sendflow.plan.Placement`) and ``sen2`` (the request's other SEN2
    items, :class:`~sendflow.returns.SEN2Items`).

    Every anchor is on or before ``on``, the anchors come in the order the
    process runs, and they fit ``state`` (an assessment still open has no plan
    dates; a plan reviewed or transferred in is ``plan_maintained``). A
    transferred plan's request and decision belong to the old authority's
    record, so they are not given with ``transferred_on``.
    """

    type: Literal["record_opened"] = "record_opened"
    state: OpenState = Field(description="The main-line state the case is in on 'on'.")
    request_received_on: date | None = Field(
        default=None, description="The day the request for an assessment was received."
    )
    request_made_by: (
        Literal[
            "parent",
            "young_person",
            "school_or_setting",
            "health_professional",
            "social_care_professional",
            "other",
        ]
        | None
    ) = Field(
        default=None,
        description="Who made the request of request_received_on, as RequestReceived.made_by "
        "(kept for records such as SEN2's RequestSource; no deadline depends on it).",
    )
    decision_on: date | None = Field(
        default=None, description="The day the decision whether to assess was notified."
    )
    plan_made_on: date | None = Field(
        default=None, description="The day the EHC plan was first made (s. 44 reviews run from it)."
    )
    last_review_on: date | None = Field(
        default=None, description="The LA's decision date of the last annual review."
    )
    transferred_from_la: LACode | None = Field(
        default=None, description="The LA the plan was transferred from (reg. 15)."
    )
    transferred_on: date | None = Field(
        default=None, description="The day the plan was transferred to this LA (reg. 15(2))."
    )
    named_settings: tuple[Placement, ...] | None = Field(
        default=None,
        max_length=2,
        description="The settings named in the plan (section I; SEN2 PlanDetail, at most 2), "
        "when the source records them; only in a plan state. None: not recorded.",
    )
    sen2: SEN2Items | None = Field(
        default=None,
        description="The request's SEN2 items that no event dates (sendflow.returns.SEN2Items); "
        "the compliance engine does not read them.",
    )

    @model_validator(mode="after")
    def _check_anchors(self) -> RecordOpened:
        # Messages name fields, never their values.
        on = self.on
        anchors = (
            ("request_received_on", self.request_received_on),
            ("decision_on", self.decision_on),
            ("plan_made_on", self.plan_made_on),
            ("last_review_on", self.last_review_on),
            ("transferred_on", self.transferred_on),
        )
        for name, value in anchors:
            if value is not None and value > on:
                raise ValueError(f"{name} is after 'on' (an anchor dates what came before)")
        order = (
            ("request_received_on", "decision_on"),
            ("request_received_on", "plan_made_on"),
            ("decision_on", "plan_made_on"),
            ("plan_made_on", "last_review_on"),
            ("plan_made_on", "transferred_on"),
        )
        given = dict(anchors)
        for first, then in order:
            a, b = given[first], given[then]
            if a is not None and b is not None and b < a:
                raise ValueError(f"{then} is before {first}")
        state = self.state
        if state in PRE_PLAN_OPEN_STATES:
            for name in ("plan_made_on", "last_review_on", "transferred_on"):
                if given[name] is not None:
                    raise ValueError(f"{name} is given, but state is before a plan is made")
            if self.transferred_from_la is not None:
                raise ValueError("transferred_from_la is given, but state is before a plan is made")
        if state == "awaiting_decision" and self.decision_on is not None:
            raise ValueError("decision_on is given, but state 'awaiting_decision' has no decision")
        if state == "plan_issued" and (
            self.last_review_on is not None or self.transferred_on is not None
        ):
            raise ValueError(
                "a plan reviewed (last_review_on) or transferred in (transferred_on) is in "
                "state 'plan_maintained', not 'plan_issued'"
            )
        if self.request_made_by is not None and self.request_received_on is None:
            raise ValueError("request_made_by needs request_received_on")
        if self.named_settings is not None and state in PRE_PLAN_OPEN_STATES:
            raise ValueError("named_settings is given, but state is before a plan is made")
        if self.transferred_from_la is not None and self.transferred_on is None:
            raise ValueError("transferred_from_la needs transferred_on")
        if self.transferred_on is not None and (
            self.request_received_on is not None or self.decision_on is not None
        ):
            raise ValueError(
                "request_received_on and decision_on belong to the old LA's record: "
                "leave them out when transferred_on is given"
            )
        return self

    @property
    def plan_open(self) -> bool:
        """Whether a plan is in force on the day the record opens."""
        return self.state in PLAN_OPEN_STATES

    @property
    def review_anchor(self) -> date | None:
        """The date the next s. 44 review runs from: the last review, else the plan's making."""
        return self.last_review_on or self.plan_made_on


OPENING_EVENTS: tuple[type[BaseEvent], ...] = (RecordOpened,)

#: A case's opening rows: ``record_opened`` moves a new case to the state it
#: gives, and ``plan_transferred`` may start a new LA's own record of a plan
#: transferred to it. A part of the main line (``sendflow.workflows.MAIN``).
OPENING = WorkflowTable(
    "opening",
    initial="not_requested",
    final=OPEN_STATES,
    states=("not_requested", *OPEN_STATES),
    transitions=[
        *(T("not_requested", "record_opened", s, state=s) for s in OPEN_STATES),
        T("not_requested", "plan_transferred", "plan_maintained"),
    ],
)
