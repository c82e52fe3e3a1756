"""Flat tables in: CSV files, Excel sheets and data frames read into cases.

Local authorities hold flat tables — one row per request or plan, dates as
``dd/mm/yyyy``, free-text codes, duplicated rows — not sendflow's event JSON.
:func:`read_table` reads such a table through a declarative mapping (a TOML
file or a dict; the built-in layout ``"flat"`` needs none) into cases, with a
data-quality report: a bad row never stops the import, and the report names
its row and column and what was wrong, never the cell's value.

```python
>>> import io
>>> from sendflow import tabular
>>> export = io.StringIO(
...     "case_id,person_id,request_date,request_source,decision_date,decision\\n"
...     "C1,P1,05/01/2026,Mum,10/02/2026,Yes\\n"
...     "C1,P1,05/01/2026,Mum,10/02/2026,Yes\\n"
...     "C2,P2,31/02/2026,School,,\\n")
>>> result = tabular.read_table(export, layout="flat")
>>> [case.state for case in result.cases]
['assessing']
>>> result.quality.duplicates_dropped, result.quality.rows_skipped
(1, 1)
>>> print(result.quality.errors[0].describe())
row 4, request_date: is not a real calendar date (read as dd/mm/yyyy) (row skipped)

```

Added in 0.2.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from sendflow.tabular._build import FLAT_RECORDED, PART_3_START, TableImport, build, rows_from
from sendflow.tabular._dates import DATE_FORMATS, parse_date
from sendflow.tabular._mapping import (
    FLAT_COLUMNS,
    LAYOUTS,
    MappingError,
    TableMapping,
    load_mapping,
)
from sendflow.tabular._quality import QualityIssue, QualityReport
from sendflow.tabular._read import TableError, read_source
from sendflow.tabular._write import to_flat, write_flat

__all__ = [
    "DATE_FORMATS",
    "FLAT_COLUMNS",
    "FLAT_RECORDED",
    "LAYOUTS",
    "PART_3_START",
    "MappingError",
    "QualityIssue",
    "QualityReport",
    "TableError",
    "TableImport",
    "TableMapping",
    "load_mapping",
    "parse_date",
    "read_rows",
    "read_table",
    "to_flat",
    "write_flat",
]

Layout = str | Path | Mapping[str, Any] | TableMapping


def read_table(
    source: str | Path | IO[str] | IO[bytes] | Any,
    *,
    layout: Layout = "flat",
    sheet: str | None = None,
    encoding: str | None = None,
) -> TableImport:
    """Read a table into cases through a mapping, with a data-quality report.

    Args:
        source: a path to a CSV file or an Excel workbook (``.xlsx``, extra
            ``excel``), a file object holding CSV (text or bytes), or a pandas
            or polars data frame.
        layout: ``"flat"`` (the built-in layout), a path to a TOML mapping, a
            dict with a mapping's keys, or a loaded :class:`TableMapping`.
        sheet: the sheet of a workbook (default: the first).
        encoding: the CSV file's encoding. By default a byte-order mark is
            honoured (UTF-8 or UTF-16), else UTF-8 is tried, then Windows-1252
            (which the report notes). The delimiter (``,``, ``;``, tab or
            ``|``) is the one the heading row uses most.

    Raises:
        MappingError: the mapping is not usable (names the key).
        TableError: the table as a whole cannot be read (no heading row, a
            column the mapping names is missing, two columns with one heading).
        MissingExtra: an Excel workbook without the ``excel`` extra.
    """
    mapping = load_mapping(layout)
    return build(read_source(source, sheet=sheet, encoding=encoding), mapping)


def read_rows(
    headings: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    layout: Layout = "flat",
    first_row: int = 2,
) -> TableImport:
    """Read rows already in memory (lists of cells under ``headings``).

    Row numbers in the report count from ``first_row`` (2: the row after the
    heading, as a spreadsheet shows it).

    ```python
    >>> result = read_rows(["person_id", "plan_start_date", "last_review_date"],
    ...                    [["P9", "14/03/2019", "02/03/2026"]])
    >>> result.records[0]["events"][0]["type"], result.records[0]["events"][0]["state"]
    ('record_opened', 'plan_maintained')

    ```
    """
    return build(rows_from(headings, rows, first_row=first_row), load_mapping(layout))
