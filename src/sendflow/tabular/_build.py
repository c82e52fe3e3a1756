"""From rows to cases: read each cell, drop duplicates, group rows, build the events.

The order of work, each step reporting what it did:

1. every cell is read by its field (dates in the mapping's formats, codes
   through its value maps, the UPN checked); a bad cell in a field the
   deadlines need skips its row, a bad cell elsewhere is ignored;
2. rows whose every value is the same as an earlier row's are dropped and
   counted;
3. rows that share a value in any ``group_by`` field are one case; within a
   case, two rows about the same request (or the same plan) are merged when
   they do not contradict each other;
4. each row's events are checked (dates in order, codes consistent) and
   applied to its case through the workflow tables; a row the workflow
   rejects is reported and left out, the rest of the case kept.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from pydantic import ValidationError

from sendflow.case import Case
from sendflow.errors import InvalidEvent, InvalidIdentifier, SendflowError
from sendflow.identifiers import is_known_la_code, normalise_upn, validate_upn
from sendflow.tabular._dates import DateProblem, date_from_cell, parse_date
from sendflow.tabular._mapping import (
    DATE_FIELDS,
    TableMapping,
    normalise_code,
    normalise_heading,
)
from sendflow.tabular._quality import Action, QualityIssue, QualityReport
from sendflow.tabular._read import RawTable, TableError

__all__ = ["FLAT_RECORDED", "TableImport", "build"]

#: The event types the flat layout can produce: what a system that exports it
#: records (pass it as ``recorded=`` so that duties met by anything else are
#: reported as not recorded rather than overdue).
FLAT_RECORDED: frozenset[str] = frozenset(
    {
        "record_opened",
        "request_received",
        "assessment_decision",
        "request_withdrawn",
        "draft_plan_issued",
        "final_plan_issued",
        "review_decision",
        "plan_ceased",
    }
)

#: Before this day there were no EHC plans or requests for EHC needs
#: assessments (Children and Families Act 2014 Part 3 came into force on
#: 1 September 2014, SI 2014/889).
PART_3_START = date(2014, 9, 1)

_EVENT_DATES = tuple(f for f in DATE_FIELDS if f != "date_of_birth")
_REQUEST_STEPS = ("decision_date", "draft_date", "final_date", "withdrawn_date")
_PLAN_ANCHORS = ("plan_start_date", "final_date", "last_review_date", "transfer_date")


@dataclass(frozen=True)
class TableImport:
    """The result of reading a table.

    Attributes:
        cases: the cases imported, in the order of their first row.
        case_rows: for each case, the row numbers it was built from.
        records: every case as JSON-ready data, as built from the rows that
            passed the row checks (what ``cases`` validated).
        quality: the data-quality report.
    """

    cases: tuple[Case, ...]
    case_rows: tuple[tuple[int, ...], ...]
    records: tuple[dict[str, Any], ...]
    quality: QualityReport


@dataclass
class _Row:
    number: int
    values: dict[str, Any] = field(default_factory=dict)
    key: tuple[Any, ...] = ()
    bad: bool = False
    merged: list[int] = field(default_factory=list)


class _Issues:
    def __init__(self, columns: dict[str, str]) -> None:
        self.items: list[QualityIssue] = []
        self.columns = columns

    def add(self, row: int | None, fld: str | None, problem: str, action: Action) -> None:
        severity: Literal["error", "warning", "info"] = {  # type: ignore[assignment]
            "row_skipped": "error",
            "value_ignored": "warning",
            "value_assumed": "warning",
            "case_split": "warning",
            "column_missing": "info",
            "duplicate_dropped": "info",
            "row_merged": "info",
            "read_as": "info",
        }[action]
        self.items.append(
            QualityIssue(
                row=row,
                column=self.columns.get(fld) if fld else None,
                field=fld,
                problem=problem,
                action=action,
                severity=severity,
            )
        )


def _cell_text(value: Any) -> str | None:
    """A cell as trimmed text (None when empty); numbers without a spurious ``.0``."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        with contextlib.suppress(TypeError, ValueError):
            value = value.item()  # numpy scalars
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            return str(int(value))
        return repr(value)
    text = str(value).replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    text = text.strip()
    return text or None


def _is_missing(value: Any) -> bool:
    try:
        return bool(value != value)  # NaN, pandas NaT
    except (TypeError, ValueError):
        return False


def _read_cell(
    fld: str, value: Any, row: _Row, mapping: TableMapping, issues: _Issues
) -> Any:
    """The field's value from one cell (None if blank or ignored); records problems."""
    if value is None or _is_missing(value):
        return None
    if fld in DATE_FIELDS:
        found = date_from_cell(value)
        if found is None:
            text = _cell_text(value)
            if text is None or normalise_code(text) in mapping.blanks:
                return None
            try:
                found = parse_date(text, mapping.date_formats,
                                   two_digit_years_from=mapping.two_digit_years_from)
            except DateProblem as exc:
                if fld == "date_of_birth":
                    issues.add(row.number, fld, str(exc), "value_ignored")
                else:
                    issues.add(row.number, fld, str(exc), "row_skipped")
                    row.bad = True
                return None
        if fld in _EVENT_DATES and found < PART_3_START:
            problem = "is before 1 September 2014, when EHC plans began"
            if fld == "plan_start_date":
                issues.add(row.number, fld, problem, "value_ignored")
            else:
                issues.add(row.number, fld, problem, "row_skipped")
                row.bad = True
            return None
        return found
    text = _cell_text(value)
    if text is None or normalise_code(text) in mapping.blanks:
        return None
    if fld in ("request_source", "decision"):
        code = mapping.code(fld, text)
        if code is None:
            return _UNKNOWN
        return code
    if fld == "transferred_from_la":
        code = mapping.values.get(fld, {}).get(normalise_code(text))
        if code is None:
            code = text.strip()
        if not is_known_la_code(code):
            issues.add(row.number, fld, "is not an English LA code (current or superseded)",
                       "value_ignored")
            return None
        return code
    if fld == "upn":
        try:
            return validate_upn(normalise_upn(text))
        except InvalidIdentifier as exc:
            issues.add(row.number, fld, f"is not a valid UPN: {exc}", "value_ignored")
            return None
    if fld in ("case_id", "person_id") and len(text) > 100:
        issues.add(row.number, fld, "is longer than 100 characters", "value_ignored")
        return None
    return text


class _Unknown:
    def __repr__(self) -> str:
        return "<unknown code>"


_UNKNOWN: Any = _Unknown()


def _group(rows: list[_Row], mapping: TableMapping, issues: _Issues) -> list[list[_Row]]:
    """Rows that share a value in any grouping field, as groups in first-row order."""
    parent = list(range(len(rows)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[tuple[str, str], int] = {}
    for i, row in enumerate(rows):
        keys = [(f, str(row.values[f])) for f in mapping.group_by if row.values.get(f)]
        if not keys:
            fields = " or ".join(mapping.group_by)
            issues.add(row.number, None, f"has no {fields}; the row is a case of its own",
                       "read_as")
        for key in keys:
            if key in first:
                a, b = find(first[key]), find(i)
                if a != b:
                    parent[max(a, b)] = min(a, b)
            else:
                first[key] = i
    groups: dict[int, list[_Row]] = {}
    for i, row in enumerate(rows):
        groups.setdefault(find(i), []).append(row)
    return [groups[k] for k in sorted(groups)]


def _row_kind_key(row: _Row) -> tuple[Any, ...] | None:
    v = row.values
    if v.get("request_date"):
        return ("request", v["request_date"])
    plan = v.get("plan_start_date") or v.get("final_date")
    if plan or v.get("last_review_date") or v.get("transfer_date"):
        return ("plan", plan, v.get("transfer_date"))
    return None


_IDENTITY = ("case_id", "person_id", "date_of_birth", "upn")


def _merge_same(group: list[_Row], issues: _Issues, report: dict[str, int]) -> list[_Row]:
    """Merge rows of one case about the same request or plan, if they agree."""
    kept: list[_Row] = []
    by_key: dict[tuple[Any, ...], _Row] = {}
    for row in group:
        key = _row_kind_key(row)
        other = by_key.get(key) if key is not None else None
        if other is None:
            if key is not None:
                by_key[key] = row
            kept.append(row)
            continue
        clash = sorted(
            f for f in row.values.keys() & other.values.keys()
            if f not in _IDENTITY and row.values[f] is not None
            and other.values[f] is not None and row.values[f] != other.values[f]
        )
        what = "request_date" if key is not None and key[0] == "request" else "plan dates"
        if clash:
            issues.add(row.number, clash[0],
                       f"has the same {what} as row {other.number} but differs in "
                       f"{', '.join(clash)}", "row_skipped")
            report["skipped"] += 1
            continue
        for f, value in row.values.items():
            if value is not None and other.values.get(f) is None:
                other.values[f] = value
        other.merged.append(row.number)
        issues.add(row.number, None,
                   f"is about the same {'request' if what == 'request_date' else 'plan'} as "
                   f"row {other.number}; its values were merged into that row", "row_merged")
        report["merged"] += 1
    return kept


def _iso(d: date | None) -> str | None:
    return None if d is None else d.isoformat()


def _first_date(row: _Row) -> date:
    dates = [row.values[f] for f in _EVENT_DATES if row.values.get(f)]
    return min(dates) if dates else date.max


def _check_order(row: _Row, pairs: Iterable[tuple[str, str]], issues: _Issues) -> bool:
    v = row.values
    for later, earlier in pairs:
        if v.get(later) and v.get(earlier) and v[later] < v[earlier]:
            issues.add(row.number, later, f"is before {earlier}", "row_skipped")
            return False
    return True


def _opened(
    *,
    state: str,
    anchors: dict[str, date | str | None],
) -> dict[str, Any]:
    dates = [d for k, d in anchors.items() if isinstance(d, date)]
    event: dict[str, Any] = {"type": "record_opened", "on": _iso(max(dates)), "state": state}
    for name, value in anchors.items():
        if value is not None:
            event[name] = _iso(value) if isinstance(value, date) else value
    return event


def _events(row: _Row, issues: _Issues) -> list[dict[str, Any]] | None:
    """The row's events, in order, or None (reported) if the row cannot be read."""
    v = row.values
    n = row.number
    request = v.get("request_date")
    events: list[dict[str, Any]] = []
    if request:
        if v.get("transferred_from_la") or v.get("transfer_date"):
            issues.add(n, "transfer_date" if v.get("transfer_date") else "transferred_from_la",
                       "a plan transferred in has no request at this LA: give it a row of its own",
                       "row_skipped")
            return None
        final = v.get("final_date")
        start = v.get("plan_start_date")
        if start and final and start != final:
            issues.add(n, "plan_start_date", "differs from final_date; final_date is used",
                       "value_ignored")
        elif start and not final:
            final = v["final_date"] = start
            issues.add(n, "plan_start_date", "read as the final plan's date (final_date blank)",
                       "read_as")
        if not _check_order(row, [("decision_date", "request_date"),
                                  ("draft_date", "request_date"),
                                  ("draft_date", "decision_date"),
                                  ("final_date", "request_date"),
                                  ("final_date", "decision_date"),
                                  ("final_date", "draft_date"),
                                  ("withdrawn_date", "request_date"),
                                  ("withdrawn_date", "decision_date"),
                                  ("last_review_date", "final_date"),
                                  ("ceased_date", "final_date"),
                                  ("ceased_date", "last_review_date")], issues):
            return None
        decision = v.get("decision")
        later = bool(v.get("draft_date") or final)
        if v.get("withdrawn_date") and final:
            issues.add(n, "withdrawn_date", "is given but a final plan was issued", "row_skipped")
            return None
        if (v.get("last_review_date") or v.get("ceased_date")) and not final:
            fld = "last_review_date" if v.get("last_review_date") else "ceased_date"
            issues.add(n, fld, "is given but no plan was issued (final_date blank)",
                       "row_skipped")
            return None
        if v.get("decision_date") and decision in (None, _UNKNOWN):
            why = "is blank" if decision is None else "is not a known code"
            if later:
                issues.add(n, "decision", f"{why}; read as 'assess' because a draft or final "
                           "plan followed", "value_assumed" if decision else "read_as")
                decision = "assess"
            else:
                issues.add(n, "decision", f"{why}, and nothing later in the row shows the "
                           "outcome (add the code to [values.decision])", "row_skipped")
                return None
        if decision == "refuse" and later:
            issues.add(n, "decision", "is a refusal but a draft or final plan date is given",
                       "row_skipped")
            return None
        source = v.get("request_source")
        if source is None:
            issues.add(n, "request_source", "is blank; recorded as 'other'", "value_assumed")
            source = "other"
        elif source is _UNKNOWN:
            issues.add(n, "request_source", "is not a known code; recorded as 'other' "
                       "(add it to [values.request_source])", "value_assumed")
            source = "other"
        if v.get("decision_date") and final and not v.get("draft_date") and decision == "assess":
            issues.add(n, "draft_date", "is blank though a final plan followed: the case opens "
                       "on the latest date, with the request, decision and plan dates as "
                       "anchors", "read_as")
            events.append(_opened(
                state="plan_maintained" if v.get("last_review_date") else "plan_issued",
                anchors={
                    "request_received_on": request,
                    "decision_on": v["decision_date"],
                    "plan_made_on": final,
                    "last_review_on": v.get("last_review_date"),
                }))
        elif not v.get("decision_date") and later:
            state = ("plan_maintained" if v.get("last_review_date")
                     else "plan_issued" if final else "draft_issued")
            issues.add(n, "decision_date", "is blank though a draft or final plan followed: "
                       "the case opens at the latest date, with the request date as an anchor",
                       "read_as")
            events.append(_opened(state=state, anchors={
                "request_received_on": request,
                "plan_made_on": final,
                "last_review_on": v.get("last_review_date"),
            }))
            if state == "draft_issued" and v.get("draft_date"):
                events[-1]["on"] = _iso(max(request, v["draft_date"]))
        else:
            events.append({"type": "request_received", "on": _iso(request), "made_by": source})
            if v.get("decision_date"):
                events.append({"type": "assessment_decision", "on": _iso(v["decision_date"]),
                               "outcome": decision})
            elif decision not in (None, _UNKNOWN):
                issues.add(n, "decision", "is given without a decision_date; ignored",
                           "value_ignored")
            if v.get("withdrawn_date"):
                if decision == "refuse":
                    issues.add(n, "withdrawn_date", "follows a refusal to assess; ignored",
                               "value_ignored")
                else:
                    events.append({"type": "request_withdrawn", "on": _iso(v["withdrawn_date"])})
            if v.get("draft_date"):
                events.append({"type": "draft_plan_issued", "on": _iso(v["draft_date"])})
            if final:
                events.append({"type": "final_plan_issued", "on": _iso(final)})
            if v.get("last_review_date"):
                events.append({"type": "review_decision", "on": _iso(v["last_review_date"]),
                               "outcome": "maintain"})
        if v.get("ceased_date"):
            events.append({"type": "plan_ceased", "on": _iso(v["ceased_date"])})
        return events

    # No request: a plan whose assessment this export does not hold.
    plan = v.get("plan_start_date") or v.get("final_date")
    if (v.get("plan_start_date") and v.get("final_date")
            and v["plan_start_date"] != v["final_date"]):
        issues.add(n, "final_date", "differs from plan_start_date; plan_start_date is used",
                   "value_ignored")
    anchors_given = plan or v.get("last_review_date") or v.get("transfer_date")
    steps = [f for f in ("decision_date", "decision", "draft_date", "withdrawn_date",
                         "request_source") if v.get(f) is not None]
    if not anchors_given:
        if steps or v.get("ceased_date"):
            fld = steps[0] if steps else "ceased_date"
            issues.add(n, fld, "is given but the row has no request_date and no plan dates",
                       "row_skipped")
        else:
            issues.add(n, None, "has no dates: nothing to import", "row_skipped")
        return None
    for fld in steps:
        issues.add(n, fld, "is ignored: the row has no request_date", "value_ignored")
    if v.get("transferred_from_la") and not v.get("transfer_date"):
        issues.add(n, "transfer_date", "is blank though transferred_from_la is given",
                   "read_as")
    if plan:
        v["plan_start_date"] = plan
    if not _check_order(row, [("last_review_date", "plan_start_date"),
                              ("transfer_date", "plan_start_date"),
                              ("ceased_date", "plan_start_date"),
                              ("ceased_date", "last_review_date"),
                              ("ceased_date", "transfer_date")], issues):
        return None
    state = ("plan_maintained" if v.get("last_review_date") or v.get("transfer_date")
             else "plan_issued")
    events.append(_opened(state=state, anchors={
        "plan_made_on": plan,
        "last_review_on": v.get("last_review_date"),
        "transferred_from_la": v.get("transferred_from_la"),
        "transferred_on": v.get("transfer_date"),
    }))
    if v.get("ceased_date"):
        events.append({"type": "plan_ceased", "on": _iso(v["ceased_date"])})
    return events


def _identity(rows: list[_Row], issues: _Issues) -> dict[str, Any]:
    """The case's identity from its rows (the first value of each; differences reported)."""
    chosen: dict[str, tuple[Any, int]] = {}
    for row in rows:
        for fld in _IDENTITY:
            value = row.values.get(fld)
            if value is None:
                continue
            if fld not in chosen:
                chosen[fld] = (value, row.number)
            elif chosen[fld][0] != value and fld != "case_id":
                issues.add(row.number, fld, f"differs from row {chosen[fld][1]} of the same "
                           f"case; row {chosen[fld][1]}'s value is kept", "value_ignored")
    return {k: v for k, (v, _) in chosen.items()}


def build(raw: RawTable, mapping: TableMapping) -> TableImport:
    """Read ``raw`` through ``mapping`` into cases and a data-quality report."""
    headings = [normalise_heading(h) if isinstance(h, str) else "" for h in raw.headings]
    index: dict[str, int] = {}
    repeated: set[str] = set()
    for i, h in enumerate(headings):
        if h in index:
            repeated.add(h)
        elif h:
            index[h] = i
    columns: dict[str, str] = {}
    positions: dict[str, int] = {}
    issues_table: list[tuple[str, str]] = []
    for fld, heading in mapping.columns.items():
        h = normalise_heading(heading)
        if h in repeated:
            raise TableError(f"two columns are headed {heading!r}: cannot tell which is {fld}")
        if h in index:
            positions[fld] = index[h]
            columns[fld] = raw.headings[index[h]].replace("\ufeff", "").strip()
        elif h in mapping.required:
            raise TableError(f"the table has no column headed {heading!r} "
                             f"(the mapping's columns.{fld})")
        else:
            issues_table.append((fld, "is not in the table; read as blank"))
    if not any(f in positions for f in _EVENT_DATES):
        raise TableError(f"the table has none of the date columns of layout {mapping.name!r}")
    used = set(positions.values())
    ignored = tuple(raw.headings[i].strip() for i, h in enumerate(headings)
                    if h and i not in used)

    issues = _Issues(columns)
    for fld, problem in issues_table:
        issues.items.append(QualityIssue(row=None, column=mapping.columns[fld], field=fld,
                                         problem=problem, action="column_missing",
                                         severity="info"))
    for note in raw.notes:
        issues.add(None, None, note, "read_as")

    counts = {"read": 0, "blank": 0, "duplicates": 0, "merged": 0, "skipped": 0}
    rows: list[_Row] = []
    seen: dict[tuple[Any, ...], int] = {}
    width = len(raw.headings)
    for number, cells in raw.rows:
        counts["read"] += 1
        row = _Row(number)
        if len(cells) == 1 and cells[0] in ("\x00csv-error", "\x00csv-too-long"):
            problem = ("has a cell longer than 131,072 characters (the most a CSV cell may "
                       "hold)" if cells[0] == "\x00csv-too-long"
                       else "is not valid CSV (e.g. an unclosed quote)")
            issues.add(number, None, problem, "row_skipped")
            counts["skipped"] += 1
            continue
        if all(_cell_text(c) is None or _is_missing(c) for c in cells):
            counts["blank"] += 1
            continue
        if len(cells) > width and any(_cell_text(c) for c in cells[width:]):
            issues.add(number, None, "has more cells than the heading row; the extra cells "
                       "were ignored", "value_ignored")
        for fld, pos in positions.items():
            value = cells[pos] if pos < len(cells) else None
            row.values[fld] = _read_cell(fld, value, row, mapping, issues)
        key = tuple(sorted((k, repr(v)) for k, v in row.values.items() if v is not None))
        if not key:
            counts["blank"] += 1
            continue
        if key in seen:
            issues.add(number, None, f"repeats row {seen[key]} exactly; dropped",
                       "duplicate_dropped")
            counts["duplicates"] += 1
            continue
        seen[key] = number
        if row.bad:
            counts["skipped"] += 1
            continue
        rows.append(row)

    cases: list[Case] = []
    case_rows: list[tuple[int, ...]] = []
    records: list[dict[str, Any]] = []
    imported = 0
    for group in _group(rows, mapping, issues):
        group = _merge_same(group, issues, counts)
        group.sort(key=lambda r: (_first_date(r), r.number))
        built: list[tuple[_Row, list[dict[str, Any]]]] = []
        for row in group:
            events = _events(row, issues)
            if events is None:
                counts["skipped"] += 1
            else:
                built.append((row, events))
        # A case opens with record_opened only as its first event: a plan row
        # after earlier rows starts a case of its own.
        parts: list[list[tuple[_Row, list[dict[str, Any]]]]] = []
        for item in built:
            if parts and item[1][0]["type"] == "record_opened":
                issues.add(item[0].number, None, "a plan with no request date follows earlier "
                           "rows of the same case; it starts a case of its own", "case_split")
                parts.append([item])
            elif parts:
                parts[-1].append(item)
            else:
                parts.append([item])
        for part in parts:
            done, ok_rows = _validate(part, mapping, issues, counts)
            if done is None:
                continue
            record, case = done
            records.append(record)
            if case is not None:
                cases.append(case)
                case_rows.append(tuple(ok_rows))
                imported += len(ok_rows)
    report = QualityReport(
        layout=mapping.name,
        rows_read=counts["read"],
        rows_blank=counts["blank"],
        rows_imported=imported + counts["merged"],
        rows_skipped=counts["skipped"],
        duplicates_dropped=counts["duplicates"],
        rows_merged=counts["merged"],
        cases=len(cases),
        ignored_columns=ignored,
        issues=tuple(sorted(issues.items, key=lambda i: (i.row or 0))),
    )
    return TableImport(tuple(cases), tuple(case_rows), tuple(records), report)


def _validate(
    part: list[tuple[_Row, list[dict[str, Any]]]],
    mapping: TableMapping,
    issues: _Issues,
    counts: dict[str, int],
) -> tuple[tuple[dict[str, Any], Case | None] | None, list[int]]:
    """The case's record and the validated case (rows the workflow rejects left out)."""
    if not part:
        return None, []
    rows = [row for row, _ in part]
    ident = _identity(rows, issues)
    record: dict[str, Any] = {}
    if ident.get("case_id"):
        record["reference"] = ident["case_id"]
    if mapping.responsible_la:
        record["responsible_la"] = mapping.responsible_la
    if ident.get("date_of_birth"):
        child: dict[str, Any] = {"date_of_birth": _iso(ident["date_of_birth"])}
        if ident.get("person_id"):
            child["person_id"] = ident["person_id"]
        if ident.get("upn"):
            child["upn"] = ident["upn"]
        record["child"] = child
    elif "date_of_birth" in issues.columns and (ident.get("upn") or ident.get("person_id")):
        issues.add(rows[0].number, "date_of_birth",
                   "is blank, so the child's person_id and UPN are not kept", "value_ignored")
    record["events"] = [e for _, events in part for e in events]

    base = {k: v for k, v in record.items() if k != "events"}
    try:
        case = Case.model_validate({**base, "events": []})
    except ValidationError:
        issues.add(rows[0].number, None, "the case's identity is not valid; kept without it",
                   "value_ignored")
        base = {k: v for k, v in base.items() if k == "reference"}
        case = Case.model_validate({**base, "events": []})
    ok_rows: list[int] = []
    for row, events in part:
        try:
            case = case.apply_all(list(events))
        except (InvalidEvent, SendflowError) as exc:
            issues.add(row.number, None, f"the workflow rejects this row's events: {exc}",
                       "row_skipped")
            counts["skipped"] += 1
            continue
        ok_rows.append(row.number)
    if not ok_rows:
        return (record, None), []
    return (record, case), ok_rows


def rows_from(
    headings: Sequence[str], rows: Iterable[Sequence[Any]], *, first_row: int = 2
) -> RawTable:
    """A raw table from headings and plain rows (numbered from ``first_row``)."""
    numbered: Iterator[tuple[int, Sequence[Any]]] = (
        (first_row + i, row) for i, row in enumerate(rows)
    )
    return RawTable(list(headings), numbered, [])
