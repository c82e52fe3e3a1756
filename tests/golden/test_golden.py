"""Golden cases: worked examples kept as data files, checked against the engine.

Every ``tests/golden/<process>/*.toml`` file is one case worked by hand from the law,
in the directory of the process it is about, named as the processes are named in
``rules/data/`` and ``compliance/evaluators/`` (``review``, ``transfer``,
``la_transfer``, ``ceasing``, ...) or, for the opening of a record part-way, as the
workflow module is (``opening``). An unknown or empty directory fails, and so does a
case outside one. The schema is closed: an unknown key fails, so a typo cannot
silently skip a check.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from tests.reference.golden import jsonable

from sendflow import Case, evaluate

HERE = Path(__file__).parent
FILES = sorted(HERE.rglob("*.toml"))
TOP_KEYS = {
    "name",
    "cites",
    "as_of",
    "events",
    "expect",
    "expect_state",
    "expect_states",
    "expect_findings",
    "child",
    "responsible_la",
    "notes",
    "recorded",
    "readings",
}
EXPECT_KEYS = {
    "rule", "due", "status", "met_on", "key", "exception", "count", "latest_working_day", "index"
}


def _load(path: Path) -> dict[str, Any]:
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    unknown = set(data) - TOP_KEYS
    assert not unknown, f"{path.name}: unknown keys {sorted(unknown)}"
    for key in ("name", "cites", "as_of", "events", "expect"):
        assert key in data, f"{path.name}: missing {key!r}"
    for i, item in enumerate(data["expect"]):
        unknown = set(item) - EXPECT_KEYS
        assert not unknown, f"{path.name}: expect[{i}] unknown keys {sorted(unknown)}"
        assert "rule" in item, f"{path.name}: expect[{i}] needs 'rule'"
        assert set(item) - {"rule", "key", "index"}, f"{path.name}: expect[{i}] checks nothing"
    return data


def test_golden_files_exist() -> None:
    assert len(FILES) >= 10


def _process_names() -> set[str]:
    """The processes of the rule data, and the public workflow modules (``opening``)."""
    from sendflow import workflows
    from sendflow.rules import all_rules

    processes = {v.process for h in all_rules() for v in h.versions}
    folder = Path(workflows.__file__).parent
    modules = {p.stem for p in folder.glob("*.py") if not p.stem.startswith("_")}
    return processes | modules


def _layout_problems(root: Path, names: set[str]) -> list[str]:
    """What is wrong with the golden layout under ``root``: directories named as no
    process in ``names``, directories with no case, cases outside a process directory."""
    dirs = sorted(p for p in root.iterdir() if p.is_dir() and p.name != "__pycache__")
    problems = [f"{p.name}/: named as no process" for p in dirs if p.name not in names]
    problems += [f"{p.name}/: empty" for p in dirs if not any(p.glob("*.toml"))]
    problems += [f"{p.relative_to(root)}: outside a process directory"
                 for p in sorted(root.rglob("*.toml")) if p.parent.parent != root]
    return problems


def test_golden_directories_are_named_as_the_processes() -> None:
    assert _layout_problems(HERE, _process_names()) == []
    # Every process with an evaluator module of its own has golden cases.
    from sendflow.compliance import evaluators

    folder = Path(evaluators.__file__).parent
    own = {p.stem for p in folder.glob("*.py") if not p.stem.startswith("_")}
    dirs = {p.parent.name for p in FILES}
    assert own <= dirs, sorted(own - dirs)


def test_the_layout_check_refuses_unknown_and_empty_directories(tmp_path: Path) -> None:
    (tmp_path / "review").mkdir()
    (tmp_path / "review" / "ok.toml").write_text("", encoding="utf-8")
    (tmp_path / "lifecycle").mkdir()
    (tmp_path / "lifecycle" / "a.toml").write_text("", encoding="utf-8")
    (tmp_path / "transfer").mkdir()
    (tmp_path / "stray.toml").write_text("", encoding="utf-8")
    assert _layout_problems(tmp_path, _process_names()) == [
        "lifecycle/: named as no process",
        "transfer/: empty",
        "stray.toml: outside a process directory",
    ]


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(HERE)) for p in FILES])
def test_golden_case(path: Path) -> None:
    data = _load(path)
    payload: dict[str, Any] = {"events": jsonable(data["events"])}
    if "child" in data:
        payload["child"] = jsonable(data["child"])
    if "responsible_la" in data:
        payload["responsible_la"] = data["responsible_la"]
    case = Case.model_validate(payload)
    report = evaluate(
        case, as_of=data["as_of"], recorded=data.get("recorded"), readings=data.get("readings")
    )
    if "readings" in data:
        for reading_id, choice in data["readings"].items():
            assert report.readings[reading_id] == choice, data["name"]
    if "expect_state" in data:
        assert case.state == data["expect_state"], data["name"]
    for region, state in data.get("expect_states", {}).items():
        assert case.states[region] == state, (data["name"], region)
    for item in data["expect"]:
        instances = [d for d in report.deadlines if d.rule_id == item["rule"]]
        if "key" in item:
            instances = [d for d in instances if d.key == item["key"]]
            assert instances, f"{data['name']}: no {item['rule']} deadline for key {item['key']}"
            deadline = instances[-1]
        elif "index" in item:  # the n-th instance, in the report's (due date) order
            assert len(instances) > item["index"], f"{data['name']}: {item['rule']}"
            deadline = instances[item["index"]]
        else:
            deadline = report.deadline(item["rule"])
        if "count" in item:
            assert len(instances) == item["count"], (data["name"], item["rule"])
        label = f"{data['name']}: {item['rule']}"
        if "due" in item:
            assert deadline.due == item["due"], label
        if "status" in item:
            assert deadline.status == item["status"], f"{label}\n{deadline.explain()}"
        if "met_on" in item:
            assert deadline.met_on == item["met_on"], label
        if "latest_working_day" in item:
            assert deadline.latest_working_day == item["latest_working_day"], label
        if "exception" in item:
            got = deadline.exception.ground.value if deadline.exception else None
            assert got == item["exception"], label
    if "expect_findings" in data:
        codes = sorted(f.code for f in report.findings)
        assert codes == sorted(data["expect_findings"]), data["name"]
