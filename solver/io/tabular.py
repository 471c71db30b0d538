"""Tables as CSV and Excel bytes. Knows nothing of plans: a table is columns and rows.

Every text cell is written *safe* (OWASP, "CSV injection"): school and staff names come
from the planner's files, and a name such as ``=HYPERLINK(...)`` or ``+cmd|...`` would
run as a formula when a planner opens the CSV in Excel or WPS. :func:`safe_cell` prefixes
such text with a single quote, the neutralisation OWASP recommends, in CSV and Excel
alike, so that both files show the same text; numbers stay numbers.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from twinning.messages import Msg

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell as XlsxCell
    from openpyxl.worksheet.worksheet import Worksheet

#: A cell: a value, or a message (:mod:`twinning.messages`) said when the table is written.
Cell = str | int | float | bool | None | Msg

#: First characters that make a spreadsheet read a text cell as a formula or command
#: (OWASP: ``=``, ``+``, ``-``, ``@``, tab and carriage return).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Table:
    """A table to write: its columns (English field names) and rows of field -> cell."""

    columns: list[str]
    rows: list[dict[str, Cell]] = field(default_factory=list)


def safe_cell(cell: Cell) -> Cell:
    """A cell that no spreadsheet runs as a formula: text starting with a formula
    trigger gets a leading ``'``; numbers (negative ones too) and booleans are left as
    they are, since they are values, never formulas."""
    if isinstance(cell, Msg):  # a table not said in a language: English
        cell = cell.text("en")
    if isinstance(cell, str) and cell.startswith(FORMULA_TRIGGERS):
        return "'" + cell
    return cell


def csv_bytes(table: Table, headers: dict[str, str] | None = None) -> bytes:
    """CSV as UTF-8 with BOM (Excel in China opens Chinese text correctly with it), every
    text cell made safe (:func:`safe_cell`)."""
    names = headers or {}
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([safe_cell(names.get(c, c)) for c in table.columns])
    for r in table.rows:
        writer.writerow(["" if r.get(c) is None else safe_cell(r.get(c)) for c in table.columns])
    return buf.getvalue().encode("utf-8-sig")


def put_cell(sheet: Worksheet, row: int, column: int, value: Cell) -> XlsxCell:
    """Write one Excel cell that is never a formula: text is made safe (:func:`safe_cell`),
    stripped of the control characters a workbook may not hold, and typed as text, since
    openpyxl would otherwise store text starting with ``=`` as a formula and ``#N/A`` as
    an error."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        # Strip first: "\x01=1" would otherwise lose its \x01 and start with "=".
        cell.value = safe_cell(ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"
    else:
        cell.value = value
    return cell


def pseudonym(staff_id: str) -> str:
    """A stable pseudonym for a person: 教师 + 8 hex digits of a hash of the staff id."""
    return "教师" + hashlib.sha256(staff_id.encode("utf-8")).hexdigest()[:8]


def mask_names(tables: dict[str, Table]) -> dict[str, Table]:
    """Replace personal names by stable pseudonyms (the same person, the same pseudonym)."""
    out = {}
    for title, table in tables.items():
        if "staff" in table.columns and "name" in table.columns:
            rows = [{**r, "name": pseudonym(str(r["staff"]))} for r in table.rows]
            out[title] = Table(table.columns, rows)
        else:
            out[title] = table
    return out
