"""Live progress from the solvers: objective, bound and elapsed time as the search runs."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

#: (part, objective, bound, seconds since the solve started)
ProgressFn = Callable[[str, float | None, float | None, float], None]


def cpsat_callback(part: str, progress: ProgressFn | None, offset: float = 0.0) -> Any:
    """A CP-SAT solution callback that reports each improving solution, or None."""
    if progress is None:
        return None
    from ortools.sat.python import cp_model

    report: ProgressFn = progress

    class _Report(cp_model.CpSolverSolutionCallback):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.start = time.perf_counter()

        def on_solution_callback(self) -> None:
            report(
                part,
                self.objective_value + offset,
                self.best_objective_bound + offset,
                time.perf_counter() - self.start,
            )

    return _Report()
