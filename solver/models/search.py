"""How the models search: one settings type for every CP-SAT model, live progress, Ctrl-C.

Every part takes the same :class:`SearchSettings`; :func:`configure` turns it into CP-SAT
parameters (each model may add its own measured overrides), so that ``time_limit``,
the seed and determinism mean the same thing everywhere.
"""

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
    """Search parameters of every model (chosen by measurement, see the benchmarks).

    Parameters
    ----------
    workers
        CP-SAT workers per search. One worker with linearization level 2 proved the
        models here fastest on 2 cores (SOLVING.md; tests/benchmarks/results).
    linearization_level
        CP-SAT's LP relaxation strength.
    time_limit
        Seconds for the search (CP-SAT deterministic units when ``deterministic``).
    seed
        Random seed of the search.
    deterministic
        Identical plans on repeated runs: deterministic time limits, one search per thread.
    progress
        Called on each improving solution (live lines in the command line).
    threads
        Independent searches run side by side (roster groups); batch runs use 1 per process.
    gap_limit
        Relative gap at which a roster group's search stops.
    """

    workers: int = 1
    linearization_level: int = 2
    time_limit: float = 60.0
    seed: int = 0
    deterministic: bool = False
    progress: ProgressFn | None = None
    threads: int = 2
    gap_limit: float = 0.003


def configure(
    solver: Any,
    settings: SearchSettings,
    time_limit: float | None = None,
    **overrides: Any,
) -> None:
    """Set the chosen parameters and a time limit (deterministic units when asked).

    ``overrides`` are CP-SAT parameter names with the values a model measured best for
    itself (for example ``cp_model_presolve=False``); they are set last.
    """
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
    for name, value in overrides.items():
        setattr(p, name, value)


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
