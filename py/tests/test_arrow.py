"""Arrow in and out: pandas, polars and pyarrow tables, exact decimal128 money, numpy
integers, no float anywhere (issue 16 §2)."""

from __future__ import annotations

import datetime as dt
import struct
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import takst

INDEX = {"rates_pct": [{"year": 2027, "pct": "1.96"}]}
PLANS = [
    [{"service": "udredning", "months": 5}, {"service": "udvikling", "months": 8}],
    [{"service": "udvikling", "days": 40, "add_ons": [{"id": "koersel", "quantity_per_month": Decimal("12.5")}]}],
    [{"service": "laengerevarende", "months": 3}],
]


def pandas_frame(n: int) -> pd.DataFrame:
    return pd.DataFrame({
        "id": [f"b{i}" for i in range(n)],
        "municipality": ["Aarhus" if i % 3 else "Skive" for i in range(n)],
        "start": [dt.date(2026, 1, 1) + dt.timedelta(days=11 * i % 700) for i in range(n)],
        "phases": [PLANS[i % 3] for i in range(n)],
    })


def test_polars_in_polars_out_same_figures(sheet: takst.TariffSheet) -> None:
    df = pandas_frame(30)
    expected = takst.price_courses(df, sheet, index=INDEX)
    # pyarrow infers a struct with every phase field (polars' own constructor infers the
    # struct from the first rows: give it a schema when building one by hand).
    phases = pa.array([[{k: (str(v) if isinstance(v, Decimal) else v) for k, v in p.items()} for p in ps]
                       for ps in df["phases"]])
    pl_df = pl.from_arrow(pa.table({"id": df["id"].tolist(), "municipality": df["municipality"].tolist(),
                                    "start": pa.array(df["start"].tolist(), pa.date32()), "phases": phases}))
    assert isinstance(pl_df, pl.DataFrame)
    out = takst.price_courses(pl_df, sheet, index=INDEX)
    assert isinstance(out, pl.DataFrame)
    assert out.columns[:4] == ["id", "municipality", "start", "phases"]
    assert out["total"].dtype == pl.Decimal(38, 2)
    assert out["total"].to_list() == list(expected["total"])
    assert out["days"].to_list() == list(expected["days"])
    # Summing stays exact in polars too.
    assert out["total"].sum() == sum(expected["total"], Decimal(0))


def test_pyarrow_table_and_record_batch(sheet: takst.TariffSheet) -> None:
    df = pandas_frame(12)
    expected = takst.price_courses(df, sheet, index=INDEX)
    table = pa.table({"start": pa.array(df["start"].tolist(), pa.date32()),
                      "phases": pa.array(['[{"service": "udvikling", "days": 10}]'] * 12)})
    out = takst.price_courses(table, sheet)
    assert isinstance(out, pa.Table)
    assert out.schema.field("total").type == pa.decimal128(38, 2)
    assert out.column("total").to_pylist() == [Decimal("37160.00")] * 12
    batch = pa.RecordBatch.from_pandas(df[["start", "municipality"]].assign(
        phases=['[{"service": "udredning", "months": 5}, {"service": "udvikling", "months": 8}]'] * 12))
    out_batch, lines = takst.price_courses(batch, sheet, index=INDEX, lines=True)
    assert isinstance(out_batch, pa.RecordBatch) and isinstance(lines, pa.RecordBatch)
    assert out_batch.column(out_batch.schema.get_field_index("total"))[0].as_py() == expected["total"][0]
    assert lines.schema.field("amount").type == pa.decimal128(38, 2)
    assert lines.schema.field("start").type == pa.date32()


def test_any_arrow_stream(sheet: takst.TariffSheet) -> None:
    class Stream:
        """A table that only speaks the Arrow PyCapsule interface (as duckdb's do)."""

        def __init__(self, t: pa.Table) -> None:
            self.t = t

        def __arrow_c_stream__(self, requested_schema: object = None) -> object:
            return self.t.__arrow_c_stream__(requested_schema)

    t = pa.table({"start": ["2026-01-01"], "phases": pa.array([[{"service": "udvikling", "days": 10}]])})
    out = takst.price_courses(Stream(t), sheet)
    assert isinstance(out, pa.Table) and out.column("total")[0].as_py() == Decimal("37160.00")


def test_a_one_shot_arrow_stream_is_priced_whole(sheet: takst.TariffSheet) -> None:
    # A RecordBatchReader can be read once: its column names were read from it first, and
    # the pricing then met an empty stream and answered a table of 0 rows, without a word.
    t = pa.table({"start": [dt.date(2026, 1, 1)] * 3,
                  "phases": pa.array([[{"service": "udvikling", "days": 10}]] * 3)})
    reader = pa.RecordBatchReader.from_batches(t.schema, t.to_batches(max_chunksize=2))
    out, lines = takst.price_courses(reader, sheet, lines=True)
    assert isinstance(out, pa.Table)
    assert out.column("total").to_pylist() == [Decimal("37160.00")] * 3
    assert lines.num_rows == 3


def test_arrow_timestamps_and_a_float_column(sheet: takst.TariffSheet) -> None:
    ts = pa.table({"start": pa.array([dt.datetime(2026, 1, 1)], pa.timestamp("ns")),
                   "phases": pa.array([[{"service": "udvikling", "days": 10}]])})
    assert takst.price_courses(ts, sheet).column("total")[0].as_py() == Decimal("37160.00")
    floats = pa.table({"start": pa.array([dt.date(2026, 1, 1)], pa.date32()),
                       "phases": pa.array([[{"service": "udvikling", "days": 10.0}]])})
    with pytest.raises(takst.InputTypeError) as e:
        takst.price_courses(floats, sheet)
    assert e.value.path == "courses[0].phases[0].days"
    tz = pa.table({"start": pa.array([dt.datetime(2026, 1, 1)], pa.timestamp("us", tz="Europe/Copenhagen")),
                   "phases": pa.array([[{"service": "udvikling", "days": 10}]])})
    with pytest.raises(takst.InputError) as e:
        takst.price_courses(tz, sheet)
    assert (e.value.code, e.value.path) == ("invalid_value", "courses[0].start")


def test_pandas_results_are_arrow_backed_and_sum_exactly(sheet: takst.TariffSheet) -> None:
    out = takst.price_courses(pandas_frame(9), sheet, index=INDEX)
    assert out["total"].dtype == pd.ArrowDtype(pa.decimal128(38, 2))
    total = out["total"].sum()
    assert isinstance(total, Decimal) and total == sum(out["total"], Decimal(0))
    by = out.groupby("municipality")["total"].sum()
    assert by.dtype == pd.ArrowDtype(pa.decimal128(38, 2)) and sum(by, Decimal(0)) == total
    mean = out["total"].mean()
    assert isinstance(mean, Decimal) and mean.as_tuple().exponent == -2  # rounded to the column's scale


def test_numpy_integers_in_a_frame(sheet: takst.TariffSheet) -> None:
    df = pd.DataFrame({"start": [dt.date(2026, 1, 1)],
                       "phases": [[{"service": "udvikling", "days": np.int64(10)}]],
                       "municipality": [np.int64(751)]})
    out = takst.price_courses(df, sheet)
    assert out["total"][0] == Decimal("37160.00")


def test_row_numbers_count_over_chunks(sheet: takst.TariffSheet) -> None:
    n = 9000  # several chunks (1,024 rows each)
    df = pandas_frame(n)
    df.at[8500, "phases"] = [{"service": "ukendt", "months": 1}]
    with pytest.raises(takst.ValidationError) as e:
        takst.price_courses(df, sheet, index=INDEX)
    assert e.value.path == "courses[8500].phases[0].service"
    df.at[8500, "phases"] = PLANS[0]
    out, lines = takst.price_courses(df, sheet, index=INDEX, lines=True)
    assert len(out) == n and lines["row"].max() == n - 1
    assert out["total"][8999] == takst.price({"start": df["start"][8999], "phases": df["phases"][8999]},
                                             sheet, index=INDEX).quotes[0].total


def test_result_tables_are_arrow(sheet: takst.TariffSheet) -> None:
    r = takst.Offer.sample().compute()
    assert r.sheet is not None
    t = pa.table(r.sheet)  # the PyCapsule interface
    assert t.schema.field("day").type == pa.decimal128(38, 2)
    assert pl.DataFrame(r.sheet)["day"].to_list()[1] == Decimal("4801")
    q = takst.price(takst.Course(start=dt.date(2026, 9, 15), phases=[takst.Phase(service="udredning", months=5)]),
                    sheet).quotes[0]
    lines = pa.table(q)
    assert lines.schema.field("amount").type == pa.decimal128(38, 2)
    assert sum(lines.column("amount").to_pylist(), Decimal(0)) == q.total
    assert q.to_pandas()["amount"].sum() == q.total


def test_collecting_many_quotes_lines_is_one_table(sheet: takst.TariffSheet) -> None:
    courses = [{"id": f"b{i}", "municipality": "Aarhus", "start": dt.date(2026, 1, 1) + dt.timedelta(days=i),
                "phases": PLANS[0]} for i in range(500)]
    r = takst.price(courses, sheet, index=INDEX)
    lines = r.lines_to_pandas()
    assert len(lines) == sum(len(q.raw["lines"]) for q in r.quotes)
    assert lines["amount"].sum() == sum((q.total for q in r.quotes), Decimal(0))


def test_from_costs_takes_any_table() -> None:
    fields: dict[str, Any] = dict(name="Eksempel", year=2026, kind="residential",
                                  capacity={"places": 10}, occupancy={"budgeted_pct": 95})
    costs = {"label": ["Løn", "Drift"], "category": ["wages", "operating"],
             "amount": [Decimal("9000000"), Decimal("500000")]}
    for table in (pd.DataFrame(costs), pl.DataFrame(costs), pa.table(costs)):
        r = takst.Offer.from_costs(table, **fields).compute()
        assert r.sheet is not None and r.sheet.average is not None
        assert r.sheet.average.day == Decimal("2740")
    with pytest.raises(takst.InputTypeError) as e:
        takst.Offer.from_costs(pl.DataFrame({**costs, "amount": [9000000.0, 500000.0]}), **fields)
    assert e.value.path == "offer.costs[0].amount"


def _one_course(**columns: Any) -> pa.Table:
    n = len(next(iter(columns.values())))
    return pa.table({"start": pa.array([dt.date(2026, 9, 15)] * n),
                     "phases": pa.array([[{"service": "udredning", "months": 5}]] * n), **columns})


def test_dictionary_columns_read_as_their_strings(sheet: takst.TariffSheet) -> None:
    # Each cell's key is read alone (`normalized_keys` made a vector of every key of the column
    # for each cell: a categorical column took time quadratic in its rows, 8.5 s against 1.0 s
    # for 100,000 rows, measured, not timed here); the figures are those of string columns.
    n = 3_000
    names = pa.array([f"kommune {i % 98}" for i in range(n)])
    ids = pa.array([f"b{i % 500}" for i in range(n)])
    plain = takst.price_courses(_one_course(id=ids, municipality=names), sheet, progress=False)
    encoded = takst.price_courses(
        _one_course(id=ids.dictionary_encode(), municipality=names.dictionary_encode()),
        sheet, progress=False)
    assert encoded.column("total").to_pylist() == plain.column("total").to_pylist()
    assert encoded.column("municipality").to_pylist() == names.to_pylist()
    assert encoded.column("id").to_pylist() == ids.to_pylist()


def test_dictionary_key_outside_its_dictionary_is_an_input_error(sheet: takst.TariffSheet) -> None:
    # Invalid arrays pyarrow builds with safe=False: an empty dictionary panicked in arrow-rs, and
    # a key past the dictionary's end was read as its last value.
    for keys, values in (([0], []), ([None, 2], ["Aarhus", "Skive"])):
        d = pa.DictionaryArray.from_arrays(pa.array(keys, pa.int32()), pa.array(values, pa.string()), safe=False)
        with pytest.raises(takst.InputError) as e:
            takst.price_courses(_one_course(municipality=d), sheet)
        assert (e.value.code, e.value.path) == ("invalid_value", f"courses[{len(keys) - 1}].municipality")
    # Valid ones (every key type, nulls) still read as their values.
    for key_type in (pa.int8(), pa.uint16(), pa.int64(), pa.uint64()):
        d = pa.DictionaryArray.from_arrays(pa.array([1, None, 0], key_type), pa.array(["Skive", "Aarhus"]))
        out = takst.price_courses(_one_course(municipality=d), sheet)
        assert out.column("municipality").to_pylist() == ["Aarhus", None, "Skive"]


def test_a_table_arrow_rs_cannot_read_is_an_input_error(
    sheet: takst.TariffSheet, capfd: pytest.CaptureFixture[str]
) -> None:
    # A sliced column of structs whose inner struct has no fields: arrow-rs panicked while it
    # made the arrays (ArrayData::slice), a PanicException.
    t = _one_course(id=pa.array([{"a": {"b": {}}}] * 2)).slice(1)
    capfd.readouterr()
    with pytest.raises(takst.InputError) as e:
        takst.price_courses(t, sheet)
    assert (e.value.code, e.value.path) == ("invalid_value", "courses")
    assert "could not be read as Arrow" in str(e.value)
    # The caught panic's message is the error's, not printed too ("thread panicked at ...").
    assert "panicked" not in capfd.readouterr().err


def _not_utf8(kind: pa.DataType, texts: list[bytes]) -> pa.Array:
    """A string array of the given bytes, unchecked (`from_buffers` checks offsets, not UTF-8)."""
    if kind == pa.string_view():
        views = b"".join(struct.pack("<i12s", len(t), t) for t in texts)  # inline views (≤ 12 bytes)
        return pa.Array.from_buffers(kind, len(texts), [None, pa.py_buffer(views)])
    offsets = np.cumsum([0] + [len(t) for t in texts]).astype(np.int64 if kind == pa.large_string() else np.int32)
    return pa.Array.from_buffers(kind, len(texts), [None, pa.py_buffer(offsets.tobytes()), pa.py_buffer(b"".join(texts))])


def test_strings_that_are_not_utf8_are_an_input_error(sheet: takst.TariffSheet) -> None:
    # Arrow strings are imported unchecked: a municipality that was not UTF-8 crashed the
    # interpreter (a segfault), an offer panicked in the core.
    texts = [b"Aarhus", "文x".encode() + b"\xe6\x97", b"Skive"]   # row 1: a truncated sequence
    for kind in (pa.string(), pa.large_string(), pa.string_view()):
        for column in ("municipality", "offer", "id"):
            t = _one_course(**{column: _not_utf8(kind, texts)})
            with pytest.raises(takst.InputError) as e:
                takst.price_courses(t, sheet)
            assert (e.value.code, e.value.path) == ("invalid_value", f"courses[1].{column}"), (kind, column)
            assert "not valid Arrow data" in str(e.value)
    # Counted over the table's batches; a dictionary's values are checked too.
    good = pa.array(["Aarhus"] * 3)
    two = pa.Table.from_batches([_one_course(municipality=good).to_batches()[0],
                                 _one_course(municipality=_not_utf8(pa.string(), texts)).to_batches()[0]])
    with pytest.raises(takst.InputError) as e:
        takst.price_courses(two, sheet)
    assert e.value.path == "courses[4].municipality"
    d = pa.DictionaryArray.from_arrays(pa.array([0, 1], pa.int32()), _not_utf8(pa.string(), texts[:2]))
    with pytest.raises(takst.InputError) as e:
        takst.price_courses(_one_course(municipality=d), sheet)
    assert e.value.path.endswith("].municipality")
    # Inside a list of structs (a phase's service): the column is named.
    service = _not_utf8(pa.string(), [b"udredning", b"udr\xffedning"])
    phases = pa.ListArray.from_arrays(pa.array([0, 1, 2], pa.int32()),
                                      pa.StructArray.from_arrays([service, pa.array([5, 5])], ["service", "months"]))
    t = pa.table({"start": pa.array([dt.date(2026, 9, 15)] * 2), "phases": phases})
    with pytest.raises(takst.InputError) as e:
        takst.price_courses(t, sheet)
    assert e.value.code == "invalid_value" and e.value.path.endswith("].phases")


def _views(texts: list[bytes], prefix: bytes | None = None, padding: bytes = b"") -> pa.Array:
    """A string view array of the given bytes, unchecked: up to 12 bytes inline (the last
    with `padding` after it), longer ones in one data buffer (with `prefix` as their views'
    first four bytes instead of the text's)."""
    views, data = [], b""
    for i, t in enumerate(texts):
        if len(t) <= 12:
            views.append(struct.pack("<i12s", len(t), t + (padding if i == len(texts) - 1 else b"")))
        else:
            views.append(struct.pack("<i4sii", len(t), prefix or t[:4], 0, len(data)))
            data += t
    return pa.Array.from_buffers(pa.string_view(), len(texts), [None, pa.py_buffer(b"".join(views)),
                                                               pa.py_buffer(data)])


def test_string_views_are_checked_as_arrow_checks_them(sheet: takst.TariffSheet) -> None:
    """Views are checked a word at a time when their bytes are ASCII (arrow-rs checks each
    with `from_utf8`), and by arrow-rs's own check otherwise: texts that are UTF-8, short or
    long, ASCII or not, are read; a view that is not valid, in a column or in a list of
    structs, is refused at its row in arrow-rs's words."""
    long_ascii, long_da = b"Aarhus Kommune, Borgerservice", "Lyngby-Taarbæk Kommune".encode()
    good = [b"Aarhus", "Århus".encode(), long_ascii, long_da, b"", b"Skive Kommune"]
    t = _one_course(municipality=_views(good)[:1])
    assert takst.price_courses(t, sheet, progress=False)["municipality"].to_pylist() == ["Aarhus"]
    table = pa.table({"start": pa.array([dt.date(2026, 9, 15)] * len(good)), "municipality": _views(good),
                      "phases": pa.array([[{"service": "udredning", "months": 5}]] * len(good))})
    out = takst.price_courses(table, sheet, progress=False)
    assert out["municipality"].to_pylist() == [t.decode() for t in good]
    bad = {
        "a long text not UTF-8": (_views([b"Aarhus", long_ascii + b"\xff"]), "non-UTF-8 data at index 1"),
        "a short text not UTF-8": (_views([b"Aarhus", b"\xc3("]), "non-UTF-8 data at index 1"),
        "a prefix not the text's": (_views([b"Aarhus", long_ascii], prefix=b"Odense"[:4]), "prefix"),
        "padding that is not zero": (_views([b"Aarhus", b"Skive"], padding=b"x"), "padding"),
    }
    for what, (column, words) in bad.items():
        table = pa.table({"start": pa.array([dt.date(2026, 9, 15)] * 2), "municipality": column,
                          "phases": pa.array([[{"service": "udredning", "months": 5}]] * 2)})
        with pytest.raises(takst.InputError) as e:
            takst.price_courses(table, sheet, progress=False)
        assert (e.value.code, e.value.path) == ("invalid_value", "courses[1].municipality"), what
        assert words in str(e.value), (what, str(e.value))
    # A phase's service in a list of structs.
    service = _views([b"udredning", long_ascii + b"\xe6"])
    phases = pa.ListArray.from_arrays(pa.array([0, 1, 2], pa.int32()),
                                      pa.StructArray.from_arrays([service, pa.array([5, 5])], ["service", "months"]))
    with pytest.raises(takst.InputError) as e:
        takst.price_courses(pa.table({"start": pa.array([dt.date(2026, 9, 15)] * 2), "phases": phases}), sheet)
    assert e.value.code == "invalid_value" and e.value.path.endswith("].phases")
    assert "non-UTF-8 data at index 1" in str(e.value)


def test_a_column_takst_reads_given_twice_is_refused(sheet: takst.TariffSheet) -> None:
    # pyarrow and pandas allow two columns of one name: the first was read and the second
    # ignored without a word (pandas: an AttributeError from deep inside).
    t = _one_course(municipality=pa.array(["Aarhus"]))
    t = t.append_column("municipality", pa.array(["Skive"]))
    df = pd.DataFrame([[dt.date(2026, 9, 15), dt.date(2026, 10, 1), [{"service": "udredning", "months": 5}]]],
                      columns=["start", "start", "phases"])
    for table in (t, df):
        with pytest.raises(ValueError, match=r"\['(municipality|start)'\] more than once"):
            takst.price_courses(table, sheet)
