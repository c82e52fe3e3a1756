"""Command-line examples in the docs run as tests.

A ``console`` block preceded by ``<!-- cli-example -->`` holds one ``$ sendflow ...``
command (run from the repository root) and exactly the output it prints.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from sendflow._cli import main

ROOT = Path(__file__).resolve().parents[1]
_BLOCK = re.compile(r"<!-- cli-example -->\n```console\n\$ (.+?)\n(.*?)```", re.DOTALL)


def _examples() -> list[tuple[str, str, str]]:
    out = []
    for page in sorted((ROOT / "docs").rglob("*.md")):
        for m in _BLOCK.finditer(page.read_text(encoding="utf-8")):
            out.append((page.relative_to(ROOT).as_posix(), m.group(1), m.group(2)))
    return out


EXAMPLES = _examples()


def test_there_are_examples() -> None:
    assert len(EXAMPLES) >= 2


@pytest.mark.parametrize(("page", "command", "expected"), EXAMPLES,
                         ids=[f"{p}:{c[:60]}" for p, c, _ in EXAMPLES])
def test_cli_example(page: str, command: str, expected: str, monkeypatch: pytest.MonkeyPatch,
                     capsys: pytest.CaptureFixture[str]) -> None:
    argv = shlex.split(command)
    assert argv[0] == "sendflow", page
    monkeypatch.chdir(ROOT)
    main(argv[1:])
    assert capsys.readouterr().out == expected, page
