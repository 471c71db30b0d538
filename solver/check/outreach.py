"""The checker's outreach rules (送教下乡 and 跟岗): one ``check_<rule>`` per rule, each
returning its violations. Terms come from :mod:`twinning.rules.outreach`."""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from twinning.check.report import Violation
from twinning.check.shared import schools_by_id, staff_by_id
from twinning.county.distances import Distances
from twinning.county.instance import Instance, School, Staff, share_stage
from twinning.plan import OutreachVisit, PartObjective, Plan
from twinning.rules import outreach as rules


@dataclass
class OutreachFacts:
    """The plan's outreach lines and what every check needs, computed once."""

    inst: Instance
    plan: Plan
    dist: Distances
    schools: dict[str, School]
    staff: dict[str, Staff]
    rows: list[OutreachVisit]  # those naming known schools and staff
    unknown: list[OutreachVisit]
    partners: rules.Partners
    away: dict[str, set[str]]  # staff -> semesters away on the roster
    short: dict[str, dict[str, set[str]]]  # period -> school -> shortage subjects


def outreach_facts(inst: Instance, plan: Plan, dist: Distances) -> OutreachFacts:
    schools = schools_by_id(inst)
    staff = staff_by_id(inst)
    rows: list[OutreachVisit] = []
    unknown: list[OutreachVisit] = []
    for o in plan.outreach:
        known = o.staff in staff and o.from_school in schools and o.to_school in schools
        (rows if known else unknown).append(o)
    return OutreachFacts(
        inst,
        plan,
        dist,
        schools,
        staff,
        rows,
        unknown,
        rules.partners(plan.pairs, plan.alliances),
        rules.away_on_roster(inst, plan.roster),
        {p: rules.shortage_subjects(inst, p) for p in inst.policy.horizon.periods},
    )


def _weeks_of(f: OutreachFacts, o: OutreachVisit) -> list[int]:
    return rules.stint_weeks(f.inst, o.week) if o.kind == rules.SHADOWING else [o.week]


def check_weeks(f: OutreachFacts) -> list[Violation]:
    """[outreach.weeks] Every line falls in a semester of the horizon and in its outreach
    weeks (every week of a 跟岗 stint)."""
    out = []
    weeks = set(f.inst.policy.outreach.weeks)
    for o in f.rows:
        if o.period not in f.inst.policy.horizon.periods:
            out.append(
                Violation(
                    rule="outreach.weeks",
                    where=[o.staff, o.period],
                    code="check.outreach.weeks.period",
                    params={"staff": o.staff, "period": o.period},
                )
            )
        outside = [w for w in _weeks_of(f, o) if w not in weeks]
        if outside:
            out.append(
                Violation(
                    rule="outreach.weeks",
                    where=[o.staff, o.to_school, o.period],
                    amount=len(outside),
                    code="check.outreach.weeks.week",
                    params={"staff": o.staff, "weeks": outside},
                )
            )
    return out


def check_visitors(f: OutreachFacts) -> list[Violation]:
    """[outreach.visitors] A model lesson is given by a county-level-or-above backbone
    teacher or a 名师工作室 member, from home, in their subject, at a weak or rural school
    of a shared stage, in a semester the roster leaves them at home, for visit_days days."""
    out: list[Violation] = []
    days = f.inst.policy.outreach.visit_days
    for o in f.rows:
        if o.kind != rules.MODEL_LESSON:
            continue
        person, home, host = f.staff[o.staff], f.schools[o.from_school], f.schools[o.to_school]
        problems: list[tuple[str, dict[str, Any]]] = []
        if not rules.may_visit(person):
            problems.append(("check.outreach.visitors.visitor", {}))
        if person.school != o.from_school:
            problems.append(
                (
                    "check.outreach.visitors.home",
                    {"school": person.school, "from_school": o.from_school},
                )
            )
        if person.subject != o.subject:
            problems.append(
                (
                    "check.outreach.visitors.subject",
                    {"subject": person.subject, "visit_subject": o.subject},
                )
            )
        if not rules.receives(host):
            problems.append(("check.outreach.visitors.host", {"school": o.to_school}))
        if o.to_school == o.from_school:
            problems.append(("check.outreach.visitors.own_school", {}))
        if not share_stage(home, host):
            problems.append(
                (
                    "check.outreach.visitors.stage",
                    {"from_school": o.from_school, "school": o.to_school},
                )
            )
        if o.period in f.away.get(o.staff, set()):
            problems.append(("check.outreach.visitors.away", {"period": o.period}))
        if o.days != days:
            problems.append(("check.outreach.visitors.days", {"days": o.days, "want": days}))
        out.extend(
            Violation(
                rule="outreach.visitors",
                where=[o.staff, o.to_school, o.period],
                code=code,
                params={"staff": o.staff, **params},
            )
            for code, params in problems
        )
    return out


def check_visits_per_school(f: OutreachFacts) -> list[Violation]:
    """[outreach.visits_per_school] Every weak or rural school receives at least
    visits_per_school model-lesson visits each semester; with cap_visits a school may be
    held below only when no visitor could have added a visit (at home, of a shared stage,
    not yet there, below their own cap, with a week their school has room, far enough from
    the school's other visits and below the week's cap)."""
    o = f.inst.policy.outreach
    need = o.visits_per_school
    lessons = [v for v in f.rows if v.kind == rules.MODEL_LESSON]
    got = Counter((v.to_school, v.period) for v in lessons)
    out = []
    for s in f.inst.schools:
        if not rules.receives(s):
            continue
        for period in f.inst.policy.horizon.periods:
            n = got[(s.id, period)]
            if n >= need:
                continue
            if not o.cap_visits:
                out.append(
                    Violation(
                        rule="outreach.visits_per_school",
                        where=[s.id, period],
                        amount=need - n,
                        code="check.outreach.visits_per_school",
                        params={"school": s.id, "n": n, "period": period, "need": need},
                    )
                )
                continue
            spare = _spare_visitor(f, s, period, lessons)
            if spare is not None:
                out.append(
                    Violation(
                        rule="outreach.visits_per_school",
                        where=[s.id, period, spare],
                        amount=need - n,
                        code="check.outreach.visits_per_school.spare",
                        params={
                            "school": s.id,
                            "n": n,
                            "period": period,
                            "need": need,
                            "staff": spare,
                        },
                    )
                )
    return out


def _spare_visitor(
    f: OutreachFacts, host: School, period: str, lessons: list[OutreachVisit]
) -> str | None:
    """A visitor who could add a visit to this school in this semester, if any."""
    o = f.inst.policy.outreach
    mine = [v for v in lessons if v.period == period]
    count = Counter(v.staff for v in mine)
    there = {v.staff for v in mine if v.to_school == host.id}
    busy: dict[str, set[int]] = defaultdict(set)
    away: Counter[tuple[str, int]] = Counter()
    for v in f.rows:
        if v.period == period:
            for w in _weeks_of(f, v):
                busy[v.staff].add(w)
                away[(v.from_school, w)] += 1
    # a week a visit to this school could take: apart from its visits, below the week cap
    visited = [v.week for v in mine if v.to_school == host.id]
    load = Counter(v.week for v in mine)
    cap = rules.week_cap(f.inst, len(mine) + 1)
    open_weeks = [
        w
        for w in o.weeks
        if load[w] < cap and not any(rules.too_close(f.inst, w, x) for x in visited)
    ]
    for t in f.inst.staff:
        home = f.schools.get(t.school)
        if (
            home is None
            or t.school == host.id
            or not rules.may_visit(t)
            or period in f.away.get(t.id, set())
            or not share_stage(home, host)
            or t.id in there
            or count[t.id] >= o.max_visits_per_teacher
        ):
            continue
        free = [
            w
            for w in open_weeks
            if w not in busy[t.id] and away[(t.school, w)] < o.max_away_per_school_per_week
        ]
        if free:
            return t.id
    return None


def check_max_visits_per_teacher(f: OutreachFacts) -> list[Violation]:
    """[outreach.max_visits_per_teacher] A teacher makes at most max_visits_per_teacher
    visits a semester, and is on at most one outreach line a week."""
    cap = f.inst.policy.outreach.max_visits_per_teacher
    visits = Counter((o.staff, o.period) for o in f.rows if o.kind == rules.MODEL_LESSON)
    out = [
        Violation(
            rule="outreach.max_visits_per_teacher",
            where=[staff, period],
            amount=n - cap,
            code="check.outreach.max_visits_per_teacher",
            params={"staff": staff, "n": n, "period": period, "cap": cap},
        )
        for (staff, period), n in sorted(visits.items())
        if n > cap
    ]
    weekly = Counter((o.staff, o.period, w) for o in f.rows for w in _weeks_of(f, o))
    out.extend(
        Violation(
            rule="outreach.max_visits_per_teacher",
            where=[staff, period],
            amount=n - 1,
            code="check.outreach.max_visits_per_teacher.week",
            params={"staff": staff, "n": n, "week": week, "period": period},
        )
        for (staff, period, week), n in sorted(weekly.items())
        if n > 1
    )
    return out


def check_max_away_per_school_per_week(f: OutreachFacts) -> list[Violation]:
    """[outreach.max_away_per_school_per_week] A school has at most
    max_away_per_school_per_week teachers away on outreach (visits and 跟岗) in a week."""
    cap = f.inst.policy.outreach.max_away_per_school_per_week
    away: dict[tuple[str, str, int], set[str]] = defaultdict(set)
    for o in f.rows:
        for w in _weeks_of(f, o):
            away[(o.from_school, o.period, w)].add(o.staff)
    return [
        Violation(
            rule="outreach.max_away_per_school_per_week",
            where=[school, period],
            amount=len(people) - cap,
            code="check.outreach.max_away_per_school_per_week",
            params={
                "school": school,
                "n": len(people),
                "week": week,
                "period": period,
                "cap": cap,
            },
        )
        for (school, period, week), people in sorted(away.items())
        if len(people) > cap
    ]


def check_min_weeks_apart(f: OutreachFacts) -> list[Violation]:
    """[outreach.min_weeks_apart] Two model-lesson visits to one school in a semester are at
    least min_weeks_apart weeks apart."""
    gap = f.inst.policy.outreach.min_weeks_apart
    weeks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for o in f.rows:
        if o.kind == rules.MODEL_LESSON:
            weeks[(o.to_school, o.period)].append(o.week)
    out = []
    for (school, period), got in sorted(weeks.items()):
        got.sort()
        for a, b in itertools.pairwise(got):
            if rules.too_close(f.inst, a, b):
                out.append(
                    Violation(
                        rule="outreach.min_weeks_apart",
                        where=[school, period],
                        amount=gap - (b - a),
                        code="check.outreach.min_weeks_apart",
                        params={
                            "school": school,
                            "period": period,
                            "first": a,
                            "second": b,
                            "gap": gap,
                        },
                    )
                )
    return out


def check_max_visits_per_week(f: OutreachFacts) -> list[Violation]:
    """[outreach.max_visits_per_week] A week of a semester holds at most
    max_visits_per_week of the county's model-lesson visits (default: twice the semester's
    average, ceil(2 x visits / weeks))."""
    per_week: Counter[tuple[str, int]] = Counter()
    per_period: Counter[str] = Counter()
    for o in f.rows:
        if o.kind == rules.MODEL_LESSON:
            per_week[(o.period, o.week)] += 1
            per_period[o.period] += 1
    out = []
    for (period, week), n in sorted(per_week.items()):
        cap = rules.week_cap(f.inst, per_period[period])
        if n > cap:
            out.append(
                Violation(
                    rule="outreach.max_visits_per_week",
                    where=[period, str(week)],
                    amount=n - cap,
                    code="check.outreach.max_visits_per_week",
                    params={"n": n, "week": week, "period": period, "cap": cap},
                )
            )
    return out


def _must_shadow(f: OutreachFacts) -> list[tuple[str, str]]:
    """(rural school, its helper school) for the schools that must send a teacher to 跟岗."""
    if not f.inst.policy.outreach.short_exchanges:
        return []
    out = []
    for s in f.inst.schools:
        helper = f.partners.helper_school(s.id) if s.area == "rural" else None
        if helper is not None:
            out.append((s.id, helper))
    return out


def check_short_exchanges(f: OutreachFacts) -> list[Violation]:
    """[outreach.short_exchanges] With short_exchanges, every rural school with a helper
    school sends at least one of its staff to shadow there (跟岗) each semester; the one
    who shadows is active staff of the school, at home that semester, and goes to the
    school's helper school."""
    out: list[Violation] = []
    for o in f.rows:
        if o.kind != rules.SHADOWING:
            continue
        person = f.staff[o.staff]
        problems: list[tuple[str, dict[str, Any]]] = []
        if not rules.may_shadow(person) or person.school != o.from_school:
            problems.append(("check.outreach.short_exchanges.staff", {"school": o.from_school}))
        if f.partners.helper_school(o.from_school) != o.to_school:
            problems.append(
                (
                    "check.outreach.short_exchanges.helper",
                    {"school": o.to_school, "from_school": o.from_school},
                )
            )
        if (person.subject or "") != o.subject:
            problems.append(
                (
                    "check.outreach.short_exchanges.subject",
                    {"subject": person.subject, "visit_subject": o.subject},
                )
            )
        if o.period in f.away.get(o.staff, set()):
            problems.append(("check.outreach.short_exchanges.away", {"period": o.period}))
        out.extend(
            Violation(
                rule="outreach.short_exchanges",
                where=[o.staff, o.from_school, o.period],
                code=code,
                params={"staff": o.staff, **params},
            )
            for code, params in problems
        )
    sent = Counter((o.from_school, o.period) for o in f.rows if o.kind == rules.SHADOWING)
    for school, helper in _must_shadow(f):
        for period in f.inst.policy.horizon.periods:
            if not sent[(school, period)]:
                out.append(
                    Violation(
                        rule="outreach.short_exchanges",
                        where=[school, helper, period],
                        amount=1,
                        code="check.outreach.short_exchanges.missing",
                        params={"school": school, "helper": helper, "period": period},
                    )
                )
    return out


def check_short_exchange_weeks(f: OutreachFacts) -> list[Violation]:
    """[outreach.short_exchange_weeks] A 跟岗 stint lasts short_exchange_weeks weeks (five
    days each)."""
    days = rules.shadow_days(f.inst)
    return [
        Violation(
            rule="outreach.short_exchange_weeks",
            where=[o.staff, o.to_school, o.period],
            amount=abs(days - o.days),
            code="check.outreach.short_exchange_weeks",
            params={"staff": o.staff, "days": o.days, "want": days},
        )
        for o in f.rows
        if o.kind == rules.SHADOWING and o.days != days
    ]


OUTREACH_CHECKS = (
    check_weeks,
    check_visitors,
    check_visits_per_school,
    check_max_visits_per_teacher,
    check_max_away_per_school_per_week,
    check_min_weeks_apart,
    check_max_visits_per_week,
    check_short_exchanges,
    check_short_exchange_weeks,
)


def outreach_terms(f: OutreachFacts) -> dict[str, float]:
    """The outreach objective's terms, recounted from the plan."""
    o = f.inst.policy.outreach
    got = Counter((v.to_school, v.period) for v in f.rows if v.kind == rules.MODEL_LESSON)
    missing = sum(
        max(0, o.visits_per_school - got[(s.id, p)])
        for s in f.inst.schools
        if rules.receives(s)
        for p in f.inst.policy.horizon.periods
    )
    sent = Counter((v.from_school, v.period) for v in f.rows if v.kind == rules.SHADOWING)
    shadow_missing = sum(
        1
        for school, _ in _must_shadow(f)
        for p in f.inst.policy.horizon.periods
        if not sent[(school, p)]
    )
    terms = {
        "visits_missing": float(missing),
        "short_exchanges_missing": float(shadow_missing),
        "visits_off_need": 0.0,
        "visits_not_pair": 0.0,
        "visits_not_alliance": 0.0,
        "distance_km": 0.0,
    }
    for v in f.rows:
        if v.kind != rules.MODEL_LESSON:
            continue
        pair, alliance = f.partners.relation(v.from_school, v.to_school)
        short = v.subject in f.short.get(v.period, {}).get(v.to_school, set())
        km = f.dist.km(v.from_school, v.to_school)
        for key, value in rules.visit_terms(f.inst, km, pair, alliance, short).items():
            terms[key] += value
    return terms


def outreach_objective(f: OutreachFacts) -> PartObjective:
    """The outreach part's objective, recomputed from its definition."""
    terms = outreach_terms(f)
    return PartObjective(value=rules.objective_value(f.inst, terms), terms=terms)
