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
from typing import TYPE_CHECKING, Any, Iterator

from . import _html
from . import _native
from . import finance
from ._convert import date, dec, exact
from .errors import Problem

if TYPE_CHECKING:  # pragma: no cover
    import pandas

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
]


def _pandas() -> Any:
    try:
        import pandas
    except ImportError as e:  # pragma: no cover
        raise ImportError(
            "to_pandas() needs pandas: pip install 'takst[pandas]' (or pandas)"
        ) from e
    return pandas


def _frame(records: list[dict[str, Any]], columns: list[str]) -> pandas.DataFrame:
    """A DataFrame whose Decimal columns stay Decimal (dtype object), never float."""
    pd = _pandas()
    return pd.DataFrame.from_records(records, columns=columns)


@dataclass(frozen=True)
class Tariff:
    """One row of a tariff sheet: a service (or the average) and its tariffs."""

    id: str
    name: str
    day: Decimal | None
    month: Decimal | None
    year: Decimal | None
    kind: str | None = None
    stage: str | None = None


class TariffSheet:
    """A published tariff sheet (takstblad): the file a provider publishes."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw

    @classmethod
    def from_file(cls, path: str | Path) -> TariffSheet:
        """Reads a sheet file (format ``takst/tariff-sheet``). It is checked when used."""
        return cls(json.loads(Path(path).read_text(encoding="utf-8")))

    def to_dict(self) -> dict[str, Any]:
        return self.raw

    def save(self, path: str | Path) -> None:
        """Writes the sheet as JSON, the file the calculator and notebooks read."""
        Path(path).write_text(
            json.dumps(self.raw, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )

    @property
    def offer(self) -> dict[str, Any]:
        return dict(self.raw.get("offer", {}))

    @property
    def year(self) -> int:
        return int(self.raw["offer"]["year"])

    @property
    def average(self) -> Tariff | None:
        a = self.raw.get("average")
        if a is None:
            return None
        return Tariff("average", "Gennemsnitstakst", dec(a.get("day")), dec(a.get("month")), dec(a.get("year")))

    @property
    def services(self) -> list[Tariff]:
        out = []
        for s in self.raw.get("services", []):
            t = s.get("tariff", {})
            out.append(
                Tariff(
                    s["id"], s.get("name", s["id"]), dec(t.get("day")), dec(t.get("month")),
                    dec(t.get("year")), s.get("kind"), s.get("stage"),
                )
            )
        return out

    def __iter__(self) -> Iterator[Tariff]:
        if self.average is not None:
            yield self.average
        yield from self.services

    def __getitem__(self, service_id: str) -> Tariff:
        for t in self:
            if t.id == service_id:
                return t
        raise KeyError(service_id)

    def to_records(self) -> list[dict[str, Any]]:
        return [
            {"id": t.id, "name": t.name, "kind": t.kind, "stage": t.stage,
             "day": t.day, "month": t.month, "year": t.year}
            for t in self
        ]

    def to_pandas(self) -> pandas.DataFrame:
        """One row per tariff (the average first): id, name, kind, stage, day, month, year
        (``Decimal``)."""
        return _frame(self.to_records(), ["id", "name", "kind", "stage", "day", "month", "year"])

    def to_text(self) -> str:
        """The sheet as Danish text (the takstblad)."""
        return _native.to_text(json.dumps({"version": 1, "catalogue": self.raw, "options": {"explain": False}}))

    def _repr_html_(self) -> str:
        o = self.raw.get("offer", {})
        word = "døgn" if o.get("kind") == "residential" else "dag"
        caption = f"Takstblad {o.get('year', '')} · {o.get('name', '')}"
        rows = [(t.name, t.day, t.month, t.year) for t in self]
        return (
            f'<div class="takst">{_html.STYLE}'
            + _html.table(caption, ["Ydelse", f"pr. {word}", "pr. måned", "pr. år"], rows,
                          [False, True, True, True])
            + "</div>"
        )

    def __repr__(self) -> str:
        o = self.raw.get("offer", {})
        return f"<TariffSheet {o.get('id') or o.get('name')!r} {o.get('year')}: {len(self.raw.get('services', []))} services>"


@dataclass(frozen=True)
class InvoiceLine:
    """One calendar month of one phase (or add-on)."""

    month: str
    phase: int
    service: str
    add_on: str | None
    start: _dt.date
    end: _dt.date
    days: int
    basis: str
    tariff: Decimal
    tariff_year: int
    source: str
    amount: Decimal
    invoice_date: _dt.date


def _source(s: dict[str, Any]) -> str:
    if s.get("from") == "sheet":
        return f"takstblad {s['year']}"
    if s.get("from") == "indexed":
        return f"{s['base_year']} + PL ({s['method']})"
    return f"takst {s.get('year')} (videreført)"


class Quote:
    """A priced course: schedule, invoice lines by month, totals, comparison, changes."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw

    @property
    def id(self) -> str | None:
        return self.raw.get("id")

    @property
    def municipality(self) -> str | None:
        return self.raw.get("municipality")

    @property
    def total(self) -> Decimal:
        return Decimal(self.raw["total"])

    @property
    def days(self) -> int:
        return int(self.raw["days"])

    @property
    def lines(self) -> list[InvoiceLine]:
        return [
            InvoiceLine(
                l["month"], l["phase"], l["service"], l.get("add_on"), _dt.date.fromisoformat(l["from"]),
                _dt.date.fromisoformat(l["to"]), l["days"], l["basis"], Decimal(l["tariff"]),
                l["tariff_year"], _source(l["source"]), Decimal(l["amount"]),
                _dt.date.fromisoformat(l["invoice_date"]),
            )
            for l in self.raw.get("lines", [])
        ]

    @property
    def months(self) -> dict[str, Decimal]:
        return {m["month"]: Decimal(m["amount"]) for m in self.raw.get("months", [])}

    @property
    def years(self) -> dict[int, Decimal]:
        return {y["year"]: Decimal(y["amount"]) for y in self.raw.get("years", [])}

    @property
    def comparison(self) -> dict[str, Decimal] | None:
        c = self.raw.get("comparison")
        if c is None:
            return None
        return {k: Decimal(c[k]) for k in ("course", "flat", "difference")}

    def to_records(self) -> list[dict[str, Any]]:
        return [l.__dict__.copy() for l in self.lines]

    def to_pandas(self) -> pandas.DataFrame:
        """The invoice lines: one row per calendar month per phase (``Decimal`` amounts)."""
        cols = list(InvoiceLine.__dataclass_fields__)
        return _frame(self.to_records(), cols)

    def months_to_pandas(self) -> pandas.DataFrame:
        """Per month: the course, the same days at the flat tariff, the difference."""
        c = self.raw.get("comparison")
        if c is None:
            return _frame([{"month": k, "course": v} for k, v in self.months.items()], ["month", "course"])
        return _frame(
            [{"month": m["month"], "days": m["days"], "course": Decimal(m["course"]),
              "flat": Decimal(m["flat"]), "difference": Decimal(m["difference"])} for m in c["months"]],
            ["month", "days", "course", "flat", "difference"],
        )

    def plot(self, ax: Any = None) -> Any:
        """Monthly payments of the course against the flat tariff (matplotlib, imported
        here). Amounts become floats only for drawing."""
        import matplotlib.pyplot as plt

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
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(8, 3))
        for l in self.lines:
            if l.add_on is None and l.basis == "per_day":
                ax.hlines(float(l.tariff), l.start, l.end + _dt.timedelta(days=1), colors="C0")
        ax.set_ylabel("kr. pr. dag")
        ax.set_ylim(bottom=0)
        return ax

    def _repr_html_(self) -> str:
        who = " · ".join(x for x in (self.id, self.raw.get("offer"), self.municipality) if x)
        rows: list[tuple[object, ...]] = [
            (l.month, (f"+ {l.add_on}" if l.add_on else l.service), l.days, l.tariff, l.source, l.amount)
            for l in self.lines
        ]
        rows.append(("I alt", "", self.days, None, "", self.total))
        out = [f'<div class="takst">{_html.STYLE}']
        out.append(_html.table(f"Forløb {who}", ["Måned", "Ydelse", "Dage", "Takst", "Takstgrundlag", "Beløb"],
                               rows, [False, False, True, True, False, True]))
        c = self.comparison
        if c is not None:
            out.append(_html.table("Sammenligning med gennemsnitstaksten", ["", "kr."],
                                   [("Forløbets ydelser", c["course"]), ("Samme dage til gennemsnitstaksten", c["flat"]),
                                    ("Forskel", c["difference"])], [False, True]))
        out.append("</div>")
        return "".join(out)

    def __repr__(self) -> str:
        return f"<Quote {self.id or ''} {len(self.raw.get('lines', []))} lines, total {self.raw.get('total')} kr>"


class Node:
    """One figure of the explanation."""

    def __init__(self, ex: Explanation, raw: dict[str, Any]) -> None:
        self._ex = ex
        self.raw = raw

    key = property(lambda self: self.raw["key"])
    label = property(lambda self: self.raw["label"])
    unit = property(lambda self: self.raw["unit"])
    op = property(lambda self: self.raw["op"])
    rule = property(lambda self: self.raw.get("rule"))
    source = property(lambda self: self.raw.get("source"))
    path = property(lambda self: self.raw.get("path"))

    @property
    def value(self) -> Decimal | Fraction:
        """The exact value: ``Decimal``, or ``Fraction`` when it has no finite decimal form."""
        return exact(self.raw["value"])

    @property
    def inputs(self) -> list[Node]:
        return [self._ex[i] for i in self.raw.get("inputs", [])]

    @property
    def rounding(self) -> dict[str, Any] | None:
        return self.raw.get("rounding")

    def _summary(self) -> str:
        r = self.rounding
        rounded = ""
        if r:
            rounded = f' <span class="r">afrundet fra {_html.esc(_html.da(exact(r["before"])))}</span>'
        return (
            f"<b>{_html.esc(self.label)}</b> = {_html.esc(_html.da(self.value))} "
            f'<span class="r">{_html.esc(self.unit)} · {_html.esc(self.key)}</span>{rounded}'
        )

    def _html(self, depth: int, budget: list[int]) -> str:
        budget[0] -= 1
        detail = []
        if self.rule:
            detail.append(f'<div class="r">regel: {_html.esc(self.rule)}</div>')
        if self.source:
            detail.append(f'<div class="r">kilde: {_html.esc(self.source)}</div>')
        if self.path:
            detail.append(f'<div class="r">angivet: {_html.esc(self.path)}</div>')
        kids = self.inputs
        if not kids:
            return f"<div>{self._summary()}{''.join(detail)}</div>"
        inner = "".join(k._html(depth + 1, budget) if budget[0] > 0 else "<div>…</div>" for k in kids)
        opened = " open" if depth < 1 else ""
        return f"<details{opened}><summary>{self._summary()}</summary>{''.join(detail)}{inner}</details>"

    def _repr_html_(self) -> str:
        return f'<div class="takst">{_html.STYLE}{self._html(0, [2000])}</div>'

    def __repr__(self) -> str:
        return f"<Node {self.key} = {self.raw['value']} {self.unit}>"


class Explanation:
    """Every figure with its inputs, rule, source and rounding."""

    def __init__(self, raw: dict[str, Any], request: str | None = None) -> None:
        self.raw = raw
        self._request = request
        self._by_key: dict[str, int] | None = None

    def __len__(self) -> int:
        return len(self.raw["nodes"])

    def __getitem__(self, id_or_key: int | str) -> Node:
        if isinstance(id_or_key, int):
            return Node(self, self.raw["nodes"][id_or_key])
        if self._by_key is None:
            self._by_key = {n["key"]: n["id"] for n in self.raw["nodes"]}
        return Node(self, self.raw["nodes"][self._by_key[id_or_key]])

    def find(self, key: str) -> Node | None:
        try:
            return self[key]
        except KeyError:
            return None

    def keys(self) -> list[str]:
        return [n["key"] for n in self.raw["nodes"]]

    def render(self, key: str) -> str:
        """One figure's tree as Danish text (rendered by the core)."""
        if self._request is None:
            raise ValueError("this explanation was not made from a request")
        text = _native.explain_text(self._request, key)
        if text is None:
            raise KeyError(key)
        return text

    def to_pandas(self) -> pandas.DataFrame:
        """One row per figure: id, key, label, value (exact), unit, op, inputs, rule."""
        rows = [
            {"id": n["id"], "key": n["key"], "label": n["label"], "value": exact(n["value"]),
             "unit": n["unit"], "op": n["op"], "inputs": n.get("inputs", []), "rule": n.get("rule")}
            for n in self.raw["nodes"]
        ]
        return _frame(rows, ["id", "key", "label", "value", "unit", "op", "inputs", "rule"])

    def __repr__(self) -> str:
        return f"<Explanation: {len(self)} figures>"


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
    caseload budget, warnings and the explanation."""

    def __init__(self, raw: dict[str, Any], request: str | None = None) -> None:
        self.raw = raw
        self._request = request

    @property
    def ok(self) -> bool:
        return bool(self.raw["ok"])

    @property
    def warnings(self) -> list[Problem]:
        return [Problem.from_dict(w) for w in self.raw.get("warnings", [])]

    @property
    def sheet(self) -> TariffSheet | None:
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
        return [Quote(q) for q in self.raw.get("courses", [])]

    @property
    def caseload(self) -> list[Budget] | None:
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
        e = self.raw.get("explanation")
        return None if e is None else Explanation(e, self._request)

    def _section(self, cls: Any) -> Any:
        raw = self.raw.get(cls.field)
        return None if raw is None else cls(raw, self._request)

    @property
    def settlement(self) -> finance.Settlement | None:
        return self._section(finance.Settlement)  # type: ignore[no-any-return]

    @property
    def partnership(self) -> finance.Partnership | None:
        return self._section(finance.Partnership)  # type: ignore[no-any-return]

    @property
    def base_funding(self) -> finance.BaseFunding | None:
        return self._section(finance.BaseFunding)  # type: ignore[no-any-return]

    @property
    def special_arrangements(self) -> finance.SpecialArrangements | None:
        return self._section(finance.SpecialArrangements)  # type: ignore[no-any-return]

    @property
    def ambulant(self) -> finance.Ambulant | None:
        return self._section(finance.Ambulant)  # type: ignore[no-any-return]

    @property
    def buyer(self) -> finance.Buyer | None:
        return self._section(finance.Buyer)  # type: ignore[no-any-return]

    @property
    def scenarios(self) -> finance.Scenarios | None:
        return self._section(finance.Scenarios)  # type: ignore[no-any-return]

    def _sections(self) -> list[Any]:
        found = [self.settlement, self.partnership, self.base_funding, self.special_arrangements,
                 self.ambulant, self.buyer, self.scenarios]
        return [s for s in found if s is not None]

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
        n = self.neutrality
        if n is not None:
            parts.append(
                f'<div class="takst">{_html.STYLE}'
                + _html.table("Provenuneutralitet", ["", "kr."],
                              [("Omkostningsgrundlag", n["cost_base"]), ("Forventet takstindtægt", n["revenue"]),
                               ("Afrundingsrest", n["residue"])], [False, True])
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
