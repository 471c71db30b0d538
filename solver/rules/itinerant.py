"""What the itinerant rules mean (走教 / 巡回授课): pure definitions shared by model and checker.

Terms
-----
weekly need
    Lessons a week of a subject a school cannot staff: ``needs.weekly_lessons`` where
    given, else the shortage x ``itinerant.standard_load``; only subjects in
    ``itinerant.subjects``. When the plan has a roster, what it covers is taken off
    (per period; the circuit serves the period that needs it most).
circuit teacher
    An active teacher of an itinerant subject (``itinerant`` true, or not given and the
    subject in ``itinerant.subjects``) whom the roster does not move. Spare lessons:
    ``itinerant.max_weekly_lessons`` less the lessons taught at home (``weekly_load``,
    default ``itinerant.standard_load``); a school's surplus teachers of the subject
    (``needs.surplus``) teach nothing at home.
home cover (本校代课)
    With ``itinerant.home_first``: a school's own teachers of a subject give their extra
    lessons (``max_weekly_lessons`` less the home load) to the school's own need first:
    ``min(need, their extra lessons)`` lessons, a line of circuits.csv at the home school
    (km 0). What is left is the school's residual need; a school with residual need sends
    no circuit teacher of the subject (it is short, or it receives), so no school both
    sends and receives one subject.
receiving school
    A school matching ``itinerant.receivers`` (area or tier words, or its id), in the
    scope (``itinerant.scope``: the home school's alliance, region or the county). Its
    lessons weigh the need's priority weight x (1 + the ``small_school_pupils`` counts it
    is below).
circuit teacher
    May circuit (above), not age-barred (``itinerant.max_age``, else the rotation's
    exemption ages), with ``willing`` schools only those; teaches at least
    ``min_weekly_lessons`` away a week, and a school receives at most
    ``max_visitors_per_school`` of them a week (``max_visitors_per_subject`` of one
    subject).
leg minutes
    From distances.csv where given, else km at ``itinerant.speed_kmh``.
day route
    The schools one teacher visits on one weekday, in order, from home and back: at most
    ``max_schools_per_day``, within ``max_km_per_day`` (and ``max_minutes_per_day`` where
    distances give minutes), each visit at least ``min_lessons_per_visit`` lessons, at most
    ``max_lessons_per_day`` in the day; only schools that need the teacher's subject and
    cover the teacher's stage.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import permutations
from operator import attrgetter

from twinning.county.distances import Distances
from twinning.county.instance import Instance, School, Staff
from twinning.county.needs import school_needs
from twinning.plan import CircuitVisit, Move, Plan, UnmetNeed
from twinning.rules.alliances import alliance_stages
from twinning.rules.cover import given_lessons, shortage_lessons


@dataclass(frozen=True)
class WeeklyNeed:
    school: str
    subject: str
    lessons: int
    priority: int
    #: Weight of one lesson left: priority weight x the small-school factor.
    weight: int = 1


def need_weight(inst: Instance, school: School | None, priority: int) -> int:
    """[itinerant.receivers] A lesson's weight: the priority's weight, times one more for
    each ``small_school_pupils`` count the school is below (small schools first)."""
    base = priority_weight(inst, priority)
    if school is None or school.students is None:
        return base
    below = sum(1 for n in inst.policy.itinerant.small_school_pupils if school.students < n)
    return base * (1 + below)


def weekly_needs(
    inst: Instance, unmet: list[UnmetNeed] | None = None
) -> dict[tuple[str, str], WeeklyNeed]:
    """[itinerant.need] (school, subject) -> lessons a week a circuit may fill.

    ``unmet`` is the roster's unmet needs (None: no roster planned, every shortage)."""
    it = inst.policy.itinerant
    subjects = set(it.subjects)
    given = given_lessons(inst)
    left: dict[tuple[str, str, str], int] | None = None
    if unmet is not None:
        left = {(u.school, u.subject, u.period): u.shortage - u.covered for u in unmet}
    out: dict[tuple[str, str], WeeklyNeed] = {}
    schools = {s.id: s for s in inst.schools}
    for period in inst.policy.horizon.periods:
        for school, by_subject in school_needs(inst, period).items():
            for subject, need in by_subject.items():
                if subject not in subjects or need.shortage <= 0:
                    continue
                short = need.shortage
                uncovered = short if left is None else left.get((school, subject, period), 0)
                if uncovered <= 0:
                    continue
                lessons = shortage_lessons(inst, given, school, subject, period, uncovered, short)
                key = (school, subject)
                old = out.get(key)
                if old is None or lessons > old.lessons:
                    weight = need_weight(inst, schools.get(school), need.priority)
                    out[key] = WeeklyNeed(school, subject, lessons, need.priority, weight)
    return out


def may_circuit(inst: Instance, person: Staff, moved: set[str]) -> bool:
    """[itinerant.eligible] An active teacher of an itinerant subject (or ``itinerant``
    true), not moved by the roster (age: :func:`age_barred`)."""
    if person.role != "teacher" or person.status != "active" or person.id in moved:
        return False
    if person.itinerant is not None:
        return person.itinerant
    return (person.subject or "") in inst.policy.itinerant.subjects


def age_barred(inst: Instance, person: Staff) -> bool:
    """[itinerant.max_age] Too old for a circuit: over ``itinerant.max_age`` where given,
    else at or over the rotation's exemption age (rotation.exempt_age)."""
    cap = inst.policy.itinerant.max_age
    if cap is None:
        from twinning.rules.roster import age_exempt

        return age_exempt(inst, person)
    return person.age is not None and person.age > cap


def extra_lessons(inst: Instance, moved: set[str]) -> dict[str, int]:
    """[itinerant.max_weekly_lessons] Staff id -> lessons a week the teacher may give
    beyond the home load (本校代课 and circuits together): active teachers of an itinerant
    subject not moved by the roster, ``max_weekly_lessons`` less the lessons at home; a
    school's surplus teachers of the subject teach nothing at home (first by id)."""
    it = inst.policy.itinerant
    surplus: dict[tuple[str, str], int] = defaultdict(int)
    first = inst.policy.horizon.periods[0]
    for school, by_subject in school_needs(inst, first).items():
        for subject, need in by_subject.items():
            surplus[(school, subject)] = need.surplus
    out: dict[str, int] = {}
    teachers = [
        person
        for person in inst.staff
        if person.role == "teacher"
        and person.status == "active"
        and person.id not in moved
        and person.itinerant is not False
        and person.subject is not None
        and (person.subject in it.subjects or person.itinerant)
    ]
    for person in sorted(teachers, key=attrgetter("id")):  # those taken, by id
        assert person.subject is not None
        key = (person.school, person.subject)
        if surplus[key] > 0:
            surplus[key] -= 1
            home = 0
        else:
            home = person.weekly_load if person.weekly_load is not None else it.standard_load
        spare = it.max_weekly_lessons - home
        if spare >= 1:
            out[person.id] = spare
    return out


def home_cover(
    inst: Instance,
    needs: dict[tuple[str, str], WeeklyNeed],
    extra: dict[str, int],
    moved: set[str],
) -> dict[tuple[str, str], list[tuple[str, int]]]:
    """[itinerant.home_first] (school, subject) -> the school's own teachers' 本校代课
    lessons, ``min(need, their extra lessons)`` in all: first the teachers who may not
    circuit, then the fewest extra lessons (a whole circuit post stays free), by id."""
    if not inst.policy.itinerant.home_first:
        return {}
    staff = {t.id: t for t in inst.staff}
    by_key: dict[tuple[str, str], list[Staff]] = defaultdict(list)
    for sid in extra:
        t = staff[sid]
        if (t.school, t.subject or "") in needs:
            by_key[(t.school, t.subject or "")].append(t)
    out: dict[tuple[str, str], list[tuple[str, int]]] = {}
    for key, people in sorted(by_key.items()):
        left = needs[key].lessons
        lines = []
        free = [p for p in people if may_circuit(inst, p, moved) and not age_barred(inst, p)]
        order = sorted(people, key=lambda p: (p in free, extra[p.id], p.id))
        for p in order:
            if left <= 0:
                break
            n = min(left, extra[p.id])
            lines.append((p.id, n))
            left -= n
        if lines:
            out[key] = lines
    return out


def residual_needs(
    needs: dict[tuple[str, str], WeeklyNeed], home: dict[tuple[str, str], list[tuple[str, int]]]
) -> dict[tuple[str, str], int]:
    """(school, subject) -> lessons a week left after 本校代课 (only those above 0)."""
    out = {}
    for key, n in needs.items():
        left = n.lessons - sum(k for _, k in home.get(key, []))
        if left > 0:
            out[key] = left
    return out


def spare_lessons(
    inst: Instance,
    moved: set[str],
    needs: dict[tuple[str, str], WeeklyNeed] | None = None,
    extra: dict[str, int] | None = None,
) -> dict[str, int]:
    """[itinerant.home_first, itinerant.min_weekly_lessons] Staff id -> lessons a week the
    teacher may give on a circuit: extra lessons less 本校代课, for teachers who may circuit
    and are not age-barred, from a school with no residual need of the subject, at least a
    visit's and ``min_weekly_lessons`` lessons."""
    it = inst.policy.itinerant
    extra = extra_lessons(inst, moved) if extra is None else extra
    needs = {} if needs is None else needs
    home = home_cover(inst, needs, extra, moved)
    used: dict[str, int] = defaultdict(int)
    for lines in home.values():
        for sid, n in lines:
            used[sid] += n
    residual = residual_needs(needs, home) if it.home_first else {}
    low = max(it.min_lessons_per_visit, it.min_weekly_lessons)
    staff = {t.id: t for t in inst.staff}
    out: dict[str, int] = {}
    for sid, n in extra.items():
        t = staff[sid]
        if not may_circuit(inst, t, moved) or age_barred(inst, t):
            continue
        if (t.school, t.subject or "") in residual:
            continue
        left = n - used.get(sid, 0)
        if left >= low:
            out[sid] = left
    return out


def is_receiver(inst: Instance, school: School) -> bool:
    """[itinerant.receivers] The school matches an area or tier word of
    ``itinerant.receivers`` or is named there."""
    words = set(inst.policy.itinerant.receivers)
    return school.area in words or school.tier in words or school.id in words


class Scope:
    """[itinerant.scope] Which schools a home school's circuits may reach: a school sharing
    an alliance with it (a nine-year school may be in a primary and a junior alliance),
    of its region, or any school of the county."""

    def __init__(self, inst: Instance, plan: Plan) -> None:
        self.kind = inst.policy.itinerant.scope
        self.groups: dict[str, set[str]] = defaultdict(set)
        if self.kind == "alliance":
            for m in plan.alliances:
                self.groups[m.member].add(m.alliance)
        elif self.kind == "region":
            for sch in inst.schools:
                if sch.region is not None:
                    self.groups[sch.id].add(sch.region)
        self.members: dict[str, set[str]] = defaultdict(set)
        for school, keys in self.groups.items():
            for k in keys:
                self.members[k].add(school)

    def same(self, home: str, host: str) -> bool:
        if self.kind == "county":
            return True
        return bool(self.groups.get(home, set()) & self.groups.get(host, set()))

    def mates(self, home: str) -> set[str] | None:
        """Every school in the home school's scope (None: the whole county)."""
        if self.kind == "county":
            return None
        out: set[str] = set()
        for k in self.groups.get(home, set()):
            out |= self.members[k]
        return out


def moved_staff(roster: list[Move]) -> set[str]:
    """Staff the roster moves (away, or mentoring elsewhere): they do not circuit."""
    return {m.staff for m in roster}


def teaches_at(home: School, host: School) -> bool:
    """[itinerant.subject_stage] A teacher teaches a stage of the home school at the host
    (an attached kindergarten class not counting, as for alliances)."""
    return bool(alliance_stages(home) & alliance_stages(host))


class Minutes:
    """[itinerant.speed_kmh] Minutes of a leg: from distances.csv where given (symmetric
    when one way given), else its km at ``itinerant.speed_kmh``."""

    def __init__(self, inst: Instance, dist: Distances | None = None) -> None:
        self._dist = dist if dist is not None else Distances(inst)
        self._speed = inst.policy.itinerant.speed_kmh
        self._given: dict[tuple[str, str], float] = {}
        for d in inst.distances:
            if d.minutes is not None:
                self._given.setdefault((d.to, d.from_), d.minutes)
        for d in inst.distances:
            if d.minutes is not None:
                self._given[(d.from_, d.to)] = d.minutes

    def get(self, a: str, b: str) -> float:
        if a == b:
            return 0.0
        given = self._given.get((a, b))
        return given if given is not None else self.of_km(self._dist.km(a, b))

    def of_km(self, km: float) -> float:
        """Minutes of ``km`` at the policy's speed."""
        return 60.0 * km / self._speed


def day_travel(
    home: str, stops: list[str], dist: Distances, minutes: Minutes
) -> tuple[list[float], float, float]:
    """(km of each leg to a stop, km of the whole day with the way home, its minutes)."""
    legs = []
    prev = home
    total_min = 0.0
    for s in stops:
        legs.append(dist.km(prev, s))
        total_min += minutes.get(prev, s)
        prev = s
    back = dist.km(prev, home)
    total_min += minutes.get(prev, home)
    return legs, sum(legs) + back, total_min


def best_order(
    home: str, schools: tuple[str, ...], dist: Distances, minutes: Minutes
) -> tuple[tuple[str, ...], float, float]:
    """The order of a day's stops with the fewest km: (order, day km, day minutes)."""
    best: tuple[tuple[str, ...], float, float] | None = None
    for order in permutations(schools):
        _, km, mins = day_travel(home, list(order), dist, minutes)
        if best is None or km < best[1] - 1e-9:
            best = (order, km, mins)
    assert best is not None
    return best


def day_ok(inst: Instance, km: float, mins: float | None, stops: int) -> bool:
    """[itinerant.max_km_per_day, itinerant.max_schools_per_day] A day's route is allowed."""
    it = inst.policy.itinerant
    if stops > it.max_schools_per_day or stops * it.min_lessons_per_visit > it.max_lessons_per_day:
        return False
    if not km <= it.max_km_per_day + 1e-9:
        return False
    return not (
        it.max_minutes_per_day is not None
        and mins is not None
        and mins > it.max_minutes_per_day + 1e-9
    )


def priority_weight(inst: Instance, priority: int) -> int:
    return inst.policy.needs.priority_weights.get(priority, 1)


def away(c: CircuitVisit) -> bool:
    """A circuit stop away from home (a line at the home school is 本校代课)."""
    return c.school != c.home_school


def circuit_days(
    circuits: list[CircuitVisit], dist: Distances, minutes: Minutes
) -> dict[tuple[str, str], tuple[float, float]]:
    """(staff, weekday) -> (km of the day with the way home, minutes), the stops away from
    home taken in their ``order``."""
    days: dict[tuple[str, str], list[CircuitVisit]] = defaultdict(list)
    for c in circuits:
        if away(c):
            days[(c.staff, c.weekday)].append(c)
    out = {}
    for key, visits in days.items():
        visits.sort(key=lambda c: c.order)
        _, km, mins = day_travel(visits[0].home_school, [c.school for c in visits], dist, minutes)
        out[key] = (km, mins)
    return out


def itinerant_cost(
    inst: Instance,
    needs: dict[tuple[str, str], WeeklyNeed],
    circuits: list[CircuitVisit],
    dist: Distances,
    minutes: Minutes,
) -> tuple[int, dict[str, float]]:
    """Objective of a set of circuits and its terms (the checker recomputes the same): each
    lesson left weighs its need's weight (priority, small school); then the teachers with
    a stop away from home; then the km of their days."""
    w8 = inst.policy.weights
    covered: dict[tuple[str, str], int] = defaultdict(int)
    for c in circuits:
        covered[(c.school, c.subject)] += c.lessons
    left = 0
    weighted = 0
    for key, n in needs.items():
        short = max(0, n.lessons - covered.get(key, 0))
        left += short
        weighted += n.weight * short
    teachers = len({c.staff for c in circuits if away(c)})
    day_km = [km for km, _ in circuit_days(circuits, dist, minutes).values()]
    km_cost = sum(round(w8.itinerant_km * km) for km in day_km)
    value = w8.itinerant_lesson * weighted + w8.itinerant_teacher * teachers + km_cost
    return value, {
        "lessons_left": float(left),
        "teachers": float(teachers),
        "km_per_week": round(sum(day_km), 3),
    }
