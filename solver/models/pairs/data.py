"""Arrays for the pairs model: helpers, helped schools, compatible arcs and their costs.

Built once from the instance with numpy, shared by the three engines (min-cost
flow, CP-SAT, PuLP) so that they solve exactly the same problem.

Cost of the pairs part (lower is better; every term >= 0)::

    pair_cover       x weak schools left unpaired
  + pair_min_helped  x helper places up to twinning.min_helped left empty
  + pair_complementarity x sum over weak schools of (best complementarity any helper
                        offers it - complementarity of the helper it got, 0 if unpaired)
  + sum over pairs of round(pair_km x km)

Pairing as many weak schools as possible comes first in every engine (a
maximum flow, or a first stage that maximises the number of pairs), whatever the
weights.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from twinning.county.distances import Distances
from twinning.county.instance import Instance, School
from twinning.messages import Msg, msg
from twinning.rules.pairs import (
    SubjectProfile,
    complementarity_matrix,
    fixed_pairs,
    helper_capacity,
    helper_schools,
    min_places,
    recent_pairs,
    student_budget_limit,
    subject_profile,
    vetoed_pairs,
    weak_schools,
)

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


@dataclass
class PairsData:
    """Everything the engines need, as arrays over helpers, helped schools and arcs."""

    helpers: list[str]
    helped: list[str]
    capacity: IntArray  # free places per helper after pinned pairs
    min_places: IntArray  # places still to fill up to min(min_helped, capacity)
    arc_helper: IntArray  # arc -> helper position
    arc_helped: IntArray  # arc -> helped position
    arc_km: FloatArray
    arc_comp: IntArray
    arc_cost: IntArray  # -complementarity x weight + distance x weight (may be < 0)
    best_comp: dict[str, int]  # weak school -> best complementarity any helper offers
    fixed: list[tuple[str, str]]
    constant: int  # cost no engine can change (see build_pairs_data)
    student_budget: IntArray  # students a helper may still take on (with the ratio rule)
    helped_students: IntArray
    max_students_ratio: float | None
    profile: SubjectProfile | None = None
    fixed_comp: list[int] = field(default_factory=list)
    fixed_km: list[float] = field(default_factory=list)
    reasons: dict[str, tuple[str, Msg]] = field(default_factory=dict)  # no-arc weak schools
    weak_total: int = 0

    @property
    def has_side_constraints(self) -> bool:
        """Whether anything breaks the network structure (then flow does not apply)."""
        return self.max_students_ratio is not None

    @property
    def n_arcs(self) -> int:
        return int(self.arc_helper.size)


def add_same_stage(inst: Instance, helpers: list[School], helped: list[School]) -> BoolArray:
    """[twinning.same_stage] Arcs between schools that share a stage (all, when off)."""
    if not inst.policy.twinning.same_stage:
        return np.ones((len(helpers), len(helped)), dtype=bool)
    return _share_stage_matrix(helpers, helped)


def add_max_km(inst: Instance, km: FloatArray) -> BoolArray:
    """[twinning.max_km] Arcs within the distance limit (and with a known distance)."""
    within = np.isfinite(km)
    limit = inst.policy.twinning.max_km
    if limit is not None:
        within &= km <= limit + 1e-9
    return within


def add_avoid_repeat_cycles(inst: Instance, hid: list[str], wid: list[str]) -> BoolArray:
    """[twinning.avoid_repeat_cycles] Arcs that are not a pair of the last cycles."""
    fresh = np.ones((len(hid), len(wid)), dtype=bool)
    recent = recent_pairs(inst)
    if recent:
        hi = {h: i for i, h in enumerate(hid)}
        wi = {w: j for j, w in enumerate(wid)}
        for h, w in recent:
            if h in hi and w in wi:
                fresh[hi[h], wi[w]] = False
    return fresh


def add_vetoed(inst: Instance, hid: list[str], wid: list[str]) -> BoolArray:
    """[twinning.vetoed] Arcs the bureau has not ruled out."""
    allowed = np.ones((len(hid), len(wid)), dtype=bool)
    hi = {h: i for i, h in enumerate(hid)}
    wi = {w: j for j, w in enumerate(wid)}
    for h, w in vetoed_pairs(inst):
        if h in hi and w in wi:
            allowed[hi[h], wi[w]] = False
    return allowed


def add_max_helped(
    inst: Instance, helpers: list[School], fixed_load: Counter[str]
) -> tuple[IntArray, IntArray]:
    """[twinning.max_helped, twinning.min_helped] Free places per helper after the pinned
    pairs, and the places still to fill up to min(min_helped, capacity)."""
    caps = np.array([helper_capacity(inst, s) - fixed_load[s.id] for s in helpers], dtype=np.int64)
    places = np.array(
        [max(0, min_places(inst, s) - fixed_load[s.id]) for s in helpers], dtype=np.int64
    )
    return caps, np.minimum(places, caps)


def build_pairs_data(inst: Instance, dist: Distances | None = None) -> PairsData:
    """Compatible arcs with integer costs [twinning.helper, twinning.helped, twinning.fixed]:
    helpers with places left after the pinned pairs, weak schools not pinned, and the arcs
    each rule allows."""
    pol = inst.policy
    tw, w8 = pol.twinning, pol.weights
    dist = dist or Distances(inst)
    helpers_all = helper_schools(inst)
    weak_all = weak_schools(inst)
    fixed = fixed_pairs(inst)
    fixed_helped = {w for _, w in fixed}
    fixed_load = Counter(h for h, _ in fixed)

    helpers = [s for s in helpers_all if helper_capacity(inst, s) - fixed_load[s.id] > 0]
    helped = [s for s in weak_all if s.id not in fixed_helped]
    hid = [s.id for s in helpers]
    wid = [s.id for s in helped]
    profile = subject_profile(inst)

    # Best complementarity each weak school could get from any helper, compatible or not:
    # the shortfall against it is the complementarity term, so every term is >= 0.
    all_hid = [s.id for s in helpers_all]
    all_wid = [s.id for s in weak_all]
    comp_all = complementarity_matrix(profile, all_hid, all_wid)
    best = comp_all.max(axis=0) if all_hid else np.zeros(len(all_wid), dtype=np.int64)
    best_comp = {w: int(b) for w, b in zip(all_wid, best, strict=True)}
    hpos = {h: i for i, h in enumerate(all_hid)}
    wpos = {w: j for j, w in enumerate(all_wid)}
    comp = (
        comp_all[np.ix_([hpos[h] for h in hid], [wpos[w] for w in wid])]
        if hid and wid
        else np.zeros((len(hid), len(wid)), dtype=np.int64)
    )

    km = dist.block(hid, wid) if hid and wid else np.zeros((len(hid), len(wid)))
    stage_ok = add_same_stage(inst, helpers, helped)
    within = add_max_km(inst, km)
    fresh = add_avoid_repeat_cycles(inst, hid, wid) & add_vetoed(inst, hid, wid)
    ok: BoolArray = stage_ok & within & fresh

    reasons: dict[str, tuple[str, Msg]] = {}
    has_arc = np.asarray(ok.any(axis=0)) if hid else np.zeros(len(wid), dtype=bool)
    for j, w in enumerate(wid):
        if has_arc[j]:
            continue
        if not hid or not stage_ok[:, j].any():
            reasons[w] = ("no_helper_for_stage", msg("pairs.unpaired.no_helper_for_stage"))
        elif not (stage_ok[:, j] & within[:, j]).any():
            near = float(km[stage_ok[:, j], j].min())
            if tw.max_km is None or not np.isfinite(near):
                reasons[w] = ("too_far", msg("pairs.unpaired.no_distance"))
            else:
                detail = msg("pairs.unpaired.too_far", km=round(near, 3), limit=tw.max_km)
                reasons[w] = ("too_far", detail)
        else:
            reasons[w] = ("repeat_only", msg("pairs.unpaired.repeat_only"))

    arc_h, arc_w = np.nonzero(ok)
    arc_km = km[arc_h, arc_w]
    arc_comp = comp[arc_h, arc_w]
    # Per arc: minus its complementarity, plus its distance. The weak schools' best
    # complementarity is a constant, so the shortfall term is constant + sum of these.
    arc_cost = -w8.pair_complementarity * arc_comp + np.rint(w8.pair_km * arc_km).astype(np.int64)

    caps, places = add_max_helped(inst, helpers, fixed_load)

    # Cost no engine can change: every weak school's best complementarity (the shortfall
    # term's starting point) and the pinned pairs' own complementarity and distance.
    fixed_comp = [
        int(comp_all[hpos[h], wpos[w]]) if h in hpos and w in wpos else 0 for h, w in fixed
    ]
    fixed_km = [dist.km(h, w) for h, w in fixed]
    constant = w8.pair_complementarity * (sum(best_comp.values()) - sum(fixed_comp))
    constant += sum(int(np.rint(w8.pair_km * k)) for k in fixed_km)

    students = {s.id: s.students or 0 for s in inst.schools}
    return PairsData(
        helpers=hid,
        helped=wid,
        capacity=caps,
        min_places=places,
        arc_helper=arc_h.astype(np.int64),
        arc_helped=arc_w.astype(np.int64),
        arc_km=arc_km,
        arc_comp=arc_comp.astype(np.int64),
        arc_cost=arc_cost.astype(np.int64),
        best_comp=best_comp,
        fixed=fixed,
        constant=constant,
        fixed_comp=fixed_comp,
        profile=profile,
        fixed_km=fixed_km,
        student_budget=np.array([_budget(inst, h, students) for h in helpers], dtype=np.int64),
        helped_students=np.array([students[w] for w in wid], dtype=np.int64),
        max_students_ratio=tw.max_helped_students_ratio,
        reasons=reasons,
        weak_total=len(weak_all),
    )


def _budget(inst: Instance, helper: School, students: dict[str, int]) -> int:
    pinned = sum(students[w] for h, w in fixed_pairs(inst) if h == helper.id)
    return student_budget_limit(inst, helper) - pinned


def _share_stage_matrix(rows: list[School], cols: list[School]) -> NDArray[np.bool_]:
    stages = ["kindergarten", "primary", "junior", "senior"]
    a = np.array([[st in s.stages for st in stages] for s in rows], dtype=np.int8)
    b = np.array([[st in s.stages for st in stages] for s in cols], dtype=np.int8)
    if a.size == 0 or b.size == 0:
        return np.zeros((len(rows), len(cols)), dtype=bool)
    return np.asarray((a @ b.T) > 0)


def pairs_cost(
    data: PairsData, chosen: IntArray, cover_weight: int, min_weight: int
) -> tuple[int, dict[str, float]]:
    """Objective of a choice of arcs (plus the pinned pairs) and its terms, unweighted."""
    load = np.bincount(data.arc_helper[chosen], minlength=len(data.helpers))
    filled = int(np.minimum(load, data.min_places).sum())
    unfilled = int(data.min_places.sum()) - filled
    unpaired = len(data.helped) - int(chosen.size)
    value = cover_weight * unpaired + min_weight * unfilled
    value += int(data.arc_cost[chosen].sum()) + data.constant
    comp = int(data.arc_comp[chosen].sum()) + sum(data.fixed_comp)
    km = float(data.arc_km[chosen].sum()) + sum(data.fixed_km)
    terms = {
        "unpaired": float(unpaired),
        "min_places_empty": float(unfilled),
        "complementarity_shortfall": float(sum(data.best_comp.values()) - comp),
        "distance_km": round(km, 3),
    }
    return value, terms
