"""The engine's per-report copies: the fast copy of the readings equals ``dict()``.

``_readings_copy`` (sendflow.compliance._engine) copies a resolved readings
proxy with the proxy's ``copy()`` instead of ``dict(proxy)``; these tests hold
it equal to the plain ``dict()`` copy, and hold every report to its own dict.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import date
from types import MappingProxyType

from hypothesis import given
from hypothesis import strategies as st

from sendflow import Case, evaluate
from sendflow.compliance._engine import _readings_copy
from sendflow.rules import default_readings, readings, resolve_readings

_CHOICES = st.fixed_dictionaries(
    {},
    optional={r.id: st.sampled_from(r.choice_ids) for r in readings().values()},
)


@given(_CHOICES)
def test_readings_copy_equals_dict_copy(given_choices: dict[str, str]) -> None:
    resolved = resolve_readings(given_choices)
    copied = _readings_copy(resolved)
    assert type(copied) is dict
    assert copied == dict(resolved)
    assert list(copied) == list(dict(resolved))  # the same order too
    copied["review.completed_by"] = "changed"
    assert resolved == resolve_readings(given_choices)  # the source is untouched


def test_readings_copy_of_other_mappings_is_the_plain_copy() -> None:
    plain = {"notice.at_least": "clear_days"}
    ordered = OrderedDict(plain)
    for mapping in (plain, ordered, MappingProxyType(ordered), MappingProxyType(plain)):
        copied = _readings_copy(mapping)
        assert type(copied) is dict
        assert copied == plain
        assert copied is not plain


def test_each_report_has_its_own_readings_dict() -> None:
    case = Case.model_validate({"events": [
        {"type": "request_received", "on": "2026-01-05", "made_by": "parent"}]})
    first = evaluate(case, as_of=date(2026, 3, 1))
    second = evaluate(case, as_of=date(2026, 3, 1))
    assert first.readings == dict(default_readings())
    assert first.readings is not second.readings
    first.readings["notice.at_least"] = "changed"
    assert second.readings == dict(default_readings())
    assert dict(default_readings())["notice.at_least"] != "changed"


def test_the_common_path_builds_the_report_build_report_builds() -> None:
    # evaluate writes _build_report's values out on its common path; the two
    # must build the same report, with dicts of the report's own.
    from sendflow.compliance._build import private_store
    from sendflow.compliance._engine import _build_report

    case = Case.model_validate({"events": [
        {"type": "request_received", "on": "2026-01-05", "made_by": "parent"},
        {"type": "assessment_decision", "on": "2026-02-10", "outcome": "assess"}]})
    assert private_store(case).get("_adjust") is False  # the common path, not the adjusted one
    as_of = date(2026, 3, 1)
    for rules in (None, ("assessment.final_plan",)):
        report = evaluate(case, as_of=as_of, rules=rules)
        built = _build_report(case, as_of, list(report.deadlines), list(report.findings),
                              report.rules)
        assert report == built
        assert report.model_dump() == built.model_dump()
        assert report.states is not private_store(case)["_states"]
        assert report.readings == dict(default_readings())
