"""Tables, text and HTML: Decimal columns, Danish notation, escaped strings."""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from fractions import Fraction

import pytest
import takst
from hypothesis import given
from hypothesis import strategies as st

from takst._html import approx, da


def test_danish_numbers() -> None:
    assert da(Decimal("1234567.5")) == "1.234.567,5"
    assert da(Decimal("-570.08")) == "-570,08"
    assert da(Decimal("12")) == "12"
    assert da(Fraction(1, 3)) == "0,3333…"
    assert da(Fraction(2, 3)) == "0,6667…"
    # Just below and above the tie 4800.5: never "4.800,5000…", whose rounding to 4.800 (or,
    # half to even, 4.801 above the tie) the reader could not follow.
    assert da(Fraction(14_401_499_999, 3_000_000)) == "4.800,4999…"
    assert da(Fraction(14_401_500_001, 3_000_000)) == "4.800,5001…"
    assert da(-Fraction(14_401_499_999, 3_000_000)) == "-4.800,4999…"
    assert da(Fraction(1, 3 * 10**9)) == "0,0001…"
    # Long decimals exactly, not cut to 28 digits ("1.000,5000…" would look like the tie).
    assert da(Decimal("1000.49999999999999999999999999999")) == "1.000,49999999999999999999999999999"


@given(
    st.integers(-(10**30), 10**30), st.integers(1, 10**20), st.integers(0, 14),
    st.integers(-3, 3), st.booleans(),
)
def test_an_approximation_is_a_neighbour_never_shorter(
    n: int, d: int, places: int, near: int, at_zero: bool
) -> None:
    # Any fraction, or one a hair from a point of `places` decimals ending in 0.
    value = Fraction(n, d)
    if at_zero:
        value = Fraction((n - n % 10) * 10**6 + near, 10 ** (places + 6))
    a = approx(value, places)
    step = Fraction(1, 10**places)
    assert abs(Fraction(a) - value) < step
    assert a.as_tuple().exponent == -places
    # The nearest, half away from zero, unless it ends in 0 and is not the value.
    scaled = abs(value) / step
    nearest = int(scaled) + (1 if scaled - int(scaled) >= Fraction(1, 2) else 0)
    if places == 0 or nearest % 10 or nearest == scaled:
        assert abs(Fraction(a)) / step == nearest
    else:
        assert abs(Fraction(a)) / step != nearest and a.as_tuple().digits[-1] != 0


def test_approximations_are_the_cores() -> None:
    # Every approximation in an explanation, from the core, is this rule at 12 decimals (an
    # offer's tariffs are quotients of its costs over its days: fractions).
    explanation = takst.Offer.sample().compute().explanation
    assert explanation is not None
    pairs = []
    for raw in explanation.nodes:
        if "value_approx" in raw:
            pairs.append((raw["value"], raw["value_approx"]))
        rounding = raw.get("rounding") or {}
        if "before_approx" in rounding:
            pairs.append((rounding["before"], rounding["before_approx"]))
    assert pairs
    for value, shown in pairs:
        assert approx(Fraction(value), 12).normalize() == Decimal(shown), value


def test_sheet_table_keeps_decimals(sheet: takst.TariffSheet) -> None:
    df = sheet.to_pandas()
    assert list(df["id"]) == ["average", "udredning", "udvikling", "laengerevarende"]
    assert all(isinstance(v, Decimal) for v in df["day"])
    assert df.loc[1, "day"] == Decimal("4801")
    html = sheet._repr_html_()
    assert "4.801" in html and "1.752.291" in html


def test_text_from_the_core(sheet: takst.TariffSheet) -> None:
    assert sheet.to_text().startswith("TAKSTBLAD 2026")
    r = takst.Offer.sample().compute()
    assert "Provenuneutralitet" in r.to_text()
    assert "Udredningsmodul, pr. døgn" in r.explanation.render("service.udredning.day")


def test_strings_from_files_are_escaped() -> None:
    evil = "<script>alert(1)</script>"
    r = takst.Offer(
        name=evil, year=2026, kind="day", capacity={"places": 10}, occupancy={"budgeted_pct": 96},
        costs=[{"label": evil, "category": "wages", "amount": "4000000"}],
        services=[{"id": "a", "name": evil, "hours_per_week": "7", "share_pct": "100"}],
    ).compute()
    html = r._repr_html_() + r.explanation["service.a.day"]._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_quote_lines_months_and_html(sheet: takst.TariffSheet) -> None:
    course = takst.Course(
        id="borger-1", start=dt.date(2026, 9, 15),
        phases=[takst.Phase(service="udredning", months=5), takst.Phase(service="udvikling", months=8)],
    )
    q = takst.price(course, sheet, index={"rates_pct": [{"year": 2027, "pct": Decimal("1.96")}]}).quotes[0]
    assert q.total == Decimal("1655684.36")
    assert q.days == 395
    # 5 months from 15 September end 14 February; 8 more end 14 October (153 + 242 = 395 days).
    assert q.schedule == [
        takst.ScheduledPhase(0, "udredning", "Udredningsmodul", dt.date(2026, 9, 15), dt.date(2027, 2, 14), 153),
        takst.ScheduledPhase(1, "udvikling", "Udviklingsmodul", dt.date(2027, 2, 15), dt.date(2027, 10, 14), 242),
    ]
    assert q.offer_name == sheet.offer["name"]
    df = q.to_pandas()
    assert sum(df["amount"], Decimal(0)) == q.total
    assert sum(df["days"]) == q.days
    assert df.loc[0, "amount"] == Decimal("76816.00")
    assert df.loc[4, "tariff"] == Decimal("4895.10") and df.loc[4, "source"] == "2026 + PL (cumulative)"
    assert sum(q.months.values(), Decimal(0)) == q.total
    m = q.months_to_pandas()
    assert sum(m["difference"], Decimal(0)) == q.comparison["difference"] == Decimal("190597.20")
    assert "1.655.684,36" in q._repr_html_()


def test_add_on_lines_and_months_say_how_they_are_priced(sheet: takst.TariffSheet) -> None:
    # March 2026 at udredning, 31 × 4,801 = 148,831, with 10 hours of ekstra_timer a month at
    # 465: 10 × 465 × 31/31 = 4,650 (not days × price, 31 × 465). The month is 153,481; the
    # comparison weighs the service lines, 148,831 − 31 × 3,657 = 148,831 − 113,367 = 35,464.
    course = takst.Course(start=dt.date(2026, 3, 1), phases=[
        {"service": "udredning", "months": 1, "add_ons": [{"id": "ekstra_timer", "quantity_per_month": "10"}]}])
    r = takst.price(course, sheet)
    q = r.quotes[0]
    service, add_on = q.lines
    assert (service.basis, service.quantity_per_month, service.unit) == ("per_day", None, None)
    assert (add_on.basis, add_on.quantity_per_month, add_on.unit, add_on.tariff, add_on.amount) == (
        "per_unit", Decimal("10"), "hour", Decimal("465"), Decimal("4650.00"))
    m = q.months_to_pandas()
    assert list(m.columns) == ["month", "days", "course", "services", "flat", "difference"]
    row = m.iloc[0]
    assert (row["course"], row["services"], row["flat"], row["difference"]) == (
        Decimal("153481.00"), Decimal("148831.00"), Decimal("113367.00"), Decimal("35464.00"))
    assert sum(m["course"], Decimal(0)) == q.total
    lines = r.lines_to_pandas()
    assert list(lines["quantity_per_month"].isna()) == [True, False]
    assert lines.loc[1, "quantity_per_month"] == Decimal("10") and lines.loc[1, "unit"] == "hour"
    # The same columns from the batch path, and a decimal column also where no line has a
    # quantity (its type does not depend on the rows).
    import pandas as pd

    _, batch = takst.price_courses(pd.DataFrame({"start": [dt.date(2026, 3, 1)], "phases": [course.phases]}),
                                   sheet, lines=True, progress=False)
    assert list(batch["basis"]) == ["per_day", "per_unit"] and batch.loc[1, "unit"] == "hour"
    assert batch.loc[1, "quantity_per_month"] == Decimal("10")
    plain = takst.price(takst.Course(start=dt.date(2026, 3, 1), phases=[{"service": "udredning", "months": 1}]), sheet)
    assert str(plain.quotes[0].to_pandas()["quantity_per_month"].dtype).startswith("decimal128")
    one = takst.Course(start=dt.date(2026, 3, 1), phases=[
        {"service": "udredning", "months": 1, "add_ons": [{"id": "ekstra_timer", "quantity_per_month": "1"}]}])
    assert "1 time pr. måned" in takst.price(one, sheet).quotes[0]._repr_html_()


def test_explanation_tree_and_table() -> None:
    r = takst.Offer.sample().compute()
    node = r.explanation["service.udredning.day"]
    assert node.value == Decimal("4801")
    exact = node.inputs[0].value
    # the exact quotient the published 4,801 was rounded from lies within half a krone of it
    assert isinstance(exact, Fraction) and abs(exact - 4801) <= Fraction(1, 2)
    html = node._repr_html_()
    assert html.count("<details") >= 2 and "regel:" in html
    df = r.explanation.to_pandas()
    assert len(df) == len(r.explanation) and "service.udredning.day" in set(df["key"])


def test_caseload_budget(sheet: takst.TariffSheet) -> None:
    courses = [
        {"municipality": k, "start": dt.date(2026, 1, 1), "phases": [{"service": "udvikling", "days": 10}]}
        for k in ("Aarhus", "Aarhus", "Silkeborg")
    ]
    budget = takst.price(courses, sheet, caseload=True).caseload
    assert [(b.municipality, b.courses, b.total) for b in budget] == [
        ("Aarhus", 2, Decimal("74320.00")), ("Silkeborg", 1, Decimal("37160.00"))
    ]


def test_plot_draws_without_a_display(sheet: takst.TariffSheet) -> None:
    import matplotlib

    matplotlib.use("Agg")
    course = takst.Course(start=dt.date(2026, 1, 1), phases=[takst.Phase(service="udredning", months=3)])
    quote = takst.price(course, sheet).quotes[0]
    assert len(quote.plot().patches) == 3
    assert len(quote.plot_tariff().collections) == len(quote.lines)


def test_plot_without_matplotlib_names_the_extra(
    sheet: takst.TariffSheet, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Installed without the `plot` extra: an ImportError that says what to install, not a
    # bare "No module named 'matplotlib'".
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    course = takst.Course(start=dt.date(2026, 1, 1), phases=[takst.Phase(service="udredning", months=3)])
    quote = takst.price(course, sheet).quotes[0]
    for draw in (quote.plot, quote.plot_tariff):
        with pytest.raises(ImportError, match=r"pip install 'takst\[plot\]'"):
            draw()


def test_an_amount_is_never_shown_with_one_decimal(sheet: takst.TariffSheet) -> None:
    # January 2027's invoice lines of the README's course add up to 151,748.10 kr, an exact
    # sum whose value is 151748.1: shown with its øre, as the core's text shows it.
    course = takst.Course(
        id="borger-1", start=dt.date(2026, 9, 15),
        phases=[takst.Phase(service="udredning", months=5), takst.Phase(service="udvikling", months=8)],
    )
    r = takst.price(
        course, sheet, index={"rates_pct": [{"year": 2027, "pct": Decimal("1.96")}]}, explain=True
    )
    assert r.explanation is not None
    html = r.explanation["course[0].total"]._repr_html_()
    assert "Forløbet i januar 2027</b> = 151.748,10" in html
    assert "151.748,1 " not in html and "151.748,1<" not in html
    assert "afrundet fra 151.748,10" in html
    assert "Forløbet i september 2026</b> = 76.816 " in html
    # A line rounded to øre, with its rounding's scale (the core's text: "76.816,00").
    assert "30. september 2026</b> = 76.816,00 " in html
    # The same amount in a comparison of scenarios: PL 2.5 % for 2027 instead of 1.96 %.
    other = takst.price(
        course, sheet, index={"rates_pct": [{"year": 2027, "pct": Decimal("2.5")}]}, explain=True
    )
    scenarios = r.compare(other)
    january = [x for x in scenarios.to_records() if x["label"] == "Forløbet i januar 2027"]
    assert [str(january[0]["before"])] == ["151748.10"]
    assert "151.748,10" in scenarios._repr_html_()


def test_a_sheet_built_with_a_float_tariff_refuses_it() -> None:
    # A dict read with json.load has floats: the tariff was the float's binary expansion
    # (0.1000000000000000055511151231257827...), shown and exported as if exact.
    s = takst.TariffSheet({"services": [{"id": "a", "name": "A", "tariff": {"day": 0.1, "month": 3}}]})
    with pytest.raises(takst.InputTypeError) as e:
        s["a"]
    assert (e.value.code, e.value.path) == ("invalid_type", "service.a.day")
    ok = takst.TariffSheet({"services": [{"id": "a", "name": "A", "tariff": {"day": "0.10", "month": 3}}]})
    assert ok["a"].day == Decimal("0.10") and ok["a"].month == 3


def test_quotes_without_their_lines_have_the_same_figures(sheet: takst.TariffSheet) -> None:
    # `options.lines = false` (the browser calculator's while no box of lines is open): the
    # quotes' other figures are those with the lines, and a quote reads as one without lines.
    course = {"start": "2026-09-15", "phases": [{"service": "udredning", "months": 5}, {"service": "udvikling", "months": 8}]}
    request = {"version": 1, "catalogue": sheet.raw, "courses": [course], "options": {"explain": False}}
    full = takst.compute(request).quotes[0]
    request["options"]["lines"] = False
    result = takst.compute(request)
    q = result.quotes[0]
    assert "lines" not in q.raw and "lines left out" in repr(q)
    assert q.lines == [] and len(q.to_pandas()) == 0
    assert (q.total, q.days, q.months, q.schedule) == (full.total, full.days, full.months, full.schedule)
    assert q.comparison == full.comparison


def test_a_result_without_its_sheet_has_the_same_figures_and_units(sheet: takst.TariffSheet) -> None:
    # `options.tariff_sheet = false` (the browser calculator's, which holds the sheet): no
    # sheet in the result, the same quotes, and the explanation's Danish units still read the
    # offer's kind (from the request's catalogue, a residential offer: "døgn").
    course = {"start": "2026-09-15", "phases": [{"service": "udredning", "months": 5}]}
    request = {"version": 1, "catalogue": sheet.raw, "courses": [course]}
    full = takst.compute(request)
    request["options"] = {"tariff_sheet": False}
    result = takst.compute(request)
    assert full.sheet is not None and result.sheet is None and "tariff_sheet" not in result.raw
    assert result.quotes[0].raw == full.quotes[0].raw
    assert full.day_word == result.day_word == "døgn"
    day = result.explanation["service.udredning.day"]
    assert (day.value, day.unit_da) == (Decimal("4801"), "kr. pr. døgn")
    # 16 days of September at 4,801.
    month = result.explanation["course[0].month.2026-09"]
    assert month.value == full.explanation["course[0].month.2026-09"].value == 16 * 4801


def test_an_offer_without_its_sheet_says_so_in_text_and_html() -> None:
    # The core's text and the notebook's HTML both say the sheet is left out; the HTML still
    # shows the revenue neutrality (it needs no sheet), the text its warnings.
    request = {"version": 1, "offer": takst.Offer.sample().to_dict(), "options": {"explain": False, "tariff_sheet": False}}
    result = takst.compute(request)
    assert result.sheet is None and result.neutrality is not None
    assert result.to_text().startswith("(Takstbladet er ikke med i svaret.)")
    html = result._repr_html_()
    assert "(Takstbladet er ikke med i svaret.)" in html and "Provenuneutralitet" in html


def test_a_residential_sheet_priced_by_price_says_dogn(sheet: takst.TariffSheet) -> None:
    # `takst.price` sends its sheets as `catalogues`, whose response has no `tariff_sheet`:
    # the explanation's units still say "døgn" for a residential offer, as the core's do (they
    # said "dag").
    r = takst.price(takst.Course(start=dt.date(2026, 9, 15), phases=[{"service": "udredning", "months": 5}]),
                    sheet, explain=True)
    assert "tariff_sheet" not in r.raw and r.day_word == "døgn"
    assert r.explanation["catalogues[0].service.udredning.day"].unit_da == "kr. pr. døgn"


def test_each_figure_speaks_of_its_own_sheet_s_day(sheet: takst.TariffSheet) -> None:
    """A residential offer's sheet and a day offer's in one request: each figure's unit (and
    label) in the words of its own sheet, as the core words them (the binding mapped every
    unit by one word for the whole request: "døgn" for both here). With one kind of sheet,
    the core's words are those ``unit_da`` gives."""
    day = dict(sheet.raw, offer=dict(sheet.raw["offer"], id="dagtilbud", name="Dagtilbud", kind="day"))
    courses = [takst.Course(start=dt.date(2026, 9, 15), offer=o, phases=[{"service": "udredning", "months": 5}])
               for o in ("elbaek", "dagtilbud")]
    r = takst.price(courses, [sheet.raw, day], explain=True)
    ex = r.explanation
    assert ex["catalogues[0].service.udredning.day"].unit_da == "kr. pr. døgn"
    assert ex["catalogues[1].service.udredning.day"].unit_da == "kr. pr. dag"
    assert ex["catalogues[1].service.udredning.day"].label == "Udredningsmodul, pr. dag"
    table = ex.to_pandas().set_index("key")
    assert table.loc["catalogues[1].average.day", "unit_da"] == "kr. pr. dag"
    assert table.loc["catalogues[0].average.day", "unit_da"] == "kr. pr. døgn"
    for one, word in ((sheet.raw, "døgn"), (day, "dag")):
        alone = takst.price(courses[0] if one is sheet.raw else courses[1], one, explain=True).explanation
        assert alone is not None
        for node in alone:
            assert node.unit_da == takst.explanation.unit_da(node.unit, word), node.key
