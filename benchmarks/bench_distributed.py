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

With ``--sessions`` (Linux), two more, each compute process in a session of its own:

- **one process, own session**: the one-process run in a child process started with
  ``setsid``;
- **workers, own sessions**: ``--workers`` ``dask worker`` processes, each started with
  ``setsid``, serving a scheduler in this process.

Why: with the kernel's autogroup scheduling (``/proc/sys/kernel/sched_autogroup_enabled``),
each session gets an equal share of the CPU, however many processes it runs; on a machine
busy with other sessions, processes of one session cannot run faster together than one
alone, which is a property of the machine's policy, not of the recipe. Separate jobs
(which is what workers on a cluster are) each get their own share.

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


_ONE_PROCESS = """
import json, sys, time
from datetime import date
from sendflow.distributed import tally_partition
start = time.perf_counter()
with open(sys.argv[1], encoding="utf-8") as fh:
    t = tally_partition(fh, as_of=date.fromisoformat(sys.argv[2]))[0]
elapsed = time.perf_counter() - start
print(json.dumps({"elapsed": elapsed, "cases": t.cases, "invalid": t.invalid,
                  "groups": sorted([[str(k[0]), k[1], k[2], k[3], n] for k, n in t.groups.items()],
                                   key=str)}))
"""


def _one_process_own_session(path: Path) -> tuple[float, dist.Tally]:
    """The one-process run in a child in a new session; its own timing (no start-up)."""
    import json
    import subprocess
    import sys
    from collections import Counter

    done = subprocess.run([sys.executable, "-c", _ONE_PROCESS, str(path), AS_OF.isoformat()],
                          capture_output=True, text=True, check=True, start_new_session=True)
    data = json.loads(done.stdout)
    groups: Counter[tuple[date, str | None, str, str]] = Counter(
        {(date.fromisoformat(g[0]), g[1], g[2], g[3]): g[4] for g in data["groups"]})
    return data["elapsed"], dist.Tally(data["cases"], data["invalid"], groups)


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


def _cpu_used(clients: list[Any]) -> float:
    """CPU seconds used so far by this process, its finished children and the clusters."""
    total = _cpu_seconds() + _cpu_seconds(resource.RUSAGE_CHILDREN)
    for client in clients:
        total += sum(client.run(_cpu_seconds).values())
    return total


def _own_session_workers(workers: int) -> tuple[Any, list[Any]]:
    """A scheduler here and ``workers`` ``dask worker`` processes, each in a new session."""
    import subprocess
    import sys

    import distributed

    with dask_config({"distributed.scheduler.worker-saturation": 1.0}):
        cluster = distributed.LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=0, processes=True, dashboard_address=":0",
            silence_logs=logging.ERROR)
    procs = [subprocess.Popen(
        [sys.executable, "-m", "distributed.cli.dask_worker", cluster.scheduler_address,
         "--nthreads", "1", "--nworkers", "1", "--no-dashboard"],
        start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(workers)]
    client = distributed.Client(cluster)  # type: ignore[no-untyped-call]
    client.wait_for_workers(workers, timeout=300)
    return client, [cluster, *procs]


def dask_config(values: dict[str, Any]) -> Any:
    import dask

    return dask.config.set(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jsonl", type=Path, help="reuse (or write) this caseload file")
    parser.add_argument("--only", choices=["processes", "cluster"],
                        help="time one of the parallel set-ups only")
    parser.add_argument("--sessions", action="store_true",
                        help="also run one process and the workers each in a session of its "
                        "own (see above)")
    args = parser.parse_args()

    import dask
    import distributed

    logging.getLogger("distributed").setLevel(logging.ERROR)
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
        own: list[Any] = []
        own_client: Any = None
        if args.sessions:
            own_client, own = _own_session_workers(args.workers)
        timed_inside: dict[str, Callable[[], tuple[float, dist.Tally]]] = {}
        if args.sessions:
            timed_inside["1 proc, own session"] = lambda: _one_process_own_session(path)
            pipelines["workers, own sessions"] = lambda: dist.status_counts(
                str(path), as_of=AS_OF, scheduler=own_client)
        clients = [c for c in (client, own_client) if c is not None]
        times: dict[str, list[float]] = {name: [] for name in [*pipelines, *timed_inside]}
        cpu: dict[str, list[float]] = {name: [] for name in [*pipelines, *timed_inside]}
        results: dict[str, list[dist.Tally]] = {name: [] for name in times}
        try:
            for _ in range(args.rounds):
                for name, run in pipelines.items():
                    cpu_start = _cpu_used(clients)
                    start = time.perf_counter()
                    results[name].append(run())
                    times[name].append(time.perf_counter() - start)
                    cpu[name].append(_cpu_used(clients) - cpu_start)
                for name, inside in timed_inside.items():
                    cpu_start = _cpu_used([])
                    elapsed, tally = inside()
                    times[name].append(elapsed)
                    results[name].append(tally)
                    cpu[name].append(_cpu_used([]) - cpu_start)
            worker_peaks = client.run(_worker_peak_kib) if client is not None else {}
            probes.append(_cpu_available(args.workers))
        finally:
            if client is not None:
                client.close()
                cluster.close()
            if own_client is not None:
                own_client.close()
                for proc in own[1:]:
                    proc.terminate()
                    proc.wait(timeout=60)
                own[0].close()
    children_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    reference = results["one process"][0]
    agree = all(t.groups == reference.groups and t.cases == reference.cases
                for runs in results.values() for t in runs)
    base = statistics.median(times["one process"])
    print(f"\n{'set-up':<22} {'median':>8} {'min-max':>14} {'per case':>10} {'speed-up':>9}"
          f" {'CPU s':>7}")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:<22} {median:7.1f}s {min(values):6.1f}-{max(values):5.1f}s "
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
    parallel = [k for k in times if k not in ("one process", "1 proc, own session")]
    best = max(base / statistics.median(times[k]) for k in parallel)
    if args.sessions:
        own_base = statistics.median(times["1 proc, own session"])
        own_ratio = own_base / statistics.median(times["workers, own sessions"])
        print(f"\nown sessions: {args.workers} workers against one process, each in a session "
              f"of its own: {own_ratio:.2f}x")
        best = max(best, own_ratio)
    print(f"\ntarget at least 1.6x on {args.workers} workers: {best:.2f}x — "
          f"{'met' if best >= 1.6 else 'NOT met'}")


if __name__ == "__main__":
    main()
