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

from . import _native

__all__ = ["to_json", "from_json", "JsonNumber", "dec", "exact", "money", "date"]


def to_json(value: Any, path: str = "") -> str:
    """``value`` as request JSON text, written by the native module: ``Decimal`` as its
    exact text, ``date`` as ``YYYY-MM-DD``, objects with ``to_dict()`` as their dict, numpy
    integers as integers, a ``datetime`` or pandas ``Timestamp`` at midnight without a time
    zone as its date, a numpy ``datetime64`` of a day (or of a finer unit, at midnight) as
    its date, ``NaT`` as missing. Raises the ``TakstError`` the core would give, at the
    value's path, for what the core cannot see: a ``float`` (``InputTypeError``, also a
    ``TypeError``), a datetime with a time of day or a time zone, a ``datetime64`` of a
    year, month or week (``invalid_value``: not a day, and never read as its first day),
    NaN, an infinity or an integer too large for any amount
    (``invalid_number``), a lone surrogate (``invalid_value``), nesting deeper than the
    core reads (``syntax``). Two keys that become the same text reach the core, which
    reports ``duplicate_key``."""
    return _native.to_json(value, path)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number (the core refuses it)")


class JsonNumber(Decimal):
    """A number of JSON text that ``from_json`` read as a ``Decimal`` (``97.5``, ``2026.0``,
    ``1E+3``): a ``Decimal`` in every way, which ``to_json`` writes back as the same JSON
    number, where any other ``Decimal`` is sent as its decimal string. A value read from a
    file (a tariff sheet, a request) is so sent as the file gave it, and the core reads it
    as it read the file: a year of ``2026.0`` is a whole number there, the string
    ``"2026.0"`` is not."""

    __slots__ = ()


def _integer(digits: str) -> int | Decimal:
    try:
        return int(digits)
    except ValueError:
        # Beyond Python's limit on an integer's digits (sys.get_int_max_str_digits(), 4,300
        # by default): the same number exactly, for the core to refuse at its field as it
        # refuses it in the text, not "not JSON".
        return JsonNumber(digits)


def from_json(text: str) -> Any:
    """Input JSON text (a request, an offer, a tariff sheet) as Python values, read as the
    core reads it: a number with decimals or an exponent as the ``Decimal`` of its text
    (``3.79`` → ``Decimal('3.79')``, a ``JsonNumber``), never a ``float``, so that
    ``to_json`` sends it on as the same number; integers as ``int`` (one of more digits
    than Python converts to an ``int`` as the ``JsonNumber`` of its digits). ``NaN`` and
    ``Infinity``, which are not JSON and which the core refuses, raise ``ValueError``.
    (The core's responses hold no such numbers: their amounts are decimal strings.)"""
    return json.loads(text, parse_float=JsonNumber, parse_int=_integer, parse_constant=_no_constant)


def dec(text: str | None) -> Decimal | None:
    """A decimal string from a response as ``Decimal``."""
    return None if text is None else Decimal(text)


def exact(text: str) -> Decimal | Fraction:
    """An exact figure of the explanation: ``Decimal`` when it has a finite decimal form,
    else ``Fraction`` (``"378387/167"``)."""
    if "/" in text:
        return Fraction(text)
    return Decimal(text)


def money(unit: str, value: Any) -> Any:
    """An exact figure of unit ``unit`` as the core shows it: an amount of kroner and øre (a
    unit ``kr…``) with one decimal gets its second (``151748.1`` → ``151748.10``, the same
    value); anything else unchanged."""
    if isinstance(value, Decimal) and value.is_finite() and unit.startswith("kr"):
        # The digits without trailing zeros, exactly (normalize() rounds to 28 digits).
        sign, digits, exponent = value.as_tuple()
        assert isinstance(exponent, int)
        while len(digits) > 1 and digits[-1] == 0 and exponent < 0:
            digits, exponent = digits[:-1], exponent + 1
        if exponent == -1:
            return Decimal((sign, (*digits, 0), -2))
    return value


def date(text: str | None) -> _dt.date | None:
    """An ISO date from a response."""
    return None if text is None else _dt.date.fromisoformat(text)
