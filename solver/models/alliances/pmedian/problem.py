"""What every stage of the p-median solver shares: the checked input, the prepared
instance and the result.

:func:`_validate` checks the caller's arrays, :func:`_prepare` restricts the problem
to the allowed candidates in weighted-cost form (an :class:`_Instance`, or the reason
why the problem is clearly infeasible), and :func:`_result` turns an open set into
the public :class:`PMedianResult`, recomputing the assignment and the objective from
the caller's distance matrix.  The stages themselves are in :mod:`.heuristic`,
:mod:`.lagrangian` and :mod:`.radius`; :mod:`.driver` runs them.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from twinning.messages import Msg, msg

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


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
    method : Msg
        What produced the solution and the proof (a message: ``method.pmedian.*``).
    """

    leads: tuple[int, ...]
    assignment: NDArray[np.int64]
    objective: float
    bound: float
    status: str
    wall_time: float
    method: Msg


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
) -> _Instance | Msg:
    """Restrict to allowed candidates; return the reason (a message) when clearly
    infeasible."""
    n, m_all = dist.shape
    square = n == m_all
    usable = allowed.copy()
    if square:
        # A lead must serve itself, so a school that cannot be served by its own
        # column can never be a lead.
        usable &= np.isfinite(np.diagonal(dist))
    if not usable[fixed].all():
        return msg("method.pmedian.fixed_not_allowed")
    if p > int(usable.sum()):
        return msg("method.pmedian.p_exceeds", p=p, usable=int(usable.sum()))
    cand = np.flatnonzero(usable).astype(np.int64)
    d = dist[:, cand]
    finite = np.isfinite(d)
    # 0 * inf is nan: a zero-weight client still has to be served by a reachable lead.
    cost = np.where(finite, weights[:, None] * np.where(finite, d, 0.0), np.inf)
    if n and not finite.any(axis=1).all():
        return msg("method.pmedian.unreachable_client")
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


def _result(
    inst: _Instance | None,
    n_clients: int,
    mask: BoolArray | None,
    bound: float,
    status: str,
    start: float,
    method: Msg,
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
