"""Readers: a CSV folder, an Excel workbook, a JSON or YAML file -> :class:`Instance`.

Each reader is a parser that produces raw tables (rows of field -> value, with
the file and row each came from); one builder turns raw tables into the
pydantic :class:`~solver.county.instance.Instance` and maps every validation error back
to the file, row and column the planner sees. Inputs are only ever read.
"""

from __future__ import annotations

import csv
import glob
import io
import json
import math
import re
import tomllib
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import TypeAdapter, ValidationError

from solver.county.instance import TABLES, Instance, check_instance
from solver.county.policy import Policy, nest_dotted
from solver.errors import InputError, InputProblem
from solver.io.headers import REQUIRED, TABLE_ALIASES, field_for


class InputWarning(UserWarning):
    """Something in the input was ignored (an unknown column, an unknown sheet)."""


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
    """Where each table of an instance came from, for messages that name the place."""

    tables: dict[str, RawTable]
    policy_file: str

    def problem(
        self, table: str, index: int, fld: str | None, message: str, value: object = None
    ) -> InputProblem:
        raw = self.tables.get(table)
        if raw is None:
            return InputProblem(f"{table}", message, index + 1, fld, value)
        return InputProblem(
            raw.file, message, raw.where(index), raw.header(fld) if fld else None, value
        )


# ---- entry point -------------------------------------------------------------------------


def load_instance(path: str | Path) -> Instance:
    """Read an instance from a CSV folder, an ``.xlsx`` workbook or a ``.json``/``.yaml`` file.

    Parameters
    ----------
    path
        A folder holding ``schools.csv`` (and optionally ``staff.csv``, ``needs.csv``,
        ``history.csv``, ``distances.csv``, ``fixed.csv``, ``policy.toml``), or one file.

    Raises
    ------
    InputError
        For anything wrong with the files; its message names file, row and column.
    """
    instance, _ = read_instance(path)
    return instance


def read_instance(path: str | Path) -> tuple[Instance, Sources]:
    """Like :func:`load_instance`, also returning where each table came from."""
    p = Path(path)
    if not p.exists():
        raise InputError.one(str(p), "no such file or folder")
    if p.is_dir():
        tables, policy, policy_file = _read_folder(p)
    else:
        suffix = p.suffix.lower()
        if suffix in (".xlsx", ".xlsm"):
            tables, policy, policy_file = _read_workbook(p)
        elif suffix == ".json":
            tables, policy, policy_file = _read_document(p, _parse_json(p))
        elif suffix in (".yaml", ".yml"):
            tables, policy, policy_file = _read_document(p, _parse_yaml(p))
        else:
            raise InputError.one(
                p.name, "unknown instance format: give a folder, .xlsx, .json or .yaml"
            )
    name = p.stem if p.is_file() else p.resolve().name
    return build_instance(name, tables, policy, policy_file)


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


# ---- CSV folder --------------------------------------------------------------------------


def _decode(data: bytes, label: str) -> str:
    if b"\x00" in data:
        raise InputError.one(label, "not a text file (it holds binary data)")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError.one(label, "cannot be read as UTF-8 or GB18030 text")


def _read_csv(path: Path, table: str) -> RawTable:
    label = path.name
    text = _decode(path.read_bytes(), label)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        all_rows = list(reader)
    except csv.Error as exc:
        raise InputError.one(label, f"not a valid CSV file: {exc}") from None
    if not all_rows or not any(c.strip() for c in all_rows[0]):
        raise InputError.one(label, "the file is empty: it needs a header row and data rows")
    return _raw_from_rows(table, label, all_rows[0], all_rows[1:], first_row=2)


def _raw_from_rows(
    table: str, label: str, header: list[Any], body: list[list[Any]], first_row: int
) -> RawTable:
    raw = RawTable(table, label)
    positions: list[tuple[int, str]] = []
    for col, head in enumerate(header):
        text = "" if head is None else str(head)
        fld = field_for(table, text)
        if fld is None:
            if text.strip():
                warnings.warn(
                    f"{label}: column '{text.strip()}' is not used (unknown column)",
                    InputWarning,
                    stacklevel=2,
                )
            continue
        if fld in raw.headers:
            raise InputError.one(label, "column given twice", row=1, column=text.strip())
        raw.headers[fld] = text.strip().lstrip("\ufeff")
        positions.append((col, fld))
    for fld in REQUIRED[table]:
        if fld not in raw.headers:
            raise InputError.one(label, f"missing required column '{fld}'", row=1, column=fld)
    for offset, cells in enumerate(body):
        if not any(c is not None and str(c).strip() for c in cells):
            continue  # blank lines are common at the end of exported files
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
        raw.rows.append(row)
        raw.row_numbers.append(first_row + offset)
    if not raw.rows:  # a file given with only its header is a mistake, not "no data"
        raise InputError.one(
            label, "the table has a header but no rows; remove the file or fill it in", row=2
        )
    return raw


def _table_for_stem(stem: str) -> str | None:
    low = stem.strip().lower()
    if low in TABLES or low == "policy":
        return low
    return TABLE_ALIASES.get(stem.strip())


def _read_folder(folder: Path) -> tuple[dict[str, RawTable], dict[str, Any], str]:
    tables: dict[str, RawTable] = {}
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.suffix.lower() != ".csv":
            continue
        table = _table_for_stem(path.stem)
        if table is None or table == "policy":
            warnings.warn(
                f"{path.name}: not an instance table, ignored", InputWarning, stacklevel=2
            )
            continue
        if table in tables:
            raise InputError.one(path.name, f"table '{table}' is given twice")
        tables[table] = _read_csv(path, table)
    if "schools" not in tables:
        raise InputError.one(f"{folder.name}/schools.csv", "missing: every instance needs schools")
    policy, policy_file = _read_policy_beside(folder / "policy.toml")
    return tables, policy, policy_file


def _read_policy_beside(path: Path) -> tuple[dict[str, Any], str]:
    if not path.exists():
        return {}, path.name
    text = _decode(path.read_bytes(), path.name)
    try:
        return tomllib.loads(text), path.name
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        row = int(match.group(1)) if match else None
        raise InputError.one(path.name, f"not valid TOML: {exc}", row=row) from None


# ---- Excel -------------------------------------------------------------------------------


def _read_workbook(path: Path) -> tuple[dict[str, RawTable], dict[str, Any], str]:
    import openpyxl  # local: only Excel users pay for the import

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise InputError.one(path.name, f"not a readable Excel workbook ({exc})") from None
    tables: dict[str, RawTable] = {}
    policy: dict[str, Any] = {}
    policy_file = f"{path.name} [policy]"
    try:
        for sheet in book.worksheets:
            table = _table_for_stem(sheet.title)
            label = f"{path.name} [{sheet.title}]"
            rows = [list(r) for r in sheet.iter_rows(values_only=True)]
            if table is None:
                warnings.warn(
                    f"{label}: not an instance table, ignored", InputWarning, stacklevel=2
                )
                continue
            if not rows or not any(c is not None and str(c).strip() for c in rows[0]):
                raise InputError.one(label, "the sheet is empty: it needs a header row")
            if table == "policy":
                policy = _policy_from_rows(label, rows)
                continue
            body = [[_cell(c) for c in r] for r in rows[1:]]
            tables[table] = _raw_from_rows(table, label, rows[0], body, first_row=2)
    finally:
        book.close()
    if "schools" not in tables:
        raise InputError.one(
            f"{path.name} [schools]", "missing sheet: every instance needs schools"
        )
    beside = path.with_name("policy.toml")
    if not policy and beside.exists():
        policy, policy_file = _read_policy_beside(beside)
    return tables, policy, policy_file


def _cell(value: Any) -> Any:
    # Excel stores whole numbers as floats; ids such as 1001 must not become "1001.0".
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if value is None:
        return None
    return str(value)


def _policy_from_rows(label: str, rows: list[list[Any]]) -> dict[str, Any]:
    head = [str(c).strip().lower() if c is not None else "" for c in rows[0]]
    if "key" not in head or "value" not in head:
        raise InputError.one(label, "the policy sheet needs columns 'key' and 'value'", row=1)
    k, v = head.index("key"), head.index("value")
    flat: dict[str, Any] = {}
    for row in rows[1:]:
        key = row[k] if k < len(row) else None
        if key is None or not str(key).strip():
            continue
        flat[str(key).strip()] = _policy_value(row[v] if v < len(row) else None)
    try:
        return nest_dotted(flat)
    except ValueError as exc:
        raise InputError.one(label, str(exc)) from None


def _policy_value(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:  # a cell may hold any TOML value: 0.1, true, ["a", "b"], {M = 57, F = 52}
        return tomllib.loads(f"v = {value}")["v"]
    except tomllib.TOMLDecodeError:
        return value


# ---- JSON / YAML -------------------------------------------------------------------------


def _parse_json(path: Path) -> Any:
    text = _decode(path.read_bytes(), path.name)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError.one(
            path.name,
            f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
            row=exc.lineno,
        ) from None


def _parse_yaml(path: Path) -> Any:
    import yaml

    text = _decode(path.read_bytes(), path.name)
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise InputError.one(path.name, f"not valid YAML: {exc}", row=row) from None


def _read_document(path: Path, doc: Any) -> tuple[dict[str, RawTable], dict[str, Any], str]:
    label = path.name
    if not isinstance(doc, dict):
        raise InputError.one(label, "the document must be an object with a 'schools' table")
    tables: dict[str, RawTable] = {}
    for key, value in doc.items():
        if key in ("name", "policy", "format", "version"):
            continue
        table = _table_for_stem(str(key))
        if table is None or table == "policy":
            raise InputError.one(label, f"unknown table '{key}'", column=str(key))
        if not isinstance(value, list):
            raise InputError.one(label, f"'{key}' must be a list of rows", column=str(key))
        raw = RawTable(table, label)
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                raise InputError.one(
                    label, f"each row of '{key}' must be an object", row=i + 1, column=str(key)
                )
            row: dict[str, Any] = {}
            for head, cell in item.items():
                fld = field_for(table, str(head))
                if fld is None:
                    raise InputError.one(
                        label, f"unknown column in '{key}'", row=i + 1, column=f"{key}.{head}"
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
        raise InputError.one(
            label, "the document needs a non-empty 'schools' table", column="schools"
        )
    policy = doc.get("policy") or {}
    if not isinstance(policy, dict):
        raise InputError.one(label, "'policy' must be an object", column="policy")
    if not policy and path.with_name("policy.toml").exists():
        return (tables, *_read_policy_beside(path.with_name("policy.toml")))
    return tables, policy, f"{label} [policy]"


# ---- builder -----------------------------------------------------------------------------

_INT_TEXT = re.compile(r"^-?\d+\.0*$")
_ADAPTERS = {name: TypeAdapter(list[model]) for name, model in TABLES.items()}  # type: ignore[valid-type]
_INT_FIELDS = {
    name: {f for f, info in model.model_fields.items() if "int" in str(info.annotation)}
    for name, model in TABLES.items()
}


def _validate_table(raw: RawTable) -> list[Any]:
    ints = _INT_FIELDS[raw.name]
    rows = raw.rows
    if ints:
        for row in rows:
            for f in ints:
                v = row.get(f)
                if isinstance(v, str) and _INT_TEXT.match(v):
                    row[f] = v.split(".")[0]
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
            message = err["msg"]
            if err["type"] == "literal_error":
                message = f"unknown value; {message[0].lower()}{message[1:]}"
            value = err.get("input")
            if isinstance(value, dict):
                value = None
            problems.append(
                InputProblem(
                    raw.file,
                    message,
                    raw.where(index),
                    raw.header(fld) if fld else None,
                    value,
                )
            )
        raise InputError(problems) from None


def _validate_policy(data: dict[str, Any], label: str) -> Policy:
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            key = ".".join(str(part) for part in err["loc"])
            message = err["msg"]
            if err["type"] == "extra_forbidden":
                message = "unknown policy key"
            value = err.get("input")
            if isinstance(value, dict):
                value = None
            problems.append(InputProblem(label, f"key {key}: {message}", None, None, value))
        raise InputError(problems) from None


def headers_language(tables: dict[str, RawTable]) -> Literal["en", "zh"]:
    """``"zh"`` when most headers as written are Chinese, else ``"en"``."""
    written = [h for raw in tables.values() for h in raw.headers.values()]
    chinese = sum(1 for h in written if not h.isascii())
    return "zh" if written and chinese * 2 > len(written) else "en"


def build_instance(
    name: str, tables: dict[str, RawTable], policy: dict[str, Any], policy_file: str
) -> tuple[Instance, Sources]:
    """Validate raw tables and policy into an :class:`Instance`; check across tables."""
    validated: dict[str, Any] = {}
    for table in TABLES:
        if table in tables:
            validated[table] = _validate_table(tables[table])
    validated["policy"] = _validate_policy(policy, policy_file)
    sources = Sources(tables, policy_file)
    # Validators already ran per table; the cross-table check runs here with the
    # sources so that each problem names its file and row.
    instance = Instance.model_construct(name=name, lang=headers_language(tables), **validated)
    problems = check_instance(instance, sources)
    if problems:
        raise InputError(problems)
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
