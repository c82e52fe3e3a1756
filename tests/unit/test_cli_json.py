"""``check --format json``: the same content as before (a report's ``model_dump``), written
through ``model_dump_json``; ``--citations once`` loses nothing (issue 19 point 4)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sendflow import Case, evaluate
from sendflow._cli import main
from sendflow.synth import synthesise

AS_OF = date(2026, 1, 15)


@pytest.fixture(scope="module")
def caseload(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    data = list(synthesise(150, seed=11))
    data[3] = {**data[3], "reference": "Zoë-Ł/ß ✓"}  # non-ASCII user data
    lines = [json.dumps(c, ensure_ascii=False) for c in data]
    lines.insert(5, '{"events": "not a list"}')  # a bad line: reported, not fatal
    path = tmp_path_factory.mktemp("json") / "cases.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, data


def _expected(data: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Today's output, built as the command used to build it (``model_dump`` + ``json``)."""
    rows: list[dict[str, Any]] = []
    for number, c in enumerate(data, start=1):
        line = number if number < 6 else number + 1
        report = evaluate(Case.model_validate(c), as_of=AS_OF)
        old = json.dumps({"line": line, "report": report.model_dump(mode="json")},
                         separators=(",", ":"))
        rows.append(json.loads(old))
    return rows


def _run(capsys: pytest.CaptureFixture[str], path: Path, *extra: str) -> list[dict[str, Any]]:
    code = main(["check", str(path), "--as-of", AS_OF.isoformat(), "--format", "json",
                 "--quiet", *extra])
    assert code == 1  # the one bad line
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def _inline(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Put ``--citations once`` output back inline, checking each rule line comes first."""
    rules: dict[str, dict[str, Any]] = {}
    out = []
    for row in rows:
        if "rule" in row:
            rule = row["rule"]
            assert rule["ref"] not in rules  # each written once
            rules[rule["ref"]] = rule
            continue
        if "report" in row:
            for d in row["report"]["deadlines"]:
                rule = rules[d.pop("rule_ref")]  # KeyError: used before it was written
                assert rule["rule_id"] == d["rule_id"]
                d.update(title=rule["title"], legal_status=rule["legal_status"],
                         citations=rule["citations"])
        out.append(row)
    return out


def test_json_is_the_same_content_as_before(
    caseload: tuple[Path, list[dict[str, Any]]], capsys: pytest.CaptureFixture[str]
) -> None:
    path, data = caseload
    rows = _run(capsys, path)
    assert rows[5] == {"line": 6, "error": rows[5]["error"]}
    reports = [r for r in rows if "report" in r]
    assert reports == _expected(data)
    assert reports[3]["report"]["reference"] == "Zoë-Ł/ß ✓"


def test_citations_once_loses_nothing(
    caseload: tuple[Path, list[dict[str, Any]]], capsys: pytest.CaptureFixture[str]
) -> None:
    path, data = caseload
    rows = _run(capsys, path, "--citations", "once")
    rule_lines = [r for r in rows if "rule" in r]
    assert 5 <= len(rule_lines) < 60  # once per rule (version), not once per deadline
    for row in rows:
        for d in row.get("report", {}).get("deadlines", []):
            assert "citations" not in d and "title" not in d
    assert [r for r in _inline(rows) if "report" in r] == _expected(data)


def test_json_under_an_ascii_output_encoding_is_still_json(
    caseload: tuple[Path, list[dict[str, Any]]]
) -> None:
    path, data = caseload
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2] / "src"),
           "PYTHONIOENCODING": "ascii"}
    for extra in ([], ["--citations", "once"]):
        done = subprocess.run(
            [sys.executable, "-m", "sendflow", "check", str(path), "--as-of", "2026-01-15",
             "--format", "json", *extra], capture_output=True, env=env, timeout=120,
            check=False)
        assert done.returncode == 1
        text = done.stdout.decode("ascii")  # every byte ASCII
        rows = [json.loads(line) for line in text.splitlines()]
        rows = _inline(rows) if extra else rows
        assert [r for r in rows if "report" in r] == _expected(data)


def test_the_documented_inline_recipe_restores_the_reports(
    caseload: tuple[Path, list[dict[str, Any]]], capsys: pytest.CaptureFixture[str]
) -> None:
    """docs/reference/cli.md's recipe for ``--citations once``, run as written."""
    import re
    import textwrap

    page = (Path(__file__).parents[2] / "docs" / "reference" / "cli.md").read_text("utf-8")
    block = re.split(r"To put the\s+texts back:", page, maxsplit=1)[1]
    code = textwrap.dedent(re.search(r"```python\n(.*?)```", block, re.S).group(1))  # type: ignore[union-attr]
    namespace: dict[str, Any] = {}
    exec(code, namespace)
    path, data = caseload
    main(["check", str(path), "--as-of", AS_OF.isoformat(), "--format", "json", "--quiet",
          "--citations", "once"])
    rows = list(namespace["inline"](capsys.readouterr().out.splitlines()))
    assert [r for r in rows if "report" in r] == _expected(data)


@pytest.mark.parametrize("fmt", ["text", "csv"])
def test_citations_once_is_refused_outside_json(
    capsys: pytest.CaptureFixture[str], caseload: tuple[Path, list[dict[str, Any]]], fmt: str,
) -> None:
    # --citations once changes only JSON output: with text or CSV it would be ignored,
    # so it is a usage error (exit 2) naming the option, with nothing written.
    path, _ = caseload
    code = main(["check", str(path), "--as-of", AS_OF.isoformat(), "--format", fmt,
                 "--quiet", "--citations", "once"])
    captured = capsys.readouterr()
    assert code == 2
    assert "--citations once" in captured.err
    assert captured.out == ""
    # inline (the default) is accepted with every format
    assert main(["check", str(path), "--as-of", AS_OF.isoformat(), "--format", fmt,
                 "--quiet", "--citations", "inline"]) == 1  # the one bad line
