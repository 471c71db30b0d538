"""Benchmark: twinning pairs, the engine against CP-SAT and PuLP+CBC in one run.

Run from the repository root::

    python tests/benchmarks/bench_pairs.py [--sizes 169,2000,10000] [--pulp-limit 900]
    python tests/benchmarks/bench_pairs.py --instances DIR,DIR [--pulp-limit 60,300,600]

``--sizes`` generates counties (40 staff per school, seed 1) in the process;
``--instances`` reads instance folders (e.g. written by ``twinning generate``) instead.
For each it builds the pairs model once and times, side by side on the same instance:
the engine the solver chooses (exact min-cost flow), CP-SAT on the same model, and
PuLP+CBC. CP-SAT and PuLP run in a child process with their time limit (one for every
instance, or one per instance, comma-separated) and a wall-clock cap of the limit plus
``--build-allowance`` seconds from the moment the child has read the instance: a side
stopped there reads "stopped at N s" and its ratio "at least". Results go to
``tests/benchmarks/results/pairs.md``; ``--smoke`` (CI) runs one 60-school county with
short limits and writes to a temporary folder.
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


def _instance(source: int | str) -> Any:
    """A generated county of ``source`` schools, or the instance folder ``source``."""
    if isinstance(source, str):
        from twinning.io.readers import load_instance

        return load_instance(source)
    from twinning.io.readers import instance_from_frames
    from twinning.synthetic.county import generate_county

    return instance_from_frames(f"county-{source}", generate_county(source, source * 40, 1))


#: Seconds a child may take to read (or generate) its instance.
READING = 600.0


def _run(source: int | str, engine: str, limit: float, queue: Any) -> None:
    # Import every solver library before the clock starts, as in the parent process.
    import pulp  # noqa: F401
    from ortools.graph.python import min_cost_flow  # noqa: F401
    from ortools.sat.python import cp_model  # noqa: F401

    from twinning.models.pairs import solve_pairs
    from twinning.models.search import SearchSettings

    inst = _instance(source)
    queue.put(("ready", time.monotonic()))  # CLOCK_MONOTONIC: the parent reads the same clock
    start = time.perf_counter()
    backend = "pulp" if engine == "pulp" else "cpsat"
    settings = SearchSettings(time_limit=limit, workers=1, linearization_level=2)
    part = solve_pairs(
        inst, backend=backend, engine=engine if engine != "pulp" else "auto", settings=settings
    ).result
    queue.put(("done", part.status, part.objective, time.perf_counter() - start))


def timed(source: int | str, engine: str, limit: float, allowance: float) -> Side:
    """One engine in a child process: its time from the moment it has read the instance,
    stopped ``limit + allowance`` seconds after that (reading it gets ``READING`` s)."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_run, args=(source, engine, limit, queue))
    cap = limit + allowance
    proc.start()
    deadline = time.monotonic() + READING
    ready: float | None = None
    while True:
        try:
            message = queue.get(timeout=1.0)
        except Empty:
            if not proc.is_alive():
                try:  # what it put just before it ended
                    message = queue.get(timeout=5)
                except Empty:
                    proc.join()
                    return Side.crash(0.0, f"{engine} child exit {proc.exitcode}, {source}")
            elif time.monotonic() > deadline:
                proc.kill()
                proc.join()
                if ready is None:
                    why = f"{engine} child had not read {source} in {READING:g} s"
                    return Side.crash(READING, why)
                return Side.killed(time.monotonic() - ready, cap)
            else:
                continue
        if message[0] == "ready":
            ready = message[1]
            deadline = ready + cap
            continue
        proc.join()
        _, status, objective, solve_s = message
        return Side(status=status, seconds=solve_s, objective=objective)


def _limits(text: str, n: int) -> list[float]:
    values = [float(v) for v in str(text).split(",")]
    if len(values) == 1:
        values *= n
    if len(values) != n:
        raise SystemExit(f"{text!r}: one limit, or one per instance ({n})")
    return values


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="169,2000,10000", help="generated counties")
    parser.add_argument(
        "--instances", default=None, help="instance folders, comma-separated (not --sizes)"
    )
    parser.add_argument("--about", default="", help="how the instances were made (recorded)")
    parser.add_argument("--pulp-limit", default="900", help="seconds, or one per instance")
    parser.add_argument("--cpsat-limit", default="120", help="seconds, or one per instance")
    parser.add_argument(
        "--build-allowance",
        type=float,
        default=180.0,
        help="seconds a child may run beyond its limit (building its model) before it is stopped",
    )
    benchkit.options(parser)
    args = parser.parse_args()
    if args.smoke:
        args.sizes, args.instances, args.pulp_limit, args.cpsat_limit = "60", None, "20", "5"
    sources: list[int | str] = (
        [str(Path(d)) for d in args.instances.split(",")]
        if args.instances
        else [int(s) for s in args.sizes.split(",")]
    )
    pulp_limits = _limits(args.pulp_limit, len(sources))
    cpsat_limits = _limits(args.cpsat_limit, len(sources))
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
        for source, pulp_limit, cpsat_limit in zip(sources, pulp_limits, cpsat_limits, strict=True):
            inst = _instance(source)
            n = len(inst.schools)
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
            load_at = benchkit.load()
            cpsat = timed(source, "cpsat", cpsat_limit, args.build_allowance)
            cbc = timed(source, "pulp", pulp_limit, args.build_allowance)
            row = {
                "schools": f"{n:,}" if isinstance(source, int) else f"{n:,} ({Path(source).name})",
                "staff": f"{len(inst.staff):,}",
                "helpers x weak": f"{len(data.helpers)} x {len(data.helped)}",
                "arcs": f"{data.n_arcs:,}",
                "model build s": f"{build:.2f}",
                "engine": f"{part.method}, {part.status}",
                "engine s (incl. build, median of 3)": f"{engine.seconds:.3f}",
                "engine objective": benchkit.objective(engine, engine).removesuffix(" (equal)"),
                "CP-SAT 1w lin2 (limit s)": f"{cpsat.describe()} ({cpsat_limit:g})",
                "CP-SAT objective (gap)": benchkit.objective(cpsat, engine),
                "CP-SAT / engine": benchkit.ratio(cpsat, engine),
                "PuLP+CBC (limit s)": f"{cbc.describe()} ({pulp_limit:g})",
                "CBC objective (gap)": benchkit.objective(cbc, engine),
                "CBC / engine": benchkit.ratio(cbc, engine),
                "validated": "-" if check is None else ("ok" if check.ok else "VIOLATIONS"),
                "load at start": load_at,
            }
            print(row, flush=True)
            rows.append(row)

    head = list(rows[0])
    what = f"--instances {args.instances}" if args.instances else f"--sizes {args.sizes}"
    command = (
        f"python tests/benchmarks/bench_pairs.py {what} --pulp-limit {args.pulp_limit} "
        f"--cpsat-limit {args.cpsat_limit} --build-allowance {args.build_allowance:g}"
    )
    made = (
        "Instances: " + args.about
        if args.about
        else "Generated counties, 40 staff per school, seed 1"
        if not args.instances
        else "Instance folders as named"
    )
    lines = [
        "# Pairs benchmark",
        "",
        f"Command: `{command}`" + (" (`--smoke`)" if args.smoke else ""),
        "",
        f"Date {date.today()}, {benchkit.machine()}, load averages (1, 5, 15 minutes) "
        f"{load_before} at the start and {benchkit.load()} at the end; {watch.summary()}, "
        "of which this run's own process is about 1 (the rest: other work on the machine, "
        "which slows every side alike). ortools "
        f"{ortools.__version__}, PuLP {pulp.__version__} (bundled CBC). {made}; default "
        "pairs policy (no distance limit, so every helper-weak pair of a shared stage is an "
        "arc). Times are wall-clock seconds measured in one run, the sides one after "
        "another; CP-SAT (1 worker) and PuLP+CBC ran in a child process on the same "
        "instance with their time limit (in brackets), their time counted from when the "
        "instance was read, so it includes building their model; a child still running "
        f"{args.build_allowance:g} s after its limit was stopped (`stopped at N s`). "
        "Objectives: each side's plan value, the gap to the engine's optimum in brackets. "
        "A ratio is a plain number only when both sides proved their optimum; `at least` "
        "when the other side ended without proving one (its own limit, with or without a "
        "plan, or stopped): it would have needed longer; `failed` (never a number) when it "
        "crashed.",
        "",
        *benchkit.table(head, [[str(r[k]) for k in head] for r in rows]),
    ]
    results.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"written {results}")
    return benchkit.exit_code(args)


if __name__ == "__main__":
    sys.exit(main())
