"""Benchmark: alliances on OR-Library pmed1-40 (known optima) and on haicheng-like.

Run from the repository root::

    python tests/benchmarks/bench_alliances.py [--names pmed1,pmed6] [--limit 60]

Each pmed file is written as an ordinary instance (tests/orlib.py) and solved through
the public API (``load_instance`` + ``solve(parts="alliances")``), then checked by the
validator. Side by side on a few instances, a plain CP-SAT model (x_ij <= y_j, 8 workers,
the configuration SOLVING.md measured) runs with the same time limit. Results go to
``tests/benchmarks/results/alliances.md``; ``--smoke`` (CI) runs pmed1 and haicheng-like
with a 2-second limit and writes to a temporary folder.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks import benchkit  # noqa: E402
from tests.benchmarks.benchkit import Side  # noqa: E402
from tests.orlib import PMED, optima, write_instance  # noqa: E402
from twinning import load_instance, solve, validate  # noqa: E402
from twinning.io.orlib import read_orlib_pmed  # noqa: E402


def plain_cpsat(cost: np.ndarray, p: int, limit: float) -> tuple[Side, float]:
    """The plain model SOLVING.md timed: x_ij <= y_j, sum_j x_ij = 1, sum y = p."""
    from ortools.sat.python import cp_model

    n = len(cost)
    m = cp_model.CpModel()
    y = [m.new_bool_var(f"y{j}") for j in range(n)]
    x = [[m.new_bool_var(f"x{i}_{j}") for j in range(n)] for i in range(n)]
    for i in range(n):
        m.add_exactly_one(x[i])
        for j in range(n):
            m.add_implication(x[i][j], y[j])
    m.add(sum(y) == p)
    m.minimize(sum(int(cost[i, j]) * x[i][j] for i in range(n) for j in range(n) if cost[i, j]))
    s = cp_model.CpSolver()
    s.parameters.num_workers = 8
    s.parameters.max_time_in_seconds = limit
    start = time.perf_counter()
    st = s.solve(m)
    seconds = time.perf_counter() - start
    found = st in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    side = Side(s.status_name(st), seconds, s.objective_value if found else None)
    return side, s.best_objective_bound


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--names", default=",".join(f"pmed{i}" for i in range(1, 41)))
    parser.add_argument("--limit", type=float, default=60.0)
    parser.add_argument("--compare", default="pmed1,pmed6,pmed11")
    benchkit.options(parser)
    args = parser.parse_args()
    if args.smoke:
        args.names, args.limit, args.compare = "pmed1", 2.0, "pmed1"
    results = benchkit.results_file(args, "alliances.md")

    import ortools

    known = optima()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.names.split(","):
            folder = write_instance(name, Path(tmp))
            t0 = time.perf_counter()
            inst = load_instance(folder)
            load_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            result = solve(inst, "alliances", time_limit=args.limit)
            solve_s = time.perf_counter() - t0
            part = result.parts["alliances"]
            ok = validate(inst, result.plan).ok
            plain = "-"
            if name in args.compare.split(","):
                d, p = read_orlib_pmed(PMED / f"{name}.txt")
                other, bnd = plain_cpsat(d, p, args.limit)
                ours = Side(part.status, solve_s, result.objective)
                plain = (
                    f"{other.status} {other.seconds:.1f} s (bound {bnd:.0f}); "
                    f"{benchkit.ratio(other, ours)}"
                )
            row = {
                "instance": name,
                "n": len(inst.schools),
                "p": inst.policy.alliances.groups,
                "known optimum": known[name],
                "objective": result.objective,
                "bound": f"{part.bound:.1f}" if part.bound is not None else "-",
                "gap": f"{part.gap:.4%}" if part.gap is not None else "-",
                "status": part.status,
                "solve s": f"{solve_s:.2f}",
                "load s": f"{load_s:.2f}",
                "validated": "ok" if ok else "VIOLATIONS",
                "method": str(part.method),
                "plain CP-SAT 8 workers (same limit); ratio": plain,
            }
            print(row, flush=True)
            rows.append(row)
    hc = load_instance(ROOT / "instances" / "haicheng-like")
    t0 = time.perf_counter()
    res = solve(hc, "alliances", time_limit=args.limit)
    hc_s = time.perf_counter() - t0
    hp = res.parts["alliances"]
    hc_line = (
        f"haicheng-like (169 schools, `alliances.groups = 4`, `within_region = true`): "
        f"status {hp.status}, objective {hp.objective}, bound {hp.bound}, gap {hp.gap}, "
        f"{hc_s:.2f} s, {hp.method}; validated: {validate(hc, res.plan).ok}"
    )
    print(hc_line)

    head = list(rows[0])
    lines = [
        "# Alliances benchmark",
        "",
        f"Command: `python tests/benchmarks/bench_alliances.py --names {args.names} "
        f"--limit {args.limit:g} --compare {args.compare}`",
        "",
        f"Date {date.today()}, {benchkit.machine()}, load averages {benchkit.load()}, "
        f"ortools {ortools.__version__}. Each OR-Library file is written as an instance "
        "(schools.csv, distances.csv with all shortest paths, policy.toml with "
        "alliances.groups = p) and solved through `solve()`; `solve s` is wall-clock "
        "seconds of `solve()` (reading the instance is `load s`). The plain CP-SAT column "
        "is the model SOLVING.md measured, run in the same process right after, and the "
        "ratio is its time over the engine's (`at least` when it stopped at the limit "
        "unproven, `failed` when it found no plan).",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
    ]
    lines += ["| " + " | ".join(str(r[k]) for k in head) + " |" for r in rows]
    lines += ["", hc_line, ""]
    results.write_text("\n".join(lines), encoding="utf-8")
    print(f"written {results}")
    return benchkit.exit_code(args)


if __name__ == "__main__":
    sys.exit(main())
