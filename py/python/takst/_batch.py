"""Many courses from a table, priced by the same code path as one by one.

Each row becomes a course with every field ``price`` takes (``id``, ``municipality``,
``offer``, ``start``, ``phases`` with their add-ons and part-time days, ``changes`` with
terminations). The native module builds the rows into requests — from a pandas
DataFrame's Python objects, or from any Arrow table (polars, pyarrow, duckdb) through the
Arrow C stream interface — in chunks, and each chunk is one request that the core reads with
its strict reader (the same tree its JSON text would give, without writing the text; dates
exactly ``YYYY-MM-DD``, every problem at ``courses[row]…``) and prices with ``evaluate``,
the function ``price`` calls, while the GIL is released. The
figures come back as Arrow columns with exact ``decimal128`` money. So a row's figures are
the figures ``price`` gives for it.
"""

from __future__ import annotations

import contextlib
import gc
import json
import time
import warnings as _warnings
from typing import Any, Callable, Iterator

from . import _native
from ._convert import to_json
from ._tables import pandas_module, pyarrow_module
from .errors import Problem, TakstWarning, error_for

__all__ = ["price_table", "COURSE_COLUMNS", "RESULT_COLUMNS"]

#: The columns read as the course's fields (all optional but ``start`` and ``phases``).
COURSE_COLUMNS = ("id", "municipality", "offer", "start", "phases", "changes")
#: The columns the result adds to the caller's table.
RESULT_COLUMNS = ("days", "total", "compared", "flat", "difference", "change", "warnings")
#: Rows per request (a progress step; well inside the core's limits on courses and invoice lines).
CHUNK = 1024


def _kind(table: Any) -> str:
    module = type(table).__module__.split(".")[0]
    name = type(table).__name__
    if module == "pandas" and name == "DataFrame":
        return "pandas"
    if module == "polars" and name == "DataFrame":
        return "polars"
    if module == "pyarrow" and name in ("Table", "RecordBatch"):
        return "pyarrow-" + name
    if hasattr(table, "__arrow_c_stream__") or hasattr(table, "__arrow_c_array__"):
        return "arrow"
    raise TypeError(
        f"price_courses takes a pandas or polars DataFrame, a pyarrow Table or RecordBatch, or "
        f"any table with __arrow_c_stream__; got a {type(table).__name__}"
    )


def _columns(table: Any, kind: str) -> list[str]:
    return [str(c) for c in table.columns] if kind in ("pandas", "polars") else list(table.column_names)


def progress_bar(show: bool | None, total: int) -> Callable[[int, int], None] | None:
    """A progress callback drawing a tqdm bar for a batch that takes more than a second
    (``show=None``; ``True``: always, ``False``: never). Without tqdm, no bar."""
    if show is False:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None
    started = time.perf_counter()
    bar: Any = None

    def step(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            elapsed = time.perf_counter() - started
            if done < total and (show or elapsed / max(done, 1) * total > 1.0):
                bar = tqdm(total=total, initial=done, unit=" forløb", desc="takst")
        else:
            bar.update(done - bar.n)
        if done >= total and bar is not None:
            bar.close()

    return step


def _without_null_types(frame: Any) -> Any:
    """The polars frame with every column, list item or struct field of the ``Null`` type (a
    column whose values are all ``None``, such as an optional ``until`` no row gives) cast to
    text: they stay missing values, and the Arrow stream can carry them (polars' export of a
    ``Null`` array has a buffer the Arrow C interface does not expect)."""
    import polars as pl

    def fixed(t: Any) -> Any:
        if t == pl.Null:
            return pl.String
        if isinstance(t, pl.List):
            inner = fixed(t.inner)
            return None if inner is None else pl.List(inner)
        if isinstance(t, pl.Array):
            inner = fixed(t.inner)
            return None if inner is None else pl.Array(inner, t.shape)
        if isinstance(t, pl.Struct):
            fields = [(f.name, f.dtype, fixed(f.dtype)) for f in t.fields]
            if all(new is None for _, _, new in fields):
                return None
            return pl.Struct([pl.Field(name, old if new is None else new) for name, old, new in fields])
        return None

    casts = {name: new for name, t in frame.schema.items() if (new := fixed(t)) is not None}
    return frame.cast(casts) if casts else frame


def price_table(
    courses: Any,
    sheets: list[Any],
    index: dict[str, Any] | None,
    billing: dict[str, Any] | None,
    lines: bool,
    warn: bool | None = None,
    progress: bool | None = None,
    parallel: bool = True,
) -> Any:
    kind = _kind(courses)
    if kind == "arrow":
        # Any other Arrow table or stream is read once, here: a stream (a pyarrow
        # RecordBatchReader, duckdb's fetch_record_batch) can be read only once, and its
        # column names, the pricing and the result's columns all need it.
        courses = pyarrow_module().table(courses)
        kind = "pyarrow-Table"
    names = _columns(courses, kind)
    for col in ("start", "phases"):
        if col not in names:
            raise KeyError(f"the courses table needs a {col!r} column (columns: {names})")
    twice = [c for c in COURSE_COLUMNS if names.count(c) > 1]
    if twice:
        raise ValueError(
            f"the courses table has the column(s) {twice} more than once; takst reads each "
            "once and cannot tell which is meant"
        )
    clash = [c for c in RESULT_COLUMNS if c in names]
    if clash:
        raise ValueError(
            f"the courses table already has the result column(s) {clash}; drop or rename them "
            "(takst does not overwrite a column of yours)"
        )
    head: dict[str, Any] = {"version": 1, "catalogues": sheets}
    if index is not None:
        head["index"] = index
    if billing is not None:
        head["billing"] = billing
    if kind == "pandas":
        source: Any = {c: _pandas_column(courses[c], c) for c in COURSE_COLUMNS if c in names}
    elif kind == "polars":
        source = _without_null_types(courses.select([c for c in COURSE_COLUMNS if c in names]))
    else:
        source = courses
    rows = len(courses)
    batch = _native.price_batch(
        to_json(head), source, lines, progress_bar(progress, rows), CHUNK, parallel
    )
    # The columns as lists (a pandas table's: three new lists of a reference a row) are let
    # go before the result is made: while they lived, the cycle collector's pass that making
    # the result sets off walked them, 13 rather than 5 ms for 200,000 rows (gc.callbacks).
    del source
    errors = json.loads(batch.errors)
    if errors:
        raise error_for(errors)
    every = [Problem.from_dict(w) for w in json.loads(batch.warnings)]
    rows = json.loads(batch.row_warnings)
    if warn is None and kind == "polars":
        # A polars frame has nowhere to keep the warnings that are no row's own (the sheets',
        # a municipality written two ways): issued, so that none is dropped without a word.
        own = {(w["code"], w["path"], w["message"]) for ws in rows.values() for w in ws}
        issued = [w for w in every if (w.code, w.path, w.message) not in own]
    else:
        issued = every if warn else []
    for w in issued:
        _warnings.warn(str(w), TakstWarning, stacklevel=3)
    out = _join(courses, kind, batch, every, rows)
    if not lines:
        return out
    return out, _lines(batch.lines, kind)


def _pandas_column(column: Any, name: str) -> list[Any]:
    """A pandas column as the list of Python values the native module reads (``tolist``).

    A ``start`` column of dates without a time zone (``datetime64``: what ``pd.to_datetime``
    and ``read_csv(parse_dates=...)`` give) goes as ``datetime.date`` objects, which numpy
    makes from the column at its day unit: ``tolist`` makes a pandas ``Timestamp`` of every
    row, which the native module then asks for its time of day and time zone (a course of
    ``py/bench.py`` from such a column: 8.4 µs instead of 5.4). The rows it sends differ in
    nothing the core reads: a date at midnight is its day either way, a missing date
    (``NaT``) is missing either way, and a row with a time of day keeps its ``Timestamp``,
    so its error names it as before. A column beyond the years 1–9999, which
    ``datetime.date`` cannot hold, goes by ``tolist`` as before.
    """
    pd = pandas_module()
    import numpy as np

    if isinstance(column.dtype, pd.StringDtype):
        # A text column (pandas 3's default for strings, held in Arrow): ``tolist`` makes a
        # new ``str`` of every row (70 ns a row). Its distinct texts are made once and each
        # row gets its text's object, missing values ``None``, as the native module reads
        # NaN, ``pd.NA`` and ``None`` alike (a field left out): the same texts, 34 ns a row.
        codes, texts = pd.factorize(column, use_na_sentinel=True)
        # The last item is the missing value: a missing row's code is -1.
        objects = np.array([*texts.tolist(), None], dtype=object)
        return _as_list(objects[codes].tolist())
    if name != "start" or not pd.api.types.is_datetime64_dtype(column.dtype):
        return _as_list(column.tolist())

    days = column.to_numpy().astype("datetime64[D]")
    known = days[~np.isnat(days)]
    if known.size and (known.min() < np.datetime64("0001-01-01") or known.max() > np.datetime64("9999-12-31")):
        return _as_list(column.tolist())
    # Rows on the same day get one ``date`` object (``tolist`` makes one per row), which the
    # native module reads once per chunk rather than once per row: 0.12–0.18 µs a row less
    # (py/bench.py's datetime64 column, one start day).
    unique, where = np.unique(days, return_inverse=True)
    values: list[Any] = np.array(unique.tolist(), dtype=object)[where.reshape(-1)].tolist()
    timed = (column != column.dt.normalize()).to_numpy() & column.notna().to_numpy()
    for i in np.flatnonzero(timed):
        values[i] = column.iloc[i]
    return values


def _as_list(values: Any) -> list[Any]:
    """What ``tolist`` gave, as a list: itself when it is one (it is a new list). Copying it
    again touched every row's object once more (a column of 300,000 phase lists: 40 → 14 ns
    a row)."""
    if type(values) is list:
        return values
    return list(values)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for the block (as it was after it)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _join(courses: Any, kind: str, batch: Any, every: list[Problem], rows: dict[str, Any]) -> Any:
    pa = pyarrow_module()
    result = pa.table(batch.courses)
    if kind == "pandas":
        pd = pandas_module()
        res = result.drop_columns(["warnings"]).to_pandas(types_mapper=pd.ArrowDtype)
        # pandas 3 copies on write, so a shallow copy shares the caller's columns only until
        # either frame changes them; a deep copy cost 0.05–0.09 µs a row for the object
        # columns alone. pandas 2 without copy-on-write would share them for good: copied.
        out = courses.copy(deep=not _copies_on_write(pd))
        for c in res.columns:
            out[c] = res[c].array
        # Only the rows with warnings come back; every other row gets its own empty list.
        # A million new lists would set off Python's cycle collector again and again, and
        # each full pass walks every object alive (the table's own phase lists and dicts):
        # 14 % of price_courses on a million rows (perf). Empty lists make no cycles, so
        # the collector rests while they are made: 8.84 → 7.96 µs a row. The native module
        # makes them, without a Python loop (about 63 → 51 ns a row).
        with _collector_paused():
            column: list[list[Problem]] = _native.empty_lists(len(out))
        for row, ws in rows.items():
            column[int(row)] = [Problem.from_dict(w) for w in ws]
        out["warnings"] = column
        out.attrs["warnings"] = every
        return out
    if kind == "polars":
        import polars as pl

        priced = pl.from_arrow(result)
        assert isinstance(priced, pl.DataFrame)
        return courses.hstack(priced.get_columns())
    if kind == "pyarrow-RecordBatch":
        base = courses
        for name in result.column_names:
            base = base.append_column(name, result.column(name).combine_chunks())
        return _with_warnings(base, batch.warnings)
    base = courses if kind == "pyarrow-Table" else pa.table(courses)
    for name in result.column_names:
        base = base.append_column(name, result.column(name))
    return _with_warnings(base, batch.warnings)


WARNINGS_KEY = b"takst.warnings"


def _with_warnings(table: Any, warnings: str) -> Any:
    """An Arrow result with every warning of the batch (what pandas has in
    ``df.attrs["warnings"]``) in its schema's metadata under ``takst.warnings``, as a JSON
    list of ``{code, path, message, message_da}``; the caller's own metadata is kept."""
    meta = dict(table.schema.metadata or {})
    meta[WARNINGS_KEY] = warnings.encode()
    return table.replace_schema_metadata(meta)


def _copies_on_write(pd: Any) -> bool:
    """Whether pandas copies a shared column when it is written (always from pandas 3)."""
    if int(pd.__version__.split(".")[0]) >= 3:
        return True
    try:
        return pd.options.mode.copy_on_write is True
    except AttributeError:
        return False


def _lines(table: Any, kind: str) -> Any:
    pa = pyarrow_module()
    t = pa.table(table)
    if kind == "pandas":
        return t.to_pandas(types_mapper=pandas_module().ArrowDtype)
    if kind == "polars":
        import polars as pl

        return pl.from_arrow(t)
    if kind == "pyarrow-RecordBatch":
        return t.combine_chunks().to_batches()[0] if t.num_rows else pa.RecordBatch.from_pylist([], schema=t.schema)
    return t
