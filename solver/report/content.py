"""What the HTML report shows, gathered as plain data before any of it is laid out.

The report is made in two steps: this module reads the instance, the plan, the optional
summary and the checker's report into typed, JSON-ready figures (tested without a
browser); :mod:`twinning.report.html` lays them out. Every figure a bureau reads is counted
from the plan itself or recounted by the checker, never taken on the solver's word alone:
the checker is the specification, so the page agrees with ``twinning validate``.
"""

from __future__ import annotations

import inspect
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from twinning.check.alliances import ALLIANCE_CHECKS
from twinning.check.headship import HEADSHIP_CHECKS
from twinning.check.hires import HIRE_CHECKS
from twinning.check.itinerant import ITINERANT_CHECKS
from twinning.check.mentors import MENTOR_CHECKS
from twinning.check.outreach import OUTREACH_CHECKS
from twinning.check.pairs import PAIR_CHECKS
from twinning.check.report import ValidationReport, Violation
from twinning.check.roster import ROSTER_CHECKS
from twinning.county.instance import Instance
from twinning.county.needs import school_needs
from twinning.io import labels
from twinning.io.tabular import Cell, Table, mask_names
from twinning.plan import Plan, plan_tables
from twinning.report.layers import (
    alliance_shapes,
    flows,
    school_points,
    stage_word,
)
from twinning.result import RosterKpis, Summary
from twinning.rules.roster import shortage_table

#: Coefficient-of-variation thresholds of 优质均衡 evaluation (教督〔2017〕6号), used when no
#: summary brings the solver's own (the same figures as ``RosterKpis.cv_thresholds``).
BALANCE_THRESHOLDS: dict[str, float] = {"primary": 0.50, "junior": 0.45}

#: Columns that hold a school id: the tables link them to the school's panel.
SCHOOL_COLUMNS = frozenset(
    {"helper", "helped", "school", "lead", "member", "from_school", "to_school"}
)

#: The tables shown, in order (plan tables, and one of every school).
TABLE_ORDER: tuple[str, ...] = (
    "schools",
    "pairs",
    "unpaired",
    "alliances",
    "roster",
    "principals",
    "unmet_needs",
    "hires",
    "roster_schools",
    "circuits",
    "unmet_lessons",
    "outreach",
    "outreach_schools",
)

#: The checks that speak for each part, as :func:`twinning.validation.validate` runs them.
PART_CHECKS: dict[str, tuple[Callable[..., list[Violation]], ...]] = {
    "pairs": PAIR_CHECKS,
    "alliances": ALLIANCE_CHECKS,
    "roster": (*ROSTER_CHECKS, *HEADSHIP_CHECKS, *MENTOR_CHECKS, *HIRE_CHECKS),
    "itinerant": ITINERANT_CHECKS,
    "outreach": OUTREACH_CHECKS,
}

RuleState = Literal["met", "missed", "priced"]


# ---- typed figures ----------------------------------------------------------------------


@dataclass(frozen=True)
class RuleRow:
    """One rule of the policy: kept or missed, where and by how much."""

    part: str
    rule: str
    name: str
    description: str
    state: RuleState
    violations: int = 0
    amount: float | None = None
    where: tuple[str, ...] = ()
    message: str = ""


@dataclass(frozen=True)
class Kpi:
    """A headline figure, with the value a rule requires when there is one."""

    key: str
    value: float | None
    required: float | None = None
    kind: Literal["share", "ratio", "count", "km"] = "count"
    accepted_below: bool = False  # the policy accepts less (rotation.cap_quota)

    @property
    def met(self) -> bool | None:
        """Whether the figure reaches its requirement (``None``: nothing is required)."""
        if self.required is None or self.value is None:
            return None
        return self.value + 1e-9 >= self.required


@dataclass(frozen=True)
class Balance:
    """Coefficients of variation per stage, before the roster and in each period."""

    before: dict[str, float | None]
    after: dict[str, dict[str, float | None]]
    thresholds: dict[str, float]
    source: Literal["summary", "checker"]


@dataclass(frozen=True)
class NeedsGroup:
    """Shortages of one kind of school (an area or a tier), in teacher-periods."""

    dimension: Literal["area", "tier"]
    value: str
    total: int
    covered: int
    unreachable: int

    @property
    def uncovered_reachable(self) -> int:
        """Shortages left that some allowed move could still fill."""
        return self.total - self.covered - self.unreachable


@dataclass(frozen=True)
class ReportTable:
    """A table as the page shows it: labelled columns, display rows, sortable types."""

    id: str
    title: str
    columns: list[dict[str, str]]
    rows: list[list[Cell]]


@dataclass
class ReportContent:
    """Everything the page shows, in the page's language."""

    lang: str
    instance: str
    plan: Plan
    summary: Summary | None
    masked: bool
    rules: list[RuleRow]
    kpis: dict[str, list[Kpi]]
    balance: Balance | None
    needs_by_type: list[NeedsGroup]
    moves_by_kind: dict[str, int]
    tables: list[ReportTable]
    schools: list[dict[str, Any]]
    pairs: list[dict[str, Any]]
    alliances: list[dict[str, Any]]
    flows: list[dict[str, Any]]
    needs: dict[str, list[list[Cell]]]
    notes: dict[str, list[str]] = field(default_factory=dict)
    #: the other staffing indicators (qualified, PE and arts), as the backbone one
    indicators: dict[str, Balance] = field(default_factory=dict)

    def data(self) -> dict[str, Any]:
        """The JSON the page's script reads: map layers, tables and the school panels."""
        return {
            "lang": self.lang,
            "instance": self.instance,
            "schools": self.schools,
            "pairs": self.pairs,
            "alliances": self.alliances,
            "flows": self.flows,
            "tables": [
                {"id": t.id, "title": t.title, "columns": t.columns, "rows": t.rows}
                for t in self.tables
            ],
            "needs": self.needs,
            "notes": self.notes,
            # The displayed values the script compares with (tables hold display values).
            "values": {
                "mentor": _display("kind", "mentor", self.lang),
                "no": _display("reachable", False, self.lang),
            },
        }


# ---- building it ------------------------------------------------------------------------


def report_language(inst: Instance, lang: str | None) -> str:
    """The page's language: as asked, else the language of the planner's own files."""
    if lang is not None:
        if lang not in ("en", "zh"):
            raise ValueError(f"lang: use en or zh, not {lang!r}")
        return lang
    return inst.lang


def build_content(
    inst: Instance,
    plan: Plan,
    checked: ValidationReport,
    *,
    summary: Summary | None = None,
    lang: str = "en",
    masked: bool = False,
) -> ReportContent:
    """Gather the report's figures from the instance, the plan, its summary and its check.

    Parameters
    ----------
    inst
        The instance the plan was made for.
    plan
        The plan (any plan: solved, read from disk or written by hand).
    checked
        ``validate(inst, plan)``: rules met or missed, and the recounted KPIs.
    summary
        ``summary.json`` of the solve, when there is one: its balance figures are the
        solver's, and a quota held below by ``rotation.cap_quota`` is listed from it.
    lang
        "zh" or "en": tables, values, rule names.
    masked
        Replace staff names by stable pseudonyms (:func:`twinning.io.tabular.pseudonym`).
    """
    plan = plan.canonical()
    roster_kpis = _roster_kpis(summary)
    return ReportContent(
        lang=lang,
        instance=plan.instance,
        plan=plan,
        summary=summary,
        masked=masked,
        rules=rule_rows(plan, checked.violations, roster_kpis, lang),
        kpis=headline_kpis(inst, plan, checked, summary),
        balance=balance(checked, roster_kpis) if "roster" in plan.parts else None,
        needs_by_type=needs_by_type(inst, plan) if "roster" in plan.parts else [],
        moves_by_kind=dict(sorted(Counter(m.kind for m in plan.roster).items())),
        tables=report_tables(inst, plan, lang, masked),
        schools=school_points(inst, plan, lang),
        pairs=[{"helper": p.helper, "helped": p.helped, "km": p.distance_km} for p in plan.pairs],
        alliances=alliance_shapes(inst, plan),
        flows=flows(plan, lang),
        needs=needs_by_school(inst),
        notes=school_notes(plan, lang),
        indicators=other_indicators(summary, checked) if "roster" in plan.parts else {},
    )


def _roster_kpis(summary: Summary | None) -> RosterKpis | None:
    part = summary.parts.get("roster") if summary is not None else None
    kpis = getattr(part, "kpis", None)
    return kpis if isinstance(kpis, RosterKpis) else None


# ---- rules met or missed ----------------------------------------------------------------


def rule_keys(check: Callable[..., Any]) -> list[str]:
    """The rule keys a check names in brackets at the start of its docstring."""
    m = re.match(r"\[([^\]]+)\]", inspect.getdoc(check) or "")
    return [k.strip() for k in m.group(1).split(",")] if m else []


def rule_description(check: Callable[..., Any]) -> str:
    """What a rule asks, in the checker's words: its docstring's first paragraph."""
    doc = inspect.getdoc(check) or ""
    first = doc.split("\n\n")[0]
    text = re.sub(r"^\[[^\]]+\]\s*", "", " ".join(first.split()))
    return text.replace("``", "")


def rule_rows(
    plan: Plan,
    violations: Sequence[Violation],
    roster_kpis: RosterKpis | None,
    lang: str,
) -> list[RuleRow]:
    """Every rule the checker applies to the plan's parts, met or missed, in the checker's
    order; then any other rule a violation names (the plan's own figures)."""
    by_rule: dict[str, list[Violation]] = defaultdict(list)
    for v in violations:
        by_rule[v.rule].append(v)
    rows: list[RuleRow] = []
    seen: set[str] = set()
    for part, checks in PART_CHECKS.items():
        if part not in plan.parts:
            continue
        for check in checks:
            for key in rule_keys(check):
                if key in seen or key.startswith("plan."):
                    continue
                seen.add(key)
                rows.append(_rule_row(part, key, rule_description(check), by_rule[key], lang))
        if part == "roster" and roster_kpis is not None and roster_kpis.quota_capped:
            capped = roster_kpis.quota_capped
            what = (
                "Schools moving fewer than their quota by rotation.rate, accepted by the "
                "policy and priced in the objective."
            )
            said = "{s}: 交流 {n} 人, 名额 {q} 人" if lang == "zh" else "{s} moves {n} of {q}"
            rows.append(
                RuleRow(
                    part="roster",
                    rule="rotation.cap_quota",
                    name=labels.rule_name("rotation.cap_quota", lang) if lang == "zh" else what,
                    description=what,
                    state="priced",
                    violations=len(capped),
                    amount=float(sum(c.by_rate - c.can_move for c in capped.values())),
                    where=tuple(sorted(capped)),
                    message="; ".join(
                        said.format(s=s, n=c.can_move, q=c.by_rate)
                        for s, c in sorted(capped.items())
                    ),
                )
            )
    for key in sorted(by_rule.keys() - seen):
        rows.append(_rule_row("plan", key, "", by_rule[key], lang))
    return rows


def _rule_row(part: str, key: str, description: str, found: list[Violation], lang: str) -> RuleRow:
    amounts = [v.amount for v in found if v.amount is not None]
    where = dict.fromkeys(w for v in found for w in v.where)  # in order, once each
    return RuleRow(
        part=part,
        rule=key,
        name=labels.rule_name(key, lang) if lang == "zh" else (description or key),
        description=description,
        state="missed" if found else "met",
        violations=len(found),
        amount=round(sum(amounts), 4) if amounts else None,
        where=tuple(where),
        message=found[0].message if found else "",
    )


# ---- headline figures -------------------------------------------------------------------


def headline_kpis(
    inst: Instance, plan: Plan, checked: ValidationReport, summary: Summary | None
) -> dict[str, list[Kpi]]:
    """Per part, the figures a bureau looks at first, counted from the plan; the roster's
    rates are the checker's recount, against the policy's requirements."""
    out: dict[str, list[Kpi]] = {}
    schools = {s.id: s for s in inst.schools}
    if "pairs" in plan.parts:
        weak = sum(1 for s in inst.schools if s.tier == "weak")
        km = [p.distance_km for p in plan.pairs]
        out["pairs"] = [
            Kpi("paired_share", len(plan.pairs) / weak if weak else None, None, "share"),
            Kpi("mean_km", round(sum(km) / len(km), 1) if km else None, None, "km"),
        ]
    if "alliances" in plan.parts:
        out["alliances"] = [
            Kpi("alliance_count", float(len({m.alliance for m in plan.alliances}))),
            Kpi(
                "farthest_km",
                max((m.distance_km for m in plan.alliances), default=None),
                None,
                "km",
            ),
        ]
    if "roster" in plan.parts:
        rotation = inst.policy.rotation
        recount = checked.kpis.get("roster")
        kinds = Counter(m.kind for m in plan.roster)
        out["roster"] = [
            Kpi(
                "rotation_rate",
                recount.rotation_rate if recount else None,
                rotation.rate,
                "share",
                accepted_below=rotation.cap_quota,
            ),
            Kpi(
                "backbone_share",
                recount.backbone_share if recount else None,
                rotation.backbone_share,
                "share",
            ),
            Kpi(
                "two_way_ratio",
                recount.two_way_ratio if recount else None,
                rotation.two_way_share if rotation.two_way else None,
                "ratio",
            ),
            Kpi(
                "needs_covered_share",
                recount.needs_covered_share if recount else None,
                None,
                "share",
            ),
            Kpi("moves", float(sum(n for k, n in kinds.items() if k != "mentor"))),
            Kpi("mentor_pairs", float(kinds.get("mentor", 0))),
            Kpi("hires", float(sum(h.count for h in plan.hires if h.school in schools))),
        ]
    return out


def balance(checked: ValidationReport, roster_kpis: RosterKpis | None) -> Balance | None:
    """The balance coefficients: the summary's when a solve wrote one, else the checker's."""
    if roster_kpis is not None:
        return Balance(
            before=dict(roster_kpis.cv_backbone_per_100_before),
            after={p: dict(v) for p, v in roster_kpis.cv_backbone_per_100_after.items()},
            thresholds=dict(roster_kpis.cv_thresholds or BALANCE_THRESHOLDS),
            source="summary",
        )
    recount = checked.kpis.get("roster")
    if recount is None:
        return None
    return Balance(
        before=dict(recount.cv_backbone_per_100_before),
        after={p: dict(v) for p, v in recount.cv_backbone_per_100_after.items()},
        thresholds=dict(BALANCE_THRESHOLDS),
        source="checker",
    )


def other_indicators(summary: Summary | None, checked: ValidationReport) -> dict[str, Balance]:
    """The qualified and PE-and-arts coefficients (rules/balance.py): the summary's when a
    solve wrote them, else the checker's; indicators not computable are left out."""
    figures = summary.balance if summary is not None and summary.balance else checked.balance
    if figures is None:
        return {}
    source: Literal["summary", "checker"] = (
        "summary" if summary is not None and summary.balance else "checker"
    )
    out = {}
    for ind in ("qualified", "pe_arts"):
        before = {st: f.cv for st, f in figures.before[ind].items()}
        if all(v is None for v in before.values()):
            continue
        out[ind] = Balance(
            before=before,
            after={
                p: {st: f.cv for st, f in by_ind[ind].items()}
                for p, by_ind in figures.after.items()
            },
            thresholds={st: f.threshold for st, f in figures.before[ind].items()},
            source=source,
        )
    return out


def needs_by_type(inst: Instance, plan: Plan) -> list[NeedsGroup]:
    """Shortages (teacher-periods) by area and by tier: covered, uncovered but reachable by
    some allowed move, and out of reach of any.

    Every shortage the roster leaves (partly) uncovered is a row of ``plan.unmet_needs``;
    what is not listed was covered.
    """
    schools = {s.id: s for s in inst.schools}
    total: Counter[str] = Counter()
    for (school, _subject, _t), (need, _prio) in shortage_table(inst).items():
        if school in schools:
            total[school] += need
    uncovered: Counter[str] = Counter()
    unreachable: Counter[str] = Counter()
    for u in plan.unmet_needs:
        left = max(0, u.shortage - u.covered)
        uncovered[u.school] += left
        if not u.reachable:
            unreachable[u.school] += left
    groups: list[NeedsGroup] = []
    orders: dict[Literal["area", "tier"], tuple[str, ...]] = {
        "area": ("urban", "town", "rural"),
        "tier": ("strong", "ordinary", "weak"),
    }
    for dimension, values in orders.items():
        for value in values:
            ids = [s for s, school in schools.items() if getattr(school, dimension) == value]
            t = sum(total[s] for s in ids)
            if not t:
                continue
            left = min(t, sum(uncovered[s] for s in ids))
            groups.append(
                NeedsGroup(
                    dimension=dimension,
                    value=value,
                    total=t,
                    covered=t - left,
                    unreachable=min(left, sum(unreachable[s] for s in ids)),
                )
            )
    return groups


# ---- tables -----------------------------------------------------------------------------


def report_tables(inst: Instance, plan: Plan, lang: str, masked: bool) -> list[ReportTable]:
    """The plan's tables (as the CSV files hold them) and one of every school, with
    headers and values in the page's language; staff names only where the instance has
    them, and pseudonyms when ``masked``."""
    tables = plan_tables(plan, inst)
    named = any(t.name for t in inst.staff)
    if masked and named:
        tables = mask_names(tables)
    tables = {"schools": school_table(inst, plan), **tables}
    out: list[ReportTable] = []
    for tid in TABLE_ORDER:
        if tid not in tables:
            continue
        table = tables[tid]
        columns = list(table.columns)
        if tid in ("roster", "principals") and not named:
            columns.remove("name")
        out.append(
            ReportTable(
                id=tid,
                title=labels.table_name(tid, lang),
                columns=[
                    {
                        "key": c,
                        "label": labels.header(c, lang, tid),
                        "type": _column_type(c, table.rows),
                    }
                    for c in columns
                ],
                rows=[[_display(c, r.get(c), lang) for c in columns] for r in table.rows],
            )
        )
    return out


def school_table(inst: Instance, plan: Plan) -> Table:
    """Every school with its kind, its alliance and its twinning partners."""
    alliance = {m.member: m.alliance for m in plan.alliances}
    helper = {p.helped: p.helper for p in plan.pairs}
    helps: dict[str, list[str]] = defaultdict(list)
    for p in plan.pairs:
        helps[p.helper].append(p.helped)
    columns = ["school", "name", "stage", "area", "tier", "region", "students"]
    if plan.alliances:
        columns.append("alliance")
    if "pairs" in plan.parts:
        columns += ["helper", "helped"]
    rows: list[dict[str, Cell]] = [
        {
            "school": s.id,
            "name": s.name,
            "stage": ";".join(s.stage),
            "area": s.area,
            "tier": s.tier,
            "region": s.region or "",
            "students": s.students,
            "alliance": alliance.get(s.id, ""),
            "helper": helper.get(s.id, ""),
            "helped": ";".join(helps.get(s.id, [])),
        }
        for s in sorted(inst.schools, key=lambda s: s.id)
    ]
    return Table(columns, rows)


def _column_type(column: str, rows: Iterable[dict[str, Cell]]) -> str:
    if column in SCHOOL_COLUMNS:
        return "school"
    values = [r.get(column) for r in rows if r.get(column) not in (None, "")]
    if values and all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return "number"
    return "text"


def _display(column: str, cell: Cell, lang: str) -> Cell:
    if cell is None:
        return ""
    if column == "stage" and isinstance(cell, str):
        return "、".join(stage_word(s, lang) for s in cell.split(";"))
    if isinstance(cell, bool) and lang != "zh":
        return "yes" if cell else "no"
    shown = labels.value(column, cell, lang)
    return shown if isinstance(shown, str | int | float) else str(shown)


# ---- per-school panels ------------------------------------------------------------------


def needs_by_school(inst: Instance) -> dict[str, list[list[Cell]]]:
    """Per school, its subject needs: [subject, shortage, surplus, priority]."""
    out: dict[str, list[list[Cell]]] = {}
    for school, subjects in sorted(school_needs(inst).items()):
        rows: list[list[Cell]] = [
            [subject, n.shortage, n.surplus, n.priority]
            for subject, n in sorted(subjects.items())
            if n.shortage or n.surplus
        ]
        if rows:
            out[school] = rows
    return out


def school_notes(plan: Plan, lang: str) -> dict[str, list[str]]:
    """Per school, why the plan treats it so, in words: the needs its pair answers, and the
    reason a weak school was left unpaired."""
    notes: dict[str, list[str]] = defaultdict(list)
    for p in plan.pairs:
        if p.why:
            notes[p.helped].append(f"{p.helper} → {p.helped}: {p.why}")
            notes[p.helper].append(f"{p.helper} → {p.helped}: {p.why}")
    for u in plan.unpaired:
        reason = labels.value("reason", u.reason, lang)
        notes[u.school].append(f"{reason}: {u.detail}" if u.detail else str(reason))
    return dict(notes)


def fmt_number(value: float | None, kind: str = "count") -> str:
    """A figure as the page writes it: shares as percentages, ratios with two decimals."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if kind == "share":
        return f"{100 * value:.1f}%"
    if kind == "ratio":
        return f"{value:.2f}"
    if kind == "km":
        return f"{value:.1f}"
    return f"{value:,.0f}"
