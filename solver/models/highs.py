"""A small integer-programming model solved by HiGHS (highspy), built as arrays.

Used where a model is a near-network integer program whose LP relaxation is strong
(the itinerant circuits: measured 0.07% from the bound where CP-SAT stayed 7% away).
Columns and rows are collected in Python lists and handed to HiGHS in one row-wise
matrix; the search is stoppable by Ctrl-C through :data:`twinning.models.search.STOP`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from twinning.models.search import STOP

__all__ = ["IntegerProgram", "Outcome"]


@dataclass
class Outcome:
    """What a HiGHS search ended with."""

    status: str  # "optimal" (within the gap asked), "feasible", "infeasible", "unknown"
    values: np.ndarray
    objective: float
    bound: float


@dataclass
class IntegerProgram:
    """Minimise ``cost . x + offset`` subject to ``lo <= A x <= hi``, integer ``x``."""

    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    cost: list[float] = field(default_factory=list)
    row_lower: list[float] = field(default_factory=list)
    row_upper: list[float] = field(default_factory=list)
    starts: list[int] = field(default_factory=lambda: [0])
    index: list[int] = field(default_factory=list)
    value: list[float] = field(default_factory=list)
    offset: float = 0.0

    @property
    def columns(self) -> int:
        return len(self.cost)

    def var(self, lower: float, upper: float, cost: float = 0.0) -> int:
        """A new integer column; returns its index."""
        self.lower.append(lower)
        self.upper.append(upper)
        self.cost.append(cost)
        return len(self.cost) - 1

    def add_cost(self, column: int, cost: float) -> None:
        self.cost[column] += cost

    def row(self, columns: list[int], coefs: list[float], lo: float, hi: float) -> None:
        """``lo <= sum coefs x <= hi`` (use +-inf for one side)."""
        self.index += columns
        self.value += coefs
        self.starts.append(len(self.index))
        self.row_lower.append(lo)
        self.row_upper.append(hi)

    def at_most(self, columns: list[int], coefs: list[float], hi: float) -> None:
        self.row(columns, coefs, -math.inf, hi)

    def at_least(self, columns: list[int], coefs: list[float], lo: float) -> None:
        self.row(columns, coefs, lo, math.inf)

    def _highs(self, time_limit: float, deterministic: bool, *, integer: bool) -> Any:
        import highspy

        lp = highspy.HighsLp()
        lp.num_col_ = self.columns
        lp.num_row_ = len(self.row_lower)
        lp.col_cost_ = np.asarray(self.cost, dtype=float)
        lp.col_lower_ = np.asarray(self.lower, dtype=float)
        lp.col_upper_ = np.asarray(self.upper, dtype=float)
        lp.row_lower_ = np.asarray(self.row_lower, dtype=float)
        lp.row_upper_ = np.asarray(self.row_upper, dtype=float)
        lp.offset_ = float(self.offset)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.start_ = np.asarray(self.starts, dtype=np.int32)
        lp.a_matrix_.index_ = np.asarray(self.index, dtype=np.int32)
        lp.a_matrix_.value_ = np.asarray(self.value, dtype=float)
        if integer:
            lp.integrality_ = [highspy.HighsVarType.kInteger] * self.columns
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("threads", 1)
        h.setOptionValue("random_seed", 0)
        limit = max(0.2, time_limit)
        # deterministic runs stop on work (nodes), the clock only as a guard ten times out
        h.setOptionValue("time_limit", 10 * limit if deterministic else limit)
        h.passModel(lp)
        h.HandleUserInterrupt = True  # cancelSolve() (a stop request) ends the search
        return h

    def _run(self, h: Any) -> None:
        with STOP.watching(_Cancel(h)):
            h.run()

    def objective_of(self, x: np.ndarray) -> float:
        return float(np.dot(np.asarray(self.cost, dtype=float), x) + self.offset)

    def feasible(self, x: np.ndarray, tol: float = 1e-6) -> bool:
        """Whether ``x`` keeps every bound and row."""
        if np.any(x < np.asarray(self.lower) - tol) or np.any(x > np.asarray(self.upper) + tol):
            return False
        rows = len(self.row_lower)
        row_of = np.repeat(np.arange(rows), np.diff(np.asarray(self.starts)))
        products = np.asarray(self.value) * x[np.asarray(self.index, dtype=np.int64)]
        sums = np.bincount(row_of, weights=products, minlength=rows)
        lo, hi = np.asarray(self.row_lower), np.asarray(self.row_upper)
        return bool(np.all(sums >= lo - tol) and np.all(sums <= hi + tol))

    def relax(self, time_limit: float, *, deterministic: bool = False) -> Outcome:
        """The LP relaxation: its solution (fractional) and value, a lower bound."""
        if self.columns == 0:
            return Outcome("optimal", np.zeros(0), self.offset, self.offset)
        h = self._highs(time_limit, deterministic, integer=False)
        self._run(h)
        import highspy

        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return Outcome("unknown", np.zeros(self.columns), math.inf, -math.inf)
        value = float(h.getInfo().objective_function_value)
        return Outcome("optimal", np.asarray(h.getSolution().col_value, dtype=float), value, value)

    def solve(
        self,
        time_limit: float,
        *,
        gap: float = 1e-3,
        absolute_gap: float = 0.0,
        deterministic: bool = False,
        node_limit: int | None = None,
        start: np.ndarray | None = None,
    ) -> Outcome:
        """Branch and bound on one thread from an optional feasible ``start``, stopping at
        the relative ``gap`` or the ``absolute_gap``, whichever comes first.
        ``deterministic`` runs stop on nodes (``node_limit``), never on the clock."""
        import highspy

        n = self.columns
        if n == 0:
            return Outcome("optimal", np.zeros(0), self.offset, self.offset)
        h = self._highs(time_limit, deterministic, integer=True)
        h.setOptionValue("mip_rel_gap", gap)
        h.setOptionValue("mip_abs_gap", max(1e-6, absolute_gap))
        if deterministic and node_limit is not None:
            h.setOptionValue("mip_max_nodes", node_limit)
        if start is not None:
            given = highspy.HighsSolution()
            given.col_value = np.asarray(start, dtype=float)
            given.value_valid = True
            h.setSolution(given)
        self._run(h)
        model_status = h.getModelStatus()
        info = h.getInfo()
        if model_status == highspy.HighsModelStatus.kInfeasible:
            return Outcome("infeasible", np.zeros(n), math.inf, math.inf)
        if info.primal_solution_status != 2:  # no feasible point
            return Outcome("unknown", np.zeros(n), math.inf, float(info.mip_dual_bound))
        values = np.rint(np.asarray(h.getSolution().col_value, dtype=float))
        optimal = model_status == highspy.HighsModelStatus.kOptimal
        return Outcome(
            "optimal" if optimal else "feasible",
            values,
            float(info.objective_function_value),
            float(info.mip_dual_bound),
        )


class _Cancel:
    """Lets :data:`STOP` cancel a HiGHS search as it stops CP-SAT's."""

    def __init__(self, highs: Any) -> None:
        self._highs = highs

    def stop_search(self) -> None:
        self._highs.cancelSolve()
