"""The plan as an Excel workbook a planner reads, prints and forwards (``plan.xlsx``).

First a summary sheet (概况) in the planner's language: the status, the objective and
its gap, each part's status, method, figures and cost terms (a figure that is a mapping
laid out as labelled lines or a small table, never as its text), the balance evaluation,
every rule a closest plan misses with where and by how much, and the schools held below
their quota. Then the balance evaluation's resource part (均衡评估: the seven coefficients,
the schools failing the per-school test) when the summary has it. Then one sheet per CSV
table, with the same rows, headers and values in the same language, and a school's name
beside each school code. Each sheet has
its header row frozen and filtered, columns sized to their text, kilometres with one
decimal and shares as percentages; what a planner must act on is coloured (red: a rule
missed, a need the roster could have covered, a school below its quota; amber: a need no
move can reach, a school left unpaired, a balance figure above its threshold). Colours
are plain fills rather than conditional-format rules, which WPS and older Excel versions
render alike.

Why this module sits in :mod:`twinning.io`, below :mod:`twinning.plan`: ``Plan.to_excel``
and ``Plan.to_folder`` write the workbook, so it is built from what the plan files are made
of, the plan's tables (:func:`twinning.plan.plan_tables`) and the summary as the JSON
document ``summary.json`` holds, and imports nothing but :mod:`twinning.io` and the
message catalogue (:mod:`twinning.messages`: every word it writes is a code of it). The
same document read back from disk makes the same workbook. Every cell goes through
:func:`twinning.io.tabular.put_cell`, so that no text is ever stored as a formula.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from twinning.io.tabular import Cell, Table, put_cell, safe_cell
from twinning.messages import (
    CATALOGUE,
    Msg,
    as_msg,
    header,
    joined,
    kpi_label,
    render,
    say,
    value_word,
    word,
)

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

#: Characters a workbook may not hold (openpyxl's ``ILLEGAL_CHARACTERS_RE``, which
#: :func:`twinning.io.tabular.put_cell` strips).
ILLEGAL_CHARACTERS = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
#: A saved sheet's dimension element (openpyxl's, from the cells it wrote).
DIMENSION = re.compile(r'<dimension ref="[^"]*" />')

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

#: KPIs shown in sections of their own (the balance figures, the schools below their
#: quota) rather than as lines of figures.
OWN_SECTION = frozenset(
    {
        "quota_capped",
        "cv_backbone_per_100_before",
        "cv_backbone_per_100_after",
        "cv_thresholds",
    }
)

#: KPIs a sheet of their own lists in full (a line says which).
IN_SHEET: dict[str, str] = {"unmet_needs_by_school": "unmet_needs"}

#: KPIs keyed by school: a small table with each school's name.
SCHOOL_KEYED = frozenset({"visits_by_school", "below_by_school", "unmet_needs_by_school"})

#: KPI -> the fields whose words its keys are (``unpaired_by_reason``: a reason).
KEY_FIELDS: dict[str, tuple[str, ...]] = {
    "due_moved_by_direction": ("direction",),
    "unpaired_by_reason": ("reason",),
}

#: KPI -> the header of its key column when it is a small table (``by_subject``: 学科).
KEY_HEADS: dict[str, str] = {"by_subject": "workbook.subject"}

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

# ---- school names beside school codes -----------------------------------------------------

#: Columns that hold one school's code (or several, joined by ``;``).
SCHOOL_COLUMNS = (
    "helper",
    "helped",
    "school",
    "lead",
    "member",
    "from_school",
    "to_school",
    "home_school",
)

#: Tables whose ``name`` column is the school's name (elsewhere it is a person's).
SCHOOL_NAME_TABLES = frozenset({"unpaired", "hires", "unmet_lessons", "schools"})


def name_column(table: str, columns: Sequence[str], column: str) -> str | None:
    """The column that should hold the name of the school coded in ``column``
    (``from_school`` -> ``from_school_name``), or None when the table already holds it
    (``name`` of the school-name tables, ``school_name``) or ``column`` holds no school."""
    if column not in SCHOOL_COLUMNS:
        return None
    if column == "school" and table in SCHOOL_NAME_TABLES:
        return None
    own = f"{column}_name"
    return None if own in columns else own


def with_school_names(table: str, rows: Table, names: Mapping[str, str]) -> Table:
    """A table with a name column right after each school code column that lacks one
    (``roster``: ``from_school``, ``from_school_name``, ``to_school``,
    ``to_school_name``); cells holding several codes (``S1;S2``) get their names joined
    the same way. Without names (no instance) the table is returned as it is."""
    if not names:
        return rows
    added = {c: name_column(table, rows.columns, c) for c in rows.columns}
    columns: list[str] = []
    for c in rows.columns:
        columns.append(c)
        if added[c]:
            columns.append(added[c])  # type: ignore[arg-type]
    out = []
    for row in rows.rows:
        new = dict(row)
        for c, own in added.items():
            if own:
                codes = str(row.get(c) or "")
                new[own] = ";".join(names.get(s, "") for s in codes.split(";")) if codes else ""
        out.append(new)
    return Table(columns, out)


def cell_word(column: str, cell: object, lang: str) -> Cell:
    """A table cell in the planner's language: a message rendered, a word of the
    column's vocabulary said (教师, 下乡, 是), anything else as it is."""
    if isinstance(cell, Msg):
        return render(cell, lang)
    said = value_word(column, cell, lang)
    if said is None or isinstance(said, (str, int, float, bool)):
        return said
    return str(said)


# ---- the summary sheet as lines -----------------------------------------------------------


@dataclass
class Line:
    """One row of the summary sheet: its cells, how it looks, and number formats.

    ``style`` is ``title``, ``section``, ``subsection``, ``header``, ``bad``, ``warn`` or
    blank; ``cell_styles`` colours single cells (a figure above its threshold).
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
        School id -> name, beside every school the sheet names.

    Returns
    -------
    list of Line
        The title, the plan's status, a line per part, each part's figures (a figure that
        is a mapping as labelled lines or a small table, never as its text) and cost
        terms, the balance figures, the rules missed and the schools below their quota
        (the last two coloured red), in that order.
    """
    names = school_names or {}
    lines = [Line([say("workbook.title", lang, instance=summary.get("instance", ""))], "title")]
    lines.append(Line([word("workbook.plan", lang)], "section"))
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
            value = cell_word(key, summary[key], lang)
            style = "bad" if key == "closest" and summary[key] else ""
            lines.append(Line([word(f"field.{key}", lang), value], style, {1: fmt} if fmt else {}))

    parts: Mapping[str, Any] = summary.get("parts", {})
    columns = ["part", "status", "objective", "bound", "gap", "wall_time", "method", "message"]
    lines.append(Line([word("workbook.parts", lang)], "section"))
    lines.append(Line([word(f"field.{c}", lang) for c in columns], "header"))
    for name, part in parts.items():
        row: list[Cell] = [word(f"part.{name}", lang)]
        row += [cell_word(c, part.get(c), lang) for c in columns[1:]]
        bad = part.get("status") in ("infeasible", "unknown")
        lines.append(Line(row, "bad" if bad else "", {2: COUNT, 3: COUNT, 4: GAP, 5: SECONDS}))

    for name, part in parts.items():
        kpis = part.get("kpis") or {}
        if kpis:
            lines.append(Line([say("workbook.kpis", lang, part=name)], "section"))
            lines += _kpi_lines(name, kpis, lang, names)
        terms = part.get("terms") or {}
        if terms:
            lines.append(Line([say("workbook.terms", lang, part=name)], "section"))
            lines += [Line([term_label(name, t, lang), v]) for t, v in terms.items()]

    if summary.get("balance"):
        lines += _balance_lines(summary["balance"], lang)

    missed = summary.get("missed") or []
    if missed:
        lines.append(Line([word("workbook.missed", lang)], "section"))
        heads = ("workbook.rule", "workbook.where", "workbook.amount", "workbook.message")
        lines.append(
            Line([*(word(k, lang) for k in heads), word("workbook.rule_name", lang)], "header")
        )
        for v in missed:
            rule = str(v.get("rule", ""))
            where = joined([str(value_word("where", w, lang)) for w in v.get("where") or []], lang)
            said = [rule, where, v.get("amount"), _violation_text(v, lang)]
            lines.append(Line([*said, rule_name(rule, lang)], "bad"))

    capped = {
        school: cap
        for part in parts.values()
        for school, cap in ((part.get("kpis") or {}).get("quota_capped") or {}).items()
    }
    if capped:
        lines.append(Line([word("workbook.capped", lang)], "section"))
        capped_heads = ("school", "school_name", "by_rate", "can_move", "short", "why")
        lines.append(Line([word(f"workbook.{k}", lang) for k in capped_heads], "header"))
        for school, cap in capped.items():
            short = cap["by_rate"] - cap["can_move"]
            why = as_msg(cap.get("why"))  # (a summary of an earlier version has none)
            row = [school, names.get(school, ""), cap["by_rate"], cap["can_move"], short]
            row.append(render(why, lang) if why is not None else "")
            lines.append(Line(row, "bad"))
    return lines


def rule_name(rule: str, lang: str) -> str:
    """A rule's name in the planner's language (its policy key where it has none)."""
    code = f"rule.{rule}"
    return word(code, lang) if code in CATALOGUE else rule


def term_label(part: str, term: str, lang: str) -> str:
    """A cost term's label: the part's own (``term.itinerant.teachers``), the shared one,
    else the figure of that name's."""
    for code in (f"term.{part}.{term}", f"term.{term}"):
        if code in CATALOGUE:
            return word(code, lang)
    return kpi_label(part, term, lang)


def _violation_text(violation: Mapping[str, Any], lang: str) -> str:
    """What a missed rule's violation says (``summary.json`` holds its code and
    parameters; a summary of an earlier version, its English sentence)."""
    m = as_msg({"code": violation.get("code"), "params": violation.get("params") or {}})
    return render(m, lang) if m is not None else str(violation.get("message", ""))


def _kpi_lines(
    part: str, kpis: Mapping[str, Any], lang: str, names: Mapping[str, str]
) -> list[Line]:
    """A part's figures: one line each; a figure that is a mapping of plain values as a
    line per key (``moves_by_kind``: 交流·下乡), or as a small table when its keys are
    schools (with their names) or its values mappings themselves (``by_subject``); a list
    of records (the alliances) as a small table; beside a figure a rule asks for, what it
    asks (red when the figure falls short)."""
    asked = set(REQUIRED.values())
    out = [
        Line(
            [word(k, lang) for k in ("workbook.item", "workbook.value", "workbook.required")],
            "header",
        )
    ]
    tables: list[Line] = []
    for key, value in kpis.items():
        if key in OWN_SECTION or key in asked:
            continue
        label = kpi_label(part, key, lang)
        fmt = KPI_FORMATS.get(key, "")
        if key in IN_SHEET:
            out.append(Line([label, say("workbook.in_sheet", lang, table=IN_SHEET[key])]))
        elif isinstance(value, Sequence) and not isinstance(value, str):
            tables += _records(part, label, value, lang, names)
        elif isinstance(value, Mapping):
            if not value:
                out.append(Line([label, word("report.none", lang)]))
            elif _school_keyed(key, value, names) or any(
                isinstance(v, Mapping) for v in value.values()
            ):
                tables += _keyed_table(part, key, label, value, lang, names)
            else:
                for sub, v in value.items():
                    said = say("workbook.key", lang, kpi=label, key=_key_word(key, str(sub), lang))
                    out.append(Line([said, _cell(v)], formats={1: fmt} if fmt else {}))
        else:
            line = Line([label, _cell(value)], formats={1: fmt, 2: fmt} if fmt else {})
            if key in REQUIRED and REQUIRED[key] in kpis:
                required = kpis[REQUIRED[key]]
                line.cells.append(required)
                if isinstance(value, (int, float)) and value < required - 1e-9:
                    line.style = "bad"
            out.append(line)
    return out + tables


def _cell(value: object) -> Cell:
    """A plain figure as a cell (anything else as its text, which no figure is)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _school_keyed(key: str, value: Mapping[str, Any], names: Mapping[str, str]) -> bool:
    """Whether a figure's keys are schools (``visits_by_school``)."""
    return key in SCHOOL_KEYED or (bool(names) and all(k in names for k in value))


def _key_word(kpi: str, key: str, lang: str) -> str:
    """A key inside a figure that is a mapping, in the planner's language: a kind and
    direction (``exchange_out``: 交流·下乡), a direction, a preference's rank, a reason,
    a stage; a subject or a period as it is."""
    if kpi == "moves_by_kind":
        kind, _, direction = key.rpartition("_")
        return say("workbook.kind_direction", lang, kind=kind, direction=direction)
    if kpi == "preferences_by_rank":
        return (
            word("workbook.rank.none", lang)
            if key == "none"
            else say("workbook.rank", lang, rank=key)
        )
    for field_ in KEY_FIELDS.get(kpi, ("stage",)):
        said = value_word(field_, key, lang)
        if said != key:
            return str(said)
    return key


def _inner_label(part: str, key: str, lang: str) -> str:
    """A column of a small table: a figure's label where it is one, else the key itself
    (a period, a subject)."""
    if f"kpi.{part}.{key}" in CATALOGUE or f"kpi.{key}" in CATALOGUE:
        return kpi_label(part, key, lang)
    return key


def _keyed_table(
    part: str,
    key: str,
    label: str,
    value: Mapping[str, Any],
    lang: str,
    names: Mapping[str, str],
) -> list[Line]:
    """A figure keyed by school or subject as a small table: the key (and the school's
    name), then a column per inner key (``by_subject``: needed, covered, teachers;
    ``below_by_school``: a column per semester), or one column of the figure itself."""
    schools = _school_keyed(key, value, names)
    inner = list(dict.fromkeys(k for v in value.values() if isinstance(v, Mapping) for k in v))
    head: list[Cell] = [
        word("workbook.school" if schools else KEY_HEADS.get(key, "workbook.item"), lang)
    ]
    if schools:
        head.append(word("workbook.school_name", lang))
    head += (
        [_inner_label(part, k, lang) for k in inner] if inner else [word("workbook.value", lang)]
    )
    out = [Line([label], "subsection"), Line(head, "header")]
    for k, v in value.items():
        row: list[Cell] = [k if schools else _key_word(key, str(k), lang)]
        if schools:
            row.append(names.get(k, ""))
        if isinstance(v, Mapping):
            row += [_cell(v.get(i)) for i in inner]
        else:
            row.append(_cell(v))
        out.append(Line(row))
    return out


def _records(
    part: str, label: str, records: Sequence[Any], lang: str, names: Mapping[str, str]
) -> list[Line]:
    """A list of records (the alliances' figures) as a small table, a line per record,
    with the name of each school a record names."""
    columns = list(dict.fromkeys(c for r in records if isinstance(r, Mapping) for c in r))
    if not columns:
        return [Line([label, _cell(len(records))])]
    table = with_school_names("", Table(columns, [dict(r) for r in records]), names)
    heads: list[Cell] = [
        word("workbook.school_name", lang) if c.endswith("_name") else _inner_label(part, c, lang)
        for c in table.columns
    ]
    formats = {i: KPI_FORMATS[c] for i, c in enumerate(table.columns) if c in KPI_FORMATS}
    out = [Line([label], "subsection"), Line(heads, "header")]
    out += [
        Line([cell_word(c, r.get(c), lang) for c in table.columns], formats=formats)
        for r in table.rows
    ]
    return out


def _balance_lines(balance: Mapping[str, Any], lang: str) -> list[Line]:
    """The balance evaluation's indicators (学历, 骨干, 体育艺术) per stage, before the plan
    and in each period, against their thresholds (amber above)."""
    before: Mapping[str, Mapping[str, Any]] = balance.get("before") or {}
    after: Mapping[str, Mapping[str, Mapping[str, Any]]] = balance.get("after") or {}
    periods = list(after)
    out = [Line([word("workbook.balance", lang)], "section")]
    head: list[Cell] = [
        word("workbook.indicator", lang),
        word("workbook.stage", lang),
        word("workbook.before", lang),
        *periods,
        word("workbook.threshold", lang),
    ]
    out.append(Line(head, "header"))
    for ind, stages in before.items():
        for stage, figures in stages.items():
            values = [figures.get("cv")]
            values += [((after[p].get(ind) or {}).get(stage) or {}).get("cv") for p in periods]
            limit = figures.get("threshold")
            line = Line(
                [
                    word(f"report.indicator.{ind}", lang),
                    cell_word("stage", stage, lang),
                    *values,
                    limit,
                ],
                formats={i: CV for i in range(2, len(values) + 3)},
            )
            for i, v in enumerate(values, start=2):
                if v is not None and limit is not None and v > limit:
                    line.cell_styles[i] = "warn"
            out.append(line)
    return out


# ---- the verdict: the evaluation's resource part (均衡评估) ---------------------------------
#
# Built from ``summary.json``'s ``verdict`` (rules.evaluation.verdict, computed once) and
# ``balance.tests``: the console, this sheet and the report say it with these functions.

CV4 = "0.0000"


def moment_word(moment: str) -> Msg | str:
    """A moment as said: ``before`` in words, a period as its id."""
    return Msg(code="verdict.before") if moment == "before" else moment


def verdict_heads(verdict: Mapping[str, Any], lang: str) -> list[str]:
    """The verdict table's headers: indicator, stage, each moment, threshold."""
    moments = [render(moment_word(m), lang) for m in verdict.get("moments") or []]
    return [
        word("verdict.col.indicator", lang),
        word("verdict.col.stage", lang),
        *moments,
        word("verdict.col.threshold", lang),
    ]


def verdict_cell(row: Mapping[str, Any], moment: str, lang: str) -> str:
    """One coefficient as text, 4 decimals (``over`` when above its threshold)."""
    cv = (row.get("cv") or {}).get(moment)
    if cv is None:
        return word("verdict.cell_none", lang)
    over = (row.get("met") or {}).get(moment) is False
    return say("verdict.cell_over" if over else "verdict.cell", lang, cv=cv)


def verdict_messages(verdict: Mapping[str, Any]) -> list[Msg]:
    """The verdict's sentences: one per moment (met or not, the coefficients above their
    threshold, the schools failing the per-school test, undecided, fixed or newly failing),
    then the indicators lacking data and why."""
    out: list[Msg] = []
    for moment in verdict.get("moments") or []:
        at = (verdict.get("at") or {}).get(moment) or {}
        met = at.get("met")
        clauses: list[Msg] = [
            Msg(
                code="verdict.met"
                if met
                else "verdict.not_met"
                if met is False
                else "verdict.undecided"
            )
        ]
        if at.get("over"):
            clauses.append(Msg(code="verdict.over", params={"n": at["over"]}))
        clauses.append(
            Msg(
                code="verdict.failing",
                params={"n": at.get("failing", 0), "schools": at.get("schools", 0)},
            )
        )
        for key, code in (
            ("facilities_only", "verdict.facilities_only"),
            ("undecided", "verdict.school_undecided"),
            ("fixed", "verdict.fixed"),
            ("newly", "verdict.newly"),
        ):
            if at.get(key):
                clauses.append(Msg(code=code, params={"n": at[key]}))
        out.append(
            Msg(code="verdict.moment", params={"moment": moment_word(moment), "clauses": clauses})
        )
    lacking = list(verdict.get("lacking") or [])
    if lacking:
        out.append(Msg(code="verdict.partial", params={"lacking": lacking}))
        out += [Msg(code="verdict.why", params={"note": n}) for n in verdict.get("why") or []]
    return out


def failing_schools(balance: Mapping[str, Any], moment: str) -> list[Mapping[str, Any]]:
    """The schools failing the per-school test at a moment (``balance.tests``)."""
    return list(((balance.get("tests") or {}).get(moment) or {}).get("failing") or [])


def failing_message(test: Mapping[str, Any], names: Mapping[str, str]) -> Msg:
    """One failing school as a sentence: its misses (figure, standard, share), the
    indicators it lacks, whether only facilities can mend it."""
    misses: list[Msg] = [
        Msg(
            code="verdict.miss",
            params={k: m.get(k) for k in ("indicator", "value", "standard", "share")},
        )
        for m in test.get("misses") or []
    ]
    if test.get("unknown"):
        misses.append(Msg(code="verdict.unknown", params={"indicators": list(test["unknown"])}))
    if test.get("facilities_only"):
        misses.append(Msg(code="verdict.only_facilities"))
    school = str(test.get("school", ""))
    return Msg(
        code="verdict.school",
        params={
            "school": school,
            "name": names.get(school, ""),
            "stage": test.get("stage", ""),
            "misses": misses,
        },
    )


#: The failing schools' columns on the 均衡评估 sheet (a row per standard missed).
FAILING_COLUMNS = (
    "moment",
    "school",
    "school_name",
    "stage",
    "indicator",
    "value",
    "standard",
    "share",
    "facilities_only",
    "unknown",
)


def evaluation_lines(
    summary: Mapping[str, Any], lang: str, school_names: Mapping[str, str] | None = None
) -> list[Line]:
    """The 均衡评估 sheet: the seven coefficients per stage before the plan and in each
    period against the threshold (amber above), the verdict's sentences, then each school
    failing the per-school test at each moment, a row per standard it misses."""
    names = school_names or {}
    verdict: Mapping[str, Any] = summary.get("verdict") or {}
    balance: Mapping[str, Any] = summary.get("balance") or {}
    moments = list(verdict.get("moments") or [])
    out = [Line([word("verdict.title", lang)], "title")]
    out.append(Line(list(verdict_heads(verdict, lang)), "header"))
    for row in verdict.get("rows") or []:
        cvs = [(row.get("cv") or {}).get(m) for m in moments]
        line = Line(
            [
                str(value_word("indicator", row.get("indicator"), lang)),
                cell_word("stage", row.get("stage"), lang),
                *cvs,
                row.get("threshold"),
            ],
            formats={i: CV4 for i in range(2, len(cvs) + 2)} | {len(cvs) + 2: RATIO},
        )
        for i, m in enumerate(moments, start=2):
            if (row.get("met") or {}).get(m) is False:
                line.cell_styles[i] = "warn"
        out.append(line)
    for said in verdict_messages(verdict):
        bad = said.code == "verdict.moment" and said.params["clauses"][0].code == "verdict.not_met"
        out.append(Line([render(said, lang)], "bad" if bad else ""))
    out.append(Line([word("verdict.failing_title", lang)], "section"))
    out.append(Line([word(f"verdict.col.{c}", lang) for c in FAILING_COLUMNS], "header"))
    for moment in moments:
        for test in failing_schools(balance, moment):
            school = str(test.get("school", ""))
            head: list[Cell] = [
                render(moment_word(moment), lang),
                school,
                names.get(school, ""),
                cell_word("stage", test.get("stage"), lang),
            ]
            unknown = joined(
                [str(value_word("indicator", u, lang)) for u in test.get("unknown") or []], lang
            )
            only = word(f"value.bool.{str(bool(test.get('facilities_only'))).lower()}", lang)
            for m in test.get("misses") or [{}]:
                out.append(
                    Line(
                        [
                            *head,
                            str(value_word("indicator", m.get("indicator"), lang)) if m else "",
                            m.get("value"),
                            m.get("standard"),
                            m.get("share"),
                            only,
                            unknown,
                        ],
                        "bad",
                        {7: SHARE},
                    )
                )
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
        School id -> name: beside every school code of the summary sheet and of the
        tables (:func:`with_school_names`).

    Returns
    -------
    bytes
        The ``.xlsx`` file.
    """
    import openpyxl  # only Excel users pay for the import

    names = school_names or {}
    book = openpyxl.Workbook()
    book.remove(book.active)
    sheet = book.create_sheet(word("table.summary", lang))
    bodies = [_write_lines(sheet, summary_lines(summary, lang, names))]
    if summary.get("verdict"):
        sheet = book.create_sheet(word("table.evaluation", lang))
        bodies.append(_write_lines(sheet, evaluation_lines(summary, lang, names)))
    for name, table in tables.items():
        sheet = book.create_sheet(word(f"table.{name}", lang))
        bodies.append(_write_table(sheet, name, with_school_names(name, table, names), lang))
    buf = io.BytesIO()
    book.save(buf)
    # the sheets' paths are given as the workbook is saved
    return _with_rows(buf.getvalue(), {b.sheet.path.lstrip("/"): b for b in bodies})


def _row_style(table: str, row: Mapping[str, Cell]) -> str:
    """How a table row is coloured: a need some move could have covered is red, one no
    move can reach amber; a weak school left unpaired amber."""
    if table == "unmet_needs":
        return "bad" if row.get("reachable") else "warn"
    if table == "unpaired":
        return "warn"
    return ""


def _write_table(sheet: Worksheet, name: str, table: Table, lang: str) -> _Rows:
    """One table's sheet: header frozen and filtered, widths, formats and row colours.

    The header row, widths, pane and filter are openpyxl's; the rows below the header are
    returned as XML (:class:`_Rows`), which :func:`workbook_bytes` puts into the saved
    sheet: the same cells, types and styles openpyxl writes for
    :func:`twinning.io.tabular.put_cell`, without an openpyxl cell object per value (a
    city's tables hold millions of cells; openpyxl took most of the writing's time)."""
    from openpyxl.utils import get_column_letter

    heads = {c: header(c, lang, name) for c in table.columns}
    widths = [_width(heads[c]) for c in table.columns]
    for j, column in enumerate(table.columns, start=1):
        _style(put_cell(sheet, 1, j, heads[column]), "header")
    rows = _Rows(sheet)
    looks: dict[str, list[str]] = {}  # row style -> each column's style attribute
    seen: dict[Any, int] = {}  # a text's width, worked out once (names recur on every row)
    for i, row in enumerate(table.rows, start=2):
        style = _row_style(name, row)
        attrs = looks.get(style)
        if attrs is None:
            attrs = looks[style] = [
                rows.look(COLUMN_FORMATS.get(c, ""), style, c in WRAPPED) for c in table.columns
            ]
        values = [cell_word(column, row.get(column), lang) for column in table.columns]
        rows.add(i, values, attrs)
        for j, value in enumerate(values):
            if isinstance(value, str):
                width = seen.get(value)
                if width is None:
                    width = seen[value] = _width(value)
            else:
                width = _width(value)
            if width > widths[j]:
                widths[j] = width
    for j, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(j)].width = _clamp(width)
    sheet.freeze_panes = "A2"
    if table.columns:
        last = get_column_letter(len(table.columns))
        sheet.auto_filter.ref = f"A1:{last}{max(1, len(table.rows) + 1)}"
        rows.dimension = f"A1:{last}{len(table.rows) + 1}"
    return rows


class _Rows:
    """A sheet's rows as XML, cell by cell as openpyxl writes what
    :func:`twinning.io.tabular.put_cell` stores: text made safe and stripped of the
    characters a workbook may not hold, as an inline string; numbers as ``%.16g``;
    booleans as 1 and 0; an empty cell left out unless styled. A cell's look (number
    format, wrapping, colour) is registered with the workbook once per kind
    (:meth:`look`), as openpyxl registers a cell's own."""

    #: Where a cell is styled to register its look, then dropped (no sheet's cell).
    PROBE = (1_048_576, 16_384)

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.letters: list[str] = []
        self.looks: dict[tuple[str, str, bool], str] = {}
        self.xml: list[str] = []
        #: the sheet's dimension once its rows are in (openpyxl's, from its cells)
        self.dimension = ""

    def look(self, fmt: str, style: str, wrapped: bool = False) -> str:
        """The style attribute (``' s="N"'``, or none) of a cell with this number format,
        style (:func:`_style`) and wrapping, set in the order the cells were given them."""
        key = (fmt, style, wrapped)
        found = self.looks.get(key)
        if found is None:
            from openpyxl.styles import Alignment

            cell = self.sheet.cell(*self.PROBE)
            if fmt:
                cell.number_format = fmt
            if wrapped:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            if style:
                _style(cell, style)
            book = self.sheet.parent
            found = f' s="{book._cell_styles.add(cell._style)}"' if cell.has_style else ""
            del self.sheet._cells[self.PROBE]
            self.looks[key] = found
        return found

    def add(self, i: int, values: Sequence[Cell], attrs: Sequence[str]) -> None:
        """Row ``i``: its values, each cell's style attribute."""
        while len(self.letters) < len(values):
            from openpyxl.utils import get_column_letter

            self.letters.append(get_column_letter(len(self.letters) + 1))
        out = [f'<row r="{i}">']
        for letter, s, value in zip(self.letters, attrs, values, strict=False):
            out.append(_cell_xml(f"{letter}{i}", s, value))
        out.append("</row>")
        self.xml.append("".join(out))


def _cell_xml(ref: str, s: str, value: Cell) -> str:
    """One ``<c>`` element as openpyxl writes a cell :func:`put_cell` stored."""
    if isinstance(value, str):
        text = safe_cell(ILLEGAL_CHARACTERS.sub("", value))
        text = str(text)[:32767]
        if not text:
            return f'<c r="{ref}"{s} t="inlineStr" />'
        if "&" in text or "<" in text or ">" in text:
            escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        else:
            escaped = text
        stripped = text.strip()
        space = ' xml:space="preserve"' if stripped and stripped != text else ""
        return f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{escaped}</t></is></c>'
    if value is None:
        return f'<c r="{ref}"{s} t="n" />' if s else ""
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if not isinstance(value, int | float):  # a message: as put_cell writes it, its text
        return _cell_xml(ref, s, str(safe_cell(value)))
    if math.isfinite(value):
        return f'<c r="{ref}"{s} t="n"><v>{value:.16g}</v></c>'
    return f'<c r="{ref}"{s} t="n"><v /></c>'


def _with_rows(data: bytes, rows: Mapping[str, _Rows]) -> bytes:
    """The saved workbook with each sheet's rows written as XML put in after those
    openpyxl wrote (sheet path -> its rows), every other member as saved."""
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            body = rows.get(info.filename)
            if body is None or not body.xml:
                out.writestr(info, src.read(info))
                continue
            text = src.read(info).decode("utf-8")
            if "<sheetData />" in text:  # openpyxl wrote no cell of this sheet
                text = text.replace("<sheetData />", "<sheetData></sheetData>", 1)
            head, sep, tail = text.partition("</sheetData>")
            if not sep:
                raise ValueError(f"{info.filename}: no sheetData")
            head = DIMENSION.sub(f'<dimension ref="{body.dimension}" />', head, count=1)
            member = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            member.compress_type = zipfile.ZIP_DEFLATED
            with out.open(member, "w") as fh:
                fh.write(head.encode("utf-8"))
                for k in range(0, len(body.xml), 2000):
                    fh.write("".join(body.xml[k : k + 2000]).encode("utf-8"))
                fh.write((sep + tail).encode("utf-8"))
    return buf.getvalue()


def _write_lines(sheet: Worksheet, lines: Sequence[Line]) -> _Rows:
    """The summary sheet: its lines, the title row frozen, widths from the figures (titles
    and section headings may run over the columns beside them). The lines are returned as
    XML (:class:`_Rows`, as :func:`_write_table` returns a table's rows): the evaluation
    sheet of a county lists thousands of schools."""
    from openpyxl.utils import get_column_letter

    widths: dict[int, int] = {}
    rows = _Rows(sheet)
    last_row = columns = 0
    for i, line in enumerate(lines, start=1):
        if not line.cells:
            continue
        attrs = [
            rows.look(line.formats.get(j) or "", line.cell_styles.get(j) or line.style)
            for j in range(len(line.cells))
        ]
        rows.add(i, line.cells, attrs)
        last_row, columns = i, max(columns, len(line.cells))
        if line.style not in ("title", "section", "subsection"):
            for j, value in enumerate(line.cells, start=1):
                widths[j] = max(widths.get(j, 0), _width(value))
    if last_row:
        rows.dimension = f"A1:{get_column_letter(columns)}{last_row}"
    for j, width in widths.items():
        sheet.column_dimensions[get_column_letter(j)].width = _clamp(width)
    sheet.freeze_panes = "A2"
    return rows


def _style(cell: Any, style: str) -> None:
    """Bold titles, filled headers, red and amber for what needs the planner."""
    from openpyxl.styles import Font, PatternFill

    if style == "title":
        cell.font = Font(bold=True, size=14)
    elif style == "subsection":
        cell.font = Font(bold=True)
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
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _clamp(width: int) -> float:
    return float(min(MAX_WIDTH, max(MIN_WIDTH, width + 2)))
