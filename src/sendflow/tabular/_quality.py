"""The data-quality report of an import: what was wrong, where, and what was done.

An entry names the row (as a spreadsheet shows it: the heading is row 1), the
column and what was wrong, and never the cell's value: the report is meant to
be sent to whoever maintains the case system, so it carries no personal data.
"""

from __future__ import annotations

from collections import Counter
from typing import Literal

from pydantic import Field

from sendflow._base import SendflowModel

__all__ = ["QualityIssue", "QualityReport"]

Action = Literal[
    "row_skipped",
    "value_ignored",
    "value_assumed",
    "duplicate_dropped",
    "row_merged",
    "case_split",
    "column_missing",
    "read_as",
]


class QualityIssue(SendflowModel):
    """One data-quality entry.

    ``severity`` is ``error`` when a row (or its case) was not imported,
    ``warning`` when a value was ignored or assumed, ``info`` otherwise.
    """

    row: int | None = Field(default=None, description="Row (heading = row 1); None: the table.")
    column: str | None = Field(default=None, description="The column heading in the table.")
    field: str | None = Field(default=None, description="The flat-layout field the column maps to.")
    problem: str = Field(description="What was wrong (never the cell's value).")
    action: Action
    severity: Literal["error", "warning", "info"]

    def describe(self) -> str:
        """One line: ``row 7, decision_date: is before request_date (row skipped)``."""
        where = "table" if self.row is None else f"row {self.row}"
        col = self.column or self.field
        if col:
            where += f", {col}"
        return f"{where}: {self.problem} ({self.action.replace('_', ' ')})"


class QualityReport(SendflowModel):
    """What an import read, dropped and changed.

    ```python
    >>> r = QualityReport(layout="flat", rows_read=3, rows_imported=2, rows_skipped=1,
    ...     cases=2, issues=(QualityIssue(row=3, column="decision_date", field="decision_date",
    ...     problem="is before request_date", action="row_skipped", severity="error"),))
    >>> print(r.summary())
    layout flat: 3 rows read, 2 imported into 2 cases
      1 skipped, 0 duplicates dropped, 0 merged, 0 blank
      1 error, 0 warnings, 0 notes
      row 3, decision_date: is before request_date (row skipped)

    ```
    """

    layout: str
    rows_read: int = 0
    rows_blank: int = 0
    rows_imported: int = 0
    rows_skipped: int = 0
    duplicates_dropped: int = 0
    rows_merged: int = 0
    cases: int = 0
    ignored_columns: tuple[str, ...] = ()
    issues: tuple[QualityIssue, ...] = ()

    @property
    def errors(self) -> tuple[QualityIssue, ...]:
        """The entries whose row or case was not imported."""
        return tuple(i for i in self.issues if i.severity == "error")

    def counts(self) -> Counter[tuple[str | None, str]]:
        """How many entries share each (column, problem)."""
        return Counter((i.column or i.field, i.problem) for i in self.issues)

    def summary(self, *, limit: int = 50) -> str:
        """A readable summary: totals, then each entry (the first ``limit``), then counts."""
        sev = Counter(i.severity for i in self.issues)
        lines = [
            f"layout {self.layout}: {self.rows_read} rows read, {self.rows_imported} imported "
            f"into {self.cases} cases",
            f"  {self.rows_skipped} skipped, {self.duplicates_dropped} duplicates dropped, "
            f"{self.rows_merged} merged, {self.rows_blank} blank",
            f"  {sev['error']} error{'s' if sev['error'] != 1 else ''}, "
            f"{sev['warning']} warning{'s' if sev['warning'] != 1 else ''}, "
            f"{sev['info']} note{'s' if sev['info'] != 1 else ''}",
        ]
        if self.ignored_columns:
            lines.append(f"  columns not used: {', '.join(self.ignored_columns)}")
        for issue in self.issues[:limit]:
            lines.append(f"  {issue.describe()}")
        if len(self.issues) > limit:
            lines.append(f"  ... {len(self.issues) - limit} more; by column and problem:")
            for (col, problem), n in sorted(self.counts().items(), key=lambda x: -x[1]):
                lines.append(f"    {n:>5}  {col or 'table'}: {problem}")
        return "\n".join(lines)

    def to_json(self) -> str:
        """The report as JSON (every entry; no cell values)."""
        return self.model_dump_json(indent=2)
