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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from twinning.check.balance import BALANCE_CHECKS, check_balance_no_worse
from twinning.check.report import ValidationReport, Violation
from twinning.county.distances import Distances
from twinning.county.instance import Instance
from twinning.county.needs import school_needs
from twinning.io.planfiles import plan_tables
from twinning.io.tabular import Cell, Table, mask_names
from twinning.io.workbook import SCHOOL_COLUMNS, cell_word, rule_name, with_school_names
from twinning.messages import Msg, header, joined, msg, render, say, value_word, word
from twinning.parts import PARTS
from twinning.plan import Plan
from twinning.report.layers import (
    alliance_shapes,
    flows,
    school_points,
    stage_word,
)
from twinning.result import Summary
from twinning.rules.cover import circuit_lessons, covers
from twinning.rules.evaluation import verdict
from twinning.rules.outreach import MODEL_LESSON, SHADOWING, receives
from twinning.rules.quota import counted_sent, quota_reasons
from twinning.rules.roster import quota_required, shortage_table

#: The balance indicators, in the order the page shows them.
INDICATORS: tuple[str, ...] = ("backbone", "qualified", "pe_arts")

#: The tables shown, in order: one of every school, then each part's, as its record lists them.
TABLE_ORDER: tuple[str, ...] = ("schools", *(t for part in PARTS.values() for t in part.tables))


RuleState = Literal["met", "missed", "priced"]


# ---- typed figures ----------------------------------------------------------------------


@dataclass(frozen=True)
class RuleRow:
    """One rule of the policy: kept or missed, where and by how much.

    ``name`` and ``message`` are in the page's language; ``description`` is what the rule
    asks in the checker's (English) words, shown on an English page only.
    """

    part: str
    rule: str
    name: str
    description: str
    state: RuleState
    violations: int = 0
    amount: float | None = None
    where: tuple[str, ...] = ()
    message: str = ""
    #: what the verdict names when the rule is missed (the rule, or the rule and the
    #: indicators and stages a balance threshold is missed for)
    said: Msg | None = None


@dataclass(frozen=True)
class Kpi:
    """A headline figure, with the value a rule requires when there is one."""

    key: str
    value: float | None
    required: float | None = None
    kind: Literal["share", "ratio", "count", "km"] = "count"
    accepted_below: bool = False  # the policy accepts less (rotation.cap_quota)
    #: schools below their own quota while the county-wide figure is met (rotation.rate)
    schools_short: int = 0

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

    def missed(self) -> dict[str, list[tuple[str, float, float]]]:
        """Stage -> each period whose coefficient is above the stage's threshold, with
        the coefficient and the threshold (the roster's periods; ``before`` is no part of
        the plan)."""
        out: dict[str, list[tuple[str, float, float]]] = {}
        for period, figures in self.after.items():
            for stage, cv in figures.items():
                limit = self.thresholds.get(stage)
                if cv is not None and limit is not None and cv > limit + 1e-9:
                    out.setdefault(stage, []).append((period, cv, limit))
        return out


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
    #: schools below their rotation.rate quota: school -> (moved, quota)
    quota_short: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: why each of those schools is below its quota (twinning.rules.quota)
    quota_why: dict[str, Msg] = field(default_factory=dict)
    #: the evaluation's resource part (rules.evaluation.verdict) as JSON, and the balance
    #: it was derived from (its per-school tests name the failing schools)
    evaluation: dict[str, Any] | None = None
    evaluation_balance: dict[str, Any] = field(default_factory=dict)
    #: school id -> name
    school_names: dict[str, str] = field(default_factory=dict)

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
            "values": {"mentor": _display("kind", "mentor", self.lang)},
        }

    def verdict(self) -> tuple[Literal["good", "warn", "bad"], Msg]:
        """What the page's header says of the plan, in agreement with the rules table and
        the balance figures: every rule missed is named (a balance threshold with the
        indicators and stages above it), and the schools the policy lets fall below their
        quota are counted; ``good`` only when nothing is missed or accepted below."""
        missed = [r for r in self.rules if r.state == "missed"]
        priced = len(self.quota_short) if any(r.state == "priced" for r in self.rules) else 0
        clauses: list[Msg] = []
        if missed:
            what = [r.said or msg("report.verdict.rule", rule=r.rule) for r in missed]
            if len(what) > VERDICT_SHOWN:
                what = [
                    *what[:VERDICT_SHOWN],
                    msg("report.verdict.more", n=len(what) - VERDICT_SHOWN),
                ]
            clauses.append(msg("report.verdict.missed", n=len(missed), what=what))
        elif priced:
            met = sum(1 for r in self.rules if r.state == "met")
            clauses.append(msg("report.verdict.met_of", met=met, total=len(self.rules)))
        else:
            clauses.append(msg("report.verdict.all_met", n=len(self.rules)))
        if priced:
            clauses.append(msg("report.verdict.priced", n=priced))
        state: Literal["good", "warn", "bad"] = "bad" if missed else "warn" if priced else "good"
        return state, msg("report.verdict", clauses=clauses)


#: Rules the verdict names; the rest are counted.
VERDICT_SHOWN = 3


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
    tables: Mapping[str, Table] | None = None,
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
        solver's.
    lang
        "zh" or "en": tables, values, rule names.
    masked
        Replace staff names by stable pseudonyms (:func:`twinning.io.tabular.pseudonym`).
    tables
        The plan's tables (:func:`twinning.io.planfiles.plan_tables` of this plan), when
        the caller made them for its other files: not made again.
    """
    plan = plan.canonical()
    figures = balance(summary, checked) if "roster" in plan.parts else None
    indicators = other_indicators(summary, checked) if "roster" in plan.parts else {}
    short = quota_short(inst, plan)
    why = quota_why(inst, plan) if short else {}
    balances = {"backbone": figures, **indicators} if figures is not None else dict(indicators)
    return ReportContent(
        lang=lang,
        instance=plan.instance,
        plan=plan,
        summary=summary,
        masked=masked,
        rules=rule_rows(inst, plan, checked.violations, balances, short, lang, why),
        kpis=headline_kpis(inst, plan, checked, short),
        balance=figures,
        needs_by_type=needs_by_type(inst, plan) if "roster" in plan.parts else [],
        moves_by_kind=dict(sorted(Counter(m.kind for m in plan.roster).items())),
        tables=report_tables(inst, plan, lang, masked, tables),
        schools=school_points(inst, plan, lang),
        pairs=[{"helper": p.helper, "helped": p.helped, "km": p.distance_km} for p in plan.pairs],
        alliances=alliance_shapes(inst, plan),
        flows=flows(plan, lang),
        needs=needs_by_school(inst),
        notes=school_notes(plan, lang, inst),
        indicators=indicators,
        quota_short=short,
        quota_why=why,
        **evaluation(summary, checked),
        school_names={s.id: s.name for s in inst.schools},
    )


def evaluation(summary: Summary | None, checked: ValidationReport) -> dict[str, Any]:
    """The verdict (rules.evaluation.verdict) and its balance as JSON: the summary's when
    a solve wrote them, else the checker's recount."""
    if summary is not None and summary.balance is not None:
        figures = summary.balance
        said = summary.verdict or verdict(figures)
    elif checked.balance is not None:
        figures = checked.balance
        said = verdict(figures)
    else:
        return {}
    return {
        "evaluation": said.model_dump(mode="json"),
        "evaluation_balance": figures.model_dump(mode="json"),
    }


def quota_short(inst: Instance, plan: Plan) -> dict[str, tuple[int, int]]:
    """Schools moving fewer teachers on exchanges than their rotation.rate quota: school
    -> (moved, quota), counted from the plan as the checker counts (rotation.rate: only
    exchanges of at least rotation.min_periods_for_quota)."""
    if "roster" not in plan.parts:
        return {}
    sent = counted_sent(inst, plan.roster)
    return {
        school: (sent[school], quota)
        for school, quota in sorted(quota_required(inst).items())
        if sent[school] < quota
    }


def quota_why(inst: Instance, plan: Plan) -> dict[str, Msg]:
    """Why each school below its quota is (twinning.rules.quota), on the plan's own pairs,
    alliances and moves."""
    if "roster" not in plan.parts:
        return {}
    return quota_reasons(inst, plan.pairs, plan.alliances, Distances(inst), plan.roster)


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
    inst: Instance,
    plan: Plan,
    violations: Sequence[Violation],
    balances: dict[str, Balance],
    short: dict[str, tuple[int, int]],
    lang: str,
    why: dict[str, Msg] | None = None,
) -> list[RuleRow]:
    """Every rule the checker applies to the plan's parts, met or missed, in the checker's
    order; with the roster, the schools the policy lets fall below their quota
    (rotation.cap_quota) and the balance thresholds as the figures stand, whether or not
    the policy makes them a rule; then any other rule a violation names (the plan's own
    figures)."""
    by_rule: dict[str, list[Violation]] = defaultdict(list)
    for v in violations:
        by_rule[v.rule].append(v)
    ruled = inst.policy.balance.target == "rule"
    rows: list[RuleRow] = []
    seen: set[str] = set()
    for part, record in PARTS.items():
        if part not in plan.parts:
            continue
        checks: tuple[Callable[..., list[Violation]], ...] = record.checker.checks
        if part == "roster" and ruled:
            checks = (*checks, *BALANCE_CHECKS)
        elif inst.policy.balance.no_worse and part == _moving_part(plan):
            checks = (*checks, check_balance_no_worse)
        for check in checks:
            for key in rule_keys(check):
                if key in seen or key.startswith("plan."):
                    continue
                seen.add(key)
                rows.append(_rule_row(part, key, rule_description(check), by_rule[key], lang))
        if part == "roster" and inst.policy.rotation.cap_quota and short:
            rows.append(_capped_row(short, lang, why or {}))
        if part == "roster" and why and by_rule["rotation.rate"]:
            rows = [
                _with_why(r, short, why, lang) if r.rule == "rotation.rate" else r for r in rows
            ]
        if part == "roster" and balances:
            row = _balance_row(inst, balances, by_rule["balance.thresholds"], lang)
            seen.add(row.rule)
            rows = [r for r in rows if r.rule != row.rule] + [row]
    for key in sorted(by_rule.keys() - seen):
        rows.append(_rule_row("plan", key, "", by_rule[key], lang))
    return rows


def _moving_part(plan: Plan) -> str | None:
    """The part under whose rules balance.no_worse is listed: the roster, else the
    circuits (the parts that move people)."""
    for part in ("roster", "itinerant"):
        if part in plan.parts:
            return part
    return None


def _rule_row(part: str, key: str, description: str, found: list[Violation], lang: str) -> RuleRow:
    amounts = [v.amount for v in found if v.amount is not None]
    # in order, once each; a word among them (county, plan, a stage) said in the language
    where = dict.fromkeys(str(value_word("where", w, lang)) for v in found for w in v.where)
    return RuleRow(
        part=part,
        rule=key,
        name=description if lang == "en" and description else rule_name(key, lang),
        description=description,
        state="missed" if found else "met",
        violations=len(found),
        amount=round(sum(amounts), 4) if amounts else None,
        where=tuple(where),
        message=found[0].text(lang) if found else "",
    )


def _school_why(
    school: str, n: int, quota: int, why: dict[str, Msg], code: str = "report.rule.cap_quota.school"
) -> Msg:
    """A school below its quota: what it moves, and why when the reasons say."""
    if school in why:
        return msg("roster.quota_school_why", school=school, moved=n, quota=quota, why=why[school])
    return msg(code, school=school, n=n, quota=quota)


def _with_why(
    row: RuleRow, short: dict[str, tuple[int, int]], why: dict[str, Msg], lang: str
) -> RuleRow:
    """rotation.rate missed: its message names every school below its quota and why."""
    said = [_school_why(s, n, q, why) for s, (n, q) in short.items()]
    return replace(row, message=joined(said, lang, "semi"))


def _capped_row(short: dict[str, tuple[int, int]], lang: str, why: dict[str, Msg]) -> RuleRow:
    """The schools the policy lets fall below their quota (rotation.cap_quota)."""
    what = word("report.rule.cap_quota.what", lang)
    return RuleRow(
        part="roster",
        rule="rotation.cap_quota",
        name=what if lang == "en" else word("rule.rotation.cap_quota", lang),
        description=word("report.rule.cap_quota.what", "en"),
        state="priced",
        violations=len(short),
        amount=float(sum(q - n for n, q in short.values())),
        where=tuple(short),
        message=joined([_school_why(s, n, q, why) for s, (n, q) in short.items()], lang, "semi"),
    )


def _balance_row(
    inst: Instance, balances: dict[str, Balance], found: list[Violation], lang: str
) -> RuleRow:
    """balance.thresholds as the figures the page charts stand: missed when a coefficient
    of the roster's periods is above its threshold. With balance.target = rule the checker
    holds the plan to it (its violations are the row's); else the row says the threshold
    is a goal of the evaluation the policy does not require."""
    misses = [
        (ind, stage, period, cv, limit)
        for ind in INDICATORS
        if ind in balances
        for stage, found_ in balances[ind].missed().items()
        for period, cv, limit in found_
    ]
    description = word("report.rule.balance.what", "en")
    name = description if lang == "en" else word("rule.balance.thresholds", lang)
    if not misses and not found:
        return RuleRow("roster", "balance.thresholds", name, description, "met")
    said = [
        msg(
            "report.rule.balance.miss",
            indicator=msg(f"report.indicator.{ind}"),
            stage=stage,
            period=period,
            cv=cv,
            threshold=limit,
        )
        for ind, stage, period, cv, limit in misses
    ]
    stages: dict[str, list[str]] = {}
    for ind, stage, *_ in misses:
        if stage not in stages.setdefault(ind, []):
            stages[ind].append(stage)
    where = [
        msg("report.indicator.stages", indicator=msg(f"report.indicator.{ind}"), stages=st)
        for ind, st in stages.items()
    ]
    if found:  # the checker's own violations (balance.target = rule)
        first = found[0].text(lang)
        amounts = [v.amount for v in found if v.amount is not None]
        amount = round(sum(amounts), 4) if amounts else None
        count = len(found)
    else:
        ruled = inst.policy.balance.target == "rule"
        first = render(
            said[0] if ruled else msg("report.rule.balance.not_required", first=said[0]), lang
        )
        amount = round(sum(cv - limit for *_, cv, limit in misses), 4)
        count = len(misses)
    return RuleRow(
        part="roster",
        rule="balance.thresholds",
        name=name,
        description=description,
        state="missed",
        violations=count,
        amount=amount,
        where=(joined(where, lang, "semi"),) if where else (),
        message=first,
        said=msg("report.verdict.balance", rule="balance.thresholds", where=where)
        if where
        else None,
    )


# ---- headline figures -------------------------------------------------------------------


def headline_kpis(
    inst: Instance,
    plan: Plan,
    checked: ValidationReport,
    short: dict[str, tuple[int, int]] | None = None,
) -> dict[str, list[Kpi]]:
    """Per part, the figures a bureau looks at first, counted from the plan; the roster's
    rates are the checker's recount, against the policy's requirements, and the rotation
    rate says how many schools stay below their own quota."""
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
            Kpi("groups", float(len({m.alliance for m in plan.alliances}))),
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
                schools_short=len(short or {}),
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
    if "itinerant" in plan.parts:
        away = [c for c in plan.circuits if c.school != c.home_school]  # not 本校代课
        out["itinerant"] = [
            Kpi("weekly_lessons_covered", float(sum(circuit_lessons(plan.circuits).values()))),
            Kpi("teachers_used", float(len({c.staff for c in away}))),
            Kpi("schools_served", float(len({c.school for c in away}))),
        ]
    if "outreach" in plan.parts:
        visits = [o for o in plan.outreach if o.kind == MODEL_LESSON]
        receiving = sum(1 for s in inst.schools if receives(s))
        periods = len(inst.policy.horizon.periods)
        out["outreach"] = [
            Kpi(
                "visits",
                float(len(visits)),
                float(inst.policy.outreach.visits_per_school * receiving * periods),
            ),
            Kpi("teachers_used", float(len({o.staff for o in visits}))),
            Kpi(
                "short_exchanges",
                float(sum(1 for o in plan.outreach if o.kind == SHADOWING)),
            ),
        ]
    return out


def balance(summary: Summary | None, checked: ValidationReport) -> Balance | None:
    """The backbone coefficients (rules/balance.py, the one computation of every balance
    figure): the summary's when a solve wrote them, else the checker's."""
    return indicator_balance("backbone", summary, checked)


def indicator_balance(
    indicator: str, summary: Summary | None, checked: ValidationReport
) -> Balance | None:
    """One indicator's coefficients per stage, before and in each period (None when not
    computable): the summary's figures when a solve wrote them, else the checker's."""
    figures = summary.balance if summary is not None and summary.balance else checked.balance
    if figures is None or indicator not in figures.before:
        return None
    source: Literal["summary", "checker"] = (
        "summary" if summary is not None and summary.balance else "checker"
    )
    before = {st: f.cv for st, f in figures.before[indicator].items()}
    if all(v is None for v in before.values()):
        return None
    return Balance(
        before=before,
        after={
            p: {st: f.cv for st, f in by_ind[indicator].items()}
            for p, by_ind in figures.after.items()
        },
        thresholds={st: f.threshold for st, f in figures.before[indicator].items()},
        source=source,
    )


def other_indicators(summary: Summary | None, checked: ValidationReport) -> dict[str, Balance]:
    """The qualified and PE-and-arts coefficients, as :func:`indicator_balance` gives
    them; indicators not computable are left out."""
    out = {}
    for ind in ("qualified", "pe_arts"):
        found = indicator_balance(ind, summary, checked)
        if found is not None:
            out[ind] = found
    return out


def needs_by_type(inst: Instance, plan: Plan) -> list[NeedsGroup]:
    """Shortages (teacher-periods) by area and by tier: covered, uncovered but reachable by
    some allowed move, and out of reach of any.

    Every shortage the roster leaves (partly) uncovered is a row of ``plan.unmet_needs``;
    what is not listed was covered, and so is what the circuits cover of a row
    (:func:`twinning.rules.cover.covers`, the count ``unmet_needs.csv`` shows).
    """
    schools = {s.id: s for s in inst.schools}
    total: Counter[str] = Counter()
    for (school, _subject, _t), (need, _prio) in shortage_table(inst).items():
        if school in schools:
            total[school] += need
    uncovered: Counter[str] = Counter()
    unreachable: Counter[str] = Counter()
    for c in covers(inst, plan):
        uncovered[c.school] += c.left
        if not c.reachable:
            unreachable[c.school] += c.left
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


def report_tables(
    inst: Instance,
    plan: Plan,
    lang: str,
    masked: bool,
    made: Mapping[str, Table] | None = None,
) -> list[ReportTable]:
    """The plan's tables (as the CSV files hold them; ``made``: already made of this
    plan) and one of every school, with headers and values in the page's language and a
    school's name beside each school code; staff names only where the instance has them,
    and pseudonyms when ``masked``."""
    tables = dict(made) if made is not None else plan_tables(plan, inst)
    named = any(t.name for t in inst.staff)
    if masked and named:
        tables = mask_names(tables)
    tables = {"schools": school_table(inst, plan), **tables}
    names = {s.id: s.name for s in inst.schools}
    out: list[ReportTable] = []
    for tid in TABLE_ORDER:
        if tid not in tables:
            continue
        table = with_school_names(tid, tables[tid], names)
        columns = list(table.columns)
        if tid in ("roster", "principals") and not named:
            columns.remove("name")
        out.append(
            ReportTable(
                id=tid,
                title=word(f"table.{tid}", lang),
                columns=[
                    {
                        "key": c,
                        "label": header(c, lang, tid),
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
    if isinstance(cell, bool):  # yes / no on an English page too (是 / 否)
        return word(f"value.bool.{str(cell).lower()}", lang)
    shown = cell_word(column, cell, lang)
    return "" if shown is None else shown


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


def school_notes(plan: Plan, lang: str, inst: Instance | None = None) -> dict[str, list[str]]:
    """Per school, why the plan treats it so, in the page's language: the needs its pair
    answers (the pair's ``why``), the reason a weak school was left unpaired, and each
    shortage no allowed move reaches."""
    notes: dict[str, list[str]] = defaultdict(list)
    for p in plan.pairs:
        if render(p.why, lang):
            said = say("report.note.pair", lang, helper=p.helper, helped=p.helped, why=p.why)
            notes[p.helped].append(said)
            notes[p.helper].append(said)
    for u in plan.unpaired:
        if render(u.detail, lang):
            notes[u.school].append(
                say("report.note.unpaired", lang, reason=u.reason, detail=u.detail)
            )
        else:
            notes[u.school].append(str(value_word("reason", u.reason, lang)))
    # with the instance, a shortage the circuits cover whole is no longer short
    short = plan.unmet_needs if inst is None else [c for c in covers(inst, plan) if c.left > 0]
    for n in short:
        if not n.reachable:
            said = say("report.note.unreachable", lang, subject=n.subject, period=n.period)
            notes[n.school].append(said)
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
