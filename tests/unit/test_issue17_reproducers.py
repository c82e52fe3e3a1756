"""Every library reproducer of issue 17, as the issue gives it (the command line's are in
tests/unit/test_cli_io.py, hostile files in tests/test_hostile_files.py).

Each must give its documented outcome: a result, or a ``SendflowError`` /
``ValidationError`` that carries no personal data."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

import sendflow
from sendflow import Case, SendflowError, calendar, evaluate, sen2
from sendflow._cli import main

SECRET = "Quinteroxa"
UPN = "A801200005001"  # wrong check letter
FIXTURE = Path(__file__).parents[1] / "fixtures" / "sen2" / "return_2025.xml"


def _late(on: str = "9999-10-01") -> Case:
    return Case.model_validate(
        {"events": [{"type": "request_received", "on": on, "made_by": "parent"}]})


def _texts(exc: BaseException) -> str:
    text = str(exc) + repr(exc)
    if isinstance(exc, ValidationError):
        text += json.dumps(exc.errors(), default=str) + exc.json()
    return text


LIBRARY_ERRORS: dict[str, Callable[[], Any]] = {
    "parse_event echoes input": lambda: sendflow.parse_event(
        {"type": "request_withdrawn", "on": SECRET}),
    "bare TypeAdapter(UPN)": lambda: TypeAdapter(sendflow.UPN).validate_python(UPN),
    "bare TypeAdapter(ULN)": lambda: TypeAdapter(sendflow.ULN).validate_python(SECRET),
    "bare TypeAdapter(NHSNumber)": lambda: TypeAdapter(sendflow.NHSNumber).validate_python(
        SECRET),
    "bare TypeAdapter(LACode)": lambda: TypeAdapter(sendflow.LACode).validate_python(SECRET),
    "evaluate near 9999 with rules": lambda: evaluate(
        _late(), as_of=date(9999, 12, 31), rules=["assessment"]),
    "appeal_deadline(9999-10-25)": lambda: sendflow.appeal_deadline(date(9999, 10, 25)),
    "plan_latest_end(9975-08-01)": lambda: sendflow.plan_latest_end(date(9975, 8, 1)),
    "academic_year_end(9999)": lambda: calendar.academic_year_end(9999),
    "bank_holidays(2026.5)": lambda: calendar.bank_holidays(2026.5),  # type: ignore[arg-type]
    "Timeline.step('nope')": lambda: sendflow.plan_timeline(
        request_received=date(2026, 1, 5)).step("nope"),
    "phase_transfer_due('nope', d)": lambda: sendflow.phase_transfer_due(
        "nope", date(2026, 9, 1)),
    "evaluate(as_of=datetime)": lambda: evaluate(
        _late("2026-01-05"), as_of=datetime(2026, 3, 1, tzinfo=UTC)),  # type: ignore[arg-type]
    "evaluate(a dict)": lambda: evaluate({"events": []}, as_of=date(2026, 3, 1)),  # type: ignore[arg-type]
    "is_projected(date)": lambda: calendar.is_projected(date(2026, 1, 1)),  # type: ignore[arg-type]
    "add_weeks(d, True)": lambda: calendar.add_weeks(date(2026, 1, 5), True),
    "from_xml bogus encoding": lambda: sen2.from_xml(
        b"<?xml version='1.0' encoding='x-bogus'?><Message/>"),
    "from_xml str with a lone surrogate": lambda: sen2.from_xml("<Message>\ud800</Message>"),
    "a lone surrogate in a free-text field": lambda: sen2.from_xml(
        FIXTURE.read_text(encoding="utf-8").replace("Testperson", "Test\udc80person")),
    "to_xml of a control character in a name": lambda: sen2.to_xml(
        sen2.from_xml(FIXTURE.read_bytes()).model_copy(update={"persons": (
            sen2.from_xml(FIXTURE.read_bytes()).persons[0].model_copy(
                update={"surname": "Test\x01person"}),)})),
}


@pytest.mark.parametrize("name", sorted(LIBRARY_ERRORS))
def test_a_library_error_without_personal_data(name: str) -> None:
    with pytest.raises((SendflowError, ValidationError)) as info:
        LIBRARY_ERRORS[name]()
    text = _texts(info.value)
    assert SECRET not in text and UPN not in text and str(info.value).strip()


@pytest.mark.parametrize("build", [
    lambda: sendflow.ChildOrYoungPerson(date_of_birth=date(2015, 1, 1), given_name="A\ud800"),
    lambda: Case.model_validate({"events": [{"type": "request_received", "on": "2026-01-05",
                                             "made_by": "parent", "reference": "\udc80"}]}),
    lambda: sen2.from_xml(FIXTURE.read_bytes()).persons[0].model_validate(
        {**sen2.from_xml(FIXTURE.read_bytes()).persons[0].model_dump(), "forename": "\ud800"}),
])
def test_a_lone_surrogate_never_reaches_model_dump_json(build: Callable[[], Any]) -> None:
    with pytest.raises(ValidationError):
        build()


def test_ical_of_9999_12_31_and_one_case_near_9999_in_a_caseload(tmp_path: Path) -> None:
    from sendflow.export import ical

    assert ical.to_ics([], name="n", as_of=date.max).startswith(b"BEGIN:VCALENDAR")
    reports = list(sendflow.evaluate_many([_late(), _late("2026-01-05")],
                                          as_of=date(9999, 12, 31), rules=["assessment"]))
    assert reports[0].invalid and reports[1].invalid is None
    lines = [_late().model_dump_json(), _late("2026-01-05").model_dump_json()]
    from sendflow.distributed import tally_partition

    tally = tally_partition(lines, as_of=date(9999, 12, 31))[0]
    assert (tally.cases, tally.invalid) == (1, 1)


def test_check_rules_goes_on_after_a_case_near_9999(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_text(_late().model_dump_json() + "\n" + _late("9999-06-01").model_dump_json()
                    + "\n", encoding="utf-8")
    assert main(["check", str(path), "--as-of", "9999-12-31", "--rules", "assessment"]) == 1
    captured = capsys.readouterr()
    assert "line 1: invalid case" in captured.err and "2 cases checked" not in captured.out
    assert "line 2" in captured.out + captured.err  # the rest of the file was read


def test_model_copy_and_report_round_trip() -> None:
    case = Case().model_copy(update={"events": _late("2026-01-05").events})
    report = evaluate(case, as_of=date(2026, 3, 1))
    assert report.deadlines
    again = sendflow.ComplianceReport.model_validate_json(report.model_dump_json())
    assert again.explain() == report.explain()


def test_build_return_refuses_one_child_with_a_long_name() -> None:
    long = Case.model_validate({
        "responsible_la": "202",
        "child": {"date_of_birth": "2015-01-01", "family_name": SECRET * 20},
        "events": [{"type": "request_received", "on": "2025-03-01", "made_by": "parent"}]})
    ok = long.model_copy(update={"child": {"date_of_birth": "2015-01-01",
                                           "family_name": "Short"}})
    ret = sen2.build_return([long, ok], year=2026, la="202",
                            header={"dmo": "Y", "dco": "N", "dsco": "N"})
    assert len(ret.persons) == 1 and len(ret.refused) == 1
    assert SECRET not in repr(ret.refused) + json.dumps(
        [r.model_dump(mode="json") for r in ret.refused])
