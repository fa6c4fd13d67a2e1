"""Python values to request JSON and response JSON to Python values.

Money goes in as ``Decimal``, ``int`` or a numeric ``str`` and comes out as ``Decimal``;
a ``float`` is refused, because binary floating point cannot hold 0.1 kr. Dates go in and
come out as ``datetime.date``. Nothing here computes: the core reads and checks every
value and names the field of any it cannot use.
"""

from __future__ import annotations

import datetime as _dt
import json
from decimal import Decimal
from fractions import Fraction
from typing import Any

__all__ = ["to_json", "plain", "dec", "exact", "date"]


def _path(parent: str, key: object) -> str:
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else str(key)


def plain(value: Any, path: str = "") -> Any:
    """``value`` as JSON-ready data: Decimal → its exact text, date → ISO text, objects
    with ``to_dict()`` → their dict. Raises ``TypeError`` for a float or an unknown type,
    naming where it was found."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        raise TypeError(
            f"{path or 'value'}: {value!r} is a float; give money and percentages as "
            "Decimal, int or str (binary floating point cannot hold 0.1 kr exactly, and "
            "takst never guesses which decimal was meant)"
        )
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{path or 'value'}: {value} is not a finite number")
        return _DecimalText(value)
    if isinstance(value, _dt.datetime):
        raise TypeError(f"{path or 'value'}: {value!r} is a datetime; give a datetime.date")
    if isinstance(value, _dt.date):
        return value.isoformat()
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return plain(to_dict(), path)
    if isinstance(value, dict):
        return {str(k): plain(v, _path(path, k)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v, _path(path, i)) for i, v in enumerate(value)]
    raise TypeError(f"{path or 'value'}: cannot send a {type(value).__name__} to takst")


class _DecimalText(str):
    """A Decimal written as a JSON string: takst reads decimal strings exactly."""

    def __new__(cls, value: Decimal) -> _DecimalText:
        return super().__new__(cls, format(value, "f"))


def to_json(value: Any) -> str:
    """The request as JSON text (floats refused, Decimals exact)."""
    return json.dumps(plain(value), ensure_ascii=False)


def dec(text: str | None) -> Decimal | None:
    """A decimal string from a response as ``Decimal``."""
    return None if text is None else Decimal(text)


def exact(text: str) -> Decimal | Fraction:
    """An exact figure of the explanation: ``Decimal`` when it has a finite decimal form,
    else ``Fraction`` (``"378387/167"``)."""
    if "/" in text:
        return Fraction(text)
    return Decimal(text)


def date(text: str | None) -> _dt.date | None:
    """An ISO date from a response."""
    return None if text is None else _dt.date.fromisoformat(text)
