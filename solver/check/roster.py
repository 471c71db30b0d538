"""The checker's roster rules: every move and count re-derived from the instance and plan.

Part of the specification (see ``solver.check``): it never imports ortools nor the
roster model. The terms (due, available, advantaged, ...) are defined once in
``solver.rules.roster``; everything the plan claims is recounted here.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from solver.county.distances import Distances
from solver.county.instance import Instance
from solver.county.vocabulary import COUNTY_OR_ABOVE
from solver.plan import Move, Plan
from solver.rules import roster as rules

if TYPE_CHECKING:
    from solver.check import ValidationReport


def check_roster(inst: Instance, plan: Plan, dist: Distances, report: ValidationReport) -> None:
    """Append every roster violation to the report and recompute the roster objective."""
    from solver.check import Violation

    v = report.violations
    rot = inst.policy.rotation
    periods = list(inst.policy.horizon.periods)
    schools = {s.id: s for s in inst.schools}
    staff = {t.id: t for t in inst.staff}
    last = rules.moved_last_cycle(inst)
    pinned = {f.staff: f for f in inst.fixed if f.kind == "exchange" and f.staff}
    scope, partners = _scopes(inst, plan)

    moves: list[Move] = []
    mentors: list[Move] = []
    for m in plan.roster:
        if m.staff not in staff or m.from_school not in schools or m.to_school not in schools:
            v.append(
                Violation(
                    rule="plan.unknown_staff",
                    where=[m.staff, m.to_school],
                    message="the roster names staff or a school the instance does not have",
                )
            )
            continue
        (mentors if m.kind == "mentor" else moves).append(m)

    # [one move per person]
    count = Counter(m.staff for m in moves)
    for sid, n in sorted(count.items()):
        if n > 1:
            v.append(
                Violation(
                    rule="rotation.one_move",
                    where=[sid],
                    amount=n - 1,
                    message=f"{sid} has {n} moves in the horizon, at most 1",
                )
            )
    spans: list[tuple[Move, int]] = []
    for m in moves:
        person = staff[m.staff]
        where = [m.staff, m.to_school]
        if m.from_school != person.school:
            v.append(
                Violation(
                    rule="plan.roster_figures",
                    where=where,
                    message=f"{m.staff} works at {person.school}, not {m.from_school}",
                )
            )
        # [rotation.min_periods / max_periods] within the horizon
        if m.first_period not in periods:
            v.append(
                Violation(
                    rule="horizon.periods",
                    where=where,
                    message=f"first period {m.first_period} is not in the horizon",
                )
            )
            continue
        first = periods.index(m.first_period)
        spans.append((m, first))
        if first + m.periods > len(periods):
            v.append(
                Violation(
                    rule="horizon.periods",
                    where=where,
                    amount=first + m.periods - len(periods),
                    message="the move runs past the horizon",
                )
            )
        low, high = (1, 1) if m.kind == "secondment" else (rot.min_periods, rot.max_periods)
        if not low <= m.periods <= high:
            rule = "rotation.min_periods" if m.periods < low else "rotation.max_periods"
            v.append(
                Violation(
                    rule=rule,
                    where=where,
                    message=f"lasts {m.periods} period(s), allowed {low}..{high}",
                )
            )
        if m.staff in pinned:
            continue  # pinned by the planner: eligibility and scope yield
        home, host = schools[m.from_school], schools[m.to_school]
        # [eligibility]
        if person.status != "active":
            v.append(
                Violation(
                    rule="rotation.status",
                    where=where,
                    message=f"{m.staff} is {person.status} and never moves",
                )
            )
        if rules.age_exempt(inst, person):
            v.append(
                Violation(
                    rule="rotation.exempt_age",
                    where=where,
                    message=f"{m.staff} is {person.age} ({person.gender}), exempt",
                )
            )
        if m.staff in last:
            v.append(
                Violation(
                    rule="rotation.last_cycle",
                    where=where,
                    message=f"{m.staff} moved in the last exchange cycle",
                )
            )
        out = rules.advantaged(home) and not rules.advantaged(host)
        inward = not rules.advantaged(home) and rules.advantaged(host)
        if (m.direction == "out" and not out) or (m.direction == "in" and not inward):
            v.append(
                Violation(
                    rule="rotation.direction",
                    where=where,
                    message=f"a move {m.direction} must go from "
                    + (
                        "an urban/strong school to one that is not"
                        if m.direction == "out"
                        else "a rural/weak school to an urban/strong one"
                    ),
                )
            )
        if m.kind == "secondment":
            if person.role not in rules.CADRES:
                v.append(
                    Violation(
                        rule="rotation.secondment_count",
                        where=where,
                        message=f"only cadres are seconded, {m.staff} is a {person.role}",
                    )
                )
        elif person.role in rules.CADRES:
            v.append(
                Violation(
                    rule="rotation.secondment_count",
                    where=where,
                    message="cadres move as a one-period secondment",
                )
            )
        elif (m.direction == "out" or person.role in rules.LEADERS) and not rules.is_due(
            inst, person
        ):
            v.append(
                Violation(
                    rule="rotation.due_years",
                    where=where,
                    message=f"{m.staff} is not due ({person.years_at_school} years at school)",
                )
            )
        if m.direction == "in" and person.role == "teacher" and not rot.two_way:
            v.append(
                Violation(
                    rule="rotation.two_way",
                    where=where,
                    message="learning stints are off (rotation.two_way = false)",
                )
            )
        # [rotation.scope] and [rotation.max_km]
        teacher_out = person.role == "teacher" and m.kind == "exchange" and m.direction == "out"
        allowed = scope if teacher_out else partners
        if m.to_school not in allowed.get(m.from_school, set()):
            v.append(
                Violation(
                    rule="rotation.scope",
                    where=where,
                    message=f"{m.to_school} is outside {m.staff}'s "
                    + ("scope" if teacher_out else "partner or lead school"),
                )
            )
        km = dist.km(m.from_school, m.to_school)
        if rot.max_km is not None and km > rot.max_km + 1e-9:
            v.append(
                Violation(
                    rule="rotation.max_km",
                    where=where,
                    amount=round(km - rot.max_km, 3),
                    message=f"{km:.1f} km, limit {rot.max_km:g}",
                )
            )
        # [needs] a teacher moved out fills a shortage of their subject at the host
        if teacher_out and not any(
            (m.to_school, person.subject) in rules.shortages(inst, p) for p in periods
        ):
            v.append(
                Violation(
                    rule="needs.shortage",
                    where=where,
                    message=f"{m.to_school} has no shortage of {person.subject}",
                )
            )
    for sid, f in sorted(pinned.items()):
        if not any(
            m.staff == sid
            and m.to_school == f.to_school
            and (not f.period or m.first_period == f.period)
            for m in moves
        ):
            v.append(
                Violation(
                    rule="rotation.fixed",
                    where=[sid, f.to_school],
                    message="a move pinned in the instance is missing",
                )
            )

    # Counts per school and period.
    size = Counter(t.school for t in inst.staff)
    subject_count = Counter((t.school, t.subject) for t in inst.staff if t.subject)
    away: Counter[tuple[str, int]] = Counter()
    incoming: Counter[tuple[str, int]] = Counter()
    subject_delta: Counter[tuple[str, str, int]] = Counter()
    for m, first in spans:
        subject = staff[m.staff].subject
        for t in range(first, min(first + m.periods, len(periods))):
            away[(m.from_school, t)] += 1
            incoming[(m.to_school, t)] += 1
            if subject:
                subject_delta[(m.from_school, subject, t)] -= 1
                subject_delta[(m.to_school, subject, t)] += 1
    share = rot.max_outflow_share
    for (school, t), n in sorted(away.items()):
        limit = math.floor(share * size[school] + 1e-9)
        if n > limit:
            v.append(
                Violation(
                    rule="rotation.max_outflow_share",
                    where=[school, periods[t]],
                    amount=n - limit,
                    message=f"{n} staff away from {school}, limit {limit}",
                )
            )
    for (school, t), n in sorted(incoming.items()):
        cap = rules.host_capacity(inst, schools[school], size[school])
        if n > cap:
            v.append(
                Violation(
                    rule="rotation.host_capacity",
                    where=[school, periods[t]],
                    amount=n - cap,
                    message=f"{n} staff coming in to {school}, capacity {cap}",
                )
            )
    if rot.keep_subject_cover:
        for (school, subject, t), delta in sorted(subject_delta.items()):
            have = subject_count[(school, subject)]
            if have and have + delta < 1:
                v.append(
                    Violation(
                        rule="rotation.keep_subject_cover",
                        where=[school, subject, periods[t]],
                        message=f"{school} is left without a {subject} teacher",
                    )
                )

    # [rotation.rate] per advantaged school, where it can send someone.
    moved = Counter(
        m.from_school for m in moves if m.kind == "exchange" and staff[m.staff].role == "teacher"
    )
    can_send = _could_move_out(inst, scope, periods)
    for school, need in sorted(rules.quota_required(inst).items()):
        limit = math.floor(share * size[school] + 1e-9) * len(periods)
        required = min(need, len(can_send.get(school, ())), limit)
        if moved[school] < required:
            v.append(
                Violation(
                    rule="rotation.rate",
                    where=[school],
                    amount=required - moved[school],
                    message=f"{school} moves {moved[school]} teachers, at least {required}",
                )
            )
    # [rotation.backbone_share] and [rotation.two_way], county-wide
    outs = [
        m
        for m in moves
        if m.kind == "exchange" and m.direction == "out" and staff[m.staff].role == "teacher"
    ]
    ins = [
        m
        for m in moves
        if m.kind == "exchange" and m.direction == "in" and staff[m.staff].role == "teacher"
    ]
    backbone = sum(1 for m in outs if staff[m.staff].backbone in COUNTY_OR_ABOVE)
    if 100 * backbone < round(100 * rot.backbone_share) * len(outs):
        v.append(
            Violation(
                rule="rotation.backbone_share",
                where=["county"],
                amount=round(rot.backbone_share * len(outs) - backbone, 2),
                message=f"{backbone} backbone among {len(outs)} moved, at least "
                f"{rot.backbone_share:.0%}",
            )
        )
    if rot.two_way and 100 * len(ins) < round(100 * rot.two_way_share) * len(outs):
        v.append(
            Violation(
                rule="rotation.two_way_share",
                where=["county"],
                amount=round(rot.two_way_share * len(outs) - len(ins), 2),
                message=f"{len(ins)} learning stints for {len(outs)} moves out, at "
                f"least {rot.two_way_share:.0%}",
            )
        )
    seconded = sum(1 for m in moves if m.kind == "secondment")
    want = rot.secondment_count or 0
    if seconded != want:
        v.append(
            Violation(
                rule="rotation.secondment_count",
                where=["county"],
                amount=abs(seconded - want),
                message=f"{seconded} secondments, the policy asks for {want}",
            )
        )
    _check_mentors(inst, plan, mentors, report)
    report.kpis["roster"] = _kpis(inst, moves, spans, len(outs), backbone, len(ins))
    _roster_objective(inst, plan, moves, spans, report)


def _scopes(inst: Instance, plan: Plan) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(hosts in scope for teachers moving out, partner and lead schools) per school."""
    scope = inst.policy.rotation.scope
    ids = [s.id for s in inst.schools]
    alliance_of = {m.member: m.alliance for m in plan.alliances}
    members: dict[str, set[str]] = defaultdict(set)
    for m in plan.alliances:
        members[m.alliance].add(m.member)
    hosts: dict[str, set[str]] = defaultdict(set)
    partners: dict[str, set[str]] = defaultdict(set)
    for p in plan.pairs:
        if scope != "alliance" or alliance_of.get(p.helper) == alliance_of.get(p.helped):
            partners[p.helper].add(p.helped)
            partners[p.helped].add(p.helper)
    if scope != "pair":
        for m in plan.alliances:
            if m.member != m.lead:
                partners[m.member].add(m.lead)
                partners[m.lead].add(m.member)
    for p in plan.pairs:
        if scope == "pair":
            hosts[p.helper].add(p.helped)
            hosts[p.helped].add(p.helper)
    for a in ids:
        if scope == "alliance":
            hosts[a] = members.get(alliance_of.get(a, ""), set()) - {a}
        elif scope == "county":
            hosts[a] = set(ids) - {a}
    return hosts, partners


def _could_move_out(
    inst: Instance, scope: dict[str, set[str]], periods: list[str]
) -> dict[str, set[str]]:
    """Teachers of each advantaged school who could move out at all (quota's reach)."""
    schools = {s.id: s for s in inst.schools}
    last = rules.moved_last_cycle(inst)
    short = set()
    for p in periods:
        short |= set(rules.shortages(inst, p))
    limit = inst.policy.rotation.max_km
    dist = Distances(inst)
    out: dict[str, set[str]] = defaultdict(set)
    for t in inst.staff:
        home = schools[t.school]
        if (
            t.role != "teacher"
            or not rules.advantaged(home)
            or not rules.is_due(inst, t)
            or not rules.available(inst, t, last)
        ):
            continue
        for h in scope.get(t.school, ()):
            if (
                not rules.advantaged(schools[h])
                and (h, t.subject) in short
                and (limit is None or dist.km(t.school, h) <= limit + 1e-9)
            ):
                out[t.school].add(t.id)
                break
    return out


def _check_mentors(
    inst: Instance, plan: Plan, mentors: list[Move], report: ValidationReport
) -> None:
    from solver.check import Violation

    v = report.violations
    staff = {t.id: t for t in inst.staff}
    helped_by = defaultdict(set)
    for p in plan.pairs:
        helped_by[p.helper].add(p.helped)
    seen_mentor: Counter[str] = Counter(m.staff for m in mentors)
    seen_mentee: Counter[str] = Counter(m.mentee for m in mentors if m.mentee)
    for sid, n in seen_mentor.items():
        if n > 1:
            v.append(
                Violation(
                    rule="mentors.one_to_one",
                    where=[sid],
                    amount=n - 1,
                    message=f"{sid} mentors {n} teachers",
                )
            )
    for sid, n in seen_mentee.items():
        if n > 1:
            v.append(
                Violation(
                    rule="mentors.one_to_one",
                    where=[sid],
                    amount=n - 1,
                    message=f"{sid} has {n} mentors",
                )
            )
    for m in mentors:
        mentor, mentee = staff[m.staff], staff.get(m.mentee or "")
        where = [m.staff, m.mentee or "-"]
        if mentee is None:
            v.append(
                Violation(
                    rule="mentors.one_to_one",
                    where=where,
                    message="a mentor line names no known mentee",
                )
            )
            continue
        if mentor.backbone not in COUNTY_OR_ABOVE or mentor.status != "active":
            v.append(
                Violation(
                    rule="mentors.backbone",
                    where=where,
                    message=f"{m.staff} is not an active county-level backbone",
                )
            )
        if mentor.subject != mentee.subject:
            v.append(
                Violation(
                    rule="mentors.same_subject",
                    where=where,
                    message=f"{mentor.subject} mentor for a {mentee.subject} teacher",
                )
            )
        if mentee.school not in helped_by.get(mentor.school, set()):
            v.append(
                Violation(
                    rule="mentors.pair",
                    where=where,
                    message=f"{mentee.school} is not helped by {mentor.school}",
                )
            )
        if not rules.is_young(inst, mentee) or mentee.status != "active":
            v.append(
                Violation(
                    rule="mentors.young",
                    where=where,
                    message=f"{m.mentee} is not a young active teacher",
                )
            )
    # Maximal: no free mentor and free mentee that could be paired.
    busy = set(seen_mentor) | set(seen_mentee)
    free_mentees: dict[tuple[str, str], list[str]] = defaultdict(list)
    for t in inst.staff:
        if t.id not in busy and t.status == "active" and t.subject and rules.is_young(inst, t):
            free_mentees[(t.school, t.subject)].append(t.id)
    for t in inst.staff:
        if t.id in busy or t.backbone not in COUNTY_OR_ABOVE or t.status != "active":
            continue
        for school in helped_by.get(t.school, ()):
            free = [y for y in free_mentees.get((school, t.subject or ""), []) if y != t.id]
            if free:
                v.append(
                    Violation(
                        rule="mentors.maximal",
                        where=[t.id, free[0]],
                        message=f"{t.id} and {free[0]} could be paired but are not",
                    )
                )
                break


def _roster_objective(
    inst: Instance,
    plan: Plan,
    moves: list[Move],
    spans: list[tuple[Move, int]],
    report: ValidationReport,
) -> None:
    from solver.check import Violation

    w8 = inst.policy.weights
    weights = inst.policy.needs.priority_weights
    periods = list(inst.policy.horizon.periods)
    schools = {s.id: s for s in inst.schools}
    staff = {t.id: t for t in inst.staff}
    last = rules.moved_last_cycle(inst)
    dist = Distances(inst)
    present: Counter[tuple[str, str, int]] = Counter()
    for m, first in spans:
        person = staff[m.staff]
        if m.kind == "exchange" and m.direction == "out" and person.role == "teacher":
            for t in range(first, min(first + m.periods, len(periods))):
                present[(m.to_school, person.subject or "", t)] += 1
    uncovered = 0
    for t, period in enumerate(periods):
        for (school, subject), (need, prio) in rules.shortages(inst, period).items():
            got = min(need, present[(school, subject, t)])
            uncovered += weights.get(prio, 1) * (need - got)
    moved = {m.staff for m in moves}
    pinned = {f.staff for f in inst.fixed if f.kind == "exchange" and f.staff}
    considered = [t for t in inst.staff if t.id in pinned or rules.available(inst, t, last)]
    due = [t for t in considered if rules.is_due(inst, t) and t.role in ("teacher", *rules.LEADERS)]
    due_left = sum(1 for t in due if t.id not in moved)
    rural_placed = {
        m.staff for m in moves if m.direction == "out" and schools[m.to_school].area == "rural"
    }
    priority = [
        t
        for t in due
        if t.role == "teacher"
        and rules.advantaged(schools[t.school])
        and rules.rural_priority(inst, t)
    ]
    priority_left = sum(1 for t in priority if t.id not in rural_placed)
    surplus = rules.surplus_subjects(inst)
    ratio = rules.backbone_per_100(inst)
    not_surplus = balance = pref = km_cost = 0
    km_total = 0.0
    for m in moves:
        person = staff[m.staff]
        km = dist.km(m.from_school, m.to_school)
        km_total += km
        km_cost += round(w8.roster_km * km)
        if (
            person.role == "teacher"
            and m.direction == "out"
            and m.kind == "exchange"
            and person.subject not in surplus.get(person.school, set())
        ):
            not_surplus += 1
        if person.backbone in COUNTY_OR_ABOVE and ratio.get(m.to_school, 0.0) >= ratio.get(
            person.school, 0.0
        ):
            balance += 1
        if person.willing and m.to_school not in person.willing:
            pref += 1
    value = (
        w8.roster_need * uncovered
        + w8.roster_due * due_left
        + w8.roster_rural_priority * priority_left
        + w8.roster_surplus_first * not_surplus
        + w8.roster_balance * balance
        + km_cost
        + w8.roster_preference * pref
    )
    terms = {
        "uncovered_need_weighted": float(uncovered),
        "due_not_moved": float(due_left),
        "priority_not_rural": float(priority_left),
        "moved_not_surplus": float(not_surplus),
        "backbone_no_balance_gain": float(balance),
        "distance_km": round(km_total, 3),
        "preference_missed": float(pref),
    }
    report.objectives["roster"] = {"value": value, "terms": terms}
    stated = plan.objectives.get("roster")
    if stated is not None and stated.value != value:
        report.violations.append(
            Violation(
                rule="plan.objective",
                where=["roster"],
                amount=abs(stated.value - value),
                message=f"stated roster objective {stated.value}, recomputed {value}",
            )
        )


def _kpis(
    inst: Instance,
    moves: list[Move],
    spans: list[tuple[Move, int]],
    outs: int,
    backbone: int,
    ins: int,
) -> dict[str, object]:
    """The roster's headline KPIs, recounted from the plan."""
    import statistics

    schools = {s.id: s for s in inst.schools}
    staff = {t.id: t for t in inst.staff}
    periods = list(inst.policy.horizon.periods)
    base = sum(
        1
        for t in inst.staff
        if rules.quota_eligible(inst, t) and rules.advantaged(schools[t.school])
    )
    moved_adv = sum(
        1
        for m in moves
        if m.kind == "exchange"
        and staff[m.staff].role == "teacher"
        and rules.advantaged(schools[m.from_school])
    )
    present: Counter[tuple[str, str, int]] = Counter()
    for m, first in spans:
        if m.kind == "exchange" and m.direction == "out" and staff[m.staff].role == "teacher":
            for t in range(first, min(first + m.periods, len(periods))):
                present[(m.to_school, staff[m.staff].subject or "", t)] += 1
    total = covered = 0
    for t, period in enumerate(periods):
        for (school, subject), (need, _prio) in rules.shortages(inst, period).items():
            total += need
            covered += min(need, present[(school, subject, t)])

    def cv(t: int | None) -> dict[str, float | None]:
        count = Counter(x.school for x in inst.staff if x.backbone in COUNTY_OR_ABOVE)
        if t is not None:
            for m, first in spans:
                if staff[m.staff].backbone in COUNTY_OR_ABOVE and first <= t < first + m.periods:
                    count[m.from_school] -= 1
                    count[m.to_school] += 1
        out: dict[str, float | None] = {}
        for stage in ("primary", "junior"):
            values = [
                100 * count[s.id] / s.students
                for s in inst.schools
                if stage in s.stages and s.students
            ]
            mean = statistics.fmean(values) if values else 0.0
            out[stage] = (
                round(statistics.pstdev(values) / mean, 4) if len(values) > 1 and mean else None
            )
        return out

    return {
        "rotation_rate": round(moved_adv / base, 4) if base else None,
        "backbone_share": round(backbone / outs, 4) if outs else None,
        "two_way_share": round(ins / outs, 4) if outs else None,
        "needs_covered_share": round(covered / total, 4) if total else 1.0,
        "cv_backbone_per_100_before": cv(None),
        "cv_backbone_per_100_after": {p: cv(t) for t, p in enumerate(periods)},
    }
