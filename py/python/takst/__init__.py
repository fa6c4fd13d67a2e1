"""takst: transparent tariffs (takster) for Danish specialised social services.

The Rust core computes; this package converts. Money is ``decimal.Decimal`` (a ``float``
for money raises ``TypeError``), dates are ``datetime.date``, tables are pandas
DataFrames with ``Decimal`` columns, and results render as HTML in Jupyter.

>>> import takst
>>> result = takst.Offer.sample().compute()
>>> result.sheet["udredning"].day
Decimal('4801')
>>> result.explanation["service.udredning.day"].rounding["step"]
'published'

Entry points:

- ``evaluate(request) -> dict``: the core's entry point, unchanged (a request dict in, the
  response dict out, ``ok: false`` with errors rather than an exception);
- ``evaluate_json(text) -> str`` and ``evaluate_toml(text) -> str``: the same, text in and
  the core's own bytes out;
- ``Offer(...).compute()`` → ``Result``; ``price(courses, sheets)`` → ``Result`` with
  quotes; ``price_courses(df, sheets)`` → DataFrame, many courses at once with the GIL
  released. These raise a ``TakstError`` (with ``code``, ``path``, ``message`` and all
  ``errors``) when the request cannot be computed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from . import _native
from ._convert import to_json
from ._run import raise_for, run
from .errors import (
    CalculationError,
    InputError,
    InternalError,
    LimitError,
    Problem,
    TakstError,
    TakstWarning,
    ValidationError,
)
from .finance import Ambulant, BaseFunding, Buyer, Partnership, Scenarios, Settlement, SpecialArrangements
from .model import AddOn, Course, Offer, Phase
from .results import Budget, Einvoice, Explanation, InvoiceLine, Node, Quote, Result, Tariff, TariffSheet

if TYPE_CHECKING:  # pragma: no cover
    import pandas

__version__: str = _native.version()

__all__ = [
    "__version__",
    "evaluate",
    "evaluate_json",
    "evaluate_toml",
    "price",
    "price_courses",
    "read_sheet",
    "compute",
    "settle",
    "partnership",
    "base_funding",
    "special_arrangements",
    "ambulant",
    "net_cost",
    "Settlement",
    "Partnership",
    "BaseFunding",
    "SpecialArrangements",
    "Ambulant",
    "Buyer",
    "Scenarios",
    "Offer",
    "Course",
    "Phase",
    "AddOn",
    "Result",
    "TariffSheet",
    "Tariff",
    "Quote",
    "InvoiceLine",
    "Einvoice",
    "Explanation",
    "Node",
    "Budget",
    "Problem",
    "TakstError",
    "InputError",
    "ValidationError",
    "CalculationError",
    "LimitError",
    "InternalError",
    "TakstWarning",
]


def evaluate(request: dict[str, Any] | str) -> dict[str, Any]:
    """The core's entry point: a request (a dict, whose amounts may be ``Decimal``,
    ``int`` or ``str`` and dates ``datetime.date``; or JSON text) in, the response dict
    out — amounts as decimal strings, exactly as the Rust ``evaluate`` writes them. A
    request that cannot be computed gives ``{"ok": False, "errors": [...]}``; a float in
    it raises ``TypeError``."""
    text = request if isinstance(request, str) else to_json(request)
    result: dict[str, Any] = json.loads(_native.evaluate_json(text))
    return result


def evaluate_json(request: str) -> str:
    """A JSON request in, the response as compact JSON out: the core's own bytes."""
    return _native.evaluate_json(request)


def evaluate_toml(request: str) -> str:
    """A TOML request in, the response as compact JSON out."""
    return _native.evaluate_toml(request)


def read_sheet(path: str | Path) -> TariffSheet:
    """Reads a published tariff sheet file (``takst/tariff-sheet``)."""
    return TariffSheet.from_file(path)


def _sheets(sheets: TariffSheet | dict[str, Any] | Sequence[TariffSheet | dict[str, Any]]) -> list[Any]:
    if isinstance(sheets, (TariffSheet, dict)):
        return [sheets]
    return list(sheets)


def price(
    courses: Course | dict[str, Any] | Iterable[Course | dict[str, Any]],
    sheets: TariffSheet | dict[str, Any] | Sequence[TariffSheet | dict[str, Any]],
    *,
    index: dict[str, Any] | None = None,
    billing: dict[str, Any] | None = None,
    caseload: bool = False,
    einvoicing: dict[str, Any] | None = None,
    explain: bool = False,
    warn: bool = False,
) -> Result:
    """Prices courses from tariff sheets: ``result.quotes`` holds one quote per course;
    ``caseload=True`` adds the budget per paying municipality. ``index`` is the PL index
    (``{"rates_pct": [{"year": 2027, "pct": Decimal("1.96")}]}``), ``billing`` the
    billing conventions (docs/format.md). ``einvoicing`` (the request's section: seller,
    buyers, references, payment means, …) adds the e-invoices: ``result.einvoices`` and
    ``result.write_einvoices(directory)``."""
    if isinstance(courses, (Course, dict)):
        courses = [courses]
    request: dict[str, Any] = {
        "version": 1,
        "catalogues": _sheets(sheets),
        "courses": list(courses),
        "options": {"explain": explain, "caseload": caseload},
    }
    if index is not None:
        request["index"] = index
    if billing is not None:
        request["billing"] = billing
    if einvoicing is not None:
        request["einvoicing"] = einvoicing
    return run(request, warn)


def price_courses(
    courses: pandas.DataFrame,
    sheets: TariffSheet | dict[str, Any] | Sequence[TariffSheet | dict[str, Any]],
    *,
    index: dict[str, Any] | None = None,
    billing: dict[str, Any] | None = None,
    lines: bool = False,
    warn: bool = False,
) -> pandas.DataFrame | tuple[pandas.DataFrame, pandas.DataFrame]:
    """Prices many courses at once, one row per citizen, with exactly the figures ``price``
    gives for each (the rows are priced by the same core function).

    Columns read as the course's fields: ``start`` (a date or ``'YYYY-MM-DD'``; a missing
    one is an error at ``courses[row].start``), ``phases`` (a list of phase dicts or
    ``Phase``s with their add-ons and part-time days, or its JSON text; rows may share one
    list) and optionally ``changes`` (changes and terminations, as for ``Course``), ``id``,
    ``municipality`` and ``offer``. Every other column is yours and is kept.

    Returns a copy of the table with ``days``, ``total``, ``flat`` (the same days at the
    flat average tariff), ``difference`` (total − flat), ``change`` (what the changes did
    to the price) as ``Decimal`` and ``warnings`` (the row's warnings); all warnings are
    also in ``df.attrs["warnings"]``, and ``warn=True`` issues each as a ``TakstWarning``
    like ``price`` does. With ``lines=True`` also a DataFrame of invoice lines (``row`` is
    the course's position). Raises a ``TakstError`` with every problem, each at
    ``courses[row]…``. The GIL is released while the core prices."""
    from ._batch import price_frame

    return price_frame(courses, _sheets(sheets), index, billing, lines, warn)


def compute(request: dict[str, Any] | str | Path, *, warn: bool = False) -> Result:
    """Computes a whole request — a dict, JSON text, or a JSON or TOML request file — into a
    ``Result`` with every section it asks for (tariffs, courses, settlement, partnership,
    base funding, special arrangements, ambulant services, the buyer's net cost, scenarios).
    Raises a ``TakstError`` when it cannot be computed."""
    if isinstance(request, dict):
        return run(request, warn)
    if isinstance(request, str) and request.lstrip().startswith("{"):
        text = request
    else:
        text = Path(request).read_text(encoding="utf-8")
    is_json = text.lstrip().startswith("{")
    response = json.loads(_native.evaluate_json(text) if is_json else _native.evaluate_toml(text))
    raise_for(response)
    result = Result(response, text)
    if warn:
        import warnings as _warnings

        for w in result.warnings:
            _warnings.warn(str(w), TakstWarning, stacklevel=2)
    return result


def _section(name: str, fields: dict[str, Any], warn: bool) -> Any:
    result = run({"version": 1, name: fields, "options": {"explain": False}}, warn)
    return getattr(result, name)


def settle(*, warn: bool = False, **fields: Any) -> Settlement:
    """The year-end settlement (efterregulering) from keyword arguments (docs/format.md):
    ``takst.settle(year=2026, budget=Decimal("8000000"), actual_costs=..., revenue=...)``."""
    return _section("settlement", fields, warn)  # type: ignore[no-any-return]


def partnership(*, warn: bool = False, **fields: Any) -> Partnership:
    """Partnership financing from keyword arguments (``financing_base``, ``expected_days``,
    ``fixed_share_pct``, ``partners``, ...)."""
    return _section("partnership", fields, warn)  # type: ignore[no-any-return]


def base_funding(*, warn: bool = False, **fields: Any) -> BaseFunding:
    """Base funding from keyword arguments (``cost_base``, ``expected_days``, ``sources``,
    ``municipalities``)."""
    return _section("base_funding", fields, warn)  # type: ignore[no-any-return]


def special_arrangements(arrangements: list[dict[str, Any]], *, warn: bool = False) -> SpecialArrangements:
    """Prices special arrangements (each a dict: ``name``, ``start``, ``end``,
    ``fixed_costs``, ``staffing``, ``markup_pct``, ``early_end``)."""
    return _section("special_arrangements", arrangements, warn)  # type: ignore[arg-type,no-any-return]


def ambulant(*, warn: bool = False, **fields: Any) -> Ambulant:
    """An ambulant service's hourly rate and products from keyword arguments."""
    return _section("ambulant", fields, warn)  # type: ignore[no-any-return]


def net_cost(*, warn: bool = False, **fields: Any) -> Buyer:
    """The buying municipality's net cost (``private_provider``, ``vat_bearing_pct``,
    ``refund`` brackets per year, ``costs``). For courses, put them and ``buyer`` in one
    request and use ``compute``."""
    return _section("buyer", fields, warn)  # type: ignore[no-any-return]
