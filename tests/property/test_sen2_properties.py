"""Property tests: any valid SEN2 return of any collection year round-trips and is schema-valid.

Returns are generated from sendflow's own item data (which items a year has, which are
mandatory, each item's code set and form), so the writers are exercised on every item of
every year: to_xml output is valid against sendflow's XSD for the year, and reading the
XML or the CSV tables back gives the same return (issue 16 points 1 and 3; issue 17's
"round trips of sendflow's own output never fail").
"""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from sendflow.sen2 import (
    Header,
    Person,
    SEN2Return,
    census_date,
    code_set,
    from_csv,
    from_xml,
    item_in_collection,
    item_spec,
    to_csv,
    to_xml,
    validate_schema,
)
from sendflow.sen2._model import _Module
from sendflow.sen2._schema import _PATTERNS, YEARS

#: Text XML 1.0 can carry, not blank (control, surrogate and non-characters excluded).
_TEXT = st.text(st.characters(exclude_categories=("Cc", "Cs", "Cn")), min_size=1, max_size=12)
_TEXT = _TEXT.filter(lambda s: s.strip() != "")


def _max_length(cls: type[_Module], field: str) -> int | None:
    for meta in cls.model_fields[field].metadata:
        most = getattr(meta, "max_length", None)
        if isinstance(most, int):
            return most
    return None


def _value(cls: type[_Module], item: Any, year: int) -> st.SearchStrategy[Any]:
    if item.codes is not None:
        codes = sorted(code_set(item.codes, year))
        if item.kind == "int":
            return st.sampled_from([int(c) for c in codes])
        return st.sampled_from(codes)
    if item.xml in _PATTERNS:
        return st.from_regex(_PATTERNS[item.xml][1], fullmatch=True)
    if item.kind == "date":
        return st.dates(date(2000, 1, 1), date(2030, 12, 31))
    if item.kind == "flag":
        return st.booleans()
    most = _max_length(cls, item.field) or 12
    return _TEXT.map(lambda s: s[:most]).filter(lambda s: s.strip() != "")


def _module(cls: type[_Module], year: int, **children: st.SearchStrategy[Any]) -> Any:
    fields: dict[str, st.SearchStrategy[Any]] = {}
    for item in cls.ITEMS:
        if item.xml == "PersonID" or not item_in_collection(cls.__name__, item.xml, year):
            continue
        spec = item_spec(cls.__name__, item.xml)
        value = _value(cls, item, year)
        required = spec.mandatory(year) and spec.condition is None
        fields[item.field] = value if required else st.none() | value
    return st.builds(cls, **fields, **children)


def _upto(strategy: st.SearchStrategy[Any], most: int) -> st.SearchStrategy[tuple[Any, ...]]:
    return st.lists(strategy, max_size=most).map(tuple)


@st.composite
def sen2_returns(draw: st.DrawFn) -> SEN2Return:
    from sendflow.sen2 import (
        ActivePlan,
        Assessment,
        NamedPlan,
        PlacementDetail,
        PlanDetail,
        Request,
        SENNeed,
    )

    year = draw(st.sampled_from(YEARS))
    plan = _module(NamedPlan, year, plan_detail=_upto(_module(PlanDetail, year), 2))
    assessment = _module(Assessment, year, named_plan=_upto(plan, 1))
    active = _module(ActivePlan, year, placements=_upto(_module(PlacementDetail, year), 2),
                     needs=_upto(_module(SENNeed, year), 2))
    request = _module(Request, year, assessment=_upto(assessment, 1),
                      active_plans=_upto(active, 1))
    persons = draw(st.lists(_module(Person, year, requests=_upto(request, 2),
                                    person_id=st.just("x")), max_size=3))
    persons = [p.model_copy(update={"person_id": f"P{i + 1}"}) for i, p in enumerate(persons)]
    officers = st.sampled_from(sorted(code_set("YesNoRecruiting", year)))
    # DateTime as a local time without offset, as the reference samples write it.
    stamp = st.dates(date(2020, 1, 1), date(2030, 1, 1)).map(
        lambda d: f"{d.isoformat()}T09:30:00")
    lea = draw(st.from_regex("[0-9]{3}", fullmatch=True))
    # DSCO: no item before 2025, voluntary in 2025, required from 2026.
    dsco = {2025: draw(st.none() | officers)}.get(year) if year < 2026 else draw(officers)
    header = Header(
        year=year, reference_date=census_date(year), lea=lea,
        dmo=draw(officers), dco=draw(officers), dsco=dsco,
        software_code=draw(_TEXT), release=draw(st.none() | _TEXT),
        serial_no=draw(st.none() | st.integers(0, 999)), date_time=draw(st.none() | stamp))
    return SEN2Return(header=header, persons=tuple(persons))


@given(sen2_returns())
def test_any_valid_return_round_trips_and_is_schema_valid(ret: SEN2Return) -> None:
    xml = to_xml(ret)
    report = validate_schema(xml)
    assert report.ok, str(report)
    assert from_xml(xml) == ret
    assert from_csv(to_csv(ret)) == ret
