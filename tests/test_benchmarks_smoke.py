"""Every script under ``tests/benchmarks/`` runs at its smoke size, so that an API change
that breaks a benchmark fails here rather than the next time someone measures.

Each script runs as its own process with ``--smoke --out TMP`` (tiny sizes, short
limits), as a developer would run it: it must exit 0, write its results into TMP (never
into the recorded ``tests/benchmarks/results/``), and every table it writes must hold its
rows; a comparison that has a ratio must show one (a side that crashed or was stopped
makes the script exit 1, and its table says "failed" or "stopped at" instead). Nothing here
asserts a time: the figures of a smoke run are not measurements.

``registry_two_cycles.py`` races adoptions on PostgreSQL when ``TWINNING_TEST_PG_URL`` is
set (``.ci/run`` starts one): outside CI without it only its SQLite part runs, and under CI
without it the test fails, as ``tests/test_registry.py`` does.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.benchmarks import benchkit
from tests.benchmarks.benchkit import Side

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "tests" / "benchmarks"
RECORDED = BENCH / "results"
PG_URL = os.environ.get("TWINNING_TEST_PG_URL")

#: script -> (the file it writes, the rows of each of its tables in order; None: at least one).
WRITES: dict[str, tuple[str, list[int | None]]] = {
    "adoptability.py": ("adoptability.md", [18]),
    "alliance_mix.py": ("alliance-mix.md", [1]),
    # haicheng-like cases (as shipped, strong leads, sizes, balance weights); the design's
    # alliances (one per region and stage); the two engines.
    "bench_alliance_design.py": ("alliance-design.md", [4, 8, 2]),
    "bench_alliances.py": ("alliances.md", [1]),
    "bench_batch.py": ("batch.md", [3]),
    # a whole solve of a small county watched from outside: one row
    "bench_city.py": ("city10000.md", [1]),
    # two sides (one interpreter in a smoke run)
    "bench_county2000.py": ("county2000.md", [2]),
    # demo-county's six subjects and the whole; one teacher's week; the largest components.
    "bench_itinerant.py": ("itinerant.md", [7, None, None]),
    "circuits_audit.py": ("circuits.md", [1]),
    "bench_load.py": ("load.md", [1]),
    "bench_outreach.py": ("outreach.md", [3, 1]),
    "bench_pairs.py": ("pairs.md", [1]),
    "bench_pmedian.py": ("pmedian.md", [2, 1, 1, 1]),
    "bench_roster.py": ("roster.md", [3]),
    # two sides (one interpreter in a smoke run): the commands, then their steps
    "bench_validate.py": ("validate.md", [2, 2]),
    # demo-county's six staffing coefficients under three targets
    "balance_official.py": ("balance.md", [6]),
    # demo-county's 送教 spread: one row
    "outreach_spread.py": ("outreach-spread.md", [1]),
    # demo-county's cadres and heads on both sides (8 counts), one seed's roster seconds
    "people_cadres.py": ("people.md", [8, 1]),
    # demo-county's travel counts (6) and roster figures (4) on four sides, one seed's seconds
    "people_travel.py": ("people.md", [10, 1]),
    # the strategies: instances, plans, command lines, breaches validated and adopted.
    "fuzz_long.py": ("fuzz.md", [5]),
    # the quota's figures on demo-county's plan: one column of eleven counts
    "quota_audit.py": ("quota-audit.md", [11]),
    # the desk: five pages, four jobs at once, one row of memory and a stop
    "bench_serve.py": ("serve.md", [5, 4, 1]),
    # departments and mentees on demo-county's plan: one column of eight counts
    "departments_audit.py": ("departments-audit.md", [8]),
    # one small case on the after side; what explain --school / --staff says
    "bench_explain.py": ("explain.md", [1, None]),
}
SCRIPTS = sorted(p.name for p in BENCH.glob("*.py") if p.name != "benchkit.py")


def tables(text: str) -> list[list[list[str]]]:
    """Each Markdown table of ``text``: its rows (below the header), as cells."""
    found: list[list[list[str]]] = []
    lines = text.splitlines()
    for k, line in enumerate(lines):
        if k and re.fullmatch(r"\|(---\|)+", line.strip()) and lines[k - 1].startswith("|"):
            rows = []
            for row in lines[k + 1 :]:
                if not row.startswith("|"):
                    break
                rows.append([c.strip() for c in row.strip().strip("|").split("|")])
            found.append(rows)
    return found


def recorded() -> dict[str, str]:
    """The recorded results, by name and content hash."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in RECORDED.iterdir()}


@dataclass
class Runs:
    """The smoke runs this session selected, started at once two at a time (the CI machine
    has two cores; the scripts share nothing but the recorded results they must not
    touch), each test waiting for its own."""

    before: dict[str, str]
    outs: dict[str, Path]
    futures: dict[str, Future[subprocess.CompletedProcess[str]]]

    def result(self, job: str) -> tuple[subprocess.CompletedProcess[str], Path]:
        proc = self.futures[job].result()
        shown = f"--- stdout\n{proc.stdout[-4000:]}\n--- stderr\n{proc.stderr[-4000:]}"
        assert proc.returncode == 0, shown
        assert "FAILED" not in proc.stderr, shown
        assert recorded() == self.before, "a smoke run changed tests/benchmarks/results/"
        return proc, self.outs[job]


def _script(job: str) -> str:
    return "registry_two_cycles.py" if job.startswith("registry") else job


def _run(job: str, out: Path) -> subprocess.CompletedProcess[str]:
    extra = ["--pg", PG_URL] if job == "registry-postgresql" and PG_URL else []
    return subprocess.run(
        [sys.executable, str(BENCH / _script(job)), "--smoke", "--out", str(out), *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


#: The longest first, so that two at a time end together.
ORDER = [
    "bench_roster.py",
    "bench_validate.py",
    "bench_batch.py",
    "bench_city.py",
    "bench_county2000.py",
    "registry-postgresql",
    "registry-sqlite",
    "bench_pmedian.py",
    "bench_pairs.py",
    "bench_alliance_design.py",
    "bench_outreach.py",
    "bench_alliances.py",
]


@pytest.fixture(scope="module")
def runs(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Runs]:
    jobs = []
    for item in request.session.items:
        params = getattr(item, "callspec", None)
        if item.module is not sys.modules[__name__] or params is None:
            continue
        if item.get_closest_marker("skip"):
            continue
        if "script" in params.params:
            jobs.append(params.params["script"])
        elif "backend" in params.params and (  # PostgreSQL when there is one, else SQLite
            (params.params["backend"] == "postgresql") == bool(PG_URL)
        ):
            jobs.append(f"registry-{params.params['backend']}")
    jobs.sort(key=lambda j: ORDER.index(j) if j in ORDER else len(ORDER))
    outs = {job: tmp_path_factory.mktemp(job.replace(".py", "")) for job in jobs}
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {job: pool.submit(_run, job, outs[job]) for job in jobs}
        yield Runs(recorded(), outs, futures)


def test_every_benchmark_script_has_a_smoke_run() -> None:
    assert set(SCRIPTS) == {*WRITES, "registry_two_cycles.py"}


@pytest.mark.parametrize("script", sorted(WRITES))
def test_benchmark_smoke(script: str, runs: Runs) -> None:
    _, out = runs.result(script)
    name, counts = WRITES[script]
    text = (out / name).read_text(encoding="utf-8")
    found = tables(text)
    assert len(found) == len(counts), text
    for rows, n in zip(found, counts, strict=True):
        assert len(rows) == n if n is not None else len(rows) >= 1, text
    # A side may find no plan within a smoke run's seconds; none may crash or be stopped.
    cells = [c for rows in found for row in rows for c in row]
    assert not [c for c in cells if "failed (" in c or "stopped at" in c], text
    if script == "bench_pairs.py":
        pairs_ratios(text)


def pairs_ratios(text: str) -> None:
    """At 60 schools every engine proves its optimum: each ratio is a number and every
    objective the engine's (the table bench_pairs.py had drifted on)."""
    head = next(line for line in text.splitlines() if line.startswith("| schools"))
    columns = [c.strip() for c in head.strip("|").split("|")]
    (row,) = tables(text)[0]
    cell = dict(zip(columns, row, strict=True))
    assert re.fullmatch(r"\d+x", cell["CP-SAT / engine"]), cell
    assert re.fullmatch(r"\d+x", cell["CBC / engine"]), cell
    assert re.fullmatch(r"[\d,]+", cell["engine objective"]), cell
    for side in ("CP-SAT", "CBC"):
        assert cell[f"{side} objective (gap)"] == f"{cell['engine objective']} (equal)", cell
    assert cell["validated"] == "ok", cell


def _postgres() -> object:
    if PG_URL or os.environ.get("CI"):
        return "postgresql"
    return pytest.param(
        "postgresql",
        marks=pytest.mark.skip(reason="TWINNING_TEST_PG_URL unset (CI fails instead)"),
    )


@pytest.mark.parametrize("backend", ["sqlite", _postgres()])
def test_registry_two_cycles_smoke(backend: str, runs: Runs) -> None:
    """Two cycles of demo-county through the registry: each export equals what a planner
    would keep by hand; on PostgreSQL one of two racing adoptions of a cycle is refused."""
    if backend == "postgresql" and not PG_URL:
        pytest.fail("CI is set but TWINNING_TEST_PG_URL is not: the registry needs PostgreSQL")
    if backend == "sqlite" and PG_URL:
        pytest.skip("the PostgreSQL run makes the same two cycles on SQLite first")
    out = runs.result(f"registry-{backend}")[0].stdout
    assert re.search(r"^hist1/history\.csv: \d+ rows.*equal as sets True, duplicates 0$", out, re.M)
    assert re.search(r"^hist2/history\.csv: \d+ rows.*equal as sets True, duplicates 0$", out, re.M)
    assert "records: [('2025-2026', 'adopted', 'smoke'), ('2026-2027', 'adopted', 'smoke')]" in out
    if backend == "postgresql":
        race = out.split("PostgreSQL, same county and cycle")[1].split("PostgreSQL, different")[0]
        assert race.count(": exit 0: adopted") == 1 and race.count(": exit 3: refused") == 1, out
        assert "row counts unchanged True" in out, out


# ---- the comparison of two sides (no solver, no clock) ------------------------------------


def test_a_ratio_is_given_only_when_it_means_something(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(benchkit, "_FAILURES", [])
    monkeypatch.setattr(benchkit, "_STOPPED", [])
    engine = Side("optimal", 0.5, 100)
    assert benchkit.ratio(Side("optimal", 6.0, 100), engine) == "12x"
    # Unproven at its own limit, with a plan or without, or stopped by the cap: a lower bound.
    assert benchkit.ratio(Side("feasible", 6.0, 120), engine) == (
        "at least 12x (not proven optimal: feasible)"
    )
    assert (
        benchkit.ratio(Side("unknown", 99.0), engine) == "at least 198x (no plan in 99 s: unknown)"
    )
    assert Side("unknown", 99.0).describe() == "no plan (unknown), 99.0 s"
    stopped = Side.killed(570.0, 600)
    assert stopped.describe() == "stopped at 570 s"
    assert benchkit.ratio(stopped, engine) == "at least 1140x (stopped at 570 s)"
    assert benchkit.objective(stopped, engine) == "-"
    # A crash: never a number, on either side.
    crashed = Side.crash(68.0, "pulp child exit 1")
    assert benchkit.ratio(crashed, engine) == "failed (pulp child exit 1)"
    assert crashed.describe() == "failed (pulp child exit 1)"
    assert benchkit.ratio(engine, crashed) == "failed (pulp child exit 1)"
    assert benchkit.ratio(engine, Side("feasible", 6.0, 120)).startswith("- (not proven")
    assert benchkit.ratio(engine, stopped).startswith("- (not proven")
    assert benchkit.same_objective(crashed, engine) == "-"
    assert benchkit.same_objective(Side("optimal", 1.0, 101), engine) == "NO"
    assert benchkit.objective(Side("optimal", 1.0, 100), engine) == "100 (equal)"
    assert benchkit.objective(Side("feasible", 1.0, 2_150), Side("optimal", 1, 2_000)) == (
        "2,150 (+7.50%)"
    )
    assert benchkit.objective(crashed, engine) == "-"


def test_a_crashed_side_fails_the_run_and_a_stopped_one_fails_a_smoke_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    full = benchkit.argparse.Namespace(smoke=False, out=tmp_path)
    quick = benchkit.argparse.Namespace(smoke=True, out=tmp_path)
    monkeypatch.setattr(benchkit, "_FAILURES", [])
    monkeypatch.setattr(benchkit, "_STOPPED", [])
    assert benchkit.exit_code(full) == 0 and benchkit.exit_code(quick) == 0
    Side.killed(570.0, 570)
    assert benchkit.exit_code(full) == 0  # a measurement: the solver ran out of time
    assert benchkit.exit_code(quick) == 1  # a smoke size never should
    Side.crash(1.0, "cpsat child exit 1")
    assert benchkit.exit_code(full) == 1


def test_a_smoke_run_never_writes_the_recorded_results(tmp_path: Path) -> None:
    quick = benchkit.argparse.Namespace(smoke=True, out=RECORDED)
    with pytest.raises(SystemExit):
        benchkit.results_file(quick, "pairs.md")
    with pytest.raises(SystemExit):
        benchkit.own_file(quick, RECORDED / "alliance-mix.md")
    default = benchkit.results_file(benchkit.argparse.Namespace(smoke=True, out=None), "x.md")
    assert RECORDED not in default.parents and default.parent.is_dir()
    default.parent.rmdir()
    full = benchkit.argparse.Namespace(smoke=False, out=None)
    assert benchkit.results_file(full, "pairs.md") == RECORDED / "pairs.md"
