"""The command line as a Unix tool: exit codes one by one, broken pipes, closed
and full streams, narrow encodings, escaped text, CSV formula defence, and the
JSON Lines reader's limits (issue 17, point 4)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sendflow import _cliio
from sendflow._cli import main
from sendflow._csvsafe import escape_cell, unescape_cell

REQUEST = {"type": "request_received", "on": "2026-01-05", "made_by": "parent"}
WINDOW = ["--from", "2026-01-01", "--to", "2026-12-31", "--as-of", "2026-03-01"]
GOOD = json.dumps({"reference": "A", "events": [REQUEST]})
ENV = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2] / "src")}


def sendflow(shell: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Run ``sendflow`` inside a shell line (``SF`` stands for the command)."""
    command = shell.replace("SF", f"{sys.executable} -m sendflow")
    return subprocess.run(
        ["bash", "-c", command], capture_output=True, text=True, env=kwargs.pop("env", ENV),
        timeout=120, **kwargs,  # type: ignore[call-overload]
    )


def write(tmp_path: Path, *lines: str | bytes) -> str:
    path = tmp_path / "cases.jsonl"
    path.write_bytes(
        b"".join((x if isinstance(x, bytes) else x.encode()) + b"\n" for x in lines)
    )
    return str(path)


# ------------------------------------------------------------- exit codes
def test_exit_0_success(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", write(tmp_path, GOOD), "--as-of", "2026-03-01"]) == 0


def test_exit_1_bad_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", write(tmp_path, GOOD, "{"), "--as-of", "2026-03-01"]) == 1
    assert "line 2: invalid case" in capsys.readouterr().err


def test_exit_2_usage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, GOOD)
    with pytest.raises(SystemExit) as info:
        main(["check", path, "--as-of", "yesterday"])
    assert info.value.code == 2
    assert main(["upcoming", path, "--from", "2026-03-01", "--to", "2026-01-01"]) == 2
    assert main(["synth", "--cases", "-1"]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_exit_3_unreadable_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(tmp_path / "missing.jsonl")]) == 3
    assert main(["check", str(tmp_path)]) == 3  # a directory
    assert main(["explain", str(tmp_path / "missing.json")]) == 3
    utf16 = tmp_path / "utf16.jsonl"
    utf16.write_bytes((GOOD + "\n").encode("utf-16"))
    assert main(["check", str(utf16), "--as-of", "2026-03-01"]) == 3
    err = capsys.readouterr().err
    assert "cannot read" in err and "UTF-16" in err and "Traceback" not in err


def test_exit_4_full_disk(tmp_path: Path) -> None:
    path = write(tmp_path, *[GOOD] * 200)
    done = sendflow(f"SF check {path} --as-of 2026-03-01 > /dev/full")
    assert done.returncode == 4, done.stderr
    assert "No space left on device" in done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr


def test_closed_stdout_and_stdin(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    out_closed = sendflow(f"SF check {path} --as-of 2026-03-01 >&-")
    assert out_closed.returncode == 4
    assert "standard output is closed" in out_closed.stderr
    in_closed = sendflow("SF check - --as-of 2026-03-01 <&-")
    assert in_closed.returncode == 3
    assert "standard input is closed" in in_closed.stderr
    for done in (out_closed, in_closed):
        assert "Traceback" not in done.stderr


def test_broken_pipe_is_a_quiet_exit() -> None:
    done = sendflow("set -o pipefail; SF synth --cases 20000 | head -n 1")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout.startswith("{")


def test_ascii_output_encoding_does_not_crash(tmp_path: Path) -> None:
    path = write(tmp_path, json.dumps({"reference": "Zoë-Ł", "events": [REQUEST]}))
    done = sendflow(f"SF check {path} --as-of 2026-03-01", env={**ENV, "PYTHONIOENCODING": "ascii"})
    assert done.returncode == 0, done.stderr
    assert "Zo\\xeb-\\u0141" in done.stdout
    assert "Traceback" not in done.stderr


def test_an_unexpected_failure_is_exit_70_without_its_message(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sendflow._cli as cli

    def boom(args: object) -> int:
        raise KeyError("Quinteroxa")

    monkeypatch.delenv("SENDFLOW_DEBUG", raising=False)
    monkeypatch.setattr(cli, "_cmd_schema", boom)
    assert main(["schema"]) == 70
    err = capsys.readouterr().err
    assert "internal error (KeyError)" in err and "Quinteroxa" not in err


# ---------------------------------------------------------- text escaping
@pytest.mark.parametrize("fmt", ["text", "upcoming"])
def test_control_characters_cannot_forge_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    forged = "X\nline 99 FORGED: plan_issued — no missed or overdue deadlines\x1b[2J\u2028"
    path = write(tmp_path, json.dumps({"reference": forged, "events": [REQUEST]}))
    if fmt == "text":
        assert main(["check", path, "--as-of", "2026-03-01"]) == 0
    else:
        assert main(["upcoming", path, *WINDOW]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u2028" not in out
    assert not any(line.startswith("line 99") for line in out.splitlines())
    assert "X\\nline 99 FORGED" in out and "\\x1b[2J\\u2028" in out


def test_safe_text_escapes_every_control_and_keeps_the_rest() -> None:
    assert _cliio.safe_text("a\tb\r\n\x00\x7f\x9b\u202e é ✓ \\") == (
        "a\\tb\\r\\n\\x00\\x7f\\x9b\\u202e é ✓ \\"
    )


# ------------------------------------------------------------------- CSV
@pytest.mark.parametrize(
    "value", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=1+1", "\r=1", "＝1", "'=1", "'plain"]
)
def test_formula_cells_are_neutralised_and_reversible(value: str) -> None:
    escaped = escape_cell(value)
    assert escaped.startswith("'")
    assert unescape_cell(escaped) == value


def test_plain_cells_are_untouched() -> None:
    for value in ["A-1", "2026-01-05", "", "Smith", "1+1"]:
        assert escape_cell(value) == value


@pytest.mark.parametrize("command", ["check", "upcoming"])
def test_csv_output_neutralises_references(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    hostile = '=HYPERLINK("http://x","y")'
    path = write(tmp_path, json.dumps({"reference": hostile, "events": [REQUEST]}),
                 json.dumps({"reference": "a\r\nb", "events": [REQUEST]}))
    args = (["check", path, "--as-of", "2026-03-01"] if command == "check"
            else ["upcoming", path, *WINDOW])
    assert main([*args, "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    refs = {row[1] for row in rows[1:]}
    assert refs == {"'" + hostile, "a\r\nb"}  # quoted, so the row is not broken
    assert all(len(row) == len(rows[0]) for row in rows)


# ------------------------------------------------------- JSON Lines input
def test_bom_on_line_one_is_accepted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, b"\xef\xbb\xbf" + GOOD.encode(), GOOD)
    assert main(["check", path, "--as-of", "2026-03-01"]) == 0
    assert "2 cases checked, 0 invalid lines" in capsys.readouterr().out
    single = tmp_path / "one.json"
    single.write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    assert main(["explain", str(single), "--as-of", "2026-03-01"]) == 0


def test_an_overlong_line_is_one_bad_line_and_reading_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_cliio, "MAX_LINE_BYTES", 1000)
    monkeypatch.setattr(_cliio, "_CHUNK", 64)  # drained in many pieces
    long = json.dumps({"reference": "x" * 5000, "events": [REQUEST]})
    path = write(tmp_path, GOOD, long, GOOD, b"y" * 3000)
    assert main(["check", path, "--as-of", "2026-03-01"]) == 1
    out = capsys.readouterr()
    assert "line 2: invalid case: line longer than the maximum of 1,000 bytes" in out.err
    assert "line 4: invalid case: line longer" in out.err
    assert "line 3 A:" in out.out and "2 cases checked, 2 invalid lines" in out.out


def test_the_documented_maximum_line_length(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _cliio.MAX_LINE_BYTES == 16 * 1024 * 1024
    path = write(tmp_path, b"[" + b" " * _cliio.MAX_LINE_BYTES + b"]", GOOD)
    assert main(["check", path, "--as-of", "2026-03-01"]) == 1
    assert "line 1: invalid case: line longer than the maximum of 16,777,216 bytes" in (
        capsys.readouterr().err
    )


def test_duplicate_keys_are_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dup_event = GOOD.replace('"on": "2026-01-05"', '"on": "2026-01-05", "on": "2026-01-06"')
    dup_top = '{"reference": "A", "reference": "B", "events": []}'
    path = write(tmp_path, dup_event, dup_top, GOOD)
    assert main(["check", path, "--as-of", "2026-03-01"]) == 1
    err = capsys.readouterr().err
    assert "line 1: invalid case: duplicate key 'on'" in err
    assert "line 2: invalid case: duplicate key 'reference'" in err
    single = tmp_path / "one.json"
    single.write_text(dup_event, encoding="utf-8")
    assert main(["explain", str(single), "--as-of", "2026-03-01"]) == 1


def test_a_duplicate_key_is_named_only_when_safe() -> None:
    assert _cliio.no_duplicate_keys('{"A801200005001": 1, "A801200005001": 2}') == (
        "duplicate key '<unknown field>' in a JSON object"
    )
    assert _cliio.no_duplicate_keys('{"a": {"b": 1}, "c": [{"d": 1}]}') is None
