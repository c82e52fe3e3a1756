"""The public API contract of design.md: names promised to users stay importable."""

from __future__ import annotations

import importlib
import subprocess
import sys
from importlib.metadata import version

import sendflow

#: Names design.md's "Public API contract" promises at the top level.
CONTRACT_TOP_LEVEL = [
    "__version__",
    "SendflowError",
    "InvalidTransition",
    "identifiers",
    "UPN",
    "ULN",
    "NHSNumber",
    "LACode",
    "calendar",
    "rules",
    "ChildOrYoungPerson",
    "NeedType",
    "Case",
    "evaluate",
    "evaluate_many",
    "plan_timeline",
    "upcoming",
    "worklist",
    "appeal_deadline",
    "sen2",
    "testing",
]
CONTRACT_MODULE_NAMES = {
    "identifiers": ["is_valid_upn", "is_valid_uln", "is_valid_nhs_number"],
    "calendar": [
        "add_weeks",
        "add_months",
        "period_beginning_with",
        "add_working_days",
        "is_working_day",
        "compulsory_school_age_end",
    ],
    "rules": ["get", "in_force", "Citation", "Rule"],
}


def test_contract_names_exist() -> None:
    missing = [n for n in CONTRACT_TOP_LEVEL if not hasattr(sendflow, n)]
    assert missing == []
    for module, names in CONTRACT_MODULE_NAMES.items():
        mod = getattr(sendflow, module)
        assert [n for n in names if not hasattr(mod, n)] == [], module


def test_all_is_sorted_unique_and_complete() -> None:
    assert len(sendflow.__all__) == len(set(sendflow.__all__))
    assert set(CONTRACT_TOP_LEVEL) <= set(sendflow.__all__)
    for name in sendflow.__all__:
        assert hasattr(sendflow, name), name


def test_errors_share_one_root() -> None:
    from sendflow import errors

    for name in errors.__all__:
        obj = getattr(errors, name)
        assert issubclass(obj, sendflow.SendflowError), name
    assert issubclass(sendflow.InvalidTransition, sendflow.SendflowError)


def test_version_matches_metadata() -> None:
    assert sendflow.__version__ == version("sendflow")


def test_import_is_light() -> None:
    code = (
        "import sys, sendflow; "
        "bad = [m for m in ('hypothesis', 'statemachine', 'icalendar', 'dask', 'pandas', "
        "'pydantic', 'dateutil', 'sendflow.case', 'sendflow.compliance') "
        "if m in sys.modules]; print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_py_typed_is_shipped() -> None:
    from importlib.resources import files

    assert files("sendflow").joinpath("py.typed").is_file()


def test_public_modules_import() -> None:
    for name in (
        "sendflow.case",
        "sendflow.compliance",
        "sendflow.planning",
        "sendflow.workflows.assessment",
        "sendflow.export.diagrams",
    ):
        importlib.import_module(name)


#: Modules that ``sendflow --version`` and ``--help`` must not import (issue 19 point 5).
HEAVY = ("pydantic", "statemachine", "dateutil", "hypothesis", "dask", "pandas",
         "sendflow.case", "sendflow.compliance", "sendflow.rules", "sendflow.workflows",
         "sendflow.calendar")


def test_version_and_help_import_nothing_heavy() -> None:
    for argv in (["--version"], ["--help"], ["check", "--help"], ["diagram", "--help"]):
        done = subprocess.run([sys.executable, "-X", "importtime", "-m", "sendflow", *argv],
                              capture_output=True, text=True, check=True)
        assert done.stdout.strip(), argv
        imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()
                    if line.startswith("import time:")}
        assert "sendflow._cli" in imported
        assert sorted(m for m in imported if m in HEAVY or m.split(".")[0] in HEAVY) == [], argv


def test_lazy_names_resolve_to_their_modules() -> None:
    """Every lazily imported name is the object its module defines, and every name in
    ``__all__`` is eager, lazy or a submodule."""
    lazy: dict[str, str] = sendflow._LAZY
    submodules: frozenset[str] = sendflow._SUBMODULES
    for name, module in lazy.items():
        assert getattr(importlib.import_module(module), name) is getattr(sendflow, name), name
    for name in submodules:
        assert getattr(sendflow, name) is importlib.import_module(f"sendflow.{name}")
    eager = {n for n in sendflow.__all__ if n not in lazy and n not in submodules}
    from sendflow import errors

    assert eager <= set(errors.__all__)
    assert set(dir(sendflow)) >= set(sendflow.__all__)
    code = ("import sendflow; from sendflow import Case, evaluate, UPN; "
            "import sendflow.upcoming; print(Case.__name__, sendflow.upcoming.__name__, "
            "type(sendflow.upcoming).__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    # the submodule sendflow.upcoming, once imported, does not hide the function
    assert out.stdout.split() == ["Case", "upcoming", "function"]


def test_unknown_attribute_is_an_attribute_error() -> None:
    import pytest

    with pytest.raises(AttributeError, match="no_such_name"):
        _ = sendflow.no_such_name


def test_diagram_choices_are_the_workflow_tables() -> None:
    from sendflow._cli import DIAGRAM_PROCESSES
    from sendflow.workflows import TABLES

    assert tuple(sorted(TABLES)) == DIAGRAM_PROCESSES
