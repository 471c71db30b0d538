"""How the models search: one settings type for every CP-SAT model, live progress, Ctrl-C.

Every part takes the same :class:`SearchSettings`; :func:`configure` turns it into CP-SAT
parameters (each model may add its own measured overrides), so that ``time_limit``,
the seed and determinism mean the same thing everywhere.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from twinning.county.distances import Distances
from twinning.county.instance import Instance
from twinning.messages import Msg
from twinning.plan import Plan


@dataclass(frozen=True)
class Progress:
    """What a search reports as it runs: which part and step, and how good so far.

    The objective and bound are the search's own (a group of the roster counts only its
    own moves, and may be negative); show the gap, not them.
    """

    part: str
    step: Msg | None = None
    objective: float | None = None
    bound: float | None = None
    solutions: int = 0

    @property
    def gap(self) -> float | None:
        """Relative gap of the search so far, in [0, 1], or None before a first plan."""
        if self.objective is None or self.bound is None:
            return None
        return min(1.0, abs(self.objective - self.bound) / max(1.0, abs(self.objective)))


ProgressFn = Callable[[Progress], None]


@dataclass
class SolveContext:
    """What a part is solved with: the county, the plan so far, the search settings, the
    engine, the distances, and (re-planning) the plan to change as little as the rules
    allow."""

    inst: Instance
    plan: Plan
    settings: SearchSettings
    backend: str
    dist: Distances
    baseline: Plan | None = None
    #: what a part built that a later solve of a near copy of the county may reuse (the
    #: explanation's solves after the first): part-owned entries, e.g. the roster options
    memo: dict[str, Any] | None = None


@dataclass
class SearchSettings:
    """Search parameters of every model (chosen by measurement, see the benchmarks).

    Parameters
    ----------
    workers
        CP-SAT workers per search. One worker with linearization level 2 proved the
        models here fastest on 2 cores (tests/benchmarks/results).
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


def cpsat_callback(
    part: str, progress: ProgressFn | None, step: Msg | None = None, *, always: bool = False
) -> Any:
    """A CP-SAT solution callback that reports each improving solution (or None, when
    there is nothing to report and ``always`` is off); see also :func:`solve_with_grace`."""
    if progress is None and not always:
        return None
    from ortools.sat.python import cp_model

    report = progress

    class _Report(cp_model.CpSolverSolutionCallback):
        def __init__(self) -> None:
            super().__init__()
            self.solutions = 0
            self.late = False  # the time limit passed with no plan: stop at the first one

        def on_solution_callback(self) -> None:
            self.solutions += 1
            if report is not None:
                report(
                    Progress(
                        part,
                        step,
                        self.objective_value,
                        self.best_objective_bound,
                        self.solutions,
                    )
                )
            if self.late:
                self.stop_search()

        def time_is_up(self, solver: Any) -> None:
            self.late = True
            if self.solutions:
                solver.stop_search()

    return _Report()


def solve_with_grace(solver: Any, model: Any, callback: Any, limit: float, grace: float) -> Any:
    """Search for ``limit`` seconds; when no plan was found by then, go on for up to
    ``grace`` more seconds and stop at the first plan (a plan a little late beats none).

    ``callback`` comes from :func:`cpsat_callback` with ``always=True``; the solver's
    time limit must already allow ``limit + grace``. Ctrl-C still stops it at once.
    """
    timer = threading.Timer(limit, callback.time_is_up, args=(solver,))
    timer.daemon = True
    timer.start()
    try:
        return STOP.run(solver, model, callback)
    finally:
        timer.cancel()


class SearchInterrupted(Exception):
    """Ctrl-C arrived while a model was being built: the part stops with what it has."""


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

    def check(self) -> None:
        """Raise :class:`SearchInterrupted` when a stop was asked (for long Python loops
        that build a model, which CP-SAT's stop_search cannot reach)."""
        if self.event.is_set():
            raise SearchInterrupted

    @contextmanager
    def watching(self, search: Any) -> Iterator[None]:
        """While inside, a stop request calls ``search.stop_search()`` (other solvers)."""
        with self._lock:
            self._active.add(search)
        try:
            yield
        finally:
            with self._lock:
                self._active.discard(search)

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
