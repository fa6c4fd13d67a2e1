"""Many courses from a DataFrame: the same figures as one by one."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest

import takst

INDEX = {"rates_pct": [{"year": 2027, "pct": "1.96"}]}
PLAN = [{"service": "udredning", "months": 5}, {"service": "udvikling", "months": 8}]


def frame(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": [f"borger-{i}" for i in range(n)],
            "municipality": ["Aarhus" if i % 3 else "Silkeborg" for i in range(n)],
            "start": [dt.date(2026, 1, 1) + dt.timedelta(days=7 * i) for i in range(n)],
            "phases": [PLAN] * n,
        }
    )


def test_batch_equals_one_by_one(sheet: takst.TariffSheet) -> None:
    df = frame(40)
    out = takst.price_courses(df, sheet, index=INDEX)
    one = takst.price(
        [takst.Course(start=r.start, phases=PLAN, id=r.id) for r in df.itertuples()], sheet, index=INDEX
    )
    assert list(out["total"]) == [q.total for q in one.quotes]
    assert list(out["days"]) == [q.days for q in one.quotes]
    assert all(isinstance(t, Decimal) for t in out["total"])


def test_batch_lines_sum_to_totals(sheet: takst.TariffSheet) -> None:
    totals, lines = takst.price_courses(frame(10), sheet, index=INDEX, lines=True)
    by_row = lines.groupby("row")["amount"].apply(lambda s: sum(s, Decimal(0)))
    assert list(by_row) == list(totals["total"])


def test_batch_accepts_timestamps_and_text_plans(sheet: takst.TariffSheet) -> None:
    df = pd.DataFrame({"start": pd.to_datetime(["2026-01-01"]), "phases": ['[{"service": "udvikling", "days": 10}]']})
    assert takst.price_courses(df, sheet)["total"][0] == Decimal("37160.00")


def test_batch_errors_name_the_row(sheet: takst.TariffSheet) -> None:
    df = frame(3)
    df.loc[2, "phases"] = [[{"service": "ukendt", "months": 1}]]
    with pytest.raises(takst.ValidationError) as e:
        takst.price_courses(df, sheet)
    assert e.value.path == "courses[2].phases[0].service"
