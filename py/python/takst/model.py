"""The inputs: offers, courses and phases, built from keyword arguments, dicts, JSON/TOML
files or a DataFrame of cost lines. They hold the request's fields as given; the core
reads and checks them when computing, and names any field it cannot use."""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import pandas

__all__ = ["Offer", "Course", "Phase", "AddOn"]

class Offer:
    """An offer (tilbud) whose tariffs are computed from its cost base.

    >>> offer = Offer(name="Eksempel", year=2026, kind="residential",
    ...               capacity={"places": 10}, occupancy={"budgeted_pct": 95},
    ...               costs=[{"label": "Løn og drift", "category": "wages", "amount": "9500000"}])
    >>> offer.compute().sheet.average.day
    Decimal('2740')
    """

    def __init__(self, **fields: Any) -> None:
        self._fields: dict[str, Any] = fields

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Offer:
        return cls(**d)

    @classmethod
    def from_file(cls, path: str | Path) -> Offer:
        """Reads an offer file: TOML (like ``examples/elbaek.toml``) or JSON."""
        from . import _native
        from ._run import raise_for

        p = Path(path)
        text = p.read_text(encoding="utf-8")
        if p.suffix.lower() == ".toml":
            # Read by the core (numbers from their text), returned as the JSON form.
            out = json.loads(_native.offer_from_toml(text))
            raise_for(out)
            return cls(**out["offer"])
        return cls(**json.loads(text))

    @classmethod
    def sample(cls) -> Offer:
        """The bundled sample offer (Elbæk, figures invented)."""
        from . import _native

        return cls(**json.loads(_native.sample_offer()))

    @classmethod
    def from_costs(
        cls,
        costs: pandas.DataFrame,
        *,
        label: str = "label",
        category: str = "category",
        amount: str = "amount",
        key: str | None = "key",
        source: str | None = "source",
        **fields: Any,
    ) -> Offer:
        """An offer whose cost lines are the rows of a DataFrame (e.g. the provider's budget
        read with ``pandas.read_excel(path, converters={"amount": str})``: read amounts as
        text, so no krone passes through float). Columns are named by the keyword
        arguments; the other offer fields are given as keywords."""
        for col in (label, category, amount):
            if col not in costs.columns:
                raise KeyError(f"the cost table has no column {col!r} (columns: {list(costs.columns)})")
        lines = []
        for i, row in enumerate(costs.to_dict("records")):
            v = row[amount]
            if isinstance(v, float):
                raise TypeError(
                    f"costs row {i}, column {amount!r}: {v!r} is a float; read the amounts as "
                    "text (pandas.read_excel(..., converters={'amount': str})) or as Decimal, "
                    "so that no krone passes through binary floating point"
                )
            line: dict[str, Any] = {"label": row[label], "category": row[category], "amount": v}
            for opt, maybe in (("key", key), ("source", source)):
                if maybe is not None and maybe in row and row[maybe] is not None and row[maybe] == row[maybe]:
                    line[opt] = row[maybe]
            lines.append(line)
        return cls(**fields, costs=lines)

    def to_dict(self) -> dict[str, Any]:
        return dict(self._fields)

    def compute(self, explain: bool = True, warn: bool = False) -> Any:
        """Computes the offer's tariffs; raises a ``TakstError`` when it cannot."""
        from . import _run

        return _run.run_offer(self, explain, warn)

    def __repr__(self) -> str:
        return f"<Offer {self._fields.get('name')!r} {self._fields.get('year')}>"


@dataclass
class AddOn:
    """An add-on billed with a phase."""

    id: str
    quantity_per_month: Decimal | int | str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id}
        if self.quantity_per_month is not None:
            d["quantity_per_month"] = self.quantity_per_month
        return d


@dataclass
class Phase:
    """One phase of a course: a service (or package) for months, days, or until a date."""

    service: str | None = None
    package: int | None = None
    months: int | None = None
    days: int | None = None
    until: _dt.date | None = None
    part_time_days: int | None = None
    add_ons: list[AddOn] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d = {k: v for k, v in self.__dict__.items() if v is not None and k != "add_ons"}
        if self.add_ons:
            d["add_ons"] = self.add_ons
        return d


@dataclass
class Course:
    """A citizen's course: a start date and phases in order (and changes)."""

    start: _dt.date
    phases: list[Phase | dict[str, Any]]
    id: str | None = None
    municipality: str | None = None
    offer: str | None = None
    changes: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"start": self.start, "phases": self.phases}
        for k in ("id", "municipality", "offer"):
            if getattr(self, k) is not None:
                d[k] = getattr(self, k)
        if self.changes:
            d["changes"] = self.changes
        return d
