"""HTML for Jupyter: tables and collapsible trees. Every string is escaped; amounts are
right-aligned in Danish notation (1.234,50)."""

from __future__ import annotations

import html
from decimal import Decimal
from fractions import Fraction
from typing import Iterable, Sequence

__all__ = ["da", "approx", "table", "esc", "STYLE"]

esc = html.escape

#: Scoped by the ``takst`` class so a notebook's own styles are not touched.
STYLE = (
    "<style>.takst table{border-collapse:collapse;margin:.3em 0}"
    ".takst th,.takst td{padding:.15em .6em;border-bottom:1px solid #ddd}"
    ".takst td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
    ".takst caption{text-align:left;font-weight:bold}"
    ".takst details{margin-left:1.2em}.takst summary{cursor:pointer}"
    ".takst .w{color:#8a5300}.takst .r{color:#555;font-size:90%}</style>"
)


def da(value: Decimal | Fraction | int | None) -> str:
    """A number in Danish notation: ``Decimal("1234567.5")`` → ``"1.234.567,5"``. A
    fraction is shown to 4 decimals with an ellipsis (display only, by :func:`approx`)."""
    if value is None:
        return ""
    if isinstance(value, Fraction):
        return f"{da(approx(value, 4))}…"
    d = Decimal(value)
    sign = "-" if d < 0 else ""
    # copy_abs, not abs(): exact at any length (abs rounds to the context's 28 digits).
    text = format(d.copy_abs(), "f")
    whole, _, frac = text.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    out = ".".join(groups)
    return f"{sign}{out},{frac}" if frac else f"{sign}{out}"


def approx(value: Fraction, places: int) -> Decimal:
    """``value`` to ``places`` decimals for display, by the core's rule (``Exact::approx``):
    the nearest, half away from zero, unless that ends in 0 and is not the value; then its
    neighbour on the value's side, so that a value just below the tie 4800.5 never shows as
    ``4.800,5000…`` beside its rounding to 4.800. Exact: no division in ``Decimal``."""
    scaled = abs(value) * 10**places
    floor, rem = divmod(scaled.numerator, scaled.denominator)
    k = floor + 1 if 2 * rem >= scaled.denominator else floor
    if places > 0 and rem and k % 10 == 0:
        k = floor if k > floor else floor + 1
    # From text: exact at any length (an arithmetic minus would round to 28 digits).
    return Decimal(f"{'-' if value < 0 and k else ''}{k}E-{places}")


def table(
    caption: str,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    numeric: Sequence[bool],
) -> str:
    """A table; cells in ``numeric`` columns are Danish numbers, right-aligned."""
    out = [f"<table><caption>{esc(caption)}</caption><thead><tr>"]
    out += [f"<th>{esc(h)}</th>" for h in header]
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>")
        for cell, num in zip(row, numeric):
            if num and isinstance(cell, (Decimal, Fraction, int)) and not isinstance(cell, bool):
                out.append(f'<td class="n">{esc(da(cell))}</td>')
            else:
                out.append(f"<td>{esc('' if cell is None else str(cell))}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)
