"""Benchmark of solver.models.alliances.pmedian on OR-Library pmed1-15.

Run from the repository root::

    /work/venv/bin/python tests/benchmarks/bench_pmedian.py

It prints, and writes to ``tests/benchmarks/results/pmedian.md``:

1. pmed1-15 through :func:`solve_pmedian` (known optimum, objective, bound, gap,
   status, seconds excluding reading the file, method);
2. the same instances against a plain CP-SAT model (``x[i][j] <= y[j]``, 8 workers,
   presolve off, 10 s), side by side, with the ratio of wall times;
3. the measurements behind the choice of method: the reduced radius model (as
   built by the solver) given to HiGHS and to CP-SAT, and the full radius model
   (no Lagrangian reduction) given to HiGHS.

Known optima come from ``pmedopt.txt`` next to the instances; the solver never sees
them.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import platform
import sys
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from solver.io.orlib import read_orlib_pmed, read_orlib_pmed_optima  # noqa: E402
from solver.models.alliances.pmedian import driver, problem, radius, solve_pmedian  # noqa: E402

PMED_DIR = ROOT / "tests" / "data" / "pmed"
RESULTS = Path(__file__).resolve().parent / "results" / "pmedian.md"
INSTANCES = [f"pmed{k}" for k in range(1, 16)]
CPSAT_PLAIN = ["pmed1", "pmed6"]
CPSAT_LIMIT = 10.0
FULL_RADIUS = ["pmed1", "pmed6", "pmed11"]

FloatArray = NDArray[np.float64]


def fmt(value: float) -> str:
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if math.isnan(value):
        return "-"
    # Bounds from the LP can sit a hair off an integer; show them as the integer.
    return f"{value:.0f}" if abs(value - round(value)) < 1e-6 else f"{value:.3f}"


def gap(objective: float, bound: float) -> str:
    if not (math.isfinite(objective) and math.isfinite(bound)):
        return "-"
    return f"{100.0 * (objective - bound) / max(1.0, abs(objective)):.3f}%"


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


# --------------------------------------------------------------------- CP-SAT


@dataclass
class CpSatRun:
    status: str
    objective: float
    bound: float
    build: float
    solve: float


def cpsat_plain(dist: FloatArray, p: int, params: dict[str, Any]) -> CpSatRun:
    """The plain model of SOLVING.md: x[i][j] <= y[j], sum_j x[i][j] = 1, sum y = p."""
    from ortools.sat.python import cp_model

    start = time.monotonic()
    n = dist.shape[0]
    cost = dist.astype(np.int64)
    model = cp_model.CpModel()
    y = [model.new_bool_var(f"y{j}") for j in range(n)]
    x = [[model.new_bool_var(f"x{i}_{j}") for j in range(n)] for i in range(n)]
    for i in range(n):
        model.add_exactly_one(x[i])
        for j in range(n):
            model.add(x[i][j] <= y[j])
    model.add(sum(y) == p)
    flat = [v for row in x for v in row]
    model.minimize(cp_model.LinearExpr.weighted_sum(flat, cost.ravel().tolist()))
    build = time.monotonic() - start
    return run_cpsat(model, params, build)


def run_cpsat(model: Any, params: dict[str, Any], build: float) -> CpSatRun:
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = CPSAT_LIMIT
    for name, value in params.items():
        setattr(solver.parameters, name, value)
    start = time.monotonic()
    status = solver.solve(model)
    solve = time.monotonic() - start
    feasible = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    return CpSatRun(
        solver.status_name(status),
        solver.objective_value if feasible else math.inf,
        solver.best_objective_bound,
        build,
        solve,
    )


def cpsat_radius(model: radius._RadiusModel, params: dict[str, Any]) -> CpSatRun:
    """The solver's reduced radius model (integer data) given to CP-SAT instead."""
    from ortools.sat.python import cp_model

    start = time.monotonic()
    cp = cp_model.CpModel()
    v = [
        cp.new_int_var(int(lo), int(up), f"v{k}")
        for k, (lo, up) in enumerate(zip(model.col_lower, model.col_upper, strict=True))
    ]
    order = np.argsort(model.rows, kind="stable")
    rows, cols, vals = model.rows[order], model.cols[order], model.vals[order].astype(np.int64)
    cuts = np.flatnonzero(np.diff(rows)) + 1
    for lo_k, hi_k in zip(
        np.concatenate([[0], cuts]), np.concatenate([cuts, [len(rows)]]), strict=True
    ):
        r = int(rows[lo_k])
        expr = cp_model.LinearExpr.weighted_sum(
            [v[c] for c in cols[lo_k:hi_k]], vals[lo_k:hi_k].tolist()
        )
        if math.isfinite(model.row_upper[r]):
            cp.add_linear_constraint(expr, int(model.row_lower[r]), int(model.row_upper[r]))
        else:
            cp.add(expr >= int(model.row_lower[r]))
    cp.minimize(
        cp_model.LinearExpr.weighted_sum(v, model.col_cost.astype(np.int64).tolist())
        + int(model.offset)
    )
    return run_cpsat(cp, params, time.monotonic() - start)


# ----------------------------------------------------------------- HiGHS full


def highs_full_radius(dist: FloatArray, p: int, limit: float) -> tuple[str, float, float, float]:
    """HiGHS on the radius model of the whole instance (no Lagrangian reduction),
    warm-started from the solver's own heuristic optimum."""
    n = dist.shape[0]
    inst = problem._prepare(
        dist, p, np.ones(n), np.zeros(0, dtype=np.int64), np.ones(dist.shape[1], dtype=bool)
    )
    assert not isinstance(inst, str)
    cap = np.full(n, np.inf)
    model = radius._radius_model(
        inst, np.zeros(len(inst.cand), dtype=bool), np.zeros(len(inst.cand), dtype=bool), cap
    )
    assert model is not None
    warm_result = solve_pmedian(dist, p)
    warm = np.zeros(len(inst.cand), dtype=bool)
    warm[list(warm_result.leads)] = True
    start = time.monotonic()
    out = radius._solve_radius_highs(model, inst, warm, limit, 0, 1.0 - 1e-6, 0.0)
    seconds = time.monotonic() - start
    objective = inst.objective(out.open_mask) if out.open_mask is not None else math.inf
    return out.status, objective, out.bound, seconds


# ------------------------------------------------------------------------ main


def main() -> None:
    optima = read_orlib_pmed_optima(PMED_DIR / "pmedopt.txt")
    lines: list[str] = []

    def say(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    say("# p-median benchmark: OR-Library pmed1-15")
    say()
    say(f"- command: `{Path(sys.executable)} {' '.join(sys.argv)}` (from `{Path.cwd()}`)")
    say(f"- date: {dt.datetime.now().astimezone().isoformat(timespec='seconds')}")
    say(
        f"- Python {platform.python_version()}, numpy {version('numpy')}, "
        f"highspy {version('highspy')}, ortools {version('ortools')}; "
        f"{platform.machine()}, {os.cpu_count()} cores"
    )
    say("- seconds exclude reading the file; gap = (objective - bound) / max(1, |objective|)")
    say()

    # 1. the solver on every instance, capturing the reduced models it builds.
    captured: dict[str, tuple[Any, ...]] = {}
    original = driver._solve_radius_highs
    current = {"name": ""}

    def spy(*args: Any) -> Any:
        start = time.monotonic()
        out = original(*args)
        captured[current["name"]] = (*args, time.monotonic() - start, out)
        return out

    driver._solve_radius_highs = spy  # type: ignore[assignment]
    rows: list[list[str]] = []
    results: dict[str, tuple[float, Any]] = {}
    dists: dict[str, tuple[FloatArray, int]] = {}
    for name in INSTANCES:
        path = PMED_DIR / f"{name}.txt"
        if not path.exists():
            say(f"(missing {path}; skipped)")
            continue
        dist, p = read_orlib_pmed(path)
        dists[name] = (dist, p)
        current["name"] = name
        start = time.monotonic()
        result = solve_pmedian(dist, p)
        seconds = time.monotonic() - start
        results[name] = (seconds, result)
        rows.append(
            [
                name,
                str(dist.shape[0]),
                str(p),
                fmt(optima.get(name, math.nan)),
                fmt(result.objective),
                fmt(result.bound),
                gap(result.objective, result.bound),
                result.status,
                f"{seconds:.2f}",
                result.method,
            ]
        )
    driver._solve_radius_highs = original  # type: ignore[assignment]
    say("## solve_pmedian")
    say()
    say(
        table(
            ["instance", "n", "p", "optimum", "objective", "bound", "gap", "status", "s", "method"],
            rows,
        )
    )
    say()
    if results:
        worst = max(s for s, _ in results.values())
        total = sum(s for s, _ in results.values())
        proven = sum(r.status == "optimal" for _, r in results.values())
        say(f"{proven}/{len(results)} proven optimal; slowest {worst:.2f} s, total {total:.2f} s.")
        say()

    # 2. plain CP-SAT, side by side.
    say(
        f"## Against a plain CP-SAT model (x[i][j] <= y[j], 8 workers, presolve off, "
        f"{CPSAT_LIMIT:.0f} s)"
    )
    say()
    rows = []
    for name in CPSAT_PLAIN:
        if name not in dists:
            continue
        dist, p = dists[name]
        ours_s, ours = results[name]
        run = cpsat_plain(dist, p, {"num_workers": 8, "cp_model_presolve": False})
        ratio = run.solve / ours_s
        ratio_text = f"{ratio:.1f}x" if run.status == "OPTIMAL" else f">= {ratio:.1f}x (not proven)"
        rows.append(
            [
                name,
                f"{ours.status} {fmt(ours.objective)} in {ours_s:.2f} s",
                f"{run.status} {fmt(run.objective)}, bound {fmt(run.bound)}, "
                f"{run.solve:.2f} s (+{run.build:.2f} s build)",
                ratio_text,
            ]
        )
    say(table(["instance", "solve_pmedian", "plain CP-SAT", "CP-SAT / ours"], rows))
    say()

    # 3. measurements behind the choice of method.
    say("## Stage 3 backend: the reduced radius model, HiGHS against CP-SAT")
    say()
    say(
        "The reduced model is the one `solve_pmedian` built for the instance (after "
        "Lagrangian reduced-cost fixing); HiGHS runs as in the solver (presolve off, "
        "primal heuristics off, warm start). CP-SAT gets the same rows and a 10 s limit, "
        "without a hint; its times are for the solve only."
    )
    say()
    configs: list[tuple[str, dict[str, Any]]] = [
        (
            "CP-SAT 1 worker, lin. 2",
            {"num_workers": 1, "linearization_level": 2, "presolve_inclusion_work_limit": 0},
        ),
        ("CP-SAT 8 workers, presolve off", {"num_workers": 8, "cp_model_presolve": False}),
    ]
    rows = []
    for name, args in captured.items():
        model = args[0]
        highs_s, highs_out = args[-2], args[-1]
        row = [
            name,
            f"{model.n_cols} x {model.n_rows}",
            f"{highs_out.status} {fmt(highs_out.objective)} in {highs_s:.2f} s",
        ]
        for _, params in configs:
            run = cpsat_radius(model, params)
            row.append(f"{run.status} {fmt(run.objective)} in {run.solve:.2f} s")
        rows.append(row)
    say(table(["instance", "columns x rows", "HiGHS", *[c for c, _ in configs]], rows))
    say()

    say("## Without the Lagrangian reduction: HiGHS on the full radius model")
    say()
    rows = []
    for name in FULL_RADIUS:
        if name not in dists:
            continue
        dist, p = dists[name]
        status, objective, bound, seconds = highs_full_radius(dist, p, CPSAT_LIMIT)
        rows.append([name, status, fmt(objective), fmt(bound), f"{seconds:.2f}"])
    say(table(["instance", "status", "objective", "bound", "s (10 s limit)"], rows))
    say()

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
