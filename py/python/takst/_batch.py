"""Many courses from a table, priced by the same code path as one by one.

Each row becomes a course with every field ``price`` takes (``id``, ``municipality``,
``offer``, ``start``, ``phases`` with their add-ons and part-time days, ``changes`` with
terminations); the rows go to the core as one request, which reads them with its strict
reader (dates exactly ``YYYY-MM-DD``, every problem at ``courses[row]…``) and prices them
with ``evaluate`` — the function ``price`` calls — while the GIL is released. Only the
results come back as columns. So a row's figures are the figures ``price`` gives for it.
"""

from __future__ import annotations

import datetime as _dt
import json
import warnings as _warnings
from decimal import Decimal
from typing import Any

from . import _native
from ._convert import plain, to_json
from .errors import Problem, TakstWarning, error_for

__all__ = ["price_frame", "COURSE_COLUMNS", "RESULT_COLUMNS"]

#: The columns read as the course's fields (all optional but ``start`` and ``phases``).
COURSE_COLUMNS = ("id", "municipality", "offer", "start", "phases", "changes")
#: The columns the result adds to the caller's table.
RESULT_COLUMNS = ("days", "total", "flat", "difference", "change", "warnings")


def _missing(v: Any) -> bool:
    """None, NaN and NaT (pandas' missing values) — never a real course field."""
    if v is None:
        return True
    try:
        return bool(v != v)
    except (TypeError, ValueError):
        return False


def _start(v: Any, row: int) -> Any:
    if _missing(v):
        return None  # the core reports the missing date at courses[row].start
    if isinstance(v, str):
        return v  # read by the core's strict reader
    if isinstance(v, _dt.datetime):
        # pandas Timestamps (datetime64 columns) are datetimes; a date is one at midnight.
        if (v.hour, v.minute, v.second, v.microsecond) != (0, 0, 0, 0) or v.tzinfo is not None:
            raise error_for(
                [
                    {
                        "code": "invalid_value",
                        "path": f"courses[{row}].start",
                        "message": f"{v} has a time of day or a time zone; give a date",
                    }
                ]
            )
        return v.date().isoformat()
    if isinstance(v, _dt.date):
        return v.isoformat()
    if hasattr(v, "item") and not isinstance(v, (list, tuple, dict)):
        return _start(v.item(), row)  # numpy.datetime64 and friends
    raise error_for(
        [
            {
                "code": "invalid_type",
                "path": f"courses[{row}].start",
                "message": f"{v!r} is not a date (give datetime.date or 'YYYY-MM-DD')",
            }
        ]
    )


def _text(v: Any) -> Any:
    """An identifier column's value as text (a numeric municipality code is an id)."""
    if hasattr(v, "item") and not isinstance(v, str):
        v = v.item()
    return v if isinstance(v, str) else str(v)


def _courses_json(df: Any) -> str:
    """The rows as a JSON list of courses. A phase or change list shared by many rows (one
    Python object) is written once."""
    cols = [c for c in COURSE_COLUMNS if c in df.columns]
    written: dict[int, str] = {}

    def listed(value: Any, path: str) -> str:
        key = id(value)
        text = written.get(key)
        if text is None:
            if isinstance(value, str):
                try:  # JSON text, read by the core; here only checked to be one value
                    json.loads(value, parse_float=str, parse_int=str)
                except ValueError as e:
                    raise error_for(
                        [{"code": "syntax", "path": path, "message": f"not JSON text: {e}"}]
                    ) from None
                text = value
            else:
                text = to_json(plain(value, path))
            written[key] = text
        return text

    out = []
    columns = {c: df[c].tolist() for c in cols}
    for row in range(len(df)):
        parts = []
        for c in cols:
            v = columns[c][row]
            if c == "start":
                parts.append('"start":' + json.dumps(_start(v, row)))
                continue
            if c in ("phases", "changes"):
                # Missing phases are the core's to report (missing_field at the row).
                if not _missing(v):
                    parts.append(f'"{c}":' + listed(v, f"courses[{row}].{c}"))
                continue
            if _missing(v):
                continue
            parts.append(f'"{c}":' + json.dumps(_text(v), ensure_ascii=False))
        out.append("{" + ",".join(parts) + "}")
    return "[" + ",".join(out) + "]"


def price_frame(
    df: Any,
    sheets: list[Any],
    index: dict[str, Any] | None,
    billing: dict[str, Any] | None,
    lines: bool,
    warn: bool = False,
) -> Any:
    import pandas as pd

    for col in ("start", "phases"):
        if col not in df.columns:
            raise KeyError(f"the courses table needs a {col!r} column (columns: {list(df.columns)})")
    clash = [c for c in RESULT_COLUMNS if c in df.columns]
    if clash:
        raise ValueError(
            f"the courses table already has the result column(s) {clash}; drop or rename them "
            "(takst does not overwrite a column of yours)"
        )
    parts = ['{"version":1', '"catalogues":' + to_json(sheets)]
    if index is not None:
        parts.append('"index":' + to_json(index))
    if billing is not None:
        parts.append('"billing":' + to_json(billing))
    parts.append('"courses":' + _courses_json(df))
    parts.append('"options":{"explain":false,"quotes":true}}')
    batch = _native.price_batch(",".join(parts), lines)
    errors = json.loads(batch.errors)
    if errors:
        raise error_for(errors)
    out = df.copy()
    out["days"] = batch.days
    out["total"] = [Decimal(t) for t in batch.totals]
    out["flat"] = [None if d is None else Decimal(d) for d in batch.flats]
    out["difference"] = [None if d is None else Decimal(d) for d in batch.differences]
    out["change"] = [None if d is None else Decimal(d) for d in batch.changes]
    row_warnings = [[Problem.from_dict(w) for w in ws] for ws in json.loads(batch.row_warnings)]
    out["warnings"] = row_warnings
    every = [Problem.from_dict(w) for w in json.loads(batch.warnings)]
    out.attrs["warnings"] = every
    if warn:
        for w in every:
            _warnings.warn(str(w), TakstWarning, stacklevel=3)
    if not lines:
        return out
    line_frame = pd.DataFrame(
        {
            "row": batch.line_row,
            "month": batch.line_month,
            "phase": batch.line_phase,
            "service": batch.line_service,
            "add_on": batch.line_add_on,
            "start": [_dt.date.fromisoformat(d) for d in batch.line_from],
            "end": [_dt.date.fromisoformat(d) for d in batch.line_to],
            "days": batch.line_days,
            "tariff": [Decimal(t) for t in batch.line_tariff],
            "tariff_year": batch.line_year,
            "amount": [Decimal(a) for a in batch.line_amount],
            "invoice_date": [_dt.date.fromisoformat(d) for d in batch.line_invoice_date],
        }
    )
    return out, line_frame
