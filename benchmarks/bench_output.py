"""What ``check --format json`` costs next to ``--format text`` (issue 19 point 4).

Runs ``sendflow check`` in this process on one synthetic caseload, output to
``os.devnull``, the formats interleaved round after round so that the machine's
drift falls on all alike, and prints the median time of each with its ratio to
``--format text``:

- ``text``: the default output (one line per case, the summary);
- ``json``: one JSON line per report through ``model_dump_json`` (``--citations inline``);
- ``json --citations once``: rule texts and citations written once per run;
- ``json, as before``: the same command with the previous way of writing a line
  (``model_dump`` then ``json.dumps``), for comparison.

Target: ``--format json`` at most 1.5x ``--format text``.

    python3 benchmarks/bench_output.py --cases 20000 --rounds 5
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sendflow import _cli
from sendflow.synth import write_jsonl

AS_OF = "2026-01-15"


def _old_write(self: _cli._ReportJSON, number: int, report: Any) -> None:
    """The previous ``--format json`` line: ``model_dump`` then ``json.dumps``."""
    self.out.write(json.dumps({"line": number, "report": report.model_dump(mode="json")},
                              separators=(",", ":")) + "\n")


def _as_before(run: Callable[[], None]) -> Callable[[], None]:
    def patched() -> None:
        new = _cli._ReportJSON.write
        _cli._ReportJSON.write = _old_write  # type: ignore[method-assign]
        try:
            run()
        finally:
            _cli._ReportJSON.write = new  # type: ignore[method-assign]

    return patched


def _cli_run(path: Path, *extra: str) -> Callable[[], None]:
    def run() -> None:
        with open(os.devnull, "w", encoding="utf-8") as out, \
                contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            code = _cli.main(["check", str(path), "--as-of", AS_OF, "--quiet", *extra])
        assert code == 0, code

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cases.jsonl"
        with open(path, "w", encoding="utf-8") as fh:
            write_jsonl(args.cases, fh, seed=args.seed)
        pipelines: dict[str, Callable[[], None]] = {
            "text": _cli_run(path, "--format", "text"),
            "json": _cli_run(path, "--format", "json"),
            "json --citations once": _cli_run(path, "--format", "json", "--citations", "once"),
            "json, as before": _as_before(_cli_run(path, "--format", "json")),
        }
        times: dict[str, list[float]] = {name: [] for name in pipelines}
        for run in pipelines.values():  # warm-up: imports, caches
            run()
        for _ in range(args.rounds):
            for name, run in pipelines.items():
                start = time.perf_counter()
                run()
                times[name].append(time.perf_counter() - start)
        sizes = {}
        for fmt, extra in (("json", []), ("json --citations once", ["--citations", "once"])):
            buffer = io.StringIO()
            with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(io.StringIO()):
                _cli.main(["check", str(path), "--as-of", AS_OF, "--quiet", "--format", "json",
                           *extra])
            sizes[fmt] = len(buffer.getvalue().encode("utf-8"))
    text = statistics.median(times["text"])
    print(f"{args.cases:,} cases, {args.rounds} rounds, medians (min-max), one process\n")
    print(f"{'output':<24} {'time':>8} {'per case':>10} {'ratio to text':>14}")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:<24} {median:7.2f}s {median / args.cases * 1e6:8.1f}µs "
              f"{median / text:13.2f}x   ({min(values):.2f}-{max(values):.2f}s)")
    for fmt, size in sizes.items():
        print(f"bytes written, {fmt}: {size / args.cases:,.0f} a case")
    ratio = statistics.median(times["json"]) / text
    print(f"\ntarget --format json <= 1.5x --format text: {ratio:.2f}x — "
          f"{'met' if ratio <= 1.5 else 'NOT met'}")


if __name__ == "__main__":
    main()
