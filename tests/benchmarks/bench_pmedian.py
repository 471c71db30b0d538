"""Benchmark of twinning.models.alliances.pmedian on OR-Library pmed1-40.

Run from the repository root::

    /work/venv/bin/python tests/benchmarks/bench_pmedian.py

It prints, and writes to ``tests/benchmarks/results/pmedian.md``:

1. pmed1-40 through :func:`solve_pmedian` with a 60 s limit (known optimum,
   objective, bound, gap, status, seconds excluding reading the file, method);
2. two instances against a plain CP-SAT model (``x[i][j] <= y[j]``, 8 workers,
   presolve off, 10 s), side by side, with the ratio of wall times;
3. the measurements behind the choice of method: the problem left after the root's
   reduced-cost fixing, closed by the solver's Lagrangian branch and bound, against
   the same problem as a radius MIP given to HiGHS (as the solver used to) and to
   CP-SAT; and the full radius model (no Lagrangian reduction) given to HiGHS.

Known optima come from ``pmedopt.txt`` next to the instances; the solver never sees
them. ``--smoke`` (CI) runs pmed1 and pmed6 with short limits and writes to a temporary
folder.
"""

from __future__ import annotations

import argparse
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

from tests.benchmarks import benchkit  # noqa: E402
from tests.benchmarks.benchkit import Side  # noqa: E402
from twinning.io.orlib import read_orlib_pmed, read_orlib_pmed_optima  # noqa: E402
from twinning.models.alliances.pmedian import driver, problem, radius, solve_pmedian  # noqa: E402

PMED_DIR = ROOT / "tests" / "data" / "pmed"
INSTANCES = [f"pmed{k}" for k in range(1, 41)]
TIME_LIMIT = 60.0
CPSAT_PLAIN = ["pmed1", "pmed6"]
CPSAT_LIMIT = 10.0
# Stage 3 on the reduced problem: branch and bound against the radius MIP.
REDUCED_COMPARE = ["pmed6", "pmed16", "pmed26", "pmed35", "pmed36", "pmed39"]
HIGHS_REDUCED_LIMIT = 30.0
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


def smoke() -> None:
    """Tiny sizes and short limits (CI)."""
    global INSTANCES, TIME_LIMIT, CPSAT_PLAIN, CPSAT_LIMIT, REDUCED_COMPARE
    global HIGHS_REDUCED_LIMIT, FULL_RADIUS
    INSTANCES, TIME_LIMIT = ["pmed1", "pmed6"], 5.0
    CPSAT_PLAIN, CPSAT_LIMIT = ["pmed1"], 1.0
    REDUCED_COMPARE, HIGHS_REDUCED_LIMIT = ["pmed6"], 1.0
    FULL_RADIUS = ["pmed1"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    benchkit.options(parser)
    args = parser.parse_args()
    if args.smoke:
        smoke()
    results_file = benchkit.results_file(args, "pmedian.md")
    optima = read_orlib_pmed_optima(PMED_DIR / "pmedopt.txt")
    lines: list[str] = []

    def say(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    say("# p-median benchmark: OR-Library pmed1-40")
    say()
    say(f"- command: `{Path(sys.executable)} {' '.join(sys.argv)}` (from `{Path.cwd()}`)")
    say(f"- date: {dt.datetime.now().astimezone().isoformat(timespec='seconds')}")
    say(
        f"- Python {platform.python_version()}, numpy {version('numpy')}, "
        f"highspy {version('highspy')}, ortools {version('ortools')}; "
        f"{platform.machine()}, {os.cpu_count()} cores, load averages {benchkit.load()}"
    )
    say(
        f"- `solve_pmedian(dist, p, time_limit={TIME_LIMIT:.0f})`; seconds exclude reading "
        "the file; gap = (objective - bound) / max(1, |objective|)"
    )
    say()

    # 1. the solver on every instance, capturing the reduced problem of stage 3.
    captured: dict[str, dict[str, Any]] = {}
    original_fix, original_bb = driver._reduced_cost_fixing, driver._branch_and_bound
    current = {"name": ""}

    def spy_fix(*args: Any) -> Any:
        out = original_fix(*args)
        captured.setdefault(current["name"], {})["cap"] = out[2]
        return out

    def spy_bb(*args: Any) -> Any:
        start = time.monotonic()
        out = original_bb(*args)
        entry = captured.setdefault(current["name"], {})
        entry.update(args=args, seconds=time.monotonic() - start, out=out)
        return out

    driver._reduced_cost_fixing = spy_fix  # type: ignore[assignment]
    driver._branch_and_bound = spy_bb  # type: ignore[assignment]
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
        result = solve_pmedian(dist, p, time_limit=TIME_LIMIT)
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
                str(result.method),
            ]
        )
    driver._reduced_cost_fixing = original_fix  # type: ignore[assignment]
    driver._branch_and_bound = original_bb  # type: ignore[assignment]
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
        matched = sum(
            math.isclose(r.objective, optima.get(k, math.nan)) for k, (_, r) in results.items()
        )
        slow = [k for k, (s, _) in results.items() if s > TIME_LIMIT]
        say(
            f"{proven}/{len(results)} proven optimal, {matched}/{len(results)} at the known "
            f"optimum; slowest {worst:.2f} s, total {total:.2f} s; over {TIME_LIMIT:.0f} s: "
            f"{', '.join(slow) or 'none'}."
        )
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
        ratio_text = benchkit.ratio(
            Side(run.status, run.solve, run.objective if math.isfinite(run.objective) else None),
            Side(ours.status, ours_s, ours.objective),
            digits=1,
        )
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
    say("## Stage 3 on the reduced problem: branch and bound against a radius MIP")
    say()
    say(
        "The reduced problem is the one `solve_pmedian` left after the root's Lagrangian "
        "reduced-cost fixing (columns closed and opened, per-client cost caps). The "
        "solver closes it by Lagrangian branch and bound (time of that call only). "
        "The same problem as a radius MIP (as the solver did before the branch and bound "
        f"existed): HiGHS as in the solver (presolve off, primal heuristics off, warm "
        f"start from the optimum, {HIGHS_REDUCED_LIMIT:.0f} s), and CP-SAT (1 worker, "
        f"linearization 2, no hint, {CPSAT_LIMIT:.0f} s, solve time only)."
    )
    say()
    rows = []
    cpsat_params = {"num_workers": 1, "linearization_level": 2}
    for name in REDUCED_COMPARE:
        entry = captured.get(name, {})
        if "args" not in entry or "cap" not in entry:
            continue
        inst, _, closed, opened, best_mask = entry["args"][:5]
        model = radius._radius_model(inst, closed, opened, entry["cap"])
        if model is None:
            continue
        warm = best_mask if radius._fits(inst, best_mask, model, entry["cap"]) else None
        start = time.monotonic()
        highs_out = radius._solve_radius_highs(
            model, inst, warm, HIGHS_REDUCED_LIMIT, 0, 0.5, 0.5e-6
        )
        highs_s = time.monotonic() - start
        highs_obj = (
            inst.objective(highs_out.open_mask) if highs_out.open_mask is not None else math.inf
        )
        run = cpsat_radius(model, cpsat_params)
        bb = entry["out"]
        rows.append(
            [
                name,
                f"{int((~closed).sum())} of {len(closed)}",
                f"{'optimal' if bb.complete else 'limit'} {fmt(bb.best_value)}, "
                f"{bb.nodes} nodes, {entry['seconds']:.2f} s",
                f"{model.n_cols} x {model.n_rows}",
                f"{highs_out.status} {fmt(highs_obj)}, bound {fmt(highs_out.bound)}, "
                f"{highs_s:.2f} s",
                f"{run.status} {fmt(run.objective)}, bound {fmt(run.bound)}, {run.solve:.2f} s",
            ]
        )
    say(
        table(
            [
                "instance",
                "columns left",
                "branch and bound",
                "radius MIP columns x rows",
                "HiGHS",
                "CP-SAT 1 worker, lin. 2",
            ],
            rows,
        )
    )
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
    say(table(["instance", "status", "objective", "bound", f"s ({CPSAT_LIMIT:g} s limit)"], rows))
    say()

    results_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"written to {results_file}")
    return benchkit.exit_code(args)


if __name__ == "__main__":
    sys.exit(main())
