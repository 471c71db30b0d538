"""The checker's roster rules: one ``check_<rule>`` per rule, each returning its violations.

Part of the specification (see :mod:`twinning.check`): it never imports ortools nor the
roster model. The terms (due, available, advantaged, scope, ...) are defined once in
:mod:`twinning.rules.roster`; everything the plan claims is recounted here. The facts
every check needs (counts per school and period, shortages) are computed once, so that
an 80,000-staff plan is checked in seconds.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from twinning.check.report import RosterRecount, Violation
from twinning.check.shared import once, schools_by_id, staff_by_id, subjects_at
from twinning.county.distances import Distances
from twinning.county.instance import Fixed, Instance, School, Staff
from twinning.plan import Move, PartObjective, Plan
from twinning.rules import roster as rules
from twinning.rules.balance import (
    CountKey,
    Spreads,
    changes_of,
    counts_in,
    floors,
    moves_only,
    no_worse_before,
    places_in,
    raises_above,
)
from twinning.rules.departments import (
    DEPARTMENT_KINDS,
    boundary_years,
    changes_twice,
    department_limit,
    department_sizes,
    departments_of,
    in_department,
    semesters,
    span_changes,
    teacher_spans,
)
from twinning.vocabulary import COUNTY_OR_ABOVE


@dataclass
class RosterFacts:
    """The plan's moves and the counts every roster check needs, computed once."""

    inst: Instance
    plan: Plan
    dist: Distances
    periods: list[str]
    schools: dict[str, School]
    staff: dict[str, Staff]
    unknown: list[Move]
    moves: list[Move]  # exchanges and secondments naming known staff and schools
    mentors: list[Move]
    headship: list[Move]  # changes of headship (校长轮岗), checked in check/headship.py
    head_spans: list[tuple[Move, int]]  # headship lines with a known first period
    spans: list[tuple[Move, int]]  # moves with a known first period, and its index
    last: set[str]
    pinned: dict[str, Fixed]
    scope: dict[str, set[str]]
    partners: dict[str, set[str]]
    shortage: dict[tuple[str, str, int], tuple[int, int]]
    short_any: set[tuple[str, str]]
    size: Counter[str]
    away: Counter[tuple[str, int]] = field(default_factory=Counter)
    incoming: Counter[tuple[str, int]] = field(default_factory=Counter)
    subject_delta: Counter[tuple[str, str, int]] = field(default_factory=Counter)
    #: counts several checks read, each worked out once (:func:`could_move_out`)
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def all_spans(self) -> list[tuple[Move, int]]:
        """Every move that takes someone away, headship changes included."""
        return [*self.spans, *self.head_spans]

    def checked(self) -> list[Move]:
        """Moves the eligibility and scope rules apply to (pinned moves are exempt)."""
        return [m for m in self.moves if m.staff not in self.pinned]

    def teacher_exchanges(self, direction: str) -> list[Move]:
        return [
            m
            for m in self.moves
            if m.kind == "exchange"
            and m.direction == direction
            and self.staff[m.staff].role == "teacher"
        ]


def roster_facts(inst: Instance, plan: Plan, dist: Distances) -> RosterFacts:
    periods = list(inst.policy.horizon.periods)
    schools = schools_by_id(inst)
    staff = staff_by_id(inst)
    unknown: list[Move] = []
    moves: list[Move] = []
    mentors: list[Move] = []
    headship: list[Move] = []
    for m in plan.roster:
        if m.staff not in staff or m.from_school not in schools or m.to_school not in schools:
            unknown.append(m)
        elif m.kind == "mentor":
            mentors.append(m)
        elif m.kind == "headship":
            headship.append(m)
        else:
            moves.append(m)
    index = {p: t for t, p in enumerate(periods)}
    spans = [(m, index[m.first_period]) for m in moves if m.first_period in index]
    shortage = once(rules.shortage_table, inst)
    # the scope the plan's own pairs and alliances give, from the rows naming known schools
    # (a row naming an unknown school is reported by the pairs' and alliances' checks)
    pairs = [p for p in plan.pairs if p.helper in schools and p.helped in schools]
    alliances = [a for a in plan.alliances if a.member in schools and a.lead in schools]
    f = RosterFacts(
        inst=inst,
        plan=plan,
        dist=dist,
        periods=periods,
        schools=schools,
        staff=staff,
        unknown=unknown,
        moves=moves,
        mentors=mentors,
        headship=headship,
        head_spans=[(m, index[m.first_period]) for m in headship if m.first_period in index],
        spans=spans,
        last=rules.moved_last_cycle(inst),
        pinned={f.staff: f for f in inst.fixed if f.kind == "exchange" and f.staff},
        scope=rules.scope_hosts(inst, pairs, alliances),
        partners=rules.partner_hosts(inst, pairs, alliances),
        shortage=shortage,
        short_any={(school, subject) for school, subject, _ in shortage},
        size=once(rules.staff_count, inst),
    )
    for m, first in spans:
        subject = staff[m.staff].subject
        for t in range(first, min(first + m.periods, len(periods))):
            f.away[(m.from_school, t)] += 1
            f.incoming[(m.to_school, t)] += 1
            if subject:
                f.subject_delta[(m.from_school, subject, t)] -= 1
                f.subject_delta[(m.to_school, subject, t)] += 1
    return f


def _v(
    rule: str, m: Move, /, *, code: str, amount: float | None = None, **params: Any
) -> Violation:
    """A violation of a roster line, where it is: the person and the host school."""
    return Violation(
        rule=rule, where=[m.staff, m.to_school], amount=amount, code=code, params=params
    )


def check_one_move(f: RosterFacts) -> list[Violation]:
    """[rotation.one_move] A person makes at most one move in the horizon."""
    count = Counter(m.staff for m in (*f.moves, *f.headship))
    return [
        Violation(
            rule="rotation.one_move",
            where=[sid],
            amount=n - 1,
            code="check.rotation.one_move",
            params={"staff": sid, "n": n},
        )
        for sid, n in sorted(count.items())
        if n > 1
    ]


def check_home_school(f: RosterFacts) -> list[Violation]:
    """[plan.roster_figures] A move starts at the person's own school."""
    return [
        _v(
            "plan.roster_figures",
            m,
            code="check.plan.roster_figures.home",
            staff=m.staff,
            school=f.staff[m.staff].school,
            from_school=m.from_school,
        )
        for m in f.moves
        if m.from_school != f.staff[m.staff].school
    ]


def check_stated_person(f: RosterFacts) -> list[Violation]:
    """[plan.roster_figures] A roster line states the person's own role and subject (the
    checks count the instance's; a line claiming a principal or a subject the person does
    not teach would be exported, reported and adopted as written)."""
    out = []
    for m in (*f.moves, *f.mentors, *f.headship):
        person = f.staff[m.staff]
        if m.role != person.role:
            out.append(
                _v(
                    "plan.roster_figures",
                    m,
                    code="check.plan.roster_figures.role",
                    staff=m.staff,
                    role=person.role,
                    stated=m.role,
                )
            )
        if (m.subject or None) != (person.subject or None):
            out.append(
                _v(
                    "plan.roster_figures",
                    m,
                    code="check.plan.roster_figures.subject",
                    staff=m.staff,
                    subject=person.subject or "-",
                    stated=m.subject or "-",
                )
            )
    return out


def check_horizon(f: RosterFacts) -> list[Violation]:
    """[horizon.periods] A move starts in a period of the horizon and ends within it."""
    out = []
    index = {p: t for t, p in enumerate(f.periods)}
    for m in (*f.moves, *f.headship):
        if m.first_period not in index:
            out.append(
                _v(
                    "horizon.periods",
                    m,
                    code="check.horizon.periods.first",
                    period=m.first_period,
                )
            )
        elif index[m.first_period] + m.periods > len(f.periods):
            over = index[m.first_period] + m.periods - len(f.periods)
            out.append(_v("horizon.periods", m, code="check.horizon.periods.past", amount=over))
    return out


def _length_limits(f: RosterFacts, m: Move) -> tuple[int, int]:
    rot = f.inst.policy.rotation
    return (1, 1) if m.kind == "secondment" else (rot.min_periods, rot.max_periods)


def check_min_periods(f: RosterFacts) -> list[Violation]:
    """[rotation.min_periods] A move lasts at least this many periods (a secondment one)."""
    out = []
    for m, _ in f.spans:
        low, high = _length_limits(f, m)
        if m.periods < low:
            out.append(
                _v(
                    "rotation.min_periods",
                    m,
                    code="check.rotation.min_periods",
                    n=m.periods,
                    low=low,
                    high=high,
                )
            )
    return out


def check_max_periods(f: RosterFacts) -> list[Violation]:
    """[rotation.max_periods] A move lasts at most this many periods (a secondment one)."""
    out = []
    for m, _ in f.spans:
        low, high = _length_limits(f, m)
        if m.periods > high:
            out.append(
                _v(
                    "rotation.max_periods",
                    m,
                    code="check.rotation.max_periods",
                    n=m.periods,
                    low=low,
                    high=high,
                )
            )
    return out


def check_status(f: RosterFacts) -> list[Violation]:
    """[staff.status] Exempt and deferred staff never move."""
    return [
        _v(
            "staff.status",
            m,
            code="check.staff.status",
            staff=m.staff,
            status=f.staff[m.staff].status,
        )
        for m, _ in f.all_spans
        if m.staff not in f.pinned and f.staff[m.staff].status != "active"
    ]


def check_exempt_age(f: RosterFacts) -> list[Violation]:
    """[rotation.exempt_age] Staff at or over the exemption age never move."""
    out = []
    for m, _ in f.all_spans:
        person = f.staff[m.staff]
        if m.staff not in f.pinned and rules.age_exempt(f.inst, person):
            out.append(
                _v(
                    "rotation.exempt_age",
                    m,
                    code="check.rotation.exempt_age",
                    staff=m.staff,
                    age=person.age,
                    gender=person.gender,
                )
            )
    return out


def check_last_cycle(f: RosterFacts) -> list[Violation]:
    """[rotation.last_cycle] Nobody who moved in the last exchange cycle moves again."""
    return [
        _v("rotation.last_cycle", m, code="check.rotation.last_cycle", staff=m.staff)
        for m, _ in f.all_spans
        if m.staff not in f.pinned and m.staff in f.last
    ]


def check_direction(f: RosterFacts) -> list[Violation]:
    """[rotation.direction] ``out`` goes from an urban/strong school to one that is not,
    ``in`` the other way."""
    out = []
    for m, _ in f.spans:
        if m.staff in f.pinned:
            continue
        way = rules.direction(f.schools[m.from_school], f.schools[m.to_school])
        if way != m.direction:
            code = (
                "check.rotation.direction.out"
                if m.direction == "out"
                else "check.rotation.direction.in"
            )
            out.append(_v("rotation.direction", m, code=code))
    return out


def check_secondment_role(f: RosterFacts) -> list[Violation]:
    """[rotation.secondment_count] Only candidates (挂职候选) are seconded, cadres move only
    so, and a principal's rotation is a change of headship, not an exchange stint."""
    out = []
    for m, _ in f.spans:
        if m.staff in f.pinned:
            continue
        person = f.staff[m.staff]
        if m.kind == "secondment" and not rules.secondment_candidate(person):
            out.append(
                _v(
                    "rotation.secondment_count",
                    m,
                    code="check.rotation.secondment_count.not_candidate",
                    staff=m.staff,
                )
            )
        elif m.kind == "exchange" and person.role in rules.CADRES:
            out.append(
                _v("rotation.secondment_count", m, code="check.rotation.secondment_count.cadre")
            )
        elif m.kind == "exchange" and person.role == "principal":
            out.append(
                _v(
                    "rotation.secondment_count",
                    m,
                    code="check.rotation.secondment_count.principal",
                )
            )
    return out


def check_due_years(f: RosterFacts) -> list[Violation]:
    """[rotation.due_years] Teachers moving out, and principals, are due to move."""
    out = []
    for m, _ in f.spans:
        person = f.staff[m.staff]
        if m.staff in f.pinned or m.kind == "secondment" or person.role in rules.CADRES:
            continue
        if (m.direction == "out" or person.role in rules.LEADERS) and not rules.is_due(
            f.inst, person
        ):
            out.append(
                _v(
                    "rotation.due_years",
                    m,
                    code="check.rotation.due_years",
                    staff=m.staff,
                    years=person.years_at_school,
                )
            )
    return out


def check_two_way(f: RosterFacts) -> list[Violation]:
    """[rotation.two_way] Learning stints only when two-way exchange is on."""
    if f.inst.policy.rotation.two_way:
        return []
    return [
        _v("rotation.two_way", m, code="check.rotation.two_way")
        for m, _ in f.spans
        if m.staff not in f.pinned and m.direction == "in" and f.staff[m.staff].role == "teacher"
    ]


def _teacher_out(f: RosterFacts, m: Move) -> bool:
    return f.staff[m.staff].role == "teacher" and m.kind == "exchange" and m.direction == "out"


def check_scope(f: RosterFacts) -> list[Violation]:
    """[rotation.scope] Teachers move out within the scope; learning stints go to a partner
    or lead school, or to a school in scope that needs an arrival of their subject before it
    can send one; everyone else to a partner or lead school."""
    swaps: set[tuple[str, str]] | None = None  # worked out for the first learner it decides
    out = []
    for m, _ in f.spans:
        if m.staff in f.pinned:
            continue
        teacher_out = _teacher_out(f, m)
        allowed = f.scope if teacher_out else f.partners
        if m.to_school in allowed.get(m.from_school, set()):
            continue
        learner = f.staff[m.staff]
        if (
            m.kind == "exchange"
            and m.direction == "in"
            and learner.role == "teacher"
            and m.to_school in f.scope.get(m.from_school, set())
        ):
            if swaps is None:
                swaps = _swap_hosts(f)
            if (m.to_school, learner.subject or "") in swaps:
                continue
        code = "check.rotation.scope" if teacher_out else "check.rotation.scope.partner"
        out.append(_v("rotation.scope", m, code=code, school=m.to_school, staff=m.staff))
    return out


def _swap_hosts(f: RosterFacts) -> set[tuple[str, str]]:
    """(school, subject) a learner may come to: a due teacher of it could go out and the
    school needs an arrival before sending one."""
    needed = rules.arrival_needed(f.inst)
    return {
        (school, f.staff[sid].subject or "")
        for school, ids in could_move_out(f).items()
        for sid in ids
        if (school, f.staff[sid].subject or "") in needed
    }


def check_max_km(f: RosterFacts) -> list[Violation]:
    """[rotation.max_km] No move is longer than this."""
    limit = f.inst.policy.rotation.max_km
    if limit is None:
        return []
    out = []
    for m, _ in f.all_spans:
        km = f.dist.km(m.from_school, m.to_school)
        if m.staff not in f.pinned and not rules.within_km(f.inst, km):
            out.append(
                _v(
                    "rotation.max_km",
                    m,
                    code="check.rotation.max_km",
                    amount=round(km - limit, 3),
                    km=float(km),
                    limit=limit,
                )
            )
    return out


def check_max_minutes(f: RosterFacts) -> list[Violation]:
    """[rotation.max_minutes] No move takes longer than this one way: distances.csv's
    minutes where given, else the km at itinerant.speed_kmh (pinned moves are exempt)."""
    limit = f.inst.policy.rotation.max_minutes
    if limit is None:
        return []
    out = []
    for m, _ in f.all_spans:
        if m.staff in f.pinned:
            continue
        minutes = rules.move_minutes(f.inst, f.dist, m.from_school, m.to_school)
        if not rules.within_minutes(f.inst, minutes):
            out.append(
                _v(
                    "rotation.max_minutes",
                    m,
                    code="check.rotation.max_minutes",
                    amount=round(minutes - limit, 3),
                    minutes=float(minutes),
                    limit=limit,
                )
            )
    return out


def check_own_km(f: RosterFacts) -> list[Violation]:
    """[staff.max_km] Nobody moves farther than their own limit (个人通勤上限, the staff
    table's max_km: young children, care of parents), whatever the move: an exchange, a
    learning stint, a secondment or a change of headship (pinned moves are exempt)."""
    out = []
    for m, _ in f.all_spans:
        person = f.staff[m.staff]
        if person.max_km is None or m.staff in f.pinned:
            continue
        km = f.dist.km(m.from_school, m.to_school)
        if not rules.within_own_km(person, km):
            out.append(
                _v(
                    "staff.max_km",
                    m,
                    code="check.staff.max_km",
                    amount=round(km - person.max_km, 3),
                    km=float(km),
                    school=m.from_school,
                    staff=m.staff,
                    limit=person.max_km,
                )
            )
    return out


def check_needs_shortage(f: RosterFacts) -> list[Violation]:
    """[needs.shortage] A teacher moved out fills a shortage of their subject at the host."""
    return [
        _v(
            "needs.shortage",
            m,
            code="check.needs.shortage",
            school=m.to_school,
            subject=f.staff[m.staff].subject,
        )
        for m, _ in f.spans
        if m.staff not in f.pinned
        and _teacher_out(f, m)
        and (m.to_school, f.staff[m.staff].subject) not in f.short_any
    ]


def check_fixed(f: RosterFacts) -> list[Violation]:
    """[rotation.fixed] Every move pinned in fixed.csv is in the plan."""
    out = []
    by_staff: dict[str, list[Move]] = defaultdict(list)
    for m in (*f.moves, *f.headship):
        by_staff[m.staff].append(m)
    for sid, pin in sorted(f.pinned.items()):
        if not any(
            m.to_school == pin.to_school and (not pin.period or m.first_period == pin.period)
            for m in by_staff.get(sid, [])
        ):
            out.append(
                Violation(
                    rule="rotation.fixed",
                    where=[sid, pin.to_school],
                    code="check.rotation.fixed",
                )
            )
    return out


def check_max_outflow_share(f: RosterFacts) -> list[Violation]:
    """[rotation.max_outflow_share] Staff away from a school per period within its limit."""
    limit = once(rules.outflow_limit, f.inst)
    return [
        Violation(
            rule="rotation.max_outflow_share",
            where=[school, f.periods[t]],
            amount=n - limit[school],
            code="check.rotation.max_outflow_share",
            params={"n": n, "school": school, "limit": limit[school]},
        )
        for (school, t), n in sorted(f.away.items())
        if n > limit[school]
    ]


def check_host_capacity(f: RosterFacts) -> list[Violation]:
    """[rotation.host_capacity] Staff coming in to a host per period within its capacity."""
    out = []
    for (school, t), n in sorted(f.incoming.items()):
        cap = rules.host_capacity(f.inst, f.schools[school], f.size[school])
        if n > cap:
            out.append(
                Violation(
                    rule="rotation.host_capacity",
                    where=[school, f.periods[t]],
                    amount=n - cap,
                    code="check.rotation.host_capacity",
                    params={"n": n, "school": school, "cap": cap},
                )
            )
    return out


def check_keep_subject_cover(f: RosterFacts) -> list[Violation]:
    """[rotation.keep_subject_cover] Every subject a school teaches keeps a teacher."""
    if not f.inst.policy.rotation.keep_subject_cover:
        return []
    have = subjects_at(f.inst)
    return [
        Violation(
            rule="rotation.keep_subject_cover",
            where=[school, subject, f.periods[t]],
            code="check.rotation.keep_subject_cover",
            params={"school": school, "subject": subject},
        )
        for (school, subject, t), delta in sorted(f.subject_delta.items())
        if have[(school, subject)] and have[(school, subject)] + delta < 1
    ]


def check_same_stage(f: RosterFacts) -> list[Violation]:
    """[rotation.same_stage] A move goes to a school sharing a stage with the home school
    (or, with rotation.bridge_stages, a junior teacher to a primary school)."""
    out = []
    for m, _ in f.spans:
        if m.staff in f.pinned:
            continue
        if rules.stage_fit(f.inst, f.schools[m.from_school], f.schools[m.to_school]) is None:
            out.append(
                _v(
                    "rotation.same_stage",
                    m,
                    code="check.rotation.same_stage",
                    from_school=m.from_school,
                    to_school=m.to_school,
                )
            )
    return out


def check_bridge_stages(f: RosterFacts) -> list[Violation]:
    """[rotation.bridge_stages] 学段衔接 is for teaching: only a teacher moving out may
    bridge from a junior to a primary school; learning stints and secondments keep to the
    same stage."""
    out = []
    for m, _ in f.spans:
        if m.staff in f.pinned or _teacher_out(f, m):
            continue
        fit = rules.stage_fit(f.inst, f.schools[m.from_school], f.schools[m.to_school])
        if fit == "bridge":
            out.append(_v("rotation.bridge_stages", m, code="check.rotation.bridge_stages"))
    return out


def _teacher_net_out(f: RosterFacts) -> Counter[tuple[str, str, int]]:
    """Teachers out minus teachers in, per school, subject and period (counted once per
    plan: sender protection and the secondments read it; read only)."""
    got: Counter[tuple[str, str, int]] | None = f.memo.get("teacher_net_out")
    if got is None:
        got = f.memo["teacher_net_out"] = _count_teacher_net_out(f)
    return got


def _count_teacher_net_out(f: RosterFacts) -> Counter[tuple[str, str, int]]:
    net: Counter[tuple[str, str, int]] = Counter()
    for m, first in f.spans:
        person = f.staff[m.staff]
        if person.role != "teacher" or not person.subject:
            continue
        for t in range(first, min(first + m.periods, len(f.periods))):
            net[(m.from_school, person.subject, t)] += 1
            net[(m.to_school, person.subject, t)] -= 1
    return net


def check_protect_sender(f: RosterFacts) -> list[Violation]:
    """[rotation.protect_sender] Per school, subject and period, teachers out minus teachers
    in at most the school's surplus of the subject."""
    if not f.inst.policy.rotation.protect_sender:
        return []
    surplus = once(rules.surplus_table, f.inst)
    out = []
    for (school, subject, t), n in sorted(_teacher_net_out(f).items()):
        spare = surplus.get((school, subject, t), 0)
        if n > spare:
            out.append(
                Violation(
                    rule="rotation.protect_sender",
                    where=[school, subject, f.periods[t]],
                    amount=n - spare,
                    code="check.rotation.protect_sender",
                    params={"school": school, "n": n, "subject": subject, "spare": spare},
                )
            )
    return out


def check_surplus_first(f: RosterFacts) -> list[Violation]:
    """[rotation.surplus_first] A school sends a teacher of a subject it has no surplus in
    only after the teachers of its surplus subjects that could go (up to the surplus)."""
    if not f.inst.policy.rotation.surplus_first:
        return []
    spare_subjects = once(rules.surplus_subjects, f.inst)
    spare: dict[tuple[str, str], int] = {}
    for (school, subject, _), n in once(rules.surplus_table, f.inst).items():
        spare[(school, subject)] = max(spare.get((school, subject), 0), n)
    could = could_move_out(f)
    sent: Counter[tuple[str, str]] = Counter()
    others: dict[str, list[str]] = defaultdict(list)
    for m in f.moves:
        if _teacher_out(f, m):
            subject = f.staff[m.staff].subject or ""
            sent[(m.from_school, subject)] += 1
            if subject not in spare_subjects.get(m.from_school, set()):
                others[m.from_school].append(m.staff)
    out = []
    for school, movers in sorted(others.items()):
        for subject in sorted(spare_subjects.get(school, set())):
            could_go = sum(1 for sid in could.get(school, ()) if f.staff[sid].subject == subject)
            first = min(spare.get((school, subject), 0), could_go)
            if sent[(school, subject)] < first:
                out.append(
                    Violation(
                        rule="rotation.surplus_first",
                        where=[school, subject, *movers[:3]],
                        amount=first - sent[(school, subject)],
                        code="check.rotation.surplus_first",
                        params={
                            "school": school,
                            "n": first - sent[(school, subject)],
                            "subject": subject,
                        },
                    )
                )
    return out


def check_secondment_per_host(f: RosterFacts) -> list[Violation]:
    """[rotation.secondment_per_host] Seconded cadres a host takes per semester."""
    limit = f.inst.policy.rotation.secondment_per_host
    seconded: Counter[tuple[str, int]] = Counter()
    for m, first in f.spans:
        if m.kind == "secondment":
            for t in range(first, min(first + m.periods, len(f.periods))):
                seconded[(m.to_school, t)] += 1
    return [
        Violation(
            rule="rotation.secondment_per_host",
            where=[host, f.periods[t]],
            amount=n - limit,
            code="check.rotation.secondment_per_host",
            params={"n": n, "school": host, "limit": limit},
        )
        for (host, t), n in sorted(seconded.items())
        if n > limit
    ]


def secondment_hosts(f: RosterFacts) -> dict[str, list[str]]:
    """Candidates who may be seconded, and the partner schools they may go to (worked out
    once per plan: the secondment check and the objective both read it; read only)."""
    got: dict[str, list[str]] | None = f.memo.get("secondment_hosts")
    if got is None:
        got = f.memo["secondment_hosts"] = _secondment_hosts(f)
    return got


def _secondment_hosts(f: RosterFacts) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    if f.inst.policy.rotation.secondment_count == 0:
        return out
    for t in _candidates(f.inst):
        if not rules.available(f.inst, t, f.last):
            continue
        home = f.schools[t.school]
        hosts = [
            h
            for h in sorted(f.partners.get(t.school, ()))
            if rules.direction(home, f.schools[h]) is not None
            and rules.stage_fit(f.inst, home, f.schools[h]) == "same"
            and rules.near_enough(f.inst, f.dist, t.school, h)
            and rules.within_own_km(t, f.dist.km(t.school, h))
            and rules.secondment_grows(f.inst, t, home, f.schools[h])
        ]
        if hosts:
            out[t.id] = hosts
    return out


def _candidates(inst: Instance) -> list[Staff]:
    """The secondment candidates (挂职候选), in staff order (worked out once per plan)."""
    return once(_find_candidates, inst.staff)


def _find_candidates(staff: list[Staff]) -> list[Staff]:
    return [t for t in staff if rules.secondment_candidate(t)]


def could_move_out(f: RosterFacts) -> dict[str, set[str]]:
    """Teachers of each advantaged school who could move out at all (the quota's reach):
    due, available, with a host in scope, within reach, short of their subject."""
    got: dict[str, set[str]] | None = f.memo.get("could_move_out")
    if got is None:
        got = f.memo["could_move_out"] = _could_move_out(f)
    return got


def _could_move_out(f: RosterFacts) -> dict[str, set[str]]:
    inst = f.inst
    out: dict[str, set[str]] = defaultdict(set)
    if not teacher_spans(inst):
        return out  # no move length fits the horizon [rotation.classes_change_once_a_year]
    short_by_host: dict[str, set[str]] = defaultdict(set)
    for school, subject in f.short_any:
        short_by_host[school].add(subject)
    reachable: dict[str, set[str]] = {}
    advantaged = {s.id for s in f.schools.values() if rules.advantaged(s)}
    for t in inst.staff:
        if (
            t.role != "teacher"
            or t.school not in advantaged
            or not rules.is_due(inst, t)
            or not rules.available(inst, t, f.last)
        ):
            continue
        if t.school not in reachable:
            subjects: set[str] = set()
            for h in _hosts_out(f, t.school):
                subjects |= short_by_host.get(h, set())
            reachable[t.school] = subjects
        if t.subject not in reachable[t.school]:
            continue
        if t.max_km is None or any(  # [staff.max_km]
            t.subject in short_by_host.get(h, ()) and rules.within_own_km(t, f.dist.km(t.school, h))
            for h in _hosts_out(f, t.school)
        ):
            out[t.school].add(t.id)
    return out


def _hosts_out(f: RosterFacts, school: str) -> list[str]:
    """Schools a teacher of ``school`` may go out to: in scope, neither urban nor strong, of
    a fitting stage, within rotation.max_km and rotation.max_minutes (worked out once per
    school)."""
    memo: dict[str, list[str]] = f.memo.setdefault("hosts_out", {})
    got = memo.get(school)
    if got is None:
        home = f.schools[school]
        got = memo[school] = [
            h
            for h in sorted(f.scope.get(school, ()))
            if not rules.advantaged(f.schools[h])
            and rules.stage_fit(f.inst, home, f.schools[h]) is not None
            and rules.near_enough(f.inst, f.dist, school, h)
        ]
    return got


def _counted(f: RosterFacts) -> list[Move]:
    """Teachers' exchanges that count toward the quota and the backbone share: at least
    rotation.min_periods_for_quota periods long."""
    return [
        m
        for m in f.moves
        if m.kind == "exchange"
        and f.staff[m.staff].role == "teacher"
        and rules.counts_for_quota(f.inst, m.periods)
    ]


def _sent(f: RosterFacts) -> Counter[str]:
    """Teachers each school moves on counted exchanges (the quota's count)."""
    return Counter(m.from_school for m in _counted(f))


def check_rate(f: RosterFacts) -> list[Violation]:
    """[rotation.rate, rotation.quota_stages, rotation.min_periods_for_quota] Each urban or
    strong school of the quota's stages (primary, junior and nine-year by default; a
    kindergarten or senior high school has no quota) moves at least ceil(rate x its due
    teachers) on exchanges of at least rotation.min_periods_for_quota periods (shorter
    ones are not counted), unless the planner accepts schools below it
    (rotation.cap_quota: then each missing teacher is a cost, and the summary lists the
    schools)."""
    if f.inst.policy.rotation.cap_quota:
        return []
    moved = _sent(f)
    short = Counter(
        m.from_school
        for m in f.moves
        if m.kind == "exchange"
        and f.staff[m.staff].role == "teacher"
        and not rules.counts_for_quota(f.inst, m.periods)
    )
    k = f.inst.policy.rotation.min_periods_for_quota
    out = []
    for school, need in sorted(rules.quota_required(f.inst).items()):
        required = need
        if moved[school] < required:
            params: dict[str, Any] = {"school": school, "n": moved[school], "required": required}
            code = "check.rotation.rate"
            if short[school]:
                code = "check.rotation.rate.uncounted"
                params |= {"short": short[school], "k": k}
            out.append(
                Violation(
                    rule="rotation.rate",
                    where=[school],
                    amount=required - moved[school],
                    code=code,
                    params=params,
                )
            )
    return out


def check_backbone_share(f: RosterFacts) -> list[Violation]:
    """[rotation.backbone_share] Backbone teachers among those moved out, county-wide, on
    exchanges of at least rotation.min_periods_for_quota periods (shorter ones count on
    neither side)."""
    share = f.inst.policy.rotation.backbone_share
    outs = [m for m in _counted(f) if m.direction == "out"]
    backbone = sum(1 for m in outs if f.staff[m.staff].backbone in COUNTY_OR_ABOVE)
    if 100 * backbone >= round(100 * share) * len(outs):
        return []
    return [
        Violation(
            rule="rotation.backbone_share",
            where=["county"],
            amount=round(share * len(outs) - backbone, 2),
            code="check.rotation.backbone_share",
            params={"backbone": backbone, "n": len(outs), "share": share},
        )
    ]


def check_two_way_share(f: RosterFacts) -> list[Violation]:
    """[rotation.two_way_share] Learning stints at least this share of the moves out."""
    rot = f.inst.policy.rotation
    outs, ins = f.teacher_exchanges("out"), f.teacher_exchanges("in")
    if not rot.two_way or 100 * len(ins) >= round(100 * rot.two_way_share) * len(outs):
        return []
    return [
        Violation(
            rule="rotation.two_way_share",
            where=["county"],
            amount=round(rot.two_way_share * len(outs) - len(ins), 2),
            code="check.rotation.two_way_share",
            params={"ins": len(ins), "outs": len(outs), "share": rot.two_way_share},
        )
    ]


def check_secondment_count(f: RosterFacts) -> list[Violation]:
    """[rotation.secondment_count] Exactly the secondments the policy asks; unset: every
    candidate the hosts allow (no candidate left at home who could still go: a host for
    their growth, :func:`secondment_hosts`, with room in some period, the small-school and
    department rules kept)."""
    seconded = sum(1 for m in f.moves if m.kind == "secondment")
    want = f.inst.policy.rotation.secondment_count
    if want is not None:
        if seconded == want:
            return []
        return [
            Violation(
                rule="rotation.secondment_count",
                where=["county"],
                amount=abs(seconded - want),
                code="check.rotation.secondment_count",
                params={"n": seconded, "want": want},
            )
        ]
    return _secondment_left_out(f)


def _secondment_left_out(f: RosterFacts) -> list[Violation]:
    """Candidates at home although a partner host has room in some period for them."""
    rot = f.inst.policy.rotation
    moving = {m.staff for m in f.moves}
    limit = once(rules.outflow_limit, f.inst)
    seconded: Counter[tuple[str, int]] = Counter()
    for m, first in f.spans:
        if m.kind == "secondment":
            for t in range(first, min(first + m.periods, len(f.periods))):
                seconded[(m.to_school, t)] += 1
    net = _teacher_net_out(f)
    surplus = once(rules.surplus_table, f.inst)
    have = subjects_at(f.inst)
    held = _balance_held(f)
    crowded = _small_school_full(f)
    worse = _no_worse_held(f)
    department_full = _department_full(f)
    out = []
    for sid, hosts in sorted(secondment_hosts(f).items()):
        if sid in moving:
            continue
        person = f.staff[sid]
        for h in hosts:
            cap = rules.host_capacity(f.inst, f.schools[h], f.size[h])
            fits = [
                t
                for t in range(len(f.periods))
                if f.incoming[(h, t)] < cap
                and seconded[(h, t)] < rot.secondment_per_host
                and f.away[(person.school, t)] < limit[person.school]
                and not _takes_subject(f, person, t, net, surplus, have)
                and not held(person, t)
                and not crowded(person.school, h, t)
                and not worse(person, h, t)
                and not department_full(person, h, t)
            ]
            if fits:
                out.append(
                    Violation(
                        rule="rotation.secondment_count",
                        where=[sid, h],
                        amount=1,
                        code="check.rotation.secondment_count.left_out",
                        params={"staff": sid, "school": h, "period": f.periods[fits[0]]},
                    )
                )
                break
    return out


def cadres_at(
    f: RosterFacts,
) -> tuple[dict[tuple[str, int], list[str]], dict[tuple[str, int], list[str]]]:
    """(school, period) -> the visiting cadres there (:func:`~twinning.rules.roster.
    visiting_cadre`), and -> its own cadres away then (worked out once per plan)."""
    got: tuple[dict[tuple[str, int], list[str]], dict[tuple[str, int], list[str]]] | None
    got = f.memo.get("cadres_at")
    if got is None:
        inn: dict[tuple[str, int], list[str]] = defaultdict(list)
        away: dict[tuple[str, int], list[str]] = defaultdict(list)
        for m, first in f.spans:
            if rules.visiting_cadre(f.staff[m.staff], m.kind):
                for t in range(first, min(first + m.periods, len(f.periods))):
                    inn[(m.to_school, t)].append(m.staff)
                    away[(m.from_school, t)].append(m.staff)
        got = f.memo["cadres_at"] = (inn, away)
    return got


def _small_school_full(f: RosterFacts) -> Callable[[str, str, int], bool]:
    """Whether one more secondment from ``home`` to ``host`` in period t would break
    [rotation.small_school_pupils]: a small host with a visiting cadre or its own cadre away
    then, or a small home with a visiting cadre then."""
    inn, away = cadres_at(f)

    def full(home: str, host: str, t: int) -> bool:
        if rules.small_school(f.inst, f.schools[host]) and (
            inn.get((host, t)) or away.get((host, t))
        ):
            return True
        return rules.small_school(f.inst, f.schools[home]) and bool(inn.get((home, t)))

    return full


def check_small_school_pupils(f: RosterFacts) -> list[Violation]:
    """[rotation.small_school_pupils] A school with fewer pupils than this hosts at most one
    visiting cadre a semester (a vice principal, middle manager or reserve cadre on an
    exchange, anyone on a secondment), and none in a semester one of its own cadres is
    away."""
    inn, away = cadres_at(f)
    limit = f.inst.policy.rotation.small_school_pupils
    out = []
    for (school, t), visitors in sorted(inn.items()):
        if not rules.small_school(f.inst, f.schools[school]):
            continue
        where = [school, f.periods[t]]
        pupils = f.schools[school].students
        if len(visitors) > 1:
            out.append(
                Violation(
                    rule="rotation.small_school_pupils",
                    where=where,
                    amount=len(visitors) - 1,
                    code="check.rotation.small_school_pupils",
                    params={
                        "school": school,
                        "n": len(visitors),
                        "period": f.periods[t],
                        "pupils": pupils,
                        "limit": limit,
                    },
                )
            )
        mine = away.get((school, t), [])
        if mine:
            out.append(
                Violation(
                    rule="rotation.small_school_pupils",
                    where=where,
                    amount=len(visitors),
                    code="check.rotation.small_school_pupils.away",
                    params={
                        "school": school,
                        "n": len(visitors),
                        "period": f.periods[t],
                        "away": sorted(mine),
                        "pupils": pupils,
                        "limit": limit,
                    },
                )
            )
    return out


def check_secondment_growth(f: RosterFacts) -> list[Violation]:
    """[rotation.secondment_growth] A reserve cadre is seconded only to a school larger
    (more pupils) or stronger (a higher tier) than their own
    (:func:`~twinning.rules.roster.secondment_grows`; pinned moves are exempt)."""
    out = []
    for m in f.checked():
        if m.kind != "secondment":
            continue
        home, host = f.schools[m.from_school], f.schools[m.to_school]
        if not rules.secondment_grows(f.inst, f.staff[m.staff], home, host):
            out.append(
                _v(
                    "rotation.secondment_growth",
                    m,
                    code="check.rotation.secondment_growth",
                    staff=m.staff,
                    school=m.to_school,
                    pupils="?" if host.students is None else host.students,
                    tier=host.tier,
                    home=m.from_school,
                    home_pupils="?" if home.students is None else home.students,
                    home_tier=home.tier,
                )
            )
    return out


def department_moves(
    f: RosterFacts,
) -> tuple[dict[tuple[str, str, int], list[str]], dict[tuple[str, str, int, int], list[str]]]:
    """(school, subject, period) -> the department's teachers away then, and (school,
    subject, school year, half) -> the teachers whose moves hand its classes over there
    (:mod:`twinning.rules.departments`; worked out once per plan)."""
    got: (
        tuple[dict[tuple[str, str, int], list[str]], dict[tuple[str, str, int, int], list[str]]]
        | None
    ) = f.memo.get("department_moves")
    if got is None:
        away: dict[tuple[str, str, int], list[str]] = defaultdict(list)
        hands: dict[tuple[str, str, int, int], list[str]] = defaultdict(list)
        bounds = boundary_years(f.periods)
        for m, first in f.spans:
            person = f.staff[m.staff]
            if m.kind not in DEPARTMENT_KINDS or not in_department(person):
                continue
            subject = person.subject or ""
            for t in range(first, min(first + m.periods, len(f.periods))):
                away[(m.from_school, subject, t)].append(m.staff)
            for school, subj in departments_of(person, m.from_school, m.to_school):
                for year, half in span_changes(bounds, first, m.periods):
                    hands[(school, subj, year, half)].append(m.staff)
        got = f.memo["department_moves"] = (away, hands)
    return got


def _department_full(f: RosterFacts) -> Callable[[Staff, str, int], bool]:
    """Whether one more secondment of ``person`` to ``host`` in period t would break
    [rotation.max_department_share] (the department at its limit then) or
    [rotation.classes_change_once_a_year] (a stint handing classes over twice in a school
    year, or at a half other than the one its departments' classes already change at)."""
    away, hands = department_moves(f)
    sizes = once(department_sizes, f.inst)
    bounds = boundary_years(f.periods)
    once_a_year = f.inst.policy.rotation.classes_change_once_a_year

    def full(person: Staff, host: str, t: int) -> bool:
        if not in_department(person):
            return False
        subject = person.subject or ""
        limit = department_limit(f.inst, sizes[(person.school, subject)])
        if len(away.get((person.school, subject, t), ())) >= limit:
            return True
        if not once_a_year:
            return False
        if changes_twice(bounds, t, 1):
            return True
        return any(
            hands.get((school, subj, year, 1 - half))
            for school, subj in departments_of(person, person.school, host)
            for year, half in span_changes(bounds, t, 1)
        )

    return full


def check_max_department_share(f: RosterFacts) -> list[Violation]:
    """[rotation.max_department_share] Per school, subject and period, the department's
    teachers (role teacher) away on an exchange, a learning stint or a secondment at most
    the share of its teachers, rounded down, at least one
    (:func:`~twinning.rules.departments.department_limit`)."""
    if f.inst.policy.rotation.max_department_share >= 1:
        return []
    away, _ = department_moves(f)
    sizes = once(department_sizes, f.inst)
    out = []
    for (school, subject, t), ids in sorted(away.items()):
        size = sizes[(school, subject)]
        limit = department_limit(f.inst, size)
        if len(ids) > limit:
            out.append(
                Violation(
                    rule="rotation.max_department_share",
                    where=[school, subject, f.periods[t]],
                    amount=len(ids) - limit,
                    code="check.rotation.max_department_share",
                    params={
                        "school": school,
                        "subject": subject,
                        "period": f.periods[t],
                        "n": len(ids),
                        "size": size,
                        "limit": limit,
                        "staff": sorted(ids),
                    },
                )
            )
    return out


def check_classes_change_once_a_year(f: RosterFacts) -> list[Violation]:
    """[rotation.classes_change_once_a_year] A subject's classes at a school change hands
    at most once a school year.

    Precisely (:mod:`twinning.rules.departments`): a school year is two consecutive
    semesters (``2025-2026-1`` and ``2025-2026-2``; ids that do not read so are paired in
    order). The department of a school and subject is its teachers (role teacher). Its
    classes change hands at a semester boundary when a teacher's exchange, learning stint
    or secondment starts or ends there: one of its own teachers leaves or comes back, or a
    visiting teacher of the subject arrives or leaves. A school year has two boundaries,
    its start (into the first semester) and its middle (into the second); the return
    after the horizon counts when it falls in the middle of the horizon's last year. The
    rule: per school, subject and school year, changes at the start or at the middle,
    not both. So a one-semester stint lies in a second semester (in a first one it would
    hand the classes over at the start and back at the middle), and a department whose
    teacher leaves for the year at its start takes no stint starting at its middle.

    This is the reading a personnel section signs: a class meets a new teacher at most
    once a year, and the school re-timetables a subject once a year at most, at the start
    of the year or at mid-year; changes at a year's start (the yearly assignment of
    classes) count, as the teacher who would have taught the classes hands them over."""
    if not f.inst.policy.rotation.classes_change_once_a_year:
        return []
    _, hands = department_moves(f)
    years: dict[int, list[str]] = defaultdict(list)
    for t, (year, _) in enumerate(semesters(f.periods)):
        years[year].append(f.periods[t])
    out = []
    for (school, subject, year, half), starts in sorted(hands.items()):
        if half != 0 or not hands.get((school, subject, year, 1)):
            continue
        middles = hands[(school, subject, year, 1)]
        out.append(
            Violation(
                rule="rotation.classes_change_once_a_year",
                where=[school, subject, years[year][0]],
                amount=1,
                code="check.rotation.classes_change_once_a_year",
                params={
                    "school": school,
                    "subject": subject,
                    "periods": years[year],
                    "start": sorted(set(starts)),
                    "middle": sorted(set(middles)),
                },
            )
        )
    return out


def _balance_held(f: RosterFacts) -> Callable[[Staff, int], bool]:
    """With ``balance.target = "rule"``: whether sending a person away in period t would
    take their school below a minimum it keeps (:func:`twinning.rules.balance.floors`)."""
    if f.inst.policy.balance.target != "rule":
        return lambda person, t: False
    floor = floors(f.inst)
    counts = [counts_in(f.inst, moves_only(f.plan), p) for p in f.periods]

    def held(person: Staff, t: int) -> bool:
        for key, sign in changes_of(person, f.schools.get(person.school), None):
            least = floor.get(key)
            if sign < 0 and least is not None and counts[t].get(key, 0.0) - 1 < least - 1e-9:
                return True
        return False

    return held


def _no_worse_held(f: RosterFacts) -> Callable[[Staff, str, int], bool]:
    """[balance.no_worse] first, ``rotation.secondment_count`` unset: whether seconding a
    person to ``host`` in period t would leave a staffing coefficient above its value
    before the plan and above its value in the plan then
    (:func:`~twinning.rules.balance.raises_above`, the figures of :func:`~twinning.rules.
    balance.balance_of` to the last digit): counted as check_balance_no_worse counts them
    (走教 counted, the person's own circuits given up), or as the roster alone counts them
    (the figures the roster places its secondments by, before 走教 is planned; 走教 is then
    held to no_worse by itself)."""
    if not f.inst.policy.balance.no_worse:
        return lambda person, host, t: False
    before = no_worse_before(f.inst)
    views = [moves_only(f.plan)] + ([f.plan] if f.plan.circuits else [])
    built: dict[tuple[int, int], tuple[Spreads, dict[str, dict[str, float]]]] = {}

    def view(k: int, t: int) -> tuple[Spreads, dict[str, dict[str, float]]]:
        got = built.get((k, t))
        if got is None:
            period = f.periods[t]
            spreads = Spreads(f.inst, counts_in(f.inst, views[k], period))
            got = built[(k, t)] = (spreads, places_in(f.inst, views[k], period))
        return got

    def raised(person: Staff, host: str, t: int) -> bool:
        home, there = f.schools.get(person.school), f.schools.get(host)
        arrive = [(key, float(sign)) for key, sign in changes_of(person, None, there)]
        for k in range(len(views)):
            spreads, places = view(k, t)
            changes: list[tuple[CountKey, float]] = list(arrive)
            at = places.get(person.id, {person.school: 1.0})
            for school, share in at.items():
                was = home if school == person.school else f.schools.get(school)
                changes += [(key, -share) for key, _ in changes_of(person, was, None)]
            if raises_above(spreads, before, changes) is not None:
                return True
        return False

    return raised


def _takes_subject(
    f: RosterFacts,
    person: Staff,
    t: int,
    net: Counter[tuple[str, str, int]],
    surplus: dict[tuple[str, str, int], int],
    have: Counter[tuple[str, str]],
) -> bool:
    """Whether sending this person away in period t would break subject cover or sender
    protection at home."""
    if not person.subject:
        return False
    rot = f.inst.policy.rotation
    key = (person.school, person.subject, t)
    if rot.keep_subject_cover and have[(person.school, person.subject)] + f.subject_delta[key] <= 1:
        return True
    return rot.protect_sender and person.role == "teacher" and net[key] + 1 > surplus.get(key, 0)


#: Every roster rule's check, in the order violations are listed.
ROSTER_CHECKS = (
    check_one_move,
    check_home_school,
    check_stated_person,
    check_horizon,
    check_min_periods,
    check_max_periods,
    check_status,
    check_exempt_age,
    check_last_cycle,
    check_direction,
    check_secondment_role,
    check_due_years,
    check_two_way,
    check_scope,
    check_max_km,
    check_max_minutes,
    check_own_km,
    check_needs_shortage,
    check_fixed,
    check_max_outflow_share,
    check_host_capacity,
    check_keep_subject_cover,
    check_same_stage,
    check_bridge_stages,
    check_protect_sender,
    check_surplus_first,
    check_secondment_per_host,
    check_rate,
    check_backbone_share,
    check_two_way_share,
    check_secondment_count,
    check_small_school_pupils,
    check_secondment_growth,
    check_max_department_share,
    check_classes_change_once_a_year,
)


# ---- the objective and the KPIs, recomputed ---------------------------------------------------


def _present(f: RosterFacts) -> Counter[tuple[str, str, int]]:
    """Teachers moved out present at each (host, subject, period)."""
    present: Counter[tuple[str, str, int]] = Counter()
    for m, first in f.spans:
        if _teacher_out(f, m):
            for t in range(first, min(first + m.periods, len(f.periods))):
                present[(m.to_school, f.staff[m.staff].subject or "", t)] += 1
    return present


def roster_objective(f: RosterFacts) -> PartObjective:
    """The roster objective, recomputed from its definition (models/roster/model.py)."""
    inst = f.inst
    w8 = inst.policy.weights
    weights = inst.policy.needs.priority_weights
    present = _present(f)
    uncovered = sum(
        weights.get(prio, 1) * (need - min(need, present[key]))
        for key, (need, prio) in f.shortage.items()
    )
    moved = {m.staff for m in f.moves}
    # the due movers considered (pinned, or available): the same people as filtering the
    # considered by due, the fewer tested second
    due = [
        t
        for t in inst.staff
        if rules.is_due_mover(inst, t) and (t.id in f.pinned or rules.available(inst, t, f.last))
    ]
    due_left = sum(1 for t in due if t.id not in moved)
    rural_placed = {
        m.staff for m in f.moves if m.direction == "out" and f.schools[m.to_school].area == "rural"
    }
    priority = [
        t
        for t in due
        if t.role == "teacher"
        and rules.advantaged(f.schools[t.school])
        and rules.rural_priority(inst, t)
    ]
    priority_left = sum(1 for t in priority if t.id not in rural_placed)
    surplus = once(rules.surplus_subjects, inst)
    ratio = rules.backbone_per_100(inst)
    not_surplus = balance = steps = km_cost = 0
    km_total = merit_gap = 0.0
    best_merit = max((t.merit or 0.0 for t in _candidates(inst)), default=0.0)
    seconded: set[str] = set()
    for m in f.moves:
        person = f.staff[m.staff]
        km = f.dist.km(m.from_school, m.to_school)
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
        steps += rules.preference_steps(person, m.to_school)
        if m.kind == "secondment":
            seconded.add(m.staff)
            merit_gap += best_merit - (person.merit or 0.0)
    missed = 0
    if inst.policy.rotation.secondment_count is None:
        missed = sum(1 for sid in secondment_hosts(f) if sid not in seconded)
    merit_cost = sum(
        round(w8.roster_merit * (best_merit - (f.staff[sid].merit or 0.0))) for sid in seconded
    )
    missing = 0
    if inst.policy.rotation.cap_quota:
        sent = _sent(f)
        missing = sum(max(0, q - sent[s]) for s, q in rules.quota_required(inst).items())
    value = (
        w8.roster_need * uncovered
        + w8.roster_due * due_left
        + w8.roster_rural_priority * priority_left
        + w8.roster_surplus_first * not_surplus
        + w8.roster_balance * balance
        + km_cost
        + w8.roster_preference * steps
        + w8.roster_secondment * missed
        + merit_cost
        + w8.roster_quota * missing
    )
    terms = {
        "uncovered_need_weighted": float(uncovered),
        "due_not_moved": float(due_left),
        "priority_not_rural": float(priority_left),
        "moved_not_surplus": float(not_surplus),
        "backbone_no_balance_gain": float(balance),
        "distance_km": round(km_total, 3),
        "preference_steps": float(steps),
        "secondment_candidates_not_seconded": float(missed),
        "secondment_merit_below_best": round(merit_gap, 3),
        "quota_missing": float(missing),
    }
    return PartObjective(value=value, terms=terms)


def reachable_shortages(f: RosterFacts) -> set[tuple[str, str, int]]:
    """(host, subject, period) shortages some teacher's move out could fill at all: a due,
    available teacher of that subject at an urban or strong school with the host in scope,
    of a fitting stage, within reach (and within the teacher's own limit, staff max_km)."""
    # the periods some teacher's exchange may cover [rotation.classes_change_once_a_year]
    spanned = {t for first, n in teacher_spans(f.inst) for t in range(first, first + n)}
    short_at: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for host, subject, t in f.shortage:
        if t in spanned:
            short_at[host].append((subject, t))
    out: set[tuple[str, str, int]] = set()
    for school, ids in could_move_out(f).items():
        people = [f.staff[sid] for sid in ids]
        free = {p.subject or "" for p in people if p.max_km is None}
        limited = [p for p in people if p.max_km is not None]
        for h in _hosts_out(f, school):
            if not short_at.get(h):
                continue
            mine = free
            if limited:
                km = f.dist.km(school, h)
                mine = free | {p.subject or "" for p in limited if rules.within_own_km(p, km)}
            out.update((h, subject, t) for subject, t in short_at[h] if subject in mine)
    return out


def roster_recount(f: RosterFacts) -> RosterRecount:
    """The roster's headline KPIs, recounted from the plan."""
    inst = f.inst
    quota_schools = {s for s, school in f.schools.items() if rules.quota_school(inst, school)}
    base = sum(1 for t in inst.staff if t.school in quota_schools and rules.quota_eligible(inst, t))
    counted = _counted(f)
    moved_adv = sum(1 for m in counted if m.from_school in quota_schools)
    outs, ins = f.teacher_exchanges("out"), f.teacher_exchanges("in")
    counted_out = [m for m in counted if m.direction == "out"]
    backbone = sum(1 for m in counted_out if f.staff[m.staff].backbone in COUNTY_OR_ABOVE)
    present = _present(f)
    reach = reachable_shortages(f)
    reachable = sum(f.shortage[key][0] for key in reach)
    covered = sum(min(need, present[key]) for key, (need, _) in f.shortage.items())
    return RosterRecount(
        rotation_rate=round(moved_adv / base, 4) if base else None,
        backbone_share=round(backbone / len(counted_out), 4) if counted_out else None,
        two_way_ratio=round(len(ins) / len(outs), 4) if outs else None,
        needs_covered_share=round(covered / reachable, 4) if reachable else 1.0,
        uncounted_exchanges=len(outs) - len(counted_out),
    )
