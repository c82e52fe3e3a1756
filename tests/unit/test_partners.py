"""Advice kinds (SEND Regs 2014 reg. 6), contact roles, consent, participation, advice."""

from __future__ import annotations

import ast
import json
from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from sendflow.partners import (
    ADVICE_SOURCES,
    AdviceContribution,
    AdviceKind,
    ConsentToShare,
    ContactRole,
    ParticipationMethod,
    ParticipationRecord,
    Partner,
    ViewsOf,
)

PINNED = {
    "parent_or_young_person",
    "educational",
    "medical",
    "psychological",
    "social_care",
    "preparing_for_adulthood",
    "other",
}


def test_pinned_advice_kinds_present() -> None:
    assert {k.value for k in AdviceKind} >= PINNED
    assert {"qualified_teacher_sensory", "requested_by_parent", "youth_justice"} <= {
        k.value for k in AdviceKind
    }


@pytest.mark.parametrize(
    ("kind", "provision"),
    [
        (AdviceKind.PARENT_OR_YOUNG_PERSON, "reg. 6(1)(a)"),
        (AdviceKind.EDUCATIONAL, "reg. 6(1)(b)"),
        (AdviceKind.MEDICAL, "reg. 6(1)(c)"),
        (AdviceKind.PSYCHOLOGICAL, "reg. 6(1)(d)"),
        (AdviceKind.SOCIAL_CARE, "reg. 6(1)(e)"),
        (AdviceKind.OTHER, "reg. 6(1)(f)"),
        (AdviceKind.PREPARING_FOR_ADULTHOOD, "reg. 6(1)(g)"),
        (AdviceKind.REQUESTED_BY_PARENT, "reg. 6(1)(h)"),
    ],
)
def test_advice_sources_cite_reg_6(kind: AdviceKind, provision: str) -> None:
    src = ADVICE_SOURCES[kind]
    assert src.provision == provision
    assert src.href == "https://www.legislation.gov.uk/uksi/2014/1530/regulation/6"
    assert src.who_gives


def test_every_kind_has_a_source() -> None:
    assert set(ADVICE_SOURCES) == set(AdviceKind)


def test_partners_imports_only_pydantic_stdlib_base_and_errors() -> None:
    # The assessment events import partners, so partners must not import workflows or case.
    # (Importing the package runs sendflow/__init__.py, so check the module's own imports.)
    import sendflow.partners as module

    tree = ast.parse(Path(module.__file__ or "").read_text(encoding="utf-8"))
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
    ours = {m for m in imported if m.split(".")[0] == "sendflow"}
    assert ours <= {"sendflow._base", "sendflow.errors"}
    others = {m.split(".")[0] for m in imported} - {"sendflow"}
    allowed = {"__future__", "collections", "datetime", "enum", "types", "typing", "pydantic"}
    assert others <= allowed


def test_partner_hides_name_and_round_trips() -> None:
    p = Partner(role="senco", organisation="Example Primary", name="Hortensia", email="h@x.org")
    assert "Hortensia" not in repr(p)
    assert "x.org" not in repr(p)
    assert Partner.model_validate(p.model_dump(mode="json")) == p
    assert ContactRole.SENCO.label == "SENCO"
    assert ContactRole.EDUCATIONAL_PSYCHOLOGIST.label == "Educational psychologist"


def test_partner_bad_role_not_echoed() -> None:
    with pytest.raises(ValidationError) as info:
        Partner(role="Hortensia", name="Hortensia")
    assert info.value.errors()[0]["loc"] == ("role",)
    text = str(info.value) + json.dumps(info.value.errors(include_input=False), default=str)
    assert "Hortensia" not in text


def test_consent_in_force_until_withdrawn() -> None:
    consent = ConsentToShare(
        given_by="parent",
        given_on=date(2026, 1, 5),
        partners=(ContactRole.EDUCATIONAL_PSYCHOLOGIST, ContactRole.PAEDIATRICIAN),
        scope="EHC needs assessment",
        withdrawn_on=date(2026, 4, 1),
    )
    assert not consent.is_in_force(date(2026, 1, 4))
    assert consent.is_in_force(date(2026, 1, 5))
    assert consent.is_in_force(date(2026, 3, 31))
    assert not consent.is_in_force(date(2026, 4, 1))
    assert consent.covers(ContactRole.PAEDIATRICIAN, date(2026, 2, 1))
    assert not consent.covers(ContactRole.SOCIAL_WORKER, date(2026, 2, 1))
    assert ConsentToShare.model_validate(consent.model_dump(mode="json")) == consent


@pytest.mark.parametrize(
    ("data", "loc_or_msg"),
    [
        ({"given_by": "grandparent"}, "given_by"),
        ({"partners": []}, "partners"),
        ({"withdrawn_on": "2026-01-01"}, "withdrawn_on: must not be before given_on"),
        ({"scope": ""}, "scope"),
    ],
)
def test_consent_rejects(data: dict[str, object], loc_or_msg: str) -> None:
    base: dict[str, object] = {
        "given_by": "young_person",
        "given_on": "2026-01-05",
        "partners": ["senco"],
        "scope": "sharing reports",
    }
    with pytest.raises(ValidationError, match=loc_or_msg):
        ConsentToShare.model_validate({**base, **data})


def test_participation_record() -> None:
    rec = ParticipationRecord(
        views_of=ViewsOf.CHILD,
        gathered_on=date(2026, 2, 2),
        methods=(ParticipationMethod.ONE_PAGE_PROFILE, ParticipationMethod.OBSERVATION),
        gathered_by=ContactRole.EDUCATIONAL_PSYCHOLOGIST,
        summary="Likes trains; wants to sit near the window",
    )
    assert "trains" not in repr(rec)
    assert ParticipationRecord.model_validate(rec.model_dump(mode="json")) == rec
    with pytest.raises(ValidationError, match="methods"):
        ParticipationRecord(views_of="parent", gathered_on=date(2026, 2, 2), methods=())


def test_advice_contribution() -> None:
    advice = AdviceContribution(
        kind="medical",
        from_role="paediatrician",
        requested_on=date(2026, 2, 16),
        received_on=date(2026, 3, 20),
    )
    assert advice.source.provision == "reg. 6(1)(c)"
    assert not advice.is_received(date(2026, 3, 19))
    assert advice.is_received(date(2026, 3, 20))
    assert AdviceContribution.model_validate(advice.model_dump(mode="json")) == advice
    with pytest.raises(ValidationError, match="received_on: must not be before requested_on"):
        AdviceContribution(
            kind="medical",
            from_role="paediatrician",
            requested_on=date(2026, 2, 16),
            received_on=date(2026, 2, 1),
        )
    with pytest.raises(ValidationError) as info:
        AdviceContribution.model_validate(
            {"kind": "astrological", "from_role": "other", "requested_on": "2026-02-16"}
        )
    assert info.value.errors()[0]["loc"] == ("kind",)
