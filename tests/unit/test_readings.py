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
