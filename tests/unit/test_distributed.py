"""The Dask recipe gives exactly the single-process results, on any partitioning."""

from __future__ import annotations

import builtins
import json
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sendflow import Case, MissingExtra, evaluate, sen2
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
