"""What-if and explain where the user is: replace, compare, explain(figure), Danish units,
the progress bar and the Excel export (issue 16 §5)."""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

import takst

OFFER = takst.Offer(
    name="Eksempel", year=2026, kind="residential", capacity={"places": 10},
    occupancy={"budgeted_pct": 95},
    costs=[{"label": "Løn og drift", "category": "wages", "amount": Decimal("9500000")}],
)


def test_replace_makes_a_changed_copy() -> None:
    lower = OFFER.replace(occupancy={"budgeted_pct": 90})
    assert lower.to_dict()["occupancy"] == {"budgeted_pct": 90}
    assert OFFER.to_dict()["occupancy"] == {"budgeted_pct": 95}
    assert lower != OFFER and OFFER.replace() == OFFER
    with pytest.raises(TypeError, match="ocupancy"):
        OFFER.replace(ocupancy={"budgeted_pct": 90})  # type: ignore[call-arg]


def test_compare_is_the_cores_scenario_comparison_figure_by_figure() -> None:
    base = OFFER.compute()
    lower = OFFER.replace(occupancy={"budgeted_pct": 90}).compute()
    cmp = base.compare(lower)
    rows = {r["key"]: r for r in cmp.to_records()}
    assert rows["average.day"]["before"] == Decimal("2740")
    assert rows["average.day"]["after"] == Decimal("2892")
    assert rows["average.day"]["change"] == Decimal("152")
    assert "cost_base" not in rows  # unchanged figures are not listed
    assert cmp.to_pandas()["key"].tolist()[0] == "offer.occupancy_pct"
    assert "average.day" in cmp._repr_html_()


def test_explain_a_figure_object_or_a_key(sheet: takst.TariffSheet) -> None:
    r = takst.Offer.sample().compute()
    assert r.sheet is not None
    day = r.sheet["udredning"].day
    assert isinstance(day, Decimal) and isinstance(day, takst.Figure) and day == Decimal("4801")
    node = r.explain(day)
    assert node.key == "service.udredning.day" == r.explain("service.udredning.day").key
    assert r.explain(node).key == node.key
    assert (day + 1) == Decimal("4802") and not isinstance(day + 1, takst.Figure)
    assert "Udredningsmodul" in node.render()
    q = takst.price(takst.Course(start=dt.date(2026, 9, 15), phases=[takst.Phase(service="udredning", months=2)]),
                    sheet, explain=True)
    quote = q.quotes[0]
    assert q.explain(quote.total).key == "course[0].total"
    assert q.explain(quote.lines[1].amount).value == quote.lines[1].amount
    with pytest.raises(ValueError, match="explain=True"):
        takst.price({"start": dt.date(2026, 1, 1), "phases": [{"service": "udvikling", "days": 1}]}, sheet).explain("x")


def test_danish_units_in_the_html() -> None:
    r = takst.Offer.sample().compute()
    html = r.explain("service.udredning.day")._repr_html_()
    assert "kr. pr. døgn" in html and "kr_per_day" not in html
    assert r.explain("offer.expected_days").unit_da == "dage"
    day = takst.Offer.from_dict({**OFFER.to_dict(), "kind": "day"}).compute()
    assert day.explain("average.day").unit_da == "kr. pr. dag"


def test_every_unit_has_a_danish_name(root: Path) -> None:
    schema = json.loads((root / "schema" / "response.schema.json").read_text(encoding="utf-8"))
    units = [v["const"] for v in schema["$defs"]["Unit"]["oneOf"]]
    from takst.explanation import _UNITS_DA

    assert sorted(units) == sorted(_UNITS_DA)


def test_progress_bar_only_when_asked_or_slow(sheet: takst.TariffSheet, capfd: pytest.CaptureFixture[str]) -> None:
    df = pd.DataFrame({"start": [dt.date(2026, 1, 1)] * 50, "phases": [[{"service": "udvikling", "months": 2}]] * 50})
    takst.price_courses(df, sheet)
    assert "forløb" not in capfd.readouterr().err  # fast: no bar
    big = pd.concat([df] * 100, ignore_index=True)  # 5,000 rows: two chunks
    takst.price_courses(big, sheet, progress=True)
    assert "5000/5000" in capfd.readouterr().err
    takst.price_courses(big, sheet, progress=False)
    assert "forløb" not in capfd.readouterr().err


def test_excel_keeps_exact_amounts_with_danish_formats(sheet: takst.TariffSheet, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    r = takst.price(
        takst.Course(id="borger-1", start=dt.date(2026, 9, 15),
                     phases=[takst.Phase(service="udredning", months=5), takst.Phase(service="udvikling", months=8)]),
        sheet, index={"rates_pct": [{"year": 2027, "pct": Decimal("1.96")}]},
    )
    path = tmp_path / "forløb.xlsx"
    r.to_excel(path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Fakturalinjer"]
    header = [c.value for c in ws[1]]
    assert header[6:10] == ["Dage", "Beregning", "Antal pr. måned", "Enhed"]
    assert ws.cell(row=2, column=8).value == "dage × dagstakst"
    amount = header.index("Beløb") + 1
    assert ws.cell(row=2, column=amount).number_format == "#,##0.00"
    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    # Every amount is in the file as its exact decimal text (trailing zeros dropped).
    column = chr(ord("A") + amount - 1)
    written = re.findall(rf'<c r="{column}(\d+)"[^>]*><v>([^<]*)</v>', xml)
    assert [Decimal(v) for row, v in written if row != "1"] == [line.amount for line in r.quotes[0].lines]
    assert any("." in v for _, v in written)  # øre amounts are there, not rounded
    offer = takst.Offer.sample().compute()
    offer.to_excel(tmp_path / "takstblad.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "takstblad.xlsx")["Takstblad"]
    assert [c.value for c in ws[1]] == ["Ydelse", "pr. døgn", "pr. måned", "pr. år"]
    assert ws.cell(row=2, column=2).number_format == "#,##0"


def test_a_sheet_shows_every_price_it_publishes(tmp_path: Path) -> None:
    """Beside the tariffs, a sheet publishes the add-ons' prices, part-time day tariffs, the
    package scheme and the regulation per day: ``prices``, ``prices_to_pandas()``, the HTML
    and the Excel file show each (Elbæk: three add-ons and the regulation; they were in none
    of the tables)."""
    openpyxl = pytest.importorskip("openpyxl")
    root = Path(__file__).resolve().parents[2]
    r = takst.Offer.from_file(root / "examples" / "elbaek.toml").compute()
    sheet = r.sheet
    assert sheet is not None
    raw = sheet.raw
    expected = [(a["name"], Decimal(a["price"])) for a in raw["add_ons"]]
    assert expected and [(p.name, p.price) for p in sheet.prices if p.kind == "add_on"] == expected
    units = {p.id: p.unit for p in sheet.prices if p.kind == "add_on"}
    assert {raw_a["id"]: raw_a["unit"] for raw_a in raw["add_ons"]}.keys() == units.keys()
    assert "pr. time" in units.values()
    regulation = [p for p in sheet.prices if p.kind == "regulation_per_day"]
    assert [p.price for p in regulation] == [Decimal(raw["regulation_per_day"])]
    df = sheet.prices_to_pandas()
    assert list(df.columns) == ["kind", "id", "name", "unit", "price"]
    assert [Decimal(v) for v in df["price"]] == [p.price for p in sheet.prices]
    html = sheet._repr_html_()
    assert "Tillæg og øvrige priser" in html and expected[0][0] in html
    r.to_excel(tmp_path / "takstblad.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "takstblad.xlsx")["Tillæg og øvrige priser"]
    assert [ws.cell(row=i + 2, column=1).value for i in range(len(sheet.prices))] == [p.name for p in sheet.prices]
    assert [Decimal(str(ws.cell(row=i + 2, column=2).value)) for i in range(len(sheet.prices))] == [
        p.price for p in sheet.prices]


def test_part_time_and_packages_are_among_a_sheet_s_prices() -> None:
    sheet = takst.TariffSheet({
        "format": "takst/tariff-sheet", "version": 1,
        "offer": {"name": "Dag", "kind": "day", "year": 2026}, "day_basis": 250,
        "rounding": {"increment": "1", "mode": "half_away_from_zero"},
        "average": {"day": "1000"},
        "services": [{"id": "m", "name": "Modul", "kind": "module", "tariff": {"day": "1200"}}],
        "part_time": [{"of": "m", "days_per_week": 3, "pct": "60", "day": "720"}],
        "package_scheme": {"basis": "500", "interval": "100", "band_hours_per_week": "2.5"},
    })
    assert [(p.kind, p.name, p.unit, p.price) for p in sheet.prices] == [
        ("part_time", "Deltid 3 dage/uge af Modul (60 %)", "pr. dag", Decimal("720")),
        ("package_basis", "Pakker: grundbeløb", "pr. dag", Decimal("500")),
        ("package_interval", "Pakker: interval pr. bånd på 2,5 timer/uge", "pr. dag", Decimal("100")),
    ]
