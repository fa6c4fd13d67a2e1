"""A batch priced on a worker thread while the next chunk is read (``parallel=True``, the
default) gives what pricing its chunks one after the other gives: the same figures, errors,
warnings and progress calls, whatever rows fail where, for Python rows and Arrow rows alike.

The tests call the native batch with small chunks, so that a few dozen rows make many."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import takst
from takst import _native

ROOT = Path(__file__).resolve().parents[2]
SHEET = json.loads((ROOT / "examples" / "published" / "elbaek.json").read_text(encoding="utf-8"))
HEAD = json.dumps({"version": 1, "catalogues": [SHEET], "index": {"rates_pct": [{"year": 2027, "pct": "1.96"}]}})

# The kinds of row a batch meets: priced; priced with a warning; refused before the core (a float; in Arrow, phases
# text that is not JSON: the row is left out of its chunk's request, whose other rows are still priced for their
# problems); refused by the core (an unknown service).
GOOD = [{"service": "udredning", "months": 3}, {"service": "udvikling", "months": 5}]
FLOAT = [{"service": "udredning", "months": 1.5}]
UNKNOWN = [{"service": "ukendt", "months": 1}]
# Past 2027, where neither a sheet nor the index reaches: priced with a warning of its own.
LATE = [{"service": "udvikling", "months": 40}]
ROWS = {"good": GOOD, "late": LATE, "float": FLOAT, "unknown": UNKNOWN}


def columns(kinds: list[str]) -> dict[str, list[Any]]:
    n = len(kinds)
    return {
        "id": [f"borger-{i}" for i in range(n)],
        "municipality": ["Aarhus" if i % 2 else "Silkeborg" for i in range(n)],
        "start": [dt.date(2026, 1, 1) + dt.timedelta(days=11 * i) for i in range(n)],
        "phases": [[dict(p) for p in ROWS[k]] for k in kinds],
    }


def arrow(kinds: list[str]) -> pa.Table:
    cols = columns(kinds)
    # Arrow cannot hold 1.5 and 3 in one integer column: the phases go as JSON text, and a float row's as text that
    # does not parse, so that the binding refuses it before the core as it refuses a Python float (JSON text with
    # 1.5 would be the core's reading problem; found in review: the Arrow half of the tests then tested nothing).
    cols["phases"] = ["[{" if k == "float" else json.dumps(p) for k, p in zip(kinds, cols["phases"])]
    return pa.table({**cols, "start": pa.array(cols["start"], pa.date32())})


def run(source: Any, chunk: int, parallel: bool, lines: bool = True) -> tuple[Any, ...]:
    """The batch on one thread, or with three workers whatever the machine's cores (so that a
    runner of one core tests the workers too)."""
    calls: list[tuple[int, int]] = []
    workers = 3 if parallel else None
    batch = _native.price_batch(HEAD, source, lines, lambda d, t: calls.append((d, t)), chunk, parallel, workers)

    def table(t: Any) -> list[dict[str, Any]] | None:
        return None if t is None else pa.table(t).to_pylist()

    return (batch.rows, table(batch.courses), table(batch.lines), batch.errors, batch.warnings,
            batch.row_warnings, calls)


def both(kinds: list[str], chunk: int) -> None:
    for source in (lambda: columns(kinds), lambda: arrow(kinds)):
        one_by_one = run(source(), chunk, parallel=False)
        assert run(source(), chunk, parallel=True) == one_by_one


def test_many_chunks_give_the_same_figures() -> None:
    both(["good"] * 40, 3)


def test_many_chunks_give_the_same_warnings() -> None:
    kinds = ["good", "late", "good"] * 12
    both(kinds, 5)
    row_warnings = json.loads(run(columns(kinds), 5, parallel=True)[5])
    assert sorted(int(r) for r in row_warnings) == list(range(1, 36, 3))


@pytest.mark.parametrize("bad", ["float", "unknown"])
@pytest.mark.parametrize("at", [0, 1, 5, 38, 39])
def test_a_failing_row_anywhere_gives_the_same_errors(bad: str, at: int) -> None:
    kinds = ["good"] * 40
    kinds[at] = bad
    both(kinds, 4)


def test_the_batch_stops_at_the_same_thousand_errors() -> None:
    """1,000 errors end a batch: the chunk read ahead after them is not reported."""
    kinds = (["unknown"] * 50 + ["float"] * 50 + ["good"] * 10) * 15
    both(kinds, 50)
    rows = run(columns(kinds), 50, parallel=True)
    assert len(json.loads(rows[3])) == 1000


def test_an_exception_in_progress_stops_both_alike() -> None:
    for parallel in (False, True):
        calls: list[int] = []

        def progress(done: int, total: int) -> None:
            calls.append(done)
            if len(calls) == 3:
                raise KeyboardInterrupt("stop")

        with pytest.raises(KeyboardInterrupt):
            _native.price_batch(HEAD, columns(["good"] * 30), False, progress, 4, parallel, 3 if parallel else None)
        assert calls == [4, 8, 12]


def test_price_courses_parallel_or_not() -> None:
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(columns(["good"] * 2100))  # three chunks of 1,024 rows
    sheet = takst.read_sheet(ROOT / "examples" / "published" / "elbaek.json")
    a = takst.price_courses(df, sheet, lines=True, progress=False, parallel=False)
    b = takst.price_courses(df, sheet, lines=True, progress=False)
    assert a[0].equals(b[0]) and a[1].equals(b[1])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kinds=st.lists(st.sampled_from(["good", "good", "late", "float", "unknown"]), min_size=1, max_size=30),
    chunk=st.integers(1, 8),
)
def test_any_rows_in_any_chunks(kinds: list[str], chunk: int) -> None:
    both(kinds, chunk)


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux's /proc")
def test_the_worker_thread_runs_and_ends() -> None:
    """The chunks are priced on threads named takst-batch (with a second core by default, or
    when told how many), which are gone when the batch returns; none without `parallel`."""

    def threads() -> list[str]:
        return [p.read_text().strip() for p in Path("/proc/self/task").glob("*/comm")]

    seen: list[bool] = []
    _native.price_batch(HEAD, columns(["good"] * 20), False, lambda d, t: seen.append("takst-batch" in threads()), 4,
                        True, None if len(os.sched_getaffinity(0)) > 1 else 2)
    assert any(seen)
    assert "takst-batch" not in threads()
    seen.clear()
    _native.price_batch(HEAD, columns(["good"] * 20), False, lambda d, t: seen.append("takst-batch" in threads()), 4, False)
    assert not any(seen)


def _found(source: Any, chunk: int) -> list[tuple[str, str]]:
    errors = json.loads(run(source, chunk, parallel=False, lines=False)[3])
    return sorted((e["code"], e["path"]) for e in errors)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kinds=st.lists(st.sampled_from(["good", "late", "float", "unknown"]), min_size=1, max_size=24),
    chunk=st.integers(2, 8),
)
def test_the_problems_do_not_depend_on_the_chunks(kinds: list[str], chunk: int) -> None:
    """Each row's problems are reported whichever chunk it falls in: a row refused before the
    core (a float) no longer keeps the other rows of its chunk from being read and priced for
    theirs (an unknown service). Compared with one row a chunk, which is one by one."""
    for source in (lambda: columns(kinds), lambda: arrow(kinds)):
        assert _found(source(), chunk) == _found(source(), 1)


def test_a_float_beside_an_unknown_service_in_one_chunk() -> None:
    kinds = ["good", "float", "unknown", "good"]
    for source in (lambda: columns(kinds), lambda: arrow(kinds)):
        found = _found(source(), 4)
        assert ("unknown_reference", "courses[2].phases[0].service") in found
        assert [p for _, p in found if p.startswith("courses[1]")], found
        assert not [p for _, p in found if p.startswith(("courses[0]", "courses[3]"))], found
