"""Twinning pairs (结对帮扶): each strong school supports 1-2 weak schools."""

from __future__ import annotations

import time
from collections import Counter

import numpy as np

from twinning.county.distances import Distances
from twinning.county.instance import Instance
from twinning.messages import Msg, msg
from twinning.models.pairs.data import PairsData, build_pairs_data, pairs_cost
from twinning.models.pairs.engines import (
    EngineOutcome,
    feasible_part,
    solve_cpsat,
    solve_flow,
    solve_pulp,
)
from twinning.models.said import clauses
from twinning.models.search import SearchSettings
from twinning.plan import Pair, PartObjective, Unpaired
from twinning.result import PairsKpis, PairsResult, PairsSolution, gap_of
from twinning.rules.pairs import (
    fixed_pairs,
    helper_capacity,
    helper_schools,
    min_places,
    student_budget_limit,
    subject_profile,
    why,
)

__all__ = ["PairsData", "build_pairs_data", "solve_pairs"]


def solve_pairs(
    inst: Instance,
    *,
    backend: str = "cpsat",
    engine: str = "auto",
    settings: SearchSettings | None = None,
    dist: Distances | None = None,
) -> PairsSolution:
    """Solve the pairs part.

    Parameters
    ----------
    backend
        ``"cpsat"`` (OR-Tools: min-cost flow where the model is a pure network, CP-SAT
        otherwise) or ``"pulp"`` (CBC), or ``"pulp-highs"``.
    engine
        ``"auto"``, or force ``"flow"`` / ``"cpsat"`` within the OR-Tools backend (tests
        use this to cross-check the engines).
    """
    start = time.perf_counter()
    settings = settings or SearchSettings()
    conflicts = fixed_conflicts(inst)
    if conflicts:
        part = PairsResult(
            status="infeasible",
            method=msg("method.pairs.pinned_check"),
            wall_time=time.perf_counter() - start,
            message=clauses(*conflicts),
        )
        return PairsSolution(part)
    dist = dist or Distances(inst)
    data = build_pairs_data(inst, dist)
    w8 = inst.policy.weights
    if backend.startswith("pulp"):
        name = "HiGHS" if backend == "pulp-highs" else "CBC"
        out = solve_pulp(data, w8.pair_min_helped, settings.time_limit, name)
    elif engine == "flow" or (engine == "auto" and not data.has_side_constraints):
        if data.has_side_constraints:
            raise ValueError("min-cost flow cannot take twinning.max_helped_students_ratio")
        out = solve_flow(data, w8.pair_min_helped)
    else:
        relaxed = None
        if engine == "auto" and data.n_arcs:
            # The flow optimum without the side constraints bounds the constrained problem;
            # when it happens to keep them, it is the optimum and CP-SAT is not needed.
            relaxed = solve_flow(data, w8.pair_min_helped)
            if feasible_part(data, relaxed.chosen).size == relaxed.chosen.size:
                relaxed.method = msg("method.pairs.flow_not_binding")
                return _result(inst, data, relaxed, dist, time.perf_counter() - start)
        out = solve_cpsat(data, w8.pair_min_helped, settings, relaxed)
    return _result(inst, data, out, dist, time.perf_counter() - start)


def fixed_conflicts(inst: Instance) -> list[Msg]:
    """Pinned pairs that no plan can keep together, in planner terms."""
    out = []
    schools = {s.id: s for s in inst.schools}
    pinned_pairs = fixed_pairs(inst)
    load = Counter(h for h, _ in pinned_pairs)
    for h, n in sorted(load.items()):
        cap = helper_capacity(inst, schools[h])
        if n > cap:
            out.append(msg("pairs.max_helped_pinned", n=n, helper=h, capacity=cap, over=n - cap))
    if inst.policy.twinning.max_helped_students_ratio is not None:
        for h in sorted(load):
            pinned = sum(schools[w].students or 0 for x, w in pinned_pairs if x == h)
            limit = student_budget_limit(inst, schools[h])
            if pinned > limit:
                out.append(
                    msg("pairs.students_ratio_pinned", helper=h, students=pinned, limit=limit)
                )
    helped = Counter(w for _, w in pinned_pairs)
    for w, n in sorted(helped.items()):
        if n > 1:
            out.append(msg("pairs.helped_once_pinned", school=w, n=n))
    return out


def _result(
    inst: Instance, data: PairsData, out: EngineOutcome, dist: Distances, elapsed: float
) -> PairsSolution:
    w8 = inst.policy.weights
    if out.status in ("infeasible", "unknown"):
        part = PairsResult(
            status=out.status,
            method=out.method,
            wall_time=elapsed,
            message=msg("pairs.no_plan"),
        )
        return PairsSolution(part)
    value, terms = pairs_cost(data, out.chosen, w8.pair_cover, w8.pair_min_helped)
    bound = None
    if out.stage2_bound is not None:
        bound = (
            w8.pair_cover * (len(data.helped) - out.count_upper) + out.stage2_bound + data.constant
        )
        bound = min(bound, float(value))
    profile = data.profile or subject_profile(inst)
    pairs: list[Pair] = []
    for a in out.chosen:
        h, w = data.helpers[data.arc_helper[a]], data.helped[data.arc_helped[a]]
        pairs.append(
            Pair(
                helper=h,
                helped=w,
                distance_km=round(float(data.arc_km[a]), 3),
                complementarity=int(data.arc_comp[a]),
                why=why(profile, h, w),
            )
        )
    for (h, w), c, km in zip(data.fixed, data.fixed_comp, data.fixed_km, strict=True):
        pairs.append(
            Pair(
                helper=h,
                helped=w,
                distance_km=round(km, 3),
                complementarity=c,
                why=why(profile, h, w, pinned=True),
                fixed=True,
            )
        )
    unpaired = _unpaired(data, out.chosen)
    status = out.status
    kpis = _kpis(inst, data, pairs, unpaired)
    part = PairsResult(
        status=status,
        objective=value,
        bound=bound,
        gap=gap_of(value, bound),
        method=out.method,
        wall_time=elapsed,
        terms=terms,
        kpis=kpis,
    )
    return PairsSolution(part, PartObjective(value=value, terms=terms), pairs, unpaired)


def _unpaired(data: PairsData, chosen: np.ndarray) -> list[Unpaired]:
    paired = set(data.arc_helped[chosen].tolist())
    load = np.bincount(data.arc_helper[chosen], minlength=len(data.helpers))
    spare = load < data.capacity
    out = []
    for j, w in enumerate(data.helped):
        if j in paired:
            continue
        if w in data.reasons:
            reason, detail = data.reasons[w]
        else:
            mine = data.arc_helped == j
            if spare[data.arc_helper[mine]].any():
                reason, detail = "side_constraint", msg("pairs.unpaired.side_constraint")
            else:
                n = int(mine.sum())
                reason, detail = "capacity_used", msg("pairs.unpaired.capacity_used", n=n)
        out.append(Unpaired(school=w, reason=reason, detail=detail))
    return out


def _kpis(
    inst: Instance, data: PairsData, pairs: list[Pair], unpaired: list[Unpaired]
) -> PairsKpis:
    loads = Counter(p.helper for p in pairs)
    helpers = helper_schools(inst)
    below = sum(1 for s in helpers if loads[s.id] < min_places(inst, s))
    kms = [p.distance_km for p in pairs]
    return PairsKpis(
        weak_schools=data.weak_total,
        paired=len(pairs),
        paired_share=round(len(pairs) / data.weak_total, 4) if data.weak_total else 1.0,
        helpers=len(helpers),
        helpers_used=len(loads),
        helpers_below_min=below,
        mean_km=round(float(np.mean(kms)), 3) if kms else 0.0,
        max_km=round(max(kms), 3) if kms else 0.0,
        complementarity=sum(p.complementarity for p in pairs),
        unpaired_by_reason=dict(Counter(u.reason for u in unpaired)),
        candidate_arcs=data.n_arcs,
    )
