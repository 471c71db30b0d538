"""The evaluation's own measure on the shipped counties (issue 27): each staffing
coefficient by the official formula (student-weighted 差异系数) before the plan, with
``balance.target`` off, ``objective`` and ``rule``, in each period; the proven bound on
each (no roster on the default plan's pairs and alliances goes below it); and the schools
failing the per-school test before the plan and in each period.

    python tests/benchmarks/balance_official.py            # -> results/balance.md
    python tests/benchmarks/balance_official.py --smoke --out DIR

``--smoke`` runs demo-county alone with a 10 s limit into DIR. The figures are not
timings: the seconds column only says how long each solve took at the load of the run.
"""

from __future__ import annotations

import argparse
import datetime
import os
import time
from pathlib import Path

from twinning import load_instance, solve
from twinning.county.instance import with_policy
from twinning.models.roster.balance_bound import plan_bounds

ROOT = Path(__file__).resolve().parents[2]
TARGETS = ("off", "objective", "rule")


def one(name: str, time_limit: float) -> list[str]:
    inst0 = load_instance(ROOT / "instances" / name)
    rows = {}
    bounds: dict[tuple[str, str], float | None] = {}
    for target in TARGETS:
        inst = with_policy(inst0, {"balance.target": target})
        start = time.perf_counter()
        result = solve(inst, "pairs,alliances,roster", time_limit=time_limit, seed=1)
        took = time.perf_counter() - start
        rows[target] = (result.balance, result.parts["roster"].status, took)
        if target == "off":
            bounds = plan_bounds(inst, result.plan)
    before = rows["off"][0]
    assert before is not None
    periods = list(inst0.policy.horizon.periods)
    out = [
        f"## {name} (pairs, alliances, roster; --time-limit {time_limit:g}, seed 1)",
        "",
        "| indicator | stage | before | bound | "
        + " | ".join(f"{t} {p}" for t in TARGETS for p in periods)
        + " |",
        "|---|---|---|---|" + "---|" * (len(TARGETS) * len(periods)),
    ]
    for ind in ("qualified", "backbone", "pe_arts"):
        for stage in ("primary", "junior"):
            cells = []
            for t in TARGETS:
                figures = rows[t][0]
                for p in periods:
                    f = figures.after.get(p, {}).get(ind, {}).get(stage) if figures else None
                    cells.append(f"{f.cv:.4f}" if f and f.cv is not None else "-")
            cv = before.before[ind][stage].cv
            bound = bounds.get((ind, stage))
            out.append(
                f"| {ind} | {stage} | {cv if cv is not None else '-'} | "
                f"{bound if bound is not None else '-'} | " + " | ".join(cells) + " |"
            )
    out.append("")
    out.append(
        "Roster status and seconds: "
        + ", ".join(f"{t} {s} {w:.1f} s" for t, (_, s, w) in rows.items())
    )
    out.append("")
    for t, (figures, _, _) in rows.items():
        if figures is None:
            continue
        failing = ", ".join(
            f"{p} {len(figures.tests[p].failing)}" for p in periods if p in figures.tests
        )
        out.append(
            f"- {t}: schools failing the per-school test: before "
            f"{len(figures.tests['before'].failing)}" + (f", {failing}" if failing else "")
        )
    out.append("")
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--out", type=Path, default=ROOT / "tests" / "benchmarks" / "results")
    args = ap.parse_args()
    names = ["demo-county"] if args.smoke else ["demo-county", "haicheng-like"]
    limit = 10.0 if args.smoke else 60.0
    text = [
        "# The evaluation's own measure (official 差异系数)",
        "",
        f"`python tests/benchmarks/balance_official.py`, {datetime.date.today()}, "
        f"{os.cpu_count()} cores, 1-minute load {os.getloadavg()[0]:.1f} at the start.",
        "",
    ]
    for name in names:
        text += one(name, limit)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "balance.md").write_text("\n".join(text), encoding="utf-8")
    print("\n".join(text))


if __name__ == "__main__":
    main()
