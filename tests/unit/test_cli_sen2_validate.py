"""``sendflow sen2 validate``: every validation rule and pre-submission check of a return
from the command line (issue 16 point 6), by place, never a value."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sendflow._cli import main
from sendflow.sen2 import from_xml, statistics, validate

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sen2"
R2025, R2026 = str(FIXTURES / "return_2025.xml"), str(FIXTURES / "return_2026.xml")


def test_the_cli_reports_what_validate_reports(capsys: pytest.CaptureFixture[str]) -> None:
    expected = validate(from_xml(Path(R2026).read_bytes()))
    assert expected.ok and expected.queries  # the fixture has a query (SF0506), no error
    assert main(["sen2", "validate", R2026, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["valid"] is True and doc["year"] == 2026
    assert [(f["code"], f["location"]) for f in doc["failures"]] == [
        (f.code, f.location) for f in expected.failures]
    assert main(["sen2", "validate", R2026]) == 0
    text = capsys.readouterr().out
    assert text.endswith(f"SEN2 2026: 0 errors, {len(expected.queries)} queries\n")


def test_an_error_exits_1_and_names_the_place_never_the_value(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_bytes(Path(R2026).read_bytes().replace(b"<Ethnicity>WENG", b"<Ethnicity>QXQX", 1))
    assert main(["sen2", "validate", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "error: Person[0]: [SF0108] Ethnicity is not a valid code" in out
    assert "QX" not in out


def test_figures_and_last_years_return(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    ours = statistics(from_xml(Path(R2026).read_bytes()))
    figures = tmp_path / "figures.csv"
    # Hand-set: our requests figure one more than the return's, plans issued equal.
    figures.write_text(f"figure,value\nrequests,{ours['requests'] + 1}\n"
                       f"plans_issued,{ours['plans_issued']}\n", encoding="utf-8")
    assert main(["sen2", "validate", R2026, "--figures", str(figures), "--format",
                 "json"]) == 0  # a query, not an error
    rows = json.loads(capsys.readouterr().out)["failures"]
    assert [r["location"] for r in rows if r["code"] == "SF0711"] == ["Figures.requests"]
    # Last year's return: the same as validate(previous=...), thresholds passed through.
    this, last = (from_xml(Path(p).read_bytes()) for p in (R2026, R2025))
    expected = [f.location for f in validate(this, previous=last, threshold=0.0,
                                             min_count=0).failures if f.code == "SF0710"]
    assert main(["sen2", "validate", R2026, "--previous", R2025, "--threshold", "0",
                 "--min-count", "0", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["failures"]
    assert [r["location"] for r in rows if r["code"] == "SF0710"] == expected


def test_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Not the year before's return, or a figures file naming no figure: usage, exit 2.
    assert main(["sen2", "validate", R2026, "--previous", R2026]) == 2
    assert "previous must be the return of the collection year before" in (
        capsys.readouterr().err)
    figures = tmp_path / "f.csv"
    figures.write_text("figure,value\nnot_a_figure,3\n", encoding="utf-8")
    assert main(["sen2", "validate", R2026, "--figures", str(figures)]) == 2
    assert "row 2: not a figure name" in capsys.readouterr().err
    # A file that is not a SEN2 return: 1; a file that is not there: 3.
    junk = tmp_path / "junk.xml"
    junk.write_text("<Message><Nope/></Message>", encoding="utf-8")
    assert main(["sen2", "validate", str(junk)]) == 1
    assert main(["sen2", "validate", str(tmp_path / "absent.xml")]) == 3
    assert "Traceback" not in capsys.readouterr().err
