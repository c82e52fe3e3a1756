"""sendflow.recording: the profiles and resolve (issue 14 point 4)."""

from __future__ import annotations

import pytest

from sendflow import InvalidArgument, recording


def test_profiles_are_sets_of_known_event_types() -> None:
    assert recording.SEN2 <= recording.ALL
    assert recording.MINIMAL <= recording.ALL
    assert {
        "record_opened", "request_received", "assessment_decision", "draft_plan_issued",
        "final_plan_issued", "review_decision", "plan_ceased"} == recording.MINIMAL
    assert "review_invitations_sent" not in recording.SEN2
    assert {"request_received", "final_plan_issued", "review_decision"} <= recording.SEN2


def test_resolve_names_profiles_and_lists() -> None:
    assert recording.resolve(None) is recording.ALL
    assert recording.resolve("SEN2") is recording.SEN2
    assert recording.resolve("request_received, final_plan_issued") == {
        "request_received", "final_plan_issued"}
    assert recording.resolve(("plan_ceased",)) == {"plan_ceased"}


@pytest.mark.parametrize("bad", [["request_recieved"], [3], 5, "nonsense_profile"])
def test_resolve_rejects_unknown_entries_without_echoing_them(bad: object) -> None:
    with pytest.raises(InvalidArgument) as info:
        recording.resolve(bad)  # type: ignore[arg-type]
    assert "recieved" not in str(info.value)
    assert "nonsense" not in str(info.value)
