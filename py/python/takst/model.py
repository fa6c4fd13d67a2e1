"""The inputs: offers, courses and phases, built from keyword arguments, dicts, JSON/TOML
files or a DataFrame of cost lines. They hold the request's fields as given; the core
reads and checks them when computing, and names any field it cannot use."""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

if TYPE_CHECKING:  # pragma: no cover
    from typing_extensions import Unpack

    from . import types

    from .results import Result

__all__ = ["Offer", "Course", "Phase", "AddOn"]

def _given(**fields: Any) -> dict[str, Any]:
    """The fields given: ``None`` and empty lists are left to the core's defaults."""
    return {k: v for k, v in fields.items() if v is not None and v != () and v != []}


def _float_amount(v: float, row: int, column: str) -> None:
    """Raises the float refusal for the amount of cost line ``row`` at its request path
    (``offer.costs[row].amount``), naming the table's column."""
    from ._convert import to_json
    from .errors import InputTypeError, Problem

    try:
        to_json(v, f"offer.costs[{row}].amount")
    except InputTypeError as e:
        p = e.errors[0]
        where = f"column {column!r}, row {row}: "
        raise InputTypeError([Problem(p.code, p.path, where + p.message)]) from None
    raise AssertionError("a float is refused")  # pragma: no cover


class Offer:
    """An offer (tilbud) whose tariffs are computed from its cost base.

    The keyword arguments are the request format's offer fields (``docs/format.md``);
    ``takst.types`` types the dicts they take, so mypy finds a misspelt field or a float
    amount. The core reads and checks every value when computing.

    >>> offer = Offer(name="Eksempel", year=2026, kind="residential",
    ...               capacity={"places": 10}, occupancy={"budgeted_pct": 95},
    ...               costs=[{"label": "Løn og drift", "category": "wages", "amount": "9500000"}])
    >>> offer.compute().sheet.average.day
    Decimal('2740')
    >>> offer.replace(occupancy={"budgeted_pct": 90}).compute().sheet.average.day
    Decimal('2892')
    """

    def __init__(
        self,
        *,
        name: str,
        year: int,
        kind: types.PlaceKind,
        capacity: types.Capacity,
        occupancy: types.Occupancy,
        costs: Sequence[types.CostLine],
        id: str | None = None,
        provider: str | None = None,
        services: Sequence[types.Service] = (),
        add_ons: Sequence[types.AddOn] = (),
        part_time: Sequence[types.PartTime] = (),
        package_scheme: types.PackageScheme | None = None,
        day_basis: types.DayBasis | None = None,
        settings: types.Settings | None = None,
        short_term: bool | None = None,
    ) -> None:
        self._fields: dict[str, Any] = _given(
            name=name, year=year, kind=kind, capacity=capacity, occupancy=occupancy,
            costs=list(costs), id=id, provider=provider, services=list(services),
            add_ons=list(add_ons), part_time=list(part_time), package_scheme=package_scheme,
            day_basis=day_basis, settings=settings, short_term=short_term,
        )

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Offer:
        """An offer from a dict in the request format. Unknown fields are not refused here:
        the core reports them (``unknown_field`` at ``offer.<field>``) when computing."""
        offer = cls.__new__(cls)
        offer._fields = dict(d)
        return offer

    @classmethod
    def from_file(cls, path: str | Path) -> Offer:
        """Reads an offer file: TOML (like ``examples/elbaek.toml``) or JSON, with the core's
        reader: what it cannot read (a syntax error, with its line and column; a duplicate
        key; an unknown field) raises the ``TakstError``, every problem at its field
        (``occupancy.budgeted_pct``). The offer is the one the core read: numbers read from
        their text, exactly, and given as the decimal strings the core writes (a JSON
        ``97.5`` as ``'97.5'``), the settings with their defaults filled in."""
        from . import _native
        from ._run import raise_for

        p = Path(path)
        text = p.read_text(encoding="utf-8")
        # Read by the core (numbers from their text), returned as the JSON form.
        out = json.loads(_native.offer_from_text(text, json=p.suffix.lower() != ".toml"))
        raise_for(out)
        return cls.from_dict(out["offer"])

    @classmethod
    def sample(cls) -> Offer:
        """The bundled sample offer (Elbæk, figures invented)."""
        from . import _native

        return cls.from_dict(json.loads(_native.sample_offer()))

    @classmethod
    def from_costs(
        cls,
        costs: Any,
        *,
        label: str = "label",
        category: str = "category",
        amount: str = "amount",
        key: str | None = "key",
        source: str | None = "source",
        **fields: Any,
    ) -> Offer:
        """An offer whose cost lines are the rows of a table: a pandas or polars DataFrame,
        a pyarrow Table, or anything with ``__arrow_c_stream__``. Read amounts as text or
        decimals (``pandas.read_excel(path, converters={"amount": str})``) so no krone
        passes through float: a float amount is refused (``InputTypeError`` at
        ``offer.costs[row].amount``, the field of the request, whatever the column is named;
        the message names the column). Columns are named by the keyword arguments; the other
        offer fields are given as keywords."""
        from ._tables import rows

        records, names = rows(costs)
        for col in (label, category, amount):
            if col not in names:
                raise KeyError(f"the cost table has no column {col!r} (columns: {names})")
        lines = []
        for i, row in enumerate(records):
            v = row[amount]
            if isinstance(v, float):
                _float_amount(v, i, amount)
            line: dict[str, Any] = {"label": row[label], "category": row[category], "amount": v}
            for opt, maybe in (("key", key), ("source", source)):
                if maybe is not None and maybe in row and row[maybe] is not None and row[maybe] == row[maybe]:
                    line[opt] = row[maybe]
            lines.append(line)
        return cls.from_dict({**fields, "costs": lines})

    def to_dict(self) -> dict[str, Any]:
        """The offer in the request format (the fields given)."""
        return dict(self._fields)

    def replace(self, **changes: Unpack[types.OfferChanges]) -> Offer:
        """A copy with some fields replaced — for what-if: ``offer.replace(occupancy={
        "budgeted_pct": 90})``. Compare the two results with ``Result.compare``."""
        from .types import Offer as OfferFields

        known = set(OfferFields.__annotations__)
        unknown = sorted(set(changes) - known)
        if unknown:
            raise TypeError(f"Offer has no field(s) {unknown} (fields: {sorted(known)})")
        return Offer.from_dict({**self._fields, **changes})

    def compute(self, explain: bool = True, warn: bool = False) -> Result:
        """Computes the offer's tariffs; raises a ``TakstError`` when it cannot."""
        from . import _run

        return _run.run_offer(self, explain, warn)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Offer) and other._fields == self._fields

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<Offer {self._fields.get('name')!r} {self._fields.get('year')}>"


@dataclass
class AddOn:
    """An add-on billed with a phase: the sheet's add-on ``id`` and, for add-ons priced per
    hour or kilometre, the quantity per month."""

    #: The add-on's id in the tariff sheet.
    id: str
    #: Hours or kilometres per month (add-ons priced per hour or per km).
    quantity_per_month: types.Money | None = None

    def to_dict(self) -> dict[str, Any]:
        """The add-on in the request format."""
        d: dict[str, Any] = {"id": self.id}
        if self.quantity_per_month is not None:
            d["quantity_per_month"] = self.quantity_per_month
        return d


@dataclass
class Phase:
    """One phase of a course: a service (or package) for months, days, or until a date."""

    #: The service's id in the tariff sheet (or give ``package``).
    service: str | None = None
    #: A package number of the sheet's package scheme.
    package: int | None = None
    #: Duration in calendar months (give one of ``months``, ``days`` or ``until``).
    months: int | None = None
    #: Duration in days.
    days: int | None = None
    #: Open-ended: the phase runs up to and including this date.
    until: _dt.date | None = None
    #: Days attended per week (part-time day places).
    part_time_days: int | None = None
    #: Add-ons billed with the phase.
    add_ons: list[AddOn | types.AddOnUse] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The phase in the request format."""
        d = {k: v for k, v in self.__dict__.items() if v is not None and k != "add_ons"}
        if self.add_ons:
            d["add_ons"] = self.add_ons
        return d


@dataclass
class Course:
    """A citizen's course: a start date and phases in order (and changes)."""

    #: The first day of the course.
    start: _dt.date
    #: The phases in order.
    phases: list[Phase | types.Phase]
    #: An identifier for the citizen's course (never a CPR number).
    id: str | None = None
    #: The paying municipality.
    municipality: str | None = None
    #: The offer's id, when the request has several tariff sheets.
    offer: str | None = None
    #: Changes during the course (another service, add-ons, termination), in order.
    changes: list[types.Change] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The course in the request format."""
        d: dict[str, Any] = {"start": self.start, "phases": self.phases}
        for k in ("id", "municipality", "offer"):
            if getattr(self, k) is not None:
                d[k] = getattr(self, k)
        if self.changes:
            d["changes"] = self.changes
        return d
