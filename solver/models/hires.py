"""Placing this year's new teachers (新教师优先补充农村薄弱校): an exact min-cost flow.

A transportation problem: the supply is the hires of each subject and stage, the demand
the shortage each school still has after the roster (:func:`twinning.rules.hires.
remaining_after`), and an arc joins them where the hire's stage fits the school. The
maximum flow places as many hires as possible; among maximum flows the cost puts rural
and weak schools first, then shortages of higher priority, then the school whose
remaining shortage is largest at the moment. The three criteria are weighted so that
each strictly dominates the next over the whole flow, not only per unit.

Why a flow and not CP-SAT: the model is a pure network, so a min-cost flow solves it
exactly and integrally in milliseconds, and rural-weak-first costs nothing in the number
placed (a flow that fills rural and weak schools most can always be augmented to a
maximum flow without taking a hire away from any school).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ortools.graph.python import min_cost_flow

from twinning.county.instance import Instance, School
from twinning.messages import Msg, msg
from twinning.plan import Hire
from twinning.rules import hires as rules

__all__ = ["place_hires"]


@dataclass(frozen=True)
class _Demand:
    """One (school, subject) still short after the roster."""

    school: School
    subject: str
    lacking: int
    priority: int


def _supply(inst: Instance) -> list[tuple[str, str, int]]:
    """[hires.count] The hires of each (subject, stage): the capacity of the source arc
    into its node, so that no more are placed than were hired."""
    return [
        (subject, stage, count)
        for subject, by_stage in sorted(rules.hires_by_subject(inst).items())
        for stage, count in sorted(by_stage.items())
    ]


def _demands(inst: Instance, remaining: Mapping[tuple[str, str], tuple[int, int]]) -> list[_Demand]:
    """[hires.shortage] The (school, subject) nodes a hire may reach: only where a shortage
    of the subject remains, each taking at most that shortage (its unit arcs to the sink)."""
    schools = {s.id: s for s in inst.schools}
    return [
        _Demand(schools[school], subject, lacking, priority)
        for (school, subject), (lacking, priority) in sorted(remaining.items())
        if lacking > 0 and school in schools
    ]


def _unit_costs(inst: Instance, demands: list[_Demand], placeable: int) -> list[list[int]]:
    """[hires.rural_weak_first] The cost of the k-th hire into each demand: rural and weak
    schools first, then higher-priority shortages, then the larger shortage still open.

    Costs are lexicographic over the whole flow: with at most ``placeable`` units, a
    weight above ``placeable`` times the range of the terms below it makes one unit of a
    higher criterion outweigh any mix of the lower ones. The last term falls as the
    school's open shortage grows (convex per school), so each hire goes where the
    shortage is largest when it is placed, which levels shortages across schools.
    """
    weights = inst.policy.needs.priority_weights
    top = max(weights.values(), default=1)
    low = min(weights.values(), default=1)
    widest = max((d.lacking for d in demands), default=1)
    per_priority = placeable * widest + 1
    per_school = placeable * (per_priority * (top - low + 1) + widest) + 1
    first = inst.policy.hires.rural_weak_first
    out = []
    for d in demands:
        school_cost = 0 if not first or rules.rural_weak(d.school) else per_school
        school_cost += per_priority * (top - weights.get(d.priority, low))
        # the k-th hire (k = 0, 1, ...) meets an open shortage of lacking - k
        out.append([school_cost + widest - (d.lacking - k) for k in range(d.lacking)])
    return out


def _reason(d: _Demand) -> Msg:
    """Why here, as a message: what kind of school, and what it still lacks."""
    if d.school.area == "rural" and d.school.tier == "weak":
        kind = msg("hires.kind.rural_weak")
    elif d.school.area == "rural":
        kind = msg("hires.kind.rural")
    elif d.school.tier == "weak":
        kind = msg("hires.kind.weak")
    else:
        kind = msg("hires.kind.urban_town")
    return msg("hires.reason", kind=kind, n=d.lacking, subject=d.subject, priority=d.priority)


def place_hires(inst: Instance, remaining: Mapping[tuple[str, str], tuple[int, int]]) -> list[Hire]:
    """[hires.maximal] Place this year's hires: a maximum flow of minimum cost.

    Parameters
    ----------
    inst
        The county, with its ``new_hires`` and the ``hires.rural_weak_first`` policy.
    remaining
        (school, subject) -> (teachers still lacking, priority) after the roster, as
        :func:`twinning.rules.hires.remaining_after` gives it.

    Returns
    -------
    list of Hire
        One line per (school, subject) that receives hires, with the shortage it fills in
        words. As many hires are placed as the shortages and stages allow; whoever cannot
        be placed is simply not listed (the checker's ``hires.maximal`` proves none could).
    """
    supply = _supply(inst)
    demands = _demands(inst, remaining)
    if not supply or not demands:
        return []
    source, sink = 0, 1
    supply_node = {(subject, stage): 2 + i for i, (subject, stage, _) in enumerate(supply)}
    demand_node = [2 + len(supply) + j for j in range(len(demands))]
    flow = min_cost_flow.SimpleMinCostFlow()
    total = 0
    for subject, stage, count in supply:
        flow.add_arc_with_capacity_and_unit_cost(source, supply_node[(subject, stage)], count, 0)
        total += count
    for j, d in enumerate(demands):
        for subject, stage, _ in supply:
            if subject == d.subject and rules.fits(stage, d.school):
                node = supply_node[(subject, stage)]
                flow.add_arc_with_capacity_and_unit_cost(node, demand_node[j], d.lacking, 0)
    placeable = min(total, sum(d.lacking for d in demands))
    unit_arcs: list[tuple[int, int]] = []  # (arc, demand)
    for j, costs in enumerate(_unit_costs(inst, demands, placeable)):
        for cost in costs:
            arc = flow.add_arc_with_capacity_and_unit_cost(demand_node[j], sink, 1, cost)
            unit_arcs.append((arc, j))
    flow.set_node_supply(source, total)
    flow.set_node_supply(sink, -total)
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"hire placement flow failed with status {status}")
    placed = [0] * len(demands)
    for arc, j in unit_arcs:
        placed[j] += flow.flow(arc)
    return [
        Hire(school=d.school.id, subject=d.subject, count=n, reason=_reason(d))
        for d, n in zip(demands, placed, strict=True)
        if n
    ]
