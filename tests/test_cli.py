"""The command line end to end: shipped instances, the broken corpus, exit codes."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import INSTANCES, as_vehicle, demo_vehicle
from twinning.cli.main import app

INVALID = sorted((INSTANCES / "invalid").iterdir())
INVALID = [p for p in INVALID if p.name != "README.md"]

#: For each broken input: the place the message must name.
EXPECTED = {
    "distances-unknown-school": ["distances.csv", "row 3", "'to'", "S3"],
    "duplicate-school-id": ["schools.csv", "row 4", "'id'", "S2"],
    "empty-file": ["schools.csv", "empty"],
    "header-only": ["schools.csv", "no rows"],
    "latitude-out-of-range": ["schools.csv", "row 3", "'lat'", "140.9"],
    "missing-column": ["schools.csv", "'tier'"],
    "missing-schools": ["schools.csv", "missing"],
    "missing-schools-sheet.xlsx": ["missing-schools-sheet.xlsx", "[schools]"],
    "needs-unknown-school": ["needs.csv", "row 3", "'school'", "S7"],
    "negative-students": ["schools.csv", "row 3", "'students'", "-5"],
    "non-numeric-years": ["staff.csv", "row 2", "'years_at_school'", "three"],
    "not-a-list.json": ["not-a-list.json", "object"],
    "policy-not-toml": ["policy.toml", "TOML"],
    "policy-out-of-range": ["policy.toml", "rotation.rate", "1.5"],
    "policy-unknown-key": ["policy.toml", "rotation.speed", "unknown"],
    "random-bytes": ["schools.csv", "binary"],
    "staff-unknown-school": ["staff.csv", "row 3", "'school'", "S9"],
    "teacher-without-subject": ["staff.csv", "row 2", "'subject'"],
    "truncated.json": ["truncated.json", "JSON"],
    "unknown-role": ["staff.csv", "row 2", "'role'", "janitor"],
    "unknown-stage": ["schools.csv", "row 3", "'stage'", "college"],
    # Chinese headers: the whole message in Chinese, the column as the planner wrote it.
    "unknown-tier-chinese": [
        "schools.csv",
        "第3行",
        "'办学水平'列",
        "'优质'、'一般' 或 '薄弱'",
        "很差",
    ],
    "wrong-shape.json": ["wrong-shape.json", "schools"],
    "unknown-area": ["schools.csv", "row 3", "'area'", "suburb"],
    "unknown-stage-chinese": ["schools.csv", "第3行", "'学段'列", "'小学'", "大学"],
    "longitude-out-of-range": ["schools.csv", "row 3", "'lon'", "222.90"],
    "needs-non-numeric": ["needs.csv", "row 2", "'shortage'", "two"],
    "staff-header-only": ["staff.csv", "no rows"],
    "unknown-header-near-miss": [
        "staff.csv",
        "第1行",
        "无法识别列 '骨干等级'；是否应为 '骨干级别'？",
    ],
    "unknown-header-near-miss-english": [
        "staff.csv",
        "row 1",
        "column 'years_at_schol' is not known; did you mean 'years_at_school'?",
    ],
    "missing-column-chinese": ["错误：", "schools.csv", "第1行", "缺少必填列 '办学水平'"],
    "title-row-missing-column": ["schools.csv", "第2行", "缺少必填列 '办学水平'"],
    "negative-students-chinese": ["schools.csv", "第3行", "'学生数'列", "应大于或等于 0", "-5"],
    "non-numeric-years-chinese": ["staff.csv", "第2行", "'本校任职年限'列", "应为整数", "三年"],
    "bad-thousands": ["schools.csv", "row 3", "'students'", "valid integer", "21,34"],
    "staff-unknown-school-chinese": ["staff.csv", "第3行", "'学校代码'列", "没有这所学校", "S9"],
}


def twinning(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "twinning.cli.main", *args],
        capture_output=True,
        text=True,
        cwd=cwd or INSTANCES.parent,
        timeout=300,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"},
    )


def test_every_broken_input_has_an_expectation() -> None:
    assert {p.name for p in INVALID} == set(EXPECTED)


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_broken_input_refused_with_place_and_exit_2(path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = twinning("solve", str(path), "-o", str(out))
    assert run.returncode == 2, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    for fragment in EXPECTED[path.name]:
        assert fragment in run.stderr, (fragment, run.stderr)
    assert not out.exists()  # nothing half-written


def test_solve_and_validate_shipped_demo(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = twinning(
        "solve",
        str(INSTANCES / "demo-county"),
        "--parts",
        "pairs",
        "-o",
        str(out),
        "--format",
        "json,csv,xlsx",
    )
    assert run.returncode == 0, run.stderr
    assert {"plan.json", "summary.json", "pairs.csv", "unpaired.csv", "plan.xlsx"} <= {
        p.name for p in out.iterdir()
    }
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["status"] == "optimal" and summary["gap"] == 0
    header = (out / "pairs.csv").read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert {"helper", "helped", "distance_km", "why"} <= set(header)
    check = twinning("validate", str(INSTANCES / "demo-county"), str(out / "plan.json"))
    assert check.returncode == 0, check.stdout
    assert "valid" in check.stdout


def test_validate_reports_violations_with_exit_1(tmp_path: Path) -> None:
    demo = demo_vehicle(tmp_path)
    out = tmp_path / "out"
    assert twinning("solve", str(demo), "-o", str(out)).returncode == 0
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    first = plan["pairs"][0]
    plan["pairs"].append({**first, "helped": plan["pairs"][1]["helped"]})
    plan["pairs"].append({**first, "helped": plan["pairs"][2]["helped"]})
    (out / "bad.json").write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    run = twinning("validate", str(demo), str(out / "bad.json"))
    assert run.returncode == 1
    assert "twinning.max_helped" in run.stdout and "twinning.helped_once" in run.stdout


def test_validate_refuses_a_file_that_is_not_a_plan(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text('{"hello": 1}', encoding="utf-8")
    run = twinning("validate", str(INSTANCES / "demo-county"), str(tmp_path / "x.json"))
    assert run.returncode == 2 and "not a twinning plan" in run.stderr


def test_plan_json_is_canonical(tmp_path: Path) -> None:
    demo = demo_vehicle(tmp_path)
    for name in ("a", "b"):
        run = twinning("solve", str(demo), "-o", str(tmp_path / name))
        assert run.returncode == 0, run.stderr
    assert (tmp_path / "a" / "plan.json").read_bytes() == (
        tmp_path / "b" / "plan.json"
    ).read_bytes()


def test_schema_prints_instance_and_plan() -> None:
    run = twinning("schema")
    assert run.returncode == 0
    doc = json.loads(run.stdout)
    assert "schools" in doc["instance"]["properties"] and "pairs" in doc["plan"]["properties"]


def test_unknown_part_is_a_usage_error() -> None:
    run = twinning("solve", str(INSTANCES / "demo-county"), "--parts", "dragons", "-o", "/tmp/x")
    assert run.returncode == 2 and "dragons" in run.stderr


def _rate_misses(text: str) -> set[str]:
    """Schools a solve's message names as missing their rotation.rate quota."""
    flat = " ".join(text.split())  # the terminal wraps long messages
    assert "rotation.rate is missed at" in flat, text
    return set(re.findall(r"(S\d+) moves \d+ of \d+", flat))


def _checker_rate_misses(stdout: str) -> set[str]:
    """Schools ``twinning validate`` lists under rotation.rate."""
    return set(re.findall(r"violation \[rotation\.rate\] (S\d+):", stdout))


def test_generate_writes_a_county_that_solves(tmp_path: Path) -> None:
    # Seed 3: under the quota cap without sender protection its roster is feasible (seed 4's
    # needs a backbone teacher out where none can go, which is honestly infeasible).
    run = twinning(
        "generate", "--schools", "25", "--staff", "500", "--seed", "3", "-o", str(tmp_path / "g")
    )
    assert run.returncode == 0, run.stderr
    # Under its default policy its alliances mix town and village (alliances.mix_area), so
    # the roster (scope: alliance) has urban/town teachers going to village schools.
    default = twinning("solve", str(tmp_path / "g"), "-o", str(tmp_path / "d"))
    assert default.returncode in (0, 1) and "Traceback" not in default.stderr
    with open(tmp_path / "g" / "schools.csv", encoding="utf-8-sig") as fh:
        areas = {row["id"]: row["area"] for row in csv.DictReader(fh)}
    with open(tmp_path / "d" / "roster.csv", encoding="utf-8-sig") as fh:
        moves = list(csv.DictReader(fh))
    down = [
        m for m in moves if areas[m["from_school"]] != "rural" and areas[m["to_school"]] == "rural"
    ]
    assert down, "no town-to-village move"
    solved = twinning("solve", str(as_vehicle(tmp_path / "g")), "-o", str(tmp_path / "o"))
    assert solved.returncode == 0, solved.stdout + solved.stderr
    check = twinning("validate", str(tmp_path / "g"), str(tmp_path / "o" / "plan.json"))
    assert check.returncode == 0, check.stdout


def test_generated_county_under_its_default_policy_is_infeasible(tmp_path: Path) -> None:
    # A county made by twinning generate (the demo county's, before its planner set
    # cap_quota) cannot meet every school's rotation.rate quota: status infeasible, exit 1,
    # every school short named; the plan that comes closest is written and the checker
    # names the same schools.
    demo = tmp_path / "generated"
    made = twinning("generate", "--schools", "30", "--staff", "600", "--seed", "7", "-o", str(demo))
    assert made.returncode == 0, made.stderr
    out = tmp_path / "out"
    run = twinning("solve", str(demo), "-o", str(out))
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    named = _rate_misses(run.stdout + run.stderr)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["status"] == "infeasible"
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert plan["status"] == "infeasible" and "roster" in plan["parts"] and plan["roster"]
    check = twinning("validate", str(demo), str(out / "plan.json"))
    assert check.returncode == 1
    assert _checker_rate_misses(check.stdout) == named


def test_validator_never_imports_ortools() -> None:
    code = (
        "import sys; from twinning.io.readers import load_instance;"
        "from twinning.validation import validate;"
        "from twinning.plan import Plan;"
        f"i = load_instance({str(INSTANCES / 'demo-county')!r});"
        "validate(i, Plan(instance='x', parts=['pairs'], status='feasible', objective=0));"
        "print('ortools' in ' '.join(sys.modules))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=INSTANCES.parent,
        timeout=120,
    )
    assert run.stdout.strip() == "False", run.stderr


#: Run the command line in a process where OR-Tools, PuLP and HiGHS cannot be imported.
_WITHOUT_SOLVERS = """
import sys

class NoSolvers:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("ortools", "pulp", "highspy"):
            raise ImportError(f"{name} is not installed here")
        return None

sys.meta_path.insert(0, NoSolvers())
from twinning.cli.main import app
sys.argv = ["twinning", *sys.argv[1:]]
app()
"""


def test_validate_runs_where_ortools_cannot_be_imported(tmp_path: Path) -> None:
    demo = demo_vehicle(tmp_path)
    out = tmp_path / "plan"
    solved = twinning("solve", str(demo), "-o", str(out))
    assert solved.returncode == 0, solved.stderr
    args = ["validate", str(demo), str(out / "plan.json")]
    run = subprocess.run(
        [sys.executable, "-c", _WITHOUT_SOLVERS, *args],
        capture_output=True,
        text=True,
        cwd=INSTANCES.parent,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.startswith("roster (recounted)") or "valid:" in run.stdout
    # The same process cannot solve: the block is real.
    blocked = subprocess.run(
        [sys.executable, "-c", _WITHOUT_SOLVERS, "solve", str(INSTANCES / "demo-county")],
        capture_output=True,
        text=True,
        cwd=INSTANCES.parent,
        timeout=120,
    )
    said = blocked.stdout + blocked.stderr
    assert blocked.returncode == 2 and "not installed here" in said and "Traceback" not in said


def test_a_defect_of_twinning_is_exit_3_with_its_traceback_in_a_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unexpected error (here a ValueError deep in the checker) is twinning's, not the
    planner's: exit 3, a message saying so and naming the log, the traceback in the log."""
    from typer.testing import CliRunner

    import twinning.cli.checking as checking

    def broken(*args: object, **kwargs: object) -> object:
        raise ValueError("a bug in the checker")

    plan = tmp_path / "out"
    solved = CliRunner().invoke(
        app, ["solve", str(INSTANCES / "demo-county"), "-o", str(plan), "--parts", "pairs"]
    )
    assert solved.exit_code == 0, solved.output
    monkeypatch.setattr(checking, "validate", broken)
    monkeypatch.setenv("TWINNING_LOG_DIR", str(tmp_path / "logs"))
    done = CliRunner().invoke(
        app, ["validate", str(INSTANCES / "demo-county"), str(plan / "plan.json")]
    )
    assert done.exit_code == 3
    logs = list((tmp_path / "logs").glob("twinning-*.log"))
    assert len(logs) == 1
    assert "defect of twinning" in done.output and str(logs[0]) in done.output
    assert "Traceback" not in done.output
    text = logs[0].read_text(encoding="utf-8")
    assert "Traceback" in text and "a bug in the checker" in text


def test_bad_usage_is_exit_2_in_the_planners_language(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    demo = str(INSTANCES / "demo-county")
    for args, said in (
        (["solve", demo, "--parts", "pairs,roaster"], "roaster"),
        (["solve", demo, "--backend", "gurobi"], "pulp-highs"),
        (["solve", demo, "--time-limit", "-1"], "--time-limit"),
        (["solve", demo, "--workers", "0"], "--workers"),
        (["solve", demo, "--format", "pdf"], "pdf"),
    ):
        done = CliRunner().invoke(app, args)
        assert done.exit_code == 2, (args, done.output)
        assert said in done.output and "Traceback" not in done.output
    done = CliRunner().invoke(app, ["solve", demo, "--parts", "roaster", "--lang", "zh"])
    assert done.exit_code == 2 and "无法识别的规划内容" in done.output


def test_help_names_every_part_and_backend() -> None:
    from typer.testing import CliRunner

    text = CliRunner().invoke(app, ["solve", "--help"], env={"COLUMNS": "300"}).output
    flat = " ".join(text.split())
    for name in ("pairs", "alliances", "roster", "itinerant", "outreach", "pulp-highs"):
        assert name in flat, name
