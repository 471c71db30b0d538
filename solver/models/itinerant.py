"""走教 circuits: which teachers travel, to which schools on which weekdays, how many lessons.

Cost of the itinerant part (lower is better; every term >= 0)::

    itinerant_lesson x sum over (school, subject) of its weight x lessons a week left
  + itinerant_teacher x teachers on a circuit
  + itinerant_km x km a week travelled

Home first (本校代课): each school's own teachers cover its need first, a fixed count
(:func:`~twinning.rules.itinerant.home_cover`); the circuits then fill the residual need
of receiving schools from schools with no residual need of the subject. Weekdays are
alike, so a teacher's week is counted by day routes: ``n[t, r]`` days on route ``r``
(one or two schools from home and back within the day's caps) and ``l[t, r, s]`` lessons
at each of its schools over those days; a visit split into its days with every visit at
least ``min_lessons_per_visit`` and every day at most ``max_lessons_per_day`` exactly when
``min x n <= l`` per school and ``sum l <= max_day x n`` (extras spread in turn), so the
count model is exact; days are named afterwards in ``itinerant.days`` order. ``z[t, s]``
says the teacher visits the school (the visitor caps count them).

The schools split into components that no circuit joins (with ``itinerant.scope`` =
alliance, the alliances); HiGHS solves one integer program per component, every subject
together (the visitor cap per school joins them). The reported bound is, per component,
the larger of the min-cost flow of lessons (every teacher and school, visits relaxed) and
the program's own bound where the program holds every teacher and every reachable school.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from twinning.county.distances import Distances
from twinning.county.instance import Instance, Staff
from twinning.messages import msg
from twinning.models.alliances.data import STAGE_BITS
from twinning.models.highs import IntegerProgram
from twinning.models.said import clauses
from twinning.models.search import STOP, SearchSettings
from twinning.plan import CircuitVisit, PartObjective, Plan, UnmetLessons
from twinning.result import (
    ItinerantKpis,
    ItinerantResult,
    ItinerantSolution,
    ItinerantSubjectKpi,
    gap_of,
)
from twinning.rules.alliances import alliance_stages
from twinning.rules.itinerant import (
    Minutes,
    Scope,
    WeeklyNeed,
    away,
    best_order,
    day_ok,
    day_travel,
    extra_lessons,
    home_cover,
    is_receiver,
    itinerant_cost,
    moved_staff,
    residual_needs,
    spare_lessons,
    weekly_needs,
)
from twinning.rules.roster import within_own_km

__all__ = ["solve_itinerant"]


@dataclass
class Route:
    """A day's stops from one home school, in the order driven, the day's km and minutes."""

    home: str
    stops: tuple[str, ...]
    km: float
    minutes: float


@dataclass
class Component:
    """Schools no circuit joins to any other: its teachers, routes and residual needs."""

    teachers: list[tuple[str, Staff]] = field(default_factory=list)  # (subject, teacher)
    routes: dict[tuple[str, str], list[Route]] = field(default_factory=dict)  # (home, subject)
    needs: dict[tuple[str, str], int] = field(default_factory=dict)  # (host, subject) -> lessons
    bound: float = 0.0  # its share of the flow bound (cost, offset included)
    complete: bool = True  # every teacher and reachable school in the program
    #: staff -> schools farther from home than their own limit (staff max_km)
    beyond: dict[str, set[str]] = field(default_factory=dict)


#: Candidate schools per home school: its nearest needing ones, and every school the
#: bound's flow sends its teachers to (so the model holds the flow's plan).
NEAREST_HOSTS = 20
#: Schools paired into two-school days: the nearest few candidates and the flow's.
PAIR_HOSTS = 8
#: Teachers kept per home school, subject, spare lessons and willing list (alike).
SAME_TEACHERS = 6
#: Costs in the bound's flow are scaled by this to stay integer.
BOUND_SCALE = 1000
#: Relative gap at which a component's search stops.
MIP_GAP = 2e-3


def add_routes(
    inst: Instance,
    home: str,
    candidates: list[tuple[str, float]],
    pair_pool: set[str],
    pair_km: Any,
    dist: Distances,
    minutes: Minutes,
) -> list[Route]:
    """[itinerant.max_schools_per_day, itinerant.max_km_per_day,
    itinerant.max_minutes_per_day]
    The day routes from a home school: one candidate school (with its km from home), or
    two from ``pair_pool`` in the cheaper order, within the day's km and minutes."""
    it = inst.policy.itinerant
    out: list[Route] = []
    singles: list[tuple[str, float]] = []
    for h, km in candidates:
        _, day_km, mins = day_travel(home, [h], dist, minutes)
        if day_ok(inst, day_km, mins, 1):
            out.append(Route(home, (h,), day_km, mins))
            if h in pair_pool:
                singles.append((h, km))
    if it.max_schools_per_day >= 2:
        for a in range(len(singles)):
            for b in range(a + 1, len(singles)):
                (x, _), (y, _) = singles[a], singles[b]
                order, day_km, mins = best_order(home, (x, y), dist, minutes)
                if day_ok(inst, day_km, mins, 2):
                    out.append(Route(home, order, day_km, mins))
    return out


def reachable(
    inst: Instance, homes: list[str], hosts: list[str], km: Any, scope: Scope, minutes: Minutes
) -> Any:
    """[itinerant.subject_stage, itinerant.max_km_per_day, itinerant.scope,
    itinerant.receivers]
    Home x host: a teacher of the home school teaches a stage the host has (see
    :func:`teaches_at`), the host receives circuits and is in the home school's scope,
    and a one-school day there and back stays within the day's km and minutes."""
    schools = {s.id: s for s in inst.schools}
    it = inst.policy.itinerant
    stage_bits = {
        sid: sum(STAGE_BITS[st] for st in alliance_stages(schools[sid])) for sid in {*homes, *hosts}
    }
    home_bits = np.array([stage_bits[h] for h in homes], dtype=np.int64)
    host_bits = np.array([stage_bits[h] for h in hosts], dtype=np.int64)
    ok = (home_bits[:, None] & host_bits[None, :]) != 0
    ok &= np.array(homes, dtype=object)[:, None] != np.array(hosts, dtype=object)[None, :]
    ok &= np.array([is_receiver(inst, schools[h]) for h in hosts], dtype=bool)[None, :]
    if it.scope != "county":
        col = {h: k for k, h in enumerate(hosts)}
        inside = np.zeros_like(ok)
        for r, h in enumerate(homes):
            cols = [col[m] for m in scope.mates(h) or () if m in col]
            inside[r, cols] = True
        ok &= inside
    if not day_ok(inst, 0.0, None, 1):
        return np.zeros_like(ok)
    ok &= 2 * km <= it.max_km_per_day + 1e-9
    if it.max_minutes_per_day is not None:
        for r, c in zip(*np.nonzero(ok), strict=True):
            _, _, mins = day_travel(homes[r], [hosts[c]], minutes._dist, minutes)
            if mins > it.max_minutes_per_day + 1e-9:
                ok[r, c] = False
    return ok


def willing_ok(t: Staff, host: str) -> bool:
    """[itinerant.eligible] A teacher who names schools (``willing``) goes only there."""
    return not t.willing or host in t.willing


def beyond_own_km(t: Staff, hosts: list[str], km_row: Any) -> set[str]:
    """[staff.max_km] The hosts farther from the teacher's home school than their own limit
    (个人通勤上限), ``km_row`` the home school's km to each host."""
    if t.max_km is None:
        return set()
    return {h for h, km in zip(hosts, km_row.tolist(), strict=True) if not within_own_km(t, km)}


@dataclass
class FlowBound:
    """Per host school, what the bound's flow saves there (priority-weighted lessons less
    their least cost); where it sends each home school's lessons."""

    saved: dict[str, float]
    support: dict[str, set[str]]


def flow_bound(
    inst: Instance,
    needs: dict[str, WeeklyNeed],
    residual: dict[str, int],
    teachers: list[Staff],
    spare: dict[str, int],
    homes: list[str],
    hosts: list[str],
    reach: Any,
    km: Any,
) -> FlowBound:
    """One subject's share of the lower bound over every teacher and every school a
    one-school day reaches: a min-cost flow of lessons from teachers (at most their spare
    lessons and ``days x max_lessons_per_day``) to schools (at most their residual need),
    each lesson priced at least its share of a teacher (``itinerant_teacher / spare``) and
    of the way there and back (``2 x km / max_lessons_per_day``), each lesson delivered
    earning its weight. Visits, days, visitors and the weekly least are relaxed; teachers
    alike (same home school, spare lessons and willing list) share one node."""
    from ortools.graph.python import min_cost_flow

    it, w8 = inst.policy.itinerant, inst.policy.weights
    groups: dict[tuple[int, int, tuple[str, ...], float], int] = defaultdict(int)
    row = {h: k for k, h in enumerate(homes)}
    for t in teachers:
        own = t.max_km if t.max_km is not None else float("inf")
        groups[(row[t.school], spare[t.id], tuple(t.willing), own)] += 1
    keys = sorted(groups)
    g_node = {k: i for i, k in enumerate(keys)}
    h_node = {h: len(keys) + j for j, h in enumerate(hosts)}
    source, sink = len(keys) + len(hosts), len(keys) + len(hosts) + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    cap_total = 0
    arcs: list[tuple[int, int, int]] = []  # (arc, cell, unit cost)
    for key in keys:
        r, q, willing, own = key
        cap = groups[key] * min(q, len(it.days) * it.max_lessons_per_day)
        cap_total += cap
        flow.add_arc_with_capacity_and_unit_cost(source, g_node[key], cap, 0)
        cols = np.flatnonzero(reach[r])
        if willing:
            cols = np.array([c for c in cols.tolist() if hosts[c] in willing], dtype=np.int64)
        if own < float("inf"):  # [staff.max_km]
            cols = cols[km[r, cols] <= own + 1e-9]
        if not len(cols):
            continue
        ways = 2 * km[r, cols] / it.max_lessons_per_day
        costs = np.floor((w8.itinerant_teacher / q + w8.itinerant_km * ways) * BOUND_SCALE)
        for c, cost in zip(cols.tolist(), costs.tolist(), strict=True):
            arc = flow.add_arc_with_capacity_and_unit_cost(
                g_node[key], h_node[hosts[c]], cap, int(cost)
            )
            arcs.append((arc, r * len(hosts) + c, int(cost)))
    sinks = []
    for h in hosts:
        gain = int(w8.itinerant_lesson * needs[h].weight * BOUND_SCALE)
        arc = flow.add_arc_with_capacity_and_unit_cost(h_node[h], sink, residual[h], -gain)
        sinks.append((arc, h, gain))
    flow.add_arc_with_capacity_and_unit_cost(source, sink, cap_total, 0)
    flow.set_node_supply(source, cap_total)
    flow.set_node_supply(sink, -cap_total)
    support: dict[str, set[str]] = defaultdict(set)
    saved: dict[str, float] = defaultdict(float)
    if cap_total == 0 or flow.solve() != flow.OPTIMAL:
        return FlowBound(saved, support)
    for arc, h, gain in sinks:
        saved[h] += flow.flow(arc) * gain / BOUND_SCALE
    for arc, cell, cost in arcs:
        f = flow.flow(arc)
        if f > 0:
            r, c = divmod(cell, len(hosts))
            support[homes[r]].add(hosts[c])
            saved[hosts[c]] -= f * cost / BOUND_SCALE
    return FlowBound(saved, support)


@dataclass
class Prepared:
    needs: dict[tuple[str, str], WeeklyNeed]
    home: dict[tuple[str, str], list[tuple[str, int]]]
    residual: dict[tuple[str, str], int]
    spare: dict[str, int]
    components: list[Component]
    #: cost of the lessons no circuit can reach (every plan leaves them)
    unreachable: float


def _prepare(inst: Instance, plan: Plan, dist: Distances, minutes: Minutes) -> Prepared:
    """Home cover, residual needs, circuit teachers, and the components with their routes
    and flow bounds."""
    unmet = plan.unmet_needs if "roster" in plan.parts else None
    needs = weekly_needs(inst, unmet)
    moved = moved_staff(plan.roster) if "roster" in plan.parts else set()
    extra = extra_lessons(inst, moved)
    home = home_cover(inst, needs, extra, moved)
    residual = residual_needs(needs, home)
    spare = spare_lessons(inst, moved, needs, extra)
    scope = Scope(inst, plan)
    it, w8 = inst.policy.itinerant, inst.policy.weights
    # union-find over schools joined by a reachable (home, host) of some subject
    parent: dict[str, str] = {}

    def find(a: str) -> str:
        parent.setdefault(a, a)
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    saved: dict[tuple[str, str], float] = {}
    partial: set[str] = set()
    per_subject: list[tuple[str, list[Staff], dict[str, list[Route]], dict[str, set[str]]]] = []
    staff_sorted = sorted(inst.staff, key=lambda p: p.id)
    for subject in sorted({sub for _, sub in residual}):
        STOP.check()
        mine = {school: needs[(school, sub)] for (school, sub) in residual if sub == subject}
        left = {school: residual[(school, subject)] for school in mine}
        hosts = sorted(mine)
        teachers = [t for t in staff_sorted if t.id in spare and t.subject == subject]
        homes = sorted({t.school for t in teachers})
        if not homes or not hosts:
            continue
        km = dist.block(homes, hosts)
        home_row = {h: k for k, h in enumerate(homes)}
        reach = reachable(inst, homes, hosts, km, scope, minutes)
        fb = flow_bound(inst, mine, left, teachers, spare, homes, hosts, reach, km)
        for h, v in fb.saved.items():
            saved[(h, subject)] = v
        between = dist.block(hosts, hosts)
        col = {h: k for k, h in enumerate(hosts)}

        def pair_km(a: str, b: str, between: Any = between, col: dict[str, int] = col) -> float:
            return float(between[col[a], col[b]])

        pairs_wanted = {t.school for t in teachers if spare[t.id] >= 2 * it.min_lessons_per_visit}
        routes: dict[str, list[Route]] = {}
        for hi, h in enumerate(homes):
            cols = np.flatnonzero(reach[hi])
            cols = cols[np.lexsort((cols, km[hi, cols]))]  # nearest first, ties by id
            flowed = fb.support.get(h, set())
            chosen = [
                c for k, c in enumerate(cols.tolist()) if k < NEAREST_HOSTS or hosts[c] in flowed
            ]
            candidates = [(hosts[c], float(km[hi, c])) for c in chosen]
            pool: set[str] = set()
            if h in pairs_wanted:
                pool = {x for x, _ in candidates[:PAIR_HOSTS]} | flowed
            routes[h] = add_routes(inst, h, candidates, pool, pair_km, dist, minutes)
            # the program holds every plan of this home school only with every school it
            # reaches a candidate, paired with every other where two visits fit a week
            if len(chosen) < len(cols) or (
                h in pairs_wanted
                and it.max_schools_per_day >= 2
                and len(pool & {x for x, _ in candidates}) < len(candidates)
            ):
                partial.add(h)
            for c in cols.tolist():
                parent[find(hosts[c])] = find(h)
        beyond = {
            t.id: beyond_own_km(t, hosts, km[home_row[t.school]])
            for t in teachers
            if t.max_km is not None
        }
        per_subject.append((subject, teachers, routes, beyond))
    # components keyed by their root
    comps: dict[str, Component] = {}
    for subject, teachers, routes, beyond in per_subject:
        count: dict[tuple[str, int, tuple[str, ...], float | None], int] = defaultdict(int)
        for t in teachers:
            far = beyond.get(t.id, set())
            rs = [
                r
                for r in routes.get(t.school, [])
                if all(willing_ok(t, s) and s not in far for s in r.stops)
            ]
            if not rs:
                continue
            comp = comps.setdefault(find(t.school), Component())
            if far:
                comp.beyond[t.id] = far
            alike = (t.school, spare[t.id], tuple(t.willing), t.max_km)
            if count[alike] >= SAME_TEACHERS:
                comp.complete = False
                continue
            count[alike] += 1
            comp.teachers.append((subject, t))
            comp.routes[(t.school, subject)] = routes[t.school]
    unreachable = 0.0
    for key, lessons in sorted(residual.items()):
        cost = w8.itinerant_lesson * needs[key].weight * lessons
        root = find(key[0]) if key[0] in parent else None
        found = comps.get(root) if root is not None else None
        if found is None:
            unreachable += cost
            continue
        found.needs[key] = lessons
        found.bound += cost - saved.get(key, 0.0)
    for comp in comps.values():
        # candidates cut short, or days of three schools and more (routes hold two)
        if it.max_schools_per_day > 2 or any(h in partial for h, _ in comp.routes):
            comp.complete = False
    ordered = [comps[k] for k in sorted(comps)]
    return Prepared(needs, home, residual, spare, ordered, unreachable)


#: Seconds a model gets at least, whatever is left of the time limit.
MIN_SHARE = 0.2


@dataclass
class Handles:
    """Columns of the integer program, by what they mean."""

    days: dict[tuple[str, int], int] = field(default_factory=dict)  # (staff, route)
    lessons: dict[tuple[str, int, str], int] = field(default_factory=dict)


def _build(
    inst: Instance, comp: Component, needs: dict[tuple[str, str], WeeklyNeed], spare: dict[str, int]
) -> tuple[IntegerProgram, Handles]:
    """One integer program over a component's subjects (every term, every rule)."""
    it, w8 = inst.policy.itinerant, inst.policy.weights
    days = len(it.days)
    ip = IntegerProgram()
    h = Handles()
    used_all: list[int] = []
    lessons_at: dict[tuple[str, str], list[int]] = defaultdict(list)
    visitors: dict[str, list[int]] = defaultdict(list)
    visitors_of: dict[tuple[str, str], list[int]] = defaultdict(list)
    caps = it.max_visitors_per_school is not None or it.max_visitors_per_subject is not None
    for subject, t in comp.teachers:
        routes = comp.routes[(t.school, subject)]
        q = spare[t.id]
        visits_max = q // it.min_lessons_per_visit
        used = ip.var(0, 1, w8.itinerant_teacher)
        used_all.append(used)
        day_vars = []
        teacher_lessons = []
        at: dict[str, list[int]] = defaultdict(list)
        for ri, r in enumerate(routes):
            far = comp.beyond.get(t.id, set())
            if len(r.stops) > visits_max or not all(
                willing_ok(t, s) and s not in far for s in r.stops
            ):
                continue
            n = ip.var(0, days, round(w8.itinerant_km * r.km))
            h.days[(t.id, ri)] = n
            day_vars.append(n)
            ls = []
            for s in r.stops:
                cap = min(it.max_lessons_per_day * days, comp.needs[(s, subject)], q)
                lv = ip.var(0, cap)
                h.lessons[(t.id, ri, s)] = lv
                add_min_lessons_per_visit(ip, lv, n, it.min_lessons_per_visit)
                ls.append(lv)
                lessons_at[(s, subject)].append(lv)
                at[s].append(lv)
            add_max_lessons_per_day(ip, ls, n, it.max_lessons_per_day)
            teacher_lessons += ls
        add_days(ip, day_vars, days, used)
        add_max_weekly_lessons(ip, teacher_lessons, q)
        add_min_weekly_lessons(ip, teacher_lessons, used, it.min_weekly_lessons)
        if caps:
            for s, ls in at.items():
                z = ip.var(0, 1)
                add_visit(ip, ls, z, min(q, it.max_lessons_per_day * days))
                visitors[s].append(z)
                visitors_of[(s, subject)].append(z)
    for key, lessons in comp.needs.items():
        pw = needs[key].weight * w8.itinerant_lesson
        ip.offset += pw * lessons
        got = lessons_at.get(key, [])
        if got:
            cover = add_need(ip, got, lessons)
            ip.add_cost(cover, -pw)
    add_max_visitors_per_school(ip, visitors, it.max_visitors_per_school)
    add_max_visitors_per_subject(ip, visitors_of, it.max_visitors_per_subject)
    add_max_teachers(ip, used_all, it.max_teachers)
    return ip, h


def add_min_lessons_per_visit(ip: IntegerProgram, lessons: int, visits: int, low: int) -> None:
    """[itinerant.min_lessons_per_visit] Every visit teaches at least ``low`` lessons."""
    ip.at_least([lessons, visits], [1, -low], 0)


def add_max_lessons_per_day(ip: IntegerProgram, lessons: list[int], visits: int, high: int) -> None:
    """[itinerant.max_lessons_per_day] A day's circuit lessons stay within ``high``."""
    ip.at_most([*lessons, visits], [1.0] * len(lessons) + [-high], 0)


def add_days(ip: IntegerProgram, day_vars: list[int], days: int, used: int) -> None:
    """[itinerant.days] One route a day, on the policy's weekdays; a teacher with a route
    is on a circuit."""
    ip.at_most([*day_vars, used], [1.0] * len(day_vars) + [-days], 0)


def add_max_weekly_lessons(ip: IntegerProgram, lessons: list[int], spare: int) -> None:
    """[itinerant.max_weekly_lessons, itinerant.eligible, itinerant.home_first,
    itinerant.max_age]
    Circuit lessons within what the teacher can spare beyond the home school's lessons and
    本校代课 (only teachers who may circuit, not age-barred, from a school not short)."""
    if lessons:
        ip.at_most(lessons, [1.0] * len(lessons), spare)


def add_min_weekly_lessons(ip: IntegerProgram, lessons: list[int], used: int, low: int) -> None:
    """[itinerant.min_weekly_lessons] A teacher on a circuit teaches at least ``low``
    lessons a week away from home."""
    if low > 0:
        ip.at_least([*lessons, used], [1.0] * len(lessons) + [-float(low)], 0)


def add_visit(ip: IntegerProgram, lessons: list[int], visit: int, cap: int) -> None:
    """The teacher visits the school (``visit`` 1) when teaching any lesson there."""
    ip.at_most([*lessons, visit], [1.0] * len(lessons) + [-float(cap)], 0)


def add_max_visitors_per_school(
    ip: IntegerProgram, visitors: dict[str, list[int]], cap: int | None
) -> None:
    """[itinerant.max_visitors_per_school] At most ``cap`` circuit teachers at a school."""
    if cap is not None:
        for zs in visitors.values():
            if len(zs) > cap:
                ip.at_most(zs, [1.0] * len(zs), cap)


def add_max_visitors_per_subject(
    ip: IntegerProgram, visitors: dict[tuple[str, str], list[int]], cap: int | None
) -> None:
    """[itinerant.max_visitors_per_subject] At most ``cap`` circuit teachers of one
    subject at a school."""
    if cap is not None:
        for zs in visitors.values():
            if len(zs) > cap:
                ip.at_most(zs, [1.0] * len(zs), cap)


def add_need(ip: IntegerProgram, lessons: list[int], need: int) -> int:
    """[itinerant.need] A school gets no more lessons of a subject than it lacks; returns
    the column of the lessons covered."""
    cover = ip.var(0, need)
    ip.row([*lessons, cover], [1.0] * len(lessons) + [-1.0], 0, 0)
    return cover


def add_max_teachers(ip: IntegerProgram, used: list[int], cap: int | None) -> None:
    """[itinerant.max_teachers] At most this many teachers on circuits in the county."""
    if cap is not None:
        ip.at_most(used, [1.0] * len(used), cap)


def _search(
    ip: IntegerProgram, limit: float, settings: SearchSettings
) -> tuple[np.ndarray | None, float]:
    """Branch and bound to the gap: (the plan or None, the program's bound)."""
    out = ip.solve(
        limit,
        gap=MIP_GAP,
        absolute_gap=1.0,
        deterministic=settings.deterministic,
        node_limit=DETERMINISTIC_NODES,
    )
    bound = out.bound if np.isfinite(out.bound) else -np.inf
    if out.status in ("unknown", "infeasible"):
        return None, bound
    return out.values, bound


def _read(inst: Instance, comp: Component, x: Any, h: Handles) -> list[Any]:
    """Name the days and split each route's lessons over them (extras spread in turn)."""
    it = inst.policy.itinerant
    dist_rows = []
    for subject, t in comp.teachers:
        routes = comp.routes[(t.school, subject)]
        day = 0
        for ri, r in enumerate(routes):
            col = h.days.get((t.id, ri))
            n = 0 if col is None else round(x[col])
            if n <= 0:
                continue
            per_stop = []
            offset = 0
            for s in r.stops:
                total = round(x[h.lessons[(t.id, ri, s)]])
                base, extra = divmod(total, n)
                # extras go round the days in turn, continuing where the last stop's
                # ended, so day totals differ by at most one and stay within the cap
                split = [base + (1 if (d - offset) % n < extra else 0) for d in range(n)]
                offset = (offset + extra) % n
                per_stop.append(split)
            for d in range(n):
                weekday = it.days[day + d]
                for order, s in enumerate(r.stops, start=1):
                    lessons = per_stop[order - 1][d]
                    dist_rows.append((t, subject, weekday, order, s, lessons, r))
            day += n
    return dist_rows


def solve_itinerant(
    inst: Instance,
    plan: Plan,
    *,
    settings: SearchSettings | None = None,
    dist: Distances | None = None,
) -> ItinerantSolution:
    """Plan the circuits of the itinerant part on top of the plan so far."""
    start = time.perf_counter()
    settings = settings or SearchSettings()
    dist = dist or Distances(inst)
    minutes = Minutes(inst, dist)
    prep = _prepare(inst, plan, dist, minutes)
    comps = prep.components
    if inst.policy.itinerant.max_teachers is not None and len(comps) > 1:
        comps = [_merge(comps)]  # the county's cap joins every component
    built = [_build(inst, c, prep.needs, prep.spare) for c in comps]
    sizes = [ip.columns + 1 for ip, _ in built]
    rows: list[Any] = []
    bound = prep.unreachable
    for k, (comp, (ip, handles)) in enumerate(zip(comps, built, strict=True)):
        if STOP.requested:
            bound += min(comp.bound, ip.offset)
            continue  # stopped (Ctrl-C): the components searched so far keep their circuits
        left, rest = settings.time_limit, sum(sizes)
        if not settings.deterministic:
            left -= time.perf_counter() - start
            rest = sum(sizes[k:])
        share = max(MIN_SHARE, left * sizes[k] / max(1, rest))
        x, ip_bound = _search(ip, share, settings)
        # the program's bound holds for every plan only when it holds every teacher and
        # every school a circuit reaches; the flow's always does
        bound += max(comp.bound, ip_bound) if comp.complete else comp.bound
        if x is None:
            continue  # no circuit at all keeps every rule: its lessons stay unmet
        rows += _read(inst, comp, x, handles)
    circuits = _home_lines(inst, prep.home) + _visits(rows, dist, minutes)
    dropped: list[str] = []
    raised: dict[tuple[str, str, str], float] = {}
    if inst.policy.balance.no_worse:
        circuits, dropped, raised = hold_no_worse(inst, plan, circuits)
    objective, terms = itinerant_cost(inst, prep.needs, circuits, dist, minutes)
    total_bound = min(float(objective), bound)
    status = "optimal" if objective - total_bound < 1e-6 * max(1, objective) else "feasible"
    if dropped and status == "optimal":
        status = "feasible"  # the bound is the circuits' without balance.no_worse
    said = None
    if dropped:
        said = msg("itinerant.no_worse_dropped", n=len(dropped))
    if raised:
        status = "unknown"
        misses = [
            msg("roster.balance.worse_miss", indicator=i, stage=st, period=p, by=float(by))
            for (i, st, p), by in sorted(raised.items())
        ]
        said = clauses(said, msg("itinerant.no_worse_left", misses=misses))
    unmet = _unmet(prep.needs, circuits)
    kpis = _kpis(prep.needs, circuits, len(prep.spare), dist, minutes)
    part = ItinerantResult(
        status=status,
        objective=objective,
        bound=total_bound,
        gap=gap_of(objective, total_bound),
        method=msg("method.itinerant", models=len(comps), gap=MIP_GAP, nearest=NEAREST_HOSTS),
        wall_time=time.perf_counter() - start,
        terms=terms,
        kpis=kpis,
        message=said,
    )
    return ItinerantSolution(part, PartObjective(value=objective, terms=terms), circuits, unmet)


#: balance.no_worse: the most 走教 teachers taken off their circuits to hold it.
MOST_DROPPED = 200


def hold_no_worse(
    inst: Instance, plan: Plan, circuits: list[CircuitVisit]
) -> tuple[list[CircuitVisit], list[str], dict[tuple[str, str, str], float]]:
    """[balance.no_worse] The circuits, less the visits of the teachers whose 走教 would
    raise a staffing coefficient above its value before the plan (or above the roster's
    own, where the roster already raised it), worst first (:func:`twinning.rules.balance.
    circuit_harm`); their 本校代课 lines stay. Returns the circuits kept, the teachers
    taken off, and (indicator, stage, period) -> by how much the circuits still raise a
    coefficient above its ceiling where dropping cannot mend it."""
    from twinning.rules.balance import ceiling_misses, ceilings, circuit_harm

    limits = ceilings(inst)
    roster_only = ceiling_misses(inst, plan.model_copy(update={"circuits": []}), limits)
    dropped: list[str] = []
    misses: dict[tuple[str, str, str], float] = {}
    while True:
        full = plan.model_copy(update={"circuits": circuits})
        misses = {
            key: cv
            for key, cv in ceiling_misses(inst, full, limits).items()
            if cv > roster_only.get(key, 0.0) + 1e-12
        }
        if not misses or len(dropped) >= MOST_DROPPED:
            break
        ind, stage, period = max(misses, key=lambda k: misses[k] - limits[(k[0], k[1])])
        harm = circuit_harm(inst, full, ind, stage, period)
        worst = max(harm, key=lambda pid: (harm[pid], pid), default=None)
        if worst is None or harm[worst] <= 0:
            break  # no teacher's visits raise it: nothing dropping can mend
        dropped.append(worst)
        circuits = [c for c in circuits if c.staff != worst or c.school == c.home_school]
    left = {
        key: round(cv - max(limits[(key[0], key[1])], roster_only.get(key, 0.0)), 4)
        for key, cv in misses.items()
    }
    return circuits, dropped, left


def _merge(comps: list[Component]) -> Component:
    out = Component()
    for c in comps:
        out.teachers += c.teachers
        out.routes.update(c.routes)
        out.needs.update(c.needs)
        out.beyond.update(c.beyond)
        out.bound += c.bound
        out.complete = out.complete and c.complete
    return out


#: Branch-and-bound nodes a model may use under ``--deterministic`` (no clock).
DETERMINISTIC_NODES = 2000


def _home_lines(
    inst: Instance, home: dict[tuple[str, str], list[tuple[str, int]]]
) -> list[CircuitVisit]:
    """本校代课: a line at the home school (km 0) for each teacher covering it."""
    first = inst.policy.itinerant.days[0]
    return [
        CircuitVisit(
            staff=sid,
            subject=subject,
            home_school=school,
            weekday=first,
            order=1,
            school=school,
            lessons=n,
            km=0.0,
            minutes=0.0,
        )
        for (school, subject), lines in sorted(home.items())
        for sid, n in lines
    ]


def _visits(rows: list[Any], dist: Distances, minutes: Minutes) -> list[CircuitVisit]:
    out = []
    for t, subject, weekday, order, school, lessons, route in rows:
        prev = t.school if order == 1 else route.stops[order - 2]
        leg_min = minutes.get(prev, school)
        out.append(
            CircuitVisit(
                staff=t.id,
                subject=subject,
                home_school=t.school,
                weekday=weekday,
                order=order,
                school=school,
                lessons=lessons,
                km=round(dist.km(prev, school), 3),
                minutes=round(leg_min, 1),
            )
        )
    return out


def _unmet(
    needs: dict[tuple[str, str], WeeklyNeed], circuits: list[CircuitVisit]
) -> list[UnmetLessons]:
    covered: dict[tuple[str, str], int] = defaultdict(int)
    for c in circuits:
        covered[(c.school, c.subject)] += c.lessons
    return [
        UnmetLessons(
            school=n.school,
            subject=n.subject,
            weekly_lessons=n.lessons,
            covered=covered.get(key, 0),
            priority=n.priority,
        )
        for key, n in sorted(needs.items())
    ]


def _kpis(
    needs: dict[tuple[str, str], WeeklyNeed],
    circuits: list[CircuitVisit],
    available: int,
    dist: Distances,
    minutes: Minutes,
) -> ItinerantKpis:
    from twinning.rules.itinerant import circuit_days

    days = circuit_days(circuits, dist, minutes)
    by_subject: dict[str, ItinerantSubjectKpi] = {}
    for subject in sorted({s for _, s in needs}):
        need = sum(n.lessons for (_, s), n in needs.items() if s == subject)
        cov = sum(c.lessons for c in circuits if c.subject == subject)
        teachers = len({c.staff for c in circuits if c.subject == subject and away(c)})
        by_subject[subject] = ItinerantSubjectKpi(needed=need, covered=cov, teachers=teachers)
    km = [v[0] for v in days.values()]
    return ItinerantKpis(
        weekly_lessons_needed=sum(n.lessons for n in needs.values()),
        weekly_lessons_covered=sum(c.lessons for c in circuits),
        teachers_used=len({c.staff for c in circuits if away(c)}),
        teachers_available=available,
        km_per_week=round(float(np.sum(km)) if km else 0.0, 1),
        longest_day_km=round(max(km), 1) if km else 0.0,
        schools_served=len({c.school for c in circuits if away(c)}),
        by_subject=by_subject,
    )
