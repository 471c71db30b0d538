"""Batch runs: local processes and a real Dask cluster on loopback give the same results."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import INSTANCES, as_vehicle
from twinning.batch import solve_many
from twinning.io.readers import expand_instances


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Three small counties (solvable under the vehicle policy) and one broken instance."""
    root = tmp_path_factory.mktemp("province")
    paths = []
    for seed in (0, 2, 4):  # seeds whose rosters are feasible (seed 1's is not)
        paths.append(as_vehicle(_generated(root / f"county-{seed}", seed)))
    broken = root / "broken"
    shutil.copytree(INSTANCES / "invalid" / "negative-students", broken)
    paths.append(broken)
    return paths


def _generated(folder: Path, seed: int) -> Path:
    """A generated county of 24 schools and 480 staff with its default policy."""
    from twinning.synthetic.county import default_policy, generate_county, write_county

    write_county(generate_county(24, 480, seed), folder)
    (folder / "policy.toml").write_text(default_policy(24), encoding="utf-8")
    return folder


def test_a_county_under_its_default_policy_is_an_infeasible_row(tmp_path: Path) -> None:
    # The same county as county-0 without the vehicle policy: its row says infeasible,
    # names the schools that miss their quota, and the closest plan is still written.
    folder = _generated(tmp_path / "county-0", 0)
    (row,) = solve_many([folder], jobs=1, out_dir=tmp_path / "out", time_limit=30)
    assert not row.ok and row.status == "infeasible"
    assert "rotation.rate is missed at" in row.error
    assert re.search(r"S\d+ moves \d+ of \d+", row.error), row.error
    assert row.violations and (tmp_path / "out" / "county-0" / "plan.json").exists()


def test_expand_instances_takes_globs_folders_and_files(province: list[Path]) -> None:
    root = province[0].parent
    found = expand_instances([str(root / "county-*"), str(province[3]), str(root / "missing")])
    assert [p.name for p in found] == ["county-0", "county-2", "county-4", "broken", "missing"]


def test_local_batch_keeps_going_past_a_broken_instance(
    province: list[Path], tmp_path: Path
) -> None:
    rows = {r.instance: r for r in solve_many(province, jobs=2, out_dir=tmp_path, time_limit=30)}
    assert set(rows) == {"county-0", "county-2", "county-4", "broken"}
    assert not rows["broken"].ok and "schools.csv" in rows["broken"].error
    for name in ("county-0", "county-2", "county-4"):
        assert rows[name].ok, rows[name]
        assert (tmp_path / name / "plan.json").exists()


def test_dask_cluster_gives_the_same_objectives(province: list[Path], tmp_path: Path) -> None:
    from dask.distributed import LocalCluster

    counties = province[:3]
    local = {r.instance: r.objective for r in solve_many(counties, jobs=1, time_limit=30)}
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        remote = {
            r.instance: r.objective
            for r in solve_many(
                counties, scheduler=cluster.scheduler_address, out_dir=tmp_path, time_limit=30
            )
        }
    assert remote == local
    assert all(v is not None for v in remote.values())


def test_batch_command_table_csv_and_exit_code(province: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "twinning.cli.main",
            "batch",
            *map(str, province),
            "-o",
            str(out),
            "--jobs",
            "2",
            "--time-limit",
            "30",
        ],
        capture_output=True,
        text=True,
        cwd=INSTANCES.parent,
        timeout=600,
    )
    assert run.returncode == 1, run.stdout + run.stderr  # the broken one
    assert "Traceback" not in run.stderr
    with open(out / "summary.csv", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["instance"] for r in rows} == {"county-0", "county-2", "county-4", "broken"}
    assert set(rows[0]) >= {
        "instance",
        "parts",
        "status",
        "objective",
        "gap",
        "seconds",
        "violations",
        "error",
    }
    good = [r for r in rows if r["instance"] != "broken"]
    assert all(r["status"] in ("optimal", "feasible") for r in good)
    ok = subprocess.run(
        [
            sys.executable,
            "-m",
            "twinning.cli.main",
            "batch",
            *map(str, province[:2]),
            "-o",
            str(tmp_path / "ok"),
            "--jobs",
            "1",
        ],
        capture_output=True,
        text=True,
        cwd=INSTANCES.parent,
        timeout=600,
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr


@pytest.mark.parametrize("where", ["itself", "inside", "holding"])
def test_batch_never_writes_into_an_instance_folder(tmp_path: Path, where: str) -> None:
    """An output folder that is an instance folder, lies inside one, or holds one (its plan
    folder NAME would be the instance's own) is refused before any solve; nothing written."""
    from typer.testing import CliRunner

    from twinning.cli.main import app

    county = tmp_path / "demo"
    shutil.copytree(INSTANCES / "demo-county", county)
    before = sorted(p.name for p in county.rglob("*"))
    out = {"itself": county, "inside": county / "plans", "holding": tmp_path}[where]
    done = CliRunner().invoke(app, ["batch", str(county), "-o", str(out), "--time-limit", "5"])
    assert done.exit_code == 2, done.output
    assert "would write into the instance folder" in done.output
    assert sorted(p.name for p in county.rglob("*")) == before
    assert not (tmp_path / "summary.csv").exists()
