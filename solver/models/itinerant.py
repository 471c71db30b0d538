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
count model is exact; days are named afterwards in ``itinerant.days`` order. CP-SAT
solves it (1 worker, linearization 2, as measured for the other parts) and its bound is
reported.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from solver.county.distances import Distances
from solver.county.instance import Instance, School, Staff
from solver.models.search import STOP, SearchSettings, configure
from solver.plan import CircuitVisit, PartObjective, Plan, UnmetLessons
from solver.result import (
    ItinerantKpis,
    ItinerantResult,
    ItinerantSolution,
    ItinerantSubjectKpi,
    gap_of,
)
from solver.rules.itinerant import (
    Minutes,
    WeeklyNeed,
    best_order,
    day_ok,
    day_travel,
    itinerant_cost,
    moved_staff,
    priority_weight,
    spare_lessons,
    teaches_at,
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


#: Candidate schools per home school: its nearest needing ones (the bound covers all).
NEAREST_HOSTS = 40
#: ...and above this many schools, this many (measured: haicheng-like's gap 7.4% with 40,
#: 10.5% with 20; the 2,000-school county covers as much with 20 in 50 s against 83 s).
NEAREST_HOSTS_LARGE, LARGE_COUNTY = 20, 500
#: Teachers kept per home school, subject and spare lessons (identical teachers).
SAME_TEACHERS = 3


def add_routes(
    inst: Instance,
    home: School,
    hosts: list[School],
    km: dict[str, float],
    pair_km: Any,
    dist: Distances,
    minutes: Minutes,
) -> list[Route]:
    """[itinerant.max_schools_per_day, itinerant.max_km_per_day, itinerant.subject_stage,
    itinerant.max_minutes_per_day]
    The day routes from a home school: one or two needing schools of its stage among its
    nearest, in the cheaper order, within the day's km (and minutes where given)."""
    it = inst.policy.itinerant
    near = [h for h in hosts if h.id != home.id and teaches_at(home, h)]
    near.sort(key=lambda h: (km[h.id], h.id))
    out: list[Route] = []
    singles = []
    nearest = NEAREST_HOSTS if len(inst.schools) <= LARGE_COUNTY else NEAREST_HOSTS_LARGE
    for h in near[:nearest]:
        day_km = km[h.id] + km[h.id]
        mins = None
        if it.max_minutes_per_day is not None:
            _, day_km, mins = day_travel(home.id, [h.id], dist, minutes)
        if day_ok(inst, day_km, mins, 1):
            out.append(Route(home.id, (h.id,), day_km, mins))
            singles.append(h)
    if it.max_schools_per_day >= 2:
        for a in range(len(singles)):
            for b in range(a + 1, len(singles)):
                x, y = singles[a].id, singles[b].id
                day_km = km[x] + pair_km(x, y) + km[y]
                order: tuple[str, ...] = (x, y) if km[x] <= km[y] else (y, x)
                mins = None
                if it.max_minutes_per_day is not None:
                    order, day_km, mins = best_order(home.id, (x, y), dist, minutes)
                if day_ok(inst, day_km, mins, 2):
                    out.append(Route(home.id, order, day_km, mins))
    return out


def _subject_models(
    inst: Instance, plan: Plan, dist: Distances
) -> tuple[list[SubjectModel], dict[tuple[str, str], WeeklyNeed], dict[str, int], dict[str, Any]]:
    """Per subject (split by region when large) the model's teachers, routes and needs;
    with the weekly needs, every teacher's spare lessons and, per subject, what a
    one-school day reaches (for the bound)."""
    unmet = plan.unmet_needs if "roster" in plan.parts else None
    needs = weekly_needs(inst, unmet)
    moved = moved_staff(plan.roster) if "roster" in plan.parts else set()
    spare = spare_lessons(inst, moved)
    schools = {s.id: s for s in inst.schools}
    minutes = Minutes(inst)
    it = inst.policy.itinerant
    models = []
    reach: dict[str, Any] = {}
    for subject in sorted({sub for _, sub in needs}):
        mine = {school: n for (school, sub), n in sorted(needs.items()) if sub == subject}
        hosts = [schools[s] for s in sorted(mine)]
        teachers = [
            t
            for t in sorted(inst.staff, key=lambda p: p.id)
            if t.id in spare and t.subject == subject
        ]
        homes = sorted({t.school for t in teachers})
        if not homes or not hosts:
            continue
        host_ids = [h.id for h in hosts]
        to_hosts = dist.block(homes, host_ids)  # home x host km
        between = dist.block(host_ids, host_ids)
        col = {h: k for k, h in enumerate(host_ids)}

        def pair_km(a: str, b: str, between: Any = between, col: dict[str, int] = col) -> float:
            return float(between[col[a], col[b]])

        routes: dict[str, list[Route]] = {}
        reach_rows = {}
        for hi, home in enumerate(homes):
            km = dict(zip(host_ids, to_hosts[hi].tolist(), strict=True))
            routes[home] = add_routes(inst, schools[home], hosts, km, pair_km, dist, minutes)
            # every needing school a one-school day could reach (for the bound)
            reach_rows[home] = [
                h.id
                for h in hosts
                if h.id != home
                and teaches_at(schools[home], h)
                and day_ok(inst, 2 * km[h.id], None, 1)
            ]
        reach[subject] = (teachers, reach_rows)
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
            whole = SubjectModel(subject, kept, routes, mine, spare, dict(classes))
            models += split_by_region(inst, whole)
    return models, needs, spare, reach


#: Seconds a model gets at least, whatever is left of the time limit.
MIN_SHARE = 0.2
#: Costs in the bound's flow are scaled by this to stay integer.
BOUND_SCALE = 1000


def coverage_bound(
    inst: Instance,
    needs: dict[tuple[str, str], WeeklyNeed],
    reach: dict[str, Any],
    spare: dict[str, int],
    dist: Distances,
) -> float:
    """A lower bound on the part's cost over every teacher and every school a one-school
    day reaches: a min-cost flow of lessons from teachers (at most their spare lessons and
    ``days x max_lessons_per_day``) to schools (at most their need), each lesson priced
    at least its share of a teacher (``itinerant_teacher / spare``) and of the way there
    and back (``2 x km / max_lessons_per_day``), each lesson delivered earning its
    priority weight. Visits, days and the teacher cap are relaxed."""
    from ortools.graph.python import min_cost_flow

    it, w8 = inst.policy.itinerant, inst.policy.weights
    total = 0.0
    for (_school, _subject), n in needs.items():
        total += w8.itinerant_lesson * priority_weight(inst, n.priority) * n.lessons
    saved = 0.0
    for subject, (teachers, reach_rows) in reach.items():
        hosts = sorted({s for rows in reach_rows.values() for s in rows})
        if not hosts:
            continue
        t_index = {t.id: k for k, t in enumerate(teachers)}
        h_index = {h: len(teachers) + k for k, h in enumerate(hosts)}
        source, sink = len(teachers) + len(hosts), len(teachers) + len(hosts) + 1
        flow = min_cost_flow.SimpleMinCostFlow()
        cap_total = 0
        homes = sorted({t.school for t in teachers})
        km = dist.block(homes, hosts) if homes else None
        home_row = {h: k for k, h in enumerate(homes)}
        host_col = {h: k for k, h in enumerate(hosts)}
        for t in teachers:
            cap = min(spare[t.id], len(it.days) * it.max_lessons_per_day)
            cap_total += cap
            flow.add_arc_with_capacity_and_unit_cost(source, t_index[t.id], cap, 0)
            per_teacher = w8.itinerant_teacher / spare[t.id]
            for h in reach_rows.get(t.school, []):
                assert km is not None
                way = 2 * float(km[home_row[t.school], host_col[h]]) / it.max_lessons_per_day
                cost = (per_teacher + w8.itinerant_km * way) * BOUND_SCALE
                flow.add_arc_with_capacity_and_unit_cost(
                    t_index[t.id], h_index[h], cap, int(np.floor(cost))
                )
        for h in hosts:
            n = needs[(h, subject)]
            gain = w8.itinerant_lesson * priority_weight(inst, n.priority) * BOUND_SCALE
            flow.add_arc_with_capacity_and_unit_cost(h_index[h], sink, n.lessons, -int(gain))
        flow.add_arc_with_capacity_and_unit_cost(source, sink, cap_total, 0)
        flow.set_node_supply(source, cap_total)
        flow.set_node_supply(sink, -cap_total)
        if flow.solve() == flow.OPTIMAL:
            saved += -flow.optimal_cost() / BOUND_SCALE
    return max(0.0, total - saved)


#: A subject's model above this many (teacher, route) columns is split by region.
SPLIT_COLUMNS = 20_000


def split_by_region(inst: Instance, m: SubjectModel) -> list[SubjectModel]:
    """A large subject's model as one model per region of the home schools: teachers
    circuit within their own region (a restriction of the plan; the bound stays the
    county-wide flow)."""
    cols = sum(len(m.routes[t.school]) for t in m.teachers)
    cols += sum(len(m.routes[h]) for h, _ in m.classes)
    region = {s.id: s.region or "" for s in inst.schools}
    if cols <= SPLIT_COLUMNS or len({region[h] for h in m.routes}) <= 1:
        return [m]
    out = []
    for r in sorted({region[h] for h in m.routes}):
        routes = {
            h: [x for x in rs if all(region[s] == r for s in x.stops)]
            for h, rs in m.routes.items()
            if region[h] == r
        }
        needs = {s: n for s, n in m.needs.items() if region[s] == r}
        teachers = [t for t in m.teachers if region[t.school] == r and routes.get(t.school)]
        classes = {k: v for k, v in m.classes.items() if region[k[0]] == r and routes.get(k[0])}
        if (teachers or classes) and needs:
            out.append(SubjectModel(m.subject, teachers, routes, needs, m.spare, classes))
    return out


def _build(
    inst: Instance, models: list[SubjectModel], settings: SearchSettings, time_limit: float
) -> tuple[Any, Any, dict[str, Any]]:
    """One CP-SAT model over the given subjects (every term, every rule)."""
    from ortools.sat.python import cp_model

    it, w8 = inst.policy.itinerant, inst.policy.weights
    days = len(it.days)
    model = cp_model.CpModel()
    terms: list[Any] = []
    used_all: list[Any] = []
    handles: dict[str, Any] = {"n": {}, "l": {}, "used": {}, "cover": {}, "class": {}}
    for m in models:
        lessons_at: dict[str, list[Any]] = defaultdict(list)
        for t in m.teachers:
            routes = m.routes[t.school]
            visits_max = m.spare[t.id] // it.min_lessons_per_visit
            used = model.new_bool_var(f"u_{t.id}")
            handles["used"][(m.subject, t.id)] = used
            used_all.append(used)
            day_vars = []
            teacher_lessons = []
            for ri, r in enumerate(routes):
                if len(r.stops) > visits_max:
                    continue  # not enough spare lessons for this day's visits
                n = model.new_int_var(0, days, f"n_{t.id}_{ri}")
                handles["n"][(m.subject, t.id, ri)] = n
                day_vars.append(n)
                ls = []
                for s in r.stops:
                    cap = min(it.max_lessons_per_day * days, m.needs[s].lessons, m.spare[t.id])
                    lv = model.new_int_var(0, cap, f"l_{t.id}_{ri}_{s}")
                    handles["l"][(m.subject, t.id, ri, s)] = lv
                    add_min_lessons_per_visit(model, lv, n, it.min_lessons_per_visit)
                    ls.append(lv)
                    lessons_at[s].append(lv)
                add_max_lessons_per_day(model, ls, n, it.max_lessons_per_day)
                teacher_lessons += ls
                if w8.itinerant_km:
                    terms.append(round(w8.itinerant_km * r.km) * n)
            add_days(model, day_vars, days, used)
            add_max_weekly_lessons(model, teacher_lessons, m.spare[t.id])
            if w8.itinerant_teacher:
                terms.append(w8.itinerant_teacher * used)
        for (home, q), members in m.classes.items():
            c = len(members)
            per_day = min(q, it.max_lessons_per_day)
            visits = []
            for ri, r in enumerate(m.routes[home]):
                if len(r.stops) != 1:
                    continue
                s = r.stops[0]
                v = model.new_int_var(0, c, f"v_{home}_{q}_{ri}")
                lv = model.new_int_var(0, min(per_day * c, m.needs[s].lessons), f"L_{home}_{ri}")
                add_min_lessons_per_visit(model, lv, v, it.min_lessons_per_visit)
                add_max_lessons_per_day(model, [lv], v, per_day)
                handles["class"][(m.subject, home, q, ri)] = (v, lv)
                lessons_at[s].append(lv)
                visits.append(v)
                used_all.append(v)
                if w8.itinerant_km:
                    terms.append(round(w8.itinerant_km * r.km) * v)
                if w8.itinerant_teacher:
                    terms.append(w8.itinerant_teacher * v)
            add_days(model, visits, c, 1)  # one day a week each, so at most c visits
        for s, need in m.needs.items():
            got = lessons_at.get(s, [])
            cover = add_need(model, got, need.lessons)
            handles["cover"][(s, m.subject)] = cover
            pw = priority_weight(inst, need.priority)
            terms.append(w8.itinerant_lesson * pw * (need.lessons - cover))
    add_max_teachers(model, used_all, it.max_teachers)
    model.minimize(sum(terms))
    solver = cp_model.CpSolver()
    configure(solver, settings, time_limit=max(0.5, time_limit))
    return model, solver, handles


def add_min_lessons_per_visit(model: Any, lessons: Any, visits: Any, low: int) -> None:
    """[itinerant.min_lessons_per_visit] Every visit teaches at least ``low`` lessons."""
    model.add(lessons >= low * visits)


def add_max_lessons_per_day(model: Any, lessons: list[Any], visits: Any, high: int) -> None:
    """[itinerant.max_lessons_per_day] A day's circuit lessons stay within ``high``."""
    model.add(sum(lessons) <= high * visits)


def add_days(model: Any, day_vars: list[Any], days: int, used: Any) -> None:
    """[itinerant.days] One route a day, on the policy's weekdays; a teacher with a route
    is on a circuit."""
    model.add(sum(day_vars) <= days * used)


def add_max_weekly_lessons(model: Any, lessons: list[Any], spare: int) -> None:
    """[itinerant.max_weekly_lessons, itinerant.eligible] Circuit lessons within what the
    teacher can spare beyond the home school's lessons (only teachers who may circuit)."""
    model.add(sum(lessons) <= spare)


def add_need(model: Any, lessons: list[Any], need: int) -> Any:
    """[itinerant.need] A school gets no more lessons of a subject than it lacks; returns
    the lessons covered."""
    cover = model.new_int_var(0, need, "cover")
    model.add(cover == sum(lessons))
    return cover


def add_max_teachers(model: Any, used: list[Any], cap: int | None) -> None:
    """[itinerant.max_teachers] At most this many teachers on circuits in the county."""
    if cap is not None:
        model.add(sum(used) <= cap)


def _read(
    inst: Instance, models: list[SubjectModel], solver: Any, handles: dict[str, Any]
) -> list[CircuitVisit]:
    """Name the days and split each route's lessons over them (extras spread in turn)."""
    it = inst.policy.itinerant
    dist_rows = []
    for m in models:
        for t in m.teachers:
            routes = m.routes[t.school]
            day = 0
            for ri, r in enumerate(routes):
                var = handles["n"].get((m.subject, t.id, ri))
                n = 0 if var is None else solver.value(var)
                if n <= 0:
                    continue
                per_stop = []
                offset = 0
                for s in r.stops:
                    total = solver.value(handles["l"][(m.subject, t.id, ri, s)])
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
                got = handles["class"].get((m.subject, home, q, ri))
                if got is None:
                    continue
                v, total = solver.value(got[0]), solver.value(got[1])
                if v <= 0:
                    continue
                base, extra = divmod(total, v)
                for j in range(v):
                    t = members[k]
                    weekday = it.days[k % len(it.days)]
                    lessons = base + (1 if j < extra else 0)
                    dist_rows.append((t, m.subject, weekday, 1, r.stops[0], lessons, r))
                    k += 1
    return dist_rows  # type: ignore[return-value]


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
    models, needs, spare, reach = _subject_models(inst, plan, dist)
    groups = [models] if inst.policy.itinerant.max_teachers is not None else [[m] for m in models]
    sizes = [sum(len(m.teachers) for m in g) + 1 for g in groups]
    rows: list[Any] = []
    status = "optimal"
    for k, (g, size) in enumerate(zip(groups, sizes, strict=True)):
        # each model its share by size of the time left for it and the models after it;
        # deterministic runs never read the clock (shares of the whole limit)
        left, rest = settings.time_limit, sum(sizes)
        if not settings.deterministic:
            left -= time.perf_counter() - start
            rest = sum(sizes[k:])
        share = max(MIN_SHARE, left * size / max(1, rest))
        model, solver, handles = _build(inst, g, settings, share)
        from ortools.sat.python import cp_model

        st = STOP.run(solver, model, None)
        if st not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            # No circuit at all keeps every rule: these subjects get none (their lessons
            # stay unmet, the bound below still counts them).
            status = "feasible"
            continue
        if st != cp_model.OPTIMAL:
            status = "feasible"
        rows += _read(inst, g, solver, handles)
    circuits = _visits(rows, dist, minutes)
    objective, terms = itinerant_cost(inst, needs, circuits, dist, minutes)
    # CP-SAT's bound holds only for the candidates it was given (nearest schools, a few
    # of each kind of teacher); the flow bound holds for every teacher and school.
    total_bound = min(float(objective), coverage_bound(inst, needs, reach, spare, dist))
    if objective - total_bound < 1e-6 * max(1, objective):
        status = "optimal"
    elif status == "optimal":
        status = "feasible"
    unmet = _unmet(needs, circuits)
    kpis = _kpis(needs, circuits, len(spare), dist, minutes)
    part = ItinerantResult(
        status=status,  # type: ignore[arg-type]
        objective=objective,
        bound=total_bound,
        gap=gap_of(objective, total_bound),
        method=(
            f"CP-SAT per subject ({len(groups)} model(s), {settings.workers} worker(s), "
            f"linearization {settings.linearization_level}); day routes counted per teacher"
        ),
        wall_time=time.perf_counter() - start,
        terms=terms,
        kpis=kpis,
    )
    return ItinerantSolution(part, PartObjective(value=objective, terms=terms), circuits, unmet)


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
    from solver.rules.itinerant import circuit_days

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
