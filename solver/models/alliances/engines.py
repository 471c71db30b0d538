"""Engines for the alliances model: exact p-median, CP-SAT and PuLP.

The pure model (no size limits, no balance term) is a p-median problem with
forbidden assignments; ``solver.models.alliances.pmedian`` solves it exactly with a
tight formulation. Size limits and the balance term turn it into a capacitated,
non-separable model: CP-SAT solves that, warm-started from the p-median plan, and
PuLP solves the same model as a cross-check.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from solver.models.alliances.data import AlliancesData, IntArray
from solver.models.alliances.pmedian import solve_pmedian
from solver.models.search import STOP, SearchSettings, configure, cpsat_callback


@dataclass
class AllianceOutcome:
    """Assignment found (school -> lead position) and what was proved."""

    lead_of: IntArray | None
    status: str
    bound: float | None
    method: str
    wall_time: float


def _arcs(data: AlliancesData) -> list[tuple[int, int]]:
    """Allowed (school, lead) pairs: finite cost and a school that may lead."""
    rows, cols = np.nonzero(np.isfinite(data.cost) & data.can_lead[None, :])
    return list(zip(rows.tolist(), cols.tolist(), strict=True))


def _index(arcs: list[tuple[int, int]], n: int) -> tuple[list[list[int]], dict[int, list[int]]]:
    """(leads each school may join, schools each lead may take)."""
    by_school: list[list[int]] = [[] for _ in range(n)]
    by_lead: dict[int, list[int]] = {}
    for i, j in arcs:
        by_school[i].append(j)
        by_lead.setdefault(j, []).append(i)
    return by_school, by_lead


def solve_p_median(data: AlliancesData, time_limit: float, seed: int) -> AllianceOutcome:
    """The pure model through the exact p-median solver."""
    start = time.perf_counter()
    res = solve_pmedian(
        data.cost,
        data.p,
        fixed_leads=data.fixed_leads,
        allowed_leads=data.can_lead,
        time_limit=time_limit,
        seed=seed,
    )
    if res.status in ("infeasible", "unknown"):
        return AllianceOutcome(
            None, res.status, None, f"p-median ({res.method})", time.perf_counter() - start
        )
    lead_of = np.asarray(res.assignment, dtype=np.int64)
    return AllianceOutcome(
        lead_of,
        res.status,
        float(res.bound),
        f"p-median ({res.method})",
        time.perf_counter() - start,
    )


def add_cover(model: Any, x: dict[tuple[int, int], Any], by_school: list[list[int]]) -> None:
    """[alliances.cover] Every school is in exactly one alliance."""
    for i, leads in enumerate(by_school):
        model.add_exactly_one(x[i, j] for j in leads)


def add_one_lead(
    model: Any, x: dict[tuple[int, int], Any], by_lead: dict[int, list[int]]
) -> dict[int, Any]:
    """[alliances.one_lead, alliances.lead_in_own] A school joins a lead only if that lead
    leads (is in its own alliance); returns the 'leads' variable of each possible lead."""
    opens = {}
    for j, members in by_lead.items():
        y = x.get((j, j))
        if y is None:
            continue
        opens[j] = y
        for i in members:
            if i != j:
                model.add_implication(x[i, j], y)
    return opens


def add_sizes(
    model: Any,
    x: dict[tuple[int, int], Any],
    by_lead: dict[int, list[int]],
    opens: dict[int, Any],
    data: AlliancesData,
) -> None:
    """[alliances.min_size, alliances.max_size] An alliance's schools within the sizes."""
    for j in opens:
        size = sum(x[i, j] for i in by_lead[j])
        if data.min_size > 1:
            model.add(size >= data.min_size).only_enforce_if(opens[j])
        if data.max_size is not None:
            model.add(size <= data.max_size)


def add_groups(model: Any, opens: dict[int, Any], data: AlliancesData) -> None:
    """[alliances.groups] As many alliances as the policy asks."""
    model.add(sum(opens.values()) == data.p)


def add_fixed(
    model: Any, x: dict[tuple[int, int], Any], opens: dict[int, Any], data: AlliancesData
) -> None:
    """[alliances.leads, alliances.fixed] Fixed leads lead; pinned members stay with theirs."""
    for j in data.fixed_leads:
        model.add(opens[j] == 1)
    for member, lead in data.pinned.items():
        model.add(x[member, lead] == 1)


def solve_alliances_cpsat(
    data: AlliancesData, settings: SearchSettings, hint: IntArray | None = None
) -> AllianceOutcome:
    """Capacitated model with balance terms in CP-SAT."""
    from ortools.sat.python import cp_model

    start = time.perf_counter()
    model = cp_model.CpModel()
    arcs = _arcs(data)
    n = data.n
    x: dict[tuple[int, int], Any] = {a: model.new_bool_var(f"x{a[0]}_{a[1]}") for a in arcs}
    by_school, by_lead = _index(arcs, n)
    if any(not leads for leads in by_school):
        return AllianceOutcome(
            None, "infeasible", None, "CP-SAT (school with no lead)", time.perf_counter() - start
        )
    add_cover(model, x, by_school)
    opens = add_one_lead(model, x, by_lead)
    add_sizes(model, x, by_lead, opens, data)
    add_groups(model, opens, data)
    add_fixed(model, x, opens, data)
    terms = [int(data.cost[i, j]) * x[i, j] for i, j in arcs if data.cost[i, j]]
    for weight, dev in zip(data.weights, (data.strong_dev, data.backbone_dev), strict=True):
        if not weight:
            continue
        for j, members in by_lead.items():
            expr = sum(int(dev[i]) * x[i, j] for i in members if dev[i])
            bound = int(np.abs(dev[members]).sum())
            d = model.new_int_var(0, bound, f"dev{j}")
            model.add(d >= expr)
            model.add(d >= -expr)
            terms.append(weight * d)
    model.minimize(sum(terms))
    if hint is not None:
        for (i, j), var in x.items():
            model.add_hint(var, int(hint[i]) == j)
    solver = cp_model.CpSolver()
    configure(solver, settings)
    st = STOP.run(solver, model, cpsat_callback("alliances", settings.progress, "groups"))
    method = f"CP-SAT ({settings.workers} worker(s), linearization {settings.linearization_level})"
    if st not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        status = "infeasible" if st == cp_model.INFEASIBLE else "unknown"
        return AllianceOutcome(None, status, None, method, time.perf_counter() - start)
    lead_of = np.full(n, -1, dtype=np.int64)
    for (i, j), var in x.items():
        if solver.boolean_value(var):
            lead_of[i] = j
    status = "optimal" if st == cp_model.OPTIMAL else "feasible"
    return AllianceOutcome(
        lead_of, status, float(solver.best_objective_bound), method, time.perf_counter() - start
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
    by_school, by_lead = _index(arcs, n)
    for i in range(n):
        if not by_school[i]:
            return AllianceOutcome(
                None, "infeasible", None, f"PuLP {solver_name}", time.perf_counter() - start
            )
        prob += pulp.lpSum(x[i, j] for j in by_school[i]) == 1, f"one{i}"
    opens = {}
    for j, members in by_lead.items():
        if (j, j) not in x:
            continue
        y = x[j, j]
        opens[j] = y
        for i in members:
            if i != j:
                prob += x[i, j] <= y, f"open{i}_{j}"
        size = pulp.lpSum(x[i, j] for i in members)
        if data.min_size > 1:
            prob += size >= data.min_size * y, f"min{j}"
        if data.max_size is not None:
            prob += size <= data.max_size * y, f"max{j}"
    prob += pulp.lpSum(opens.values()) == data.p, "groups"
    for j in data.fixed_leads:
        prob += opens[j] == 1, f"lead{j}"
    for member, lead in data.pinned.items():
        prob += x[member, lead] == 1, f"pin{member}"
    terms = [float(data.cost[i, j]) * x[i, j] for i, j in arcs if data.cost[i, j]]
    for k, (weight, dev) in enumerate(
        zip(data.weights, (data.strong_dev, data.backbone_dev), strict=True)
    ):
        if not weight:
            continue
        for j, members in by_lead.items():
            expr = pulp.lpSum(int(dev[i]) * x[i, j] for i in members if dev[i])
            d = pulp.LpVariable(f"dev{k}_{j}", 0)
            prob += d >= expr, f"devp{k}_{j}"
            prob += d >= -expr, f"devn{k}_{j}"
            terms.append(weight * d)
    prob.setObjective(pulp.lpSum(terms))
    if solver_name.upper() == "HIGHS":
        engine: Any = pulp.HiGHS(msg=False, timeLimit=max(1.0, time_limit))
    else:
        engine = pulp.PULP_CBC_CMD(msg=False, timeLimit=max(1, int(time_limit)))
    prob.solve(engine)
    status = str(pulp.LpStatus[prob.status])
    method = f"PuLP {solver_name}"
    if status != "Optimal":
        st = "infeasible" if status == "Infeasible" else "unknown"
        return AllianceOutcome(None, st, None, method, time.perf_counter() - start)
    lead_of = np.full(n, -1, dtype=np.int64)
    for (i, j), var in x.items():
        if (var.varValue or 0) > 0.5:
            lead_of[i] = j
    proven = getattr(prob, "sol_status", 1) == 1
    value = pulp.value(prob.objective)
    return AllianceOutcome(
        lead_of,
        "optimal" if proven else "feasible",
        float(value) if proven and value is not None else None,
        method,
        time.perf_counter() - start,
    )
