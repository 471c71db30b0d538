"""Three engines for the same pairs model: min-cost flow, CP-SAT and PuLP.

Min-cost flow is exact and integral for the pure model (each helper up to its
capacity, each weak school at most one helper); CP-SAT and PuLP take the model
with side constraints that break the network (``twinning.max_helped_students_ratio``)
and serve as independent cross-checks. CP-SAT and PuLP solve in two stages,
(1) as many pairs as possible, (2) with that count fixed, least cost; the flow
does the same in one call (maximum flow of minimum cost).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from twinning.messages import Msg, msg
from twinning.models.pairs.data import IntArray, PairsData
from twinning.models.search import STOP, SearchSettings, configure, cpsat_callback


@dataclass
class EngineOutcome:
    """Arcs chosen and what the engine proved about them."""

    chosen: IntArray
    status: str  # optimal / feasible / infeasible / unknown
    stage2_bound: float | None  # lower bound on sum(arc cost) + min-place cost, given count
    count_upper: int  # proven upper bound on the number of pairs
    method: Msg
    wall_time: float


def solve_flow(data: PairsData, min_weight: int) -> EngineOutcome:
    """Maximum flow of minimum cost: source -> helper -> weak school -> sink.

    The network keeps [twinning.max_helped] (source arcs), [twinning.helped_once] (sink
    arcs of capacity 1) and [twinning.cover] (a maximum flow).
    """
    from ortools.graph.python import min_cost_flow

    start = time.perf_counter()
    n_h, n_w = len(data.helpers), len(data.helped)
    source, sink = 0, 1 + n_h + n_w
    flow = min_cost_flow.SimpleMinCostFlow()
    # Two arcs into each helper: the places up to min_helped are free, the rest cost
    # min_weight each. With the total flow at its maximum, this charges min_weight for
    # each min place left empty, exactly (costs are convex, so cheap places fill first).
    helpers = np.arange(n_h, dtype=np.int64)
    first = data.min_places
    rest = data.capacity - data.min_places
    tails = np.concatenate(
        [
            np.zeros(2 * n_h, dtype=np.int64),
            1 + data.arc_helper,
            1 + n_h + np.arange(n_w, dtype=np.int64),
        ]
    )
    heads = np.concatenate(
        [1 + helpers, 1 + helpers, 1 + n_h + data.arc_helped, np.full(n_w, sink, dtype=np.int64)]
    )
    caps = np.concatenate(
        [first, rest, np.ones(data.n_arcs, dtype=np.int64), np.ones(n_w, dtype=np.int64)]
    )
    # Flow needs costs >= 0 here; shifting every helper->weak arc by the same amount
    # changes all maximum flows by the same total, so the optimum is unchanged.
    shift = -int(data.arc_cost.min()) if data.n_arcs and data.arc_cost.min() < 0 else 0
    costs = np.concatenate(
        [
            np.zeros(n_h, dtype=np.int64),
            np.full(n_h, min_weight, dtype=np.int64),
            data.arc_cost + shift,
            np.zeros(n_w, dtype=np.int64),
        ]
    )
    keep = caps > 0
    flow.add_arcs_with_capacity_and_unit_cost(tails[keep], heads[keep], caps[keep], costs[keep])
    supply = int(min(data.capacity.sum(), n_w))
    flow.set_node_supply(source, supply)
    flow.set_node_supply(sink, -supply)
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed with status {status}")
    arc_flows = flow.flows(np.arange(int(keep.sum()), dtype=np.int64))
    pair_slice = np.nonzero(keep)[0]
    is_pair_arc = (pair_slice >= 2 * n_h) & (pair_slice < 2 * n_h + data.n_arcs)
    chosen = (pair_slice[is_pair_arc] - 2 * n_h)[arc_flows[is_pair_arc] > 0]
    chosen = np.sort(chosen).astype(np.int64)
    count = int(chosen.size)
    load = np.bincount(data.arc_helper[chosen], minlength=n_h)
    stage2 = float(data.arc_cost[chosen].sum()) + min_weight * float(
        (data.min_places - np.minimum(load, data.min_places)).sum()
    )
    return EngineOutcome(
        chosen,
        "optimal",
        stage2,
        count,
        msg("method.pairs.flow"),
        time.perf_counter() - start,
    )


def solve_cpsat(
    data: PairsData,
    min_weight: int,
    settings: SearchSettings,
    relaxed: EngineOutcome | None = None,
) -> EngineOutcome:
    """Two-stage CP-SAT: most pairs [twinning.cover], then least cost with the count fixed.

    ``relaxed`` is the flow optimum without the side constraints: its count caps stage 1,
    its cost bounds stage 2 from below, and its pairs that fit the side constraints warm
    the search.
    """
    from ortools.sat.python import cp_model

    start = time.perf_counter()
    n_h, n_w = len(data.helpers), len(data.helped)
    model = cp_model.CpModel()
    x = [model.new_bool_var(f"x{a}") for a in range(data.n_arcs)]
    by_helper: list[list[int]] = [[] for _ in range(n_h)]
    by_helped: list[list[int]] = [[] for _ in range(n_w)]
    for a in range(data.n_arcs):
        by_helper[int(data.arc_helper[a])].append(a)
        by_helped[int(data.arc_helped[a])].append(a)
    add_helped_once(model, x, by_helped)
    add_max_helped(model, x, by_helper, data)
    filled = add_min_helped(model, x, by_helper, data)
    add_max_helped_students_ratio(model, x, by_helper, data)
    solver = cp_model.CpSolver()
    # Measured on a 2,000-school county with a binding student-ratio rule (193k arcs):
    # presolve ran 28 s and found nothing; without it the hint is kept at once and the
    # search improves on it.
    big = {"cp_model_presolve": False} if data.n_arcs > 20_000 else {}
    configure(solver, settings, settings.time_limit * 0.5, **big)
    # Stage 1: as many pairs as possible.
    count_expr = sum(x)
    if relaxed is not None:
        model.add(count_expr <= relaxed.count_upper)
        for a in feasible_part(data, relaxed.chosen):
            model.add_hint(x[a], 1)
    model.maximize(count_expr)
    deadline = start + settings.time_limit
    st = STOP.run(
        solver, model, cpsat_callback("pairs", settings.progress, msg("progress.most_pairs"))
    )
    if st not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        status = "infeasible" if st == cp_model.INFEASIBLE else "unknown"
        return EngineOutcome(
            np.zeros(0, dtype=np.int64),
            status,
            None,
            n_w,
            msg("method.cpsat"),
            time.perf_counter() - start,
        )
    count = round(solver.objective_value)
    count_upper = int(np.floor(solver.best_objective_bound + 1e-6))
    stage1_optimal = st == cp_model.OPTIMAL
    hint = [solver.boolean_value(v) for v in x]
    # Stage 2: with the count fixed, least cost.
    model.add(count_expr == count)
    model.clear_hints()
    for v, val in zip(x, hint, strict=True):
        model.add_hint(v, val)
    cost = sum(int(data.arc_cost[a]) * x[a] for a in range(data.n_arcs) if data.arc_cost[a])
    empty = int(sum(min(int(data.min_places[h]), len(a)) for h, a in enumerate(by_helper)))
    model.minimize(cost + min_weight * (empty - sum(filled)))
    configure(solver, settings, deadline - time.perf_counter(), **big)
    st2 = STOP.run(
        solver, model, cpsat_callback("pairs", settings.progress, msg("progress.least_cost"))
    )
    if st2 in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen = np.array(
            [a for a in range(data.n_arcs) if solver.boolean_value(x[a])], dtype=np.int64
        )
        bound = float(solver.best_objective_bound)
        optimal = stage1_optimal and st2 == cp_model.OPTIMAL
    else:  # keep the stage-1 plan: it is feasible
        chosen = np.array([a for a, v in enumerate(hint) if v], dtype=np.int64)
        bound, optimal = None, False
    # Unfillable min places (helpers with fewer arcs than places) are charged outside.
    unfillable = int(sum(max(0, int(data.min_places[h]) - len(a)) for h, a in enumerate(by_helper)))
    if bound is not None:
        bound += min_weight * unfillable
        if relaxed is not None and relaxed.count_upper == count and relaxed.stage2_bound:
            bound = max(bound, relaxed.stage2_bound)
    method = msg(
        "method.pairs.cpsat",
        workers=settings.workers,
        linearization=settings.linearization_level,
    )
    return EngineOutcome(
        chosen,
        "optimal" if optimal else "feasible",
        bound if stage1_optimal else None,
        count_upper if stage1_optimal else max(count_upper, count),
        method,
        time.perf_counter() - start,
    )


def add_helped_once(model: Any, x: list[Any], by_helped: list[list[int]]) -> None:
    """[twinning.helped_once] A weak school has at most one helper."""
    for arcs in by_helped:
        if len(arcs) > 1:
            model.add_at_most_one(x[a] for a in arcs)


def add_max_helped(model: Any, x: list[Any], by_helper: list[list[int]], data: PairsData) -> None:
    """[twinning.max_helped] A helper takes at most its free places."""
    for h, arcs in enumerate(by_helper):
        if arcs:
            model.add(sum(x[a] for a in arcs) <= int(data.capacity[h]))


def add_min_helped(
    model: Any, x: list[Any], by_helper: list[list[int]], data: PairsData
) -> list[Any]:
    """[twinning.min_helped] Places filled up to each helper's minimum (priced in the cost)."""
    filled = []
    for h, arcs in enumerate(by_helper):
        places = int(min(data.min_places[h], len(arcs)))
        if places:
            f = model.new_int_var(0, places, f"filled{h}")
            model.add(f <= sum(x[a] for a in arcs))
            filled.append(f)
    return filled


def add_max_helped_students_ratio(
    model: Any, x: list[Any], by_helper: list[list[int]], data: PairsData
) -> None:
    """[twinning.max_helped_students_ratio] The helped schools' students within the helper's
    budget."""
    if data.max_students_ratio is None:
        return
    for h, arcs in enumerate(by_helper):
        if arcs:
            limit = int(data.student_budget[h])
            model.add(
                sum(int(data.helped_students[data.arc_helped[a]]) * x[a] for a in arcs) <= limit
            )


def feasible_part(data: PairsData, chosen: IntArray) -> IntArray:
    """The chosen arcs that fit each helper's student budget, cheapest first."""
    if data.max_students_ratio is None:
        return chosen
    keep = []
    used = np.zeros(len(data.helpers), dtype=np.int64)
    for a in chosen[np.argsort(data.arc_cost[chosen], kind="stable")]:
        h = data.arc_helper[a]
        need = data.helped_students[data.arc_helped[a]]
        if used[h] + need <= data.student_budget[h]:
            used[h] += need
            keep.append(a)
    return np.array(sorted(keep), dtype=np.int64)


def solve_pulp(
    data: PairsData, min_weight: int, time_limit: float, solver_name: str = "CBC"
) -> EngineOutcome:
    """Two-stage MILP with PuLP (CBC by default, or HiGHS), within ``time_limit`` seconds
    from the call: building the model counts (a city's millions of arcs take minutes in
    PuLP, and writing them for CBC as long again), so the build stops with status unknown
    once the limit has passed, and each stage's solver gets what is left less the time
    handing the model over is expected to take (the build's own seconds at first, then
    what the first stage's hand-over measured)."""
    import pulp

    start = time.perf_counter()
    deadline = start + time_limit
    n_h, n_w = len(data.helpers), len(data.helped)

    def out_of_time() -> EngineOutcome:
        return EngineOutcome(
            np.zeros(0, dtype=np.int64),
            "unknown",
            None,
            n_w,
            msg("method.pulp", solver=solver_name),
            time.perf_counter() - start,
        )

    prob = pulp.LpProblem("pairs", pulp.LpMaximize)
    x = []
    for a in range(data.n_arcs):
        if a % 100_000 == 0 and time.perf_counter() > deadline:
            return out_of_time()
        x.append(pulp.LpVariable(f"x{a}", cat="Binary"))
    by_helper: list[list[int]] = [[] for _ in range(n_h)]
    by_helped: list[list[int]] = [[] for _ in range(n_w)]
    for a in range(data.n_arcs):
        by_helper[int(data.arc_helper[a])].append(a)
        by_helped[int(data.arc_helped[a])].append(a)
    for j, arcs in enumerate(by_helped):
        if len(arcs) > 1:
            prob += pulp.lpSum(x[a] for a in arcs) <= 1, f"helped{j}"
    filled = []
    for h, arcs in enumerate(by_helper):
        if not arcs:
            continue
        prob += pulp.lpSum(x[a] for a in arcs) <= int(data.capacity[h]), f"cap{h}"
        places = int(min(data.min_places[h], len(arcs)))
        if places:
            f = pulp.LpVariable(f"filled{h}", 0, places, cat="Integer")
            prob += f <= pulp.lpSum(x[a] for a in arcs), f"fill{h}"
            filled.append(f)
        if data.max_students_ratio is not None:
            limit = int(data.student_budget[h])
            prob += (
                pulp.lpSum(int(data.helped_students[data.arc_helped[a]]) * x[a] for a in arcs)
                <= limit,
                f"students{h}",
            )
    count_expr = pulp.lpSum(x)
    prob.setObjective(count_expr)
    built = time.perf_counter() - start
    handover = built  # the model written for the solver and read back: about a build

    def run(limit: float) -> str:
        if solver_name.upper() == "HIGHS":
            engine = pulp.HiGHS(msg=False, timeLimit=max(1.0, limit))
        else:
            engine = pulp.PULP_CBC_CMD(msg=False, timeLimit=max(1, int(limit)))
        prob.solve(engine)
        return str(pulp.LpStatus[prob.status])

    left = deadline - time.perf_counter() - 2 * handover
    if left <= 0:
        return out_of_time()
    began = time.perf_counter()
    st = run(left * 0.5)
    took = time.perf_counter() - began
    # the hand-over: at most the whole stage when the solver ended early, else what the
    # stage took beyond the solver's own limit
    handover = min(handover, took if took < left * 0.5 else max(took - left * 0.5, 0.0))
    if st != "Optimal" or deadline - time.perf_counter() - handover <= 0:
        return out_of_time()
    count = round(pulp.value(count_expr) or 0)
    prob += count_expr == count, "count"
    empty = int(sum(min(int(data.min_places[h]), len(a)) for h, a in enumerate(by_helper)))
    prob.sense = pulp.LpMinimize
    prob.setObjective(
        pulp.lpSum(int(data.arc_cost[a]) * x[a] for a in range(data.n_arcs))
        + min_weight * (empty - pulp.lpSum(filled))
    )
    st = run(deadline - time.perf_counter() - handover)
    # CBC stopped by its time limit can still say "Optimal"; sol_status tells proven (1).
    proven = st == "Optimal" and getattr(prob, "sol_status", 1) == 1
    chosen = np.array([a for a in range(data.n_arcs) if (x[a].varValue or 0) > 0.5], dtype=np.int64)
    unfillable = int(sum(max(0, int(data.min_places[h]) - len(a)) for h, a in enumerate(by_helper)))
    value = pulp.value(prob.objective)
    optimal = proven
    bound = float(value) + min_weight * unfillable if optimal and value is not None else None
    return EngineOutcome(
        chosen,
        "optimal" if optimal else "feasible",
        bound,
        count,
        msg("method.pulp_two_stage", solver=solver_name),
        time.perf_counter() - start,
    )
