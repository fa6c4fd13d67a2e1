"""Problems Python sees before the core: every one a TakstError with the core's code and
the field's path (issue 16 §6)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pytest

import takst


def offer(**over: Any) -> dict[str, Any]:
    fields: dict[str, Any] = dict(
        name="Eksempel", year=2026, kind="residential", capacity={"places": 10},
        occupancy={"budgeted_pct": 95},
        costs=[{"label": "Løn og drift", "category": "wages", "amount": Decimal("9500000")}],
    )
    fields.update(over)
    return fields


def compute(**over: Any) -> takst.Result:
    return takst.Offer.from_dict(offer(**over)).compute()


def amount(v: Any) -> list[dict[str, Any]]:
    return [{"label": "x", "category": "wages", "amount": v}]


@pytest.mark.parametrize("bad", ["NaN", "sNaN", "-NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_invalid_numbers_at_their_path(bad: str) -> None:
    with pytest.raises(takst.InputError) as e:
        compute(costs=amount(Decimal(bad)))
    assert (e.value.code, e.value.path) == ("invalid_number", "offer.costs[0].amount")
    assert isinstance(e.value, takst.TakstError) and isinstance(e.value, ValueError)


def test_a_huge_integer_is_an_invalid_number_at_its_path() -> None:
    with pytest.raises(takst.InputError) as e:
        compute(costs=amount(10**5000))
    assert (e.value.code, e.value.path) == ("invalid_number", "offer.costs[0].amount")
    assert "5001 digits" in e.value.message
    # Beyond 28 digits but printable: the core's own refusal, same code and path.
    with pytest.raises(takst.InputError) as e:
        compute(costs=amount(10**40))
    assert (e.value.code, e.value.path) == ("invalid_number", "offer.costs[0].amount")


def test_a_huge_exponent_is_refused_before_it_is_written_out() -> None:
    with pytest.raises(takst.InputError) as e:
        compute(costs=amount(Decimal("1E+999999999")))
    assert (e.value.code, e.value.path) == ("invalid_number", "offer.costs[0].amount")


def test_a_lone_surrogate_is_an_invalid_value_at_its_path() -> None:
    with pytest.raises(takst.InputError) as e:
        compute(costs=[{"label": "a\ud800b", "category": "wages", "amount": 1}])
    assert (e.value.code, e.value.path) == ("invalid_value", "offer.costs[0].label")
    with pytest.raises(takst.InputError) as e:
        compute(capacity={"pl\udcffaces": 10})
    assert e.value.code == "invalid_value" and e.value.path == "offer.capacity"


def test_a_key_that_is_not_text_is_refused_at_its_dict_and_keys_are_escaped() -> None:
    with pytest.raises(takst.InputTypeError) as e:
        compute(capacity={("places",): 10})
    assert (e.value.code, e.value.path) == ("invalid_type", "offer.capacity")
    assert "a key of type tuple" in e.value.message
    # A key or value with a quote, a backslash or a control character is written escaped, so
    # the core reads exactly that text (here: an unknown field, named as it was given).
    with pytest.raises(takst.InputError) as e:
        compute(capacity={"places": 10, 'pl"a\\ces\n': 10})
    assert e.value.code == "unknown_field"
    assert 'pl"a\\ces\n' in e.value.message


def test_deep_nesting_is_the_cores_syntax_error_with_a_path() -> None:
    deep: Any = []
    for _ in range(100_000):
        deep = [deep]
    with pytest.raises(takst.InputError) as e:
        compute(services=deep)
    assert e.value.code == "syntax"
    assert e.value.path.startswith("offer.services[0][0]")
    assert "recursion limit" in e.value.message
    # A list that contains itself is not followed for ever either.
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(takst.InputError):
        compute(services=loop)


def test_keys_that_become_the_same_text_are_the_cores_duplicate_key() -> None:
    class Key(str):
        """A str subclass equal only to itself (so a dict keeps it beside "places")."""

        def __eq__(self, other: object) -> bool:
            return other is self

        def __hash__(self) -> int:
            return id(self)

    capacity = {"places": 10, Key("places"): 12}
    assert len(capacity) == 2
    with pytest.raises(takst.InputError) as e:
        compute(capacity=capacity)
    assert (e.value.code, e.value.path) == ("duplicate_key", "offer.capacity.places")
    # An int key and its text: the same field twice.
    errors = takst.evaluate({"version": 1, "offer": offer(settings={1: "x", "1": "y"})})["errors"]
    assert ("duplicate_key", "offer.settings.1") in [(e["code"], e["path"]) for e in errors]


def test_a_float_is_a_takst_error_and_a_type_error() -> None:
    with pytest.raises(takst.TakstError) as e:
        compute(costs=amount(9500000.0))
    assert isinstance(e.value, TypeError) and isinstance(e.value, takst.InputTypeError)
    assert isinstance(e.value, takst.InputError)
    assert (e.value.code, e.value.path) == ("invalid_type", "offer.costs[0].amount")
    assert "0.1 kr" in e.value.message
    for value in (np.float64(1.5), np.float32(1.5)):
        with pytest.raises(takst.InputTypeError):
            compute(costs=amount(value))


def test_numpy_integers_are_integers() -> None:
    r = compute(capacity={"places": np.int64(10)}, year=np.int32(2026), costs=amount(np.int64(9500000)))
    assert r.sheet is not None and r.sheet.average is not None
    assert r.sheet.average.day == Decimal("2740")
    assert json.loads(takst._convert.to_json({"a": np.int64(7), "b": np.bool_(True)})) == {"a": 7, "b": True}


def test_a_datetime_with_a_time_where_a_date_is_taken_is_refused(sheet: takst.TariffSheet) -> None:
    """A datetime is its date at midnight without a time zone (as `price_courses` reads a
    start column of Timestamps); with a time of day it is no date."""
    with pytest.raises(takst.InputError) as e:
        takst.price({"start": dt.datetime(2026, 1, 1, 8), "phases": [{"service": "udvikling", "months": 1}]}, sheet)
    assert (e.value.code, e.value.path) == ("invalid_value", "courses[0].start")
    assert "has a time of day" in e.value.message


def test_an_object_takst_cannot_send_is_a_type_error_at_its_path() -> None:
    with pytest.raises(takst.InputTypeError) as e:
        compute(capacity={"places": object()})
    assert e.value.path == "offer.capacity.places" and "cannot send" in e.value.message


def test_batch_problems_before_the_core_name_the_row(sheet: takst.TariffSheet) -> None:
    plan = [{"service": "udvikling", "months": 1}]
    df = pd.DataFrame({"start": [dt.date(2026, 1, 1)] * 3,
                       "phases": [plan, [{"service": "udvikling", "months": 1.0}], plan]})
    with pytest.raises(takst.InputTypeError) as e:
        takst.price_courses(df, sheet)
    assert e.value.path == "courses[1].phases[0].months"
    df = pd.DataFrame({"start": [dt.date(2026, 1, 1), pd.Timestamp("2026-01-01 12:00")], "phases": [plan, plan]})
    with pytest.raises(takst.InputError) as e:
        takst.price_courses(df, sheet)
    assert (e.value.code, e.value.path) == ("invalid_value", "courses[1].start")
    df = pd.DataFrame({"start": [dt.date(2026, 1, 1)], "phases": ['[{"service": "udvikling"}]]}, "x": 1}']})
    with pytest.raises(takst.InputError) as e:
        takst.price_courses(df, sheet)
    assert (e.value.code, e.value.path) == ("syntax", "courses[0].phases")


def test_danish_messages_are_carried_when_the_core_gives_them() -> None:
    p = takst.Problem.from_dict({"code": "negative", "path": "x", "message": "negative", "message_da": "negativ"})
    assert p.text_da == "negativ"
    e = takst.errors.error_for([{"code": "negative", "path": "x", "message": "m", "message_da": "da"}])
    assert e.message_da == "da"
    assert takst.Problem.from_dict({"code": "c", "path": "", "message": "m"}).text_da == "m"


def test_serde_json_s_number_token_as_a_key_is_an_object_from_a_dict_and_from_text() -> None:
    # serde_json hands the core a number's text under this key; written by a user it is a
    # key, so the amount is an object (invalid_type) whether the request is a dict or text.
    request = {"version": 1, "offer": offer(costs=amount({"$serde_json::private::Number": "5"}))}
    from_dict = takst.evaluate(request)["errors"]
    from_text = takst.evaluate(json.dumps(request, default=str))["errors"]
    assert from_dict == from_text
    assert [(e["code"], e["path"]) for e in from_dict] == [("invalid_type", "offer.costs[0].amount")]


def test_request_text_with_a_lone_surrogate_is_answered_not_raised() -> None:
    """`evaluate_json` never raises: a str with a lone surrogate (which Python holds and no
    UTF-8 can) is answered with `invalid_value` where it is, as the JS package answers it.
    It used to raise a bare UnicodeEncodeError."""
    text = '{"version": 1, "x": "a\udc00"}'
    for f in (takst._native.evaluate_json, takst._native.evaluate_toml):
        r = json.loads(f(text))
        assert r["ok"] is False
        assert (r["errors"][0]["code"], r["errors"][0]["path"]) == ("invalid_value", "")
        assert f"lone surrogate at character {text.index(chr(0xDC00))}," in r["errors"][0]["message"]


class _Growing:
    """A value whose `to_dict` adds a key to the dict that holds it, while takst reads it."""

    def __init__(self, holder: dict[str, Any]) -> None:
        self.holder = holder

    def to_dict(self) -> dict[str, Any]:
        self.holder["added"] = 1
        return {"places": 10}


def test_a_dict_changed_by_its_values_own_code_is_an_error_not_a_panic() -> None:
    # pyo3's dict iterator panicked here ("dictionary changed size during iteration"), which
    # Python sees as a PanicException, a BaseException no `except Exception` catches.
    request = {"version": 1, "offer": offer()}
    request["offer"]["capacity"] = _Growing(request["offer"])
    with pytest.raises(takst.InputError) as e:
        takst.evaluate(request)
    assert (e.value.code, e.value.path) == ("invalid_value", "offer")
    assert "changed size" in e.value.message


def _sheet() -> takst.TariffSheet:
    from pathlib import Path

    return takst.read_sheet(Path(__file__).resolve().parents[2] / "examples/published/elbaek.json")


def test_a_list_that_code_made_hold_itself_is_too_deep_not_a_crash() -> None:
    # The batch compares a row's phase list with the row before's: a list a later cell's
    # code made hold itself was walked without end (a stack overflow: the process died).
    first = [{"service": "udredning", "months": 5}]
    second = [{"service": "udredning", "months": 5}]

    class Id:
        def __index__(self) -> int:
            first.append(first)
            second.append(second)
            return 7

    df = pd.DataFrame({"id": ["a", Id()], "start": [dt.date(2026, 9, 15)] * 2, "phases": [first, second]})
    with pytest.raises(takst.InputError) as e:
        takst.price_courses(df, _sheet())
    assert e.value.code == "syntax" and e.value.path.startswith("courses[1].phases")


def test_a_start_whose_item_never_ends_is_not_a_date() -> None:
    # Two types claiming to be numpy's, whose item() gives the other: followed once.
    class A:
        __module__ = "numpy"

        def item(self) -> Any:
            return B()

    class B:
        __module__ = "numpy"

        def item(self) -> Any:
            return A()

    df = pd.DataFrame({"start": pd.Series([A()], dtype=object),
                       "phases": [[{"service": "udredning", "months": 5}]]})
    with pytest.raises(takst.InputError) as e:
        takst.price_courses(df, _sheet())
    assert e.value.path == "courses[0].start"
    assert "a value of type" in e.value.message


def test_a_structure_sharing_its_parts_is_refused_at_the_size_limit() -> None:
    # 2**40 values written out, from 80 objects: refused at the core's 16 MiB, not written
    # until memory runs out.
    v: Any = {"service": "udredning", "months": 5}
    for _ in range(40):
        v = {"a": v, "b": [v]}
    with pytest.raises(takst.TakstError) as e:
        takst.evaluate({"version": 1, "courses": [{"start": "2026-09-15", "phases": [v]}]})
    assert e.value.code == "limit_exceeded"
    assert e.value.path.startswith("courses[0].phases[0]")
    # A start cell that is such a structure is named by its type, not written out.
    w: Any = ["2026-09-15"]
    for _ in range(130):
        w = [w, w]
    df = pd.DataFrame({"start": pd.Series([w], dtype=object),
                       "phases": [[{"service": "udredning", "months": 5}]]})
    with pytest.raises(takst.InputError) as e:
        takst.price_courses(df, _sheet())
    assert e.value.path == "courses[0].start" and "a value of type list" in e.value.message


class _Swapping:
    """A value whose `to_dict` removes a key already read and adds another: the dict keeps
    its size, and Python's own iteration says "dictionary keys changed during iteration"."""

    def __init__(self, holder: dict[str, Any]) -> None:
        self.holder = holder

    def to_dict(self) -> dict[str, Any]:
        del self.holder["name"]
        self.holder["settings"] = {}
        return {"places": 10}


def test_a_dict_whose_keys_its_values_own_code_changes_is_an_error() -> None:
    # Read on, the walk gave `name` (no longer there) and `settings` (never there with it):
    # a request the dict never was, computed without a word.
    request = {"version": 1, "offer": offer()}
    request["offer"]["capacity"] = _Swapping(request["offer"])
    with pytest.raises(takst.InputError) as e:
        takst.evaluate(request)
    assert (e.value.code, e.value.path) == ("invalid_value", "offer")


class _Raising:
    """A value whose `to_dict` raises what it is given."""

    def __init__(self, exc: BaseException) -> None:
        self.exc = exc

    def to_dict(self) -> dict[str, Any]:
        raise self.exc


@pytest.mark.parametrize("exc", [KeyboardInterrupt(), SystemExit(3), MemoryError()])
def test_ctrl_c_and_its_like_in_a_values_code_are_raised_as_they_are(exc: BaseException) -> None:
    # They became an InputTypeError at the value's path: Ctrl-C while takst read a request
    # or a table was lost, and the read went on.
    request = {"version": 1, "offer": offer(capacity=_Raising(exc))}
    with pytest.raises(type(exc)):
        takst.evaluate(request)
    calls = []

    def phases() -> list[Any]:
        return [{"service": "udredning", "months": 5}]

    class Counted(_Raising):
        def to_dict(self) -> dict[str, Any]:
            calls.append(1)
            raise self.exc

    df = pd.DataFrame({
        "start": [dt.date(2026, 9, 15)] * 5,
        "phases": [phases(), phases(), [Counted(exc)], phases(), [Counted(exc)]],
    })
    with pytest.raises(type(exc)):
        takst.price_courses(df, _sheet())
    assert calls == [1]  # the read stops there: not read again, not read on

    class Start(dt.date):
        def toordinal(self) -> int:
            raise exc

    df = pd.DataFrame({"start": pd.Series([Start(2026, 9, 15)], dtype=object),
                       "phases": [phases()]})
    with pytest.raises(type(exc)):
        takst.price_courses(df, _sheet())


def test_an_ordinary_exception_in_a_values_code_is_still_an_error_at_its_path() -> None:
    request = {"version": 1, "offer": offer(capacity=_Raising(ValueError("no places")))}
    with pytest.raises(takst.InputTypeError) as e:
        takst.evaluate(request)
    assert e.value.path == "offer.capacity" and "no places" in e.value.message


class _Unreadable(dt.datetime):
    """A datetime whose hour cannot be read."""

    @property
    def hour(self) -> int:  # type: ignore[override]
        raise ValueError("no hour here")


def test_a_datetime_whose_time_cannot_be_read_is_not_taken_for_midnight() -> None:
    # It was read as a zone-less midnight: its date, without a word.
    start = _Unreadable(2026, 9, 15, 13, 30)
    with pytest.raises(takst.InputError) as e:
        takst.evaluate({"version": 1, "courses": [{"start": start, "phases": []}]})
    assert (e.value.code, e.value.path) == ("invalid_value", "courses[0].start")
    assert "no hour here" in e.value.message
    df = pd.DataFrame({"start": pd.Series([start], dtype=object),
                       "phases": [[{"service": "udredning", "months": 5}]]})
    with pytest.raises(takst.InputError) as e:
        takst.price_courses(df, _sheet())
    assert (e.value.code, e.value.path) == ("invalid_value", "courses[0].start")
    assert "no hour here" in e.value.message


@pytest.mark.parametrize("content", ["[]", "null", "3"])
def test_a_sheet_file_that_is_no_object_is_a_takst_error(tmp_path: Any, content: str) -> None:
    # It was read, and failed later with an AttributeError in whatever used it.
    path = tmp_path / "sheet.json"
    path.write_text(content)
    with pytest.raises(takst.InputTypeError) as e:
        takst.read_sheet(path)
    assert (e.value.code, e.value.path) == ("invalid_type", "")


def test_a_sheet_file_is_checked_by_the_cores_reader_at_its_fields(tmp_path: Any) -> None:
    from pathlib import Path

    sheet = json.loads((Path(__file__).resolve().parents[2] / "examples/published/elbaek.json").read_text())
    sheet["offer"]["year"] = "x"
    del sheet["services"][0]["name"]
    path = tmp_path / "sheet.json"
    path.write_text(json.dumps(sheet))
    with pytest.raises(takst.InputError) as e:
        takst.read_sheet(path)
    assert [(p.code, p.path) for p in e.value.errors] == [
        ("invalid_type", "offer.year"), ("missing_field", "services[0].name")]
    path.write_text('{"format": ')
    with pytest.raises(takst.InputError) as e:
        takst.read_sheet(path)
    assert e.value.code == "syntax" and e.value.errors[0].line == 1


def test_an_integer_of_more_digits_than_python_converts_is_refused_at_its_field(tmp_path: Any) -> None:
    # Python's JSON reader stops at 4,300 digits, and the file was "not JSON"; the core
    # reads it as a number and refuses it where it stands, as `price` does from the text.
    from pathlib import Path

    sheet = (Path(__file__).resolve().parents[2] / "examples/published/elbaek.json").read_text()
    text = sheet.replace('"year": 2026', '"year": ' + "9" * 5000, 1)
    assert text != sheet
    path = tmp_path / "sheet.json"
    path.write_text(text)
    with pytest.raises(takst.InputError) as e:
        takst.read_sheet(path)
    assert (e.value.code, e.value.path) == ("invalid_number", "offer.year")
    from takst._convert import from_json

    assert from_json('{"places": ' + "7" * 5000 + "}")["places"] == Decimal("7" * 5000)


def test_a_table_arrow_rs_cannot_import_is_a_takst_error() -> None:
    pl = pytest.importorskip("polars")
    df = pl.DataFrame({"id": pl.Series([1], dtype=pl.Int128), "start": [dt.date(2026, 9, 15)],
                       "phases": [json.dumps([{"service": "udredning", "months": 5}])]})
    with pytest.raises(takst.InputTypeError) as e:
        takst.price_courses(df, _sheet())
    assert e.value.path == "courses" and "could not be read as Arrow" in e.value.message


def _months_priced(df: pd.DataFrame) -> list[int]:
    return [int(d) for d in takst.price_courses(df, _sheet())["days"]]


def test_a_list_a_later_cells_code_changes_is_priced_as_it_is_then() -> None:
    # The batch places a list it built at an earlier row again when a row holds the same
    # object (or an equal one): a later cell's own code (an `__index__`) that changed it was
    # not seen, and the row was priced as the list first was, without a word.
    def frame(ids: list[Any], phases: list[Any]) -> pd.DataFrame:
        return pd.DataFrame({"id": pd.Series(ids, dtype=object),
                             "start": [dt.date(2026, 9, 15)] * len(ids), "phases": phases})

    def plan(months: int) -> list[dict[str, Any]]:
        return [{"service": "udredning", "months": months}]

    expected = _months_priced(frame(["a", "b"], [plan(5), plan(7)]))
    assert expected[0] != expected[1]
    shared = plan(5)

    class Lengthens:
        def __init__(self, what: list[dict[str, Any]]) -> None:
            self.what = what

        def __index__(self) -> int:
            self.what[0]["months"] = 7
            return 2

    # The same object in both rows.
    assert _months_priced(frame(["a", Lengthens(shared)], [shared, shared])) == expected
    # An equal list at the next row, after the first row's was changed to equal it.
    first, second = plan(5), plan(7)
    assert _months_priced(frame(["a", Lengthens(first)], [first, second])) == expected



#: What the values below raise from their `repr()`, `str()` or `__class__` while a test
#: arms them (and only then: pytest shows them when a test fails).
_ARMED: list[BaseException] = []


def _interrupt() -> None:
    if _ARMED:
        raise _ARMED[0]


class _ClassRaises:
    """A value whose `__class__` (which `isinstance` reads) raises when armed: a proxy."""

    @property  # type: ignore[misc]
    def __class__(self) -> type:  # type: ignore[override]
        _interrupt()
        return object

    def to_dict(self) -> dict[str, Any]:
        return {"places": 10}


class _IntRaisingStr(int):
    def __str__(self) -> str:
        _interrupt()
        return int.__repr__(self)

    __repr__ = __str__


def test_ctrl_c_in_a_values_repr_str_or_class_is_raised_as_it_is() -> None:
    # Code a value runs while takst asks what it is (its `__class__`), or writes it into a
    # message (its `repr()`, `str()`), is its own code too: Ctrl-C there was swallowed, and
    # the value read as another or reported at its path.
    class Float(float):
        def __repr__(self) -> str:
            _interrupt()
            return "Float"

    class Dec(Decimal):
        def __str__(self) -> str:
            _interrupt()
            return "Dec"

    class Timed(dt.datetime):
        def __repr__(self) -> str:
            _interrupt()
            return "Timed"

    proxy = _ClassRaises()
    values: list[Any] = [Float(1.5), Dec("NaN"), Dec("1E+5000"), Timed(2026, 9, 15, 13),
                         {_IntRaisingStr(1): 2}, proxy]
    df = pd.DataFrame({"start": pd.Series([proxy], dtype=object),
                       "phases": [[{"service": "udredning", "months": 5}]]})
    raised = []
    _ARMED.append(KeyboardInterrupt())
    try:
        for value in [*values, df]:
            try:
                if value is df:
                    takst.price_courses(df, _sheet())
                else:
                    takst.evaluate({"version": 1, "offer": offer(capacity=value)})
            except KeyboardInterrupt:
                raised.append(True)
            except takst.TakstError:
                raised.append(False)
            else:
                raised.append(None)
    finally:
        _ARMED.clear()
    assert raised == [True] * (len(values) + 1)


class _ModuleRaises(type):
    """A metaclass whose classes' `__module__` (which tells numpy's types) raises when armed."""

    @property
    def __module__(cls) -> str:  # type: ignore[override]
        _interrupt()
        return "elsewhere"


class _NameRaises(type):
    """A metaclass whose classes' `__name__` (which a message names) raises when armed."""

    @property
    def __name__(cls) -> str:  # type: ignore[override]
        _interrupt()
        return "Named"


def test_ctrl_c_in_a_metaclasss_module_or_name_is_raised_as_it_is() -> None:
    # takst asks a value's type for its `__module__` (a numpy scalar?) and its `__name__`
    # (NaT? and the message "cannot send a … to takst"): a metaclass's own code, whose
    # Ctrl-C was swallowed and the value refused at its path.
    class ByModule(metaclass=_ModuleRaises):
        pass

    class ByName(metaclass=_NameRaises):
        pass

    for value in [ByModule(), ByName()]:
        # Unarmed: refused at its path, by its name when it has one.
        with pytest.raises(takst.InputTypeError) as e:
            takst.evaluate({"version": 1, "offer": offer(capacity=value)})
        assert e.value.path == "offer.capacity"
        assert ("Named" if isinstance(value, ByName) else "ByModule") in e.value.message
        frames = [
            pd.DataFrame({"start": pd.Series([value], dtype=object),
                          "phases": [[{"service": "udredning", "months": 5}]]}),
            pd.DataFrame({"start": [dt.date(2026, 9, 15)],
                          "municipality": pd.Series([value], dtype=object),
                          "phases": [[{"service": "udredning", "months": 5}]]}),
        ]
        _ARMED.append(KeyboardInterrupt())
        try:
            with pytest.raises(KeyboardInterrupt):
                takst.evaluate({"version": 1, "offer": offer(capacity=value)})
            for df in frames:
                with pytest.raises(KeyboardInterrupt):
                    takst.price_courses(df, _sheet())
        finally:
            _ARMED.clear()


def test_ctrl_c_in_a_numpy_integers_own_index_is_raised_as_it_is() -> None:
    # A numpy integer's value is read by its `__index__`, which a subclass may give: a
    # Ctrl-C there was dropped, and the value read by `item()` as if nothing happened.
    class Interrupting(np.int64):
        __module__ = "numpy"  # as numpy's own: read as a numpy integer

        def __index__(self) -> int:
            _interrupt()
            return 2026

    _ARMED.append(KeyboardInterrupt())
    try:
        with pytest.raises(KeyboardInterrupt):
            takst.evaluate({"version": 1, "offer": offer(capacity={"places": Interrupting(12)})})
    finally:
        _ARMED.clear()


def test_a_municipality_code_is_what_index_gives_only_when_that_is_an_integer() -> None:
    # `price()` takes `operator.index(v)`, which refuses an `__index__` that gives no `int`;
    # the batch wrote whatever it gave (a text) as the code.
    class Text:
        def __index__(self) -> Any:
            return "751"

    class Interrupted:
        def __index__(self) -> int:
            return _IntRaisingStr(751)

    def frame(municipality: Any) -> pd.DataFrame:
        return pd.DataFrame({"start": [dt.date(2026, 9, 15)],
                             "municipality": pd.Series([municipality], dtype=object),
                             "phases": [[{"service": "udredning", "months": 5}]]})

    course = {"start": dt.date(2026, 9, 15), "phases": [{"service": "udredning", "months": 5}],
              "municipality": Text()}
    with pytest.raises(takst.InputTypeError) as single:
        takst.price(course, _sheet())
    with pytest.raises(takst.InputTypeError) as batch:
        takst.price_courses(frame(Text()), _sheet())
    assert (batch.value.code, batch.value.path) == (single.value.code, single.value.path)
    df = frame(Interrupted())
    _ARMED.append(KeyboardInterrupt())
    try:
        with pytest.raises(KeyboardInterrupt):
            takst.price_courses(df, _sheet())
    finally:
        _ARMED.clear()


def test_a_list_whose_own_items_code_changes_it_is_built_again_at_each_row() -> None:
    # A list whose items' own code ran while it was built (a `to_dict` that changed an item
    # written before it, or gives another dict each time) was placed at a later row holding
    # the same object as first built: each row is priced as `price()` of that row prices it.
    def table() -> tuple[pd.DataFrame, list[dict[str, Any]]]:
        first = {"service": "udredning", "months": 3}

        class Lengthens:
            def to_dict(self) -> dict[str, Any]:
                first["months"] += 1
                return {"service": "udvikling", "months": 2}

        shared = [first, Lengthens()]
        rows = [{"start": dt.date(2026, 9, 15), "phases": shared} for _ in range(3)]
        return pd.DataFrame({"start": [r["start"] for r in rows], "phases": [shared] * 3}), rows

    df, _ = table()
    _, rows = table()
    one_by_one = [takst.price(row, _sheet()).quotes[0].days for row in rows]
    assert len(set(one_by_one)) == 3
    assert [int(d) for d in takst.price_courses(df, _sheet(), parallel=False)["days"]] == one_by_one
    # takst's own Phase objects run no code of the user's: one list of them shared by every
    # row is priced as the same list of dicts.
    phases = [takst.Phase("udredning", months=3), takst.Phase("udvikling", months=5)]
    shared_phases = pd.DataFrame({"start": [dt.date(2026, 9, 15)] * 3, "phases": [phases] * 3})
    dicts = pd.DataFrame({"start": [dt.date(2026, 9, 15)] * 3, "phases": [[p.to_dict() for p in phases]] * 3})
    assert _months_priced(shared_phases) == _months_priced(dicts)


def test_a_sheet_files_syntax_error_the_core_finds_is_at_its_column_in_the_file(tmp_path: Any) -> None:
    # Python's JSON reader takes a lone surrogate's escape; the core's does not, and its
    # column on the file's first line counted the request the file was wrapped in.
    path = tmp_path / "sheet.json"
    path.write_text('{"format": "\\ud800", "version": 1}')
    with pytest.raises(takst.InputError) as e:
        takst.read_sheet(path)
    problem = e.value.errors[0]
    assert (problem.code, problem.line) == ("syntax", 1)
    assert problem.column is not None and 12 <= problem.column <= 20
    assert f"linje 1, kolonne {problem.column})" in str(problem.message_da)
