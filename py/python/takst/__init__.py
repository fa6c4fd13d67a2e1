"""takst: transparent tariffs (takster) for Danish specialised social services.

The Rust core computes; this package converts. Money is ``decimal.Decimal`` (a ``float``
for money raises ``InputTypeError``, a ``TakstError`` that is also a ``TypeError``), dates
are ``datetime.date``, tables are Arrow tables with exact ``decimal128`` money (as pyarrow,
polars or pandas with ``pd.ArrowDtype``), and results render as HTML in Jupyter.

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
  the core's own bytes out; ``Evaluator()`` answers request after request the same way,
  keeping the tariff sheet read last for a request that gives it again;
- ``Offer(...).compute()`` → ``Result``; ``price(courses, sheets)`` → ``Result`` with
  quotes; ``price_courses(table, sheets)`` → a table of the same kind (pandas, polars,
  pyarrow), many courses at once with the GIL released. These raise a ``TakstError`` (with ``code``, ``path``, ``message`` and all
  ``errors``) when the request cannot be computed.
"""

from __future__ import annotations

import json
import operator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from . import _native
from ._convert import to_json
from ._run import raise_for, run
from .errors import (
    CalculationError,
    InputError,
    InputTypeError,
    InternalError,
    LimitError,
    Problem,
    TakstError,
    TakstWarning,
    ValidationError,
)
from .finance import (
    Ambulant, BaseFunding, Buyer, Partnership, Scenarios, Settlement, SpecialArrangements, TariffNotice,
)
from .model import AddOn, Course, Offer, Phase, _given
from .explanation import Explanation, Figure, Node
from .results import Budget, Einvoice, InvoiceLine, Quote, Result, ScheduledPhase, SheetPrice, Tariff, TariffSheet

if TYPE_CHECKING:  # pragma: no cover
    from . import types

__version__: str = _native.version()

__all__ = [
    "__version__",
    "evaluate",
    "evaluate_json",
    "evaluate_toml",
    "Evaluator",
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
    "TariffNotice",
    "Scenarios",
    "Offer",
    "Course",
    "Phase",
    "AddOn",
    "Result",
    "TariffSheet",
    "SheetPrice",
    "ScheduledPhase",
    "Tariff",
    "Quote",
    "InvoiceLine",
    "Einvoice",
    "Explanation",
    "Node",
    "Figure",
    "Budget",
    "Problem",
    "TakstError",
    "InputError",
    "InputTypeError",
    "ValidationError",
    "CalculationError",
    "LimitError",
    "InternalError",
    "TakstWarning",
    "types",
]


def __getattr__(name: str) -> Any:
    # takst.types (the request format's TypedDicts) is imported when first used: type
    # checkers read it, a notebook rarely does, and `import takst` stays fast.
    if name == "types":
        import importlib

        return importlib.import_module(".types", __name__)
    raise AttributeError(f"module 'takst' has no attribute {name!r}")


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


class Evaluator:
    """Evaluates requests one after another, keeping the tariff sheet (``catalogue``) read
    last: a request that gives it again written the same way (a web calculator's service,
    a loop pricing course after course from one sheet) is answered without reading it
    again. The answers are those of :func:`evaluate` and :func:`evaluate_json`, byte for
    byte; only the time differs.

    >>> import takst
    >>> sheet = takst.Offer.sample().compute(explain=False).sheet
    >>> evaluator = takst.Evaluator()
    >>> for months in (3, 5):
    ...     request = {"version": 1, "catalogue": sheet, "options": {"explain": False},
    ...                "courses": [{"start": "2026-03-01",
    ...                             "phases": [{"service": "udredning", "months": months}]}]}
    ...     assert evaluator.evaluate(request) == takst.evaluate(request)
    >>> evaluator.reused_catalogue
    True
    """

    __slots__ = ("_native",)

    def __init__(self) -> None:
        self._native = _native.Evaluator()

    def evaluate(self, request: dict[str, Any] | str) -> dict[str, Any]:
        """:func:`evaluate`, with the sheet held when the request gives it again."""
        text = request if isinstance(request, str) else to_json(request)
        result: dict[str, Any] = json.loads(self._native.evaluate_json(text))
        return result

    def evaluate_json(self, request: str) -> str:
        """:func:`evaluate_json`, with the sheet held when the request gives it again."""
        return self._native.evaluate_json(request)

    @property
    def reused_catalogue(self) -> bool:
        """Whether the last request was answered with the sheet held (not read again)."""
        return self._native.reused_catalogue()

    def __repr__(self) -> str:
        return "takst.Evaluator()"


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
        "courses": [_ids_as_text(c) for c in courses],
        "options": {"explain": explain, "caseload": caseload},
    }
    if index is not None:
        request["index"] = index
    if billing is not None:
        request["billing"] = billing
    if einvoicing is not None:
        request["einvoicing"] = einvoicing
    return run(request, warn)


def _ids_as_text(course: Any) -> Any:
    """A course whose ``id``, ``municipality`` or ``offer`` is an integer (Python's or numpy's,
    not a bool) with those as their digits: a municipality code is an identifier, and
    ``price_courses`` reads a column of them so. Anything else is left for the core to read
    (and to refuse, if it is not text)."""
    d = course.to_dict() if isinstance(course, Course) else course
    if not isinstance(d, dict):
        return course
    digits = {k: str(i) for k in ("id", "municipality", "offer") if (i := _integer(d.get(k))) is not None}
    return {**d, **digits} if digits else course


def _integer(v: Any) -> int | None:
    """``operator.index(v)`` for an integer that is not a bool (Python's or numpy's), else
    ``None``: the test the batch's native reader applies to the same cells."""
    t = type(v)
    if v is None or isinstance(v, (bool, str)) or (t.__module__ == "numpy" and t.__name__ in ("bool", "bool_")):
        return None
    try:
        return operator.index(v)
    except TypeError:
        return None


def price_courses(
    courses: Any,
    sheets: TariffSheet | dict[str, Any] | Sequence[TariffSheet | dict[str, Any]],
    *,
    index: dict[str, Any] | None = None,
    billing: dict[str, Any] | None = None,
    lines: bool = False,
    warn: bool | None = None,
    progress: bool | None = None,
    parallel: bool = True,
) -> Any:
    """Prices many courses at once, one row per citizen, with exactly the figures ``price``
    gives for each (the rows are priced by the same core function).

    ``courses`` is a pandas or polars DataFrame, a pyarrow Table or RecordBatch, or any
    table with ``__arrow_c_stream__`` (duckdb, ...). Its columns read as the course's
    fields: ``start`` (a date, a timestamp at midnight or ``'YYYY-MM-DD'``; a pandas
    ``datetime64`` column, as ``read_csv(parse_dates=...)`` gives it, is read as fast as
    dates; a missing one is an error at ``courses[row].start``), ``phases`` (a list of phase dicts or ``Phase``s
    with their add-ons and part-time days, a list of structs, or JSON text; pandas rows may
    share one list) and optionally ``changes`` (changes and terminations, as for
    ``Course``), ``id``, ``municipality`` and ``offer``. Every other column is yours and is
    kept. Integers may be numpy integers; a float anywhere is refused
    (``InputTypeError``). An integer ``id``, ``municipality`` or ``offer`` (a column of
    municipality codes) is read as its digits, as ``price`` reads it; a polars column of
    ``None`` (polars' ``Null`` type) is a column of missing values.

    Returns a table of the same kind (pandas, polars or pyarrow; other Arrow input gives a
    pyarrow Table) with ``days``, ``total``, ``compared`` (the course's service lines, which
    the comparison weighs; ``total`` also has the add-ons, billed alike either way),
    ``flat`` (the same days at the flat average tariff), ``difference`` (compared − flat)
    and ``change`` (what the changes did to the price) — money as exact ``decimal128`` (in pandas ``pd.ArrowDtype``) — and ``warnings``
    (the row's warnings: ``Problem`` lists in pandas, lists of structs in Arrow). Every
    warning of the batch, also those that are no row's own (a sheet's, a municipality
    written two ways), is in pandas in ``df.attrs["warnings"]``, in a pyarrow result in its
    schema's metadata (``b"takst.warnings"``: a JSON list), and a polars frame, which keeps
    no such thing, has those that are no row's own issued as ``TakstWarning``; ``warn=True``
    issues each warning, ``warn=False`` none. With ``lines=True`` also a table of invoice lines
    (``row`` is the course's position). ``progress=None`` shows a tqdm bar (if tqdm is
    installed) when the batch takes more than a second; ``True`` always, ``False`` never.
    Raises a ``TakstError`` with every problem, each at ``courses[row]…`` (a problem of the
    whole request, such as a bad index, once at its own path, however many chunks met it):
    the request's problems first, then the rows' in the order of the rows, as pricing the
    rows one by one lists them, whatever the chunks.

    A table of more than 1,024 rows is read and priced in chunks: with ``parallel=True``
    (the default) and a second core, each chunk is priced on a worker thread while the next
    is read, in order, with the same result as ``parallel=False``. The GIL is released while
    the core prices, so a Dask or Spark worker's threads price in parallel too (pass
    ``parallel=False`` there to keep to one core per call)."""
    from ._batch import price_table

    return price_table(courses, _sheets(sheets), index, billing, lines, warn, progress, parallel)


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
    # The result keeps its request as JSON (``request``, ``compare``): a TOML request as the
    # JSON the core reads the same request from.
    result = Result(response, text if is_json else _native.request_json(text))
    if warn:
        import warnings as _warnings

        for w in result.warnings:
            _warnings.warn(str(w), TakstWarning, stacklevel=2)
    return result


def _section(name: str, fields: Any, warn: bool) -> Any:
    result = run({"version": 1, name: fields, "options": {"explain": False}}, warn)
    return getattr(result, name)


def settle(
    *,
    year: int,
    actual_costs: types.Money,
    budget: types.Money | None = None,
    revenue: types.Money | None = None,
    municipalities: Sequence[types.BilledDays] = (),
    reserves: Sequence[types.Reserve] = (),
    set_aside: types.Money | None = None,
    set_aside_cap_pct: types.Money | None = None,
    regulation_year_offset: int | None = None,
    spread_years: int | None = None,
    use_within_years: int | None = None,
    name: str | None = None,
    warn: bool = False,
) -> Settlement:
    """The year-end settlement (efterregulering) of budget year ``year``: the surplus or
    deficit of ``revenue`` against ``actual_costs``, the part set aside (at most
    ``set_aside_cap_pct`` of the budget), and the regulation of the tariffs two years later,
    split among the ``municipalities`` by their billed days (docs/format.md). ``budget``,
    ``revenue`` and ``municipalities`` may be left to the core to chain from an offer and
    courses in the same request (use ``compute`` for that)::

        takst.settle(year=2026, budget=Decimal("8000000"), actual_costs=Decimal("7600000"),
                     revenue=Decimal("8100000"))
    """
    return _section("settlement", _given(  # type: ignore[no-any-return]
        year=year, budget=budget, actual_costs=actual_costs, revenue=revenue,
        municipalities=list(municipalities), reserves=list(reserves), set_aside=set_aside,
        set_aside_cap_pct=set_aside_cap_pct, regulation_year_offset=regulation_year_offset,
        spread_years=spread_years, use_within_years=use_within_years, name=name), warn)


def partnership(
    *,
    partners: Sequence[types.Partner],
    financing_base: types.Money | None = None,
    expected_days: types.Money | None = None,
    fixed_share_pct: types.Money | None = None,
    key: types.KeyBasis | None = None,
    usage_pct: Sequence[types.Money] = (),
    rounding: types.Rounding | None = None,
    name: str | None = None,
    warn: bool = False,
) -> Partnership:
    """Partnership financing: the partners pay ``fixed_share_pct`` of the
    ``financing_base`` as a fixed payment (by ``key``) and the rest through a lower partner
    tariff per day; each partner's cost at each level of ``usage_pct``."""
    return _section("partnership", _given(  # type: ignore[no-any-return]
        financing_base=financing_base, expected_days=expected_days, partners=list(partners),
        fixed_share_pct=fixed_share_pct, key=key, usage_pct=list(usage_pct),
        rounding=rounding, name=name), warn)


def base_funding(
    *,
    sources: Sequence[types.FundingSource],
    cost_base: types.Money | None = None,
    expected_days: types.Money | None = None,
    municipalities: Sequence[types.Population] = (),
    rounding: types.Rounding | None = None,
    name: str | None = None,
    warn: bool = False,
) -> BaseFunding:
    """Base funding outside the tariff: the ``sources`` reduce the ``cost_base`` before the
    day tariff; a population-based source is split among the ``municipalities``."""
    return _section("base_funding", _given(  # type: ignore[no-any-return]
        cost_base=cost_base, expected_days=expected_days, sources=list(sources),
        municipalities=list(municipalities), rounding=rounding, name=name), warn)


def special_arrangements(arrangements: Sequence[types.SpecialArrangement], *, warn: bool = False) -> SpecialArrangements:
    """Prices special arrangements (særforanstaltninger), each a dict: ``name``, ``start``,
    ``end``, ``fixed_costs``, ``staffing``, ``markup_pct``, ``early_end``."""
    return _section("special_arrangements", list(arrangements), warn)  # type: ignore[no-any-return]


def ambulant(
    *,
    staff_costs: Sequence[types.CostItem],
    productive_hours: types.Money,
    overhead: types.Overhead | None = None,
    products: Sequence[types.AmbulantProduct] = (),
    product_pricing: types.ProductPricing | None = None,
    rounding: types.Rounding | None = None,
    overhead_cap_pct: types.Money | None = None,
    name: str | None = None,
    warn: bool = False,
) -> Ambulant:
    """An ambulant service's hourly rate (staff costs and overhead over productive hours)
    and the price of its ``products``: hours × the published hourly rate, rounded (the
    default), or hours × the exact rate, rounded once (``product_pricing="exact_rate"``).
    Overhead above ``overhead_cap_pct`` of the staff costs (default 6) is the warning
    ``overhead_above_cap``."""
    return _section("ambulant", _given(  # type: ignore[no-any-return]
        staff_costs=list(staff_costs), productive_hours=productive_hours, overhead=overhead,
        products=list(products), product_pricing=product_pricing, rounding=rounding,
        overhead_cap_pct=overhead_cap_pct, name=name), warn)


def net_cost(
    *,
    costs: Sequence[types.BuyerCost] = (),
    refund: Sequence[types.RefundTable] = (),
    refund_levels: types.RefundLevels | None = None,
    refund_method: types.RefundMethod | None = None,
    private_provider: bool | None = None,
    vat_bearing_pct: types.Money | None = None,
    vat_rounding: types.Rounding | None = None,
    municipality: str | None = None,
    include_courses: bool | None = None,
    warn: bool = False,
) -> Buyer:
    """The buying municipality's net cost per citizen and year: gross cost, the indirect
    VAT refund (``private_provider``, ``vat_bearing_pct``) and the state refund of § 176
    (``refund`` brackets per year, or ``refund_levels`` indexed to each year; monthly or
    annual by ``refund_method``). A field left out (``None``) takes the core's default. For courses, put them and ``buyer`` in one request and
    use ``compute``."""
    return _section("buyer", _given(  # type: ignore[no-any-return]
        costs=list(costs), refund=list(refund), refund_levels=refund_levels,
        refund_method=refund_method, private_provider=private_provider,
        vat_bearing_pct=vat_bearing_pct, vat_rounding=vat_rounding, municipality=municipality,
        include_courses=include_courses), warn)
