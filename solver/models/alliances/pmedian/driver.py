"""The p-median solver itself: :func:`solve_pmedian` runs the three stages in turn.

The heuristic (:mod:`.heuristic`) gives an incumbent, the Lagrangian bound
(:mod:`.lagrangian`) often proves it optimal and otherwise shrinks the problem, and
the Lagrangian branch and bound (:mod:`.branch`) closes what is left; the radius MIP
(:mod:`.radius`) takes over only when there is no incumbent.  This module decides when a
stage is needed, how the bounds combine and what the result says; the method and the
measurements behind it are in the docstring of :mod:`twinning.models.alliances.pmedian`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence

import numpy as np

from twinning.messages import Msg, msg
from twinning.models.alliances.pmedian.branch import _branch_and_bound
from twinning.models.alliances.pmedian.heuristic import (
    _greedy,
    _heuristic_cost,
    _local_search,
    _perturb,
)
from twinning.models.alliances.pmedian.lagrangian import _lagrangian, _reduced_cost_fixing
from twinning.models.alliances.pmedian.problem import (
    BoolArray,
    FloatArray,
    PMedianResult,
    _prepare,
    _result,
    _validate,
)
from twinning.models.alliances.pmedian.radius import (
    _fits,
    _MipOutcome,
    _radius_model,
    _solve_radius_highs,
)

# Perturbation rounds of the iterated local search before the Lagrangian stage.  More
# rounds rarely pay: the Lagrangian-seeded searches and the MIP close what is left.
_PERTURBATION_ROUNDS = 30


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
    Lagrangian branch and bound; a HiGHS radius MIP when the heuristic finds no
    solution) is described in the docstring of
    :mod:`twinning.models.alliances.pmedian`.

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
    With an incumbent the bound is ``max(L, B_tree)`` where ``L`` is the root's
    Lagrangian dual value and ``B_tree`` the smallest bound of a node still open
    when time ran out; once the tree is exhausted every discarded solution costs at
    least the pruning threshold, so ``B_tree`` is that threshold.  Without an
    incumbent it is ``B_mip``, the dual bound of the radius MIP.  When every finite
    weighted distance is an integer, solutions cost integers, so bounds are rounded
    up and a solution is discarded as soon as it cannot cost less than the incumbent
    minus one.
    """
    start = time.monotonic()
    deadline = start + max(float(time_limit), 0.0)
    d, w, fixed, allowed = _validate(dist, p, weights, fixed_leads, allowed_leads)
    n = d.shape[0]
    p = int(p)

    def infeasible(reason: Msg) -> PMedianResult:
        said = msg("method.pmedian.infeasible", why=reason)
        return _result(None, n, None, math.inf, "infeasible", start, said)

    if len(fixed) > p:
        return infeasible(msg("method.pmedian.too_many_fixed", fixed=len(fixed), p=p))
    if p == 0:
        if n:
            return infeasible(msg("method.pmedian.p_zero"))
        return _result(None, 0, None, 0.0, "optimal", start, msg("method.pmedian.trivial_empty"))
    prepared = _prepare(d, p, w, fixed, allowed)
    if isinstance(prepared, Msg):
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
            return infeasible(msg("method.pmedian.only_choice_unserved"))
        trivial = msg("method.pmedian.trivial_one")
        return _result(inst, n, mask, value, "optimal", start, trivial)

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
    steps = [msg("method.pmedian.local_search")]

    def method() -> Msg:
        return msg("method.pmedian.steps", steps=list(steps))

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
            steps.append(msg("method.pmedian.lagrangian_proof", iterations=int(lag.iterations)))
            return _result(inst, n, best_mask, bound, "optimal", start, method())
        target = target_for(best_value)
        fix_bound = best_value if inst.integral else target
        closed, opened, cap = _reduced_cost_fixing(inst, lag, target)
        steps.append(msg("method.pmedian.lagrangian_fixing", iterations=int(lag.iterations)))

        # ---- stage 3: Lagrangian branch and bound on the leads
        bb = _branch_and_bound(
            inst, lag.lam, closed, opened, best_mask, best_value, target_for, deadline
        )
        best_mask, best_value = bb.best_mask, bb.best_value
        # A finished tree pruned every node at target_for(best_value): with integer
        # data no solution is left below best_value itself.
        tree_bound = objective_bound(bb.bound)
        if bb.complete:
            tree_bound = best_value if inst.integral else target_for(best_value)
        bound = min(max(lag_bound, tree_bound), best_value)
        status = "optimal" if proven(best_value, bound) else "feasible"
        steps.append(msg("method.pmedian.branch_and_bound", nodes=int(bb.nodes)))
        return _result(inst, n, best_mask, bound, status, start, method())

    # ---- stage 3 without an incumbent: exact MIP on the radius formulation.  The
    # heuristic found no open set serving every client (forbidden pairs), so there is
    # no upper bound to steer a Lagrangian search; the MIP finds a first solution or
    # proves that none exists.

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

    model = _radius_model(inst, closed, opened, cap)
    if model is None:
        mip = _MipOutcome("infeasible", None, math.inf, 0)
        steps.append(msg("method.pmedian.reduced_empty"))
    elif time.monotonic() >= deadline:
        mip = _MipOutcome("limit", None, -math.inf, 0)
        steps.append(msg("method.pmedian.time_before_mip"))
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
        steps.append(
            msg(
                "method.pmedian.radius_mip",
                columns=int(model.n_cols),
                rows=int(model.n_rows),
                nodes=int(mip.nodes),
            )
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
            steps.append(msg("method.pmedian.mip_underpriced"))

    bound = max(lag_bound, min(mip_bound, fix_bound))
    if not math.isfinite(best_value):
        if mip.status == "infeasible":
            return infeasible(msg("method.pmedian.no_choice"))
        return _result(None, n, None, bound, "unknown", start, method())
    bound = min(bound, best_value)
    status = "optimal" if proven(best_value, bound) else "feasible"
    return _result(inst, n, best_mask, bound, status, start, method())
