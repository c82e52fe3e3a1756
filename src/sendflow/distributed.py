"""Evaluate a caseload in parallel, on one machine or a cluster, with Dask (extra ``distributed``).

:func:`sendflow.evaluate` is a pure function of one case and a date, so a
caseload held as JSON Lines files (one per LA, or one per day of extract) is
evaluated by a map over partitions of those files and a sum of the partial
results. :func:`status_counts` does both and returns a :class:`Tally`:
deadlines counted by evaluation date, LA, rule and status, for one date or for
many (each case is read once and evaluated once per date)::

    from datetime import date
    from sendflow.distributed import status_counts

    if __name__ == "__main__":          # needed in a script: see below
        tally = status_counts("cases/*.jsonl", as_of=date(2026, 1, 15),
                              scheduler="processes")
        print(tally.cases, tally.invalid, tally.statuses)

How the work is shared out:

- **Partitions.** The files are cut into partitions of about ``blocksize``
  bytes (whole lines). By default (``"auto"``) the size is chosen so that each
  worker gets about four partitions (:func:`partition_size`), between 256 KiB
  and 64 MiB, so that no worker sits idle while another works through a large
  block. Each worker holds about seven times its partition in memory while it
  evaluates it.
- **Scheduling.** With ``scheduler="processes"`` each worker process is handed
  one partition at a time (Dask's default hands out several at once, so on a
  small number of partitions one worker could end up with all of them). With
  a ``dask.distributed`` cluster, give ``scheduler=client`` or leave it None
  with a client active; the scheduler queues tasks so a worker holds about one
  per thread.
- **The ``__main__`` guard.** Worker processes are started by *spawning* a
  fresh interpreter, which imports the calling script again. A script must
  therefore call :func:`status_counts` (or start a cluster) only under
  ``if __name__ == "__main__":``. Without the guard each worker, re-running the
  script, would start workers of its own: sendflow refuses that call inside the
  worker with :class:`~sendflow.InvalidArgument` naming the guard, and the call
  in the script then fails with a :class:`~sendflow.SendflowError` that names the
  guard too (not a bare ``BrokenProcessPool``). A notebook needs no guard.

Each partition parses its lines with :meth:`sendflow.Case.model_validate_json`;
a line that cannot be read, or a case that cannot be evaluated (say, one dated
9999-12-31, whose deadlines fall beyond the calendar), is counted in
``invalid``, never fatal and never echoed, as the ``check`` command does.
:func:`tally_cases` gives the same tally in one process from cases already read.
"""

from __future__ import annotations

import glob
import math
import os
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sendflow.errors import InvalidArgument, MissingExtra, SendflowError

if TYPE_CHECKING:
    from sendflow.case import Case

__all__ = [
    "GROUP_FIELDS",
    "Tally",
    "combine_tallies",
    "empty_tally",
    "partition_size",
    "status_counts",
    "tally_cases",
    "tally_partition",
    "timeliness",
]

_Paths = str | os.PathLike[str] | Sequence[str | os.PathLike[str]]

#: The fields a :class:`Tally` counts deadlines by, in the order of its keys.
GROUP_FIELDS = ("as_of", "la", "rule_id", "status")

#: Smallest and largest partition :func:`partition_size` chooses (bytes).
MIN_PARTITION = 256 * 1024
MAX_PARTITION = 64 * 1024 * 1024


@dataclass
class Tally:
    """Partial or total result of evaluating a caseload.

    Attributes:
        cases: cases read and evaluated (each once, however many dates).
        invalid: lines that could not be read, or cases that could not be evaluated.
        groups: deadlines counted by ``(as_of, la, rule_id, status)``; ``la`` is the
            case's ``responsible_la`` (else the child's), or None when neither is given.
    """

    cases: int = 0
    invalid: int = 0
    groups: Counter[tuple[date, str | None, str, str]] = field(default_factory=Counter)

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.cases + other.cases, self.invalid + other.invalid,
                     self.groups + other.groups)

    @property
    def statuses(self) -> Counter[tuple[str, str]]:
        """Deadlines by ``(rule_id, status)``, summed over LAs (and over dates, if many)."""
        out: Counter[tuple[str, str]] = Counter()
        for (_, _, rule_id, status), n in self.groups.items():
            out[(rule_id, status)] += n
        return out

    @property
    def dates(self) -> list[date]:
        """The evaluation dates counted, in order."""
        return sorted({key[0] for key in self.groups})

    def by(self, *fields: str) -> Counter[tuple[Any, ...]]:
        """Deadlines counted by some of :data:`GROUP_FIELDS`, e.g. ``by("as_of", "status")``.

        ```python
        >>> from datetime import date
        >>> t = Tally(groups=Counter({(date(2026, 1, 31), "201", "assessment.decision", "met"): 2,
        ...                           (date(2026, 1, 31), "202", "assessment.decision", "met"): 1}))
        >>> t.by("rule_id", "status")
        Counter({('assessment.decision', 'met'): 3})

        ```

        Raises:
            InvalidArgument: a field that is not one of :data:`GROUP_FIELDS`.
        """
        unknown = [f for f in fields if f not in GROUP_FIELDS]
        if unknown or not fields:
            raise InvalidArgument(
                f"Tally.by: give one or more of {', '.join(GROUP_FIELDS)}"
                + (f" (not {', '.join(map(repr, unknown))})" if unknown else ""))
        index = [GROUP_FIELDS.index(f) for f in fields]
        out: Counter[tuple[Any, ...]] = Counter()
        for key, n in self.groups.items():
            out[tuple(key[i] for i in index)] += n
        return out

    def rows(self) -> list[dict[str, Any]]:
        """One row per group: ``as_of``, ``la``, ``rule_id``, ``status``, ``deadlines``, sorted."""
        def order(key: tuple[date, str | None, str, str]) -> tuple[Any, ...]:
            return (key[0], key[1] is None, key[1] or "", key[2], key[3])

        return [dict(zip(GROUP_FIELDS, key, strict=True), deadlines=self.groups[key])
                for key in sorted(self.groups, key=order)]

    def to_pandas(self) -> Any:
        """The :meth:`rows` as a ``pandas.DataFrame`` (extra ``dataframes``).

        Raises:
            MissingExtra: pandas is not installed.
        """
        try:
            import pandas as pd
        except ImportError:
            raise MissingExtra("Tally.to_pandas", "dataframes") from None
        columns = [*GROUP_FIELDS, "deadlines"]
        frame = pd.DataFrame(self.rows(), columns=columns)
        frame["as_of"] = pd.to_datetime(frame["as_of"])
        return frame

    def to_parquet(self, path: str | os.PathLike[str]) -> None:
        """Write the :meth:`rows` to a Parquet file (extra ``dataframes``, and pyarrow).

        Raises:
            MissingExtra: pandas or a Parquet engine (pyarrow) is not installed.
        """
        frame = self.to_pandas()
        try:
            frame.to_parquet(path, index=False)
        except ImportError:
            raise MissingExtra("Tally.to_parquet", "dataframes") from None


def empty_tally() -> Tally:
    """A tally with nothing counted (the fold's starting value)."""
    return Tally()


def combine_tallies(a: Tally, b: Tally) -> Tally:
    """Add two partial tallies.

    ```python
    >>> combine_tallies(Tally(cases=2), Tally(cases=3, invalid=1))
    Tally(cases=5, invalid=1, groups=Counter())

    ```
    """
    return a + b


def _dates(as_of: date | Iterable[date]) -> tuple[date, ...]:
    from datetime import datetime

    if isinstance(as_of, date) and not isinstance(as_of, datetime):
        return (as_of,)
    if isinstance(as_of, (str, bytes, datetime)) or not isinstance(as_of, Iterable):
        raise InvalidArgument("as_of: give a date or a sequence of dates")
    dates = tuple(as_of)
    if not dates or not all(type(d) is date for d in dates):
        raise InvalidArgument("as_of: give a date or a non-empty sequence of dates")
    return dates


def _la(case: Case) -> str | None:
    if case.responsible_la is not None:
        return str(case.responsible_la)
    if case.child is not None and case.child.responsible_la is not None:
        return str(case.child.responsible_la)
    return None


def _count(case: Case, dates: tuple[date, ...], tally: Tally) -> None:
    """Evaluate one case on every date; count it, or count it invalid (nothing half-counted)."""
    from sendflow.compliance import evaluate

    try:
        reports = [evaluate(case, as_of=on) for on in dates]
    except Exception:  # one case the engine cannot evaluate never stops a caseload
        tally.invalid += 1
        return
    la = _la(case)
    groups = tally.groups
    for report in reports:
        on = report.as_of
        for d in report.deadlines:
            groups[(on, la, d.rule_id, d.status.value)] += 1
    tally.cases += 1


def tally_cases(cases: Iterable[Case], *, as_of: date | Iterable[date]) -> Tally:
    """Evaluate cases already read, in this process, on one date or several.

    ```python
    >>> from datetime import date
    >>> from sendflow import Case
    >>> case = Case.model_validate({"responsible_la": "201", "events": [
    ...     {"type": "request_received", "on": "2026-01-05", "made_by": "parent"}]})
    >>> t = tally_cases([case], as_of=[date(2026, 1, 31), date(2026, 3, 1)])
    >>> t.by("as_of", "status")[(date(2026, 3, 1), "overdue")]
    1

    ```

    Raises:
        InvalidArgument: ``as_of`` is not a date or a non-empty sequence of dates.
    """
    dates = _dates(as_of)
    tally = Tally()
    for case in cases:
        _count(case, dates, tally)
    return tally


def _cases(lines: Iterable[str], tally: Tally) -> Iterator[Case]:
    from sendflow._cliio import no_duplicate_keys
    from sendflow.case import Case

    for line in lines:
        if not line.strip():
            continue
        # As check reads a file: a UTF-8 byte-order mark before the first line is
        # dropped, and a duplicate key is an invalid line, not last-wins (issue 17).
        line = line.removeprefix("\ufeff")
        try:
            case = Case.model_validate_json(line)
        except Exception:  # ValidationError, SendflowError, or anything else: counted
            tally.invalid += 1
            continue
        if no_duplicate_keys(line) is not None:
            tally.invalid += 1
            continue
        yield case


def tally_partition(lines: Iterable[str], *, as_of: date | Iterable[date]) -> list[Tally]:
    """Evaluate one partition's JSON lines; return its tally (as a one-item list for Dask).

    ```python
    >>> from datetime import date
    >>> line = '{"events": [{"type": "request_received", "on": "2026-01-05", "made_by": "parent"}]}'
    >>> late = '{"events": [{"type": "request_received", "on": "9999-12-31", "made_by": "parent"}]}'
    >>> dates = [date(2026, 3, 1), date(9999, 12, 31)]
    >>> t = tally_partition([line, "not json", late], as_of=dates)[0]
    >>> t.cases, t.invalid, t.by("as_of", "rule_id", "status")[
    ...     (date(2026, 3, 1), "assessment.decision", "overdue")]
    (1, 2, 1)

    ```
    """
    dates = _dates(as_of)
    tally = Tally()
    for case in _cases(lines, tally):
        _count(case, dates, tally)
    return [tally]


def _timeliness_partition(lines: Iterable[str], *, years: tuple[int, ...]) -> list[Any]:
    """One partition's Week-20 figures for each of ``years``, each case read once."""
    from sendflow.sen2 import Timeliness
    from sendflow.sen2._timeliness import _from_case

    results = {year: Timeliness(year=year) for year in years}
    for case in _cases(lines, Tally()):
        for year in years:
            _from_case(results[year], case, year)
    return [results]


def _merge_years(a: dict[int, Any], b: dict[int, Any]) -> dict[int, Any]:
    from sendflow.sen2 import Timeliness

    return {year: Timeliness.merge(a[year], b[year]) for year in a}


def _years(year: int | None, years: Iterable[int] | None) -> tuple[int, ...]:
    if (year is None) == (years is None):
        raise InvalidArgument("timeliness: give either year or years, not both or neither")
    chosen = (year,) if year is not None else tuple(years or ())
    if not chosen:
        raise InvalidArgument("timeliness: years must name at least one year")
    for y in chosen:
        if isinstance(y, bool) or not isinstance(y, int) or not 2014 <= y <= 2100:
            raise InvalidArgument("timeliness: each year must be a whole number from 2014 "
                                  "to 2100")
    if len(set(chosen)) != len(chosen):
        raise InvalidArgument("timeliness: years must not repeat a year")
    return chosen


def _available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _workers(scheduler: Any) -> int:
    """Worker slots: the cluster's threads if a distributed client is in use, else the CPUs."""
    client = scheduler if hasattr(scheduler, "scheduler_info") else None
    if client is None and scheduler is None:
        try:
            from distributed import default_client

            client = default_client()  # type: ignore[no-untyped-call]
        except (ImportError, ValueError):
            client = None
    if client is not None:
        try:
            info = client.scheduler_info()
            threads = sum(int(w.get("nthreads", 1)) for w in info["workers"].values())
            return max(1, threads)
        except Exception:
            return _available_cpus()
    return _available_cpus()


def partition_size(paths: str | Sequence[str], *, workers: int, per_worker: int = 4) -> int:
    """The partition size (bytes) that gives each worker about ``per_worker`` partitions.

    The local files matching ``paths`` are measured; the size is clamped to
    256 KiB - 64 MiB (64 MiB when the files cannot be measured, as for remote URLs).

    ```python
    >>> partition_size([], workers=2)
    262144

    ```

    Raises:
        InvalidArgument: ``workers`` or ``per_worker`` is not a positive whole number.
    """
    for name, value in (("workers", workers), ("per_worker", per_worker)):
        if type(value) is not int or value < 1:
            raise InvalidArgument(f"partition_size: {name} must be a positive whole number")
    patterns = [paths] if isinstance(paths, str) else list(paths)
    total = 0
    for pattern in patterns:
        if "://" in pattern:
            return MAX_PARTITION
        for name in glob.glob(pattern) or [pattern]:
            try:
                total += Path(name).stat().st_size
            except OSError:
                continue
    target = math.ceil(total / (workers * per_worker)) if total else 0
    return min(MAX_PARTITION, max(MIN_PARTITION, target))


def _check_not_bootstrapping() -> None:
    """Refuse to start workers from inside a worker that is still starting.

    A spawned worker re-runs the calling script (as ``__mp_main__``) while
    ``multiprocessing`` marks the process as inheriting its parent's state; a call made
    then comes from a script without a ``__main__`` guard.
    """
    process = sys.modules.get("multiprocessing.process")
    inheriting = process is not None and getattr(process.current_process(), "_inheriting",
                                                 False)
    main = sys.modules.get("__main__")
    if inheriting or getattr(main, "__name__", None) == "__mp_main__":
        raise InvalidArgument(_GUARD)


_GUARD = ("sendflow.distributed was called while a worker process was starting: in a "
          "script, call it only under `if __name__ == \"__main__\":` (see the module's docs)")

#: The local schedulers Dask names (``scheduler=`` may also be a ``dask.distributed.Client``).
SCHEDULERS = ("processes", "multiprocessing", "threads", "threading", "synchronous", "sync",
              "single-threaded")

#: Smallest partition a caller may choose (bytes): smaller ones cost more to schedule
#: than they take to evaluate, and one of a few bytes would hold no whole line.
MIN_BLOCKSIZE = 4096


def _is_client(scheduler: Any) -> bool:
    return hasattr(scheduler, "compute") and hasattr(scheduler, "scheduler_info")


def _check_scheduler(scheduler: Any) -> None:
    if scheduler is None or _is_client(scheduler):
        return
    if not isinstance(scheduler, str) or scheduler not in SCHEDULERS:
        raise InvalidArgument("scheduler: give None, a dask.distributed Client or one of "
                              + ", ".join(SCHEDULERS))


def _blocksize(blocksize: object) -> int | str | None:
    """``"auto"``, None, or a whole number of bytes of at least :data:`MIN_BLOCKSIZE`."""
    if blocksize is None or blocksize == "auto":
        return blocksize
    value: object = blocksize
    if isinstance(blocksize, str):
        from dask.utils import parse_bytes

        try:
            value = parse_bytes(blocksize)
        except (ValueError, TypeError):
            value = None
    if type(value) is not int or value < MIN_BLOCKSIZE:
        raise InvalidArgument(
            f"blocksize: give \"auto\", None, or a whole number of bytes (or a size such "
            f"as \"32MiB\") of at least {MIN_BLOCKSIZE}")
    return value


def _paths(paths: object) -> list[str]:
    """The path patterns as strings; each local pattern must match a file."""
    items = [paths] if isinstance(paths, (str, os.PathLike)) else paths
    if not isinstance(items, Iterable) or isinstance(items, bytes):
        raise InvalidArgument("paths: give a path, a glob or a list of them")
    out: list[str] = []
    for item in items:
        if not isinstance(item, (str, os.PathLike)):
            raise InvalidArgument("paths: give a path, a glob or a list of them")
        text = os.fspath(item)
        if not isinstance(text, str):
            raise InvalidArgument("paths: give a path, a glob or a list of them")
        if "://" not in text and not glob.glob(text):
            raise InvalidArgument(f"paths: no file matches {text!r}")
        out.append(text)
    if not out:
        raise InvalidArgument("paths: give at least one path or glob")
    return out


def _bag(paths: _Paths, blocksize: int | str | None, scheduler: Any) -> Any:
    try:
        import dask.bag as db
    except ImportError:
        raise MissingExtra("sendflow.distributed", "distributed") from None
    _check_not_bootstrapping()
    _check_scheduler(scheduler)
    chosen = _paths(paths)
    size = _blocksize(blocksize)
    if size == "auto":
        size = partition_size(chosen, workers=_workers(scheduler))
    read_text: Any = db.read_text
    try:
        return read_text(chosen, blocksize=size)
    except OSError as exc:  # a remote store that cannot be listed or read
        raise InvalidArgument(f"paths: cannot read them ({type(exc).__name__})") from None


def _compute(collection: Any, scheduler: Any) -> Any:
    if _is_client(scheduler):
        return scheduler.compute(collection).result()
    if scheduler in ("processes", "multiprocessing"):
        from concurrent.futures.process import BrokenProcessPool

        try:
            # one task per worker process at a time: Dask's default hands out six at once
            return collection.compute(scheduler=scheduler, chunksize=1)
        except BrokenProcessPool:
            raise SendflowError(
                "sendflow.distributed: a worker process stopped before it finished. In a "
                "script, call sendflow.distributed only under `if __name__ == "
                "\"__main__\":` (each worker re-runs the script as it starts); with the "
                "guard, a worker may have run out of memory: give a smaller blocksize (see "
                "the module's docs on memory per worker)") from None
    return collection.compute(scheduler=scheduler)


def status_counts(
    paths: _Paths,
    *,
    as_of: date | Iterable[date],
    scheduler: Any = None,
    blocksize: int | str | None = "auto",
) -> Tally:
    """Evaluate every case in JSON Lines ``paths`` (globs allowed) across Dask workers.

    Args:
        paths: file path(s) or glob(s) of JSON Lines, one case per line (each local
            one must match a file); on a cluster,
            paths every worker can read (a shared file system, or ``s3://...`` and the like).
        as_of: the evaluation date, or several: each case is read once and evaluated
            on each date.
        scheduler: ``"processes"`` (one process per CPU), ``"threads"``,
            ``"synchronous"``, a ``dask.distributed.Client``, or None for an active
            client (else Dask's default, threads).
        blocksize: bytes per partition (a whole number, at least :data:`MIN_BLOCKSIZE`, or
            a size such as ``"32MiB"``); ``"auto"`` (default) chooses about four
            partitions per worker (:func:`partition_size`); None gives one partition per
            file.

    Raises:
        MissingExtra: dask is not installed (``pip install 'sendflow[distributed]'``).
        InvalidArgument: ``as_of`` is not a date or dates; ``paths`` is not a path, glob
            or list of them, or a local one matches no file; ``blocksize`` is not
            ``"auto"``, None or at least :data:`MIN_BLOCKSIZE` bytes; ``scheduler`` is not
            one of :data:`SCHEDULERS`, a client or None; or the call was made while a
            worker process was starting (in a worker re-running a script that has no
            ``__main__`` guard).
        SendflowError: with ``scheduler="processes"``, a worker process stopped before it
            finished (the calling script has no ``__main__`` guard, or a worker ran out of
            memory); the message says which to check.
    """
    dates = _dates(as_of)
    bag = _bag(paths, blocksize, scheduler)
    total = bag.map_partitions(tally_partition, as_of=dates).fold(
        combine_tallies, initial=empty_tally())
    result: Tally = _compute(total, scheduler)
    return result


def timeliness(
    paths: _Paths,
    *,
    year: int | None = None,
    years: Iterable[int] | None = None,
    scheduler: Any = None,
    blocksize: int | str | None = "auto",
) -> Any:
    """:func:`sendflow.sen2.timeliness` over JSON Lines partitions, merged.

    Give ``year`` for one year's figures: a :class:`sendflow.sen2.Timeliness` equal to the
    single-process result. Give ``years`` (several calendar years) to read every case once
    and get a ``dict`` from each year to its :class:`~sendflow.sen2.Timeliness`, each equal
    to a one-year run. Other arguments as for :func:`status_counts`.

    Raises:
        MissingExtra: dask is not installed.
        InvalidArgument: both or neither of ``year`` and ``years``, an empty ``years``, a
            repeated year, or a year outside 2014-2100.
        InvalidArgument, SendflowError: as for :func:`status_counts`.
    """
    chosen = _years(year, years)
    from sendflow.sen2 import Timeliness

    bag = _bag(paths, blocksize, scheduler)
    partials = bag.map_partitions(_timeliness_partition, years=chosen)
    initial = {y: Timeliness(year=y) for y in chosen}
    merged: dict[int, Any] = _compute(partials.fold(_merge_years, initial=initial), scheduler)
    return merged[chosen[0]] if year is not None else merged
