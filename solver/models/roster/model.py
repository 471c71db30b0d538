"""The exchange roster as one CP-SAT model over move options.

A move option is (person, host, first period, number of periods, kind); the options
are generated in :mod:`twinning.models.roster.options`, where the eligibility rules
apply. The model picks at most one option per person. Constraint families, one unit
each in :mod:`twinning.models.roster.units` (the rule's policy key in brackets):

- one move per person in the horizon [rotation.one_move]; pinned moves kept [rotation.fixed];
- quota: each urban or strong school of the quota's stages [rotation.quota_stages] moves at
  least ceil(rate x quota-eligible teachers) [rotation.rate], counting exchanges of at
  least rotation.min_periods_for_quota periods [rotation.min_periods_for_quota];
- backbone teachers at least a share of the teachers moved out on counted exchanges
  [rotation.backbone_share];
- staff away per school and period at most its limit [rotation.max_outflow_share];
- every subject a school teaches keeps a teacher each period, counting teachers who
  come in [rotation.keep_subject_cover];
- per school, subject and period, teachers out minus teachers in at most the surplus
  [rotation.protect_sender]; surplus subjects leave first [rotation.surplus_first];
- incoming staff per host and period at most its capacity [rotation.host_capacity];
- seconded cadres per host and period [rotation.secondment_per_host];
- a small school hosts at most one visiting cadre a period, none while its own cadre is
  away [rotation.small_school_pupils];
- a department's teachers away at once at most its share [rotation.max_department_share],
  and its classes changing hands at most once a school year
  [rotation.classes_change_once_a_year];
- inward moves at least a share of outward moves [rotation.two_way_share];
- exactly k secondments, or as many as the hosts allow [rotation.secondment_count].

Cost (lower is better, every term >= 0):

    roster_need x priority weight x teacher-periods of shortage left uncovered
  + roster_due x due teachers and vice principals (available to move) not moved
  + roster_rural_priority x due teachers of advantaged schools with few rural years (or
    on the title track without rural service) not placed at a rural school
  + roster_surplus_first x teachers moved out whose subject is not in surplus at home
  + roster_balance x backbone teachers moved to a school not poorer in backbone per 100
    students than their home
  + sum over moves of round(roster_km x km)
  + roster_preference x steps down each mover's ranked list of preferred schools
  + roster_secondment x secondment candidates not seconded (when every candidate the
    hosts allow is asked)
  + sum over secondments of round(roster_merit x (best candidate's merit - merit))
  + roster_quota x teachers below the schools' quotas, when rotation.cap_quota accepts it
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from twinning.county.instance import Instance
from twinning.messages import Msg, msg
from twinning.models.roster.options import RosterData
from twinning.models.roster.units import (
    RosterModel,
    Usage,
    add_backbone_share,
    add_balance_minimums,
    add_balance_target,
    add_classes_change_once_a_year,
    add_cost,
    add_fixed,
    add_host_capacity,
    add_keep_subject_cover,
    add_max_department_share,
    add_max_outflow_share,
    add_one_move,
    add_protect_sender,
    add_rate,
    add_secondment_count,
    add_secondment_per_host,
    add_small_school_pupils,
    add_surplus_first,
    add_two_way_share,
)
from twinning.models.search import (
    STOP,
    ProgressFn,
    SearchInterrupted,
    SearchSettings,
    configure,
    cpsat_callback,
    solve_with_grace,
)
from twinning.rules import roster as rules
from twinning.rules.balance import changes_of
from twinning.rules.departments import boundary_years, departments_of, in_department, span_changes


@dataclass
class RosterOutcome:
    """Options chosen and what was proved (objective and bound exclude the constant)."""

    chosen: list[int]
    status: str
    objective: float | None
    bound: float | None
    method: Msg | None
    wall_time: float
    #: a plan was found (it may move nobody): an infeasible plan that comes closest is one
    has_plan: bool = False
    #: the model's share of the constant (its objective's offset), for progress figures
    offset: int = 0
    #: [balance.no_worse] secondment candidates held at home because every secondment of
    #: theirs that fits would raise a coefficient: staff id -> (indicator, stage, period)
    held: dict[str, tuple[str, str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.chosen or self.status in ("optimal", "feasible"):
            self.has_plan = True


def usage_of(data: RosterData, chosen: list[int]) -> Usage:
    """Away, incoming and per-subject changes caused by chosen options."""
    u = Usage(
        defaultdict(int),
        defaultdict(int),
        defaultdict(int),
        defaultdict(int),
        defaultdict(int),
        defaultdict(int),
        defaultdict(int),
        defaultdict(int),
        department_away=defaultdict(int),
        hands=defaultdict(int),
    )
    bounds = boundary_years(data.periods)
    for i in chosen:
        o = data.options[i]
        person = data.staff[o.person]
        if in_department(person):
            changes = span_changes(bounds, o.first, o.length)
            for school, subject in departments_of(person, person.school, o.host):
                for year, half in changes:
                    u.hands[(school, subject, year, half)] += 1
            for t in range(o.first, o.first + o.length):
                u.department_away[(person.school, person.subject or "", t)] += 1
        shifts = changes_of(person, data.schools.get(person.school), data.schools.get(o.host))
        cadre = rules.visiting_cadre(person, o.kind)
        for t in range(o.first, o.first + o.length):
            if cadre:
                u.cadres_in[(o.host, t)] += 1
                u.cadres_out[(person.school, t)] += 1
            for key, sign in shifts:
                u.balance[(*key, t)] += sign
            u.away[(person.school, t)] += 1
            u.incoming[(o.host, t)] += 1
            if o.kind == "secondment":
                u.seconded_in[(o.host, t)] += 1
            if person.subject:
                u.subject[(person.school, person.subject, t)] -= 1
                u.subject[(o.host, person.subject, t)] += 1
                if person.role == "teacher":
                    u.teachers_out[(person.school, person.subject, t)] += 1
                    u.teachers_out[(o.host, person.subject, t)] -= 1
    return u


def build_model(
    inst: Instance,
    data: RosterData,
    subset: list[int],
    *,
    couple: bool = True,
    exchanges: bool = True,
    count_secondments: bool = False,
    adjust: dict[int, int] | None = None,
    base: Usage | None = None,
    soft_quota: int | None = None,
) -> RosterModel:
    """One CP-SAT model over a subset of the options (a component, or everything).

    ``couple`` adds the county-wide rules (backbone share, two-way share) that tie
    components together; ``exchanges`` the rules of the exchange options (quota, surplus
    first); ``count_secondments`` asks for exactly ``rotation.secondment_count``
    secondments; ``adjust`` adds to the cost of some options (Lagrangian prices); ``base``
    is capacity already used by moves decided before; ``soft_quota`` turns the quota into
    a cost per missing teacher (used only to show the plan that comes closest when the
    quota cannot be met, which is then reported as infeasible).
    """
    base = base or Usage()
    rm = RosterModel(data, subset)
    add_one_move(rm)
    for k in rm.people:
        add_fixed(rm, k)
    rm.index()
    if exchanges:
        add_rate(rm, soft_quota)
    STOP.check()
    add_max_outflow_share(rm, base)
    add_host_capacity(rm, base)
    add_keep_subject_cover(rm, inst, base)
    add_protect_sender(rm, inst, base)
    if exchanges:
        add_surplus_first(rm, inst)
    add_secondment_per_host(rm, inst, base)
    add_small_school_pupils(rm, inst, base)
    add_max_department_share(rm, inst, base)
    add_classes_change_once_a_year(rm, inst, base)
    if couple:
        add_backbone_share(rm, inst, rm.teacher_exchanges("out"))
        add_two_way_share(rm, inst, rm.teacher_exchanges("out"), rm.teacher_exchanges("in"))
    if count_secondments:
        add_secondment_count(rm, inst.policy.rotation.secondment_count)
    fixed_count = count_secondments and inst.policy.rotation.secondment_count is not None
    if inst.policy.balance.target != "off" and (exchanges or fixed_count):
        # (secondments with k unset take every candidate the hosts allow, whatever their
        # balance; with their number fixed, the balance chooses among the hosts)
        add_balance_target(rm, inst, base, pending=exchanges)
    if inst.policy.balance.target == "rule":
        add_balance_minimums(rm, inst, base)
    STOP.check()
    add_cost(rm, inst, adjust or {})
    return rm


def solve_options(
    inst: Instance,
    data: RosterData,
    subset: list[int],
    settings: SearchSettings,
    *,
    couple: bool = True,
    exchanges: bool = True,
    count_secondments: bool = False,
    adjust: dict[int, int] | None = None,
    hint: set[int] | None = None,
    base: Usage | None = None,
    soft_quota: int | None = None,
    progress: ProgressFn | None = None,
    step: Msg | None = None,
    grace: float = 0.0,
) -> RosterOutcome:
    """Build the model over a subset of options (see :func:`build_model`) and search it for
    the best plan within the time limit (Ctrl-C stops the building and the search).

    With ``grace``, a search that has no plan when the time limit passes goes on for up
    to ``grace`` seconds more and stops at its first plan (not in deterministic runs,
    whose limit is in deterministic time).
    """
    start = time.perf_counter()
    adjust = adjust or {}
    method = msg(
        "method.cpsat_search",
        workers=settings.workers,
        linearization=settings.linearization_level,
    )
    try:
        rm = build_model(
            inst,
            data,
            subset,
            couple=couple,
            exchanges=exchanges,
            count_secondments=count_secondments,
            adjust=adjust,
            base=base,
            soft_quota=soft_quota,
        )
    except SearchInterrupted:
        interrupted = msg("method.interrupted")
        return RosterOutcome([], "unknown", None, None, interrupted, time.perf_counter() - start)
    if hint:
        for i, var in rm.x.items():
            rm.model.add_hint(var, i in hint)
    late = grace if not settings.deterministic else 0.0
    callback = cpsat_callback("roster", progress or settings.progress, step, always=late > 0)
    solver = cp_model.CpSolver()
    # Measured on haicheng-like's largest group (16k options, to optimality): defaults
    # 9.3 s; presolve off 7.8 s; all LP rows from the start 7.0 s; both 4.8 s. Presolve off
    # also sidesteps or-tools issue 5293 (google/or-tools#5293). The LP also finds the first plan:
    # with the sender-protection and surplus-first rules a search without it (portfolio,
    # linearization 0) found none in 30 s on the largest group, where this one finds one
    # in 0.7-3.7 s (tests/benchmarks/results/roster.md).
    configure(
        solver,
        settings,
        settings.time_limit + late,
        cp_model_presolve=False,
        add_lp_constraints_lazily=False,
        relative_gap_limit=settings.gap_limit,
    )
    if late:
        st = solve_with_grace(solver, rm.model, callback, settings.time_limit, late)
    else:
        st = STOP.run(solver, rm.model, callback)
    if st not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        status = "infeasible" if st == cp_model.INFEASIBLE else "unknown"
        return RosterOutcome([], status, None, None, method, time.perf_counter() - start)
    chosen = rm.chosen(solver)
    value = float(solver.objective_value) - rm.offset  # without the constant, as promised
    bound = float(solver.best_objective_bound) - rm.offset
    # CP-SAT says OPTIMAL when it stops at relative_gap_limit; only a closed gap is optimal.
    proven = st == cp_model.OPTIMAL and value - bound <= 1e-9 * max(1.0, abs(value))
    return RosterOutcome(
        chosen,
        "optimal" if proven else "feasible",
        value,
        bound,
        method,
        time.perf_counter() - start,
        offset=rm.offset,
    )


def covered_needs(data: RosterData, chosen: list[int]) -> dict[tuple[str, str, int], int]:
    """Teachers covering each (host, subject, period) shortage, capped at the shortage."""
    count: dict[tuple[str, str, int], int] = defaultdict(int)
    for i in chosen:
        o = data.options[i]
        person = data.staff[o.person]
        if data.teacher_of(o) is not None and o.direction == "out" and person.subject:
            for t in range(o.first, o.first + o.length):
                key = (o.host, person.subject, t)
                if key in data.shortage:
                    count[key] += 1
    return {key: min(n, data.shortage[key][0]) for key, n in count.items()}


def quota_missing(data: RosterData, chosen: list[int], *, unheld: bool = True) -> int:
    """Teachers the schools move below their rotation.rate quotas, summed (``unheld``:
    counting the schools none of whose staff can move, whose shortfall is a constant); only
    counted exchanges (``data.quota_periods`` long or more) count."""
    sent: dict[str, int] = defaultdict(int)
    for i in chosen:
        o = data.options[i]
        if data.teacher_of(o) is not None and o.length >= data.quota_periods:
            sent[data.staff[o.person].school] += 1
    return sum(
        max(0, need - sent[school])
        for school, need in data.quota.items()
        if unheld or school not in data.quota_unheld
    )


def roster_cost(inst: Instance, data: RosterData, chosen: list[int]) -> int:
    """The cost of a choice of options, as the module docstring defines it."""
    w8 = inst.policy.weights
    weights = inst.policy.needs.priority_weights
    covered = covered_needs(data, chosen)
    value = data.constant + sum(data.options[i].cost for i in chosen)
    value -= sum(
        w8.roster_need * weights.get(data.shortage[k][1], 1) * n for k, n in covered.items()
    )
    if inst.policy.rotation.cap_quota:  # the unheld schools' part is in the constant
        value += w8.roster_quota * quota_missing(data, chosen, unheld=False)
    return value
