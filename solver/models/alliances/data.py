"""Arrays for the alliances model: who may lead, who may join whom, and at what cost.

Cost of the alliances part (lower is better; every term >= 0)::

    sum over schools of round(alliance_km x km to its lead)
  + alliance_history x schools whose lead is not last cycle's lead (of those that had one)
  + alliance_balance_strong x sum over alliances of |sum of a_i over members|
  + alliance_balance_backbone x sum over alliances of |sum of b_i over members|

with a_i = round(100 x ([school i is strong] - county share of strong schools)) and
b_i = round(100 x (backbone teachers of i - county backbone per student x students of i)),
so an alliance whose strength matches the county mean scores 0 on balance (捆绑考核).
With the balance weights at 0 and no size limits the model is the p-median problem.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from twinning.county.distances import Distances
from twinning.county.instance import Instance
from twinning.rules.alliances import (
    AllianceDesign,
    CountGroup,
    alliance_design,
    alliance_stages,
    group_key,
    last_leads,
    lead_rank,
    regional,
    smallest_size,
    strength_deviations,
)

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

STAGE_BITS = {"kindergarten": 1, "primary": 2, "junior": 4, "senior": 8}


@dataclass
class AlliancesData:
    """Everything the engines need for the alliances part.

    Columns are slots (a lead school and, with ``alliances.by_stage``, a stage); a
    school is in exactly one slot, and a slot is open when its lead is in it.
    """

    schools: list[str]
    slot_lead: IntArray  # K: school position of each slot's lead
    slot_stage: list[str | None]
    slot_group: IntArray  # K: index into groups
    groups: list[CountGroup]
    fixed_leads: list[int]  # school positions that lead (one of their slots)
    km: FloatArray  # n x K, km from each school to the slot's lead
    cost: FloatArray  # n x K integer-valued assignment cost, inf where not allowed
    rural: BoolArray  # n
    rural_needed: BoolArray  # K: the slot's alliance needs a rural member [mix_area]
    strong_dev: IntArray  # a_i
    backbone_dev: IntArray  # b_i
    pinned: dict[int, int]  # member -> lead school position
    previous: IntArray  # last cycle's lead position; -1 none; -2 a lead no longer here
    weights: tuple[int, int]  # (balance strong, balance backbone)
    slot_low: IntArray  # K: smallest size of each slot's alliance (rules.smallest_size)
    slot_rank: IntArray  # K: the lead's steps down alliances.lead_tiers (0: first tier)

    @property
    def n(self) -> int:
        return len(self.schools)

    @property
    def k(self) -> int:
        return len(self.slot_lead)

    @property
    def slot_min(self) -> IntArray:
        return self.slot_low

    @property
    def slot_max(self) -> IntArray:
        n = self.n
        return np.array(
            [min(n, self.groups[g].max_size or n) for g in self.slot_group], dtype=np.int64
        )

    @property
    def p(self) -> int:
        return sum(g.alliances for g in self.groups)

    @property
    def is_p_median(self) -> bool:
        """One count group, one slot per lead, no sizes, no mix and no balance term: the
        (uncapacitated) p-median problem with forbidden assignments."""
        if len(self.groups) != 1 or len(set(self.slot_lead.tolist())) != self.k:
            return False
        g = self.groups[0]
        no_sizes = g.min_size <= 1 and (g.max_size is None or g.max_size >= self.n)
        return no_sizes and not self.rural_needed.any() and self.weights == (0, 0)

    def lead_cost(self) -> tuple[FloatArray, BoolArray]:
        """(n x n cost with a column per school, schools that may lead) for the p-median
        engine; valid when :attr:`is_p_median`."""
        full = np.full((self.n, self.n), np.inf)
        full[:, self.slot_lead] = self.cost
        may = np.zeros(self.n, dtype=bool)
        may[self.slot_lead] = True
        return full, may


def _stage_masks(inst: Instance) -> IntArray:
    return np.array(
        [sum(STAGE_BITS[s] for s in alliance_stages(school)) for school in inst.schools],
        dtype=np.int64,
    )


def add_slot_pools(inst: Instance, lead_pos: IntArray, stages: list[str | None]) -> BoolArray:
    """[alliances.same_stage, alliances.by_stage, alliances.within_region,
    alliances.groups_per_region] n x K: the schools in each slot's pool (rules.fits,
    vectorised)."""
    al = inst.policy.alliances
    masks = _stage_masks(inst)
    if al.by_stage:
        bits = np.array([STAGE_BITS[s] if s else 0 for s in stages], dtype=np.int64)
        ok = (masks[:, None] & bits[None, :]) > 0
    elif al.same_stage:
        ok = (masks[:, None] & masks[lead_pos][None, :]) > 0
    else:
        ok = np.ones((len(masks), len(lead_pos)), dtype=bool)
    if regional(inst):
        region = np.array([s.region or "" for s in inst.schools], dtype=object)
        ok &= region[:, None] == region[lead_pos][None, :]
    return np.asarray(ok)


def add_leads(
    design: AllianceDesign, index: dict[str, int]
) -> tuple[IntArray, list[str | None], set[int]]:
    """[alliances.can_lead, alliances.lead_tiers, alliances.leads] The slots: schools that
    may lead (can_lead, else their tier among the lead_tiers their count group needs, in
    order of preference), a stage each with by_stage; and the fixed leads' positions."""
    lead_pos = np.array([index[lead] for lead, _ in design.slots], dtype=np.int64)
    return lead_pos, [stage for _, stage in design.slots], {index[x] for x in design.fixed}


def add_lead_tiers(inst: Instance, lead_pos: IntArray) -> IntArray:
    """[alliances.lead_tiers] Each slot's lead rank: its steps down the tier order, priced
    by ``weights.alliance_lead_tier`` on the lead's own assignment (0 for can_lead)."""
    ranks = [lead_rank(inst.schools[j], inst.policy.alliances.lead_tiers) for j in lead_pos]
    return np.array([r or 0 for r in ranks], dtype=np.int64)


def add_mix_leads(
    inst: Instance, lead_pos: IntArray, pools: BoolArray, rural: BoolArray, fixed: set[int]
) -> tuple[BoolArray, BoolArray]:
    """[alliances.mix_area] (slots kept, slots that need a rural member): where a slot's
    pool holds urban/town and rural schools, a rural school does not lead it (unless
    fixed) and its alliance needs a rural member."""
    mixed = np.asarray((pools & rural[:, None]).any(axis=0) & (pools & ~rural[:, None]).any(axis=0))
    if not inst.policy.alliances.mix_area:
        mixed = np.zeros_like(mixed)
    keep = ~(mixed & rural[lead_pos]) | np.isin(lead_pos, list(fixed))
    return np.asarray(keep), np.asarray(mixed)


def build_alliances_data(inst: Instance, dist: Distances | None = None) -> AlliancesData:
    """Slots, costs with forbidden assignments at inf (stage, region, pinned members)."""
    pol = inst.policy
    al, w8 = pol.alliances, pol.weights
    dist = dist or Distances(inst)
    ids = [s.id for s in inst.schools]
    index = {s: i for i, s in enumerate(ids)}
    design = alliance_design(inst)
    keys = list(design.groups)
    lead_pos, stages, fixed = add_leads(design, index)
    pools = add_slot_pools(inst, lead_pos, stages)
    rural = np.array([s.area == "rural" for s in inst.schools], dtype=bool)
    keep, mixed = add_mix_leads(inst, lead_pos, pools, rural, fixed)
    if al.leads and isinstance(al.groups, int) and al.groups == len(al.leads):
        keep &= np.isin(lead_pos, list(fixed))  # exactly the fixed leads
    lead_pos, pools, mixed = lead_pos[keep], pools[:, keep], mixed[keep]
    stages = [s for s, k in zip(stages, keep, strict=True) if k]
    by_school = {s.id: s for s in inst.schools}
    slot_group = np.array(
        [
            keys.index(group_key(inst, by_school[ids[j]], st))
            for j, st in zip(lead_pos, stages, strict=True)
        ],
        dtype=np.int64,
    )
    # Only the leads' columns: a city's full matrix (10,000 x 10,000) would take 800 MB
    # and most of a minute to compute.
    km = dist.block_idx(np.arange(len(ids), dtype=np.int64), lead_pos)
    cost = np.rint(w8.alliance_km * km)
    allowed = pools & np.isfinite(km)
    pinned = {index[f.to_school]: index[f.from_school] for f in inst.fixed if f.kind == "alliance"}
    for member, lead in pinned.items():
        allowed[member, :] = lead_pos == lead
    allowed[lead_pos, np.arange(len(lead_pos))] = True  # a lead is in its own alliance
    previous = np.full(len(ids), -1, dtype=np.int64)
    for sid, last in last_leads(inst).items():
        if sid in index:
            previous[index[sid]] = index.get(last, -2)
    if w8.alliance_history:
        for i in np.nonzero(previous != -1)[0]:
            cost[i] += np.where(lead_pos == previous[i], 0.0, float(w8.alliance_history))
    slot_rank = add_lead_tiers(inst, lead_pos)
    cost[lead_pos, np.arange(len(lead_pos))] += w8.alliance_lead_tier * slot_rank
    cost = np.where(allowed, cost, np.inf)
    a, b = strength_deviations(inst)
    groups = [design.groups[k] for k in keys]
    pool_count = pools.sum(axis=0)
    slot_low = np.array(
        [
            smallest_size(inst, groups[g], int(c))
            for g, c in zip(slot_group.tolist(), pool_count.tolist(), strict=True)
        ],
        dtype=np.int64,
    )
    return AlliancesData(
        schools=ids,
        slot_lead=lead_pos,
        slot_stage=stages,
        slot_group=slot_group,
        groups=groups,
        fixed_leads=sorted(fixed),
        km=km,
        cost=cost,
        rural=rural,
        rural_needed=mixed,
        strong_dev=a,
        backbone_dev=b,
        pinned=pinned,
        previous=previous,
        weights=(w8.alliance_balance_strong, w8.alliance_balance_backbone),
        slot_low=slot_low,
        slot_rank=slot_rank,
    )


def alliance_cost(data: AlliancesData, slot_of: IntArray) -> tuple[int, dict[str, float]]:
    """Objective of an assignment (school -> slot) and its terms."""
    n = data.n
    rows = np.arange(n)
    assign = float(data.cost[rows, slot_of].sum())
    km = float(data.km[rows, slot_of].sum())
    strong = bb = 0
    for slot in np.unique(slot_of):
        members = slot_of == slot
        strong += abs(int(data.strong_dev[members].sum()))
        bb += abs(int(data.backbone_dev[members].sum()))
    value = int(assign) + data.weights[0] * strong + data.weights[1] * bb
    had = data.previous != -1
    changes = int((had & (data.slot_lead[slot_of] != data.previous)).sum())
    later = int(data.slot_rank[np.unique(slot_of)].sum())
    return value, {
        "later_tier_leads": float(later),
        "distance_km": round(km, 3),
        "history_changes": float(changes),
        "strong_imbalance": strong / 100,
        "backbone_imbalance": bb / 100,
    }
