"""Live progress from the solvers: objective, bound and elapsed time as the search runs."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: (part, objective, bound, seconds since the solve started)
ProgressFn = Callable[[str, float | None, float | None, float], None]


@dataclass
class SearchSettings:
    """CP-SAT parameters of a model (chosen by measurement, see the benchmarks)."""

    workers: int = 1
    linearization_level: int = 2
    time_limit: float = 60.0
    seed: int = 0
    deterministic: bool = False
    progress: ProgressFn | None = None


def configure(solver: Any, settings: SearchSettings, time_limit: float | None = None) -> None:
    """Set the chosen parameters and a time limit (deterministic units when asked)."""
    p = solver.parameters
    p.num_workers = settings.workers
    p.linearization_level = settings.linearization_level
    p.random_seed = settings.seed
    # or-tools issue 5293: presolve may certify a wrong optimum on linear models; this
    # setting is the reported workaround, and the validator recomputes the objective.
    p.presolve_inclusion_work_limit = 0
    limit = max(0.1, settings.time_limit if time_limit is None else time_limit)
    if settings.deterministic:
        p.interleave_search = settings.workers > 1
        p.max_deterministic_time = limit
    else:
        p.max_time_in_seconds = limit


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


class _Stop:
    """Stop requests (Ctrl-C): running CP-SAT searches stop and return their best plan."""

    def __init__(self) -> None:
        self.event = threading.Event()
        self._lock = threading.Lock()
        self._active: set[Any] = set()

    def request(self) -> None:
        """Ask every running search, and every search about to start, to stop."""
        self.event.set()
        with self._lock:
            for solver in list(self._active):
                solver.stop_search()

    def clear(self) -> None:
        self.event.clear()

    @property
    def requested(self) -> bool:
        return self.event.is_set()

    def run(self, solver: Any, model: Any, callback: Any = None, *, quick: bool = False) -> Any:
        """``solver.solve(model, callback)``, stoppable by :meth:`request`.

        A ``quick`` search (a first plan, well under a second) is let finish: stopping it
        would leave no plan at all.
        """
        # CP-SAT's own Ctrl-C handler would fight Python's; the command line stops the
        # search through stop_search() instead.
        solver.parameters.catch_sigint_signal = False
        if quick:
            return solver.solve(model, callback)
        with self._lock:
            self._active.add(solver)
        try:
            if self.event.is_set():
                # Stopped before this search began: one short look for any plan.
                solver.parameters.max_time_in_seconds = min(
                    solver.parameters.max_time_in_seconds, 1.0
                )
            return solver.solve(model, callback)
        finally:
            with self._lock:
                self._active.discard(solver)


#: The process-wide stop switch that the command line's Ctrl-C handler pulls.
STOP = _Stop()
