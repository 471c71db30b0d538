"""Benchmark: alliances a bureau would draw, from 海城 to a 2,000-school city.

Run from the repository root::

    python tests/benchmarks/bench_alliance_design.py [--limit 60] [--skip-city]

Cases (each solved through ``solve(parts="alliances")`` and checked by the validator):

1. haicheng-like as shipped (海城: one alliance per region and stage, ``lead_tiers``
   strong then ordinary): the table of alliances; then with ``lead_tiers = ["strong"]``,
   the message naming the region and stage without a possible lead.
2. haicheng-like, 4 alliances within regions of 35-50 schools: the message.
3. haicheng-like with sizes and the balance weights (捆绑考核) on: objective, bound, gap.
4. The generated 2,000-school, 80,000-staff county (``--seed 11``), 250 alliances sharing
   a stage across the county: sizes 5-12, then the default size band (no sizes given);
   gap, seconds, smallest and largest alliance.
5. Engines side by side on a generated 300-school county with sizes: the Lagrangian
   engine and CP-SAT alone, same time limit; the ratio of their times.

Results go to ``tests/benchmarks/results/alliance-design.md``; ``--smoke`` (CI) runs the
haicheng-like cases with a 3-second limit, the engines on a 60-school county, no city, and
writes to a temporary folder.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks import benchkit  # noqa: E402
from twinning import load_instance, solve, validate  # noqa: E402
from twinning.county.instance import Instance  # noqa: E402
from twinning.models.alliances import solve_alliances  # noqa: E402
from twinning.models.search import SearchSettings  # noqa: E402
from twinning.synthetic.county import generate_county, write_county  # noqa: E402


def policy(
    inst: Instance, alliances: dict[str, Any], weights: dict[str, Any] | None = None
) -> Instance:
    al = inst.policy.alliances.model_copy(update=alliances)
    w8 = inst.policy.weights.model_copy(update=weights or {})
    return inst.model_copy(
        update={"policy": inst.policy.model_copy(update={"alliances": al, "weights": w8})}
    )


def run(inst: Instance, limit: float) -> tuple[Any, float, bool]:
    t0 = time.perf_counter()
    result = solve(inst, "alliances", time_limit=limit)
    seconds = time.perf_counter() - t0
    ok = validate(inst, result.plan).ok if result.plan.alliances else False
    return result, seconds, ok


def line(label: str, result: Any, seconds: float, ok: bool) -> str:
    part = result.parts["alliances"]
    sizes = Counter(m.alliance for m in result.plan.alliances)
    size = f"{min(sizes.values())}-{max(sizes.values())}" if sizes else "-"
    gap = f"{part.gap:.3%}" if part.gap is not None else "-"
    return (
        f"| {label} | {part.status} | {part.objective} | {part.bound} | {gap} | "
        f"{seconds:.2f} | {len(sizes)} | {size} | {'ok' if ok else '-'} | {part.method} |"
    )


def alliance_table(inst: Instance, result: Any) -> list[str]:
    schools = {s.id: s for s in inst.schools}
    out = [
        "| alliance | stage | lead | region | lead area, tier | schools | urban/town | rural "
        "| farthest km |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    by: dict[str, list[Any]] = {}
    for m in result.plan.alliances:
        by.setdefault(m.alliance, []).append(m)
    for a, rows in sorted(by.items()):
        lead = schools[rows[0].lead]
        rural = sum(schools[m.member].area == "rural" for m in rows)
        out.append(
            f"| {a} | {rows[0].stage or '-'} | {lead.id} | {lead.region} | {lead.area}, "
            f"{lead.tier} | {len(rows)} | {len(rows) - rural} | {rural} | "
            f"{max(m.distance_km for m in rows):.1f} |"
        )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=float, default=60.0)
    parser.add_argument("--skip-city", action="store_true")
    benchkit.options(parser)
    args = parser.parse_args()
    # The engines' county: schools, staff, alliances, sizes.
    mid_county = (300, 12000, 30, 6, 14)
    if args.smoke:
        args.limit, args.skip_city = 3.0, True
        mid_county = (60, 2400, 6, 6, 14)
    results = benchkit.results_file(args, "alliance-design.md")
    import ortools

    head = [
        "| case | status | objective | bound | gap | seconds | alliances | sizes | checker "
        "| method |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    rows: list[str] = []
    notes: list[str] = []
    hc = load_instance(ROOT / "instances" / "haicheng-like")
    result, secs, ok = run(hc, args.limit)
    rows.append(line("haicheng-like as shipped (海城 design)", result, secs, ok))
    design_table = alliance_table(hc, result)
    strong = policy(hc, {"lead_tiers": ["strong"]})
    result, secs, ok = run(strong, args.limit)
    rows.append(line('haicheng-like, `lead_tiers = ["strong"]`', result, secs, ok))
    notes.append(f"- strong leads only: {result.parts['alliances'].message}")
    sized = policy(
        hc,
        {
            "by_stage": False,
            "groups_per_region": None,
            "groups": 4,
            "within_region": True,
            "same_stage": False,
            "min_size": 35,
            "max_size": 50,
        },
    )
    result, secs, ok = run(sized, args.limit)
    rows.append(line("haicheng-like, 4 alliances within regions, sizes 35-50", result, secs, ok))
    notes.append(f"- sizes 35-50 within regions: {result.parts['alliances'].message}")
    balanced = policy(
        hc,
        {
            "by_stage": False,
            "groups_per_region": None,
            "groups": 4,
            "same_stage": False,
            "min_size": 35,
            "max_size": 50,
        },
        {"alliance_balance_strong": 10, "alliance_balance_backbone": 10},
    )
    for limit in sorted({min(10.0, args.limit), args.limit}):
        result, secs, ok = run(balanced, limit)
        rows.append(
            line(
                f"haicheng-like, 4 alliances of 35-50, balance weights 10/10, limit {limit:g} s",
                result,
                secs,
                ok,
            )
        )
    mid_rows: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        n_mid, staff_mid, groups_mid, lo, hi = mid_county
        write_county(generate_county(n_mid, staff_mid, seed=5), Path(tmp) / "m")
        mid = policy(
            load_instance(Path(tmp) / "m"),
            {
                "groups": groups_mid,
                "min_size": lo,
                "max_size": hi,
                "lead_tiers": ["strong", "ordinary"],
            },
        )
        for engine in ("lagrangian", "cpsat"):
            t0 = time.perf_counter()
            res = solve_alliances(
                mid, engine=engine, settings=SearchSettings(time_limit=args.limit)
            )
            secs = time.perf_counter() - t0
            part = res.result
            gap = f"{part.gap:.3%}" if part.gap is not None else "-"
            mid_rows.append(
                f"| {n_mid} schools, {groups_mid} alliances of {lo}-{hi}, engine {engine} | "
                f"{part.status} | "
                f"{part.objective} | {part.bound} | {gap} | {secs:.2f} | {part.method} |"
            )
            print(mid_rows[-1], flush=True)
        if not args.skip_city:
            write_county(generate_county(2000, 80000, seed=11), Path(tmp) / "c")
            city = policy(load_instance(Path(tmp) / "c"), {"groups": 250})
            for label, extra in (
                ("2,000 schools, 250 alliances, sizes 5-12", {"min_size": 5, "max_size": 12}),
                ("2,000 schools, 250 alliances, no sizes (default size band)", {}),
                ("2,000 schools, 250 alliances, no sizes, `size_band = []`", {"size_band": None}),
            ):
                result, secs, ok = run(policy(city, extra), args.limit)
                rows.append(line(label, result, secs, ok))
                print(rows[-1], flush=True)
    for r in rows:
        print(r)
    text = [
        "# Alliances a bureau would draw",
        "",
        f"Command: `python tests/benchmarks/bench_alliance_design.py --limit {args.limit:g}"
        + (" --skip-city" if args.skip_city else "")
        + "`"
        + (" (`--smoke`)" if args.smoke else ""),
        "",
        f"Date {date.today()}, {benchkit.machine()}, load averages {benchkit.load()}, ortools "
        f"{ortools.__version__}. Seconds are wall-clock of `solve()` of the "
        "alliances part; the checker column is `validate()` of the plan. The generated "
        "2,000-school county is `generate_county(2000, 80000, seed=11)` with "
        "`alliances.groups = 250` (alliances share a stage, county-wide).",
        "",
        *head,
        *rows,
        "",
        *notes,
        "",
        "## 海城 design on haicheng-like (as shipped)",
        "",
        *design_table,
        "",
        "## Engines side by side (same time limit)",
        "",
        "| case | status | objective | bound | gap | seconds | method |",
        "|---|---|---|---|---|---|---|",
        *mid_rows,
        "",
    ]
    results.write_text("\n".join(text), encoding="utf-8")
    print(f"written {results}")
    return benchkit.exit_code(args)


if __name__ == "__main__":
    sys.exit(main())
