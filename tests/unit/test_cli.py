"""The command line, run in-process through ``main`` and once as ``python -m sendflow``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sendflow._cli import main

REQUEST = {"type": "request_received", "on": "2026-01-05", "made_by": "parent"}


def test_python_dash_m_runs_the_main_job() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "sendflow", "timeline", "--request-received", "2026-01-05"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Mon 25 May 2026" in out and "issue the final EHC plan" in out


def test_timeline_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["timeline", "--request-received", "2026-01-05", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    steps = {s["key"]: s["on"] for s in data["steps"]}
    assert steps["decision"] == "2026-02-16"
    assert steps["no_plan_notice"] == "2026-04-27"
    assert steps["final_plan"] == "2026-05-25"
    assert steps["latest_draft"] == "2026-05-08"  # Sun 10 May rolled back to Fri 8 May


def test_timeline_ics_is_a_valid_calendar(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    import icalendar

    assert main(["timeline", "--request-received", "2026-01-05", "--format", "ics"]) == 0
    raw = capsysbinary.readouterr().out
    cal = icalendar.Calendar.from_ical(raw)
    events = [c for c in cal.walk("VEVENT")]
    assert raw.startswith(b"BEGIN:VCALENDAR") and b"VERSION:2.0" in raw and b"PRODID" in raw
    starts = {e.decoded("dtstart").isoformat() for e in events}
    assert "2026-05-25" in starts
    assert all(e.get("uid") and e.get("dtstamp") for e in events)
    assert len({str(e.get("uid")) for e in events}) == len(events)


def test_timeline_rejects_a_bad_date(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["timeline", "--request-received", "5/1/2026"])
    assert info.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_check_reports_bad_lines_and_keeps_going(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        json.dumps({"reference": "A", "events": [REQUEST]}),
        '{"events": [{"type": "request_received", "on": "2026-13-45", "made_by": "parent"}]}',
        "",
        "not json at all",
        json.dumps({"reference": "B", "events": [{**REQUEST, "upn": "A801200005001"}]}),
        json.dumps(
            {
                "reference": "C",
                "events": [REQUEST, {"type": "request_withdrawn", "on": "2026-01-10"}],
            }
        ),
    ]
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code = main(["check", str(path), "--as-of", "2026-03-01"])
    captured = capsys.readouterr()
    assert code == 1
    assert "line 2: invalid case" in captured.err
    assert "line 4: invalid case" in captured.err
    assert "line 5: invalid case" in captured.err
    assert "A801200005001" not in captured.err + captured.out
    assert "line 1 A: awaiting_decision" in captured.out
    assert "line 6 C: withdrawn" in captured.out
    assert "2 cases checked, 3 invalid lines" in captured.out
    assert "assessment.decision" in captured.out.split("Summary")[1]


def test_check_exit_zero_when_all_lines_are_good(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps({"events": [REQUEST]}) + "\n", encoding="utf-8")
    assert main(["check", str(path), "--as-of", "2026-03-01", "--format", "csv"]) == 0
    rows = capsys.readouterr().out.strip().splitlines()
    assert rows[0].startswith("line,reference,state,rule_id")
    assert any(",assessment.decision,,2026-01-05,2026-02-16,,overdue," in r for r in rows)


def test_check_json_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps({"events": [REQUEST]}) + "\n", encoding="utf-8")
    assert main(["check", str(path), "--as-of", "2026-03-01", "--format", "json"]) == 0
    out = capsys.readouterr()
    record = json.loads(out.out.splitlines()[0])
    assert record["line"] == 1
    assert record["report"]["state"] == "awaiting_decision"
    assert "Summary" in out.err


def test_check_limited_to_chosen_rules(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps({"events": [REQUEST]}) + "\n", encoding="utf-8")
    args = ["check", str(path), "--as-of", "2026-03-01", "--format", "json"]
    assert main([*args, "--rules", "assessment.decision, assessment.final_plan",
                 "--no-findings"]) == 0
    report = json.loads(capsys.readouterr().out.splitlines()[0])["report"]
    assert [d["rule_id"] for d in report["deadlines"]] == [
        "assessment.decision", "assessment.final_plan"
    ]
    assert report["rules"] == ["assessment.decision", "assessment.final_plan"]
    assert report["findings"] == []


@pytest.mark.parametrize(("value", "message"), [
    ("assessment.nope", "no rule with id 'assessment.nope'"),
    (" , ", "give at least one rule id"),
])
def test_check_refuses_unknown_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str, message: str
) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps({"events": [REQUEST]}) + "\n", encoding="utf-8")
    assert main(["check", str(path), "--as-of", "2026-03-01", "--rules", value]) == 2
    assert message in capsys.readouterr().err


def test_check_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "/nonexistent/cases.jsonl", "--as-of", "2026-03-01"]) == 3
    assert "cannot read /nonexistent/cases.jsonl" in capsys.readouterr().err


def test_explain(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps({"events": [REQUEST]}), encoding="utf-8")
    assert main(["explain", str(path), "--as-of", "2026-03-01"]) == 0
    out = capsys.readouterr().out
    assert "Status: overdue — not done by Mon 16 Feb 2026" in out


def test_diagram_and_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diagram", "assessment"]) == 0
    assert capsys.readouterr().out.startswith("stateDiagram-v2")
    assert main(["diagram", "assessment", "--format", "dot"]) == 0
    assert capsys.readouterr().out.startswith('digraph "assessment"')
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert "events" in schema["properties"]
    assert "request_received" in json.dumps(schema)


def test_rules_lists_citations(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "--on", "2026-01-05", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    ids = {r["id"] for r in data["rules"]}
    assert {"assessment.decision", "assessment.final_plan"} <= ids
    assert all(r["citations"][0]["href"].startswith("https://") for r in data["rules"])
    assert main(["rules", "--on", "2026-01-05"]) == 0
    assert "reg. 13(2)" in capsys.readouterr().out


def test_check_survives_undecodable_and_out_of_range_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cases.jsonl"
    beyond = {"events": [{**REQUEST, "on": "9999-12-20"}]}
    path.write_bytes(
        json.dumps(beyond).encode()
        + b"\n\xff\xfe not utf-8\n"
        + json.dumps({"events": [REQUEST]}).encode()
        + b"\n"
    )
    # as of the last day Python's dates hold, the request is seen (as of 2026 it would not be).
    assert main(["check", str(path), "--as-of", "9999-12-31"]) == 1
    out = capsys.readouterr()
    assert "line 1: invalid case" in out.err
    assert "outside the dates the calendar supports" in out.err
    assert "line 2: invalid case" in out.err
    assert "line 3: awaiting_decision" in out.out
    assert "1 cases checked, 2 invalid lines" in out.out


@pytest.mark.parametrize(
    "argv",
    [
        ["timeline", "--request-received", "9999-12-31"],
        ["appeal-deadline", "--decision-sent", "9999-12-31"],
        ["timeline", "--request-received", "2026-01-05", "--drafting-days", "1000000000"],
        ["synth", "--cases", "1", "--year", "9999"],
    ],
)
def test_out_of_range_input_is_a_clear_error(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2  # a usage error: the arguments cannot be used
    err = capsys.readouterr().err
    assert err.startswith(f"sendflow {argv[0]}:")
    assert "Traceback" not in err
