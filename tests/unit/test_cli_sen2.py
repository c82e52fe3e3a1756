"""``sendflow sen2 stats``: the figures of a return from the command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from sendflow._cli import main
from sendflow.sen2 import to_xml, write_csv_dir

sys.path.insert(0, str(Path(__file__).parent))
from test_sen2_statistics import hand_return


def _xml(tmp_path: Path) -> Path:
    data = to_xml(hand_return())
    path = tmp_path / "return.xml"
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def test_stats_from_xml_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sen2", "stats", str(_xml(tmp_path)), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 1 and rows[0]["breakdown"] == "total"
    # Hand-worked in test_sen2_statistics: 4 requests, 3 plans, 50.0 % excl. exceptions.
    assert rows[0]["requests"] == 4
    assert rows[0]["plans_issued"] == 3
    assert rows[0]["percent_within_20_weeks_excluding_exceptions"] == 50.0


def test_stats_from_blade_csv_by_month(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    write_csv_dir(hand_return(), tmp_path)
    assert main(["sen2", "stats", str(tmp_path), "--by", "month", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("breakdown,group,requests")
    assert lines[1].startswith("total,2026,4,")
    assert any(line.startswith("month,1,2,") for line in lines)  # 2 requests in January


def test_stats_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sen2", "stats", str(_xml(tmp_path))]) == 0
    out = capsys.readouterr().out
    assert "reporting year 2026" in out
    assert "average_weeks_to_issue" in out and "36.7" in out


def test_stats_cases_need_a_year(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps({"responsible_la": "201", "events": [
        {"type": "request_received", "on": "2025-02-03", "made_by": "parent"}]}) + "\n")
    assert main(["sen2", "stats", str(path)]) == 2
    assert main(["sen2", "stats", str(path), "--year", "2026", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["requests"] == 1


def test_stats_wrong_year_is_a_usage_error(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sen2", "stats", str(_xml(tmp_path)), "--year", "2025"]) == 2
    assert "own collection year" in capsys.readouterr().err


def test_stats_lists_a_case_it_cannot_count(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    lines = [
        {"responsible_la": "201", "events": [
            {"type": "request_received", "on": "2025-02-03", "made_by": "parent"}]},
        {"responsible_la": "201", "child": {"date_of_birth": "2015-03-01",
                                            "family_name": "X" * 101},
         "events": [{"type": "request_received", "on": "2025-03-03", "made_by": "parent"}]},
    ]
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    assert main(["sen2", "stats", str(path), "--year", "2026", "--format", "json"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out)[0]["requests"] == 1
    assert "line 2: not counted" in captured.err and "XXXX" not in captured.err
