"""Benchmark: a province of generated counties, batched on 1 and on 2 workers.

Run from the repository root::

    python tests/benchmarks/bench_batch.py [--counties 20] [--schools 60] [--limit 60]

Generates the counties (seeds 1..N), then solves all of them four ways in one run:
local processes with 1 and 2 jobs, and a Dask LocalCluster on loopback with 1 and 2
workers. Prints and records wall time, speed-up and whether every way gave the same
objectives. Results go to ``tests/benchmarks/results/batch.md``; ``--smoke`` (CI) solves
two 15-school counties locally on 1 and 2 jobs and on a 1-worker LocalCluster, and writes
to a temporary folder. A way that fails (an exception, or an instance whose row is an
error) is reported as failed, with no speed-up, and the run exits 1.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks import benchkit  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--counties", type=int, default=20)
    parser.add_argument("--schools", type=int, default=60)
    parser.add_argument("--limit", type=float, default=60.0)
    benchkit.options(parser)
    args = parser.parse_args()
    if args.smoke:
        args.counties, args.schools, args.limit = 2, 15, 5.0
    results = benchkit.results_file(args, "batch.md")
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
        # Each way: (label, seconds, rows, failure or None).
        runs: list[tuple[str, float, list[Any], str | None]] = []

        def way(label: str, **kwargs: Any) -> None:
            t0 = time.perf_counter()
            try:
                rows = list(solve_many(paths, time_limit=args.limit, **kwargs))
            except Exception as exc:  # the way failed as a whole: said, never a speed-up
                benchkit.Side.crash(time.perf_counter() - t0, f"{label}: {exc!r}")
                runs.append((label, time.perf_counter() - t0, [], repr(exc)))
                return
            secs = time.perf_counter() - t0
            errors = [r for r in rows if r.status == "error"]
            for r in errors:
                benchkit.note_failure(f"{label}: {r.instance}: {r.error}")
            failure = f"{len(errors)} instance(s) in error" if errors else None
            if len(rows) != len(paths):
                failure = f"{len(rows)} rows for {len(paths)} instances"
                benchkit.note_failure(f"{label}: {failure}")
            runs.append((label, secs, rows, failure))

        way("local, 1 job", jobs=1)
        way("local, 2 jobs", jobs=2)
        for workers in (1,) if args.smoke else (1, 2):
            with LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
            ) as cluster:
                way(
                    f"Dask LocalCluster, {workers} worker(s)",
                    scheduler=cluster.scheduler_address,
                )
    objectives = {label: {r.instance: r.objective for r in rows} for label, _, rows, _ in runs}
    base_label, base, _, base_failure = runs[0]
    same = all(o == objectives[base_label] for o in objectives.values())
    lines = [
        "# Batch benchmark (a province of generated counties)",
        "",
        f"Command: `python tests/benchmarks/bench_batch.py --counties {args.counties} "
        f"--schools {args.schools} --limit {args.limit:g}`",
        "",
        f"Date {date.today()}, {benchkit.machine()}, load averages {benchkit.load()}, dask "
        f"{dask.__version__}. {args.counties} counties of {args.schools} schools and "
        f"{args.schools * 25} staff each (seeds 1..{args.counties}), all three parts. "
        f"Same objectives every way: {'yes' if same else 'NO'}.",
        "",
        "| run | wall s | speed-up vs 1 job | ok | not ok |",
        "|---|---|---|---|---|",
    ]
    for label, secs, rows, failure in runs:
        ok = sum(r.ok for r in rows)
        if failure or base_failure:
            speed = f"failed ({failure or base_failure})"
        else:
            speed = f"{base / secs:.2f}x"
        lines.append(f"| {label} | {secs:.1f} | {speed} | {ok} | {len(rows) - ok} |")
        print(label, f"{secs:.1f} s", speed, flush=True)
    bad = [r for r in runs[0][2] if not r.ok]
    if bad:
        lines += ["", "Instances not ok (their rows say why; a province keeps going past them):"]
        lines += [f"- {r.instance}: {r.status}: {r.error}" for r in bad]
    results.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"written {results}")
    return benchkit.exit_code(args)


if __name__ == "__main__":
    sys.exit(main())
