"""Excel export (openpyxl, imported here): exact amounts, Danish number formats.

Each amount is written as a number cell from its exact decimal text, so the workbook's XML
holds the exact figure (``1655684.36``; openpyxl itself would write a ``Decimal`` through
float with 16 digits, ``68531.39999999999``), with a number format that Danish Excel shows as
``1.655.684,36``. Excel computes in binary floating point, which holds every amount of at
most 15 significant digits exactly as displayed; an amount with more digits is written as
text rather than rounded silently.

Text is written as text: a name, id or label that starts with ``=`` (``=HYPERLINK(…)``,
``=1+1``) is a string cell holding exactly those characters, never a live formula (openpyxl
would take it for one), and it is quoted (``quotePrefix``) so that editing the cell in Excel
keeps it text.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

if TYPE_CHECKING:  # pragma: no cover
    from .results import Result

__all__ = ["write_result", "write_table", "number_format"]


def number_format(values: Sequence[Any]) -> str:
    """``#,##0`` for whole kroner, ``#,##0.00`` for øre (more places when a value has them).
    Excel writes format codes in en-US notation; Danish Excel shows ``1.234,50``."""
    places = 0
    for v in values:
        if isinstance(v, Decimal):
            exp = v.as_tuple().exponent
            if isinstance(exp, int):
                places = max(places, -exp)
    return "#,##0" if places == 0 else "#,##0." + "0" * places


def _cell(v: Any) -> Any:
    if isinstance(v, Decimal):
        if len(v.as_tuple().digits) > 15:
            return format(v, "f")  # Excel would round it: text keeps it exact
        return v
    if isinstance(v, Fraction):
        return str(v)
    if isinstance(v, (list, dict)):
        return str(v)
    return v


#: The first characters that make Excel read typed text as a formula.
_FORMULA_START = ("=", "+", "-", "@")


def _set(cell: Any, value: Any) -> None:
    """Sets a cell: a ``Decimal`` as a number from its exact text, a ``str`` as text (never
    a formula), anything else as openpyxl writes it."""
    if isinstance(value, Decimal):
        cell.value = format(value, "f")
        cell.data_type = "n"  # a number, written from its exact text
    elif isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # openpyxl takes a string starting with "=" for a formula
        if value.startswith(_FORMULA_START):
            cell.quotePrefix = True
    else:
        cell.value = value


def write_table(ws: Any, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A header row, then the rows; Decimal columns get a Danish money format, text is
    written as text (never a formula)."""
    from openpyxl.styles import Font

    for j, h in enumerate(header, start=1):
        cell = ws.cell(row=1, column=j)
        _set(cell, h)
        cell.font = Font(bold=True)
    for i, row in enumerate(rows, start=2):
        for j, v in enumerate(row, start=1):
            _set(ws.cell(row=i, column=j), _cell(v))
    for j, _ in enumerate(header):
        column = [r[j] for r in rows]
        if any(isinstance(v, Decimal) for v in column):
            fmt = number_format(column)
            for i in range(len(rows)):
                ws.cell(row=i + 2, column=j + 1).number_format = fmt
        width = max([len(str(header[j]))] + [len(str(v)) for v in column[:200]]) + 2
        ws.column_dimensions[ws.cell(row=1, column=j + 1).column_letter].width = min(width, 60)


def write_result(result: Result, path: Path) -> None:
    """The result's tables, one worksheet each."""
    try:
        from openpyxl import Workbook
    except ImportError as e:  # pragma: no cover
        raise ImportError("to_excel() needs openpyxl: pip install 'takst[excel]'") from e
    from .results import BASIS_DA, UNIT_DA
    wb = Workbook()
    wb.remove(wb.active)
    sheet = result.sheet
    if sheet is not None:
        word = sheet.day_word
        write_table(wb.create_sheet("Takstblad"), ["Ydelse", f"pr. {word}", "pr. måned", "pr. år"],
                    [(t.name, t.day, t.month, t.year) for t in sheet])
        if sheet.prices:
            write_table(wb.create_sheet("Tillæg og øvrige priser"), ["", "Pris", "Enhed"],
                        [(p.name, p.price, p.unit) for p in sheet.prices])
    quotes = result.quotes
    if quotes:
        rows = []
        for i, q in enumerate(quotes):
            for l in q.lines:
                rows.append((q.id or i, q.municipality, l.month, l.add_on or l.service, l.start, l.end,
                             l.days, BASIS_DA.get(l.basis, l.basis), l.quantity_per_month,
                             UNIT_DA[l.unit][0] if l.unit in UNIT_DA else l.unit, l.tariff, l.source, l.amount))
        write_table(wb.create_sheet("Fakturalinjer"),
                    ["Forløb", "Kommune", "Måned", "Ydelse", "Fra", "Til", "Dage", "Beregning",
                     "Antal pr. måned", "Enhed", "Takst", "Takstgrundlag", "Beløb"], rows)
        ws = wb["Fakturalinjer"]
        for r in ws.iter_rows(min_row=2, min_col=5, max_col=6):
            for c in r:
                c.number_format = "dd-mm-yyyy"
    caseload = result.caseload
    if caseload:
        write_table(wb.create_sheet("Budget"), ["Kommune", "Forløb", "I alt"],
                    [(b.municipality, b.courses, b.total) for b in caseload])
    for section in result._sections():
        records = section.to_records()
        if records:
            columns = list(records[0])
            write_table(wb.create_sheet(section.caption[:31] or type(section).__name__),
                        columns, [[r[c] for c in columns] for r in records])
    if result.warnings:
        write_table(wb.create_sheet("Advarsler"), ["Kode", "Felt", "Besked"],
                    [(w.code, w.path, w.text_da) for w in result.warnings])
    if not wb.sheetnames:
        wb.create_sheet("Resultat")
    wb.save(path)
