"""Every way into a figure gives the same figure: JSON numbers with decimals read as the core
reads them, a TOML request kept as its JSON, section fields read by the schema, text written
to Excel as text, scenario tables of one dtype, dates and timestamps alike in ``price`` and
``price_courses``, and sheets holding ``Decimal`` written exactly."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import takst
from takst import finance
from takst._convert import from_json

from conftest import ROOT

SHEET = ROOT / "examples" / "published" / "elbaek.json"
PLAN = [{"service": "udredning", "months": 2}]
COURSE_WITH_KM = {"start": "2026-03-01", "phases": [
    {"service": "udredning", "months": 1, "add_ons": [{"id": "koersel", "quantity_per_month": 100}]}]}


def _core_total(request_text: str) -> str:
    out = json.loads(takst.evaluate_json(request_text))
    assert out["ok"], out
    return str(out["courses"][0]["total"])


# JSON numbers with decimals


def test_a_sheet_file_with_a_json_number_prices_as_the_core_prices_it(tmp_path: Path) -> None:
    text = SHEET.read_text(encoding="utf-8")
    as_number = text.replace('"price": "3.79"', '"price": 3.79')
    assert as_number != text
    path = tmp_path / "sheet.json"
    path.write_text(as_number, encoding="utf-8")
    sheet = takst.read_sheet(path)
    price = next(a["price"] for a in sheet.raw["add_ons"] if a["id"] == "koersel")
    assert price == Decimal("3.79") and isinstance(price, Decimal)
    core = _core_total('{"version": 1, "catalogue": %s, "courses": [%s]}' % (as_number, json.dumps(COURSE_WITH_KM)))
    assert str(takst.price(COURSE_WITH_KM, sheet).quotes[0].total) == core
    # The same figure as the sheet with the price as text.
    assert str(takst.price(COURSE_WITH_KM, takst.read_sheet(SHEET)).quotes[0].total) == core


def _offer_text(pct: str) -> str:
    offer = json.loads(takst._native.sample_offer())
    offer["occupancy"] = {"budgeted_pct": "PCT"}
    return json.dumps(offer).replace('"PCT"', pct)


def test_an_offer_file_and_compare_with_json_numbers(tmp_path: Path) -> None:
    path = tmp_path / "offer.json"
    path.write_text(_offer_text("97.5"), encoding="utf-8")
    core = json.loads(takst.evaluate_json('{"version": 1, "offer": %s}' % _offer_text("97.5")))
    assert core["ok"]
    result = takst.Offer.from_file(path).compute()
    assert result.sheet is not None and result.sheet.average is not None
    assert str(result.sheet.average.day) == core["tariff_sheet"]["average"]["day"]
    a = takst.compute('{"version": 1, "offer": %s}' % _offer_text("97.5"))
    b = takst.compute('{"version": 1, "offer": %s}' % _offer_text("96.5"))
    assert a.request is not None and a.request["offer"]["occupancy"]["budgeted_pct"] == Decimal("97.5")
    changes = a.compare(b).to_records()
    assert changes and any(r["key"] == "average.day" for r in changes)
    assert a.compare(a).to_records() == []


def test_an_offer_file_in_json_is_read_by_the_core(tmp_path: Path) -> None:
    # It was read by Python's JSON reader: a duplicate key took its last value without a
    # word, and a syntax error was a bare JSONDecodeError, no TakstError.
    path = tmp_path / "offer.json"
    text = _offer_text("97.5")
    path.write_text(text.replace('"occupancy": {', '"occupancy": {"budgeted_pct": "90", ', 1),
                    encoding="utf-8")
    with pytest.raises(takst.InputError) as e:
        takst.Offer.from_file(path)
    assert (e.value.code, e.value.path) == ("duplicate_key", "occupancy.budgeted_pct")
    path.write_text(text[:40], encoding="utf-8")
    with pytest.raises(takst.InputError) as e:
        takst.Offer.from_file(path)
    assert e.value.code == "syntax" and e.value.errors[0].line == 1
    # What Python's json.dumps writes for a float that is not finite, and Python's literals:
    # named, at their line and column.
    for word in ["NaN", "-Infinity", "True"]:
        path.write_text(_offer_text(word), encoding="utf-8")
        with pytest.raises(takst.InputError) as e:
            takst.Offer.from_file(path)
        assert e.value.code == "syntax" and e.value.errors[0].line is not None
        assert f"`{word}`" in str(e.value), str(e.value)
    path.write_text(text, encoding="utf-8")
    sheet = takst.Offer.from_file(path).compute().sheet
    core = json.loads(takst.evaluate_json('{"version": 1, "offer": %s}' % text))
    assert sheet is not None and sheet.to_dict() == from_json(json.dumps(core["tariff_sheet"]))


def test_a_json_number_read_from_a_file_is_sent_back_as_that_number(tmp_path: Path) -> None:
    # `2026.0` is a whole number where the core reads the file's text, and it was read into
    # a Decimal that went back as the string "2026.0": a sheet that read well was refused by
    # every `price`, and `compare` refused two results the core had computed.
    sheet = SHEET.read_text(encoding="utf-8")
    text = sheet.replace('"year": 2026', '"year": 2026.0', 1).replace('"day_basis": 365', '"day_basis": 3.65e2', 1)
    assert text.count("2026.0") == 1 and "3.65e2" in text
    path = tmp_path / "sheet.json"
    path.write_text(text, encoding="utf-8")
    read = takst.read_sheet(path)
    assert read.raw["offer"]["year"] == 2026 and isinstance(read.raw["offer"]["year"], Decimal)
    course = {"start": dt.date(2026, 3, 1), "phases": [{"service": "udredning", "months": 1}]}
    assert takst.price(course, read).quotes[0].total == takst.price(course, takst.read_sheet(SHEET)).quotes[0].total
    offer = json.loads(takst._native.sample_offer())
    offer_text = json.dumps(offer).replace(f'"year": {offer["year"]}', f'"year": {offer["year"]}.0', 1)
    assert f'"year": {offer["year"]}.0' in offer_text
    a = takst.compute('{"version": 1, "offer": %s}' % offer_text)
    assert '"places": "12"' in offer_text
    b = takst.compute('{"version": 1, "offer": %s}' % offer_text.replace('"places": "12"', '"places": 11.0', 1))
    assert a.compare(a).to_records() == []
    assert a.compare(b).to_records() != []
    # Any other Decimal is still sent as its decimal string.
    assert takst._convert.to_json(Decimal("2026.0")) == '"2026.0"'
    assert takst._convert.to_json(from_json("[2026.0, 1E+3, 97.50]")) == "[2026.0,1000,97.50]"


def test_nan_in_input_json_is_refused_not_a_float(tmp_path: Path) -> None:
    path = tmp_path / "sheet.json"
    path.write_text(SHEET.read_text(encoding="utf-8").replace('"price": "3.79"', '"price": NaN'), encoding="utf-8")
    with pytest.raises(ValueError, match="NaN is not a JSON number"):
        takst.read_sheet(path)


@given(st.integers(-(10**15), 10**15), st.integers(1, 12))
def test_json_decimals_round_trip_exactly(digits: int, places: int) -> None:
    """A JSON number with decimals is read as the Decimal of its text and sent on as the
    same digits: what the core reads from the file's text and from Python is one number."""
    value = Decimal(digits).scaleb(-places)
    text = format(value, "f")
    read = from_json('{"x": %s}' % text)["x"]
    assert isinstance(read, Decimal) and format(read, "f") == text
    assert json.loads(takst._convert.to_json({"x": read}), parse_float=str)["x"] == text


# a TOML request


def test_a_toml_result_has_its_request_as_json_and_compares() -> None:
    path = ROOT / "examples" / "requests" / "catalogue.toml"
    result = takst.compute(path)
    request = result.request
    assert request is not None and request["version"] == 1
    assert result.compare(result).to_records() == []
    assert result.to_text() == takst._native.to_text(path.read_text(encoding="utf-8"))
    # The JSON kept is the request the core read from the TOML: the same response, byte for byte.
    text = path.read_text(encoding="utf-8")
    assert takst.evaluate_json(takst._native.request_json(text)) == takst.evaluate_toml(text)


@pytest.mark.parametrize("name", ["catalogue.toml", "realistic.toml"])
def test_every_toml_request_reads_as_the_same_json(name: str) -> None:
    text = (ROOT / "examples" / "requests" / name).read_text(encoding="utf-8")
    as_json = takst._native.request_json(text)
    assert as_json.startswith("{")
    assert takst.evaluate_json(as_json) == takst.evaluate_toml(text)
    result = takst.compute(ROOT / "examples" / "requests" / name)
    for section in result._sections():
        section.to_text()
    if result.explanation is not None and result.quotes:
        assert result.explain(result.quotes[0].total).render()


def test_the_sample_offer_as_a_toml_request_reads_as_the_same_json(tmp_path: Path) -> None:
    """examples/elbaek.toml (every kind of TOML table and number the sample uses) wrapped
    as a request's offer, with the explanation."""
    offer = (ROOT / "examples" / "elbaek.toml").read_text(encoding="utf-8")
    offer = re.sub(r"^\[\[([^\]]+)\]\]", r"[[offer.\1]]", offer, flags=re.M)
    offer = re.sub(r"^\[([^\[\]]+)\]", r"[offer.\1]", offer, flags=re.M)
    text = "version = 1\n[offer]\n" + offer + "\n[options]\nexplain = true\n"
    assert takst.evaluate_json(takst._native.request_json(text)) == takst.evaluate_toml(text)
    path = tmp_path / "request.toml"
    path.write_text(text, encoding="utf-8")
    result = takst.compute(path)
    assert result.request is not None and result.compare(result).to_records() == []
    assert result.explain("average.day").render()


def test_toml_numbers_keep_their_value_in_json_form() -> None:
    text = 'version = 1\n[offer]\nname = "x"\nyear = 2026\nkind = "day"\ncapacity = { places = 20 }\n' \
           'occupancy = { budgeted_pct = 96.50 }\n[[offer.costs]]\nlabel = "Løn"\ncategory = "wages"\n' \
           'amount = 4000000.10\n'
    data = json.loads(takst._native.request_json(text), parse_float=str)
    assert data["offer"]["occupancy"]["budgeted_pct"] == "96.50"
    assert data["offer"]["costs"][0]["amount"] == "4000000.10"
    # TOML's own number forms: the same number in JSON's form (as the TOML reader gives its
    # text to the core), priced alike.
    for toml_form, json_form in (("+96.5", "96.5"), ("9_6.5", "96.5"), ("9.65e1", "9.65e1")):
        changed = text.replace("96.50", toml_form)
        as_json = takst._native.request_json(changed)
        assert json.loads(as_json, parse_float=str)["offer"]["occupancy"]["budgeted_pct"] == json_form
        assert takst.evaluate_json(as_json) == takst.evaluate_toml(changed)
    # What the core refuses is refused, with the core's error.
    with pytest.raises(takst.InputError) as e:
        takst._native.request_json(text.replace("96.50", "inf"))
    assert (e.value.code, e.value.path) == ("invalid_number", "offer.occupancy.budgeted_pct")
    with pytest.raises(takst.InputError) as e:
        takst._native.request_json("version = 1\nnmae = 2\n")
    assert e.value.code == "unknown_field"
    assert takst._native.request_json('{"version": 1}') == '{"version": 1}'


# Section fields


def _schema_numbers() -> set[str]:
    """The response properties whose schema is Decimal or Exact (a list of them too)."""
    schema = json.loads((ROOT / "schema" / "response.schema.json").read_text(encoding="utf-8"))
    defs = schema["$defs"]

    def number(s: dict[str, Any]) -> bool:
        if "$ref" in s:
            return s["$ref"].split("/")[-1] in ("Decimal", "Exact")
        for k in ("anyOf", "oneOf", "allOf"):
            if k in s:
                return any(number(x) for x in s[k])
        return s.get("type") == "array" and number(s.get("items", {}))

    return {k for d in defs.values() for k, p in (d.get("properties") or {}).items() if number(p)}


def test_the_number_fields_are_the_schema_s() -> None:
    assert finance._NUMBERS == _schema_numbers()


def _requests() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path in sorted([*(ROOT / "tests" / "cases").glob("*.json"), *(ROOT / "examples" / "requests").glob("*.json")]):
        d = json.loads(path.read_text(encoding="utf-8"))
        found.append((path.name, d.get("request", d)))
    return found


def _plain(v: Any) -> Any:
    """A section value as the response's JSON: amounts and dates back to their text."""
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_plain(x) for x in v]
    if isinstance(v, (Decimal, Fraction, dt.date)):
        return str(v) if not isinstance(v, dt.date) else v.isoformat()
    return v


@pytest.mark.parametrize("name,request_", _requests(), ids=lambda x: x if isinstance(x, str) else "")
def test_every_field_of_every_section_reads(name: str, request_: dict[str, Any]) -> None:
    try:
        result = takst.compute(json.dumps(request_))
    except takst.TakstError:
        return
    for section in result._sections():
        fields = section.raw.keys() if isinstance(section.raw, dict) else range(len(section.raw))
        for field in fields:
            value = section[field]
            # Nothing changed on the way: the same text back, and no word made a number.
            assert _plain(value) == section.raw[field], (name, field)
        section.to_records()
        section.to_pandas()
        section._repr_html_()
        repr(section)
        section.to_text()


def test_words_and_ids_stay_text() -> None:
    assert finance._value("refund_method", "monthly") == "monthly"
    assert finance._value("cases", [{"month": "2026-01", "amount": "1.50"}]) == [{"month": "2026-01", "amount": Decimal("1.50")}]
    assert finance._value("month", "4801.00") == Decimal("4801.00")
    assert finance._value("added", ["101", "0101"]) == ["101", "0101"]
    assert finance._value("municipality", "101") == "101"
    assert finance._value("change", "1250/31250") == Fraction(1, 25)


# Excel


def test_text_starting_with_equals_is_written_as_text(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    offer = takst.Offer.sample().to_dict()
    offer["services"][0]["name"] = '=HYPERLINK("http://evil","klik")'
    r0 = takst.Offer.from_dict(offer).compute()
    assert r0.sheet is not None
    r = takst.price({"start": dt.date(2026, 3, 1), "phases": [{"service": r0.sheet.services[0].id, "months": 2}],
                     "municipality": "+1", "id": "=1+1"}, r0.sheet, caseload=True)
    texts = set()
    for result in (r0, r):
        path = tmp_path / "out.xlsx"
        result.to_excel(path)
        wb = openpyxl.load_workbook(path)
        for ws in wb:
            for row in ws.iter_rows():
                for c in row:
                    assert c.data_type != "f", (ws.title, c.coordinate, c.value)
                    if isinstance(c.value, str) and c.value[:1] in "=+":
                        texts.add(c.value)
                        assert c.quotePrefix
    assert {'=HYPERLINK("http://evil","klik")', "=1+1", "+1"} <= texts


# Scenarios.to_pandas


def test_a_scenario_table_has_one_dtype_and_stays_exact() -> None:
    d = json.loads((ROOT / "tests" / "cases" / "scenario-partner-added.json").read_text(encoding="utf-8"))
    scenarios = takst.compute(json.dumps(d["request"])).scenarios
    assert scenarios is not None
    df = scenarios.to_pandas()
    for c in ("before", "after", "change"):
        assert df[c].dtype == object
        assert all(v is None or isinstance(v, (Decimal, Fraction)) for v in df[c]), c
    assert any(isinstance(v, Fraction) for v in df["change"]) or any(isinstance(v, Fraction) for v in df["after"])
    assert list(df.columns) == ["scenario", "key", "label", "unit", "before", "after", "change"]
    # Exact sums: of a unit's Decimal figures, and of all as fractions.
    total = sum(map(Fraction, df["change"].dropna()))
    assert isinstance(total, Fraction)
    kroner = df[df["unit"] == "kr"]["change"].dropna()
    assert all(isinstance(v, Decimal) for v in kroner)
    assert isinstance(kroner.sum(), (Decimal, int))
    # Counts are not money: no øre added to days.
    for unit, value in zip(df["unit"], df["before"]):
        if isinstance(value, Decimal) and not str(unit).startswith("kr"):
            assert value == Decimal(str(value).rstrip("0").rstrip(".") if "." in str(value) else str(value))
    # Without a fraction the column's dtype is the same.
    first = scenarios.to_pandas().head(1)
    assert first["change"].dtype == object


# dates


@pytest.fixture(scope="module")
def elbaek() -> takst.TariffSheet:
    return takst.read_sheet(SHEET)


def _price_one(start: Any, sheet: takst.TariffSheet) -> Any:
    try:
        return str(takst.price({"start": start, "phases": PLAN}, sheet).quotes[0].total)
    except takst.TakstError as e:
        return (e.code, e.path, e.message)


def _price_batch(start: Any, sheet: takst.TariffSheet) -> Any:
    df = pd.DataFrame({"start": pd.Series([start], dtype=object), "phases": [PLAN]})
    try:
        return str(takst.price_courses(df, sheet, progress=False)["total"].iloc[0])
    except takst.TakstError as e:
        return (e.code, e.path, e.message)


@pytest.mark.parametrize("start", [
    dt.date(2026, 3, 1), dt.datetime(2026, 3, 1), pd.Timestamp("2026-03-01"), np.datetime64("2026-03-01"),
    np.datetime64("2026-03-01T00:00:00"), np.datetime64("2026-03-01T00:00:00.000000000"),
    np.datetime64("2026-03-01T00", "h"),
], ids=repr)
def test_a_date_at_midnight_prices_alike_on_both_paths(start: Any, elbaek: takst.TariffSheet) -> None:
    expected = _price_one(dt.date(2026, 3, 1), elbaek)
    assert _price_one(start, elbaek) == expected
    assert _price_batch(start, elbaek) == expected


@pytest.mark.parametrize("start", [
    dt.datetime(2026, 3, 1, 12), dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc), pd.Timestamp("2026-03-01 00:00:00.000000001"),
    pd.Timestamp("2026-03-01", tz="Europe/Copenhagen"), np.datetime64("2026-03-01T12:00"),
    np.datetime64("2026-03-01T00:00:00.000000001"), np.datetime64("2026-03"), np.datetime64("2026"),
    np.datetime64("2026-03-02", "W"),
], ids=repr)
def test_a_value_that_is_not_a_day_is_refused_alike_on_both_paths(start: Any, elbaek: takst.TariffSheet) -> None:
    one = _price_one(start, elbaek)
    assert isinstance(one, tuple), one
    code, path, message = one
    assert (code, path) == ("invalid_value", "courses[0].start")
    assert "give a date" in message and not message.startswith("courses[0]")
    assert _price_batch(start, elbaek) == one


def test_coarse_datetime64_says_what_it_is(elbaek: takst.TariffSheet) -> None:
    assert "is a month, not a day" in _price_one(np.datetime64("2026-03"), elbaek)[2]
    assert "is a year, not a day" in _price_one(np.datetime64("2026"), elbaek)[2]


@pytest.mark.parametrize("nat", [pd.NaT, np.datetime64("NaT"), np.datetime64("NaT", "ns")], ids=repr)
def test_nat_is_a_missing_date_on_both_paths(nat: Any, elbaek: takst.TariffSheet) -> None:
    missing = _price_one(None, elbaek)
    assert missing[:2] == ("missing_value", "courses[0].start")
    assert _price_one(nat, elbaek) == missing
    assert _price_batch(nat, elbaek)[:2] == missing[:2]


# a sheet holding Decimal


def test_a_sheet_with_decimals_writes_exactly(tmp_path: Path) -> None:
    raw = json.loads(SHEET.read_text(encoding="utf-8"))
    raw["add_ons"][1]["price"] = Decimal("3.790")
    sheet = takst.TariffSheet(raw)
    assert "TAKSTBLAD" in sheet.to_text().upper()
    path = tmp_path / "sheet.json"
    sheet.save(path)
    text = path.read_text(encoding="utf-8")
    assert '\n  "' in text  # indented
    back = takst.read_sheet(path)
    assert back.raw["add_ons"][1]["price"] == "3.790"
    assert takst.price(COURSE_WITH_KM, back).quotes[0].total == takst.price(COURSE_WITH_KM, sheet).quotes[0].total
    raw["add_ons"][1]["price"] = 3.79
    with pytest.raises(takst.InputTypeError) as e:
        takst.TariffSheet(raw).save(tmp_path / "float.json")
    assert e.value.path == "catalogue.add_ons[1].price"


# messages and paths


def test_a_problem_found_in_python_names_its_path_once(elbaek: takst.TariffSheet) -> None:
    with pytest.raises(takst.InputTypeError) as e:
        takst.price({"start": dt.date(2026, 3, 1), "phases": [{"service": "udredning", "months": 1.0}]}, elbaek)
    assert e.value.path == "courses[0].phases[0].months"
    assert str(e.value).count("courses[0].phases[0].months") == 1


def test_from_costs_reports_the_request_path_and_names_the_column() -> None:
    o = json.loads(takst._native.sample_offer())
    fields = {k: v for k, v in o.items() if k != "costs"}
    df = pd.DataFrame({"label": ["Løn", "Husleje"], "category": ["wages", "premises"], "Beløb": ["1000000", 2.5]})
    with pytest.raises(takst.InputTypeError) as e:
        takst.Offer.from_costs(df, amount="Beløb", **fields)
    assert e.value.path == "offer.costs[1].amount"
    assert "'Beløb'" in e.value.message and str(e.value).count("offer.costs[1].amount") == 1
