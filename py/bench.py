"""Prices many courses through the Python batch API and prints courses per second next to
the Rust figure for the same course (three phases over 13 months, a year boundary, PL
indexation, monthly invoices and the flat-tariff comparison).

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

import pandas as pd

import takst

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    sheet = takst.Offer.sample().compute(explain=False).sheet
    index = {"method": "cumulative", "rates_pct": [{"year": y, "pct": "1.96"} for y in range(2027, 2041)]}
    plan = [{"service": "udredning", "months": 3}, {"service": "udvikling", "months": 5}, {"service": "laengerevarende", "months": 5}]
    frame = pd.DataFrame({"start": [dt.date(2026, 6, 15)] * n, "phases": [plan] * n, "municipality": ["Aarhus"] * n})
    takst.price_courses(frame.head(1000), sheet, index=index)  # warm up
    t = time.perf_counter()
    out = takst.price_courses(frame, sheet, index=index)
    py = time.perf_counter() - t
    assert len(out) == n
    print(f"takst {takst.__version__} (Python) — one thread")
    print(f"price_courses: {n:,} courses in {py:.2f} s: {n / py:,.0f} courses/s ({py / n * 1e6:.2f} µs each)")
    rust = subprocess.run(
        ["cargo", "run", "--quiet", "--release", "--example", "bench", "--", "courses", "quick"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    ).stdout
    m = re.search(r"\+ flat-tariff comparison:\s*\n\s*([\d,]+) courses/s \(([\d.]+) µs each\)", rust)
    if m:
        rust_us = float(m.group(2))
        print(f"Rust Pricer:   {m.group(1)} courses/s ({rust_us:.2f} µs each) — Python/Rust = {py / n * 1e6 / rust_us:.2f}×  (target ≤ 1.5×)")
    else:
        print("the Rust figure could not be read from the bench example")


if __name__ == "__main__":
    main()
