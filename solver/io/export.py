"""Saving an instance in any of the input formats (folder of CSV, .xlsx, .json, .yaml).

Used to convert a county between formats; a saved instance reads back equal.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from twinning.county.instance import Instance
from twinning.county.policy import Policy
from twinning.errors import InputProblem, InputValueError
from twinning.io.files import atomic_write, commit_folder
from twinning.io.headers import FIELDS, HEADERS
from twinning.messages import msg
from twinning.vocabulary import ALIASES


def instance_rows(inst: Instance) -> dict[str, list[dict[str, Any]]]:
    """Each non-empty table as rows of field -> plain value (lists joined with ';')."""
    out: dict[str, list[dict[str, Any]]] = {}
    for table in FIELDS:
        rows = getattr(inst, table)
        if not rows:
            continue
        plain = []
        for row in rows:
            data = row.model_dump(mode="json", by_alias=True)
            for key, value in data.items():
                if isinstance(value, list):
                    data[key] = ";".join(str(v) for v in value)
            plain.append(data)
        out[table] = plain
    return out


def _policy_overrides(policy: Policy) -> dict[str, Any]:
    return policy.model_dump(mode="json", exclude_defaults=True)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot write {value!r} as TOML")


def _key(key: Any) -> str:
    text = str(key)
    return text if text.replace("_", "").isalnum() and text.isascii() else json.dumps(text)


def policy_toml(source: Instance | Policy, *, header: str = "") -> str:
    """The policy keys that differ from the defaults, as TOML.

    ``source`` is an instance (its policy) or a policy; ``header``, when given, opens
    the text as ``#`` comment lines.
    """
    policy = source.policy if isinstance(source, Instance) else source
    comment = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
    lines = []
    for section, values in _policy_overrides(policy).items():
        lines.append(f"[{section}]")
        for key, value in values.items():
            if value is None:
                if key != "size_band":
                    continue
                value = []  # a key whose "none" differs from its default
            lines.append(f"{_key(key)} = {_toml_value(value)}")
        lines.append("")
    return comment + "\n".join(lines)


def save_instance(
    inst: Instance,
    path: str | Path,
    *,
    encoding: str = "utf-8",
    lang: str = "en",
    newline: str = "\n",
) -> Path:
    """Write an instance as a CSV folder, ``.xlsx``, ``.json`` or ``.yaml`` (by suffix).

    ``encoding="gb18030"``, ``lang="zh"`` and ``newline="\\r\\n"`` write CSV the way Excel
    in China saves it.
    """
    p = Path(path)
    rows = instance_rows(inst)
    zh = {table: {v: k for k, v in HEADERS[table].items()} for table in HEADERS}
    suffix = p.suffix.lower()
    if suffix in (".json", ".yaml", ".yml"):
        doc: dict[str, Any] = {"name": inst.name, **rows}
        doc["policy"] = _policy_overrides(inst.policy)
        if suffix == ".json":
            text = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
        else:
            import yaml

            text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
        atomic_write(p, text.encode("utf-8"))
        return p
    if suffix == ".xlsx":
        import openpyxl

        book = openpyxl.Workbook()
        book.remove(book.active)
        for table, data in rows.items():
            sheet = book.create_sheet(table)
            cols = list(FIELDS[table])
            sheet.append([zh[table].get(c, c) if lang == "zh" else c for c in cols])
            for r in data:
                sheet.append([r.get(c) for c in cols])
        flat = _flat_policy(_policy_overrides(inst.policy))
        if flat:
            sheet = book.create_sheet("policy")
            sheet.append(["key", "value"])
            for key, value in flat:
                sheet.append([key, _toml_value(value)])
        blob = io.BytesIO()
        book.save(blob)
        atomic_write(p, blob.getvalue())
        return p
    write_csv_folder(
        p, rows, policy=policy_toml(inst), encoding=encoding, lang=lang, newline=newline
    )
    return p


def write_csv_folder(
    path: str | Path,
    tables: Mapping[str, Iterable[Mapping[str, Any]]],
    *,
    policy: str = "",
    encoding: str = "utf-8",
    lang: str = "en",
    newline: str = "\n",
    columns: Mapping[str, Iterable[str]] | None = None,
) -> list[Path]:
    """Write tables as ``<table>.csv`` and ``policy.toml`` into a folder, all at once.

    Parameters
    ----------
    path
        The folder; created (with parents) when missing.
    tables
        Table (``schools``, ``staff``, ...) -> rows of field -> plain value; a missing
        field or ``None`` is a blank cell. Columns follow :data:`FIELDS`.
    policy
        Text of ``policy.toml`` (see :func:`policy_toml`); not written when blank.
    encoding, lang, newline
        As for :func:`save_instance`.
    columns
        Per table, the columns to write (in :data:`FIELDS` order); default: all of them.

    Returns
    -------
    list of pathlib.Path
        The files written: the tables in the order given, then ``policy.toml``.

    Raises
    ------
    twinning.errors.InputValueError
        On a table name that is not one of :data:`FIELDS` (a ``ValueError``).
    """
    zh = {table: {v: k for k, v in HEADERS[table].items()} for table in HEADERS}
    files: dict[str, bytes] = {}
    for table, data in tables.items():
        if table not in FIELDS:
            said = msg("input.export.unknown_table", table=str(table), tables=list(FIELDS))
            raise InputValueError(
                [InputProblem(str(path), said, lang="zh" if lang == "zh" else "en")]
            )
        keep = None if columns is None or table not in columns else set(columns[table])
        cols = [c for c in FIELDS[table] if keep is None or c in keep]
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator=newline)
        writer.writerow([zh[table].get(c, c) if lang == "zh" else c for c in cols])
        for row in data:
            r = _zh_values(row) if lang == "zh" else row
            writer.writerow(["" if r.get(c) is None else r.get(c) for c in cols])
        files[f"{table}.csv"] = buf.getvalue().encode(encoding)
    if policy.strip():
        files["policy.toml"] = policy.encode("utf-8")
    return commit_folder(Path(path), files)


#: field -> {English value -> first Chinese alias}
_ZH_VALUES: dict[str, dict[str, str]] = {}
for _field, _aliases in ALIASES.items():
    for _zh, _en in _aliases.items():
        if _zh and not _zh.isascii():
            _ZH_VALUES.setdefault(_field, {}).setdefault(_en, _zh)


def _zh_values(row: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(row)
    for fld, values in _ZH_VALUES.items():
        value = out.get(fld)
        if isinstance(value, str):
            out[fld] = ";".join(values.get(v, v) for v in value.split(";"))
    for fld in ("can_lead", "title_track"):
        if isinstance(out.get(fld), bool):
            out[fld] = "是" if out[fld] else "否"
    return out


def _flat_policy(data: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for key, value in data.items():
        if value is None:
            continue
        if isinstance(value, dict) and prefix == "":
            out.extend(_flat_policy(value, f"{key}."))
        else:
            out.append((f"{prefix}{key}", value))
    return out
