"""Tables as CSV and Excel bytes. Knows nothing of plans: a table is columns and rows."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field

Cell = str | int | float | bool | None


@dataclass
class Table:
    """A table to write: its columns (English field names) and rows of field -> cell."""

    columns: list[str]
    rows: list[dict[str, Cell]] = field(default_factory=list)


def csv_bytes(table: Table, headers: dict[str, str] | None = None) -> bytes:
    """CSV as UTF-8 with BOM (Excel in China opens Chinese text correctly with it)."""
    names = headers or {}
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([names.get(c, c) for c in table.columns])
    for r in table.rows:
        writer.writerow(["" if r.get(c) is None else r.get(c) for c in table.columns])
    return buf.getvalue().encode("utf-8-sig")


def xlsx_bytes(sheets: dict[str, Table], headers: dict[str, str] | None = None) -> bytes:
    """One workbook with a sheet per table."""
    import openpyxl  # only Excel users pay for the import

    names = headers or {}
    book = openpyxl.Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for title, table in sheets.items():
        sheet = book.create_sheet(title)
        sheet.append([names.get(c, c) for c in table.columns])
        for r in table.rows:
            sheet.append([r.get(c) for c in table.columns])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


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
