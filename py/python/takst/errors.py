"""Errors and warnings of takst.

Every error the core reports has a stable machine ``code``, the ``path`` of the field that
caused it (``offer.costs[2].amount``; empty for the request as a whole), a ``message`` in
English and the same in Danish (``message_da``). A request that cannot be computed raises
one exception that carries *all* of its errors (``exc.errors``); its class is that of the
first error:

- ``InputError``: the request cannot be read (syntax, unknown or missing fields, wrong
  types, unreadable numbers, an unsupported version);
- ``ValidationError``: it reads, but a value cannot be used (negative, out of range, an
  unknown reference, conflicting fields);
- ``CalculationError``: a figure overflows or divides by zero;
- ``LimitError``: the request is larger than the limits allow;
- ``InternalError``: a bug in takst (please report the request).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = [
    "Problem",
    "TakstError",
    "InputError",
    "ValidationError",
    "CalculationError",
    "LimitError",
    "InternalError",
    "TakstWarning",
    "Warning_",
    "error_for",
]


@dataclass(frozen=True)
class Problem:
    """One error or warning: machine code, field path, message in English and in Danish
    (``message_da``; ``None`` for a problem found by the Python package itself)."""

    code: str
    path: str
    message: str
    line: int | None = None
    column: int | None = None
    message_da: str | None = None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Problem:
        return cls(
            d["code"],
            d.get("path", ""),
            d["message"],
            d.get("line"),
            d.get("column"),
            message_da=d.get("message_da"),
        )

    @property
    def text_da(self) -> str:
        """The message in Danish (the English one when there is none)."""
        return self.message_da or self.message

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        at = f" (linje {self.line}, kolonne {self.column})" if self.line else ""
        return f"[{self.code}] {where}{self.message}{at}"


#: A warning on a result: a doubtful but legal aspect of the calculation.
Warning_ = Problem


class TakstError(Exception):
    """The base of every takst error. ``code``, ``path``, ``message`` and ``message_da`` (the
    message in Danish) are those of the first error; ``errors`` lists them all."""

    def __init__(self, errors: list[Problem]) -> None:
        if not errors:
            errors = [Problem("internal", "", "an error without details")]
        self.errors = errors
        first = errors[0]
        self.code = first.code
        self.path = first.path
        self.message = first.message
        self.message_da = first.message_da
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(f"{first}{more}")


class InputError(TakstError, ValueError):
    """The request cannot be read."""


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
    cls = _CLASSES.get(problems[0].code, TakstError) if problems else InternalError
    return cls(problems)
