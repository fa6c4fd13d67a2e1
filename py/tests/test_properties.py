"""Invariants with hypothesis: Decimal amounts and dates drawn at random."""

from __future__ import annotations

import datetime as dt
import decimal
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

import takst

amounts = st.decimals(min_value=Decimal("100000"), max_value=Decimal("50000000"), places=2)
# Whole per cents that sum to 100.
shares = st.lists(st.integers(min_value=1, max_value=30), min_size=0, max_size=3).map(lambda s: [*s, 100 - sum(s)])


@settings(max_examples=60, deadline=None)
@given(
    places=st.integers(min_value=1, max_value=60),
    occupancy=st.decimals(min_value=Decimal("80"), max_value=Decimal("100"), places=1),
    common=amounts,
    support=amounts,
    shares=shares,
)
def test_revenue_neutrality(places: int, occupancy: Decimal, common: Decimal, support: Decimal, shares: list[int]) -> None:
    """Σ published tariff × expected days = cost base + the reported residue, and the
    residue is at most half a krone per expected day."""
    services = [
        {"id": f"s{i}", "name": f"Modul {i}", "hours_per_week": 7 * (i + 1), "share_pct": s}
        for i, s in enumerate(shares)
    ]
    r = takst.Offer(
        name="P", year=2026, kind="residential", capacity={"places": places},
        occupancy={"budgeted_pct": occupancy},
        costs=[{"label": "Drift", "category": "operating", "amount": common},
               {"label": "Løn", "category": "wages", "amount": support, "key": "support_hours"}],
        services=services,
    ).compute(explain=False)
    n = r.neutrality
    with decimal.localcontext(prec=60):  # exact sums of the published figures
        revenue = sum((s["expected_days"] * s["day"] for s in n["by_service"]), Decimal(0))
        assert revenue == n["revenue"]
        assert n["residue"] == n["revenue"] - n["cost_base"] == revenue - (common + support)
        days = sum((s["expected_days"] for s in n["by_service"]), Decimal(0))
        assert abs(n["residue"]) <= days / 2


starts = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2030, 12, 31))
phase = st.tuples(
    st.sampled_from(["udredning", "udvikling", "laengerevarende"]),
    st.sampled_from(["months", "days"]),
    st.integers(min_value=1, max_value=14),
)


@settings(max_examples=80, deadline=None)
@given(start=starts, phases=st.lists(phase, min_size=1, max_size=4))
def test_every_day_billed_once_and_lines_sum(sheet: takst.TariffSheet, start: dt.date, phases: list) -> None:
    course = takst.Course(start=start, phases=[takst.Phase(service=s, **{unit: n}) for s, unit, n in phases])
    q = takst.price(course, sheet, index={"rates_pct": [{"year": y, "pct": "2"} for y in range(2027, 2035)]}).quotes[0]
    lines = sorted(q.lines, key=lambda l: l.start)
    assert lines[0].start == start
    for a, b in zip(lines, lines[1:]):
        assert b.start == a.end + dt.timedelta(days=1)  # no gap, no overlap
    assert sum(l.days for l in lines) == q.days == (lines[-1].end - start).days + 1
    assert sum((l.amount for l in lines), Decimal(0)) == q.total
    assert sum(q.years.values(), Decimal(0)) == q.total


@settings(max_examples=150, deadline=None)
@given(name=st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40))
def test_any_text_reaches_the_core_as_it_was_given(name: str) -> None:
    """The native writer copies a text without quotes, backslashes or control characters as
    it is and escapes the rest as serde_json does: the core reads back the same text."""
    sample = takst.Offer.sample().to_dict()
    r = takst.Offer.from_dict({**sample, "name": name}).compute(explain=False)
    assert r.sheet.offer["name"] == name


@settings(max_examples=60, deadline=None)
@given(name=st.text(min_size=1, max_size=20), source=st.text(max_size=20))
def test_names_come_back_from_the_node_table_as_given(name: str, source: str) -> None:
    """A service's name and a cost line's source, with any characters (braces, ``{0}``,
    quotes, backslashes), are read back from the explanation's node table exactly."""
    raw = takst.Offer.sample().to_dict()
    raw["services"][0]["name"] = name
    raw["costs"][0]["source"] = source
    r = takst.evaluate({"version": 1, "offer": raw, "options": {"explain": True}})
    if not r["ok"]:
        return
    ex = takst.Explanation(r["explanation"])
    sid = raw["services"][0]["id"]
    assert ex[f"service.{sid}.day"].label == f"{name}, pr. døgn"
    sources = {n.source for n in ex if n.key == "cost[0]"}
    assert sources == ({source} if source else sources)


@settings(max_examples=300, deadline=None)
@given(day=st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_a_date_reaches_the_core_as_its_iso_text(day: dt.date) -> None:
    """A `datetime.date` is built as its `isoformat()`, every year from 1 to 9999 (the
    native writer puts its digits together itself)."""
    import json

    assert json.loads(takst.to_json({"start": day})) == {"start": day.isoformat()}


def test_an_arrow_date_reaches_the_core_as_the_same_date() -> None:
    """Arrow's days since 1970 (date32 and date64) are the civil dates pandas' date objects
    are: the same courses, the same lines."""
    pa = __import__("pytest").importorskip("pyarrow")
    import pandas as pd

    sheet = takst.Offer.sample().compute(explain=False).sheet
    starts = [dt.date(2026, 1, 1), dt.date(2026, 2, 28), dt.date(2028, 2, 29), dt.date(2026, 12, 31),
              dt.date(2030, 6, 15), dt.date(2099, 3, 1)]
    plan = [{"service": "udredning", "months": 2}]
    df = pd.DataFrame({"start": starts, "phases": [plan] * len(starts)})
    expected = takst.price_courses(df, sheet, progress=False)
    for kind in (pa.date32(), pa.date64()):
        table = pa.table({"start": pa.array(starts, kind), "phases": pa.array([plan] * len(starts))})
        got = takst.price_courses(table, sheet, progress=False)
        for column in ("days", "total", "flat", "difference"):
            assert got.column(column).to_pylist() == expected[column].tolist(), (kind, column)
