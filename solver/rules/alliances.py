"""What the alliance rules mean (联盟 / 教育集团): pure definitions shared by model and checker.

Terms
-----
alliance stages
    The stages a school brings to an alliance: the stages it covers, without an
    attached kindergarten (a primary school with a kindergarten class is a primary
    school here); a kindergarten brings only ``kindergarten``.
slot
    A possible alliance: a lead school and, with ``alliances.by_stage``, one of the
    stages it covers (a nine-year school may lead a primary or a junior alliance).
possible lead
    A school whose ``can_lead`` is true, or, where it is not given, whose tier is in
    ``alliances.lead_tiers`` (default: strong); or a lead fixed by ``alliances.leads``
    or by a pinned membership. With ``alliances.mix_area``, where the slot's pool holds
    urban/town and rural schools, a rural school does not lead.
pool of a slot
    The schools that could join it: sharing its stage (``alliances.same_stage``: an
    alliance stage in common with the lead; with ``by_stage``: covering the slot's
    stage) and, when ``alliances.within_region`` or ``groups_per_region``, in the
    lead's region.
count group
    The slots whose open number the policy fixes together: all of them
    (``alliances.groups`` as a number), one per stage (``groups`` per stage) or one
    per region and stage (``groups_per_region``). Sizes not given are bounded around
    the group's mean size by ``alliances.size_band``.
compatible member
    A school in the slot's pool. Pinned memberships are kept whatever these say.
balance deviations (捆绑考核)
    a_i = round(100 x ([school i is strong] - county share of strong schools)) and
    b_i = round(100 x (backbone teachers of i - county backbone per student x students
    of i)); an alliance whose strength matches the county mean sums to 0.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from twinning.county.instance import Instance, School
from twinning.errors import UsageError
from twinning.messages import Msg, msg

IntArray = NDArray[np.int64]

URBAN_TOWN = ("urban", "town")


class AllianceSetupError(UsageError, ValueError):
    """The policy does not say how many alliances to form, or says it inconsistently
    (``alliances.groups = 1000`` in a county of 30 schools): the planner's to mend, so the
    command line says it and exits 2 (a :class:`~twinning.errors.UsageError`).

    ``message`` says it in the planner's language when shown (``str()`` is English)."""

    def __init__(self, message: Msg) -> None:
        UsageError.__init__(self, message)
        self.message = message


def alliance_stages(school: School) -> frozenset[str]:
    """The stages a school brings to an alliance (see the module docstring)."""
    covered = school.stages
    return covered - {"kindergarten"} or covered


def can_lead(school: School, tiers: list[str] | None = None) -> bool:
    """Whether a school may lead: its ``can_lead``, else its tier in ``lead_tiers``."""
    if school.can_lead is not None:
        return school.can_lead
    return school.tier in (tiers if tiers is not None else ["strong"])


def lead_rank(school: School, tiers: Sequence[str]) -> int | None:
    """Place of a school in the lead order [alliances.lead_tiers]: 0 for ``can_lead`` true
    or the first tier, None when it may not lead. Each step down the order costs
    ``weights.alliance_lead_tier`` per alliance (large: a later tier leads only where the
    earlier ones cannot make a plan)."""
    if school.can_lead is not None:
        return 0 if school.can_lead else None
    return tiers.index(school.tier) if school.tier in tiers else None


def pool_key(inst: Instance, lead: School, stage: str | None) -> tuple[object, ...]:
    """What a slot's pool depends on: the lead's region (when alliances stay in one) and
    the slot's stage (by_stage) or the lead's alliance stages (same_stage)."""
    al = inst.policy.alliances
    region = (lead.region or "") if regional(inst) else None
    if al.by_stage:
        return (region, stage)
    return (region, alliance_stages(lead) if al.same_stage else None)


def mixed_pools(inst: Instance) -> dict[tuple[object, ...], bool]:
    """[alliances.mix_area] For every pool key, whether the pool holds urban/town and rural
    schools (always False when mix_area is off)."""
    al = inst.policy.alliances
    out: dict[tuple[object, ...], bool] = {}
    stages_of: list[str | None] = (
        list(sorted({st for s in inst.schools for st in alliance_stages(s)}))
        if al.by_stage
        else [None]
    )
    for lead in inst.schools:
        for stage in stages_of:
            key = pool_key(inst, lead, stage)
            if key in out:
                continue
            if not al.mix_area:
                out[key] = False
                continue
            areas = {s.area == "rural" for s in inst.schools if fits(inst, s, lead, stage)}
            out[key] = areas == {True, False}
    return out


def regional(inst: Instance) -> bool:
    """Members stay in their lead's region [alliances.within_region, groups_per_region]."""
    al = inst.policy.alliances
    return al.within_region or al.groups_per_region is not None


def fits(inst: Instance, member: School, lead: School, stage: str | None) -> bool:
    """``member`` is in the pool of the slot (lead, stage) [alliances.same_stage,
    alliances.by_stage, alliances.within_region]."""
    al = inst.policy.alliances
    if al.by_stage:
        if stage is None or stage not in alliance_stages(member):
            return False
    elif al.same_stage and not alliance_stages(member) & alliance_stages(lead):
        return False
    return not (regional(inst) and (member.region or "") != (lead.region or ""))


@dataclass(frozen=True)
class CountGroup:
    """Slots whose open number is fixed together, and the sizes their alliances take."""

    region: str | None
    stage: str | None
    alliances: int
    min_size: int
    max_size: int | None
    schools: float  # schools expected in these alliances (a school of k stages counts 1/k)

    @property
    def where(self) -> Msg:
        """Where the group lies: the county, a region, a stage, or a region's stage."""
        return where_of(self.region, self.stage)

    @property
    def label(self) -> str:
        """:attr:`where` in English."""
        return self.where.text("en")


def where_of(region: str | None, stage: str | None) -> Msg:
    """A count group's place as a message (``region 南 junior`` / 南片区初中)."""
    if region is not None and stage:
        return msg("alliances.where.region_stage", region=region, stage=stage)
    if region is not None:
        return msg("alliances.where.region", region=region)
    if stage:
        return msg("alliances.where.stage", stage=stage)
    return msg("alliances.where.county")


@dataclass
class AllianceDesign:
    """Slots, count groups and sizes of the alliance rules for one instance."""

    slots: list[tuple[str, str | None]]  # (lead id, stage or None)
    groups: dict[tuple[str | None, str | None], CountGroup]
    fixed: list[str]  # fixed lead ids

    def group_of(self, inst: Instance, lead: School, stage: str | None) -> CountGroup | None:
        return self.groups.get(group_key(inst, lead, stage))


def group_key(inst: Instance, lead: School, stage: str | None) -> tuple[str | None, str | None]:
    """The count group (region, stage) a slot belongs to."""
    al = inst.policy.alliances
    region = (lead.region or "") if al.groups_per_region is not None else None
    per_stage = al.by_stage and (al.groups_per_region is not None or isinstance(al.groups, dict))
    return region, (stage if per_stage else None)


def smallest_size(inst: Instance, group: CountGroup, pool: int) -> int:
    """[alliances.min_size, alliances.size_band] An alliance's smallest size: min_size when
    given; from the band, no more than its pool holds (a county's two kindergartens make
    one alliance of two)."""
    if inst.policy.alliances.min_size is not None:
        return group.min_size
    return max(1, min(group.min_size, pool))


def pool_size(inst: Instance, lead: School, stage: str | None) -> int:
    """Schools in the pool of the slot (lead, stage)."""
    return sum(1 for s in inst.schools if fits(inst, s, lead, stage))


def _school_stage_share(inst: Instance, school: School) -> dict[str | None, float]:
    al = inst.policy.alliances
    if not al.by_stage:
        return {None: 1.0}
    st = sorted(alliance_stages(school))
    return {s: 1 / len(st) for s in st}


def _bounds(inst: Instance, mean: float) -> tuple[int, int | None]:
    al = inst.policy.alliances
    band = al.size_band
    low = al.min_size
    high = al.max_size
    if low is None:
        low = max(1, math.floor(band[0] * mean)) if band else 1
    if high is None and band:
        high = max(low, math.ceil(band[1] * mean))
    return low, high


def alliance_design(inst: Instance) -> AllianceDesign:
    """[alliances.groups, groups_per_region, by_stage, size_band] The slots and count groups.

    Raises :class:`AllianceSetupError` when the policy cannot be read as a design.
    """
    al = inst.policy.alliances
    p, forced = alliance_count(inst)
    tally: dict[tuple[str | None, str | None], float] = defaultdict(float)
    for s in inst.schools:
        for stage, share in _school_stage_share(inst, s).items():
            tally[group_key(inst, s, stage)] += share
    counts: dict[tuple[str | None, str | None], int] = {}
    if al.groups_per_region is not None:
        counts = dict.fromkeys(tally, al.groups_per_region)
    elif isinstance(al.groups, dict):
        for key in tally:
            counts[key] = al.groups.get(key[1] or "", 0)
        for stage, k in al.groups.items():
            if k and (None, stage) not in tally:
                raise AllianceSetupError(
                    msg("alliances.setup.no_school_of_stage", k=k, stage=stage)
                )
    else:
        counts = {(None, None): p}
    groups = {}
    for key, k in counts.items():
        mean = tally[key] / k if k else 0.0
        low, high = _bounds(inst, mean)
        groups[key] = CountGroup(key[0], key[1], k, low, high, round(tally[key], 3))
    fixed = set(forced)
    mixed = mixed_pools(inst)
    ranked: dict[tuple[str | None, str | None], list[tuple[int, str, str | None]]] = defaultdict(
        list
    )
    for s in inst.schools:
        rank = lead_rank(s, al.lead_tiers)
        if rank is None and s.id not in fixed:
            continue
        stages: list[str | None] = [*sorted(alliance_stages(s))] if al.by_stage else [None]
        for stage in stages:
            key = group_key(inst, s, stage)
            g = groups.get(key)
            if g is None or g.alliances == 0:
                continue
            if s.id not in fixed and s.area == "rural" and mixed[pool_key(inst, s, stage)]:
                continue  # [alliances.mix_area] a rural school leads no mixed pool
            ranked[key].append((-1 if s.id in fixed else (rank or 0), s.id, stage))
    slots = sorted(
        ((sid, stage) for cands in ranked.values() for _, sid, stage in cands),
        key=lambda slot: (slot[0], slot[1] or ""),
    )
    return AllianceDesign(slots, groups, sorted(fixed))


def fixed_leads(inst: Instance) -> set[str]:
    """Leads the planner fixed: ``alliances.leads`` and the leads of pinned memberships."""
    pinned = {f.from_school for f in inst.fixed if f.kind == "alliance"}
    return set(inst.policy.alliances.leads or []) | pinned


def pinned_members(inst: Instance) -> dict[str, str]:
    """Member -> lead of every pinned membership [fixed.csv, kind alliance]."""
    return {f.to_school: f.from_school for f in inst.fixed if f.kind == "alliance"}


def alliance_count(inst: Instance) -> tuple[int, list[str]]:
    """(number of alliances, fixed lead ids) [alliances.groups, groups_per_region, leads]."""
    pol = inst.policy.alliances
    leads = list(pol.leads or [])
    pinned_leads = sorted({f.from_school for f in inst.fixed if f.kind == "alliance"})
    if pol.groups is None and pol.groups_per_region is None and not leads:
        raise AllianceSetupError(msg("alliances.setup.no_count"))
    if isinstance(pol.groups, dict):
        p = sum(pol.groups.values())
    elif pol.groups_per_region is not None:
        keys = {
            (s.region or "", st)
            for s in inst.schools
            for st in (alliance_stages(s) if pol.by_stage else {""})
        }
        p = pol.groups_per_region * len(keys)
    else:
        p = pol.groups if pol.groups is not None else len(leads)
    forced = sorted(set(leads) | set(pinned_leads))
    if len(forced) > p:
        raise AllianceSetupError(
            msg("alliances.setup.too_many_fixed", p=p, n=len(forced), leads=forced)
        )
    if p > len(inst.schools) and pol.groups_per_region is None:
        raise AllianceSetupError(msg("alliances.setup.too_many_groups", p=p, n=len(inst.schools)))
    return p, forced


def mixed_pool(inst: Instance, lead: School, stage: str | None) -> bool:
    """[alliances.mix_area] The slot's pool holds urban/town and rural schools."""
    if not inst.policy.alliances.mix_area:
        return False
    areas = {s.area == "rural" for s in inst.schools if fits(inst, s, lead, stage)}
    return areas == {True, False}


def last_leads(inst: Instance) -> dict[str, str]:
    """Each school's lead in the most recent alliance cycle of history (a lead leads itself)."""
    periods = sorted({h.period for h in inst.history if h.kind == "alliance"})
    if not periods:
        return {}
    last = periods[-1]
    out: dict[str, str] = {}
    for h in inst.history:
        if h.kind == "alliance" and h.period == last:
            out[h.to_school] = h.from_school
            out.setdefault(h.from_school, h.from_school)
    return out


def strength_deviations(inst: Instance) -> tuple[IntArray, IntArray]:
    """a_i and b_i of the module docstring, in the order of ``inst.schools``."""
    n = len(inst.schools)
    strong = np.array([s.tier == "strong" for s in inst.schools], dtype=float)
    share = strong.mean() if n else 0.0
    backbone = Counter(t.school for t in inst.staff if t.is_backbone)
    bb = np.array([backbone[s.id] for s in inst.schools], dtype=float)
    students = np.array([s.students or 0 for s in inst.schools], dtype=float)
    rate = bb.sum() / students.sum() if students.sum() > 0 else 0.0
    a = np.rint(100 * (strong - share)).astype(np.int64)
    b = np.rint(100 * (bb - rate * students)).astype(np.int64)
    return a, b


def _describe(schools: list[School]) -> list[Msg]:
    """The schools by area and tier (``3 rural weak``), each kind a message."""
    tally = Counter((s.area, s.tier) for s in schools)
    return [
        msg("alliances.kinds.item", n=n, area=area, tier=tier)
        for (area, tier), n in sorted(tally.items())
    ] or [msg("alliances.kinds.none")]


def explain_infeasible(inst: Instance) -> list[Msg]:
    """Why no grouping can keep the alliance rules, in the planner's terms: per region
    and stage, the schools against the sizes allowed, and the missing leads. Empty when
    no simple count shows it (the model may still prove it)."""
    al = inst.policy.alliances
    try:
        design = alliance_design(inst)
    except AllianceSetupError as exc:
        return [exc.message]
    by_id = {s.id: s for s in inst.schools}
    out: list[Msg] = []
    fix_lead = fix_lead_hint(al.lead_tiers)
    # A slot's pool depends only on its pool key: each key's pool is looked at once (a
    # city has thousands of slots and few keys).
    mixed = mixed_pools(inst)

    def is_mixed(lead: School, stage: str | None) -> bool:
        return mixed.get(pool_key(inst, lead, stage), False)

    usable: dict[tuple[str | None, str | None], list[School]] = defaultdict(list)
    for lead_id, stage in design.slots:
        lead = by_id[lead_id]
        if lead.area == "rural" and lead_id not in design.fixed and is_mixed(lead, stage):
            continue
        usable[group_key(inst, lead, stage)].append(lead)
    for key, g in sorted(design.groups.items(), key=lambda kv: str(kv[0])):
        if g.alliances == 0:
            continue
        pool = [s for s in inst.schools if _in_group(inst, s, key)]
        leads = usable.get(key, [])
        if len(leads) < g.alliances:
            hint = msg("alliances.hint.or_merge", hint=fix_lead) if key[0] is not None else fix_lead
            out.append(
                msg(
                    "alliances.few_leads.mixed" if al.mix_area else "alliances.few_leads",
                    where=g.where,
                    asked=g.alliances,
                    leads=len(leads),
                    tiers=list(al.lead_tiers),
                    pool=len(pool),
                    kinds=_describe(pool),
                    hint=hint,
                )
            )
        sure = sum(1 for s in pool if _only_group(inst, s, key))
        if len(pool) < g.alliances * g.min_size:
            out.append(
                msg(
                    "alliances.too_few_schools",
                    where=g.where,
                    pool=len(pool),
                    asked=g.alliances,
                    min_size=g.min_size,
                )
            )
        if g.max_size is not None and sure > g.alliances * g.max_size:
            out.append(
                msg(
                    "alliances.too_many_schools",
                    where=g.where,
                    schools=sure,
                    asked=g.alliances,
                    max_size=g.max_size,
                )
            )
        rural = [s for s in pool if s.area == "rural"]
        needing = all(is_mixed(lead, key[1]) for lead in leads) if leads else False
        if needing and len(rural) < g.alliances:
            out.append(
                msg("alliances.few_rural", where=g.where, asked=g.alliances, rural=len(rural))
            )
    if regional(inst) and al.groups_per_region is None:
        out += _explain_regions(inst, design, usable)
    out += _explain_stages(inst, design, usable)
    # One slot of each pool key stands for all of its slots.
    keyed = {
        pool_key(inst, by_id[lead], stage): (by_id[lead], stage)
        for lead, stage in design.slots
        if lead in by_id
    }
    lonely = (
        []
        if out
        else [
            s
            for s in inst.schools
            if not any(fits(inst, s, lead, stage) for lead, stage in keyed.values())
        ]
    )
    for (region, stages), members in sorted(
        _by_region_stage(lonely).items(), key=lambda kv: str(kv[0])
    ):
        shown = [s.id for s in members[:5]]
        ids = (
            msg("alliances.ids_more", ids=shown)
            if len(members) > 5
            else msg("alliances.ids", ids=shown)
        )
        said = {"stages": list(stages), "n": len(members), "ids": ids, "hint": fix_lead}
        if region:
            out.append(msg("alliances.no_lead_of_stage.region", region=region, **said))
        else:
            out.append(msg("alliances.no_lead_of_stage", **said))
    return out


def _explain_stages(
    inst: Instance,
    design: AllianceDesign,
    usable: dict[tuple[str | None, str | None], list[School]],
) -> list[Msg]:
    """Stages that need more alliances than asked, when alliances share a stage but are
    not drawn per stage: schools of one stage join only leads covering it, kindergartens
    only kindergartens."""
    al = inst.policy.alliances
    if al.by_stage or not al.same_stage or regional(inst):
        return []
    out = []
    for key, g in design.groups.items():
        if g.max_size is None:
            continue
        only = Counter(next(iter(cs)) for s in inst.schools if len(cs := alliance_stages(s)) == 1)
        need = {st: math.ceil(c / g.max_size) for st, c in sorted(only.items())}
        kindergarten = need.pop("kindergarten", 0)
        shared = any(len(alliance_stages(s)) > 1 for s in usable.get(key, []))
        least = kindergarten + (max(need.values(), default=0) if shared else sum(need.values()))
        leads = usable.get(key, [])
        for st, count in sorted(only.items()):
            covering = sum(1 for s in leads if st in alliance_stages(s))
            if covering * g.max_size < count:
                out.append(
                    msg(
                        "alliances.stage_leads",
                        stage=st,
                        count=count,
                        covering=covering,
                        max_size=g.max_size,
                        hint=fix_lead_hint(al.lead_tiers),
                    )
                )
        if least > g.alliances:
            needs = [
                msg("alliances.stage_need", n=only[st], stage=st, k=k)
                for st, k in [("kindergarten", kindergarten), *need.items()]
                if k
            ]
            out.append(
                msg(
                    "alliances.stages_need",
                    needs=needs,
                    max_size=g.max_size,
                    least=least,
                    asked=g.alliances,
                )
            )
    return out


def fix_lead_hint(tiers: Sequence[str]) -> Msg:
    """What to change when too few schools may lead."""
    if "ordinary" not in tiers:
        return msg("alliances.hint.allow_ordinary")
    return msg("alliances.hint.name_lead")


def _by_region_stage(schools: list[School]) -> dict[tuple[str, tuple[str, ...]], list[School]]:
    out: dict[tuple[str, tuple[str, ...]], list[School]] = defaultdict(list)
    for s in schools:
        out[(s.region or "", tuple(sorted(alliance_stages(s))))].append(s)
    return out


def _in_group(inst: Instance, s: School, key: tuple[str | None, str | None]) -> bool:
    region, stage = key
    if region is not None and (s.region or "") != region:
        return False
    return stage is None or stage in alliance_stages(s)


def _only_group(inst: Instance, s: School, key: tuple[str | None, str | None]) -> bool:
    return _in_group(inst, s, key) and (key[1] is None or len(alliance_stages(s)) == 1)


def _explain_regions(
    inst: Instance,
    design: AllianceDesign,
    usable: dict[tuple[str | None, str | None], list[School]],
) -> list[Msg]:
    """Regions too small, too large or without a lead, when alliances stay in a region."""
    out = []
    leads = [s for ls in usable.values() for s in ls]
    for key, g in design.groups.items():
        lo, hi = g.min_size, g.max_size
        need_min = 0
        for region in sorted({s.region or "" for s in inst.schools}):
            pool = [
                s
                for s in inst.schools
                if (s.region or "") == region and (key[1] is None or key[1] in alliance_stages(s))
            ]
            if not pool:
                continue
            here = [s for s in leads if (s.region or "") == region]
            label = where_of(region, key[1])
            if not here:
                out.append(
                    msg(
                        "alliances.region_no_lead",
                        where=label,
                        pool=len(pool),
                        kinds=_describe(pool),
                    )
                )
                continue
            if len(pool) < lo:
                out.append(msg("alliances.region_too_small", where=label, pool=len(pool), least=lo))
            sure = sum(1 for s in pool if key[1] is None or len(alliance_stages(s)) == 1)
            most = len(pool) // lo if lo else len(pool)
            least = math.ceil(sure / hi) if hi else min(1, sure)
            if hi and lo <= len(pool) and least > min(most, len(here)):
                out.append(
                    msg(
                        "alliances.region_no_fit",
                        where=label,
                        pool=len(pool),
                        need=least,
                        most=hi,
                        fit=min(most, len(here)),
                        least=lo,
                        leads=len(here),
                    )
                )
            need_min += least
        if need_min > g.alliances:
            out.append(msg("alliances.regions_need", need=need_min, most=hi, asked=g.alliances))
    return out
