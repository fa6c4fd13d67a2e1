"""Settlement and financing from Python: the hand-worked figures, Decimal in and out, errors
with their paths, tables and HTML, and the invariants with hypothesis."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import takst

ROOT = Path(__file__).resolve().parents[2]


def test_settlement_of_the_domain_example() -> None:
    s = takst.settle(year=2026, budget=D("8000000"), actual_costs=D("7648000"), revenue=D("8418000"))
    assert s["result"] == D("770000")
    assert s["set_aside"] == D("400000")
    assert s["regulation"] == D("-370000")
    assert s.regulation_years == {2028: D("-370000.00")}
    assert "EFTERREGULERING 2026" in s.to_text()


def test_years_are_shown_as_years() -> None:
    s = takst.settle(year=2026, budget=D("8000000"), actual_costs=D("7648000"), revenue=D("8418000"),
                     reserves=[{"year": 2023, "amount": "50000"}])
    html = s._repr_html_()
    assert "<td>2023</td>" in html and "<td>2028</td>" in html  # the year and its use_by
    assert "2.023" not in html and "2.028" not in html
    assert "400.000" in html  # amounts keep their separators


def test_partnership_break_even_and_table() -> None:
    p = takst.partnership(
        financing_base=D("20000000"), expected_days=4000, fixed_share_pct=25, key="agreed",
        partners=[{"municipality": "Aarhus", "expected_days": 1500, "key": 60},
                  {"municipality": "Randers", "expected_days": 500, "key": 40}],
    )
    assert p["partner_tariff"] == D("2500")
    assert p.break_even == {"Aarhus": D("1200.00"), "Randers": D("800.00")}
    frame = p.to_pandas()
    assert len(frame) == 10
    assert all(isinstance(x, D) for x in frame["as_partner"])


def test_every_model_from_the_example_request() -> None:
    r = takst.compute(ROOT / "examples" / "requests" / "financing.json")
    assert r.settlement is not None and r.partnership is not None and r.base_funding is not None
    assert r.special_arrangements is not None and r.ambulant is not None and r.buyer is not None
    assert r.ambulant["hourly_rate"] == D("1156")
    assert r.buyer.years[2026]["refund_176"] == D("375000.00")
    text = r.to_text()
    for head in ("EFTERREGULERING", "PARTNERSKAB", "BASISFINANSIERING", "SÆRFORANSTALTNING",
                 "AMBULANT YDELSE", "NETTOUDGIFT"):
        assert head in text
    html = r._repr_html_()
    assert "Efterregulering" in html and "Partnerskab" in html


def test_floats_for_money_are_refused() -> None:
    with pytest.raises(TypeError, match="settlement.budget"):
        takst.settle(year=2026, budget=8000000.0, actual_costs=1, revenue=1)


def test_errors_name_the_field() -> None:
    with pytest.raises(takst.ValidationError) as e:
        takst.settle(year=2026, budget=1, actual_costs=1, revenue=1, spread_years=0)
    assert e.value.path == "settlement.spread_years"
    with pytest.raises(takst.ValidationError) as e:
        takst.base_funding(cost_base=100, expected_days=1, municipalities=[{"municipality": "Aarhus"}],
                           sources=[{"label": "x", "kind": "municipalities", "amount": 1, "split": "key",
                                     "key": [{"municipality": "Viborg", "weight": 1}]}])
    assert e.value.code == "unknown_reference"


def test_names_are_escaped_in_html() -> None:
    s = takst.settle(year=2026, budget=1000, actual_costs=900, revenue=1000,
                     municipalities=[{"municipality": "<script>x</script>", "days": 1}])
    p = takst.partnership(financing_base=1000, expected_days=10,
                          partners=[{"municipality": "<b>A</b>", "expected_days": 5}])
    assert "<script>" not in p._repr_html_() and "&lt;b&gt;" in p._repr_html_()
    assert "<script>" not in s._repr_html_()


ore = st.integers(min_value=0, max_value=10**11).map(lambda n: D(n).scaleb(-2))
positive_ore = st.integers(min_value=1, max_value=10**11).map(lambda n: D(n).scaleb(-2))


@settings(max_examples=60, deadline=None)
@given(budget=positive_ore, costs=ore, revenue=ore,
       days=st.lists(st.integers(min_value=1, max_value=5000), min_size=1, max_size=6),
       spread=st.integers(min_value=1, max_value=4))
def test_settlement_invariants(budget: D, costs: D, revenue: D, days: list[int], spread: int) -> None:
    s = takst.settle(year=2026, budget=budget, actual_costs=costs, revenue=revenue, spread_years=spread,
                     municipalities=[{"municipality": f"K{i}", "days": d} for i, d in enumerate(days)])
    assert revenue + s["regulation"] - s["set_aside"] == costs
    assert sum(s.municipalities.values()) == s["regulation"]
    assert sum(s.regulation_years.values()) == s["regulation"]


@settings(max_examples=60, deadline=None)
@given(base=ore, population=st.lists(st.integers(min_value=1, max_value=10**6), min_size=1, max_size=8),
       amount=st.integers(min_value=0, max_value=10**8).map(lambda n: D(n).scaleb(-2)))
def test_base_funding_contributions_sum_exactly(base: D, population: list[int], amount: D) -> None:
    if amount > base:
        return
    f = takst.base_funding(cost_base=base, expected_days=365,
                           municipalities=[{"municipality": f"K{i}", "population": p} for i, p in enumerate(population)],
                           sources=[{"label": "Objektiv", "kind": "municipalities", "amount": amount,
                                     "split": "population"}])
    assert sum(r["amount"] for r in f.to_records()) == amount


def test_tariff_notice_of_the_provider_year() -> None:
    # examples/requests/provider-year.json: 2,038 kr. a day in 2025, 2,000 in 2026; the
    # change of −38 kr. split into PL +50, regulation −67, occupancy −21 (README, "A
    # provider's year in one request").
    r = takst.compute(ROOT / "examples" / "requests" / "provider-year.json")
    n = r.tariff_notice
    assert n is not None
    assert (n["from_year"], n["to_year"], n["pl_pct"]) == (2025, 2026, D("2.5"))
    [row] = n.to_records()
    assert (row["id"], row["previous"], row["new"], row["change"]) == ("average", D("2038"), D("2000"), D("-38"))
    assert n.drivers["average"] == {"pl_index": D("50"), "regulation": D("-67"), "occupancy": D("-21"),
                                    "cost_base": D("0"), "other": D("0")}
    assert sum(n.drivers["average"].values()) == row["change"]
    assert "Gennemsnitstakst" in n.to_text()
    assert "Varsling af takstændringer" in n._repr_html_()
    assert "2025 → 2026" in repr(n)
