"""The rotation quota as a personnel section counts it, on a plan: one-semester stints,
the rate counting only school years at compulsory-stage schools, and why each school below
its quota is.

Run from the repository root::

    python tests/benchmarks/quota_audit.py INSTANCE PLAN.json LABEL [PLAN.json LABEL ...]
        [--md FILE] [--reasons] [--lang zh]

Several ``PLAN.json LABEL`` pairs may be given (e.g. the plan of an older version and
today's); the counts are printed side by side and, with ``--md``, written as a table. The
counts use only the instance (its policy as given: rotation.quota_stages,
rotation.min_periods_for_quota) and the plan, so a plan made by any version is measured by
today's rules beside the count it was made under (every exchange of every urban or strong
school). ``--reasons`` prints, for the last plan, every school below its quota and why
(twinning.rules.quota). ``--smoke`` (CI), given no instance, solves demo-county for 10
seconds and counts its plan, writing the table to a temporary folder.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks import benchkit  # noqa: E402
from twinning.county.distances import Distances  # noqa: E402
from twinning.county.instance import Instance  # noqa: E402
from twinning.io.readers import load_instance  # noqa: E402
from twinning.messages import render  # noqa: E402
from twinning.plan import Plan  # noqa: E402
from twinning.rules import roster as rules  # noqa: E402
from twinning.rules.quota import counted_sent, quota_reasons  # noqa: E402
from twinning.vocabulary import COUNTY_OR_ABOVE  # noqa: E402


def counts(inst: Instance, plan: Plan) -> dict[str, str]:
    """The quota's figures on one plan, by today's rules and by the old count."""
    staff = {t.id: t for t in inst.staff}
    schools = {s.id: s for s in inst.schools}
    k = inst.policy.rotation.min_periods_for_quota
    exchanges = [
        m for m in plan.roster if m.kind == "exchange" and staff[m.staff].role == "teacher"
    ]
    out = [m for m in exchanges if m.direction == "out"]
    base = rules.quota_base(inst)
    quota = rules.quota_required(inst, base)
    sent = counted_sent(inst, plan.roster)
    rate = sum(sent[s] for s in quota) / max(1, sum(base[s] for s in quota))
    # the old count: every exchange of every urban or strong school, whatever its stage
    old_schools = {s for s in schools if rules.advantaged(schools[s]) and base[s]}
    old_quota = {s: math.ceil(inst.policy.rotation.rate * base[s] - 1e-9) for s in old_schools}
    any_sent = Counter(m.from_school for m in exchanges)
    old_rate = sum(any_sent[s] for s in old_schools) / max(1, sum(base[s] for s in old_schools))
    bb = sum(1 for m in out if m.periods >= k and staff[m.staff].backbone in COUNTY_OR_ABOVE)
    counted_out = sum(1 for m in out if m.periods >= k)
    return {
        "teacher exchanges out": str(len(out)),
        "...of one semester": str(sum(1 for m in out if m.periods == 1)),
        f"...shorter than {k} semester(s), not counted": str(sum(1 for m in out if m.periods < k)),
        "rotation rate, every exchange of urban/strong schools (the old count)": f"{old_rate:.4f}",
        f"rotation rate, exchanges of {k}+ semesters at schools with a quota": f"{rate:.4f}",
        "backbone share of counted exchanges out": (
            f"{bb / counted_out:.4f}" if counted_out else "-"
        ),
        "urban/strong schools with due teachers (the old quota)": str(len(old_schools)),
        "...of them not of rotation.quota_stages (no quota now)": str(
            len(old_schools - set(quota))
        ),
        "schools with a quota": str(len(quota)),
        "...below it (counted exchanges)": str(sum(1 for s, q in quota.items() if sent[s] < q)),
        "...below it by the old count": str(
            sum(1 for s, q in old_quota.items() if any_sent[s] < q)
        ),
    }


def reasons(inst: Instance, plan: Plan, lang: str) -> list[str]:
    """Every school below its quota in ``plan`` and why, one line each."""
    sent = counted_sent(inst, plan.roster)
    quota = rules.quota_required(inst)
    found = quota_reasons(inst, plan.pairs, plan.alliances, Distances(inst), plan.roster)
    return [
        f"{school} moves {sent[school]} of {quota[school]}: {render(why, lang)}"
        for school, why in found.items()
    ]


def smoke_plan(folder: Path) -> list[str]:
    """demo-county solved for 10 seconds: its plan and a label."""
    from twinning import solve

    result = solve(load_instance(ROOT / "instances" / "demo-county"), time_limit=10, seed=1)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "plan.json").write_text(result.plan.to_json(), encoding="utf-8")
    return [str(folder / "plan.json"), "today"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("instance", nargs="?")
    parser.add_argument("plans", nargs="*", help="PLAN.json LABEL pairs")
    parser.add_argument("--md", type=Path)
    parser.add_argument("--reasons", action="store_true", help="why each school is below")
    parser.add_argument("--lang", default="en", choices=("en", "zh"))
    benchkit.options(parser)
    args = parser.parse_args()
    if args.smoke:
        args.md = benchkit.own_file(args, args.md or benchkit.results_file(args, "quota-audit.md"))
        args.reasons = True
        if args.instance is None:
            args.instance = str(ROOT / "instances" / "demo-county")
            args.plans = smoke_plan(args.md.parent / "demo-county")
    if args.instance is None or not args.plans or len(args.plans) % 2:
        parser.error("give an instance and PLAN.json LABEL pairs")
    inst = load_instance(args.instance)
    pairs = list(zip(args.plans[::2], args.plans[1::2], strict=True))
    table: dict[str, list[str]] = defaultdict(list)
    plans = []
    for path, _label in pairs:
        plan = Plan.from_json(Path(path).read_text(encoding="utf-8"))
        plans.append(plan)
        for key, value in counts(inst, plan).items():
            table[key].append(value)
    labels = [label for _, label in pairs]
    lines = [f"| on {Path(args.instance).name} | " + " | ".join(labels) + " |"]
    lines.append("|---|" + "---|" * len(labels))
    lines += [f"| {k} | " + " | ".join(vs) + " |" for k, vs in table.items()]
    print("\n".join(lines))
    why = reasons(inst, plans[-1], args.lang) if args.reasons else []
    for line in why:
        print(line)
    if args.md:
        command = "python tests/benchmarks/quota_audit.py " + " ".join(sys.argv[1:])
        said = "".join(f"- {line}\n" for line in why)
        args.md.write_text(
            "# The rotation quota, counted\n\n"
            f"Command: `{command}`\n\n" + "\n".join(lines) + "\n\n" + said,
            encoding="utf-8",
        )
        print(f"written {args.md}")
    return benchkit.exit_code(args)


if __name__ == "__main__":
    sys.exit(main())
