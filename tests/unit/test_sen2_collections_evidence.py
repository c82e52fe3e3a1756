"""SEN2 collection data held to the evidence it records (collections.toml, codes.toml):
the header items DMO, DCO and DSCO per year against the reference XSDs, and the 2027
collection's assumption that it is the 2026 one."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from sendflow.errors import RuleDataError
from sendflow.sen2 import _model as model
from sendflow.sen2 import collection, item_in_collection, item_mandatory, schema_path
from sendflow.sen2._model import _modules

LIIA = Path(__file__).parents[1] / "fixtures" / "sen2" / "liia"
XS = "{http://www.w3.org/2001/XMLSchema}"


def _min_occurs(year: int) -> dict[str, str]:
    root = ET.parse(LIIA / f"sen2_schema_{year}.xsd").getroot()
    return {e.get("name", ""): e.get("minOccurs", "1") for e in root.iter(f"{XS}element")
            if e.get("name") in ("DMO", "DCO", "DSCO")}


@pytest.mark.parametrize("year", [2023, 2024, 2025, 2026])
def test_dmo_and_dco_are_required_in_every_year_the_reference_xsds_cover(year: int) -> None:
    # Every LIIA XSD 2023-2026 declares DMO and DCO with minOccurs 1: required before 2026
    # too, as collections.toml's mandatory_from = 2023 says.
    declared = _min_occurs(year)
    assert declared["DMO"] == declared["DCO"] == "1"
    assert item_mandatory("Header", "DMO", year) and item_mandatory("Header", "DCO", year)


def test_dsco_is_voluntary_in_2025_and_required_from_2026() -> None:
    assert "DSCO" not in _min_occurs(2023) and "DSCO" not in _min_occurs(2024)
    assert not item_in_collection("Header", "DSCO", 2024)
    assert _min_occurs(2025)["DSCO"] == "0" and not item_mandatory("Header", "DSCO", 2025)
    # 2026: the file's comment says "now mandatory" while it keeps minOccurs 0 (defect 4 in
    # tests/fixtures/sen2/liia/README.md); the data follows the comment.
    text = (LIIA / "sen2_schema_2026.xsd").read_text(encoding="utf-8")
    comment = text[:text.index('name="DSCO"')].rsplit("<!--", 1)[1]
    assert "now mandatory" in comment
    assert item_mandatory("Header", "DSCO", 2026) and item_mandatory("Header", "DSCO", 2027)


# --------------------------------------------------------------- 2027 = 2026, as data
def test_2027_is_recorded_as_assumed_to_be_2026_with_the_search() -> None:
    info = collection(2027)
    assert info.assumed_as == 2026 and info.evidence is not None
    assert "2026-12-07" in info.evidence and "no 2027 guide" in info.evidence
    assert "UNVERIFIED" in (info.notes or "")
    assert all(collection(y).assumed_as is None for y in (2023, 2024, 2025, 2026))


def test_2027_has_exactly_the_items_and_codes_of_2026() -> None:
    for name, cls in _modules().items():
        for item in cls.ITEMS:
            assert item_in_collection(name, item.xml, 2027) == \
                item_in_collection(name, item.xml, 2026), f"{name}.{item.xml}"
            assert item_mandatory(name, item.xml, 2027) == \
                item_mandatory(name, item.xml, 2026), f"{name}.{item.xml}"
    for set_name in model._code_sets():
        assert model.code_set(set_name, 2027) == model.code_set(set_name, 2026), set_name
    assert model.code_set("SENtype", 2027) == model.code_set("SENtype", 2026)


def _schema_body(year: int) -> str:
    """The schema's structure: no header comment or annotations (their words name the
    year items became mandatory), the year and census date as placeholders."""
    text = schema_path(year).read_text(encoding="utf-8")
    body = re.sub(r"<xs:annotation>.*?</xs:annotation>", "", text[text.index("-->"):],
                  flags=re.S)
    census = collection(year).census_date.isoformat()
    return body.replace(census, "CENSUS").replace(f'"{year}"', '"YEAR"')


def test_2027s_schema_is_2026s() -> None:
    assert _schema_body(2027) == _schema_body(2026)


@pytest.mark.parametrize(("entry", "key"), [
    ({"year": 2028, "census_date": "x", "template": "v", "colour": "blue"}, "collection[1]"),
    ({"year": 2028, "census_date": "x", "template": "v", "assumed_as": 2026},
     "collection[1].assumed_as"),  # no evidence
    ({"year": 2028, "census_date": "x", "template": "v", "assumed_as": 2030,
      "evidence": "e"}, "collection[1].assumed_as"),  # not an earlier collection
])
def test_a_broken_collection_entry_names_the_key(monkeypatch: pytest.MonkeyPatch,
                                                 entry: dict[str, Any], key: str) -> None:
    first = {"year": 2027, "census_date": "x", "template": "v"}
    monkeypatch.setattr(model, "_read", lambda name: {"collection": [first, entry]})
    model._collections.cache_clear()
    try:
        with pytest.raises(RuleDataError) as info:
            model._collections()
        assert info.value.key == key
    finally:
        monkeypatch.undo()
        model._collections.cache_clear()
    assert collection(2027).assumed_as == 2026
