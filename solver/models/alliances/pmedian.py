"""Exact p-median: choose ``p`` lead schools and send every school to its nearest lead.

With default weights, grouping schools into alliances with one lead each is the
p-median problem.  This module solves it to proven optimality in three stages:

1. **Heuristic upper bound.**  Greedy construction followed by a vectorised
   best-improvement vertex substitution (Whitaker's fast interchange in the form of
   Resende and Werneck: gains and losses for every (insert, remove) pair from the
   nearest and second-nearest open lead of each client), restarted a few times from
   perturbed solutions.
2. **Lagrangian lower bound** (Beasley 1993).  Relaxing "each client is assigned
   once" leaves a problem solved by picking the ``p`` smallest column sums; plain
   subgradient optimisation approaches the LP bound of the classical formulation in
   vectorised iterations of O(n m).  The relaxation's open set also seeds further
   local searches.  Lagrangian reduced costs then (a) close candidate columns that
   cannot be in any improving solution, (b) force open columns that every improving
   solution must contain, and (c) cap, per client, the cost at which it can be served
   in an improving solution.  Often the bound alone proves the incumbent optimal.
3. **Exact MIP on the reduced radius formulation** (Elloumi 2010; Cornuejols,
   Nemhauser and Wolsey 1980; Garcia, Labbe and Marin 2011): one variable per client
   and *distinct* distance level below the cap, with Elloumi's chained covering rows,
   solved by HiGHS and warm-started from the incumbent.  After stage 2 this model is
   small (227 to 4,736 columns where pmed1-15 need it).

Why this design (measured on the 2-core CI machine; the benchmark
``tests/benchmarks/bench_pmedian.py`` repeats the comparisons and writes
``tests/benchmarks/results/pmedian.md``):

- The LP relaxation of the full radius model took HiGHS 8.4-8.7 s by dual simplex on
  pmed11 and pmed12 (IPM and PDLP were no faster, primal simplex took 520 s on
  pmed6); the full radius MIP did not prove pmed6 or pmed11 in 10 s.  The Lagrangian
  dual gets within 0.02 % of the same bound in at most ~1,600 iterations (0.6 s) and
  proves 10 of pmed1-15 on its own (every distance there is an integer, so a bound
  above ``UB - 1`` suffices).
- On the reduced models HiGHS and CP-SAT (1 worker, linearization 2) were within a
  factor 1.5 of each other, the order changing between runs (pmed6: HiGHS 1.27-1.35 s,
  CP-SAT 0.88-1.21 s; pmed2, 3, 11, 12: 0.01-0.3 s for both); CP-SAT with 8 workers
  was 2-5 times slower.  HiGHS was kept because it takes fractional costs (km) as
  they are, where CP-SAT needs integer coefficients, i.e. scaling and rounding that
  a proof would have to account for.
- HiGHS runs with presolve off (its 1.14 MIP presolve returns wrong optima; see
  :func:`_solve_radius_highs`) and, when warm-started, without primal heuristics
  (they took 4,200 of 6,900 LP iterations on pmed6 and 6.8 s instead of 1.7 s).
- A plain CP-SAT model ``x[i][j] <= y[j]`` (8 workers) needs 3.2-3.6 s for pmed1 and
  does not prove pmed6 in 10 s; this module proves all of pmed1-15, the slowest
  (pmed6) in 1.6-1.7 s.
- Larger random Euclidean instances are harder for stage 3 (HiGHS spends its time
  in root cut rounds): 500 schools, p = 10 took 15 s; 800 schools, p = 20 stopped
  at a 0.02 % gap after 60 s.

The objective is always recomputed from the caller's distance matrix.  The bound
combines the Lagrangian value (computed here) with the HiGHS dual bound as explained
in :func:`solve_pmedian`; a MIP that prices its own solution below the recomputed
cost has its bound ignored.  Integrality of the data is used only when every finite
weighted distance is an integer.  HiGHS is imported lazily, on the first
instance that needs stage 3; next to ortools 9.15 it must be highspy < 1.15.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["PMedianResult", "solve_pmedian"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

# Subgradient schedule (Beasley 1993): the step factor starts at 2 and is halved after
# this many iterations without improving the best bound; the search stops below the
# minimum factor.  On pmed1-15 it stops after at most ~1,600 iterations, within 0.02 %
# of the LP bound (a patience of 100 gets closer but takes 2-3 times longer).
_SUBGRADIENT_PATIENCE = 30
_SUBGRADIENT_MIN_FACTOR = 1e-5
_SUBGRADIENT_MAX_ITERATIONS = 5000
# Every this many subgradient iterations the relaxation's open set seeds a local search.
_LAGRANGIAN_HEURISTIC_EVERY = 100
# Perturbation rounds of the iterated local search before the Lagrangian stage.  More
# rounds rarely pay: the Lagrangian-seeded searches and the MIP close what is left.
_PERTURBATION_ROUNDS = 30


@dataclass(frozen=True)
class PMedianResult:
    """Outcome of :func:`solve_pmedian`.

    Attributes
    ----------
    leads : tuple of int
        Sorted candidate column indices chosen as leads (empty when infeasible).
    assignment : numpy.ndarray
        Shape ``(n_clients,)``: the column index of the lead serving each client
        (``-1`` everywhere when no solution is known).
    objective : float
        ``sum_i weight_i * dist[i, assignment[i]]``; ``inf`` when no solution is known.
    bound : float
        Proven lower bound on the optimum (``inf`` when proven infeasible).
    status : str
        ``"optimal"``, ``"feasible"``, ``"infeasible"`` or ``"unknown"``.
    wall_time : float
        Seconds spent in :func:`solve_pmedian`.
    method : str
        Short description of what produced the solution and the proof.
    """

    leads: tuple[int, ...]
    assignment: NDArray[np.int64]
    objective: float
    bound: float
    status: str
    wall_time: float
    method: str


# --------------------------------------------------------------------- the instance


@dataclass
class _Instance:
    """The problem restricted to allowed candidates, in weighted-cost form."""

    cost: FloatArray  # (n, m) weighted costs to allowed candidates; inf = forbidden
    cand: IntArray  # (m,) original column index of each allowed candidate
    p: int
    forced: BoolArray  # (m,) candidates that must be open (fixed leads)
    self_col: IntArray  # (n,) local column of the client itself (square case) or -1
    irregular: BoolArray  # (n,) self-service costs more than the client's cheapest lead
    integral: bool  # every finite cost is an integer: objectives are integers
    dist: FloatArray  # the caller's matrix, for recomputing objectives
    weights: FloatArray

    def served_costs(self, open_mask: BoolArray) -> FloatArray:
        """Cost of each client under the true rule: a lead serves itself, others go
        to their nearest open lead."""
        cols = np.flatnonzero(open_mask)
        served = self.cost[:, cols].min(axis=1)
        own = (self.self_col >= 0) & open_mask[np.maximum(self.self_col, 0)]
        rows = np.flatnonzero(own)
        served[rows] = self.cost[rows, self.self_col[rows]]
        return served

    def objective(self, open_mask: BoolArray) -> float:
        """True objective of an open set (``inf`` if a client cannot be served)."""
        return float(self.served_costs(open_mask).sum())


def _prepare(
    dist: FloatArray,
    p: int,
    weights: FloatArray,
    fixed: IntArray,
    allowed: BoolArray,
) -> _Instance | str:
    """Restrict to allowed candidates; return a reason string when clearly infeasible."""
    n, m_all = dist.shape
    square = n == m_all
    usable = allowed.copy()
    if square:
        # A lead must serve itself, so a school that cannot be served by its own
        # column can never be a lead.
        usable &= np.isfinite(np.diagonal(dist))
    if not usable[fixed].all():
        return "a fixed lead is not an allowed lead"
    if p > int(usable.sum()):
        return f"p = {p} exceeds the {int(usable.sum())} usable leads"
    cand = np.flatnonzero(usable).astype(np.int64)
    d = dist[:, cand]
    finite = np.isfinite(d)
    # 0 * inf is nan: a zero-weight client still has to be served by a reachable lead.
    cost = np.where(finite, weights[:, None] * np.where(finite, d, 0.0), np.inf)
    if n and not finite.any(axis=1).all():
        return "a client has no allowed lead at finite distance"
    local = np.full(m_all, -1, dtype=np.int64)
    local[cand] = np.arange(len(cand))
    self_col = local[np.arange(n)] if square else np.full(n, -1, dtype=np.int64)
    irregular = np.zeros(n, dtype=bool)
    has_self = np.flatnonzero(self_col >= 0)
    if len(has_self):
        own = cost[has_self, self_col[has_self]]
        irregular[has_self] = own > cost[has_self].min(axis=1)
    forced = np.zeros(len(cand), dtype=bool)
    forced[local[fixed]] = True
    fin = cost[np.isfinite(cost)]
    integral = bool(np.all(fin == np.round(fin))) and (fin.size == 0 or np.abs(fin).max() < 2**52)
    return _Instance(cost, cand, p, forced, self_col, irregular, integral, dist, weights)


# ------------------------------------------------------------------------ heuristic


def _heuristic_cost(inst: _Instance) -> FloatArray:
    """Costs for the local search: forbidden pairs get a penalty larger than any
    feasible objective, so the search first covers every client, then optimises."""
    finite = np.isfinite(inst.cost)
    if finite.all():
        return inst.cost
    span = np.where(finite, np.abs(inst.cost), 0.0).max(axis=1).sum()
    return np.where(finite, inst.cost, 2.0 * span + 1.0)


def _two_nearest(h: FloatArray, open_cols: IntArray) -> tuple[FloatArray, IntArray, FloatArray]:
    """Nearest and second-nearest open cost of each client, and the nearest column."""
    sub = h[:, open_cols]
    rows = np.arange(h.shape[0])
    if len(open_cols) == 1:
        return sub[:, 0].copy(), np.full(h.shape[0], open_cols[0]), np.full(h.shape[0], np.inf)
    two = np.argpartition(sub, 1, axis=1)[:, :2]
    a, b = sub[rows, two[:, 0]], sub[rows, two[:, 1]]
    first = np.where(b < a, two[:, 1], two[:, 0])
    return np.minimum(a, b), open_cols[first], np.maximum(a, b)


def _local_search(h: FloatArray, open_mask: BoolArray, inst: _Instance) -> BoolArray:
    """Best-improvement vertex substitution until no swap improves.

    For inserting column ``j`` and removing open column ``r`` the change is
    ``-gain[j] + loss[r, j]`` with ``gain[j] = sum_i max(0, c1_i - h_ij)`` and
    ``loss[r, j] = sum_{i: nearest(i) = r} (min(c2_i, h_ij) - min(c1_i, h_ij))``;
    all of it is a few (n, m) array operations per move.
    """
    open_mask = open_mask.copy()
    n, m = h.shape
    movable = ~inst.forced
    if n == 0 or open_mask.all() or not (open_mask & movable).any():
        return open_mask
    while True:
        open_cols = np.flatnonzero(open_mask)
        c1, n1, c2 = _two_nearest(h, open_cols)
        total = float(c1.sum())
        low1 = np.minimum(c1[:, None], h)
        gain = (c1[:, None] - low1).sum(axis=0)
        extra = np.minimum(c2[:, None], h) - low1
        # Sum the rows of `extra` per serving column (segment sums after a sort); an
        # open column that serves nobody loses nothing when removed.
        order = np.argsort(n1, kind="stable")
        serving, starts = np.unique(n1[order], return_index=True)
        loss = np.zeros((len(open_cols), m))
        loss[np.searchsorted(open_cols, serving)] = np.add.reduceat(extra[order], starts, axis=0)
        delta = loss - gain[None, :]
        delta[:, open_mask] = np.inf
        delta[~movable[open_cols], :] = np.inf
        best = int(np.argmin(delta))
        r, j = divmod(best, m)
        if not delta[r, j] < -1e-12 * max(1.0, abs(total)):
            return open_mask
        open_mask[open_cols[r]] = False
        open_mask[j] = True


def _greedy(h: FloatArray, inst: _Instance) -> BoolArray:
    """Add, one at a time, the column that lowers the total cost most."""
    n = h.shape[0]
    open_mask = inst.forced.copy()
    current = h[:, open_mask].min(axis=1) if open_mask.any() else np.full(n, np.inf)
    while int(open_mask.sum()) < inst.p:
        totals = np.minimum(current[:, None], h)
        # Before the first column, `current` is inf: compare by finite part only.
        scores = np.where(np.isinf(totals), np.finfo(np.float64).max / (n + 1), totals).sum(axis=0)
        scores[open_mask] = np.inf
        j = int(np.argmin(scores))
        open_mask[j] = True
        current = np.minimum(current, h[:, j])
    return open_mask


def _perturb(open_mask: BoolArray, k: int, inst: _Instance, rng: np.random.Generator) -> BoolArray:
    """Swap ``k`` random movable open columns for ``k`` random closed ones."""
    out = np.flatnonzero(open_mask & ~inst.forced)
    inn = np.flatnonzero(~open_mask)
    k = min(k, len(out), len(inn))
    new = open_mask.copy()
    if k:
        new[rng.choice(out, k, replace=False)] = False
        new[rng.choice(inn, k, replace=False)] = True
    return new


# ------------------------------------------------------------------------ Lagrangian


@dataclass
class _Lagrangian:
    value: float  # best dual value L(lambda)
    lam: FloatArray  # multipliers giving it
    iterations: int


def _select(rho: FloatArray, inst: _Instance) -> IntArray:
    """Columns of the relaxation: the forced ones plus the smallest free ``rho``."""
    free = np.flatnonzero(~inst.forced)
    need = inst.p - int(inst.forced.sum())
    pick = free[np.argsort(rho[free], kind="stable")[:need]]
    return np.concatenate([np.flatnonzero(inst.forced), pick])


def _lagrangian(
    inst: _Instance,
    upper: float,
    lam: FloatArray,
    target_for: Callable[[float], float],
    deadline: float,
    on_open_set: Callable[[BoolArray], float],
) -> _Lagrangian:
    """Subgradient optimisation of the Lagrangian dual of the assignment rows.

    ``L(lambda) = sum_i lambda_i + sum of rho_j over the selected columns`` with
    ``rho_j = sum_i min(0, c_ij - lambda_i)``.  ``upper`` may be lowered by
    ``on_open_set`` (a local search run from the relaxation's open set), which
    returns the new best objective.  Stops once ``L >= target_for(upper)``.
    """
    c = inst.cost
    target = target_for(upper)
    best, best_lam = -np.inf, lam.copy()
    factor, since, it = 2.0, 0, 0
    for it in range(1, _SUBGRADIENT_MAX_ITERATIONS + 1):
        reduced = np.minimum(c - lam[:, None], 0.0)
        rho = reduced.sum(axis=0)
        chosen = _select(rho, inst)
        value = float(lam.sum() + rho[chosen].sum())
        if value > best + 1e-12 * max(1.0, abs(value)):
            best, best_lam, since = value, lam.copy(), 0
        else:
            since += 1
            if since >= _SUBGRADIENT_PATIENCE:
                factor, since = factor / 2.0, 0
        if it % _LAGRANGIAN_HEURISTIC_EVERY == 0:
            mask = np.zeros(c.shape[1], dtype=bool)
            mask[chosen] = True
            upper = min(upper, on_open_set(mask))
            target = target_for(upper)
        if best >= target or factor < _SUBGRADIENT_MIN_FACTOR or time.monotonic() > deadline:
            break
        sub = 1.0 - (reduced[:, chosen] < 0.0).sum(axis=1)
        norm = float(sub @ sub)
        if norm == 0.0:  # the relaxation's solution is feasible: L = its cost
            break
        lam = lam + factor * (upper - value) / norm * sub
    return _Lagrangian(best, best_lam, it)


# ----------------------------------------------------------------------- radius MIP


@dataclass
class _RadiusModel:
    """Columns: ``y`` (one per candidate), then ``z`` (client, level) pairs."""

    n_cols: int
    n_rows: int
    rows: IntArray
    cols: IntArray
    vals: FloatArray
    row_lower: FloatArray
    row_upper: FloatArray
    col_cost: FloatArray
    col_lower: FloatArray
    col_upper: FloatArray
    offset: float
    z_client: IntArray  # client of each z column
    z_level: FloatArray  # the level D_k: z = 1 iff the client is served above it


def _radius_model(
    inst: _Instance, closed: BoolArray, opened: BoolArray, cap: FloatArray
) -> _RadiusModel | None:
    """Elloumi's chained radius formulation of the problem restricted by reduced costs.

    For client ``i`` let ``D_1 < ... < D_K`` be the distinct costs of the candidates
    still allowed, up to ``cap[i]``.  ``z_k = 1`` means no open lead within ``D_k``;
    rows ``z_1 + sum_{c=D_1} y >= 1``, ``z_k - z_{k-1} + sum_{c=D_k} y >= 0`` and
    ``sum_{c=D_K} y >= z_{K-1}`` (the last forces service within the cap), cost
    ``D_1 + sum_k (D_{k+1} - D_k) z_k``.  A client whose own column is open pays its
    own cost (the "lead serves itself" rule); when that is not its cheapest option
    rows ``z_k >= y_self`` for the levels below it model the rule exactly.

    Returns ``None`` when some client has no allowed level (no improving solution).
    """
    c = inst.cost
    n, m = c.shape
    usable = np.where(closed[None, :], np.inf, c)
    usable = np.where(usable <= cap[:, None], usable, np.inf)
    valid = np.isfinite(usable)
    if n and not valid.any(axis=1).all():
        return None
    order = np.argsort(usable, axis=1, kind="stable")
    srt = np.take_along_axis(usable, order, axis=1)
    ok = np.take_along_axis(valid, order, axis=1)
    new = np.ones_like(ok)
    new[:, 1:] = srt[:, 1:] != srt[:, :-1]
    level = np.cumsum(new, axis=1) - 1
    k_count = np.where(ok, level + 1, 0).max(axis=1) if n else np.zeros(0, dtype=np.int64)
    row_start = np.concatenate([[0], np.cumsum(k_count)[:-1]]).astype(np.int64)
    n_z = np.maximum(k_count - 1, 0)
    z_start = np.concatenate([[0], np.cumsum(n_z)[:-1]]).astype(np.int64)
    n_client_rows = int(k_count.sum())
    z_total = int(n_z.sum())

    # y entries: candidate j appears in client i's row of its own level.
    ii, rr = np.nonzero(ok)
    y_rows = row_start[ii] + level[ii, rr]
    y_cols = order[ii, rr]
    # Level values, client by client, in the order of the rows.
    li, lr = np.nonzero(ok & new)
    levels = srt[li, lr]
    z_client = np.repeat(np.arange(n), n_z)
    z_k = np.arange(z_total) - np.repeat(z_start, n_z)
    z_col = m + np.arange(z_total)
    lo_level = levels[row_start[z_client] + z_k]
    hi_level = levels[row_start[z_client] + z_k + 1]

    rows = [y_rows, row_start[z_client] + z_k, row_start[z_client] + z_k + 1]
    cols = [y_cols, z_col, z_col]
    vals = [np.ones(len(y_rows)), np.ones(z_total), -np.ones(z_total)]
    row_lower = [np.zeros(n_client_rows)]
    row_lower[0][row_start[k_count > 0]] = 1.0
    n_rows = n_client_rows

    col_upper = np.concatenate([np.where(closed, 0.0, 1.0), np.ones(z_total)])
    col_lower = np.concatenate([np.where(opened | inst.forced, 1.0, 0.0), np.zeros(z_total)])

    # Lead-serves-itself rows for clients whose own cost is not their cheapest.
    irr = np.flatnonzero(inst.irregular & (inst.self_col >= 0))
    if len(irr):
        own_col = inst.self_col[irr]
        own_cost = c[irr, own_col]
        too_far = irr[own_cost > cap[irr]]
        col_upper[inst.self_col[too_far]] = 0.0  # opening it cannot improve
        z_own = inst.self_col[z_client]
        need = (
            inst.irregular[z_client] & (z_own >= 0) & (lo_level < c[z_client, np.maximum(z_own, 0)])
        )
        zs = np.flatnonzero(need)
        extra = n_rows + np.arange(len(zs))
        rows += [extra, extra]
        cols += [z_col[zs], z_own[zs]]
        vals += [np.ones(len(zs)), -np.ones(len(zs))]
        row_lower.append(np.zeros(len(zs)))
        n_rows += len(zs)
    # Exactly p leads.
    rows.append(np.full(m, n_rows))
    cols.append(np.arange(m))
    vals.append(np.ones(m))
    row_lower.append(np.array([float(inst.p)]))
    lower = np.concatenate(row_lower)
    upper = np.full(n_rows + 1, np.inf)
    upper[-1] = float(inst.p)
    # Costs are already weighted, so a level step costs exactly its width.
    z_cost = hi_level - lo_level
    offset = float(levels[row_start[k_count > 0]].sum())
    return _RadiusModel(
        n_cols=m + z_total,
        n_rows=n_rows + 1,
        rows=np.concatenate(rows).astype(np.int64),
        cols=np.concatenate(cols).astype(np.int64),
        vals=np.concatenate(vals),
        row_lower=lower,
        row_upper=upper,
        col_cost=np.concatenate([np.zeros(m), z_cost]),
        col_lower=col_lower,
        col_upper=col_upper,
        offset=offset,
        z_client=z_client,
        z_level=lo_level,
    )


@dataclass
class _MipOutcome:
    status: str  # "optimal", "infeasible", "limit"
    open_mask: BoolArray | None  # best solution found by the MIP (None: none)
    bound: float  # MIP dual bound (inf when infeasible)
    nodes: int
    objective: float = math.inf  # the MIP's own value of open_mask


def _solve_radius_highs(
    model: _RadiusModel,
    inst: _Instance,
    warm: BoolArray | None,
    time_limit: float,
    seed: int,
    abs_gap: float,
    rel_gap: float,
) -> _MipOutcome:
    """Solve the radius model with HiGHS branch and bound, warm-started from ``warm``."""
    import highspy  # deferred: importing HiGHS costs ~0.1 s and most callers are small

    m = inst.cost.shape[1]
    # Column-wise (CSC) arrays without scipy: sort entries by column, then row.
    order = np.lexsort((model.rows, model.cols))
    counts = np.bincount(model.cols, minlength=model.n_cols)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int32)
    integrality = np.zeros(model.n_cols, dtype=np.int32)
    integrality[:m] = 1  # z is integral whenever y is, so it stays continuous
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("time_limit", max(time_limit, 0.01))
    highs.setOptionValue("random_seed", int(seed) % 2147483647)
    highs.setOptionValue("mip_rel_gap", rel_gap)
    # MIP presolve of HiGHS 1.14.0 returns wrong "optimal" answers (ERGO-Code/HiGHS
    # #2957, #3043, #3073, #3094; fixed by #2961 in 1.15.0, which cannot be imported
    # beside ortools 9.15).  It reduced a 5-column radius model found by our brute-force
    # tests to empty at a suboptimal point.  Off is also faster here: the model is
    # already reduced (pmed6: 1.2 s off against 1.7 s on).
    highs.setOptionValue("presolve", "off")
    if warm is not None:
        # With a (near-)optimal start HiGHS's primal heuristics only cost time: on the
        # reduced pmed6 model its sub-MIP searches (RINS/RENS) took 4,200 of 6,900 LP
        # iterations and the solve 6.8 s; without them it proved optimality in 1.7 s.
        highs.setOptionValue("mip_heuristic_effort", 0.0)
        for name in ("rins", "rens", "root_reduced_cost", "feasibility_jump"):
            highs.setOptionValue(f"mip_heuristic_run_{name}", False)
    highs.setOptionValue("mip_abs_gap", abs_gap)
    highs.passModel(
        model.n_cols,
        model.n_rows,
        len(order),
        1,  # column-wise matrix
        1,  # minimise
        model.offset,
        model.col_cost,
        model.col_lower,
        model.col_upper,
        model.row_lower,
        model.row_upper,
        starts,
        model.rows[order].astype(np.int32),
        model.vals[order],
        integrality,
    )
    if warm is not None:
        served = inst.served_costs(warm)
        z = (served[model.z_client] > model.z_level).astype(np.float64)
        values = np.concatenate([warm.astype(np.float64), z])
        highs.setSolution(model.n_cols, np.arange(model.n_cols, dtype=np.int32), values)
    highs.run()
    status = highs.getModelStatus()
    info = highs.getInfo()
    nodes = int(info.mip_node_count)
    if status == highspy.HighsModelStatus.kInfeasible:
        return _MipOutcome("infeasible", None, math.inf, nodes)
    mask: BoolArray | None = None
    if info.primal_solution_status == 2:  # kSolutionStatusFeasible
        y = np.asarray(highs.getSolution().col_value[:m])
        mask = y > 0.5
    value = float(info.objective_function_value) if mask is not None else math.inf
    if status == highspy.HighsModelStatus.kOptimal:
        return _MipOutcome("optimal", mask, float(info.mip_dual_bound), nodes, value)
    # Time limit, interrupt or anything unexpected: keep the dual bound only when
    # HiGHS stopped on a limit, where it is meaningful.
    limits = (
        highspy.HighsModelStatus.kTimeLimit,
        highspy.HighsModelStatus.kIterationLimit,
        highspy.HighsModelStatus.kSolutionLimit,
        highspy.HighsModelStatus.kInterrupt,
    )
    bound = float(info.mip_dual_bound) if status in limits else -math.inf
    return _MipOutcome("limit", mask, bound, nodes, value)


# ---------------------------------------------------------------------- the solver


def _result(
    inst: _Instance | None,
    n_clients: int,
    mask: BoolArray | None,
    bound: float,
    status: str,
    start: float,
    method: str,
) -> PMedianResult:
    """Build the public result from an open set in local candidate columns."""
    if inst is None or mask is None:
        return PMedianResult(
            leads=(),
            assignment=np.full(n_clients, -1, dtype=np.int64),
            objective=math.inf,
            bound=bound,
            status=status,
            wall_time=time.monotonic() - start,
            method=method,
        )
    leads = inst.cand[np.flatnonzero(mask)]
    assignment = _assign(inst.dist, leads)
    objective = float(
        np.sum(inst.weights * inst.dist[np.arange(n_clients), assignment]) if n_clients else 0.0
    )
    return PMedianResult(
        leads=tuple(int(j) for j in leads),
        assignment=assignment,
        objective=objective,
        bound=bound,
        status=status,
        wall_time=time.monotonic() - start,
        method=method,
    )


def _assign(dist: FloatArray, leads: IntArray) -> NDArray[np.int64]:
    """Nearest lead for each client; with a square matrix a lead serves itself."""
    n = dist.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    assignment = leads[np.argmin(dist[:, leads], axis=1)].astype(np.int64)
    if dist.shape[0] == dist.shape[1]:
        assignment[leads] = leads
    return assignment


def _validate(
    dist: Any,
    p: int,
    weights: Any,
    fixed_leads: Sequence[int],
    allowed_leads: Any,
) -> tuple[FloatArray, FloatArray, IntArray, BoolArray]:
    """Check shapes and values; raise ``ValueError`` for malformed input."""
    d = np.asarray(dist, dtype=np.float64)
    if d.ndim != 2:
        raise ValueError(f"dist must be a 2-D matrix, got shape {d.shape}")
    n, m = d.shape
    if np.isnan(d).any() or np.isneginf(d).any():
        raise ValueError("dist must not contain nan or -inf")
    if isinstance(p, bool) or int(p) != p or p < 0:
        raise ValueError(f"p must be a non-negative integer, got {p!r}")
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=np.float64)
    if w.shape != (n,):
        raise ValueError(f"weights must have shape ({n},), got {w.shape}")
    if not np.isfinite(w).all() or (w < 0).any():
        raise ValueError("weights must be finite and non-negative")
    fixed = np.unique(np.asarray(list(fixed_leads), dtype=np.int64))
    if fixed.size and (fixed.min() < 0 or fixed.max() >= m):
        raise ValueError(f"fixed_leads must be column indices in 0..{m - 1}")
    if allowed_leads is None:
        allowed = np.ones(m, dtype=bool)
    else:
        allowed = np.asarray(allowed_leads, dtype=bool)
        if allowed.shape != (m,):
            raise ValueError(f"allowed_leads must have shape ({m},), got {allowed.shape}")
    return d, w, fixed, allowed


def solve_pmedian(
    dist: FloatArray,
    p: int,
    *,
    weights: FloatArray | None = None,
    fixed_leads: Sequence[int] = (),
    allowed_leads: BoolArray | None = None,
    time_limit: float = 60.0,
    seed: int = 0,
    tolerance: float = 1e-6,
) -> PMedianResult:
    """Choose ``p`` leads minimising the weighted distance of every client to its lead.

    Each client is served by its nearest chosen lead, except that when ``dist`` is
    square (client ``i`` and candidate ``i`` are the same school) a chosen lead is
    always served by itself.  The method (heuristic, Lagrangian reduced-cost fixing,
    exact radius MIP with HiGHS) is described in the module docstring.

    Parameters
    ----------
    dist : numpy.ndarray
        ``(n_clients, n_candidates)`` distances; ``numpy.inf`` forbids an assignment.
        Must not contain ``nan`` or ``-inf``.
    p : int
        Number of leads to choose (exactly).
    weights : numpy.ndarray, optional
        Non-negative weight of each client (default all ones).  A zero-weight client
        still has to be served by a lead at finite distance.
    fixed_leads : sequence of int, optional
        Candidate columns that must be chosen.
    allowed_leads : numpy.ndarray, optional
        Boolean mask over candidates; ``None`` allows all.
    time_limit : float, optional
        Wall-clock budget in seconds.  When it runs out the best solution found is
        returned with status ``"feasible"`` and the best bound proven so far.
    seed : int, optional
        Seed of the heuristic's perturbations and of HiGHS; the result is
        deterministic for a given seed unless the time limit cuts a stage short.
    tolerance : float, optional
        Relative optimality tolerance: the result is ``"optimal"`` when
        ``objective - bound <= tolerance * max(1, |objective|)``.

    Returns
    -------
    PMedianResult
        ``status`` is ``"infeasible"`` when no solution exists (a client with no
        allowed lead at finite distance, ``p`` larger than the allowed leads, a fixed
        lead that is not allowed, more fixed leads than ``p``...), ``"unknown"`` when
        the time ran out before any solution was found.

    Raises
    ------
    ValueError
        If the arrays have the wrong shape, ``dist`` contains ``nan`` or ``-inf``,
        weights are negative, ``p`` is negative or a fixed lead is out of range.

    Notes
    -----
    The bound is ``max(L, min(B_mip, B_fix))`` where ``L`` is the Lagrangian dual
    value, ``B_mip`` the dual bound of the MIP on the reduced model and ``B_fix`` the
    threshold used to discard columns and levels (every discarded solution costs at
    least that much).  When every finite weighted distance is an integer, solutions
    cost integers, so bounds are rounded up and a solution is discarded as soon as it
    cannot cost less than the incumbent minus one.
    """
    start = time.monotonic()
    deadline = start + max(float(time_limit), 0.0)
    d, w, fixed, allowed = _validate(dist, p, weights, fixed_leads, allowed_leads)
    n = d.shape[0]
    p = int(p)

    def infeasible(reason: str) -> PMedianResult:
        return _result(None, n, None, math.inf, "infeasible", start, f"infeasible: {reason}")

    if len(fixed) > p:
        return infeasible(f"{len(fixed)} fixed leads but p = {p}")
    if p == 0:
        if n:
            return infeasible("p = 0 leaves the clients unserved")
        return _result(None, 0, None, 0.0, "optimal", start, "trivial (p = 0, no clients)")
    prepared = _prepare(d, p, w, fixed, allowed)
    if isinstance(prepared, str):
        return infeasible(prepared)
    inst = prepared
    m = len(inst.cand)

    def objective_bound(value: float) -> float:
        # Integer data: no solution costs strictly between two integers.
        if inst.integral and math.isfinite(value):
            return float(math.ceil(value - 1e-7 * max(1.0, abs(value))))
        return value

    def proven(obj: float, bnd: float) -> bool:
        return obj - bnd <= tolerance * max(1.0, abs(obj))

    # A forced-complete or empty-client instance needs no search.
    if int(inst.forced.sum()) == p or p == m or n == 0:
        mask = inst.forced.copy()
        if int(mask.sum()) < p:  # p == m or n == 0: fill with the first free columns
            mask[np.flatnonzero(~mask)[: p - int(mask.sum())]] = True
        value = inst.objective(mask) if n else 0.0
        if not math.isfinite(value):
            return infeasible("the only possible choice of leads leaves a client unserved")
        return _result(inst, n, mask, value, "optimal", start, "trivial (only one choice)")

    # ---- stage 1: heuristic upper bound
    h = _heuristic_cost(inst)
    rng = np.random.default_rng(seed)
    best_mask = _local_search(h, _greedy(h, inst), inst)
    best_value = inst.objective(best_mask)
    current, current_h = best_mask, float(h[:, best_mask].min(axis=1).sum())
    for round_ in range(_PERTURBATION_ROUNDS):
        if time.monotonic() > start + 0.1 * (deadline - start):
            break
        trial = _local_search(h, _perturb(current, 1 + round_ % 3, inst, rng), inst)
        trial_h = float(h[:, trial].min(axis=1).sum())
        value = inst.objective(trial)
        if value < best_value:
            best_mask, best_value = trial, value
        if trial_h < current_h:
            current, current_h = trial, trial_h
    method = "local search"

    def target_for(upper: float) -> float:
        # Anything whose bound reaches the target cannot improve the incumbent by
        # more than the tolerance (or, with integer data, by one unit or more).
        if inst.integral:
            return upper - 1.0 + 1e-7 * max(1.0, abs(upper))
        return upper - 0.5 * tolerance * max(1.0, abs(upper))

    # ---- stage 2: Lagrangian bound and reduced-cost fixing
    lag_bound = -math.inf
    closed = np.zeros(m, dtype=bool)
    opened = np.zeros(m, dtype=bool)
    cap = np.full(n, np.inf)
    fix_bound = math.inf  # every solution discarded by fixing costs at least this
    if math.isfinite(best_value):

        def from_relaxation(mask: BoolArray) -> float:
            nonlocal best_mask, best_value
            trial = _local_search(h, mask, inst)
            value = inst.objective(trial)
            if value < best_value:
                best_mask, best_value = trial, value
            return best_value

        lam0 = h[:, best_mask].min(axis=1).astype(np.float64)
        lag = _lagrangian(inst, best_value, lam0, target_for, deadline, from_relaxation)
        lag_bound = objective_bound(lag.value)
        if proven(best_value, min(lag_bound, best_value)):
            bound = min(lag_bound, best_value)
            return _result(
                inst,
                n,
                best_mask,
                bound,
                "optimal",
                start,
                f"{method}; Lagrangian bound ({lag.iterations} subgradient iterations)",
            )
        target = target_for(best_value)
        fix_bound = best_value if inst.integral else target
        closed, opened, cap = _reduced_cost_fixing(inst, lag, target)
        method += f"; Lagrangian bound ({lag.iterations} it.) and reduced-cost fixing"

    # Structural caps on a regular client's cost: some lead that must be open, and
    # the (m' - p + 1)-th cheapest remaining column (only m' - p of them can be shut).
    must = opened | inst.forced
    surviving = np.where(closed[None, :], np.inf, inst.cost)
    kth = int((~closed).sum()) - p
    if n and kth >= 0:
        struct = np.partition(surviving, kth, axis=1)[:, kth]
        if must.any():
            struct = np.minimum(struct, inst.cost[:, must].min(axis=1))
        cap = np.where(inst.irregular, cap, np.minimum(cap, struct))

    # ---- stage 3: exact MIP on the reduced radius formulation
    model = _radius_model(inst, closed, opened, cap)
    if model is None:
        mip = _MipOutcome("infeasible", None, math.inf, 0)
        method += "; reduced model empty"
    elif time.monotonic() >= deadline:
        mip = _MipOutcome("limit", None, -math.inf, 0)
        method += "; time limit reached before the MIP"
    else:
        # HiGHS stops at the first of its absolute and relative gaps; both are kept
        # inside our own tolerance (its default relative gap, 1e-4, is far too loose).
        # With integer data a gap below 0.5 proves optimality after rounding the
        # bound up, with room left for the solver's own tolerances.
        scale = max(1.0, abs(best_value)) if math.isfinite(best_value) else 1.0
        abs_gap = 0.5 * tolerance * scale
        if inst.integral:
            abs_gap = max(abs_gap, 0.5)
        warm = (
            best_mask if math.isfinite(best_value) and _fits(inst, best_mask, model, cap) else None
        )
        mip = _solve_radius_highs(
            model, inst, warm, deadline - time.monotonic(), seed, abs_gap, 0.5 * tolerance
        )
        method += (
            f"; HiGHS radius MIP ({model.n_cols} columns, {model.n_rows} rows, "
            f"B&B nodes: {mip.nodes})"
        )
    mip_bound = objective_bound(mip.bound)
    if mip.open_mask is not None:
        value = inst.objective(mip.open_mask)
        if value < best_value:
            best_mask, best_value = mip.open_mask, value
        if value > mip.objective + 1e-6 * max(1.0, abs(value)):
            # A correct model never prices a solution below its true cost (its z may
            # only overstate a distance); if it did, its bound cannot be trusted.
            mip_bound = -math.inf
            method += "; MIP underpriced its solution, its bound ignored"

    bound = max(lag_bound, min(mip_bound, fix_bound))
    if not math.isfinite(best_value):
        if mip.status == "infeasible":
            return infeasible("no choice of leads serves every client")
        return _result(None, n, None, bound, "unknown", start, method)
    bound = min(bound, best_value)
    status = "optimal" if proven(best_value, bound) else "feasible"
    return _result(inst, n, best_mask, bound, status, start, method)


def _fits(inst: _Instance, mask: BoolArray, model: _RadiusModel, cap: FloatArray) -> bool:
    """Whether an open set is feasible in the reduced model (column bounds and caps)."""
    m = inst.cost.shape[1]
    y = mask.astype(np.float64)
    bounds_ok = np.all(y >= model.col_lower[:m]) and np.all(y <= model.col_upper[:m])
    return bool(bounds_ok and np.all(inst.served_costs(mask) <= cap))


def _reduced_cost_fixing(
    inst: _Instance, lag: _Lagrangian, target: float
) -> tuple[BoolArray, BoolArray, FloatArray]:
    """Columns to close, columns to open and per-client cost caps from reduced costs.

    With multipliers ``lambda`` and dual value ``L``, any solution that opens an
    unselected column ``j`` costs at least ``L + rho_j - rho_last`` (it displaces the
    worst selected column), any solution that closes a selected column ``j`` costs at
    least ``L + rho_next - rho_j``, and any solution serving client ``i`` from ``j``
    costs at least ``L + max(0, c_ij - lambda_i)`` plus the opening penalty of ``j``.
    Whatever reaches ``target`` cannot improve the incumbent.
    """
    c, lam = inst.cost, lag.lam
    n, m = c.shape
    rho = np.minimum(c - lam[:, None], 0.0).sum(axis=0)
    chosen = np.zeros(m, dtype=bool)
    chosen[_select(rho, inst)] = True
    value = float(lam.sum() + rho[chosen].sum())
    free_chosen = chosen & ~inst.forced
    rho_last = rho[free_chosen].max() if free_chosen.any() else math.inf
    rho_next = rho[~chosen].min() if (~chosen).any() else math.inf
    open_penalty = np.where(chosen, 0.0, np.maximum(rho - rho_last, 0.0))
    closed = ~chosen & (value + open_penalty >= target)
    opened = free_chosen & (value + (rho_next - rho) >= target)
    with np.errstate(invalid="ignore"):  # inf - lambda stays inf
        pair = value + np.maximum(c - lam[:, None], 0.0) + open_penalty[None, :]
    ok = (pair < target) & ~closed[None, :] & np.isfinite(c)
    cap = np.where(ok, c, -np.inf).max(axis=1) if m else np.full(n, -np.inf)
    return closed, opened, cap
