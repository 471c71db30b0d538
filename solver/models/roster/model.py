"""The exchange roster as one CP-SAT model over move options.

A move option is (person, host, first period, number of periods, kind). The model
picks at most one option per person. Constraint families, one per rule (the rule's
policy key in brackets):

- one move per person in the horizon; durations within the horizon
  [rotation.min_periods, rotation.max_periods];
- quota: each advantaged school moves at least ceil(rate x quota-eligible teachers)
  [rotation.rate];
- backbone teachers at least a share of the teachers moved out [rotation.backbone_share];
- staff away per school and period at most floor(share x staff) [rotation.max_outflow_share];
- every subject a school teaches keeps a teacher each period, counting teachers who
  come in [rotation.keep_subject_cover];
- incoming staff per host and period at most its capacity [rotation.host_capacity];
- hosts within the pair, the alliance or the county, within max_km [rotation.scope,
  rotation.max_km];
- inward moves at least a share of outward moves [rotation.two_way, rotation.two_way_share];
- exactly k cadres seconded for one period [rotation.secondment_count];
- pinned moves kept [fixed.csv, kind exchange].

Cost (lower is better, every term >= 0), in the order of the issue's objective:

    roster_need x priority weight x teacher-periods of shortage left uncovered
  + roster_due x due teachers and principals (available to move) not moved
  + roster_rural_priority x due teachers of advantaged schools with few rural years (or
    on the title track without rural service) not placed at a rural school
  + roster_surplus_first x teachers moved out whose subject is not in surplus at home
  + roster_balance x backbone teachers moved to a school not poorer in backbone per 100
    students than their home
  + sum over moves of round(roster_km x km)
  + roster_preference x movers who listed preferred schools and got none of them
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from solver.county.distances import Distances
from solver.county.instance import Instance, Staff
from solver.county.vocabulary import COUNTY_OR_ABOVE
from solver.models.search import STOP, ProgressFn, SearchSettings, cpsat_callback
from solver.plan import Membership, Pair
from solver.rules import roster as rules


@dataclass(frozen=True)
class Option:
    """One way a person could move."""

    person: int  # index into RosterData.staff
    host: str
    first: int  # period index
    length: int
    kind: str  # exchange / secondment
    direction: str  # out / in
    cost: int  # the option's own cost terms (see module docstring)
    km: float

    def covers(self, t: int) -> bool:
        """Whether the person is at the host in period t."""
        return self.first <= t < self.first + self.length


@dataclass
class RosterData:
    """Move options and every count the constraints need."""

    staff: list[Staff]
    periods: list[str]
    options: list[Option]
    by_person: dict[int, list[int]] = field(default_factory=dict)
    quota: dict[str, int] = field(default_factory=dict)
    outflow: dict[str, int] = field(default_factory=dict)
    capacity: dict[str, int] = field(default_factory=dict)
    shortage: dict[tuple[str, str, int], tuple[int, int]] = field(default_factory=dict)
    subject_count: dict[tuple[str, str], int] = field(default_factory=dict)
    due_people: set[int] = field(default_factory=set)
    priority_people: set[int] = field(default_factory=set)
    pinned: dict[int, tuple[str, int]] = field(default_factory=dict)
    constant: int = 0
    quota_capped: dict[str, tuple[int, int]] = field(default_factory=dict)  # (rate, can)

    def option_staff(self, o: Option) -> Staff:
        return self.staff[o.person]


def scope_hosts(
    inst: Instance, pairs: list[Pair], alliances: list[Membership]
) -> dict[str, set[str]]:
    """Schools each school's staff may go to under rotation.scope."""
    scope = inst.policy.rotation.scope
    hosts: dict[str, set[str]] = defaultdict(set)
    if scope == "pair":
        for p in pairs:
            hosts[p.helper].add(p.helped)
            hosts[p.helped].add(p.helper)
    elif scope == "alliance":
        groups: dict[str, list[str]] = defaultdict(list)
        for m in alliances:
            groups[m.alliance].append(m.member)
        for members in groups.values():
            for a in members:
                hosts[a].update(b for b in members if b != a)
    else:
        ids = [s.id for s in inst.schools]
        for a in ids:
            hosts[a] = {b for b in ids if b != a}
    return hosts


def learning_hosts(
    inst: Instance, pairs: list[Pair], alliances: list[Membership]
) -> dict[str, set[str]]:
    """Each school's partner schools within the scope: pair partners and the alliance lead.

    Learning stints (进城学艺), principals' exchanges and secondments go only here.
    """
    scope = inst.policy.rotation.scope
    alliance_of = {m.member: m.alliance for m in alliances}
    out: dict[str, set[str]] = defaultdict(set)
    for p in pairs:
        same = alliance_of.get(p.helper) == alliance_of.get(p.helped)
        if scope != "alliance" or same:
            out[p.helper].add(p.helped)
            out[p.helped].add(p.helper)
    if scope != "pair":
        for m in alliances:
            if m.member != m.lead:
                out[m.member].add(m.lead)
                out[m.lead].add(m.member)
    return out


def build_roster_data(
    inst: Instance,
    pairs: list[Pair],
    alliances: list[Membership],
    dist: Distances | None = None,
) -> RosterData:
    """Every move option with its cost, and the counts the rules need."""
    dist = dist or Distances(inst)
    rot, w8 = inst.policy.rotation, inst.policy.weights
    periods = list(inst.policy.horizon.periods)
    horizon = len(periods)
    schools = {s.id: s for s in inst.schools}
    hosts = scope_hosts(inst, pairs, alliances)
    mentors_of = learning_hosts(inst, pairs, alliances)
    last = rules.moved_last_cycle(inst)
    shortage: dict[tuple[str, str, int], tuple[int, int]] = {}
    short_any: set[tuple[str, str]] = set()
    for t, period in enumerate(periods):
        for (school, subject), value in rules.shortages(inst, period).items():
            shortage[(school, subject, t)] = value
            short_any.add((school, subject))
    surplus = rules.surplus_subjects(inst)
    ratio = rules.backbone_per_100(inst)
    staff = list(inst.staff)
    subject_count: dict[tuple[str, str], int] = defaultdict(int)
    for person in staff:
        if person.subject:
            subject_count[(person.school, person.subject)] += 1

    data = RosterData(staff=staff, periods=periods, options=[])
    quota = rules.quota_required(inst)
    data.outflow = rules.outflow_limit(inst)
    size = Counter(t.school for t in inst.staff)
    data.capacity = {s.id: rules.host_capacity(inst, s, size[s.id]) for s in inst.schools}
    data.shortage = shortage
    data.subject_count = dict(subject_count)

    pinned = {f.staff: f for f in inst.fixed if f.kind == "exchange" and f.staff}
    lengths = range(rot.min_periods, min(rot.max_periods, horizon) + 1)
    weights = inst.policy.needs.priority_weights
    constant = sum(w8.roster_need * weights.get(prio, 1) * n for n, prio in shortage.values())
    # Per home school, once: every host it may reach, its distance and the move's kind.
    reach: dict[str, list[tuple[str, float, bool, bool, bool, bool]]] = {}
    for home in inst.schools:
        scoped, partners = hosts.get(home.id, set()), mentors_of.get(home.id, set())
        row = []
        for host_id in sorted(scoped | partners):
            km = dist.km(home.id, host_id)
            if rot.max_km is not None and km > rot.max_km + 1e-9:
                continue
            host = schools[host_id]
            out = rules.advantaged(home) and not rules.advantaged(host)
            inward = not rules.advantaged(home) and rules.advantaged(host)
            row.append((host_id, km, out, inward, host_id in scoped, host_id in partners))
        reach[home.id] = row
    km_of = {(h, r[0]): r[1] for h, rows in reach.items() for r in rows}
    for k, person in enumerate(staff):
        home = schools[person.school]
        pin = pinned.get(person.id)
        if pin is None and not rules.available(inst, person, last):
            continue
        due = rules.is_due(inst, person)
        targets: list[tuple[str, str, str]] = []  # host, kind, direction
        for host_id, _km, out, inward, in_scope, partner in reach[person.school]:
            # Out moves go anywhere in scope where their subject is short; learning (in)
            # moves, principals' exchanges and secondments go to a partner or lead school.
            if person.role == "teacher":
                if out and due and in_scope and (host_id, person.subject or "") in short_any:
                    targets.append((host_id, "exchange", "out"))
                elif inward and rot.two_way and partner:
                    targets.append((host_id, "exchange", "in"))
            elif person.role in rules.LEADERS:
                if due and (out or inward) and partner:
                    targets.append((host_id, "exchange", "out" if out else "in"))
            elif (
                person.role in rules.CADRES and rot.secondment_count and (out or inward) and partner
            ):
                targets.append((host_id, "secondment", "out" if out else "in"))
        if pin is not None:
            pin_dir = "out" if rules.advantaged(home) else "in"
            if all(h != pin.to_school for h, _, _ in targets):
                kind = "secondment" if person.role in rules.CADRES else "exchange"
                targets.append((pin.to_school, kind, pin_dir))
            first = periods.index(pin.period) if pin.period in periods else 0
            data.pinned[k] = (pin.to_school, first)
        if due and person.role in ("teacher", *rules.LEADERS):
            data.due_people.add(k)
            constant += w8.roster_due
        is_priority = (
            person.role == "teacher"
            and due
            and rules.advantaged(home)
            and rules.rural_priority(inst, person)
        )
        if is_priority:
            data.priority_people.add(k)
            constant += w8.roster_rural_priority
        for host_id, kind, direction in targets:
            known = km_of.get((person.school, host_id))
            km = known if known is not None else dist.km(person.school, host_id)
            host = schools[host_id]
            cost = round(w8.roster_km * km)
            if k in data.due_people:
                cost -= w8.roster_due
            if is_priority and direction == "out" and host.area == "rural":
                cost -= w8.roster_rural_priority
            if (
                person.role == "teacher"
                and direction == "out"
                and person.subject not in surplus.get(person.school, set())
            ):
                cost += w8.roster_surplus_first
            if person.backbone in COUNTY_OR_ABOVE and ratio.get(host_id, 0.0) >= ratio.get(
                person.school, 0.0
            ):
                cost += w8.roster_balance
            if person.willing and host_id not in person.willing:
                cost += w8.roster_preference
            spans = [1] if kind == "secondment" else list(lengths)
            for length in spans:
                for first in range(0, horizon - length + 1):
                    data.options.append(
                        Option(k, host_id, first, length, kind, direction, cost, km)
                    )
    data.constant = constant
    # [rotation.rate] where a school can send: at most as many as its teachers who have a
    # move at all, and as the outflow limit lets go over the horizon. Schools held below
    # the rate by that are reported (quota_capped), not made infeasible.
    movers: dict[str, set[int]] = defaultdict(set)
    for o in data.options:
        if o.kind == "exchange" and staff[o.person].role == "teacher":
            movers[staff[o.person].school].add(o.person)
    for school, need in quota.items():
        can = min(len(movers[school]), data.outflow.get(school, 0) * horizon)
        if can < need:
            data.quota_capped[school] = (need, can)
        if min(need, can) > 0:
            data.quota[school] = min(need, can)
    for idx, o in enumerate(data.options):
        data.by_person.setdefault(o.person, []).append(idx)
    return data


@dataclass
class RosterSettings(SearchSettings):
    """CP-SAT parameters for the roster (chosen by measurement, see benchmarks)."""

    threads: int = 2  # independent components solved side by side
    gap_limit: float = 0.003  # each component stops at this relative gap


@dataclass
class RosterOutcome:
    """Options chosen and what was proved (objective and bound exclude the constant)."""

    chosen: list[int]
    status: str
    objective: float | None
    bound: float | None
    method: str
    wall_time: float


@dataclass
class Usage:
    """Capacity already used by moves fixed earlier (exchanges, when adding secondments)."""

    away: dict[tuple[str, int], int] = field(default_factory=dict)
    incoming: dict[tuple[str, int], int] = field(default_factory=dict)
    subject: dict[tuple[str, str, int], int] = field(default_factory=dict)  # net change


def usage_of(data: RosterData, chosen: list[int]) -> Usage:
    """Away, incoming and per-subject changes caused by chosen options."""
    u = Usage(defaultdict(int), defaultdict(int), defaultdict(int))
    for i in chosen:
        o = data.options[i]
        person = data.staff[o.person]
        for t in range(o.first, o.first + o.length):
            u.away[(person.school, t)] += 1
            u.incoming[(o.host, t)] += 1
            if person.subject:
                u.subject[(person.school, person.subject, t)] -= 1
                u.subject[(o.host, person.subject, t)] += 1
    return u


def solve_options(
    inst: Instance,
    data: RosterData,
    subset: list[int],
    settings: RosterSettings,
    *,
    couple: bool = True,
    secondments: int | None = None,
    adjust: dict[int, int] | None = None,
    hint: set[int] | None = None,
    base: Usage | None = None,
    soft_quota: int | None = None,
    progress: ProgressFn | None = None,
) -> RosterOutcome:
    """One CP-SAT model over a subset of the options (a component, or everything).

    ``couple`` adds the county-wide rules (backbone share, two-way share) that tie
    components together; ``secondments`` asks for exactly that many secondments;
    ``adjust`` adds to the cost of some options (Lagrangian prices); ``base`` is
    capacity already used by moves decided before; ``soft_quota`` turns the quota into a
    cost per missing teacher (used only to show the best plan when the quota cannot be
    met, which is then reported as infeasible).
    """
    from ortools.sat.python import cp_model

    start = time.perf_counter()
    rot, w8 = inst.policy.rotation, inst.policy.weights
    weights = inst.policy.needs.priority_weights
    base = base or Usage()
    adjust = adjust or {}
    model = cp_model.CpModel()
    opts = data.options
    x = {i: model.new_bool_var(f"o{i}") for i in subset}
    people: dict[int, list[int]] = defaultdict(list)
    for i in subset:
        people[opts[i].person].append(i)
    # [one move per person] and [pinned moves kept]
    for k, idxs in people.items():
        if len(idxs) > 1:
            model.add_at_most_one(x[i] for i in idxs)
        if k in data.pinned:
            host, first = data.pinned[k]
            model.add(
                sum(x[i] for i in idxs if opts[i].host == host and opts[i].first == first) == 1
            )
    terms_extra: list[Any] = []
    away: dict[tuple[str, int], list[int]] = defaultdict(list)
    incoming: dict[tuple[str, int], list[int]] = defaultdict(list)
    quota_moves: dict[str, list[int]] = defaultdict(list)
    leaving: dict[tuple[str, str, int], list[int]] = defaultdict(list)
    arriving: dict[tuple[str, str, int], list[int]] = defaultdict(list)
    fills: dict[tuple[str, str, int], list[int]] = defaultdict(list)
    for i in subset:
        o = opts[i]
        person = data.staff[o.person]
        if person.role == "teacher" and o.kind == "exchange":
            quota_moves[person.school].append(i)
        for t in range(o.first, o.first + o.length):
            away[(person.school, t)].append(i)
            incoming[(o.host, t)].append(i)
            if person.subject:
                leaving[(person.school, person.subject, t)].append(i)
                arriving[(o.host, person.subject, t)].append(i)
                if (
                    o.direction == "out"
                    and person.role == "teacher"
                    and (o.host, person.subject, t) in data.shortage
                ):
                    fills[(o.host, person.subject, t)].append(i)
    # [rotation.rate] quota of each advantaged school whose people are in this model
    if secondments is None:
        homes = {data.staff[opts[i].person].school for i in subset}
        for school, need in data.quota.items():
            if school in homes:
                sent = sum(x[i] for i in quota_moves.get(school, []))
                if soft_quota is None:
                    model.add(sent >= need)
                else:
                    missing = model.new_int_var(0, need, f"missing_{school}")
                    model.add(sent + missing >= need)
                    terms_extra.append(soft_quota * missing)
    # [rotation.max_outflow_share] and [rotation.host_capacity]
    for (school, t), idxs in away.items():
        model.add(
            sum(x[i] for i in idxs) <= data.outflow.get(school, 0) - base.away.get((school, t), 0)
        )
    for (host, t), idxs in incoming.items():
        model.add(
            sum(x[i] for i in idxs) <= data.capacity.get(host, 0) - base.incoming.get((host, t), 0)
        )
    # [rotation.keep_subject_cover]
    if rot.keep_subject_cover:
        for (school, subject, t), idxs in leaving.items():
            have = data.subject_count.get((school, subject), 0)
            have += base.subject.get((school, subject, t), 0)
            if len(idxs) >= have:
                model.add(
                    have
                    - sum(x[i] for i in idxs)
                    + sum(x[i] for i in arriving.get((school, subject, t), []))
                    >= 1
                )
    teacher_out = [
        i
        for i in subset
        if opts[i].kind == "exchange"
        and opts[i].direction == "out"
        and data.staff[opts[i].person].role == "teacher"
    ]
    teacher_in = [
        i
        for i in subset
        if opts[i].kind == "exchange"
        and opts[i].direction == "in"
        and data.staff[opts[i].person].role == "teacher"
    ]
    if couple:
        # [rotation.backbone_share] and [rotation.two_way], county-wide
        share = round(100 * rot.backbone_share)
        model.add(
            sum(
                (100 * (data.staff[opts[i].person].backbone in COUNTY_OR_ABOVE) - share) * x[i]
                for i in teacher_out
            )
            >= 0
        )
        if rot.two_way:
            model.add(
                100 * sum(x[i] for i in teacher_in)
                >= round(100 * rot.two_way_share) * sum(x[i] for i in teacher_out)
            )
    if secondments is not None:
        # [rotation.secondment_count]
        model.add(sum(x.values()) == secondments)
    # needs covered, capped at the shortage
    terms = []
    for key, idxs in fills.items():
        need, prio = data.shortage[key]
        c = model.new_int_var(0, min(need, len(idxs)), f"c{key}")
        model.add(c <= sum(x[i] for i in idxs))
        terms.append(-w8.roster_need * weights.get(prio, 1) * c)
    for i in subset:
        cost = opts[i].cost + adjust.get(i, 0)
        if cost:
            terms.append(cost * x[i])
    model.minimize(sum(terms) + sum(terms_extra))
    if hint:
        for i, var in x.items():
            model.add_hint(var, i in hint)
    callback = cpsat_callback("roster", progress or settings.progress)
    method = f"CP-SAT ({settings.workers} worker, linearization {settings.linearization_level})"
    first_plan: list[int] | None = None
    if not hint:
        # Phase 1: any plan, fast (no LP, no presolve, portfolio search: 0.4 s on the largest
        # haicheng-like group, where the full search needs several seconds before its first
        # plan), so that a time limit or Ctrl-C always leaves a plan. Phase 2 searches from
        # scratch: given phase 1's plan as a hint it was slower (11.8 s against 8.3 s).
        quick = cp_model.CpSolver()
        q = quick.parameters
        q.num_workers = 1
        q.linearization_level = 0
        q.cp_model_presolve = False
        q.stop_after_first_solution = True
        # Measured on haicheng-like's groups: with the defaults 1.5 s to a first plan on the
        # largest and none in 20 s on another; with the portfolio 0.4 s and 0.13 s.
        q.search_branching = cp_model.PORTFOLIO_SEARCH
        q.random_seed = settings.seed
        # At least two seconds even under a shorter limit: a plan a little late is worth
        # more than no plan at all.
        if settings.deterministic:
            q.max_deterministic_time = max(2.0, settings.time_limit / 2)
        else:
            q.max_time_in_seconds = max(2.0, settings.time_limit / 2)
        st1 = STOP.run(quick, model, quick=True)
        if st1 == cp_model.INFEASIBLE:
            return RosterOutcome([], "infeasible", None, None, method, time.perf_counter() - start)
        if st1 in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            first_plan = sorted(i for i, var in x.items() if quick.boolean_value(var))
    used = time.perf_counter() - start
    if first_plan is not None and STOP.requested:
        return RosterOutcome(
            first_plan,
            "feasible",
            _cost(data, inst, first_plan, adjust),
            None,
            method + ", first plan only",
            time.perf_counter() - start,
        )
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers = settings.workers
    p.linearization_level = settings.linearization_level
    p.random_seed = settings.seed
    # Measured on haicheng-like's largest group (16k options, to optimality): defaults
    # 9.3 s; presolve off 7.8 s; all LP rows from the start 7.0 s; both 4.8 s. Presolve off
    # also sidesteps or-tools issue 5293 (SOLVING.md).
    p.cp_model_presolve = False
    p.add_lp_constraints_lazily = False
    p.relative_gap_limit = settings.gap_limit
    if settings.deterministic:
        p.interleave_search = settings.workers > 1
        p.max_deterministic_time = max(0.1, settings.time_limit)
    else:
        p.max_time_in_seconds = max(0.1, settings.time_limit - used)
    st = STOP.run(solver, model, callback)
    if st not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if first_plan is not None and st != cp_model.INFEASIBLE:
            return RosterOutcome(
                first_plan,
                "feasible",
                _cost(data, inst, first_plan, adjust),
                None,
                method + ", first plan only",
                time.perf_counter() - start,
            )
        status = "infeasible" if st == cp_model.INFEASIBLE else "unknown"
        return RosterOutcome([], status, None, None, method, time.perf_counter() - start)
    chosen = sorted(i for i, var in x.items() if solver.boolean_value(var))
    value, bound = float(solver.objective_value), float(solver.best_objective_bound)
    # CP-SAT says OPTIMAL when it stops at relative_gap_limit; only a closed gap is optimal.
    proven = st == cp_model.OPTIMAL and value - bound <= 1e-9 * max(1.0, abs(value))
    return RosterOutcome(
        chosen,
        "optimal" if proven else "feasible",
        value,
        bound,
        method,
        time.perf_counter() - start,
    )


def _cost(data: RosterData, inst: Instance, chosen: list[int], adjust: dict[int, int]) -> float:
    """A component's objective for a choice (as the model counts it, without the constant)."""
    w8 = inst.policy.weights
    weights = inst.policy.needs.priority_weights
    value = sum(data.options[i].cost + adjust.get(i, 0) for i in chosen)
    value -= sum(
        w8.roster_need * weights.get(data.shortage[k][1], 1) * n
        for k, n in covered_needs(data, chosen).items()
    )
    return float(value)


def covered_needs(data: RosterData, chosen: list[int]) -> dict[tuple[str, str, int], int]:
    """Teachers covering each (host, subject, period) shortage, capped at the shortage."""
    count: dict[tuple[str, str, int], int] = defaultdict(int)
    for i in chosen:
        o = data.options[i]
        person = data.staff[o.person]
        if o.direction == "out" and person.role == "teacher" and person.subject:
            for t in range(o.first, o.first + o.length):
                key = (o.host, person.subject, t)
                if key in data.shortage:
                    count[key] += 1
    return {key: min(n, data.shortage[key][0]) for key, n in count.items()}


def roster_cost(inst: Instance, data: RosterData, chosen: list[int]) -> int:
    """The cost of a choice of options, as the module docstring defines it."""
    w8 = inst.policy.weights
    weights = inst.policy.needs.priority_weights
    covered = covered_needs(data, chosen)
    value = data.constant + sum(data.options[i].cost for i in chosen)
    value -= sum(
        w8.roster_need * weights.get(data.shortage[k][1], 1) * n for k, n in covered.items()
    )
    return value
