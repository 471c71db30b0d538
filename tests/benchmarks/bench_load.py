"""Benchmark: reading large instances (CSV folders) — time and peak memory.

Run from the repository root::

    python tests/benchmarks/bench_load.py [--sizes 2000:80000,10000:400000]

Each size is generated and written as CSV, then read by ``load_instance`` in a fresh child
process (so peak memory is the load's own). Results go to
``tests/benchmarks/results/load.md``; ``--smoke`` (CI) reads one 50-school county and
writes to a temporary folder.
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


def _load(path: str, queue: Any) -> None:
    import resource

    start = time.perf_counter()
    from twinning import load_instance

    inst = load_instance(path)
    queue.put(
        (
            time.perf_counter() - start,
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            len(inst.schools),
            len(inst.staff),
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="2000:80000,10000:400000")
    benchkit.options(parser)
    args = parser.parse_args()
    if args.smoke:
        args.sizes = "50:1000"
    results = benchkit.results_file(args, "load.md")
    from twinning.synthetic.county import default_policy, generate_county, write_county

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for item in args.sizes.split(","):
            schools, staff = (int(x) for x in item.split(":"))
            folder = Path(tmp) / f"county-{schools}"
            write_county(generate_county(schools, staff, 1), folder)
            (folder / "policy.toml").write_text(default_policy(schools), encoding="utf-8")
            size = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
            ctx = mp.get_context("spawn")
            queue = ctx.Queue()
            proc = ctx.Process(target=_load, args=(str(folder), queue))
            proc.start()
            proc.join()
            try:
                secs, peak, n_schools, n_staff = queue.get(timeout=5)
            except Empty:
                benchkit.Side.crash(0.0, f"load_instance of {item}: child exit {proc.exitcode}")
                continue
            rows.append((n_schools, n_staff, size, secs, peak))
            print(
                n_schools,
                n_staff,
                f"{size:.1f} MB",
                f"{secs:.2f} s",
                f"{peak:.0f} MB peak",
                flush=True,
            )
    lines = [
        "# Load benchmark",
        "",
        f"Command: `python tests/benchmarks/bench_load.py --sizes {args.sizes}`",
        "",
        f"Date {date.today()}, {benchkit.machine()}, load averages {benchkit.load()}. Generated "
        "counties written as CSV; `load_instance` in a fresh process (the time includes "
        "importing the package; peak is the process's maximum resident set).",
        "",
        "| schools | staff | CSV MB | load s | peak MB |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| {a:,} | {b:,} | {c:.1f} | {d:.2f} | {e:.0f} |" for a, b, c, d, e in rows]
    results.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"written {results}")
    return benchkit.exit_code(args)


if __name__ == "__main__":
    sys.exit(main())
