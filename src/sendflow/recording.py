"""What a source system records: named sets of event types for ``evaluate(..., recorded=...)``.

A case system that never records, say, review invitations cannot show them
as sent, so every review's invitation deadline would look missed. Telling
:func:`sendflow.evaluate` which event types the system records turns each
deadline whose meeting event is not among them into ``not_recorded`` (never
``overdue`` or ``missed``), with a note naming the event the system would
need to record. States are unaffected.

Profiles:

- :data:`ALL`: every event type (the default).
- :data:`SEN2`: the events a DfE SEN2 person-level return can hold (request,
  its outcome or withdrawal, the assessment outcome, the plan's start,
  transfer in, review meeting and decision, the final plan at a phase
  transfer, exceptions to the 20-week limit, ceasing).
- :data:`MINIMAL`: request, decision whether to assess, draft plan, final
  plan, review decision and ceasing.

```python
>>> "review_invitations_sent" in SEN2, "review_decision" in MINIMAL
(False, True)
>>> sorted(resolve(["request_received", "final_plan_issued"]))
['final_plan_issued', 'request_received']
>>> resolve("minimal") == MINIMAL
True

```
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

from sendflow.errors import InvalidArgument
from sendflow.workflows import EVENT_CLASSES

__all__ = ["ALL", "MINIMAL", "PROFILES", "SEN2", "resolve"]

#: Every event type sendflow knows.
ALL: frozenset[str] = frozenset(cls.model_fields["type"].default for cls in EVENT_CLASSES)

#: The events a SEN2 return can hold (sen2.md §3: modules 2-5a): the request
#: (ReceivedDate) and its outcome (RequestOutcome, RequestOutcomeDate, W for
#: withdrawn), the assessment outcome (AssessmentOutcomeDate: the plan issued
#: or the notice that none will be), the plan (StartDate, TransferLA,
#: CeaseDate), the review (ReviewMeeting, LastReview = the decision), the
#: final plan at a phase transfer (PhaseTransferFinalDate, with its due date)
#: and the 20-week exception flag.
SEN2: frozenset[str] = frozenset(
    {
        "record_opened",
        "request_received",
        "assessment_decision",
        "request_withdrawn",
        "no_plan_notice_sent",
        "final_plan_issued",
        "plan_transferred",
        "review_meeting_held",
        "review_decision",
        "phase_transfer_scheduled",
        "amended_plan_issued",
        "exception_recorded",
        "plan_ceased",
    }
)

#: The least a case system holds: request, decision, draft, final plan,
#: review decision, ceasing (and the opening of a record part-way).
MINIMAL: frozenset[str] = frozenset(
    {
        "record_opened",
        "request_received",
        "assessment_decision",
        "draft_plan_issued",
        "final_plan_issued",
        "review_decision",
        "plan_ceased",
    }
)

#: The profiles by name (what ``sendflow check --recorded NAME`` accepts).
PROFILES: Mapping[str, frozenset[str]] = MappingProxyType(
    {"all": ALL, "sen2": SEN2, "minimal": MINIMAL}
)


def resolve(recorded: str | Iterable[str] | None) -> frozenset[str]:
    """The event types ``recorded`` names: a profile name, or an iterable of event types.

    ``None`` is :data:`ALL`. A profile name is ``"all"``, ``"sen2"`` or
    ``"minimal"``; a comma-separated string of event types is accepted too
    (as the command line gives it).

    Raises:
        InvalidArgument: an entry is not an event type (or not a string).
    """
    if recorded is None:
        return ALL
    if isinstance(recorded, frozenset) and recorded <= ALL:
        return recorded  # a profile, or a set checked before
    if isinstance(recorded, str):
        profile = PROFILES.get(recorded.strip().lower())
        if profile is not None:
            return profile
        recorded = [part.strip() for part in recorded.split(",") if part.strip()]
    try:
        given = list(recorded)
    except TypeError:
        raise InvalidArgument(
            "recorded: give event type names or a profile (sendflow.recording.ALL, SEN2, MINIMAL)"
        ) from None
    for entry in given:
        if not isinstance(entry, str):
            raise InvalidArgument("recorded: each entry must be an event type name (a string)")
        if entry not in ALL:
            raise InvalidArgument(
                "recorded: an entry is not an event type (see sendflow.recording.ALL)"
            )
    return frozenset(given)
