"""Typed views of a response: amounts as ``Decimal``, dates as ``datetime.date``, tables as
pandas DataFrames (``Decimal`` columns, never float), HTML for Jupyter.

The views hold the response's JSON (``.raw``) and convert on access; nothing is computed
here.
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Sequence

from . import _html
from . import _native
from . import finance
from ._convert import date, dec, exact, from_json, to_json
from ._tables import arrow_table, frame, pyplot_module
from .errors import InputError, InputTypeError, Problem, error_for
from .explanation import Explanation, Figure, Node, unit_da

if TYPE_CHECKING:  # pragma: no cover
    import pandas
    import pyarrow

__all__ = [
    "Result",
    "Einvoice",
    "TariffSheet",
    "Tariff",
    "Quote",
    "InvoiceLine",
    "Explanation",
    "Node",
    "Budget",
    "Figure",
]


def _frame(records: list[dict[str, Any]], columns: list[str], decimals: Sequence[str] = ()) -> pandas.DataFrame:
    """A DataFrame with Arrow-backed dtypes: money as exact ``decimal128``, never float."""
    return frame(records, columns, decimals)


def _pretty(text: str) -> str:
    """Compact JSON written by ``to_json`` indented for reading: the same values (it has no
    number with decimals — ``to_json`` writes a ``Decimal`` as a string — and its integers
    are read back as Python's exact ``int``)."""
    return json.dumps(json.loads(text), ensure_ascii=False, indent=2)


def _fig(value: Any, key: str) -> Figure | None:
    """A sheet's tariff as a ``Figure``: ``None``, or its text, ``int`` or ``Decimal``. A
    float (a sheet read with ``json.load``, or written by hand) is refused, as ``price``
    refuses it: a ``Decimal`` of a float is its binary expansion, not the tariff."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        raise InputTypeError([Problem(
            "invalid_type", key,
            f"{value!r} is a {type(value).__name__}; a tariff is a Decimal, int or str (binary "
            "floating point cannot hold 0.1 kr exactly; read a sheet with takst.read_sheet)")])
    return Figure(value if isinstance(value, (str, Decimal)) else Decimal(value), key)


@dataclass(frozen=True)
class Tariff:
    """One row of a tariff sheet: a service (or the average) and its tariffs per day, month
    and year. Each tariff is a ``Figure`` (a ``Decimal``), so ``result.explain(tariff.day)``
    explains it."""

    #: The service's id (``"average"`` for the average tariff).
    id: str
    #: Its name.
    name: str
    #: The tariff per day (døgn for residential offers).
    day: Decimal | None
    #: The tariff per month.
    month: Decimal | None
    #: The tariff per year.
    year: Decimal | None
    #: The service's kind (``module``, ``level``, ``package``, ...).
    kind: str | None = None
    #: The stage of a module along a course.
    stage: str | None = None


@dataclass(frozen=True)
class SheetPrice:
    """A price a tariff sheet publishes beside its tariffs: an add-on's price, a part-time
    day tariff, the package scheme's basis and interval, or the regulation per day."""

    #: ``add_on``, ``part_time``, ``package_basis``, ``package_interval`` or
    #: ``regulation_per_day``.
    kind: str
    #: What it is, in Danish (an add-on's name; "Deltid 3 dage/uge af Udviklingsmodul (60 %)").
    name: str
    #: What the price is per, in Danish (``pr. time``, ``pr. km``, ``pr. døgn``, ``pr. dag``).
    unit: str
    #: The price, exact.
    price: Decimal
    #: The add-on's id, or the service a part-time tariff is of (``"average"`` for the
    #: average tariff); ``None`` for the others.
    id: str | None = None


class TariffSheet:
    """A published tariff sheet (takstblad): the file a provider publishes. Iterate it for
    its ``Tariff`` rows (the average first), index it by service id; ``prices`` has what it
    publishes beside them (add-ons, part-time tariffs, the package scheme, the regulation)."""

    def __init__(self, raw: dict[str, Any], prefix: str = "") -> None:
        if not isinstance(raw, dict):
            raise InputTypeError([Problem(
                "invalid_type", prefix.rstrip("."),
                f"a tariff sheet is an object (a dict); got a value of type {type(raw).__name__}")])
        #: The sheet's JSON (format ``takst/tariff-sheet``).
        self.raw = raw
        self._prefix = prefix

    @classmethod
    def from_file(cls, path: str | Path) -> TariffSheet:
        """Reads a sheet file (format ``takst/tariff-sheet``), checked by the core's reader as
        ``price`` reads it: a file that is not JSON, or not a tariff sheet, raises the
        ``TakstError`` with every problem at its field (``offer.year``). A JSON number with
        decimals (``3.79``) is read as the ``Decimal`` of its text, as the core reads it,
        never as a ``float``."""
        text = Path(path).read_text(encoding="utf-8")
        try:
            raw = from_json(text)
        except ValueError as e:
            line, column = (e.lineno, e.colno) if isinstance(e, json.JSONDecodeError) else (None, None)
            raise InputError([Problem("syntax", "", f"{path} is not JSON: {e}", line=line,
                                      column=column)]) from None
        sheet = cls(raw)
        # The core reads it as one catalogue of a request (`text` is one JSON value: read
        # above), and its errors are at the sheet's own fields; a position on the file's
        # first line is after the request's opening, on the same line.
        opening = '{"version":1,"options":{"explain":false},"catalogues":['
        response = json.loads(_native.evaluate_json(opening + text + "]}"))
        if response["errors"]:
            for problem in response["errors"]:
                at = problem["path"]
                problem["path"] = at[len("catalogues[0]."):] if at.startswith("catalogues[0].") else (
                    "" if at == "catalogues[0]" else at)
                if problem.get("line") == 1 and isinstance(problem.get("column"), int):
                    was, problem["column"] = problem["column"], max(1, problem["column"] - len(opening))
                    for key, words in (("message", "line 1, column"), ("message_da", "linje 1, kolonne")):
                        if isinstance(problem.get(key), str):
                            problem[key] = problem[key].replace(
                                f"{words} {was}", f"{words} {problem['column']}")
            raise error_for(response["errors"])
        return sheet

    def to_dict(self) -> dict[str, Any]:
        """The sheet's JSON (format ``takst/tariff-sheet``), to send in a request."""
        return self.raw

    def save(self, path: str | Path) -> None:
        """Writes the sheet as indented JSON, the file the calculator and notebooks read.
        It is written by the package's own writer (``to_json``), as a request would send it:
        a ``Decimal`` as the string of its exact digits (``Decimal('3.79')`` → ``"3.79"``,
        the form the core writes amounts in), a ``date`` as ``YYYY-MM-DD``; a ``float``
        raises ``InputTypeError`` at its path (``catalogue.add_ons[1].price``)."""
        Path(path).write_text(_pretty(to_json(self.raw, "catalogue")) + "\n", encoding="utf-8")

    @property
    def offer(self) -> dict[str, Any]:
        """The offer the sheet is for: id, name, kind, provider, year."""
        return dict(self.raw.get("offer", {}))

    @property
    def year(self) -> int:
        """The tariff year."""
        return int(self.raw["offer"]["year"])

    @property
    def day_word(self) -> str:
        """"døgn" for a residential offer, "dag" for a day offer."""
        return "døgn" if self.raw.get("offer", {}).get("kind") == "residential" else "dag"

    @property
    def average(self) -> Tariff | None:
        """The average tariff (gennemsnitstakst), if the sheet has one."""
        a = self.raw.get("average")
        if a is None:
            return None
        k = f"{self._prefix}average."
        return Tariff("average", "Gennemsnitstakst", _fig(a.get("day"), k + "day"),
                      _fig(a.get("month"), k + "month"), _fig(a.get("year"), k + "year"))

    @property
    def services(self) -> list[Tariff]:
        """The differentiated services' tariffs (modules, packages, levels)."""
        out = []
        for s in self.raw.get("services", []):
            t = s.get("tariff", {})
            k = f"{self._prefix}service.{s['id']}."
            out.append(
                Tariff(
                    s["id"], s.get("name", s["id"]), _fig(t.get("day"), k + "day"),
                    _fig(t.get("month"), k + "month"), _fig(t.get("year"), k + "year"),
                    s.get("kind"), s.get("stage"),
                )
            )
        return out

    @property
    def prices(self) -> list[SheetPrice]:
        """What the sheet publishes beside its tariffs, in this order: the add-ons' prices,
        the part-time day tariffs, the package scheme's basis and interval, the regulation
        of an earlier year's result per day (each one present)."""
        per_day = f"pr. {self.day_word}"
        units = {"hour": "pr. time", "km": "pr. km", "day": per_day}
        names = {t.id: t.name for t in self}
        out = [SheetPrice("add_on", a.get("name", a["id"]), units.get(a.get("unit", ""), a.get("unit", "")),
                          Decimal(a["price"]), a["id"]) for a in self.raw.get("add_ons", [])]
        for p in self.raw.get("part_time", []):
            of = names.get(p["of"], p["of"])
            out.append(SheetPrice("part_time", f"Deltid {p['days_per_week']} dage/uge af {of} ({_html.da(Decimal(p['pct']))} %)",
                                  per_day, Decimal(p["day"]), p["of"]))
        scheme = self.raw.get("package_scheme")
        if scheme is not None:
            band = _html.da(Decimal(scheme["band_hours_per_week"]))
            out.append(SheetPrice("package_basis", "Pakker: grundbeløb", per_day, Decimal(scheme["basis"])))
            out.append(SheetPrice("package_interval", f"Pakker: interval pr. bånd på {band} timer/uge", per_day,
                                  Decimal(scheme["interval"])))
        reg = self.raw.get("regulation_per_day")
        if reg is not None:
            out.append(SheetPrice("regulation_per_day", "Regulering af et tidligere års resultat", per_day, Decimal(reg)))
        return out

    _PRICE_COLUMNS = ["kind", "id", "name", "unit", "price"]

    def prices_to_pandas(self) -> pandas.DataFrame:
        """``prices`` as a frame: kind, id, name, unit, price (exact ``decimal128``)."""
        return _frame([{"kind": p.kind, "id": p.id, "name": p.name, "unit": p.unit, "price": p.price}
                       for p in self.prices], self._PRICE_COLUMNS)

    def __iter__(self) -> Iterator[Tariff]:
        if self.average is not None:
            yield self.average
        yield from self.services

    def __getitem__(self, service_id: str) -> Tariff:
        for t in self:
            if t.id == service_id:
                return t
        raise KeyError(service_id)

    _COLUMNS = ["id", "name", "kind", "stage", "day", "month", "year"]

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per tariff (the average first), amounts as ``Decimal``."""
        return [
            {"id": t.id, "name": t.name, "kind": t.kind, "stage": t.stage,
             "day": t.day, "month": t.month, "year": t.year}
            for t in self
        ]

    def to_arrow(self) -> pyarrow.Table:
        """One row per tariff: id, name, kind, stage, and day, month, year as exact
        ``decimal128``."""
        return arrow_table(self.to_records(), self._COLUMNS)

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object:
        """The Arrow PyCapsule interface: ``polars.DataFrame(sheet)``, ``pyarrow.table(sheet)``."""
        return self.to_arrow().__arrow_c_stream__(requested_schema)

    def to_pandas(self) -> pandas.DataFrame:
        """One row per tariff (the average first): id, name, kind, stage, day, month, year
        (``pd.ArrowDtype(decimal128)``: exact sums, never float). The add-ons' prices and the
        sheet's other prices are in ``prices_to_pandas()``."""
        return _frame(self.to_records(), self._COLUMNS)

    def to_text(self) -> str:
        """The sheet as Danish text (the takstblad)."""
        return _native.to_text(to_json({"version": 1, "catalogue": self.raw, "options": {"explain": False}}))

    def _repr_html_(self) -> str:
        o = self.raw.get("offer", {})
        word = self.day_word
        caption = f"Takstblad {o.get('year', '')} · {o.get('name', '')}"
        rows = [(t.name, t.day, t.month, t.year) for t in self]
        prices = self.prices
        return (
            f'<div class="takst">{_html.STYLE}'
            + _html.table(caption, ["Ydelse", f"pr. {word}", "pr. måned", "pr. år"], rows,
                          [False, True, True, True])
            + (_html.table("Tillæg og øvrige priser", ["", "Pris", ""],
                           [(p.name, p.price, p.unit) for p in prices], [False, True, False])
               if prices else "")
            + "</div>"
        )

    def __repr__(self) -> str:
        o = self.raw.get("offer", {})
        return f"<TariffSheet {o.get('id') or o.get('name')!r} {o.get('year')}: {len(self.raw.get('services', []))} services>"


@dataclass(frozen=True)
class InvoiceLine:
    """One calendar month of one phase (or add-on): the days, the tariff in force and where
    it comes from, and the amount (a ``Figure``: ``result.explain(line.amount)``)."""

    #: The calendar month (``"2026-09"``).
    month: str
    #: The phase's position in the course (from 0).
    phase: int
    #: The service billed.
    service: str
    #: The add-on billed, if the line is an add-on's.
    add_on: str | None
    #: The first day billed.
    start: _dt.date
    #: The last day billed.
    end: _dt.date
    #: Days billed.
    days: int
    #: How the line is priced: ``per_day`` (days × day tariff), ``full_month`` (the month
    #: tariff) or ``per_unit`` (an add-on per hour or km: ``quantity_per_month`` × the tariff
    #: × the month's share of days).
    basis: str
    #: For an add-on line priced per unit: the quantity a month.
    quantity_per_month: Decimal | None
    #: For an add-on line: the unit its price is per (``day``, ``hour``, ``km``).
    unit: str | None
    #: The tariff in force (per day, per month or per unit, as ``basis`` says).
    tariff: Decimal
    #: The tariff's year.
    tariff_year: int
    #: Where the tariff comes from (the sheet, indexed, carried), in Danish.
    source: str
    #: The line's amount, rounded once to øre.
    amount: Decimal
    #: When the line is invoiced.
    invoice_date: _dt.date


#: The invoice lines' decimal columns that may have no value in any line.
_LINE_DECIMALS = ("quantity_per_month",)

#: How an invoice line is priced (``InvoiceLine.basis``), in Danish.
BASIS_DA = {"per_day": "dage × dagstakst", "full_month": "hel måned", "per_unit": "antal × pris × andel af måneden"}
#: An add-on's unit (``InvoiceLine.unit``) in Danish: one, and more than one.
UNIT_DA = {"hour": ("time", "timer"), "km": ("km", "km"), "day": ("dag", "dage")}


def _how(l: InvoiceLine) -> str:
    """How a line is priced, in Danish: days × the day tariff, the month tariff, or an
    add-on's quantity a month × its price (× the month's share of days)."""
    if l.basis == "per_unit" and l.quantity_per_month is not None:
        one, many = UNIT_DA.get(l.unit or "", (l.unit or "", l.unit or ""))
        unit = one if l.quantity_per_month == 1 else many
        return f"{_html.da(l.quantity_per_month)} {unit} pr. måned × pris"
    return BASIS_DA.get(l.basis, l.basis)


def _source(s: dict[str, Any]) -> str:
    if s.get("from") == "sheet":
        return f"takstblad {s['year']}"
    if s.get("from") == "indexed":
        return f"{s['base_year']} + PL ({s['method']})"
    return f"takst {s.get('year')} (videreført)"


@dataclass(frozen=True)
class ScheduledPhase:
    """A piece of a course as dated after its changes and termination: a phase (or the part
    of one a change left) with its service, from and to (both billed) and its days."""

    #: The phase's position in the course (from 0).
    phase: int
    #: The service's id.
    service: str
    #: The service's name on the sheet.
    name: str
    #: The first day.
    start: _dt.date
    #: The last day.
    end: _dt.date
    #: Days in the piece.
    days: int
    #: Days a week, for a part-time piece.
    part_time_days: int | None = None


class Quote:
    """A priced course: invoice lines by month, month and year totals, the course total, the
    comparison with the flat average tariff and what its changes did."""

    def __init__(self, raw: dict[str, Any], index: int = 0) -> None:
        #: The quote's JSON as the core wrote it.
        self.raw = raw
        self._key = f"course[{index}]"

    @property
    def id(self) -> str | None:
        """The course's id."""
        return self.raw.get("id")

    @property
    def municipality(self) -> str | None:
        """The paying municipality."""
        return self.raw.get("municipality")

    @property
    def offer(self) -> str | None:
        """The id of the offer the course was priced from, when the request names several."""
        return self.raw.get("offer")

    @property
    def offer_name(self) -> str | None:
        """The name of the offer the course was priced from (its sheet's)."""
        return self.raw.get("offer_name")

    @property
    def schedule(self) -> list[ScheduledPhase]:
        """The course's pieces as dated after its changes and termination, in order."""
        return [
            ScheduledPhase(s["phase"], s["service"], s.get("name", s["service"]), _dt.date.fromisoformat(s["from"]),
                           _dt.date.fromisoformat(s["to"]), s["days"], s.get("part_time_days"))
            for s in self.raw.get("schedule", [])
        ]

    @property
    def total(self) -> Decimal:
        """The course total: the sum of the lines (a ``Figure``)."""
        return Figure(self.raw["total"], f"{self._key}.total")

    @property
    def days(self) -> int:
        """Days billed at the course's services."""
        return int(self.raw["days"])

    @property
    def lines(self) -> list[InvoiceLine]:
        """The invoice lines, month by month."""
        k = self._key
        return [
            InvoiceLine(
                l["month"], l["phase"], l["service"], l.get("add_on"), _dt.date.fromisoformat(l["from"]),
                _dt.date.fromisoformat(l["to"]), l["days"], l["basis"],
                Decimal(l["quantity_per_month"]) if "quantity_per_month" in l else None, l.get("unit"),
                Decimal(l["tariff"]),
                l["tariff_year"], _source(l["source"]), Figure(l["amount"], f"{k}.line[{j}]"),
                _dt.date.fromisoformat(l["invoice_date"]),
            )
            for j, l in enumerate(self.raw.get("lines", []))
        ]

    @property
    def months(self) -> dict[str, Decimal]:
        """The total per calendar month."""
        return {m["month"]: Figure(m["amount"], f"{self._key}.month.{m['month']}") for m in self.raw.get("months", [])}

    @property
    def years(self) -> dict[int, Decimal]:
        """The total per year."""
        return {y["year"]: Figure(y["amount"], f"{self._key}.year.{y['year']}") for y in self.raw.get("years", [])}

    @property
    def comparison(self) -> dict[str, Decimal] | None:
        """The course against the same days at the flat average tariff: ``course``,
        ``flat`` and ``difference`` (course − flat), or ``None``."""
        c = self.raw.get("comparison")
        if c is None:
            return None
        return {k: Decimal(c[k]) for k in ("course", "flat", "difference")}

    @property
    def changes(self) -> dict[str, Any] | None:
        """What the course's changes did: ``original`` (the plan as first given), ``changed``
        (as priced), ``difference`` (changed − original) and ``months`` (the months that
        differ: ``month``, ``original``, ``changed``, ``difference``), or ``None`` without
        changes. Amounts are ``Decimal``."""
        c = self.raw.get("changes")
        if c is None:
            return None
        out: dict[str, Any] = {k: Decimal(c[k]) for k in ("original", "changed", "difference")}
        out["months"] = [{k: (v if k == "month" else Decimal(v)) for k, v in m.items()} for m in c.get("months", [])]
        return out

    _COLUMNS = list(InvoiceLine.__dataclass_fields__)

    def to_records(self) -> list[dict[str, Any]]:
        """The invoice lines as dicts (amounts as ``Decimal``, dates as ``date``)."""
        return [l.__dict__.copy() for l in self.lines]

    def to_arrow(self) -> pyarrow.Table:
        """The invoice lines as an Arrow table (exact ``decimal128`` money, ``date32``)."""
        return arrow_table(self.to_records(), self._COLUMNS, _LINE_DECIMALS)

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object:
        """The Arrow PyCapsule interface: the invoice lines."""
        return self.to_arrow().__arrow_c_stream__(requested_schema)

    def to_pandas(self) -> pandas.DataFrame:
        """The invoice lines: one row per calendar month per phase (``pd.ArrowDtype``
        columns: exact ``decimal128`` amounts, ``date32`` dates)."""
        return _frame(self.to_records(), self._COLUMNS, _LINE_DECIMALS)

    def months_to_pandas(self) -> pandas.DataFrame:
        """Per month: ``course`` (the month's lines, add-ons too: it sums to ``total``) and,
        with the comparison, ``days``, ``services`` (the month's service lines, which the
        comparison weighs; add-ons are billed alike either way), ``flat`` (the same days at
        the flat average tariff) and ``difference`` (services − flat), exact ``decimal128``."""
        return self._months_frame()

    def _months_frame(self) -> pandas.DataFrame:
        c = self.raw.get("comparison")
        if c is None:
            return _frame([{"month": k, "course": v} for k, v in self.months.items()], ["month", "course"])
        compared = {m["month"]: m for m in c["months"]}
        rows = []
        for month, amount in self.months.items():
            m = compared.get(month)
            rows.append({"month": month, "days": m["days"] if m else None, "course": amount,
                         "services": Decimal(m["course"]) if m else None,
                         "flat": Decimal(m["flat"]) if m else None,
                         "difference": Decimal(m["difference"]) if m else None})
        return _frame(rows, ["month", "days", "course", "services", "flat", "difference"])

    def plot(self, ax: Any = None) -> Any:
        """Monthly payments of the course against the flat tariff (matplotlib, imported
        here). Amounts become floats only for drawing."""
        plt = pyplot_module()

        if ax is None:
            _, ax = plt.subplots(figsize=(8, 3))
        m = self.months_to_pandas()
        x = list(m["month"])
        ax.bar(x, [float(v) for v in m["course"]], label="Forløb")
        if "flat" in m:
            ax.plot(x, [float(v) for v in m["flat"]], color="black", marker=".", label="Gennemsnitstakst")
        ax.set_ylabel("kr. pr. måned")
        ax.tick_params(axis="x", rotation=90)
        ax.legend()
        return ax

    def plot_tariff(self, ax: Any = None) -> Any:
        """The day tariff in force over the course, phase by phase (matplotlib): the
        price following the service. Tariffs become floats only for drawing."""
        plt = pyplot_module()

        if ax is None:
            _, ax = plt.subplots(figsize=(8, 3))
        for l in self.lines:
            if l.add_on is None and l.basis == "per_day":
                ax.hlines(float(l.tariff), l.start, l.end + _dt.timedelta(days=1), colors="C0")
        ax.set_ylabel(unit_da("kr_per_day", "dag"))
        ax.set_ylim(bottom=0)
        return ax

    def _repr_html_(self) -> str:
        who = " · ".join(x for x in (self.id, self.raw.get("offer"), self.municipality) if x)
        rows: list[tuple[object, ...]] = [
            (l.month, (f"+ {l.add_on}" if l.add_on else l.service), l.days, _how(l), l.tariff, l.source, l.amount)
            for l in self.lines
        ]
        rows.append(("I alt", "", self.days, "", None, "", self.total))
        out = [f'<div class="takst">{_html.STYLE}']
        out.append(_html.table(f"Forløb {who}", ["Måned", "Ydelse", "Dage", "Beregning", "Takst", "Takstgrundlag", "Beløb"],
                               rows, [False, False, True, False, True, False, True]))
        c = self.comparison
        if c is not None:
            out.append(_html.table("Sammenligning med gennemsnitstaksten", ["", "kr."],
                                   [("Forløbets ydelser", c["course"]), ("Samme dage til gennemsnitstaksten", c["flat"]),
                                    ("Forskel", c["difference"])], [False, True]))
        out.append("</div>")
        return "".join(out)

    def __repr__(self) -> str:
        lines = f"{len(self.raw['lines'])} lines" if "lines" in self.raw else "lines left out"
        return f"<Quote {self.id or ''} {lines}, total {self.raw.get('total')} kr>"


def _merge_patch(before: Any, after: Any) -> Any:
    """The JSON merge patch (RFC 7396) that turns ``before`` into ``after``."""
    if not isinstance(before, dict) or not isinstance(after, dict):
        return after
    patch: dict[str, Any] = {}
    for k in before:
        if k not in after:
            patch[k] = None
    for k, v in after.items():
        if k not in before:
            patch[k] = v
        elif before[k] != v:
            patch[k] = _merge_patch(before[k], v) if isinstance(v, dict) and isinstance(before[k], dict) else v
    return patch


@dataclass(frozen=True)
class Budget:
    """One paying municipality's budget from a caseload."""

    municipality: str
    courses: int
    months: dict[str, Decimal]
    years: dict[int, Decimal]
    total: Decimal


@dataclass(frozen=True)
class Einvoice:
    """One e-invoice document (an invoice or a credit note) and its UBL XML, as the core
    wrote it: Peppol BIS Billing 3.0 or OIOUBL 3 (docs/format.md, E-invoices)."""

    kind: str
    """``"invoice"`` or ``"credit_note"``."""
    source: str
    """``"course"`` (a month of course lines), ``"course_change"`` (the difference a change
    made to an invoiced month) or ``"settlement"`` (a share of a returned surplus)."""
    number: str
    municipality: str
    course: str | None
    month: str | None
    issue_date: _dt.date
    due_date: _dt.date | None
    net: Decimal
    vat: Decimal
    total: Decimal
    file_name: str
    xml: str

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Einvoice:
        """Reads one document of the response's ``einvoices`` list (amounts as exact text)."""
        return cls(
            kind=d["kind"], source=d["source"], number=d["number"], municipality=d["municipality"],
            course=d.get("course"), month=d.get("month"), issue_date=_dt.date.fromisoformat(d["issue_date"]),
            due_date=date(d.get("due_date")), net=Decimal(d["net"]),
            vat=Decimal(d["vat"]), total=Decimal(d["total"]), file_name=d["file_name"], xml=d["xml"],
        )

    def write(self, directory: str | Path) -> Path:
        """Writes the XML to ``directory/file_name`` (UTF-8) and returns the path."""
        path = Path(directory) / self.file_name
        path.write_bytes(self.xml.encode("utf-8"))
        return path

    def __repr__(self) -> str:
        what = "credit note" if self.kind == "credit_note" else "invoice"
        return f"<Einvoice {self.number}: {what} to {self.municipality}, {self.total} kr>"


class Result:
    """The answer to a request: tariff sheet, cost base, neutrality, course quotes,
    caseload budget, the financing sections, warnings and the explanation.

    ``result.explain(figure)`` explains any figure (a ``Figure`` of the result, a node or a
    key); ``result.compare(other)`` lists every figure that differs between two results
    (the core's scenario comparison); ``to_excel(path)`` writes the tables with exact
    amounts."""

    def __init__(self, raw: dict[str, Any], request: str | None = None) -> None:
        #: The response's JSON as the core wrote it (amounts as decimal strings).
        self.raw = raw
        self._request = request

    @property
    def ok(self) -> bool:
        """Always ``True`` for a result (a request that fails raises a ``TakstError``)."""
        return bool(self.raw["ok"])

    @property
    def warnings(self) -> list[Problem]:
        """Doubtful but legal aspects of the calculation, each with code, path, message."""
        return [Problem.from_dict(w) for w in self.raw.get("warnings", [])]

    @property
    def request(self) -> dict[str, Any] | None:
        """The request this result answers, as JSON data: amounts as given (text, ``int``, or
        the ``Decimal`` of a JSON number with decimals, never a ``float``). A TOML request is
        given as the JSON the core reads the same request from."""
        return None if self._request is None else dict(from_json(self._request))

    @property
    def day_word(self) -> str:
        """"døgn" when the offer is residential, else "dag": the word of the offer computed,
        else of the first sheet given (``catalogue``, then ``catalogues[0]``). Read from the
        response's sheet when it has one, else from the request (a request with
        ``catalogues`` only, as ``takst.price`` sends, or asked without the sheet:
        ``options.tariff_sheet`` false). Each figure of the explanation is worded by the core
        in its own sheet's word (``Node.unit_da``)."""
        sheet = self.raw.get("tariff_sheet")
        if sheet is None and self._request is not None:
            request = from_json(self._request)
            request = request if isinstance(request, dict) else {}
            listed = request.get("catalogues")
            first = listed[0] if isinstance(listed, list) and listed else None
            offers = [request.get("offer")] + [
                s.get("offer") for s in (request.get("catalogue"), first) if isinstance(s, dict)]
            sheet = next(({"offer": o} for o in offers if isinstance(o, dict)), None)
        kind = (sheet or {}).get("offer", {}).get("kind")
        return "døgn" if kind == "residential" else "dag"

    @property
    def sheet(self) -> TariffSheet | None:
        """The tariff sheet computed from the offer, or the catalogue as read (``None``
        without either, or asked for without it: ``options.tariff_sheet`` false)."""
        s = self.raw.get("tariff_sheet")
        return None if s is None else TariffSheet(s)

    @property
    def cost_base(self) -> dict[str, Any] | None:
        """The cost base: its totals as ``Decimal`` and its lines and categories."""
        cb = self.raw.get("cost_base")
        if cb is None:
            return None
        out: dict[str, Any] = {
            k: (Decimal(v) if isinstance(v, str) else v) for k, v in cb.items() if k not in ("lines", "categories")
        }
        out["categories"] = {c["category"]: Decimal(c["amount"]) for c in cb.get("categories", [])}
        out["lines"] = cb.get("lines", [])
        return out

    @property
    def neutrality(self) -> dict[str, Any] | None:
        """Revenue neutrality: ``cost_base``, ``revenue`` (Σ tariff × expected days),
        ``residue`` and ``by_service``."""
        n = self.raw.get("neutrality")
        if n is None:
            return None
        out: dict[str, Any] = {k: Decimal(n[k]) for k in ("cost_base", "revenue", "residue")}
        out["by_service"] = [
            {k: (v if k == "id" else Decimal(v)) for k, v in s.items()} for s in n.get("by_service", [])
        ]
        return out

    @property
    def quotes(self) -> list[Quote]:
        """One priced course per course of the request."""
        return [Quote(q, i) for i, q in enumerate(self.raw.get("courses", []))]

    _LINE_COLUMNS = ["course", "id", "municipality", "month", "phase", "service", "add_on",
                     "start", "end", "days", "basis", "quantity_per_month", "unit", "tariff",
                     "tariff_year", "amount", "invoice_date"]

    def lines_to_arrow(self) -> pyarrow.Table:
        """Every quote's invoice lines in one Arrow table (``course`` is the quote's
        position, ``id`` and ``municipality`` its course's): exact ``decimal128`` money. One
        pass over the response, not one table per quote."""
        cols: dict[str, list[Any]] = {c: [] for c in self._LINE_COLUMNS}
        for i, q in enumerate(self.raw.get("courses", [])):
            for l in q.get("lines", []):
                cols["course"].append(i)
                cols["id"].append(q.get("id"))
                cols["municipality"].append(q.get("municipality"))
                cols["month"].append(l["month"])
                cols["phase"].append(l["phase"])
                cols["service"].append(l["service"])
                cols["add_on"].append(l.get("add_on"))
                cols["start"].append(l["from"])
                cols["end"].append(l["to"])
                cols["days"].append(l["days"])
                cols["basis"].append(l["basis"])
                cols["quantity_per_month"].append(l.get("quantity_per_month"))
                cols["unit"].append(l.get("unit"))
                cols["tariff"].append(l["tariff"])
                cols["tariff_year"].append(l["tariff_year"])
                cols["amount"].append(l["amount"])
                cols["invoice_date"].append(l["invoice_date"])
        from ._tables import decimal_column, pyarrow_module

        pa = pyarrow_module()
        return pa.table({
            "course": pa.array(cols["course"], pa.int64()),
            "id": pa.array(cols["id"], pa.string()),
            "municipality": pa.array(cols["municipality"], pa.string()),
            "month": pa.array(cols["month"], pa.string()),
            "phase": pa.array(cols["phase"], pa.int64()),
            "service": pa.array(cols["service"], pa.string()),
            "add_on": pa.array(cols["add_on"], pa.string()),
            "start": pa.array(cols["start"], pa.string()).cast(pa.date32()),
            "end": pa.array(cols["end"], pa.string()).cast(pa.date32()),
            "days": pa.array(cols["days"], pa.int64()),
            "basis": pa.array(cols["basis"], pa.string()),
            "quantity_per_month": decimal_column(cols["quantity_per_month"]),
            "unit": pa.array(cols["unit"], pa.string()),
            "tariff": decimal_column(cols["tariff"]),
            "tariff_year": pa.array(cols["tariff_year"], pa.int64()),
            "amount": decimal_column(cols["amount"]),
            "invoice_date": pa.array(cols["invoice_date"], pa.string()).cast(pa.date32()),
        })

    def lines_to_pandas(self) -> pandas.DataFrame:
        """Every quote's invoice lines in one DataFrame (``pd.ArrowDtype`` columns)."""
        from ._tables import to_pandas

        return to_pandas(self.lines_to_arrow())

    @property
    def caseload(self) -> list[Budget] | None:
        """The budget per paying municipality (requests with ``caseload=True``)."""
        c = self.raw.get("caseload")
        if c is None:
            return None
        return [
            Budget(b["municipality"], b["courses"], {m["month"]: Decimal(m["amount"]) for m in b["months"]},
                   {y["year"]: Decimal(y["amount"]) for y in b["years"]}, Decimal(b["total"]))
            for b in c
        ]

    @property
    def einvoices(self) -> list[Einvoice]:
        """The e-invoices and credit notes (when the request has ``einvoicing``), in number
        order; empty otherwise."""
        return [Einvoice.from_dict(d) for d in self.raw.get("einvoices") or []]

    def write_einvoices(self, directory: str | Path) -> list[Path]:
        """Writes every e-invoice as ``directory/<number>.xml`` (creating the directory)
        and returns the paths, in number order."""
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        return [d.write(out) for d in self.einvoices]

    @property
    def explanation(self) -> Explanation | None:
        """Every figure with its inputs, rule, source and rounding (``None`` when computed
        with ``explain=False``)."""
        e = self.raw.get("explanation")
        if e is None:
            return None
        # One reader per result: its nodes are read back from the table once.
        cached = self.__dict__.get("_explanation")
        if cached is None or cached.raw is not e:
            cached = Explanation(e, self._request, self.day_word)
            self.__dict__["_explanation"] = cached
        return cached

    def explain(self, figure: str | Figure | Node) -> Node:
        """The explanation of one figure: a ``Figure`` of this result
        (``result.explain(result.sheet["udredning"].day)``, ``quote.total``,
        ``line.amount``), a node, or a key (``"service.udredning.day"``). Shows as a
        collapsible tree in Jupyter; ``.render()`` gives the core's Danish text."""
        ex = self.explanation
        if ex is None:
            raise ValueError("this result has no explanation: compute it with explain=True")
        return ex[figure]

    def compare(self, other: Result, name: str = "ændring") -> finance.Scenarios:
        """Every figure that differs between this result and ``other`` — the core's
        scenario comparison: ``other``'s request becomes a scenario (a JSON merge patch) of
        this one, evaluated and compared figure by figure through the explanation graph
        (``key``, ``label``, ``before``, ``after``, ``change``). For what-if::

            base = offer.compute()
            lower = offer.replace(occupancy={"budgeted_pct": 90}).compute()
            base.compare(lower).to_pandas()
        """
        if self._request is None or other._request is None:
            raise ValueError("both results must be made from requests")
        mine = from_json(self._request)
        theirs = from_json(other._request)
        patch = _merge_patch(
            {k: v for k, v in mine.items() if k not in ("version", "scenarios", "options")},
            {k: v for k, v in theirs.items() if k not in ("version", "scenarios", "options")},
        )
        request = dict(mine, scenarios=[{"name": name, "changes": patch}],
                       options=dict(mine.get("options", {}), explain=False))
        from ._run import run

        scenarios = run(request).scenarios
        assert scenarios is not None
        return scenarios

    def _section(self, cls: Any) -> Any:
        raw = self.raw.get(cls.field)
        return None if raw is None else cls(raw, self._request)

    @property
    def settlement(self) -> finance.Settlement | None:
        """The year-end settlement (efterregulering), if the request has one."""
        return self._section(finance.Settlement)  # type: ignore[no-any-return]

    @property
    def partnership(self) -> finance.Partnership | None:
        """Partnership financing, if the request has one."""
        return self._section(finance.Partnership)  # type: ignore[no-any-return]

    @property
    def base_funding(self) -> finance.BaseFunding | None:
        """Base funding, if the request has one."""
        return self._section(finance.BaseFunding)  # type: ignore[no-any-return]

    @property
    def special_arrangements(self) -> finance.SpecialArrangements | None:
        """Special arrangements, if the request has any."""
        return self._section(finance.SpecialArrangements)  # type: ignore[no-any-return]

    @property
    def ambulant(self) -> finance.Ambulant | None:
        """The ambulant service, if the request has one."""
        return self._section(finance.Ambulant)  # type: ignore[no-any-return]

    @property
    def tariff_notice(self) -> finance.TariffNotice | None:
        """The tariff-change notice (year N+1 against N, per tariff, split into drivers), if
        the request has ``tariff_notice``."""
        return self._section(finance.TariffNotice)  # type: ignore[no-any-return]

    @property
    def buyer(self) -> finance.Buyer | None:
        """The buying municipality's net cost, if the request asks for it."""
        return self._section(finance.Buyer)  # type: ignore[no-any-return]

    @property
    def scenarios(self) -> finance.Scenarios | None:
        """The scenarios, each compared with the request figure by figure."""
        return self._section(finance.Scenarios)  # type: ignore[no-any-return]

    def _sections(self) -> list[Any]:
        found = [self.settlement, self.partnership, self.base_funding, self.special_arrangements,
                 self.ambulant, self.buyer, self.tariff_notice, self.scenarios]
        return [s for s in found if s is not None]

    def to_excel(self, path: str | Path) -> None:
        """Writes the result's tables to an Excel workbook (openpyxl), one sheet each:
        the tariff sheet, the invoice lines of every quote, the caseload, the financing
        sections and the warnings. Amounts are written as exact numbers (from their decimal
        text) with Danish number formats (``#.##0,00`` as Excel shows it in Danish)."""
        from ._excel import write_result

        write_result(self, Path(path))

    def to_text(self) -> str:
        """The result as Danish text (rendered by the core)."""
        if self._request is None:
            raise ValueError("this result was not made from a request")
        return _native.to_text(self._request)

    def _repr_html_(self) -> str:
        parts = []
        sheet = self.sheet
        if sheet is not None:
            parts.append(sheet._repr_html_())
        elif self.raw.get("cost_base") is not None:
            # An offer asked for without its sheet (``options.tariff_sheet`` false), as the
            # core's text says it.
            parts.append(f'<div class="takst">{_html.STYLE}<p>(Takstbladet er ikke med i svaret.)</p></div>')
        n = self.neutrality
        if n is not None:
            parts.append(
                f'<div class="takst">{_html.STYLE}'
                + _html.table("Provenuneutralitet", ["", "kr."],
                              [("Omkostningsgrundlag", n["cost_base"]), ("Forventet takstindtægt", n["revenue"]),
                               ("Rest (indtægt − omkostningsgrundlag)", n["residue"])], [False, True])
                + "</div>"
            )
        parts += [q._repr_html_() for q in self.quotes]
        parts += [s._repr_html_() for s in self._sections()]
        if self.warnings:
            items = "".join(
                f'<li>{_html.esc(w.text_da)} <span class="r">{_html.esc(w.code)}'
                + (f" · {_html.esc(w.path)}" if w.path else "")
                + "</span></li>"
                for w in self.warnings
            )
            parts.append(f'<div class="takst w"><b>Advarsler</b><ul>{items}</ul></div>')
        return "".join(parts)

    def __repr__(self) -> str:
        bits = []
        if self.sheet is not None:
            bits.append(repr(self.sheet))
        if self.raw.get("courses"):
            bits.append(f"{len(self.raw['courses'])} quotes")
        bits += [type(s).__name__.lower() for s in self._sections()]
        if self.raw.get("einvoices"):
            bits.append(f"{len(self.raw['einvoices'])} e-invoices")
        if self.raw.get("warnings"):
            bits.append(f"{len(self.raw['warnings'])} warnings")
        return f"<Result {', '.join(bits)}>"
