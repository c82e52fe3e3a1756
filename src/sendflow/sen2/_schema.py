"""A schema (XSD) per SEN2 collection year, written by sendflow, and a checker for any XSD.

The files ``sen2/data/sen2_<year>.xsd`` (2023 to 2027) are sendflow's own: they are
generated from sendflow's data (``collections.toml``: which items each year has and
from when each is mandatory; ``codes.toml``: the code sets by year) and the model
(names, nesting, each year's element order and the cardinalities), which in turn
follow the facts in sendflow's reference notes (``sen2.md`` s. 0). They are not the
DfE's schema, which an LA downloads from COLLECT; :func:`validate_schema` checks a
return against either.

What a schema cannot say (an item mandatory only for some records, such as
``ReviewOutcome`` when a review meeting was held) is left optional in the XSD and
documented on the element; :func:`~sendflow.sen2.validate` checks those rules.

Regenerate the files after changing the data with :func:`regenerate`; a test holds
the shipped files equal to what the data gives.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from sendflow.sen2._model import (
    Header,
    Item,
    Person,
    SEN2Error,
    _collections,
    _Module,
    census_date,
    code_set,
    item_in_collection,
    item_spec,
)
from sendflow.sen2._xml import _parse

__all__ = ["SchemaFailure", "SchemaReport", "schema_path", "validate_schema"]

#: Collection years sendflow ships a schema for.
YEARS = (2023, 2024, 2025, 2026, 2027)

#: Items whose text has a fixed form (patterns in XSD regular-expression syntax, which
#: is anchored at both ends implicitly).
_PATTERNS: dict[str, tuple[str, str]] = {
    "LEA": ("LACode", "[0-9]{3}"),
    "TransferLA": ("OtherLACode", "[0-9]{3}|XXX"),
    "Exported": ("OtherLACode", "[0-9]{3}|XXX"),
    "URN": ("URN", "[0-9]{6}"),
    "UKPRN": ("UKPRN", "[0-9]{8}"),
    "UPN": ("UPN", "[A-HJ-NP-RT-Z][0-9]{11}[0-9A-HJ-NP-RT-Z]"),
    "UniqueLearnerNumber": ("ULN", "[1-9][0-9]{9}"),
}
_PATTERN_NOTES = {
    "LACode": "A three-digit DfE local authority code.",
    "OtherLACode": "Another local authority: its three-digit DfE code, or XXX when it is "
                   "unknown or outside the UK (CBDS N00216, as the LIIA reference XSDs list it).",
    "URN": "A six-digit Unique Reference Number (Get Information About Schools).",
    "UKPRN": "An eight-digit UK Provider Reference Number.",
    "UPN": "A Unique Pupil Number: a check letter, eleven digits, then a digit or (for a "
           "temporary UPN) a letter; I, O and S are never used.",
    "ULN": "A ten-digit Unique Learner Number; the first digit is not 0.",
}


def _max_length(cls: type[_Module], field: str) -> int | None:
    for meta in cls.model_fields[field].metadata:
        most = getattr(meta, "max_length", None)
        if isinstance(most, int):
            return most
    return None


def _doc(text: str, indent: str) -> str:
    return (f"{indent}<xs:annotation><xs:documentation>{escape(text)}"
            "</xs:documentation></xs:annotation>\n")


class _Writer:
    """Collects the simple types one schema needs, each written once."""

    def __init__(self, year: int) -> None:
        self.year = year
        self.simple: dict[str, str] = {}

    def codes_type(self, name: str) -> str:
        type_name = f"{name}Code"
        if type_name not in self.simple:
            codes = code_set(name, self.year)
            lines = [f'  <xs:simpleType name="{type_name}">\n',
                     '    <xs:restriction base="xs:string">\n']
            for code in sorted(codes.values(), key=lambda c: (len(c.code), c.code)):
                lines.append(f"      <xs:enumeration value={quoteattr(code.code)}>"
                             f"<xs:annotation><xs:documentation>{escape(code.meaning)}"
                             "</xs:documentation></xs:annotation></xs:enumeration>\n")
            lines += ["    </xs:restriction>\n", "  </xs:simpleType>\n"]
            self.simple[type_name] = "".join(lines)
        return type_name

    def pattern_type(self, xml: str) -> str:
        type_name, pattern = _PATTERNS[xml]
        if type_name not in self.simple:
            self.simple[type_name] = (
                f'  <xs:simpleType name="{type_name}">\n'
                + _doc(_PATTERN_NOTES[type_name], "    ")
                + '    <xs:restriction base="xs:string">\n'
                f"      <xs:pattern value={quoteattr(pattern)}/>\n"
                "    </xs:restriction>\n  </xs:simpleType>\n")
        return type_name

    def text_type(self, most: int | None) -> str:
        type_name = f"Text{most}" if most else "Text"
        if type_name not in self.simple:
            limit = f'      <xs:maxLength value="{most}"/>\n' if most else ""
            self.simple[type_name] = (
                f'  <xs:simpleType name="{type_name}">\n'
                '    <xs:restriction base="xs:string">\n'
                '      <xs:minLength value="1"/>\n'
                f"{limit}    </xs:restriction>\n  </xs:simpleType>\n")
        return type_name

    def flag_type(self) -> str:
        if "Flag" not in self.simple:
            self.simple["Flag"] = (
                '  <xs:simpleType name="Flag">\n'
                + _doc("1 yes, 0 no.", "    ")
                + '    <xs:restriction base="xs:string">\n'
                '      <xs:enumeration value="1"/>\n      <xs:enumeration value="0"/>\n'
                "    </xs:restriction>\n  </xs:simpleType>\n")
        return "Flag"

    def serial_type(self) -> str:
        if "SerialNo" not in self.simple:
            self.simple["SerialNo"] = (
                '  <xs:simpleType name="SerialNo">\n'
                + _doc("Three digits, e.g. 001.", "    ")
                + '    <xs:restriction base="xs:string">\n'
                '      <xs:pattern value="[0-9]{3}"/>\n'
                "    </xs:restriction>\n  </xs:simpleType>\n")
        return "SerialNo"

    def item_type(self, cls: type[_Module], item: Item) -> tuple[str, str]:
        """The XSD type of an item, and any ``fixed`` attribute."""
        if cls is Header and item.xml == "Year":
            return "xs:gYear", f' fixed="{self.year}"'
        if cls is Header and item.xml == "ReferenceDate":
            return "xs:date", f' fixed="{census_date(self.year).isoformat()}"'
        if cls is Header and item.xml == "Collection":
            return "xs:string", ' fixed="SEN2"'
        if cls is Header and item.xml == "SourceLevel":
            return "xs:string", ' fixed="L"'
        if cls is Header and item.xml == "DateTime":
            return "xs:dateTime", ""
        if item.codes is not None:
            return self.codes_type(item.codes), ""
        if item.xml in _PATTERNS:
            return self.pattern_type(item.xml), ""
        if item.kind == "date":
            return "xs:date", ""
        if item.kind == "flag":
            return self.flag_type(), ""
        if item.kind == "serial":
            return self.serial_type(), ""
        return self.text_type(_max_length(cls, item.field)), ""

    def element(self, cls: type[_Module], item: Item, indent: str) -> str:
        spec = item_spec(cls.__name__, item.xml)
        type_name, fixed = self.item_type(cls, item)
        required = spec.mandatory(self.year) and spec.condition is None
        notes = []
        if spec.mandatory(self.year) and spec.condition is not None:
            notes.append(f"Mandatory from the {spec.mandatory_from} collection when "
                         f"{spec.condition}; a schema cannot say so, sendflow's validation "
                         "rules check it.")
        elif spec.mandatory_from is not None and not spec.mandatory(self.year):
            notes.append(f"Voluntary in this collection; mandatory from "
                         f"{spec.mandatory_from}.")
        occurs = "" if required else ' minOccurs="0"'
        if not notes:
            return (f'{indent}<xs:element name="{item.xml}" type="{type_name}"'
                    f"{occurs}{fixed}/>\n")
        return (f'{indent}<xs:element name="{item.xml}" type="{type_name}"{occurs}{fixed}>\n'
                + _doc(" ".join(notes), indent + "  ") + f"{indent}</xs:element>\n")


def _complex(w: _Writer, cls: type[_Module], name: str) -> str:
    name_of = {i.xml: i for i in cls.ITEMS}
    children = {tag: child for _field, tag, child in cls.CHILDREN}
    lines = [f'  <xs:complexType name="{name}">\n', "    <xs:sequence>\n"]
    for part in cls.xml_order(w.year):
        if part in name_of:
            item = name_of[part]
            if item.xml == "PersonID" or not item_in_collection(cls.__name__, part, w.year):
                continue
            lines.append(w.element(cls, item, "      "))
        elif part in children:
            most = cls.MAX_OCCURS.get(part)
            occurs = f'"{most}"' if most is not None else '"unbounded"'
            lines.append(f'      <xs:element name="{part}" type="{children[part].__name__}"'
                         f' minOccurs="0" maxOccurs={occurs}/>\n')
    lines += ["    </xs:sequence>\n", "  </xs:complexType>\n"]
    return "".join(lines)


def _modules_below(cls: type[_Module]) -> list[type[_Module]]:
    out = [cls]
    for _field, _tag, child in cls.CHILDREN:
        out += [c for c in _modules_below(child) if c not in out]
    return out


#: Header items in their CBDS groups (the same grouping the XML writer uses).
_HEADER_GROUPS = {
    "CollectionDetails": ("Collection", "Year", "ReferenceDate"),
    "Source": ("SourceLevel", "LEA", "SoftwareCode", "Release", "SerialNo", "DateTime",
               "DMO", "DCO", "DSCO"),
}


def xsd_text(year: int) -> str:
    """The text of sendflow's schema for the ``year`` collection (what the shipped file holds)."""
    info = _collections().get(year)
    if info is None or year not in YEARS:
        raise SEN2Error(f"no SEN2 schema for {year} in sendflow's data")
    w = _Writer(year)
    header_items = {i.xml: i for i in Header.ITEMS}
    groups = []
    for group, tags in _HEADER_GROUPS.items():
        lines = [f'  <xs:complexType name="{group}">\n', "    <xs:sequence>\n"]
        for tag in tags:
            if item_in_collection("Header", tag, year):
                lines.append(w.element(Header, header_items[tag], "      "))
        lines += ["    </xs:sequence>\n", "  </xs:complexType>\n"]
        groups.append("".join(lines))
    modules = [_complex(w, cls, cls.__name__) for cls in _modules_below(Person)]
    notes = ""
    if info.notes:
        text = info.notes.replace("--", "- -")  # an XML comment cannot hold "--"
        notes = "\n\n" + textwrap.fill(f"This collection: {text}", 86,
                                       initial_indent="  ", subsequent_indent="  ")
    head = f"""<?xml version="1.0" encoding="UTF-8"?>
<!--
  The SEN2 person-level return, {year} collection (census date {info.census_date.isoformat()}).

  Written by the sendflow project, not by the DfE: generated by sendflow.sen2._schema
  from sendflow's data (sen2/data/collections.toml and codes.toml) and model, which
  follow the facts in sendflow's reference notes on SEN2 (section 0). Element names,
  nesting, order and code letters agree with the independent sources those notes cite;
  where a fact is unverified the data says so. Items mandatory only for some records
  are optional here and documented on the element.{notes}

  Do not edit by hand: change the data and run sendflow.sen2._schema.regenerate().
-->
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="unqualified">
  <xs:element name="Message">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="Header" type="Header"/>
        <xs:element name="Persons" type="Persons"/>
      </xs:sequence>
    </xs:complexType>
  </xs:element>
  <xs:complexType name="Header">
    <xs:sequence>
      <xs:element name="CollectionDetails" type="CollectionDetails"/>
      <xs:element name="Source" type="Source"/>
    </xs:sequence>
  </xs:complexType>
  <xs:complexType name="Persons">
    <xs:sequence>
      <xs:element name="Person" type="Person" minOccurs="0" maxOccurs="unbounded"/>
    </xs:sequence>
  </xs:complexType>
"""
    simple = "".join(w.simple[k] for k in sorted(w.simple))
    return head + "".join(groups) + "".join(modules) + simple + "</xs:schema>\n"


def schema_path(year: int) -> Path:
    """The path of sendflow's shipped XSD for the ``year`` collection (2023 to 2027).

    ```python
    >>> schema_path(2026).name
    'sen2_2026.xsd'

    ```

    Raises:
        SEN2Error: sendflow has no schema for that year.
    """
    if year not in YEARS:
        raise SEN2Error(f"no SEN2 schema for {year} in sendflow's data (it has "
                        f"{YEARS[0]} to {YEARS[-1]})")
    return Path(str(resources.files("sendflow.sen2").joinpath(f"data/sen2_{year}.xsd")))


@dataclass(frozen=True)
class SchemaFailure:
    """One place where a return breaks the schema: where, and what kind of failure.

    ``location`` is an element path in the form :func:`~sendflow.sen2.validate` uses
    (``Person[0].Requests[0].Assessment[0].Week20``; ``Header.Source.DMO``); an element
    the schema does not declare is shown as ``?``. ``message`` names the schema's
    expectation (the elements it expected, the kind of value), never the value.
    """

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


@dataclass(frozen=True)
class SchemaReport:
    """Every failure of a return against one schema."""

    failures: tuple[SchemaFailure, ...]
    schema: str

    @property
    def ok(self) -> bool:
        """Whether the return is valid against the schema."""
        return not self.failures

    def __str__(self) -> str:
        if self.ok:
            return "valid"
        return "\n".join(str(f) for f in self.failures)


@cache
def _load(path: str, mtime: float) -> Any:
    try:
        import xmlschema
    except ImportError:
        raise SEN2Error("validate_schema needs the xmlschema package "
                        "(the 'xsd' extra: pip install './sendflow[xsd]' from a clone)") from None
    try:
        return xmlschema.XMLSchema10(path, defuse="always", allow="sandbox")
    except (xmlschema.XMLSchemaException, OSError, ValueError, SyntaxError) as exc:
        raise SEN2Error(f"XSD: the schema cannot be read ({type(exc).__name__})") from None


#: Elements that are records (always shown with an index, as validate() shows them).
_RECORDS = frozenset({"Person", "Requests", "Assessment", "NamedPlan", "PlanDetail",
                      "ActivePlans", "PlacementDetail", "SENneed"})


def _declared(schema: Any) -> frozenset[str]:
    import xmlschema

    return frozenset(str(e.local_name) for e in schema.iter_components(xmlschema.XsdElement)
                     if e.local_name)


class _Tree:
    """Parent and sibling position of every element, computed once (linear in the file)."""

    def __init__(self, root: Any) -> None:
        self.parent: dict[Any, Any] = {}
        #: element -> (position among siblings with its tag, how many share the tag)
        self.index: dict[Any, tuple[int, int]] = {}
        for parent in root.iter():
            counts: dict[Any, int] = {}
            for child in parent:
                self.parent[child] = parent
                self.index[child] = (counts.get(child.tag, 0), 0)
                counts[child.tag] = counts.get(child.tag, 0) + 1
            for child in parent:
                self.index[child] = (self.index[child][0], counts[child.tag])

    def location(self, elem: Any, declared: frozenset[str]) -> str:
        parts: list[str] = []
        node = elem
        while node is not None:
            tag = node.tag if isinstance(node.tag, str) else "?"
            tag = tag.rsplit("}", 1)[-1]
            name = tag if tag in declared else "?"
            if node in self.index and name != "?":
                position, same = self.index[node]
                if tag in _RECORDS or same > 1:
                    name += f"[{position}]"
            parts.append(name)
            node = self.parent.get(node)
        parts.reverse()
        if parts and parts[0] == "Message":
            parts = parts[1:]
        if parts and parts[0] == "Persons":
            parts = parts[1:]
        return ".".join(parts) or "Message"


def _expected(err: Any, declared: frozenset[str]) -> str:
    names = []
    for e in getattr(err, "expected", None) or ():
        name = getattr(e, "local_name", None)
        if isinstance(name, str) and name in declared and name not in names:
            names.append(name)
    return ", ".join(names)


_FACETS = {
    "XsdEnumerationFacets": "is not one of the codes the schema allows here",
    "XsdPatternFacets": "does not have the form the schema requires",
    "XsdMinLengthFacet": "is shorter than the schema allows",
    "XsdMaxLengthFacet": "is longer than the schema allows",
    "XsdLengthFacet": "does not have the length the schema requires",
    "XsdMinInclusiveFacet": "is below the range the schema allows",
    "XsdMaxInclusiveFacet": "is above the range the schema allows",
    "XsdMinExclusiveFacet": "is below the range the schema allows",
    "XsdMaxExclusiveFacet": "is above the range the schema allows",
    "XsdTotalDigitsFacet": "has more digits than the schema allows",
    "XsdFractionDigitsFacet": "has more decimals than the schema allows",
}


def _message(err: Any, declared: frozenset[str]) -> str:
    import xmlschema

    if isinstance(err, xmlschema.XMLSchemaChildrenValidationError):
        expected = _expected(err, declared)
        if err.invalid_tag is None:
            return "an element is missing" + (f" (expected {expected})" if expected else "")
        tag = str(err.invalid_tag).rsplit("}", 1)[-1]
        shown = f"'{tag}'" if tag in declared else "(one the schema does not declare)"
        where = f" (child #{err.index})" if isinstance(err.index, int) else ""
        hint = f"; expected {expected}" if expected else ""
        return f"unexpected element {shown}{where} in this place{hint}"
    validator = getattr(err, "validator", None)
    kind = type(validator).__name__
    if kind in _FACETS:
        return f"the value {_FACETS[kind]}"
    reason = str(getattr(err, "reason", "") or "")
    if kind == "XsdElement" and "fixed" in reason.lower():
        fixed = getattr(validator, "fixed", None)
        return ("the value is not the fixed value the schema requires"
                + (f" ({fixed})" if isinstance(fixed, str) and len(fixed) < 40 else ""))
    if "character data" in reason.lower() or (kind == "XsdGroup" and "text" in reason.lower()):
        return "holds text where the schema allows only elements"
    if kind == "XsdGroup":
        return "its content is not what the schema allows here"
    if kind == "XsdElement" and "child" in reason.lower():
        return "holds elements where the schema expects a value"
    if kind.startswith("XsdAttribute"):
        return "has an attribute the schema does not allow"
    if kind.startswith("XMLSchema"):
        return "the root element is not one the schema declares (its name or namespace)"
    type_name = getattr(validator, "local_name", None) or getattr(validator, "name", None)
    if isinstance(err, xmlschema.XMLSchemaDecodeError) or kind.startswith("XsdAtomic"):
        name = str(type_name).rsplit("}", 1)[-1] if type_name else "value"
        return f"the value is not a valid {name}"
    return f"is not valid against the schema ({kind or type(err).__name__})"


def _year_of(data: bytes | str) -> int:
    root = _parse(data)
    for header in (c for c in root.children if c.tag == "Header"):
        candidates = [header, *header.children]
        for node in candidates:
            for sub in node.children:
                if sub.tag == "Year" and sub.text.strip().isdigit():
                    return int(sub.text.strip())
    raise SEN2Error("validate_schema: the return has no Header Year; give xsd=")


def validate_schema(data: bytes | str, xsd: str | Path | None = None) -> SchemaReport:
    """Check a SEN2 XML return against an XSD and list every failure, never a value.

    ``data`` is the XML itself (the file's bytes, or its text), not a path. ``xsd`` is
    the path of any XML schema — the DfE's own one an LA downloads from COLLECT, or
    another — and defaults to sendflow's schema for the collection year the return's
    header names (:func:`schema_path`). The return is first read by the same
    guarded reader as :func:`~sendflow.sen2.from_xml` (no DTDs or entities, size and text
    caps), so a hostile file is refused before the schema sees it.

    Needs the ``xmlschema`` package (the ``xsd`` extra).

    ```python
    >>> from datetime import date
    >>> from sendflow.sen2 import Header, SEN2Return, to_xml
    >>> ret = SEN2Return(header=Header(year=2026, reference_date=date(2026, 1, 15), lea="201",
    ...                                dmo="Y", dco="Y", dsco="N"))
    >>> validate_schema(to_xml(ret)).ok
    True
    >>> bad = to_xml(ret).replace(b"<DMO>Y</DMO>", b"<DMO>Maybe</DMO>")
    >>> print(validate_schema(bad))
    Header.Source.DMO: the value is not one of the codes the schema allows here

    ```

    Raises:
        SEN2Error: the return cannot be read at all (not well formed, hostile), the
            schema cannot be read, or xmlschema is not installed.
    """
    if xsd is None:
        path = schema_path(_year_of(data))
    else:
        _parse(data)  # refuses hostile input before xmlschema parses it
        path = Path(xsd)
    try:
        mtime = path.stat().st_mtime
    except OSError:
        raise SEN2Error("validate_schema: the XSD file cannot be read") from None
    schema = _load(str(path.resolve()), mtime)
    import xml.etree.ElementTree as ET

    import xmlschema

    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    try:
        resource = xmlschema.XMLResource(io.BytesIO(raw), defuse="always", allow="none")
    except (xmlschema.XMLResourceError, ET.ParseError, ValueError, SyntaxError):
        raise SEN2Error("validate_schema: the XML cannot be read") from None
    root = resource.root
    tree = _Tree(root)
    declared = _declared(schema)
    failures = []
    for err in schema.iter_errors(resource):
        elem = getattr(err, "elem", None)
        where = tree.location(elem, declared) if elem is not None else "Message"
        if elem is root and str(root.tag).rsplit("}", 1)[-1] not in declared:
            message = "the root element is not one the schema declares"
        else:
            message = _message(err, declared)
        failures.append(SchemaFailure(where, message))
    return SchemaReport(failures=tuple(failures), schema=path.name)


def _write_all(folder: Path) -> list[Path]:
    paths = []
    for year in YEARS:
        path = folder / f"sen2_{year}.xsd"
        path.write_text(xsd_text(year), encoding="utf-8")
        paths.append(path)
    return paths


def regenerate(folder: str | Path | None = None) -> list[Path]:
    """Write every year's schema into ``folder`` (default: the package's ``data`` folder).

    The maintainers' step after changing the data:
    ``python -c "from sendflow.sen2._schema import regenerate; regenerate()"``.
    """
    return _write_all(Path(folder) if folder is not None else Path(__file__).parent / "data")
