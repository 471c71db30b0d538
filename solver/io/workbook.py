"""The plan as an Excel workbook a planner reads, prints and forwards (``plan.xlsx``).

First a summary sheet (概况) in the planner's language: the status, the objective and
its gap, each part's status, figures and cost terms, every rule a closest plan misses
with where and by how much, and the schools held below their quota. Then one sheet per
CSV table, with the same rows, headers and values in the same language. Each sheet has
its header row frozen and filtered, columns sized to their text, kilometres with one
decimal and shares as percentages; what a planner must act on is coloured (red: a rule
missed, a need the roster could have covered, a school below its quota; amber: a need no
move can reach, a school left unpaired, a balance figure above its threshold). Colours
are plain fills rather than conditional-format rules, which WPS and older Excel versions
render alike.

Why this module sits in :mod:`twinning.io`, below :mod:`twinning.plan`: ``Plan.to_excel``
and ``Plan.to_folder`` write the workbook, so it is built from what the plan files are made
of, the plan's tables (:func:`twinning.plan.plan_tables`) and the summary as the JSON
document ``summary.json`` holds, and imports nothing but :mod:`twinning.io`. The same
document read back from disk makes the same workbook. Every cell goes through
:func:`twinning.io.tabular.put_cell`, so that no text is ever stored as a formula.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from twinning.io import labels
from twinning.io.tabular import Cell, Table, put_cell
from twinning.messages import header, value_word

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

# ---- number formats -----------------------------------------------------------------------

KM = "0.0"
SHARE = "0.0%"
GAP = "0.00%"
RATIO = "0.00"
CV = "0.000"
COUNT = "#,##0"
SECONDS = "0.00"

#: Table column -> number format (other columns: Excel's General).
COLUMN_FORMATS: dict[str, str] = {"distance_km": KM}

#: KPI -> number format. Shares are fractions in [0, 1] and shown as percentages; the
#: two-way figure is a ratio (learning stints per teacher moved out), not a share.
KPI_FORMATS: dict[str, str] = {
    "paired_share": SHARE,
    "rotation_rate": SHARE,
    "rotation_rate_required": SHARE,
    "backbone_share": SHARE,
    "backbone_share_required": SHARE,
    "needs_covered_share": SHARE,
    "two_way_ratio": RATIO,
    "two_way_ratio_required": RATIO,
    "mean_km": KM,
    "max_km": KM,
    "farthest_km": KM,
    "backbone_per_100_students": RATIO,
}

#: KPI -> the KPI holding what the rule asks of it (shown beside it, red when below).
REQUIRED: dict[str, str] = {
    "rotation_rate": "rotation_rate_required",
    "backbone_share": "backbone_share_required",
    "two_way_ratio": "two_way_ratio_required",
}

#: KPIs shown in sections of their own (or, for the per-school shortages, in their
#: sheet) rather than as lines of figures.
OWN_SECTION = frozenset(
    {
        "alliances",
        "quota_capped",
        "unmet_needs_by_school",
        "cv_backbone_per_100_before",
        "cv_backbone_per_100_after",
        "cv_thresholds",
    }
)

#: Columns whose text is long: wrapped, within the widest column.
WRAPPED = frozenset({"why", "detail", "reason", "message", "method"})
MIN_WIDTH, MAX_WIDTH = 6, 60

# ---- colours ------------------------------------------------------------------------------

#: style -> (fill, font colour): Excel's own "Bad" and "Neutral" cell styles, which
#: planners know from their own sheets.
COLOURS: dict[str, tuple[str, str]] = {
    "bad": ("FFC7CE", "9C0006"),
    "warn": ("FFEB9C", "9C5700"),
}
HEADER_FILL = "D9E1F2"
SECTION_FILL = "EDEDED"

#: The summary sheet's own words, English and Chinese.
WORDS: dict[str, tuple[str, str]] = {
    "title": ("Summary: {instance}", "概况: {instance}"),
    "plan": ("Plan", "方案"),
    "parts": ("Parts", "各部分"),
    "kpis": ("{part}: figures", "{part}: 指标"),
    "terms": ("{part}: cost terms (before weighting)", "{part}: 目标分项(加权前)"),
    "cv": (
        "Coefficient of variation of backbone teachers per 100 students (优质均衡)",
        "每百名学生县级以上骨干教师数的差异系数(优质均衡)",
    ),
    "missed": ("Rules missed: the plan comes closest", "未满足的规则(本方案为最接近的方案)"),
    "capped": (
        "Schools below their rotation.rate quota (accepted by rotation.cap_quota)",
        "低于交流名额的学校(rotation.cap_quota 允许)",
    ),
    "item": ("item", "项目"),
    "value": ("value", "数值"),
    "required": ("required", "要求"),
    "rule": ("rule", "规则"),
    "where": ("where", "涉及"),
    "amount": ("by how much", "差额"),
    "message": ("what", "说明"),
    "school": ("school", "学校代码"),
    "school_name": ("name", "学校名称"),
    "by_rate": ("quota by the rate", "按比例应交流"),
    "can_move": ("moves", "实际交流"),
    "short": ("short by", "差额"),
    "stage": ("stage", "学段"),
    "before": ("before", "交流前"),
    "threshold": ("threshold", "标准"),
}


def word(key: str, lang: str, **values: object) -> str:
    """One of the summary sheet's words in the planner's language."""
    en, zh = WORDS[key]
    return (zh if lang == "zh" else en).format(**values)


# ---- the summary sheet as lines -----------------------------------------------------------


@dataclass
class Line:
    """One row of the summary sheet: its cells, how it looks, and number formats.

    ``style`` is ``title``, ``section``, ``header``, ``bad``, ``warn`` or blank;
    ``cell_styles`` colours single cells (a figure above its threshold).
    """

    cells: list[Cell]
    style: str = ""
    formats: dict[int, str] = field(default_factory=dict)
    cell_styles: dict[int, str] = field(default_factory=dict)


def summary_lines(
    summary: Mapping[str, Any], lang: str, school_names: Mapping[str, str] | None = None
) -> list[Line]:
    """The summary sheet, line by line, from the ``summary.json`` document.

    Parameters
    ----------
    summary
        The document ``summary.json`` holds (:class:`twinning.result.Summary` as JSON), or
        the part of it a plan alone knows (instance, status, objective, parts' costs).
    lang
        ``"en"`` or ``"zh"``: labels, values and section titles.
    school_names
        School id -> name, for the schools below their quota.

    Returns
    -------
    list of Line
        The title, the plan's status, a line per part, each part's figures and cost
        terms, the balance figures, the rules missed and the schools below their quota
        (the last two coloured red), in that order.
    """
    names = school_names or {}
    say = labels.summary_label
    lines = [Line([word("title", lang, instance=summary.get("instance", ""))], "title")]
    lines.append(Line([word("plan", lang)], "section"))
    for key, fmt in (
        ("status", ""),
        ("objective", COUNT),
        ("bound", COUNT),
        ("gap", GAP),
        ("wall_time", SECONDS),
        ("interrupted", ""),
        ("closest", ""),
    ):
        if key in summary:
            value = labels.value(key, summary[key], lang)
            style = "bad" if key == "closest" and summary[key] else ""
            lines.append(Line([say(key, lang), _cell(value)], style, {1: fmt} if fmt else {}))

    parts: Mapping[str, Any] = summary.get("parts", {})
    columns = ["part", "status", "objective", "bound", "gap", "wall_time", "method", "message"]
    lines.append(Line([word("parts", lang)], "section"))
    lines.append(Line([say(c, lang) for c in columns], "header"))
    for name, part in parts.items():
        row: list[Cell] = [labels.part_name(name, lang)]
        row += [_cell(labels.value(c, part.get(c), lang)) for c in columns[1:]]
        bad = part.get("status") in ("infeasible", "unknown")
        lines.append(Line(row, "bad" if bad else "", {2: COUNT, 3: COUNT, 4: GAP, 5: SECONDS}))

    for name, part in parts.items():
        kpis = part.get("kpis") or {}
        if kpis:
            lines.append(Line([word("kpis", lang, part=labels.part_name(name, lang))], "section"))
            lines += _kpi_lines(kpis, lang)
            if kpis.get("alliances"):
                lines += _alliance_lines(kpis["alliances"], lang)
            if kpis.get("cv_backbone_per_100_before") is not None:
                lines += _cv_lines(kpis, lang)
        terms = part.get("terms") or {}
        if terms:
            lines.append(Line([word("terms", lang, part=labels.part_name(name, lang))], "section"))
            lines += [Line([say(t, lang), v]) for t, v in terms.items()]

    missed = summary.get("missed") or []
    if missed:
        lines.append(Line([word("missed", lang)], "section"))
        lines.append(
            Line([word(k, lang) for k in ("rule", "where", "amount", "message")], "header")
        )
        lines += [
            Line([v.get("rule"), ", ".join(v.get("where", [])), v.get("amount"), v.get("message")])
            for v in missed
        ]
        for line in lines[-len(missed) :]:
            line.style = "bad"

    capped = {
        school: cap
        for part in parts.values()
        for school, cap in ((part.get("kpis") or {}).get("quota_capped") or {}).items()
    }
    if capped:
        lines.append(Line([word("capped", lang)], "section"))
        lines.append(
            Line(
                [word(k, lang) for k in ("school", "school_name", "by_rate", "can_move", "short")],
                "header",
            )
        )
        for school, cap in capped.items():
            short = cap["by_rate"] - cap["can_move"]
            row = [school, names.get(school, ""), cap["by_rate"], cap["can_move"], short]
            lines.append(Line(row, "bad"))
    return lines


def _cell(value: object) -> Cell:
    """A summary value as a cell: plain values as they are, anything else as text."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _kpi_lines(kpis: Mapping[str, Any], lang: str) -> list[Line]:
    """A part's figures: one line each, a line per key of a figure that is a mapping,
    and beside a figure a rule asks for, what it asks (red when the figure falls short)."""
    asked = set(REQUIRED.values())
    out = [Line([word(k, lang) for k in ("item", "value", "required")], "header")]
    for key, value in kpis.items():
        if key in OWN_SECTION or key in asked:
            continue
        label = labels.summary_label(key, lang)
        fmt = KPI_FORMATS.get(key, "")
        if isinstance(value, Mapping):
            for sub, v in value.items():
                name = f"{label}: {labels.kpi_key(key, str(sub), lang)}"
                out.append(Line([name, _cell(v)], formats={1: fmt} if fmt else {}))
            continue
        line = Line([label, _cell(value)], formats={1: fmt, 2: fmt} if fmt else {})
        if key in REQUIRED and REQUIRED[key] in kpis:
            required = kpis[REQUIRED[key]]
            line.cells.append(required)
            if isinstance(value, (int, float)) and value < required - 1e-9:
                line.style = "bad"
        out.append(line)
    return out


def _alliance_lines(alliances: Sequence[Mapping[str, Any]], lang: str) -> list[Line]:
    """The alliances' figures as a small table, a line per alliance."""
    columns = list(alliances[0])
    out = [Line([labels.summary_label(c, lang) for c in columns], "header")]
    formats = {i: KPI_FORMATS[c] for i, c in enumerate(columns) if c in KPI_FORMATS}
    out += [Line([_cell(a.get(c)) for c in columns], formats=formats) for a in alliances]
    return out


def _cv_lines(kpis: Mapping[str, Any], lang: str) -> list[Line]:
    """The balance figure per stage, before the roster and in each period, against the
    threshold of 优质均衡 (amber above it)."""
    before: Mapping[str, float | None] = kpis.get("cv_backbone_per_100_before") or {}
    after: Mapping[str, Mapping[str, float | None]] = kpis.get("cv_backbone_per_100_after") or {}
    limits: Mapping[str, float] = kpis.get("cv_thresholds") or {}
    periods = list(after)
    out = [Line([word("cv", lang)], "section")]
    head: list[Cell] = [word("stage", lang), word("before", lang), *periods]
    out.append(Line([*head, word("threshold", lang)], "header"))
    for stage in sorted(set(before) | set(limits)):
        values = [before.get(stage), *(after[p].get(stage) for p in periods)]
        limit = limits.get(stage)
        line = Line(
            [labels.kpi_key("cv", stage, lang), *values, limit],
            formats={i: CV for i in range(1, len(values) + 2)},
        )
        for i, v in enumerate(values, start=1):
            if v is not None and limit is not None and v > limit:
                line.cell_styles[i] = "warn"
        out.append(line)
    return out


# ---- the workbook -------------------------------------------------------------------------


def workbook_bytes(
    tables: Mapping[str, Table],
    *,
    summary: Mapping[str, Any],
    lang: str = "en",
    school_names: Mapping[str, str] | None = None,
) -> bytes:
    """The plan's workbook: the summary sheet, then a sheet per table.

    Parameters
    ----------
    tables
        The plan's tables with English field names and values
        (:func:`twinning.plan.plan_tables`, masked if asked); they are said in ``lang`` here.
    summary
        The ``summary.json`` document (see :func:`summary_lines`).
    lang
        ``"en"`` or ``"zh"``: sheet names, headers and values.
    school_names
        School id -> name, for the summary sheet.

    Returns
    -------
    bytes
        The ``.xlsx`` file.
    """
    import openpyxl  # only Excel users pay for the import

    book = openpyxl.Workbook()
    book.remove(book.active)
    sheet = book.create_sheet(labels.table_name("summary", lang))
    _write_lines(sheet, summary_lines(summary, lang, school_names))
    for name, table in tables.items():
        _write_table(book.create_sheet(labels.table_name(name, lang)), name, table, lang)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _row_style(table: str, row: Mapping[str, Cell]) -> str:
    """How a table row is coloured: a need some move could have covered is red, one no
    move can reach amber; a weak school left unpaired amber."""
    if table == "unmet_needs":
        return "bad" if row.get("reachable") else "warn"
    if table == "unpaired":
        return "warn"
    return ""


def _write_table(sheet: Worksheet, name: str, table: Table, lang: str) -> None:
    """One table's sheet: header frozen and filtered, widths, formats and row colours."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    said = Table(
        list(table.columns),
        [{c: value_word(c, r.get(c), lang) for c in table.columns} for r in table.rows],
    )
    heads = {c: header(c, lang, name) for c in table.columns}
    widths = [_width(heads[c]) for c in table.columns]
    for j, column in enumerate(table.columns, start=1):
        _style(put_cell(sheet, 1, j, heads[column]), "header")
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, (raw, row) in enumerate(zip(table.rows, said.rows, strict=True), start=2):
        style = _row_style(name, raw)
        for j, column in enumerate(table.columns, start=1):
            value = row.get(column)
            cell = put_cell(sheet, i, j, value)
            if column in COLUMN_FORMATS:
                cell.number_format = COLUMN_FORMATS[column]
            if column in WRAPPED:
                cell.alignment = wrap
            if style:
                _style(cell, style)
            widths[j - 1] = max(widths[j - 1], _width(value))
    for j, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(j)].width = _clamp(width)
    sheet.freeze_panes = "A2"
    if table.columns:
        last = get_column_letter(len(table.columns))
        sheet.auto_filter.ref = f"A1:{last}{max(1, len(table.rows) + 1)}"


def _write_lines(sheet: Worksheet, lines: Sequence[Line]) -> None:
    """The summary sheet: its lines, the title row frozen, widths from the figures (titles
    and section headings may run over the columns beside them)."""
    from openpyxl.utils import get_column_letter

    widths: dict[int, int] = {}
    for i, line in enumerate(lines, start=1):
        for j, value in enumerate(line.cells, start=1):
            cell = put_cell(sheet, i, j, value)
            if (j - 1) in line.formats and line.formats[j - 1]:
                cell.number_format = line.formats[j - 1]
            style = line.cell_styles.get(j - 1) or line.style
            if style:
                _style(cell, style)
            if line.style not in ("title", "section"):
                widths[j] = max(widths.get(j, 0), _width(value))
    for j, width in widths.items():
        sheet.column_dimensions[get_column_letter(j)].width = _clamp(width)
    sheet.freeze_panes = "A2"


def _style(cell: Any, style: str) -> None:
    """Bold titles, filled headers, red and amber for what needs the planner."""
    from openpyxl.styles import Font, PatternFill

    if style == "title":
        cell.font = Font(bold=True, size=14)
    elif style == "section":
        cell.font = Font(bold=True, size=12)
        cell.fill = PatternFill("solid", fgColor=SECTION_FILL)
    elif style == "header":
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
    elif style in COLOURS:
        fill, font = COLOURS[style]
        cell.fill = PatternFill("solid", fgColor=fill)
        cell.font = Font(color=font)


def _width(value: object) -> int:
    """Columns a value takes on screen: Chinese characters take two."""
    if value is None:
        return 0
    text = f"{value:.3f}" if isinstance(value, float) else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _clamp(width: int) -> float:
    return float(min(MAX_WIDTH, max(MIN_WIDTH, width + 2)))
