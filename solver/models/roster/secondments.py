"""Secondments completed to every candidate the hosts allow, without a search.

With ``rotation.secondment_count`` unset, the rule asks that no candidate stays at home
while a partner host still has room for them in some period (the checker's
``rotation.secondment_count.left_out``). Such a set always exists: whatever the exchanges
took, secondments added one at a time, each where it still keeps every capacity rule,
until none fits, leave no candidate who could still go. The search finds the cheapest
such set; when it runs out of time (a city's secondment model has tens of thousands of
options), :func:`complete_secondments` adds, cheapest option first, every secondment that
still fits beside the plan, so the rule holds whatever the search found.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from twinning.county.instance import Instance
from twinning.models.roster.model import usage_of
from twinning.models.roster.options import Option, RosterData
from twinning.rules import roster as rules
from twinning.rules.balance import (
    CountKey,
    Spreads,
    before_counts,
    changes_of,
    floors,
    no_worse_before,
    raises_above,
)
from twinning.rules.departments import (
    boundary_years,
    department_limit,
    departments_of,
    in_department,
    span_changes,
)


def complete_secondments(
    inst: Instance,
    data: RosterData,
    chosen: list[int],
    seconded: list[int],
    *,
    hold: NoWorseHold | None = None,
    prefer: Collection[int] = (),
) -> list[int]:
    """The secondment options to add to ``chosen`` (cheapest first, each keeping every
    rule the roster model holds a secondment to, beside all chosen before it) until no
    candidate left at home has an option that fits.

    With ``hold`` ([balance.no_worse] first, :func:`keep_no_worse`): an option is added
    only when ``hold`` admits it, the options in ``prefer`` (the search's) first; the
    candidates it refuses are noted in ``hold.held``."""
    rot = inst.policy.rotation
    use = usage_of(data, chosen)
    away: dict[tuple[str, int], int] = defaultdict(int, use.away)
    incoming: dict[tuple[str, int], int] = defaultdict(int, use.incoming)
    seconded_in: dict[tuple[str, int], int] = defaultdict(int, use.seconded_in)
    subject: dict[tuple[str, str, int], int] = defaultdict(int, use.subject)
    teachers_out: dict[tuple[str, str, int], int] = defaultdict(int, use.teachers_out)
    cadres_in: dict[tuple[str, int], int] = defaultdict(int, use.cadres_in)
    cadres_out: dict[tuple[str, int], int] = defaultdict(int, use.cadres_out)
    small = {
        sid
        for sid, s in data.schools.items()
        if rot.small_school_pupils > 0 and rules.small_school(inst, s)
    }
    dept_away: dict[tuple[str, str, int], int] = defaultdict(int, use.department_away)
    hands: dict[tuple[str, str, int, int], int] = defaultdict(int, use.hands)
    bounds = boundary_years(data.periods)
    once = rot.classes_change_once_a_year
    moving = {data.options[i].person for i in chosen}
    added: list[int] = []
    if hold is not None:
        hold.held = {}
    for i in sorted(seconded, key=lambda i: (i not in prefer, data.options[i].cost, i)):
        o = data.options[i]
        if o.person in moving:
            continue
        person = data.staff[o.person]
        home = person.school
        span = range(o.first, o.first + o.length)
        if any(
            away[(home, t)] + 1 > data.outflow.get(home, 0)
            or incoming[(o.host, t)] + 1 > data.capacity.get(o.host, 0)
            or seconded_in[(o.host, t)] + 1 > rot.secondment_per_host
            for t in span
        ):
            continue
        if any(  # [rotation.small_school_pupils] (a secondment makes a visiting cadre)
            (o.host in small and (cadres_in[(o.host, t)] or cadres_out[(o.host, t)]))
            or (home in small and cadres_in[(home, t)])
            for t in span
        ):
            continue
        member = in_department(person)
        changes = span_changes(bounds, o.first, o.length) if member else []
        depts = departments_of(person, home, o.host)
        if member and any(  # [rotation.max_department_share] (a teacher on a secondment)
            dept_away[(home, person.subject or "", t)] + 1
            > department_limit(inst, data.department_size.get((home, person.subject or ""), 0))
            for t in span
        ):
            continue
        if once and any(  # [rotation.classes_change_once_a_year]
            hands[(*dept, year, 1 - half)] or any(y == year and h != half for y, h in changes)
            for dept in depts
            for year, half in changes
        ):
            continue
        if person.subject:
            have = data.subject_count.get((home, person.subject), 0)
            if rot.keep_subject_cover and any(
                have + subject[(home, person.subject, t)] - 1 < 1 for t in span
            ):
                continue
            if (
                rot.protect_sender
                and person.role == "teacher"
                and any(
                    teachers_out[(home, person.subject, t)] + 1
                    > data.surplus.get((home, person.subject, t), 0)
                    for t in span
                )
            ):
                continue
        if hold is not None and not hold.admit(o):
            continue
        moving.add(o.person)
        added.append(i)
        for dept in depts:
            for year, half in changes:
                hands[(*dept, year, half)] += 1
        if member:
            for t in span:
                dept_away[(home, person.subject or "", t)] += 1
        for t in span:
            away[(home, t)] += 1
            incoming[(o.host, t)] += 1
            seconded_in[(o.host, t)] += 1
            cadres_in[(o.host, t)] += 1
            cadres_out[(home, t)] += 1
            if person.subject:
                subject[(home, person.subject, t)] -= 1
                subject[(o.host, person.subject, t)] += 1
                if person.role == "teacher":
                    teachers_out[(home, person.subject, t)] += 1
                    teachers_out[(o.host, person.subject, t)] -= 1
    return added


def secondment_bound(data: RosterData, seconded: list[int]) -> float:
    """A lower bound of the secondments' cost (without the constant): each candidate at
    their cheapest option, or at home when every option costs more (no capacity held)."""
    cheapest: dict[int, int] = {}
    for i in seconded:
        o = data.options[i]
        cheapest[o.person] = min(cheapest.get(o.person, 0), o.cost)
    return float(sum(cheapest.values()))


class NoWorseHold:
    """[balance.no_worse] before [rotation.secondment_count] unset: the staffing counts of
    each period with the exchanges, the changes of headship and the secondments admitted
    so far (:class:`~twinning.rules.balance.Spreads`), and whether one more secondment
    keeps every coefficient it touches at or below its value before the plan (or its
    value now, where the exchanges already raised it): as the checker's
    ``rotation.secondment_count.left_out`` tries each candidate at home. With
    ``balance.target = "rule"`` a secondment also keeps its home's floors
    (:func:`~twinning.rules.balance.floors`), as the checker's ``_balance_held`` does."""

    def __init__(self, inst: Instance, data: RosterData, chosen: list[int]) -> None:
        self.data = data
        self.before = no_worse_before(inst)
        self.floor = floors(inst) if inst.policy.balance.target == "rule" else {}
        base = before_counts(inst)
        moved = usage_of(data, chosen).balance
        self.spreads: list[Spreads] = []
        for t in range(len(data.periods)):
            total: dict[CountKey, float] = {k: float(v) for k, v in base.items()}
            for shift in (moved, data.balance_shift):
                for (school, stage, ind, at), d in shift.items():
                    if at == t and d:
                        key = (school, stage, ind)
                        total[key] = total.get(key, 0.0) + d
            self.spreads.append(Spreads(inst, total))
        #: candidate (index in data.staff) -> (indicator, stage, period) a secondment of
        #: theirs that fits would raise (the last pass of :func:`complete_secondments`)
        self.held: dict[int, tuple[str, str, str]] = {}

    def admit(self, o: Option) -> bool:
        """Whether the secondment keeps no_worse (and the floors); made when it does."""
        person = self.data.staff[o.person]
        schools = self.data.schools
        shifts = changes_of(person, schools.get(person.school), schools.get(o.host))
        changes = [(key, float(sign)) for key, sign in shifts]
        span = range(o.first, o.first + o.length)
        for t in span:
            have = self.spreads[t].count
            for key, sign in shifts:
                least = self.floor.get(key)
                if sign < 0 and least is not None and have.get(key, 0.0) - 1 < least - 1e-9:
                    return False
        for t in span:
            raised = raises_above(self.spreads[t], self.before, changes)
            if raised is not None:
                self.held.setdefault(o.person, (*raised, self.data.periods[t]))
                return False
        for t in span:
            self.spreads[t].apply(changes)
        return True


def keep_no_worse(
    inst: Instance, data: RosterData, chosen: list[int], placed: list[int], seconded: list[int]
) -> tuple[list[int], dict[int, tuple[str, str, str]]]:
    """The secondments beside the exchanges ``chosen`` with ``balance.no_worse`` first: the
    search's (``placed``) kept, and the others added cheapest first, only where each keeps
    every coefficient at or below its value before the plan given all kept so far; gone
    through again until nothing changes, so that every candidate left at home either
    has no option that fits or raises a coefficient with each. Returns the secondments
    and the candidates held at home by no_worse (-> what they would raise)."""
    hold = NoWorseHold(inst, data, chosen)
    added: list[int] = []
    while True:
        extra = complete_secondments(
            inst, data, chosen + added, seconded, hold=hold, prefer=set(placed)
        )
        if not extra:
            break
        added += extra
    moving = {data.options[i].person for i in chosen + added}
    held = {p: why for p, why in sorted(hold.held.items()) if p not in moving}
    return sorted(added), held
