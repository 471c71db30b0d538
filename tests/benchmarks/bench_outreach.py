"""Benchmark: the outreach calendar (送教下乡 and 跟岗) on haicheng-like and on a generated
2,000-school, 80,000-staff county.

Run from the repository root::

    python tests/benchmarks/bench_outreach.py

Pairs and alliances are solved first (as ``twinning solve --parts outreach`` does); the
outreach part is then timed on its own, with candidate arcs and pricing (the default) and,
side by side in the same run, on the full network with every arc (``prune=False``). On
haicheng-like the whole solve with the roster is run too (staff away on a roster move
neither visit nor shadow). Prints status, objective, bound, gap, seconds and the counts
per school (visits received, by subject), and writes ``tests/benchmarks/results/outreach.md``.
``--smoke`` (CI) runs demo-county and a generated 60-school county with short limits and
writes to a temporary folder.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks import benchkit  # noqa: E402


def _outreach_alone(inst, plan, prune: bool | None):  # type: ignore[no-untyped-def]
    """prune: None as configured, True always (candidates + pricing), False never."""
    from twinning.models.outreach import flow, solve_outreach

    keep = flow.PRUNE_ABOVE
    flow.PRUNE_ABOVE = {None: keep, True: 0, False: 10**12}[prune]
    try:
        t0 = time.perf_counter()
        sol = solve_outreach(inst, plan)
        return sol, time.perf_counter() - t0
    finally:
        flow.PRUNE_ABOVE = keep


def _counts(plan, inst) -> list[str]:  # type: ignore[no-untyped-def]
    from twinning.rules.outreach import receives

    visits = [o for o in plan.outreach if o.kind == "model_lesson"]
    periods = inst.policy.horizon.periods
    got = Counter((o.to_school, o.period) for o in visits)
    receivers = [s.id for s in inst.schools if receives(s)]
    per = Counter(got[(r, p)] for r in receivers for p in periods)
    subjects = Counter(o.subject for o in visits)
    stints = sum(o.kind == "shadowing" for o in plan.outreach)
    return [
        f"receiving schools {len(receivers)}; visits {len(visits)} over {len(periods)} "
        f"semesters; 跟岗 stints {stints}",
        "visits received per school and semester: "
        + ", ".join(f"{k}: {v} school-semesters" for k, v in sorted(per.items())),
        "visits by subject: " + ", ".join(f"{s} {n}" for s, n in subjects.most_common()),
    ]


def num(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def run(
    name: str, path: str, lines: list[str], *, with_roster: bool, full: bool, limit: float = 120
) -> None:
    from twinning import load_instance, solve, validate

    inst = load_instance(path)
    t0 = time.perf_counter()
    base = solve(inst, "pairs,alliances", time_limit=limit)
    base_s = time.perf_counter() - t0
    lines.append(f"### {name}\n")
    lines.append(f"pairs + alliances first: {base.status}, {base_s:.1f} s\n")
    lines.append("| outreach | status | objective | bound | gap | seconds | method | valid |")
    lines.append("|---|---|---|---|---|---|---|---|")
    variants: list[tuple[str, bool | None]] = [("as configured (default)", None)]
    if full:  # the full network of a 2,000-school county is ~20M arcs: haicheng-like only
        variants += [("candidates + pricing, forced", True), ("every arc", False)]
    for label, prune in variants:
        sol, secs = _outreach_alone(inst, base.plan, prune)
        r = sol.result
        plan = sol.apply(base.plan).model_copy(
            update={
                "parts": [*base.plan.parts, "outreach"],
                "objectives": {**base.plan.objectives, "outreach": sol.objective},
                "objective": base.plan.objective + r.objective,
            }
        )
        report = validate(inst, plan)
        ok = "yes" if report.ok else f"no ({len(report.violations)})"
        row = (
            f"| {label} | {r.status} | {r.objective} | {num(r.bound, '.0f')} | "
            f"{num(r.gap, '.4%')} | "
            f"{secs:.2f} | {r.method} | {ok} |"
        )
        print(name, row, flush=True)
        lines.append(row)
        if prune is None:
            counts = _counts(plan, inst)
    lines.append("")
    lines.extend(f"- {c}" for c in counts)
    for c in counts:
        print(name, c, flush=True)
    if with_roster:
        t0 = time.perf_counter()
        whole = solve(inst, time_limit=limit, seed=1)
        secs = time.perf_counter() - t0
        o = whole.parts["outreach"]
        row = (
            f"- whole solve with the roster: status {whole.status}; outreach {o.status}, "
            f"gap {num(o.gap, '.4%')}, outreach {o.wall_time:.2f} s of {secs:.1f} s; "
            f"{o.kpis.visits if o.kpis else 0} visits, "
            f"{o.kpis.short_exchanges if o.kpis else 0} 跟岗 stints"
        )
        print(name, row, flush=True)
        lines.append(row)
    lines.append("")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    benchkit.options(parser)
    args = parser.parse_args()
    results = benchkit.results_file(args, "outreach.md")
    county, (schools, staff), limit = "haicheng-like", (2000, 80000), 120.0
    if args.smoke:
        county, (schools, staff), limit = "demo-county", (60, 2400), 10.0
    lines = [
        "# Outreach (送教下乡 and 跟岗) benchmark",
        "",
        "Command: `python tests/benchmarks/bench_outreach.py`"
        + (" (`--smoke`)" if args.smoke else "")
        + f" ({date.today()}, {benchkit.machine()}, load averages {benchkit.load()})",
        "",
    ]
    run(
        county,
        str(ROOT / "instances" / county),
        lines,
        with_roster=True,
        full=True,
        limit=limit,
    )
    with tempfile.TemporaryDirectory() as tmp:
        generated = Path(tmp) / f"county{schools}"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "twinning.cli.main",
                "generate",
                "--schools",
                str(schools),
                "--staff",
                str(staff),
                "--seed",
                "11",
                "-o",
                str(generated),
            ],
            check=True,
            cwd=ROOT,
            capture_output=True,
        )
        run(
            f"generated {schools:,} schools / {staff:,} staff (seed 11)",
            str(generated),
            lines,
            with_roster=False,
            full=False,
            limit=limit,
        )
    results.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"written {results}")
    return benchkit.exit_code(args)


if __name__ == "__main__":
    sys.exit(main())
