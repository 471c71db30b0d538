"""What a planner objects to first, counted on a plan: stripped senders, crossed stages,
old mentees, away mentors, headless schools, visits called rotations.

Run from the repository root::

    python tests/benchmarks/adoptability.py INSTANCE PLAN.json [LABEL ...] [--md FILE]

Several ``PLAN.json LABEL`` pairs may be given (e.g. the plan of an older version and
today's); the counts are printed side by side and, with ``--md``, written as a table.
The counts use only the instance and the plan (no solver), so a plan made by any
version can be measured. ``--smoke`` (CI), given no instance, solves demo-county for 10
seconds and counts its plan, writing the table to a temporary folder.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks import benchkit  # noqa: E402
from twinning.county.instance import Instance  # noqa: E402
from twinning.io.readers import load_instance  # noqa: E402
from twinning.plan import Plan  # noqa: E402
from twinning.rules import roster as rules  # noqa: E402


def counts(inst: Instance, plan: Plan) -> dict[str, int]:
    """The objections, each as a count (0 is what a bureau would adopt)."""
    schools = {s.id: s for s in inst.schools}
    staff = {t.id: t for t in inst.staff}
    periods = list(inst.policy.horizon.periods)
    index = {p: t for t, p in enumerate(periods)}
    shortage = rules.shortage_table(inst)
    surplus = rules.surplus_table(inst)
    moves = [m for m in plan.roster if m.kind not in ("mentor",)]
    teacher_out = [
        m
        for m in moves
        if m.kind == "exchange" and m.direction == "out" and staff[m.staff].role == "teacher"
    ]
    # Teachers out minus in per school, subject and period: a move is a stripping one when
    # it takes a subject below what the school needs (beyond its surplus).
    net: Counter[tuple[str, str, int]] = Counter()
    for m in moves:
        if staff[m.staff].role != "teacher" or not m.subject:
            continue
        for t in range(index[m.first_period], index[m.first_period] + m.periods):
            net[(m.from_school, m.subject, t)] += 1
            net[(m.to_school, m.subject, t)] -= 1
    stripping = 0
    from_short = 0
    for m in teacher_out:
        span = range(index[m.first_period], index[m.first_period] + m.periods)
        if any((m.from_school, m.subject or "", t) in shortage for t in span):
            from_short += 1
            if any(net[(m.from_school, m.subject or "", t)] > 0 for t in span):
                stripping += 1
    not_surplus = sum(
        1
        for m in teacher_out
        if all(
            surplus.get((m.from_school, m.subject or "", t), 0) == 0
            for t in range(index[m.first_period], index[m.first_period] + m.periods)
        )
    )
    over = sum(max(0, n - surplus.get(key, 0)) for key, n in net.items() if n > 0)
    cross = sum(1 for m in moves if not schools[m.from_school].stages & schools[m.to_school].stages)
    mentors = [m for m in plan.roster if m.kind == "mentor"]
    away = {m.staff for m in moves}
    old = [staff[m.mentee] for m in mentors if m.mentee and (staff[m.mentee].age or 0) > 35]
    older = sum(
        1
        for m in mentors
        if m.mentee
        and staff[m.mentee].age is not None
        and staff[m.staff].age is not None
        and (staff[m.mentee].age or 0) >= (staff[m.staff].age or 0)
    )
    # Heads per school and period: principals at home, plus those heading it.
    heads: Counter[tuple[str, int]] = Counter()
    for t in inst.staff:
        if t.role == "principal":
            for p in range(len(periods)):
                heads[(t.school, p)] += 1
    principal_visits = 0
    for m in moves:
        if staff[m.staff].role != "principal":
            continue
        if m.kind == "headship":
            for p in range(index[m.first_period], index[m.first_period] + m.periods):
                heads[(m.from_school, p)] -= 1
                heads[(m.to_school, p)] += 1
        else:
            principal_visits += 1
    with_principal = {t.school for t in inst.staff if t.role == "principal"}
    headless = sum(1 for (s, _), n in heads.items() if s in with_principal and n != 1)
    seconded: Counter[tuple[str, str]] = Counter(
        (m.to_school, m.first_period) for m in moves if m.kind == "secondment"
    )
    listed = [m for m in moves if staff[m.staff].willing]
    first_choice = sum(1 for m in listed if staff[m.staff].willing[0] == m.to_school)
    return {
        "teacher moves out": len(teacher_out),
        "moves out of a subject the sender is short of": from_short,
        "...of which not made up by an arrival (sender stripped)": stripping,
        "teacher-periods taken below a sender's needs": over,
        "leavers from subjects the sender has no surplus in": not_surplus,
        "moves between schools sharing no stage": cross,
        "mentor pairs": len(mentors),
        "mentees over 35": len(old),
        "mentees over 50": sum(1 for t in old if (t.age or 0) > 50),
        "mentees not younger than their mentor": older,
        "mentors away on another move": sum(1 for m in mentors if m.staff in away),
        "principals' one-semester visits (not headship)": principal_visits,
        "principals heading another school": sum(1 for m in moves if m.kind == "headship"),
        "school-periods without exactly one principal": headless,
        "secondments": sum(seconded.values()),
        "hosts with more than one seconded cadre in a semester": sum(
            1 for n in seconded.values() if n > 1
        ),
        "movers who listed preferences": len(listed),
        "...who got their first choice": first_choice,
    }


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
    benchkit.options(parser)
    args = parser.parse_args()
    if args.smoke:
        args.md = benchkit.own_file(args, args.md or benchkit.results_file(args, "adoptability.md"))
        if args.instance is None:
            args.instance = str(ROOT / "instances" / "demo-county")
            args.plans = smoke_plan(args.md.parent / "demo-county")
    if args.instance is None or not args.plans or len(args.plans) % 2:
        parser.error("give an instance and PLAN.json LABEL pairs")
    inst = load_instance(args.instance)
    pairs = list(zip(args.plans[::2], args.plans[1::2], strict=True))
    table: dict[str, list[int]] = defaultdict(list)
    for path, _label in pairs:
        plan = Plan.from_json(Path(path).read_text(encoding="utf-8"))
        for key, value in counts(inst, plan).items():
            table[key].append(value)
    labels = [label for _, label in pairs]
    lines = [f"| on {Path(args.instance).name} | " + " | ".join(labels) + " |"]
    lines.append("|---|" + "---|" * len(labels))
    lines += [f"| {k} | " + " | ".join(str(v) for v in vs) + " |" for k, vs in table.items()]
    print("\n".join(lines))
    if args.md:
        command = "python tests/benchmarks/adoptability.py " + " ".join(sys.argv[1:])
        args.md.write_text(
            "# What a planner objects to, counted\n\n"
            f"Command: `{command}`\n\n" + "\n".join(lines) + "\n",
            encoding="utf-8",
        )
        print(f"written {args.md}")
    return benchkit.exit_code(args)


if __name__ == "__main__":
    sys.exit(main())
