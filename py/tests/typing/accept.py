"""Uses takst as a finance analyst would; `mypy --strict` must accept every line."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import takst
from takst.types import CostLine

costs: list[CostLine] = [{"label": "Løn og drift", "category": "wages", "amount": Decimal("9500000")}]
offer = takst.Offer(name="Eksempel", year=2026, kind="residential", capacity={"places": 10},
                    occupancy={"budgeted_pct": 95}, costs=costs)
result: takst.Result = offer.compute()
lower: takst.Result = offer.replace(occupancy={"budgeted_pct": 90}).compute()
changes: takst.Scenarios = result.compare(lower)
sheet = result.sheet
assert sheet is not None
day: Decimal | None = sheet["udredning"].day
node: takst.Node = result.explain("average.day")
course = takst.Course(start=dt.date(2026, 9, 15), phases=[takst.Phase(service="udredning", months=5)])
quote: takst.Quote = takst.price(course, sheet).quotes[0]
total: Decimal = quote.total
settlement: takst.Settlement = takst.settle(year=2026, budget=Decimal("8000000"), actual_costs=7_600_000,
                                            revenue="8100000")
