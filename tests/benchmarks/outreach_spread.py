"""How a plan's 送教 visits spread over the semester (figures for
``tests/benchmarks/results/outreach.md``, not timings).

Run from the repository root::

    python tests/benchmarks/outreach_spread.py INSTANCE PLAN.json [PLAN.json ...]
    python tests/benchmarks/outreach_spread.py --smoke --out DIR

``--smoke`` solves demo-county (every part, 20 s) into DIR and writes the spread of its plan
as the table of ``DIR/outreach-spread.md`` (CI runs it so that the script cannot rot).

Per plan: model-lesson visits, (school, semester) pairs with two visits fewer than 4 weeks
apart (and in the same week), the share of visits in weeks 1-3, the most visits in one
week of a semester against the default cap (twice the average), and whether the checker
finds the outreach rules kept.
"""

from __future__ import annotations

import itertools
import math
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def spread(instance: str, plan_path: str) -> dict[str, object]:
    from twinning import load_instance, validate
    from twinning.planfile import read_plan

    inst = load_instance(instance)
    plan = read_plan(plan_path)
    visits = [o for o in plan.outreach if o.kind == "model_lesson"]
    weeks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for v in visits:
        weeks[(v.to_school, v.period)].append(v.week)
    close = same = 0
    for got in weeks.values():
        got.sort()
        gaps = [b - a for a, b in itertools.pairwise(got)]
        close += any(g < 4 for g in gaps)
        same += any(g == 0 for g in gaps)
    per_week = Counter((v.period, v.week) for v in visits)
    per_period = Counter(v.period for v in visits)
    n_weeks = len(inst.policy.outreach.weeks)
    cap = max((math.ceil(2 * n / n_weeks) for n in per_period.values()), default=0)
    broken = Counter(
        v.rule for v in validate(inst, plan).violations if v.rule.startswith("outreach.")
    )
    return {
        "visits": len(visits),
        "under 4 weeks apart": close,
        "same week": same,
        "share in weeks 1-3": f"{sum(v.week <= 3 for v in visits) / max(1, len(visits)):.1%}",
        "most in one week": max(per_week.values(), default=0),
        "twice the average": cap,
        "outreach rules broken": dict(broken) or "none",
    }


def smoke(out: Path) -> None:
    """Solve demo-county and write the spread of its plan as one table row."""
    from typer.testing import CliRunner

    from twinning.cli.main import app

    instance = ROOT / "instances" / "demo-county"
    plan_dir = out / "plan"
    done = CliRunner().invoke(
        app,
        [
            "solve",
            str(instance),
            "-o",
            str(plan_dir),
            "--time-limit",
            "20",
            "-q",
            "--format",
            "json",
        ],
    )
    if done.exit_code != 0:
        raise SystemExit(f"solve exited {done.exit_code}: {done.output}")
    row = spread(str(instance), str(plan_dir / "plan.json"))
    head = "| county | " + " | ".join(row) + " |"
    rule = "|" + "---|" * (len(row) + 1)
    line = "| demo-county | " + " | ".join(str(v) for v in row.values()) + " |"
    (out / "outreach-spread.md").write_text(
        "# 送教 spread (smoke run: figures, not measurements)\n\n"
        + "\n".join([head, rule, line])
        + "\n",
        encoding="utf-8",
    )
    print(line)


def main(argv: list[str]) -> None:
    if argv[:1] == ["--smoke"]:
        out = Path(argv[argv.index("--out") + 1]) if "--out" in argv else Path("/tmp/spread")
        out.mkdir(parents=True, exist_ok=True)
        smoke(out)
        return
    instance, plans = argv[0], argv[1:]
    for path in plans:
        print(path, spread(instance, path))


if __name__ == "__main__":
    main(sys.argv[1:])
