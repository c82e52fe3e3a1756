"""sendflow's models read their attributes without pydantic's ``__getattr__``
hook (sendflow._fastattr): the same values, the same errors, the same reports."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tomllib
from datetime import date
from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict, ValidationError

import sendflow.compliance
import sendflow.plan
import sendflow.rules
import sendflow.sen2
import sendflow.workflows  # noqa: F401 - imported for its models
from sendflow import Case, SafeModel, evaluate
from sendflow import _fastattr as fa
from sendflow.synth import write_jsonl

pytestmark = pytest.mark.skipif(not fa.enabled(), reason="not CPython's type layout")

GOLDEN = sorted((Path(__file__).resolve().parents[1] / "golden").rglob("*.toml"))


def _models() -> list[type[BaseModel]]:
    out: list[type[BaseModel]] = []
    todo: list[type[BaseModel]] = [BaseModel]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("sendflow.") and cls.__module__ != "sendflow._base":
            out.append(cls)
    return out


def _caseload() -> list[Case]:
    out = io.StringIO()
    write_jsonl(400, out, seed=11)
    cases = [Case.model_validate_json(line) for line in out.getvalue().splitlines()]
    for path in GOLDEN:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        payload = {k: data[k] for k in ("events", "child", "responsible_la") if k in data}
        cases.append(Case.model_validate(json.loads(json.dumps(payload, default=str))))
    return cases


def test_every_sendflow_model_reads_the_plain_way() -> None:
    models = _models()
    assert len(models) > 50  # the package's models, imported above
    assert [m.__qualname__ for m in models if not fa.is_plain(m)] == []


def test_with_the_hook_put_back_the_models_are_hooked_again() -> None:
    with fa.hooked():
        assert not fa.is_plain(Case)
    assert fa.is_plain(Case)


@pytest.mark.parametrize("as_of", [date(2026, 1, 15), date(2019, 3, 1)])
def test_reports_and_dumps_equal_with_the_hook(as_of: date) -> None:
    cases = _caseload()
    plain = [evaluate(c, as_of=as_of) for c in cases]
    plain_dumps = [r.model_dump_json() for r in plain]
    plain_cases = [c.model_dump_json() for c in cases]
    with fa.hooked():
        hooked = [evaluate(c, as_of=as_of) for c in cases]
        hooked_dumps = [r.model_dump_json() for r in hooked]
        hooked_cases = [c.model_dump_json() for c in cases]
    assert plain == hooked  # field for field, private state included
    assert plain_dumps == hooked_dumps
    assert plain_cases == hooked_cases
    assert sum(len(r.deadlines) for r in plain) > 400  # the reports hold something


def test_private_attributes_read_as_pydantic_reads_them() -> None:
    case = Case.model_validate({"events": [{"type": "final_plan_issued", "on": "2024-03-01"}]})
    report = evaluate(case, as_of=date(2026, 1, 15))
    deadline = report.deadlines[0]
    plain = (case._types, case._states, case._last_on, deadline._rule)
    with fa.hooked():
        assert (case._types, case._states, case._last_on, deadline._rule) == plain
    assert deadline._rule is not None and deadline._rule.id == deadline.rule_id
    # at class level, pydantic's own private attribute (as its metaclass gives it)
    assert Case._types is Case.__private_attributes__["_types"]
    # a write still goes to the private store
    copy = deadline.model_copy()
    copy._rule = None
    assert copy._rule is None and deadline._rule is not None


def test_an_unknown_attribute_is_the_same_attribute_error() -> None:
    case = Case.model_validate({"events": []})
    with pytest.raises(AttributeError) as plain:
        case.no_such_field  # noqa: B018
    with fa.hooked(), pytest.raises(AttributeError) as hooked:
        case.no_such_field  # noqa: B018
    assert str(plain.value) == str(hooked.value) == "'Case' object has no attribute 'no_such_field'"


def test_a_user_model_keeps_pydantic_hook() -> None:
    class Row(SafeModel):
        model_config = ConfigDict(extra="allow")
        name: int

    row = Row.model_validate({"name": 1, "extra_column": "kept"})
    assert not fa.is_plain(Row)
    assert row.extra_column == "kept"  # type: ignore[attr-defined]  # served by the hook

    class MyCase(Case):
        pass

    assert not fa.is_plain(MyCase)
    mine = MyCase.model_validate({"events": [{"type": "final_plan_issued", "on": "2024-03-01"}]})
    assert evaluate(mine, as_of=date(2026, 1, 15)).deadlines


def test_frozen_models_still_refuse_writes() -> None:
    case = Case.model_validate({"events": []})
    with pytest.raises(ValidationError):
        case.reference = "x"  # type: ignore[misc]


def test_the_environment_switch_keeps_the_hook() -> None:
    code = (
        "import sendflow, sendflow.compliance; from sendflow import _fastattr as fa, Case;"
        "print(fa.enabled(), fa.is_plain(Case))"
    )
    env = {**os.environ, fa.ENV: "0"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
