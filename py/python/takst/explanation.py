"""The explanation graph: every figure with its inputs, rule, source and rounding.

This module is the only place that reads the graph's JSON (``response["explanation"]``):
when its format changes, only this file changes. The core writes the graph as a node table
(format 3): ``kinds`` holds each kind of node once, its key, label, Danish unit, path, rule
and source as templates with positional blanks ``{0}``, ``{1}``...; ``texts`` every text that fills a blank,
once; and each row of ``nodes`` its ``kind``, the ``args`` that fill the blanks (indices into
``texts``), its value, inputs and rounding. ``read_back`` turns the rows into nodes by the
one generic rule every binding uses: each ``{n}`` becomes ``texts[args[n]]``. Which name fills
which blank is decided by the core, never here. ``Explanation[key]`` gives a ``Node``;
``Figure`` is a ``Decimal`` that knows its node's key, so ``result.explain(figure)`` works on
the figures of a result as well as on keys.
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Iterator

from . import _html
from . import _native
from ._convert import exact, money

if TYPE_CHECKING:  # pragma: no cover
    import pandas
    import pyarrow

__all__ = ["Explanation", "Node", "Figure", "unit_da", "read_back"]

_BLANK = re.compile(r"\{([0-9]+)\}")  # ASCII digits only, as the core writes them

# A template is split once per kind: its literal pieces, and between them the positions of
# its blanks (a template without blanks stays a plain string).


def _split(template: str) -> str | tuple[list[str], list[int]]:
    parts = _BLANK.split(template)
    if len(parts) == 1:
        return template
    return parts[0::2], [int(n) for n in parts[1::2]]


def _fill(template: str | tuple[list[str], list[int]], args: list[int], texts: list[str]) -> str:
    # A text put into a blank is not scanned again.
    if isinstance(template, str):
        return template
    literal, blanks = template
    out = [literal[0]]
    for k, n in enumerate(blanks):
        out.append(texts[args[n]])
        out.append(literal[k + 1])
    return "".join(out)


_FIELDS = ("key", "label", "unit_da", "path", "rule", "source")


def read_back(raw: dict[str, Any]) -> list[dict[str, Any]]:
    """The nodes of an explanation as the core wrote it (``response["explanation"]``), each
    as a dict: ``id``, ``key``, ``label``, ``value`` (and ``value_approx``), ``unit``, ``op``,
    ``unit_da``, ``path`` (inputs), ``inputs``, ``rule``, ``source`` and ``rounding`` (when rounded).
    Each ``{n}`` of a kind's templates becomes ``texts[args[n]]``."""
    texts = raw.get("texts", [])
    kinds = [{f: _split(k[f]) for f in _FIELDS if f in k} | {"unit": k["unit"], "op": k["op"]} for k in raw.get("kinds", [])]
    nodes = []
    for i, row in enumerate(raw.get("nodes", [])):
        kind = kinds[row["kind"]]
        args = row.get("args", [])
        node: dict[str, Any] = {
            "id": i,
            "key": _fill(kind["key"], args, texts),
            "label": _fill(kind["label"], args, texts),
            "value": row["value"],
        }
        if "value_approx" in row:
            node["value_approx"] = row["value_approx"]
        node["unit"] = kind["unit"]
        node["op"] = kind["op"]
        node["unit_da"] = _fill(kind["unit_da"], args, texts)
        if "path" in kind:
            node["path"] = _fill(kind["path"], args, texts)
        node["inputs"] = row.get("inputs", [])
        node["rule"] = _fill(kind["rule"], args, texts)
        if "source" in kind:
            node["source"] = _fill(kind["source"], args, texts)
        if "rounding" in row:
            node["rounding"] = row["rounding"]
        nodes.append(node)
    return nodes

#: Danish units, as the core's text output writes them (``Unit::suffix_da``); a test keeps
#: the list complete against the response schema.
_UNITS_DA = {
    "kr": "kr.",
    "kr_per_day": "kr. pr. {day}",
    "kr_per_month": "kr. pr. måned",
    "kr_per_year": "kr. pr. år",
    "kr_per_hour": "kr. pr. time",
    "kr_per_km": "kr. pr. km",
    "kr_per_day_per_weekly_hour": "kr. pr. {day} pr. ugentlig time",
    "days": "dage",
    "places": "pladser",
    "citizens": "borgere",
    "percent": "%",
    "ratio": "",
    "number": "",
    "hours_per_week": "timer pr. uge",
    "day_hours": "dag-timer",
    "hours": "timer",
}


def unit_da(unit: str, day_word: str = "dag") -> str:
    """A unit in Danish: ``kr_per_day`` → ``kr. pr. døgn`` (residential, ``day_word="døgn"``)
    or ``kr. pr. dag``. An unknown unit is shown as it is."""
    return _UNITS_DA.get(unit, unit).format(day=day_word)


def _shown(unit: str, value: Decimal | Fraction) -> str:
    """A figure in Danish notation by the core's rule for amounts (``danish::figure``): an
    amount of kroner and øre (a unit ``kr…``) never with one decimal (``151.748,10``, not
    ``151.748,1``); whole kroner whole."""
    return _html.da(money(unit, value))


class Figure(Decimal):
    """A figure of a result: a ``Decimal`` (exact; arithmetic gives plain ``Decimal``s)
    that knows its key in the explanation, so ``result.explain(figure)`` explains it."""

    #: The figure's key in the explanation (``service.udredning.day``).
    key: str

    def __new__(cls, value: str | Decimal, key: str) -> Figure:
        f = super().__new__(cls, value)
        f.key = key
        return f

    def __repr__(self) -> str:
        return f"Decimal('{self}')"

    def __reduce__(self) -> Any:
        return (Figure, (str(self), self.key))


class Node:
    """One figure of the explanation: its key, Danish label, exact value, unit, the
    operation and inputs that made it, the rule in words, its source and its rounding."""

    def __init__(self, ex: Explanation, raw: dict[str, Any]) -> None:
        self._ex = ex
        #: The node read back from the core's node table (``read_back``).
        self.raw = raw

    @property
    def key(self) -> str:
        """The figure's stable key (``service.udredning.day``)."""
        return str(self.raw["key"])

    @property
    def label(self) -> str:
        """What the figure is, in Danish."""
        return str(self.raw["label"])

    @property
    def unit(self) -> str:
        """The machine unit (``kr_per_day``); ``unit_da`` is the Danish one."""
        return str(self.raw["unit"])

    @property
    def unit_da(self) -> str:
        """The unit in Danish as the core words it (``kr. pr. døgn`` for a figure of a
        residential offer's sheet, ``kr. pr. dag`` for a day offer's, also in one request)."""
        return str(self.raw["unit_da"])

    @property
    def op(self) -> str:
        """How the value was obtained from its inputs (``quotient``, ``sum``, ``input``...)."""
        return str(self.raw["op"])

    @property
    def rule(self) -> str | None:
        """The rule in words (Danish)."""
        return self.raw.get("rule")

    @property
    def source(self) -> str | None:
        """Where the rule comes from."""
        return self.raw.get("source")

    @property
    def path(self) -> str | None:
        """The request field an input figure was read from."""
        return self.raw.get("path")

    @property
    def value(self) -> Decimal | Fraction:
        """The exact value: ``Decimal``, or ``Fraction`` when it has no finite decimal form."""
        return exact(self.raw["value"])

    @property
    def inputs(self) -> list[Node]:
        """The figures this one was computed from."""
        return [self._ex[i] for i in self.raw.get("inputs", [])]

    @property
    def rounding(self) -> dict[str, Any] | None:
        """The rounding step (``step``, ``policy``, ``before``, ``after``), if rounded."""
        return self.raw.get("rounding")

    def _summary(self) -> str:
        r = self.rounding
        rounded = ""
        if r:
            before = _shown(self.unit, exact(r["before"]))
            rounded = f' <span class="r">afrundet fra {_html.esc(before)}</span>'
        unit = f"{_html.esc(self.unit_da)} · " if self.unit_da else ""
        # A rounded figure with its rounding's scale ("76.816,00"), as the core's text.
        shown = _html.da(Decimal(r["after"])) if r and "after" in r else _shown(self.unit, self.value)
        return (
            f"<b>{_html.esc(self.label)}</b> = {_html.esc(shown)} "
            f'<span class="r">{unit}{_html.esc(self.key)}</span>{rounded}'
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

    def render(self) -> str:
        """The figure's tree as Danish text (rendered by the core)."""
        return self._ex.render(self.key)

    def __repr__(self) -> str:
        return f"<Node {self.key} = {self.raw['value']} {self.unit}>"


class Explanation:
    """Every figure of a result with its inputs, rule, source and rounding. Index it by
    key (``explanation["average.day"]``), by node id, or by a ``Figure`` of the result."""

    def __init__(self, raw: dict[str, Any], request: str | None = None, day_word: str = "dag") -> None:
        #: The explanation's JSON as the core wrote it (the node table).
        self.raw = raw
        self._nodes: list[dict[str, Any]] | None = None
        self._request = request
        self._by_key: dict[str, int] | None = None
        #: "døgn" for a residential offer, "dag" for a day offer: the result's first sheet's
        #: word. Each node's ``unit_da`` and label are in the words of its own sheet, which
        #: the core writes (in a request of both kinds, the two differ).
        self.day_word = day_word

    @property
    def nodes(self) -> list[dict[str, Any]]:
        """Every node read back from the node table (``read_back``), read once."""
        if self._nodes is None:
            self._nodes = read_back(self.raw)
        return self._nodes

    def __len__(self) -> int:
        return len(self.raw["nodes"])

    def __iter__(self) -> Iterator[Node]:
        return (Node(self, n) for n in self.nodes)

    def __contains__(self, key: object) -> bool:
        return self.find(key) is not None  # type: ignore[arg-type]

    def __getitem__(self, figure: int | str | Figure | Node) -> Node:
        if isinstance(figure, Node):
            figure = figure.key
        if isinstance(figure, Figure):
            figure = figure.key
        if isinstance(figure, int):
            return Node(self, self.nodes[figure])
        if self._by_key is None:
            self._by_key = {n["key"]: n["id"] for n in self.nodes}
        return Node(self, self.nodes[self._by_key[figure]])

    def find(self, figure: str | Figure | Node) -> Node | None:
        """The node of a key or figure, or ``None``."""
        try:
            return self[figure]
        except KeyError:
            return None

    def keys(self) -> list[str]:
        """Every figure's key, inputs before the figures computed from them."""
        return [n["key"] for n in self.nodes]

    def render(self, figure: str | Figure | Node) -> str:
        """One figure's tree as Danish text (rendered by the core)."""
        key = figure if isinstance(figure, str) and not isinstance(figure, Figure) else self[figure].key
        if self._request is None:
            raise ValueError("this explanation was not made from a request")
        text = _native.explain_text(self._request, key)
        if text is None:
            raise KeyError(key)
        return text

    def _records(self) -> list[dict[str, Any]]:
        return [
            {"id": n["id"], "key": n["key"], "label": n["label"], "value": exact(n["value"]),
             "unit": n["unit"], "unit_da": n["unit_da"], "op": n["op"],
             "inputs": n.get("inputs", []), "rule": n.get("rule")}
            for n in self.nodes
        ]

    _COLUMNS = ["id", "key", "label", "value", "unit", "unit_da", "op", "inputs", "rule"]

    def to_pandas(self) -> pandas.DataFrame:
        """One row per figure: id, key, label, value, unit, unit_da, op, inputs, rule. The
        exact ``value`` stays a Python ``Decimal`` or ``Fraction`` (dtype object): an
        explanation's intermediate figures need not have a finite decimal form."""
        from ._tables import pandas_module

        return pandas_module().DataFrame.from_records(self._records(), columns=self._COLUMNS)

    def to_arrow(self) -> pyarrow.Table:
        """The figures as an Arrow table; ``value`` is the exact value's text (a decimal, or
        a fraction such as ``"378387/167"``)."""
        from ._tables import arrow_table

        return arrow_table(self._records(), self._COLUMNS)

    def __repr__(self) -> str:
        return f"<Explanation: {len(self)} figures>"
