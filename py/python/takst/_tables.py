"""Tables: Arrow with exact ``decimal128`` money, pandas with Arrow-backed dtypes.

Every table of takst is built here from Python values or from the native module's Arrow
columns. Money columns are ``decimal128(38, s)`` (``s`` the largest number of decimal places
in the column, at least 2): sums stay exact in pyarrow, polars and pandas
(``pd.ArrowDtype``); nothing passes through float. pyarrow and pandas are imported only
when a table is asked for.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol, Sequence

if TYPE_CHECKING:  # pragma: no cover
    import pandas
    import pyarrow

__all__ = ["ArrowStream", "pyarrow_module", "pandas_module", "arrow_table", "to_pandas", "decimal_type", "rows", "frame", "decimal_column"]


class ArrowStream(Protocol):
    """Anything that exports an Arrow table through the Arrow PyCapsule interface
    (pyarrow, polars, pandas, duckdb, takst's own tables)."""

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object: ...


def pyarrow_module() -> Any:
    try:
        import pyarrow
    except ImportError as e:  # pragma: no cover
        raise ImportError("Arrow tables need pyarrow: pip install 'takst[pandas]' (or pyarrow)") from e
    return pyarrow


def pandas_module() -> Any:
    try:
        import pandas
    except ImportError as e:  # pragma: no cover
        raise ImportError("to_pandas() needs pandas and pyarrow: pip install 'takst[pandas]'") from e
    return pandas


def pyplot_module() -> Any:
    """``matplotlib.pyplot``, for the ``plot`` methods: the ``plot`` extra."""
    try:
        import matplotlib.pyplot
    except ImportError as e:
        # Only matplotlib missing is the extra's to install; a matplotlib that fails to
        # import (a numpy it was not built for) is its own error.
        if e.name not in ("matplotlib", "matplotlib.pyplot"):
            raise
        raise ImportError("plot() needs matplotlib: pip install 'takst[plot]' (or matplotlib)") from e
    return matplotlib.pyplot


def decimal_type(values: Sequence[Decimal | None]) -> Any:
    """``decimal128(38, s)`` for the values: ``s`` their most decimal places, at least 2."""
    pa = pyarrow_module()
    places = 2
    for v in values:
        if v is not None:
            exp = v.as_tuple().exponent
            if isinstance(exp, int) and -exp > places:
                places = -exp
    return pa.decimal128(38, places)


def decimal_column(texts: Sequence[str | None]) -> Any:
    """Decimal strings (as the core writes them) as a ``decimal128(38, s)`` array, parsed
    by Arrow from their text (exact)."""
    pa = pyarrow_module()
    places = 2
    for t in texts:
        if t is not None and "." in t:
            places = max(places, len(t) - t.index(".") - 1)
    return pa.array(texts, pa.string()).cast(pa.decimal128(38, places))


def _column(values: list[Any]) -> Any:
    pa = pyarrow_module()
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, Decimal) for v in present):
        return pa.array(values, type=decimal_type(values))
    if present and all(isinstance(v, _dt.date) and not isinstance(v, _dt.datetime) for v in present):
        return pa.array(values, type=pa.date32())
    if present and all(isinstance(v, bool) for v in present):
        return pa.array(values, type=pa.bool_())
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return pa.array(values, type=pa.int64())
    if all(v is None or isinstance(v, str) for v in values):
        return pa.array(values, type=pa.string())
    # Exact fractions of the explanation and mixed values: their exact text.
    return pa.array([None if v is None else str(v) for v in values], type=pa.string())


def arrow_table(
    records: list[dict[str, Any]], columns: list[str], decimals: Sequence[str] = ()
) -> pyarrow.Table:
    """Records as an Arrow table: ``Decimal`` columns as ``decimal128``, dates as
    ``date32``, integers as ``int64``, text as ``string``. A column named in ``decimals`` is
    ``decimal128`` also when every value is missing (not ``string``), so that its type does
    not depend on the rows."""
    pa = pyarrow_module()

    def column(c: str) -> Any:
        values = [r.get(c) for r in records]
        if c in decimals and all(v is None for v in values):
            return pa.array(values, type=decimal_type(values))
        return _column(values)

    return pa.table({c: column(c) for c in columns})


def rows(table: Any) -> tuple[list[dict[str, Any]], list[str]]:
    """A table's rows as dicts of Python values, and its column names: a pandas or polars
    DataFrame, a pyarrow Table or RecordBatch, or anything with ``__arrow_c_stream__``
    (decimals as ``Decimal``, never float)."""
    module = type(table).__module__.split(".")[0]
    if module == "pandas":
        return table.to_dict("records"), [str(c) for c in table.columns]
    if module == "polars":
        return table.to_dicts(), list(table.columns)
    pa = pyarrow_module()
    t = table if isinstance(table, pa.Table) else pa.table(table)
    return t.to_pylist(), list(t.column_names)


def to_pandas(table: Any) -> pandas.DataFrame:
    """An Arrow table (anything with ``__arrow_c_stream__``) as a DataFrame with
    Arrow-backed dtypes (``pd.ArrowDtype``): ``decimal128`` money stays exact."""
    pa = pyarrow_module()
    pd = pandas_module()
    if not isinstance(table, pa.Table):
        table = pa.table(table)
    return table.to_pandas(types_mapper=pd.ArrowDtype)


def frame(records: list[dict[str, Any]], columns: list[str], decimals: Sequence[str] = ()) -> pandas.DataFrame:
    """Records as a DataFrame with Arrow-backed dtypes (exact ``decimal128`` money)."""
    return to_pandas(arrow_table(records, columns, decimals))
