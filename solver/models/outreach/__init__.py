"""The outreach part: 送教下乡 visits and 跟岗 short exchanges, semester by semester.

跟岗 stints are chosen first (a rule, not a trade-off: one teacher of each rural school
with a helper school, at the start week that spreads them over the semester); they take
room in their school's weeks. Visits are then one min-cost flow per semester
(:mod:`twinning.models.outreach.flow`). No CP-SAT: the structure is a network, and the flow
is exact, integral and deterministic (see the benchmark results for the measurements).
"""

from __future__ import annotations

import time
from collections import Counter

from twinning.county.distances import Distances
from twinning.county.instance import Instance, Staff
from twinning.messages import Msg, msg
from twinning.models.outreach.flow import CANDIDATES, Semester, add_visitors, solve_semester
from twinning.models.said import clauses
from twinning.models.search import SearchSettings
from twinning.plan import OutreachVisit, PartObjective, Plan
from twinning.result import OutreachKpis, OutreachResult, OutreachSolution, gap_of
from twinning.rules import outreach as rules


def add_short_exchanges(
    inst: Instance, period: str, away: dict[str, set[str]], partners: rules.Partners
) -> tuple[list[OutreachVisit], int]:
    """[outreach.short_exchanges, outreach.short_exchange_weeks] One teacher of each rural
    school with a helper school shadows there for short_exchange_weeks weeks (five days
    each): a teacher who may not visit first, then the fewest years of teaching. Returns
    the stints and how many schools could send nobody (no teacher at home, no room)."""
    o = inst.policy.outreach
    if not o.short_exchanges:
        return [], 0
    starts = rules.stint_starts(inst)
    by_school: dict[str, list[Staff]] = {}
    for t in inst.staff:
        if rules.may_shadow(t) and period not in away.get(t.id, set()):
            by_school.setdefault(t.school, []).append(t)
    stints: list[OutreachVisit] = []
    missing = 0
    k = 0
    for s in inst.schools:
        helper = partners.helper_school(s.id) if s.area == "rural" else None
        if helper is None:
            continue
        people = by_school.get(s.id, [])
        if not people or not starts or o.max_away_per_school_per_week < 1:
            missing += 1
            continue
        t = min(
            people,
            key=lambda p: (
                p.role != "teacher",
                rules.may_visit(p),
                p.teaching_years or 0,
                p.age or 0,
                p.id,
            ),
        )
        stints.append(
            OutreachVisit(
                period=period,
                week=starts[k % len(starts)],
                staff=t.id,
                from_school=s.id,
                to_school=helper,
                subject=t.subject or "",
                kind="shadowing",
                days=rules.shadow_days(inst),
            )
        )
        k += 1
    return stints, missing


def add_weeks(inst: Instance) -> dict[str, dict[int, int]]:
    """[outreach.weeks] Room per school in each outreach week of a semester (and no other
    week): max_away_per_school_per_week teachers, before any 跟岗 stint is placed."""
    o = inst.policy.outreach
    return {s.id: dict.fromkeys(o.weeks, o.max_away_per_school_per_week) for s in inst.schools}


def solve_outreach(
    inst: Instance,
    plan: Plan,
    *,
    settings: SearchSettings | None = None,
    dist: Distances | None = None,
) -> OutreachSolution:
    """Plan the outreach calendar on the plan's pairs, alliances and roster.

    Returns
    -------
    OutreachSolution
        Status ``optimal`` when the flow kept every arc (or met its bound), ``feasible``
        with the gap to the bound otherwise, ``infeasible`` when a school misses visits or
        a 跟岗 stint the staff cannot give (the closest calendar, every miss priced).
    """
    start = time.perf_counter()
    dist = dist or Distances(inst)
    o = inst.policy.outreach
    partners = rules.partners(plan.pairs, plan.alliances)
    away = rules.away_on_roster(inst, plan.roster)
    receivers = [s.id for s in inst.schools if rules.receives(s)]
    lines: list[OutreachVisit] = []
    bound = 0.0
    exact = True
    dropped = 0
    available = 0
    arcs = rounds = 0
    for period in inst.policy.horizon.periods:
        stints, missing = add_short_exchanges(inst, period, away, partners)
        bound += missing * o.weight_missing
        room = {s.id: dict.fromkeys(o.weeks, o.max_away_per_school_per_week) for s in inst.schools}
        for st in stints:
            for w in rules.stint_weeks(inst, st.week):
                room[st.from_school][w] -= 1
        busy = {st.staff for st in stints}
        groups = add_visitors(inst, period, away, busy)
        available += sum(len(v) for v in groups.values())
        sem = Semester(period, receivers, groups, room, rules.shortage_subjects(inst, period))
        got = solve_semester(inst, sem, dist, partners)
        if got.pruned and _misses(inst, got.visits, receivers):
            got = solve_semester(inst, sem, dist, partners, prune=False)  # a miss must be real
        exact = exact and not got.pruned and not got.dropped
        dropped += got.dropped
        arcs += got.arcs
        rounds += got.rounds
        bound += got.bound
        lines.extend(stints)
        lines.extend(got.visits)
    terms = _terms(inst, lines, partners, dist, receivers)
    value = rules.objective_value(inst, terms)
    bound = min(bound, float(value))
    missed = terms["short_exchanges_missing"]
    if not o.cap_visits:
        missed += terms["visits_missing"]
    if missed:
        status = "infeasible"
    elif exact or value <= bound:
        status = "optimal"
    else:
        status = "feasible"
    kpis = _kpis(inst, lines, partners, dist, receivers, available)
    visits: Msg | None = None
    if kpis.below_by_school:
        worst = sorted(kpis.below_by_school.items())[:5]
        schools = [
            msg(
                "outreach.school_short",
                school=school,
                periods=[
                    msg("outreach.period_short", period=p, n=n) for p, n in sorted(by.items())
                ],
            )
            for school, by in worst
        ]
        visits = msg("outreach.visits_missed", schools=schools)
    exchanges = (
        msg("outreach.short_exchanges_missed", n=float(terms["short_exchanges_missing"]))
        if terms["short_exchanges_missing"]
        else None
    )
    message = clauses(
        visits, exchanges, msg("outreach.dropped", n=int(dropped)) if dropped else None
    )
    if exact:
        method = (
            msg("method.outreach.exact_priced", arcs=int(arcs), rounds=int(rounds))
            if rounds
            else msg("method.outreach.exact", arcs=int(arcs))
        )
    else:
        method = (
            msg(
                "method.outreach.bounded_priced",
                arcs=int(arcs),
                rounds=int(rounds),
                candidates=CANDIDATES,
            )
            if rounds
            else msg("method.outreach.bounded", arcs=int(arcs), candidates=CANDIDATES)
        )
    result = OutreachResult(
        status=status,
        objective=value,
        bound=bound,
        gap=gap_of(value, bound),
        method=method,
        wall_time=time.perf_counter() - start,
        terms=terms,
        message=message,
        kpis=kpis,
    )
    return OutreachSolution(result, PartObjective(value=value, terms=terms), lines)


def _misses(inst: Instance, visits: list[OutreachVisit], receivers: list[str]) -> bool:
    got = Counter(v.to_school for v in visits)
    return any(got[r] < inst.policy.outreach.visits_per_school for r in receivers)


def _terms(
    inst: Instance,
    lines: list[OutreachVisit],
    partners: rules.Partners,
    dist: Distances,
    receivers: list[str],
) -> dict[str, float]:
    o = inst.policy.outreach
    periods = inst.policy.horizon.periods
    got = Counter((v.to_school, v.period) for v in lines if v.kind == rules.MODEL_LESSON)
    sent = Counter((v.from_school, v.period) for v in lines if v.kind == rules.SHADOWING)
    must = [
        s.id
        for s in inst.schools
        if o.short_exchanges and s.area == "rural" and partners.helper_school(s.id) is not None
    ]
    terms = {
        "visits_missing": float(
            sum(max(0, o.visits_per_school - got[(r, p)]) for r in receivers for p in periods)
        ),
        "short_exchanges_missing": float(sum(1 for s in must for p in periods if not sent[(s, p)])),
        "visits_off_need": 0.0,
        "visits_not_pair": 0.0,
        "visits_not_alliance": 0.0,
        "distance_km": 0.0,
    }
    short = {p: rules.shortage_subjects(inst, p) for p in periods}
    for v in lines:
        if v.kind != rules.MODEL_LESSON:
            continue
        pair, alliance = partners.relation(v.from_school, v.to_school)
        in_short = v.subject in short[v.period].get(v.to_school, set())
        for key, x in rules.visit_terms(
            inst, dist.km(v.from_school, v.to_school), pair, alliance, in_short
        ).items():
            terms[key] += x
    return terms


def _kpis(
    inst: Instance,
    lines: list[OutreachVisit],
    partners: rules.Partners,
    dist: Distances,
    receivers: list[str],
    available: int,
) -> OutreachKpis:
    o = inst.policy.outreach
    periods = inst.policy.horizon.periods
    visits = [v for v in lines if v.kind == rules.MODEL_LESSON]
    stints = [v for v in lines if v.kind == rules.SHADOWING]
    got = Counter((v.to_school, v.period) for v in visits)
    below: dict[str, dict[str, int]] = {}
    for r in receivers:
        for p in periods:
            if got[(r, p)] < o.visits_per_school:
                below.setdefault(r, {})[p] = o.visits_per_school - got[(r, p)]
    short = {p: rules.shortage_subjects(inst, p) for p in periods}
    rural = [s.id for s in inst.schools if s.area == "rural"]
    with_helper = [s for s in rural if partners.helper_school(s) is not None]
    by_school = Counter(v.to_school for v in visits)
    return OutreachKpis(
        visits=len(visits),
        visits_required=o.visits_per_school * len(receivers) * len(periods),
        receiving_schools=len(receivers),
        schools_reached=len(receivers) - len(below),
        schools_below=len(below),
        below_by_school=below,
        visits_in_shortage_subject=sum(
            v.subject in short[v.period].get(v.to_school, set()) for v in visits
        ),
        visits_from_pair=sum(partners.relation(v.from_school, v.to_school)[0] for v in visits),
        visits_from_alliance=sum(partners.relation(v.from_school, v.to_school)[1] for v in visits),
        mean_visit_km=round(
            sum(dist.km(v.from_school, v.to_school) for v in visits) / len(visits), 3
        )
        if visits
        else 0.0,
        visitors_available=available,
        teachers_used=len({v.staff for v in visits}),
        short_exchanges=len(stints),
        short_exchanges_required=len(with_helper) * len(periods) if o.short_exchanges else 0,
        rural_without_helper=len(rural) - len(with_helper),
        visits_by_school={r: by_school[r] for r in receivers},
    )
