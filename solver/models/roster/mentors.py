"""青蓝结对: each backbone teacher of a helper school mentors one young teacher of a school
it helps, same subject, 1:1. A bipartite matching, solved exactly as a maximum flow."""

from __future__ import annotations

from solver.county.instance import Instance, Staff
from solver.county.vocabulary import COUNTY_OR_ABOVE
from solver.plan import Pair
from solver.rules.roster import is_young


def mentor_candidates(inst: Instance, pairs: list[Pair]) -> list[tuple[Staff, Staff]]:
    """Every allowed (mentor, mentee) pair: same subject, helper school -> its helped school."""
    helped_by: dict[str, set[str]] = {}
    for p in pairs:
        helped_by.setdefault(p.helper, set()).add(p.helped)
    mentees: dict[tuple[str, str], list[Staff]] = {}
    for t in inst.staff:
        if t.status == "active" and t.subject and is_young(inst, t):
            mentees.setdefault((t.school, t.subject), []).append(t)
    out = []
    for m in inst.staff:
        if m.status != "active" or m.backbone not in COUNTY_OR_ABOVE or not m.subject:
            continue
        for school in sorted(helped_by.get(m.school, ())):
            for y in mentees.get((school, m.subject), []):
                if y.id != m.id:
                    out.append((m, y))
    return out


def match_mentors(inst: Instance, pairs: list[Pair]) -> list[tuple[Staff, Staff]]:
    """[mentors.one_to_one, mentors.backbone, mentors.same_subject, mentors.pair,
    mentors.young, mentors.maximal] A maximum 1:1 matching of active county-level backbone
    mentors to young teachers of the same subject at a school their school helps (youngest
    in service first)."""
    from ortools.graph.python import min_cost_flow

    arcs = mentor_candidates(inst, pairs)
    if not arcs:
        return []
    mentors = sorted({m.id for m, _ in arcs})
    mentees = sorted({y.id for _, y in arcs})
    mi = {m: 1 + i for i, m in enumerate(mentors)}
    yi = {y: 1 + len(mentors) + i for i, y in enumerate(mentees)}
    sink = 1 + len(mentors) + len(mentees)
    flow = min_cost_flow.SimpleMinCostFlow()
    for m_id in mentors:
        flow.add_arc_with_capacity_and_unit_cost(0, mi[m_id], 1, 0)
    first_pair_arc = len(mentors)
    for mentor, mentee in arcs:
        flow.add_arc_with_capacity_and_unit_cost(
            mi[mentor.id], yi[mentee.id], 1, mentee.years_at_school
        )
    for y_id in mentees:
        flow.add_arc_with_capacity_and_unit_cost(yi[y_id], sink, 1, 0)
    supply = min(len(mentors), len(mentees))
    flow.set_node_supply(0, supply)
    flow.set_node_supply(sink, -supply)
    if flow.solve_max_flow_with_min_cost() != flow.OPTIMAL:
        raise RuntimeError("mentor matching failed")
    return [arcs[a] for a in range(len(arcs)) if flow.flow(first_pair_arc + a) > 0]
