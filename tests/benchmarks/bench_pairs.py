"""Benchmark: twinning pairs on generated counties, engine against PuLP+CBC in one run.

Run from the repository root::

    python tests/benchmarks/bench_pairs.py [--sizes 169,2000,10000] [--pulp-limit 900]

For each size it generates a county (40 staff per school, seed 1), builds the pairs
model once, and times, side by side on the same instance: the engine the solver
chooses (exact min-cost flow), CP-SAT on the same model, and PuLP+CBC. PuLP and
CP-SAT run in a child process with a wall-clock cap so that a run that cannot finish
is reported as such. Results go to ``tests/benchmarks/results/pairs.md``; ``--smoke``
(CI) runs one 60-school county with short limits and writes to a temporary folder.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import sys
import time
from datetime import date
from pathlib import Path
from queue import Empty
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks import benchkit  # noqa: E402
from tests.benchmarks.benchkit import Side  # noqa: E402


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
    ).result
    queue.put((part.status, part.objective, time.perf_counter() - start, str(part.method)))


def timed(schools: int, engine: str, limit: float, cap: float) -> Side:
    """One engine in a child process, stopped after ``cap`` seconds of wall clock."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_run, args=(schools, engine, limit, queue))
    start = time.perf_counter()
    proc.start()
    proc.join(cap)
    seconds = time.perf_counter() - start
    if proc.is_alive():
        proc.kill()
        proc.join()
        return Side.killed(seconds, cap)
    try:
        status, objective, solve_s, _method = queue.get(timeout=5)
    except Empty:
        return Side.crash(seconds, f"{engine} child exit {proc.exitcode}, {schools} schools")
    return Side(status=status, seconds=solve_s, objective=objective)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="169,2000,10000")
    parser.add_argument("--pulp-limit", type=float, default=900.0)
    parser.add_argument("--cpsat-limit", type=float, default=120.0)
    benchkit.options(parser)
    args = parser.parse_args()
    if args.smoke:
        args.sizes, args.pulp_limit, args.cpsat_limit = "60", 20.0, 5.0
    sizes = [int(s) for s in args.sizes.split(",")]
    results = benchkit.results_file(args, "pairs.md")
    load_before = benchkit.load()

    import ortools
    import pulp
    from ortools.graph.python import min_cost_flow  # noqa: F401  (import before timing)

    from twinning import solve
    from twinning.models.pairs import solve_pairs
    from twinning.models.pairs.data import build_pairs_data
    from twinning.validation import validate

    rows = []
    with benchkit.LoadWatch() as watch:
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
            engine = Side(status=part.status, seconds=sorted(times)[1], objective=part.objective)
            check = validate(inst, solve(inst, "pairs").plan) if n <= 2000 else None
            # A child is stopped at half as long again as its own limit plus two minutes
            # (reading the county and building its model).
            cpsat = timed(n, "cpsat", args.cpsat_limit, args.cpsat_limit * 1.5 + 120)
            cbc = timed(n, "pulp", args.pulp_limit, args.pulp_limit * 1.5 + 120)
            row = {
                "schools": n,
                "helpers x weak": f"{len(data.helpers)} x {len(data.helped)}",
                "arcs": f"{data.n_arcs:,}",
                "model build s": f"{build:.2f}",
                "engine": str(part.method),
                "engine status": part.status,
                "engine s (incl. build, median of 3)": f"{engine.seconds:.3f}",
                "CP-SAT 1w lin2": cpsat.describe(),
                "CP-SAT / engine": benchkit.ratio(cpsat, engine),
                "PuLP+CBC": cbc.describe(),
                "CBC / engine": benchkit.ratio(cbc, engine),
                "same optimum (CP-SAT, CBC)": ", ".join(
                    benchkit.same_objective(other, engine) for other in (cpsat, cbc)
                ),
                "validated": "-" if check is None else ("ok" if check.ok else "VIOLATIONS"),
            }
            print(row, flush=True)
            rows.append(row)

    head = list(rows[0])
    command = (
        f"python tests/benchmarks/bench_pairs.py --sizes {args.sizes} "
        f"--pulp-limit {args.pulp_limit:g} --cpsat-limit {args.cpsat_limit:g}"
    )
    lines = [
        "# Pairs benchmark",
        "",
        f"Command: `{command}`" + (" (`--smoke`)" if args.smoke else ""),
        "",
        f"Date {date.today()}, {benchkit.machine()}, load averages (1, 5, 15 minutes) "
        f"{load_before} at the start and {benchkit.load()} at the end; {watch.summary()}, "
        "of which this run's own process is about 1. ortools "
        f"{ortools.__version__}, PuLP {pulp.__version__} (bundled CBC). Generated counties, "
        "40 staff per school, seed 1, default policy (no distance limit, so every "
        "helper-weak pair of a shared stage is an arc). Times are wall-clock seconds "
        "measured in one run; PuLP and CP-SAT ran in a child process on the same instance "
        "with the time limits of the command, their time includes building their model. "
        "A ratio is given only when both sides came back with a plan: `at least` when the "
        "other side stopped at its limit without proving its plan optimal; `failed` when "
        "it crashed, was stopped or found no plan.",
        "",
        *benchkit.table(head, [[str(r[k]) for k in head] for r in rows]),
    ]
    results.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"written {results}")
    return benchkit.exit_code(args)


if __name__ == "__main__":
    sys.exit(main())
