"""Benchmark: the exchange roster on haicheng-like and on a generated 2,000-school county.

Run from the repository root::

    python tests/benchmarks/bench_roster.py [--limit 120]

Each configuration runs in a child process (so that peak memory is that run's own):
``solve()`` of all three parts, as ``twinning solve`` does. Side by side on haicheng-like,
the roster is also solved as one whole model with CP-SAT's 8-worker portfolio, the
configuration SOLVING.md measured on a prototype. Results go to
``tests/benchmarks/results/roster.md``; ``--smoke`` (CI) runs demo-county and a generated
60-school county with a 5-second limit and writes to a temporary folder. A child that
crashes is reported as failed and the run exits 1.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from queue import Empty
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks import benchkit  # noqa: E402


def _run(
    path: str, overrides: dict[str, Any], limit: float, whole: bool, seed: int, queue: Any
) -> None:
    import resource

    from twinning import load_instance, solve, validate

    t0 = time.perf_counter()
    inst = load_instance(path)
    if overrides:
        data = inst.policy.model_dump()
        for section, values in overrides.items():
            data[section].update(values)
        inst = inst.model_copy(update={"policy": type(inst.policy).model_validate(data)})
    load_s = time.perf_counter() - t0
    if whole:
        from twinning.models.roster.model import roster_cost, solve_options
        from twinning.models.roster.options import build_roster_data
        from twinning.models.search import SearchSettings

        r = solve(inst, "pairs,alliances", time_limit=limit)
        data_ = build_roster_data(inst, r.plan.pairs, r.plan.alliances)
        t0 = time.perf_counter()
        ex = [i for i, o in enumerate(data_.options) if o.kind == "exchange"]
        out = solve_options(
            inst,
            data_,
            ex,
            SearchSettings(workers=8, linearization_level=1, time_limit=limit, gap_limit=0.0),
        )
        value = roster_cost(inst, data_, out.chosen) if out.chosen else None
        bound = (out.bound + data_.constant) if out.bound is not None else None
        gap = (value - bound) / value if value and bound is not None else None
        queue.put(
            {
                "status": out.status,
                "roster_s": time.perf_counter() - t0,
                "total_s": None,
                "gap": gap,
                "objective": value,
                "load_s": load_s,
                "moves": len(out.chosen),
                "valid": "-",
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "method": "whole model, CP-SAT 8 workers",
            }
        )
        return
    t0 = time.perf_counter()
    result = solve(inst, "pairs,alliances,roster", time_limit=limit, seed=seed)
    total = time.perf_counter() - t0
    part = result.parts["roster"]
    report = validate(inst, result.plan)
    queue.put(
        {
            "status": part.status,
            "roster_s": part.wall_time,
            "total_s": total,
            "gap": part.gap,
            "objective": part.objective,
            "load_s": load_s,
            "moves": part.kpis.moves if part.kpis else None,
            "valid": "ok" if report.ok else "VIOLATIONS",
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "method": str(part.method),
            "kpis": {
                k: v
                for k, v in (part.kpis.model_dump() if part.kpis else {}).items()
                if k
                in (
                    "rotation_rate",
                    "quota_schools_below",
                    "backbone_share",
                    "needs_covered_share",
                    "two_way_ratio",
                    "shortages_created_at_senders",
                )
            },
        }
    )


def run(
    path: str, overrides: dict[str, Any], limit: float, whole: bool = False, seed: int = 0
) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_run, args=(path, overrides, limit, whole, seed, queue))
    cap = limit * 3 + 300
    start = time.perf_counter()
    proc.start()
    proc.join(cap)
    if proc.is_alive():
        proc.kill()
        proc.join()
        side = benchkit.Side.killed(time.perf_counter() - start, cap)
        return {"status": side.describe()}
    try:
        result: dict[str, Any] = queue.get(timeout=5)
    except Empty:
        side = benchkit.Side.crash(
            time.perf_counter() - start, f"{path}: child exit {proc.exitcode}"
        )
        return {"status": side.describe()}
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=float, default=120.0)
    parser.add_argument(
        "--seeds", type=int, default=4, help="search seeds per haicheng-like run (0, 1, ...)"
    )
    benchkit.options(parser)
    args = parser.parse_args()
    small, big_size = "haicheng-like", (2000, 80_000)
    small_name = "haicheng-like (169 schools, 7,370 staff)"
    if args.smoke:
        args.limit, args.seeds = 5.0, 1
        small, big_size, small_name = "demo-county", (60, 2400), "demo-county"
    results = benchkit.results_file(args, "roster.md")
    import ortools

    from twinning.synthetic.county import default_policy, generate_county, write_county

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        n_big, staff_big = big_size
        big = Path(tmp) / f"county-{n_big}"
        write_county(generate_county(n_big, staff_big, 1), big)
        (big / "policy.toml").write_text(default_policy(n_big), encoding="utf-8")
        # The time to a proven gap varies with CP-SAT's seed: every seed is a row.
        cases = [
            (
                f"{small_name}, seed {seed}",
                str(ROOT / "instances" / small),
                {},
                False,
                seed,
            )
            for seed in range(args.seeds)
        ]
        cases += [
            (
                f"{small}, whole roster model, 8 workers",
                str(ROOT / "instances" / small),
                {},
                True,
                0,
            ),
            (
                f"generated {n_big:,} schools, {staff_big:,} staff; host_capacity_share 0.5, "
                "cap_quota",
                str(big),
                {"rotation": {"host_capacity_share": 0.5, "cap_quota": True}},
                False,
                0,
            ),
        ]
        if not args.smoke:  # the same code as the case above: not run again in CI
            cases.append(
                (
                    f"generated {n_big:,} schools, {staff_big:,} staff; default policy",
                    str(big),
                    {},
                    False,
                    0,
                )
            )
        for name, path, overrides, whole, seed in cases:
            res = run(path, overrides, args.limit, whole, seed)
            res["case"] = name
            print(res, flush=True)
            rows.append(res)

    def f(x: Any, spec: str = ".2f") -> str:
        return "-" if x is None else format(x, spec)

    lines = [
        "# Roster benchmark",
        "",
        f"Command: `python tests/benchmarks/bench_roster.py --limit {args.limit:g}`"
        + (" (`--smoke`)" if args.smoke else ""),
        "",
        f"Date {date.today()}, {benchkit.machine()}, load averages {benchkit.load()}, ortools "
        f"{ortools.__version__}. `total s` is `solve()` of pairs, alliances and "
        "roster; `roster s` the roster part alone; peak memory is the child process's maximum "
        "resident set. Gap is against the best bound (the sum of the components' bounds under "
        "the prices of the county-wide rules).",
        "",
        "| case | status | gap | roster s | total s | load s | moves | peak MB | checker | "
        "method |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['case']} | {r['status']} | {f(r.get('gap'), '.4%')} | {f(r.get('roster_s'))} "
            f"| {f(r.get('total_s'))} | {f(r.get('load_s'))} | {r.get('moves', '-')} | "
            f"{f(r.get('peak_mb'), '.0f')} | {r.get('valid', '-')} | {r.get('method', '-')} |"
        )
    lines.append("")
    for r in rows:
        if r.get("kpis"):
            lines.append(f"- {r['case']}: {r['kpis']}")
    results.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"written {results}")
    return benchkit.exit_code(args)


if __name__ == "__main__":
    sys.exit(main())
