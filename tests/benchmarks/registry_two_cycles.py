"""Figures of the registry's two-cycle run on haicheng-like (tests/benchmarks/results/registry.md).

Run the commands in that file first (they leave DIR/c1, DIR/c2 and DIR/county.db); then

    python tests/benchmarks/registry_two_cycles.py DIR [--pg URL]

prints pairs and movers repeated from cycle 1 in cycle 2, the staff whose years at school
were advanced, and the history export against what a hand-kept history.csv would hold.
With ``--pg`` it also races two adopting processes on PostgreSQL (same county and cycle,
then different counties) and kills an adoption midway, printing each outcome.
"""

from __future__ import annotations

import argparse
import csv
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

from twinning import Plan, load_instance
from twinning.county.instance import with_policy
from twinning.registry import adoption_records, merge_registry, registry_url, row_counts
from twinning.registry.store import MOVE_KINDS

ROOT = Path(__file__).resolve().parents[2]
HAICHENG = ROOT / "instances" / "haicheng-like"


def hand_kept(plan: Plan, cycle: str) -> set[tuple[str, ...]]:
    """The rows a planner would type for an adopted plan, off its tables."""
    rows = {("pair", cycle, "", p.helper, p.helped, "") for p in plan.pairs}
    rows |= {
        ("alliance", cycle, "", m.lead, m.member, "") for m in plan.alliances if m.member != m.lead
    }
    for m in plan.roster:
        if m.kind in MOVE_KINDS:
            rows.add(("exchange", cycle, m.staff, m.from_school, m.to_school, ""))
        elif m.kind == "mentor":
            rows.add(("mentor", cycle, m.staff, m.from_school, m.to_school, m.mentee or ""))
    return rows


def exported(path: Path) -> list[tuple[str, ...]]:
    with path.open(encoding="utf-8") as fh:
        cols = ("kind", "period", "staff", "from_school", "to_school", "mentee")
        return [tuple(r.get(c) or "" for c in cols) for r in csv.DictReader(fh)]


def two_cycles(folder: Path) -> None:
    db = str(folder / "county.db")
    first = Plan.from_json((folder / "c1" / "plan.json").read_text(encoding="utf-8"))
    second = Plan.from_json((folder / "c2" / "plan.json").read_text(encoding="utf-8"))
    pairs1 = {(p.helper, p.helped) for p in first.pairs}
    pairs2 = {(p.helper, p.helped) for p in second.pairs}
    movers1 = {m.staff for m in first.roster if m.kind in MOVE_KINDS}
    movers2 = {m.staff for m in second.roster if m.kind in MOVE_KINDS}
    print(
        f"cycle 1: {len(pairs1)} pairs, {len(movers1)} movers; cycle 2: {len(pairs2)} pairs, "
        f"{len(movers2)} movers"
    )
    print(f"pairs repeated: {len(pairs1 & pairs2)}; movers repeated: {len(movers1 & movers2)}")
    inst = load_instance(HAICHENG)
    nxt = with_policy(inst, second.settings)
    merged = merge_registry(nxt, db, "haicheng-like", "2026-2027")
    print(
        f"years at school advanced: {merged.advanced} of {len(inst.staff)} staff, by "
        f"{merged.advanced_by} (since {merged.snapshot_cycle}); history rows added "
        f"{merged.added}; contradictions {len(merged.contradictions)}"
    )
    before = {t.id: t.years_at_school for t in inst.staff}
    after = {t.id: t.years_at_school for t in merged.instance.staff}
    print(f"  sum of years before {sum(before.values())}, after {sum(after.values())}")
    for name, plans in (
        ("hist1", [("2025-2026", first)]),
        ("hist2", [("2025-2026", first), ("2026-2027", second)]),
    ):
        rows = exported(folder / name / "history.csv")
        expect = set().union(*(hand_kept(p, c) for c, p in plans))
        print(
            f"{name}/history.csv: {len(rows)} rows, hand-kept equivalent {len(expect)} rows, "
            f"equal as sets {set(rows) == expect}, duplicates {len(rows) - len(set(rows))}"
        )
    print(
        "records:",
        [(r.cycle, r.status, r.adopted_by) for r in adoption_records(db, "haicheng-like")],
    )
    print("row counts:", row_counts(db))


ADOPTER = f"""
import sys, time
from pathlib import Path
from twinning import Plan, load_instance
from twinning.registry import AdoptionRefused, adopt
url, plan_file, county, go = sys.argv[1:5]
import sqlalchemy as sa
from sqlalchemy.engine import Engine
pause = float(sys.argv[5])
wrote = []
# The test's own pause: after the adoption's rows are written, before they are committed
# (SQLAlchemy's engine events, so that the product holds no test hook).
@sa.event.listens_for(Engine, "after_execute")
def _seen(conn, clause, *args):
    if pause and "INSERT INTO adoptions" in str(clause):
        wrote.append(1)
@sa.event.listens_for(Engine, "commit")
def _pause(conn):
    if wrote:
        sys.stderr.write("pausing before commit\\n")
        sys.stderr.flush()
        time.sleep(pause)
inst = load_instance({str(HAICHENG)!r})
plan = Plan.from_json(Path(plan_file).read_text(encoding="utf-8"))
print("ready", flush=True)
while not Path(go).exists():
    time.sleep(0.01)
t = time.perf_counter()
try:
    adopt(url, inst, plan, county=county, by=county)
except AdoptionRefused as exc:
    print(f"refused after {{time.perf_counter() - t:.2f}} s: {{exc}}", flush=True)
    sys.exit(3)
print(f"adopted in {{time.perf_counter() - t:.2f}} s", flush=True)
"""


def race(url: str, plan_file: Path, counties: list[str], pause: str) -> None:
    go = Path(f"/tmp/registry-go-{uuid.uuid4().hex}")
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", ADOPTER, url, str(plan_file), c, str(go), pause],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for c in counties
    ]
    for p in procs:
        assert p.stdout is not None and p.stdout.readline().strip() == "ready"
    go.touch()
    for c, p in zip(counties, procs, strict=True):
        out, _ = p.communicate(timeout=300)
        print(f"  {c}: exit {p.returncode}: {out.strip()}")
    go.unlink()


def killed(url: str, plan_file: Path) -> None:
    before = row_counts(url)
    go = Path(f"/tmp/registry-go-{uuid.uuid4().hex}")
    go.touch()
    p = subprocess.Popen(
        [sys.executable, "-c", ADOPTER, url, str(plan_file), "killed", str(go), "300"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert p.stderr is not None
    while "pausing before commit" not in p.stderr.readline():
        pass
    p.send_signal(signal.SIGKILL)
    p.wait()
    go.unlink()
    after = row_counts(url)
    print(
        f"  killed with SIGKILL (exit {p.returncode}) after writing its rows: row counts "
        f"unchanged {before == after} ({sum(after.values())} rows); records of county "
        f"'killed': {len(adoption_records(url, 'killed'))}"
    )


def postgres(base: str, folder: Path) -> None:
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(registry_url(base))
    with admin.begin() as conn:
        conn.execute(sa.schema.CreateSchema(schema))
    url = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    plan_file = folder / "c1" / "plan.json"
    try:
        row_counts(url)  # migrate first: the race is the adoption's
        print(
            "PostgreSQL, same county and cycle, two processes at once (each pauses 2 s "
            "before commit):"
        )
        race(url, plan_file, ["haicheng-like", "haicheng-like"], "2")
        print("PostgreSQL, different counties, two processes at once:")
        race(url, plan_file, ["east", "west"], "2")
        print(
            "  records:",
            {
                c: [r.status for r in adoption_records(url, c)]
                for c in ("haicheng-like", "east", "west")
            },
        )
        print("PostgreSQL, an adoption killed midway:")
        killed(url, plan_file)
    finally:
        with admin.begin() as conn:
            conn.execute(sa.schema.DropSchema(schema, cascade=True))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--pg")
    args = parser.parse_args()
    t = time.perf_counter()
    two_cycles(args.folder)
    if args.pg:
        postgres(args.pg, args.folder)
    print(f"({time.perf_counter() - t:.1f} s)")


if __name__ == "__main__":
    main()
