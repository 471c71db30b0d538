"""The checker's alliance rules: one ``check_<rule>`` per rule, each returning its
violations. Terms come from :mod:`twinning.rules.alliances`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from twinning.check.report import Violation
from twinning.check.shared import schools_by_id
from twinning.county.distances import Distances
from twinning.county.instance import Instance, School
from twinning.messages import Msg, msg
from twinning.plan import Membership, PartObjective, Plan
from twinning.rules import alliances as rules


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
    stage_of: dict[str, str | None]  # alliance -> its stage (by_stage), first row's
    design: rules.AllianceDesign | None


def alliance_facts(inst: Instance, plan: Plan, dist: Distances) -> AllianceFacts:
    schools = schools_by_id(inst)
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
    stage_of: dict[str, str | None] = {}
    for m in rows:
        stage_of.setdefault(m.alliance, m.stage)
    try:
        design: rules.AllianceDesign | None = rules.alliance_design(inst)
    except rules.AllianceSetupError:
        design = None
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
        stage_of,
        design,
    )


def check_cover(f: AllianceFacts) -> list[Violation]:
    """[alliances.cover] Every school is in exactly one alliance."""
    out = []
    for sid in sorted(f.schools):
        where = f.placed.get(sid, [])
        if not where:
            out.append(
                Violation(
                    rule="alliances.cover",
                    where=[sid],
                    code="check.alliances.cover.none",
                    params={"school": sid},
                )
            )
        elif len(where) > 1:
            out.append(
                Violation(
                    rule="alliances.cover",
                    where=[sid, *where],
                    amount=len(where) - 1,
                    code="check.alliances.cover.many",
                    params={"school": sid, "n": len(where)},
                )
            )
    return out


def check_one_lead(f: AllianceFacts) -> list[Violation]:
    """[alliances.one_lead] An alliance names one lead."""
    return [
        Violation(
            rule="alliances.one_lead",
            where=[alliance, *sorted(ls)],
            code="check.alliances.one_lead",
            params={"alliance": alliance, "n": len(ls)},
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
            code="check.alliances.lead_in_own",
            params={"lead": lead},
        )
        for alliance, lead in sorted(f.lead_of_alliance.items())
        if lead not in f.members[alliance]
    ]


def check_can_lead(f: AllianceFacts) -> list[Violation]:
    """[alliances.can_lead, alliances.lead_tiers] A lead may lead (can_lead, else its tier
    in lead_tiers), unless fixed."""
    fixed = rules.fixed_leads(f.inst)
    tiers = f.inst.policy.alliances.lead_tiers
    out = []
    for _, lead in sorted(f.lead_of_alliance.items()):
        school = f.schools[lead]
        if lead in fixed or school.can_lead:
            continue
        if school.can_lead is False:
            out.append(
                Violation(
                    rule="alliances.can_lead",
                    where=[lead],
                    code="check.alliances.can_lead.flag",
                    params={"lead": lead},
                )
            )
        elif school.tier not in tiers:
            out.append(
                Violation(
                    rule="alliances.can_lead",
                    where=[lead],
                    code="check.alliances.can_lead.tier",
                    params={"lead": lead, "tier": school.tier, "tiers": list(tiers)},
                )
            )
    return out


def _group(f: AllianceFacts, alliance: str) -> rules.CountGroup | None:
    if f.design is None:
        return None
    lead = f.schools[f.lead_of_alliance[alliance]]
    return f.design.group_of(f.inst, lead, f.stage_of.get(alliance))


def check_min_size(f: AllianceFacts) -> list[Violation]:
    """[alliances.min_size, alliances.size_band] An alliance has at least its smallest
    size (lead included): min_size, or floor(band low x mean size) of its count group."""
    out = []
    pools: dict[tuple[object, ...], int] = {}  # a pool's size depends only on its key
    for a, ms in sorted(f.members.items()):
        g = _group(f, a)
        low = f.inst.policy.alliances.min_size or 1
        if g is not None:
            lead = f.schools[f.lead_of_alliance[a]]
            stage = f.stage_of.get(a)
            key = rules.pool_key(f.inst, lead, stage)
            if key not in pools:
                pools[key] = rules.pool_size(f.inst, lead, stage)
            low = rules.smallest_size(f.inst, g, pools[key])
        if len(ms) < low:
            out.append(
                Violation(
                    rule="alliances.min_size",
                    where=[a, f.lead_of_alliance[a]],
                    amount=low - len(ms),
                    code="check.alliances.min_size",
                    params={"alliance": a, "n": len(ms), "low": low},
                )
            )
    return out


def check_max_size(f: AllianceFacts) -> list[Violation]:
    """[alliances.max_size, alliances.size_band] An alliance has at most its largest size
    (lead included): max_size, or ceil(band high x mean size) of its count group."""
    out = []
    for a, ms in sorted(f.members.items()):
        g = _group(f, a)
        high = g.max_size if g is not None else f.inst.policy.alliances.max_size
        if high is not None and len(ms) > high:
            out.append(
                Violation(
                    rule="alliances.max_size",
                    where=[a, f.lead_of_alliance[a]],
                    amount=len(ms) - high,
                    code="check.alliances.max_size",
                    params={"alliance": a, "n": len(ms), "high": high},
                )
            )
    return out


def check_groups(f: AllianceFacts) -> list[Violation]:
    """[alliances.groups, alliances.groups_per_region] As many alliances as the policy
    asks, in every count group (per stage, per region)."""
    if f.design is None:
        return [
            Violation(
                rule="alliances.groups",
                where=sorted(f.leads),
                code="check.alliances.groups.unset",
            )
        ]
    have: dict[tuple[str | None, str | None], list[str]] = defaultdict(list)
    for a, lead in f.lead_of_alliance.items():
        key = rules.group_key(f.inst, f.schools[lead], f.stage_of.get(a))
        have[key].append(a)
    out = []
    for key in sorted(set(have) | set(f.design.groups), key=str):
        g = f.design.groups.get(key)
        want = g.alliances if g is not None else 0
        got = len(have.get(key, []))
        if got != want:
            region, stage = (g.region, g.stage) if g is not None else key
            out.append(
                Violation(
                    rule="alliances.groups",
                    where=sorted(have.get(key, []))
                    or [x for x in (region, stage) if x]
                    or ["county"],
                    amount=abs(got - want),
                    code="check.alliances.groups",
                    params={"group": _group_msg(region, stage), "got": got, "want": want},
                )
            )
    return out


def _group_msg(region: str | None, stage: str | None) -> Msg:
    """A count group's name: the county, a region, a stage, or a region's stage."""
    if region is not None and stage:
        return msg("check.group.region_stage", region=region or "-", stage=stage)
    if region is not None:
        return msg("check.group.region", region=region or "-")
    if stage:
        return msg("check.group.stage", stage=stage)
    return msg("check.group.county")


def check_leads(f: AllianceFacts) -> list[Violation]:
    """[alliances.leads] Every fixed lead leads an alliance."""
    chosen = set(f.lead_of_alliance.values())
    return [
        Violation(
            rule="alliances.leads",
            where=[lead],
            code="check.alliances.leads",
            params={"lead": lead},
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
                    code="check.alliances.fixed.moved",
                    params={"school": m.member, "lead": f.pinned[m.member]},
                )
            )
    for member, lead in sorted(f.pinned.items()):
        if member not in f.lead_of:
            out.append(
                Violation(
                    rule="alliances.fixed",
                    where=[member, lead],
                    code="check.alliances.fixed.missing",
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
    """[alliances.same_stage, alliances.by_stage] A member shares an alliance stage with its
    lead (a kindergarten leads only kindergartens); with by_stage the alliance names a
    stage its lead and every member cover (pins exempt)."""
    al = f.inst.policy.alliances
    out = []
    if al.by_stage:
        for alliance, lead_id in sorted(f.lead_of_alliance.items()):
            stage = f.stage_of.get(alliance)
            if stage is None or stage not in rules.alliance_stages(f.schools[lead_id]):
                out.append(
                    Violation(
                        rule="alliances.same_stage",
                        where=[alliance, lead_id],
                        code="check.alliances.same_stage.alliance"
                        if stage is not None
                        else "check.alliances.same_stage.no_stage",
                        params={"alliance": alliance, "stage": stage, "lead": lead_id},
                    )
                )
    elif not al.same_stage:
        return []
    for m, a, b in _members_with_leads(f):
        stage = f.stage_of.get(m.alliance)
        if al.by_stage and (stage is None or stage in rules.alliance_stages(a)):
            continue
        if not al.by_stage and rules.alliance_stages(a) & rules.alliance_stages(b):
            continue
        out.append(
            Violation(
                rule="alliances.same_stage",
                where=[a.id, b.id],
                code="check.alliances.same_stage.member_stage"
                if al.by_stage
                else "check.alliances.same_stage.member",
                params={"school": a.id, "stage": stage, "lead": b.id},
            )
        )
    return out


def check_within_region(f: AllianceFacts) -> list[Violation]:
    """[alliances.within_region, alliances.groups_per_region] A member lies in its lead's
    region (pins exempt)."""
    if not rules.regional(f.inst):
        return []
    return [
        Violation(
            rule="alliances.within_region",
            where=[a.id, b.id],
            code="check.alliances.within_region",
            params={
                "school": a.id,
                "region": a.region or "-",
                "lead": b.id,
                "lead_region": b.region or "-",
            },
        )
        for _, a, b in _members_with_leads(f)
        if (a.region or "") != (b.region or "")
    ]


def check_mix_area(f: AllianceFacts) -> list[Violation]:
    """[alliances.mix_area] Where an alliance's pool holds urban/town and rural schools,
    its lead is urban or town (unless fixed) and it has a rural member."""
    if not f.inst.policy.alliances.mix_area:
        return []
    fixed = rules.fixed_leads(f.inst)
    out = []
    mixed: dict[tuple[object, ...], bool] = {}  # whether a pool is mixed depends on its key
    for a, lead_id in sorted(f.lead_of_alliance.items()):
        lead = f.schools[lead_id]
        stage = f.stage_of.get(a)
        key = rules.pool_key(f.inst, lead, stage)
        if key not in mixed:
            mixed[key] = rules.mixed_pool(f.inst, lead, stage)
        if not mixed[key]:
            continue
        if lead.area == "rural" and lead_id not in fixed:
            out.append(
                Violation(
                    rule="alliances.mix_area",
                    where=[a, lead_id],
                    code="check.alliances.mix_area.rural_lead",
                    params={"alliance": a, "lead": lead_id},
                )
            )
        elif not any(f.schools[m].area == "rural" for m in f.members[a]):
            out.append(
                Violation(
                    rule="alliances.mix_area",
                    where=[a, lead_id],
                    amount=1,
                    code="check.alliances.mix_area.no_rural",
                    params={"alliance": a},
                )
            )
    return out


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
                    code="check.plan.alliance_figures",
                    params={"stated": m.distance_km, "km": float(km)},
                )
            )
    return out


#: Every alliance rule's check, in the order violations are listed.
ALLIANCE_CHECKS = (
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
    check_mix_area,
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
    tiers = inst.policy.alliances.lead_tiers
    later = sum(
        rules.lead_rank(f.schools[lead], tiers) or 0 for lead in f.lead_of_alliance.values()
    )
    value = (
        km_cost
        + w8.alliance_lead_tier * later
        + w8.alliance_history * changes
        + w8.alliance_balance_strong * strong_imb
        + w8.alliance_balance_backbone * bb_imb
    )
    terms = {
        "later_tier_leads": float(later),
        "distance_km": round(km_total, 3),
        "history_changes": float(changes),
        "strong_imbalance": strong_imb / 100,
        "backbone_imbalance": bb_imb / 100,
    }
    return PartObjective(value=value, terms=terms)
