"""The Dask recipe gives exactly the single-process results, on any partitioning."""

from __future__ import annotations

import builtins
import json
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sendflow import Case, InvalidArgument, MissingExtra, evaluate, sen2
from sendflow import distributed as dist
from sendflow.synth import synthesise

pytest.importorskip("dask.bag")

AS_OF = date(2026, 1, 15)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    folder = tmp_path_factory.mktemp("caseload")
    data = list(synthesise(600, seed=5))
    for part in range(3):
        lines = [json.dumps(c) for c in data[part::3]]
        if part == 1:
            lines.append('{"events": "not a list"}')  # one bad line, counted not fatal
        (folder / f"la{part}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder, data


def _expected(data: list[dict[str, Any]]) -> Counter[tuple[str, str]]:
    out: Counter[tuple[str, str]] = Counter()
    for c in data:
        for d in evaluate(Case.model_validate(c), as_of=AS_OF).deadlines:
            out[(d.rule_id, d.status.value)] += 1
    return out


@pytest.mark.parametrize(("scheduler", "blocksize"),
                         [("synchronous", None), ("threads", 20_000)])
def test_status_counts_match_a_single_process(
    files: tuple[Path, list[dict[str, Any]]], scheduler: str, blocksize: int | None
) -> None:
    folder, data = files
    tally = dist.status_counts(str(folder / "*.jsonl"), as_of=AS_OF, scheduler=scheduler,
                               blocksize=blocksize)
    assert tally.cases == len(data)
    assert tally.invalid == 1
    assert tally.statuses == _expected(data)


def test_timeliness_matches_a_single_process(files: tuple[Path, list[dict[str, Any]]]) -> None:
    folder, data = files
    merged = dist.timeliness(str(folder / "*.jsonl"), year=2025, scheduler="synchronous",
                             blocksize=15_000)
    single = sen2.timeliness([Case.model_validate(c) for c in data], year=2025)
    assert merged.plans_issued > 0
    assert merged.as_dict() == single.as_dict()
    assert {k: v.as_dict() for k, v in merged.by_la.items()} == {
        k: v.as_dict() for k, v in single.by_la.items()}
    assert list(merged.by_month) == sorted(single.by_month)


def test_without_dask_the_extra_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_dask(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("dask"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_dask)
    with pytest.raises(MissingExtra, match="distributed"):
        dist.status_counts("nothing.jsonl", as_of=AS_OF)


AS_OF_2 = date(2026, 7, 31)


def _expected_groups(data: list[dict[str, Any]],
                     dates: tuple[date, ...]) -> Counter[tuple[date, str | None, str, str]]:
    out: Counter[tuple[date, str | None, str, str]] = Counter()
    for c in data:
        case = Case.model_validate(c)
        la = case.responsible_la or (case.child.responsible_la if case.child else None)
        for on in dates:
            for d in evaluate(case, as_of=on).deadlines:
                out[(on, None if la is None else str(la), d.rule_id, d.status.value)] += 1
    return out


@pytest.mark.filterwarnings("ignore:Port .* is already in use:UserWarning")
def test_a_real_process_cluster_gives_the_single_process_counts(
    files: tuple[Path, list[dict[str, Any]]]
) -> None:
    """Two worker processes (dask.distributed), many partitions, two dates: both workers
    take part and the totals are exactly the single-process ones."""
    distributed = pytest.importorskip("distributed")
    import logging

    import dask

    folder, data = files
    with dask.config.set({"distributed.scheduler.worker-saturation": 1.0}), \
            distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                     dashboard_address=":0", scheduler_port=0,
                                     silence_logs=logging.ERROR) as cluster, \
            distributed.Client(cluster) as client, \
            distributed.get_task_stream(client) as stream:
        tally = dist.status_counts(str(folder / "*.jsonl"), as_of=[AS_OF, AS_OF_2],
                                   scheduler=client, blocksize=25_000)
    assert tally.cases == len(data)
    assert tally.invalid == 1
    assert tally.groups == _expected_groups(data, (AS_OF, AS_OF_2))
    assert tally.dates == [AS_OF, AS_OF_2]
    partitions = [t for t in stream.data if "tally_partition" in str(t["key"])]
    assert len(partitions) >= 6
    assert len({t["worker"] for t in partitions}) == 2  # both workers evaluated cases


GUARDED_SCRIPT = """
import sys
from datetime import date

from sendflow.distributed import status_counts

if __name__ == "__main__":
    tally = status_counts(sys.argv[1], as_of=date(2026, 1, 15), scheduler="processes",
                          blocksize=40_000)
    print(tally.cases, tally.invalid, sum(tally.statuses.values()))
"""


def test_a_guarded_script_runs_on_worker_processes(
    files: tuple[Path, list[dict[str, Any]]], tmp_path: Path
) -> None:
    """The recipe as a user runs it: a script with a ``__main__`` guard, spawned workers."""
    import os
    import subprocess
    import sys

    folder, data = files
    script = tmp_path / "count.py"
    script.write_text(GUARDED_SCRIPT, encoding="utf-8")
    env = dict(os.environ, DASK_NUM_WORKERS="2")
    done = subprocess.run([sys.executable, str(script), str(folder / "*.jsonl")],
                          capture_output=True, text=True, timeout=120, env=env, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    expected = sum(_expected(data).values())
    assert done.stdout.split() == [str(len(data)), "1", str(expected)]


def test_without_a_main_guard_the_call_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """While a spawned worker re-imports an unguarded script, starting workers is refused."""
    import sys
    import types

    monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__mp_main__"))
    with pytest.raises(InvalidArgument, match="__main__"):
        dist.status_counts("nothing.jsonl", as_of=AS_OF, scheduler="processes")


UNGUARDED_SCRIPT = """
import sys
from datetime import date

from sendflow.distributed import status_counts

tally = status_counts(sys.argv[1], as_of=date(2026, 1, 15), scheduler="processes")
print("counted", tally.cases)
"""


def test_an_unguarded_script_fails_with_an_error_naming_the_guard(
    files: tuple[Path, list[dict[str, Any]]], tmp_path: Path
) -> None:
    """Issue 19: a script with no ``__main__`` guard, run for real. Each spawned worker,
    re-running the script, is refused with InvalidArgument; the script's own call then
    fails with a SendflowError naming the guard, not a bare BrokenProcessPool."""
    import os
    import subprocess
    import sys

    folder, _ = files
    script = tmp_path / "unguarded.py"
    script.write_text(UNGUARDED_SCRIPT, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script), str(folder / "la0.jsonl")],
                          capture_output=True, text=True, timeout=120, check=False,
                          env=dict(os.environ, DASK_NUM_WORKERS="2"))
    assert done.returncode == 1
    assert "counted" not in done.stdout
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("sendflow.errors.SendflowError: sendflow.distributed: a worker")
    assert 'if __name__ == "__main__":' in last
    assert "sendflow.errors.InvalidArgument: sendflow.distributed was called while a " \
        "worker process was starting" in done.stderr


def test_a_call_while_a_worker_inherits_its_parent_is_refused(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """What a spawned worker looks like while it re-runs the parent's script."""
    import multiprocessing.process

    monkeypatch.setattr(multiprocessing.process.current_process(), "_inheriting", True,
                        raising=False)
    with pytest.raises(InvalidArgument, match="__main__"):
        dist.timeliness("nothing.jsonl", year=2025, scheduler="processes")


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"blocksize": 0}, "blocksize"), ({"blocksize": -5}, "blocksize"),
    ({"blocksize": True}, "blocksize"), ({"blocksize": 1.5}, "blocksize"),
    ({"blocksize": "big"}, "blocksize"), ({"blocksize": 4095}, "at least 4096"),
    ({"blocksize": "1KiB"}, "blocksize"),
    ({"scheduler": "bogus"}, "scheduler"), ({"scheduler": 3}, "scheduler"),
    ({"paths": 5}, "paths"), ({"paths": b"x.jsonl"}, "paths"), ({"paths": []}, "paths"),
    ({"paths": ["GOOD", 5]}, "paths"), ({"paths": "nowhere/*.jsonl"}, "no file matches"),
    ({"paths": ["GOOD", "nowhere.jsonl"]}, "nowhere.jsonl"),
])
def test_unusable_arguments_are_refused_before_any_work(
    files: tuple[Path, list[dict[str, Any]]], kwargs: dict[str, Any], match: str
) -> None:
    """A negative or one-byte blocksize used to hang, no matching file or an unknown
    scheduler raised Dask's own errors: each is now an InvalidArgument naming the argument."""
    folder, _ = files
    good = str(folder / "la0.jsonl")
    args: dict[str, Any] = {"scheduler": "synchronous", **kwargs}
    paths = args.pop("paths", good)
    if isinstance(paths, list):
        paths = [good if p == "GOOD" else p for p in paths]
    with pytest.raises(InvalidArgument, match=match):
        dist.status_counts(paths, as_of=AS_OF, **args)
    with pytest.raises(InvalidArgument, match=match):
        dist.timeliness(paths, year=2025, **args)


def test_sizes_and_path_objects_are_accepted(files: tuple[Path, list[dict[str, Any]]]) -> None:
    folder, data = files
    by_name = dist.status_counts([folder / "la0.jsonl", str(folder / "la2.jsonl")],
                                 as_of=AS_OF, scheduler="synchronous", blocksize="8KiB")
    assert by_name.cases == len(data[0::3]) + len(data[2::3])
    assert by_name.invalid == 0


def test_one_case_beyond_the_calendar_is_one_invalid_line(tmp_path: Path) -> None:
    """Issue 17: a case dated 9999-12-31 is counted invalid; the rest are still counted."""
    good = '{"events": [{"type": "request_received", "on": "2026-01-05", "made_by": "parent"}]}'
    late = '{"events": [{"type": "request_received", "on": "9999-12-31", "made_by": "parent"}]}'
    path = tmp_path / "edge.jsonl"
    path.write_text("\n".join([good, late, good]) + "\n", encoding="utf-8")
    tally = dist.status_counts(str(path), as_of=date(9999, 12, 31), scheduler="synchronous")
    assert (tally.cases, tally.invalid) == (2, 1)
    assert tally.statuses[("assessment.decision", "overdue")] == 2


def test_partition_size_gives_every_worker_several(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    path.write_bytes(b"x" * (40 * 1024 * 1024))
    assert dist.partition_size(str(path), workers=2) == 5 * 1024 * 1024
    assert dist.partition_size(str(path), workers=64) == dist.MIN_PARTITION
    assert dist.partition_size("s3://bucket/*.jsonl", workers=2) == dist.MAX_PARTITION
    with pytest.raises(InvalidArgument, match="workers"):
        dist.partition_size(str(path), workers=True)


def test_grouped_totals_and_dataframe(files: tuple[Path, list[dict[str, Any]]],
                                      tmp_path: Path) -> None:
    _, data = files
    cases = [Case.model_validate(c) for c in data]
    tally = dist.tally_cases(cases, as_of=[AS_OF, AS_OF_2])
    assert tally.groups == _expected_groups(data, (AS_OF, AS_OF_2))
    by_date = tally.by("as_of")
    assert set(by_date) == {(AS_OF,), (AS_OF_2,)}
    assert sum(by_date.values()) == sum(tally.groups.values())
    rows = tally.rows()
    assert sum(r["deadlines"] for r in rows) == sum(tally.groups.values())
    assert list(rows[0]) == ["as_of", "la", "rule_id", "status", "deadlines"]
    with pytest.raises(InvalidArgument, match="as_of, la, rule_id, status"):
        tally.by("colour")
    pd = pytest.importorskip("pandas")
    frame = tally.to_pandas()
    assert int(frame["deadlines"].sum()) == sum(tally.groups.values())
    assert frame["as_of"].dtype.kind == "M"
    pytest.importorskip("pyarrow")
    target = tmp_path / "totals.parquet"
    tally.to_parquet(target)
    back = pd.read_parquet(target)
    assert back.to_dict("records") == frame.to_dict("records")


def test_runs_where_the_main_module_has_no_file_as_in_a_notebook(
    files: tuple[Path, list[dict[str, Any]]]
) -> None:
    """A notebook's ``__main__`` has no file for spawned workers to re-import, as with
    ``python -c``: no guard is needed there."""
    import os
    import subprocess
    import sys

    folder, data = files
    code = ("from datetime import date; from sendflow.distributed import status_counts; "
            f"t = status_counts({str(folder / '*.jsonl')!r}, as_of=date(2026, 1, 15), "
            "scheduler='processes', blocksize=60_000); print(t.cases, t.invalid)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, env=dict(os.environ, DASK_NUM_WORKERS="2"), check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == [str(len(data)), "1"]


def test_timeliness_of_several_years_equals_each_year_alone(
        files: tuple[Path, list[dict[str, Any]]]) -> None:
    folder, data = files
    many = dist.timeliness(str(folder / "*.jsonl"), years=[2024, 2025], scheduler="synchronous",
                           blocksize=15_000)
    assert sorted(many) == [2024, 2025]
    cases = [Case.model_validate(c) for c in data]
    for year in (2024, 2025):
        single = sen2.timeliness(cases, year=year)
        assert many[year].year == year
        assert many[year].as_dict() == single.as_dict()
        assert {k: v.as_dict() for k, v in many[year].by_need_type.items()} == {
            k: v.as_dict() for k, v in single.by_need_type.items()}
    assert many[2025].plans_issued > 0


@pytest.mark.parametrize("kwargs", [
    {}, {"year": 2025, "years": [2025]}, {"years": []}, {"years": [2025, 2025]},
    {"years": [2013]}, {"year": True},
])
def test_timeliness_refuses_unclear_years(files: tuple[Path, list[dict[str, Any]]],
                                          kwargs: dict[str, Any]) -> None:
    folder, _ = files
    with pytest.raises(InvalidArgument, match="timeliness: "):
        dist.timeliness(str(folder / "*.jsonl"), scheduler="synchronous", **kwargs)
