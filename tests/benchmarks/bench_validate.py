"""Benchmark: checking a large plan, two installs side by side.

Run from the repository root::

    python tests/benchmarks/bench_validate.py [--schools 2000 --staff 80000 --seed 11]
    python tests/benchmarks/bench_validate.py --instance /work/bench/county2000 \\
        --plan PLAN/plan.json --before OTHER/.venv/bin/python --before-label main \\
        --after-label vspeed

A county is generated (``rotation.host_capacity_share = 0.5`` so that its roster is
feasible), or ``--instance`` copied and given that key, and solved with ``twinning solve``
(every part), unless ``--plan`` names a plan of it already. Then each side (``--before``
and ``--after``: the interpreters of two installs; both this one by default) checks the
plan with ``twinning validate``, once unmeasured (Python's bytecode caches written, as a
planner's install has them, and the files read once), then ``--repeat`` times each, the
sides alternating, every command in a process of its own measured from outside
(``/usr/bin/time -v`` where it exists: wall seconds, user + system CPU seconds, peak
resident memory; else the child's ``getrusage``). What the two sides print (exit code,
standard output and error) must be byte for byte the same: the table says whether it is.
A second table gives the CPU seconds of each step in one process per side (importing the
command line, reading the instance, reading the plan, every rule), the figures a profile
starts from.

Results go to ``tests/benchmarks/results/validate.md`` (the notes below its tables are
kept); ``--smoke`` (CI) runs a 40-school county with a 5-second solve
(``rotation.cap_quota`` on) and writes to a temporary folder. A command that exits other
than 0 or 1 (bad input, a defect) is reported as failed and the run exits 1.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks import benchkit  # noqa: E402

TIME = "/usr/bin/time"

#: CPU seconds of each step of ``twinning validate`` in one process (no profiler).
_STEPS = (
    "import sys, time\n"
    "c0 = time.process_time()\n"
    "from pathlib import Path\n"
    "from twinning.cli.common import load, read_plan\n"
    "from twinning.cli.main import app\n"
    "from twinning.county.instance import with_policy\n"
    "from twinning.validation import validate\n"
    "c1 = time.process_time()\n"
    "inst = load(Path(sys.argv[1]))\n"
    "c2 = time.process_time()\n"
    "doc = read_plan(Path(sys.argv[2]))\n"
    "c3 = time.process_time()\n"
    "report = validate(with_policy(inst, dict(doc.settings)), doc)\n"
    "c4 = time.process_time()\n"
    "print('STEPS', c1 - c0, c2 - c1, c3 - c2, c4 - c3, len(report.violations))\n"
)


@dataclass
class Check:
    """One ``twinning validate`` of one side, measured from outside."""

    wall: float
    cpu: float
    peak_mb: float
    code: int
    said: str  # exit code, standard output and error, as printed

    @property
    def ok(self) -> bool:
        return self.code in (0, 1)


def twinning(python: str, args: list[str]) -> list[str]:
    return [python, "-m", "twinning.cli.main", *args]


def environment() -> dict[str, str]:
    """The children's environment: Python's bytecode caches written and read, as in a
    planner's install (a sandbox's ``PYTHONDONTWRITEBYTECODE`` would make every command
    compile the whole package again)."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "200"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def measured(command: list[str]) -> Check:
    """One command in a child process: wall and CPU seconds and peak memory, from
    ``/usr/bin/time -v`` where it exists, else from the child's resource usage."""
    env = environment()
    with tempfile.NamedTemporaryFile("r", suffix=".time", delete=False) as fh:
        timing = Path(fh.name)
    timed = [TIME, "-v", "-o", str(timing), *command] if Path(TIME).exists() else command
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(timed, cwd=ROOT, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    peak = after.ru_maxrss / 1024  # of the largest child so far: /usr/bin/time's is exact
    if timed is not command:
        fields = {}
        for line in timing.read_text(encoding="utf-8").splitlines():
            key, _, value = line.strip().rpartition(": ")
            fields[key] = value
        h, m, s = (["0", "0", *fields["Elapsed (wall clock) time (h:mm:ss or m:ss)"].split(":")])[
            -3:
        ]
        wall = int(h) * 3600 + int(m) * 60 + float(s)
        cpu = float(fields["User time (seconds)"]) + float(fields["System time (seconds)"])
        peak = int(fields["Maximum resident set size (kbytes)"]) / 1024
    timing.unlink(missing_ok=True)
    said = f"exit {proc.returncode}\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"
    if proc.returncode not in (0, 1):
        sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-4000:])
        benchkit.Side.crash(wall, f"{' '.join(command[:4])}: exit {proc.returncode}")
    return Check(wall, cpu, peak, proc.returncode, said)


def steps(python: str, county: Path, plan: Path) -> list[float] | None:
    """CPU seconds of import, load, read and rules in one process of ``python``."""
    proc = subprocess.run(
        [python, "-c", _STEPS, str(county), str(plan)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=environment(),
    )
    found = [line.split()[1:] for line in proc.stdout.splitlines() if line.startswith("STEPS ")]
    if proc.returncode != 0 or not found:
        sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-4000:])
        benchkit.Side.crash(0.0, f"{python}: the steps of validate (exit {proc.returncode})")
        return None
    return [float(v) for v in found[-1]]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--schools", type=int, default=2000)
    parser.add_argument("--staff", type=int, default=80000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--instance", type=Path, default=None, help="copy this county")
    parser.add_argument("--plan", type=Path, default=None, help="check this plan (no solve)")
    parser.add_argument("--time-limit", type=float, default=60.0, help="of the solve")
    parser.add_argument("--before", default=sys.executable, help="interpreter of one install")
    parser.add_argument("--before-label", default="before")
    parser.add_argument("--after", default=sys.executable, help="interpreter of the other")
    parser.add_argument("--after-label", default="after")
    parser.add_argument("--repeat", type=int, default=3)
    benchkit.options(parser)
    args = parser.parse_args()
    solve_options = ["--time-limit", f"{args.time_limit:g}"]
    if args.smoke:
        args.schools, args.staff, args.repeat = 40, 1600, 1
        args.instance = args.plan = None
        # A short solve, and no explanation of an infeasible roster (it has its budget).
        solve_options = ["--time-limit", "5", "--format", "json"]
        solve_options += ["--set", "rotation.cap_quota=true"]
    sides = [(args.before_label, args.before), (args.after_label, args.after)]
    results = benchkit.results_file(args, "validate.md")
    load_start = benchkit.load()
    with tempfile.TemporaryDirectory() as tmp, benchkit.LoadWatch() as watch:
        county = Path(tmp) / "county"
        if args.instance is not None:
            shutil.copytree(args.instance, county)
            made = f"`{args.instance}` (copied)"
        else:
            size = ["--schools", str(args.schools), "--staff", str(args.staff)]
            size += ["--seed", str(args.seed)]
            gen = measured(twinning(args.after, ["generate", *size, "-o", str(county)]))
            if not gen.ok:
                return benchkit.exit_code(args)
            made = f"`twinning generate {' '.join(size)}`"
        with (county / "policy.toml").open("a", encoding="utf-8") as fh:
            fh.write("\n[rotation]\nhost_capacity_share = 0.5\n")
        solved = ""
        if args.plan is not None:
            plan_file = args.plan
            solved = f"the plan `{args.plan}`"
        else:
            out = Path(tmp) / "plan"
            solve = measured(
                twinning(args.after, ["solve", str(county), "-o", str(out), *solve_options])
            )
            plan_file = out / "plan.json"
            solved = (
                f"its plan by `twinning solve {' '.join(solve_options)}` of the "
                f"{args.after_label} side (every part; exit {solve.code}, {solve.wall:.1f} s, "
                f"{solve.peak_mb:.0f} MB)"
            )
        if not plan_file.exists():
            benchkit.note_failure("twinning solve wrote no plan.json")
            text = "# Validator benchmark\n\n`twinning solve` wrote no plan: nothing to validate.\n"
            results.write_text(text, encoding="utf-8")
            return benchkit.exit_code(args)
        checks: dict[str, list[Check]] = {label: [] for label, _ in sides}
        for _, python in sides:  # once unmeasured: bytecode caches and the disk cache warm
            measured(twinning(python, ["validate", str(county), str(plan_file)]))
        for _ in range(args.repeat):
            for label, python in sides:
                command = twinning(python, ["validate", str(county), str(plan_file)])
                checks[label].append(measured(command))
        runs: dict[str, list[list[float]]] = {label: [] for label, _ in sides}
        for _ in range(args.repeat):
            for label, python in sides:
                got = steps(python, county, plan_file)
                if got is not None:
                    runs[label].append(got)
        # the least of each step over the runs (another process's load only adds to one)
        cpu_steps = {
            label: [min(r[k] for r in done) for k in range(5)] if done else None
            for label, done in runs.items()
        }
    said = {c.said for label, _ in sides for c in checks[label]}
    same = "yes" if len(said) == 1 else f"no: {len(said)} different outputs"
    rows, step_rows = [], []
    for label, _ in sides:
        done = [c for c in checks[label] if c.ok]
        rows.append(
            [
                label,
                f"{min(c.wall for c in done):.2f}" if done else "failed",
                f"{min(c.cpu for c in done):.2f}" if done else "-",
                f"{max(c.peak_mb for c in done):.0f}" if done else "-",
                ", ".join(str(c.code) for c in checks[label]),
                same,
            ]
        )
        got = cpu_steps[label]
        step_rows.append(
            [label, *(f"{v:.2f}" for v in got[:4]), f"{sum(got[:4]):.2f}", f"{got[4]:.0f}"]
            if got is not None
            else [label, "failed", "-", "-", "-", "-", "-"]
        )
    command = "python tests/benchmarks/bench_validate.py " + " ".join(
        a for a in sys.argv[1:] if a != "--smoke"
    )
    measure = "`/usr/bin/time -v`" if Path(TIME).exists() else "the child's getrusage"
    lines = [
        "# Validator benchmark",
        "",
        f"Command: `{command}`" + (" (`--smoke`)" if args.smoke else ""),
        f"Instance: {made}, `rotation.host_capacity_share = 0.5`; {solved}.",
        f"Date: {date.today()}, {benchkit.machine()}; load averages {load_start} at the start, "
        f"{benchkit.load()} at the end; {watch.summary()}.",
        "",
        f"`twinning validate INSTANCE PLAN`, each side once unmeasured (bytecode caches "
        f"written, files read once), then {args.repeat} times (alternating), measured with "
        f"{measure}; best wall and CPU seconds, largest peak:",
        "",
        *benchkit.table(
            ["side", "wall s", "CPU s (user + sys)", "peak MB", "exits", "output identical"],
            rows,
        ),
        "",
        f"CPU seconds of each step in one process per side (`time.process_time`, no profiler; "
        f"the least of {args.repeat} runs, alternating):",
        "",
        *benchkit.table(
            [
                "side",
                "import",
                "read the instance",
                "read the plan",
                "every rule, objective and KPIs",
                "total",
                "violations",
            ],
            step_rows,
        ),
        "",
    ]
    text = "\n".join(lines)
    if results.exists() and not args.smoke:
        # the notes kept below the tables of the last run
        notes = results.read_text(encoding="utf-8").split("\n## ", 1)
        if len(notes) == 2:
            text += "\n## " + notes[1]
    results.write_text(text, encoding="utf-8")
    print(text)
    if len(said) != 1:
        benchkit.note_failure("the two sides' outputs of twinning validate differ")
    return benchkit.exit_code(args)


if __name__ == "__main__":
    sys.exit(main())
