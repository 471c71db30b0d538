"""A principal's rotation as a change of headship (校长轮岗): who heads which school.

A principal due to rotate (two terms at the school) does not visit a partner for a
semester: they move to head another school, for good within the plan. Every school
that has a principal keeps exactly one, so principals move in swaps (A's to B, B's to
A) or longer cycles. The model is an assignment with one Boolean per (due principal,
school they may head); the units, one per rule (the rule's policy key in brackets):

- who moves and where: due, available principals to a school of a shared stage and of
  the same stage family (nine-year to primary or junior only with the bridge), in scope,
  within max_km; a weak school's head to a strong school only with a backbone title
  [rotation.principal_term_years, rotation.headship_stage, rotation.headship_bridge,
  rotation.headship_weak_to_strong, rotation.scope, rotation.max_km]
  (:func:`headship_data`: an option not generated is a move forbidden);
- each principal heads at most one other school [rotation.principal_term_years];
- every school with principals: as many leave as arrive; no school receives more than
  one; a vacancy may receive one [rotation.one_head] (only from a school that has two
  in the data: a school with one keeps its count, so in a county of one principal per
  school every vacancy stays empty);
- a move pinned in fixed.csv (kind exchange, staff a principal) is made, from the
  pinned period when it names one [rotation.fixed].

A change of headship starts in the first period of the horizon and lasts to its end.
A pin may name a later period: then every option may also start in that period (the
schools a pinned principal leaves and heads must change heads in that period too), and
the one-head rule is kept at each start, so in every period.

Cost (lower is better, every term >= 0), as the roster counts the same terms:

    roster_due x due principals not moved
  + sum over moves of round(roster_km x km)

The checker recomputes it in :func:`twinning.check.headship.headship_objective`.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from twinning.county.distances import Distances
from twinning.county.instance import Fixed, Instance, Staff
from twinning.messages import Msg, msg
from twinning.models.roster.units import chord_cost
from twinning.models.search import STOP, SearchSettings, configure, cpsat_callback
from twinning.plan import Membership, Move, Pair
from twinning.rules import roster as rules

__all__ = ["HeadshipData", "HeadshipOption", "HeadshipOutcome", "solve_headship"]


@dataclass(frozen=True)
class HeadshipOption:
    """One school a principal could head, and what it costs."""

    person: int  # index into HeadshipData.principals
    school: str
    km: float
    cost: int  # round(roster_km x km)
    start: int = 0  # index of the period the new headship starts in


@dataclass
class HeadshipData:
    """The principals who may move, their options, and each school's heads now."""

    periods: list[str]
    principals: list[Staff]
    options: list[HeadshipOption]
    due: set[int]  # principals whose staying costs roster_due
    pinned: dict[int, str]  # principal -> the school fixed.csv pins them to
    heads: dict[str, int]  # principals per school in the data; missing: a vacancy
    schools: list[str]
    starts: list[int] = field(default_factory=lambda: [0])  # periods a headship may start


@dataclass
class HeadshipOutcome:
    """The headship changes chosen and what was proved.

    ``objective`` and ``bound`` are the whole cost (constant included), so that they
    compare directly with the checker's recomputation.
    """

    moves: list[Move]
    status: str  # optimal / feasible / infeasible / unknown
    objective: int | None
    bound: float | None
    method: Msg
    terms: dict[str, float] = field(default_factory=dict)
    due: list[str] = field(default_factory=list)  # due principals (staff ids)
    stayed: list[str] = field(default_factory=list)  # due principals left in place
    wall_time: float = 0.0


def _pins(inst: Instance) -> dict[str, Fixed]:
    """Exchanges pinned in fixed.csv, by staff id (the principals' ones are headships)."""
    return {f.staff: f for f in inst.fixed if f.kind == "exchange" and f.staff}


def headship_data(
    inst: Instance,
    pairs: list[Pair],
    alliances: list[Membership],
    dist: Distances,
) -> HeadshipData:
    """[rotation.principal_term_years, rotation.headship_stage, rotation.headship_bridge,
    rotation.headship_weak_to_strong, rotation.scope, rotation.max_km, rotation.max_minutes,
    staff.max_km] Every (principal, school) the principal may head.

    Only due, available principals move (:func:`~twinning.rules.roster.due_principal`),
    to the schools :func:`~twinning.rules.roster.headship_schools` allows (shared stage,
    the same stage family, in scope, within max_km) and, from a weak school to a strong
    one, only with a backbone title (:func:`~twinning.rules.roster.may_take_over`). A
    pinned principal has the pinned school as their one option, whatever the rules say
    [rotation.fixed], as the roster treats pins.
    """
    w8 = inst.policy.weights
    schools = {s.id: s for s in inst.schools}
    last = rules.moved_last_cycle(inst)
    pins = _pins(inst)
    reach = rules.headship_schools(inst, pairs, alliances, dist)
    data = HeadshipData(
        periods=list(inst.policy.horizon.periods),
        principals=[],
        options=[],
        due=set(),
        pinned={},
        heads=dict(rules.principals_per_school(inst)),
        schools=[s.id for s in inst.schools],
    )
    index = {p: t for t, p in enumerate(data.periods)}
    pin_start = {sid: index[pin.period] for sid, pin in pins.items() if pin.period in index}
    data.starts = sorted({0, *pin_start.values()})
    for person in inst.staff:
        if person.role != "principal":
            continue
        pin = pins.get(person.id)
        due = rules.due_principal(inst, person, last)
        if pin is None and not due:
            continue
        k = len(data.principals)
        data.principals.append(person)
        if due:
            data.due.add(k)
        if pin is not None:
            data.pinned[k] = pin.to_school
            km = dist.km(person.school, pin.to_school)
            targets = [(pin.to_school, km)]
            starts = [pin_start.get(person.id, 0)]
        else:
            home = schools[person.school]
            targets = [
                (sid, km)
                for sid, km in reach.get(person.school, [])
                if rules.may_take_over(inst, person, home, schools[sid])
                and rules.within_own_km(person, km)  # [staff.max_km]
            ]
            starts = data.starts
        for school, km in targets:
            for t in starts:
                data.options.append(HeadshipOption(k, school, km, round(w8.roster_km * km), t))
    return data


class HeadshipModel:
    """The CP-SAT model: one Boolean per option, and who leaves and arrives where."""

    def __init__(self, data: HeadshipData) -> None:
        self.data = data
        self.model = cp_model.CpModel()
        self.x = {i: self.model.new_bool_var(f"h{i}") for i in range(len(data.options))}
        self.by_person: dict[int, list[int]] = defaultdict(list)
        self.leaving: dict[str, list[int]] = defaultdict(list)
        self.arriving: dict[str, list[int]] = defaultdict(list)
        for i, o in enumerate(data.options):
            self.by_person[o.person].append(i)
            self.leaving[data.principals[o.person].school].append(i)
            self.arriving[o.school].append(i)
        self.cost: list[Any] = []

    def count(self, idxs: list[int]) -> Any:
        """How many of these options are chosen."""
        return sum(self.x[i] for i in idxs)

    def chosen(self, solver: cp_model.CpSolver) -> list[int]:
        """The options a solved model chose, in order."""
        return sorted(i for i, var in self.x.items() if solver.boolean_value(var))


def add_principal_term_years(hm: HeadshipModel, inst: Instance) -> None:
    """[rotation.principal_term_years] A principal heads at most one other school, and a
    due principal left in place costs ``weights.roster_due``.

    The cost is written as roster_due x (1 - moved), so that the objective is the whole
    cost, every term >= 0, and CP-SAT's bound compares with the checker's figure.
    """
    due_weight = inst.policy.weights.roster_due
    for k in range(len(hm.data.principals)):
        idxs = hm.by_person.get(k, [])
        if len(idxs) > 1:
            hm.model.add_at_most_one(hm.x[i] for i in idxs)
        if k in hm.data.due:
            hm.cost.append(due_weight * (1 - hm.count(idxs)))


def add_one_head(hm: HeadshipModel) -> None:
    """[rotation.one_head] Every school that has a principal keeps as many as it has (one)
    in every period: as many leave as arrive. No school receives more than one; a
    vacancy (no principal in the data) may receive one.

    A headship change lasts from its start to the end of the horizon, so heads change
    only at the starts: one constraint per school and start holds for every period.
    Summed over the schools that have principals, arrivals there equal departures, so a
    vacancy only receives a principal whom a school of two can spare.
    """
    options = hm.data.options
    for school in hm.data.schools:
        all_in = hm.arriving.get(school, [])
        all_out = hm.leaving.get(school, [])
        for t in hm.data.starts:
            arriving = [i for i in all_in if options[i].start <= t]
            leaving = [i for i in all_out if options[i].start <= t]
            if hm.data.heads.get(school, 0) and (arriving or leaving):
                hm.model.add(hm.count(leaving) == hm.count(arriving))
            if len(arriving) > 1:
                hm.model.add(hm.count(arriving) <= 1)


def add_fixed(hm: HeadshipModel) -> None:
    """[rotation.fixed] A principal's move pinned in fixed.csv is made, to the pinned school."""
    for k, school in hm.data.pinned.items():
        idxs = [i for i in hm.by_person.get(k, []) if hm.data.options[i].school == school]
        hm.model.add(hm.count(idxs) == 1)


def add_balance_target(hm: HeadshipModel, inst: Instance) -> None:
    """With ``balance.target`` on: each school's squared deviation from the county mean of
    each indicator a principal counts in, per period, priced as the roster prices it
    (:func:`twinning.rules.balance.balance_targets`), so that a change of headship does not
    take a small school's backbone principal away unpriced. In the search only: the part's
    own cost stays :func:`headship_cost`, and the roster counts the balance term once."""
    from twinning.rules.balance import balance_targets, changes_of, target_cost

    targets = balance_targets(inst)
    schools = {s.id: s for s in inst.schools}
    periods = len(inst.policy.horizon.periods)
    parts: dict[tuple[str, str, str, int], list[tuple[int, int]]] = defaultdict(list)
    for i, o in enumerate(hm.data.options):
        person = hm.data.principals[o.person]
        home, host = schools.get(person.school), schools.get(o.school)
        for key, sign in changes_of(person, home, host):
            for t in range(o.start, periods):
                parts[(*key, t)].append((i, sign))
    for (school, stage, ind, t), terms in sorted(parts.items()):
        aim = targets.get((school, stage, ind))
        if aim is None or not aim.price:
            continue
        have = aim.base
        lo = max(0, have - sum(1 for _, sign in terms if sign < 0))
        hi = have + sum(1 for _, sign in terms if sign > 0)
        count = have + sum(sign * hm.x[i] for i, sign in terms)
        base = target_cost(aim, have)  # a constant, left out of the cost
        costs = [target_cost(aim, k) - base for k in range(lo, hi + 1)]
        hm.cost.append(chord_cost(hm.model, count, lo, costs, f"{school}_{stage}_{ind}_{t}"))


def add_cost(hm: HeadshipModel) -> None:
    """The objective: the due term (:func:`add_principal_term_years`) plus the km of each
    move, rounded per move as the roster prices it (and, with a balance target, the
    balance term of :func:`add_balance_target`)."""
    terms = [o.cost * hm.x[i] for i, o in enumerate(hm.data.options) if o.cost]
    hm.model.minimize(sum(hm.cost) + sum(terms))


def build_model(inst: Instance, data: HeadshipData) -> HeadshipModel:
    """The headship model, one unit per rule."""
    hm = HeadshipModel(data)
    add_principal_term_years(hm, inst)
    add_one_head(hm)
    add_fixed(hm)
    if inst.policy.balance.target != "off":
        add_balance_target(hm, inst)
    add_cost(hm)
    return hm


def solve_headship(
    inst: Instance,
    pairs: list[Pair],
    alliances: list[Membership],
    settings: SearchSettings | None = None,
    dist: Distances | None = None,
) -> HeadshipOutcome:
    """Choose which due principals head which schools, at least cost.

    Parameters
    ----------
    inst
        The county.
    pairs, alliances
        The plan's pairs and alliances: they fix the scope (``rotation.scope``).
    settings
        Search parameters shared by every model (time limit, seed, determinism, live
        progress); defaults when None.
    dist
        Distances of the county; computed when None.

    Returns
    -------
    HeadshipOutcome
        One ``headship`` move per principal who changes school, from the first period
        of the horizon to its end (a change of headship is permanent within the plan);
        the status (``infeasible`` only when pinned moves break the one-head rule), the
        cost and its bound, and the due principals left in place.
    """
    start = time.perf_counter()
    settings = settings or SearchSettings()
    dist = dist or Distances(inst)
    data = headship_data(inst, pairs, alliances, dist)
    hm = build_model(inst, data)
    solver = cp_model.CpSolver()
    configure(solver, settings)
    method = msg(
        "method.cpsat_search",
        workers=settings.workers,
        linearization=settings.linearization_level,
    )
    st = STOP.run(
        solver, hm.model, cpsat_callback("roster", settings.progress, msg("progress.headship"))
    )
    due_ids = sorted(data.principals[k].id for k in data.due)
    if st not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return HeadshipOutcome(
            moves=[],
            status="infeasible" if st == cp_model.INFEASIBLE else "unknown",
            objective=None,
            bound=None,
            method=method,
            due=due_ids,
            wall_time=time.perf_counter() - start,
        )
    chosen = hm.chosen(solver)
    moves = _moves(inst, data, chosen)
    moved = {data.options[i].person for i in chosen}
    stayed = sorted(data.principals[k].id for k in data.due - moved)
    value = headship_cost(inst, data, chosen)
    # Every cost is an integer, so the bound rounds up (CP-SAT's LP bound may come back
    # as 1.9999999999999996 for a proven 2).
    bound = float(min(math.ceil(solver.best_objective_bound - 1e-6), value))
    proven = st == cp_model.OPTIMAL and value - bound <= 1e-9 * max(1.0, abs(value))
    return HeadshipOutcome(
        moves=moves,
        status="optimal" if proven else "feasible",
        objective=value,
        bound=bound,
        method=method,
        terms={
            "due_not_moved": float(len(stayed)),
            "distance_km": round(sum(data.options[i].km for i in chosen), 3),
        },
        due=due_ids,
        stayed=stayed,
        wall_time=time.perf_counter() - start,
    )


def headship_cost(inst: Instance, data: HeadshipData, chosen: list[int]) -> int:
    """The cost of a choice of options, as the module docstring defines it."""
    moved = {data.options[i].person for i in chosen}
    due_left = len(data.due - moved)
    return inst.policy.weights.roster_due * due_left + sum(data.options[i].cost for i in chosen)


def _moves(inst: Instance, data: HeadshipData, chosen: list[int]) -> list[Move]:
    """The chosen options as roster lines of kind ``headship``."""
    schools = {s.id: s for s in inst.schools}
    out = []
    for i in chosen:
        o = data.options[i]
        person = data.principals[o.person]
        out.append(
            Move(
                staff=person.id,
                role=person.role,
                subject=person.subject,
                from_school=person.school,
                to_school=o.school,
                first_period=data.periods[o.start],
                periods=len(data.periods) - o.start,
                direction="out" if rules.advantaged(schools[person.school]) else "in",
                kind="headship",
                fixed=o.person in data.pinned,
            )
        )
    return out
