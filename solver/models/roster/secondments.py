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

from twinning.county.instance import Instance
from twinning.models.roster.model import usage_of
from twinning.models.roster.options import RosterData
from twinning.rules import roster as rules
from twinning.rules.departments import (
    boundary_years,
    department_limit,
    departments_of,
    in_department,
    span_changes,
)


def complete_secondments(
    inst: Instance, data: RosterData, chosen: list[int], seconded: list[int]
) -> list[int]:
    """The secondment options to add to ``chosen`` (cheapest first, each keeping every
    rule the roster model holds a secondment to, beside all chosen before it) until no
    candidate left at home has an option that fits."""
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
    for i in sorted(seconded, key=lambda i: (data.options[i].cost, i)):
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
