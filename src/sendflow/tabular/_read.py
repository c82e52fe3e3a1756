"""Tables from where they live: CSV files, Excel sheets, pandas and polars frames.

Each source becomes headings and numbered rows of cells. Row numbers are as a
spreadsheet shows them (the heading row is row 1, the first data row row 2);
for an Excel sheet they are the sheet's own row numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sendflow.errors import MissingExtra, SendflowError

__all__ = ["RawTable", "TableError", "read_source"]


class TableError(SendflowError, ValueError):
    """The table as a whole cannot be read (never a cell's value in the message)."""


@dataclass
class RawTable:
    """Headings and numbered rows, before any mapping is applied."""

    headings: list[str]
    rows: Iterator[tuple[int, Sequence[Any]]]
    notes: list[str]


def _decode(data: bytes, encoding: str | None, notes: list[str]) -> str:
    if encoding is not None:
        try:
            return data.decode(encoding)
        except LookupError:
            raise TableError(f"unknown encoding {encoding!r}") from None
        except UnicodeDecodeError:
            raise TableError(f"the file is not valid {encoding}") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        notes.append("the file is not UTF-8; it was read as Windows-1252 (Excel's CSV)")
        return data.decode("cp1252", errors="replace")


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv(text: str, notes: list[str]) -> RawTable:
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = _delimiter(first)
    if delimiter != ",":
        notes.append(f"columns are separated by {delimiter!r}")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headings = next(reader)
    except StopIteration:
        raise TableError("the table is empty (no heading row)") from None
    except csv.Error:
        raise TableError("the heading row is not valid CSV") from None

    def rows() -> Iterator[tuple[int, Sequence[Any]]]:
        number = 1
        while True:
            number += 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                # The csv module's limit (csv.field_size_limit(), 131,072 characters
                # unless changed) is the documented maximum cell length.
                too_long = "field larger than field limit" in str(exc)
                yield number, ("\x00csv-too-long" if too_long else "\x00csv-error",)
                continue
            yield number, row

    return RawTable(headings, rows(), notes)


def _excel(path: Path, sheet: str | None, notes: list[str]) -> RawTable:
    try:
        import openpyxl
    except ImportError:
        raise MissingExtra("reading Excel workbooks", "excel") from None
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except OSError as exc:
        raise TableError(f"cannot read {path.name}: {exc.strerror}") from None
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise TableError(f"{path.name} is not an Excel workbook (.xlsx)") from None
    if sheet is None:
        ws = book.worksheets[0]
    elif sheet in book.sheetnames:
        ws = book[sheet]
    else:
        raise TableError(f"the workbook has no sheet {sheet!r} (sheets: "
                         f"{', '.join(book.sheetnames)})")
    it = ws.iter_rows(values_only=True)
    number = 0
    headings: list[str] | None = None
    for cells in it:
        number += 1
        if any(c is not None and str(c).strip() for c in cells):
            headings = ["" if c is None else str(c) for c in cells]
            break
    if headings is None:
        raise TableError("the sheet is empty (no heading row)")
    start = number

    def rows() -> Iterator[tuple[int, Sequence[Any]]]:
        n = start
        for cells in it:
            n += 1
            yield n, cells
        book.close()

    return RawTable(headings, rows(), notes)


def _frame(frame: Any) -> RawTable | None:
    module = type(frame).__module__.split(".")[0]
    if module == "pandas":
        headings = [str(c) for c in frame.columns]
        return RawTable(
            headings,
            ((i + 2, row) for i, row in enumerate(frame.itertuples(index=False, name=None))),
            [],
        )
    if module == "polars":
        headings = [str(c) for c in frame.columns]
        return RawTable(headings, ((i + 2, row) for i, row in enumerate(frame.iter_rows())), [])
    return None


def read_source(
    source: str | Path | IO[str] | IO[bytes] | Any,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
) -> RawTable:
    """Headings and rows of a CSV path or file object, an Excel workbook or a data frame."""
    notes: list[str] = []
    frame = _frame(source)
    if frame is not None:
        return frame
    if isinstance(source, str | Path):
        path = Path(source)
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            return _excel(path, sheet, notes)
        if sheet is not None:
            raise TableError("--sheet applies only to an Excel workbook (.xlsx)")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise TableError(f"cannot read {path.name}: {exc.strerror}") from None
        return _csv(_decode(data, encoding, notes), notes)
    if hasattr(source, "read"):
        content = source.read()
        if isinstance(content, bytes):
            return _csv(_decode(content, encoding, notes), notes)
        if isinstance(content, str):
            return _csv(content, notes)
    raise TableError(
        "expected a CSV or Excel path, a file object, or a pandas or polars data frame"
    )
