"""``sendflow sen2 schema``: a return checked against an XSD from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sendflow._cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sen2"


def test_valid_return_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sen2", "schema", str(FIXTURES / "return_2025.xml")]) == 0
    assert capsys.readouterr().out == "sen2_2025.xsd: valid\n"


def test_failures_are_listed_by_place_and_exit_1(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    data = (FIXTURES / "return_2026.xml").read_bytes()
    bad = tmp_path / "bad.xml"
    bad.write_bytes(data.replace(b"<Sex>F</Sex>", b"<Sex>Quinteroxa</Sex>"))
    assert main(["sen2", "schema", str(bad), "--format", "json"]) == 1
    out = capsys.readouterr().out
    assert "Quinteroxa" not in out
    doc = json.loads(out)
    assert doc["valid"] is False and doc["schema"] == "sen2_2026.xsd"
    assert doc["failures"] == [{"location": "Person[0].Sex",
                                "message": "the value is not one of the codes the schema "
                                           "allows here"}]
    # Any XSD: the reference one names its own defects (README in the fixtures).
    assert main(["sen2", "schema", str(FIXTURES / "return_2026.xml"), "--xsd",
                 str(FIXTURES / "liia" / "sen2_schema_2026.xsd")]) == 1
    text = capsys.readouterr().out
    assert text.startswith("sen2_schema_2026.xsd: 4 failures\n")
    assert "  Person[0].UniqueLearnerNumber: the value does not have the form" in text


def test_unreadable_file_or_schema_exits_3(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sen2", "schema", str(tmp_path / "missing.xml")]) == 3
    broken = tmp_path / "broken.xml"
    broken.write_bytes(b"<Message>")
    assert main(["sen2", "schema", str(broken)]) == 3
    assert main(["sen2", "schema", str(FIXTURES / "return_2026.xml"), "--xsd",
                 str(tmp_path / "none.xsd")]) == 3
    err = capsys.readouterr().err
    assert "cannot read the file" in err and "not well formed" in err
