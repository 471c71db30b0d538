"""青蓝结对: each backbone teacher of a stronger school mentors one young teacher of a school
it helps, same subject, 1:1. A bipartite matching, solved exactly as a maximum flow of
minimum cost.

Which pairs are allowed is decided once in :func:`mentor_candidates` from the terms of
:mod:`twinning.rules.roster` (young, not older, mentor schools, away, recent pairs), which
the checker uses too; the flow then only picks a maximum 1:1 set among them. A maximum
matching is maximal, so no free mentor and free mentee that the rules allow are left apart.
"""

from __future__ import annotations

from twinning.county.instance import Instance, Staff
from twinning.plan import Membership, Pair
from twinning.rules import roster as rules
from twinning.rules.departments import mentee_may_pair


def mentor_candidates(
    inst: Instance,
    pairs: list[Pair],
    alliances: list[Membership],
    away: set[str],
    elsewhere: dict[str, set[str]] | None = None,
) -> list[tuple[Staff, Staff]]:
    """[mentors.backbone, mentors.young, mentors.younger, mentors.same_subject, mentors.pair,
    mentors.at_home, rotation.mentor_cycle_years, rotation.mentee_at_home] Every allowed
    (mentor, mentee) pair.

    The mentor is an active county-level-or-above backbone teacher who is not away on
    another move; the mentee is active and young, of the same subject, at a school that
    takes mentors from the mentor's school, not older than the mentor, not away on a move
    of their own except at the mentor's school (``elsewhere``:
    :func:`~twinning.rules.departments.mentee_may_pair`), and the two were not paired
    within the last mentor cycle. Filtering here keeps the flow network pure (a
    bipartite graph), so that it is solved exactly.

    Parameters
    ----------
    inst : Instance
        The county.
    pairs, alliances : list
        The plan's pairs and alliance memberships (where mentors may come from).
    away : set of str
        Staff ids with an exchange, secondment or headship in the roster.
    elsewhere : dict, optional
        Staff id -> the schools the roster's moves take them to
        (:func:`~twinning.rules.departments.mentee_elsewhere`); none: nobody is away.

    Returns
    -------
    list of (Staff, Staff)
        (mentor, mentee), in the order of the staff table.
    """
    sources = rules.mentor_schools(inst, pairs, alliances)
    helps: dict[str, set[str]] = {}
    for mentee_school, mentor_school_ids in sources.items():
        for school in mentor_school_ids:
            helps.setdefault(school, set()).add(mentee_school)
    recent = rules.recent_mentor_pairs(inst)
    mentees: dict[tuple[str, str], list[Staff]] = {}
    for t in inst.staff:
        if rules.can_be_mentored(inst, t):
            mentees.setdefault((t.school, t.subject or ""), []).append(t)
    hosts = elsewhere or {}
    out = []
    for m in inst.staff:
        if not rules.can_mentor(m) or m.id in away:
            continue
        for school in sorted(helps.get(m.school, ())):
            for y in mentees.get((school, m.subject or ""), []):
                if (
                    y.id != m.id
                    and (m.id, y.id) not in recent
                    and rules.not_older(y, m)
                    and mentee_may_pair(inst, hosts.get(y.id), m.school)
                ):
                    out.append((m, y))
    return out


def service_cost(mentee: Staff) -> int:
    """The arc cost of a mentee: years of teaching, else age (lower is preferred).

    Among maximum matchings the flow prefers those newest to teaching, who need a mentor
    most. Age stands in when 教龄 is unknown; counties fill the column for all staff or for
    none, so the two scales are rarely compared.
    """
    if mentee.teaching_years is not None:
        return mentee.teaching_years
    return mentee.age or 0


#: Re-planning: the arc cost a mentor pair of the baseline saves (above any service cost),
#: so that among maximum matchings the one keeping most baseline pairs is taken.
KEEP_PAIR = 1_000


def match_mentors(
    inst: Instance,
    pairs: list[Pair],
    alliances: list[Membership],
    away: set[str],
    keep: frozenset[tuple[str, str]] = frozenset(),
    elsewhere: dict[str, set[str]] | None = None,
) -> list[tuple[Staff, Staff]]:
    """[mentors.one_to_one, mentors.maximal] A maximum 1:1 matching of mentors to mentees
    among :func:`mentor_candidates`, youngest in service first.

    Solved exactly as a maximum flow of minimum cost (OR-Tools ``min_cost_flow``): source
    -> mentor (capacity 1) -> mentee (capacity 1, cost :func:`service_cost`) -> sink. A
    maximum matching leaves no free mentor and free mentee who could still be paired.

    Parameters
    ----------
    inst : Instance
        The county.
    pairs, alliances : list
        The plan's pairs and alliance memberships.
    away : set of str
        Staff ids away on another roster move; they do not mentor.
    keep : set of (str, str)
        Re-planning: (mentor, mentee) pairs of the baseline, kept where the matching stays
        maximum (each costs :data:`KEEP_PAIR` less).
    elsewhere : dict, optional
        Staff id -> the schools the roster's moves take them to: a mentee away is paired
        only with a mentor of that school [rotation.mentee_at_home].

    Returns
    -------
    list of (Staff, Staff)
        (mentor, mentee) pairs.
    """
    from ortools.graph.python import min_cost_flow  # the checker runs without OR-Tools

    arcs = mentor_candidates(inst, pairs, alliances, away, elsewhere)
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
        kept = (mentor.id, mentee.id) in keep
        cost = service_cost(mentee) + (0 if kept or not keep else KEEP_PAIR)
        flow.add_arc_with_capacity_and_unit_cost(mi[mentor.id], yi[mentee.id], 1, cost)
    for y_id in mentees:
        flow.add_arc_with_capacity_and_unit_cost(yi[y_id], sink, 1, 0)
    supply = min(len(mentors), len(mentees))
    flow.set_node_supply(0, supply)
    flow.set_node_supply(sink, -supply)
    if flow.solve_max_flow_with_min_cost() != flow.OPTIMAL:
        raise RuntimeError("mentor matching failed")
    return [arcs[a] for a in range(len(arcs)) if flow.flow(first_pair_arc + a) > 0]
