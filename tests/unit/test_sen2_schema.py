"""sendflow's SEN2 schema per collection year, validate_schema, and the reference XSDs.

Issue 16 point 3. Facts from sendflow's reference notes (sen2.md s. 0): element names,
nesting and order per year, at most 2 PlanDetail and 2 SENneed, DMO/DCO required,
DSCO voluntary in 2025 and required from 2026, the mandatory person items.
Hand-made returns per year are in tests/fixtures/sen2/; the third-party reference
schemas (LIIA, MIT licence) and their documented defects in tests/fixtures/sen2/liia/.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import xmlschema  # noqa: F401 - the test extra installs it; validate_schema needs it
from test_sen2_validate import ULN_OK, UPN_OK, make  # same folder

from sendflow import Case
from sendflow.sen2 import (
    SEN2Error,
    SEN2Return,
    build_return,
    from_csv,
    from_xml,
    schema_path,
    to_cases,
    to_csv,
    to_xml,
    validate_schema,
)
from sendflow.sen2._schema import YEARS, xsd_text
from sendflow.synth import synthesise

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sen2"
LIIA = FIXTURES / "liia"
HDR = {"dmo": "Y", "dco": "N", "dsco": "R"}


def _items(xml: bytes) -> list[tuple[str, str]]:
    """Every leaf item of a return as (path, text), in document order."""
    out: list[tuple[str, str]] = []

    def walk(el: ET.Element, path: str) -> None:
        kids = list(el)
        if not kids:
            out.append((path, (el.text or "").strip()))
        for k in kids:
            walk(k, f"{path}/{k.tag}")

    walk(ET.fromstring(xml), "Message")
    return out


# ---------------------------------------------------------------- the shipped schemas


@pytest.mark.parametrize("year", YEARS)
def test_shipped_schema_is_what_the_data_gives(year: int) -> None:
    """The XSD files are generated from the data (sendflow.sen2._schema.regenerate())."""
    assert schema_path(year).read_text(encoding="utf-8") == xsd_text(year)


def test_schema_structure_per_year() -> None:
    xs = "{http://www.w3.org/2001/XMLSchema}"

    def sequence(year: int, name: str) -> list[tuple[str, str, str]]:
        root = ET.parse(schema_path(year)).getroot()
        ctype = next(c for c in root.iter(f"{xs}complexType") if c.get("name") == name)
        return [(e.get("name", ""), e.get("minOccurs", "1"), e.get("maxOccurs", "1"))
                for e in ctype.iter(f"{xs}element")]

    names = {y: {n: [e[0] for e in sequence(y, n)] for n in
                 ("Person", "ActivePlan", "PlacementDetail", "Source")} for y in YEARS}
    assert names[2023]["Person"][3] == "GenderCurrent" and names[2024]["Person"][3] == "Sex"
    assert names[2026]["Person"][:5] == ["Surname", "Forename", "PersonBirthDate", "Sex",
                                         "Ethnicity"]
    assert "PersonID" not in names[2026]["Person"]
    assert names[2023]["ActivePlan"] == ["TransferLA", "PlacementDetail", "Res", "WBP",
                                         "SENneed", "LastReview"]
    assert names[2025]["ActivePlan"][3:5] == ["ReviewMeeting", "LastReview"]
    assert names[2026]["ActivePlan"][-1] == names[2027]["ActivePlan"][-1] == "LastReview"
    assert names[2023]["PlacementDetail"][7] == "AttendancePattern"
    assert names[2024]["PlacementDetail"][-2:] == ["Res", "WBP"]
    assert "DSCO" not in names[2024]["Source"]
    # Cardinalities and mandatory items.
    plan = {e[0]: e for e in sequence(2026, "NamedPlan")}
    active = {e[0]: e for e in sequence(2026, "ActivePlan")}
    assert plan["PlanDetail"][2] == "2" and active["SENneed"][2] == "2"
    assert active["PlacementDetail"][2] == "unbounded"
    source = {y: {e[0]: e[1] for e in sequence(y, "Source")} for y in YEARS}
    assert source[2023]["DMO"] == source[2023]["DCO"] == "1"
    assert (source[2025]["DSCO"], source[2026]["DSCO"]) == ("0", "1")
    person = {e[0]: e[1] for e in sequence(2026, "Person")}
    assert [person[i] for i in ("Surname", "Forename", "PersonBirthDate", "Sex", "Ethnicity",
                                "PostCode", "UPN")] == ["1", "1", "1", "1", "1", "0", "0"]


def test_schema_path_and_unknown_years() -> None:
    assert schema_path(2023).exists() and schema_path(2027).exists()
    with pytest.raises(SEN2Error, match="2022"):
        schema_path(2022)


# ------------------------------------------------- hand-made returns per year, round trip


@pytest.mark.parametrize("year", YEARS)
def test_hand_made_return_round_trips_keeping_every_item(year: int) -> None:
    data = (FIXTURES / f"return_{year}.xml").read_bytes()
    assert validate_schema(data).ok, str(validate_schema(data))
    ret = from_xml(data)
    written = to_xml(ret)
    assert _items(written) == _items(data)  # every item kept, same order, same text
    report = validate_schema(written)
    assert report.ok, str(report)
    assert from_xml(written) == ret
    assert from_csv(to_csv(ret)) == ret


@pytest.mark.parametrize("year", YEARS)
def test_a_return_is_valid_only_for_its_own_year(year: int) -> None:
    data = (FIXTURES / f"return_{year}.xml").read_bytes()
    for other in YEARS:
        if other != year:
            report = validate_schema(data, xsd=schema_path(other))
            assert not report.ok
            assert any(f.location == "Header.CollectionDetails.Year" for f in report.failures)


def _named_cases(n: int, year: int) -> list[Case]:
    """Synthetic cases with invented names (the generator leaves names out)."""
    cases = []
    for i, raw in enumerate(synthesise(n, seed=5, la_codes=("202",))):
        case = Case.model_validate(raw)
        child = case.child
        assert child is not None
        if year < 2025 and child.needs is not None and any(
                str(getattr(nd.need_type, "value", nd.need_type)) == "DS"
                for nd in child.needs.needs):
            continue  # Down syndrome is a SEN2 need type from 2025 only
        child = child.model_copy(update={"family_name": f"Family{i}", "given_name": "Kim"})
        cases.append(case.model_copy(update={"child": child}))
    return cases


@pytest.mark.parametrize("year", YEARS)
def test_returns_built_from_cases_are_schema_valid(year: int) -> None:
    ret = build_return(_named_cases(60, year), year=year, header=HDR)
    assert ret.persons and not ret.refused
    report = validate_schema(to_xml(ret))
    assert report.ok, str(report)


def test_the_validation_helper_returns_of_the_suite_are_schema_valid() -> None:
    for year in YEARS:
        ret = make(year, person={"surname": "Smith", "forename": "Ann", "uln": ULN_OK})
        ret = ret.model_copy(update={"header": ret.header.model_copy(update=HDR)})
        report = validate_schema(to_xml(ret))
        assert report.ok, f"{year}: {report}"


# ----------------------------------------------------- failures: path, never the value


def test_failures_name_the_place_and_never_the_value() -> None:
    planted = {"surname": "Quinteroxa", "birth": "1999-12-31", "upn": UPN_OK,
               "tag": "Zebedeeqx", "uln": "9276308686"}
    ret = make(2026, person={"surname": planted["surname"], "forename": "Ann"})
    ret = ret.model_copy(update={"header": ret.header.model_copy(update=HDR)})
    xml = to_xml(ret)
    bad = (xml.replace(b"<Sex>F</Sex>", b"<Sex>" + planted["surname"].encode() + b"</Sex>")
           .replace(b"<PersonBirthDate>2015-03-01", b"<PersonBirthDate>31/12/1999")
           .replace(b"<URN>100000</URN>", b"<URN>" + planted["uln"].encode() + b"</URN>", 1)
           .replace(b"<DCO>N</DCO>", b"")
           .replace(b"<Ethnicity>", b"<" + planted["tag"].encode() + b">"
                    + planted["upn"].encode() + b"</" + planted["tag"].encode()
                    + b"><Ethnicity>"))
    report = validate_schema(bad)
    assert not report.ok
    text = str(report) + repr(report)
    for value in (*planted.values(), "31/12/1999"):
        assert value not in text
    where = {f.location: f.message for f in report.failures}
    assert where["Person[0].Sex"] == "the value is not one of the codes the schema allows here"
    assert where["Person[0].PersonBirthDate"] == "the value is not a valid date"
    assert (where["Person[0].Requests[0].Assessment[0].NamedPlan[0].PlanDetail[0].URN"]
            == "the value does not have the form the schema requires")
    assert where["Header.Source"].startswith("unexpected element 'DSCO'")
    assert "expected DCO" in where["Header.Source"]
    assert "one the schema does not declare" in where["Person[0]"]


def test_hostile_or_unreadable_input_is_a_sen2error(tmp_path: Path) -> None:
    laughs = (b"<?xml version='1.0'?><!DOCTYPE Message [<!ENTITY a 'aaaaaaaa'>]>"
              b"<Message>&a;</Message>")
    with pytest.raises(SEN2Error, match="DTD"):
        validate_schema(laughs, xsd=schema_path(2026))
    with pytest.raises(SEN2Error, match="well formed"):
        validate_schema(b"<Message>", xsd=schema_path(2026))
    with pytest.raises(SEN2Error, match="Header Year"):
        validate_schema(b"<Message><Persons/></Message>")
    good = to_xml(make(2026))
    with pytest.raises(SEN2Error, match="XSD file cannot be read"):
        validate_schema(good, xsd=tmp_path / "missing.xsd")
    broken = tmp_path / "broken.xsd"
    broken.write_text("<xs:schema xmlns:xs='http://www.w3.org/2001/XMLSchema'><xs:nonsense/>"
                      "</xs:schema>", encoding="utf-8")
    with pytest.raises(SEN2Error, match="schema cannot be read"):
        validate_schema(good, xsd=broken)
    report = validate_schema(b"<Other><Header/></Other>", xsd=schema_path(2026))
    assert [str(f) for f in report.failures] == [
        "?: the root element is not one the schema declares"]


# -------------------------------------------------- the reference XSDs (sen2.md s. 0)

#: The only failures the LIIA schemas may give on a sendflow return (their documented
#: defects, tests/fixtures/sen2/liia/README.md items 1 and 2).
_DEFECT = re.compile(r"\.(URN|UKPRN|UniqueLearnerNumber)$")


def _corrected(year: int, folder: Path) -> Path:
    """A copy of the LIIA XSD with its documented defects 1 and 2 corrected."""
    text = (LIIA / f"sen2_schema_{year}.xsd").read_text(encoding="utf-8")
    text = re.sub(r'value="\^(.*?)\$"', r'value="\1"', text)
    text = text.replace("[1-9][0-9]{7}", "[1-9][0-9]{9}")
    path = folder / f"sen2_schema_{year}.xsd"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("year", [2025, 2026])
def test_sendflow_returns_validate_against_the_reference_xsds(year: int, tmp_path: Path) -> None:
    hand = to_xml(from_xml((FIXTURES / f"return_{year}.xml").read_bytes()))
    built = to_xml(build_return(_named_cases(60, year), year=year, header=HDR))
    corrected = _corrected(year, tmp_path)
    for xml in (hand, built):
        report = validate_schema(xml, xsd=LIIA / f"sen2_schema_{year}.xsd")
        assert all(_DEFECT.search(f.location) for f in report.failures), str(report)
        fixed = validate_schema(xml, xsd=corrected)
        assert fixed.ok, str(fixed)
    # The defect is real: the reference schema refuses even a well-formed URN.
    report = validate_schema(hand, xsd=LIIA / f"sen2_schema_{year}.xsd")
    assert any(f.location.endswith(".URN") for f in report.failures)


@pytest.mark.parametrize("year", [2023, 2024])
def test_earlier_returns_validate_against_the_reference_xsds(year: int, tmp_path: Path) -> None:
    hand = to_xml(from_xml((FIXTURES / f"return_{year}.xml").read_bytes()))
    report = validate_schema(hand, xsd=_corrected(year, tmp_path))
    assert report.ok, str(report)


@pytest.mark.parametrize("year", [2024, 2025])
def test_the_reference_samples_read_and_keep_every_item(year: int) -> None:
    data = (LIIA / f"sen2_sample_{year}.xml").read_bytes()
    ret = from_xml(data)
    assert isinstance(ret, SEN2Return) and len(ret.persons) == 2
    assert _items(to_xml(ret)) == _items(data)
    # Against sendflow's schema they fail only where the samples' own values are wrong
    # (README item 5): a 14-character UPN, and in 2025 the reference date.
    wrong = {f.location for f in validate_schema(data).failures}
    allowed = {"Person[0].UPN", "Person[1].UPN", "Header.CollectionDetails.ReferenceDate"}
    assert wrong <= allowed and "Person[0].UPN" in wrong
    # Every request becomes a case: the first plan's review, decided after its CeaseDate,
    # is the one date left out (listed), not the request.
    cases = to_cases(ret)
    assert cases.locations == ("Person[0].Requests[0]", "Person[1].Requests[0]",
                               "Person[1].Requests[1]")
    assert not [u for u in cases.unkept if u.left_out]


def test_structural_failures_are_described_without_the_input() -> None:
    data = (FIXTURES / "return_2026.xml").read_bytes()
    secret = b"Quinteroxa"
    cases = {
        "attribute": (data.replace(b"<Person>", b'<Person note="' + secret + b'">', 1),
                      "Person[0]: has an attribute the schema does not allow"),
        "text": (data.replace(b"<Requests>", b"<Requests>" + secret, 1),
                 "Person[0].Requests[0]: holds text where the schema allows only elements"),
        "nested": (data.replace(b"<Surname>Testperson</Surname>",
                                b"<Surname><b>" + secret + b"</b></Surname>"),
                   "Person[0].Surname: holds elements where the schema expects a value"),
        "namespace": (data.replace(b"<Message>", b'<Message xmlns="urn:' + secret + b'">'),
                      "Message: the root element is not one the schema declares (its name or "
                      "namespace)"),
        "order": (data.replace(b"<RYA>0</RYA>\n        <RequestOutcomeDate>2025-02-21"
                               b"</RequestOutcomeDate>",
                               b"<RequestOutcomeDate>2025-02-21</RequestOutcomeDate><RYA>0</RYA>"),
                  "Person[0].Requests[0]: unexpected element 'RYA' (child #3) in this place; "
                  "expected RequestOutcome"),
    }
    for name, (xml, expected) in cases.items():
        report = validate_schema(xml, xsd=schema_path(2026))
        assert expected in [str(f) for f in report.failures], name
        assert "Quinteroxa" not in str(report), name


def test_without_xmlschema_the_error_says_which_extra_to_install(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from sendflow.sen2 import _schema

    monkeypatch.setitem(sys.modules, "xmlschema", None)  # as if not installed
    _schema._load.cache_clear()
    try:
        with pytest.raises(SEN2Error, match=r"sendflow\[xsd\]"):
            validate_schema((FIXTURES / "return_2026.xml").read_bytes())
    finally:
        _schema._load.cache_clear()
