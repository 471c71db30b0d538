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

from solver.county.distances import Distances
from solver.county.instance import Instance
from solver.rules.alliances import (
    alliance_count,
    can_lead,
    last_leads,
    strength_deviations,
)

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


@dataclass
class AlliancesData:
    """Everything the engines need for the alliances part."""

    schools: list[str]
    p: int
    can_lead: NDArray[np.bool_]  # may be chosen as a lead
    fixed_leads: list[int]
    km: FloatArray  # n x n
    cost: FloatArray  # n x n integer-valued assignment cost, inf where not allowed
    min_size: int
    max_size: int | None
    strong_dev: IntArray  # a_i
    backbone_dev: IntArray  # b_i
    pinned: dict[int, int]  # member -> lead
    previous: IntArray  # last cycle's lead position; -1 none; -2 a lead no longer here
    weights: tuple[int, int]  # (balance strong, balance backbone)

    @property
    def n(self) -> int:
        return len(self.schools)

    @property
    def is_p_median(self) -> bool:
        """No size limits and no balance term: the (uncapacitated) p-median problem."""
        no_sizes = self.min_size <= 1 and (self.max_size is None or self.max_size >= self.n)
        return no_sizes and self.weights == (0, 0)


def add_can_lead(inst: Instance, index: dict[str, int], forced: list[str]) -> BoolArray:
    """[alliances.can_lead, alliances.leads] Schools that may lead: can_lead (default
    strong) and the fixed leads; only the fixed leads when they are all the groups."""
    al = inst.policy.alliances
    leads_ok = np.array([can_lead(s) for s in inst.schools], dtype=bool)
    for lead in forced:
        leads_ok[index[lead]] = True  # a fixed lead leads, whatever its tier
    if al.leads and al.groups is not None and al.groups == len(al.leads):
        leads_ok[:] = False  # exactly the fixed leads
        for lead in forced:
            leads_ok[index[lead]] = True
    return leads_ok


def add_same_stage(inst: Instance) -> BoolArray:
    """[alliances.same_stage] (member, lead) pairs that share a stage (all, when off)."""
    n = len(inst.schools)
    if not inst.policy.alliances.same_stage:
        return np.ones((n, n), dtype=bool)
    stages = ["kindergarten", "primary", "junior", "senior"]
    m = np.array([[st in s.stages for st in stages] for s in inst.schools], dtype=np.int8)
    return np.asarray((m @ m.T) > 0)


def add_within_region(inst: Instance) -> BoolArray:
    """[alliances.within_region] (member, lead) pairs in one region (all, when off)."""
    n = len(inst.schools)
    if not inst.policy.alliances.within_region:
        return np.ones((n, n), dtype=bool)
    region = np.array([s.region or "" for s in inst.schools], dtype=object)
    return np.asarray(region[:, None] == region[None, :])


def build_alliances_data(inst: Instance, dist: Distances | None = None) -> AlliancesData:
    """Cost matrix with forbidden assignments at inf (stage, region, pinned members)."""
    pol = inst.policy
    al, w8 = pol.alliances, pol.weights
    dist = dist or Distances(inst)
    ids = [s.id for s in inst.schools]
    index = {s: i for i, s in enumerate(ids)}
    p, forced = alliance_count(inst)
    leads_ok = add_can_lead(inst, index, forced)
    km = dist.block(ids, ids)
    cost = np.rint(w8.alliance_km * km)
    allowed = add_same_stage(inst) & add_within_region(inst)
    allowed &= np.isfinite(km)
    pinned = {index[f.to_school]: index[f.from_school] for f in inst.fixed if f.kind == "alliance"}
    for member, lead_pos in pinned.items():
        allowed[member, :] = False
        allowed[member, lead_pos] = True
    np.fill_diagonal(allowed, True)  # a school may always be its own lead
    previous = np.full(len(ids), -1, dtype=np.int64)
    for school, lead in last_leads(inst).items():
        if school in index:
            previous[index[school]] = index.get(lead, -2)
    if w8.alliance_history:
        for i in np.nonzero(previous != -1)[0]:
            penalty = np.full(len(ids), float(w8.alliance_history))
            if previous[i] >= 0:
                penalty[previous[i]] = 0.0
            cost[i] += penalty
    cost = np.where(allowed, cost, np.inf)
    a, b = strength_deviations(inst)
    return AlliancesData(
        schools=ids,
        p=p,
        can_lead=leads_ok,
        fixed_leads=sorted(index[x] for x in forced),
        km=km,
        cost=cost,
        min_size=al.min_size,
        max_size=al.max_size,
        strong_dev=a,
        backbone_dev=b,
        pinned=pinned,
        previous=previous,
        weights=(w8.alliance_balance_strong, w8.alliance_balance_backbone),
    )


def alliance_cost(data: AlliancesData, lead_of: IntArray) -> tuple[int, dict[str, float]]:
    """Objective of an assignment (school -> lead position) and its terms."""
    n = data.n
    assign = float(data.cost[np.arange(n), lead_of].sum())
    km = float(data.km[np.arange(n), lead_of].sum())
    strong = bb = 0
    for lead in np.unique(lead_of):
        members = lead_of == lead
        strong += abs(int(data.strong_dev[members].sum()))
        bb += abs(int(data.backbone_dev[members].sum()))
    value = int(assign) + data.weights[0] * strong + data.weights[1] * bb
    had = data.previous != -1
    changes = int((had & (lead_of != data.previous)).sum())
    return value, {
        "distance_km": round(km, 3),
        "history_changes": float(changes),
        "strong_imbalance": strong / 100,
        "backbone_imbalance": bb / 100,
    }
