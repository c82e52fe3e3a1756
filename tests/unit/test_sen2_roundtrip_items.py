"""Items a SEN2 return holds come back through ``to_cases`` and ``build_return`` (issue 16 pt 4).

Each test builds a small return by hand, turns it into cases and builds the return
again, comparing what SEN2 holds item by item.
"""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from sendflow.people import ChildOrYoungPerson, Ethnicity
from sendflow.sen2 import (
    Header,
    Person,
    Request,
    SEN2Return,
    build_return,
    census_date,
    code_set,
    from_xml,
    to_cases,
    to_xml,
)

HDR = {"dmo": "Y", "dco": "Y", "dsco": "Y"}
# A request refused in the year: the smallest record to_cases carries whole.
REFUSED = Request(received_date=date(2025, 3, 3), request_source="3", request_outcome="N",
                  request_outcome_date=date(2025, 4, 7))


def _ret(*ethnicities: str, year: int = 2026) -> SEN2Return:
    sex = {"sex": "F"} if year >= 2024 else {"gender_current": "2"}
    received = REFUSED.model_copy(update={
        "received_date": date(year - 1, 3, 3), "request_outcome_date": date(year - 1, 4, 7),
        "request_source": "3" if year >= 2025 else None})
    persons = tuple(
        Person(person_id=f"P{i}", surname="Smith", forename="Ann",
               birth_date=date(2015, 3, 1), ethnicity=code, upn_unknown="UN2",
               requests=(received,), **sex)
        for i, code in enumerate(ethnicities, 1))
    return SEN2Return(header=Header(year=year, reference_date=census_date(year), lea="201"),
                      persons=persons)


def test_the_child_model_holds_every_ethnicity_code_sen2_accepts() -> None:
    # One list in two homes: held equal here, for every collection year.
    for year in range(2023, 2028):
        assert {e.value for e in Ethnicity} == set(code_set("Ethnicity", year))
    assert Ethnicity.WBRI.is_main and not Ethnicity.WENG.is_main
    assert sum(e.is_main for e in Ethnicity) == 20


def test_the_child_model_stays_strict_about_ethnicity() -> None:
    born = date(2015, 3, 1)
    assert ChildOrYoungPerson(date_of_birth=born, ethnicity="WENG").ethnicity is Ethnicity.WENG
    assert ChildOrYoungPerson(date_of_birth=born, ethnicity="WBRI").ethnicity is Ethnicity.WBRI
    for bad in ("weng", "XQZW", "WENG ", ""):
        with pytest.raises(ValidationError) as exc:
            ChildOrYoungPerson(date_of_birth=born, ethnicity=bad)
        assert "input_value" not in str(exc.value)


@pytest.mark.parametrize("year", [2023, 2024, 2025, 2026])
def test_extended_ethnicity_codes_come_back(year: int) -> None:
    ret = _ret("WENG", "WSCO", "ABRI", "BBRI", "OOEG", "WBRI", year=year)
    cases = to_cases(ret)
    assert not [u for u in cases.unkept if u.location.endswith("Ethnicity")]
    back = build_return(cases, year=year, header=HDR)
    assert [p.ethnicity for p in back.persons] == ["WENG", "WSCO", "ABRI", "BBRI", "OOEG", "WBRI"]
    assert back.persons == ret.persons
    # And through the XML the LA submits.
    again = build_return(to_cases(from_xml(to_xml(ret))), year=year, header=HDR)
    assert again.persons == ret.persons
