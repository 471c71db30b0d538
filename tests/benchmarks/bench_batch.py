"""Benchmark: a province of generated counties, batched on 1 and on 2 workers.

Run from the repository root::

    python tests/benchmarks/bench_batch.py [--counties 20] [--schools 60] [--limit 60]

Generates the counties (seeds 1..N), then solves all of them four ways in one run:
local processes with 1 and 2 jobs, and a Dask LocalCluster on loopback with 1 and 2
workers. Prints and records wall time, speed-up and whether every way gave the same
objectives. Results go to ``tests/benchmarks/results/batch.md``.
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
RESULTS = Path(__file__).parent / "results" / "batch.md"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--counties", type=int, default=20)
    parser.add_argument("--schools", type=int, default=60)
    parser.add_argument("--limit", type=float, default=60.0)
    args = parser.parse_args()
    import dask
    from dask.distributed import LocalCluster

    from twinning.batch import solve_many
    from twinning.synthetic.county import default_policy, generate_county, write_county

    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for seed in range(1, args.counties + 1):
            folder = Path(tmp) / f"county-{seed:02d}"
            write_county(generate_county(args.schools, args.schools * 25, seed), folder)
            (folder / "policy.toml").write_text(default_policy(args.schools), encoding="utf-8")
            paths.append(folder)
        runs = []
        objectives = {}
        for label, kwargs in [("local, 1 job", {"jobs": 1}), ("local, 2 jobs", {"jobs": 2})]:
            t0 = time.perf_counter()
            rows = list(solve_many(paths, time_limit=args.limit, **kwargs))  # type: ignore[arg-type]
            runs.append((label, time.perf_counter() - t0, rows))
            objectives[label] = {r.instance: r.objective for r in rows}
        for workers in (1, 2):
            with LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
            ) as cluster:
                t0 = time.perf_counter()
                rows = list(
                    solve_many(paths, time_limit=args.limit, scheduler=cluster.scheduler_address)
                )
                label = f"Dask LocalCluster, {workers} worker(s)"
                runs.append((label, time.perf_counter() - t0, rows))
                objectives[label] = {r.instance: r.objective for r in rows}
    base = runs[0][1]
    same = all(o == objectives["local, 1 job"] for o in objectives.values())
    lines = [
        "# Batch benchmark (a province of generated counties)",
        "",
        f"Command: `python tests/benchmarks/bench_batch.py --counties {args.counties} "
        f"--schools {args.schools} --limit {args.limit:g}`",
        "",
        f"Date {date.today()}, Python {platform.python_version()}, dask {dask.__version__}, "
        f"2 cores. {args.counties} counties of {args.schools} schools and "
        f"{args.schools * 25} staff each (seeds 1..{args.counties}), all three parts. "
        f"Same objectives every way: {'yes' if same else 'NO'}.",
        "",
        "| run | wall s | speed-up vs 1 job | ok | not ok |",
        "|---|---|---|---|---|",
    ]
    for label, secs, rows in runs:
        ok = sum(r.ok for r in rows)
        lines.append(f"| {label} | {secs:.1f} | {base / secs:.2f}x | {ok} | {len(rows) - ok} |")
        print(label, f"{secs:.1f} s", f"{base / secs:.2f}x", flush=True)
    bad = [r for r in runs[0][2] if not r.ok]
    if bad:
        lines += ["", "Instances not ok (their rows say why; a province keeps going past them):"]
        lines += [f"- {r.instance}: {r.status}: {r.error}" for r in bad]
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"written {RESULTS}")


if __name__ == "__main__":
    main()
