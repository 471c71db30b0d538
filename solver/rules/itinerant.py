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
day route
    The schools one teacher visits on one weekday, in order, from home and back: at most
    ``max_schools_per_day``, within ``max_km_per_day`` (and ``max_minutes_per_day`` where
    distances give minutes), each visit at least ``min_lessons_per_visit`` lessons, at most
    ``max_lessons_per_day`` in the day; only schools that need the teacher's subject and
    cover the teacher's stage.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from itertools import permutations

from twinning.county.distances import Distances
from twinning.county.instance import Instance, School, Staff
from twinning.county.needs import school_needs
from twinning.plan import CircuitVisit, Move, UnmetNeed
from twinning.rules.alliances import alliance_stages


@dataclass(frozen=True)
class WeeklyNeed:
    school: str
    subject: str
    lessons: int
    priority: int


def weekly_needs(
    inst: Instance, unmet: list[UnmetNeed] | None = None
) -> dict[tuple[str, str], WeeklyNeed]:
    """[itinerant.need] (school, subject) -> lessons a week a circuit may fill.

    ``unmet`` is the roster's unmet needs (None: no roster planned, every shortage)."""
    it = inst.policy.itinerant
    subjects = set(it.subjects)
    given: dict[tuple[str, str, str | None], int] = {}
    for n in inst.needs:
        if n.weekly_lessons is not None:
            given[(n.school, n.subject, n.period)] = n.weekly_lessons
    left: dict[tuple[str, str, str], int] | None = None
    if unmet is not None:
        left = {(u.school, u.subject, u.period): u.shortage - u.covered for u in unmet}
    out: dict[tuple[str, str], WeeklyNeed] = {}
    for period in inst.policy.horizon.periods:
        for school, by_subject in school_needs(inst, period).items():
            for subject, need in by_subject.items():
                if subject not in subjects or need.shortage <= 0:
                    continue
                short = need.shortage
                uncovered = short if left is None else left.get((school, subject, period), 0)
                if uncovered <= 0:
                    continue
                weekly = given.get((school, subject, period), given.get((school, subject, None)))
                if weekly is None:
                    lessons = uncovered * it.standard_load
                else:
                    lessons = math.ceil(weekly * uncovered / short)
                key = (school, subject)
                old = out.get(key)
                if old is None or lessons > old.lessons:
                    out[key] = WeeklyNeed(school, subject, lessons, need.priority)
    return out


def may_circuit(inst: Instance, person: Staff, moved: set[str]) -> bool:
    """[itinerant.eligible] An active teacher of an itinerant subject, not moved by the
    roster."""
    if person.role != "teacher" or person.status != "active" or person.id in moved:
        return False
    if person.itinerant is not None:
        return person.itinerant
    return (person.subject or "") in inst.policy.itinerant.subjects


def spare_lessons(inst: Instance, moved: set[str]) -> dict[str, int]:
    """[itinerant.max_weekly_lessons] Staff id -> lessons a week the teacher may give on a
    circuit (only teachers who may circuit; surplus teachers first, by id)."""
    it = inst.policy.itinerant
    surplus: dict[tuple[str, str], int] = defaultdict(int)
    first = inst.policy.horizon.periods[0]
    for school, by_subject in school_needs(inst, first).items():
        for subject, need in by_subject.items():
            surplus[(school, subject)] = need.surplus
    out: dict[str, int] = {}
    for person in sorted(inst.staff, key=lambda p: p.id):
        if not may_circuit(inst, person, moved):
            continue
        key = (person.school, person.subject or "")
        if surplus[key] > 0:
            surplus[key] -= 1
            home = 0
        else:
            home = person.weekly_load if person.weekly_load is not None else it.standard_load
        spare = it.max_weekly_lessons - home
        if spare >= it.min_lessons_per_visit:
            out[person.id] = spare
    return out


def moved_staff(roster: list[Move]) -> set[str]:
    """Staff the roster moves (away, or mentoring elsewhere): they do not circuit."""
    return {m.staff for m in roster}


def teaches_at(home: School, host: School) -> bool:
    """[itinerant.subject_stage] A teacher teaches a stage of the home school at the host
    (an attached kindergarten class not counting, as for alliances)."""
    return bool(alliance_stages(home) & alliance_stages(host))


class Minutes:
    """Minutes of travel where distances.csv gives them (symmetric when one way given)."""

    def __init__(self, inst: Instance) -> None:
        self._given: dict[tuple[str, str], float] = {}
        for d in inst.distances:
            if d.minutes is not None:
                self._given.setdefault((d.to, d.from_), d.minutes)
        for d in inst.distances:
            if d.minutes is not None:
                self._given[(d.from_, d.to)] = d.minutes

    def get(self, a: str, b: str) -> float | None:
        return 0.0 if a == b else self._given.get((a, b))


def day_travel(
    home: str, stops: list[str], dist: Distances, minutes: Minutes
) -> tuple[list[float], float, float | None]:
    """(km of each leg to a stop, km of the whole day with the way home, minutes or None)."""
    legs = []
    prev = home
    total_min: float | None = 0.0
    for s in stops:
        legs.append(dist.km(prev, s))
        m = minutes.get(prev, s)
        total_min = None if m is None or total_min is None else total_min + m
        prev = s
    back = dist.km(prev, home)
    m = minutes.get(prev, home)
    total_min = None if m is None or total_min is None else total_min + m
    return legs, sum(legs) + back, total_min


def best_order(
    home: str, schools: tuple[str, ...], dist: Distances, minutes: Minutes
) -> tuple[tuple[str, ...], float, float | None]:
    """The order of a day's stops with the fewest km: (order, day km, day minutes)."""
    best: tuple[tuple[str, ...], float, float | None] | None = None
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
        it.max_minutes_per_day is not None and mins is not None and mins > it.max_minutes_per_day
    )


def priority_weight(inst: Instance, priority: int) -> int:
    return inst.policy.needs.priority_weights.get(priority, 1)


def circuit_days(
    circuits: list[CircuitVisit], dist: Distances, minutes: Minutes
) -> dict[tuple[str, str], tuple[float, float | None]]:
    """(staff, weekday) -> (km of the day with the way home, minutes or None), the stops
    taken in their ``order``."""
    days: dict[tuple[str, str], list[CircuitVisit]] = defaultdict(list)
    for c in circuits:
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
    """Objective of a set of circuits and its terms (the checker recomputes the same)."""
    w8 = inst.policy.weights
    covered: dict[tuple[str, str], int] = defaultdict(int)
    for c in circuits:
        covered[(c.school, c.subject)] += c.lessons
    left = 0
    weighted = 0
    for key, n in needs.items():
        short = max(0, n.lessons - covered.get(key, 0))
        left += short
        weighted += priority_weight(inst, n.priority) * short
    teachers = len({c.staff for c in circuits})
    day_km = [km for km, _ in circuit_days(circuits, dist, minutes).values()]
    km_cost = sum(round(w8.itinerant_km * km) for km in day_km)
    value = w8.itinerant_lesson * weighted + w8.itinerant_teacher * teachers + km_cost
    return value, {
        "lessons_left": float(left),
        "teachers": float(teachers),
        "km_per_week": round(sum(day_km), 3),
    }
