"""走教 circuits: which teachers travel, to which schools on which weekdays, how many lessons.

Cost of the itinerant part (lower is better; every term >= 0)::

    itinerant_lesson x sum over (school, subject) of priority weight x lessons a week left
  + itinerant_teacher x teachers on a circuit
  + itinerant_km x km a week travelled

The model is built per subject (a teacher teaches one subject, so subjects share
nothing unless ``itinerant.max_teachers`` caps them together). Weekdays are alike, so a
teacher's week is counted by day routes: ``n[t, r]`` days on route ``r`` (one or two
schools from home and back within the day's caps) and ``l[t, r, s]`` lessons at each of
its schools over those days. A route's lessons split into its days with every visit at
least ``min_lessons_per_visit`` and every day at most ``max_lessons_per_day`` exactly when
``min x n <= l`` per school and ``sum l <= max_day x n`` (extras spread in turn), so the
count model is exact; days are named afterwards in ``itinerant.days`` order.

HiGHS solves it per subject: the model is close to a network and its LP relaxation nearly
integral, so the relaxation rounded (:func:`_round`) is a plan within a fraction of a
percent of it; branch and bound runs from that plan only while it is further than
``MIP_GAP`` (HiGHS's root node does not answer a stop request, so a long search there
would hold up Ctrl-C). Each home school's candidates are its nearest needing schools and
every school the bound's min-cost flow sends its teachers to, so the model can always
take the flow's plan; the reported bound is the flow's, which holds for every teacher and
school. Measured against CP-SAT on the same models in tests/benchmarks/results/itinerant.md.
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
    WeeklyNeed,
    best_order,
    day_ok,
    day_travel,
    itinerant_cost,
    moved_staff,
    priority_weight,
    spare_lessons,
    weekly_needs,
)

__all__ = ["solve_itinerant"]


@dataclass
class Route:
    """A day's stops from one home school, in the order driven, and the day's km."""

    home: str
    stops: tuple[str, ...]
    km: float
    minutes: float | None


@dataclass
class SubjectModel:
    subject: str
    teachers: list[Staff]
    routes: dict[str, list[Route]]  # home -> routes
    needs: dict[str, WeeklyNeed]  # school -> need
    spare: dict[str, int]
    # teachers with spare lessons for one visit a week, alike per (home, spare): counted
    classes: dict[tuple[str, int], list[Staff]] = field(default_factory=dict)


#: Candidate schools per home school: its nearest needing ones, and every school the
#: bound's flow sends its teachers to (so the model holds the flow's plan).
NEAREST_HOSTS = 20
#: Schools paired into two-school days: the nearest few candidates and the flow's.
PAIR_HOSTS = 8
#: Teachers kept per home school, subject and spare lessons (identical teachers).
SAME_TEACHERS = 3
#: Costs in the bound's flow are scaled by this to stay integer.
BOUND_SCALE = 1000
#: Relative gap at which a subject's search stops (the part's gap is against the flow
#: bound); the rounded relaxation is usually within it, so branch and bound seldom runs.
MIP_GAP = 5e-3


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
    two from ``pair_pool`` in the cheaper order, within the day's km (and minutes where
    given)."""
    it = inst.policy.itinerant
    out: list[Route] = []
    singles: list[tuple[str, float]] = []
    for h, km in candidates:
        day_km, mins = 2 * km, None
        if it.max_minutes_per_day is not None:
            _, day_km, mins = day_travel(home, [h], dist, minutes)
        if day_ok(inst, day_km, mins, 1):
            out.append(Route(home, (h,), day_km, mins))
            if h in pair_pool:
                singles.append((h, km))
    if it.max_schools_per_day >= 2:
        for a in range(len(singles)):
            for b in range(a + 1, len(singles)):
                (x, kx), (y, ky) = singles[a], singles[b]
                day_km = kx + pair_km(x, y) + ky
                order: tuple[str, ...] = (x, y) if kx <= ky else (y, x)
                mins = None
                if it.max_minutes_per_day is not None:
                    order, day_km, mins = best_order(home, (x, y), dist, minutes)
                if day_ok(inst, day_km, mins, 2):
                    out.append(Route(home, order, day_km, mins))
    return out


def reachable(inst: Instance, homes: list[str], hosts: list[str], km: Any) -> Any:
    """[itinerant.subject_stage, itinerant.max_km_per_day]
    Home x host: a teacher of the home school teaches a stage the host has (see
    :func:`teaches_at`), and a one-school day there and back stays within the day's km."""
    schools = {s.id: s for s in inst.schools}
    stage_bits = {
        sid: sum(STAGE_BITS[st] for st in alliance_stages(schools[sid])) for sid in {*homes, *hosts}
    }
    home_bits = np.array([stage_bits[h] for h in homes], dtype=np.int64)
    host_bits = np.array([stage_bits[h] for h in hosts], dtype=np.int64)
    ok = (home_bits[:, None] & host_bits[None, :]) != 0
    ok &= np.array(homes, dtype=object)[:, None] != np.array(hosts, dtype=object)[None, :]
    if not day_ok(inst, 0.0, None, 1):
        return np.zeros_like(ok)
    return ok & (2 * km <= inst.policy.itinerant.max_km_per_day + 1e-9)


@dataclass
class FlowBound:
    """What the bound's flow saves (priority-weighted lessons less their least cost) and
    where it sends each home school's lessons."""

    saved: float
    support: dict[str, set[str]]


def flow_bound(
    inst: Instance,
    needs: dict[str, WeeklyNeed],
    teachers: list[Staff],
    spare: dict[str, int],
    homes: list[str],
    hosts: list[str],
    reach: Any,
    km: Any,
) -> FlowBound:
    """One subject's share of the lower bound over every teacher and every school a
    one-school day reaches: a min-cost flow of lessons from teachers (at most their spare
    lessons and ``days x max_lessons_per_day``) to schools (at most their need), each
    lesson priced at least its share of a teacher (``itinerant_teacher / spare``) and of
    the way there and back (``2 x km / max_lessons_per_day``), each lesson delivered
    earning its priority weight. Visits, days and the teacher cap are relaxed; teachers
    alike (same home school and spare lessons) share one node."""
    from ortools.graph.python import min_cost_flow

    it, w8 = inst.policy.itinerant, inst.policy.weights
    groups: dict[tuple[int, int], int] = defaultdict(int)
    row = {h: k for k, h in enumerate(homes)}
    for t in teachers:
        groups[(row[t.school], spare[t.id])] += 1
    keys = sorted(groups)
    g_node = {k: i for i, k in enumerate(keys)}
    h_node = {h: len(keys) + j for j, h in enumerate(hosts)}
    source, sink = len(keys) + len(hosts), len(keys) + len(hosts) + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    cap_total = 0
    arcs: list[tuple[int, int]] = []
    for key in keys:
        r, q = key
        cap = groups[key] * min(q, len(it.days) * it.max_lessons_per_day)
        cap_total += cap
        flow.add_arc_with_capacity_and_unit_cost(source, g_node[key], cap, 0)
        cols = np.flatnonzero(reach[r])
        ways = 2 * km[r, cols] / it.max_lessons_per_day
        costs = np.floor((w8.itinerant_teacher / q + w8.itinerant_km * ways) * BOUND_SCALE)
        for c, cost in zip(cols.tolist(), costs.tolist(), strict=True):
            arc = flow.add_arc_with_capacity_and_unit_cost(
                g_node[key], h_node[hosts[c]], cap, int(cost)
            )
            arcs.append((arc, r * len(hosts) + c))
    for h in hosts:
        n = needs[h]
        gain = w8.itinerant_lesson * priority_weight(inst, n.priority) * BOUND_SCALE
        flow.add_arc_with_capacity_and_unit_cost(h_node[h], sink, n.lessons, -int(gain))
    flow.add_arc_with_capacity_and_unit_cost(source, sink, cap_total, 0)
    flow.set_node_supply(source, cap_total)
    flow.set_node_supply(sink, -cap_total)
    support: dict[str, set[str]] = defaultdict(set)
    if cap_total == 0 or flow.solve() != flow.OPTIMAL:
        return FlowBound(0.0, support)
    for arc, cell in arcs:
        if flow.flow(arc) > 0:
            r, c = divmod(cell, len(hosts))
            support[homes[r]].add(hosts[c])
    return FlowBound(-flow.optimal_cost() / BOUND_SCALE, support)


def _subject_models(
    inst: Instance, plan: Plan, dist: Distances
) -> tuple[list[SubjectModel], dict[tuple[str, str], WeeklyNeed], dict[str, int], float]:
    """Per subject the model's teachers, routes and needs; with the weekly needs, every
    teacher's spare lessons and the lower bound on the part's cost (the flow)."""
    unmet = plan.unmet_needs if "roster" in plan.parts else None
    needs = weekly_needs(inst, unmet)
    moved = moved_staff(plan.roster) if "roster" in plan.parts else set()
    spare = spare_lessons(inst, moved)
    minutes = Minutes(inst)
    it, w8 = inst.policy.itinerant, inst.policy.weights
    bound = 0.0
    for n in needs.values():
        bound += w8.itinerant_lesson * priority_weight(inst, n.priority) * n.lessons
    models = []
    for subject in sorted({sub for _, sub in needs}):
        STOP.check()
        mine = {school: n for (school, sub), n in sorted(needs.items()) if sub == subject}
        hosts = sorted(mine)
        teachers = [
            t
            for t in sorted(inst.staff, key=lambda p: p.id)
            if t.id in spare and t.subject == subject
        ]
        homes = sorted({t.school for t in teachers})
        if not homes or not hosts:
            continue
        km = dist.block(homes, hosts)  # home x host km
        reach = reachable(inst, homes, hosts, km)
        fb = flow_bound(inst, mine, teachers, spare, homes, hosts, reach, km)
        bound -= fb.saved
        between = dist.block(hosts, hosts)
        col = {h: k for k, h in enumerate(hosts)}

        def pair_km(a: str, b: str, between: Any = between, col: dict[str, int] = col) -> float:
            return float(between[col[a], col[b]])

        pairs_wanted = {t.school for t in teachers if spare[t.id] >= 2 * it.min_lessons_per_visit}
        routes: dict[str, list[Route]] = {}
        for hi, home in enumerate(homes):
            cols = np.flatnonzero(reach[hi])
            cols = cols[np.lexsort((cols, km[hi, cols]))]  # nearest first, ties by id
            flowed = fb.support.get(home, set())
            chosen = [
                c for k, c in enumerate(cols.tolist()) if k < NEAREST_HOSTS or hosts[c] in flowed
            ]
            candidates = [(hosts[c], float(km[hi, c])) for c in chosen]
            pool: set[str] = set()
            if home in pairs_wanted:
                pool = {h for h, _ in candidates[:PAIR_HOSTS]} | flowed
            routes[home] = add_routes(inst, home, candidates, pool, pair_km, dist, minutes)
        kept: list[Staff] = []
        classes: dict[tuple[str, int], list[Staff]] = defaultdict(list)
        count: dict[tuple[str, int], int] = defaultdict(int)
        for t in teachers:
            key = (t.school, spare[t.id])
            if not routes.get(t.school):
                continue
            if spare[t.id] < 2 * it.min_lessons_per_visit:
                classes[key].append(t)  # one visit a week: counted, every one kept
            elif count[key] < SAME_TEACHERS:
                count[key] += 1
                kept.append(t)
        if kept or classes:
            models.append(SubjectModel(subject, kept, routes, mine, spare, dict(classes)))
    return models, needs, spare, max(0.0, bound)


#: Seconds a model gets at least, whatever is left of the time limit.
MIN_SHARE = 0.2


@dataclass
class Handles:
    """Columns of the integer program, by what they mean."""

    days: dict[tuple[str, str, int], int] = field(default_factory=dict)
    lessons: dict[tuple[str, str, int, str], int] = field(default_factory=dict)
    cls: dict[tuple[str, str, int, int], tuple[int, int]] = field(default_factory=dict)
    # for rounding: each route's (visits or days, lessons per stop, lessons a day at most,
    # the teacher's used column or None for a count of alike teachers, the group sharing
    # the days, and the group's days)
    route_cols: list[tuple[int, list[int], int, int | None, int, int]] = field(default_factory=list)
    covers: list[tuple[int, list[int]]] = field(default_factory=list)


def _build(inst: Instance, models: list[SubjectModel]) -> tuple[IntegerProgram, Handles]:
    """One integer program over the given subjects (every term, every rule)."""
    it, w8 = inst.policy.itinerant, inst.policy.weights
    days = len(it.days)
    ip = IntegerProgram()
    h = Handles()
    used_all: list[int] = []
    for m in models:
        lessons_at: dict[str, list[int]] = defaultdict(list)
        for t in m.teachers:
            routes = m.routes[t.school]
            visits_max = m.spare[t.id] // it.min_lessons_per_visit
            used = ip.var(0, 1, w8.itinerant_teacher)
            used_all.append(used)
            day_vars = []
            teacher_lessons = []
            for ri, r in enumerate(routes):
                if len(r.stops) > visits_max:
                    continue  # not enough spare lessons for this day's visits
                n = ip.var(0, days, round(w8.itinerant_km * r.km))
                h.days[(m.subject, t.id, ri)] = n
                day_vars.append(n)
                ls = []
                for s in r.stops:
                    cap = min(it.max_lessons_per_day * days, m.needs[s].lessons, m.spare[t.id])
                    lv = ip.var(0, cap)
                    h.lessons[(m.subject, t.id, ri, s)] = lv
                    add_min_lessons_per_visit(ip, lv, n, it.min_lessons_per_visit)
                    ls.append(lv)
                    lessons_at[s].append(lv)
                add_max_lessons_per_day(ip, ls, n, it.max_lessons_per_day)
                h.route_cols.append((n, ls, it.max_lessons_per_day, used, used, days))
                teacher_lessons += ls
            add_days(ip, day_vars, days, used)
            add_max_weekly_lessons(ip, teacher_lessons, m.spare[t.id])
        for (home, q), members in m.classes.items():
            c = len(members)
            group = -1 - len(h.route_cols)  # any id no used column has
            per_day = min(q, it.max_lessons_per_day)
            visits = []
            for ri, r in enumerate(m.routes[home]):
                if len(r.stops) != 1:
                    continue
                s = r.stops[0]
                cost = round(w8.itinerant_km * r.km) + w8.itinerant_teacher
                v = ip.var(0, c, cost)
                lv = ip.var(0, min(per_day * c, m.needs[s].lessons))
                add_min_lessons_per_visit(ip, lv, v, it.min_lessons_per_visit)
                add_max_lessons_per_day(ip, [lv], v, per_day)
                h.cls[(m.subject, home, q, ri)] = (v, lv)
                h.route_cols.append((v, [lv], per_day, None, group, c))
                lessons_at[s].append(lv)
                visits.append(v)
                used_all.append(v)
            add_days(ip, visits, c, None)  # one day a week each, so at most c visits
        for s, need in m.needs.items():
            pw = priority_weight(inst, need.priority) * w8.itinerant_lesson
            ip.offset += pw * need.lessons
            got = lessons_at.get(s, [])
            if got:
                cover = add_need(ip, got, need.lessons)
                ip.add_cost(cover, -pw)
                h.covers.append((cover, got))
    add_max_teachers(ip, used_all, it.max_teachers)
    return ip, h


def add_min_lessons_per_visit(ip: IntegerProgram, lessons: int, visits: int, low: int) -> None:
    """[itinerant.min_lessons_per_visit] Every visit teaches at least ``low`` lessons."""
    ip.at_least([lessons, visits], [1, -low], 0)


def add_max_lessons_per_day(ip: IntegerProgram, lessons: list[int], visits: int, high: int) -> None:
    """[itinerant.max_lessons_per_day] A day's circuit lessons stay within ``high``."""
    ip.at_most([*lessons, visits], [1.0] * len(lessons) + [-high], 0)


def add_days(ip: IntegerProgram, day_vars: list[int], days: int, used: int | None) -> None:
    """[itinerant.days] One route a day, on the policy's weekdays; a teacher with a route
    is on a circuit (``used`` None: a count of alike teachers, each one day a week)."""
    if used is None:
        ip.at_most(day_vars, [1.0] * len(day_vars), days)
    else:
        ip.at_most([*day_vars, used], [1.0] * len(day_vars) + [-days], 0)


def add_max_weekly_lessons(ip: IntegerProgram, lessons: list[int], spare: int) -> None:
    """[itinerant.max_weekly_lessons, itinerant.eligible] Circuit lessons within what the
    teacher can spare beyond the home school's lessons (only teachers who may circuit)."""
    if lessons:
        ip.at_most(lessons, [1.0] * len(lessons), spare)


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


def _round(inst: Instance, ip: IntegerProgram, h: Handles, x: np.ndarray) -> np.ndarray | None:
    """A plan near the LP relaxation's: lessons rounded down, each route's visits the
    fewest its lessons need (``max_lessons_per_day``) within the days left, then its
    lessons cut to what those visits allow (``min_lessons_per_visit``, the day's cap);
    None if it breaks a rule anyway."""
    it = inst.policy.itinerant
    low = it.min_lessons_per_visit
    upper = np.asarray(ip.upper)
    y = np.minimum(np.floor(x + 1e-6), upper)
    days_left: dict[int, float] = {}
    visits_of: dict[int, float] = defaultdict(float)
    units: list[tuple[float, int]] = []  # (lessons, route index) of counted teachers
    # routes with the most lessons first get their days
    order = sorted(range(len(h.route_cols)), key=lambda k: -float(y[h.route_cols[k][1]].sum()))
    for k in order:
        n, ls, per_day, used, group, group_days = h.route_cols[k]
        lessons = y[ls]
        left = days_left.setdefault(group, float(group_days))
        need = float(np.ceil(lessons.sum() / per_day))
        visits = min(max(need, 0.0), left, float(lessons.min() // low), float(upper[n]))
        if visits <= 0:
            y[n] = 0
            y[ls] = 0
            continue
        over = lessons.sum() - per_day * visits
        for j in reversed(range(len(ls))):
            cut = min(max(0.0, over), lessons[j] - low * visits)
            lessons[j] -= cut
            over -= cut
        y[n] = visits
        y[ls] = lessons
        days_left[group] = left - visits
        if used is not None:
            visits_of[used] += visits
        else:
            units.append((float(lessons.sum()), k))
    for used in {r[3] for r in h.route_cols if r[3] is not None}:
        y[used] = 1.0 if visits_of.get(used, 0) > 0 else 0.0
    if it.max_teachers is not None:
        # too many on circuits after rounding: drop the counted routes that teach least
        on = int(sum(y[u] for u in visits_of)) + int(sum(y[h.route_cols[k][0]] for _, k in units))
        for _, k in sorted(units):
            if on <= it.max_teachers:
                break
            n, ls = h.route_cols[k][:2]
            on -= int(y[n])
            y[n] = 0
            y[ls] = 0
        if on > it.max_teachers:
            return None
    for cover, got in h.covers:
        y[cover] = y[got].sum()
    return y if ip.feasible(y) else None


def _search(
    inst: Instance, ip: IntegerProgram, h: Handles, limit: float, settings: SearchSettings
) -> np.ndarray | None:
    """The LP relaxation, rounded; branch and bound from there only while the rounded
    plan is further than the gap from the relaxation. None: no plan found."""
    absolute = MIP_GAP * ip.offset  # a subject almost all covered is judged on its need
    clock = time.perf_counter()
    relaxed = ip.relax(limit, deterministic=settings.deterministic)
    start = None
    if relaxed.status == "optimal":
        start = _round(inst, ip, h, relaxed.values)
        if start is not None:
            value = ip.objective_of(start)
            if value - relaxed.bound <= max(MIP_GAP * abs(value), absolute):
                return start
    if STOP.requested:  # stopped (Ctrl-C): the rounded plan, if the relaxation ended
        return start
    if not settings.deterministic:
        limit -= time.perf_counter() - clock
    out = ip.solve(
        limit,
        gap=MIP_GAP,
        absolute_gap=absolute,
        deterministic=settings.deterministic,
        node_limit=DETERMINISTIC_NODES,
        start=start,
    )
    if out.status in ("unknown", "infeasible"):
        return start
    return out.values


def _read(inst: Instance, models: list[SubjectModel], x: Any, h: Handles) -> list[Any]:
    """Name the days and split each route's lessons over them (extras spread in turn)."""
    it = inst.policy.itinerant
    dist_rows = []
    for m in models:
        for t in m.teachers:
            routes = m.routes[t.school]
            day = 0
            for ri, r in enumerate(routes):
                col = h.days.get((m.subject, t.id, ri))
                n = 0 if col is None else int(x[col])
                if n <= 0:
                    continue
                per_stop = []
                offset = 0
                for s in r.stops:
                    total = int(x[h.lessons[(m.subject, t.id, ri, s)]])
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
                        dist_rows.append((t, m.subject, weekday, order, s, lessons, r))
                day += n
        for (home, q), members in m.classes.items():
            k = 0
            for ri, r in enumerate(m.routes[home]):
                got = h.cls.get((m.subject, home, q, ri))
                if got is None:
                    continue
                v, total = int(x[got[0]]), int(x[got[1]])
                if v <= 0:
                    continue
                base, extra = divmod(total, v)
                for j in range(v):
                    t = members[k]
                    weekday = it.days[k % len(it.days)]
                    lessons = base + (1 if j < extra else 0)
                    dist_rows.append((t, m.subject, weekday, 1, r.stops[0], lessons, r))
                    k += 1
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
    minutes = Minutes(inst)
    models, needs, spare, flow = _subject_models(inst, plan, dist)
    groups = [models] if inst.policy.itinerant.max_teachers is not None else [[m] for m in models]
    built = [_build(inst, g) for g in groups]
    sizes = [ip.columns + 1 for ip, _ in built]
    rows: list[Any] = []
    for k, (g, (ip, handles)) in enumerate(zip(groups, built, strict=True)):
        if STOP.requested:
            break  # stopped (Ctrl-C): the subjects searched so far keep their circuits
        # each model its share by size of the time left for it and the models after it;
        # deterministic runs never read the clock (shares of the whole limit)
        left, rest = settings.time_limit, sum(sizes)
        if not settings.deterministic:
            left -= time.perf_counter() - start
            rest = sum(sizes[k:])
        share = max(MIN_SHARE, left * sizes[k] / max(1, rest))
        x = _search(inst, ip, handles, share, settings)
        if x is None:
            # No circuit at all keeps every rule: these subjects get none (their lessons
            # stay unmet, the bound still counts them).
            continue
        rows += _read(inst, g, x, handles)
    circuits = _visits(rows, dist, minutes)
    objective, terms = itinerant_cost(inst, needs, circuits, dist, minutes)
    # The search's own bound holds only for the candidates it was given (nearest schools,
    # a few of each kind of teacher); the flow bound holds for every teacher and school.
    total_bound = min(float(objective), flow)
    status = "optimal" if objective - total_bound < 1e-6 * max(1, objective) else "feasible"
    unmet = _unmet(needs, circuits)
    kpis = _kpis(needs, circuits, len(spare), dist, minutes)
    part = ItinerantResult(
        status=status,
        objective=objective,
        bound=total_bound,
        gap=gap_of(objective, total_bound),
        method=msg("method.itinerant", models=len(groups), gap=MIP_GAP, nearest=NEAREST_HOSTS),
        wall_time=time.perf_counter() - start,
        terms=terms,
        kpis=kpis,
    )
    return ItinerantSolution(part, PartObjective(value=objective, terms=terms), circuits, unmet)


#: Branch-and-bound nodes a model may use under ``--deterministic`` (no clock).
DETERMINISTIC_NODES = 2000


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
                minutes=None if leg_min is None else round(leg_min, 1),
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
        teachers = len({c.staff for c in circuits if c.subject == subject})
        by_subject[subject] = ItinerantSubjectKpi(needed=need, covered=cov, teachers=teachers)
    km = [v[0] for v in days.values()]
    return ItinerantKpis(
        weekly_lessons_needed=sum(n.lessons for n in needs.values()),
        weekly_lessons_covered=sum(c.lessons for c in circuits),
        teachers_used=len({c.staff for c in circuits}),
        teachers_available=available,
        km_per_week=round(float(np.sum(km)) if km else 0.0, 1),
        longest_day_km=round(max(km), 1) if km else 0.0,
        schools_served=len({c.school for c in circuits}),
        by_subject=by_subject,
    )
