"""Capacitated alliances at city scale: a Lagrangian bound and a flow-based plan.

The model (see :mod:`twinning.models.alliances.data`) without balance terms is a
capacitated p-median problem over slots with side constraints (every open slot holds
between ``min`` and ``max`` schools and, where the mix rule asks, a rural one; a
number of open slots per count group). Relaxing "every school in exactly one slot"
with multipliers ``lam`` leaves, per slot, the choice of its cheapest members by
reduced cost ``cost - lam`` within the sizes (with the cheapest rural one forced in
where needed), and, per count group, its cheapest slots: an exact, vectorised
subproblem whose value is a lower bound for every ``lam``. Subgradient steps
(Polyak's rule against the best plan) tighten it.

Plans come from the open slots of the subproblem: given the open slots, the
assignment of schools to them with the sizes and the rural member is a min-cost flow
(lower bounds carried by bonus arcs), solved exactly by OR-Tools' network simplex;
a swap search then moves leads within their group while it pays.

Balance terms (``weights.alliance_balance_*``) are not in the flow; they are added to
a plan's value, and the bound leaves them at 0, so the reported gap stays honest.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from twinning.models.alliances.data import AlliancesData, IntArray, alliance_cost

FloatArray = NDArray[np.float64]

#: Member arcs per school in the flow: its cheapest open slots (all when that fails).
NEAREST = 20
#: Rural schools each slot needing one may reach in the flow, besides those arcs.
RURAL_NEAREST = 60


#: Work per second of time limit in deterministic runs (measured on the 2,000-school
#: county: about 27 subgradient steps and 7 flows a second on this machine).
ITERATIONS_PER_SECOND = 25
FLOWS_PER_SECOND = 6


@dataclass
class _Budget:
    deadline: float
    seconds: float
    deterministic: bool

    def spent(self, iterations: int, flows: int) -> bool:
        if self.deterministic:
            return (
                iterations >= ITERATIONS_PER_SECOND * self.seconds
                or flows >= FLOWS_PER_SECOND * self.seconds
            )
        return time.perf_counter() >= self.deadline


@dataclass
class CapacitatedResult:
    slot_of: IntArray | None
    value: float
    bound: float
    iterations: int
    flows: int


class _Flow:
    """Assign schools to a set of open slots at least cost within sizes and mix."""

    def __init__(self, data: AlliancesData) -> None:
        self.data = data
        self.cost_t = data.cost.T  # K x n
        self.low = data.slot_min
        self.high = data.slot_max
        finite = np.where(np.isfinite(data.cost), data.cost, 0)
        self.big = int(finite.max(axis=1).sum()) + 1 if data.n else 1
        self.calls = 0

    def assign(self, open_slots: list[int], nearest: int | None = NEAREST) -> IntArray | None:
        from ortools.graph.python import min_cost_flow

        data = self.data
        self.calls += 1
        n = data.n
        slots = np.array(sorted(open_slots), dtype=np.int64)
        leads = data.slot_lead[slots]
        if len(set(leads.tolist())) < len(slots):
            return None  # a school would lead twice
        counts = np.bincount(data.slot_group[slots], minlength=len(data.groups))
        if any(int(c) != g.alliances for c, g in zip(counts, data.groups, strict=True)):
            return None  # not the alliances the policy asks for
        slot_of = np.full(n, -1, dtype=np.int64)
        slot_of[leads] = slots
        free = np.nonzero(slot_of < 0)[0]
        sub = self.cost_t[np.ix_(slots, free)]  # open x free
        ok = np.isfinite(sub)
        if nearest is not None and len(slots) > nearest:
            order = np.argsort(np.where(ok, sub, np.inf), axis=0)[:nearest]
            keep = np.zeros_like(ok)
            np.put_along_axis(keep, order, True, axis=0)
            # and each slot's nearest schools up to its largest size, and rural schools
            wide = int(min(len(free), max(self.high[slots].max(), 1)))
            masked = np.where(ok, sub, np.inf)
            near = np.argpartition(masked, wide - 1, axis=1)[:, :wide]
            np.put_along_axis(keep, near, True, axis=1)
            is_rural = data.rural[free]
            if is_rural.any():
                few = int(min(RURAL_NEAREST, is_rural.sum()))
                rural_cost = np.where(is_rural[None, :], masked, np.inf)
                near = np.argpartition(rural_cost, few - 1, axis=1)[:, :few]
                np.put_along_axis(keep, near, True, axis=1)
            ok &= keep
        if not ok.any(axis=0).all():
            return None if nearest is None else self.assign(open_slots, None)
        m = len(slots)
        f = len(free)
        sink = f + 2 * m  # nodes: free schools, T_k (f + a), R_k (f + m + a), sink
        pos = np.arange(m)
        need_rural = data.rural_needed[slots] & ~data.rural[leads]
        low = np.maximum(self.low[slots] - 1, 0)
        spare = np.maximum(self.high[slots] - 1 - low, 0)
        a_idx, s_idx = np.nonzero(ok)
        rural = data.rural[free]
        parts = [
            # R_k -> T_k: one rural school at a bonus where the mix asks for it, then any
            (f + m + pos[need_rural], f + pos[need_rural], np.ones(need_rural.sum()), -self.big),
            (f + m + pos, f + pos, np.full(m, n), 0),
            # T_k -> sink: the schools up to the smallest size at a bonus, then the rest
            (f + pos[low > 0], np.full((low > 0).sum(), sink), low[low > 0], -self.big),
            (f + pos, np.full(m, sink), spare, 0),
            # school -> T_k or R_k at the assignment cost
            (s_idx, np.where(rural[s_idx], f + m + a_idx, f + a_idx), np.ones(len(s_idx)), None),
        ]
        tails = np.concatenate([np.asarray(p[0]) for p in parts]).astype(np.int64)
        heads = np.concatenate([np.asarray(p[1]) for p in parts]).astype(np.int64)
        caps = np.concatenate([np.asarray(p[2]) for p in parts]).astype(np.int64)
        costs = np.concatenate(
            [
                np.full(len(parts[0][0]), -self.big),
                np.zeros(m),
                np.full(len(parts[2][0]), -self.big),
                np.zeros(m),
                sub[a_idx, s_idx],
            ]
        ).astype(np.int64)
        flow = min_cost_flow.SimpleMinCostFlow()
        arcs = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
        supplies = np.zeros(sink + 1, dtype=np.int64)
        supplies[:f] = 1
        supplies[sink] = -f
        flow.set_nodes_supplies(np.arange(sink + 1), supplies)
        if flow.solve() != flow.OPTIMAL:
            return None if nearest is None else self.assign(open_slots, None)
        used = flow.flows(arcs)
        n_rural, n_low = len(parts[0][0]), len(parts[2][0])
        if used[:n_rural].sum() < n_rural:
            return None if nearest is None else self.assign(open_slots, None)
        start_low = n_rural + m
        if (used[start_low : start_low + n_low] < low[low > 0]).any():
            return None if nearest is None else self.assign(open_slots, None)
        member = used[len(used) - len(s_idx) :] > 0
        slot_of[free[s_idx[member]]] = slots[a_idx[member]]
        return slot_of


def _slot_values(
    data: AlliancesData,
    lam: FloatArray,
    other: FloatArray,
    lead_cost: FloatArray,
    low: IntArray,
    high: IntArray,
) -> tuple[FloatArray, list[IntArray]]:
    """Each slot's Lagrangian value and chosen members (lead first)."""
    k_count, n = other.shape
    width = int(min(n - 1, max(high.max() - 1, 1)))
    rc = other - lam[None, :]
    if width < n:
        idx = np.argpartition(rc, width - 1, axis=1)[:, :width] if width > 0 else None
    else:
        idx = np.tile(np.arange(n), (k_count, 1))
    values = lead_cost - lam[data.slot_lead]
    chosen: list[IntArray] = []
    if idx is None:
        return values, [np.array([j]) for j in data.slot_lead]
    part = np.take_along_axis(rc, idx, axis=1)
    order = np.argsort(part, axis=1)
    idx = np.take_along_axis(idx, order, axis=1)
    part = np.take_along_axis(part, order, axis=1)
    for k in range(k_count):
        lo, hi = int(low[k]) - 1, int(high[k]) - 1
        row, ids = part[k, :hi], idx[k, :hi]
        finite = np.isfinite(row)
        take = max(lo, int(((row < 0) & finite).sum()))
        if take > finite.sum():
            values[k] = np.inf
            chosen.append(np.array([data.slot_lead[k]]))
            continue
        members = ids[:take]
        value = float(row[:take].sum())
        lacks_rural = not data.rural[members].any()
        if data.rural_needed[k] and not data.rural[data.slot_lead[k]] and lacks_rural:
            rural_rc = np.where(data.rural & np.isfinite(rc[k]), rc[k], np.inf)
            r = int(np.argmin(rural_rc))
            if not np.isfinite(rural_rc[r]):
                values[k] = np.inf
                chosen.append(np.array([data.slot_lead[k]]))
                continue
            rest_take = max(lo - 1, int(((row < 0) & finite & (ids != r)).sum()))
            rest_take = min(rest_take, hi - 1)
            mask = ids != r
            rest_ids, rest = ids[mask][:rest_take], row[mask][:rest_take]
            members = np.concatenate([[r], rest_ids])
            value = float(rural_rc[r] + rest.sum())
        values[k] += value
        chosen.append(np.concatenate([[data.slot_lead[k]], members]).astype(np.int64))
    return values, chosen


def _select(data: AlliancesData, values: FloatArray) -> list[int] | None:
    """Per count group its cheapest slots (a slot of each fixed lead first)."""
    out: list[int] = []
    mine: dict[int, list[int]] = {}
    for k, j in enumerate(data.slot_lead.tolist()):
        mine.setdefault(j, []).append(k)
    forced = {min(mine.get(j, []), key=lambda k: values[k]) for j in data.fixed_leads if j in mine}
    for g, group in enumerate(data.groups):
        in_g = np.nonzero(data.slot_group == g)[0]
        pick = [int(k) for k in in_g if k in forced]
        rest = [int(k) for k in in_g[np.argsort(values[in_g])] if k not in forced]
        pick += rest[: max(0, group.alliances - len(pick))]
        if len(pick) < group.alliances or not np.isfinite(values[pick]).all():
            return None
        out += [int(k) for k in pick]
    return out


def _repair(data: AlliancesData, open_slots: list[int], values: FloatArray) -> list[int]:
    """A school leading two slots keeps its cheaper one; the group takes its next slot."""
    taken: set[int] = set()
    out: list[int] = []
    order = sorted(open_slots, key=lambda k: values[k])
    dropped: list[int] = []
    for k in order:
        j = int(data.slot_lead[k])
        if j in taken:
            dropped.append(k)
            continue
        taken.add(j)
        out.append(k)
    for k in dropped:
        g = data.slot_group[k]
        spare = [
            int(c)
            for c in np.nonzero(data.slot_group == g)[0]
            if int(data.slot_lead[c]) not in taken and c not in out
        ]
        if spare:
            best = min(spare, key=lambda c: values[c])
            out.append(best)
            taken.add(int(data.slot_lead[best]))
    return out


def solve_capacitated(
    data: AlliancesData,
    time_limit: float,
    *,
    start_plan: IntArray | None = None,
    seed: int = 0,
    gap_limit: float = 0.0,
    deterministic: bool = False,
) -> CapacitatedResult:
    """Lagrangian bound and the best flow-based plan found within ``time_limit``.

    Stops early when the plan is within ``gap_limit`` (relative) of the bound. With
    ``deterministic`` the clock is not read: the work is capped at
    :data:`ITERATIONS_PER_SECOND` subgradient steps and :data:`FLOWS_PER_SECOND` flows
    per second of ``time_limit``, so repeated runs give the same plan.
    """
    if data.k == 0 or (data.p == 0 and data.n > 0):
        return CapacitatedResult(None, np.inf, np.inf, 0, 0)  # no school may lead
    t0 = time.perf_counter()
    budget = _Budget(t0 + time_limit, time_limit, deterministic)
    rng = np.random.default_rng(seed)
    flow = _Flow(data)
    n = data.n
    cost_t = data.cost.T.copy()
    lead_cost = cost_t[np.arange(data.k), data.slot_lead].copy()
    other = cost_t.copy()
    other[np.arange(data.k), data.slot_lead] = np.inf
    low, high = data.slot_min, data.slot_max
    best: IntArray | None = None
    best_value = np.inf
    if start_plan is not None:
        best, best_value = start_plan, float(alliance_cost(data, start_plan)[0])
    lam = np.where(np.isfinite(data.cost), data.cost, np.inf).min(axis=1)
    lam = np.where(np.isfinite(lam), lam, 0.0)
    bound = -np.inf
    theta = 2.0
    stall = 0
    seen: set[tuple[int, ...]] = set()
    it = 0
    while not budget.spent(it, flow.calls):
        it += 1
        values, chosen = _slot_values(data, lam, other, lead_cost, low, high)
        pick = _select(data, values)
        if pick is None:
            break  # some group cannot open its slots: the bound is +inf
        lb = float(lam.sum() + values[pick].sum())
        if not np.isfinite(lb):
            break
        if lb > bound + 1e-9:
            bound, stall = lb, 0
        else:
            stall += 1
            if stall >= 20:
                theta, stall = theta / 2, 0
        key = tuple(sorted(pick))
        if key not in seen and (it <= 3 or it % 4 == 0):
            seen.add(key)
            plan = flow.assign(_repair(data, pick, values))
            if plan is not None:
                value = float(alliance_cost(data, plan)[0])
                if value < best_value:
                    best, best_value = plan, value
        if np.isfinite(best_value) and best_value - bound < max(1.0, 1e-6 * abs(best_value)):
            bound = max(bound, np.ceil(bound - 1e-6))
            break
        if gap_limit and np.isfinite(best_value) and best_value - bound <= gap_limit * best_value:
            break
        if theta < 1e-4:
            break
        grad = np.ones(n)
        for k in pick:
            grad[chosen[k]] -= 1
        norm = float(grad @ grad)
        if norm == 0:
            break
        target = best_value if np.isfinite(best_value) else abs(lb) * 1.05 + 1
        step = theta * max(target - lb, 1e-6) / norm
        if not np.isfinite(step) or step > 1e12:
            break  # the dual runs away: no plan keeps the rules (CP-SAT proves it)
        lam += step * grad
    if best is not None and best_value - bound > max(1.0, gap_limit * best_value):
        best, best_value = _swap_search(data, flow, best, best_value, budget, it, rng)
    return CapacitatedResult(best, best_value, bound, it, flow.calls)


def _swap_search(
    data: AlliancesData,
    flow: _Flow,
    plan: IntArray,
    value: float,
    budget: _Budget,
    it: int,
    rng: np.random.Generator,
) -> tuple[IntArray, float]:
    """Move one lead at a time to a nearby slot of its group while the plan improves."""
    km_leads = data.km[data.slot_lead]  # K x K: slot lead to slot lead
    improved = True
    while improved and not budget.spent(it, flow.calls):
        improved = False
        open_slots = sorted(set(plan.tolist()))
        leads = {int(data.slot_lead[k]) for k in open_slots}
        for k in rng.permutation(open_slots):
            if budget.spent(it, flow.calls):
                break
            if int(data.slot_lead[k]) in data.fixed_leads:
                continue
            g = data.slot_group[k]
            cands = [
                int(c)
                for c in np.argsort(km_leads[k])
                if data.slot_group[c] == g and int(data.slot_lead[c]) not in leads
            ][:4]
            for c in cands:
                trial = [s for s in open_slots if s != k] + [c]
                new = flow.assign(trial)
                if new is None:
                    continue
                v = float(alliance_cost(data, new)[0])
                if v < value - 1e-9:
                    plan, value, improved = new, v, True
                    break
            if improved:
                break
    return plan, value
