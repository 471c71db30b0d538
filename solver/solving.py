"""``solve()``: plan the requested parts in order and gather one typed result."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from twinning.check.plan import known_plan
from twinning.county.distances import Distances
from twinning.county.instance import Instance
from twinning.deadline import Deadline
from twinning.errors import UsageError
from twinning.messages import msg
from twinning.models.search import STOP, Progress, ProgressFn, SearchSettings, SolveContext
from twinning.parts import PART_ORDER, PARTS, asked_parts, parse_parts
from twinning.plan import PartObjective, Plan
from twinning.result import (
    AlliancesSolution,
    PairsSolution,
    PartResult,
    PartSolution,
    Result,
    gap_of,
    worst_status,
)
from twinning.rules.balance import balance_of
from twinning.validation import validate

BACKENDS = ("cpsat", "pulp", "pulp-highs")

#: Kept for callers of earlier versions: the parts, in planning order.
AVAILABLE_PARTS: tuple[str, ...] = PART_ORDER


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
    on_part: Callable[[Result], None] | None = None,
    given: Plan | None = None,
    baseline: Plan | None = None,
    memo: dict[str, Any] | None = None,
    check: bool = True,
    deadline: Deadline | None = None,
) -> Result:
    """Plan the requested parts of an instance.

    Parameters
    ----------
    inst
        The county, as read by :func:`solver.load_instance`.
    parts
        Any of ``"pairs"``, ``"alliances"``, ``"roster"``; default: every available part.
    time_limit
        Seconds for the whole solve. Each part has a share of it (:func:`part_share`:
        its :data:`PART_WEIGHTS` share of the time left for it and the parts after it),
        model building included; a part stopped by it returns its best plan, status
        ``feasible``, with its gap. Deterministic runs give each part the whole limit in
        CP-SAT's deterministic time instead.
    deadline
        The command's deadline instead of ``time_limit`` seconds from now
        (:class:`twinning.deadline.Deadline`: the command line counts its limit from the
        start of the command and keeps a reserve for writing and explaining): the parts
        share :meth:`~twinning.deadline.Deadline.for_parts`.
    seed, workers, deterministic
        CP-SAT settings; ``deterministic`` gives identical plans on repeated runs.
    progress
        Called with a :class:`~twinning.models.search.Progress` when a part starts and ends,
        on each improving solution of a search, and as each roster group is done (live
        lines in the command line).
    on_part
        Called with the result so far after each part (the command line writes it when a
        Ctrl-C cannot wait for a search to stop).
    given
        A plan whose parts are taken as they are instead of solved again, where the parts
        asked for build on them (e.g. the roster on last week's pairs and alliances).
    baseline
        Re-planning: a plan to change as little as the rules allow. Its pairs and
        alliances are kept when they still keep their rules in this instance (else solved
        again); each roster move it has earns ``weights.replan_keep`` in the search.
    threads
        Independent roster groups solved side by side (batch runs use 1 per process).
    memo
        Where the parts keep what they build (the roster its options), for a later solve
        of a near copy of the county to reuse (the explanation after an infeasible solve
        passes one to each of its solves).
    check
        False: no checker's list of a closest plan's misses and no balance figures (a solve
        asked only whether a plan exists).
    backend
        ``"cpsat"`` (OR-Tools: exact network flow where it applies, CP-SAT otherwise),
        ``"pulp"`` (CBC) or ``"pulp-highs"``.

    Returns
    -------
    Result
        Never raises for an infeasible or timed-out solve: the status says so.
    """
    if backend not in BACKENDS:
        raise UsageError.of("usage.unknown_backend", backend=backend, known=list(BACKENDS))
    order = parse_parts(parts, inst)
    # A plan made before the county changed (a school closed, a teacher gone): only its
    # rows the instance still knows are kept or re-planned on.
    given = known_plan(inst, given) if given is not None else None
    baseline = known_plan(inst, baseline) if baseline is not None else None
    start = time.perf_counter()
    if deadline is None:
        deadline = Deadline.from_now(time_limit)
    base = SearchSettings(
        workers=workers or 1,
        time_limit=time_limit,
        seed=seed,
        deterministic=deterministic,
        progress=progress,
        threads=threads,
    )
    ctx = SolveContext(
        inst=inst,
        plan=Plan(
            instance=inst.name,
            fingerprint=inst.fingerprint(),
            parts=order,
            status="optimal",
            objective=0,
        ),
        settings=base,
        backend=backend,
        dist=Distances(inst),
        baseline=baseline,
        memo=memo,
    )
    pinned = _baseline_pins(inst, baseline) if baseline is not None else None
    results: dict[str, PartResult] = {}
    objectives: dict[str, PartObjective] = {}
    asked = set(asked_parts(parts)) if parts is not None else set(order)
    for name in order:
        if STOP.requested:
            break  # interrupted: the parts planned so far make the plan
        if _is_given(given, name, asked):
            assert given is not None
            ctx.plan = _take(ctx.plan, given, name)
            results[name] = PARTS[name].result(
                part=name,
                status=given.status,
                objective=given.objectives[name].value if name in given.objectives else None,
                method=msg("method.given", instance=given.instance),
                terms=given.objectives[name].terms if name in given.objectives else {},
            )
            if name in given.objectives:
                objectives[name] = given.objectives[name]
            continue
        if base.deterministic:
            share = time_limit  # never read the clock: each part its deterministic limit
        else:
            later = [p for p in order[order.index(name) :] if not _is_given(given, p, asked)]
            statuses = {p: r.status for p, r in results.items()}
            share = part_share(name, later, deadline.for_parts(later, statuses))
        ctx.settings = replace(base, time_limit=share)
        if progress is not None:
            progress(Progress(name, msg("progress.started")))
        if pinned is not None and name in PINNED_PARTS:
            solution = _run_pinned(ctx, name, pinned)
        else:
            solution = PARTS[name].run(ctx)
        ctx.plan = solution.apply(ctx.plan)
        results[name] = solution.result
        if solution.objective is not None:
            objectives[name] = solution.objective
        if progress is not None:
            r = solution.result
            progress(Progress(name, msg("progress.done", status=r.status), r.objective, r.bound))
        if on_part is not None:
            on_part(_result(inst, order, ctx.plan, results, objectives, start, check=False))
    return _result(inst, order, ctx.plan, results, objectives, start, check=check)


#: Each part's weight in the time limit: what it is expected to make of search time (the
#: pairs are an exact flow of seconds; the roster, the largest model, searches longest).
#: A part starts with its weight's share of the time left among the parts still to plan,
#: so that no part can starve those after it, and the time a part leaves unused goes to
#: the parts after it.
PART_WEIGHTS = {"pairs": 1.0, "alliances": 3.0, "roster": 6.0, "itinerant": 3.0, "outreach": 2.0}

#: The fewest seconds a part is given, however late it starts (a first plan).
LEAST_SHARE = 1.0


def part_share(name: str, later: list[str], left: float) -> float:
    """Seconds for part ``name`` when ``left`` seconds of the time limit remain for it and
    the ``later`` parts (itself among them): its weight's share of them."""
    weights = [PART_WEIGHTS.get(p, 2.0) for p in later] or [1.0]
    mine = PART_WEIGHTS.get(name, 2.0)
    return max(LEAST_SHARE, left * mine / sum(weights))


def _is_given(given: Plan | None, name: str, asked: set[str]) -> bool:
    """Whether the part is taken from the given plan instead of solved."""
    return given is not None and name in given.parts and name not in asked


#: The parts whose baseline rows are pinned when re-planning, and their rule prefix.
PINNED_PARTS = {"pairs": "twinning.", "alliances": "alliances."}


def _baseline_pins(inst: Instance, baseline: Plan) -> Instance:
    """Re-planning: the instance with the baseline's pairs and alliance memberships
    pinned, all but those the checker finds breaking a rule in this instance (a vetoed
    or changed school frees its rows; a new school is planned around the rest)."""
    from twinning.county.instance import Fixed

    broken: set[str] = set()
    for v in validate(inst, baseline).violations:
        if any(v.rule.startswith(prefix) for prefix in PINNED_PARTS.values()):
            broken.update(v.where)
    have = {(f.kind, f.from_school, f.to_school) for f in inst.fixed}
    pins: list[Fixed] = []
    for p in baseline.pairs:
        if {p.helper, p.helped} & broken or ("pair", p.helper, p.helped) in have:
            continue
        pins.append(Fixed(kind="pair", from_school=p.helper, to_school=p.helped))
    members: dict[str, set[str]] = {}
    for m in baseline.alliances:
        members.setdefault(m.member, set()).add(m.lead)
    for m in baseline.alliances:
        if (
            {m.lead, m.member} & broken
            or len(members[m.member]) > 1  # in two stages' alliances: left to the model
            or ("alliance", m.lead, m.member) in have
        ):
            continue
        pins.append(Fixed(kind="alliance", from_school=m.lead, to_school=m.member))
    return inst.model_copy(update={"fixed": [*inst.fixed, *pins]})


def _run_pinned(ctx: SolveContext, name: str, pinned: Instance) -> PartSolution:
    """A part solved with the baseline's rows pinned; when the pins leave no plan (the
    changed county cannot keep them all), solved again without them."""
    plain = ctx.inst
    ctx.inst = pinned
    try:
        solution = PARTS[name].run(ctx)
    finally:
        ctx.inst = plain
    if solution.result.status in ("infeasible", "unknown"):
        return PARTS[name].run(ctx)
    # Rows pinned only by the baseline are not pinned in the instance: not marked so, and
    # the part's cost recounted by the checker on the instance as it is (the pinned
    # search's bound does not hold without the pins, so none is claimed).
    pairs = {(f.from_school, f.to_school) for f in plain.fixed if f.kind == "pair"}
    leads = {(f.from_school, f.to_school) for f in plain.fixed if f.kind == "alliance"}
    if isinstance(solution, PairsSolution):
        solution.pairs = [
            p.model_copy(update={"fixed": (p.helper, p.helped) in pairs}) for p in solution.pairs
        ]
    elif isinstance(solution, AlliancesSolution):
        solution.alliances = [
            m.model_copy(update={"fixed": (m.lead, m.member) in leads}) for m in solution.alliances
        ]
    mine = validate(plain, solution.apply(ctx.plan)).objectives.get(name)
    solution.objective = mine
    solution.result = solution.result.model_copy(
        update={
            "method": msg("method.baseline_pinned", method=solution.result.method),
            "status": "feasible",
            "objective": mine.value if mine is not None else solution.result.objective,
            "bound": None,
            "gap": None,
        }
    )
    return solution


def _take(plan: Plan, given: Plan, part: str) -> Plan:
    """The plan with one part's rows copied from a given plan."""
    return plan.model_copy(update={f: getattr(given, f) for f in PARTS[part].rows})


def _result(
    inst: Instance,
    order: list[str],
    plan_so_far: Plan,
    results: dict[str, PartResult],
    objectives: dict[str, PartObjective],
    start: float,
    *,
    check: bool,
) -> Result:
    """The result of the parts planned so far; ``check`` lists a closest plan's misses."""
    interrupted = STOP.requested
    # A part stopped (time limit, Ctrl-C) before any plan of its own is left out of the plan,
    # so that what is written is a whole plan for the parts it names.
    planned = [p for p in order if p in results and p in objectives]
    status = worst_status([r.status for r in results.values()] or ["unknown"])
    if interrupted and any(p not in planned for p in order):
        status = "unknown"  # the run as a whole did not finish the parts asked
    # The plan's own status speaks for the parts it holds: pairs and alliances solved to
    # optimality stay a valid plan of those parts when the roster after them is stopped.
    plan_status = worst_status([results[p].status for p in planned] or ["unknown"])
    objective = sum(o.value for o in objectives.values()) if objectives else None
    bounds = [r.bound for r in results.values()]
    bound = sum(b for b in bounds if b is not None) if all(b is not None for b in bounds) else None
    plan = plan_so_far.model_copy(
        update={
            "parts": planned,
            "status": plan_status,
            "objective": objective or 0,
            "objectives": objectives,
            "interrupted": interrupted,
            "missing": [p for p in order if p not in planned],
        }
    )
    plan = plan.canonical()
    # A plan that misses a rule is the one that comes closest: the checker says which
    # rules it misses, where and by how much, as it would for any plan.
    closest = any(
        r.status in ("infeasible", "unknown") and name in planned for name, r in results.items()
    )
    checked = validate(inst, plan) if closest and check else None
    missed = (
        [v for v in checked.violations if v.rule != "plan.objective"] if checked is not None else []
    )
    out = Result(
        status=status,
        objective=objective,
        bound=bound,
        gap=gap_of(objective, bound),
        wall_time=time.perf_counter() - start,
        parts=results,
        plan=plan,
        interrupted=interrupted,
        closest=closest,
        missed=missed,
        # the check's own figures when it made them (the same plan: worked out once)
        balance=(checked.balance if checked is not None else balance_of(inst, plan))
        if check
        else None,
    )
    out._checked = checked
    return out
