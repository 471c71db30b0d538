"""How far the roster sends people, counted on its plans (issue 28, "Distance and family"):
moves over 40 km one way, teachers aged 25-35 moved over 30 km, minutes one way, and what
rotation.max_minutes and a personal limit (staff max_km, 个人通勤上限) cost.

Run from the repository root::

    python tests/benchmarks/people_travel.py INSTANCE --before /tmp/before/.venv/bin/python \\
        [--seeds 0,1,2] [--md tests/benchmarks/results/people.md]

The pairs and alliances are planned once (this install); then, in child processes, each
side plans the roster on them (``solve(inst, "roster", given=...)``): the older install
("before") and this one ("after") alternating, once per ``--seeds`` seed, and this one
again under each scenario: ``rotation.max_minutes`` at 60 and 90 minutes (``--minutes``),
and a personal limit of 30 km for every teacher aged 25-35 (``--young-km``: what a bureau
records for the young parents among them, here for all of them). The counts are of the
first seed's plans; the roster's seconds, gap and the 1-minute load are recorded beside
them. The counts read only the instance, the plans and the km between schools
(``Distances``: coordinates, or distances.csv), each spelled out here, so a plan of any
version can be counted.

With ``--md`` the tables are written as this script's own section of the file for that
instance (``## Travel: INSTANCE``), replaced when there, appended when not (the file holds
other sections). ``--smoke`` (CI), given no instance, runs demo-county for 10 seconds on
both sides (this interpreter), writing to a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import shlex
import statistics
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks import benchkit  # noqa: E402
from tests.benchmarks.people_cadres import write_section  # noqa: E402
from twinning.county.distances import Distances  # noqa: E402
from twinning.county.instance import Instance  # noqa: E402
from twinning.io.readers import load_instance  # noqa: E402
from twinning.plan import Plan  # noqa: E402

HEADING = "## Travel"
#: The issue's figures: moves over 40 km one way, teachers aged 25-35 moved over 30 km.
FAR_KM, YOUNG_KM, YOUNG = 40.0, 30.0, (25, 35)
MOVES = ("exchange", "secondment", "headship")

#: A child's roster: instance, pairs-and-alliances plan, out plan, time limit, seed,
#: policy settings (JSON), personal limit for teachers aged 25-35 (0: none). Prints the
#: roster part's figures as JSON.
CHILD = """
import json, sys
from twinning import load_instance, solve
from twinning.county.instance import with_policy
from twinning.plan import Plan
inst = load_instance(sys.argv[1])
inst = with_policy(inst, json.loads(sys.argv[6]))
young = float(sys.argv[7])
if young:
    inst = inst.model_copy(update={"staff": [
        t.model_copy(update={"max_km": young})
        if t.role == "teacher" and t.age is not None and 25 <= t.age <= 35 else t
        for t in inst.staff
    ]})
given = Plan.from_json(open(sys.argv[2], encoding="utf-8").read())
result = solve(inst, "roster", given=given, time_limit=float(sys.argv[4]), seed=int(sys.argv[5]))
open(sys.argv[3], "w", encoding="utf-8").write(result.plan.to_json())
part = result.parts["roster"]
k = part.kpis
print(json.dumps({
    "status": part.status, "seconds": part.wall_time, "gap": part.gap,
    "covered": getattr(k, "needs_covered_teacher_periods", None),
    "due_moved": getattr(k, "due_moved", None),
    "below": getattr(k, "quota_schools_below", None),
}))
"""

PA_CHILD = """
import sys
from twinning import load_instance, solve
inst = load_instance(sys.argv[1])
result = solve(inst, "pairs,alliances", time_limit=float(sys.argv[3]))
open(sys.argv[2], "w", encoding="utf-8").write(result.plan.to_json())
"""


def counts(inst: Instance, plan: Plan, dist: Distances) -> dict[str, str]:
    """The travel objections as counts, with the plan's spread of km."""
    staff = {t.id: t for t in inst.staff}
    speed = inst.policy.itinerant.speed_kmh
    moves = [m for m in plan.roster if m.kind in MOVES]
    km = [dist.km(m.from_school, m.to_school) for m in moves]

    def minutes(m: Any, k: float) -> float:
        given = dist.given_minutes(m.from_school, m.to_school)
        return given if given is not None else 60.0 * k / speed

    mins = [minutes(m, k) for m, k in zip(moves, km, strict=True)]
    young = [
        (m, k)
        for m, k in zip(moves, km, strict=True)
        if staff[m.staff].role == "teacher"
        and staff[m.staff].age is not None
        and YOUNG[0] <= (staff[m.staff].age or 0) <= YOUNG[1]
    ]
    own = [
        (m, k)
        for m, k in zip(moves, km, strict=True)
        if staff[m.staff].max_km is not None and k > (staff[m.staff].max_km or 0.0) + 1e-9
    ]
    return {
        "moves (exchanges, secondments, changes of head)": str(len(moves)),
        f"...over {FAR_KM:g} km one way": str(sum(1 for k in km if k > FAR_KM)),
        f"teachers aged {YOUNG[0]}-{YOUNG[1]} moved over {YOUNG_KM:g} km": (
            f"{sum(1 for _, k in young if k > YOUNG_KM)} of {len(young)}"
        ),
        f"moves over 60 / 90 minutes one way (at {speed:g} km/h)": (
            f"{sum(1 for x in mins if x > 60)} / {sum(1 for x in mins if x > 90)}"
        ),
        "longest / median move, km": (
            f"{max(km):.1f} / {statistics.median(km):.1f}" if km else "-"
        ),
        "moves beyond the person's own max_km (in the data)": str(len(own)),
    }


def run(python: str, args: list[str]) -> dict[str, Any]:
    """One child's solve; a crash is noted and reported as failed."""
    proc = subprocess.run([python, "-c", CHILD, *args], cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        benchkit.note_failure(f"{python}: exit {proc.returncode}")
        print(proc.stderr[-2000:], file=sys.stderr)
        return {"status": "failed"}
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def fmt(got: dict[str, Any], key: str, pattern: str = "{}") -> str:
    value = got.get(key)
    return "-" if value is None else pattern.format(value)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("instance", nargs="?")
    parser.add_argument("--md", type=Path)
    parser.add_argument("--note", default="", help="a paragraph written under the tables")
    parser.add_argument("--before", help="the older install's interpreter")
    parser.add_argument("--before-label", default="before")
    parser.add_argument("--after", default=sys.executable)
    parser.add_argument("--seeds", default="0", help="search seeds, comma-separated")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--minutes", default="60,90", help="rotation.max_minutes scenarios")
    parser.add_argument("--young-km", type=float, default=30.0)
    benchkit.options(parser)
    args = parser.parse_args()
    if args.smoke:
        args.md = benchkit.own_file(args, args.md or benchkit.results_file(args, "people.md"))
        if args.instance is None:
            args.instance = str(ROOT / "instances" / "demo-county")
            args.before = args.before or sys.executable
            args.time_limit = 10.0
            args.minutes = "60"
    if args.instance is None or args.before is None:
        parser.error("give an instance and --before PYTHON")
    folder = Path(tempfile.mkdtemp(prefix="twinning-travel-"))  # never the results
    pa = folder / "pa.json"
    subprocess.run(
        [args.after, "-c", PA_CHILD, args.instance, str(pa), str(args.time_limit)],
        cwd=ROOT,
        check=True,
    )
    seeds = [int(x) for x in args.seeds.split(",")]
    scenarios: list[tuple[str, str, dict[str, Any], float]] = [
        (args.before_label, args.before, {}, 0.0),
        ("after", args.after, {}, 0.0),
    ]
    extra = [
        (f"after, max_minutes {m}", args.after, {"rotation.max_minutes": float(m)}, 0.0)
        for m in args.minutes.split(",")
        if m
    ]
    extra.append((f"after, aged 25-35 max_km {args.young_km:g}", args.after, {}, args.young_km))
    got: dict[tuple[str, int], dict[str, Any]] = {}
    plans: dict[str, Path] = {}
    with benchkit.LoadWatch() as watch:
        for seed in seeds:
            for label, python, settings, young in scenarios + (extra if seed == seeds[0] else []):
                plan = folder / f"{len(plans)}-{seed}.json"
                got[(label, seed)] = run(
                    python,
                    [
                        args.instance,
                        str(pa),
                        str(plan),
                        str(args.time_limit),
                        str(seed),
                        json.dumps(settings),
                        str(young),
                    ],
                )
                if seed == seeds[0]:
                    plans[label] = plan
    inst = load_instance(args.instance)
    dist = Distances(inst)
    labels = list(plans)
    rows: dict[str, list[str]] = {}
    for label in labels:
        path = plans[label]
        if not path.exists():
            continue
        plan = Plan.from_json(path.read_text(encoding="utf-8"))
        for key, value in counts(inst, plan, dist).items():
            rows.setdefault(key, []).append(value)
    first = {label: got[(label, seeds[0])] for label in labels}
    rows["roster status"] = [fmt(first[x], "status") for x in labels]
    rows["shortages covered, teacher-periods"] = [fmt(first[x], "covered") for x in labels]
    rows["due staff moved"] = [fmt(first[x], "due_moved") for x in labels]
    rows["quota schools below"] = [fmt(first[x], "below") for x in labels]
    name = Path(args.instance).name
    lines = [f"| on {name} | " + " | ".join(labels) + " |", "|---|" + "---|" * len(labels)]
    lines += [f"| {k} | " + " | ".join(vs) + " |" for k, vs in rows.items()]
    timing = []
    for seed in seeds:
        row = [str(seed)]
        for label, _, _, _ in scenarios:
            g = got[(label, seed)]
            secs = "-" if g.get("seconds") is None else f"{g['seconds']:.2f}"
            gap = "-" if g.get("gap") is None else f"{100 * g['gap']:.3f}%"
            row += [str(g.get("status")), secs, gap]
        timing.append(row)
    head = ["seed"]
    for label, _, _, _ in scenarios:
        head += [f"{label} status", f"{label} roster s", f"{label} gap"]
    lines += [
        "",
        f"The roster on the same pairs and alliances (--time-limit {args.time_limit:g}), "
        "the sides alternating per seed:",
        "",
        *benchkit.table(head, timing),
        "",
        f"{benchkit.machine()}; {watch.summary()}.",
    ]
    print("\n".join(lines))
    if args.md:
        command = "python tests/benchmarks/people_travel.py " + shlex.join(sys.argv[1:])
        heading = f"{HEADING}: {name}"
        section = f"{heading}\n\nCommand: `{command}`, {date.today()}\n\n" + "\n".join(lines) + "\n"
        if args.note:
            section += "\n" + args.note + "\n"
        write_section(args.md, heading, section)
        print(f"written {args.md}")
    return benchkit.exit_code(args)


if __name__ == "__main__":
    sys.exit(main())
