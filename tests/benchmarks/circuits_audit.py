"""Audit of a plan's 走教 circuits: the counts a bureau objects to first (issue 26).

Run from the repository root::

    python tests/benchmarks/circuits_audit.py --case LABEL INSTANCE PLAN.json [--case ...]

For each case: cross-hauled (school, subject) pairs (a school both sends and receives
circuit teachers of a subject), circuit teachers from schools still short of their subject
after the plan, circuit teachers under 6 lessons a week away, the most circuit teachers
one school receives, the share of circuit lessons at rural or weak schools, stops outside
the home school's alliance, circuit teachers past the rotation's age exemption, and the
lessons covered (本校代课 and circuits; circuits alone). A stop is a line of circuits.csv
away from home. Results go to ``tests/benchmarks/results/circuits.md`` (``--out DIR``:
there instead); ``--smoke`` (CI) audits a small generated county solved here.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import tempfile
from collections import defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from twinning import load_instance  # noqa: E402
from twinning.county.instance import Instance  # noqa: E402
from twinning.plan import Plan  # noqa: E402
from twinning.planfile import read_plan  # noqa: E402
from twinning.rules.itinerant import weekly_needs  # noqa: E402
from twinning.rules.roster import age_exempt  # noqa: E402

HEADER = [
    "case",
    "cross-hauled pairs",
    "circuit teachers from schools still short",
    "circuit teachers under 6 lessons",
    "most visitors at one school",
    "share of circuit lessons at rural or weak schools",
    "stops outside the alliance",
    "circuit teachers past the exemption",
    "circuit teachers",
    "lessons covered (本校代课 + circuits)",
    "circuit lessons",
    "lessons needed",
]


def audit(inst: Instance, plan: Plan) -> list[str]:
    schools = {s.id: s for s in inst.schools}
    staff = {t.id: t for t in inst.staff}
    rows = list(plan.circuits)
    trips = [c for c in rows if c.school != c.home_school]
    needs = weekly_needs(inst, plan.unmet_needs if "roster" in plan.parts else None)
    covered: dict[tuple[str, str], int] = defaultdict(int)
    for c in rows:
        covered[(c.school, c.subject)] += c.lessons
    sends = {(c.home_school, c.subject) for c in trips}
    receives = {(c.school, c.subject) for c in trips}
    short_senders = {
        c.staff
        for c in trips
        if (k := (c.home_school, c.subject)) in needs and needs[k].lessons > covered[k]
    }
    away: dict[str, int] = defaultdict(int)
    for c in trips:
        away[c.staff] += c.lessons
    visitors: dict[str, set[str]] = defaultdict(set)
    for c in trips:
        visitors[c.school].add(c.staff)
    lessons = sum(c.lessons for c in trips)
    rural_weak = sum(
        c.lessons
        for c in trips
        if schools[c.school].area == "rural" or schools[c.school].tier == "weak"
    )
    group: dict[str, set[str]] = defaultdict(set)
    for m in plan.alliances:
        group[m.member].add(m.alliance)
    outside = sum(1 for c in trips if not group[c.home_school] & group[c.school])
    old = {c.staff for c in trips if c.staff in staff and age_exempt(inst, staff[c.staff])}
    return [
        str(len(sends & receives)),
        str(len(short_senders)),
        str(sum(1 for n in away.values() if n < 6)),
        str(max((len(v) for v in visitors.values()), default=0)),
        f"{rural_weak / lessons:.0%}" if lessons else "-",
        f"{outside} of {len(trips)}",
        str(len(old)),
        str(len(away)),
        str(sum(c.lessons for c in rows)),
        str(lessons),
        str(sum(n.lessons for n in needs.values())),
    ]


def table(cases: list[tuple[str, Instance, Plan]]) -> list[str]:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    for label, inst, plan in cases:
        lines.append("| " + " | ".join([label, *audit(inst, plan)]) + " |")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--case", nargs=3, action="append", default=[], metavar=("LABEL", "INSTANCE", "PLAN")
    )
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    cases: list[tuple[str, Instance, Plan]] = []
    if args.smoke:
        from twinning import solve
        from twinning.io.readers import instance_from_frames
        from twinning.synthetic.county import generate_county

        inst = instance_from_frames("smoke", generate_county(40, 1200, seed=3), None)
        inst = inst.model_copy(
            update={
                "policy": inst.policy.model_copy(
                    update={
                        "itinerant": inst.policy.itinerant.model_copy(update={"scope": "county"})
                    }
                )
            }
        )
        cases.append(("smoke", inst, solve(inst, "itinerant", time_limit=20).plan))
    for label, folder, plan in args.case:
        inst = load_instance(folder)
        cases.append((label, inst, read_plan(plan)))
    lines = table(cases)
    print("\n".join(lines))
    out = args.out or (
        Path(tempfile.mkdtemp()) if args.smoke else ROOT / "tests/benchmarks/results"
    )
    text = [
        "# 走教 circuits audit",
        "",
        "Command: `python tests/benchmarks/circuits_audit.py " + shlex.join(sys.argv[1:]) + "`",
        "",
        f"Date {date.today()}.",
        "",
        *lines,
        "",
    ]
    (out / "circuits.md").write_text("\n".join(text), encoding="utf-8")


if __name__ == "__main__":
    main()
