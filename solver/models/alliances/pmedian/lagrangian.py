"""Stage 2 of the p-median solver: the Lagrangian lower bound and reduced-cost fixing.

Relaxing "each client is assigned once" (Beasley 1993) leaves a problem solved by
picking the ``p`` smallest column sums; plain subgradient optimisation approaches the
LP bound of the classical formulation in vectorised iterations of O(n m).  The
reduced costs of the best multipliers then close columns, force columns open and cap
the cost at which each client can be served in an improving solution.  The
measurements behind this choice are in the docstring of
:mod:`twinning.models.alliances.pmedian`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from twinning.models.alliances.pmedian.problem import BoolArray, FloatArray, IntArray, _Instance

# Subgradient schedule (Beasley 1993): the step factor starts at 2 and is halved after
# this many iterations without improving the best bound; the search stops below the
# minimum factor.  A short schedule pays since the branch and bound (:mod:`.branch`)
# closes what the root leaves: on pmed26, 30 and 36-40 a patience of 10 took 15.2 s
# in all against 24.5 s with a patience of 30 (pmed36 4.7 s against 6.6 s, pmed38
# 2.4 s against 4.4 s), the trees within 10 % of the same size; 7 and 15 were no
# better than 10.
_SUBGRADIENT_PATIENCE = 10
_SUBGRADIENT_MIN_FACTOR = 1e-5
_SUBGRADIENT_MAX_ITERATIONS = 5000
# Every this many subgradient iterations the relaxation's open set seeds a local search.
_LAGRANGIAN_HEURISTIC_EVERY = 100


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
    # The steps run in single precision (half the memory traffic); the value returned
    # is recomputed in double precision at the multipliers kept.
    c32 = c.astype(np.float32)
    reduced = np.empty_like(c32)
    target = target_for(upper)
    best, best_lam = -np.inf, lam.copy()
    factor, since, it = 2.0, 0, 0
    for it in range(1, _SUBGRADIENT_MAX_ITERATIONS + 1):
        np.subtract(c32, lam.astype(np.float32)[:, None], out=reduced)
        np.minimum(reduced, 0.0, out=reduced)
        rho = reduced.sum(axis=0, dtype=np.float64)
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
    rho = np.minimum(c - best_lam[:, None], 0.0).sum(axis=0)
    best = float(best_lam.sum() + rho[_select(rho, inst)].sum())
    return _Lagrangian(best, best_lam, it)


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
