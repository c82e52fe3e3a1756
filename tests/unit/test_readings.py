"""Readings: the law's open questions as named choices (issue 15 point 4)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sendflow import InvalidArgument
from sendflow.errors import RuleDataError
from sendflow.rules import default_readings, readings, resolve_readings, rule_ids
from sendflow.rules._readings import load_readings

DOCS = Path(__file__).resolve().parents[2] / "docs"

GOOD = """
[[reading]]
id = "x.y"
question = "Which?"
default = "a"
default_reason = "Because."
rules = ["review.annual"]

[reading.choices.a]
meaning = "A."
sources = [{ title = "T", provision = "s. 1", kind = "act", href = "https://example.org/1" }]

[reading.choices.b]
meaning = "B."
sources = [{ title = "T", provision = "s. 2", kind = "act" }]
"""


def test_shipped_readings_include_the_two_the_issue_names() -> None:
    table = readings()
    assert table["review.completed_by"].choice_ids == ("decision", "meeting")
    assert table["review.completed_by"].default == "decision"
    assert table["notice.at_least"].choice_ids == ("event_day_excluded", "clear_days")
    assert table["notice.at_least"].default == "event_day_excluded"


def test_every_reading_is_documented_and_names_known_rules() -> None:
    known = set(rule_ids())
    for reading in readings().values():
        assert reading.default_reason
        assert set(reading.rules) <= known, reading.id
        for choice in reading.choices:
            assert choice.sources, (reading.id, choice.id)
            for source in choice.sources:
                assert source.href is None or source.href.startswith("https://")


def test_open_questions_page_lists_every_reading_and_choice() -> None:
    page = (DOCS / "law" / "open-questions.md").read_text(encoding="utf-8")
    for reading in readings().values():
        assert f"`{reading.id}`" in page, reading.id
        for choice in reading.choice_ids:
            assert f"`{choice}`" in page, (reading.id, choice)


def test_defaults_and_resolution() -> None:
    assert dict(default_readings()) == {
        "notice.at_least": "event_day_excluded",
        "review.completed_by": "decision",
    }
    assert resolve_readings(None) == default_readings()
    assert resolve_readings({}) == default_readings()
    got = resolve_readings({"review.completed_by": "meeting"})
    assert got == {"notice.at_least": "event_day_excluded", "review.completed_by": "meeting"}


def test_unknown_reading_id_is_named() -> None:
    with pytest.raises(InvalidArgument, match=r"unknown reading 'review\.held_by'"):
        resolve_readings({"review.held_by": "meeting"})


def test_unknown_choice_names_the_reading_and_its_choices() -> None:
    with pytest.raises(InvalidArgument, match=r"review\.completed_by") as info:
        resolve_readings({"review.completed_by": "Jane Smith 2012-03-04"})
    assert "decision, meeting" in str(info.value)
    assert "Jane" not in str(info.value)


def test_values_not_shaped_like_ids_are_not_echoed() -> None:
    with pytest.raises(InvalidArgument) as info:
        resolve_readings({"Jane Smith": "decision"})
    assert "Jane" not in str(info.value)
    with pytest.raises(InvalidArgument):
        resolve_readings({"review.completed_by": 3})  # type: ignore[dict-item]
    with pytest.raises(InvalidArgument):
        resolve_readings(["review.completed_by"])  # type: ignore[arg-type]


def test_resolved_readings_are_read_only() -> None:
    got = resolve_readings({"notice.at_least": "clear_days"})
    with pytest.raises(TypeError):
        got["notice.at_least"] = "event_day_excluded"  # type: ignore[index]


def test_a_good_file_loads() -> None:
    table = load_readings("t.toml", GOOD, frozenset({"review.annual"}))
    assert table["x.y"].choice("b").sources[0].href is None


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (GOOD.replace('default = "a"', 'default = "c"'), "reading[0] (x.y)"),
        (
            GOOD.replace('rules = ["review.annual"]', 'rules = ["review.nope"]'),
            "reading[0] (x.y).rules",
        ),
        (
            GOOD.replace('question = "Which?"', 'question = "Which?"\ncolour = "red"'),
            "reading[0] (x.y)",
        ),
        (GOOD.replace("[reading.choices.b]", "[reading.choices.B]"), "reading[0] (x.y)"),
        (GOOD + GOOD, "reading[1] (x.y)"),
        (GOOD.replace('kind = "act", href', 'kind = "statute", href'), "reading[0] (x.y)"),
        ("[[rule]]\nid = 'a.b'\n", "(file)"),
        ("reading = 3\n", "reading"),
        ("this is not toml", "(file)"),
    ],
)
def test_broken_files_name_file_and_key(text: str, key: str) -> None:
    with pytest.raises(RuleDataError) as info:
        load_readings("broken.toml", text, frozenset({"review.annual"}))
    assert info.value.file == "broken.toml"
    assert info.value.key.startswith(key)


# ---------------------------------------------------------------- evaluate


def _case() -> object:
    from sendflow import Case

    return Case.model_validate({"events": [
        {"type": "final_plan_issued", "on": "2025-03-20"},
        {"type": "review_meeting_held", "on": "2026-03-02"},
        {"type": "review_decision", "on": "2026-03-30", "outcome": "maintain"},
    ]})


def test_the_report_records_its_readings_and_keeps_them_in_json() -> None:
    from datetime import date

    from sendflow import ComplianceReport, evaluate

    report = evaluate(_case(), as_of=date(2026, 6, 1),  # type: ignore[arg-type]
                      readings={"review.completed_by": "meeting"})
    assert report.readings == {"notice.at_least": "event_day_excluded",
                               "review.completed_by": "meeting"}
    again = ComplianceReport.model_validate_json(report.model_dump_json())
    assert again.readings == report.readings
    default = evaluate(_case(), as_of=date(2026, 6, 1))  # type: ignore[arg-type]
    assert default.readings == dict(default_readings())
    # the reading changes the result: met by the meeting, or missed by the decision
    def first_review(r: ComplianceReport) -> str:
        return next(d.status.value for d in r.deadlines if d.rule_id == "review.annual")

    assert first_review(report) == "met"
    assert first_review(default) == "missed"


def test_evaluate_many_refuses_an_unknown_reading_before_the_first_case() -> None:
    from datetime import date

    from sendflow import evaluate_many

    reports = evaluate_many(iter([]), as_of=date(2026, 1, 1), readings={"no.such": "x"})
    with pytest.raises(InvalidArgument, match=r"no\.such"):
        next(reports)


def test_the_loader_refuses_a_reading_no_evaluator_of_its_rules_reads() -> None:
    from sendflow._readings_law import READINGS_CODE

    text = GOOD.replace("x.y", "review.completed_by").replace(
        'rules = ["review.annual"]', 'rules = ["assessment.final_plan"]').replace(
        '"a"', '"decision"').replace("choices.a]", "choices.decision]").replace(
        "choices.b]", "choices.meeting]")
    evaluators = {"assessment.final_plan": frozenset({"standard"})}
    with pytest.raises(RuleDataError, match=r"assessment\.final_plan") as info:
        load_readings("readings.toml", text, frozenset(evaluators), evaluators=evaluators,
                      code=READINGS_CODE)
    assert info.value.file == "readings.toml"
    with pytest.raises(RuleDataError, match="no code implements"):
        load_readings("readings.toml", GOOD, code=READINGS_CODE)  # x.y: no code for it
    # the same reading, its rule using an evaluator that reads it, loads
    ok = {"assessment.final_plan": frozenset({"review_annual"})}
    assert "review.completed_by" in load_readings(
        "readings.toml", text, frozenset(ok), evaluators=ok, code=READINGS_CODE)


def test_the_shipped_readings_are_checked_when_they_load() -> None:
    from sendflow._readings_law import READINGS_CODE

    assert set(readings()) == set(READINGS_CODE)
    for reading in readings().values():
        assert set(reading.choice_ids) == READINGS_CODE[reading.id].choices



# ---------------------------------------------------------------- command line

_REVIEWED_LATE = {"events": [
    {"type": "final_plan_issued", "on": "2025-03-20"},
    {"type": "review_meeting_held", "on": "2026-03-02"},
    {"type": "review_decision", "on": "2026-03-30", "outcome": "maintain"},
]}


def _check(tmp_path: Path, *extra: str) -> tuple[int, list[dict[str, object]], str]:
    import json

    from sendflow._cli import main

    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps(_REVIEWED_LATE) + "\n", encoding="utf-8")
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", str(path), "--as-of", "2026-06-01", "--format", "json", *extra])
    rows = [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]
    return code, rows, err.getvalue()


def test_cli_check_reading(tmp_path: Path) -> None:
    code, rows, err = _check(tmp_path, "--reading", "review.completed_by=meeting")
    assert code == 0
    report = rows[0]["report"]
    assert isinstance(report, dict)
    assert report["readings"]["review.completed_by"] == "meeting"
    first = next(d for d in report["deadlines"] if d["rule_id"] == "review.annual")
    assert first["status"] == "met"
    assert "Readings: notice.at_least=event_day_excluded, review.completed_by=meeting" in err
    code, rows, _ = _check(tmp_path)
    report = rows[0]["report"]
    assert isinstance(report, dict)
    first = next(d for d in report["deadlines"] if d["rule_id"] == "review.annual")
    assert first["status"] == "missed"  # the default: the decision completes the review


@pytest.mark.parametrize(
    ("arg", "message"),
    [
        ("review.completed_by", "give ID=CHOICE"),
        ("review.completed_by=hearing", "choose one of decision, meeting"),
        ("review.held_by=meeting", "unknown reading 'review.held_by'"),
    ],
)
def test_cli_check_refuses_bad_readings(tmp_path: Path, arg: str, message: str) -> None:
    code, rows, err = _check(tmp_path, "--reading", arg)
    assert code == 2
    assert rows == []
    assert message in err


def test_the_joins_are_checked_when_the_shipped_file_loads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Not at the first evaluate: loading readings.toml (readings(), default_readings())
    # checks it against the code, so a reading the code drops is refused at load.
    import sendflow._readings_law as law
    from sendflow.rules import _readings

    kept = {k: v for k, v in law.READINGS_CODE.items() if k != "notice.at_least"}
    monkeypatch.setattr(law, "READINGS_CODE", kept)
    with pytest.raises(RuleDataError) as info:
        _readings._readings.__wrapped__()
    assert info.value.file == "readings.toml"
    assert info.value.key.endswith("(notice.at_least).id")
