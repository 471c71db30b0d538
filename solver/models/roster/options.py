"""Move options: every way a person could move, with its own cost.

A move option is (person, host, first period, number of periods, kind, direction).
The eligibility rules are applied here, by not generating an option at all:

- ``staff.status``, ``rotation.exempt_age``, ``rotation.last_cycle``: who may move
  (:func:`solver.rules.roster.available`);
- ``rotation.scope``, ``rotation.max_km``: where to (:func:`host_reach`);
- ``rotation.due_years``, ``rotation.direction``, ``needs.shortage``, ``rotation.two_way``,
  ``rotation.secondment_count`` (who is a cadre to second): what kind of move
  (:func:`move_targets`);
- ``rotation.min_periods``, ``rotation.max_periods``: how long (:func:`~solver.rules.
  roster.durations`).

The option's own cost terms (see :mod:`solver.models.roster.model`) are priced here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from solver.county.distances import Distances
from solver.county.instance import Fixed, Instance, School, Staff
from solver.county.vocabulary import COUNTY_OR_ABOVE
from solver.plan import Membership, Pair
from solver.rules import roster as rules


@dataclass(frozen=True)
class Option:
    """One way a person could move."""

    person: int  # index into RosterData.staff
    host: str
    first: int  # period index
    length: int
    kind: str  # exchange / secondment
    direction: str  # out / in
    cost: int  # the option's own cost terms (see the model's docstring)
    km: float

    def covers(self, t: int) -> bool:
        """Whether the person is at the host in period t."""
        return self.first <= t < self.first + self.length


@dataclass
class RosterData:
    """Move options and every count the constraints need."""

    staff: list[Staff]
    periods: list[str]
    options: list[Option]
    by_person: dict[int, list[int]] = field(default_factory=dict)
    quota: dict[str, int] = field(default_factory=dict)
    outflow: dict[str, int] = field(default_factory=dict)
    capacity: dict[str, int] = field(default_factory=dict)
    shortage: dict[tuple[str, str, int], tuple[int, int]] = field(default_factory=dict)
    subject_count: dict[tuple[str, str], int] = field(default_factory=dict)
    due_people: set[int] = field(default_factory=set)
    priority_people: set[int] = field(default_factory=set)
    pinned: dict[int, tuple[str, int]] = field(default_factory=dict)
    constant: int = 0
    quota_capped: dict[str, tuple[int, int]] = field(default_factory=dict)  # (rate, can)


@dataclass(frozen=True)
class Reach:
    """A host a school's staff may reach: distance, direction and which scope allows it."""

    host: str
    km: float
    out: bool
    inward: bool
    in_scope: bool
    partner: bool


def host_reach(
    inst: Instance,
    pairs: list[Pair],
    alliances: list[Membership],
    dist: Distances,
) -> dict[str, list[Reach]]:
    """[rotation.scope, rotation.max_km] Per home school, every host it may reach."""
    schools = {s.id: s for s in inst.schools}
    hosts = rules.scope_hosts(inst, pairs, alliances)
    partners = rules.partner_hosts(inst, pairs, alliances)
    reach: dict[str, list[Reach]] = {}
    for home in inst.schools:
        scoped, mine = hosts.get(home.id, set()), partners.get(home.id, set())
        row = []
        for host_id in sorted(scoped | mine):
            km = dist.km(home.id, host_id)
            if not rules.within_km(inst, km):
                continue
            way = rules.direction(home, schools[host_id])
            row.append(
                Reach(host_id, km, way == "out", way == "in", host_id in scoped, host_id in mine)
            )
        reach[home.id] = row
    return reach


def move_targets(
    inst: Instance,
    person: Staff,
    reach: list[Reach],
    short_any: set[tuple[str, str]],
) -> list[tuple[str, str, str]]:
    """[rotation.due_years, rotation.direction, needs.shortage, rotation.two_way,
    rotation.secondment_count] (host, kind, direction) a person may move to.

    Teachers due to move go out anywhere in scope where their subject is short
    [rotation.due_years, needs.shortage]; learning stints go to a partner or lead school
    [rotation.two_way]; due principals (rotation.principal_term_years) to a partner;
    cadres are seconded to a partner when secondments are asked [rotation.secondment_count].
    """
    rot = inst.policy.rotation
    due = rules.is_due(inst, person)
    targets: list[tuple[str, str, str]] = []
    for r in reach:
        if person.role == "teacher":
            if r.out and due and r.in_scope and (r.host, person.subject or "") in short_any:
                targets.append((r.host, "exchange", "out"))
            elif r.inward and rot.two_way and r.partner:
                targets.append((r.host, "exchange", "in"))
        elif person.role in rules.LEADERS:
            if due and (r.out or r.inward) and r.partner:
                targets.append((r.host, "exchange", "out" if r.out else "in"))
        elif (
            person.role in rules.CADRES and rot.secondment_count and (r.out or r.inward)
        ) and r.partner:
            targets.append((r.host, "secondment", "out" if r.out else "in"))
    return targets


def _pinned_target(
    person: Staff, home: School, pin: Fixed, targets: list[tuple[str, str, str]]
) -> list[tuple[str, str, str]]:
    """[rotation.fixed] A pinned move is an option whatever the rules say."""
    if any(h == pin.to_school for h, _, _ in targets):
        return targets
    kind = "secondment" if person.role in rules.CADRES else "exchange"
    return [*targets, (pin.to_school, kind, "out" if rules.advantaged(home) else "in")]


def may_move(inst: Instance, person: Staff, last: set[str]) -> bool:
    """[staff.status, rotation.exempt_age, rotation.last_cycle] Active, under the exemption
    age, and not moved in the last exchange cycle."""
    return rules.available(inst, person, last)


def spans(inst: Instance, kind: str) -> list[tuple[int, int]]:
    """[horizon.periods, rotation.min_periods, rotation.max_periods] (first period, length)
    of every move of this kind that fits in the horizon."""
    horizon = len(inst.policy.horizon.periods)
    return [
        (first, length)
        for length in rules.durations(inst, kind)
        for first in range(0, horizon - length + 1)
    ]


def build_roster_data(
    inst: Instance,
    pairs: list[Pair],
    alliances: list[Membership],
    dist: Distances | None = None,
) -> RosterData:
    """Every move option with its cost, and the counts the rules need."""
    dist = dist or Distances(inst)
    w8 = inst.policy.weights
    periods = list(inst.policy.horizon.periods)
    horizon = len(periods)
    schools = {s.id: s for s in inst.schools}
    reach = host_reach(inst, pairs, alliances, dist)
    last = rules.moved_last_cycle(inst)
    shortage = rules.shortage_table(inst)
    short_any = {(school, subject) for school, subject, _ in shortage}
    surplus = rules.surplus_subjects(inst)
    ratio = rules.backbone_per_100(inst)
    staff = list(inst.staff)
    subject_count: dict[tuple[str, str], int] = defaultdict(int)
    for person in staff:
        if person.subject:
            subject_count[(person.school, person.subject)] += 1

    data = RosterData(staff=staff, periods=periods, options=[])
    quota = rules.quota_required(inst)
    data.outflow = rules.outflow_limit(inst)
    size = rules.staff_count(inst)
    data.capacity = {s.id: rules.host_capacity(inst, s, size[s.id]) for s in inst.schools}
    data.shortage = shortage
    data.subject_count = dict(subject_count)

    pinned = {f.staff: f for f in inst.fixed if f.kind == "exchange" and f.staff}
    weights = inst.policy.needs.priority_weights
    constant = sum(w8.roster_need * weights.get(prio, 1) * n for n, prio in shortage.values())
    km_of = {(h, r.host): r.km for h, rows in reach.items() for r in rows}
    for k, person in enumerate(staff):
        home = schools[person.school]
        pin = pinned.get(person.id)
        if pin is None and not may_move(inst, person, last):
            continue
        targets = move_targets(inst, person, reach[person.school], short_any)
        if pin is not None:
            targets = _pinned_target(person, home, pin, targets)
            first = periods.index(pin.period) if pin.period in periods else 0
            data.pinned[k] = (pin.to_school, first)
        due = rules.is_due_mover(inst, person)
        if due:
            data.due_people.add(k)
            constant += w8.roster_due
        is_priority = (
            person.role == "teacher"
            and due
            and rules.advantaged(home)
            and rules.rural_priority(inst, person)
        )
        if is_priority:
            data.priority_people.add(k)
            constant += w8.roster_rural_priority
        for host_id, kind, direction in targets:
            known = km_of.get((person.school, host_id))
            km = known if known is not None else dist.km(person.school, host_id)
            cost = option_cost(inst, person, schools[host_id], direction, km, due, is_priority)
            cost += _balance_cost(inst, person, host_id, ratio, surplus, direction)
            for first, length in spans(inst, kind):
                data.options.append(Option(k, host_id, first, length, kind, direction, cost, km))
    data.constant = constant
    _cap_quota(data, quota, horizon)
    for idx, o in enumerate(data.options):
        data.by_person.setdefault(o.person, []).append(idx)
    return data


def option_cost(
    inst: Instance,
    person: Staff,
    host: School,
    direction: str,
    km: float,
    due: bool,
    is_priority: bool,
) -> int:
    """The km, due and rural-priority terms of one option (relative to the constant)."""
    w8 = inst.policy.weights
    cost = round(w8.roster_km * km)
    if due:
        cost -= w8.roster_due
    if is_priority and direction == "out" and host.area == "rural":
        cost -= w8.roster_rural_priority
    return cost


def _balance_cost(
    inst: Instance,
    person: Staff,
    host_id: str,
    ratio: dict[str, float],
    surplus: dict[str, set[str]],
    direction: str,
) -> int:
    """The surplus-first, balance and preference terms of one option."""
    w8 = inst.policy.weights
    cost = 0
    if (
        person.role == "teacher"
        and direction == "out"
        and person.subject not in surplus.get(person.school, set())
    ):
        cost += w8.roster_surplus_first
    if person.backbone in COUNTY_OR_ABOVE and ratio.get(host_id, 0.0) >= ratio.get(
        person.school, 0.0
    ):
        cost += w8.roster_balance
    if person.willing and host_id not in person.willing:
        cost += w8.roster_preference
    return cost


def _cap_quota(data: RosterData, quota: dict[str, int], horizon: int) -> None:
    """[rotation.rate] where a school can send: at most as many as its teachers who have a
    move at all, and as the outflow limit lets go over the horizon. Schools held below the
    rate by that are reported (quota_capped), not made infeasible."""
    movers: dict[str, set[int]] = defaultdict(set)
    for o in data.options:
        if o.kind == "exchange" and data.staff[o.person].role == "teacher":
            movers[data.staff[o.person].school].add(o.person)
    for school, need in quota.items():
        can = min(len(movers[school]), data.outflow.get(school, 0) * horizon)
        if can < need:
            data.quota_capped[school] = (need, can)
        if min(need, can) > 0:
            data.quota[school] = min(need, can)
