"""Settlement and financing: typed views of the response's financing sections, and
``takst.finance(...)`` to compute them.

Each view holds its section's JSON (``.raw``); ``view["field"]`` gives a value with amounts
as ``Decimal`` (fractions as ``Fraction``), ``to_records()``/``to_pandas()`` its table
(``Decimal`` columns, never float), ``to_text()`` the core's Danish statement, and
``_repr_html_`` the statement's figures and table for Jupyter (every string escaped).
"""

from __future__ import annotations

import datetime as _dt
import re
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar

from . import _html
from . import _native
from ._convert import money

if TYPE_CHECKING:  # pragma: no cover
    import pandas


def _pandas() -> Any:
    from ._tables import pandas_module

    return pandas_module()


def _pyarrow() -> Any:
    from ._tables import pyarrow_module

    return pyarrow_module()

__all__ = [
    "Section",
    "Settlement",
    "Partnership",
    "BaseFunding",
    "SpecialArrangements",
    "Ambulant",
    "Buyer",
    "TariffNotice",
    "Scenarios",
]

#: The fields of a response whose value is a number written as a string: the properties
#: whose schema is ``Decimal`` or ``Exact`` (a list of them too) somewhere in
#: ``schema/response.schema.json`` (a test derives this set from it). A string of one of
#: these fields is converted only when it is a number's text (``"4248.60"``, a fraction
#: ``"378387/167"``): ``month`` is an amount in a tariff and ``"2026-01"`` in a case,
#: ``vat`` an amount in an e-invoice and a convention in the buyer's section. Any other
#: string (a word, a name, an id such as ``"0101"`` or ``"101"``) is left as it is. A name
#: is taken for a number wherever it is one: ``course`` is an amount in a comparison but a
#: course's id in an e-invoice (``"101"``), which no section here reads; a section that
#: reads e-invoices must convert by place, not by this name.
_NUMBERS = frozenset(
    {"actual_costs", "after", "amount", "as_non_partner", "as_partner", "band_hours_per_week",
     "basis", "before", "before_approx", "billed", "break_even_days", "budget", "change",
     "change_pct", "changed", "common", "contribution", "cost_base", "costs", "course", "day",
     "day_price", "day_tariff", "day_tariff_without", "days", "difference", "direct",
     "expected_days", "financing_base", "fixed_costs", "fixed_payment", "flat", "full_tariff",
     "funding", "gross", "hourly_rate", "hours", "hours_per_week", "hours_to_per_week",
     "increment", "interval", "markup", "month", "net", "new", "non_partner_days",
     "occupancy_pct", "original", "overhead", "package_part", "partner_days", "partner_tariff",
     "pct", "pl_pct", "places", "population", "previous", "price", "productive_hours",
     "quantity_per_month", "refund_176", "regulation", "regulation_per_day", "remaining",
     "reserves_remaining", "residue", "result", "revenue", "saving", "set_aside",
     "set_aside_cap", "share_pct", "staff_costs", "staffing", "support", "tariff", "tariff_base",
     "total", "uncovered", "uncovered_fixed", "uncovered_staffing", "usage_pct", "used", "value",
     "value_approx", "vat", "vat_bearing_pct", "vat_refund", "year"}
)

#: A number's text as the core writes it (the schema's ``Exact``: a decimal, or a fraction
#: in lowest terms).
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+|/[1-9][0-9]*)?")

#: Fields whose strings are dates.
_DATES = frozenset({"start", "end", "date"})


def _value(key: str, v: Any) -> Any:
    """A response value of field ``key`` as Python values: an amount as ``Decimal`` (a
    fraction as ``Fraction``), a date as ``datetime.date``, anything else as it is."""
    if isinstance(v, dict):
        return {k: _value(k, x) for k, x in v.items()}
    if isinstance(v, list):
        return [_value(key, x) for x in v]
    if isinstance(v, str):
        if key in _DATES:
            return _dt.date.fromisoformat(v)
        if key in _NUMBERS and _NUMBER.fullmatch(v):
            return Fraction(v) if "/" in v else Decimal(v)
    return v


class Section:
    """A financing section of a response."""

    #: The response field.
    field: ClassVar[str] = ""
    #: Headline figures: (Danish label, field).
    summary: ClassVar[list[tuple[str, str]]] = []
    #: The table: the list's path in the section, then its columns.
    rows: ClassVar[tuple[tuple[str, ...], list[str]]] = ((), [])
    #: The table's Danish caption.
    caption: ClassVar[str] = ""

    def __init__(self, raw: Any, request: str | None = None) -> None:
        self.raw = raw
        self._request = request

    def __getitem__(self, field: str) -> Any:
        return _value(field, self.raw[field])

    def get(self, field: str, default: Any = None) -> Any:
        return _value(field, self.raw[field]) if field in self.raw else default

    def _items(self) -> list[dict[str, Any]]:
        path, _ = self.rows
        items: Any = self.raw
        for p in path:
            items = items.get(p, []) if isinstance(items, dict) else items
        return list(items) if isinstance(items, list) else []

    def to_records(self) -> list[dict[str, Any]]:
        """The section's table as dicts, amounts as ``Decimal``."""
        _, columns = self.rows
        return [{c: _value(c, item.get(c)) if item.get(c) is not None else None for c in columns}
                for item in self._items()]

    def to_pandas(self) -> pandas.DataFrame:
        """The section's table as a DataFrame (``Decimal`` columns, dtype object)."""
        from .results import _frame

        return _frame(self.to_records(), self.rows[1])

    def to_text(self) -> str:
        """The core's Danish statement."""
        if self._request is None:
            raise ValueError("this result was not made from a request")
        text = _native.section_text(self._request, self.field)
        if text is None:  # pragma: no cover - the section exists, so the core renders it
            raise ValueError(f"the request has no {self.field}")
        return text

    def _summary_rows(self) -> list[tuple[str, Any]]:
        # A year is a name, not an amount: "2026", never "2.026".
        return [(label, _shown(f, self.get(f))) for label, f in self.summary if f in self.raw]

    def _repr_html_(self) -> str:
        out = [f'<div class="takst">{_html.STYLE}']
        rows = self._summary_rows()
        if rows:
            out.append(_html.table(self.caption, ["", ""], rows, [False, True]))
        records = self.to_records()
        if records:
            columns = self.rows[1]
            numeric = [c not in _YEARS and any(isinstance(r[c], (Decimal, Fraction, int)) and not isinstance(r[c], bool)
                                                for r in records) for c in columns]
            out.append(_html.table("", columns, [[_shown(c, r[c]) for c in columns] for r in records], numeric))
        out.append("</div>")
        return "".join(out)

    def __repr__(self) -> str:
        bits = ", ".join(f"{f}={self.get(f)}" for _, f in self.summary[:3] if f in self.raw)
        return f"<{type(self).__name__} {bits}>"


#: Fields that are years: shown as written, without a thousands separator.
_YEARS = frozenset({"year", "use_by", "from_year", "to_year"})


def _shown(field: str, value: Any) -> Any:
    """A table cell's value for display: a year as its text (not ``2.026``)."""
    return str(value) if field in _YEARS and isinstance(value, int) else value


class Settlement(Section):
    """The year-end settlement (efterregulering)."""

    field = "settlement"
    caption = "Efterregulering"
    summary = [
        ("Faktiske takstindtægter", "revenue"),
        ("Faktiske omkostninger", "actual_costs"),
        ("Resultat", "result"),
        ("Loft over hensættelse", "set_aside_cap"),
        ("Hensat", "set_aside"),
        ("Efterregulering", "regulation"),
        ("Hensættelser til rådighed", "reserves_remaining"),
    ]
    rows = (("reserves",), ["year", "amount", "used", "remaining", "use_by", "state"])

    @property
    def regulation_years(self) -> dict[int, Decimal]:
        """The regulation per tariff year it is spread over (none when :attr:`refunded`)."""
        return {y["year"]: Decimal(y["amount"]) for y in self.raw["regulation_years"]}

    @property
    def refunded(self) -> bool:
        """Whether the returned surplus is refunded now, as credit notes
        (``einvoicing.settlement_refunds``), so that it enters no later year's cost base."""
        return bool(self.raw.get("refunded", False))

    @property
    def municipalities(self) -> dict[str, Decimal]:
        """Each municipality's share of the regulation, by its billed days."""
        return {m["municipality"]: Decimal(m["amount"]) for m in self.raw.get("municipalities", [])}


class Partnership(Section):
    """Partnership financing: each partner's cost at each usage level."""

    field = "partnership"
    caption = "Partnerskab"
    summary = [
        ("Fuld takst pr. dag", "full_tariff"),
        ("Partnertakst pr. dag", "partner_tariff"),
        ("Finansieringsgrundlag", "financing_base"),
        ("Partnernes faste betaling", "fixed_payment"),
        ("Indtægt ved forventede dage", "revenue"),
        ("Afrundingsrest", "residue"),
    ]
    rows = ((), ["municipality", "usage_pct", "days", "as_partner", "as_non_partner", "saving"])

    def _items(self) -> list[dict[str, Any]]:
        return [dict(u, municipality=p["municipality"]) for p in self.raw["partners"] for u in p["usage"]]

    @property
    def break_even(self) -> dict[str, Decimal | None]:
        """Each partner's break-even days."""
        return {p["municipality"]: (Decimal(p["break_even_days"]) if "break_even_days" in p else None)
                for p in self.raw["partners"]}

    @property
    def contributions(self) -> dict[str, Decimal]:
        """Each partner's fixed contribution."""
        return {p["municipality"]: Decimal(p["contribution"]) for p in self.raw["partners"]}

    def plot(self, ax: Any = None) -> Any:
        """Each partner's cost as partner and at the full tariff against its usage
        (matplotlib, imported only here). Returns the axes."""
        from ._tables import pyplot_module

        plt = pyplot_module()

        if ax is None:
            _, ax = plt.subplots(figsize=(8, 4))
        for p in self.raw["partners"]:
            days = [float(Decimal(u["days"])) for u in p["usage"]]  # display only
            ax.plot(days, [float(Decimal(u["as_partner"])) for u in p["usage"]], marker="o",
                    label=f"{p['municipality']} som partner")
            ax.plot(days, [float(Decimal(u["as_non_partner"])) for u in p["usage"]], linestyle="--",
                    label=f"{p['municipality']} til fuld takst")
        ax.set_xlabel("dage")
        ax.set_ylabel("kr.")
        ax.legend()
        return ax


class BaseFunding(Section):
    """Base funding and each municipality's contribution."""

    field = "base_funding"
    caption = "Basisfinansiering"
    summary = [
        ("Dagtakst med basisfinansiering", "day_tariff"),
        ("Dagtakst uden basisfinansiering", "day_tariff_without"),
        ("Takstgrundlag før", "cost_base"),
        ("Basisfinansiering", "funding"),
        ("Takstgrundlag efter", "tariff_base"),
        ("Afrundingsrest", "residue"),
    ]
    rows = (("municipalities",), ["municipality", "population", "amount"])


class SpecialArrangements(Section):
    """Special arrangements: price, day price and the uncovered costs of an early end."""

    field = "special_arrangements"
    caption = "Særforanstaltninger"
    rows = ((), ["name", "start", "end", "days", "fixed_costs", "staffing", "markup", "price",
                 "day_price", "uncovered"])

    def _items(self) -> list[dict[str, Any]]:
        return [dict(s, uncovered=s.get("early_end", {}).get("uncovered")) for s in self.raw]

    def __getitem__(self, i: Any) -> Any:
        return _value("", self.raw[i])

    def __len__(self) -> int:
        return len(self.raw)

    def __repr__(self) -> str:
        return f"<SpecialArrangements {len(self.raw)}>"


class Ambulant(Section):
    """An ambulant service's hourly rate and products."""

    field = "ambulant"
    caption = "Ambulant ydelse"
    summary = [
        ("Timepris", "hourly_rate"),
        ("Omkostninger i alt", "costs"),
        ("Produktive timer", "productive_hours"),
    ]
    rows = (("products",), ["id", "name", "hours", "price"])


class Buyer(Section):
    """The buying municipality's net cost per citizen and year."""

    field = "buyer"
    caption = "Nettoudgift"
    rows = (("cases",), ["citizen", "year", "gross", "vat_refund", "refund_176", "net"])

    @property
    def years(self) -> dict[int, dict[str, Decimal]]:
        """Per year: gross cost, VAT refund, § 176 refund and net cost."""
        return {y["year"]: {k: Decimal(v) for k, v in y.items() if k != "year"} for y in self.raw["years"]}

    def __repr__(self) -> str:
        return f"<Buyer {len(self.raw['cases'])} cases>"


class TariffNotice(Section):
    """The tariff-change notice (varsling af takstændringer): each published tariff of year
    N+1 against year N, its change split into drivers that sum exactly to it."""

    field = "tariff_notice"
    caption = "Varsling af takstændringer"
    summary = [("Fra år", "from_year"), ("Til år", "to_year"), ("PL-fremskrivning, %", "pl_pct")]
    #: The drivers, in the order of the steps (the table's driver columns).
    DRIVERS: ClassVar[tuple[str, ...]] = ("pl_index", "regulation", "occupancy", "cost_base", "other")
    rows = (("tariffs",), ["id", "name", "previous", "new", "change", "change_pct", *DRIVERS])

    def to_records(self) -> list[dict[str, Any]]:
        """One row per tariff: the day tariffs of both years, the change, and one column per
        driver (``Decimal``; the drivers of a row sum to its change)."""
        out = []
        for item in self._items():
            row: dict[str, Any] = {c: _value(c, item[c]) if item.get(c) is not None else None
                                   for c in self.rows[1] if c not in self.DRIVERS}
            shares = {d["driver"]: Decimal(d["amount"]) for d in item.get("drivers", [])}
            row.update({d: shares.get(d, Decimal(0)) for d in self.DRIVERS})
            out.append(row)
        return out

    @property
    def drivers(self) -> dict[str, dict[str, Decimal]]:
        """Per tariff id: each driver's share of the change."""
        return {r["id"]: {d: r[d] for d in self.DRIVERS} for r in self.to_records()}

    def __repr__(self) -> str:
        return (f"<TariffNotice {self.raw.get('from_year')} → {self.raw.get('to_year')}, "
                f"{len(self._items())} tariffs>")


class Scenarios(Section):
    """The scenarios: every figure each changed."""

    field = "scenarios"
    caption = "Scenarier"
    rows = ((), ["scenario", "key", "label", "unit", "before", "after", "change"])

    def _items(self) -> list[dict[str, Any]]:
        return [dict(c, scenario=s["name"]) for s in self.raw for c in s["changes"]]

    def to_pandas(self) -> pandas.DataFrame:
        """Every changed figure: ``scenario``, ``key``, ``label``, ``unit`` (the figure's
        unit, as the core names it: ``kr``, ``kr_per_day``, ``days``, ...) as text, and ``before``, ``after`` and
        ``change`` as exact values of dtype ``object``: a ``Decimal`` (an amount of kroner and
        øre with its øre, ``151748.10``; a count as it is, ``2000``), a ``Fraction`` where
        the figure has no finite decimal form (``Fraction(1250, 31250)``, as the
        explanation's exact figures), ``None`` where a scenario adds or removes the figure.
        The columns' dtypes do not depend on the rows. A column of ``Decimal`` sums exactly
        (``df["change"].sum()``); Python does not add a ``Decimal`` to a ``Fraction`` (a
        ``TypeError``, never a rounded or concatenated figure), so a column that holds both
        sums exactly as ``sum(map(Fraction, df["change"].dropna()))``. Figures of different
        units (kroner, days, per cent) are not to be added: select by ``unit`` first."""
        pd = _pandas()
        records = self.to_records()
        columns = self.rows[1]
        frame = pd.DataFrame.from_records(records, columns=columns).astype(object)
        for c in ("scenario", "key", "label", "unit"):
            frame[c] = frame[c].astype(pd.ArrowDtype(_pyarrow().string()))
        return frame

    def to_records(self) -> list[dict[str, Any]]:
        """Every changed figure as a dict; an amount of kroner and øre with its øre
        (``151748.10``, as the core's text shows it)."""
        records = super().to_records()
        for record, item in zip(records, self._items()):
            for c in ("before", "after", "change"):
                record[c] = money(str(item.get("unit", "")), record[c])
        return records

    def __len__(self) -> int:
        return len(self.raw)

    def __repr__(self) -> str:
        return f"<Scenarios {', '.join(s['name'] for s in self.raw)}>"
