"""SEN support and the graduated approach (SEND Code of Practice 6.44-6.56, 6.65, 9.14)."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from sendflow.needs import AreaOfNeed
from sendflow.partners import ContactRole, ParticipationRecord, ViewsOf
from sendflow.support import (
    GRADUATED_APPROACH,
    PARENT_MEETINGS_GUIDANCE,
    PARENT_MEETINGS_PER_YEAR,
    ConcernRaised,
    EvidenceKind,
    Intervention,
    Progress,
    SupportCycle,
    SupportRecord,
)

SECRET = "Wilhelmina finds reading aloud distressing"


def cycle(**overrides: object) -> SupportCycle:
    data: dict[str, object] = {
        "assessed_on": date(2025, 9, 15),
        "plan_agreed_on": date(2025, 9, 22),
        "review_due_on": date(2025, 12, 12),
        "outcomes_sought": (SECRET,),
        "provision": (
            Intervention(
                what="Phonics catch-up", who=ContactRole.TEACHING_ASSISTANT, how_often="daily"
            ),
        ),
        "participants": (ContactRole.SENCO, ViewsOf.PARENT),
        "views": (
            ParticipationRecord(
                views_of=ViewsOf.CHILD, gathered_on=date(2025, 9, 18), methods=("conversation",)
            ),
        ),
        "parent_meetings": (date(2025, 9, 22),),
    }
    data.update(overrides)
    return SupportCycle.model_validate(data)


def test_guidance_is_cited_as_code_of_practice() -> None:
    assert PARENT_MEETINGS_PER_YEAR == 3
    assert PARENT_MEETINGS_GUIDANCE.provision == "para 6.65"
    assert PARENT_MEETINGS_GUIDANCE.kind == "code_of_practice"
    assert set(GRADUATED_APPROACH) >= {"assess", "plan", "do", "review"}


def test_cycle_good_and_round_trip() -> None:
    c = cycle()
    assert c.includes_parent_views
    assert c.includes_child_views
    assert SECRET not in repr(c)
    assert SupportCycle.model_validate(c.model_dump(mode="json")) == c


def test_cycle_without_voices() -> None:
    c = cycle(participants=(ContactRole.SENCO,), views=())
    assert not c.includes_parent_views
    assert not c.includes_child_views


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"plan_agreed_on": date(2025, 9, 1)}, "plan_agreed_on: must not be before assessed_on"),
        ({"review_due_on": date(2025, 9, 21)}, "review_due_on: must not be before plan_agreed"),
        ({"reviewed_on": date(2025, 9, 20)}, "reviewed_on: must not be before plan_agreed_on"),
        ({"progress": "expected"}, "progress: can only be recorded once the cycle is reviewed"),
        ({"participants": ("astrologer",)}, "participants"),
    ],
)
def test_cycle_rejects(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message) as info:
        cycle(**overrides)
    assert SECRET not in str(info.value)


def test_review_overdue() -> None:
    c = cycle()
    assert not c.is_review_overdue(date(2025, 12, 12))
    assert c.is_review_overdue(date(2025, 12, 13))
    assert not cycle(reviewed_on=date(2025, 12, 10)).is_review_overdue(date(2026, 1, 1))


def test_intervention_dates() -> None:
    with pytest.raises(ValidationError, match="ends_on"):
        Intervention(what="x", starts_on=date(2026, 1, 2), ends_on=date(2026, 1, 1))


def test_parent_meetings_three_times_a_year() -> None:
    # CoP 6.65: at least three meetings a year. Count over academic year 2025/26.
    record = SupportRecord(
        cycles=(
            cycle(parent_meetings=(date(2025, 9, 22), date(2025, 12, 12))),
            cycle(
                assessed_on=date(2026, 1, 5),
                plan_agreed_on=date(2026, 1, 12),
                review_due_on=date(2026, 3, 27),
                parent_meetings=(date(2026, 1, 12),),
            ),
        )
    )
    year = (date(2025, 9, 1), date(2026, 8, 31))
    assert record.parent_meetings_between(*year) == 3
    assert record.meets_parent_meeting_guidance(*year)
    assert not record.meets_parent_meeting_guidance(date(2025, 9, 1), date(2025, 12, 31))


def test_cycles_must_be_in_order() -> None:
    later = cycle(
        assessed_on=date(2026, 1, 5),
        plan_agreed_on=date(2026, 1, 12),
        review_due_on=date(2026, 3, 27),
    )
    with pytest.raises(ValidationError, match="cycles: must be in date order"):
        SupportRecord(cycles=(later, cycle()))


def test_evidence_for_request_lists_cop_9_14_items() -> None:
    # CoP 9.14 lists five kinds of evidence; an empty record holds none of them.
    items = SupportRecord().evidence_for_request()
    assert [i.kind for i in items] == list(EvidenceKind)
    assert not any(i.held for i in items)
    assert all(i.citation.provision == "para 9.14" for i in items)


def test_evidence_for_request_derived_from_record() -> None:
    record = SupportRecord(
        concerns=(
            ConcernRaised(
                raised_by="parent",
                raised_on=date(2025, 9, 8),
                area=AreaOfNeed.COGNITION_AND_LEARNING,
                summary=SECRET,
            ),
        ),
        cycles=(cycle(reviewed_on=date(2025, 12, 12), progress=Progress.EXPECTED),),
        evidence_held=(EvidenceKind.DEVELOPMENT_AND_HEALTH,),
    )
    held = {i.kind for i in record.evidence_for_request() if i.held}
    assert held == set(EvidenceKind)
    assert SupportRecord.model_validate(record.model_dump(mode="json")) == record
    assert SECRET not in repr(record)


def test_concern_rejects_unknown_raiser() -> None:
    with pytest.raises(ValidationError) as info:
        ConcernRaised.model_validate(
            {"raised_by": "neighbour", "raised_on": "2025-09-08", "summary": SECRET}
        )
    assert info.value.errors()[0]["loc"] == ("raised_by",)
    assert SECRET not in str(info.value)
