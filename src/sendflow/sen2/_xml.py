"""Write a SEN2 return as XML and read it back.

The layout follows the DfE's CBDS-style messages: a ``Message`` with a
``Header`` and one ``Person`` element per child or young person, each holding
its modules as nested elements (``Requests`` → ``Assessment`` → ``NamedPlan``
→ ``PlanDetail``; ``Requests`` → ``ActivePlans`` → ``PlacementDetail`` and
``SENneed``). Dates are ISO 8601, flags ``1``/``0``, absent items are left
out. Items a collection does not have (e.g. ``Sex`` before 2024) are not
written. The header groups its items as other CBDS collections do (the school
and CIN censuses): ``CollectionDetails`` (Collection, Year, ReferenceDate) and
``Source`` (SourceLevel, LEA, SoftwareCode, Release, SerialNo, DateTime), as
software that reads real SEN2 files expects; a flat header is read too. The
exact XML casing of some items is UNVERIFIED against the DfE schema (see
``docs/how-to/sen2-return.md``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError

from sendflow.sen2._model import (
    Header,
    Item,
    Person,
    SEN2Error,
    SEN2Return,
    _Module,
    item_in_collection,
)

__all__ = ["from_xml", "to_xml"]


def format_value(item: Item, value: Any) -> str:
    """The text of one item's value in XML or CSV."""
    if item.kind == "flag":
        return "1" if value else "0"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def parse_value(item: Item, text: str, where: str) -> Any:
    """Parse one item's text; raise :class:`SEN2Error` naming the place, not the value."""
    text = text.strip()
    if text == "":
        return None
    try:
        if item.kind == "date":
            if len(text) > 10:  # a date-time: the whole value must parse
                return datetime.fromisoformat(text).date()
            return date.fromisoformat(text)
        if item.kind == "int":
            if not (text.isascii() and text.lstrip("-").isdigit()):
                raise ValueError
            return int(text)
        if item.kind == "flag":
            low = text.lower()
            if low in ("1", "true", "y"):
                return True
            if low in ("0", "false", "n"):
                return False
            raise ValueError
    except ValueError:
        raise SEN2Error(f"{where}.{item.xml}: not a valid {item.kind}") from None
    return text


def _module_name(cls: type[_Module]) -> str:
    return cls.__name__


def _write(parent: ET.Element, tag: str, obj: _Module, year: int) -> None:
    el = ET.SubElement(parent, tag)
    name = _module_name(type(obj))
    for item in obj.ITEMS:
        value = getattr(obj, item.field)
        if value is None or not item_in_collection(name, item.xml, year):
            continue
        ET.SubElement(el, item.xml).text = format_value(item, value)
    for field, child_tag, _cls in obj.CHILDREN:
        for child in getattr(obj, field):
            _write(el, child_tag, child, year)


#: Header items grouped as in CBDS messages; other header items follow the groups.
_HEADER_GROUPS: dict[str, tuple[str, ...]] = {
    "CollectionDetails": ("Collection", "Year", "ReferenceDate"),
    "Source": ("SourceLevel", "LEA", "SoftwareCode", "Release", "SerialNo", "DateTime"),
}
_GROUP_OF = {tag: group for group, tags in _HEADER_GROUPS.items() for tag in tags}


def _write_header(root: ET.Element, header: Header, year: int) -> None:
    flat = ET.Element("Header")
    _write(flat, "Header", header, year)
    el = ET.SubElement(root, "Header")
    groups = {name: ET.SubElement(el, name) for name in _HEADER_GROUPS}
    for sub in flat[0]:
        group = _GROUP_OF.get(sub.tag)
        (groups[group] if group is not None else el).append(sub)


def _flat_header(el: ET.Element) -> ET.Element:
    """The header's items as direct children, whether grouped or not."""
    flat = ET.Element("Header")
    for position, sub in enumerate(el):
        if sub.tag in _HEADER_GROUPS:
            for item in sub:
                if item.tag not in _HEADER_GROUPS[sub.tag]:
                    raise SEN2Error(f"Header.{sub.tag}: unexpected element")
                flat.append(item)
        elif sub.tag in _GROUP_OF or not len(sub):
            flat.append(sub)
        else:
            raise SEN2Error(f"Header: unexpected element (child #{position})")
    return flat


def to_xml(ret: SEN2Return) -> bytes:
    """The return as UTF-8 XML bytes.

    ```python
    >>> from datetime import date
    >>> r = SEN2Return(header=Header(year=2026, reference_date=date(2026, 1, 15), lea="201"))
    >>> from_xml(to_xml(r)) == r
    True

    ```
    """
    root = ET.Element("Message")
    _write_header(root, ret.header, ret.year)
    persons = ET.SubElement(root, "Persons")
    for person in ret.persons:
        _write(persons, "Person", person, ret.year)
    ET.indent(root)
    out: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return out


def _read(el: ET.Element, cls: type[_Module], where: str) -> _Module:
    items = {i.xml: i for i in cls.ITEMS}
    children = {tag: (field, child_cls) for field, tag, child_cls in cls.CHILDREN}
    data: dict[str, Any] = {}
    kids: dict[str, list[_Module]] = {field: [] for field, _, _ in cls.CHILDREN}
    counts: dict[str, int] = {}
    for position, sub in enumerate(el):
        tag = sub.tag
        if tag in items:
            if len(sub):
                raise SEN2Error(f"{where}.{tag}: expected a value, found elements")
            data[items[tag].field] = parse_value(items[tag], sub.text or "", where)
        elif tag in children:
            field, child_cls = children[tag]
            n = counts.get(tag, 0)
            counts[tag] = n + 1
            kids[field].append(_read(sub, child_cls, f"{where}.{tag}[{n}]"))
        else:
            # The tag is input: name its position, never its text.
            raise SEN2Error(f"{where}: unexpected element (child #{position})")
    data = {k: v for k, v in data.items() if v is not None}
    try:
        return cls.model_validate({**data, **{k: tuple(v) for k, v in kids.items()}})
    except ValidationError as exc:
        raise SEN2Error(f"{where}: {_first_error(exc)}") from None


def _first_error(exc: ValidationError) -> str:
    err = exc.errors(include_input=False, include_url=False, include_context=False)[0]
    loc = ".".join(str(p) for p in err["loc"])
    return f"{loc}: {err['msg']}" if loc else err["msg"]


def from_xml(data: bytes | str) -> SEN2Return:
    """Read a return written by :func:`to_xml` (or the same layout from another system).

    Raises:
        SEN2Error: the XML is malformed, has an unknown element, or an item
            cannot be parsed; the message gives the element path.
    """
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise SEN2Error(f"XML is not well formed (line {exc.position[0]})") from None
    if root.tag != "Message":
        raise SEN2Error("XML: the root element must be 'Message'")
    header_el = root.find("Header")
    if header_el is None:
        raise SEN2Error("Message: no Header")
    header = _read(_flat_header(header_el), Header, "Header")
    persons: list[Person] = []
    persons_el = root.find("Persons")
    for extra in root:
        if extra.tag not in ("Header", "Persons"):
            raise SEN2Error("Message: unexpected element after the Header")
    if persons_el is not None:
        for i, el in enumerate(persons_el):
            if el.tag != "Person":
                raise SEN2Error("Persons: an element that is not a Person")
            person = _read(el, Person, f"Person[{i}]")
            assert isinstance(person, Person)
            persons.append(person)
    assert isinstance(header, Header)
    return SEN2Return(header=header, persons=tuple(persons))
