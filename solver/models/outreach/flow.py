"""The outreach calendar as a network flow, one semester at a time.

Why a flow: a visit's cost depends only on the visitor's school and subject and on the
school visited (distance, pair and alliance, the school's shortages), so teachers of one
school and subject form one *group*; the rules are capacities on a network

    source [-> hub (cap: max_visits_per_week x weeks, when given)]
           -> sending school (cap: weeks x max_away, less its 跟岗 weeks)
           -> group (school, subject) (cap: teachers x max_visits_per_teacher)
           -> receiving school (cap: min(teachers, visits_per_school): one visit per
              teacher and school)
           -> sink (visits_per_school, or fewer when min_weeks_apart leaves its weeks
              room for fewer)

plus a "missing" arc source -> sink at ``weight_missing``, so that the flow is always
feasible and a shortfall is a priced, reported miss. OR-Tools' min-cost flow solves it
exactly and integrally in well under a second for haicheng-like. The aggregate is turned
back into teachers and weeks: within a group a wrap-around order (McNaughton) gives each
school its visits from distinct teachers, at most ``max_visits_per_teacher`` each; the
weeks are then spread over the semester (:mod:`twinning.models.outreach.weeks`: visits to
one school ``min_weeks_apart`` apart, each week under its cap); a visit no week can hold
is dropped and reported (never expected; then not optimal).

Large counties: each receiving school keeps only arcs from its partners (pair helper,
alliance) and from the ``CANDIDATES`` cheapest other schools; the cheapest arc left out
bounds what any excluded visit would cost, which gives a lower bound per receiving school
(its ``visits_per_school`` cheapest arcs, capacities of other schools ignored). The gap
to that bound is reported; with nothing left out the flow is exact and the plan optimal.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from ortools.graph.python import min_cost_flow

from twinning.county.distances import Distances
from twinning.county.instance import Instance, Staff
from twinning.models.outreach.weeks import Unit, add_spread
from twinning.plan import OutreachVisit
from twinning.rules import outreach as rules

#: Adds an arc (tail, head, capacity, unit cost) and returns its index.
AddArc = Callable[[int, int, int, int], int]
#: Rounds of pricing (adding left-out arcs of negative reduced cost) before the bound is
#: taken instead of a proof.
PRICING_ROUNDS = 6

#: Other schools (beyond partners) kept per receiving school before the flow, when the
#: county has more than PRUNE_ABOVE (receiving school, sending school) pairs.
CANDIDATES = 40
PRUNE_ABOVE = 300_000


@dataclass
class Semester:
    """What one semester's flow is solved with."""

    period: str
    receivers: list[str]
    groups: dict[tuple[str, str], list[Staff]]  # (school, subject) -> visitors at home
    room: dict[str, dict[int, int]]  # school -> week -> teachers it may still have away
    short: dict[str, set[str]]  # school -> shortage subjects


@dataclass
class SemesterPlan:
    """One semester's lines, with the flow's bound and whether arcs were left out."""

    visits: list[OutreachVisit] = field(default_factory=list)
    bound: float = 0.0
    pruned: bool = False  # arcs left out and no proof that none of them would help
    rounds: int = 0  # pricing rounds that added arcs
    arcs: int = 0  # visit arcs in the last flow
    dropped: int = 0  # visits the weeks could not hold (never expected; then not optimal)


def add_visitors(
    inst: Instance, period: str, away: dict[str, set[str]], busy: set[str]
) -> dict[tuple[str, str], list[Staff]]:
    """[outreach.visitors] Visitors at home in a semester, by (school, subject): backbone
    teachers (county level or above) and studio members, not away on the roster, not on a
    跟岗 stint (``busy``)."""
    groups: dict[tuple[str, str], list[Staff]] = defaultdict(list)
    for t in inst.staff:
        if rules.may_visit(t) and period not in away.get(t.id, set()) and t.id not in busy:
            groups[(t.school, t.subject or "")].append(t)
    return {k: sorted(v, key=lambda t: t.id) for k, v in sorted(groups.items())}


def add_visits_per_school(arc: AddArc, inst: Instance, source: int, node: int, sink: int) -> None:
    """[outreach.visits_per_school] A receiving school takes visits_per_school visits
    (no more than min_weeks_apart lets its weeks hold): an arc to the sink, and a missing
    arc from the source to the sink at weight_missing per visit."""
    o = inst.policy.outreach
    arc(node, sink, add_min_weeks_apart(inst, o.visits_per_school), 0)
    arc(source, sink, o.visits_per_school, o.weight_missing)


def add_min_weeks_apart(inst: Instance, need: int) -> int:
    """[outreach.min_weeks_apart] The visits one school can take in a semester: at most as
    many as fit its outreach weeks min_weeks_apart apart (the weeks themselves are placed by
    :func:`twinning.models.outreach.weeks.add_spread`)."""
    most = rules.spaced_visits(inst)
    return need if most is None else min(need, most)


def add_max_visits_per_week(arc: AddArc, inst: Instance, source: int, hub: int) -> None:
    """[outreach.max_visits_per_week] With max_visits_per_week given, the semester's visits
    are at most that many per outreach week (the default cap, twice the average, never
    binds the total; the weeks are placed by
    :func:`twinning.models.outreach.weeks.add_spread`)."""
    o = inst.policy.outreach
    if o.max_visits_per_week is None:
        return
    arc(source, hub, o.max_visits_per_week * len(o.weeks), 0)


def add_max_visits_per_teacher(
    arc: AddArc, inst: Instance, school_node: int, node: int, teachers: int
) -> None:
    """[outreach.max_visits_per_teacher] A group of teachers makes at most
    max_visits_per_teacher visits each (and no more than there are weeks)."""
    o = inst.policy.outreach
    per = min(o.max_visits_per_teacher, len(o.weeks))
    arc(school_node, node, teachers * per, 0)


def add_max_away_per_school_per_week(
    arc: AddArc, source: int, node: int, room: dict[int, int]
) -> None:
    """[outreach.max_away_per_school_per_week] A sending school's visits fit its weeks:
    at most max_away_per_school_per_week a week, less its teachers away on 跟岗."""
    arc(source, node, sum(max(0, n) for n in room.values()), 0)


def solve_semester(
    inst: Instance,
    sem: Semester,
    dist: Distances,
    partners: rules.Partners,
    *,
    prune: bool = True,
) -> SemesterPlan:
    """Plan one semester's model-lesson visits (see the module docstring)."""
    o = inst.policy.outreach
    need = o.visits_per_school
    out = SemesterPlan()
    if need == 0 or not sem.receivers:
        return out
    senders = sorted({s for s, _ in sem.groups})
    column = {s: j for j, s in enumerate(senders)}
    base = _base_costs(inst, sem, dist, partners, senders)
    subjects: dict[str, list[tuple[str, int]]] = defaultdict(list)  # school -> (subject, n)
    for (s, subject), people in sem.groups.items():
        subjects[s].append((subject, len(people)))
    finite = np.isfinite(base)
    keep = finite.copy()
    big = len(sem.receivers) * len(senders) > PRUNE_ABOVE
    if prune and big:
        keep[:] = False
        for i, r in enumerate(sem.receivers):
            ok = np.flatnonzero(finite[i])
            keep[i, ok[np.argsort(base[i, ok], kind="stable")[:CANDIDATES]]] = True
            for s in partners.helpers.get(r, set()) | partners.alliance.get(r, set()):
                if s in column and finite[i, column[s]]:
                    keep[i, column[s]] = True
    proven = False
    for _ in range(PRICING_ROUNDS):
        net = _network(inst, sem, senders, subjects, base, keep)
        missing = np.argwhere(finite & ~keep)
        if not len(missing):
            proven = True
            break
        # Pricing: an arc left out could lower the cost only with a negative reduced cost
        # under the potentials of the residual network; add those and solve again.
        potential = net.potentials()
        if potential is None:
            break
        lowest = net.lowest_group_potential(senders, potential)
        rows, cols = missing[:, 0], missing[:, 1]
        reduced = base[rows, cols] + lowest[cols] - potential[net.receiver_node(rows)]
        negative = reduced < 0
        if not negative.any():
            proven = True
            break
        keep[rows[negative], cols[negative]] = True
        out.rounds += 1
    else:
        net = _network(inst, sem, senders, subjects, base, keep)
    out.pruned = not proven
    out.arcs = len(net.visit_arcs)
    if proven:
        out.bound = float(net.flow.optimal_cost())
    else:
        out.bound = sum(
            _cheapest_row(inst, sem, base[i], senders, subjects, r)
            for i, r in enumerate(sem.receivers)
        )
    given: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
    flows = net.flow.flows(np.arange(net.flow.num_arcs()))
    for arc, g, r in net.visit_arcs:
        f = int(flows[arc])
        if f:
            given[g].append((r, f))
    out.visits, out.dropped = _calendar(inst, sem, given)
    return out


def _base_costs(
    inst: Instance,
    sem: Semester,
    dist: Distances,
    partners: rules.Partners,
    senders: list[str],
) -> NDArray[np.float64]:
    """Cost of a visit receiver x sending school before its subject (inf: not allowed)."""
    o = inst.policy.outreach
    by_id = {s.id: s for s in inst.schools}
    km = np.rint(np.nan_to_num(dist.block(sem.receivers, senders), posinf=0.0))
    base = o.weight_km * km + o.weight_not_pair + o.weight_not_alliance
    bit = {st: 1 << k for k, st in enumerate(sorted({x for s in inst.schools for x in s.stages}))}
    mask_s = np.array([sum(bit[x] for x in by_id[s].stages) for s in senders], dtype=np.int64)
    mask_r = np.array([sum(bit[x] for x in by_id[r].stages) for r in sem.receivers], dtype=np.int64)
    base[(mask_r[:, None] & mask_s[None, :]) == 0] = np.inf
    column = {s: j for j, s in enumerate(senders)}
    for i, r in enumerate(sem.receivers):
        if r in column:
            base[i, column[r]] = np.inf
        for s in partners.helpers.get(r, set()) & column.keys():
            base[i, column[s]] -= o.weight_not_pair
        for s in partners.alliance.get(r, set()) & column.keys():
            base[i, column[s]] -= o.weight_not_alliance
    return base


@dataclass
class _Network:
    flow: min_cost_flow.SimpleMinCostFlow
    tails: list[int]
    heads: list[int]
    caps: list[int]
    costs: list[int]
    visit_arcs: list[tuple[int, tuple[str, str], str]]
    group_node: dict[tuple[str, str], int]
    first_receiver: int

    def receiver_node(self, i: NDArray[np.int64]) -> NDArray[np.int64]:
        return self.first_receiver + i

    def potentials(self) -> NDArray[np.float64] | None:
        """Node potentials of the optimal flow's residual network (shortest distances from
        a root joined to every node, Bellman-Ford on numpy arrays); None if they do not
        settle (never expected: an optimal flow's residual network has no negative
        cycle)."""
        tails = np.array(self.tails, dtype=np.int64)
        heads = np.array(self.heads, dtype=np.int64)
        caps = np.array(self.caps, dtype=np.int64)
        costs = np.array(self.costs, dtype=np.float64)
        flows = self.flow.flows(np.arange(len(tails)))
        fwd, back = flows < caps, flows > 0
        u = np.concatenate([tails[fwd], heads[back]])
        v = np.concatenate([heads[fwd], tails[back]])
        c = np.concatenate([costs[fwd], -costs[back]])
        d = np.zeros(self.flow.num_nodes())
        for _ in range(len(d) + 1):
            new = d.copy()
            np.minimum.at(new, v, d[u] + c)
            if np.array_equal(new, d):
                return d
            d = new
        return None

    def lowest_group_potential(
        self, senders: list[str], potential: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        """Per sending school, the least potential of its groups (a lower bound on a left-out
        arc's reduced cost, whatever its subject, with the cost's subject term at 0)."""
        column = {s: j for j, s in enumerate(senders)}
        low = np.full(len(senders), np.inf)
        for (s, _), node in self.group_node.items():
            low[column[s]] = min(low[column[s]], potential[node])
        return low


def _network(
    inst: Instance,
    sem: Semester,
    senders: list[str],
    subjects: dict[str, list[tuple[str, int]]],
    base: NDArray[np.float64],
    keep: NDArray[np.bool_],
) -> _Network:
    """Build and solve the flow over the kept arcs."""
    o = inst.policy.outreach
    need = o.visits_per_school
    source, sink = 0, 1
    school_node = {s: 2 + j for j, s in enumerate(senders)}
    group_node = {g: 2 + len(senders) + k for k, g in enumerate(sem.groups)}
    first_receiver = 2 + len(senders) + len(sem.groups)
    # With a weekly cap, the sending schools draw from a hub the cap feeds.
    hub = first_receiver + len(sem.receivers)
    senders_from = source if o.max_visits_per_week is None else hub
    flow = min_cost_flow.SimpleMinCostFlow()
    net = _Network(flow, [], [], [], [], [], group_node, first_receiver)

    def arc(tail: int, head: int, cap: int, cost: int) -> int:
        net.tails.append(tail)
        net.heads.append(head)
        net.caps.append(cap)
        net.costs.append(cost)
        return int(flow.add_arc_with_capacity_and_unit_cost(tail, head, cap, cost))

    add_max_visits_per_week(arc, inst, source, hub)
    for s in senders:
        add_max_away_per_school_per_week(arc, senders_from, school_node[s], sem.room.get(s, {}))
    for g, people in sem.groups.items():
        add_max_visits_per_teacher(arc, inst, school_node[g[0]], group_node[g], len(people))
    for i, r in enumerate(sem.receivers):
        node = first_receiver + i
        add_visits_per_school(arc, inst, source, node, sink)
        short = sem.short.get(r, set())
        for j in np.flatnonzero(keep[i]).tolist():
            s = senders[j]
            for subject, n in subjects[s]:
                cost = int(base[i, j]) + (0 if subject in short else o.weight_off_need)
                a = arc(group_node[(s, subject)], node, min(n, need), cost)
                net.visit_arcs.append((a, (s, subject), r))
    total = need * len(sem.receivers)
    flow.set_node_supply(source, total)
    flow.set_node_supply(sink, -total)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"outreach flow failed with status {status}")
    return net


def _cheapest_row(
    inst: Instance,
    sem: Semester,
    row: NDArray[np.float64],
    senders: list[str],
    subjects: dict[str, list[tuple[str, int]]],
    r: str,
) -> float:
    """A lower bound on one receiving school's cost: its cheapest visits_per_school arcs,
    other schools' claims on the same teachers ignored."""
    o = inst.policy.outreach
    short = sem.short.get(r, set())
    costs = [
        (int(row[j]) + (0 if subject in short else o.weight_off_need), min(n, o.visits_per_school))
        for j in np.flatnonzero(np.isfinite(row)).tolist()
        for subject, n in subjects[senders[j]]
    ]
    return _cheapest(costs, o.visits_per_school, np.inf, o.weight_missing)


def _cheapest(costs: list[tuple[int, int]], need: int, cutoff: float, missing: int) -> float:
    """The least cost of ``need`` visits to one school from these arcs, any arc left out
    (each at least ``cutoff``) and the missing arc."""
    total, left = 0.0, need
    for cost, cap in sorted(costs):
        if cost >= min(cutoff, missing) or left == 0:
            break
        take = min(cap, left)
        total += cost * take
        left -= take
    return total + left * min(cutoff, missing)


def _calendar(
    inst: Instance, sem: Semester, given: dict[tuple[str, str], list[tuple[str, int]]]
) -> tuple[list[OutreachVisit], int]:
    """Teachers and weeks for the flow's visits: wrap-around within a group (distinct
    teachers for one school), then weeks spread over the semester
    (:func:`twinning.models.outreach.weeks.add_spread`)."""
    o = inst.policy.outreach
    units: list[Unit] = []
    for g, to in sorted(given.items()):
        people = sem.groups[g]
        unit = 0
        for r, f in sorted(to):
            for _ in range(f):
                units.append(Unit(people[unit % len(people)], g[0], r))
                unit += 1
    weeks = add_spread(inst, units, sem.room)
    visits = [
        OutreachVisit(
            period=sem.period,
            week=w,
            staff=u.teacher.id,
            from_school=u.school,
            to_school=u.host,
            subject=u.teacher.subject or "",
            kind="model_lesson",
            days=o.visit_days,
        )
        for u, w in zip(units, weeks, strict=True)
        if w is not None
    ]
    visits.sort(key=lambda v: (v.week, v.from_school, v.staff, v.to_school))
    return visits, sum(w is None for w in weeks)
