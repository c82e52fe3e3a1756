"""Write a SEN2 return as XML and read it back.

The layout is the one COLLECT loads (reference: ``sen2.md`` section 0): a
``Message`` with a ``Header`` (``CollectionDetails``: Collection, Year,
ReferenceDate; ``Source``: SourceLevel, LEA, SoftwareCode, Release, SerialNo,
DateTime, DMO, DCO, DSCO) and ``Persons`` holding one ``Person`` per child or
young person, each with its modules nested (``Requests`` → ``Assessment`` →
``NamedPlan`` → ``PlanDetail``; ``Requests`` → ``ActivePlans`` →
``PlacementDetail`` and ``SENneed``). Elements come in each collection's
schema order; dates are ISO 8601, flags ``1``/``0``, ``SerialNo`` three digits,
absent items are left out, and items a collection does not have (e.g. ``Sex``
before 2024) are not written. The XML has no person key: the writer emits no
``PersonID`` and the reader numbers the persons (``P1``, ``P2``…) unless an
older file carries a ``PersonID``.

Reading accepts the other spellings seen in real files or in the programs that
read them (``SENsetting``, ``SENUnitIndicator``, ``Postcode``, ``RES``, ``WPB``,
``PlanWPB``) and a flat header, and refuses
hostile input quickly with a :class:`SEN2Error`: a document type declaration
or entity declaration, a file over :data:`MAX_XML_BYTES`, one text over
:data:`MAX_TEXT_CHARS`, an encoding that cannot be decoded, and an item given
twice in one module. Reading time grows linearly with the input.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, datetime
from typing import Any
from xml.parsers import expat

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

__all__ = ["MAX_TEXT_CHARS", "MAX_XML_BYTES", "from_xml", "to_xml"]

#: The largest XML return :func:`from_xml` reads (bytes, after encoding a ``str``).
MAX_XML_BYTES = 512 * 1024 * 1024
#: The longest text one element may hold (characters).
MAX_TEXT_CHARS = 10_000

#: Characters XML 1.0 cannot carry (control characters other than tab and line feed;
#: carriage return is refused too, as a reader turns it into a line feed).
_NOT_XML = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")


def format_value(item: Item, value: Any) -> str:
    """The text of one item's value in XML or CSV."""
    if item.kind == "flag":
        return "1" if value else "0"
    if item.kind == "serial":
        return f"{int(value):03d}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def parse_value(item: Item, text: str, where: str) -> Any:
    """Parse one item's text; raise :class:`SEN2Error` naming the place, not the value.

    Text items keep their text exactly (as ``xs:string`` does); text that is empty or
    only white space is no value. Dates, numbers and flags are read without the white
    space around them.
    """
    raw = text
    text = text.strip()
    if text == "":
        return None
    if item.kind == "str":
        return raw
    try:
        if item.kind == "date":
            if len(text) > 10:  # a date-time: the whole value must parse
                return datetime.fromisoformat(text).date()
            return date.fromisoformat(text)
        if item.kind in ("int", "serial"):
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


def _text(item: Item, value: Any, where: str) -> str:
    text = format_value(item, value)
    if not text.strip():
        raise SEN2Error(f"{where}.{item.xml}: is empty or only white space, which a reader "
                        "takes as no value (leave the item out instead)")
    if _NOT_XML.search(text):
        raise SEN2Error(f"{where}.{item.xml}: holds a character XML cannot carry")
    if len(text) > MAX_TEXT_CHARS:
        raise SEN2Error(f"{where}.{item.xml}: longer than {MAX_TEXT_CHARS} characters, "
                        "which from_xml would refuse")
    return text


def _write(parent: ET.Element, tag: str, obj: _Module, year: int, where: str) -> None:
    el = ET.SubElement(parent, tag)
    name = _module_name(type(obj))
    items = {i.xml: i for i in obj.ITEMS}
    children = {t: field for field, t, _ in obj.CHILDREN}
    for part in obj.xml_order(year):
        if part in items:
            item = items[part]
            value = getattr(obj, item.field)
            if value is None or item.xml == "PersonID" or not item_in_collection(
                    name, item.xml, year):
                continue
            ET.SubElement(el, item.xml).text = _text(item, value, where)
        elif part in children:
            for n, child in enumerate(getattr(obj, children[part])):
                _write(el, part, child, year, f"{where}.{part}[{n}]")


#: Header items grouped as in CBDS messages; other header items follow the groups.
_HEADER_GROUPS: dict[str, tuple[str, ...]] = {
    "CollectionDetails": ("Collection", "Year", "ReferenceDate"),
    "Source": ("SourceLevel", "LEA", "SoftwareCode", "Release", "SerialNo", "DateTime",
               "DMO", "DCO", "DSCO"),
}
_GROUP_OF = {tag: group for group, tags in _HEADER_GROUPS.items() for tag in tags}


def _write_header(root: ET.Element, header: Header, year: int) -> None:
    flat = ET.Element("Header")
    _write(flat, "Header", header, year, "Header")
    el = ET.SubElement(root, "Header")
    groups = {name: ET.SubElement(el, name) for name in _HEADER_GROUPS}
    for sub in flat[0]:
        group = _GROUP_OF.get(sub.tag)
        (groups[group] if group is not None else el).append(sub)


def to_xml(ret: SEN2Return) -> bytes:
    """The return as UTF-8 XML bytes.

    ```python
    >>> from datetime import date
    >>> r = SEN2Return(header=Header(year=2026, reference_date=date(2026, 1, 15), lea="201"))
    >>> from_xml(to_xml(r)) == r
    True

    ```

    Raises:
        SEN2Error: an item holds a character XML cannot carry, or more text than
            :func:`from_xml` reads (the message names the item).
    """
    root = ET.Element("Message")
    _write_header(root, ret.header, ret.year)
    persons = ET.SubElement(root, "Persons")
    for i, person in enumerate(ret.persons):
        _write(persons, "Person", person, ret.year, f"Person[{i}]")
    ET.indent(root)
    out: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return out


class _Node:
    """One parsed element: tag, children and text pieces (joined once, so linear)."""

    __slots__ = ("children", "parts", "size", "tag")

    def __init__(self, tag: str) -> None:
        self.tag = tag
        self.children: list[_Node] = []
        self.parts: list[str] = []
        self.size = 0

    @property
    def text(self) -> str:
        return "".join(self.parts)


class _Refused(Exception):
    def __init__(self, message: str) -> None:
        self.message = message


def _external(*_args: Any) -> int:
    raise _Refused("XML: external entities are not accepted")


def _parse(data: bytes | str) -> _Node:
    if isinstance(data, str):
        try:
            raw = data.encode("utf-8")
        except UnicodeEncodeError:
            raise SEN2Error("XML: the text holds a character that cannot be encoded") from None
        encoding: str | None = "utf-8"
    elif isinstance(data, bytes | bytearray):
        raw, encoding = bytes(data), None
    else:
        raise SEN2Error("XML: expected bytes or str")
    if len(raw) > MAX_XML_BYTES:
        raise SEN2Error(f"XML: the file is larger than {MAX_XML_BYTES} bytes")
    parser = expat.ParserCreate(encoding)
    stack: list[_Node] = []
    roots: list[_Node] = []

    def start(tag: str, _attrs: dict[str, str]) -> None:
        node = _Node(tag)
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)

    def end(_tag: str) -> None:
        stack.pop()

    def chars(text: str) -> None:
        if stack and not stack[-1].children:  # text between child elements is layout
            node = stack[-1]
            node.size += len(text)
            if node.size > MAX_TEXT_CHARS:
                raise _Refused(f"XML: an element's text is longer than {MAX_TEXT_CHARS} "
                               "characters")
            node.parts.append(text)

    def doctype(*_args: Any) -> None:
        raise _Refused("XML: document type declarations (DTDs) are not accepted")

    def entity(*_args: Any) -> None:
        raise _Refused("XML: entity declarations are not accepted")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    parser.ExternalEntityRefHandler = _external
    try:
        parser.Parse(raw, True)
    except _Refused as exc:
        raise SEN2Error(exc.message) from None
    except expat.ExpatError as exc:
        raise SEN2Error(f"XML is not well formed (line {exc.lineno})") from None
    except (LookupError, UnicodeError, ValueError):
        raise SEN2Error("XML: the file's encoding cannot be decoded") from None
    if len(roots) != 1:
        raise SEN2Error("XML is not well formed (no root element)")
    return roots[0]


def _read(el: _Node, cls: type[_Module], where: str) -> _Module:
    items = {i.xml: i for i in cls.ITEMS}
    for i in cls.ITEMS:
        items.update(dict.fromkeys(i.aliases, i))
    children = {tag: (field, child_cls) for field, tag, child_cls in cls.CHILDREN}
    data: dict[str, Any] = {}
    kids: dict[str, list[_Module]] = {field: [] for field, _, _ in cls.CHILDREN}
    counts: dict[str, int] = {}
    for position, sub in enumerate(el.children):
        tag = sub.tag
        if tag in items:
            item = items[tag]
            if sub.children:
                raise SEN2Error(f"{where}.{item.xml}: expected a value, found elements")
            if item.field in data:
                raise SEN2Error(f"{where}.{item.xml}: given more than once")
            data[item.field] = parse_value(item, sub.text, where)
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


def _flat_header(el: _Node) -> _Node:
    """The header's items as direct children, whether grouped or not."""
    flat = _Node("Header")
    for position, sub in enumerate(el.children):
        if sub.tag in _HEADER_GROUPS:
            for item in sub.children:
                if item.tag not in _HEADER_GROUPS[sub.tag]:
                    raise SEN2Error(f"Header.{sub.tag}: unexpected element")
                flat.children.append(item)
        elif sub.tag in _GROUP_OF or not sub.children:
            flat.children.append(sub)
        else:
            raise SEN2Error(f"Header: unexpected element (child #{position})")
    return flat


def from_xml(data: bytes | str) -> SEN2Return:
    """Read a SEN2 XML return (as :func:`to_xml` writes it, or from another system).

    Raises:
        SEN2Error: the XML is malformed or hostile (see the module notes), has an
            unknown or repeated element, or an item cannot be parsed; the message
            gives the element path, never a value.
    """
    root = _parse(data)
    if root.tag != "Message":
        raise SEN2Error("XML: the root element must be 'Message'")
    headers = [c for c in root.children if c.tag == "Header"]
    if len(headers) != 1:
        raise SEN2Error("Message: expected exactly one Header")
    for extra in root.children:
        if extra.tag not in ("Header", "Persons"):
            raise SEN2Error("Message: unexpected element after the Header")
    header = _read(_flat_header(headers[0]), Header, "Header")
    persons: list[Person] = []
    blocks = [c for c in root.children if c.tag == "Persons"]
    if len(blocks) > 1:
        raise SEN2Error("Message: Persons given more than once")
    for block in blocks:
        for i, el in enumerate(block.children):
            if el.tag != "Person":
                raise SEN2Error("Persons: an element that is not a Person")
            if not any(c.tag == "PersonID" for c in el.children):
                el.children.insert(0, _Node("PersonID"))
                el.children[0].parts.append(f"P{i + 1}")
            person = _read(el, Person, f"Person[{i}]")
            assert isinstance(person, Person)
            persons.append(person)
    assert isinstance(header, Header)
    return SEN2Return(header=header, persons=tuple(persons))
