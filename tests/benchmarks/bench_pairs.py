"""Benchmark: twinning pairs on generated counties, engine against PuLP+CBC in one run.

Run from the repository root::

    python tests/benchmarks/bench_pairs.py [--sizes 169,2000,10000] [--pulp-limit 900]

For each size it generates a county (40 staff per school, seed 1), builds the pairs
model once, and times, side by side on the same instance: the engine the solver
chooses (exact min-cost flow), CP-SAT on the same model, and PuLP+CBC. PuLP and
CP-SAT run in a child process with a wall-clock cap so that a run that cannot finish
is reported as such. Results go to ``tests/benchmarks/results/pairs.md``.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import platform
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results" / "pairs.md"


def _instance(schools: int) -> Any:
    from twinning.io.readers import instance_from_frames
    from twinning.synthetic.county import generate_county

    return instance_from_frames(f"county-{schools}", generate_county(schools, schools * 40, 1))


def _run(schools: int, engine: str, limit: float, queue: Any) -> None:
    # Import every solver library before the clock starts, as in the parent process.
    import pulp  # noqa: F401
    from ortools.graph.python import min_cost_flow  # noqa: F401
    from ortools.sat.python import cp_model  # noqa: F401

    from twinning.models.pairs import solve_pairs
    from twinning.models.search import SearchSettings

    inst = _instance(schools)
    start = time.perf_counter()
    backend = "pulp" if engine == "pulp" else "cpsat"
    settings = SearchSettings(time_limit=limit, workers=1, linearization_level=2)
    part = solve_pairs(
        inst, backend=backend, engine=engine if engine != "pulp" else "auto", settings=settings
    )[0]
    queue.put((part.status, part.objective, part.bound, time.perf_counter() - start, part.method))


def timed(schools: int, engine: str, limit: float) -> tuple[Any, ...]:
    """Run one engine in a child process; (status, objective, bound, seconds, method)."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_run, args=(schools, engine, limit, queue))
    start = time.perf_counter()
    proc.start()
    proc.join(limit * 1.5 + 120)
    if proc.is_alive():
        proc.kill()
        proc.join()
        return ("not finished", None, None, time.perf_counter() - start, engine)
    if queue.empty():
        return (f"failed (exit {proc.exitcode})", None, None, time.perf_counter() - start, engine)
    result: tuple[Any, ...] = queue.get()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="169,2000,10000")
    parser.add_argument("--pulp-limit", type=float, default=900.0)
    parser.add_argument("--cpsat-limit", type=float, default=120.0)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    import ortools
    import pulp
    from ortools.graph.python import min_cost_flow  # noqa: F401  (import before timing)

    from twinning.models.pairs import solve_pairs
    from twinning.models.pairs.data import build_pairs_data
    from twinning.validation import validate

    rows = []
    for n in sizes:
        inst = _instance(n)
        t0 = time.perf_counter()
        data = build_pairs_data(inst)
        build = time.perf_counter() - t0
        # The engine runs in this (warm) process: the median of three runs, the first of
        # which pays no one-off cost that the others do not.
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            part = solve_pairs(inst).result
            times.append(time.perf_counter() - t0)
        engine_s = sorted(times)[1]
        from twinning import solve

        check = validate(inst, solve(inst, "pairs").plan) if n <= 2000 else None
        cpsat = timed(n, "cpsat", args.cpsat_limit)
        cbc = timed(n, "pulp", args.pulp_limit)
        ratio = cbc[3] / engine_s
        same = "yes" if cbc[1] == part.objective else ("-" if cbc[1] is None else "NO")
        row = {
            "schools": n,
            "helpers x weak": f"{len(data.helpers)} x {len(data.helped)}",
            "arcs": f"{data.n_arcs:,}",
            "model build s": f"{build:.2f}",
            "engine": part.method,
            "engine status": part.status,
            "engine s (incl. build, median of 3)": f"{engine_s:.3f}",
            "CP-SAT 1w lin2": f"{cpsat[0]}, {cpsat[3]:.1f} s",
            "PuLP+CBC": f"{cbc[0]}, {cbc[3]:.1f} s",
            "CBC / engine": f"{ratio:.0f}x" + ("" if cbc[1] is not None else " (at least)"),
            "same optimum": same,
            "validated": "-" if check is None else ("ok" if check.ok else "VIOLATIONS"),
        }
        print(row, flush=True)
        rows.append(row)

    head = list(rows[0])
    lines = [
        "# Pairs benchmark",
        "",
        f"Command: `python tests/benchmarks/bench_pairs.py --sizes {args.sizes} "
        f"--pulp-limit {args.pulp_limit:g} --cpsat-limit {args.cpsat_limit:g}`",
        "",
        f"Date {date.today()}, Python {platform.python_version()}, ortools {ortools.__version__}, "
        f"PuLP {pulp.__version__} (bundled CBC), 2 cores. Generated counties, 40 staff per "
        "school, seed 1, default policy (no distance limit, so every helper-weak pair of a "
        "shared stage is an arc). Times are wall-clock seconds measured in one run; PuLP and "
        "CP-SAT ran in a child process on the same instance, their time includes building "
        "their model.",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
    ]
    lines += ["| " + " | ".join(str(r[k]) for k in head) + " |" for r in rows]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"written {RESULTS}")


if __name__ == "__main__":
    sys.exit(main())
