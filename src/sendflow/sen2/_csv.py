"""Write a SEN2 return as CSV tables (one per module, as the DfE Blade export) and read them.

Each table has its own id column (``persontableid``…), its parent's id
column, then the module's items as lower-case column names, the way
DfE COLLECT exports the loaded return (column names verified against
MastodonC/witan.sen2's Blade readers). Ids are assigned in return order.

Column names are compared without regard to case or surrounding spaces (a
repeated column is an error, never last-wins), and the other spellings the XML
reader accepts are accepted as columns too. Text cells that a spreadsheet would
run as a formula (starting ``=``, ``+``,
``-``, ``@``, a tab or carriage return, or an apostrophe) are written with a
leading apostrophe, and the reader removes exactly one leading apostrophe from
text items, so the defence is reversed and round trips keep every value. Text
items are read as written (not stripped); a byte-order mark is ignored; a
malformed table raises :class:`SEN2Error`, never a bare ``csv.Error``.

Files are read as UTF-8 (with or without a byte-order mark), UTF-16 with a
byte-order mark, or Windows-1252 (cp1252, what spreadsheet programs on Windows
often save) when the bytes are not valid UTF-8. Bytes that none of these decode
raise :class:`SEN2Error` naming the table, never a bare ``UnicodeDecodeError``.
One cell may hold at most :data:`MAX_CELL_CHARS` characters.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sendflow._csvsafe import escape_cell, unescape_cell
from sendflow.sen2._model import (
    ActivePlan,
    Assessment,
    Header,
    NamedPlan,
    Person,
    PlacementDetail,
    PlanDetail,
    Request,
    SEN2Error,
    SEN2Return,
    SENNeed,
    _Module,
    item_in_collection,
)
from sendflow.sen2._xml import _first_error, format_value, parse_value

__all__ = ["MAX_CELL_CHARS", "TABLES", "from_csv", "read_csv_dir", "tables_from_zip", "to_csv",
           "write_csv_dir"]

#: The longest cell :func:`from_csv` reads (characters; Python's ``csv`` default limit).
MAX_CELL_CHARS = 131_072

#: Characters a CSV file cannot carry (NUL; unpaired surrogates cannot be encoded).
_NOT_CSV = re.compile("[\x00\ud800-\udfff]")

#: Table name, model, parent table (Blade module file names, lower case).
TABLES: tuple[tuple[str, type[_Module], str | None], ...] = (
    ("sen2", Header, None),
    ("person", Person, "sen2"),
    ("requests", Request, "person"),
    ("assessment", Assessment, "requests"),
    ("namedplan", NamedPlan, "assessment"),
    ("plandetail", PlanDetail, "namedplan"),
    ("activeplans", ActivePlan, "requests"),
    ("placementdetail", PlacementDetail, "activeplans"),
    ("senneed", SENNeed, "activeplans"),
)
_TABLE_OF = {cls: name for name, cls, _ in TABLES}


def _columns(name: str, cls: type[_Module], parent: str | None, year: int) -> list[str]:
    cols = [f"{name}tableid"]
    if parent:
        cols.append(f"{parent}tableid")
    cols += [i.csv for i in cls.ITEMS if item_in_collection(cls.__name__, i.xml, year)]
    return cols


def to_csv(ret: SEN2Return) -> dict[str, str]:
    """The return as CSV text per table (keys: ``sen2``, ``person``, ``requests``…).

    ```python
    >>> from datetime import date
    >>> r = SEN2Return(header=Header(year=2026, reference_date=date(2026, 1, 15), lea="201"))
    >>> sorted(to_csv(r))[:3]
    ['activeplans', 'assessment', 'namedplan']
    >>> from_csv(to_csv(r)) == r
    True

    ```

    Raises:
        SEN2Error: a value CSV cannot carry (a NUL or an unpaired surrogate character, or
            more than :data:`MAX_CELL_CHARS` characters); the message names the item.
    """
    year = ret.year
    rows: dict[str, list[dict[str, str]]] = {name: [] for name, _, _ in TABLES}

    def add(obj: _Module, parent_id: str | None, parent_table: str | None, where: str) -> None:
        table = _TABLE_OF[type(obj)]
        own = str(len(rows[table]) + 1)
        row = {f"{table}tableid": own}
        if parent_table is not None and parent_id is not None:
            row[f"{parent_table}tableid"] = parent_id
        for item in obj.ITEMS:
            value = getattr(obj, item.field)
            if value is not None and item_in_collection(type(obj).__name__, item.xml, year):
                text = format_value(item, value)
                if not text.strip():
                    raise SEN2Error(f"{where}.{item.xml}: is empty or only white space, which "
                                    "a reader takes as no value (leave the item out instead)")
                if item.kind == "str":
                    text = escape_cell(text)
                if len(text) > MAX_CELL_CHARS or _NOT_CSV.search(text):
                    raise SEN2Error(f"{where}.{item.xml}: cannot be written to CSV (a character "
                                    f"CSV cannot carry, or longer than {MAX_CELL_CHARS})")
                row[item.csv] = text
        rows[table].append(row)
        for field, tag, _cls in obj.CHILDREN:
            for n, child in enumerate(getattr(obj, field)):
                add(child, own, table, f"{where}.{tag}[{n}]")

    add(ret.header, None, None, "Header")
    for i, person in enumerate(ret.persons):
        add(person, "1", "sen2", f"Person[{i}]")
    out: dict[str, str] = {}
    for name, cls, parent in TABLES:
        buf = io.StringIO()
        # CRLF rows (RFC 4180): Python 3.11's csv module quotes a cell holding a
        # line terminator character, so only then is a "\r" in a name quoted.
        writer = csv.DictWriter(buf, fieldnames=_columns(name, cls, parent, year),
                                lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows[name])
        out[name] = buf.getvalue()
    return out


def decode_table(raw: bytes, name: str) -> str:
    """The text of one CSV table's bytes: UTF-8 (BOM or not), UTF-16 with a BOM, or cp1252.

    Raises:
        SEN2Error: the bytes are in none of these encodings (the message names the table).
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings: tuple[str, ...] = ("utf-16",)
    elif raw.startswith(codecs.BOM_UTF8):
        encodings = ("utf-8-sig",)
    else:
        encodings = ("utf-8", "cp1252")
    for encoding in encodings:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SEN2Error(f"{name}.csv: not text in UTF-8, UTF-16 (with a byte-order mark) or "
                    "Windows-1252 (cp1252)")


def from_csv(tables: Mapping[str, str | bytes]) -> SEN2Return:
    """Read tables written by :func:`to_csv` (table name → CSV text, or the file's bytes).

    Raises:
        SEN2Error: a table is missing, cannot be decoded, a parent id is unknown, or a
            value cannot be parsed; the message names the table, row and column.
    """
    parsed: dict[str, list[tuple[str, str | None, dict[str, Any], int]]] = {}
    for name, cls, parent in TABLES:
        if name not in tables:
            if name == "sen2":
                raise SEN2Error("CSV: the 'sen2' header table is missing")
            parsed[name] = []
            continue
        items = {i.csv: i for i in cls.ITEMS}
        for i in cls.ITEMS:
            items.update(dict.fromkeys((a.lower() for a in i.aliases), i))
        text = tables[name]
        if isinstance(text, bytes | bytearray):
            text = decode_table(bytes(text), name)
        elif not isinstance(text, str):
            raise SEN2Error(f"{name}.csv: expected text or bytes")
        reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
        _normalise_columns(reader, name)
        out = []
        seen: set[str] = set()
        for n, row in _rows(reader, name):
            where = f"{name}.csv row {n}"
            own = row.pop(f"{name}tableid", None)
            if not own:
                raise SEN2Error(f"{where}: no {name}tableid")
            if own in seen:  # a row given twice: never two records sharing children
                raise SEN2Error(f"{where}: the {name}tableid of an earlier row")
            seen.add(own)
            parent_id = row.pop(f"{parent}tableid", None) if parent else None
            data: dict[str, Any] = {}
            for col, text in row.items():
                if col not in items:
                    # The header is input: name the column's position, not its text.
                    position = (reader.fieldnames or []).index(col) + 1 if col else 0
                    raise SEN2Error(f"{where}: unknown column (column {position})")
                if not isinstance(text, str):
                    raise SEN2Error(f"{where}: more cells than columns")
                item = items[col]
                if item.kind == "str":
                    cell = unescape_cell(text)
                    value = cell if cell.strip() else None  # "'" or "' " is no value
                else:
                    value = parse_value(item, text, where)
                if value is not None:
                    data[items[col].field] = value
            out.append((own, parent_id, data, n))
        parsed[name] = out

    for name, _cls, parent in TABLES[1:]:
        known = {own for own, _, _, _ in parsed[parent or "sen2"]}
        for _own, pid, _, row_number in parsed[name]:
            if pid not in known:
                raise SEN2Error(f"{name}.csv row {row_number}: unknown {parent}tableid")
    if len(parsed["sen2"]) != 1:
        raise SEN2Error("sen2.csv: expected exactly one header row")
    # Index children by parent for speed on large returns.
    by_parent: dict[str, dict[str | None, list[tuple[str, dict[str, Any], int]]]] = {}
    for name, _cls, _parent in TABLES:
        index: dict[str | None, list[tuple[str, dict[str, Any], int]]] = {}
        for own, pid, d, row_number in parsed[name]:
            index.setdefault(pid, []).append((own, d, row_number))
        by_parent[name] = index

    def build_fast(
        name: str, cls: type[_Module], data: dict[str, Any], own: str, row_number: int
    ) -> _Module:
        for field, _tag, child_cls in cls.CHILDREN:
            child_table = _TABLE_OF[child_cls]
            data[field] = tuple(
                build_fast(child_table, child_cls, dict(d), cid, rn)
                for cid, d, rn in by_parent[child_table].get(own, ())
            )
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise SEN2Error(f"{name}.csv row {row_number}: {_first_error(exc)}") from None

    header_id, _, header_data, header_row = parsed["sen2"][0]
    header = build_fast("sen2", Header, dict(header_data), header_id, header_row)
    persons = tuple(
        build_fast("person", Person, dict(d), pid, rn)
        for pid, d, rn in by_parent["person"].get(header_id, ())
    )
    assert isinstance(header, Header)
    return SEN2Return.model_validate({"header": header, "persons": persons})


def _normalise_columns(reader: csv.DictReader[str], name: str) -> None:
    """Column names compared without case or surrounding spaces; a repeated one is an error."""
    try:
        names = reader.fieldnames
    except csv.Error:
        raise SEN2Error(f"{name}.csv row 1: not valid CSV (or a cell too long)") from None
    if names is None:
        return
    seen: set[str] = set()
    clean = []
    for position, col in enumerate(names, start=1):
        key = col.strip().lower()
        if key in seen:
            raise SEN2Error(f"{name}.csv: column {position} repeats an earlier column")
        seen.add(key)
        clean.append(key)
    reader.fieldnames = clean


def _rows(reader: csv.DictReader[str], name: str) -> Any:
    n = 1
    try:
        for n, row in enumerate(reader, start=2):
            yield n, row
    except csv.Error:
        raise SEN2Error(f"{name}.csv row {n + 1}: not valid CSV (or a cell too long)") from None


def write_csv_dir(ret: SEN2Return, directory: str | Path) -> list[Path]:
    """Write one ``<table>.csv`` file per module into ``directory``; return the paths."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in to_csv(ret).items():
        path = folder / f"{name}.csv"
        path.write_text(text, encoding="utf-8", newline="")  # rows end CRLF already
        paths.append(path)
    return paths


def read_csv_dir(directory: str | Path) -> SEN2Return:
    """Read the ``<table>.csv`` files of :func:`write_csv_dir` (or a Blade export) from
    ``directory``, in any of the encodings :func:`decode_table` reads.

    Raises:
        SEN2Error: as :func:`from_csv`, or a file cannot be read or decoded.
    """
    folder = Path(directory)
    tables: dict[str, str | bytes] = {}
    for name, _, _ in TABLES:
        path = folder / f"{name}.csv"
        if path.exists():
            try:
                tables[name] = path.read_bytes()
            except OSError:
                raise SEN2Error(f"{name}.csv: cannot be read") from None
    return from_csv(tables)


#: The most a zip of Blade CSV tables may hold, uncompressed (as :data:`MAX_XML_BYTES` for XML).
MAX_ZIP_BYTES = 512 * 1024 * 1024


def tables_from_zip(data: bytes) -> dict[str, bytes]:
    """The ``<table>.csv`` files of a zip archive (the folder of :func:`write_csv_dir`,
    zipped, e.g. piped to ``sendflow check - --sen2``), table name to bytes, for
    :func:`from_csv`.

    Every file in the archive must be one of :data:`TABLES` (in any folder), each at most
    once; folders are only paths. Nothing else is read or left out unsaid.

    Raises:
        SEN2Error: not a readable zip archive, an encrypted file, a file that is not a
            table or repeats one, or more than :data:`MAX_ZIP_BYTES` uncompressed; the
            message names the file by its position in the archive, never its name.
    """
    known = {f"{name}.csv" for name, _, _ in TABLES}
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise SEN2Error("zip: not a readable zip archive") from None
    tables: dict[str, bytes] = {}
    left = MAX_ZIP_BYTES
    with archive:
        for n, info in enumerate(archive.infolist(), start=1):
            if info.is_dir():
                continue  # a folder holds no data: its files are read in their turn
            base = info.filename.replace("\\", "/").rsplit("/", 1)[-1].lower()
            if base not in known:
                raise SEN2Error(f"zip: file {n} is not a SEN2 table (expected "
                                f"{', '.join(sorted(known))})")
            name = base.removesuffix(".csv")
            if name in tables:
                raise SEN2Error(f"zip: file {n} repeats the {name} table")
            if info.flag_bits & 0x1:
                raise SEN2Error(f"zip: file {n} is encrypted")
            try:
                with archive.open(info) as fh:
                    raw = fh.read(left + 1)  # never more than the limit, whatever it says
            except (zipfile.BadZipFile, NotImplementedError, ValueError, OSError, EOFError):
                raise SEN2Error(f"zip: file {n} cannot be read") from None
            if len(raw) > left:
                raise SEN2Error(f"zip: the tables are larger than {MAX_ZIP_BYTES} bytes")
            left -= len(raw)
            tables[name] = raw
    return tables
