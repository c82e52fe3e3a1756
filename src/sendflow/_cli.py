"""The ``sendflow`` command line (``python -m sendflow``).

This is the only module that may read today's date: as the default for
``--as-of``. How commands read input, write output and fail (exit codes, bad
lines, escaping) is in :mod:`sendflow._cliio`; every command follows it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from sendflow import __version__
from sendflow._cliio import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_UNREADABLE,
    EXIT_USAGE,
    UnreadableInput,
    UsageError,
    csv_writer,
    error,
    no_duplicate_keys,
    read_document,
    run,
    stdout,
    write_line,
)
from sendflow._cliio import open_input as _open_lines
from sendflow._cliio import read_cases as _read_cases
from sendflow._cliio import validation_message as _validation_message
from sendflow.errors import SendflowError

if TYPE_CHECKING:  # pydantic and the models load when a command needs them, not for --help
    pass

__all__ = ["main"]

#: The workflows ``diagram`` draws (``sendflow.workflows.TABLES``, named here so that
#: building the parser imports no workflow; a test holds the two equal).
DIAGRAM_PROCESSES = ("assessment", "disagreement", "review")

EXIT_BAD_INPUT = EXIT_PROBLEMS


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError("expected a date as YYYY-MM-DD") from None


# --------------------------------------------------------------------- rules
def _cmd_rules(args: argparse.Namespace) -> int:
    from sendflow import rules

    if args.format == "markdown":
        from sendflow.export.law import rules_markdown

        sys.stdout.write(rules_markdown())
        return EXIT_OK
    on: date = args.on or date.today()
    items = rules.in_force(on=on)
    if args.format == "json":
        data = [r.model_dump(mode="json") for r in items]
        print(json.dumps({"on": on.isoformat(), "rules": data}, indent=2))
        return EXIT_OK
    print(f"{len(items)} rules in force on {on.isoformat()}")
    for r in items:
        status = "" if r.legal_status.value == "statute" else f" [{r.legal_status.value}]"
        print(f"\n{r.id}{status} — {r.title}")
        print(f"  {r.period.describe()} {', '.join(r.starts_clock) or ''}".rstrip())
        for c in r.citations:
            print(f"  {c.title} {c.provision} <{c.href}>")
    return EXIT_OK


# ------------------------------------------------------------------ timeline
def _cmd_timeline(args: argparse.Namespace) -> int:
    from sendflow.planning import plan_timeline

    reminders = _reminders(args)
    timeline = plan_timeline(
        request_received=args.request_received, drafting_days=args.drafting_days
    )
    if args.format != "text":  # the text table shows them itself
        for warning in timeline.warnings:
            print(f"sendflow timeline: warning: {warning}", file=sys.stderr)
    if args.format == "json":
        print(json.dumps(timeline.model_dump(mode="json"), indent=2))
    elif args.format == "ics":
        from sendflow.export.ical import timeline_events, to_ics

        _write_bytes(to_ics(timeline_events(timeline, reminders=reminders),
                            name="EHC needs assessment", as_of=timeline.request_received))
    else:
        print(timeline.to_text())
    return EXIT_OK


# --------------------------------------------------------------------- check
def _selection(args: argparse.Namespace) -> tuple[Any, Any]:
    """``--rules`` and ``--recorded`` as evaluate's ``rules=`` and ``recorded=``.

    Raises UsageError (exit 2) naming the option for an unknown rule or event type.
    """
    rules = None
    if args.rules is not None:
        from sendflow.compliance._plan import select as _select

        names = [n.strip() for n in args.rules.split(",") if n.strip()]
        try:
            rules = tuple(sorted(_select(names))) if names else None
        except SendflowError as exc:
            raise UsageError(f"--rules: {exc}") from None
        if rules is None:
            raise UsageError("--rules: give at least one rule id")
    recorded = None
    if args.recorded is not None:
        from sendflow import recording

        try:
            recorded = recording.resolve(args.recorded)
        except SendflowError as exc:
            raise UsageError(f"--recorded: {exc}") from None
    return rules, recorded


def _readings(args: argparse.Namespace) -> dict[str, str] | None:
    """``--reading ID=CHOICE`` (repeatable) as evaluate's ``readings=``, or None.

    Raises UsageError (exit 2) for a malformed item or an unknown reading or choice.
    """
    if not args.reading:
        return None
    from sendflow.rules import resolve_readings

    given: dict[str, str] = {}
    for item in args.reading:
        reading_id, sep, choice = item.partition("=")
        if not sep or not reading_id.strip() or not choice.strip():
            raise UsageError("--reading: give ID=CHOICE, e.g. review.completed_by=meeting")
        given[reading_id.strip()] = choice.strip()
    try:
        return dict(resolve_readings(given))
    except SendflowError as exc:
        raise UsageError(f"--reading: {exc}") from None


class _BadLines:
    """The ``bad(number, reason)`` of :func:`sendflow._cliio.read_cases` for ``check``,
    ``upcoming`` and ``worklist``: each bad line is counted and reported on standard
    error as ``line N: invalid case: REASON``; with ``json_out`` also written there as
    ``{"line": N, "error": REASON}``; with ``progress``, the progress display is cleared
    first. ``count`` is what the exit code is judged on (rows a table import skipped and
    requests a SEN2 return left out are added to it)."""

    def __init__(self, json_out: IO[str] | None = None, *, progress: bool = False) -> None:
        self.count = 0
        self.json_out = json_out
        self.progress = progress

    def __call__(self, number: int | str, reason: str) -> None:
        self.count += 1
        if self.progress:
            sys.stderr.write("\r\033[K")
        error(f"line {number}: invalid case: {reason}")
        if self.json_out is not None:
            self.json_out.write(json.dumps({"line": number, "error": reason}) + "\n")


def _cmd_check(args: argparse.Namespace) -> int:
    from sendflow.compliance import evaluate

    dates = _as_of_dates(args)
    as_of = dates[0]
    many = args.as_of_each is not None
    rules, recorded = _selection(args)
    readings = _readings(args)
    if args.unkept is not None and not args.sen2:
        raise UsageError("--unkept: only with --sen2")
    if args.citations == "once" and args.format != "json":
        raise UsageError("--citations once: only with --format json (text and CSV name "
                         "each deadline's rule on its own line)")
    with_findings = not args.no_findings
    out = stdout()
    tallies: dict[date, Counter[tuple[str, str]]] = {on: Counter() for on in dates}
    totals: Any = None
    if args.totals is not None:
        from sendflow.distributed import Tally

        totals = Tally()
    cases = 0
    progress = sys.stderr is not None and sys.stderr.isatty() and not args.quiet
    writer = None
    if args.format == "csv":
        writer = csv_writer(out)
        writer.writerow(
            ["as_of"] * many + [
                "line",
                "reference",
                "state",
                "rule_id",
                "key",
                "started_on",
                "due",
                "met_on",
                "status",
                "exception",
            ]
        )
    bad = _BadLines(out if args.format == "json" else None, progress=progress)
    json_out = _ReportJSON(out, once=args.citations == "once") if args.format == "json" else None
    numbered: Any = None
    label = "line {}"
    if args.sen2:  # a SEN2 return: its cases, as of its census date (sen2.to_cases)
        from sendflow.sen2 import to_cases

        if args.layout is not None:
            error("sendflow check: give --sen2 or --layout, not both")
            return EXIT_USAGE

        try:  # cannot be read at all: UnreadableInput, exit 3, as any check input
            from_return = to_cases(_read_sen2_return(args.file))
        except SendflowError as exc:
            error(f"sendflow check: cannot read the SEN2 return: {exc}")
            return EXIT_BAD_INPUT
        _report_unkept(from_return.unkept, args.unkept or "summary",
                       out if args.format == "json" else None)
        bad.count += sum(item.left_out for item in from_return.unkept)
        numbered = zip(from_return.locations, from_return, strict=True)
        label = "{}"
        if args.as_of is None and not many:  # the day the return describes
            as_of = from_return.as_of
            dates = [as_of]
            tallies = {as_of: Counter()}
        if recorded is None:
            recorded = from_return.recorded
    elif args.layout is not None:  # a flat table, read through a layout (sendflow.tabular)
        imported = _read_table_args(args, "check")
        if isinstance(imported, int):
            return imported
        numbered = zip((rows[0] for rows in imported.case_rows), imported.cases, strict=True)
        bad.count += imported.quality.rows_skipped
        if recorded is None:
            from sendflow.tabular import FLAT_RECORDED

            recorded = FLAT_RECORDED
    stream: Any = _open_lines(args.file) if numbered is None else contextlib.nullcontext()
    with stream:
        for number, case in numbered if numbered is not None else _read_cases(stream, bad):
            try:  # every date first: a case that fails on one date is one bad line
                reports = [evaluate(case, as_of=on, rules=rules, findings=with_findings,
                                    recorded=recorded, readings=readings) for on in dates]
            except SendflowError as exc:  # e.g. a due date beyond the calendar's range
                bad(number, str(exc))
                continue
            except Exception as exc:  # a library fault on one case never stops the rest
                bad(number, f"could not be evaluated ({type(exc).__name__})")
                continue
            cases += 1
            for report in reports:
                _write_report(out, number, report, tallies[report.as_of], json_out, writer,
                              many, label)
            if totals is not None:
                _count_totals(totals, case, reports)
            if progress and cases % 10000 == 0:
                sys.stderr.write(f"\r{cases:,} cases checked")
                sys.stderr.flush()
    if progress:
        sys.stderr.write("\r\033[K")
    bad_lines = bad.count
    if totals is not None:
        totals.cases, totals.invalid = cases, bad_lines
        _write_totals(args.totals, totals)
    summary_out = out if args.format == "text" else sys.stderr
    if summary_out is None:  # standard error closed
        return EXIT_BAD_INPUT if bad_lines else EXIT_OK
    if many:
        _print_summary_by_date(summary_out, tallies, cases, bad_lines)
    else:
        _print_summary(summary_out, tallies[as_of], cases, bad_lines, as_of)
    if readings is not None:
        chosen = ", ".join(f"{k}={v}" for k, v in readings.items())
        print(f"Readings: {chosen}", file=summary_out)
    return EXIT_BAD_INPUT if bad_lines else EXIT_OK


def _unkept_item(location: str) -> str:
    """The item an unkept location is of, for ``check --sen2 --unkept summary``: its last
    two parts without their indices (``Person[3].Requests[0].ActivePlans[0].
    PlacementDetail[1].EntryDate`` is ``PlacementDetail.EntryDate``; a whole record,
    ``...NamedPlan[0].PlanDetail[1]``, is ``NamedPlan.PlanDetail``)."""
    parts = [part.partition("[")[0] for part in location.split(".")]
    return ".".join(parts[-2:])


def _unkept_summary(unkept: Sequence[Any]) -> list[tuple[str, str, int]]:
    """(item, reason, records) for each item and reason of the unkept items that are not
    whole requests left out (those are listed one by one, as bad lines), most records
    first, then by item and reason."""
    counts = Counter((_unkept_item(u.location), u.reason) for u in unkept if not u.left_out)
    return sorted(((item, reason, n) for (item, reason), n in counts.items()),
                  key=lambda row: (-row[2], row[0], row[1]))


def _report_unkept(unkept: Sequence[Any], mode: str, json_out: IO[str] | None) -> None:
    """What a SEN2 return holds that its cases do not carry (``check --sen2 --unkept``).

    A request left out whole is listed by place, always, as a bad line is (and, with
    ``--format json``, as ``{"line": PLACE, "error": REASON}``). The other items are
    listed one a line by place (``list``) or counted by item and reason (``summary``, the
    default), on standard error and, with ``--format json``, on standard output before
    the reports: ``{"unkept": {"location": ..., "reason": ...}}`` or ``{"unkept":
    {"item": ..., "reason": ..., "records": N}}``. Never a value: the reasons and places
    of :class:`~sendflow.sen2.Unkept` hold none.
    """
    for u in unkept:
        if u.left_out:
            error(f"sendflow check: {u}")
            if json_out is not None:
                json_out.write(json.dumps({"line": u.location, "error": u.reason}) + "\n")
    if mode == "list":
        for u in unkept:
            if not u.left_out:
                error(f"sendflow check: {u}")
                if json_out is not None:
                    json_out.write(json.dumps({"unkept": {"location": u.location,
                                                          "reason": u.reason}}) + "\n")
        return
    rows = _unkept_summary(unkept)
    if not rows:
        return
    total = sum(n for _, _, n in rows)
    error(f"sendflow check: {total:,} item{'s' * (total != 1)} of the return not carried "
          "into cases, by item (--unkept list gives each place):")
    for item, reason, n in rows:
        error(f"sendflow check:   {item}: {n:,} record{'s' * (n != 1)}: {reason}")
        if json_out is not None:
            json_out.write(json.dumps({"unkept": {"item": item, "reason": reason,
                                                  "records": n}}) + "\n")


def _write_report(out: IO[str], number: int | str, report: Any,
                  tally: Counter[tuple[str, str]], json_out: _ReportJSON | None, writer: Any,
                  many: bool, label: str = "line {}") -> None:
    """One report of ``check`` in its ``--format``, counted in ``tally``."""
    for d in report.deadlines:
        tally[(d.rule_id, d.status.value)] += 1
    if json_out is not None:
        json_out.write(number, report)
    elif writer is not None:
        for d in report.deadlines:
            writer.writerow(
                [report.as_of] * many + [
                    number,
                    report.reference or "",
                    report.state,
                    d.rule_id,
                    d.key or "",
                    d.started_on or "",
                    d.due or "",
                    d.met_on or "",
                    d.status.value,
                    d.exception.ground.value if d.exception else "",
                ]
            )
    elif not many:  # text: a line per case; with --as-of-each, the summaries only
        ref = f" {report.reference}" if report.reference else ""
        problems = [
            f"{d.rule_id}{f'[{d.key}]' if d.key else ''} {d.status.value} (due {d.due})"
            for d in report.deadlines
            if d.status.value in ("overdue", "missed", "disapplied")
        ]
        summary = "; ".join(problems) if problems else "no missed or overdue deadlines"
        write_line(out, f"{label.format(number)}{ref}: {report.state} — {summary}")


def _count_totals(totals: Any, case: Any, reports: list[Any]) -> None:
    from sendflow.distributed import _la

    la = _la(case)
    for report in reports:
        for d in report.deadlines:
            totals.groups[(report.as_of, la, d.rule_id, d.status.value)] += 1


#: ``--as-of-each``: the step between two dates, as (months, days).
_STEPS = {"day": (0, 1), "week": (0, 7), "month": (1, 0), "quarter": (3, 0), "year": (12, 0)}
#: Most dates one ``check --as-of-each`` run evaluates on.
MAX_DATES = 5000


def _as_of_dates(args: argparse.Namespace) -> list[date]:
    """``--as-of`` (default today), or ``--as-of-each STEP --from D --to E``: D, then D plus
    1, 2, ... steps (each counted from D: 31 Jan, 28 Feb, 31 Mar) up to E.

    Raises UsageError (exit 2) for a missing or clashing option or too many dates.
    """
    each, start, end = args.as_of_each, args.date_from, args.date_to
    if each is None:
        if start is not None or end is not None:
            raise UsageError("--from and --to go with --as-of-each")
        return [args.as_of or date.today()]
    if args.as_of is not None:
        raise UsageError("give --as-of or --as-of-each, not both")
    if start is None or end is None:
        raise UsageError("--as-of-each needs --from and --to")
    if start > end:
        raise UsageError("--from is after --to")
    from sendflow.calendar import add_days, add_months

    months, days = _STEPS[each]
    dates: list[date] = []
    while True:
        k = len(dates)
        try:
            on = add_months(start, months * k) if months else add_days(start, days * k)
        except (SendflowError, OverflowError, ValueError):  # past the last date there is
            break
        if on > end:
            break
        if k == MAX_DATES:
            raise UsageError(f"--as-of-each: more than {MAX_DATES} dates; take a longer step")
        dates.append(on)
    return dates


def _write_totals(path: str, totals: Any) -> None:
    """``--totals``: deadlines by date, LA, rule and status, as CSV or Parquet."""
    from sendflow._cliio import OutputError
    from sendflow.errors import MissingExtra

    try:
        if path.endswith(".parquet"):
            totals.to_parquet(path)
            return
        with open(path, "w", encoding="utf-8", newline="") as fh:
            writer = csv_writer(fh)
            writer.writerow(["as_of", "la", "rule_id", "status", "deadlines"])
            for row in totals.rows():
                writer.writerow([row["as_of"], row["la"] or "", row["rule_id"], row["status"],
                                 row["deadlines"]])
    except MissingExtra as exc:
        raise UsageError(f"--totals: {exc}") from None
    except OSError as exc:
        raise OutputError(f"--totals: cannot write {path}: "
                          f"{exc.strerror or type(exc).__name__}") from None


def _print_summary_by_date(
    out: IO[str], tallies: dict[date, Counter[tuple[str, str]]], cases: int, bad: int
) -> None:
    """``check --as-of-each``: deadlines by status, for each date and rule."""
    statuses = ["met", "missed", "overdue", "pending", "disapplied", "not_applicable"]
    if any(s == "not_recorded" for t in tallies.values() for _, s in t):
        statuses.append("not_recorded")
    dates = sorted(tallies)
    print(f"\nSummary for {len(dates)} dates from {dates[0].isoformat()} to "
          f"{dates[-1].isoformat()}: {cases} cases checked, {bad} invalid lines", file=out)
    rule_ids = sorted({r for t in tallies.values() for r, _ in t})
    if not rule_ids:
        return
    width = max(len(r) for r in rule_ids)
    print(f"{'as_of':<10}  {'rule':<{width}}  " + "  ".join(f"{s:>14}" for s in statuses),
          file=out)
    for on in dates:
        tally = tallies[on]
        for rid in sorted({r for r, _ in tally}):
            print(f"{on.isoformat():<10}  {rid:<{width}}  "
                  + "  ".join(f"{tally[(rid, s)]:>14}" for s in statuses), file=out)


#: The parts of a deadline that ``--citations once`` writes once per run, on a rule line.
_RULE_TEXT = frozenset({"title", "legal_status", "citations"})


class _ReportJSON:
    """``check --format json``: one line per report, through ``model_dump_json``.

    ``once``: each rule's title, legal status and citations are written once, on a
    line ``{"rule": {"ref": ..., "rule_id": ..., "title": ..., "legal_status": ...,
    "citations": [...]}}`` before the first report that uses them, and each deadline
    carries ``"rule_ref"`` instead of the three (see docs/reference/cli.md).
    """

    def __init__(self, out: IO[str], *, once: bool) -> None:
        import codecs

        self.out = out
        self.once = once
        try:
            self.utf8 = codecs.lookup(getattr(out, "encoding", None) or "ascii").name == "utf-8"
        except LookupError:
            self.utf8 = False
        self._seen: dict[tuple[Any, ...], tuple[Any, str]] = {}  # identity -> (kept, ref)
        self._refs: dict[tuple[str, str], str] = {}  # content -> ref
        self._variants: Counter[str] = Counter()

    def _line(self, text: str) -> None:
        if not self.utf8 and not text.isascii():  # e.g. PYTHONIOENCODING=ascii: \u escapes
            text = json.dumps(json.loads(text), separators=(",", ":"))
        self.out.write(text + "\n")

    def _ref(self, d: Any) -> str:
        key = (d.rule_id, id(d.title), id(d.citations), d.legal_status)
        hit = self._seen.get(key)
        if hit is not None and hit[0][0] is d.title and hit[0][1] is d.citations:
            return hit[1]
        text = d.model_dump_json(include=_RULE_TEXT)
        ref = self._refs.get((d.rule_id, text))
        if ref is None:
            self._variants[d.rule_id] += 1
            n = self._variants[d.rule_id]
            ref = d.rule_id if n == 1 else f"{d.rule_id}#{n}"
            self._refs[(d.rule_id, text)] = ref
            self._line(f'{{"rule":{{"ref":{json.dumps(ref)},"rule_id":{json.dumps(d.rule_id)},'
                       f"{text[1:]}}}")
        self._seen[key] = ((d.title, d.citations), ref)  # kept alive: ids stay unique
        return ref

    def write(self, number: int | str, report: Any) -> None:
        # A SEN2 return's cases are numbered by location (Person[i].Requests[j]).
        line = json.dumps(number)
        if not self.once:
            self._line(f'{{"line":{line},"report":{report.model_dump_json()}}}')
            return
        refs = [self._ref(d) for d in report.deadlines]  # rule lines first
        deadlines = ",".join(
            f'{{"rule_ref":{json.dumps(ref)},{d.model_dump_json(exclude=_RULE_TEXT)[1:]}'
            for ref, d in zip(refs, report.deadlines, strict=True))
        rest = report.model_dump_json(exclude={"deadlines"})
        self._line(f'{{"line":{line},"report":{rest[:-1]},"deadlines":[{deadlines}]}}}}')


def _print_summary(
    out: IO[str], tally: Counter[tuple[str, str]], cases: int, bad: int, as_of: date
) -> None:
    statuses = ["met", "missed", "overdue", "pending", "disapplied", "not_applicable"]
    if any(s == "not_recorded" for _, s in tally):
        statuses.append("not_recorded")
    print(
        f"\nSummary as of {as_of.isoformat()}: {cases} cases checked, {bad} invalid lines", file=out
    )
    rule_ids = sorted({r for r, _ in tally})
    if not rule_ids:
        return
    width = max(len(r) for r in rule_ids)
    print(f"{'rule':<{width}}  " + "  ".join(f"{s:>14}" for s in statuses), file=out)
    for rid in rule_ids:
        print(f"{rid:<{width}}  " + "  ".join(f"{tally[(rid, s)]:>14}" for s in statuses), file=out)


# ------------------------------------------------------------------- explain
def _cmd_explain(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from sendflow.case import Case
    from sendflow.compliance import evaluate

    text = read_document(args.file)
    try:
        case = Case.model_validate_json(text)
        duplicate = no_duplicate_keys(text)
        if duplicate is not None:
            error(f"sendflow explain: invalid case: {duplicate}")
            return EXIT_BAD_INPUT
        report = evaluate(case, as_of=args.as_of or date.today())
    except ValidationError as exc:
        error(f"sendflow explain: invalid case: {_validation_message(exc)}")
        return EXIT_BAD_INPUT
    except SendflowError as exc:
        error(f"sendflow explain: invalid case: {exc}")
        return EXIT_BAD_INPUT
    out = stdout()
    for line in report.explain().split("\n"):
        write_line(out, line)
    return EXIT_OK


# ------------------------------------------------------------------ upcoming
def _reminders(args: argparse.Namespace) -> Any:
    """``--remind 7d,1d`` as reminders (UsageError for a malformed list)."""
    if getattr(args, "remind", None) is None:
        return ()
    from sendflow.export.ical import parse_reminders

    if args.format != "ics":
        raise UsageError("--remind: only with --format ics")
    try:
        return parse_reminders(args.remind)
    except SendflowError as exc:
        raise UsageError(f"--remind: {exc}") from None


@contextlib.contextmanager
def _cases_of(args: argparse.Namespace, command: str,
              bad: Any) -> Iterator[tuple[Iterator[tuple[int, Any]], int, bool]]:
    """The cases of ``args.file`` with their line (for a table, the first row of
    the case): JSON Lines, or a flat table through ``--layout``. Yields
    (cases, rows skipped by the import, whether it was a table). Raises
    UsageError if the table or its layout cannot be used."""
    if getattr(args, "layout", None) is not None:
        imported = _read_table_args(args, command)
        if isinstance(imported, int):
            raise UsageError("the table could not be read (see above)")
        yield (iter(zip((rows[0] for rows in imported.case_rows), imported.cases,
                        strict=True)), imported.quality.rows_skipped, True)
        return
    with _open_lines(args.file) as stream:
        yield _read_cases(stream, bad), 0, False


#: How often a subscribed calendar should fetch a caseload's feed again.
_DAILY = timedelta(days=1)


def _cmd_upcoming(args: argparse.Namespace) -> int:
    from sendflow.upcoming import case_dates, sort_key

    if args.date_from > args.date_to:
        raise UsageError("--from is after --to")
    rules, recorded = _selection(args)  # before any file is opened
    reminders = _reminders(args)
    as_of: date = args.as_of or date.today()
    window = (args.date_from, args.date_to)
    bad = _BadLines()

    # One case at a time: only the dates in the window are kept (issue 17).
    lines: list[int] = []
    items: list[Any] = []
    unreferenced = False
    with _cases_of(args, "upcoming", bad) as (cases, skipped, table):
        bad.count += skipped
        if table and recorded is None:
            from sendflow.tabular import FLAT_RECORDED

            recorded = FLAT_RECORDED
        for number, case in cases:
            try:
                found = case_dates(case, window, as_of=as_of, index=len(lines), rules=rules,
                                   recorded=recorded, open_only=args.open_only)
            except SendflowError as exc:  # e.g. a due date beyond the calendar's range
                bad(number, str(exc))
                continue
            except Exception as exc:  # a library fault on one case never stops the rest
                bad(number, f"could not be evaluated ({type(exc).__name__})")
                continue
            lines.append(number)
            items.extend(found)
            unreferenced = unreferenced or (bool(found) and case.reference is None)
    items.sort(key=sort_key)
    out = stdout()
    if args.format == "json":
        for u in items:
            row = {"line": lines[u.case_index], **u.model_dump(mode="json")}
            out.write(json.dumps(row, separators=(",", ":")) + "\n")
    elif args.format == "csv":
        writer = csv_writer(out)
        writer.writerow(["line", "reference", "due", "rule_id", "key", "title", "status",
                         "legal_status", "citations"])
        for u in items:
            writer.writerow([lines[u.case_index], u.reference or "", u.due.isoformat(),
                             u.rule_id, u.key or "", u.title, u.status.value,
                             u.legal_status.value, u.citation_text()])
    elif args.format == "ics":
        from sendflow.export.ical import to_ics, upcoming_events

        if unreferenced:
            error("sendflow upcoming: some cases have no reference: their calendar UIDs "
                  "follow their position in the file and change if it is re-ordered")
        events = upcoming_events(items, reminders=reminders)
        _write_bytes(to_ics(events, name="SEND statutory dates", as_of=as_of,
                            refresh=_DAILY))
    else:
        write_line(out, f"{len(items)} statutory dates from {args.date_from.isoformat()} to "
                   f"{args.date_to.isoformat()}, as of {as_of.isoformat()}")
        for u in items:
            ref = u.reference or f"line {lines[u.case_index]}"
            key = f" [{u.key}]" if u.key else ""
            guide = "" if u.legal_status.value == "statute" else f" ({u.legal_status.value})"
            write_line(out, f"{u.due:%a %Y-%m-%d}  {ref}  {u.rule_id}{key}{guide} — {u.title} "
                       f"[{u.status.value}] — {u.citation_text()}")
    return EXIT_BAD_INPUT if bad.count else EXIT_OK


def _write_bytes(data: bytes) -> None:
    """Binary output (an iCalendar file) to standard output."""
    out = stdout()
    out.flush()
    buffer = getattr(out, "buffer", None)
    if buffer is None:  # a text-only stream (e.g. a test's StringIO)
        out.write(data.decode("utf-8"))
    else:
        buffer.write(data)


# ------------------------------------------------------------------ worklist
def _days(days: int) -> str:
    if days < 0:
        return f"{-days} day{'s' * (days != -1)} overdue"
    if days == 0:
        return "due today"
    return f"{days} day{'s' * (days != 1)} left"


def _cmd_worklist(args: argparse.Namespace) -> int:
    from sendflow.compliance import format_date
    from sendflow.worklist import Party, assemble, case_work

    if args.horizon < 0:
        raise UsageError("--horizon must not be negative")
    rules, recorded = _selection(args)  # before any file is opened
    reminders = _reminders(args)
    readings = _readings(args)
    as_of: date = args.as_of or date.today()
    bad = _BadLines()

    # One case at a time; only open duties within the horizon and findings are
    # kept (and, for --by case, each case's partner view).
    lines: list[int] = []
    items: list[Any] = []
    findings: list[Any] = []
    views: list[Any] = []
    keep_views = args.by == "case"
    unreferenced = False
    with _cases_of(args, "worklist", bad) as (cases, skipped, table):
        bad.count += skipped
        if table and recorded is None:
            from sendflow.tabular import FLAT_RECORDED

            recorded = FLAT_RECORDED
        for number, case in cases:
            try:
                work = case_work(case, as_of=as_of, horizon_days=args.horizon,
                                 index=len(lines), rules=rules, recorded=recorded,
                                 readings=readings,
                                 consent_findings=not args.no_consent_findings)
            except SendflowError as exc:
                bad(number, str(exc))
                continue
            except Exception as exc:  # a library fault on one case never stops the rest
                bad(number, f"could not be evaluated ({type(exc).__name__})")
                continue
            lines.append(number)
            items.extend(work.items)
            findings.extend(work.partners.findings)
            if keep_views and (work.items or work.partners.findings):
                views.append(work.partners)
            unreferenced = unreferenced or (bool(work.items) and case.reference is None)
    wl = assemble(items, findings, views, as_of=as_of, horizon_days=args.horizon)

    def ref(item: Any) -> str:
        return str(item.reference or f"line {lines[item.case_index]}")

    views_at = {v.case_index: v for v in wl.cases}
    # (label for text, key for JSON and CSV, duties, findings), in the group order.
    groups: list[tuple[str, Any, tuple[Any, ...], tuple[Any, ...]]] = []
    found: dict[Any, list[Any]] = {}
    if args.by == "partner":
        for f in wl.findings:
            found.setdefault(f.party, []).append(f)
        by_party = wl.by_partner()
        for party in Party:
            if party in by_party or party in found:
                groups.append((party.label, party.value, by_party.get(party, ()),
                               tuple(found.get(party, ()))))
    elif args.by == "caseworker":
        for f in wl.findings:
            found.setdefault(f.caseworker, []).append(f)
        by_cw = wl.by_caseworker()
        names = sorted(set(by_cw) | set(found), key=lambda n: (n is None, (n or "").casefold()))
        for name in names:
            groups.append((name or "(no caseworker)", name, by_cw.get(name, ()),
                           tuple(found.get(name, ()))))
    else:
        for f in wl.findings:
            found.setdefault(f.case_index, []).append(f)
        by_case = wl.by_case()
        order = list(by_case) + [i for i in dict.fromkeys(f.case_index for f in wl.findings)
                                 if i not in by_case]
        for index in order:
            its = by_case.get(index, ())
            fs = tuple(found.get(index, ()))
            first = its[0] if its else fs[0]
            cw = f" (caseworker {first.caseworker})" if first.caseworker else ""
            groups.append((f"{ref(first)}{cw}", first.reference or f"line {lines[index]}",
                           its, fs))
    out = stdout()
    if args.format == "ics":
        from sendflow.export.ical import to_ics, worklist_events

        if unreferenced:
            error("sendflow worklist: some cases have no reference: their calendar UIDs "
                  "follow their position in the file and change if it is re-ordered")
        _write_bytes(to_ics(worklist_events(wl, reminders=reminders),
                            name="SEND worklist", as_of=as_of, refresh=_DAILY))
    elif args.format == "json":
        for _, group, its, fs in groups:
            for item in its:
                row = {"kind": "duty", "group": group, "line": lines[item.case_index],
                       **item.model_dump(mode="json")}
                out.write(json.dumps(row, separators=(",", ":")) + "\n")
            for f in fs:
                row = {"kind": "finding", "group": group, "line": lines[f.case_index],
                       **f.model_dump(mode="json")}
                out.write(json.dumps(row, separators=(",", ":")) + "\n")
            first = its[0] if its else (fs[0] if fs else None)
            view = views_at.get(first.case_index) if first else None
            if view is not None:
                row = {"kind": "partners", "group": group, "line": lines[view.case_index],
                       **view.model_dump(mode="json")}
                out.write(json.dumps(row, separators=(",", ":")) + "\n")
    elif args.format == "csv":
        writer = csv_writer(out)
        writer.writerow(["group", "line", "reference", "caseworker", "party", "rule_id", "key",
                         "title", "due", "act_by", "days_left", "status", "legal_status",
                         "citations", "finding"])
        for _, group, its, fs in groups:
            for item in its:
                writer.writerow([group or "", lines[item.case_index], item.reference or "",
                                 item.caseworker or "", item.party.value, item.rule_id,
                                 item.key or "", item.title, item.due.isoformat(),
                                 item.act_by.isoformat(), item.days_left, item.status.value,
                                 item.legal_status.value, item.citation_text(), ""])
            for f in fs:
                writer.writerow([group or "", lines[f.case_index], f.reference or "",
                                 f.caseworker or "", f.party.value, "", f.key or "",
                                 f.message, "", "", "", "", "", "", f.code])
    else:
        n = len(wl.items)
        write_line(out, f"Worklist as of {format_date(as_of)}: {n} open "
                   f"dut{'y' if n == 1 else 'ies'} "
                   f"(overdue, or due by {format_date(wl.until)}), "
                   f"{len(wl.findings)} finding{'s' * (len(wl.findings) != 1)}")
        for group, _, its, fs in groups:
            write_line(out, "")
            write_line(out, f"== {group} ==")
            for item in its:
                act = "" if item.act_by == item.due else f" (act by {format_date(item.act_by)})"
                who = "" if args.by == "partner" else f" — {item.party.label}"
                key = f"[{item.key}]" if item.key else ""
                guide = "" if item.legal_status.value == "statute" else \
                    f" ({item.legal_status.value})"
                if item.right:
                    guide += " (a right's window, not a duty)"
                case_ref = "" if args.by == "case" else f"{ref(item)}  "
                write_line(out, f"  {format_date(item.due)}{act}  {_days(item.days_left)}  "
                           f"{case_ref}{item.rule_id}{key}{guide} — {item.title} "
                           f"[{item.status.value}]{who} — {item.citation_text()}")
            if args.by == "case" and its:
                view = views_at.get(its[0].case_index)
                for p in view.partners if view is not None else ():
                    consent = {None: "", True: "; consent to share recorded",
                               False: "; no consent to share recorded"}[p.consent_recorded]
                    asked = (f"; advice asked: {', '.join(p.advice_requested)}"
                             if p.advice_requested else "")
                    write_line(out, f"  partner {p.party.label}: {len(p.duties)} open "
                               f"dut{'ies' if len(p.duties) != 1 else 'y'}{asked}{consent}")
            for f in fs:
                where = f.reference or f"line {lines[f.case_index]}"
                case_ref = "" if args.by == "case" else f"{where}: "
                write_line(out, f"  finding {f.code}: {case_ref}{f.message}")
    return EXIT_BAD_INPUT if bad.count else EXIT_OK


# ------------------------------------------------------------------- diagram
def _cmd_diagram(args: argparse.Namespace) -> int:
    from sendflow.export.diagrams import to_dot, to_markdown_table, to_mermaid, to_svg
    from sendflow.workflows import TABLES

    table = TABLES[args.process]
    render = {"mermaid": to_mermaid, "dot": to_dot, "markdown": to_markdown_table,
              "svg": to_svg}[args.format]
    sys.stdout.write(render(table))
    return EXIT_OK


# ----------------------------------------------------------- appeal-deadline
def _cmd_appeal_deadline(args: argparse.Namespace) -> int:
    from sendflow.appeals import explain_appeal_deadline

    result = explain_appeal_deadline(args.decision_sent, args.certificate_issued)
    if args.format == "json":
        data = result.model_dump(mode="json")
        data["explanation"] = result.explain()
        print(json.dumps(data, indent=2))
    else:
        print(result.explain())
        for c in result.citations:
            print(f"  {c.title} {c.provision} <{c.href}>")
    return EXIT_OK


# -------------------------------------------------------------------- schema
def _cmd_schema(args: argparse.Namespace) -> int:
    from sendflow.case import Case

    print(json.dumps(Case.model_json_schema(), indent=2))
    return EXIT_OK


# --------------------------------------------------------------------- synth
def _cmd_synth(args: argparse.Namespace) -> int:
    from sendflow.synth import write_jsonl

    if args.cases < 0:
        raise UsageError("--cases must not be negative")
    write_jsonl(args.cases, sys.stdout, seed=args.seed, year=args.year)
    sys.stdout.flush()
    return EXIT_OK


# -------------------------------------------------------------------- import
def _read_table_args(args: argparse.Namespace, command: str) -> Any:
    """Read ``args.file`` through ``args.layout``; the quality report goes to stderr
    (and to ``--quality-report`` as JSON). Returns the import, or an exit code."""
    from sendflow.errors import MissingExtra
    from sendflow.tabular import MappingError, TableError, load_mapping, read_table

    try:
        mapping = load_mapping(args.layout)
        imported = read_table(args.file, layout=mapping, sheet=args.sheet,
                              encoding=args.encoding)
    except (MappingError, TableError, MissingExtra) as exc:
        print(f"sendflow {command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(imported.quality.summary(), file=sys.stderr)
    if args.quality_report:
        try:
            Path(args.quality_report).write_text(imported.quality.to_json() + "\n",
                                                 encoding="utf-8")
        except OSError as exc:
            print(f"sendflow {command}: cannot write {args.quality_report}: {exc.strerror}",
                  file=sys.stderr)
            return EXIT_USAGE
    return imported


def _cmd_import(args: argparse.Namespace) -> int:
    imported = _read_table_args(args, "import")
    if isinstance(imported, int):
        return imported
    out = sys.stdout
    for case in imported.cases:
        out.write(case.model_dump_json() + "\n")
    return EXIT_BAD_INPUT if imported.quality.rows_skipped else EXIT_OK


def _table_options(p: argparse.ArgumentParser, *, required: bool) -> None:
    p.add_argument("--layout", required=required, metavar="flat|MAPPING.toml",
                   help="read FILE as a flat table (CSV or .xlsx) through the built-in 'flat' "
                   "layout or a TOML mapping")
    p.add_argument("--sheet", metavar="NAME", help="the workbook's sheet (default: the first)")
    p.add_argument("--encoding", metavar="ENC",
                   help="the CSV file's encoding (default: BOM, else UTF-8, else Windows-1252)")
    p.add_argument("--quality-report", metavar="PATH",
                   help="also write the data-quality report as JSON to PATH")
# ---------------------------------------------------------------------- sen2
#: How a zip archive begins (a local file header, or the end record of an empty archive).
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


def _read_sen2_return(path: str) -> Any:
    """A SEN2 return from an XML file, a folder of Blade CSV files, or a zip of that folder;
    ``-`` (or a pipe) is standard input, XML or a zip, told apart by their first bytes.

    Raises UnreadableInput (exit 3) when the input cannot be opened or read at all, and
    SEN2Error when what it holds is not a SEN2 return.
    """
    from sendflow.sen2 import MAX_XML_BYTES, from_csv, from_xml, read_csv_dir
    from sendflow.sen2._csv import tables_from_zip

    if path != "-" and Path(path).is_dir():
        return read_csv_dir(path)
    stream = _open_lines(path)
    try:
        with stream:
            data = stream.read(MAX_XML_BYTES + 1)  # from_xml refuses anything longer
    except OSError as exc:
        where = "standard input" if path == "-" else path
        raise UnreadableInput(f"cannot read {where}: "
                              f"{exc.strerror or type(exc).__name__}") from None
    if data.startswith(_ZIP_MAGIC):
        return from_csv(tables_from_zip(data))
    return from_xml(data)


def _read_sen2_cases(path: str) -> list[Any]:
    from pydantic import ValidationError

    from sendflow.case import Case

    cases = []
    with _open_lines(path) as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                cases.append(Case.model_validate_json(line))
            except ValidationError as exc:
                raise _BadInput(f"line {number}: {_validation_message(exc)}") from None
    return cases


class _BadInput(SendflowError):
    """A line of a cases file could not be read (the message says where)."""


def _cmd_sen2_stats(args: argparse.Namespace) -> int:
    from sendflow.sen2 import FIGURES, statistics

    if args.file.endswith((".jsonl", ".json")) or args.file == "-":
        if args.year is None:
            print("sendflow sen2 stats: --year is needed for a cases file", file=sys.stderr)
            return EXIT_USAGE
        source: Any = _read_sen2_cases(args.file)
    else:
        try:  # cannot be read at all: UnreadableInput, exit 3, as check --sen2
            source = _read_sen2_return(args.file)
        except SendflowError as exc:  # not a SEN2 return: exit 1, as check --sen2
            error(f"sendflow sen2 stats: cannot read the SEN2 return: {exc}")
            return EXIT_BAD_INPUT
    stats = statistics(source, year=args.year)
    rows = [r for r in stats.rows() if args.by == "all" or r["breakdown"] in ("total", args.by)]
    if args.format == "json":
        json.dump(rows, sys.stdout, indent=2)
        sys.stdout.write("\n")
    elif args.format == "csv":
        from sendflow._csvsafe import safe_writer

        writer = safe_writer(sys.stdout)
        writer.writerow(list(rows[0]))
        for row in rows:
            writer.writerow(row.values())
    else:
        print(f"SEN2 statistics, reporting year {stats.year} "
              f"(activity {stats.year - 1}, plans active at the January {stats.year} census)")
        width = max(len(f.name) for f in FIGURES)
        for row in rows:
            if row["breakdown"] != "total":
                print(f"\n{row['breakdown']} {row['group']}")
            for f in FIGURES:
                value = row[f.name]
                print(f"  {f.name:<{width}}  {'-' if value is None else value}")
    for refused in stats.refused:  # not counted: say so, by position and item only
        error(f"sendflow sen2 stats: line {refused.case_index + 1}: not counted: {refused}")
    return EXIT_BAD_INPUT if stats.refused else EXIT_OK


def _cmd_sen2_schema(args: argparse.Namespace) -> int:
    """Check a SEN2 XML return against an XSD: every failure by place, never a value."""
    from sendflow.sen2 import SEN2Error, validate_schema

    try:
        data = Path(args.file).read_bytes()
    except OSError:
        print("sendflow sen2 schema: cannot read the file", file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        report = validate_schema(data, xsd=args.xsd)
    except SEN2Error as exc:  # the return or the schema cannot be read at all
        print(f"sendflow sen2 schema: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    out = stdout()
    if args.format == "json":
        rows = [{"location": f.location, "message": f.message} for f in report.failures]
        out.write(json.dumps({"schema": report.schema, "valid": report.ok,
                              "failures": rows}, indent=2) + "\n")
    else:
        n = len(report.failures)
        write_line(out, f"{report.schema}: " + ("valid" if report.ok else
                                                f"{n} failure{'s' * (n != 1)}"))
        for failure in report.failures:
            write_line(out, f"  {failure}")
    return EXIT_OK if report.ok else EXIT_PROBLEMS


def _cmd_sen2_validate(args: argparse.Namespace) -> int:
    """Run every SEN2 validation rule and the pre-submission checks on a return."""
    from sendflow.sen2 import validate

    try:  # cannot be read at all: UnreadableInput, exit 3, as sen2 stats
        ret = _read_sen2_return(args.file)
        previous = _read_sen2_return(args.previous) if args.previous is not None else None
    except SendflowError as exc:  # not a SEN2 return: exit 1, as sen2 stats
        error(f"sendflow sen2 validate: cannot read the SEN2 return: {exc}")
        return EXIT_BAD_INPUT
    try:
        report = validate(ret, previous=previous, threshold=args.threshold,
                          min_count=args.min_count, figures=args.figures)
    except SendflowError as exc:  # a bad figures file, or previous not last year's
        error(f"sendflow sen2 validate: {exc}")
        return EXIT_USAGE
    out = stdout()
    if args.format == "json":
        rows = [{"code": f.code, "severity": f.severity, "location": f.location,
                 "message": f.message} for f in report.failures]
        out.write(json.dumps({"year": ret.year, "valid": report.ok,
                              "errors": len(report.errors), "queries": len(report.queries),
                              "failures": rows}, indent=2) + "\n")
    else:
        for failure in report.failures:
            write_line(out, f"{failure.severity}: {failure}")
        write_line(out, f"SEN2 {ret.year}: {len(report.errors)} errors, "
                        f"{len(report.queries)} queries")
    return EXIT_OK if report.ok else EXIT_PROBLEMS


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for documentation and tests)."""
    parser = argparse.ArgumentParser(
        prog="sendflow",
        description="England's SEND statutory processes: deadlines, compliance and the law.",
    )
    parser.add_argument("--version", action="version", version=f"sendflow {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("rules", help="list the rules in force, with citations")
    p.add_argument("--on", type=_iso_date, help="date (default: today)")
    p.add_argument(
        "--format",
        choices=["text", "json", "markdown"],
        default="text",
        help="markdown: every rule and version, as published in docs/law/rules.md",
    )
    p.set_defaults(func=_cmd_rules)

    p = sub.add_parser("timeline", help="statutory dates for a new assessment request")
    p.add_argument("--request-received", type=_iso_date, required=True, metavar="DATE")
    p.add_argument(
        "--drafting-days",
        type=int,
        default=14,
        metavar="N",
        help="days allowed to write the draft after the last advice (default 14)",
    )
    p.add_argument("--format", choices=["text", "json", "ics"], default="text")
    p.add_argument("--remind", metavar="LIST",
                   help="with --format ics: reminders before each step, e.g. 7d,1d")
    p.set_defaults(func=_cmd_timeline)

    p = sub.add_parser("check", help="check a caseload (JSON Lines, one case per line)")
    p.add_argument("file", help="cases as JSON Lines, or - for standard input")
    p.add_argument("--as-of", type=_iso_date, metavar="DATE", help="date (default: today)")
    p.add_argument("--as-of-each", choices=list(_STEPS), metavar="day|week|month|quarter|year",
                   help="evaluate every case on each date from --from to --to, this far "
                   "apart (each case read once): json and csv tag each report or row with "
                   "its as_of; text gives the summary for each date")
    p.add_argument("--from", dest="date_from", type=_iso_date, metavar="DATE",
                   help="first date, with --as-of-each")
    p.add_argument("--to", dest="date_to", type=_iso_date, metavar="DATE",
                   help="last date (at most), with --as-of-each")
    p.add_argument("--totals", metavar="PATH",
                   help="also write deadlines by date, LA, rule and status to PATH: CSV, or "
                   "Parquet when PATH ends .parquet (extra dataframes)")
    p.add_argument("--format", choices=["text", "json", "csv"], default="text")
    p.add_argument(
        "--citations",
        choices=["inline", "once"],
        default="inline",
        help="json: each deadline's rule text and citations in every report (inline, the "
        "default), or once per run on a {\"rule\": ...} line, deadlines naming it by rule_ref",
    )
    p.add_argument("--quiet", action="store_true", help="no progress display")
    p.add_argument(
        "--rules",
        metavar="IDS",
        help="only these rules: comma-separated ids or id prefixes "
        "(e.g. assessment.final_plan or assessment); default every rule",
    )
    p.add_argument(
        "--recorded",
        metavar="PROFILE|TYPES",
        help="what your system records: a profile (all, sen2, minimal) or comma-separated "
        "event types; a deadline met by an unrecorded event is not_recorded, not overdue",
    )
    p.add_argument(
        "--no-findings", action="store_true", help="leave out findings (deadlines only)"
    )
    p.add_argument(
        "--reading",
        action="append",
        metavar="ID=CHOICE",
        help="a reading of the law where it is open, e.g. review.completed_by=meeting "
        "(repeatable; see docs/law/open-questions.md); default each reading's default",
    )
    p.add_argument("--sen2", action="store_true",
                   help="FILE is a SEN2 return (XML, or a folder of Blade CSV files): check "
                   "its cases as of its census date with what SEN2 records (sen2.to_cases); "
                   "- reads XML, or a zip of the Blade CSV folder, from standard input")
    p.add_argument("--unkept", choices=["summary", "list"],
                   help="with --sen2: what the return holds that its cases cannot carry, "
                   "counted by item and reason (summary, the default) or one line per "
                   "place (list); never a value")
    _table_options(p, required=False)
    p.set_defaults(func=_cmd_check)

    p = sub.add_parser("import", help="read a flat table (CSV, Excel) into cases (JSON Lines)")
    p.add_argument("file", help="the table: a CSV file or an Excel workbook (.xlsx)")
    _table_options(p, required=True)
    p.set_defaults(func=_cmd_import)

    p = sub.add_parser("explain", help="explain every deadline of one case (JSON)")
    p.add_argument("file", help="one case as JSON, or - for standard input")
    p.add_argument("--as-of", type=_iso_date, metavar="DATE", help="date (default: today)")
    p.set_defaults(func=_cmd_explain)

    p = sub.add_parser("upcoming", help="a caseload's statutory dates in a window (JSON Lines)")
    p.add_argument("file", help="cases as JSON Lines, or - for standard input")
    p.add_argument("--from", dest="date_from", type=_iso_date, required=True, metavar="DATE")
    p.add_argument("--to", dest="date_to", type=_iso_date, required=True, metavar="DATE")
    p.add_argument("--as-of", type=_iso_date, metavar="DATE",
                   help="date statuses speak for (default: today)")
    p.add_argument("--open-only", action="store_true",
                   help="only dates not yet met: pending, overdue or disapplied (dates met, "
                   "met late, not applicable or not recorded are left out)")
    p.add_argument("--rules", metavar="IDS",
                   help="only these rules: comma-separated ids or id prefixes (as check)")
    p.add_argument("--recorded", metavar="PROFILE|TYPES",
                   help="what your system records (as check): unrecorded steps are "
                   "not_recorded, not overdue")
    p.add_argument("--format", choices=["text", "json", "csv", "ics"], default="text")
    p.add_argument("--remind", metavar="LIST",
                   help="with --format ics: reminders before each open date, e.g. 7d,1d "
                   "(w weeks, d days, h hours, m minutes)")
    _table_options(p, required=False)
    p.set_defaults(func=_cmd_upcoming)

    p = sub.add_parser("worklist",
                       help="open duties of a caseload, by partner, caseworker or case")
    p.add_argument("file", help="cases as JSON Lines, or - for standard input")
    p.add_argument("--as-of", type=_iso_date, metavar="DATE", help="date (default: today)")
    p.add_argument("--horizon", type=int, default=28, metavar="DAYS",
                   help="list duties due up to DAYS after --as-of (default 28); overdue "
                   "duties are always listed")
    p.add_argument("--by", choices=["partner", "caseworker", "case"], default="partner",
                   help="how to group the list (default partner)")
    p.add_argument("--rules", metavar="IDS",
                   help="only these rules: comma-separated ids or id prefixes (as check)")
    p.add_argument("--recorded", metavar="PROFILE|TYPES",
                   help="what your system records (as check): unrecorded steps are not listed")
    p.add_argument("--format", choices=["text", "json", "csv", "ics"], default="text")
    p.add_argument("--remind", metavar="LIST",
                   help="with --format ics: reminders before each duty, e.g. 7d,1d")
    p.add_argument("--reading", action="append", metavar="ID=CHOICE",
                   help="a reading of the law where it is open (as check; repeatable)")
    p.add_argument("--no-consent-findings", action="store_true",
                   help="leave out consent findings (when your system does not record "
                   "consents to share)")
    _table_options(p, required=False)
    p.set_defaults(func=_cmd_worklist)

    p = sub.add_parser("diagram", help="draw a workflow's state diagram")
    p.add_argument("process", choices=DIAGRAM_PROCESSES)
    p.add_argument("--format", choices=["mermaid", "dot", "markdown", "svg"], default="mermaid")
    p.set_defaults(func=_cmd_diagram)

    p = sub.add_parser("appeal-deadline",
                       help="last day to appeal to the SEND Tribunal, with the arithmetic")
    p.add_argument("--decision-sent", type=_iso_date, required=True, metavar="DATE",
                   help="day the written decision notice was sent")
    p.add_argument("--certificate-issued", type=_iso_date, metavar="DATE",
                   help="date of issue of the mediation certificate, if any")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=_cmd_appeal_deadline)

    p = sub.add_parser("schema", help="JSON Schema of a case and its events")
    p.set_defaults(func=_cmd_schema)

    p = sub.add_parser("synth", help="write a synthetic national caseload as JSON Lines")
    p.add_argument("--cases", type=int, default=1000, metavar="N", help="how many (default 1000)")
    p.add_argument("--seed", type=int, default=1, metavar="S", help="random seed (default 1)")
    p.add_argument("--year", type=int, default=2025, help="calendar year of the flows")
    p.set_defaults(func=_cmd_synth)

    p = sub.add_parser("sen2", help="the DfE SEN2 return: statistics, schema, validation")
    sen2_sub = p.add_subparsers(dest="sen2_command", required=True, metavar="SUBCOMMAND")
    p = sen2_sub.add_parser(
        "stats", help="every figure of the DfE's EHC plans release, from a return or cases")
    p.add_argument("file", help="SEN2 XML, a folder of Blade CSV files, or cases as JSON Lines")
    p.add_argument("--year", type=int, metavar="YEAR",
                   help="reporting (collection) year; default the return's own; needed for cases")
    p.add_argument("--by", choices=["total", "month", "need_type", "setting_type", "all"],
                   default="total", help="breakdown to print (default total)")
    p.add_argument("--format", choices=["text", "json", "csv"], default="text")
    p.set_defaults(func=_cmd_sen2_stats)
    p = sen2_sub.add_parser(
        "schema", help="check a SEN2 XML return against an XSD (sendflow's or COLLECT's)")
    p.add_argument("file", help="the SEN2 XML return")
    p.add_argument("--xsd", metavar="PATH",
                   help="the schema, e.g. the XSD downloaded from COLLECT; default "
                        "sendflow's own for the return's collection year")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=_cmd_sen2_schema)
    p = sen2_sub.add_parser(
        "validate", help="every SEN2 validation rule and pre-submission check, by place")
    p.add_argument("file", help="SEN2 XML, a folder of Blade CSV files, or a zip of one")
    p.add_argument("--previous", metavar="FILE",
                   help="last year's return: report counts that moved by more than "
                        "--threshold (SF0710)")
    p.add_argument("--threshold", type=float, default=0.25, metavar="F",
                   help="with --previous: the fraction a count may move (default 0.25)")
    p.add_argument("--min-count", type=int, default=10, metavar="N",
                   help="with --previous: ignore counts below N in both years (default 10)")
    p.add_argument("--figures", metavar="CSV",
                   help="your own figures (figure,value[,tolerance]): report each the "
                        "return differs from (SF0711)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=_cmd_sen2_validate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (see docs/reference/cli.md)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    return run(args.command, args.func, args)
