"""Stage 1 of the p-median solver: the heuristic upper bound.

Greedy construction followed by a vectorised best-improvement vertex substitution
(Whitaker's fast interchange in the form of Resende and Werneck: gains and losses for
every (insert, remove) pair from the nearest and second-nearest open lead of each
client), restarted from perturbed solutions by :func:`.driver.solve_pmedian`, which
also runs the local search from the Lagrangian relaxation's open sets.
"""

from __future__ import annotations

import numpy as np

from twinning.models.alliances.pmedian.problem import BoolArray, FloatArray, IntArray, _Instance


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
