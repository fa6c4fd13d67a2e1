"""Each marked line must be a `mypy --strict` error (tests/test_typing.py checks which)."""

from __future__ import annotations

import datetime as dt

import takst

takst.Offer(name="E", year=2026, kind="residential", capacity={"places": 10},
            occupancy={"budgeted_pct": 95},
            costs=[{"label": "x", "category": "wages", "amount": 9500000.0}])  # E: float amount
takst.Offer(name="E", year=2026, kind="residential", capacity={"places": 10},
            occupancy={"budgeted_pct": 95}, costs=[], nmae="x")  # E: misspelt field
takst.Offer(name="E", year=2026, kind="residentail", capacity={"places": 10},  # E: unknown word
            occupancy={"budgeted_pct": 95}, costs=[])
takst.Offer(name="E", year=2026, kind="day", capacity={"plcaes": 10},  # E: misspelt nested field
            occupancy={"budgeted_pct": 95}, costs=[])
takst.settle(year=2026, budget=8000000.0, actual_costs=1, revenue=1)  # E: float budget
takst.Phase(service="udredning", months=5.5)  # E: float months
takst.Course(start=dt.date(2026, 1, 1), phases=[{"service": "x", "mnoths": 1}])  # E: misspelt phase field
takst.Offer.sample().replace(ocupancy={"budgeted_pct": 90})  # E: misspelt replace
x: int = takst.Offer.sample().compute()  # E: compute returns Result
