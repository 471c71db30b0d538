"""The checker's alliance rules: one ``check_<rule>`` per rule, each returning its
violations. Terms come from :mod:`solver.rules.alliances`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from solver.check.report import Violation
from solver.county.distances import Distances
from solver.county.instance import Instance, School
from solver.plan import Membership, PartObjective, Plan
from solver.rules import alliances as rules


@dataclass
class AllianceFacts:
    """The plan's memberships and the groupings every check needs, computed once."""

    inst: Instance
    plan: Plan
    dist: Distances
    schools: dict[str, School]
    rows: list[Membership]  # those naming known schools
    unknown: list[Membership]
    placed: dict[str, list[str]]  # school -> alliances it is in
    leads: dict[str, set[str]]  # alliance -> leads it names
    members: dict[str, list[str]]  # alliance -> members
    lead_of_alliance: dict[str, str]
    lead_of: dict[str, str]  # member -> lead (first alliance it is in)
    pinned: dict[str, str]


def alliance_facts(inst: Instance, plan: Plan, dist: Distances) -> AllianceFacts:
    schools = {s.id: s for s in inst.schools}
    rows: list[Membership] = []
    unknown: list[Membership] = []
    for m in plan.alliances:
        (rows if m.member in schools and m.lead in schools else unknown).append(m)
    placed: dict[str, list[str]] = defaultdict(list)
    leads: dict[str, set[str]] = defaultdict(set)
    members: dict[str, list[str]] = defaultdict(list)
    for m in rows:
        placed[m.member].append(m.alliance)
        leads[m.alliance].add(m.lead)
        members[m.alliance].append(m.member)
    lead_of_alliance = {a: sorted(ls)[0] for a, ls in leads.items()}
    lead_of: dict[str, str] = {}
    for m in rows:
        lead_of.setdefault(m.member, lead_of_alliance[m.alliance])
    return AllianceFacts(
        inst,
        plan,
        dist,
        schools,
        rows,
        unknown,
        dict(placed),
        dict(leads),
        dict(members),
        lead_of_alliance,
        lead_of,
        rules.pinned_members(inst),
    )


def check_unknown_school(f: AllianceFacts) -> list[Violation]:
    """[plan.unknown_school] Every membership names schools of the instance."""
    return [
        Violation(
            rule="plan.unknown_school",
            where=[m.lead, m.member],
            message="the plan names a school the instance does not have",
        )
        for m in f.unknown
    ]


def check_cover(f: AllianceFacts) -> list[Violation]:
    """[alliances.cover] Every school is in exactly one alliance."""
    out = []
    for sid in sorted(f.schools):
        where = f.placed.get(sid, [])
        if not where:
            out.append(
                Violation(rule="alliances.cover", where=[sid], message=f"{sid} is in no alliance")
            )
        elif len(where) > 1:
            out.append(
                Violation(
                    rule="alliances.cover",
                    where=[sid, *where],
                    amount=len(where) - 1,
                    message=f"{sid} is in {len(where)} alliances",
                )
            )
    return out


def check_one_lead(f: AllianceFacts) -> list[Violation]:
    """[alliances.one_lead] An alliance names one lead."""
    return [
        Violation(
            rule="alliances.one_lead",
            where=[alliance, *sorted(ls)],
            message=f"alliance {alliance} names {len(ls)} leads",
        )
        for alliance, ls in sorted(f.leads.items())
        if len(ls) > 1
    ]


def check_lead_in_own(f: AllianceFacts) -> list[Violation]:
    """[alliances.lead_in_own] A lead is a member of its own alliance."""
    return [
        Violation(
            rule="alliances.lead_in_own",
            where=[alliance, lead],
            message=f"lead {lead} is not a member of its own alliance",
        )
        for alliance, lead in sorted(f.lead_of_alliance.items())
        if lead not in f.members[alliance]
    ]


def check_can_lead(f: AllianceFacts) -> list[Violation]:
    """[alliances.can_lead] A lead may lead (can_lead, default strong), unless fixed."""
    fixed = rules.fixed_leads(f.inst)
    return [
        Violation(
            rule="alliances.can_lead",
            where=[lead],
            message=f"{lead} may not lead an alliance (tier {f.schools[lead].tier})",
        )
        for _, lead in sorted(f.lead_of_alliance.items())
        if not rules.can_lead(f.schools[lead]) and lead not in fixed
    ]


def check_min_size(f: AllianceFacts) -> list[Violation]:
    """[alliances.min_size] An alliance has at least this many schools (lead included)."""
    low = f.inst.policy.alliances.min_size
    return [
        Violation(
            rule="alliances.min_size",
            where=[a, f.lead_of_alliance[a]],
            amount=low - len(ms),
            message=f"alliance {a} has {len(ms)} schools, at least {low}",
        )
        for a, ms in sorted(f.members.items())
        if len(ms) < low
    ]


def check_max_size(f: AllianceFacts) -> list[Violation]:
    """[alliances.max_size] An alliance has at most this many schools (lead included)."""
    high = f.inst.policy.alliances.max_size
    if high is None:
        return []
    return [
        Violation(
            rule="alliances.max_size",
            where=[a, f.lead_of_alliance[a]],
            amount=len(ms) - high,
            message=f"alliance {a} has {len(ms)} schools, at most {high}",
        )
        for a, ms in sorted(f.members.items())
        if len(ms) > high
    ]


def check_groups(f: AllianceFacts) -> list[Violation]:
    """[alliances.groups] As many alliances as the policy asks."""
    al = f.inst.policy.alliances
    groups = al.groups if al.groups is not None else len(al.leads or [])
    if len(f.leads) == groups:
        return []
    return [
        Violation(
            rule="alliances.groups",
            where=sorted(f.leads),
            amount=abs(len(f.leads) - groups),
            message=f"{len(f.leads)} alliances, the policy asks for {groups}",
        )
    ]


def check_leads(f: AllianceFacts) -> list[Violation]:
    """[alliances.leads] Every fixed lead leads an alliance."""
    chosen = set(f.lead_of_alliance.values())
    return [
        Violation(
            rule="alliances.leads",
            where=[lead],
            message=f"{lead} is a fixed lead but leads no alliance",
        )
        for lead in sorted(set(f.inst.policy.alliances.leads or []) - chosen)
    ]


def check_fixed(f: AllianceFacts) -> list[Violation]:
    """[alliances.fixed] Every pinned membership is kept."""
    out = []
    for m in f.rows:
        lead = f.lead_of_alliance[m.alliance]
        if f.pinned.get(m.member, lead) != lead:
            out.append(
                Violation(
                    rule="alliances.fixed",
                    where=[m.member, f.pinned[m.member]],
                    message=f"{m.member} is pinned to {f.pinned[m.member]}'s alliance",
                )
            )
    for member, lead in sorted(f.pinned.items()):
        if member not in f.lead_of:
            out.append(
                Violation(
                    rule="alliances.fixed",
                    where=[member, lead],
                    message="a pinned membership is missing",
                )
            )
    return out


def _members_with_leads(f: AllianceFacts) -> list[tuple[Membership, School, School]]:
    """(membership, member, lead) for members that are not their lead and not pinned."""
    out = []
    for m in f.rows:
        lead = f.lead_of_alliance[m.alliance]
        if m.member != lead and m.member not in f.pinned:
            out.append((m, f.schools[m.member], f.schools[lead]))
    return out


def check_same_stage(f: AllianceFacts) -> list[Violation]:
    """[alliances.same_stage] A member shares a stage with its lead (pins exempt)."""
    if not f.inst.policy.alliances.same_stage:
        return []
    return [
        Violation(
            rule="alliances.same_stage",
            where=[a.id, b.id],
            message=f"{a.id} shares no stage with its lead {b.id}",
        )
        for _, a, b in _members_with_leads(f)
        if not a.stages & b.stages
    ]


def check_within_region(f: AllianceFacts) -> list[Violation]:
    """[alliances.within_region] A member lies in its lead's region (pins exempt)."""
    if not f.inst.policy.alliances.within_region:
        return []
    return [
        Violation(
            rule="alliances.within_region",
            where=[a.id, b.id],
            message=f"{a.id} is in region {a.region}, its lead {b.id} in {b.region}",
        )
        for _, a, b in _members_with_leads(f)
        if (a.region or "") != (b.region or "")
    ]


def check_alliance_figures(f: AllianceFacts) -> list[Violation]:
    """[plan.alliance_figures] The distance stated per member is right."""
    out = []
    for m, a, b in _members_with_leads(f):
        km = f.dist.km(a.id, b.id)
        if abs(km - m.distance_km) > 0.01:
            out.append(
                Violation(
                    rule="plan.alliance_figures",
                    where=[a.id, b.id],
                    amount=round(abs(km - m.distance_km), 3),
                    message=f"stated {m.distance_km} km, the instance gives {km:.3f} km",
                )
            )
    return out


#: Every alliance rule's check, in the order violations are listed.
ALLIANCE_CHECKS = (
    check_unknown_school,
    check_cover,
    check_one_lead,
    check_lead_in_own,
    check_can_lead,
    check_min_size,
    check_max_size,
    check_groups,
    check_leads,
    check_fixed,
    check_same_stage,
    check_within_region,
    check_alliance_figures,
)


def alliances_objective(f: AllianceFacts) -> PartObjective:
    """The alliances objective, recomputed from its definition (models/alliances/data.py)."""
    inst, w8 = f.inst, f.inst.policy.weights
    km_cost = sum(round(w8.alliance_km * f.dist.km(m, lead)) for m, lead in f.lead_of.items())
    km_total = sum(f.dist.km(m, lead) for m, lead in f.lead_of.items())
    previous = rules.last_leads(inst)
    changes = sum(
        1 for sid, lead in previous.items() if sid in f.schools and f.lead_of.get(sid) != lead
    )
    a, b = rules.strength_deviations(inst)
    pos = {s.id: i for i, s in enumerate(inst.schools)}
    strong_imb = bb_imb = 0
    for alliance in f.leads:
        idx = [pos[m] for m in f.members[alliance]]
        strong_imb += abs(int(a[idx].sum()))
        bb_imb += abs(int(b[idx].sum()))
    value = (
        km_cost
        + w8.alliance_history * changes
        + w8.alliance_balance_strong * strong_imb
        + w8.alliance_balance_backbone * bb_imb
    )
    terms = {
        "distance_km": round(km_total, 3),
        "history_changes": float(changes),
        "strong_imbalance": strong_imb / 100,
        "backbone_imbalance": bb_imb / 100,
    }
    return PartObjective(value=value, terms=terms)
