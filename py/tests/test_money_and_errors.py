"""Money in and out as Decimal, floats refused, dates as dates, errors as exceptions with
code and path."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

import takst
from takst.errors import _CLASSES


def offer(**over: object) -> takst.Offer:
    fields: dict = dict(
        name="Eksempel", year=2026, kind="residential", capacity={"places": 10},
        occupancy={"budgeted_pct": 95},
        costs=[{"label": "Løn og drift", "category": "wages", "amount": Decimal("9500000")}],
    )
    fields.update(over)
    return takst.Offer.from_dict(fields)  # unknown fields reach the core, which names them


def test_the_readme_example_in_decimal() -> None:
    r = offer().compute(explain=False)
    avg = r.sheet.average
    assert (avg.day, avg.month, avg.year) == (Decimal("2740"), Decimal("83333"), Decimal("1000000"))
    assert r.neutrality["residue"] == Decimal("950")


@pytest.mark.parametrize("amount", [9500000, "9500000", Decimal("9500000.00")])
def test_int_str_and_decimal_are_money(amount: object) -> None:
    costs = [{"label": "x", "category": "wages", "amount": amount}]
    assert offer(costs=costs).compute().sheet.average.day == Decimal("2740")


def test_a_float_for_money_is_refused_with_the_reason() -> None:
    costs = [{"label": "x", "category": "wages", "amount": 9500000.0}]
    with pytest.raises(TypeError, match=r"offer\.costs\[0\]\.amount: .*float.*0\.1 kr"):
        offer(costs=costs).compute()
    with pytest.raises(TypeError, match="float"):
        takst.evaluate({"version": 1, "offer": {"x": 0.1}})


def test_errors_carry_code_path_message_and_all_errors() -> None:
    with pytest.raises(takst.InputError) as e:
        offer(nmae="x").compute()
    assert e.value.code == "unknown_field"
    assert e.value.path == "offer.nmae"
    assert isinstance(e.value, takst.TakstError) and isinstance(e.value, ValueError)
    with pytest.raises(TypeError, match="nmae"):  # the signature has the offer's fields
        takst.Offer(nmae="x")  # type: ignore[call-arg]
    with pytest.raises(takst.ValidationError) as e:
        offer(capacity={"places": 0}).compute()
    assert (e.value.code, e.value.path) == ("not_positive", "offer.capacity.places")


def test_errors_and_warnings_carry_a_danish_message() -> None:
    with pytest.raises(takst.ValidationError) as e:
        offer(capacity={"places": 0}).compute()
    assert e.value.message_da == "Antallet af pladser skal være større end 0, men er 0."
    assert e.value.errors[0].message_da == e.value.message_da
    r = offer(occupancy={"budgeted_pct": "92.5"}).compute()
    assert r.warnings[0].message_da == (
        "Den budgetterede belægning på 92,5 % er under båndet: det aftalte bånd starter ved 95 %."
    )
    html = r._repr_html_()
    assert "Den budgetterede belægning på 92,5 %" in html and "occupancy_below_band" in html
    assert takst.evaluate("not json")["errors"][0]["message_da"].startswith("Teksten er ikke")


def test_evaluate_is_the_core_entry_point_and_never_raises_for_bad_input() -> None:
    r = takst.evaluate({"version": 1, "offer": {"nmae": "x"}})
    assert r["ok"] is False and r["errors"][0]["path"] == "offer.nmae"
    assert takst.evaluate("not json")["errors"][0]["code"] == "syntax"


def test_every_error_code_has_an_exception_class(root: Path) -> None:
    schema = json.loads((root / "schema" / "response.schema.json").read_text(encoding="utf-8"))
    codes = [v.get("const") or v["enum"][0] for v in schema["$defs"]["ErrorCode"]["oneOf"]]
    assert codes and sorted(codes) == sorted(_CLASSES)


def test_warnings_are_a_list_and_optionally_python_warnings() -> None:
    low = offer(occupancy={"budgeted_pct": 90})
    r = low.compute()
    assert [w.code for w in r.warnings] == ["occupancy_below_band"]
    with pytest.warns(takst.TakstWarning, match="occupancy"):
        low.compute(warn=True)


def test_dates_in_and_out(sheet: takst.TariffSheet) -> None:
    course = takst.Course(start=dt.date(2026, 1, 31), phases=[takst.Phase(service="udvikling", months=1)])
    q = takst.price(course, sheet).quotes[0]
    assert q.lines[0].start == dt.date(2026, 1, 31)
    assert q.lines[-1].end == dt.date(2026, 2, 27)
    with pytest.raises(takst.InputError, match="time of day"):
        takst.price(takst.Course(start=dt.datetime(2026, 1, 1, 12), phases=[]), sheet)


def test_an_unknown_service_names_the_phase(sheet: takst.TariffSheet) -> None:
    course = {"start": dt.date(2026, 1, 1), "phases": [{"service": "ukendt", "months": 1}]}
    with pytest.raises(takst.ValidationError) as e:
        takst.price(course, sheet)
    assert e.value.code == "unknown_reference"
    assert e.value.path == "courses[0].phases[0].service"


def test_offer_files_toml_and_json(root: Path) -> None:
    toml = takst.Offer.from_file(root / "examples" / "elbaek.toml")
    assert toml.compute().sheet["udredning"].day == Decimal("4801")
    assert takst.Offer.sample().to_dict() == toml.to_dict()


def test_a_malformed_json_number_is_a_syntax_error_with_its_position() -> None:
    import json as _json

    import takst as _takst

    out = _json.loads(_takst.evaluate_json('{"version": 01}'))
    assert out["errors"][0]["code"] == "syntax"
    assert (out["errors"][0]["line"], out["errors"][0]["column"]) == (1, 14)
    assert out["errors"][0]["message_da"].startswith("Teksten er ikke gyldig JSON")
