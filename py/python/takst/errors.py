"""Errors and warnings of takst.

Every error the core reports has a stable machine ``code``, the ``path`` of the field that
caused it (``offer.costs[2].amount``; empty for the request as a whole), a ``message`` in
English and the same in Danish (``message_da``). Problems found in Python before the core
sees the request (a float, NaN, an integer too large, a lone surrogate, nesting too deep)
carry the codes and paths the core uses (and no ``message_da``). A request that cannot be
computed raises one exception that carries *all* of its errors (``exc.errors``); its class
is that of the first error:

- ``InputError``: the request cannot be read (syntax, unknown or missing fields, wrong
  types, unreadable numbers, an unsupported version); ``InputTypeError``, one of them, is
  also a ``TypeError``: a ``float`` where money is taken, a ``datetime`` where a date is,
  or an object takst cannot send;
- ``ValidationError``: it reads, but a value cannot be used (negative, out of range, an
  unknown reference, conflicting fields, a section that depends on one with errors);
- ``CalculationError``: a figure overflows or divides by zero;
- ``LimitError``: the request is larger than the limits allow;
- ``InternalError``: a bug in takst (please report the request).

An exception a value's own code raises while takst reads it (an object's ``to_dict``, a
``date`` subclass's ``toordinal``) is an ``InputError`` at the value's path, except those
that are no error of the input: ``KeyboardInterrupt`` (Ctrl-C), ``SystemExit``,
``GeneratorExit`` and ``MemoryError`` are raised as they are, and reading stops.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

__all__ = [
    "Problem",
    "TakstError",
    "InputError",
    "InputTypeError",
    "ValidationError",
    "CalculationError",
    "LimitError",
    "InternalError",
    "TakstWarning",
    "Warning_",
    "error_for",
    "error_for_json",
]


@dataclass(frozen=True)
class Problem:
    """One error or warning: machine ``code``, field ``path``, ``message`` in English and in
    Danish (``message_da``; ``None`` for a problem found by the Python package itself);
    ``line`` and ``column`` for syntax errors."""

    #: The stable machine code (``invalid_number``, ``occupancy_below_band``, ...).
    code: str
    #: The field's path in the request (``offer.costs[2].amount``); empty for the whole.
    path: str
    #: What is wrong, in English.
    message: str
    #: For syntax errors: the line (from 1).
    line: int | None = None
    #: For syntax errors: the column (from 1).
    column: int | None = None
    #: What is wrong, in Danish (when the core gives it).
    message_da: str | None = None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Problem:
        """A problem from the response's JSON object."""
        return cls(d["code"], d.get("path", ""), d["message"], d.get("line"), d.get("column"),
                   d.get("message_da"))

    @property
    def text_da(self) -> str:
        """The Danish message, or the English one when the core gives no Danish."""
        return self.message_da or self.message

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        at = f" (linje {self.line}, kolonne {self.column})" if self.line else ""
        return f"[{self.code}] {where}{self.message}{at}"


#: A warning on a result: a doubtful but legal aspect of the calculation.
Warning_ = Problem


class TakstError(Exception):
    """The base of every takst error. ``code``, ``path`` and ``message`` are those of the
    first error; ``errors`` lists them all."""

    def __init__(self, errors: list[Problem]) -> None:
        if not errors:
            errors = [Problem("internal", "", "an error without details")]
        self.errors = errors
        first = errors[0]
        #: The first error's code.
        self.code = first.code
        #: The first error's path.
        self.path = first.path
        #: The first error's English message.
        self.message = first.message
        #: The first error's Danish message (when the core gives one).
        self.message_da = first.message_da
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(f"{first}{more}")


class InputError(TakstError, ValueError):
    """The request cannot be read."""


class InputTypeError(InputError, TypeError):
    """A value of a type takst does not take: a ``float`` where money or a percentage is
    taken (binary floating point cannot hold 0.1 kr), or an object that cannot be sent.
    Code ``invalid_type``; also a ``TypeError``. (A ``datetime`` or pandas ``Timestamp``
    where a date is taken is its date when it is at midnight without a time zone, else an
    ``InputError`` with code ``invalid_value``.)"""


class ValidationError(TakstError, ValueError):
    """A value cannot be used."""


class CalculationError(TakstError, ArithmeticError):
    """A figure overflows or would divide by zero."""


class LimitError(TakstError):
    """The request is larger than the limits allow."""


class InternalError(TakstError):
    """A bug in takst."""


class TakstWarning(UserWarning):
    """Issued (with ``warn=True``) for each warning of a result."""


_CLASSES: dict[str, type[TakstError]] = {
    **dict.fromkeys(
        [
            "syntax",
            "unknown_field",
            "missing_field",
            "invalid_type",
            "invalid_value",
            "invalid_number",
            "unsupported_version",
            "unsupported",
            "duplicate_key",
        ],
        InputError,
    ),
    **dict.fromkeys(
        [
            "negative",
            "not_positive",
            "out_of_range",
            "duplicate_id",
            "unknown_reference",
            "missing_value",
            "conflict",
            "depends_on_error",
        ],
        ValidationError,
    ),
    "overflow": CalculationError,
    "division_by_zero": CalculationError,
    "limit_exceeded": LimitError,
    "internal": InternalError,
}


def error_for(errors: list[dict[str, Any]]) -> TakstError:
    """The exception for a response's errors (its class from the first error's code)."""
    problems = [Problem.from_dict(e) for e in errors]
    if not problems:
        return InternalError(problems)
    if errors[0].get("type_error"):
        return InputTypeError(problems)
    return _CLASSES.get(problems[0].code, TakstError)(problems)


def error_for_json(errors: str) -> TakstError:
    """``error_for`` of a JSON list (the native module's problems)."""
    return error_for(json.loads(errors))
