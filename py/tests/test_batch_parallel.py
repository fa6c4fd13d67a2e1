"""A batch priced on a worker thread while the next chunk is read (``parallel=True``, the
default) gives what pricing its chunks one after the other gives: the same figures, errors,
warnings and progress calls, whatever rows fail where, for Python rows and Arrow rows alike.

The tests call the native batch with small chunks, so that a few dozen rows make many."""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import time
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
# Refused by the core's reader (a bool for a whole number; JSON text with true in Arrow too).
UNREAD = [{"service": "udredning", "months": True}]
ROWS = {"good": GOOD, "late": LATE, "float": FLOAT, "unknown": UNKNOWN, "unread": UNREAD}


def _head(**change: Any) -> str:
    return json.dumps({"version": 1, "catalogues": [SHEET], **change})


def _sheet(**change: Any) -> dict[str, Any]:
    return {**copy.deepcopy(SHEET), **change}


# Heads with a problem of the whole request, which every chunk read meets, and where: the index's found
# when pricing (with the courses' `depends_on_error` note beside it) and found reading it, a catalogue's,
# the billing's.
BAD_HEADS = {
    "index.rates_pct[0].pct": _head(index={"rates_pct": [{"year": 2027, "pct": "-200"}]}),
    "index.method": _head(index={"method": "nope"}),
    "catalogues[0].day_basis": _head(catalogues=[_sheet(day_basis=0)]),
    "billing.bogus": _head(billing={"bogus": 1}),
}


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


def run(source: Any, chunk: int, parallel: bool, lines: bool = True, head: str = HEAD) -> tuple[Any, ...]:
    """The batch on one thread, or with three workers whatever the machine's cores (so that a
    runner of one core tests the workers too)."""
    calls: list[tuple[int, int]] = []
    workers = 3 if parallel else None
    batch = _native.price_batch(head, source, lines, lambda d, t: calls.append((d, t)), chunk, parallel, workers)

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


#: The note after 1,000 problems, as one request lists it.
CUT = {"code": "limit_exceeded", "path": "", "message": "the request has more than 1000 problems; the first 1000 are listed",
       "message_da": "Forespørgslen har mere end 1.000 fejl; de første 1.000 er listet."}


def test_the_batch_stops_at_the_same_thousand_errors() -> None:
    """More than 1,000 errors end a batch: the chunk read ahead after them is not reported, and
    the list ends with the note that it is cut, as one request's does."""
    kinds = (["unknown"] * 50 + ["float"] * 50 + ["good"] * 10) * 15
    both(kinds, 50)
    rows = run(columns(kinds), 50, parallel=True)
    errors = json.loads(rows[3])
    assert len(errors) == 1001 and errors[-1] == CUT


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
        names = []
        for p in Path("/proc/self/task").glob("*/comm"):
            try:
                names.append(p.read_text().strip())
            except OSError:  # a thread that ended between the listing and the reading
                pass
        return names

    seen: list[bool] = []
    _native.price_batch(HEAD, columns(["good"] * 20), False, lambda d, t: seen.append("takst-batch" in threads()), 4,
                        True, None if len(os.sched_getaffinity(0)) > 1 else 2)
    assert any(seen)
    # The workers are joined before the batch returns. The kernel may list a joined thread
    # in /proc/self/task a moment longer (the join wakes when the thread clears its id on the
    # way out, before its task is released; CI met it on a loaded host), so it is given that
    # moment, never more than five seconds.
    deadline = time.monotonic() + 5
    while "takst-batch" in threads() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert "takst-batch" not in threads()
    seen.clear()
    _native.price_batch(HEAD, columns(["good"] * 20), False, lambda d, t: seen.append("takst-batch" in threads()), 4, False)
    assert not any(seen)


def _errors(source: Any, chunk: int, parallel: bool = False, head: str = HEAD) -> list[tuple[str, str]]:
    errors = json.loads(run(source, chunk, parallel, lines=False, head=head)[3])
    return [(e["code"], e["path"]) for e in errors]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kinds=st.lists(st.sampled_from(["good", "late", "float", "unknown", "unread"]), min_size=1, max_size=24),
    chunk=st.integers(2, 8),
    bad=st.sampled_from([None, *BAD_HEADS]),
)
def test_the_problems_do_not_depend_on_the_chunks(kinds: list[str], chunk: int, bad: str | None) -> None:
    """Each row's problems are reported whichever chunk it falls in: a row refused before the
    core (a float) no longer keeps the other rows of its chunk from being read and priced for
    theirs (an unknown service). Compared with one row a chunk, which is one by one, and with
    the workers. A problem of the whole request (a bad index, catalogue or billing), which
    every chunk read meets, is reported once, beside the rows' own (when a row reads); so is
    the courses' `depends_on_error` note, left out, as the core leaves it out, once a row
    does not read."""
    head = HEAD if bad is None else BAD_HEADS[bad]
    for source in (lambda: columns(kinds), lambda: arrow(kinds)):
        found = _errors(source(), chunk, head=head)
        assert _errors(source(), chunk, parallel=True, head=head) == found
        # In the same order too: the request's problems first, then each row's (a row refused
        # before the core, by its reader, or when priced) in the order of the rows.
        assert found == _errors(source(), 1, head=head)
        of_the_request = [p for _, p in found if not p.startswith("courses[")]
        assert len(of_the_request) == len(set(of_the_request)), found
        if bad is not None:
            # (Some are found only when a course is priced, so only with a row that reads.)
            assert of_the_request.count(bad) <= 1, found
            if any(k in ("good", "late", "unknown") for k in kinds):
                assert of_the_request.count(bad) == 1, found


def test_a_bad_index_over_many_chunks_is_reported_once() -> None:
    """40 rows in ten chunks of four: the index's problem and the courses' note once each, at
    the paths one request of the same rows gives, in its order, with the workers or without."""
    kinds = ["good"] * 40
    head = BAD_HEADS["index.rates_pct[0].pct"]
    one = json.loads(run(columns(kinds), 40, False, head=head)[3])
    assert [(e["code"], e["path"]) for e in one] == [
        ("out_of_range", "index.rates_pct[0].pct"), ("depends_on_error", "courses")]
    for source in (lambda: columns(kinds), lambda: arrow(kinds)):
        for parallel in (False, True):
            assert json.loads(run(source(), 4, parallel, head=head)[3]) == one
    # Beside rows' own problems, each of which is kept: the row refused by the reader leaves the note out.
    kinds[7], kinds[21], kinds[22] = "float", "unread", "float"
    found = _errors(columns(kinds), 4, head=head)
    assert found == [
        ("out_of_range", "index.rates_pct[0].pct"),
        ("invalid_type", "courses[7].phases[0].months"),
        ("invalid_type", "courses[21].phases[0].months"),
        ("invalid_type", "courses[22].phases[0].months"),
    ]


def test_a_bad_index_in_price_courses_is_one_problem() -> None:
    """Three chunks of 1,024 rows: the problem once, as `price` gives it for one course."""
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(columns(["good"] * 2100))
    sheet = takst.read_sheet(ROOT / "examples" / "published" / "elbaek.json")
    index = {"rates_pct": [{"year": 2027, "pct": "-200"}]}
    with pytest.raises(takst.TakstError) as batch:
        takst.price_courses(df, sheet, index=index, progress=False)
    with pytest.raises(takst.TakstError) as one:
        takst.price(takst.Course(start=dt.date(2026, 1, 1), phases=[takst.Phase(service="udredning", months=3)]),
                    sheet, index=index)
    assert batch.value.errors == one.value.errors
    assert [e.path for e in batch.value.errors] == ["index.rates_pct[0].pct", "courses"]


def test_the_thousand_errors_count_a_problem_of_the_request_once() -> None:
    """A bad index beside 1,500 rows refused before the core: the index's problem once, then
    999 rows' problems, however many chunks met it."""
    kinds = (["float"] * 3 + ["good"]) * 375
    for chunk in (4, 50):
        errors = json.loads(run(columns(kinds), chunk, True, head=BAD_HEADS["index.rates_pct[0].pct"])[3])
        assert len(errors) == 1001 and errors[-1] == CUT
        errors = errors[:-1]
        paths = [e["path"] for e in errors]
        assert paths.count("index.rates_pct[0].pct") == 1
        assert "courses" not in paths  # rows did not read
        assert sum(p.startswith("courses[") for p in paths) == 999


def test_the_note_left_out_takes_no_place_in_the_thousand() -> None:
    """The courses' note, left out once a row does not read, is not counted towards the 1,000
    either: with a row refused before the core in every chunk, the batch stopped at 1,000
    counted with the note and listed 999 (found in review)."""
    kinds = ["float", "good"] * 1100
    for chunk in (2, 4):
        for parallel in (False, True):
            errors = json.loads(run(columns(kinds), chunk, parallel, head=BAD_HEADS["index.rates_pct[0].pct"])[3])
            assert len(errors) == 1001 and errors[-1] == CUT, (chunk, parallel)
            errors = errors[:-1]
            paths = [e["path"] for e in errors]
            assert paths.count("index.rates_pct[0].pct") == 1 and "courses" not in paths


@pytest.mark.parametrize("bad", ["index.method", "catalogues[0].day_basis", "billing.bogus"])
def test_a_bad_head_is_reported_when_no_row_reaches_the_core(bad: str) -> None:
    """Every row refused before the core: the chunks are still read, without courses, for the
    problem of the whole request, which one request of the same rows reports beside its
    courses' reading problems (before, the batch listed the rows' problems alone, and the head's
    only once a row reached the core; found in review)."""
    for kinds in (["float"], ["float"] * 5):
        for source in (lambda: columns(kinds), lambda: arrow(kinds)):
            for chunk in (1, 2, 5):
                for parallel in (False, True):
                    found = _errors(source(), chunk, parallel, head=BAD_HEADS[bad])
                    paths = [p for _, p in found]
                    assert paths.count(bad) == 1, found
                    assert sum(p.startswith("courses[") for p in paths) == len(kinds), found


def test_a_float_beside_an_unknown_service_in_one_chunk() -> None:
    """A row refused before the core (a float), then one the core reads and refuses when it
    prices it, then one it refuses reading: in one chunk, listed in the order of the rows, as
    one row a chunk lists them (the chunk's refusal before the core was listed first, and the
    core's reading problem before its pricing one)."""
    kinds = ["good", "unknown", "float", "unread", "good"]
    for source in (lambda: columns(kinds), lambda: arrow(kinds)):
        found = _errors(source(), 5)
        assert [p.split(".")[0] for _, p in found] == ["courses[1]", "courses[2]", "courses[3]"], found
        assert found[0] == ("unknown_reference", "courses[1].phases[0].service")
        assert found[2] == ("invalid_type", "courses[3].phases[0].months")
        assert _errors(source(), 5, parallel=True) == found == _errors(source(), 1)
