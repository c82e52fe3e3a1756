"""SEN2 model, dated code sets, building a return from cases, and XML/CSV round trips.

Facts from sendflow's reference notes (sen2.md): census dates s. 1.1, modules s. 2,
outcome codes s. 3.3-3.4 (SEN2 guide text, verified), Sex from 2024 and DS from
2025 (s. 7).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from test_sen2_validate import make  # same folder (pytest's default import mode)

from sendflow import Case
from sendflow.sen2 import (
    SEN2Error,
    SEN2Return,
    build_return,
    census_date,
    code_set,
    from_csv,
    from_xml,
    item_in_collection,
    read_csv_dir,
    to_csv,
    to_xml,
    validate,
    write_csv_dir,
)
from sendflow.synth import synthesise


@pytest.mark.parametrize(
    ("year", "census"),
    [(2023, date(2023, 1, 19)), (2024, date(2024, 1, 18)), (2025, date(2025, 1, 16)),
     (2026, date(2026, 1, 15)), (2027, date(2027, 1, 21))],
)
def test_census_dates_are_data(year: int, census: date) -> None:
    assert census_date(year) == census


def test_unknown_collection_year() -> None:
    with pytest.raises(SEN2Error, match="2019"):
        census_date(2019)


def test_code_sets_by_collection_year() -> None:
    assert set(code_set("AssessmentOutcome", 2026)) == {"Y", "N", "A", "W", "H"}
    assert set(code_set("CeaseReason", 2025)) == {str(i) for i in range(1, 10)}
    assert code_set("CeaseReason", 2025)["9"].query
    assert "OTH" in code_set("SENsetting", 2024)
    assert set(code_set("Sex", 2023)) == set() and set(code_set("Sex", 2024)) == {"F", "M", "U"}
    assert "NSA" not in code_set("SENtype", 2026)
    with pytest.raises(SEN2Error):
        code_set("NoSuchSet", 2026)


def test_items_by_collection_year() -> None:
    assert item_in_collection("Person", "GenderCurrent", 2023)
    assert not item_in_collection("Person", "GenderCurrent", 2024)
    assert not item_in_collection("Request", "RequestSource", 2024)
    assert item_in_collection("Request", "RequestSource", 2025)
    assert item_in_collection("ActivePlan", "RES", 2023)
    assert not item_in_collection("ActivePlan", "RES", 2024)
    assert item_in_collection("PlacementDetail", "RES", 2024)


def _cases(n: int = 400) -> list[Case]:
    return [Case.model_validate(c) for c in synthesise(n, seed=21, la_codes=("201",))]


@pytest.fixture(scope="module")
def built() -> SEN2Return:
    return build_return(_cases(), year=2026)


def test_build_covers_the_period_and_the_stock(built: SEN2Return) -> None:
    assert built.header.lea == "201" and built.header.reference_date == date(2026, 1, 15)
    outcomes = {r.request_outcome for p in built.persons for r in p.requests}
    assert {"Y", "N", "H"} <= outcomes
    for person in built.persons:
        for request in person.requests:
            for a in request.assessment:
                d = a.assessment_outcome_date
                if a.assessment_outcome == "Y" and d is not None:
                    assert date(2025, 1, 1) <= d <= date(2025, 12, 31)
                    assert a.week20 is not None


def test_build_from_generated_cases_passes_the_structural_rules(built: SEN2Return) -> None:
    # The synthetic children carry no need types unless the person model has them,
    # so SF0600 (a rank-1 SENtype per active plan) is the only rule allowed to fail.
    assert validate(built).codes() <= {"SF0600"}


def test_xml_round_trip_of_generated_cases(built: SEN2Return) -> None:
    assert from_xml(to_xml(built)) == built


def test_csv_round_trip_of_generated_cases(built: SEN2Return, tmp_path: Path) -> None:
    assert from_csv(to_csv(built)) == built
    write_csv_dir(built, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir())[:2] == ["activeplans.csv", "assessment.csv"]
    assert read_csv_dir(tmp_path) == built


@pytest.mark.parametrize("year", [2023, 2024, 2025, 2026])
def test_round_trip_of_a_full_return(year: int) -> None:
    ret = make(year, plan={"pb": True, "oa": False, "cease_date": date(year - 1, 12, 1),
                           "cease_reason": "5"},
               request={"rya": False, "request_mediation": True, "exported": False},
               placement={"leaving_date": date(year - 1, 12, 1), "sen_unit_indicator": True})
    assert from_xml(to_xml(ret)) == ret
    assert from_csv(to_csv(ret)) == ret


def test_items_a_year_does_not_have_are_not_written() -> None:
    ret = make(2026, person={"gender_current": "F"})
    assert b"GenderCurrent" not in to_xml(ret)
    assert "gendercurrent" not in to_csv(ret)["person"]


def test_la_filter_and_missing_la() -> None:
    cases = [Case.model_validate({"responsible_la": la, "events": [
        {"type": "request_received", "on": "2025-03-03", "made_by": "parent"}]})
        for la in ("201", "202", "201")]
    assert len(build_return(cases, year=2026).persons) == 2
    assert len(build_return(cases, year=2026, la="202").persons) == 1
    no_la = Case.model_validate({"events": [
        {"type": "request_received", "on": "2025-03-03", "made_by": "parent"}]})
    with pytest.raises(SEN2Error, match="LA code"):
        build_return([no_la], year=2026)


def test_outcome_coding_from_events() -> None:
    planned = Case.model_validate({"responsible_la": "201", "events": [
        {"type": "request_received", "on": "2024-11-04", "made_by": "parent"},
        {"type": "assessment_decision", "on": "2024-12-09", "outcome": "assess"},
        {"type": "draft_plan_issued", "on": "2025-03-03"},
        {"type": "final_plan_issued", "on": "2025-03-24"}]})
    refused_then_again = Case.model_validate({"responsible_la": "201", "events": [
        {"type": "request_received", "on": "2024-10-01", "made_by": "parent"},
        {"type": "assessment_decision", "on": "2024-11-05", "outcome": "refuse"},
        {"type": "request_received", "on": "2025-11-03", "made_by": "school_or_setting"}]})
    ret = build_return([planned, refused_then_again], year=2026)
    (first,), (second,) = (p.requests for p in ret.persons)
    # Decided before the period (H), plan issued in it (Y, dated).
    assert (first.request_outcome, first.request_outcome_date) == ("H", None)
    assert first.assessment[0].assessment_outcome == "Y"
    assert first.assessment[0].assessment_outcome_date == date(2025, 3, 24)
    assert first.assessment[0].week20 is False
    assert len(first.active_plans) == 1
    # The 2024 refusal had no activity in 2025: only the new, undecided request is returned.
    assert second.received_date == date(2025, 11, 3)
    assert second.request_outcome == "A" and second.assessment == ()


@pytest.mark.parametrize(("made_by", "code"), [
    ("parent", "1"), ("young_person", "1"), ("school_or_setting", "2"),
    ("health_professional", "3"), ("social_care_professional", "4"), ("other", "5"),
])
def test_request_source_from_who_made_the_request(made_by: str, code: str) -> None:
    case = Case.model_validate({"responsible_la": "201", "events": [
        {"type": "request_received", "on": "2025-03-03", "made_by": made_by}]})
    (request,) = build_return([case], year=2026).persons[0].requests
    assert request.request_source == code
    # RequestSource came in with the 2025 collection: not returned for 2024.
    older = Case.model_validate({"responsible_la": "201", "events": [
        {"type": "request_received", "on": "2023-03-06", "made_by": made_by}]})
    (request,) = build_return([older], year=2024).persons[0].requests
    assert request.request_source is None


def test_header_groups_collection_details_and_source_and_a_flat_one_reads() -> None:
    import xml.etree.ElementTree as ET

    ret = make()
    root = ET.fromstring(to_xml(ret))
    header = root.find("Header")
    assert header is not None
    assert [e.tag for e in header] == ["CollectionDetails", "Source"]
    details, source = list(header)
    assert [e.tag for e in details] == ["Collection", "Year", "ReferenceDate"]
    assert [e.tag for e in source][:3] == ["SourceLevel", "LEA", "SoftwareCode"]
    # The same items without the groups (as earlier sendflow versions wrote them).
    flat = ET.Element("Header")
    for group in list(header):
        flat.extend(list(group))
    root.remove(header)
    root.insert(0, flat)
    assert from_xml(ET.tostring(root)) == ret
    # An element inside a group that does not belong there is refused, by place.
    bad = to_xml(ret).replace(b"<Year>", b"<LEA>x</LEA><Year>", 1)
    with pytest.raises(SEN2Error, match=r"Header\.CollectionDetails: unexpected element"):
        from_xml(bad)


def test_malformed_xml_and_csv_say_where() -> None:
    with pytest.raises(SEN2Error, match="well formed"):
        from_xml(b"<Message>")
    xml = to_xml(make()).replace(b"<Sex>F</Sex>", b"<Sexx>F</Sexx>")
    with pytest.raises(SEN2Error, match=r"Person\[0\]: unexpected element \(child #2\)"):
        from_xml(xml)
    bad_date = to_xml(make()).replace(b"2015-03-01", b"2015-13-01")
    with pytest.raises(SEN2Error, match=r"Person\[0\]\.PersonBirthDate: not a valid date") as exc:
        from_xml(bad_date)
    assert "2015" not in str(exc.value)
    tables = to_csv(make())
    tables["requests"] = tables["requests"].replace(",1,", ",99,", 1)
    with pytest.raises(SEN2Error, match="unknown persontableid"):
        from_csv(tables)


def test_item_values_are_parsed_strictly_and_errors_never_quote_them() -> None:
    """A value or tag could hold personal data: errors name the place only."""
    from sendflow.sen2._model import Item
    from sendflow.sen2._xml import parse_value

    birth = Item("birth", "PersonBirthDate", "date")
    rank = Item("rank", "SENtypeRank", "int")
    assert parse_value(birth, "2015-03-17", "P") == date(2015, 3, 17)
    assert parse_value(birth, "2015-03-17T00:00:00", "P") == date(2015, 3, 17)
    for item, text in [(birth, "2015-03-17junk"), (rank, "1_000"), (rank, "\u0663")]:
        with pytest.raises(SEN2Error) as info:
            parse_value(item, text, "P")
        assert text not in str(info.value)
