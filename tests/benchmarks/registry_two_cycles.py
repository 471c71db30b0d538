"""Figures of the registry's two-cycle run on haicheng-like (tests/benchmarks/results/registry.md).

Run the commands in that file first (they leave DIR/c1, DIR/c2 and DIR/county.db); then

    python tests/benchmarks/registry_two_cycles.py DIR [--pg URL]

prints pairs and movers repeated from cycle 1 in cycle 2, the staff whose years at school
were advanced, and the history export against what a hand-kept history.csv would hold.
With ``--pg`` it also races two adopting processes on PostgreSQL (same county and cycle,
then different counties) and kills an adoption midway, printing each outcome.

``--smoke`` (CI) makes the two cycles itself, with the same commands on demo-county (short
solves, plan.json only) in FOLDER, ``--out`` or a temporary folder, then prints the same
figures (with ``--pg``, on PostgreSQL too, with shorter pauses).
"""

from __future__ import annotations

import argparse
import csv
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks import benchkit  # noqa: E402
from twinning import Plan, load_instance  # noqa: E402
from twinning.county.instance import with_policy  # noqa: E402
from twinning.registry import (  # noqa: E402
    adoption_records,
    merge_registry,
    registry_url,
    row_counts,
)
from twinning.registry.store import MOVE_KINDS, open_registry  # noqa: E402

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


def two_cycles(folder: Path, instance: Path) -> None:
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
    inst = load_instance(instance)
    nxt = with_policy(inst, second.settings)
    merged = merge_registry(nxt, db, instance.name, "2026-2027")
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
        [(r.cycle, r.status, r.adopted_by) for r in adoption_records(db, instance.name)],
    )
    print("row counts:", row_counts(db))


ADOPTER = """
import sys, time
from pathlib import Path
from twinning import Plan, load_instance
from twinning.registry import AdoptionRefused, adopt
url, plan_file, county, go = sys.argv[1:5]
import sqlalchemy as sa
from sqlalchemy.engine import Engine
pause = float(sys.argv[5])
instance = sys.argv[6]
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
inst = load_instance(instance)
plan = Plan.from_json(Path(plan_file).read_text(encoding="utf-8"))
print("ready", flush=True)
while not Path(go).exists():
    time.sleep(0.01)
t = time.perf_counter()
try:
    adopt(url, inst, plan, county=county, by=county)
except AdoptionRefused as exc:
    print(f"refused after {time.perf_counter() - t:.2f} s: {exc}", flush=True)
    sys.exit(3)
print(f"adopted in {time.perf_counter() - t:.2f} s", flush=True)
"""


def race(url: str, plan_file: Path, counties: list[str], pause: str, instance: Path) -> None:
    go = Path(f"/tmp/registry-go-{uuid.uuid4().hex}")
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", ADOPTER, url, str(plan_file), c, str(go), pause, str(instance)],
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


def killed(url: str, plan_file: Path, instance: Path) -> None:
    before = row_counts(url)
    go = Path(f"/tmp/registry-go-{uuid.uuid4().hex}")
    go.touch()
    p = subprocess.Popen(
        [
            sys.executable,
            "-c",
            ADOPTER,
            url,
            str(plan_file),
            "killed",
            str(go),
            "300",
            str(instance),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert p.stderr is not None
    while "pausing before commit" not in (line := p.stderr.readline()):
        if not line:  # the adopter ended before it paused: a failure, not a kill
            p.wait()
            benchkit.note_failure(f"the adoption to kill exited {p.returncode} first")
            go.unlink()
            return
    p.send_signal(signal.SIGKILL)
    p.wait()
    go.unlink()
    after = row_counts(url)
    print(
        f"  killed with SIGKILL (exit {p.returncode}) after writing its rows: row counts "
        f"unchanged {before == after} ({sum(after.values())} rows); records of county "
        f"'killed': {len(adoption_records(url, 'killed'))}"
    )


def postgres(base: str, folder: Path, instance: Path, pause: str = "2") -> None:
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(registry_url(base))
    with admin.begin() as conn:
        conn.execute(sa.schema.CreateSchema(schema))
    url = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    plan_file = folder / "c1" / "plan.json"
    try:
        with open_registry(url):  # create and migrate first: the race is the adoption's
            pass
        print(
            f"PostgreSQL, same county and cycle, two processes at once (each pauses {pause} s "
            "before commit):"
        )
        name = instance.name
        race(url, plan_file, [name, name], pause, instance)
        print("PostgreSQL, different counties, two processes at once:")
        race(url, plan_file, ["east", "west"], pause, instance)
        print(
            "  records:",
            {c: [r.status for r in adoption_records(url, c)] for c in (name, "east", "west")},
        )
        print("PostgreSQL, an adoption killed midway:")
        killed(url, plan_file, instance)
    finally:
        with admin.begin() as conn:
            conn.execute(sa.schema.DropSchema(schema, cascade=True))
        admin.dispose()


def twinning(*args: str) -> None:
    """One command, as results/registry.md runs it (in this process); a failure ends the
    run."""
    from typer.testing import CliRunner

    from twinning.cli.main import app

    done = CliRunner().invoke(app, list(args))
    print(f"$ twinning {' '.join(args)}: exit {done.exit_code}", flush=True)
    if done.exit_code != 0:
        sys.stderr.write(done.output)
        raise SystemExit(f"twinning {args[0]} exited {done.exit_code}: {done.exception!r}")


def make_cycles(folder: Path, instance: Path, limit: float) -> None:
    """The two cycles of results/registry.md: solve, adopt, solve again, adopt, export."""
    folder.mkdir(parents=True, exist_ok=True)
    db = str(folder / "county.db")
    short = ["--time-limit", f"{limit:g}", "--format", "json", "-q"]
    # The first cycle has no registry yet (reading one that does not exist is refused): its
    # adoption creates it.
    # (haicheng-like's hosts cannot take a school year's exchange for every quota: both
    # cycles hold the schools below at what they can send, each listed with its reason)
    twinning("solve", str(instance), "-o", str(folder / "c1"), *short,
             "--set", "rotation.cap_quota=true")  # fmt: skip
    twinning("adopt", str(instance), str(folder / "c1" / "plan.json"), "--registry", db,
             "--by", "smoke", "--note", "cycle 1")  # fmt: skip
    twinning("solve", str(instance), "-o", str(folder / "c2"), "--registry", db, *short,
             "--set", 'horizon.periods=["2026-2027-1","2026-2027-2"]',
             "--set", "rotation.cap_quota=true")  # fmt: skip
    twinning("adopt", str(instance), str(folder / "c2" / "plan.json"), "--registry", db,
             "--by", "smoke", "--note", "cycle 2")  # fmt: skip
    twinning("history", "--registry", db, "--cycle", "2025-2026", "-o", str(folder / "hist1"))
    twinning("history", "--registry", db, "-o", str(folder / "hist2"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path, nargs="?")
    parser.add_argument("--pg")
    parser.add_argument("--instance", type=Path, default=HAICHENG)
    benchkit.options(parser)
    args = parser.parse_args()
    t = time.perf_counter()
    pause = "2"
    if args.smoke:
        args.instance, pause = ROOT / "instances" / "demo-county", "0.5"
        if args.folder is None:
            args.folder = args.out or Path(tempfile.mkdtemp(prefix="twinning-bench-smoke-"))
        make_cycles(args.folder, args.instance, 5.0)
    if args.folder is None:
        parser.error("give the folder the commands of results/registry.md wrote")
    two_cycles(args.folder, args.instance)
    if args.pg:
        postgres(args.pg, args.folder, args.instance, pause)
    print(f"({time.perf_counter() - t:.1f} s)")
    return benchkit.exit_code(args)


if __name__ == "__main__":
    sys.exit(main())
