"""The checker's itinerant rules (走教): one ``check_<rule>`` per rule, each returning its
violations. Terms come from :mod:`twinning.rules.itinerant`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from twinning.check.report import Violation
from twinning.check.shared import schools_by_id, staff_by_id
from twinning.county.distances import Distances
from twinning.county.instance import Instance, School, Staff
from twinning.plan import CircuitVisit, PartObjective, Plan
from twinning.rules import itinerant as rules
from twinning.rules.roster import within_own_km


@dataclass
class CircuitFacts:
    """The plan's circuits and what every check needs, computed once."""

    inst: Instance
    plan: Plan
    dist: Distances
    minutes: rules.Minutes
    schools: dict[str, School]
    staff: dict[str, Staff]
    rows: list[CircuitVisit]
    #: (staff, weekday) -> the stops away from home, in order (本校代课 lines apart)
    days: dict[tuple[str, str], list[CircuitVisit]]
    needs: dict[tuple[str, str], rules.WeeklyNeed]
    #: lessons a teacher may give beyond the home load (本校代课 and circuits)
    spare: dict[str, int]
    moved: set[str]
    scope: rules.Scope

    @cached_property
    def away(self) -> list[CircuitVisit]:
        """The stops away from home (worked out once; read only)."""
        return [c for c in self.rows if rules.away(c)]


def circuit_facts(inst: Instance, plan: Plan, dist: Distances) -> CircuitFacts:
    moved = rules.moved_staff(plan.roster) if "roster" in plan.parts else set()
    unmet = plan.unmet_needs if "roster" in plan.parts else None
    days: dict[tuple[str, str], list[CircuitVisit]] = defaultdict(list)
    for c in plan.circuits:
        if rules.away(c):
            days[(c.staff, c.weekday)].append(c)
    for visits in days.values():
        visits.sort(key=lambda c: c.order)
    return CircuitFacts(
        inst,
        plan,
        dist,
        rules.Minutes(inst, dist),
        schools_by_id(inst),
        staff_by_id(inst),
        list(plan.circuits),
        dict(days),
        rules.weekly_needs(inst, unmet),
        rules.extra_lessons(inst, moved),
        moved,
        rules.Scope(inst, plan),
    )


def _v(
    rule: str, where: list[str], /, *, code: str, amount: float | None = None, **params: Any
) -> Violation:
    return Violation(rule=rule, where=where, amount=amount, code=code, params=params)


def check_eligible(f: CircuitFacts) -> list[Violation]:
    """[itinerant.eligible] An active teacher who may circuit (itinerant, or a teacher of an
    itinerant subject), not moved by the roster, from their own school, in their subject,
    only to the schools they name (``willing``) if they name any; 本校代课 by an active
    teacher of the subject not moved."""
    out = []
    by_staff: dict[str, list[CircuitVisit]] = defaultdict(list)  # one pass over the lines
    for c in f.rows:
        if c.staff in f.staff:
            by_staff[c.staff].append(c)
    for sid in sorted(by_staff):
        person = f.staff[sid]
        mine = by_staff[sid]
        trips = [c for c in mine if rules.away(c)]
        barred = not rules.may_circuit(f.inst, person, f.moved) if trips else sid not in f.spare
        if barred:
            code = (
                "check.itinerant.eligible.moved"
                if sid in f.moved
                else "check.itinerant.eligible.not_allowed"
            )
            out.append(_v("itinerant.eligible", [sid], code=code, staff=sid))
        elif any(c.home_school != person.school or c.subject != person.subject for c in mine):
            out.append(
                _v(
                    "itinerant.eligible",
                    [sid],
                    code="check.itinerant.eligible.mismatch",
                    staff=sid,
                    subject=person.subject,
                    school=person.school,
                )
            )
        else:
            for c in trips:
                if person.willing and c.school not in person.willing:
                    out.append(
                        _v(
                            "itinerant.eligible",
                            [sid, c.school],
                            code="check.itinerant.eligible.willing",
                            staff=sid,
                            school=c.school,
                        )
                    )
    return out


def check_own_km(f: CircuitFacts) -> list[Violation]:
    """[staff.max_km] No circuit takes a teacher to a school farther from home than their
    own limit (个人通勤上限, the staff table's max_km), one way."""
    out = []
    for c in f.away:
        person = f.staff.get(c.staff)
        if person is None or person.max_km is None or c.school not in f.schools:
            continue
        km = f.dist.km(person.school, c.school)
        if not within_own_km(person, km):
            out.append(
                _v(
                    "staff.max_km",
                    [c.staff, c.school],
                    code="check.staff.max_km.circuit",
                    amount=round(km - person.max_km, 3),
                    staff=c.staff,
                    school=c.school,
                    km=float(km),
                    limit=person.max_km,
                )
            )
    return out


def check_subject_stage(f: CircuitFacts) -> list[Violation]:
    """[itinerant.subject_stage] A circuit teaches a stage of the home school at a school
    that needs the subject (本校代课 at the home school itself)."""
    out = []
    for c in f.rows:
        host, home = f.schools.get(c.school), f.schools.get(c.home_school)
        if host is None or home is None:
            continue
        if rules.away(c) and not rules.teaches_at(home, host):
            out.append(
                _v(
                    "itinerant.subject_stage",
                    [c.staff, c.school],
                    code="check.itinerant.subject_stage.stage",
                    staff=c.staff,
                    home=c.home_school,
                    school=c.school,
                )
            )
        elif (c.school, c.subject) not in f.needs:
            out.append(
                _v(
                    "itinerant.subject_stage",
                    [c.staff, c.school],
                    code="check.itinerant.subject_stage.need",
                    school=c.school,
                    subject=c.subject,
                )
            )
    return out


def _covered(f: CircuitFacts) -> dict[tuple[str, str], int]:
    got: dict[tuple[str, str], int] = defaultdict(int)
    for c in f.rows:
        got[(c.school, c.subject)] += c.lessons
    return got


def check_home_first(f: CircuitFacts) -> list[Violation]:
    """[itinerant.home_first] 本校代课 first: a school's own teachers of a subject cover
    ``min(need, their extra lessons)`` of its need at home; a school still short of a
    subject after the plan sends no circuit teacher of it; no school both sends and
    receives circuit lessons of one subject."""
    if not f.inst.policy.itinerant.home_first:
        return []
    out = []
    extra_at: dict[tuple[str, str], int] = defaultdict(int)
    for sid, n in f.spare.items():
        t = f.staff[sid]
        extra_at[(t.school, t.subject or "")] += n
    home: dict[tuple[str, str], int] = defaultdict(int)
    for c in f.rows:
        if not rules.away(c):
            home[(c.school, c.subject)] += c.lessons
    for key, need in sorted(f.needs.items()):
        due = min(need.lessons, extra_at.get(key, 0))
        if home.get(key, 0) < due:
            out.append(
                _v(
                    "itinerant.home_first",
                    list(key),
                    code="check.itinerant.home_first.home",
                    amount=due - home.get(key, 0),
                    school=key[0],
                    subject=key[1],
                    n=home.get(key, 0),
                    due=due,
                )
            )
    got = _covered(f)
    sends: dict[tuple[str, str], set[str]] = defaultdict(set)
    receives: set[tuple[str, str]] = set()
    for c in f.away:
        sends[(c.home_school, c.subject)].add(c.staff)
        receives.add((c.school, c.subject))
    for key, people in sorted(sends.items()):
        wanted = f.needs.get(key)
        short = 0 if wanted is None else wanted.lessons - got.get(key, 0)
        if short > 0:
            out.append(
                _v(
                    "itinerant.home_first",
                    list(key),
                    code="check.itinerant.home_first.short",
                    amount=float(len(people)),
                    school=key[0],
                    subject=key[1],
                    n=len(people),
                    short=short,
                )
            )
        if key in receives:
            out.append(
                _v(
                    "itinerant.home_first",
                    list(key),
                    code="check.itinerant.home_first.both",
                    school=key[0],
                    subject=key[1],
                )
            )
    return out


def check_min_weekly_lessons(f: CircuitFacts) -> list[Violation]:
    """[itinerant.min_weekly_lessons] A circuit teacher teaches at least this many lessons
    a week away from home."""
    low = f.inst.policy.itinerant.min_weekly_lessons
    total: dict[str, int] = defaultdict(int)
    for c in f.away:
        total[c.staff] += c.lessons
    return [
        _v(
            "itinerant.min_weekly_lessons",
            [sid],
            code="check.itinerant.min_weekly_lessons",
            amount=low - n,
            staff=sid,
            n=n,
            low=low,
        )
        for sid, n in sorted(total.items())
        if n < low
    ]


def _visitors(f: CircuitFacts) -> dict[tuple[str, str], set[str]]:
    out: dict[tuple[str, str], set[str]] = defaultdict(set)
    for c in f.away:
        out[(c.school, c.subject)].add(c.staff)
    return out


def check_max_visitors_per_school(f: CircuitFacts) -> list[Violation]:
    """[itinerant.max_visitors_per_school] At most this many circuit teachers at a school
    in a week."""
    cap = f.inst.policy.itinerant.max_visitors_per_school
    if cap is None:
        return []
    at: dict[str, set[str]] = defaultdict(set)
    for (school, _), people in _visitors(f).items():
        at[school] |= people
    return [
        _v(
            "itinerant.max_visitors_per_school",
            [school],
            code="check.itinerant.max_visitors_per_school",
            amount=len(people) - cap,
            school=school,
            n=len(people),
            cap=cap,
        )
        for school, people in sorted(at.items())
        if len(people) > cap
    ]


def check_max_visitors_per_subject(f: CircuitFacts) -> list[Violation]:
    """[itinerant.max_visitors_per_subject] At most this many circuit teachers of one
    subject at a school in a week."""
    cap = f.inst.policy.itinerant.max_visitors_per_subject
    if cap is None:
        return []
    return [
        _v(
            "itinerant.max_visitors_per_subject",
            [school, subject],
            code="check.itinerant.max_visitors_per_subject",
            amount=len(people) - cap,
            school=school,
            subject=subject,
            n=len(people),
            cap=cap,
        )
        for (school, subject), people in sorted(_visitors(f).items())
        if len(people) > cap
    ]


def check_receivers(f: CircuitFacts) -> list[Violation]:
    """[itinerant.receivers] Circuits go only to the schools ``itinerant.receivers`` names
    (by area, tier or id)."""
    bad = sorted(
        {
            c.school
            for c in f.away
            if c.school in f.schools and not rules.is_receiver(f.inst, f.schools[c.school])
        }
    )
    out = []
    for school in bad:
        s = f.schools[school]
        out.append(
            _v(
                "itinerant.receivers",
                [school],
                code="check.itinerant.receivers",
                school=school,
                area=s.area,
                tier=s.tier,
            )
        )
    return out


def check_scope(f: CircuitFacts) -> list[Violation]:
    """[itinerant.scope] A circuit stays in the home school's alliance (学区), region or
    the county, as ``itinerant.scope`` says."""
    seen = set()
    out = []
    for c in f.away:
        key = (c.staff, c.school)
        if key in seen or f.scope.same(c.home_school, c.school):
            continue
        seen.add(key)
        out.append(
            _v(
                "itinerant.scope",
                [c.staff, c.school],
                code="check.itinerant.scope",
                staff=c.staff,
                home=c.home_school,
                school=c.school,
                scope=f.scope.kind,
            )
        )
    return out


def check_max_age(f: CircuitFacts) -> list[Violation]:
    """[itinerant.max_age] No circuit teacher past ``itinerant.max_age`` (where given) or
    the rotation's age exemption (rotation.exempt_age)."""
    out = []
    for sid in sorted({c.staff for c in f.away if c.staff in f.staff}):
        person = f.staff[sid]
        if rules.age_barred(f.inst, person):
            out.append(
                _v(
                    "itinerant.max_age",
                    [sid],
                    code="check.itinerant.max_age",
                    staff=sid,
                    age=person.age,
                )
            )
    return out


def check_max_weekly_lessons(f: CircuitFacts) -> list[Violation]:
    """[itinerant.max_weekly_lessons] Circuit and 本校代课 lessons a week within the
    teacher's spare lessons (max_weekly_lessons less the lessons at home)."""
    total: dict[str, int] = defaultdict(int)
    for c in f.rows:
        total[c.staff] += c.lessons
    return [
        _v(
            "itinerant.max_weekly_lessons",
            [sid],
            code="check.itinerant.max_weekly_lessons",
            amount=n - f.spare.get(sid, 0),
            staff=sid,
            n=n,
            spare=f.spare.get(sid, 0),
        )
        for sid, n in sorted(total.items())
        if sid in f.spare and n > f.spare[sid]
    ]


def check_days(f: CircuitFacts) -> list[Violation]:
    """[itinerant.days] Circuits run on the policy's weekdays, a day's stops numbered
    1, 2, ... in order."""
    days = f.inst.policy.itinerant.days
    out = []
    for (sid, day), visits in sorted(f.days.items()):
        if day not in days:
            out.append(
                _v(
                    "itinerant.days",
                    [sid, day],
                    code="check.itinerant.days.weekday",
                    staff=sid,
                    day=day,
                )
            )
        if [c.order for c in visits] != list(range(1, len(visits) + 1)):
            out.append(
                _v(
                    "itinerant.days",
                    [sid, day],
                    code="check.itinerant.days.order",
                    staff=sid,
                    day=day,
                )
            )
    return out


def check_max_schools_per_day(f: CircuitFacts) -> list[Violation]:
    """[itinerant.max_schools_per_day] At most this many schools a day."""
    cap = f.inst.policy.itinerant.max_schools_per_day
    return [
        _v(
            "itinerant.max_schools_per_day",
            [sid, day],
            code="check.itinerant.max_schools_per_day",
            amount=len(v) - cap,
            staff=sid,
            n=len(v),
            day=day,
        )
        for (sid, day), v in sorted(f.days.items())
        if len(v) > cap
    ]


def check_max_km_per_day(f: CircuitFacts) -> list[Violation]:
    """[itinerant.max_km_per_day, itinerant.max_minutes_per_day] A day's round trip from
    home within the km (and, where distances give them, minutes) allowed."""
    it = f.inst.policy.itinerant
    out = []
    for (sid, day), visits in sorted(f.days.items()):
        if visits[0].home_school not in f.schools or any(c.school not in f.schools for c in visits):
            continue
        _, km, mins = rules.day_travel(
            visits[0].home_school, [c.school for c in visits], f.dist, f.minutes
        )
        if km > it.max_km_per_day + 1e-6:
            out.append(
                _v(
                    "itinerant.max_km_per_day",
                    [sid, day],
                    code="check.itinerant.max_km_per_day",
                    amount=round(km - it.max_km_per_day, 3),
                    staff=sid,
                    km=float(km),
                    day=day,
                )
            )
        if (
            it.max_minutes_per_day is not None
            and mins is not None
            and mins > it.max_minutes_per_day
        ):
            out.append(
                _v(
                    "itinerant.max_minutes_per_day",
                    [sid, day],
                    code="check.itinerant.max_minutes_per_day",
                    amount=round(mins - it.max_minutes_per_day, 1),
                    staff=sid,
                    minutes=float(mins),
                    day=day,
                )
            )
    return out


def check_min_lessons_per_visit(f: CircuitFacts) -> list[Violation]:
    """[itinerant.min_lessons_per_visit] A visit away from home teaches at least this many
    lessons."""
    low = f.inst.policy.itinerant.min_lessons_per_visit
    return [
        _v(
            "itinerant.min_lessons_per_visit",
            [c.staff, c.school, c.weekday],
            code="check.itinerant.min_lessons_per_visit",
            amount=low - c.lessons,
            n=c.lessons,
            school=c.school,
            day=c.weekday,
        )
        for c in f.away
        if c.lessons < low
    ]


def check_max_lessons_per_day(f: CircuitFacts) -> list[Violation]:
    """[itinerant.max_lessons_per_day] A day's circuit lessons within this many."""
    high = f.inst.policy.itinerant.max_lessons_per_day
    out = []
    for (sid, day), visits in sorted(f.days.items()):
        n = sum(c.lessons for c in visits)
        if n > high:
            out.append(
                _v(
                    "itinerant.max_lessons_per_day",
                    [sid, day],
                    code="check.itinerant.max_lessons_per_day",
                    amount=n - high,
                    n=n,
                    day=day,
                )
            )
    return out


def check_need(f: CircuitFacts) -> list[Violation]:
    """[itinerant.need] A school gets no more lessons of a subject than it lacks a week."""
    got: dict[tuple[str, str], int] = defaultdict(int)
    for c in f.rows:
        got[(c.school, c.subject)] += c.lessons
    out = []
    for key, n in sorted(got.items()):
        need = f.needs.get(key)
        if need is not None and n > need.lessons:
            out.append(
                _v(
                    "itinerant.need",
                    list(key),
                    code="check.itinerant.need",
                    amount=n - need.lessons,
                    n=n,
                    subject=key[1],
                    school=key[0],
                    lacks=need.lessons,
                )
            )
    return out


def check_max_teachers(f: CircuitFacts) -> list[Violation]:
    """[itinerant.max_teachers] At most this many teachers on circuits."""
    cap = f.inst.policy.itinerant.max_teachers
    used = sorted({c.staff for c in f.away})
    if cap is None or len(used) <= cap:
        return []
    return [
        _v(
            "itinerant.max_teachers",
            used[:10],
            code="check.itinerant.max_teachers",
            amount=len(used) - cap,
            n=len(used),
            cap=cap,
        )
    ]


def check_circuit_figures(f: CircuitFacts) -> list[Violation]:
    """[plan.circuit_figures] The km stated for each leg is right."""
    out = []
    for visits in f.days.values():
        prev = visits[0].home_school
        for c in visits:
            if prev in f.schools and c.school in f.schools:
                km = f.dist.km(prev, c.school)
                if abs(km - c.km) > 0.01:
                    out.append(
                        _v(
                            "plan.circuit_figures",
                            [c.staff, c.school],
                            code="check.plan.circuit_figures",
                            amount=round(abs(km - c.km), 3),
                            stated=c.km,
                            km=float(km),
                        )
                    )
            if prev in f.schools and c.school in f.schools:
                mins = f.minutes.get(prev, c.school)
                if c.minutes is None or abs(mins - c.minutes) > 0.1:
                    out.append(
                        _v(
                            "plan.circuit_figures",
                            [c.staff, c.school],
                            code=(
                                "check.plan.circuit_minutes.missing"
                                if c.minutes is None
                                else "check.plan.circuit_minutes"
                            ),
                            stated=c.minutes if c.minutes is not None else 0.0,
                            minutes=round(mins, 1),
                        )
                    )
            prev = c.school
    for c in f.rows:
        if not rules.away(c) and (c.km != 0 or (c.minutes or 0) != 0):
            out.append(
                _v(
                    "plan.circuit_figures",
                    [c.staff, c.school],
                    code="check.plan.circuit_figures",
                    amount=c.km,
                    stated=c.km,
                    km=0.0,
                )
            )
    return out


#: Every itinerant rule's check, in the order violations are listed.
ITINERANT_CHECKS = (
    check_eligible,
    check_subject_stage,
    check_max_weekly_lessons,
    check_days,
    check_max_schools_per_day,
    check_max_km_per_day,
    check_min_lessons_per_visit,
    check_max_lessons_per_day,
    check_need,
    check_max_teachers,
    check_home_first,
    check_min_weekly_lessons,
    check_max_visitors_per_school,
    check_max_visitors_per_subject,
    check_receivers,
    check_scope,
    check_max_age,
    check_own_km,
    check_circuit_figures,
)


def itinerant_objective(f: CircuitFacts) -> PartObjective:
    """The itinerant objective, recomputed from its definition (rules.itinerant_cost)."""
    value, terms = rules.itinerant_cost(f.inst, f.needs, f.rows, f.dist, f.minutes)
    return PartObjective(value=value, terms=terms)
