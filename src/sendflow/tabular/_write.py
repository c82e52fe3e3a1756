"""Cases out as flat rows: the inverse of reading the ``flat`` layout."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import date
from typing import IO, Any, Literal

from sendflow.case import Case
from sendflow.errors import InvalidArgument
from sendflow.tabular._mapping import FLAT_COLUMNS

__all__ = ["to_flat", "write_flat"]

#: Event types with no column in the flat layout that to_flat may pass over
#: without losing a deadline's anchor: none. Everything else is unsupported.
_ROW_STARTS = ("record_opened", "request_received")


def _d(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else ("" if value is None else str(value))


def to_flat(
    cases: Iterable[Case], *, unsupported: Literal["raise", "skip"] = "raise"
) -> list[dict[str, str]]:
    """The cases as rows of the ``flat`` layout (every column, ``""`` when blank).

    Each request, and each record opened mid-way, is one row; the row carries
    the steps that followed it. Reading the rows back with the flat layout
    gives the same events and anchors. An event the layout has no column for
    (an advice request, a review meeting, an exception, ...) raises
    :class:`~sendflow.InvalidArgument` naming the case and event, or with
    ``unsupported="skip"`` is left out.

    A case without a reference gets ``case_id`` ``case-1``, ``case-2``, ...
    (its position), so that its rows stay one case.

    ```python
    >>> from sendflow import Case
    >>> case = Case.model_validate({"reference": "C1", "events": [
    ...     {"type": "request_received", "on": "2026-01-05", "made_by": "parent"},
    ...     {"type": "assessment_decision", "on": "2026-02-10", "outcome": "refuse"}]})
    >>> row = to_flat([case])[0]
    >>> row["case_id"], row["request_date"], row["decision"], row["final_date"]
    ('C1', '2026-01-05', 'refuse', '')

    ```
    """
    rows: list[dict[str, str]] = []
    for ci, case in enumerate(cases):
        if not isinstance(case, Case):
            raise InvalidArgument(f"to_flat: item #{ci} is not a Case")
        ident = {c: "" for c in FLAT_COLUMNS}
        ident["case_id"] = case.reference or f"case-{ci + 1}"
        child = case.child
        if child is not None:
            ident["person_id"] = child.person_id or ""
            ident["date_of_birth"] = child.date_of_birth.isoformat()
            ident["upn"] = str(child.upn) if child.upn is not None else ""
        row: dict[str, str] | None = None
        for ei, event in enumerate(case.events):
            t = event.type
            if t in _ROW_STARTS:
                row = dict(ident)
                rows.append(row)
            if t == "record_opened":
                get = event.__dict__.get
                row = rows[-1]
                state = get("state")
                request = get("request_received_on")
                plan = get("plan_made_on")
                row["request_date"] = _d(request)
                row["decision_date"] = _d(get("decision_on"))
                if get("decision_on") is not None and (plan is not None or state in (
                        "assessing", "draft_issued")):
                    row["decision"] = "assess"
                if request is not None:
                    row["final_date"] = _d(plan)
                    if state == "draft_issued":
                        row["draft_date"] = _d(event.on)
                else:
                    row["plan_start_date"] = _d(plan)
                row["last_review_date"] = _d(get("last_review_on"))
                row["transferred_from_la"] = _d(get("transferred_from_la"))
                row["transfer_date"] = _d(get("transferred_on"))
                continue
            if t == "request_received":
                assert row is not None
                row["request_date"] = event.on.isoformat()
                row["request_source"] = str(event.__dict__.get("made_by") or "")
                continue
            column = {
                "assessment_decision": "decision_date",
                "request_withdrawn": "withdrawn_date",
                "draft_plan_issued": "draft_date",
                "final_plan_issued": "final_date",
                "review_decision": "last_review_date",
                "plan_ceased": "ceased_date",
            }.get(t)
            ok = column is not None and row is not None
            if ok and t == "review_decision" and event.__dict__.get("outcome") != "maintain":
                ok = False
            if ok and t == "draft_plan_issued" and row is not None and row["draft_date"]:
                ok = False  # a second draft: the layout holds the first
            if not ok:
                if unsupported == "raise":
                    raise InvalidArgument(
                        f"to_flat: case #{ci} event #{ei} {t!r} has no column in the flat layout"
                    )
                continue
            assert row is not None
            assert column is not None
            row[column] = event.on.isoformat()
            if t == "assessment_decision":
                row["decision"] = str(event.__dict__.get("outcome"))
    return rows


def write_flat(
    cases: Iterable[Case], file: IO[str], *, unsupported: Literal["raise", "skip"] = "raise"
) -> int:
    """Write :func:`to_flat`'s rows to ``file`` as CSV with a heading row; returns the row count.

    ```python
    >>> import io
    >>> from sendflow import Case
    >>> out = io.StringIO()
    >>> write_flat([Case.model_validate({"events": [
    ...     {"type": "request_received", "on": "2026-01-05", "made_by": "parent"}]})], out)
    1
    >>> out.getvalue().splitlines()[1][:30]
    'case-1,,,,2026-01-05,parent,,,'

    ```
    """
    rows = to_flat(cases, unsupported=unsupported)
    writer = csv.DictWriter(file, fieldnames=list(FLAT_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return len(rows)
