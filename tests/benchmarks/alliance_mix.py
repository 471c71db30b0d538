"""Town-to-village exchange on generated small counties: alliances that mix town and
village, and the roster moves they allow.

Run from the repository root::

    python tests/benchmarks/alliance_mix.py [--seeds 0,1,2,3,4] [--schools 25] [--md FILE]

For each seed it generates a county (``twinning generate``'s tables and policy), solves
pairs, alliances and roster deterministically, and counts: alliances; alliances holding
both urban/town and rural schools; the largest share of the county's urban/town schools
in one alliance; roster moves from urban/town schools to rural ones and back; the
rotation.rate shortfalls the checker lists; status. The script uses only ``solve``,
``validate`` and the generator, so an older checkout can run it too (for before/after).
``--smoke`` (CI) runs seed 0 with a 10-second limit and appends to ``alliance-mix.md`` in a
temporary folder.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks import benchkit  # noqa: E402
from twinning import solve, validate  # noqa: E402
from twinning.io.readers import load_instance  # noqa: E402
from twinning.synthetic.county import county_policy, generate_county, write_county  # noqa: E402


def measure(seed: int, schools: int, limit: float = 60.0) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        tables = generate_county(schools, schools * 20, seed=seed)
        stages = list(tables["schools"]["stage"])
        try:
            policy = county_policy(schools, None, stages)
        except TypeError:  # an older checkout: one count for the county
            policy = county_policy(schools)
        write_county(tables, Path(tmp) / "c", policy=policy)
        inst = load_instance(Path(tmp) / "c")
    start = time.perf_counter()
    result = solve(inst, time_limit=limit, deterministic=True, seed=1)
    seconds = time.perf_counter() - start
    area = {s.id: s.area for s in inst.schools}
    town = {sid for sid, a in area.items() if a != "rural"}
    groups: dict[str, set[str]] = {}
    for m in result.plan.alliances:
        groups.setdefault(m.alliance, set()).add(m.member)
    mixed = sum(1 for ms in groups.values() if ms & town and ms - town)
    most_town = max((len(ms & town) for ms in groups.values()), default=0)
    moves = Counter(
        ("down" if m.from_school in town and m.to_school not in town else "up")
        for m in result.plan.roster
        if (m.from_school in town) != (m.to_school in town)
    )
    report = validate(inst, result.plan)
    short = sum(1 for v in report.violations if v.rule == "rotation.rate")
    return {
        "seed": seed,
        "alliances": len(groups),
        "mixed": mixed,
        "town_schools": len(town),
        "most_town_in_one": most_town,
        "town_to_village": moves["down"],
        "village_to_town": moves["up"],
        "rate_short": short,
        "status": result.status,
        "seconds": round(seconds, 2),
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", default="0,1,2,3,4")
    ap.add_argument("--schools", type=int, default=25)
    ap.add_argument("--limit", type=float, default=60.0)
    ap.add_argument("--md", type=Path, default=None, help="a Markdown file to append the rows to")
    ap.add_argument("--label", default="today")
    benchkit.options(ap)
    args = ap.parse_args()
    if args.smoke:
        args.seeds, args.schools, args.limit = "0", 25, 10.0
        args.md = benchkit.own_file(args, args.md or benchkit.results_file(args, "alliance-mix.md"))
    rows = [measure(int(s), args.schools, args.limit) for s in args.seeds.split(",")]
    head = list(rows[0])
    lines = [
        "| version | " + " | ".join(head) + " |",
        "|---|" + "---|" * len(head),
    ]
    lines += ["| " + args.label + " | " + " | ".join(str(r[k]) for k in head) + " |" for r in rows]
    print("\n".join(lines))
    if args.md:
        with open(args.md, "a", encoding="utf-8") as fh:
            fh.write("\n".join(lines[2:] if args.md.stat().st_size else lines) + "\n")
        print(f"written {args.md}")
    return benchkit.exit_code(args)


if __name__ == "__main__":
    sys.exit(main())
