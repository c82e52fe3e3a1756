"""Need types (DfE codes as dated data), areas of need (CoP 6.28-6.35) and NeedsProfile."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from sendflow.errors import UnknownCode
from sendflow.needs import (
    AreaOfNeed,
    Need,
    NeedRank,
    NeedsProfile,
    NeedType,
    area_of,
    need_types,
)

SEN2_2024 = {"SPLD", "MLD", "SLD", "PMLD", "SEMH", "SLCN", "HI", "VI", "MSI", "PD", "ASD", "OTH"}


def test_every_member_has_dated_sourced_data() -> None:
    for code in NeedType:
        assert code.description
        rows = [r for r in need_types(date(2030, 1, 1)) if r.code is code]
        assert rows, code
        assert rows[0].source.href.startswith("https://")


def test_sen2_codes_2024_collection() -> None:
    # sen2.md 3.8: the 2024 collection has the twelve long-standing codes, no DS, no NSA.
    assert {t.code.value for t in need_types(date(2024, 1, 18), "sen2")} == SEN2_2024


def test_down_syndrome_from_2025_collection() -> None:
    # sen2.md 3.8 and 7: DS is new in the 2025 collection (census 16 January 2025).
    assert NeedType.DS not in {t.code for t in need_types(date(2025, 1, 15), "sen2")}
    assert NeedType.DS in {t.code for t in need_types(date(2025, 1, 16), "sen2")}


def test_nsa_is_school_census_only() -> None:
    census = {t.code for t in need_types(date(2026, 1, 15), "school_census")}
    sen2 = {t.code for t in need_types(date(2026, 1, 15), "sen2")}
    assert NeedType.NSA in census
    assert NeedType.NSA not in sen2
    assert not NeedType.NSA.is_sen2_code


def test_nothing_before_2014_reforms() -> None:
    assert need_types(date(2014, 8, 31)) == ()


@pytest.mark.parametrize(
    ("code", "area"),
    [
        (NeedType.ASD, AreaOfNeed.COMMUNICATION_AND_INTERACTION),
        (NeedType.SLCN, AreaOfNeed.COMMUNICATION_AND_INTERACTION),
        (NeedType.MLD, AreaOfNeed.COGNITION_AND_LEARNING),
        (NeedType.PMLD, AreaOfNeed.COGNITION_AND_LEARNING),
        (NeedType.SEMH, AreaOfNeed.SOCIAL_EMOTIONAL_MENTAL_HEALTH),
        (NeedType.MSI, AreaOfNeed.SENSORY_AND_OR_PHYSICAL),
        (NeedType.PD, AreaOfNeed.SENSORY_AND_OR_PHYSICAL),
        (NeedType.OTH, None),
        (NeedType.DS, None),
    ],
)
def test_area_of(code: NeedType, area: AreaOfNeed | None) -> None:
    assert area_of(code) is area


def test_profile_primary_and_secondary() -> None:
    profile = NeedsProfile.of(NeedType.ASD, NeedType.SEMH)
    assert profile.primary.need_type is NeedType.ASD
    assert profile.secondary is not None
    assert profile.secondary.rank is NeedRank.SECONDARY
    assert profile.areas == {
        AreaOfNeed.COMMUNICATION_AND_INTERACTION,
        AreaOfNeed.SOCIAL_EMOTIONAL_MENTAL_HEALTH,
    }
    assert NeedsProfile.model_validate(profile.model_dump(mode="json")) == profile


@pytest.mark.parametrize(
    ("needs", "message"),
    [
        ([], "at least 1"),
        ([{"need_type": "HI", "rank": 2}], "exactly one need must have rank 1"),
        ([{"need_type": "HI"}, {"need_type": "VI"}], "exactly one need must have rank 1"),
        ([{"need_type": "HI"}, {"need_type": "HI", "rank": 2}], "same need type"),
        (
            [{"need_type": "HI"}, {"need_type": "VI", "rank": 2}, {"need_type": "PD", "rank": 2}],
            "at most 2",
        ),
    ],
)
def test_profile_rejects(needs: list[dict[str, object]], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        NeedsProfile.model_validate({"needs": needs})


def test_unknown_code_names_field() -> None:
    with pytest.raises(ValidationError) as info:
        Need.model_validate({"need_type": "BESD", "description": "private note"})
    assert info.value.errors()[0]["loc"] == ("need_type",)
    assert "private note" not in str(info.value)


def test_check_codes() -> None:
    NeedsProfile.of(NeedType.DS).check_codes(date(2026, 1, 15), "sen2")
    with pytest.raises(UnknownCode, match=r"needs\[0\]"):
        NeedsProfile.of(NeedType.DS).check_codes(date(2024, 1, 18), "sen2")
    with pytest.raises(UnknownCode, match=r"needs\[1\]"):
        NeedsProfile.of(NeedType.MLD, NeedType.NSA).check_codes(date(2026, 1, 15), "sen2")


def test_need_description_hidden_from_repr() -> None:
    assert "secret" not in repr(Need(need_type=NeedType.VI, description="secret"))
