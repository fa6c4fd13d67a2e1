"""Scale-out without a home-made engine: the batch is Arrow in, Arrow out, so it runs
unchanged in Dask's map_partitions; a caseload priced on a 2-worker LocalCluster has the
same totals as one process (issue 16 §3)."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

import pandas as pd
import pytest

import takst

INDEX = {"rates_pct": [{"year": y, "pct": "1.96"} for y in range(2027, 2031)]}
PLANS = [
    [{"service": "udredning", "months": 3}, {"service": "udvikling", "months": 5}, {"service": "laengerevarende", "months": 5}],
    [{"service": "udvikling", "months": 8}],
    [{"service": "udredning", "months": 2}, {"service": "laengerevarende", "days": 200}],
]
MUNICIPALITIES = ["Aarhus", "Skive", "Randers", "Viborg", "Silkeborg", "Horsens"]


def caseload(n: int) -> pd.DataFrame:
    return pd.DataFrame({
        "id": [f"borger-{i}" for i in range(n)],
        "municipality": [MUNICIPALITIES[i % 6] for i in range(n)],
        "start": [dt.date(2026, 1, 1) + dt.timedelta(days=(7 * i) % 700) for i in range(n)],
        "phases": [PLANS[i % 3] for i in range(n)],
    })


def test_dask_localcluster_prices_like_one_process(sheet: takst.TariffSheet) -> None:
    dask = pytest.importorskip("dask")
    dd = pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    n = 4000
    df = caseload(n)
    one = takst.price_courses(df, sheet, index=INDEX, progress=False)
    expected = {m: sum(g, Decimal(0)) for m, g in one.groupby("municipality")["total"]}
    meta = one.iloc[:0]
    started = time.perf_counter()
    # Lists of phases stay Python objects (not text) in the partitions.
    with dask.config.set({"dataframe.convert-string": False}):
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                      dashboard_address=None, silence_logs=40) as cluster, \
                distributed.Client(cluster, timeout="60s") as client:
            ddf = dd.from_pandas(df, npartitions=8)
            priced = ddf.map_partitions(takst.price_courses, sheet, index=INDEX, progress=False, parallel=False, meta=meta)
            totals = client.compute(priced.groupby("municipality")["total"].sum()).result(timeout=120)
            days = client.compute(priced["days"].sum()).result(timeout=120)
    took = time.perf_counter() - started
    assert {m: Decimal(v) for m, v in totals.items()} == expected
    assert sum(expected.values(), Decimal(0)) == one["total"].sum()
    assert int(days) == int(one["days"].sum())
    print(f"dask LocalCluster (2 workers): {n:,} courses in {took:.2f} s; total {one['total'].sum()} kr")
