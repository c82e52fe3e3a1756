"""SEN support and the graduated approach (SEND Code of Practice, chapter 6).

Most children with SEN are supported by their school or setting without an EHC
plan ("SEN support"). The Code of Practice describes a *graduated approach*:
needs are identified early (:class:`ConcernRaised`), then support runs in
cycles of **assess, plan, do, review** (:class:`SupportCycle`, paras
6.44–6.56), with parents and the child involved. A :class:`SupportRecord`
holds the concerns and cycles and can list the evidence a request for an EHC
needs assessment usually draws on (:meth:`SupportRecord.evidence_for_request`,
para 9.14).

Everything here is guidance (the Code's "should"), not a statutory time limit;
the citations say so.

```python
>>> from datetime import date
>>> from sendflow.needs import AreaOfNeed
>>> record = SupportRecord(
...     concerns=(ConcernRaised(raised_by="parent", raised_on=date(2025, 9, 15),
...                             area=AreaOfNeed.COMMUNICATION_AND_INTERACTION),),
...     cycles=(SupportCycle(assessed_on=date(2025, 10, 1), plan_agreed_on=date(2025, 10, 8),
...                          review_due_on=date(2026, 1, 12),
...                          outcomes_sought=("Joins in group work",),
...                          provision=(Intervention(what="Small-group language sessions",
...                                                  who=ContactRole.TEACHING_ASSISTANT,
...                                                  how_often="3 x 20 minutes a week"),),
...                          parent_meetings=(date(2025, 10, 8),)),),
... )
>>> [item.kind.value for item in record.evidence_for_request() if item.held]
['nature_extent_context', 'action_taken']

```
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import Field, model_validator

from sendflow._base import SendflowModel
from sendflow.needs import AreaOfNeed
from sendflow.partners import ContactRole, ParticipationRecord, ViewsOf
from sendflow.rules import Citation, CitationKind

__all__ = [
    "EVIDENCE_FOR_REQUEST",
    "GRADUATED_APPROACH",
    "PARENT_MEETINGS_GUIDANCE",
    "PARENT_MEETINGS_PER_YEAR",
    "ConcernRaised",
    "ConcernRaisedBy",
    "EvidenceItem",
    "EvidenceKind",
    "Intervention",
    "Progress",
    "SupportCycle",
    "SupportRecord",
]

_COP_TITLE = "SEND Code of Practice: 0 to 25 years (2015)"
_COP_HREF = "https://www.gov.uk/government/publications/send-code-of-practice-0-to-25"


def _cop(provision: str, note: str | None = None) -> Citation:
    return Citation(
        title=_COP_TITLE,
        href=_COP_HREF,
        provision=provision,
        kind=CitationKind.CODE_OF_PRACTICE,
        note=note,
    )


#: The graduated approach: assess, plan, do, review (guidance).
GRADUATED_APPROACH: dict[str, Citation] = {
    "identification": _cop("paras 6.14-6.35", "identifying SEN early; the four broad areas"),
    "approach": _cop("para 6.44", "SEN support takes the form of a four-part cycle"),
    "assess": _cop("paras 6.45-6.47"),
    "plan": _cop("paras 6.48-6.51"),
    "do": _cop("paras 6.52-6.53"),
    "review": _cop("paras 6.54-6.56"),
}

#: Schools should meet the parents of a pupil on SEN support at least three times a year.
PARENT_MEETINGS_PER_YEAR = 3

#: Where that guidance comes from (a "should", not a statutory duty).
PARENT_MEETINGS_GUIDANCE = _cop(
    "para 6.65",
    "Where a pupil receives SEN support, schools should talk to parents regularly and "
    "meet them at least three times each year (guidance, not statute).",
)


class ConcernRaisedBy(StrEnum):
    """Who first raised a concern about a possible special educational need."""

    PARENT = "parent"
    CHILD = "child"
    YOUNG_PERSON = "young_person"
    CLASS_TEACHER = "class_teacher"
    SENCO = "senco"
    EARLY_YEARS_PRACTITIONER = "early_years_practitioner"
    HEALTH_PROFESSIONAL = "health_professional"
    SOCIAL_CARE = "social_care"
    OTHER = "other"


class ConcernRaised(SendflowModel):
    """Early identification: someone raised a concern on a date (Code of Practice 6.14-6.27).

    ```python
    >>> from datetime import date
    >>> ConcernRaised(raised_by="class_teacher", raised_on=date(2025, 11, 3)).area is None
    True

    ```
    """

    raised_by: ConcernRaisedBy
    raised_on: date
    area: AreaOfNeed | None = None
    summary: str | None = Field(default=None, repr=False)


class Intervention(SendflowModel):
    """A piece of SEN support: what is done, by whom, how often.

    ```python
    >>> Intervention(what="Precision teaching", who=ContactRole.TEACHING_ASSISTANT,
    ...              how_often="daily, 10 minutes").who.value
    'teaching_assistant'

    ```
    """

    what: str = Field(min_length=1)
    who: ContactRole | None = None
    how_often: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None

    @model_validator(mode="after")
    def _dates(self) -> Intervention:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValueError("ends_on: must not be before starts_on")
        return self


class Progress(StrEnum):
    """Progress found at a review, against the outcomes sought."""

    MORE_THAN_EXPECTED = "more_than_expected"
    EXPECTED = "expected"
    LESS_THAN_EXPECTED = "less_than_expected"
    NONE = "none"


Participant = ContactRole | ViewsOf


class SupportCycle(SendflowModel):
    """One assess–plan–do–review cycle of SEN support (Code of Practice 6.44–6.56).

    Dates run in order: assessed, plan agreed, review due (and reviewed, if it
    has happened). ``parent_meetings`` are the dates parents were met in the
    cycle; ``views`` records how the parent's and child's views were gathered.

    ```python
    >>> from datetime import date
    >>> SupportCycle(assessed_on=date(2026, 1, 5), plan_agreed_on=date(2025, 12, 1),
    ...              review_due_on=date(2026, 3, 1))
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for SupportCycle
      Value error, plan_agreed_on: must not be before assessed_on ...

    ```
    """

    assessed_on: date
    plan_agreed_on: date
    review_due_on: date
    reviewed_on: date | None = None
    outcomes_sought: tuple[str, ...] = Field(default=(), repr=False)
    provision: tuple[Intervention, ...] = ()
    participants: tuple[Participant, ...] = ()
    views: tuple[ParticipationRecord, ...] = ()
    parent_meetings: tuple[date, ...] = ()
    progress: Progress | None = None
    led_by: ContactRole | None = ContactRole.CLASS_TEACHER

    @model_validator(mode="after")
    def _order(self) -> SupportCycle:
        if self.plan_agreed_on < self.assessed_on:
            raise ValueError("plan_agreed_on: must not be before assessed_on")
        if self.review_due_on < self.plan_agreed_on:
            raise ValueError("review_due_on: must not be before plan_agreed_on")
        if self.reviewed_on is not None and self.reviewed_on < self.plan_agreed_on:
            raise ValueError("reviewed_on: must not be before plan_agreed_on")
        if self.progress is not None and self.reviewed_on is None:
            raise ValueError("progress: can only be recorded once the cycle is reviewed")
        return self

    @property
    def includes_parent_views(self) -> bool:
        """Whether the parent's views were gathered or the parent took part."""
        return ViewsOf.PARENT in self.participants or any(
            v.views_of is ViewsOf.PARENT for v in self.views
        )

    @property
    def includes_child_views(self) -> bool:
        """Whether the child's or young person's views were gathered or they took part."""
        voices = {ViewsOf.CHILD, ViewsOf.YOUNG_PERSON}
        return any(p in voices for p in self.participants) or any(
            v.views_of in voices for v in self.views
        )

    def is_review_overdue(self, as_of: date) -> bool:
        """Whether the review date has passed without a review.

        ```python
        >>> from datetime import date
        >>> c = SupportCycle(assessed_on=date(2026, 1, 5), plan_agreed_on=date(2026, 1, 12),
        ...                  review_due_on=date(2026, 3, 30))
        >>> c.is_review_overdue(date(2026, 3, 30)), c.is_review_overdue(date(2026, 3, 31))
        (False, True)

        ```
        """
        return self.reviewed_on is None and as_of > self.review_due_on


class EvidenceKind(StrEnum):
    """What a local authority looks at when deciding whether to assess (Code of Practice 9.14)."""

    ATTAINMENT_AND_PROGRESS = "attainment_and_progress"
    NATURE_EXTENT_CONTEXT = "nature_extent_context"
    ACTION_TAKEN = "action_taken"
    PROGRESS_ONLY_WITH_EXTRA_SUPPORT = "progress_only_with_extra_support"
    DEVELOPMENT_AND_HEALTH = "development_and_health"


#: Plain-English description of each kind of evidence, in the Code's order.
EVIDENCE_FOR_REQUEST: dict[EvidenceKind, str] = {
    EvidenceKind.ATTAINMENT_AND_PROGRESS: (
        "The child's attainment (or developmental milestones for younger children) "
        "and rate of progress."
    ),
    EvidenceKind.NATURE_EXTENT_CONTEXT: "What the SEN are, how severe, and in what context.",
    EvidenceKind.ACTION_TAKEN: "What the school or setting has already done to meet the SEN.",
    EvidenceKind.PROGRESS_ONLY_WITH_EXTRA_SUPPORT: (
        "Where progress has been made, that it came only with much more support than is "
        "usually provided."
    ),
    EvidenceKind.DEVELOPMENT_AND_HEALTH: (
        "Physical, emotional and social development and health needs, with evidence from "
        "clinicians and what other agencies have done."
    ),
}

_EVIDENCE_CITATION = _cop(
    "para 9.14",
    "The evidence a local authority should pay particular attention to when deciding "
    "whether an EHC needs assessment is necessary (guidance).",
)


class EvidenceItem(SendflowModel):
    """One kind of evidence for a request, and whether the record holds any."""

    kind: EvidenceKind
    description: str
    held: bool
    citation: Citation


class SupportRecord(SendflowModel):
    """A child's SEN support history: concerns raised and assess–plan–do–review cycles.

    ``evidence_held`` lets a user record evidence the model cannot infer (for
    example health reports).
    """

    concerns: tuple[ConcernRaised, ...] = ()
    cycles: tuple[SupportCycle, ...] = ()
    evidence_held: tuple[EvidenceKind, ...] = ()

    @model_validator(mode="after")
    def _cycles_in_order(self) -> SupportRecord:
        starts = [c.assessed_on for c in self.cycles]
        if starts != sorted(starts):
            raise ValueError("cycles: must be in date order of assessed_on")
        return self

    def parent_meetings_between(self, start: date, end: date) -> int:
        """Count the parent meetings from ``start`` to ``end`` inclusive.

        ```python
        >>> from datetime import date
        >>> SupportRecord().parent_meetings_between(date(2025, 9, 1), date(2026, 8, 31))
        0

        ```
        """
        days = {d for c in self.cycles for d in c.parent_meetings}
        return sum(1 for d in days if start <= d <= end)

    def meets_parent_meeting_guidance(self, start: date, end: date) -> bool:
        """Whether parents were met at least three times between ``start`` and ``end``.

        The caller chooses the year (e.g. an academic year, 1 September to 31
        August); see :data:`PARENT_MEETINGS_GUIDANCE` (Code of Practice 6.65).

        ```python
        >>> from datetime import date
        >>> SupportRecord().meets_parent_meeting_guidance(date(2025, 9, 1), date(2026, 8, 31))
        False

        ```
        """
        return self.parent_meetings_between(start, end) >= PARENT_MEETINGS_PER_YEAR

    def evidence_for_request(self) -> tuple[EvidenceItem, ...]:
        """List the evidence a request for an EHC needs assessment usually draws on.

        Each item says whether this record holds some: concerns with an area
        of need count as evidence of the nature of the SEN; cycles with
        provision as action taken; reviewed cycles as progress; a review with
        expected progress while extra provision ran as progress only with
        extra support. Anything else comes from ``evidence_held``.
        """
        held = set(self.evidence_held)
        if any(c.area is not None for c in self.concerns):
            held.add(EvidenceKind.NATURE_EXTENT_CONTEXT)
        if any(c.provision for c in self.cycles):
            held.add(EvidenceKind.ACTION_TAKEN)
        if any(c.progress is not None for c in self.cycles):
            held.add(EvidenceKind.ATTAINMENT_AND_PROGRESS)
        ok: set[Progress | None] = {Progress.EXPECTED, Progress.MORE_THAN_EXPECTED}
        if any(c.progress in ok and c.provision for c in self.cycles):
            held.add(EvidenceKind.PROGRESS_ONLY_WITH_EXTRA_SUPPORT)
        return tuple(
            EvidenceItem(kind=k, description=d, held=k in held, citation=_EVIDENCE_CITATION)
            for k, d in EVIDENCE_FOR_REQUEST.items()
        )
