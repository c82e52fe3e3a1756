"""Checks on every rule data file under ``sendflow/rules/data`` and on the loader's errors.

The data encode /work/shared/reference/timescales.md; these tests check its shape, not its
arithmetic (worked examples belong with the calendar and compliance tests).
"""

from __future__ import annotations

import itertools
import re
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from sendflow.errors import RuleDataError
from sendflow.rules import CitationKind, Counting, ExceptionGround, LegalStatus, Rule, RuleHistory
from sendflow.rules._registry import all_rules, check_process, get, in_force, load_file
from sendflow.workflows import EVENT_CLASSES

INVALID = Path(__file__).parent / "invalid"
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
STATUTE_KINDS = {CitationKind.ACT, CitationKind.REGULATIONS, CitationKind.RULES}
GUIDANCE_KINDS = {CitationKind.CODE_OF_PRACTICE, CitationKind.GUIDANCE}
COVID_START, COVID_END = date(2020, 5, 1), date(2020, 9, 25)

HISTORIES: list[RuleHistory] = list(all_rules())
VERSIONS: list[Rule] = [v for h in HISTORIES for v in h.versions]


def _vid(rule: Rule) -> str:
    return f"{rule.id}@{rule.effective_from.isoformat()}"


def test_registry_has_rules_from_every_data_file() -> None:
    folder = resources.files("sendflow.rules").joinpath("data")
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".toml"))
    for name in ("review.toml", "transfer.toml", "disagreement.toml", "assessment.toml"):
        assert name in names
    # Files are named by process (issue 15): one file per process, no catch-all.
    assert names == sorted({f"{h.versions[-1].process}.toml" for h in HISTORIES})
    loaded = {
        h.id
        for p in folder.iterdir()
        if p.name.endswith(".toml")
        for h in load_file(p.name, p.read_text(encoding="utf-8"))
    }
    assert loaded == {h.id for h in HISTORIES}


@pytest.mark.parametrize(
    "rule_id",
    [
        "review.annual",
        "review.invitations",
        "review.amended_plan",
        "transfer.phase",
        "transfer.phase_2015",
        "reassessment.final_plan",
        "la_transfer.review",
        "commissioning.change_notify",
        "ceasing.age_25",
        "disagreement.mediation_no_health",
        "appeal.deadline",
        "tribunal_order.amend_placement",
        "unopposed.assess_final",
        "personal_budget.direct_payment_first_review",
        "disclosure.higher_education",
        "assessment.special_school_stay",
        "assessment.setting_response",
    ],
)
def test_pinned_ids_exist(rule_id: str) -> None:
    assert rule_id in {h.id for h in HISTORIES}


@pytest.mark.parametrize("rule", VERSIONS, ids=_vid)
def test_every_version_is_cited_and_dated(rule: Rule) -> None:
    assert rule.citations
    assert all(c.href.startswith("https://") for c in rule.citations)
    assert all(c.provision.strip() and c.title.strip() for c in rule.citations)
    assert isinstance(rule.effective_from, date)
    assert rule.duty.strip()
    assert rule.title.strip()


@pytest.mark.parametrize("history", HISTORIES, ids=lambda h: h.id)
def test_versions_sorted_and_not_overlapping(history: RuleHistory) -> None:
    versions = history.versions
    assert [v.effective_from for v in versions] == sorted(v.effective_from for v in versions)
    for earlier, later in itertools.pairwise(versions):
        assert earlier.effective_to is not None
        assert earlier.effective_to < later.effective_from
    for version in versions:
        assert version.effective_to is None or version.effective_from <= version.effective_to
    assert {v.id for v in versions} == {history.id}


@pytest.mark.parametrize("history", HISTORIES, ids=lambda h: h.id)
def test_ids_are_dotted_lowercase(history: RuleHistory) -> None:
    assert ID_PATTERN.match(history.id)


@pytest.mark.parametrize("rule", VERSIONS, ids=_vid)
def test_exception_grounds_are_known(rule: Rule) -> None:
    for ground in rule.exceptions:
        assert ground.ground in set(ExceptionGround)
        assert ground.provision


@pytest.mark.parametrize("rule", VERSIONS, ids=_vid)
def test_citation_kind_matches_legal_status(rule: Rule) -> None:
    kinds = {c.kind for c in rule.citations}
    if rule.legal_status is LegalStatus.STATUTE:
        assert kinds & STATUTE_KINDS
    elif rule.legal_status is LegalStatus.GUIDANCE:
        assert kinds & GUIDANCE_KINDS
    elif rule.legal_status is LegalStatus.CASE_LAW:
        assert CitationKind.CASE_LAW in kinds


@pytest.mark.parametrize("rule", VERSIONS, ids=_vid)
def test_coronavirus_ground_only_in_2020_window(rule: Rule) -> None:
    # SI 2020/471: in force 1 May to 25 September 2020 (reg 2(2)).
    if ExceptionGround.CORONAVIRUS in rule.disapplied_by:
        assert rule.effective_from == COVID_START
        assert rule.effective_to == COVID_END
        assert any("2020/471" in c.provision or "2020/471" in c.href for c in rule.citations)


@pytest.mark.parametrize("history", HISTORIES, ids=lambda h: h.id)
def test_coronavirus_rules_have_three_versions(history: RuleHistory) -> None:
    covid = [v for v in history.versions if ExceptionGround.CORONAVIRUS in v.disapplied_by]
    if covid:
        # One version before, the 2020 window, one after (earlier dated versions,
        # such as reg. 45 as made, may come before them).
        k = history.versions.index(covid[0])
        assert len(covid) == 1 and k >= 1 and len(history.versions) == k + 2
        assert history.versions[k - 1].effective_to == date(2020, 4, 30)
        assert history.versions[k + 1].effective_from == date(2020, 9, 26)
        assert history.versions[k + 1].effective_to is None


def test_spent_transitional_rule_is_not_in_force_today() -> None:
    ids = {r.id for r in in_force(on=date(2026, 1, 5))}
    assert "transfer.phase_2015" not in ids
    assert "transfer.phase" in ids
    assert get("transfer.phase_2015", on=date(2015, 5, 1)).period.fixed_month == 5


def test_reg_44_3_grounds_for_ordered_assessments() -> None:
    # Reg 44(3): 2 weeks' absence and personal circumstances, plus the reg 13(3) grounds.
    rule = get("tribunal_order.assess_final", on=date(2026, 1, 5))
    absences = sorted(g.min_weeks or 0 for g in rule.exceptions if g.ground == "absent_from_area")
    assert absences == [2, 4]
    assert {g.ground for g in rule.exceptions} == {
        ExceptionGround.EXCEPTIONAL_PERSONAL_CIRCUMSTANCES,
        ExceptionGround.ABSENT_FROM_AREA,
        ExceptionGround.SCHOOL_CLOSURE,
        ExceptionGround.EARLY_YEARS_CLOSURE,
    }
    # Reg 45(7) does not cover (3A): no ground outside 2020.
    assert get("unopposed.assess_final", on=date(2026, 1, 5)).exceptions == ()
    assert get("unopposed.assess_final", on=date(2020, 6, 1)).disapplied_by == (
        ExceptionGround.CORONAVIRUS,
    )


def test_phase_transfer_period_is_before_15_february() -> None:
    rule = get("transfer.phase", on=date(2026, 1, 5))
    assert rule.period.counting is Counting.BEFORE_FIXED_DATE
    assert (rule.period.fixed_month, rule.period.fixed_day) == (2, 15)
    assert rule.evaluator == "phase_transfer"


def test_si_2020_471_citations_name_the_amending_regulation() -> None:
    # SI 2020/471 reg 7 amended reg 5(4); reg 5 inserted the reg 2A gloss.
    rule = get("assessment.decision", on=date(2020, 6, 1))
    covid = [c for c in rule.citations if "2020/471" in c.href]
    assert covid[0].href.endswith("/uksi/2020/471/regulation/7")


@pytest.mark.parametrize(
    ("file_name", "key_part"),
    [
        ("unknown_key.toml", "rule[0] (broken.example)"),
        ("overlapping_versions.toml", "rule[0] (broken.example).version"),
        ("missing_citation.toml", "rule[0] (broken.example).version[0].citations"),
        ("bad_href.toml", "rule[0] (broken.example).version[0].citations.0.href"),
        # The joins between data and code (sendflow.rules._joins), one file per kind:
        ("unknown_evaluator.toml", "rule[0] (broken.example).version[0].evaluator"),
        ("unknown_event_type.toml", "rule[0] (broken.example).version[0].clock.met_by[0].event"),
        ("unknown_where_field.toml",
         "rule[0] (broken.example).version[0].clock.closed_by[0].where.result"),
        ("unknown_per_field.toml", "rule[0] (broken.example).version[0].clock.per"),
        ("unknown_start_field.toml", "rule[0] (broken.example).version[0].clock.start_field"),
        ("unknown_while_in_state.toml", "rule[0] (broken.example).version[0].clock.while_in"),
        ("unknown_event_in_later_version.toml",
         "rule[0] (broken.example).version[1].clock.met_by[0].event"),
        ("missing_named_period.toml",
         "rule[0] (broken.example).version[0].periods.since_last_review"),
        ("unread_named_period.toml", "rule[0] (broken.example).version[0].periods.extended"),
        # A clock read by no evaluator: a clock key it does not read, a version's own
        # clock under an evaluator that knows its events in code.
        ("clock_key_not_read.toml", "rule[0] (broken.example).version[0].clock.per"),
        ("own_clock_under_custom_evaluator.toml",
         "rule[0] (broken.example).version[1].clock"),
        ("start_field_not_in_code.toml",
         "rule[0] (broken.example).version[0].clock.start_field"),
        ("unknown_top_table.toml", "transfer_kinds"),
        # A rule taking its numbers from another (period_of): the law has one home.
        ("period_of_unknown_rule.toml", "rule[0] (broken.example).version[0].period_of"),
        ("period_of_with_period.toml", "rule[0] (broken.example).version[0].period"),
        ("period_of_not_in_force.toml", "rule[0] (broken.example).version[0].period_of"),
    ],
)
def test_broken_files_raise_rule_data_error(file_name: str, key_part: str) -> None:
    text = (INVALID / file_name).read_text(encoding="utf-8")
    with pytest.raises(RuleDataError) as info:
        load_file(file_name, text)
    assert info.value.file == file_name
    assert info.value.key == key_part
    assert file_name in str(info.value)
    assert key_part in str(info.value)


def test_unknown_key_is_named() -> None:
    text = (INVALID / "unknown_key.toml").read_text(encoding="utf-8")
    with pytest.raises(RuleDataError, match="deadline"):
        load_file("unknown_key.toml", text)


_EVENT_CLASS_BY_TYPE = {cls.model_fields["type"].default: cls for cls in EVENT_CLASSES}


@pytest.mark.parametrize("rule", VERSIONS, ids=_vid)
def test_clock_names_only_event_types_and_fields_that_exist(rule: Rule) -> None:
    # The engine reads a clock's ``per``, ``start_field`` and ``where`` from the
    # event; a name the event class does not have would read as "no value" and
    # silently merge or drop instances (assessment.setting_response once had
    # per = "setting" for the field setting_ref).
    clock = rule.clock
    for role in (clock.starts, clock.met_by, clock.closed_by):
        for match in role:
            cls = _EVENT_CLASS_BY_TYPE.get(match.event)
            assert cls is not None, f"{_vid(rule)}: no event class for {match.event!r}"
            for name in match.where:
                assert name in cls.model_fields, f"{_vid(rule)}: {match.event}.{name}"
    for match in clock.starts:
        cls = _EVENT_CLASS_BY_TYPE[match.event]
        if clock.per is not None:
            assert clock.per in cls.model_fields, f"{_vid(rule)}: per {clock.per!r}"
        if clock.start_field is not None:
            assert clock.start_field in cls.model_fields, f"{_vid(rule)}: {clock.start_field!r}"


def test_a_rule_in_another_process_file_is_refused() -> None:
    # Rule data files are named by process (issue 15): a rule whose process is not
    # its file's name is an error naming the file and the rule, not a catch-all file.
    name = "wrong_process.toml"
    items = load_file(name, (INVALID / name).read_text(encoding="utf-8"))
    with pytest.raises(RuleDataError) as info:
        check_process(name, items)
    assert (info.value.file, info.value.key) == (name, "broken.example.process")
    assert "review.toml" in str(info.value)


@pytest.mark.parametrize(
    ("file_name", "key", "message"),
    [
        # The joins between readings.toml and the code (sendflow._readings_law.READINGS_CODE),
        # checked when the readings load, one file per kind of mismatch:
        ("readings_unknown_rule.toml", "reading[0] (notice.at_least).rules", "review.nope"),
        ("readings_unimplemented_reading.toml", "reading[0] (notice.in_writing).id",
         "no code implements this reading"),
        ("readings_unimplemented_choice.toml",
         "reading[0] (notice.at_least).choices.business_days", "does not implement"),
        ("readings_choice_not_offered.toml", "reading[0] (notice.at_least).choices",
         "'clear_days'"),
        ("readings_evaluator_does_not_read.toml", "reading[0] (notice.at_least).rules",
         "'assessment.final_plan' uses evaluator 'standard'"),
    ],
)
def test_broken_readings_files_raise_rule_data_error(
    file_name: str, key: str, message: str
) -> None:
    from sendflow._readings_law import READINGS_CODE
    from sendflow.rules._readings import load_readings

    evaluators = {h.id: frozenset(v.evaluator for v in h.versions) for h in HISTORIES}
    text = (INVALID / file_name).read_text(encoding="utf-8")
    with pytest.raises(RuleDataError) as info:
        load_readings(file_name, text, frozenset(evaluators), evaluators=evaluators,
                      code=READINGS_CODE)
    assert (info.value.file, info.value.key) == (file_name, key)
    assert message in str(info.value)
    # The shipped readings pass the same checks (they ran when the readings loaded).
    shipped = resources.files("sendflow.rules").joinpath("readings.toml")
    table = load_readings("readings.toml", shipped.read_text(encoding="utf-8"),
                          frozenset(evaluators), evaluators=evaluators, code=READINGS_CODE)
    assert set(table) == set(READINGS_CODE)


def test_the_readings_code_names_only_evaluators_that_exist() -> None:
    from sendflow._readings_law import READINGS_CODE
    from sendflow.compliance.evaluators import EVALUATORS

    for code in READINGS_CODE.values():
        assert code.evaluators <= set(EVALUATORS)


#: Each broken file and the check that refuses it (the loader's, or check_process).
BROKEN = {p.name for p in INVALID.glob("*.toml")}


def test_every_broken_file_is_loaded_by_a_test() -> None:
    # A broken file no test loads proves nothing; each must be in a test's list.
    text = Path(__file__).read_text(encoding="utf-8")
    assert sorted(name for name in BROKEN if f'"{name}"' not in text) == []


def test_a_workflow_row_whose_event_has_no_class_is_refused() -> None:
    from sendflow.rules._joins import check_workflow_rows

    rows = [("awaiting_decision", "assessment_decision"), ("assessing", "assessment_paused")]
    with pytest.raises(RuleDataError) as info:
        check_workflow_rows([("assessment", rows)])
    assert info.value.file == "workflow table 'assessment'"
    assert info.value.key == "(assessing, assessment_paused)"
    check_workflow_rows([("assessment", rows[:1])])  # a row with a class passes



@pytest.mark.parametrize(
    ("file_name", "key", "message"),
    [
        # transfer.toml's [transfer_kinds] (reg. 2(1)), read by lifecycle.transfer_kind_for:
        ("transfer_kinds_unknown_kind.toml", "transfer_kinds.row[1].kind", "infant_to_juniour"),
        ("transfer_kinds_missing_kind.toml", "transfer_kinds.row", "middle_to_secondary"),
        ("transfer_kinds_not_a_phase.toml", "transfer_kinds.row[7].kind", "reg. 2(1)"),
        ("transfer_kinds_unknown_key.toml", "transfer_kinds.row.1.from_years", "xtra"),
    ],
)
def test_broken_transfer_kinds_raise_rule_data_error(
    file_name: str, key: str, message: str
) -> None:
    from sendflow.rules._phases import load_transfer_kinds

    text = (INVALID / file_name).read_text(encoding="utf-8")
    with pytest.raises(RuleDataError) as info:
        load_transfer_kinds(file_name, text)
    assert (info.value.file, info.value.key) == (file_name, key)
    assert message in str(info.value)


def test_the_shipped_transfer_kinds_cover_every_phase() -> None:
    from sendflow.rules._registry import transfer_kinds
    from sendflow.workflows.review import TransferKind

    table = transfer_kinds()
    assert {row.kind for row in table.row} == {k.value for k in TransferKind} - {
        "into_apprenticeship"
    }
    assert all(row.provision.startswith("reg. ") for row in table.row)
    assert {c.kind for c in table.citations} == {CitationKind.REGULATIONS}


@pytest.mark.parametrize(
    ("file_name", "key", "message"),
    [
        # sen2/data/statistics.toml's [[period]]s, read by sen2.statistics and timeliness:
        ("statistics_period_not_measured.toml", "period[5].name", "no figure"),
        ("statistics_period_missing.toml", "period (review_decision)", "not defined"),
        ("statistics_period_rule_and_weeks.toml", "period[0]", "either rule or weeks"),
        ("statistics_period_unknown_key.toml", "period[2].week", "unknown key"),
        ("statistics_period_unknown_rule.toml", "request_decision.rule", "assessment.decisions"),
        ("statistics_period_wrong_unit.toml", "review_interval.unit", "months"),
    ],
)
def test_broken_statistics_periods_raise_rule_data_error(
    file_name: str, key: str, message: str
) -> None:
    from sendflow.sen2._periods import check_periods, load_periods

    text = (INVALID / file_name).read_text(encoding="utf-8")
    with pytest.raises(RuleDataError) as info:
        check_periods(file_name, load_periods(file_name, text))
    assert (info.value.file, info.value.key) == (file_name, key)
    assert message in str(info.value)


def test_the_statistics_periods_name_their_rules_or_the_dfe() -> None:
    from sendflow.sen2._periods import MEASURED, period

    for name in MEASURED:
        item = period(name)
        assert item.source.startswith("https://explore-education-statistics.service.gov.uk/")
        if item.rule is None:  # the DfE's own band: not a time limit in law
            assert "not a time limit in law" in item.dfe
        else:
            assert get(item.rule, on=date(2026, 1, 5)).is_statutory


def test_a_rule_taking_its_numbers_from_another_holds_that_rules() -> None:
    # ceasing.appeal_window's data names appeal.deadline (period_of) and no number.
    window = get("ceasing.appeal_window", on=date(2026, 1, 5))
    appeal = get("appeal.deadline", on=date(2026, 1, 5))
    assert window.period_of == "appeal.deadline"
    assert (window.period, window.periods, window.spans) == (
        appeal.period, appeal.periods, appeal.spans
    )
    text = resources.files("sendflow.rules").joinpath("data/ceasing.toml").read_text(
        encoding="utf-8"
    )
    block = text[text.index('id = "ceasing.appeal_window"'):text.index('id = "ceasing.age_25"')]
    assert "months" not in block.split("notes")[0]
