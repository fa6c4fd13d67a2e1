"""Many courses at once, column by column: the rows' plans are sent to the core once per
distinct plan, the core prices with the GIL released, and the totals come back as
columns."""

from __future__ import annotations

import datetime as _dt
import json
from decimal import Decimal
from typing import Any

from . import _native
from ._convert import plain, to_json
from .errors import error_for

__all__ = ["price_frame"]


def _start(v: Any, row: int) -> str:
    if isinstance(v, str):
        return v
    if isinstance(v, _dt.datetime):
        # pandas Timestamps (datetime64 columns) are datetimes at midnight.
        if (v.hour, v.minute, v.second, v.microsecond) != (0, 0, 0, 0):
            raise ValueError(f"courses[{row}].start: {v} has a time of day; give a date")
        return v.date().isoformat()
    if isinstance(v, _dt.date):
        return v.isoformat()
    raise TypeError(f"courses[{row}].start: {v!r} is not a date")


def _column(df: Any, name: str) -> list[Any]:
    if name not in df.columns:
        return [None] * len(df)
    return [None if v is None or v != v else str(v) for v in df[name].tolist()]


def price_frame(
    df: Any,
    sheets: list[Any],
    index: dict[str, Any] | None,
    billing: dict[str, Any] | None,
    lines: bool,
) -> Any:
    import pandas as pd

    for col in ("start", "phases"):
        if col not in df.columns:
            raise KeyError(f"the courses table needs a {col!r} column (columns: {list(df.columns)})")
    # One plan per distinct phases object, then per distinct text.
    by_object: dict[int, int] = {}
    by_text: dict[str, int] = {}
    plans: list[str] = []
    plan_of: list[int] = []
    for row, phases in enumerate(df["phases"].tolist()):
        code = by_object.get(id(phases))
        if code is None:
            text = phases if isinstance(phases, str) else to_json(plain(phases, f"courses[{row}].phases"))
            code = by_text.setdefault(text, len(plans))
            if code == len(plans):
                plans.append(text)
            by_object[id(phases)] = code
        plan_of.append(code)
    starts = [_start(v, i) for i, v in enumerate(df["start"].tolist())]
    batch = _native.price_batch(
        to_json(sheets),
        to_json(index or {}),
        to_json(billing or {}),
        _column(df, "id"),
        _column(df, "municipality"),
        _column(df, "offer"),
        starts,
        plan_of,
        plans,
        lines,
    )
    errors = json.loads(batch.errors)
    if errors:
        raise error_for(errors)
    out = pd.DataFrame(index=df.index)
    for col in ("id", "municipality", "offer"):
        if col in df.columns:
            out[col] = df[col]
    out["start"] = df["start"]
    out["days"] = batch.days
    out["total"] = [Decimal(t) for t in batch.totals]
    out["difference"] = [None if d is None else Decimal(d) for d in batch.differences]
    out.attrs["warnings"] = json.loads(batch.warnings)
    if not lines:
        return out
    line_frame = pd.DataFrame(
        {
            "row": batch.line_row,
            "month": batch.line_month,
            "service": batch.line_service,
            "add_on": batch.line_add_on,
            "days": batch.line_days,
            "tariff": [Decimal(t) for t in batch.line_tariff],
            "tariff_year": batch.line_year,
            "amount": [Decimal(a) for a in batch.line_amount],
        }
    )
    return out, line_frame
