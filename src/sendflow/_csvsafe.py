"""CSV cells that a spreadsheet will not run as formulas (private; shared by
every CSV sendflow writes: the command line's ``--format csv`` and SEN2 CSV).

A spreadsheet treats a cell whose text starts with ``=``, ``+``, ``-`` or ``@``
(and, in some programs, a tab or carriage return, or the full-width forms of
those signs) as a formula, so a name such as ``=HYPERLINK(...)`` in a case
system becomes a live link or command when an analyst opens the export. The
defence sendflow uses is the usual one: such a cell is written with a leading
apostrophe (``'=HYPERLINK(...)``), which spreadsheets show as text.

To keep the defence reversible, a cell that already starts with an apostrophe
gets one more, and :func:`unescape_cell` removes exactly one leading
apostrophe, so ``unescape_cell(escape_cell(s)) == s`` for every string.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

__all__ = ["FORMULA_TRIGGERS", "SafeWriter", "escape_cell", "safe_writer", "unescape_cell"]

#: First characters that make a spreadsheet read a cell as a formula or a
#: command: the four signs, tab and carriage return, their full-width forms,
#: and the apostrophe itself (escaped so the defence can be undone).
FORMULA_TRIGGERS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20'")


def escape_cell(value: str) -> str:
    """``value`` with a leading apostrophe when a spreadsheet would run it."""
    if value and value[0] in FORMULA_TRIGGERS:
        return "'" + value
    return value


def unescape_cell(value: str) -> str:
    """Undo :func:`escape_cell`: one leading apostrophe removed, if present."""
    if value.startswith("'"):
        return value[1:]
    return value


class SafeWriter:
    """A :func:`csv.writer` whose text cells go through :func:`escape_cell`.

    Other values (numbers, dates, ``None`` as an empty cell) are written as
    they are: they are produced by sendflow, not copied from user data.
    """

    def __init__(self, stream: IO[str]) -> None:
        import csv

        # The csv module quotes any cell holding a delimiter, a quote, a
        # carriage return or a line feed, so no cell can break a row.
        self._writer = csv.writer(stream, lineterminator="\r\n")

    def writerow(self, row: Iterable[Any]) -> None:
        """Write one row, escaping its text cells."""
        self._writer.writerow(
            escape_cell(v) if isinstance(v, str) else ("" if v is None else v) for v in row
        )


def safe_writer(stream: IO[str]) -> SafeWriter:
    """A CSV writer for ``stream`` with the formula defence on every text cell."""
    return SafeWriter(stream)
