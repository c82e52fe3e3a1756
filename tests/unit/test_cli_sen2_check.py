"""``sendflow check --sen2``: a return from a file, a folder, a zip or standard input, and
what it holds that its cases cannot carry, counted by item or listed by place."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sendflow._cli import _unkept_item, _unkept_summary, main
from sendflow.sen2 import SEN2Error, Unkept, to_cases, to_csv, to_xml
from sendflow.sen2 import _csv as sen2_csv

sys.path.insert(0, str(Path(__file__).parent))
from test_sen2_tocases import AWAITING, HAND, _person, _ret

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "sen2-return-2026.xml"
ENV = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2] / "src")}

# Three requests with no RequestSource (each read as made by 'other', one note each), and
# one with no ReceivedDate, which cannot become a case (left out, as a bad line).
NO_SOURCE = AWAITING.model_copy(update={"request_source": None})
UNDATED = AWAITING.model_copy(update={"received_date": None})
NOTED = _ret(_person(1, NO_SOURCE), _person(2, NO_SOURCE, NO_SOURCE), _person(3, UNDATED))


def _zip(tables: dict[str, str], folder: str = "") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in tables.items():
            zf.writestr(f"{folder}{name}.csv", text)
    return buf.getvalue()


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# ------------------------------------------------------------------ item 1: inputs
def test_xml_on_standard_input_reads_as_the_file(monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    from_file = _run(["check", str(EXAMPLE), "--sen2", "--format", "json"], capsys)
    _stdin(monkeypatch, EXAMPLE.read_bytes())
    from_stdin = _run(["check", "-", "--sen2", "--format", "json"], capsys)
    assert from_file[0] == from_stdin[0] == 0
    assert from_stdin == from_file
    assert sum('"report"' in line for line in from_stdin[1].splitlines()) == 10


def test_a_zip_of_blade_csv_reads_as_the_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "blade"
    folder.mkdir()
    for name, text in to_csv(HAND).items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8", newline="")
    expect = _run(["check", str(folder), "--sen2", "--format", "csv"], capsys)
    assert expect[0] == 0 and expect[1].count("\n") > 12
    archive = tmp_path / "blade.zip"
    archive.write_bytes(_zip(to_csv(HAND), folder="Blade export/"))
    assert _run(["check", str(archive), "--sen2", "--format", "csv"], capsys) == expect
    _stdin(monkeypatch, archive.read_bytes())
    assert _run(["check", "-", "--sen2", "--format", "csv"], capsys) == expect


def test_a_pipe_from_the_shell(tmp_path: Path) -> None:
    archive = tmp_path / "blade.zip"
    archive.write_bytes(_zip(to_csv(HAND)))
    for source in (EXAMPLE, archive):
        done = subprocess.run(
            ["bash", "-c", f"cat '{source}' | {sys.executable} -m sendflow check - --sen2"],
            capture_output=True, text=True, env=ENV, timeout=120)
        assert done.returncode == 0, done.stderr
        assert "Summary as of 2026-01-15" in done.stdout and "Traceback" not in done.stderr
    closed = subprocess.run(
        ["bash", "-c", f"{sys.executable} -m sendflow check - --sen2 <&-"],
        capture_output=True, text=True, env=ENV, timeout=120)
    assert closed.returncode == 3 and "standard input is closed" in closed.stderr


def test_exit_codes_are_those_of_any_check_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    # 3: cannot be read at all (missing, no permission), as docs/reference/cli.md says.
    code, _, err = _run(["check", str(tmp_path / "missing.xml"), "--sen2"], capsys)
    assert code == 3 and "cannot read" in err
    # 1: read, but not a SEN2 return (from a file or from standard input alike).
    junk = tmp_path / "junk.xml"
    junk.write_bytes(b"not xml at all")
    assert _run(["check", str(junk), "--sen2"], capsys)[0] == 1
    _stdin(monkeypatch, b"not xml at all")
    code, _, err = _run(["check", "-", "--sen2"], capsys)
    assert code == 1 and "cannot read the SEN2 return" in err
    # 2: --unkept goes with --sen2 only.
    cases = tmp_path / "cases.jsonl"
    cases.write_text("")
    assert _run(["check", str(cases), "--unkept", "list"], capsys)[0] == 2


@pytest.mark.parametrize(("entries", "message"), [
    ({"sen2.csv": "x", "notes.txt": "x"}, "file 2 is not a SEN2 table"),
    ({"a/sen2.csv": "x", "b/SEN2.csv": "x"}, "file 2 repeats the sen2 table"),
    ({"__MACOSX/._person.csv": "x"}, "file 1 is not a SEN2 table"),
])
def test_a_zip_holds_only_tables_each_once(entries: dict[str, str], message: str) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, text in entries.items():
            zf.writestr(name, text)
    with pytest.raises(SEN2Error) as info:
        sen2_csv.tables_from_zip(buf.getvalue())
    assert message in str(info.value)
    assert "notes" not in str(info.value) and "MACOSX" not in str(info.value)


def test_hostile_zips_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(SEN2Error, match="not a readable zip"):
        sen2_csv.tables_from_zip(b"PK\x03\x04 and then nothing")
    marked = bytearray(_zip({"sen2": "x"}))  # the "encrypted" bit set in both headers
    for header, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        marked[marked.find(header) + offset] |= 0x1
    with pytest.raises(SEN2Error, match="file 1 is encrypted"):
        sen2_csv.tables_from_zip(bytes(marked))
    big = _zip({"sen2": "a" * 5000, "person": "b" * 5000})  # compresses to little
    monkeypatch.setattr(sen2_csv, "MAX_ZIP_BYTES", 9999)
    with pytest.raises(SEN2Error, match="larger than 9999 bytes"):
        sen2_csv.tables_from_zip(big)


# ------------------------------------------------------------ item 2: the summary
def test_unkept_item_drops_indices_and_keeps_the_last_two_parts() -> None:
    assert _unkept_item("Person[3].Requests[0].ActivePlans[0].PlacementDetail[1].EntryDate") \
        == "PlacementDetail.EntryDate"
    assert _unkept_item("Person[0].Requests[1].Assessment[0].NamedPlan[0].PlanDetail[1]") \
        == "NamedPlan.PlanDetail"
    assert _unkept_item("Person[12]") == "Person"


def test_the_summary_counts_by_item_and_reason_most_first() -> None:
    unkept = [Unkept("Person[0].Requests[0].RYA", "r1"),
              Unkept("Person[1].Requests[0].Exported", "r1"),
              Unkept("Person[1].Requests[2].Exported", "r1"),
              Unkept("Person[2].Requests[0].Exported", "r2"),
              Unkept("Person[3].Requests[0]", "no date", left_out=True)]
    assert _unkept_summary(unkept) == [("Requests.Exported", "r1", 2),
                                       ("Requests.Exported", "r2", 1),
                                       ("Requests.RYA", "r1", 1)]


def test_check_prints_the_summary_by_default(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "return.xml"
    path.write_bytes(to_xml(NOTED))
    code, out, err = _run(["check", str(path), "--sen2"], capsys)
    assert code == 1  # the undated request could not be checked: as a bad line
    lines = err.splitlines()
    # The request left out is listed by place, as a bad line is.
    assert "sendflow check: Person[2].Requests[0]: ReceivedDate is blank: the request " \
           "cannot become a case" in lines
    # Three requests without RequestSource: one line for the three, by item.
    assert ("sendflow check:   Requests.RequestSource: 3 records: is blank: the request is "
            "read as made by 'other' (code 5)") in lines
    assert not any(line.startswith("sendflow check: Person[1].Requests[1].") for line in lines)
    assert "Summary as of 2026-01-15: 3 cases checked, 1 invalid lines" in out


def test_the_summary_counts_what_the_list_lists(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, listed = _run(["check", str(EXAMPLE), "--sen2", "--unkept", "list"], capsys)
    assert code == 0
    places = [line.removeprefix("sendflow check: ") for line in listed.splitlines()
              if line.startswith("sendflow check: Person[")]
    assert places == [str(u) for u in to_cases(_example()).unkept]
    code, _, summary = _run(["check", str(EXAMPLE), "--sen2"], capsys)
    counted: Counter[str] = Counter()
    for line in summary.splitlines():
        if line.startswith("sendflow check:   "):
            item, n, _reason = line.removeprefix("sendflow check:   ").split(": ", 2)
            counted[item] += int(n.split()[0].replace(",", ""))
    assert counted == Counter(_unkept_item(p.split(": ", 1)[0]) for p in places)
    assert code == 0
    assert not any(line.startswith("sendflow check: Person[") for line in summary.splitlines())


def _example() -> Any:
    from sendflow.sen2 import from_xml

    return from_xml(EXAMPLE.read_bytes())


def test_json_carries_the_summary_or_the_list(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "return.xml"
    path.write_bytes(to_xml(NOTED))
    code, out, _ = _run(["check", str(path), "--sen2", "--format", "json"], capsys)
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 1
    assert {"line": "Person[2].Requests[0]",
            "error": "ReceivedDate is blank: the request cannot become a case"} in rows
    assert {"unkept": {"item": "Requests.RequestSource",
                       "reason": "is blank: the request is read as made by 'other' (code 5)",
                       "records": 3}} in rows
    assert sum("report" in row for row in rows) == 3
    first_report = next(i for i, row in enumerate(rows) if "report" in row)
    assert all("report" in row for row in rows[first_report:])  # unkept lines come first
    code, out, _ = _run(["check", str(path), "--sen2", "--format", "json", "--unkept", "list"],
                        capsys)
    rows = [json.loads(line) for line in out.splitlines()]
    assert [row["unkept"]["location"] for row in rows if "unkept" in row] == [
        "Person[0].Requests[0].RequestSource", "Person[1].Requests[0].RequestSource",
        "Person[1].Requests[1].RequestSource"]


def test_no_value_is_printed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    req = NO_SOURCE.model_copy(update={"received_date": date(2025, 10, 6), "exported": "207",
                                       "rya": True})
    ret = _ret(_person(1, req))
    path = tmp_path / "return.xml"
    path.write_bytes(to_xml(ret))
    for mode in ("summary", "list"):
        for fmt in ("text", "json"):
            _, out, err = _run(["check", str(path), "--sen2", "--unkept", mode,
                                "--format", fmt], capsys)
            unkept_text = err + "".join(line for line in out.splitlines() if "unkept" in line)
            for value in ("207", "Smith", "Ann", "2015-03-01", "2025-10-06"):
                assert value not in unkept_text
