"""``check --as-of-each STEP --from D --to E`` and ``--totals`` (issue 19 point 2)."""

from __future__ import annotations

import csv
import json
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sendflow import Case
from sendflow._cli import main
from sendflow.synth import synthesise

DATES = ["2025-01-31", "2025-02-28", "2025-03-31", "2025-04-30"]


@pytest.fixture(scope="module")
def caseload(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = list(synthesise(120, seed=21))
    path = tmp_path_factory.mktemp("many") / "cases.jsonl"
    path.write_text("\n".join(json.dumps(c) for c in data) + "\n", encoding="utf-8")
    return path


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> list[dict[str, Any]]:
    assert main(["check", *argv, "--format", "json", "--quiet"]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_each_month_is_each_single_date(caseload: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    many = _json(capsys, str(caseload), "--as-of-each", "month", "--from", "2025-01-31",
                 "--to", "2025-05-15")
    assert sorted({r["report"]["as_of"] for r in many}) == DATES  # 31st, or the month's end
    single: list[dict[str, Any]] = []
    for on in DATES:
        single += _json(capsys, str(caseload), "--as-of", on)
    key = lambda r: (r["line"], r["report"]["as_of"])  # noqa: E731
    assert [key(r) for r in many] == sorted(key(r) for r in many)  # by line, then date
    assert sorted(many, key=key) == sorted(single, key=key)


def test_text_gives_the_summary_for_each_date(caseload: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(caseload), "--as-of-each", "quarter", "--from", "2025-01-31",
                 "--to", "2025-12-31", "--rules", "assessment.decision"]) == 0
    out = capsys.readouterr().out
    assert "Summary for 4 dates from 2025-01-31 to 2025-10-31: 120 cases checked" in out
    rows = [line.split() for line in out.splitlines() if line[:4] == "2025"]
    assert [r[0] for r in rows] == ["2025-01-31", "2025-04-30", "2025-07-31", "2025-10-31"]
    assert not any(line.startswith("line ") for line in out.splitlines())
    assert main(["check", str(caseload), "--as-of", "2025-07-31", "--rules",
                 "assessment.decision"]) == 0
    single = capsys.readouterr().out.splitlines()
    counts = next(line.split()[1:] for line in single if line.startswith("assessment."))
    assert rows[2][2:] == counts  # the same counts as a run on that date alone


def test_csv_rows_carry_their_date(caseload: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(caseload), "--as-of-each", "week", "--from", "2025-03-03",
                 "--to", "2025-03-17", "--format", "csv", "--quiet"]) == 0
    rows = list(csv.reader(capsys.readouterr().out.splitlines()))
    assert rows[0][:2] == ["as_of", "line"]
    assert {r[0] for r in rows[1:]} == {"2025-03-03", "2025-03-10", "2025-03-17"}


def test_totals_by_date_la_rule_and_status(caseload: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "totals.csv"
    reports = _json(capsys, str(caseload), "--as-of-each", "month", "--from", "2025-01-31",
                    "--to", "2025-03-31", "--totals", str(target))
    cases = [Case.model_validate_json(line)
             for line in caseload.read_text(encoding="utf-8").splitlines()]
    expected: Counter[tuple[str, str, str, str]] = Counter()
    for r in reports:
        case = cases[r["line"] - 1]
        la = case.responsible_la or (case.child.responsible_la if case.child else None)
        for d in r["report"]["deadlines"]:
            expected[(r["report"]["as_of"], str(la or ""), d["rule_id"], d["status"])] += 1
    with open(target, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    got = Counter({(r["as_of"], r["la"], r["rule_id"], r["status"]): int(r["deadlines"])
                   for r in rows})
    assert got == expected
    assert len({r["la"] for r in rows}) > 1
    pytest.importorskip("pyarrow")
    pd = pytest.importorskip("pandas")
    parquet = tmp_path / "totals.parquet"
    _json(capsys, str(caseload), "--as-of-each", "month", "--from", "2025-01-31",
          "--to", "2025-03-31", "--totals", str(parquet))
    frame = pd.read_parquet(parquet)
    assert int(frame["deadlines"].sum()) == sum(expected.values())
    assert sorted(frame["as_of"].dt.date.unique()) == [date(2025, 1, 31), date(2025, 2, 28),
                                                       date(2025, 3, 31)]


def test_a_case_beyond_the_calendar_is_one_bad_line(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    good = '{"events": [{"type": "request_received", "on": "2026-01-05", "made_by": "parent"}]}'
    late = '{"events": [{"type": "request_received", "on": "9999-12-20", "made_by": "parent"}]}'
    path = tmp_path / "edge.jsonl"
    path.write_text(f"{good}\n{late}\n{good}\n", encoding="utf-8")
    code = main(["check", str(path), "--as-of-each", "year", "--from", "9997-12-31",
                 "--to", "9999-12-31", "--format", "json", "--quiet"])
    captured = capsys.readouterr()
    assert code == 1
    rows = [json.loads(line) for line in captured.out.splitlines()]
    assert [r["line"] for r in rows if "report" in r] == [1, 1, 1, 3, 3, 3]
    assert [r["line"] for r in rows if "error" in r] == [2]
    assert "line 2: invalid case" in captured.err


@pytest.mark.parametrize("argv", [
    ["--as-of-each", "month", "--from", "2025-01-01"],
    ["--as-of-each", "month", "--to", "2025-01-01"],
    ["--as-of-each", "month", "--from", "2025-02-01", "--to", "2025-01-01"],
    ["--as-of-each", "month", "--from", "2025-01-01", "--to", "2025-03-01",
     "--as-of", "2025-01-01"],
    ["--from", "2025-01-01", "--to", "2025-03-01"],
    ["--as-of-each", "day", "--from", "2000-01-01", "--to", "2025-01-01"],
])
def test_unusable_date_ranges_are_usage_errors(caseload: Path, argv: list[str],
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(caseload), *argv]) == 2
    assert "sendflow check: " in capsys.readouterr().err


def test_an_unknown_step_is_refused_by_the_parser(caseload: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["check", str(caseload), "--as-of-each", "fortnight", "--from", "2025-01-01",
              "--to", "2025-03-01"])
    assert exc.value.code == 2
