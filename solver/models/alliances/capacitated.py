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
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from twinning.models.alliances.data import AlliancesData, BoolArray, IntArray, alliance_cost
from twinning.models.search import STOP

FloatArray = NDArray[np.float64]

#: Member arcs per school in the flow: its cheapest open slots (all when that fails).
NEAREST = 20
#: Rural schools each slot needing one may reach in the flow, besides those arcs.
RURAL_NEAREST = 60


#: Work per second of time limit in deterministic runs (measured on the 2,000-school
#: county: about 27 subgradient steps and 7 flows a second on this machine).
ITERATIONS_PER_SECOND = 25
FLOWS_PER_SECOND = 6

#: Share of the time the flows may take in a timed run (a city's flow takes seconds).
FLOW_SHARE = 0.3


@dataclass
class _Budget:
    deadline: float
    seconds: float
    deterministic: bool

    #: the longest flow so far (seconds): a flow is not started that would end past the
    #: deadline (a city's flow takes seconds and cannot be stopped once started)
    flow_seconds: float = 0.0
    #: seconds spent in flows so far
    flow_total: float = 0.0

    def spent(self, iterations: int, flows: int) -> bool:
        if STOP.requested:
            return True
        if self.deterministic:
            return (
                iterations >= ITERATIONS_PER_SECOND * self.seconds
                or flows >= FLOWS_PER_SECOND * self.seconds
            )
        return time.perf_counter() >= self.deadline

    def room_for_flow(self, flows: int) -> bool:
        """Whether a flow may start: in deterministic runs, within the flows' count; else
        when the longest flow so far would still end by the deadline."""
        if STOP.requested:
            return False
        if self.deterministic:
            return flows < FLOWS_PER_SECOND * self.seconds
        return time.perf_counter() + self.flow_seconds <= self.deadline

    def flow_due(self, iterations: int, flows: int) -> bool:
        """A plan from this step's open slots: the first steps' and every fourth one's,
        and (not in deterministic runs) only while flows have taken at most
        :data:`FLOW_SHARE` of the time so far (a city's flows take seconds, and the
        bound rises only with the steps between them)."""
        if not (iterations <= 3 or iterations % 4 == 0) or not self.room_for_flow(flows):
            return False
        if self.deterministic or not flows:
            return True
        spent = time.perf_counter() - (self.deadline - self.seconds)
        return self.flow_total <= FLOW_SHARE * spent

    def timed(self, flow: _Flow, slots: list[int]) -> IntArray | None:
        """``flow.assign(slots)``, its duration kept."""
        t = time.perf_counter()
        try:
            return flow.assign(slots)
        finally:
            took = time.perf_counter() - t
            self.flow_seconds = max(self.flow_seconds, took)
            self.flow_total += took


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
        """The least-cost assignment to these open slots, or None when none keeps the
        sizes and the mix (or the slots are not a plan's: a lead twice, wrong counts).

        With ``nearest``, the flow first offers each school only its nearest open slots
        (and each slot its nearest schools and rural schools); where that leaves a school
        without room or a slot short of its smallest size or its rural member, those
        schools and slots are offered four, then sixteen times as many arcs and the flow
        is solved again; the last try offers every arc (a city's full flow takes many
        seconds, a sparse one a fraction of that)."""
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
        if not len(free):
            whole = (self.low[slots] <= 1).all() and not self._rural_short(slots)
            return slot_of if whole else None
        sub = self.cost_t[np.ix_(slots, free)]  # open x free
        ok = np.isfinite(sub)
        if not ok.any(axis=0).all():
            return None  # a school with no open slot of its pool
        keep: BoolArray | None = None
        masked = np.where(ok, sub, np.inf)
        if nearest is not None and len(slots) > nearest:
            keep = np.zeros_like(ok)
            every = (np.arange(len(free)), np.arange(len(slots)))
            self._widen(keep, masked, *every, slots, free, nearest, 1)
        for widen in (4, 16, 0):
            got = self._solve(slots, free, sub, ok if keep is None else ok & keep, keep is not None)
            if isinstance(got, np.ndarray):
                slot_of[free] = got
                return slot_of
            if keep is None:
                return None
            if got is None or not widen or STOP.requested:
                keep = None  # the last try: every arc
                continue
            schools, short = got  # these schools and slots offered more arcs
            self._widen(keep, masked, schools, short, slots, free, nearest or NEAREST, widen)
        return None

    def _widen(
        self,
        keep: BoolArray,
        masked: FloatArray,
        schools: IntArray,
        short: IntArray,
        slots: IntArray,
        free: IntArray,
        nearest: int,
        times: int,
    ) -> None:
        """Offer arcs: to these schools their ``times x nearest`` nearest open slots; to
        these slots their nearest schools up to ``times`` x their largest size and their
        ``times x`` :data:`RURAL_NEAREST` nearest rural schools."""
        m, f = masked.shape
        if len(schools):
            few = min(m, nearest * times)
            cols = masked[:, schools]
            rows = np.argpartition(cols, few - 1, axis=0)[:few] if few < m else None
            sel = np.zeros(cols.shape, dtype=bool)
            if rows is None:
                sel[:] = True
            else:
                np.put_along_axis(sel, rows, True, axis=0)
            keep[:, schools] |= sel
        if not len(short) or not f:
            return
        part = masked[short]
        slots_high = self.high[slots[short]]
        wide = int(min(f, max(int(slots_high.max()), 1) * times))
        near = np.argpartition(part, wide - 1, axis=1)[:, :wide] if wide < f else None
        sel = np.zeros(part.shape, dtype=bool)
        if near is None:
            sel[:] = True
        else:
            np.put_along_axis(sel, near, True, axis=1)
        is_rural = self.data.rural[free]
        if is_rural.any():
            few = int(min(RURAL_NEAREST * times, is_rural.sum()))
            rural_cost = np.where(is_rural[None, :], part, np.inf)
            near = np.argpartition(rural_cost, few - 1, axis=1)[:, :few]
            np.put_along_axis(sel, near, True, axis=1)
        keep[short] |= sel

    def _rural_short(self, slots: IntArray) -> bool:
        leads = self.data.slot_lead[slots]
        return bool((self.data.rural_needed[slots] & ~self.data.rural[leads]).any())

    def _solve(
        self, slots: IntArray, free: IntArray, sub: FloatArray, ok: BoolArray, overflow: bool
    ) -> IntArray | tuple[IntArray, IntArray] | None:
        """One min-cost flow over the arcs ``ok``: each free school's slot, or (with
        ``overflow``, arcs that let a school stay out at a price) the positions of the
        schools left out and of the open slots short of their smallest size or rural
        member; None when the flow has no solution."""
        from ortools.graph.python import min_cost_flow

        data = self.data
        n = data.n
        m = len(slots)
        f = len(free)
        sink = f + 2 * m  # nodes: free schools, T_k (f + a), R_k (f + m + a), sink
        pos = np.arange(m)
        leads = data.slot_lead[slots]
        need_rural = data.rural_needed[slots] & ~data.rural[leads]
        low = np.maximum(self.low[slots] - 1, 0)
        spare = np.maximum(self.high[slots] - 1 - low, 0)
        a_idx, s_idx = np.nonzero(ok)
        rural = data.rural[free]
        out = np.arange(f) if overflow else np.zeros(0, dtype=np.int64)
        parts = [
            # R_k -> T_k: one rural school at a bonus where the mix asks for it, then any
            (f + m + pos[need_rural], f + pos[need_rural], np.ones(need_rural.sum()), -self.big),
            (f + m + pos, f + pos, np.full(m, n), 0),
            # T_k -> sink: the schools up to the smallest size at a bonus, then the rest
            (f + pos[low > 0], np.full((low > 0).sum(), sink), low[low > 0], -self.big),
            (f + pos, np.full(m, sink), spare, 0),
            # school -> sink: left out, dearer than any bonus (only a sparse flow's way out)
            (out, np.full(len(out), sink), np.ones(len(out)), 3 * self.big),
            # school -> T_k or R_k at the assignment cost
            (s_idx, np.where(rural[s_idx], f + m + a_idx, f + a_idx), np.ones(len(s_idx)), None),
        ]
        tails = np.concatenate([np.asarray(p[0]) for p in parts]).astype(np.int64)
        heads = np.concatenate([np.asarray(p[1]) for p in parts]).astype(np.int64)
        caps = np.concatenate([np.asarray(p[2]) for p in parts]).astype(np.int64)
        costs = np.concatenate(
            [np.full(len(p[0]), p[3]) for p in parts[:-1]] + [sub[a_idx, s_idx]]
        ).astype(np.int64)
        flow = min_cost_flow.SimpleMinCostFlow()
        arcs = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
        supplies = np.zeros(sink + 1, dtype=np.int64)
        supplies[:f] = 1
        supplies[sink] = -f
        flow.set_nodes_supplies(np.arange(sink + 1), supplies)
        if flow.solve() != flow.OPTIMAL:
            return None
        used = flow.flows(arcs)
        sizes = [len(p[0]) for p in parts]
        at = np.cumsum([0, *sizes])
        rural_short = pos[need_rural][used[at[0] : at[1]] < 1]
        low_short = pos[low > 0][used[at[2] : at[3]] < low[low > 0]]
        left_out = out[used[at[4] : at[5]] > 0]
        if len(rural_short) or len(low_short) or len(left_out):
            if not overflow:
                return None
            return left_out, np.union1d(rural_short, low_short)
        member = used[at[5] :] > 0
        got = np.full(f, -1, dtype=np.int64)
        got[s_idx[member]] = slots[a_idx[member]]
        return got


class _Subproblem:
    """Each slot's Lagrangian subproblem, computed a count group at a time over the
    schools of its pool only (a city's slots see about half of its schools), every slot
    at once: its members are the schools of negative reduced cost, at least its smallest
    size and at most its largest, with its cheapest rural school forced in where the mix
    asks for one and none is among them."""

    def __init__(self, data: AlliancesData) -> None:
        self.data = data
        cost_t = data.cost.T  # K x n (a view)
        self.lead_cost = cost_t[np.arange(data.k), data.slot_lead].copy()
        self.blocks: list[tuple[IntArray, IntArray, FloatArray]] = []
        for g in range(len(data.groups)):
            slots = np.nonzero(data.slot_group == g)[0]
            if not len(slots):
                continue
            rows = np.nonzero(np.isfinite(cost_t[slots]).any(axis=0))[0]
            other = cost_t[np.ix_(slots, rows)]  # a copy: the lead's own entry removed
            other[np.arange(len(slots)), np.searchsorted(rows, data.slot_lead[slots])] = np.inf
            self.blocks.append((slots, rows, other))
        widest = max((self._width(s, r) for s, r, _ in self.blocks), default=0)
        self.width = max(widest, 0) + 2  # lead, forced rural school, members

    def _width(self, slots: IntArray, rows: IntArray) -> int:
        """Members looked at per slot of a block: up to its largest size."""
        return int(min(len(rows) - 1, max(int(self.data.slot_max[slots].max()) - 1, 1)))

    def values(self, lam: FloatArray) -> tuple[FloatArray, IntArray]:
        """Each slot's Lagrangian value and its chosen schools (row k: the lead, then the
        members; -1 pads)."""
        data = self.data
        values = self.lead_cost - lam[data.slot_lead]
        members = np.full((data.k, self.width), -1, dtype=np.int64)
        members[:, 0] = data.slot_lead
        for slots, rows, other in self.blocks:
            self._block(lam, slots, rows, other, values, members)
        return values, members

    def _block(
        self,
        lam: FloatArray,
        slots: IntArray,
        rows: IntArray,
        other: FloatArray,
        values: FloatArray,
        members: IntArray,
    ) -> None:
        data = self.data
        lo = data.slot_min[slots] - 1
        hi = data.slot_max[slots] - 1
        width = self._width(slots, rows)
        if width <= 0:
            return  # a pool of one school: its lead alone
        rc = other - lam[rows][None, :]
        idx = np.argpartition(rc, width - 1, axis=1)[:, :width]
        part = np.take_along_axis(rc, idx, axis=1)
        order = np.argsort(part, axis=1)
        idx = np.take_along_axis(idx, order, axis=1)
        part = np.take_along_axis(part, order, axis=1)
        col = np.arange(width)[None, :]
        # Sorted rows: the finite entries, and among them the negative ones, come first.
        finite = np.isfinite(part) & (col < hi[:, None])
        neg = ((part < 0) & finite).sum(axis=1)
        take = np.maximum(lo, neg)
        bad = take > finite.sum(axis=1)
        sums = np.concatenate(
            [np.zeros((len(slots), 1)), np.cumsum(np.where(finite, part, 0.0), axis=1)], axis=1
        )
        rows_of = np.arange(len(slots))
        value = sums[rows_of, np.minimum(take, width)]
        count = take.copy()
        forced = np.full(len(slots), -1, dtype=np.int64)
        rural = data.rural[rows]
        need = data.rural_needed[slots] & ~data.rural[data.slot_lead[slots]] & ~bad
        has = (rural[idx] & (col < take[:, None])).any(axis=1)
        fix = np.nonzero(need & ~has)[0]
        if len(fix):
            rural_rc = np.where(rural[None, :] & np.isfinite(rc[fix]), rc[fix], np.inf)
            r = np.argmin(rural_rc, axis=1)
            r_rc = rural_rc[np.arange(len(fix)), r]
            ok = np.isfinite(r_rc) & (hi[fix] >= 1)  # room for a rural member
            bad[fix[~ok]] = True
            fix, r, r_rc = fix[ok], r[ok], r_rc[ok]
            # The rural school is not among the chosen (nor the negative) ones: the
            # others are the first entries of the row.
            rest = np.minimum(np.maximum(lo[fix] - 1, neg[fix]), hi[fix] - 1)
            value[fix] = r_rc + sums[fix, rest]
            count[fix] = rest
            forced[fix] = rows[r]
        value[bad] = np.inf
        count[bad] = 0
        values[slots] += value
        chosen = np.where(col < count[:, None], rows[idx], -1)
        members[slots, 1] = forced
        members[slots, 2 : 2 + width] = chosen


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
    if not dropped:
        return out
    chosen = set(out)
    # Each group's slots cheapest first (ties by position), walked once: a city drops
    # hundreds of slots among thousands.
    walk: dict[int, Iterator[int]] = {}
    for k in dropped:
        g = int(data.slot_group[k])
        if g not in walk:
            in_g = np.nonzero(data.slot_group == g)[0]
            walk[g] = iter(in_g[np.argsort(values[in_g], kind="stable")].tolist())
        for c in walk[g]:
            if int(data.slot_lead[c]) not in taken and c not in chosen:
                out.append(c)
                chosen.add(c)
                taken.add(int(data.slot_lead[c]))
                break
    return out


def solve_capacitated(
    data: AlliancesData,
    time_limit: float,
    *,
    start_plan: IntArray | None = None,
    seed: int = 0,
    gap_limit: float = 0.0,
    deterministic: bool = False,
    report: Callable[[int, float, float], None] | None = None,
) -> CapacitatedResult:
    """Lagrangian bound and the best flow-based plan found within ``time_limit``.

    Stops early when the plan is within ``gap_limit`` (relative) of the bound. With
    ``deterministic`` the clock is not read: the work is capped at
    :data:`ITERATIONS_PER_SECOND` subgradient steps and :data:`FLOWS_PER_SECOND` flows
    per second of ``time_limit``, so repeated runs give the same plan. ``report`` is
    called after each step with (steps, best plan's value or inf, bound); a stop request
    (Ctrl-C) ends the search with the best plan so far.
    """
    if data.k == 0 or (data.p == 0 and data.n > 0):
        return CapacitatedResult(None, np.inf, np.inf, 0, 0)  # no school may lead
    t0 = time.perf_counter()
    budget = _Budget(t0 + time_limit, time_limit, deterministic)
    rng = np.random.default_rng(seed)
    flow = _Flow(data)
    n = data.n
    sub = _Subproblem(data)
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
        values, chosen = sub.values(lam)
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
        if key not in seen and budget.flow_due(it, flow.calls):
            seen.add(key)
            plan = budget.timed(flow, _repair(data, pick, values))
            if plan is not None:
                value = float(alliance_cost(data, plan)[0])
                if value < best_value:
                    best, best_value = plan, value
        if report is not None:
            report(it, best_value, bound)
        if np.isfinite(best_value) and best_value - bound < max(1.0, 1e-6 * abs(best_value)):
            bound = max(bound, np.ceil(bound - 1e-6))
            break
        if gap_limit and np.isfinite(best_value) and best_value - bound <= gap_limit * best_value:
            break
        if theta < 1e-4:
            break
        taken = chosen[pick].ravel()
        grad = 1.0 - np.bincount(taken[taken >= 0], minlength=n)
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
            if budget.spent(it, flow.calls) or not budget.room_for_flow(flow.calls):
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
                if not budget.room_for_flow(flow.calls):
                    break
                trial = [s for s in open_slots if s != k] + [c]
                new = budget.timed(flow, trial)
                if new is None:
                    continue
                v = float(alliance_cost(data, new)[0])
                if v < value - 1e-9:
                    plan, value, improved = new, v, True
                    break
            if improved:
                break
    return plan, value
