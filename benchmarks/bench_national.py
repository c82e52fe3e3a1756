"""National-scale benchmark: a synthetic caseload from JSON Lines to compliance reports.

Usage::

    python3 benchmarks/bench_national.py --cases 650000 [--seed 1] [--as-of 2026-01-15]
                                          [--jsonl cases.jsonl] [--chunk 1000]
                                          [--caseload current|issue19]

Steps, all in one process:

1. generate ``--cases`` synthetic cases (``sendflow.synth``) to a JSON Lines file
   (a temporary file unless ``--jsonl`` names one; an existing file is reused, whatever
   ``--caseload`` says). ``--caseload current`` (the default) is today's synthetic
   caseload, stock plans with their annual reviews (about 12 events a case);
   ``--caseload issue19`` is the one issue 19's figures were measured on, each stock
   plan a single ``final_plan_issued`` event (``synthesise(..., reviews=False)``;
   about 61 % of cases one event, 4.6 events a case);
2. read the file ``--chunk`` lines at a time and run the pipelines on each
   chunk in turn, so that whatever else the machine is doing falls on all three
   alike (one chunk of lines in memory at a time; reading the file is untimed).
   Small chunks (each pipeline runs for a fraction of a second at a time) keep
   the ratios steady on a shared machine: on one whose speed drifts over
   seconds, 20,000-line chunks gave ratios from 3.1x to 4.3x on the same data,
   1,000-line chunks 3.4x to 3.6x:

   - **baseline**: ``json.loads``, ``date.fromisoformat`` and hand-written
     arithmetic for the five assessment rules (decision, advice, no-plan notice,
     final plan, draft representations) including their exceptions; it checks
     nothing else and builds no models;
   - **sendflow, like for like**: ``Case.model_validate_json`` (every field,
     identifier and transition validated) and ``evaluate(case, as_of=...,
     rules=<the five>, findings=False)``: the baseline's arithmetic on
     validated models, producing compliance reports;
   - **sendflow, full report**: ``evaluate(case, as_of=...)``: every rule whose
     clock the case starts (reviews, transfers, ceasing, appeals...) and the
     findings: more work than the baseline does;

   - **baseline, two** and **two rules** (issue 19): the same pair for only the
     6- and 20-week deadlines (``assessment.decision``, ``assessment.final_plan``),
     sendflow with ``findings=False``;

   each tallies deadlines by (rule, status).

It prints each time with its ratio to the baseline, whether sendflow and the
baseline agree on the five rules, the growth of peak resident memory
(``resource.getrusage``), and the issue-8 targets: 650,000 cases in at most
15 s on one core, at most 3x the baseline, growth under 200 MB; and issue 19's,
against the two-rule baseline: two rules at most 2.5x, the full report at most 5.0x.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from itertools import islice
from pathlib import Path
from typing import Any

#: ``--caseload``: whether stock plans have their annual reviews (``synthesise(reviews=...)``).
CASELOADS = {"current": True, "issue19": False}

#: Issue 19's baseline and its like-for-like pipeline: the 6- and 20-week deadlines.
TWO_RULES = ("assessment.decision", "assessment.final_plan")
RULES = (
    "assessment.advice",
    "assessment.decision",
    "assessment.draft_representations",
    "assessment.final_plan",
    "assessment.no_plan_notice",
)


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --------------------------------------------------------------------- sendflow
def sendflow_lines(lines: list[str], as_of: date, tally: Counter[tuple[str, str]],
                   rules: tuple[str, ...] | None) -> None:
    """Validate and evaluate each line; tally deadlines by (rule, status)."""
    from sendflow import Case, evaluate

    validate = Case.model_validate_json
    findings = rules is None
    for line in lines:
        report = evaluate(validate(line), as_of=as_of, rules=rules, findings=findings)
        for d in report.deadlines:
            tally[(d.rule_id, d.status)] += 1  # a Status is its string value


# --------------------------------------------------------------------- baseline
_LIMIT_GROUNDS = {  # ground -> minimum days (0: none); reg. 5(4), 10(4), 13(3)
    "school_closure": 28, "early_years_closure": 28,
    "exceptional_personal_circumstances": 0, "absent_from_area": 28,
}
_ADVICE_GROUNDS = {  # reg. 8(2)
    "exceptional_circumstances": 0, "exceptional_personal_circumstances": 0,
    "absent_from_area": 28, "missed_appointment": 0,
}


def _excepted(exceptions: list[tuple[date, date | None, str, tuple[str, ...]]], rule: str,
              grounds: dict[str, int], start: date, due: date, as_of: date) -> bool:
    for on, until, ground, rules in exceptions:
        minimum = grounds.get(ground)
        if minimum is None or (rules and rule not in rules):
            continue
        if on > due or (until is not None and until < start):
            continue
        if minimum and ((until or as_of) - on).days + 1 < minimum:
            continue
        return True
    return False


def _status(due: date, met: date | None, closed: bool, as_of: date, excepted: bool,
            lapses: bool = False) -> str:
    if met is not None:
        return "met" if met <= due else ("disapplied" if excepted else "missed")
    if closed:
        return "not_applicable"
    if as_of > due:
        if lapses:
            return "not_applicable"
        return "disapplied" if excepted else "overdue"
    return "pending"


def baseline_case(data: dict[str, Any], as_of: date, tally: Counter[tuple[str, str]],
                  two: bool = False) -> None:
    """The five assessment rules by hand, as the standard evaluator defines them
    (``two``: only the 6- and 20-week ones, decision and final plan: issue 19's baseline)."""
    events = [(e["type"], date.fromisoformat(e["on"]), e) for e in data["events"]]
    exceptions = [
        (on, date.fromisoformat(e["until"]) if e.get("until") else None, e["ground"],
         tuple(e.get("rules", ())))
        for t, on, e in events if t == "exception_recorded"
    ]
    n = len(events)
    for i, (kind, on, e) in enumerate(events):
        if kind == "request_received":
            for rule, days, met_type, closers in (
                ("assessment.decision", 42, "assessment_decision", ("request_withdrawn",)),
                ("assessment.no_plan_notice", 112, "no_plan_notice_sent",
                 ("request_withdrawn", "refuse", "draft_plan_issued", "final_plan_issued")),
                ("assessment.final_plan", 140, "final_plan_issued",
                 ("request_withdrawn", "refuse", "no_plan_notice_sent")),
            ):
                if two and rule == "assessment.no_plan_notice":
                    continue
                due = on + timedelta(days=days)
                met, closed = None, False
                for j in range(i + 1, n):
                    k2, on2, e2 = events[j]
                    if k2 == "request_received":
                        closed = True
                        break
                    if k2 == met_type:
                        met = on2
                        break
                    if k2 in closers or (k2 == "assessment_decision" and "refuse" in closers
                                         and e2.get("outcome") == "refuse"):
                        closed = True
                        break
                exc = bool(exceptions) and _excepted(exceptions, rule, _LIMIT_GROUNDS, on, due,
                                                     as_of)
                tally[(rule, _status(due, met, closed, as_of, exc))] += 1
        elif two:
            continue
        elif kind == "advice_requested":
            adviser = e["adviser"]
            if adviser == "parent_or_young_person":
                continue  # the family's own views are not advice under reg. 8: no deadline
            due = on + timedelta(days=42)
            met, closed = None, False
            for j in range(i + 1, n):
                k2, on2, e2 = events[j]
                key = e2.get("adviser")
                same = key is None or key == adviser
                if same and k2 == "advice_requested":
                    closed = True
                    break
                if same and k2 == "advice_received":
                    met = on2
                    break
                if k2 == "request_withdrawn" or (
                        k2 == "assessment_decision" and e2.get("outcome") == "refuse"):
                    closed = True
                    break
            exc = bool(exceptions) and _excepted(exceptions, "assessment.advice",
                                                 _ADVICE_GROUNDS, on, due, as_of)
            tally[("assessment.advice", _status(due, met, closed, as_of, exc))] += 1
        elif kind == "draft_plan_issued":
            start = date.fromisoformat(e["served_on"]) if e.get("served_on") else on
            due = start + timedelta(days=14)
            met, closed = None, False
            for j in range(i + 1, n):
                k2, on2, _ = events[j]
                if k2 == "draft_plan_issued":
                    closed = True
                    break
                if k2 == "representations_received":
                    met = on2
                    break
                if k2 == "request_withdrawn":
                    closed = True
                    break
            tally[("assessment.draft_representations",
                   _status(due, met, closed, as_of, False, lapses=True))] += 1


def baseline_lines(lines: list[str], as_of: date, tally: Counter[tuple[str, str]],
                   two: bool = False) -> None:
    loads = json.loads
    for line in lines:
        baseline_case(loads(line), as_of, tally, two)


def chunks(path: Path, size: int) -> Iterator[list[str]]:
    """The file's non-blank lines, ``size`` at a time."""
    with path.open(encoding="utf-8") as fh:
        while True:
            block = [line for line in islice(fh, size) if line.strip()]
            if not block:
                return
            yield block


# ------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=650_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 1, 15))
    parser.add_argument("--jsonl", type=Path, help="keep (or reuse) the caseload here")
    parser.add_argument("--chunk", type=int, default=1_000,
                        help="lines per chunk (each pipeline runs on a chunk in turn)")
    parser.add_argument("--caseload", choices=CASELOADS, default="current",
                        help="current: stock plans with annual reviews; issue19: stock "
                        "plans as one event, as issue 19 measured (when generating)")
    args = parser.parse_args(argv)

    tmp = None
    path = args.jsonl
    if path is None:
        fd, name = tempfile.mkstemp(suffix=".jsonl", prefix="sendflow-national-")
        os.close(fd)
        tmp = path = Path(name)
    try:
        if tmp is not None or not path.exists():
            from sendflow.synth import write_jsonl

            t0 = time.perf_counter()
            with path.open("w", encoding="utf-8") as fh:
                write_jsonl(args.cases, fh, seed=args.seed,
                            reviews=CASELOADS[args.caseload])
            gen = time.perf_counter() - t0
            size = path.stat().st_size / 1e6
            print(f"generated {args.cases:,} cases ({size:,.0f} MB) in {gen:.1f} s, "
                  f"caseload {args.caseload}")
        else:
            print(f"reusing {path}")

        import sendflow  # noqa: F401 - import cost outside the timed region
        from sendflow import Case, evaluate

        evaluate(Case.model_validate({"events": []}), as_of=args.as_of)  # warm caches

        tallies: dict[str, Counter[tuple[str, str]]] = {k: Counter() for k in PIPELINES}
        seconds = dict.fromkeys(PIPELINES, 0.0)
        cases = events = single = 0
        rss0 = peak_rss_mb()
        for block in chunks(path, args.chunk):
            cases += len(block)
            counts = [line.count('"type":') for line in block]  # untimed: what was read
            events += sum(counts)
            single += counts.count(1)
            for name in PIPELINES:
                t0 = time.perf_counter()
                if name.startswith("baseline"):
                    baseline_lines(block, args.as_of, tallies[name], name == "baseline, two")
                else:
                    rules = {"like for like": RULES, "two rules": TWO_RULES}.get(name)
                    sendflow_lines(block, args.as_of, tallies[name], rules)
                seconds[name] += time.perf_counter() - t0
        growth = peak_rss_mb() - rss0
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
    print(f"caseload: {events / max(cases, 1):.1f} events a case, "
          f"{100 * single / max(cases, 1):.0f}% of cases a single event")
    return report(cases, seconds, tallies, growth)


#: The pipelines, run on each chunk in this order.
PIPELINES = ("baseline", "like for like", "full report", "baseline, two", "two rules")


def report(cases: int, seconds: dict[str, float], tallies: dict[str, Counter[tuple[str, str]]],
           growth: float) -> int:
    base = seconds["baseline"]
    scale = 650_000 / max(cases, 1)
    for name in PIPELINES:
        t = seconds[name]
        two = seconds["baseline, two"]
        print(f"{name:13s}: {cases:,} cases in {t:7.2f} s ({cases / t:>9,.0f} cases/s, "
              f"{1e6 * t / max(cases, 1):5.1f} µs/case, "
              f"{sum(tallies[name].values()):>10,} deadlines), ratio {t / base:5.2f}x, "
              f"to the two-rule baseline {t / two:5.2f}x")
    print(f"peak RSS growth while streaming all three: {growth:,.0f} MB")
    like = tallies["like for like"]
    full5 = Counter({k: v for k, v in tallies["full report"].items() if k[0] in RULES})
    agree = like == tallies["baseline"] == full5
    print(f"agreement on the five assessment rules (baseline, like for like, full report): "
          f"{'yes' if agree else 'NO'}")
    two_agree = tallies["two rules"] == tallies["baseline, two"] == Counter(
        {k: v for k, v in full5.items() if k[0] in TWO_RULES})
    agree = agree and two_agree
    print(f"agreement on the two rules (two-rule baseline, two rules, full report): "
          f"{'yes' if two_agree else 'NO'}")
    if not agree:
        for key in sorted(set(like) | set(tallies["baseline"]) | set(full5)):
            values = (tallies["baseline"][key], like[key], full5[key])
            if len(set(values)) > 1:
                print(f"  {key}: baseline {values[0]}, like for like {values[1]}, "
                      f"full report {values[2]}")
    targets = [
        ("like for like: <= 15 s for 650,000 cases", seconds["like for like"] * scale <= 15),
        ("like for like: <= 3x the baseline", seconds["like for like"] <= 3 * base),
        ("full report: <= 15 s for 650,000 cases", seconds["full report"] * scale <= 15),
        ("full report: <= 3x the baseline", seconds["full report"] <= 3 * base),
        ("peak RSS growth < 200 MB", growth < 200),
        # issue 19: against the two-rule baseline (json.loads, the 6- and 20-week deadlines)
        ("two rules, no findings: <= 2.5x the two-rule baseline",
         seconds["two rules"] <= 2.5 * seconds["baseline, two"]),
        ("full report: <= 5.0x the two-rule baseline",
         seconds["full report"] <= 5.0 * seconds["baseline, two"]),
    ]
    for label, ok in targets:
        print(f"target   : {label}: {'met' if ok else 'NOT met'}")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
