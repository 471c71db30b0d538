"""``solve()``: plan the requested parts in order and gather one typed result."""

from __future__ import annotations

import time
from collections.abc import Iterable

from solver.county.distances import Distances
from solver.county.instance import Instance
from solver.models.alliances import solve_alliances
from solver.models.pairs import solve_pairs
from solver.models.roster import RosterSettings, solve_roster
from solver.models.search import STOP, ProgressFn
from solver.plan import PART_ORDER, PartObjective, PartResult, Plan, Result, gap_of, worst_status

#: Parts this version can plan, in the order they are planned.
AVAILABLE_PARTS: tuple[str, ...] = ("pairs", "alliances", "roster")
BACKENDS = ("cpsat", "pulp", "pulp-highs")


def parse_parts(parts: Iterable[str] | str | None, inst: Instance | None = None) -> list[str]:
    """Normalise a parts argument ("pairs,alliances" or a set) into planning order.

    The roster builds on the pairs (mentors, and the pair scope) and, with
    ``rotation.scope = "alliance"``, on the alliances: those parts are added.
    """
    if parts is None:
        return list(AVAILABLE_PARTS)
    if isinstance(parts, str):
        parts = [p for p in parts.replace(" ", "").split(",") if p]
    wanted = set(parts)
    unknown = wanted - set(PART_ORDER)
    if unknown:
        raise ValueError(
            f"unknown part(s): {', '.join(sorted(unknown))}; choose from {', '.join(PART_ORDER)}"
        )
    missing = wanted - set(AVAILABLE_PARTS)
    if missing:
        raise ValueError(f"part(s) not available in this version: {', '.join(sorted(missing))}")
    if not wanted:
        raise ValueError("no part to plan")
    if "roster" in wanted:
        wanted.add("pairs")
        if inst is not None and inst.policy.rotation.scope == "alliance":
            wanted.add("alliances")
    return [p for p in PART_ORDER if p in wanted]


def solve(
    inst: Instance,
    parts: Iterable[str] | str | None = None,
    *,
    time_limit: float = 60.0,
    seed: int = 0,
    workers: int | None = None,
    backend: str = "cpsat",
    deterministic: bool = False,
    progress: ProgressFn | None = None,
    threads: int = 2,
) -> Result:
    """Plan the requested parts of an instance.

    Parameters
    ----------
    inst
        The county, as read by :func:`solver.load_instance`.
    parts
        Any of ``"pairs"``, ``"alliances"``, ``"roster"``; default: every available part.
    time_limit
        Seconds for the whole solve; a part stopped by it returns its best plan, status
        ``feasible``, with its gap.
    seed, workers, deterministic
        CP-SAT settings; ``deterministic`` gives identical plans on repeated runs.
    progress
        Called as ``progress(part, objective, bound, seconds)`` on each improving solution
        of a CP-SAT search (live lines in the CLI).
    threads
        Independent roster groups solved side by side (batch runs use 1 per process).
    backend
        ``"cpsat"`` (OR-Tools: exact network flow where it applies, CP-SAT otherwise),
        ``"pulp"`` (CBC) or ``"pulp-highs"``.

    Returns
    -------
    Result
        Never raises for an infeasible or timed-out solve: the status says so.
    """
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}; choose from {', '.join(BACKENDS)}")
    order = parse_parts(parts, inst)
    start = time.perf_counter()
    dist = Distances(inst)
    results: dict[str, PartResult] = {}
    objectives: dict[str, PartObjective] = {}
    plan = Plan(instance=inst.name, parts=order, status="optimal", objective=0)
    for part in order:
        if STOP.requested:
            break  # interrupted: the parts planned so far make the plan
        remaining = max(1.0, time_limit - (time.perf_counter() - start))
        search = RosterSettings(
            workers=workers or 1,
            time_limit=remaining,
            seed=seed,
            deterministic=deterministic,
            progress=progress,
            threads=threads,
        )
        if part == "pairs":
            res, plan.pairs, plan.unpaired, obj = solve_pairs(
                inst, backend=backend, settings=search, dist=dist
            )
        elif part == "roster":
            res, plan.roster, plan.unmet_needs, obj = solve_roster(
                inst, plan.pairs, plan.alliances, settings=search, dist=dist
            )
        elif part == "alliances":
            res, plan.alliances, obj = solve_alliances(
                inst, backend=backend, settings=search, dist=dist
            )
        results[part] = res
        if obj is not None:
            objectives[part] = obj
    interrupted = STOP.requested
    # A part stopped (time limit, Ctrl-C) before any plan of its own is left out of the plan,
    # so that what is written is a whole plan for the parts it names.
    plan.parts = [p for p in order if p in results and p in objectives]
    status = worst_status([r.status for r in results.values()] or ["unknown"])
    objective = sum(o.value for o in objectives.values()) if objectives else None
    bounds = [r.bound for r in results.values()]
    bound = sum(b for b in bounds if b is not None) if all(b is not None for b in bounds) else None
    plan.status = status
    plan.objective = objective or 0
    plan.objectives = objectives
    return Result(
        status=status,
        objective=objective,
        bound=bound,
        gap=gap_of(objective, bound),
        wall_time=time.perf_counter() - start,
        parts=results,
        plan=plan.canonical(),
        interrupted=interrupted,
    )
