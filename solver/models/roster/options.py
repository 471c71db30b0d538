"""Move options: every way a person could move, with its own cost.

A move option is (person, host, first period, number of periods, kind, direction).
The eligibility rules are applied here, by not generating an option at all:

- ``staff.status``, ``rotation.exempt_age``, ``rotation.last_cycle``: who may move
  (:func:`may_move`);
- ``rotation.scope``, ``rotation.max_km``, ``rotation.max_minutes``, ``rotation.same_stage``:
  where to (:func:`host_reach`); ``staff.max_km``: no farther than the person's own limit
  (:func:`own_limit`);
- ``rotation.due_years``, ``rotation.direction``, ``needs.shortage``, ``rotation.two_way``,
  ``rotation.secondment_count`` (who is a candidate), ``rotation.secondment_growth`` (a
  reserve cadre's hosts): what kind of move (:func:`move_targets`);
- ``rotation.min_periods``, ``rotation.max_periods``, ``horizon.periods``: how long
  (:func:`spans`); ``rotation.classes_change_once_a_year``: no teacher's stint that alone
  hands classes over twice in a school year (:func:`department_spans`).

The option's own cost terms (see :mod:`twinning.models.roster.model`) are priced here.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from twinning.county.distances import Distances
from twinning.county.instance import Fixed, Instance, School, Staff
from twinning.models.search import STOP
from twinning.plan import Membership, Move, Pair
from twinning.rules import roster as rules
from twinning.rules.departments import (
    boundary_years,
    changes_twice,
    department_sizes,
    in_department,
)
from twinning.vocabulary import COUNTY_OR_ABOVE


@dataclass(frozen=True, slots=True)
class Option:
    """One way a person could move (slots: a county-wide roster has millions)."""

    person: int  # index into RosterData.staff
    host: str
    first: int  # period index
    length: int
    kind: str  # exchange / secondment
    direction: str  # out / in
    cost: int  # the option's own cost terms (see the model's docstring)
    km: float
    bridge: bool = False  # a junior-school teacher teaching at a primary school (学段衔接)

    def covers(self, t: int) -> bool:
        """Whether the person is at the host in period t."""
        return self.first <= t < self.first + self.length


@dataclass
class RosterData:
    """Move options and every count the constraints need."""

    staff: list[Staff]
    periods: list[str]
    options: list[Option]
    schools: dict[str, School] = field(default_factory=dict)
    by_person: dict[int, list[int]] = field(default_factory=dict)
    quota: dict[str, int] = field(default_factory=dict)
    outflow: dict[str, int] = field(default_factory=dict)
    capacity: dict[str, int] = field(default_factory=dict)
    shortage: dict[tuple[str, str, int], tuple[int, int]] = field(default_factory=dict)
    surplus: dict[tuple[str, str, int], int] = field(default_factory=dict)
    #: school -> surplus subject -> teachers of it that leave before a non-surplus teacher
    surplus_first: dict[str, dict[str, int]] = field(default_factory=dict)
    surplus_subjects: dict[str, set[str]] = field(default_factory=dict)
    subject_count: dict[tuple[str, str], int] = field(default_factory=dict)
    due_people: set[int] = field(default_factory=set)
    priority_people: set[int] = field(default_factory=set)
    candidates: set[int] = field(default_factory=set)  # secondment candidates with a host
    pinned: dict[int, tuple[str, int]] = field(default_factory=dict)
    constant: int = 0
    quota_reach: dict[str, int] = field(default_factory=dict)  # teachers who could go at all
    #: with rotation.cap_quota, schools none of whose staff can move: their whole quota is a
    #: constant cost (no model holds it)
    quota_unheld: dict[str, int] = field(default_factory=dict)
    #: re-planning (--baseline): option -> weights.replan_keep for a move the baseline has,
    #: taken off its cost in the search only (the plan's objective is the roster's own)
    bonus: dict[int, int] = field(default_factory=dict)
    #: balance.target = "rule": (school, stage, indicator, period) -> the count's change
    #: by the changes of headship, decided before the exchanges
    balance_shift: dict[tuple[str, str, str, int], int] = field(default_factory=dict)
    #: balance.no_worse's repair: (school, stage, indicator, period) -> the count's change
    #: by the moves placed after the exchanges' search (the secondments of the plan being
    #: repaired), so that the exchanges can make up for them
    balance_pending: dict[tuple[str, str, str, int], int] = field(default_factory=dict)
    #: balance.no_worse's repair: the (indicator, stage) held to no more spread
    balance_hold: frozenset[tuple[str, str]] = frozenset()
    #: what the options were built from: an instance that differs from it only in
    #: :data:`COUNTED_KEYS` and schools' own host capacity has the same options
    #: (:func:`recount`)
    source: Instance | None = None
    pairs: list[Pair] = field(default_factory=list)
    alliances: list[Membership] = field(default_factory=list)
    #: the options' part of the constant (the quota's part under cap_quota added to it)
    options_constant: int = 0
    #: home school -> teachers with an exchange option (the reach count's first term)
    movers: dict[str, int] = field(default_factory=dict)
    #: counts of the options and the county that no counted key changes, worked out by
    #: the first count and shared by every recount of these options
    fixed_counts: dict[str, Any] = field(default_factory=dict)
    #: the shortest exchange counted toward the quota and the backbone share
    #: [rotation.min_periods_for_quota]
    quota_periods: int = 1
    #: (school, subject) -> the department's teachers [rotation.max_department_share]
    department_size: dict[tuple[str, str], int] = field(default_factory=dict)

    def teacher_of(self, o: Option) -> Staff | None:
        """The person of an option when it moves a teacher on an exchange."""
        person = self.staff[o.person]
        return person if o.kind == "exchange" and person.role == "teacher" else None


@dataclass(frozen=True)
class Reach:
    """A host a school's staff may reach: distance, direction, stage and which scope."""

    host: str
    km: float
    out: bool
    inward: bool
    in_scope: bool
    partner: bool
    stage: str | None  # "same", "bridge" (学段衔接) or None (no shared stage)
    grows: bool = False  # the host is larger or stronger (rotation.secondment_growth)


def host_reach(
    inst: Instance,
    pairs: list[Pair],
    alliances: list[Membership],
    dist: Distances,
    *,
    deadline: float | None = None,
) -> dict[str, list[Reach]]:
    """[rotation.scope, rotation.max_km, rotation.max_minutes, rotation.same_stage,
    rotation.bridge_stages] Per home school, every host it may reach, and whether a teacher
    may work there."""
    schools = {s.id: s for s in inst.schools}
    hosts = rules.scope_hosts(inst, pairs, alliances)
    partners = rules.partner_hosts(inst, pairs, alliances)
    reach: dict[str, list[Reach]] = {}
    for home in inst.schools:
        _tick(deadline)
        scoped, mine = hosts.get(home.id, set()), partners.get(home.id, set())
        row = []
        for host_id in sorted(scoped | mine):
            km = dist.km(home.id, host_id)
            if not rules.near_enough(inst, dist, home.id, host_id, km):
                continue
            host = schools[host_id]
            way = rules.direction(home, host)
            stage = rules.stage_fit(inst, home, host)
            row.append(
                Reach(
                    host_id,
                    km,
                    way == "out",
                    way == "in",
                    host_id in scoped,
                    host_id in mine,
                    stage,
                    rules.grows(home, host),
                )
            )
        reach[home.id] = row
    return reach


def swap_subjects(
    inst: Instance,
    reach: dict[str, list[Reach]],
    short_any: set[tuple[str, str]],
    last: set[str],
) -> set[tuple[str, str]]:
    """(school, subject) where a due teacher could go out but sending one needs one to
    arrive (:func:`~twinning.rules.roster.arrival_needed`): a learner of that subject may go
    there even if it is not the learner's partner or lead school."""
    needed = rules.arrival_needed(inst)
    out: set[tuple[str, str]] = set()
    for k, person in enumerate(inst.staff):
        if k % 2000 == 0:
            STOP.check()
        subject = person.subject or ""
        if (
            person.role != "teacher"
            or (person.school, subject) in out
            or (person.school, subject) not in needed
            or not rules.is_due(inst, person)
            or not rules.available(inst, person, last)
        ):
            continue
        if any(
            r.out
            and r.in_scope
            and r.stage
            and (r.host, subject) in short_any
            and rules.within_own_km(person, r.km)  # [staff.max_km]
            for r in reach[person.school]
        ):
            out.add((person.school, subject))
    return out


def move_targets(
    inst: Instance,
    person: Staff,
    reach: list[Reach],
    short_any: set[tuple[str, str]],
    swaps: set[tuple[str, str]] | None = None,
) -> list[tuple[str, str, str, bool]]:
    """[rotation.due_years, rotation.direction, needs.shortage, rotation.two_way,
    rotation.secondment_count, rotation.secondment_growth] (host, kind, direction, bridge)
    a person may move to.

    Teachers due to move go out anywhere in scope where their subject is short, to a school
    of their stage (or, with 学段衔接, a junior teacher to a primary school); learning
    stints go to a partner or lead school of the same stage, or to a school in scope that
    needs a teacher of their subject to arrive before it can send one (``swaps``, see
    :func:`swap_subjects`); due vice principals to a
    partner; secondment candidates (挂职候选) to a partner, for one semester, when
    secondments are asked (a reserve cadre only to a partner larger or stronger than home,
    :func:`~twinning.rules.roster.secondment_grows` [rotation.secondment_growth]). A
    principal's rotation is a change of headship (elsewhere).
    """
    rot = inst.policy.rotation
    swaps = swaps or set()
    due = rules.is_due(inst, person)
    candidate = rules.secondment_candidate(person) and rot.secondment_count != 0
    growth = rules.growth_asked(inst, person)  # [rotation.secondment_growth]
    targets: list[tuple[str, str, str, bool]] = []
    for r in reach:
        if r.stage is None:
            continue
        bridge = r.stage == "bridge"
        if person.role == "teacher":
            if r.out and due and r.in_scope and (r.host, person.subject or "") in short_any:
                targets.append((r.host, "exchange", "out", bridge))
            elif (
                r.inward
                and rot.two_way
                and not bridge
                and (r.partner or (r.in_scope and (r.host, person.subject or "") in swaps))
            ):
                targets.append((r.host, "exchange", "in", False))
        elif (
            person.role in rules.EXCHANGE_LEADERS
            and due
            and r.partner
            and not bridge
            and (r.out or r.inward)
        ):
            targets.append((r.host, "exchange", "out" if r.out else "in", False))
        if (
            candidate
            and (r.out or r.inward)
            and r.partner
            and not bridge
            and (r.grows or not growth)
        ):
            targets.append((r.host, "secondment", "out" if r.out else "in", False))
    return targets


def own_limit(
    person: Staff,
    targets: list[tuple[str, str, str, bool]],
    km_of: dict[tuple[str, str], float],
) -> list[tuple[str, str, str, bool]]:
    """[staff.max_km] The targets no farther than the person's own limit (个人通勤上限): a
    teacher with young children or parents to care for goes nowhere beyond it, whatever the
    kind of move (a pinned move is added after, and kept whatever the limit)."""
    return [t for t in targets if rules.within_own_km(person, km_of[(person.school, t[0])])]


def _pinned_target(
    person: Staff, home: School, pin: Fixed, targets: list[tuple[str, str, str, bool]]
) -> list[tuple[str, str, str, bool]]:
    """[rotation.fixed] A pinned move is an option whatever the rules say."""
    if any(h == pin.to_school for h, _, _, _ in targets):
        return targets
    kind = "secondment" if person.role in rules.CADRES else "exchange"
    return [*targets, (pin.to_school, kind, "out" if rules.advantaged(home) else "in", False)]


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


def department_spans(
    inst: Instance, span_of: dict[str, list[tuple[int, int]]]
) -> dict[str, list[tuple[int, int]]]:
    """[rotation.classes_change_once_a_year] The spans a teacher of a department may take
    (:mod:`twinning.rules.departments`): without those that alone hand the classes over
    twice in one school year (a one-semester stint in a first semester), with the rule on."""
    if not inst.policy.rotation.classes_change_once_a_year:
        return span_of
    bounds = boundary_years(list(inst.policy.horizon.periods))
    return {
        kind: [(f, n) for f, n in spans if not changes_twice(bounds, f, n)]
        for kind, spans in span_of.items()
    }


class OutOfTime(Exception):
    """Building the options passed the deadline it was given (an explanation's budget)."""


def _tick(deadline: float | None) -> None:
    STOP.check()  # Ctrl-C within a second even while 900,000 options are built
    if deadline is not None and time.perf_counter() > deadline:
        raise OutOfTime


def build_roster_data(
    inst: Instance,
    pairs: list[Pair],
    alliances: list[Membership],
    dist: Distances | None = None,
    *,
    deadline: float | None = None,
) -> RosterData:
    """Every move option with its cost, and the counts the rules need (``deadline``: a
    ``time.perf_counter()`` past which :class:`OutOfTime` is raised)."""
    dist = dist or Distances(inst)
    rot, w8 = inst.policy.rotation, inst.policy.weights
    periods = list(inst.policy.horizon.periods)
    schools = {s.id: s for s in inst.schools}
    reach = host_reach(inst, pairs, alliances, dist, deadline=deadline)
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

    data = RosterData(staff=staff, periods=periods, options=[], schools=schools)
    data.source, data.pairs, data.alliances = inst, list(pairs), list(alliances)
    data.shortage = shortage
    data.surplus = rules.surplus_table(inst)
    data.subject_count = dict(subject_count)

    pinned = {f.staff: f for f in inst.fixed if f.kind == "exchange" and f.staff}
    weights = inst.policy.needs.priority_weights
    constant = sum(w8.roster_need * weights.get(prio, 1) * n for n, prio in shortage.values())
    km_of = {(h, r.host): r.km for h, rows in reach.items() for r in rows}
    swaps = swap_subjects(inst, reach, short_any, last)
    best_merit = max((p.merit or 0.0 for p in staff if rules.secondment_candidate(p)), default=0.0)
    span_of = {kind: spans(inst, kind) for kind in ("exchange", "secondment")}
    span_dept = department_spans(inst, span_of)
    data.department_size = dict(department_sizes(inst))
    options = data.options
    for k, person in enumerate(staff):
        if k % 500 == 0:
            _tick(deadline)
        if person.role == "principal":
            continue  # a principal rotates by headship (and its pins are kept there)
        home = schools[person.school]
        pin = pinned.get(person.id)
        if pin is None and not may_move(inst, person, last):
            continue
        targets = move_targets(inst, person, reach[person.school], short_any, swaps)
        if person.max_km is not None:
            targets = own_limit(person, targets, km_of)
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
        if any(kind == "secondment" for _, kind, _, _ in targets):
            data.candidates.add(k)
            if rot.secondment_count is None:
                constant += w8.roster_secondment
        for host_id, kind, direction, bridge in targets:
            known = km_of.get((person.school, host_id))
            km = known if known is not None else dist.km(person.school, host_id)
            cost = option_cost(inst, person, schools[host_id], direction, km, due, is_priority)
            cost += _balance_cost(inst, person, host_id, ratio, surplus, direction, kind)
            if kind == "secondment":
                cost += secondment_cost(inst, person, best_merit)
            span_here = span_of if pin is not None or not in_department(person) else span_dept
            for first, length in span_here[kind]:
                options.append(Option(k, host_id, first, length, kind, direction, cost, km, bridge))
    data.options_constant = constant
    data.surplus_subjects = surplus
    _tick(deadline)
    movers: dict[str, set[int]] = defaultdict(set)
    for idx, o in enumerate(options):
        data.by_person.setdefault(o.person, []).append(idx)
        if data.teacher_of(o) is not None:
            movers[staff[o.person].school].add(o.person)
    data.movers = {school: len(people) for school, people in movers.items()}
    _tick(deadline)
    _count(inst, data)
    return data


#: Policy keys the move options never read (only the counts that bound them, or the
#: model): an instance differing only in these, and in schools' own host capacity, has
#: the same options, and :func:`recount` reuses them.
COUNTED_KEYS = (
    "rotation.rate",
    "rotation.cap_quota",
    "rotation.max_outflow_share",
    "rotation.min_outflow",
    "rotation.host_capacity",
    "rotation.host_capacity_share",
    "rotation.surplus_first",
    "rotation.keep_subject_cover",
    "rotation.two_way_share",
    "rotation.backbone_share",
    "balance.target",
    "rotation.quota_stages",
    "rotation.min_periods_for_quota",
    "rotation.max_department_share",
    "rotation.mentee_at_home",
)


def _options_policy(inst: Instance) -> dict[str, Any]:
    """The policy as the options read it (:data:`COUNTED_KEYS` left out)."""
    policy = inst.policy.model_dump()
    for key in COUNTED_KEYS:
        section, name = key.split(".")
        policy[section].pop(name, None)
    return policy


def same_options(
    data: RosterData, inst: Instance, pairs: list[Pair], alliances: list[Membership]
) -> bool:
    """Whether the options built in ``data`` are those of ``inst`` with these pairs and
    alliances (only :data:`COUNTED_KEYS` and schools' own host capacity may differ)."""
    src = data.source
    if src is None or pairs != data.pairs or alliances != data.alliances:
        return False
    if src is inst:
        return True
    same_tables = all(
        getattr(src, name) == getattr(inst, name)
        for name in ("staff", "needs", "history", "distances", "fixed", "new_hires")
    )
    if not same_tables or len(src.schools) != len(inst.schools):
        return False
    for a, b in zip(src.schools, inst.schools, strict=True):
        if a is not b and a.model_dump(exclude={"host_capacity"}) != b.model_dump(
            exclude={"host_capacity"}
        ):
            return False
    return _options_policy(src) == _options_policy(inst)


def recount(
    data: RosterData, inst: Instance, pairs: list[Pair], alliances: list[Membership]
) -> RosterData | None:
    """The roster data of ``inst``, its options taken from ``data`` without building them
    again, its counts (quota, outflow, capacity, surplus first, constant) counted anew;
    None when ``inst`` has other options (:func:`same_options`)."""
    if not same_options(data, inst, pairs, alliances):
        return None
    out = replace(
        data,
        schools={s.id: s for s in inst.schools},
        quota={},
        outflow={},
        capacity={},
        surplus_first={},
        quota_reach={},
        quota_unheld={},
        bonus={},
        balance_shift={},
        balance_pending={},
        balance_hold=frozenset(),
        source=inst,
    )
    _count(inst, out)
    return out


#: Where a solve's memo (``SolveContext.memo``) keeps the roster options it built.
MEMO_KEY = "roster.options"


def roster_data(
    memo: dict[str, Any] | None,
    inst: Instance,
    pairs: list[Pair],
    alliances: list[Membership],
    dist: Distances | None = None,
    *,
    deadline: float | None = None,
) -> RosterData:
    """:func:`build_roster_data`, or the options ``memo`` holds recounted for ``inst``
    (:func:`recount`) when they are the same: the explanation after an infeasible solve
    tries a dozen near copies of the instance, most of which differ only in counts. The
    memo keeps the options of the first solve and of the last one built otherwise."""
    if memo is None:
        return build_roster_data(inst, pairs, alliances, dist, deadline=deadline)
    kept: list[RosterData] = memo.setdefault(MEMO_KEY, [])
    for data in kept:
        again = recount(data, inst, pairs, alliances)
        if again is not None:
            return again
    data = build_roster_data(inst, pairs, alliances, dist, deadline=deadline)
    memo[MEMO_KEY] = [*kept[:1], data]  # the first solve's, and this one
    return data


def _count(inst: Instance, data: RosterData) -> None:
    """[rotation.max_outflow_share, rotation.host_capacity, rotation.rate,
    rotation.surplus_first] The counts that bound the options, from the policy."""
    fixed = data.fixed_counts
    data.outflow = rules.outflow_limit(inst)
    if "size" not in fixed:
        fixed["size"] = rules.staff_count(inst)
    size = fixed["size"]
    data.capacity = {s.id: rules.host_capacity(inst, s, size[s.id]) for s in inst.schools}
    data.constant = data.options_constant
    _quota(inst, data)
    if inst.policy.rotation.surplus_first:
        if "surplus_first" not in fixed:
            _surplus_first(inst, data, data.surplus_subjects)
            fixed["surplus_first"] = data.surplus_first
        data.surplus_first = fixed["surplus_first"]


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


def secondment_cost(inst: Instance, person: Staff, best_merit: float) -> int:
    """A secondment's reward (against the candidates-not-seconded constant, when every
    candidate the hosts allow is asked) and its merit term (prefer the best candidates)."""
    w8 = inst.policy.weights
    cost = round(w8.roster_merit * (best_merit - (person.merit or 0.0)))
    if inst.policy.rotation.secondment_count is None:
        cost -= w8.roster_secondment
    return cost


def _balance_cost(
    inst: Instance,
    person: Staff,
    host_id: str,
    ratio: dict[str, float],
    surplus: dict[str, set[str]],
    direction: str,
    kind: str,
) -> int:
    """The surplus-first, balance and preference terms of one option."""
    w8 = inst.policy.weights
    cost = 0
    if (
        person.role == "teacher"
        and kind == "exchange"
        and direction == "out"
        and person.subject not in surplus.get(person.school, set())
    ):
        cost += w8.roster_surplus_first
    if person.backbone in COUNTY_OR_ABOVE and ratio.get(host_id, 0.0) >= ratio.get(
        person.school, 0.0
    ):
        cost += w8.roster_balance
    cost += w8.roster_preference * rules.preference_steps(person, host_id)
    return cost


def _quota(inst: Instance, data: RosterData) -> None:
    """[rotation.rate, rotation.quota_stages, rotation.min_periods_for_quota] Each quota
    school's quota, and how many of its teachers could go out at all on a counted exchange
    (within the outflow limit over the horizon: an exchange of k periods or more takes a
    place in every k-th period, so at most the limit x (horizon // k) of them; none when
    no exchange may last k periods): a school whose quota is beyond that cannot meet it,
    whatever the plan."""
    horizon = len(data.periods)
    k = data.quota_periods = inst.policy.rotation.min_periods_for_quota
    lengths = rules.durations(inst, "exchange")
    windows = horizon // k if lengths and max(lengths) >= k else 0
    capped = inst.policy.rotation.cap_quota
    fixed = data.fixed_counts
    if capped and "homes" not in fixed:
        fixed["homes"] = {data.staff[o.person].school for o in data.options if o.kind == "exchange"}
    homes: set[str] = fixed["homes"] if capped else set()
    if "quota_base" not in fixed:
        fixed["quota_base"] = rules.quota_base(inst)
    for school, need in rules.quota_required(inst, fixed["quota_base"]).items():
        data.quota[school] = need
        reach = min(data.movers.get(school, 0), data.outflow.get(school, 0) * windows)
        data.quota_reach[school] = reach
        if capped and school not in homes:
            # No model holds this school's quota (nobody of it can move on an exchange):
            # its whole quota is missed, a constant.
            data.constant += inst.policy.weights.roster_quota * need
            data.quota_unheld[school] = need


def _surplus_first(inst: Instance, data: RosterData, surplus: dict[str, set[str]]) -> None:
    """[rotation.surplus_first] Per school that could send a teacher of a subject it has no
    surplus in: per surplus subject, how many of its teachers leave first (its surplus, or
    as many due teachers of it as could go at all, whichever is fewer)."""
    if not inst.policy.rotation.surplus_first:
        return
    spare: dict[tuple[str, str], int] = {}  # the largest surplus of any period
    for (school, subject, _), n in data.surplus.items():
        spare[(school, subject)] = max(spare.get((school, subject), 0), n)
    movable: dict[tuple[str, str], set[int]] = defaultdict(set)
    non_surplus: set[str] = set()
    for o in data.options:
        person = data.teacher_of(o)
        if person is None or o.direction != "out":
            continue
        if person.subject in surplus.get(person.school, set()):
            movable[(person.school, person.subject or "")].add(o.person)
        else:
            non_surplus.add(person.school)
    for school in sorted(non_surplus):
        first = {
            subject: min(spare.get((school, subject), 0), len(movable.get((school, subject), ())))
            for subject in sorted(surplus.get(school, set()))
        }
        first = {subject: n for subject, n in first.items() if n > 0}
        if first:
            data.surplus_first[school] = first


def baseline_bonus(inst: Instance, data: RosterData, baseline: list[Move]) -> dict[int, int]:
    """Re-planning: each option that repeats a move of the baseline plan (same
    person, kind, host, first period and length) earns ``weights.replan_keep``: a re-plan changes
    a move only when the rules or a clearly better plan ask for it."""
    keep = inst.policy.weights.replan_keep
    if not keep or not baseline:
        return {}
    period = {p: k for k, p in enumerate(data.periods)}
    kept = {
        (m.staff, m.kind, m.to_school, period.get(m.first_period, -1), m.periods) for m in baseline
    }
    return {
        i: keep
        for i, o in enumerate(data.options)
        if (data.staff[o.person].id, o.kind, o.host, o.first, o.length) in kept
    }
