"""Prices many courses through the Python batch API and prints courses per second next to
the Rust figure for the same course (three phases over 13 months, a year boundary, PL
indexation, monthly invoices and the flat-tariff comparison): from pandas with one phase
list shared by every row, with each row its own list (also with the start dates as a
datetime64 column), and from polars (Arrow list<struct>).

Each table is timed on one thread (``parallel=False``: the binding's cost per core, which
the ratio to the single-threaded Rust ``Pricer`` is about) and as ``price_courses`` runs
by default (``parallel=True``: chunks priced on worker threads, one per core, while the
next is read), whose wall clock is what a user waits and whose CPU time is printed beside it.

    .venv/bin/python py/bench.py            # 1,000,000 courses, 3 rounds
    .venv/bin/python py/bench.py 100000 5   # fewer courses, more rounds
    .venv/bin/python py/bench.py --instructions   # instructions a course (valgrind)

The Rust figure comes from `cargo run --release --example bench -- courses quick`.

On a host whose speed drifts (a shared virtual machine: the Rust figure alone moved
1.4–3.5 µs between runs a few seconds apart), ``--instructions`` gives a figure that does
not drift: the instructions a course costs under valgrind's callgrind, for
``price_courses`` on pandas rows each with its own phase list and on the polars table (the
difference between one call and three on the same table, so that the import and the
table's making cancel out)
and for the Rust ``Pricer`` with the comparison (``bench profile``: 200,000 courses). It
counts work, not time: the Python side's reads of many small objects cost more cache
misses than its instructions say, so the time ratio is the larger on a quiet host.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

import pandas as pd

import takst

ROOT = Path(__file__).resolve().parents[1]


def timed(n: int, price: Callable[[], Any]) -> tuple[float, float]:
    """Microseconds a course, wall clock and the process's CPU time, of the faster of two
    runs."""
    best = min(_once(price) for _ in range(2))
    return best[0] / n * 1e6, best[1] / n * 1e6


def _once(price: Callable[[], Any]) -> tuple[float, float]:
    t, c = time.perf_counter(), time.process_time()
    price()
    return time.perf_counter() - t, time.process_time() - c


def rust_pricer() -> float | None:
    """The Rust `Pricer` with the comparison, µs a course, from the bench example."""
    rust = subprocess.run(
        ["cargo", "run", "--quiet", "--release", "--example", "bench", "--", "courses", "quick"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    ).stdout
    m = re.search(r"with the flat comparison\s+([\d,]+) courses/s \(\s*([\d.]+) µs", rust)
    return float(m.group(2)) if m else None


PROFILE_COURSES = 200_000  # examples/bench.rs, `profile`: the courses it prices

def inputs(n: int) -> tuple[Any, dict[str, Any], Any, Any]:
    """The sheet, the index and two tables of `n` courses (three phases, 13 months from
    15 June 2026): one phase list shared by every row, and each row its own list of its own
    dicts, as a table read from a file or built row by row."""
    sheet = takst.Offer.sample().compute(explain=False).sheet
    assert sheet is not None
    index = {"method": "cumulative", "rates_pct": [{"year": y, "pct": "1.96"} for y in range(2027, 2041)]}
    plan = [{"service": "udredning", "months": 3}, {"service": "udvikling", "months": 5}, {"service": "laengerevarende", "months": 5}]
    shared = pd.DataFrame({"start": [dt.date(2026, 6, 15)] * n, "phases": [plan] * n, "municipality": ["Aarhus"] * n})
    own = shared.assign(phases=[[dict(p) for p in plan] for _ in range(n)])
    return sheet, index, shared, own


def polars_frame(n: int, shared: Any) -> Any:
    """The benchmark's polars table: Arrow `list<struct>` phases (from the shared plan), a
    date32 start and a municipality."""
    import polars as pl
    import pyarrow as pa

    table = pa.table({"start": pa.array([dt.date(2026, 6, 15)] * n, pa.date32()),
                      "phases": pa.array(shared["phases"].tolist()), "municipality": ["Aarhus"] * n})
    return pl.from_arrow(table)


def price_own_rows(rows: int, calls: int, form: str = "pandas") -> None:
    """`--price ROWS CALLS [polars]` (what `--instructions` counts): the table of `rows`
    courses, each row its own phase list (pandas dicts, or polars `list<struct>`), priced
    `calls` times on one thread."""
    sheet, index, shared, own = inputs(rows)
    table = polars_frame(rows, shared) if form == "polars" else own
    takst.price_courses(table.head(100), sheet, index=index, progress=False, parallel=False)
    for _ in range(calls):
        takst.price_courses(table, sheet, index=index, progress=False, parallel=False)


def instructions(command: list[str]) -> int:
    """The instructions `command` executes under valgrind's callgrind (every process it starts)."""
    with tempfile.TemporaryDirectory() as tmp:
        run = subprocess.run(
            ["valgrind", "--tool=callgrind", "--trace-children=yes",
             f"--callgrind-out-file={tmp}/callgrind.%p", *command],
            cwd=ROOT, capture_output=True, text=True, check=True,
        )
    counts = re.findall(r"Collected : (\d+)", run.stderr)
    if not counts:
        raise RuntimeError(f"no count from valgrind: {run.stderr[-500:]}")
    return sum(int(c) for c in counts)


def count_instructions(rows: int) -> None:
    """Prints the instructions a course costs in Python and in Rust, and their ratio."""
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (apt install valgrind): no instruction counts")
        return
    subprocess.run(["cargo", "build", "--quiet", "--release", "--example", "bench"], cwd=ROOT, check=True)
    rust = instructions([str(ROOT / "target/release/examples/bench"), "profile"]) / PROFILE_COURSES
    print("instructions a course (valgrind --tool=callgrind; three phases, 13 months, PL index, the comparison):")
    rust_label = f"Rust Pricer (`bench profile`, {PROFILE_COURSES:,} courses)"
    print(f"  {rust_label:<70} {rust:>9,.0f}")
    forms = {"pandas": "pandas, each row its own phase list"}
    try:
        import polars  # noqa: F401

        forms["polars"] = "polars, list<struct> phases (Arrow)"
    except ImportError:
        pass
    for form, label in forms.items():
        once, thrice = (instructions([sys.executable, __file__, "--price", str(rows), str(c), form]) for c in (1, 3))
        python = (thrice - once) / (2 * rows)
        print(f"  {f'price_courses, {label} ({rows:,} rows)':<70} {python:>9,.0f}   {python / rust:.2f}×")
    print("(the target is ≤ 1.3× in time, per core, for pandas rows each with their own phase list)")


def main() -> None:
    if sys.argv[1:2] == ["--price"]:
        price_own_rows(int(sys.argv[2]), int(sys.argv[3]), *sys.argv[4:5])
        return
    if "--instructions" in sys.argv:
        rest = [a for a in sys.argv[1:] if a != "--instructions"]
        count_instructions(int(rest[0]) if rest else 20_000)
        return
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    sheet, index, shared, own = inputs(n)
    tables: dict[str, Callable[[bool], Any]] = {
        "pandas, one phase list shared by all rows": lambda p: takst.price_courses(shared, sheet, index=index, progress=False, parallel=p),
        "pandas, each row its own phase list": lambda p: takst.price_courses(own, sheet, index=index, progress=False, parallel=p),
    }
    # The same with the start dates as pandas reads them from a file (read_csv's parse_dates,
    # pd.to_datetime): a datetime64 column.
    own64 = own.assign(start=pd.to_datetime(own["start"]))
    tables["pandas, own phase lists, start as datetime64"] = lambda p: takst.price_courses(own64, sheet, index=index, progress=False, parallel=p)
    try:
        frame = polars_frame(n, shared)
        tables["polars, list<struct> phases (Arrow)"] = lambda p: takst.price_courses(frame, sheet, index=index, progress=False, parallel=p)
    except ImportError:
        pass
    runs: dict[str, Callable[[], Any]] = {}
    for label, price_table in tables.items():
        runs[label] = functools.partial(price_table, False)
        runs[label + " [parallel]"] = functools.partial(price_table, True)
    for price in runs.values():
        price()  # warm up (the first call imports pyarrow)
    print(f"takst {takst.__version__} (Python), {n:,} courses, {rounds} rounds; each round times the Rust")
    print("Pricer (`cargo run --release --example bench -- courses quick`, one thread) and then each")
    print("table on one thread and [parallel] (the default: chunks priced on worker threads, one per")
    print(f"core ({os.cpu_count()} here), while the next is read; wall clock, with the process's CPU time")
    print("beside it); a ratio is taken within its round, so that a host that drifts moves both sides")
    ratios: dict[str, list[float]] = {label: [] for label in runs}
    for r in range(rounds):
        rust_us = rust_pricer()
        if rust_us is None:
            print("the Rust figure could not be read from the bench example")
            return
        print(f"round {r + 1}: Rust Pricer with the comparison {rust_us:.2f} µs a course")
        for label, price in runs.items():
            us, cpu = timed(n, price)
            ratios[label].append(us / rust_us)
            print(f"  {label:<55} {us:6.2f} µs a course ({1e6 / us:>9,.0f} courses/s)  {us / rust_us:.2f}×"
                  f"   CPU {cpu:5.2f} µs")
    for label, rs in ratios.items():
        rs = sorted(rs)
        median = rs[len(rs) // 2]
        if "own phase list" in label and "datetime64" not in label:
            aim = ("   (target ≤ 1.3×, per core)" if "[parallel]" not in label
                   else "   (wall clock, every core)")
        else:
            aim = ""
        print(f"Python/Rust, {label:<55} median {median:.2f}× (range {rs[0]:.2f}–{rs[-1]:.2f}){aim}")

if __name__ == "__main__":
    main()
