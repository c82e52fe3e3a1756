"""Does ``sendflow.distributed`` run a caseload faster on several workers? (issue 19 point 1)

Writes (or reuses, ``--jsonl``) a synthetic caseload, then, round after round so that
the machine's drift falls on all alike:

- **one process**: :func:`sendflow.distributed.tally_partition` over the whole file in
  this process (the same code the workers run, no Dask);
- **processes**: :func:`sendflow.distributed.status_counts` with
  ``scheduler="processes"`` (``--workers`` processes, started and stopped within the
  timed call, as a script does), partitions sized automatically;
- **cluster**: the same through a ``dask.distributed`` ``LocalCluster`` of ``--workers``
  single-threaded worker processes, started before timing (as a standing cluster is).

Prints the median time of each, the speed-up over one process, whether every run gave
identical totals, and the peak memory of a worker process. Target: on 2 workers at
least 1.6x faster than one process for 200,000 cases.

    python3 benchmarks/bench_distributed.py --cases 200000 --workers 2 --rounds 3

The script is ``__main__``-guarded, as any script using worker processes must be.
"""

from __future__ import annotations

import argparse
import logging
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sendflow import distributed as dist
from sendflow.synth import write_jsonl

AS_OF = date(2026, 1, 15)


def _one_process(path: Path) -> dist.Tally:
    with open(path, encoding="utf-8") as fh:
        return dist.tally_partition(fh, as_of=AS_OF)[0]


def _worker_peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _cpu_seconds(who: int = resource.RUSAGE_SELF) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _spin(seconds: float) -> float:
    end = time.time() + seconds
    start = time.process_time()
    while time.time() < end:
        pass
    return time.process_time() - start


def _cpu_available(workers: int, seconds: float = 2.0) -> tuple[float, float]:
    """CPU seconds one busy process, then ``workers`` busy processes, get in ``seconds``:
    on a machine shared with other work, the second is not ``workers`` times the first,
    and no parallel run can be faster than their ratio."""
    from multiprocessing import get_context

    with get_context("spawn").Pool(workers) as pool:
        pool.map(_spin, [0.1] * workers)  # started
        one = sum(pool.map(_spin, [seconds]))
        many = sum(pool.map(_spin, [seconds] * workers))
    return one, many


def _cpu_used(client: Any) -> float:
    """CPU seconds used so far by this process, its finished children and the cluster."""
    total = _cpu_seconds() + _cpu_seconds(resource.RUSAGE_CHILDREN)
    if client is not None:
        total += sum(client.run(_cpu_seconds).values())
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jsonl", type=Path, help="reuse (or write) this caseload file")
    parser.add_argument("--only", choices=["processes", "cluster"],
                        help="time one of the parallel set-ups only")
    args = parser.parse_args()

    import dask
    import distributed

    with tempfile.TemporaryDirectory() as folder:
        path = args.jsonl or Path(folder) / "cases.jsonl"
        if not path.exists():
            with open(path, "w", encoding="utf-8") as fh:
                write_jsonl(args.cases, fh, seed=args.seed)
        size = path.stat().st_size
        block = dist.partition_size(str(path), workers=args.workers)
        print(f"{args.cases:,} cases, {size / 2**20:.0f} MiB; {args.workers} workers; "
              f"partitions of {block / 2**20:.1f} MiB ({-(-size // block)} of them)")

        pipelines: dict[str, Callable[[], dist.Tally]] = {"one process": lambda: _one_process(path)}
        cluster: Any = None
        client: Any = None
        if args.only != "cluster":

            def processes() -> dist.Tally:
                with dask.config.set({"num_workers": args.workers}):
                    return dist.status_counts(str(path), as_of=AS_OF, scheduler="processes")

            pipelines["processes"] = processes
        if args.only != "processes":
            with dask.config.set({"distributed.scheduler.worker-saturation": 1.0}):
                cluster = distributed.LocalCluster(  # type: ignore[no-untyped-call]
                    n_workers=args.workers, threads_per_worker=1, processes=True,
                    dashboard_address=":0", silence_logs=logging.ERROR)
            client = distributed.Client(cluster)  # type: ignore[no-untyped-call]
            pipelines["cluster"] = lambda: dist.status_counts(str(path), as_of=AS_OF,
                                                              scheduler=client)
        probes = [_cpu_available(args.workers)]
        times: dict[str, list[float]] = {name: [] for name in pipelines}
        cpu: dict[str, list[float]] = {name: [] for name in pipelines}
        results: dict[str, list[dist.Tally]] = {name: [] for name in pipelines}
        try:
            for _ in range(args.rounds):
                for name, run in pipelines.items():
                    cpu_start = _cpu_used(client)
                    start = time.perf_counter()
                    results[name].append(run())
                    times[name].append(time.perf_counter() - start)
                    cpu[name].append(_cpu_used(client) - cpu_start)
            worker_peaks = client.run(_worker_peak_kib) if client is not None else {}
            probes.append(_cpu_available(args.workers))
        finally:
            if client is not None:
                client.close()
                cluster.close()
    children_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    reference = results["one process"][0]
    agree = all(t.groups == reference.groups and t.cases == reference.cases
                for runs in results.values() for t in runs)
    base = statistics.median(times["one process"])
    print(f"\n{'set-up':<12} {'median':>8} {'min-max':>14} {'per case':>10} {'speed-up':>9}"
          f" {'CPU s':>7}")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:<12} {median:7.1f}s {min(values):6.1f}-{max(values):5.1f}s "
              f"{median / args.cases * 1e6:8.1f}µs {base / median:8.2f}x "
              f"{statistics.median(cpu[name]):7.1f}")
    print("(CPU s: processor time used by every process taking part; on a machine with\n"
          " other work, it shows what the parallel run spent beyond the work itself)")
    print(f"\nidentical totals in every run: {'yes' if agree else 'NO'} "
          f"({reference.cases:,} cases, {reference.invalid} invalid, "
          f"{sum(reference.groups.values()):,} deadlines)")
    if worker_peaks:
        peak = max(worker_peaks.values()) / 1024
        print(f"peak memory of a cluster worker process: {peak:.0f} MiB")
    if "processes" in times:
        print(f"peak memory of a worker process (processes scheduler): "
              f"{children_peak / 1024:.0f} MiB")
    for when, (one, many) in zip(("before", "after"), probes, strict=True):
        print(f"CPU the machine gave, {when}: 1 busy process {one:.2f} s, {args.workers} busy "
              f"processes {many:.2f} s in 2 s (parallel speed-up capped at {many / one:.2f}x)")
    best = max(base / statistics.median(v) for k, v in times.items() if k != "one process")
    print(f"\ntarget at least 1.6x on {args.workers} workers: {best:.2f}x — "
          f"{'met' if best >= 1.6 else 'NOT met'}")


if __name__ == "__main__":
    main()
