"""The roster's constraint units: one ``add_<rule>`` per rule, named after its policy key.

Each unit adds one constraint family to a :class:`RosterModel` (the CP-SAT model over a
set of move options, with the index sets the units share). The checker's
``check_<rule>`` in :mod:`twinning.check.roster` verifies the same rule on any plan.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from twinning.county.instance import Instance
from twinning.models.roster.options import RosterData
from twinning.models.search import STOP
from twinning.rules import roster as rules
from twinning.rules.departments import (
    boundary_years,
    department_limit,
    departments_of,
    in_department,
    span_changes,
)
from twinning.vocabulary import COUNTY_OR_ABOVE


@dataclass
class Usage:
    """Capacity already used by moves fixed earlier (exchanges, when adding secondments)."""

    away: dict[tuple[str, int], int] = field(default_factory=dict)
    incoming: dict[tuple[str, int], int] = field(default_factory=dict)
    subject: dict[tuple[str, str, int], int] = field(default_factory=dict)  # net change
    teachers_out: dict[tuple[str, str, int], int] = field(default_factory=dict)  # out - in
    seconded_in: dict[tuple[str, int], int] = field(default_factory=dict)
    #: (school, stage, indicator, period) -> net change of a balance indicator's count
    balance: dict[tuple[str, str, str, int], int] = field(default_factory=dict)
    #: (school, period) -> visiting cadres there, and its own cadres away
    #: (:func:`~twinning.rules.roster.visiting_cadre`) [rotation.small_school_pupils]
    cadres_in: dict[tuple[str, int], int] = field(default_factory=dict)
    cadres_out: dict[tuple[str, int], int] = field(default_factory=dict)
    #: (school, subject, period) -> teachers of the department away [rotation.max_department_share]
    department_away: dict[tuple[str, str, int], int] = field(default_factory=dict)
    #: (school, subject, school year, half) -> moves handing the department's classes over
    #: there [rotation.classes_change_once_a_year]
    hands: dict[tuple[str, str, int, int], int] = field(default_factory=dict)


class RosterModel:
    """A CP-SAT model over a subset of the move options: one Boolean per option, and the
    sets of options each rule counts (who is away from a school, who arrives, ...)."""

    def __init__(self, data: RosterData, subset: list[int]) -> None:
        self.data = data
        self.subset = subset
        self.model = cp_model.CpModel()
        self.x = {}
        for n, i in enumerate(subset):
            if n % 20_000 == 0:
                STOP.check()
            self.x[i] = self.model.new_bool_var(f"o{i}")
        opts = data.options
        self.people: dict[int, list[int]] = defaultdict(list)
        for i in subset:
            self.people[opts[i].person].append(i)
        self.away: dict[tuple[str, int], list[int]] = defaultdict(list)
        self.incoming: dict[tuple[str, int], list[int]] = defaultdict(list)
        self.quota_moves: dict[str, list[int]] = defaultdict(list)
        self.leaving: dict[tuple[str, str, int], list[int]] = defaultdict(list)
        self.arriving: dict[tuple[str, str, int], list[int]] = defaultdict(list)
        self.fills: dict[tuple[str, str, int], list[int]] = defaultdict(list)
        self.teacher_leaving: dict[tuple[str, str, int], list[int]] = defaultdict(list)
        self.teacher_arriving: dict[tuple[str, str, int], list[int]] = defaultdict(list)
        self.seconded_in: dict[tuple[str, int], list[int]] = defaultdict(list)
        self.out_teachers: dict[str, list[int]] = defaultdict(list)  # exchange out, per home
        self.cost_extra: list[tuple[Any, int]] = []  # (variable, cost per unit)
        #: the part of the roster's constant cost this model's options can lower (see
        #: add_cost): the objective's offset, which CP-SAT's relative gap is measured on
        self.offset = 0
        self._counted = 0

    def index(self) -> None:
        """Fill the sets each rule counts (after the per-person units, as the model grew)."""
        data, opts = self.data, self.data.options
        for n, i in enumerate(self.subset):
            if n % 20_000 == 0:
                STOP.check()
            o = opts[i]
            person = data.staff[o.person]
            if person.role == "teacher" and o.kind == "exchange":
                if o.length >= data.quota_periods:  # a counted exchange
                    self.quota_moves[person.school].append(i)
                if o.direction == "out":
                    self.out_teachers[person.school].append(i)
            for t in range(o.first, o.first + o.length):
                self.away[(person.school, t)].append(i)
                self.incoming[(o.host, t)].append(i)
                if o.kind == "secondment":
                    self.seconded_in[(o.host, t)].append(i)
                if person.role == "teacher" and person.subject:
                    self.teacher_leaving[(person.school, person.subject, t)].append(i)
                    self.teacher_arriving[(o.host, person.subject, t)].append(i)
                if person.subject:
                    self.leaving[(person.school, person.subject, t)].append(i)
                    self.arriving[(o.host, person.subject, t)].append(i)
                    if (
                        o.direction == "out"
                        and o.kind == "exchange"  # (a seconded teacher covers no shortage)
                        and person.role == "teacher"
                        and (o.host, person.subject, t) in data.shortage
                    ):
                        self.fills[(o.host, person.subject, t)].append(i)

    def count(self, idxs: list[int]) -> Any:
        """How many of these options are chosen."""
        self._counted += len(idxs) + 1
        if self._counted > 50_000:  # a large model takes seconds to build: stay stoppable
            self._counted = 0
            STOP.check()
        return cp_model.LinearExpr.sum([self.x[i] for i in idxs])

    def teacher_exchanges(self, direction: str) -> list[int]:
        """Options that move a teacher on an exchange in this direction."""
        opts, staff = self.data.options, self.data.staff
        return [
            i
            for i in self.subset
            if opts[i].kind == "exchange"
            and opts[i].direction == direction
            and staff[opts[i].person].role == "teacher"
        ]

    def chosen(self, solver: cp_model.CpSolver) -> list[int]:
        """The options a solved model chose, in order."""
        return sorted(i for i, var in self.x.items() if solver.boolean_value(var))


def add_one_move(rm: RosterModel) -> None:
    """[rotation.one_move] A person makes at most one move in the horizon."""
    for idxs in rm.people.values():
        if len(idxs) > 1:
            rm.model.add_at_most_one(rm.x[i] for i in idxs)


def add_fixed(rm: RosterModel, k: int) -> None:
    """[rotation.fixed] A move pinned in fixed.csv is made, to its host, from its period."""
    if k not in rm.data.pinned:
        return
    host, first = rm.data.pinned[k]
    opts = rm.data.options
    rm.model.add(
        sum(rm.x[i] for i in rm.people[k] if opts[i].host == host and opts[i].first == first) == 1
    )


def add_rate(rm: RosterModel, soft_quota: int | None = None) -> None:
    """[rotation.rate] Each quota school whose people are in the model moves at least its
    quota of teachers; with ``soft_quota`` a missing teacher costs that much instead.

    Only the schools of the quota's stages have a quota [rotation.quota_stages], and only
    exchanges of at least ``rotation.min_periods_for_quota`` count toward it
    [rotation.min_periods_for_quota] (``rm.quota_moves``)."""
    staff, opts = rm.data.staff, rm.data.options
    homes = {staff[opts[i].person].school for i in rm.subset}
    for school, need in rm.data.quota.items():
        if school not in homes:
            continue
        sent = rm.count(rm.quota_moves.get(school, []))
        if soft_quota is None:
            rm.model.add(sent >= need)
        else:
            missing = rm.model.new_int_var(0, need, f"missing_{school}")
            rm.model.add(sent + missing >= need)
            rm.cost_extra.append((missing, soft_quota))


def add_max_outflow_share(rm: RosterModel, base: Usage) -> None:
    """[rotation.max_outflow_share] Staff away from a school in a period, at most its limit."""
    for (school, t), idxs in rm.away.items():
        limit = rm.data.outflow.get(school, 0) - base.away.get((school, t), 0)
        rm.model.add(rm.count(idxs) <= limit)


def add_host_capacity(rm: RosterModel, base: Usage) -> None:
    """[rotation.host_capacity] Staff coming in to a host in a period, at most its capacity."""
    for (host, t), idxs in rm.incoming.items():
        limit = rm.data.capacity.get(host, 0) - base.incoming.get((host, t), 0)
        rm.model.add(rm.count(idxs) <= limit)


def add_keep_subject_cover(rm: RosterModel, inst: Instance, base: Usage) -> None:
    """[rotation.keep_subject_cover] Every subject a school teaches keeps a teacher in
    every period, counting teachers who come in."""
    if not inst.policy.rotation.keep_subject_cover:
        return
    for (school, subject, t), idxs in rm.leaving.items():
        have = rm.data.subject_count.get((school, subject), 0)
        have += base.subject.get((school, subject, t), 0)
        if len(idxs) >= have:
            arriving = rm.arriving.get((school, subject, t), [])
            rm.model.add(have - rm.count(idxs) + rm.count(arriving) >= 1)


def add_protect_sender(rm: RosterModel, inst: Instance, base: Usage) -> None:
    """[rotation.protect_sender] Per school, subject and period, teachers leaving minus
    teachers arriving at most the school's surplus: a school short of English sends no
    English teacher unless one arrives (对岗互派)."""
    if not inst.policy.rotation.protect_sender:
        return
    for (school, subject, t), idxs in rm.teacher_leaving.items():
        allow = rm.data.surplus.get((school, subject, t), 0)
        allow -= base.teachers_out.get((school, subject, t), 0)
        arriving = rm.teacher_arriving.get((school, subject, t), [])
        if len(idxs) > allow or allow < 0:
            rm.model.add(rm.count(idxs) - rm.count(arriving) <= allow)


def add_surplus_first(rm: RosterModel, inst: Instance) -> None:
    """[rotation.surplus_first] A school sends a teacher of a subject it has no surplus in
    only after the teachers of its surplus subjects that should leave first have left."""
    if not inst.policy.rotation.surplus_first:
        return
    staff, opts = rm.data.staff, rm.data.options
    for school, first in rm.data.surplus_first.items():
        spare = rm.data.surplus_subjects.get(school, set())
        outs = rm.out_teachers.get(school, [])
        others = [i for i in outs if staff[opts[i].person].subject not in spare]
        if not others:
            continue
        sends_other = rm.model.new_bool_var(f"non_surplus_{school}")
        # Per person, their options together at most the indicator: the tightest LP of the
        # forms measured (haicheng-like's four largest groups: a big-M sum over the school
        # 35 s, an implication per option 19.6 s, this 13.3 s).
        by_person: dict[int, list[int]] = defaultdict(list)
        for i in others:
            by_person[opts[i].person].append(i)
        for idxs in by_person.values():
            rm.model.add(rm.count(idxs) <= sends_other)
        for subject, n in first.items():
            mine = [i for i in outs if staff[opts[i].person].subject == subject]
            pool: dict[int, list[int]] = defaultdict(list)
            for i in mine:
                pool[opts[i].person].append(i)
            if len(pool) == n:
                # Every one of them leaves first: a row per person (their sum is the row
                # below, their LP much tighter). haicheng-like's groups, 8 seeds: worst
                # 16.3 s -> 11.3 s, mean 10.7 -> 9.9 s; the leave-one-out rows of the
                # partial pools too made it worse (mean 10.7, worst 12.3 on 4 seeds).
                for idxs in pool.values():
                    rm.model.add(rm.count(idxs) >= sends_other)
            else:
                rm.model.add(rm.count(mine) >= n * sends_other)


def add_secondment_per_host(rm: RosterModel, inst: Instance, base: Usage) -> None:
    """[rotation.secondment_per_host] Seconded cadres a host takes per semester."""
    limit = inst.policy.rotation.secondment_per_host
    for (host, t), idxs in rm.seconded_in.items():
        room = limit - base.seconded_in.get((host, t), 0)
        if len(idxs) > room:
            rm.model.add(rm.count(idxs) <= room)


def add_small_school_pupils(rm: RosterModel, inst: Instance, base: Usage) -> None:
    """[rotation.small_school_pupils] A school with fewer pupils than this hosts at most one
    visiting cadre a semester (:func:`~twinning.rules.roster.visiting_cadre`: a vice
    principal, middle manager or reserve cadre on an exchange, anyone on a secondment), and
    none in a semester one of its own cadres is away.

    Per small school and period, with V the visiting cadres (those decided before, in
    ``base``, and this model's options): V <= 1, V = 0 when a cadre of it decided before is
    away, and V plus any one of its own cadres' options away then <= 1 (a row per cadre:
    their options are at most one move)."""
    if inst.policy.rotation.small_school_pupils <= 0:
        return
    data = rm.data
    small = {sid for sid, s in data.schools.items() if rules.small_school(inst, s)}
    if not small:
        return
    opts, staff = data.options, data.staff
    visiting: dict[tuple[str, int], list[int]] = defaultdict(list)
    away: dict[tuple[str, int], dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for i in rm.subset:
        o = opts[i]
        person = staff[o.person]
        if not rules.visiting_cadre(person, o.kind):
            continue
        home_small, host_small = person.school in small, o.host in small
        if not (home_small or host_small):
            continue
        for t in range(o.first, o.first + o.length):
            if host_small:
                visiting[(o.host, t)].append(i)
            if home_small:
                away[(person.school, t)][o.person].append(i)
    keys = set(visiting) | {k for k in away if base.cadres_in.get(k, 0)}
    for key in sorted(keys):
        idxs = visiting.get(key, [])
        before = base.cadres_in.get(key, 0)
        room = max(0, 1 - before - (1 if base.cadres_out.get(key, 0) else 0))
        if idxs and len(idxs) > room:
            rm.model.add(rm.count(idxs) <= room)
        for own in away.get(key, {}).values():
            rm.model.add(rm.count(idxs) + rm.count(own) <= max(0, 1 - before))


def add_max_department_share(rm: RosterModel, inst: Instance, base: Usage) -> None:
    """[rotation.max_department_share] Per school, subject and period, the department's
    teachers away (on an exchange, a learning stint or a secondment; those decided before
    in ``base``) at most :func:`~twinning.rules.departments.department_limit`: the share
    of its teachers rounded down, at least one."""
    if inst.policy.rotation.max_department_share >= 1:
        return
    size = rm.data.department_size
    for (school, subject, t), idxs in rm.teacher_leaving.items():
        limit = department_limit(inst, size.get((school, subject), 0))
        limit -= base.department_away.get((school, subject, t), 0)
        if len(idxs) > limit:
            rm.model.add(rm.count(idxs) <= limit)


def add_classes_change_once_a_year(rm: RosterModel, inst: Instance, base: Usage) -> None:
    """[rotation.classes_change_once_a_year] A department's classes change hands at most
    once a school year (:mod:`twinning.rules.departments`): per school, subject and school
    year, the teachers' moves that start or end there (its own teachers going or coming
    back, visiting teachers of the subject arriving or leaving) do so at the year's start
    or at its middle, not both.

    Per department and year touched at both, one Boolean z (1: the middle): per person,
    their options changing hands at the start at most 1 - z, at the middle at most z; a
    half already used by the moves decided before (``base``) shuts the other."""
    if not inst.policy.rotation.classes_change_once_a_year:
        return
    data = rm.data
    bounds = boundary_years(data.periods)
    opts, staff = data.options, data.staff
    Halves = tuple[dict[int, list[int]], dict[int, list[int]]]
    touch: dict[tuple[str, str, int], Halves] = defaultdict(
        lambda: (defaultdict(list), defaultdict(list))
    )
    for i in rm.subset:
        o = opts[i]
        person = staff[o.person]
        if not in_department(person):
            continue
        changes = span_changes(bounds, o.first, o.length)
        for school, subject in departments_of(person, person.school, o.host):
            for year, half in changes:
                touch[(school, subject, year)][half][o.person].append(i)
    for key in sorted(touch):
        start, middle = touch[key]
        used = [base.hands.get((*key, half), 0) for half in (0, 1)]
        if used[0] or used[1]:
            for half, side in ((1, middle), (0, start)):
                if used[1 - half]:
                    for idxs in side.values():
                        rm.model.add(rm.count(idxs) == 0)
            continue
        if not (start and middle):
            continue
        z = rm.model.new_bool_var(f"mid_{key[0]}_{key[1]}_{key[2]}")
        # Written into the model proto directly: tens of thousands of short rows on a
        # county (haicheng-like: 35,000 rows, 1.2 s through the expression API).
        for idxs in start.values():
            _sum_row(rm, idxs, z.index, 1, 0, 1)  # count + z <= 1
        for idxs in middle.values():
            _sum_row(rm, idxs, z.index, -1, -1, 0)  # count - z <= 0


def _sum_row(rm: RosterModel, idxs: list[int], var: int, coeff: int, lo: int, hi: int) -> None:
    """The row lo <= (these options chosen) + coeff x var <= hi, written into the proto."""
    row = rm.model.proto.constraints.add().linear
    row.vars.extend([rm.x[i].index for i in idxs])
    row.vars.append(var)
    row.coeffs.extend([1] * len(idxs))
    row.coeffs.append(coeff)
    row.domain.extend([lo, hi])


def add_backbone_share(rm: RosterModel, inst: Instance, teacher_out: list[int]) -> None:
    """[rotation.backbone_share] County-level-or-above backbone teachers are at least this
    share of the teachers moved out, county-wide; only exchanges of at least
    ``rotation.min_periods_for_quota`` count, on either side [rotation.min_periods_for_quota]."""
    share = round(100 * inst.policy.rotation.backbone_share)
    staff, opts = rm.data.staff, rm.data.options
    k = inst.policy.rotation.min_periods_for_quota
    rm.model.add(
        sum(
            (100 * (staff[opts[i].person].backbone in COUNTY_OR_ABOVE) - share) * rm.x[i]
            for i in teacher_out
            if opts[i].length >= k
        )
        >= 0
    )


def add_two_way_share(
    rm: RosterModel, inst: Instance, teacher_out: list[int], teacher_in: list[int]
) -> None:
    """[rotation.two_way_share] Learning stints (进城学艺) are at least this share of the
    moves out, county-wide, when ``rotation.two_way`` is on."""
    rot = inst.policy.rotation
    if not rot.two_way:
        return
    rm.model.add(
        100 * rm.count(teacher_in) >= round(100 * rot.two_way_share) * rm.count(teacher_out)
    )


def add_secondment_count(rm: RosterModel, k: int | None) -> None:
    """[rotation.secondment_count] Exactly k candidates are seconded (挂职); with k unset,
    as many as the hosts allow (a reward per secondment in the cost)."""
    if k is None:
        return
    opts = rm.data.options
    rm.model.add(sum(var for i, var in rm.x.items() if opts[i].kind == "secondment") == k)


def balance_terms(
    rm: RosterModel, inst: Instance
) -> dict[tuple[str, str, str, int], list[tuple[int, int]]]:
    """(school, stage, indicator, period) -> the options that change its count (+1 at the
    host, -1 at home) for the balance indicators (:mod:`twinning.rules.balance`)."""
    from twinning.rules.balance import changes_of

    schools = {s.id: s for s in inst.schools}
    terms: dict[tuple[str, str, str, int], list[tuple[int, int]]] = defaultdict(list)
    for i in rm.subset:
        o = rm.data.options[i]
        person = rm.data.staff[o.person]
        for key, sign in changes_of(person, schools.get(person.school), schools.get(o.host)):
            for t in range(o.first, o.first + o.length):
                terms[(*key, t)].append((i, sign))
    return terms


#: balance.no_worse's repair: the price of a unit of spread above what the schools had.
HOLD_PRICE = 1000


def add_balance_target(
    rm: RosterModel, inst: Instance, base: Usage, *, pending: bool = False
) -> None:
    """With ``balance.target`` objective or rule: each school's squared deviation from the
    county mean of each indicator, per period, priced as
    :func:`twinning.rules.balance.balance_targets` says (the variance's numerator, a
    surrogate of the coefficients). Convex in the count, it is held exactly at every whole
    count by one chord per step of the count's range (what the school could lose, up to
    its outflow limit, and gain, up to its capacity), from where the moves decided before
    (``base``), the changes of headship (``data.balance_shift``) and, with ``pending``,
    the moves to be placed after this search (``data.balance_pending``: a repair's
    secondments) leave it. Only the schools these options touch are in the model; the
    others' deviations are constants."""
    from twinning.rules.balance import balance_targets, target_cost

    targets = balance_targets(inst)
    data = rm.data
    held: dict[tuple[str, str, int], list[Any]] = defaultdict(list)
    held_before: dict[tuple[str, str, int], int] = defaultdict(int)
    for (school, stage, ind, t), parts in sorted(balance_terms(rm, inst).items()):
        if (school, stage, ind) not in targets:
            continue
        aim = targets[(school, stage, ind)]
        if not aim.price:
            continue
        have = aim.base
        key = (school, stage, ind, t)
        have += base.balance.get(key, 0) + data.balance_shift.get(key, 0)
        settled = have  # (what the spread is held to: without the moves still pending)
        if pending:
            have += data.balance_pending.get(key, 0)
        leaving = {data.options[i].person for i, sign in parts if sign < 0}
        coming = {data.options[i].person for i, sign in parts if sign > 0}
        lo = max(0, have - min(len(leaving), data.outflow.get(school, 0)))
        hi = have + min(len(coming), data.capacity.get(school, 0))
        if hi <= lo:
            continue
        count = have + sum(sign * rm.x[i] for i, sign in parts)
        costs = [target_cost(aim, k) for k in range(lo, hi + 1)]
        dev = chord_cost(rm.model, count, lo, costs, f"{school}_{stage}_{ind}_{t}")
        rm.cost_extra.append((dev, 1))
        if (ind, stage) in data.balance_hold:
            held[(stage, ind, t)].append(dev)
            held_before[(stage, ind, t)] += target_cost(aim, settled)
    # balance.no_worse's repair: the indicators that rose are held, each period, to no
    # more spread over these schools than they have without this search's moves and the
    # secondments pending after it (the
    # variance's numerator about the county's value before the plan bounds the true one
    # from above); a slack priced HOLD_PRICE per unit keeps the search feasible.
    for (stage, ind, t), devs in sorted(held.items()):
        slack = rm.model.new_int_var(
            0, sum(held_before.values()) + 10**12, f"hold_{stage}_{ind}_{t}"
        )
        rm.model.add(sum(devs) <= held_before[(stage, ind, t)] + slack)
        rm.cost_extra.append((slack, HOLD_PRICE))


def chord_cost(model: cp_model.CpModel, expr: Any, lo: int, costs: list[int], name: str) -> Any:
    """A variable that, minimised, equals ``costs[k]`` when the integer ``expr`` is
    ``lo + k`` (``costs`` convex): the expression held in a count variable on
    ``[lo, lo + len(costs) - 1]``, and one chord per step between whole counts."""
    hi = lo + len(costs) - 1
    count = model.new_int_var(lo, hi, f"n_{name}")
    model.add(count == expr)
    dev = model.new_int_var(min(costs), max(costs), f"dev_{name}")
    for k in range(hi - lo):
        model.add(dev >= costs[k] + (costs[k + 1] - costs[k]) * (count - (lo + k)))
    return dev


def add_balance_minimums(rm: RosterModel, inst: Instance, base: Usage) -> None:
    """[balance.minimums, balance.school_test] With ``balance.target = "rule"``: per school,
    stage, indicator and period, the count after every move (changes of headship and moves
    decided earlier included) at least the school's floor
    (:func:`twinning.rules.balance.floors`: a minimum the school meets, or 85% of one a
    school passing the per-school test misses)."""
    from twinning.rules.balance import before_counts, floors

    floor = floors(inst)
    have = before_counts(inst)
    for key, parts in sorted(balance_terms(rm, inst).items()):
        school, stage, ind, _ = key
        least = floor.get((school, stage, ind))
        if least is None:
            continue
        fixed = have[(school, stage, ind)] + rm.data.balance_shift.get(key, 0)
        fixed += base.balance.get(key, 0)
        rm.model.add(fixed + sum(sign * rm.x[i] for i, sign in parts) >= least)


def add_cost(rm: RosterModel, inst: Instance, adjust: dict[int, int]) -> None:
    """The objective: uncovered shortages (capped at the shortage) and each option's own
    cost (plus Lagrangian prices in ``adjust``, less the re-plan keep bonus).

    Its offset is the part of the roster's constant these options can lower: the
    shortages they reach, and the due and rural-priority terms of their people. So the
    objective is this group's share of the whole cost (every term >= 0), and CP-SAT's
    relative gap limit on a group holds for the county: the groups' absolute gaps add up
    to at most the limit times the cost.
    """
    w8 = inst.policy.weights
    weights = inst.policy.needs.priority_weights
    variables: list[int] = []
    coefficients: list[int] = []
    offset = 0
    for k in rm.people:
        offset += w8.roster_due * (k in rm.data.due_people)
        offset += w8.roster_rural_priority * (k in rm.data.priority_people)
    for key, idxs in rm.fills.items():
        need, prio = rm.data.shortage[key]
        offset += w8.roster_need * weights.get(prio, 1) * need
        c = rm.model.new_int_var(0, min(need, len(idxs)), f"c{key}")
        rm.model.add(c <= rm.count(idxs))
        variables.append(c.index)
        coefficients.append(-w8.roster_need * weights.get(prio, 1))
    STOP.check()
    opts = rm.data.options
    for i in rm.subset:
        cost = opts[i].cost + adjust.get(i, 0) - rm.data.bonus.get(i, 0)
        if cost:
            variables.append(rm.x[i].index)
            coefficients.append(cost)
    for var, cost in rm.cost_extra:
        variables.append(var.index)
        coefficients.append(cost)
    # Written into the model proto directly: minimize() over a 900,000-term expression
    # takes seconds in Python (tests/benchmarks/results/roster.md), and cannot be
    # interrupted.
    objective = rm.model.proto.objective
    objective.vars.extend(variables)
    objective.coeffs.extend(coefficients)
    objective.offset = float(offset)
    rm.offset = offset
