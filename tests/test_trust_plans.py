"""The validator checks what a plan holds, whatever it claims: rows naming what the
instance lacks, rows twice, numbers that are not finite, rows of parts it does not list;
and every command takes a plan made before the county changed without a traceback."""

from __future__ import annotations

import csv
import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import INSTANCES
from twinning import load_instance, validate
from twinning.plan import Plan

DEMO = INSTANCES / "demo-county"


def twinning(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "twinning.cli.main", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=600,
    )


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Plan]:
    work = tmp_path_factory.mktemp("trust")
    done = twinning("solve", str(DEMO), "-o", str(work / "plan"), "--time-limit", "20", cwd=work)
    assert done.returncode == 0, done.stderr
    return work, Plan.from_json((work / "plan" / "plan.json").read_text(encoding="utf-8"))


def _closed(work: Path, plan: Plan) -> tuple[Path, str]:
    """The demo county (same name) with one school closed that the plan pairs, groups and
    moves people to: its row and its staff gone."""
    pairs = {p.helped for p in plan.pairs}
    members = {m.member for m in plan.alliances if m.member != m.lead}
    hosts = {m.to_school for m in plan.roster}
    closed = sorted(pairs & members & hosts)[0]
    county = work / "after" / "demo-county"
    if county.exists():
        return county, closed
    shutil.copytree(DEMO, county)
    for name, column in (("schools.csv", "id"), ("staff.csv", "school"), ("needs.csv", "school")):
        path = county / name
        if not path.exists():
            continue
        rows = list(csv.DictReader(path.open(encoding="utf-8-sig")))
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(r for r in rows if r[column] != closed)
    history = county / "history.csv"
    if history.exists():
        rows = list(csv.DictReader(history.open(encoding="utf-8-sig")))
        with history.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(r for r in rows if closed not in r.values())
    return county, closed


def test_a_plan_made_before_a_school_closed_is_checked_never_a_crash(
    solved: tuple[Path, Plan],
) -> None:
    work, plan = solved
    county, closed = _closed(work, plan)
    plan_file = str(work / "plan" / "plan.json")
    check = twinning("validate", str(county), plan_file, cwd=work)
    assert check.returncode == 1, check.stderr
    named = [line for line in check.stdout.splitlines() if "plan.unknown_school" in line]
    assert named and all(closed in line for line in named)
    assert any("pairs line" in line for line in named)
    assert any("roster line" in line for line in named)
    assert any("alliances line" in line for line in named)
    commands = [
        ("report", str(county), plan_file, "--html", str(work / "r.html")),
        ("explain", str(county), plan_file),
        ("adopt", str(county), plan_file, "--registry", str(work / "reg.db")),
        ("solve", str(county), "-o", str(work / "b"), "--baseline", plan_file, "-q"),
        ("solve", str(county), "-o", str(work / "w"), "--parts", "roster", "--with", plan_file),
    ]
    for args in commands:
        done = (
            twinning(*args, "--time-limit", "20", cwd=work)
            if args[0] == "solve"
            else (twinning(*args, cwd=work))
        )
        assert done.returncode in (0, 1), (args, done.stderr)
        assert "Traceback" not in done.stderr and "defect" not in done.stderr, args
    # the re-plan keeps what still holds and says why each row naming the school went
    changes = list(csv.DictReader((work / "b" / "changes.csv").open(encoding="utf-8-sig")))
    gone = [c for c in changes if closed in c["row"] and c["change"] == "removed"]
    # each is forced by what the instance no longer has: the school, or its staff
    assert gone and all("the instance does not have" in c["why"] for c in gone)
    again = Plan.from_json((work / "b" / "plan.json").read_text(encoding="utf-8"))
    assert validate(load_instance(county), again).ok


def test_a_plan_is_checked_for_what_it_holds_not_what_it_claims(
    solved: tuple[Path, Plan],
) -> None:
    _, plan = solved
    inst = load_instance(DEMO)
    assert validate(inst, plan).ok
    moves = [m for m in plan.roster if m.kind == "exchange"]
    member = next(m for m in plan.alliances if m.member != m.lead)
    doctored = plan.model_copy(
        update={
            "parts": ["pairs"],
            "roster": [*plan.roster, moves[0]],  # one line given twice
            "alliances": [m for m in plan.alliances if m != member],  # a school dropped
        }
    )
    found = {v.rule for v in validate(inst, doctored).violations}
    assert {"plan.parts", "plan.duplicates", "rotation.one_move", "alliances.cover"} <= found
    dup = next(v for v in validate(inst, doctored).violations if v.rule == "plan.duplicates")
    assert dup.params["table"] == "roster" and dup.params["line"] == len(plan.roster) + 1


def test_a_number_that_is_not_finite_makes_a_plan_invalid(solved: tuple[Path, Plan]) -> None:
    work, plan = solved
    inst = load_instance(DEMO)
    pair = plan.pairs[0].model_copy(update={"distance_km": math.nan})
    bad = plan.model_copy(update={"pairs": [pair, *plan.pairs[1:]]})
    found = [v for v in validate(inst, bad).violations if v.rule == "plan.finite"]
    assert found and found[0].params["line"] == 1 and found[0].params["field"] == "distance_km"
    # from disk it is refused as it is read (exit 2, one line naming the file)
    data = json.loads(plan.to_json())
    data["pairs"][0]["distance_km"] = "NaN"
    text = json.dumps(data).replace('"NaN"', "NaN")
    path = work / "nan.json"
    path.write_text(text, encoding="utf-8")
    done = twinning("validate", str(DEMO), str(path), cwd=work)
    assert done.returncode == 2 and "nan.json" in done.stderr and "Traceback" not in done.stderr


def test_a_plan_of_another_county_is_no_baseline(solved: tuple[Path, Plan]) -> None:
    work, _ = solved
    other = work / "other-county"
    if not other.exists():
        shutil.copytree(DEMO, other)
    done = twinning(
        "solve", str(other), "-o", str(work / "o2"), "--baseline",
        str(work / "plan" / "plan.json"), "--time-limit", "5", cwd=work,
    )  # fmt: skip
    assert done.returncode == 2
    assert "--baseline" in done.stderr and "demo-county" in done.stderr


def test_a_partial_plan_is_adopted_only_as_partial(solved: tuple[Path, Plan]) -> None:
    import sqlite3

    work, _ = solved
    out = work / "pairs-only"
    done = twinning("solve", str(DEMO), "-o", str(out), "--parts", "pairs", cwd=work)
    assert done.returncode == 0
    registry = work / "partial.db"
    plan_file = str(out / "plan.json")
    refused = twinning("adopt", str(DEMO), plan_file, "--registry", str(registry), cwd=work)
    assert refused.returncode == 2 and "--partial" in refused.stderr
    taken = twinning(
        "adopt", str(DEMO), plan_file, "--registry", str(registry), "--partial", cwd=work
    )
    assert taken.returncode == 0, taken.stderr
    with sqlite3.connect(registry) as db:
        ((kpis,),) = db.execute("SELECT kpis FROM adoptions").fetchall()
    assert json.loads(kpis)["partial"] is True
    assert "roster" in json.loads(kpis)["missing"]
