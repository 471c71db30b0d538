"""Writing plans: ``plan.json``, CSV tables, ``summary.json`` and an Excel workbook.

Every file goes to a temporary name first and is moved into place only when all
of them are written, so a crash or Ctrl-C never leaves a half-written output.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from solver.county.instance import Instance
    from solver.plan import Plan

#: Chinese headers for ``--lang zh``.
ZH_HEADERS = {
    "helper": "帮扶学校",
    "helper_name": "帮扶学校名称",
    "helped": "受援学校",
    "helped_name": "受援学校名称",
    "distance_km": "距离(公里)",
    "complementarity": "互补度",
    "why": "帮扶依据",
    "fixed": "固定",
    "school": "学校代码",
    "name": "学校名称",
    "reason": "原因",
    "detail": "说明",
    "alliance": "联盟",
    "lead": "牵头学校",
    "lead_name": "牵头学校名称",
    "member": "成员学校",
    "member_name": "成员学校名称",
    "staff": "工号",
    "role": "岗位",
    "subject": "学科",
    "from_school": "派出学校",
    "to_school": "接收学校",
    "first_period": "起始学期",
    "periods": "学期数",
    "direction": "方向",
    "kind": "类型",
    "mentee": "徒弟工号",
    "out": "派出",
    "in": "接收",
    "net": "净变化",
    "period": "学期",
    "shortage": "缺口",
    "covered": "已补",
    "priority": "优先级",
}


def plan_tables(plan: Plan, inst: Instance | None = None) -> dict[str, list[dict[str, Any]]]:
    """The plan as rows per table (English field names)."""
    names = {s.id: s.name for s in inst.schools} if inst is not None else {}
    tables: dict[str, list[dict[str, Any]]] = {}
    if "pairs" in plan.parts:
        tables["pairs"] = [
            {
                "helper": p.helper,
                "helper_name": names.get(p.helper, ""),
                "helped": p.helped,
                "helped_name": names.get(p.helped, ""),
                "distance_km": p.distance_km,
                "complementarity": p.complementarity,
                "why": p.why,
                "fixed": p.fixed,
            }
            for p in plan.canonical().pairs
        ]
        tables["unpaired"] = [
            {
                "school": u.school,
                "name": names.get(u.school, ""),
                "reason": u.reason,
                "detail": u.detail,
            }
            for u in plan.canonical().unpaired
        ]
    if "alliances" in plan.parts:
        tables["alliances"] = [
            {
                "alliance": m.alliance,
                "lead": m.lead,
                "lead_name": names.get(m.lead, ""),
                "member": m.member,
                "member_name": names.get(m.member, ""),
                "distance_km": m.distance_km,
                "fixed": m.fixed,
            }
            for m in plan.canonical().alliances
        ]
    if "roster" in plan.parts:
        people = {t.id: t for t in inst.staff} if inst is not None else {}
        tables["roster"] = [
            {
                "staff": m.staff,
                "name": (people[m.staff].name or "") if m.staff in people else "",
                "role": m.role,
                "subject": m.subject or "",
                "from_school": m.from_school,
                "to_school": m.to_school,
                "first_period": m.first_period,
                "periods": m.periods,
                "direction": m.direction,
                "kind": m.kind,
                "mentee": m.mentee or "",
                "fixed": m.fixed,
            }
            for m in plan.canonical().roster
        ]
        tables["roster_schools"] = roster_by_school(plan)
        tables["unmet_needs"] = [u.model_dump() for u in plan.canonical().unmet_needs]
    return tables


def roster_by_school(plan: Plan) -> list[dict[str, Any]]:
    """Per school and subject: staff going out, coming in, and the net change."""
    out: dict[tuple[str, str], list[int]] = {}
    for m in plan.roster:
        if m.kind == "mentor":
            continue
        subject = m.subject or ""
        out.setdefault((m.from_school, subject), [0, 0])[0] += 1
        out.setdefault((m.to_school, subject), [0, 0])[1] += 1
    return [
        {"school": school, "subject": subject, "out": a, "in": b, "net": b - a}
        for (school, subject), (a, b) in sorted(out.items())
    ]


def mask_names(tables: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Replace personal names by stable pseudonyms (the same person, the same pseudonym)."""
    import hashlib

    masked = {}
    for table, rows in tables.items():
        new_rows = []
        for row in rows:
            if "staff" in row and "name" in row:
                digest = hashlib.sha256(str(row["staff"]).encode("utf-8")).hexdigest()[:8]
                row = {**row, "name": f"教师{digest}"}
            new_rows.append(row)
        masked[table] = new_rows
    return masked


_COLUMNS = {
    "pairs": [
        "helper",
        "helper_name",
        "helped",
        "helped_name",
        "distance_km",
        "complementarity",
        "why",
        "fixed",
    ],
    "unpaired": ["school", "name", "reason", "detail"],
    "alliances": ["alliance", "lead", "lead_name", "member", "member_name", "distance_km", "fixed"],
    "roster": [
        "staff",
        "name",
        "role",
        "subject",
        "from_school",
        "to_school",
        "first_period",
        "periods",
        "direction",
        "kind",
        "mentee",
        "fixed",
    ],
    "roster_schools": ["school", "subject", "out", "in", "net"],
    "unmet_needs": ["school", "subject", "period", "shortage", "covered", "priority"],
}


def _csv_text(table: str, rows: list[dict[str, Any]], lang: str) -> str:
    cols = _COLUMNS[table]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([ZH_HEADERS.get(c, c) if lang == "zh" else c for c in cols])
    for r in rows:
        writer.writerow([r[c] for c in cols])
    return buf.getvalue()


def write_plan(
    plan: Plan,
    out: Path,
    *,
    formats: tuple[str, ...] = ("json", "csv"),
    summary: dict[str, Any] | None = None,
    inst: Instance | None = None,
    lang: str = "en",
    masked: bool = False,
) -> list[Path]:
    """Write the plan into folder ``out`` atomically; returns the paths written.

    ``masked`` replaces staff names with stable pseudonyms in every table.
    """
    files: dict[str, bytes] = {"plan.json": plan.to_json().encode("utf-8")}
    if summary is not None:
        text = json.dumps(summary, ensure_ascii=False, sort_keys=True, indent=1) + "\n"
        files["summary.json"] = text.encode("utf-8")
    tables = plan_tables(plan, inst)
    if masked:
        tables = mask_names(tables)
    if "csv" in formats:
        for table, rows in tables.items():
            # UTF-8 with BOM so that Excel in China opens the Chinese text correctly.
            files[f"{table}.csv"] = _csv_text(table, rows, lang).encode("utf-8-sig")
    if "xlsx" in formats:
        files["plan.xlsx"] = _excel_bytes(tables, summary, lang)
    return _commit(out, files)


def write_excel(
    plan: Plan,
    path: Path,
    *,
    inst: Instance | None = None,
    lang: str = "en",
    summary: dict[str, Any] | None = None,
) -> Path:
    """Write the plan's tables as one workbook, atomically."""
    data = _excel_bytes(plan_tables(plan, inst), summary, lang)
    _atomic_write(path, data)
    return path


def _excel_bytes(
    tables: dict[str, list[dict[str, Any]]], summary: dict[str, Any] | None, lang: str
) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for table, rows in tables.items():
        sheet = book.create_sheet(table)
        cols = _COLUMNS[table]
        sheet.append([ZH_HEADERS.get(c, c) if lang == "zh" else c for c in cols])
        for r in rows:
            sheet.append([r[c] for c in cols])
    if summary is not None:
        sheet = book.create_sheet("summary")
        sheet.append(["key", "value"])
        for key, value in _flatten(summary):
            sheet.append(
                [
                    key,
                    value
                    if isinstance(value, (int, float, str)) or value is None
                    else json.dumps(value, ensure_ascii=False),
                ]
            )
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _flatten(data: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.extend(_flatten(value, name + "."))
        else:
            out.append((name, value))
    return out


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _commit(out: Path, files: dict[str, bytes]) -> list[Path]:
    """Write all files to a temporary folder beside ``out``, then move them in."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        for name, data in files.items():
            (staging / name).write_bytes(data)
        if not out.exists():
            os.replace(staging, out)
        else:
            for name in files:
                os.replace(staging / name, out / name)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return [out / name for name in files]


def write_rows_csv(path: Path, rows: list[dict[str, Any]], columns: list[str]) -> Path:
    """A plain table as CSV (UTF-8 with BOM for Excel), atomically."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for r in rows:
        writer.writerow(["" if r.get(c) is None else r.get(c) for c in columns])
    _atomic_write(Path(path), buf.getvalue().encode("utf-8-sig"))
    return Path(path)
