"""How long ``import sendflow`` and the CLI's ``--version`` and ``--help`` take (issue 19 point 5).

Each measurement is a fresh interpreter, repeated ``--runs`` times, the commands
interleaved; prints medians (min-max):

- ``import sendflow``, as ``python -X importtime`` reports it (the package's own
  cumulative import time, the interpreter's start-up excluded);
- the same for ``from sendflow import Case, evaluate`` (what a first evaluation loads:
  pydantic, the rule data, the workflows);
- the wall time of ``python -c pass`` (the baseline), ``python -c "import sendflow"``,
  ``python -m sendflow --version`` and ``python -m sendflow --help``.

Target: ``import sendflow`` at most 120 ms.

    python3 benchmarks/bench_startup.py --runs 15
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time


def _import_us(code: str) -> int:
    """Microseconds of imports ``code`` makes from ``import sendflow`` on (top-level entries
    of ``-X importtime``, each with what it imported in turn; the interpreter's own
    start-up, before sendflow, left out)."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", code],
                          capture_output=True, text=True, check=True)
    total, counting = 0, False
    for line in done.stderr.splitlines():
        parts = line.split("|")
        if len(parts) != 3 or not line.startswith("import time:"):
            continue
        name = parts[2].rstrip()
        if name == " sendflow":
            counting = True
        if counting and not name.startswith("  "):  # a top-level import
            total += int(parts[1])
    if not counting:
        raise SystemExit("sendflow not in -X importtime's report")
    return total


def _wall(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, capture_output=True, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    py = sys.executable
    imports = {
        "import sendflow": "import sendflow",
        "from sendflow import Case, evaluate": "from sendflow import Case, evaluate",
    }
    walls = {
        "python -c pass": [py, "-c", "pass"],
        "python -c 'import sendflow'": [py, "-c", "import sendflow"],
        "sendflow --version": [py, "-m", "sendflow", "--version"],
        "sendflow --help": [py, "-m", "sendflow", "--help"],
    }
    got: dict[str, list[float]] = {name: [] for name in [*imports, *walls]}
    for _ in range(args.runs):
        for name, code in imports.items():
            got[name].append(_import_us(code) / 1000)
        for name, argv in walls.items():
            got[name].append(_wall(argv) * 1000)
    print(f"{args.runs} runs each, milliseconds, median (min-max)\n")
    print("import time (-X importtime, cumulative):")
    for name in imports:
        v = got[name]
        print(f"  {name:<40} {statistics.median(v):7.1f}  ({min(v):.1f}-{max(v):.1f})")
    print("wall time of the whole process:")
    for name in walls:
        v = got[name]
        print(f"  {name:<40} {statistics.median(v):7.1f}  ({min(v):.1f}-{max(v):.1f})")
    median = statistics.median(got["import sendflow"])
    print(f"\ntarget import sendflow <= 120 ms: {median:.1f} ms — "
          f"{'met' if median <= 120 else 'NOT met'}")


if __name__ == "__main__":
    main()
