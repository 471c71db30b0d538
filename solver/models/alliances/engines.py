"""Engines for the alliances model: exact p-median, CP-SAT and PuLP.

The pure model (no size limits, no balance term) is a p-median problem with
forbidden assignments; ``twinning.models.alliances.pmedian`` solves it exactly with a
tight formulation. Size limits and the balance term turn it into a capacitated,
non-separable model: CP-SAT solves that, warm-started from the p-median plan, and
PuLP solves the same model as a cross-check.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from twinning.messages import Msg, msg
from twinning.models.alliances.data import AlliancesData, IntArray
from twinning.models.alliances.pmedian import solve_pmedian
from twinning.models.search import STOP, SearchSettings, configure, cpsat_callback


@dataclass
class AllianceOutcome:
    """Assignment found (school -> slot position) and what was proved."""

    slot_of: IntArray | None
    status: str
    bound: float | None
    method: Msg
    wall_time: float


def _arcs(data: AlliancesData) -> list[tuple[int, int]]:
    """Allowed (school, slot) pairs."""
    rows, cols = np.nonzero(np.isfinite(data.cost))
    return list(zip(rows.tolist(), cols.tolist(), strict=True))


def _index(arcs: list[tuple[int, int]], n: int) -> tuple[list[list[int]], dict[int, list[int]]]:
    """(slots each school may join, schools each slot may take)."""
    by_school: list[list[int]] = [[] for _ in range(n)]
    by_slot: dict[int, list[int]] = {}
    for i, k in arcs:
        by_school[i].append(k)
        by_slot.setdefault(k, []).append(i)
    return by_school, by_slot


def slots_of_school(data: AlliancesData) -> dict[int, list[int]]:
    """School position -> the slots it leads."""
    out: dict[int, list[int]] = {}
    for k, j in enumerate(data.slot_lead.tolist()):
        out.setdefault(j, []).append(k)
    return out


def solve_p_median(data: AlliancesData, time_limit: float, seed: int) -> AllianceOutcome:
    """The pure model through the exact p-median solver."""
    start = time.perf_counter()
    cost, may = data.lead_cost()
    res = solve_pmedian(
        cost,
        data.p,
        fixed_leads=data.fixed_leads,
        allowed_leads=may,
        time_limit=time_limit,
        seed=seed,
    )
    if res.status in ("infeasible", "unknown"):
        return AllianceOutcome(
            None,
            res.status,
            None,
            msg("method.p_median", inner=res.method),
            time.perf_counter() - start,
        )
    slot = {j: k for k, j in enumerate(data.slot_lead.tolist())}
    slot_of = np.array([slot[int(j)] for j in res.assignment], dtype=np.int64)
    return AllianceOutcome(
        slot_of,
        res.status,
        float(res.bound),
        msg("method.p_median", inner=res.method),
        time.perf_counter() - start,
    )


def add_cover(model: Any, x: dict[tuple[int, int], Any], by_school: list[list[int]]) -> None:
    """[alliances.cover] Every school is in exactly one alliance."""
    for i, slots in enumerate(by_school):
        model.add_exactly_one(x[i, k] for k in slots)


def add_one_lead(
    model: Any, x: dict[tuple[int, int], Any], by_slot: dict[int, list[int]], data: AlliancesData
) -> dict[int, Any]:
    """[alliances.one_lead, alliances.lead_in_own] A school joins a slot only if its lead
    is in it; returns the 'open' variable of each slot."""
    opens = {}
    for k, members in by_slot.items():
        j = int(data.slot_lead[k])
        y = x[j, k]
        opens[k] = y
        for i in members:
            if i != j:
                model.add_implication(x[i, k], y)
    return opens


def add_sizes(
    model: Any,
    x: dict[tuple[int, int], Any],
    by_slot: dict[int, list[int]],
    opens: dict[int, Any],
    data: AlliancesData,
) -> None:
    """[alliances.min_size, alliances.max_size, alliances.size_band] An alliance's schools
    within its sizes."""
    low, high = data.slot_min, data.slot_max
    for k in opens:
        size = sum(x[i, k] for i in by_slot[k])
        if low[k] > 1:
            model.add(size >= int(low[k])).only_enforce_if(opens[k])
        if high[k] < len(by_slot[k]):
            model.add(size <= int(high[k]))


def add_mix_area(
    model: Any,
    x: dict[tuple[int, int], Any],
    by_slot: dict[int, list[int]],
    opens: dict[int, Any],
    data: AlliancesData,
) -> None:
    """[alliances.mix_area] An open slot that needs one has a rural member (rural leads
    were left out when the slots were built)."""
    for k in opens:
        if data.rural_needed[k]:
            model.add(sum(x[i, k] for i in by_slot[k] if data.rural[i]) >= 1).only_enforce_if(
                opens[k]
            )


def add_groups(model: Any, opens: dict[int, Any], data: AlliancesData) -> None:
    """[alliances.groups, alliances.groups_per_region] As many alliances as the policy asks,
    per count group."""
    for g, group in enumerate(data.groups):
        model.add(sum(y for k, y in opens.items() if data.slot_group[k] == g) == group.alliances)


def add_fixed(
    model: Any, x: dict[tuple[int, int], Any], opens: dict[int, Any], data: AlliancesData
) -> None:
    """[alliances.leads, alliances.fixed] Fixed leads lead; pinned members stay with theirs."""
    mine = slots_of_school(data)
    for j in data.fixed_leads:
        model.add(sum(opens[k] for k in mine.get(j, []) if k in opens) == 1)
    for member, lead in data.pinned.items():
        model.add(sum(x[member, k] for k in mine.get(lead, []) if (member, k) in x) == 1)


def solve_alliances_cpsat(
    data: AlliancesData,
    settings: SearchSettings,
    hint: IntArray | None = None,
    time_limit: float | None = None,
) -> AllianceOutcome:
    """The alliances model (sizes, mix, balance terms) in CP-SAT."""
    from ortools.sat.python import cp_model

    start = time.perf_counter()
    model = cp_model.CpModel()
    arcs = _arcs(data)
    n = data.n
    x: dict[tuple[int, int], Any] = {a: model.new_bool_var(f"x{a[0]}_{a[1]}") for a in arcs}
    by_school, by_slot = _index(arcs, n)
    if any(not slots for slots in by_school):
        return AllianceOutcome(
            None,
            "infeasible",
            None,
            msg("method.alliances.cpsat_no_lead"),
            time.perf_counter() - start,
        )
    add_cover(model, x, by_school)
    opens = add_one_lead(model, x, by_slot, data)
    add_sizes(model, x, by_slot, opens, data)
    add_mix_area(model, x, by_slot, opens, data)
    add_groups(model, opens, data)
    add_fixed(model, x, opens, data)
    terms = [int(data.cost[i, k]) * x[i, k] for i, k in arcs if data.cost[i, k]]
    for weight, dev in zip(data.weights, (data.strong_dev, data.backbone_dev), strict=True):
        if not weight:
            continue
        for k, members in by_slot.items():
            expr = sum(int(dev[i]) * x[i, k] for i in members if dev[i])
            bound = int(np.abs(dev[members]).sum())
            d = model.new_int_var(0, bound, f"dev{k}")
            model.add(d >= expr)
            model.add(d >= -expr)
            terms.append(weight * d)
    model.minimize(sum(terms))
    if hint is not None:
        for (i, k), var in x.items():
            model.add_hint(var, int(hint[i]) == k)
    solver = cp_model.CpSolver()
    configure(solver, settings, time_limit=None if time_limit is None else max(0.5, time_limit))
    st = STOP.run(
        solver, model, cpsat_callback("alliances", settings.progress, msg("progress.groups"))
    )
    method = msg(
        "method.cpsat_search",
        workers=settings.workers,
        linearization=settings.linearization_level,
    )
    if st not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        status = "infeasible" if st == cp_model.INFEASIBLE else "unknown"
        return AllianceOutcome(None, status, None, method, time.perf_counter() - start)
    slot_of = np.full(n, -1, dtype=np.int64)
    for (i, k), var in x.items():
        if solver.boolean_value(var):
            slot_of[i] = k
    status = "optimal" if st == cp_model.OPTIMAL else "feasible"
    return AllianceOutcome(
        slot_of, status, float(solver.best_objective_bound), method, time.perf_counter() - start
    )


def solve_alliances_pulp(
    data: AlliancesData, time_limit: float, solver_name: str = "CBC"
) -> AllianceOutcome:
    """The same model as :func:`solve_alliances_cpsat` as a MILP through PuLP."""
    import pulp

    start = time.perf_counter()
    prob = pulp.LpProblem("alliances", pulp.LpMinimize)
    arcs = _arcs(data)
    n = data.n
    x = {a: pulp.LpVariable(f"x{a[0]}_{a[1]}", cat="Binary") for a in arcs}
    by_school, by_slot = _index(arcs, n)
    for i in range(n):
        if not by_school[i]:
            return AllianceOutcome(
                None,
                "infeasible",
                None,
                msg("method.pulp", solver=solver_name),
                time.perf_counter() - start,
            )
        prob += pulp.lpSum(x[i, k] for k in by_school[i]) == 1, f"one{i}"
    low, high = data.slot_min, data.slot_max
    opens = {}
    for k, members in by_slot.items():
        y = x[int(data.slot_lead[k]), k]
        opens[k] = y
        for i in members:
            if i != data.slot_lead[k]:
                prob += x[i, k] <= y, f"open{i}_{k}"
        size = pulp.lpSum(x[i, k] for i in members)
        if low[k] > 1:
            prob += size >= int(low[k]) * y, f"min{k}"
        if high[k] < len(members):
            prob += size <= int(high[k]) * y, f"max{k}"
        if data.rural_needed[k]:
            prob += pulp.lpSum(x[i, k] for i in members if data.rural[i]) >= y, f"rural{k}"
    for g, group in enumerate(data.groups):
        prob += (
            pulp.lpSum(y for k, y in opens.items() if data.slot_group[k] == g) == group.alliances,
            f"groups{g}",
        )
    mine = slots_of_school(data)
    for j in data.fixed_leads:
        prob += pulp.lpSum(opens[k] for k in mine.get(j, []) if k in opens) == 1, f"lead{j}"
    for member, lead in data.pinned.items():
        prob += (
            pulp.lpSum(x[member, k] for k in mine.get(lead, []) if (member, k) in x) == 1,
            f"pin{member}",
        )
    terms = [float(data.cost[i, k]) * x[i, k] for i, k in arcs if data.cost[i, k]]
    for w, (weight, dev) in enumerate(
        zip(data.weights, (data.strong_dev, data.backbone_dev), strict=True)
    ):
        if not weight:
            continue
        for k, members in by_slot.items():
            expr = pulp.lpSum(int(dev[i]) * x[i, k] for i in members if dev[i])
            d = pulp.LpVariable(f"dev{w}_{k}", 0)
            prob += d >= expr, f"devp{w}_{k}"
            prob += d >= -expr, f"devn{w}_{k}"
            terms.append(weight * d)
    prob.setObjective(pulp.lpSum(terms))
    method = msg("method.pulp", solver=solver_name)
    # Building counts against the limit, and handing the model over to the solver (written
    # and read back) takes about as long again: the solver gets what is left of both.
    built = time.perf_counter() - start
    left = time_limit - 2 * built
    if left <= 0:
        return AllianceOutcome(None, "unknown", None, method, time.perf_counter() - start)
    if solver_name.upper() == "HIGHS":
        engine: Any = pulp.HiGHS(msg=False, timeLimit=max(1.0, left))
    else:
        engine = pulp.PULP_CBC_CMD(msg=False, timeLimit=max(1, int(left)))
    prob.solve(engine)
    status = str(pulp.LpStatus[prob.status])
    if status != "Optimal":
        st = "infeasible" if status == "Infeasible" else "unknown"
        return AllianceOutcome(None, st, None, method, time.perf_counter() - start)
    slot_of = np.full(n, -1, dtype=np.int64)
    for (i, k), var in x.items():
        if (var.varValue or 0) > 0.5:
            slot_of[i] = k
    proven = getattr(prob, "sol_status", 1) == 1
    value = pulp.value(prob.objective)
    return AllianceOutcome(
        slot_of,
        "optimal" if proven else "feasible",
        float(value) if proven and value is not None else None,
        method,
        time.perf_counter() - start,
    )
