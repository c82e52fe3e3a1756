"""Mappings: which column of a table holds which field of a case, and how to read it.

A mapping is data (a TOML file or a dict), checked strictly when it is
loaded: an unknown key, an unknown field, an unknown date format or a code
mapped to a value the field cannot take is a :class:`MappingError` that names
the key. Column headings and codes are configuration, not personal data, so
they may appear in these messages; cell values never do.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from sendflow.errors import InvalidIdentifier, SendflowError
from sendflow.identifiers import is_known_la_code, validate_la_code
from sendflow.tabular._dates import check_formats

__all__ = [
    "CODED_FIELDS",
    "DATE_FIELDS",
    "FIELDS",
    "FLAT_COLUMNS",
    "MappingError",
    "TableMapping",
    "load_mapping",
    "normalise_code",
    "normalise_heading",
]


class MappingError(SendflowError, ValueError):
    """A mapping (TOML file or dict) is not usable; the message names the key."""

    def __init__(self, where: str, key: str, problem: str) -> None:
        self.where = where
        self.key = key
        super().__init__(f"{where}: {key}: {problem}")


#: The columns of the built-in ``flat`` layout, in the order it writes them.
FLAT_COLUMNS: tuple[str, ...] = (
    "case_id",
    "person_id",
    "date_of_birth",
    "upn",
    "request_date",
    "request_source",
    "decision_date",
    "decision",
    "draft_date",
    "final_date",
    "plan_start_date",
    "last_review_date",
    "transferred_from_la",
    "transfer_date",
    "withdrawn_date",
    "ceased_date",
)

#: Every field a mapping can fill (the flat layout's columns).
FIELDS: frozenset[str] = frozenset(FLAT_COLUMNS)

#: The fields that hold dates.
DATE_FIELDS: tuple[str, ...] = (
    "date_of_birth",
    "request_date",
    "decision_date",
    "draft_date",
    "final_date",
    "plan_start_date",
    "last_review_date",
    "transfer_date",
    "withdrawn_date",
    "ceased_date",
)

#: The coded fields and the values each can take (what ``[values.<field>]`` maps onto).
CODED_FIELDS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "request_source": frozenset(
            {"parent", "young_person", "school_or_setting", "health_professional",
             "social_care_professional", "other"}
        ),
        "decision": frozenset({"assess", "refuse"}),
        "transferred_from_la": frozenset(),  # any LA code; checked against the code list
    }
)

#: Fields that can say which rows are one case.
_GROUP_FIELDS = frozenset({"case_id", "person_id", "upn"})

#: Cell texts read as blank wherever they appear (compared after :func:`normalise_code`).
DEFAULT_BLANKS: tuple[str, ...] = (
    "-", "--", "n/a", "na", "null", "none", "nil", "#n/a", "nan", "nat", "unknown",
    "not known", "tbc",
)

_KEYS = {
    "name", "base", "columns", "date_formats", "two_digit_years_from", "group_by",
    "values", "responsible_la", "blanks",
}


def normalise_heading(text: str) -> str:
    """A column heading as it is compared: case, spaces, ``-`` and ``_`` ignored.

    ```python
    >>> normalise_heading("\\ufeff Request  Date"), normalise_heading("request-date")
    ('request_date', 'request_date')

    ```
    """
    return re.sub(r"[\s_\-]+", "_", text.replace("\ufeff", "").strip().casefold()).strip("_")


def normalise_code(text: str) -> str:
    """A code as it is compared: trimmed, case folded, inner spaces collapsed.

    ```python
    >>> normalise_code("  Assessment   AGREED ")
    'assessment agreed'

    ```
    """
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class TableMapping:
    """How to read one kind of table into cases (see :func:`load_mapping`).

    Attributes:
        name: a label for messages.
        columns: field -> column heading in the table.
        date_formats: names from ``sendflow.tabular.DATE_FORMATS``, tried in order.
        two_digit_years_from: first year of the window two-digit years are read in.
        group_by: fields whose values say which rows are one case: rows that share
            a value in any of them form one case.
        values: coded field -> (normalised source code -> canonical value).
        responsible_la: an LA code given to every case, if set.
        blanks: normalised cell texts read as blank.
        required: the headings the table must have (those a user mapping names
            itself; the built-in layout requires none).
    """

    name: str
    columns: Mapping[str, str]
    date_formats: tuple[str, ...]
    two_digit_years_from: int = 1970
    group_by: tuple[str, ...] = ("person_id", "case_id")
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    responsible_la: str | None = None
    blanks: frozenset[str] = frozenset(DEFAULT_BLANKS)
    required: frozenset[str] = frozenset()

    def code(self, field_name: str, text: str) -> str | None:
        """The canonical value of a coded cell, or None if the code is unknown."""
        key = normalise_code(text)
        allowed = CODED_FIELDS[field_name]
        if key in allowed:
            return key
        return self.values.get(field_name, {}).get(key)


def _fail(where: str, key: str, problem: str) -> MappingError:
    return MappingError(where, key, problem)


def _builtin(name: str) -> dict[str, Any]:
    text = resources.files("sendflow.tabular").joinpath("data", f"{name}.toml").read_text(
        encoding="utf-8"
    )
    data: dict[str, Any] = tomllib.loads(text)
    return data


#: The names of the built-in layouts.
LAYOUTS: tuple[str, ...] = ("flat",)


def load_mapping(source: str | Path | Mapping[str, Any] | TableMapping) -> TableMapping:
    """A checked mapping from a built-in layout name, a TOML file or a dict.

    ``source`` is ``"flat"`` (the built-in layout), a path to a ``.toml`` file,
    or a dict with the same keys. A mapping may start from a built-in layout
    with ``base = "flat"`` and change only what differs; a column it names
    itself must then be in the table.

    Raises:
        MappingError: an unknown key, field, format or code, naming the key.

    ```python
    >>> m = load_mapping({"base": "flat", "columns": {"request_date": "Date received"},
    ...                   "values": {"request_source": {"Mum": "parent"}}})
    >>> m.columns["request_date"], m.code("request_source", " MUM "), sorted(m.required)
    ('Date received', 'parent', ['date_received'])
    >>> load_mapping({"colums": {}})
    Traceback (most recent call last):
    ...
    sendflow.tabular._mapping.MappingError: mapping: colums: unknown key (known: base, ...)

    ```
    """
    if isinstance(source, TableMapping):
        return source
    where = "mapping"
    if isinstance(source, Mapping):
        data: Mapping[str, Any] = source
    elif isinstance(source, str) and source in LAYOUTS:
        return _build(_builtin(source), f"layout {source!r}", builtin=True)
    else:
        path = Path(source)
        where = path.name
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
        except OSError as exc:
            raise _fail(where, "(file)", f"cannot be read ({exc.strerror})") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise _fail(where, "(file)", f"is not valid TOML ({exc})") from None
    return _build(data, where, builtin=False)


def _build(data: Mapping[str, Any], where: str, *, builtin: bool) -> TableMapping:
    if not isinstance(data, Mapping):
        raise _fail(where, "(mapping)", "must be a table of keys")
    for key in data:
        if key not in _KEYS:
            raise _fail(where, str(key), f"unknown key (known: {', '.join(sorted(_KEYS))})")
    base: dict[str, Any] = {}
    if "base" in data:
        if data["base"] not in LAYOUTS:
            raise _fail(where, "base", f"must be one of {', '.join(LAYOUTS)}")
        base = _builtin(data["base"])

    name = data.get("name", base.get("name", "custom") if not data.get("base") else "custom")
    if not isinstance(name, str):
        raise _fail(where, "name", "must be text")

    # columns
    own_columns = data.get("columns", {})
    if not isinstance(own_columns, Mapping):
        raise _fail(where, "columns", "must be a table of field = \"heading\"")
    columns: dict[str, str] = dict(base.get("columns", {}))
    required: set[str] = set()
    for fld, heading in own_columns.items():
        if fld not in FIELDS:
            raise _fail(where, f"columns.{fld}",
                        f"unknown field (known: {', '.join(FLAT_COLUMNS)})")
        if not isinstance(heading, str) or not normalise_heading(heading):
            raise _fail(where, f"columns.{fld}", "must be a column heading (non-empty text)")
        columns[fld] = heading
        if not builtin:
            required.add(normalise_heading(heading))
    if not columns:
        raise _fail(where, "columns", "map at least one field to a column")
    seen: dict[str, str] = {}
    for fld, heading in columns.items():
        h = normalise_heading(heading)
        if h in seen:
            raise _fail(where, f"columns.{fld}",
                        f"reads the same column as columns.{seen[h]}")
        seen[h] = fld
    if not any(f in columns for f in DATE_FIELDS if f != "date_of_birth"):
        raise _fail(where, "columns", "map at least one event or anchor date")

    # dates
    formats = data.get("date_formats", base.get("date_formats", ["iso"]))
    if not isinstance(formats, list) or not all(isinstance(f, str) for f in formats):
        raise _fail(where, "date_formats", "must be a list of format names")
    problem = check_formats(formats)
    if problem:
        raise _fail(where, "date_formats", problem)
    window = data.get("two_digit_years_from", base.get("two_digit_years_from", 1970))
    if isinstance(window, bool) or not isinstance(window, int) or not 1900 <= window <= 2000:
        raise _fail(where, "two_digit_years_from", "must be a year from 1900 to 2000")

    # grouping
    group_by = data.get("group_by", base.get("group_by", ["person_id", "case_id"]))
    if isinstance(group_by, str):
        group_by = [group_by]
    if not isinstance(group_by, list) or not group_by:
        raise _fail(where, "group_by", "must be a list of one or more fields")
    for fld in group_by:
        if fld not in _GROUP_FIELDS:
            raise _fail(where, "group_by",
                        f"{fld!r} cannot group rows (use {', '.join(sorted(_GROUP_FIELDS))})")

    # codes
    own_values = data.get("values", {})
    if not isinstance(own_values, Mapping):
        raise _fail(where, "values", "must be a table of [values.<field>] tables")
    values: dict[str, dict[str, str]] = {}
    for fld, table in base.get("values", {}).items():
        values[fld] = {normalise_code(k): v for k, v in table.items()}
    for fld, table in own_values.items():
        if fld not in CODED_FIELDS:
            raise _fail(where, f"values.{fld}",
                        f"not a coded field (coded: {', '.join(CODED_FIELDS)})")
        if not isinstance(table, Mapping):
            raise _fail(where, f"values.{fld}", "must be a table of \"code\" = \"value\"")
        target_table = values.setdefault(fld, {})
        own_keys: dict[str, str] = {}
        for code, target in table.items():
            key = normalise_code(str(code))
            if not key:
                raise _fail(where, f"values.{fld}", "a code is empty")
            if key in own_keys:
                raise _fail(where, f"values.{fld}.{code}",
                            f"is the same code as {own_keys[key]!r} (case and spaces ignored)")
            own_keys[key] = str(code)
            if not isinstance(target, str):
                raise _fail(where, f"values.{fld}.{code}", "must map to text")
            if fld == "transferred_from_la":
                target = target.strip()
                if not is_known_la_code(target):
                    raise _fail(where, f"values.{fld}.{code}",
                                "must map to an English LA code (current or superseded)")
            elif target not in CODED_FIELDS[fld]:
                raise _fail(where, f"values.{fld}.{code}",
                            f"must be one of {', '.join(sorted(CODED_FIELDS[fld]))}")
            target_table[key] = target

    la = data.get("responsible_la", base.get("responsible_la"))
    if la is not None:
        if not isinstance(la, str):
            raise _fail(where, "responsible_la", "must be an LA code as text, e.g. \"201\"")
        try:
            la = validate_la_code(la.strip(), None)
        except InvalidIdentifier:
            raise _fail(where, "responsible_la", "is not a current English LA code") from None

    blanks = data.get("blanks", base.get("blanks", list(DEFAULT_BLANKS)))
    if not isinstance(blanks, list) or not all(isinstance(b, str) for b in blanks):
        raise _fail(where, "blanks", "must be a list of texts read as blank")

    return TableMapping(
        name=name,
        columns=MappingProxyType(columns),
        date_formats=tuple(formats),
        two_digit_years_from=window,
        group_by=tuple(group_by),
        values=MappingProxyType({k: MappingProxyType(v) for k, v in values.items()}),
        responsible_la=la,
        blanks=frozenset(normalise_code(b) for b in blanks),
        required=frozenset(required),
    )
