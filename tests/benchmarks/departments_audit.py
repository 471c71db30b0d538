"""Departments and mentees as a personnel section counts them, on a plan: too many of a
school's teachers of one subject away at once, a subject's classes changing hands twice in
a school year, mentees away on their own exchange while mentored (issue 28).

Run from the repository root::

    python tests/benchmarks/departments_audit.py INSTANCE PLAN.json LABEL [PLAN.json LABEL ...]
        [--md FILE] [--share 0.3333]

Several ``PLAN.json LABEL`` pairs may be given (e.g. the plan of an older version and
today's); the counts are printed side by side and, with ``--md``, written as a table. The
counts use only the instance and the plan (the terms of :mod:`twinning.rules.departments`:
a department is a school's teachers of one subject; away is on an exchange, a learning
stint or a secondment), so a plan made by any version is measured by the same yardstick.
``--share`` is the share of a department that may be away at once (default: the
instance's ``rotation.max_department_share``, 1/3 unless set). ``--smoke`` (CI), given no
instance, solves demo-county for 10 seconds and counts its plan, writing the table to a
temporary folder.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks import benchkit  # noqa: E402
from twinning.county.instance import Instance  # noqa: E402
from twinning.io.readers import load_instance  # noqa: E402
from twinning.plan import Plan  # noqa: E402
from twinning.rules.departments import (  # noqa: E402
    DEPARTMENT_KINDS,
    boundary_years,
    changes_twice,
    department_sizes,
    departments_of,
    in_department,
    span_changes,
)


def counts(inst: Instance, plan: Plan, share: float) -> dict[str, str]:
    """The department and mentee figures of one plan."""
    staff = {t.id: t for t in inst.staff}
    periods = list(inst.policy.horizon.periods)
    index = {p: t for t, p in enumerate(periods)}
    bounds = boundary_years(periods)
    sizes = department_sizes(inst)
    away: dict[tuple[str, str, int], int] = defaultdict(int)
    hands: dict[tuple[str, str, int, int], int] = defaultdict(int)
    alone_twice = 0
    moves = [
        m
        for m in plan.roster
        if m.kind in DEPARTMENT_KINDS and m.staff in staff and m.first_period in index
    ]
    for m in moves:
        person = staff[m.staff]
        if not in_department(person):
            continue
        first = index[m.first_period]
        for t in range(first, min(first + m.periods, len(periods))):
            away[(m.from_school, person.subject or "", t)] += 1
        changes = span_changes(bounds, first, m.periods)
        for school, subject in departments_of(person, m.from_school, m.to_school):
            for year, half in changes:
                hands[(school, subject, year, half)] += 1
        alone_twice += changes_twice(bounds, first, m.periods)
    over = {
        key: n
        for key, n in away.items()
        if n > max(1, math.floor(share * sizes[(key[0], key[1])] + 1e-9))
    }
    worst = max(over.items(), key=lambda kv: (kv[1], kv[1] / sizes[kv[0][:2]], kv[0]), default=None)
    whole = {
        (school, subject)
        for (school, subject, _), n in away.items()
        if sizes[(school, subject)] >= 2 and n >= sizes[(school, subject)]
    }
    twice = {key[:3] for key in hands if key[3] == 0 and hands.get((*key[:3], 1))}
    # mentees on a move of their own elsewhere than the mentor's school
    hosts: dict[str, set[str]] = defaultdict(set)
    for m in plan.roster:
        if m.kind in ("exchange", "secondment", "headship"):
            hosts[m.staff].add(m.to_school)
    lines = [m for m in plan.roster if m.kind == "mentor" and m.mentee in staff]
    mentee_away = sum(1 for m in lines if hosts.get(m.mentee or "", set()) - {m.from_school})
    return {
        "teachers moved (exchanges, learning stints, secondments)": str(
            sum(1 for m in moves if in_department(staff[m.staff]))
        ),
        f"department-periods with more than {share:.3g} of its teachers away": str(len(over)),
        "...the most away (school, subject, period: away of teachers)": (
            f"{worst[0][0]} {worst[0][1]} {periods[worst[0][2]]}: "
            f"{worst[1]} of {sizes[worst[0][:2]]}"
            if worst
            else "-"
        ),
        "departments of 2+ teachers with every teacher away at once": str(len(whole)),
        "school years in which a subject's classes change hands twice (school, subject)": str(
            len(twice)
        ),
        "...teacher moves that alone hand classes over twice (a first semester only)": str(
            alone_twice
        ),
        "mentor pairs": str(len(lines)),
        "mentees away elsewhere than the mentor's school while mentored": str(mentee_away),
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
    parser.add_argument("--share", type=float, help="default: rotation.max_department_share")
    benchkit.options(parser)
    args = parser.parse_args()
    if args.smoke:
        name = "departments-audit.md"
        args.md = benchkit.own_file(args, args.md or benchkit.results_file(args, name))
        if args.instance is None:
            args.instance = str(ROOT / "instances" / "demo-county")
            args.plans = smoke_plan(args.md.parent / "demo-county")
    if args.instance is None or not args.plans or len(args.plans) % 2:
        parser.error("give an instance and PLAN.json LABEL pairs")
    inst = load_instance(args.instance)
    share = args.share if args.share is not None else inst.policy.rotation.max_department_share
    pairs = list(zip(args.plans[::2], args.plans[1::2], strict=True))
    table: dict[str, list[str]] = defaultdict(list)
    for path, _label in pairs:
        plan = Plan.from_json(Path(path).read_text(encoding="utf-8"))
        for key, value in counts(inst, plan, share).items():
            table[key].append(value)
    labels = [label for _, label in pairs]
    lines = [f"| on {Path(args.instance).name} | " + " | ".join(labels) + " |"]
    lines.append("|---|" + "---|" * len(labels))
    lines += [f"| {k} | " + " | ".join(vs) + " |" for k, vs in table.items()]
    print("\n".join(lines))
    if args.md:
        command = "python tests/benchmarks/departments_audit.py " + " ".join(sys.argv[1:])
        args.md.write_text(
            "# Departments and mentees, counted\n\n"
            f"Command: `{command}`\n\n" + "\n".join(lines) + "\n",
            encoding="utf-8",
        )
        print(f"written {args.md}")
    return benchkit.exit_code(args)


if __name__ == "__main__":
    sys.exit(main())
