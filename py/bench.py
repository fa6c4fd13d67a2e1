"""Prices many courses through the Python batch API and prints courses per second next to
the Rust figure for the same course (three phases over 13 months, a year boundary, PL
indexation, monthly invoices and the flat-tariff comparison): from pandas with one phase
list shared by every row, with each row its own list, and from polars (Arrow list<struct>).

    .venv/bin/python py/bench.py            # 1,000,000 courses
    .venv/bin/python py/bench.py 100000     # fewer

The Rust figure comes from `cargo run --release --example bench -- courses quick`.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

import pandas as pd

import takst

ROOT = Path(__file__).resolve().parents[1]


def timed(label: str, n: int, price: Callable[[], Any]) -> float:
    price()  # warm up (the first call imports pyarrow)
    best = min(_once(price) for _ in range(2))
    print(f"{label:<44} {n:>9,} courses in {best:.2f} s: {n / best:>9,.0f} courses/s ({best / n * 1e6:.2f} µs each)")
    return best / n * 1e6


def _once(price: Callable[[], Any]) -> float:
    t = time.perf_counter()
    price()
    return time.perf_counter() - t


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    sheet = takst.Offer.sample().compute(explain=False).sheet
    index = {"method": "cumulative", "rates_pct": [{"year": y, "pct": "1.96"} for y in range(2027, 2041)]}
    plan = [{"service": "udredning", "months": 3}, {"service": "udvikling", "months": 5}, {"service": "laengerevarende", "months": 5}]
    shared = pd.DataFrame({"start": [dt.date(2026, 6, 15)] * n, "phases": [plan] * n, "municipality": ["Aarhus"] * n})
    # Each row its own list of its own dicts, as a table read from a file or built row by row.
    own = shared.assign(phases=[[dict(p) for p in plan] for _ in range(n)])
    print(f"takst {takst.__version__} (Python) — one thread")
    figures = {
        "shared": timed("pandas, one phase list shared by all rows", n,
                        lambda: takst.price_courses(shared, sheet, index=index, progress=False)),
        "per-row": timed("pandas, each row its own phase list", n,
                         lambda: takst.price_courses(own, sheet, index=index, progress=False)),
    }
    try:
        import polars as pl
        import pyarrow as pa

        table = pa.table({"start": pa.array([dt.date(2026, 6, 15)] * n, pa.date32()),
                          "phases": pa.array([plan] * n), "municipality": ["Aarhus"] * n})
        frame = pl.from_arrow(table)
        figures["arrow"] = timed("polars, list<struct> phases (Arrow)", n,
                                 lambda: takst.price_courses(frame, sheet, index=index, progress=False))
    except ImportError:
        pass
    rust = subprocess.run(
        ["cargo", "run", "--quiet", "--release", "--example", "bench", "--", "courses", "quick"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    ).stdout
    m = re.search(r"with the flat comparison\s+([\d,]+) courses/s \(\s*([\d.]+) µs", rust)
    if not m:
        print("the Rust figure could not be read from the bench example")
        return
    rust_us = float(m.group(2))
    print(f"{'Rust Pricer (cargo run --release --example bench)':<44} {m.group(1):>9} courses/s ({rust_us:.2f} µs each)")
    for label, us in figures.items():
        print(f"  Python/Rust, {label:<8} {us / rust_us:.2f}×   (target ≤ 1.3× for per-row lists)")


if __name__ == "__main__":
    main()
