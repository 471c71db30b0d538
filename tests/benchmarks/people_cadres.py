"""What a personnel section (人事科) objects to about cadres and heads, counted on a plan:
secondments to small schools, small schools swamped by visiting cadres, reserve cadres
seconded to no larger or stronger school, changes of head across stage families or from a
weak school to a strong one without a title (issue 28).

Run from the repository root::

    python tests/benchmarks/people_cadres.py INSTANCE PLAN.json LABEL [PLAN.json LABEL ...] \\
        [--md tests/benchmarks/results/people.md]

The plans (e.g. an older version's and today's) are counted side by side. Or both sides are
solved here, in child processes alternating, one per ``--seeds`` seed, and the roster's
seconds recorded beside the counts (of the first seed's plans)::

    python tests/benchmarks/people_cadres.py INSTANCE --before /tmp/before/.venv/bin/python \\
        --seeds 0,1,2 [--md tests/benchmarks/results/people.md]

With ``--md`` the tables are written as this script's own section of the file for that
instance (``## Cadres and heads: INSTANCE``), replaced when it is there, appended when it
is not: the file holds other sections (another county's, other rules'). The counts read
only the instance and the plans (no solver, and none of twinning's rule definitions: each
count is spelled out here), so a plan of any version can be counted. ``--smoke`` (CI),
given no instance, solves demo-county for 10 seconds on both sides (this interpreter) and
counts its plans, writing to a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks import benchkit  # noqa: E402
from twinning.county.instance import Instance  # noqa: E402
from twinning.io.readers import load_instance  # noqa: E402
from twinning.plan import Plan  # noqa: E402

#: The sections this script writes in the results file start so (and name the instance).
HEADING = "## Cadres and heads"
#: Pupils below which a school is small (the issue's figure, rotation.small_school_pupils).
SMALL = 300
CADRE_ROLES = ("vice_principal", "middle_manager", "reserve_cadre")
RANK = {"weak": 0, "ordinary": 1, "strong": 2}
TITLED = ("county", "city", "province", "national")


def counts(inst: Instance, plan: Plan) -> dict[str, str]:
    """Each objection as a count (0 is what a bureau would sign)."""
    schools = {s.id: s for s in inst.schools}
    staff = {t.id: t for t in inst.staff}
    periods = list(inst.policy.horizon.periods)
    index = {p: t for t, p in enumerate(periods)}

    def small(sid: str) -> bool:
        pupils = schools[sid].students
        return pupils is not None and pupils < SMALL

    moves = [m for m in plan.roster if m.kind in ("exchange", "secondment")]
    seconded = [m for m in moves if m.kind == "secondment"]
    # Visiting cadres per (school, period), and each school's own cadres away then.
    visitors: Counter[tuple[str, int]] = Counter()
    away: Counter[tuple[str, int]] = Counter()
    for m in moves:
        if m.kind == "secondment" or staff[m.staff].role in CADRE_ROLES:
            for t in range(index[m.first_period], index[m.first_period] + m.periods):
                visitors[(m.to_school, t)] += 1
                away[(m.from_school, t)] += 1
    two = sum(1 for (s, _), n in visitors.items() if small(s) and n > 1)
    while_away = sum(1 for (s, t), n in visitors.items() if small(s) and n and away[(s, t)])
    reserve = [m for m in seconded if staff[m.staff].role == "reserve_cadre"]

    def grows(home: str, host: str) -> bool:
        a, b = schools[home], schools[host]
        larger = a.students is not None and b.students is not None and b.students > a.students
        return larger or RANK[b.tier] > RANK[a.tier]

    heads = [m for m in plan.roster if m.kind == "headship"]
    crossing = [m for m in heads if schools[m.from_school].stages != schools[m.to_school].stages]
    nine_primary = [
        m
        for m in crossing
        if {"primary"} in (schools[m.from_school].stages, schools[m.to_school].stages)
    ]
    weak_strong = [
        m
        for m in heads
        if schools[m.from_school].tier == "weak" and schools[m.to_school].tier == "strong"
    ]
    untitled = [m for m in weak_strong if staff[m.staff].backbone not in TITLED]
    # Heads per school and period: principals at home, less those heading elsewhere, plus
    # those who come to head it.
    base = Counter(t.school for t in inst.staff if t.role == "principal")
    shift: Counter[tuple[str, int]] = Counter()
    for m in heads:
        for t in range(index[m.first_period], index[m.first_period] + m.periods):
            shift[(m.from_school, t)] -= 1
            shift[(m.to_school, t)] += 1
    not_one = sum(1 for s in schools for t in range(len(periods)) if base[s] + shift[(s, t)] != 1)

    def of(part: int, whole: int) -> str:
        return f"{part} of {whole}"

    small_schools = sum(1 for s in schools if small(s))
    return {
        f"secondments to schools under {SMALL} pupils": of(
            sum(1 for m in seconded if small(m.to_school)), len(seconded)
        ),
        f"small-school semesters with two or more visiting cadres ({small_schools} small "
        "schools)": str(two),
        "small-school semesters hosting a visiting cadre while the school's own cadre is away": (
            str(while_away)
        ),
        "reserve cadres seconded to a school neither larger nor stronger": of(
            sum(1 for m in reserve if not grows(m.from_school, m.to_school)), len(reserve)
        ),
        "changes of head crossing stage families": of(len(crossing), len(heads)),
        "...of which between a primary and a nine-year school": str(len(nine_primary)),
        "weak-to-strong changes of head without a backbone title": of(
            len(untitled), len(weak_strong)
        ),
        "school-periods without exactly one head": str(not_one),
    }


def write_section(path: Path, heading: str, section: str) -> None:
    """The section under ``heading`` of ``path`` replaced (or appended), the others kept."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# People rules (issue 28)\n"
    start = text.find(heading + "\n")
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = text.find("\n## ", start + len(heading))
        rest = "" if end < 0 else text[end + 1 :]
        text = text[:start] + section + ("\n" + rest if rest else "")
    path.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


#: A child's solve: the instance, the plan file, the time limit and the search seed; prints
#: the roster part's figures as JSON.
CHILD = """
import json, sys
from twinning import load_instance, solve
inst = load_instance(sys.argv[1])
result = solve(inst, time_limit=float(sys.argv[3]), seed=int(sys.argv[4]))
open(sys.argv[2], "w", encoding="utf-8").write(result.plan.to_json())
part = result.parts["roster"]
print(json.dumps({"status": part.status, "seconds": part.wall_time, "gap": part.gap}))
"""


def solve_side(python: str, instance: str, plan: Path, limit: float, seed: int) -> dict[str, Any]:
    """One side's solve of every part in a child process (its own interpreter): the roster
    part's status, seconds and gap; a crash is noted and reported as failed."""
    plan.parent.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        [python, "-c", CHILD, instance, str(plan), str(limit), str(seed)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        benchkit.note_failure(f"{python} seed {seed}: exit {proc.returncode}")
        print(proc.stderr[-2000:], file=sys.stderr)
        return {"status": "failed", "seconds": None, "gap": None}
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def solved_sides(args: argparse.Namespace, folder: Path) -> tuple[list[str], list[str]]:
    """Both sides solve the instance once per seed, alternating (before, after, before,
    ...): the first seed's plans to count (``PLAN LABEL`` pairs) and the roster's
    seconds as table lines."""
    seeds = [int(x) for x in args.seeds.split(",")]
    sides = [(args.before_label, args.before), (args.after_label, args.after)]
    rows: list[list[str]] = []
    plans: list[str] = []
    with benchkit.LoadWatch() as watch:
        for seed in seeds:
            row = [str(seed)]
            for label, python in sides:
                plan = folder / f"{label}-{seed}" / "plan.json"
                got = solve_side(python, args.instance, plan, args.time_limit, seed)
                gap = "-" if got["gap"] is None else f"{100 * got['gap']:.3f}%"
                secs = "-" if got["seconds"] is None else f"{got['seconds']:.2f}"
                row += [got["status"], secs, gap]
                if seed == seeds[0]:
                    plans += [str(plan), label]
            rows.append(row)
    head = ["seed"]
    for label, _ in sides:
        head += [f"{label} roster status", f"{label} roster s", f"{label} gap"]
    lines = benchkit.table(head, rows)
    lines += ["", f"{benchkit.machine()}; {watch.summary()}."]
    return plans, lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("instance", nargs="?")
    parser.add_argument("plans", nargs="*", help="PLAN.json LABEL pairs")
    parser.add_argument("--md", type=Path)
    parser.add_argument("--note", default="", help="a paragraph written under the tables")
    parser.add_argument("--before", help="solve with this interpreter (another install)")
    parser.add_argument("--before-label", default="before")
    parser.add_argument("--after", default=sys.executable)
    parser.add_argument("--after-label", default="after")
    parser.add_argument("--seeds", default="0", help="search seeds, comma-separated")
    parser.add_argument("--time-limit", type=float, default=60.0)
    benchkit.options(parser)
    args = parser.parse_args()
    if args.smoke:
        args.md = benchkit.own_file(args, args.md or benchkit.results_file(args, "people.md"))
        if args.instance is None:
            args.instance = str(ROOT / "instances" / "demo-county")
            args.before = args.before or sys.executable
            args.time_limit = 10.0
    timing: list[str] = []
    if args.instance is not None and not args.plans and args.before:
        folder = Path(tempfile.mkdtemp(prefix="twinning-people-"))  # never the results
        args.plans, timing = solved_sides(args, folder)
    if args.instance is None or not args.plans or len(args.plans) % 2:
        parser.error("give an instance and PLAN.json LABEL pairs, or --before PYTHON")
    inst = load_instance(args.instance)
    pairs = list(zip(args.plans[::2], args.plans[1::2], strict=True))
    table: dict[str, list[str]] = defaultdict(list)
    for path, _label in pairs:
        if not Path(path).exists():
            table["(no plan)"].append(path)
            continue
        plan = Plan.from_json(Path(path).read_text(encoding="utf-8"))
        for key, value in counts(inst, plan).items():
            table[key].append(value)
    labels = [label for _, label in pairs]
    lines = [f"| on {Path(args.instance).name} | " + " | ".join(labels) + " |"]
    lines.append("|---|" + "---|" * len(labels))
    lines += [f"| {k} | " + " | ".join(vs) + " |" for k, vs in table.items()]
    if timing:
        lines += [
            "",
            f"The roster part of `solve()` (every part, --time-limit {args.time_limit:g}):",
            "",
        ]
        lines += timing
    print("\n".join(lines))
    if args.md:
        command = "python tests/benchmarks/people_cadres.py " + shlex.join(sys.argv[1:])
        heading = f"{HEADING}: {Path(args.instance).name}"
        section = f"{heading}\n\nCommand: `{command}`, {date.today()}\n\n" + "\n".join(lines) + "\n"
        if args.note:
            section += "\n" + args.note + "\n"
        write_section(args.md, heading, section)
        print(f"written {args.md}")
    return benchkit.exit_code(args)


if __name__ == "__main__":
    sys.exit(main())
