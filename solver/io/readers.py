"""Readers: a CSV folder, an Excel workbook, a JSON or YAML file -> :class:`Instance`.

Each reader is a parser that produces raw tables (rows of field -> value, with
the file and row each came from); one builder turns raw tables into the
pydantic :class:`~twinning.county.instance.Instance` and maps every validation error back
to the file, row and column the planner sees. Inputs are only ever read.

The parsers take files as Excel and WPS write them: UTF-16 "Unicode text" (tab- or
comma-separated), blank rows and a title row above the header, merged cells, thousands
separators. Messages speak the planner's language: Chinese when the headers are
Chinese (or ``lang="zh"`` is asked), naming each column as the planner wrote it.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import errno
import glob
import io
import json
import math
import os
import re
import tomllib
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import methodcaller
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from twinning.collector import paused
from twinning.county.instance import TABLES, Instance, check_instance
from twinning.county.policy import Policy, nest_dotted
from twinning.errors import InputError, InputProblem, Lang, validation_msg
from twinning.io.headers import (
    REQUIRED,
    TABLE_ALIASES,
    field_for,
    header_for,
    language_of,
    near_header,
)
from twinning.io.nesting import (
    MAX_ALIAS_VALUES,
    MAX_DEPTH,
    TooDeep,
    json_too_deep,
    safe_load_bounded,
    toml_too_deep,
)
from twinning.messages import Msg, msg


class InputWarning(UserWarning):
    """Something in the input was ignored or mended (an unknown column, merged cells).

    ``msg`` is the message (a code of the catalogue), ``file`` the file it is about and
    ``lang`` the planner's language: ``str()`` says it in that language, so that the
    command line can introduce it in the same language; :meth:`text` in any.
    """

    def __init__(self, file: str, message: Msg, lang: Lang = "en") -> None:
        self.file = file
        self.msg = message
        self.lang: Lang = lang
        super().__init__(self.text(lang))

    def text(self, lang: Lang | str) -> str:
        """The warning, its file first, in ``lang``."""
        from twinning.messages import word

        return f"{self.file}{word('input.sep.colon', lang)}{self.msg.text(lang)}"


def _warn(label: str, message: Msg, lang: Lang) -> None:
    warnings.warn(InputWarning(label, message, lang), stacklevel=3)


def _refuse(
    label: str,
    message: Msg,
    lang: Lang,
    *,
    row: int | None = None,
    column: str | None = None,
    value: object = None,
) -> InputError:
    """One problem, said in ``lang``."""
    return InputError.one(label, message, row=row, column=column, value=value, lang=lang)


@dataclass
class RawTable:
    """One table as read: rows of field -> value and where each row came from."""

    name: str
    file: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # field -> header as written

    def where(self, index: int) -> int:
        return self.row_numbers[index] if index < len(self.row_numbers) else index + 1

    def header(self, fld: str) -> str:
        return self.headers.get(fld, fld)


@dataclass
class Sources:
    """Where each table of an instance came from, for messages that name the place.

    ``lang`` is the planner's language: a problem is said in it.
    """

    tables: dict[str, RawTable]
    policy_file: str
    lang: Lang = "en"

    def problem(
        self, table: str, index: int, fld: str | None, message: Msg, value: object = None
    ) -> InputProblem:
        raw = self.tables.get(table)
        if raw is None:
            return InputProblem(f"{table}", message, index + 1, fld, value, self.lang)
        return InputProblem(
            raw.file, message, raw.where(index), raw.header(fld) if fld else None, value, self.lang
        )

    def row(self, table: str, index: int) -> int:
        raw = self.tables.get(table)
        return raw.where(index) if raw is not None else index + 1

    def column(self, table: str, fld: str) -> str:
        raw = self.tables.get(table)
        if raw is not None and fld in raw.headers:
            return raw.headers[fld]
        # A column the file does not have (a needs file without periods): the planner's word
        written = headers_language(self.tables) if self.tables else self.lang
        return header_for(table, fld, written)


# ---- entry point -------------------------------------------------------------------------


def load_instance(path: str | Path, lang: Lang | None = None) -> Instance:
    """Read an instance from a CSV folder, an ``.xlsx`` workbook or a ``.json``/``.yaml`` file.

    Parameters
    ----------
    path
        A folder holding ``schools.csv`` (and optionally ``staff.csv``, ``needs.csv``,
        ``history.csv``, ``distances.csv``, ``fixed.csv``, ``policy.toml``), or one file.
    lang
        The language of messages (and of :attr:`Instance.lang`): ``"en"`` or ``"zh"``.
        Default: follow the headers, Chinese when most of them are Chinese.

    Raises
    ------
    InputError
        For anything wrong with the files; its message names file, row and column.
    """
    instance, _ = read_instance(path, lang)
    return instance


def read_instance(path: str | Path, lang: Lang | None = None) -> tuple[Instance, Sources]:
    """Like :func:`load_instance`, also returning where each table came from."""
    with paused():  # the rows and models built hold no cycles: the collector finds nothing
        return _read_instance(Path(path), lang)


def _read_instance(p: Path, lang: Lang | None) -> tuple[Instance, Sources]:
    if not p.exists():
        # Nothing is read yet: a Chinese file name is the only hint of the planner's language.
        said = link_problem(p) or msg("input.no_such_file")
        raise _refuse(str(p), said, lang or language_of([p.name]))
    if p.is_dir():
        tables, policy, policy_file = _read_folder(p, lang)
    else:
        suffix = p.suffix.lower()
        if suffix in (".xlsx", ".xlsm"):
            tables, policy, policy_file = _read_workbook(p, lang)
        elif suffix == ".json":
            tables, policy, policy_file = _read_document(p, _parse_json(p, lang), lang)
        elif suffix in (".yaml", ".yml"):
            tables, policy, policy_file = _read_document(p, _parse_yaml(p, lang), lang)
        else:
            raise _refuse(
                p.name,
                msg("input.unknown_format"),
                lang or language_of([p.name]),
            )
    name = p.stem if p.is_file() else p.resolve().name
    return build_instance(name, tables, policy, policy_file, lang)


def expand_instances(items: Iterable[str | Path]) -> list[Path]:
    """Files, folders and globs -> instance paths, in the order given, without repeats.

    A folder is one instance (a CSV folder); a path that does not exist and matches
    nothing is kept, so that it becomes a row with its error.
    """
    out: list[Path] = []
    for item in items:
        text = str(item)
        matches = sorted(glob.glob(text)) if any(c in text for c in "*?[") else [text]
        for m in matches or [text]:
            p = Path(m)
            if p not in out:
                out.append(p)
    return out


def headers_language(tables: dict[str, RawTable]) -> Lang:
    """``"zh"`` when most headers as written are Chinese, else ``"en"``."""
    return language_of(h for raw in tables.values() for h in raw.headers.values())


def _hint(lang: Lang | None, tables: dict[str, RawTable], name: str) -> Lang:
    # The language for a message about a file whose headers are not known (empty, binary):
    # the one asked for, else that of the tables read so far, else that of its name.
    return lang or (headers_language(tables) if tables else language_of([name]))


def link_problem(path: Path) -> Msg | None:
    """What is wrong with a symbolic link that leads nowhere (its target missing, or a loop
    of links), or None: such a file is refused by name, never read as absent."""
    if not path.is_symlink():
        return None
    try:
        path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return msg("input.link.loop")
        try:
            target = os.readlink(path)
        except OSError:
            target = "?"
        return msg("input.link.broken", target=target)
    return None


def _read_bytes(path: Path, label: str, lang: Lang) -> bytes:
    """A file's bytes, or one problem naming it: a link to nowhere, a folder where a file
    belongs, a file the system will not let be read."""
    broken = link_problem(path)
    if broken is not None:
        raise _refuse(label, broken, lang)
    if path.is_dir():
        raise _refuse(label, msg("input.folder_not_file"), lang)
    try:
        return path.read_bytes()
    except OSError as exc:
        error = exc.strerror or type(exc).__name__
        raise _refuse(label, msg("input.unreadable", error=error), lang) from None


def _toml(text: str, label: str, lang: Lang) -> dict[str, Any]:
    """A TOML text, or one problem naming its line: a syntax error, or nesting deeper than
    :data:`~twinning.io.nesting.MAX_DEPTH` (refused before parsing: the parser recurses)."""
    deep = toml_too_deep(text)
    if deep is not None:
        raise _refuse(label, msg("input.too_deep", limit=MAX_DEPTH), lang, row=deep)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        said, row = toml_problem(exc, text)
        raise _refuse(label, said, lang, row=row) from None


# ---- tables as rows of cells: the header row, then the data -------------------------------

#: Rows searched for the header: a title, a date line and blank rows sit above it.
_HEADER_SEARCH = 10


def _text(cell: Any) -> str:
    return "" if cell is None else str(cell).strip().lstrip("\ufeff")


def _named_field(table: str, text: str) -> str | None:
    """The field a header names, exactly or as a near miss (which is refused later)."""
    fld = field_for(table, text)
    if fld is None:
        near = near_header(table, text)
        fld = field_for(table, near) if near is not None else None
    return fld


def _header_row(table: str, rows: list[list[Any]]) -> int | None:
    """Index of the header row: the first row naming the table's required columns.

    A title merged across the columns (XX县学校信息表) or blank rows above the header are
    common in files exported from Excel and WPS. Without a row naming all required columns,
    the row naming the most columns is taken, so that the message says which are missing;
    without any, the first non-blank row. None when every row is blank.
    """
    first: int | None = None
    best, best_count = None, 0
    searched = 0
    for i, cells in enumerate(rows):
        texts = [t for t in map(_text, cells) if t]
        if not texts:
            continue
        first = i if first is None else first
        named = {_named_field(table, t) for t in texts}
        if all(f in named for f in REQUIRED[table]):
            return i
        if len(named - {None}) > best_count:
            best, best_count = i, len(named - {None})
        searched += 1
        if searched == _HEADER_SEARCH:
            break
    return best if best is not None else first


def _row_of(cells: list[Any], positions: list[tuple[int, str]]) -> dict[str, Any]:
    """The fields a line of cells gives (blank text and NaN are no value)."""
    row: dict[str, Any] = {}
    for col, fld in positions:
        value = cells[col] if col < len(cells) else None
        if isinstance(value, str):
            value = value.strip()
            if value == "":
                value = None
        elif isinstance(value, float) and math.isnan(value):
            value = None
        if value is not None:
            row[fld] = value
    return row


def _raw_from_rows(
    table: str,
    label: str,
    rows: list[list[Any]],
    at: int,
    lang: Lang | None,
    all_text: bool = False,
) -> RawTable:
    """The table under the header at ``rows[at]``; row numbers are the file's own (1-based).
    ``all_text``: every cell is a string (a CSV file's).

    An unknown header close to a known one (骨干等级 for 骨干级别) is an error with a
    suggestion, since dropping it would change the plan; an unrelated one (校长电话) is
    kept out with a warning.
    """
    header = [_text(c) for c in rows[at]]
    written = language_of(header)
    say_in = lang or written
    header_row = at + 1
    raw = RawTable(table, label)
    positions: list[tuple[int, str]] = []
    unknown: list[str] = []
    for col, text in enumerate(header):
        fld = field_for(table, text)
        if fld is None:
            if text:
                unknown.append(text)
            continue
        if fld in raw.headers:
            raise _refuse(label, msg("input.column_twice"), say_in, row=header_row, column=text)
        raw.headers[fld] = text
        positions.append((col, fld))
    problems: list[InputProblem] = []
    meant: set[str] = set()
    for text in unknown:
        near = near_header(table, text)
        fld = field_for(table, near) if near is not None else None
        if near is None or fld is None or fld in raw.headers:
            _warn(label, msg("input.unused_column", column=text), say_in)
            continue
        meant.add(fld)
        message = msg("input.near_column", column=text, suggestion=near)
        problems.append(InputProblem(label, message, header_row, text, None, say_in))
    for fld in REQUIRED[table]:
        if fld not in raw.headers and fld not in meant:
            name = header_for(table, fld, written)
            message = msg("input.missing_column", column=name)
            problems.append(InputProblem(label, message, header_row, name, None, say_in))
    if problems:
        raise InputError(problems)
    width = max((col for col, _ in positions), default=-1) + 1
    for index in range(at + 1, len(rows)):
        cells = rows[index]
        if all_text and len(cells) >= width:
            # a CSV line holds only text: the same cells read below, at C speed
            row = {fld: value for col, fld in positions if (value := cells[col].strip())}
            if not row and not any(c.strip() for c in cells):
                continue  # blank lines are common at the end of exported files
        else:
            if not any(c is not None and str(c).strip() for c in cells):
                continue
            row = _row_of(cells, positions)
        raw.rows.append(row)
        raw.row_numbers.append(index + 1)
    if not raw.rows:  # a file given with only its header is a mistake, not "no data"
        raise _refuse(
            label,
            msg("input.header_only"),
            say_in,
            row=header_row + 1,
        )
    return raw


# ---- CSV folder --------------------------------------------------------------------------


def _decode(data: bytes, label: str, lang: Lang) -> str:
    # Excel's "Unicode text" is UTF-16 with a byte-order mark; its zero bytes are text.
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise _refuse(label, msg("input.utf16"), lang) from None
    if b"\x00" in data:
        raise _refuse(label, msg("input.binary"), lang)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _refuse(label, msg("input.encoding"), lang)


def _delimiter(text: str) -> str:
    # Excel writes "Unicode text" and "Text (tab delimited)" with tabs; the start of the
    # file tells (a title row of one cell followed by its empty cells counts as well).
    head = text[:4096]
    return "\t" if head.count("\t") > head.count(",") else ","


def _read_csv(path: Path, table: str, lang: Lang | None, hint: Lang) -> RawTable:
    label = path.name
    text = _decode(_read_bytes(path, label, hint), label, hint)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        all_rows = list(reader)
    except csv.Error as exc:
        raise _refuse(label, msg("input.not_csv", why=_csv_problem(exc)), hint) from None
    at = _header_row(table, all_rows)
    if at is None:
        raise _refuse(label, msg("input.empty_file"), hint)
    return _raw_from_rows(table, label, all_rows, at, lang, all_text=True)


def _table_for_stem(stem: str) -> str | None:
    low = stem.strip().lower()
    if low in TABLES or low == "policy":
        return low
    return TABLE_ALIASES.get(stem.strip())


def _read_folder(
    folder: Path, lang: Lang | None
) -> tuple[dict[str, RawTable], dict[str, Any], str]:
    tables: dict[str, RawTable] = {}
    try:
        paths = sorted(folder.iterdir())
    except OSError as exc:
        error = exc.strerror or type(exc).__name__
        said = msg("input.unreadable", error=error)
        raise _refuse(folder.name, said, _hint(lang, tables, folder.name)) from None
    for path in paths:
        if path.suffix.lower() != ".csv":
            continue
        table = _table_for_stem(path.stem)
        hint = _hint(lang, tables, path.stem)
        if not path.is_file():
            broken = link_problem(path)
            if broken is not None and table is not None:  # staff.csv to nowhere: not "no staff"
                raise _refuse(path.name, broken, hint)
            continue
        if table is None or table == "policy":
            _warn(path.name, msg("input.not_a_table"), hint)
            continue
        if table in tables:
            raise _refuse(path.name, msg("input.table_twice", table=table), hint)
        tables[table] = _read_csv(path, table, lang, hint)
    if "schools" not in tables:
        raise _refuse(
            f"{folder.name}/schools.csv",
            msg("input.missing_schools"),
            _hint(lang, tables, folder.name),
        )
    policy, policy_file = _read_policy_beside(
        folder / "policy.toml", lang or headers_language(tables)
    )
    return tables, policy, policy_file


def _read_policy_beside(path: Path, lang: Lang) -> tuple[dict[str, Any], str]:
    if not path.exists() and link_problem(path) is None:
        return {}, path.name
    text = _decode(_read_bytes(path, path.name, lang), path.name, lang)
    return _toml(text, path.name, lang), path.name


# ---- Excel -------------------------------------------------------------------------------


#: What the sheets' XML holds that changes how a workbook is read: merged cells, and
#: formulas (an ``f`` element, with or without a namespace prefix).
_MARKERS = {
    b"mergeCell": "merged",
    b"<f>": "formulas",
    b"<f ": "formulas",
    b":f>": "formulas",
    b":f ": "formulas",
}


def _sheet_markers(path: Path) -> set[str]:
    """Whether any sheet of the workbook merges cells (a ``mergeCell`` in its XML) or holds
    formulas: ``{"merged", "formulas"}`` or a part of it.

    openpyxl's read-only mode, fast on large sheets, does not see merges; the workbook is
    loaded whole only when it has some, which planners' hand-made sheets do and exported
    or generated ones do not. A workbook with formulas is also read for its formulas, so
    that one whose value was never saved is refused (the values read give it as empty).
    The XML is scanned once, in chunks.
    """
    found: set[str] = set()
    longest = max(len(n) for n in _MARKERS)
    try:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                    continue
                with archive.open(name) as fh:
                    tail = b""
                    while chunk := fh.read(1 << 20):
                        window = tail + chunk
                        found.update(k for n, k in _MARKERS.items() if n in window)
                        if len(found) == 2:
                            return found
                        tail = chunk[-longest:]
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError):
        return found  # openpyxl then says what is wrong with the file
    return found


def _has_merged_cells(path: Path) -> bool:
    """Whether any sheet of the workbook merges cells (see :func:`_sheet_markers`)."""
    return "merged" in _sheet_markers(path)


def _formula_cells(path: Path) -> dict[str, dict[tuple[int, int], str]]:
    """Sheet title -> (row, column) -> formula, for every formula of the workbook."""
    import openpyxl
    from openpyxl.worksheet.formula import ArrayFormula

    out: dict[str, dict[tuple[int, int], str]] = {}
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception:  # the values' load says what is wrong with the file
        return out
    try:
        for sheet in book.worksheets:
            cells: dict[tuple[int, int], str] = {}
            for r, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                for c, value in enumerate(row, start=1):
                    if isinstance(value, ArrayFormula):
                        cells[(r, c)] = str(value.text)
                    elif isinstance(value, str) and value.startswith("="):
                        cells[(r, c)] = value
            if cells:
                out[sheet.title] = cells
    finally:
        book.close()
    return out


def _uncached_formula(
    rows: list[list[Any]], formulas: dict[tuple[int, int], str], at: int | None
) -> tuple[int, str | None, Msg] | None:
    """The first formula whose value was never saved (read as empty): its row, the
    column's header when it is below the header, and the message naming the cell."""
    from openpyxl.utils import get_column_letter

    for (r, c), formula in sorted(formulas.items()):
        cells = rows[r - 1] if r - 1 < len(rows) else []
        if (cells[c - 1] if c - 1 < len(cells) else None) is not None:
            continue  # Excel or WPS saved its value
        header = rows[at] if at is not None and r - 1 > at else []
        column = (_text(header[c - 1]) or None) if c - 1 < len(header) else None
        cell = f"{get_column_letter(c)}{r}"
        return r, column, msg("input.workbook.uncached_formula", cell=cell, formula=formula)
    return None


def _fill_merges(rows: list[list[Any]], at: int, ranges: list[Any], label: str, lang: Lang) -> None:
    """Give every cell of a merged region below the header its top-left value, and say so.

    A planner merges a column vertically to write one school code for several staff; the
    file holds the code in the first cell only. Merges in or above the header (the title)
    are not data and are left alone.
    """
    for merged in sorted(ranges, key=lambda r: (r.min_row, r.min_col)):
        if merged.min_row <= at + 1 or merged.min_row > len(rows):
            continue
        top = rows[merged.min_row - 1]
        value = top[merged.min_col - 1] if merged.min_col <= len(top) else None
        if value is None:
            continue
        for r in range(merged.min_row, min(merged.max_row, len(rows)) + 1):
            cells = rows[r - 1]
            cells.extend([None] * (merged.max_col - len(cells)))
            for c in range(merged.min_col, merged.max_col + 1):
                cells[c - 1] = value
        _warn(
            label,
            msg("input.merged_cells", cells=merged.coord, value=repr(_cell(value))),
            lang,
        )


def _read_workbook(
    path: Path, lang: Lang | None
) -> tuple[dict[str, RawTable], dict[str, Any], str]:
    import openpyxl  # local: only Excel users pay for the import

    markers = _sheet_markers(path)
    merged = "merged" in markers
    formulas = _formula_cells(path) if "formulas" in markers else {}
    try:
        book = openpyxl.load_workbook(path, read_only=not merged, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise _refuse(
            path.name,
            msg("input.not_workbook", why=_workbook_problem(exc)),
            lang or language_of([path.stem]),
        ) from None
    tables: dict[str, RawTable] = {}
    policy: dict[str, Any] = {}
    policy_file = f"{path.name} [policy]"
    try:
        for sheet in book.worksheets:
            table = _table_for_stem(sheet.title)
            label = f"{path.name} [{sheet.title}]"
            hint = _hint(lang, tables, sheet.title)
            if table is None:
                _warn(label, msg("input.not_a_table"), hint)
                continue
            rows = [list(r) for r in sheet.iter_rows(values_only=True)]
            at = None if table == "policy" else _header_row(table, rows)
            uncached = _uncached_formula(rows, formulas.get(sheet.title, {}), at)
            if uncached is not None:
                row, column, said = uncached
                raise _refuse(label, said, hint, row=row, column=column)
            if table == "policy":
                policy = _policy_from_rows(label, rows, hint)
                continue
            if at is None:
                raise _refuse(label, msg("input.empty_sheet"), hint)
            if merged:
                written = language_of(_text(c) for c in rows[at])
                _fill_merges(rows, at, list(sheet.merged_cells.ranges), label, lang or written)
            for i in range(at + 1, len(rows)):
                rows[i] = [_cell(c) for c in rows[i]]
            tables[table] = _raw_from_rows(table, label, rows, at, lang)
    finally:
        book.close()
    if "schools" not in tables:
        raise _refuse(
            f"{path.name} [schools]",
            msg("input.missing_schools_sheet"),
            _hint(lang, tables, path.stem),
        )
    beside = path.with_name("policy.toml")
    if not policy and (beside.exists() or link_problem(beside) is not None):
        policy, policy_file = _read_policy_beside(beside, lang or headers_language(tables))
    return tables, policy, policy_file


def _cell(value: Any) -> Any:
    # Excel stores whole numbers as floats; ids such as 1001 must not become "1001.0".
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if value is None:
        return None
    return str(value)


def _policy_from_rows(label: str, rows: list[list[Any]], lang: Lang) -> dict[str, Any]:
    heads = [[_text(c).lower() for c in r] for r in rows]
    at = next((i for i, h in enumerate(heads) if "key" in h and "value" in h), None)
    if at is None:
        first = next((i for i, h in enumerate(heads) if any(h)), 0)
        raise _refuse(label, msg("input.policy_sheet_columns"), lang, row=first + 1)
    k, v = heads[at].index("key"), heads[at].index("value")
    flat: dict[str, Any] = {}
    for row in rows[at + 1 :]:
        key = row[k] if k < len(row) else None
        if key is None or not str(key).strip():
            continue
        flat[str(key).strip()] = _policy_value(row[v] if v < len(row) else None, label, lang)
    try:
        return nest_dotted(flat)
    except ValueError as exc:
        raise _refuse(label, msg("input.policy_conflict", why=_said(exc)), lang) from None


def _policy_value(value: Any, label: str, lang: Lang) -> Any:
    if not isinstance(value, str):
        return value
    if toml_too_deep(value) is not None:
        raise _refuse(label, msg("input.too_deep", limit=MAX_DEPTH), lang, value=value)
    try:  # a cell may hold any TOML value: 0.1, true, ["a", "b"], {M = 57, F = 52}
        return tomllib.loads(f"v = {value}")["v"]
    except tomllib.TOMLDecodeError:
        return value


# ---- JSON / YAML -------------------------------------------------------------------------

#: What Python's JSON parser says (the start of its message) -> the message's code.
_JSON_PROBLEMS = (
    ("Expecting value", "input.json.expecting_value"),
    ("Expecting property name", "input.json.expecting_name"),
    ("Expecting ':'", "input.json.expecting_colon"),
    ("Expecting ','", "input.json.expecting_comma"),
    ("Unterminated string", "input.json.unterminated_string"),
    ("Invalid control character", "input.json.control_character"),
    ("Invalid \\", "input.json.bad_escape"),
    ("Extra data", "input.json.extra_data"),
    ("Illegal trailing comma", "input.json.trailing_comma"),
)


#: What tomllib says -> the message's code.
_TOML_PROBLEMS = (
    ("Invalid value", "input.toml.invalid_value"),
    ("Invalid statement", "input.toml.invalid_statement"),
    ("Expected '=' after a key", "input.toml.expected_equals"),
    ("Cannot ", "input.toml.twice"),
    ("Duplicate ", "input.toml.twice"),
    ("Unterminated string", "input.toml.unterminated_string"),
    ("Unclosed array", "input.toml.unclosed_array"),
    ("Unclosed inline table", "input.toml.unclosed_table"),
    ("Expected ']", "input.toml.unclosed_header"),
    ("Invalid initial character", "input.toml.bad_key"),
    ("Illegal character", "input.toml.bad_character"),
    ("Found invalid character", "input.toml.bad_character"),
    ("Unescaped", "input.toml.bad_escape"),
    ("Invalid hex value", "input.toml.bad_escape"),
    ("Escaped character", "input.toml.bad_escape"),
    ("Invalid date", "input.toml.bad_date"),
)

#: What PyYAML says (an error's ``problem``) -> the message's code.
_YAML_PROBLEMS = (
    ("mapping values are not allowed", "input.yaml.mapping_here"),
    ("found character '\\t'", "input.yaml.tab"),
    ("expected ',' or", "input.yaml.unclosed"),
    ("found unexpected end of stream", "input.yaml.end_of_stream"),
    ("expected <block end>", "input.yaml.indentation"),
)

_TOML_PLACE = re.compile(r"\s*\(at line (\d+), column (\d+)\)$|\s*\(at end of document\)$")


def _parser_problem(text: str, known: tuple[tuple[str, str], ...]) -> Msg:
    """What a parser found, as a message: a code for what it says, else a syntax error."""
    code = next((c for start, c in known if text.startswith(start)), None)
    return msg(code or "input.syntax")


def json_problem(exc: json.JSONDecodeError) -> Msg:
    """A JSON syntax error as a message: what is wrong, its line and column."""
    return msg(
        "input.not_json",
        why=_parser_problem(exc.msg, _JSON_PROBLEMS),
        line=exc.lineno,
        col=exc.colno,
    )


def toml_problem(exc: tomllib.TOMLDecodeError, source: str) -> tuple[Msg, int | None]:
    """A TOML syntax error in ``source`` as a message, and its line."""
    text = str(exc)
    place = _TOML_PLACE.search(text)
    line = int(place.group(1)) if place and place.group(1) else None
    col = int(place.group(2)) if place and place.group(2) else None
    why = _parser_problem(text[: place.start()] if place else text, _TOML_PROBLEMS)
    if line is None:  # at the end of the document
        lines = source.splitlines() or [""]
        line, col = len(lines), len(lines[-1]) + 1
    return msg("input.not_toml", why=why, line=line, col=col or 1), line


def _csv_problem(exc: csv.Error) -> Msg:
    text = str(exc)
    limit = re.search(r"field larger than field limit \((\d+)\)", text)
    if limit:
        return msg("input.csv.field_too_long", limit=int(limit.group(1)))
    if text.startswith("new-line character"):
        return msg("input.csv.newline")
    return msg("input.syntax")


def _workbook_problem(exc: Exception) -> Msg:
    if isinstance(exc, zipfile.BadZipFile):
        return msg("input.workbook.not_zip")
    if ".xls file format" in str(exc):
        return msg("input.workbook.xls")
    return msg("input.workbook.other")


def _said(exc: Exception) -> Msg:
    """An exception's message: its own (:class:`~twinning.errors.MessageError`), else its
    text as written."""
    own = getattr(exc, "msg", None)
    return own if isinstance(own, Msg) else msg("text", text=str(exc))


def _parse_json(path: Path, lang: Lang | None) -> Any:
    hint = lang or language_of([path.stem])
    text = _decode(_read_bytes(path, path.name, hint), path.name, hint)
    deep = json_too_deep(text)
    if deep is not None:  # refused before parsing: the parser recurses once per level
        raise _refuse(path.name, msg("input.too_deep", limit=MAX_DEPTH), hint, row=deep)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise _refuse(path.name, json_problem(exc), hint, row=exc.lineno) from None


def _parse_yaml(path: Path, lang: Lang | None) -> Any:
    import yaml

    hint = lang or language_of([path.stem])
    text = _decode(_read_bytes(path, path.name, hint), path.name, hint)
    try:
        # Refused as the document is built, before PyYAML recurses that deep.
        return safe_load_bounded(text)
    except TooDeep as exc:
        said = (
            msg("input.too_deep", limit=MAX_DEPTH)
            if exc.kind == "depth"
            else msg("input.yaml.aliases", limit=MAX_ALIAS_VALUES)
        )
        raise _refuse(path.name, said, hint, row=exc.line) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        said = msg(
            "input.not_yaml",
            why=_parser_problem(str(getattr(exc, "problem", "") or ""), _YAML_PROBLEMS),
            line=row or 1,
            col=mark.column + 1 if mark is not None else 1,
        )
        raise _refuse(path.name, said, hint, row=row) from None


def _document_language(doc: dict[Any, Any]) -> Lang:
    # The column names of each table's first row stand for the document's headers.
    keys: list[str] = []
    for value in doc.values():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            keys.extend(str(k) for k in value[0])
    return language_of(keys)


def _read_document(
    path: Path, doc: Any, lang: Lang | None
) -> tuple[dict[str, RawTable], dict[str, Any], str]:
    label = path.name
    if not isinstance(doc, dict):
        raise _refuse(
            label,
            msg("input.doc.not_object"),
            lang or language_of([path.stem]),
        )
    say_in = lang or _document_language(doc)
    tables: dict[str, RawTable] = {}
    for key, value in doc.items():
        if key in ("name", "policy", "format", "version"):
            continue
        table = _table_for_stem(str(key))
        if table is None or table == "policy":
            raise _refuse(
                label, msg("input.doc.unknown_table", table=str(key)), say_in, column=str(key)
            )
        if not isinstance(value, list):
            raise _refuse(label, msg("input.doc.not_list", table=str(key)), say_in, column=str(key))
        raw = RawTable(table, label)
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                raise _refuse(
                    label,
                    msg("input.doc.row_not_object", table=str(key)),
                    say_in,
                    row=i + 1,
                    column=str(key),
                )
            row: dict[str, Any] = {}
            for head, cell in item.items():
                fld = field_for(table, str(head))
                if fld is None:
                    near = near_header(table, str(head))
                    raise _refuse(
                        label,
                        msg("input.doc.unknown_column", table=str(key))
                        if near is None
                        else msg("input.doc.unknown_column_near", table=str(key), suggestion=near),
                        say_in,
                        row=i + 1,
                        column=f"{key}.{head}",
                    )
                raw.headers.setdefault(fld, f"{key}.{head}")
                if cell is not None and cell != "":
                    row[fld] = cell
            raw.rows.append(row)
            raw.row_numbers.append(i + 1)
        for fld in REQUIRED[table]:
            raw.headers.setdefault(fld, f"{key}.{fld}")
        tables[table] = raw
    if "schools" not in tables or not tables["schools"].rows:
        raise _refuse(label, msg("input.doc.no_schools"), say_in, column="schools")
    policy = doc.get("policy") or {}
    if not isinstance(policy, dict):
        raise _refuse(label, msg("input.doc.policy_not_object"), say_in, column="policy")
    beside = path.with_name("policy.toml")
    if not policy and (beside.exists() or link_problem(beside) is not None):
        return (tables, *_read_policy_beside(beside, say_in))
    return tables, policy, f"{label} [policy]"


# ---- builder -----------------------------------------------------------------------------

# Whole numbers as Excel and WPS write them: 2134.0, and thousands grouped with a comma, a
# full-width comma or a space (2,134 / 2，134 / 2 134), one separator throughout.
_WHOLE_FLOAT = re.compile(r"^[+-]?\d+\.0*$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:([,，\s])\d{3})(?:\1\d{3})*(?:\.0*)?$")
_SEPARATORS = re.compile(r"[,，\s]")
# Areas and money as Excel and WPS show them: 12,345.5 m², 2,345,678.90 yuan (grouped as
# above, any decimals). Only these columns: a grouped latitude is a mistake, not a number.
_GROUPED_DECIMAL = re.compile(r"^[+-]?\d{1,3}(?:([,，\s])\d{3})(?:\1\d{3})*(?:\.\d+)?$")
_GROUPED_FIELDS = {"schools": ("teaching_area", "sports_area", "equipment_value")}
_ADAPTERS = {name: TypeAdapter(list[model]) for name, model in TABLES.items()}  # type: ignore[valid-type]
_INT_FIELDS = {
    name: {f for f, info in model.model_fields.items() if "int" in str(info.annotation)}
    for name, model in TABLES.items()
}


def _plain_int(text: str) -> str | None:
    """``text`` as plain digits when it is a whole number written as above, else None."""
    if _WHOLE_FLOAT.match(text):
        return text.split(".")[0]
    if _GROUPED.match(text):
        return _SEPARATORS.sub("", text.split(".")[0])
    return None


def _validate_table(raw: RawTable, lang: Lang) -> list[Any]:
    rows = raw.rows
    for f in _INT_FIELDS[raw.name]:
        try:  # a column of plain digits needs nothing (nor does a blank cell, below)
            if "".join(map(methodcaller("get", f, ""), rows)).isdigit():
                continue
        except TypeError:
            pass  # a cell that is no text (a workbook's number): read one by one
        for row in rows:
            v = row.get(f)
            if isinstance(v, str) and not v.isdigit():
                plain = _plain_int(v)
                if plain is not None:
                    row[f] = plain
    for f in _GROUPED_FIELDS.get(raw.name, ()):
        for row in rows:
            v = row.get(f)
            if isinstance(v, str) and _GROUPED_DECIMAL.match(v):
                row[f] = _SEPARATORS.sub("", v)
    try:
        return list(_ADAPTERS[raw.name].validate_python(rows))
    except ValidationError as exc:
        problems = []
        seen: set[tuple[int, str | None]] = set()
        for err in exc.errors()[:50]:
            loc = err["loc"]
            index = loc[0] if loc and isinstance(loc[0], int) else 0
            fld = str(loc[1]) if len(loc) > 1 else None
            if fld == "from_":
                fld = "from"
            if (index, fld) in seen:
                continue  # one message per cell: the first is the telling one
            seen.add((index, fld))
            value = err.get("input")
            if isinstance(value, dict):
                value = None
            problems.append(
                InputProblem(
                    raw.file,
                    validation_msg(err),
                    raw.where(index),
                    raw.header(fld) if fld else None,
                    value,
                    lang,
                )
            )
        raise InputError(problems) from None


def _validate_policy(data: dict[str, Any], label: str, lang: Lang) -> Policy:
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            key = ".".join(str(part) for part in err["loc"])
            if err["type"] == "extra_forbidden":
                message = msg("input.policy.unknown_key")
            else:
                message = validation_msg(err)
            value = err.get("input")
            if isinstance(value, dict):
                value = None
            text = msg("input.policy.key", key=key, why=message)
            problems.append(InputProblem(label, text, None, None, value, lang))
        raise InputError(problems) from None


def build_instance(
    name: str,
    tables: dict[str, RawTable],
    policy: dict[str, Any],
    policy_file: str,
    lang: Lang | None = None,
) -> tuple[Instance, Sources]:
    """Validate raw tables and policy into an :class:`Instance`; check across tables.

    ``lang`` is the language of messages and of :attr:`Instance.lang`; default: that of
    the headers.
    """
    lang = lang or headers_language(tables)
    validated: dict[str, Any] = {}
    for table in TABLES:
        if table in tables:
            validated[table] = _validate_table(tables[table], lang)
    validated["policy"] = _validate_policy(policy, policy_file, lang)
    sources = Sources(tables, policy_file, lang)
    # Validators already ran per table; the cross-table check runs here with the
    # sources so that each problem names its file and row.
    instance = Instance.model_construct(name=name, lang=lang, **validated)
    problems = check_instance(instance, sources)
    if problems:
        # A problem made without the sources (a policy key) is said in the planner's words.
        raise InputError(
            [p if p.lang == lang else dataclasses.replace(p, lang=lang) for p in problems]
        )
    return instance, sources


def instance_from_frames(
    name: str, frames: dict[str, Any], policy: dict[str, Any] | None = None
) -> Instance:
    """An instance from in-memory tables (pandas DataFrames with the CSV columns).

    For embedding systems that already hold the tables, and for generated counties.
    """
    tables: dict[str, RawTable] = {}
    for table, frame in frames.items():
        raw = RawTable(table, table)
        clean = frame.astype(object).where(frame.notna(), None)
        for i, row in enumerate(clean.to_dict("records")):
            raw.rows.append({k: v for k, v in row.items() if v is not None and v != ""})
            raw.row_numbers.append(i + 2)
        raw.headers = {c: c for c in frame.columns}
        tables[table] = raw
    instance, _ = build_instance(name, tables, policy or {}, "policy")
    return instance
