"""The API reference lists every model's fields and every enum's values, and shows no
raw Sphinx markup (docs/_griffe_sendflow.py, the griffe extension mkdocstrings runs)."""

from __future__ import annotations

from pathlib import Path

import griffe
import pytest

import sendflow
from sendflow.plan import EHCPlan
from sendflow.testing._register import exported_models

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def package() -> griffe.Module:
    extensions = griffe.load_extensions(
        f"{ROOT / 'docs' / '_griffe_sendflow.py'}:SendflowReference")
    loaded = griffe.load("sendflow", search_paths=[str(ROOT / "src")], extensions=extensions)
    assert isinstance(loaded, griffe.Module)
    return loaded


def _doc(package: griffe.Module, path: str) -> str:
    obj = package[path.removeprefix("sendflow.")]
    assert obj.docstring is not None, path
    return obj.docstring.value


def test_every_field_of_a_model_is_listed(package: griffe.Module) -> None:
    doc = _doc(package, "sendflow.plan.EHCPlan")
    assert "**Fields**" in doc
    for name in EHCPlan.model_fields:
        assert f"| `{name}` |" in doc
    assert "| `section_b` | <code>SpecialEducationalNeeds</code> | <code>required</code>" in doc
    case = _doc(package, "sendflow.case.Case")
    assert "| `reference` | <code>str &#124; None</code> | <code>None</code> | Your case " in case


def test_every_exported_model_gets_a_fields_table(package: griffe.Module) -> None:
    missing = []
    for cls in exported_models():
        path = f"{cls.__module__}.{cls.__qualname__}"
        try:
            doc = _doc(package, path)
        except (KeyError, AssertionError):
            continue  # defined in a private module that the reference does not load
        if cls.model_fields and "**Fields**" not in doc:
            missing.append(path)
    assert not missing


def test_enum_values_are_listed(package: griffe.Module) -> None:
    doc = _doc(package, "sendflow.people.Sex")
    assert "**Values**" in doc
    for member in sendflow.Sex:
        assert f"| `{member.name}` | <code>{member.value!r}</code>" in doc.replace("&#x27;", "'")


def test_no_sphinx_role_is_left(package: griffe.Module) -> None:
    def walk(obj: griffe.Object) -> list[str]:
        found = []
        if obj.docstring is not None and any(
                f":{role}:`" in obj.docstring.value
                for role in ("class", "func", "data", "meth", "mod", "attr", "exc")):
            found.append(obj.path)
        for member in obj.members.values():
            if not isinstance(member, griffe.Alias):
                found.extend(walk(member))
        return found

    assert walk(package) == []
    machine = _doc(package, "sendflow.workflows._machine")
    assert "``record``:\n" in machine and "``record``::" not in machine
