"""Benchmark: a whole ``twinning solve`` of a large county, watched from outside.

Run from the repository root::

    python tests/benchmarks/bench_city.py --instance /work/bench/city10000 --time-limit 600
    python tests/benchmarks/bench_city.py --schools 10000 --staff 400000 --seed 3
    python tests/benchmarks/bench_city.py --smoke  # 60 schools, 10 s: what CI runs

The command runs in a child process (``--python`` picks the interpreter, so that another
checkout, e.g. today's main, can be measured with the same watch). The watch records the
wall time, the peak resident memory of the child and its children (sampled every 0.2 s,
and the kernel's own maximum), the time of each progress line on stderr and the longest
gap between two of them, each part's status and gap (``summary.json``) and whether the
checker accepts the plan (``twinning validate``), and the rules the plan misses. With
``--cap-seconds`` or ``--cap-mb`` the child is killed when it passes either (the row says
so). The row is printed as Markdown and added to the table of ``city10000.md`` in the
results (``--out``; a smoke run writes a new one in a temporary folder).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks import benchkit  # noqa: E402

#: A progress line of the command line when stderr is not a terminal: ``[   12.3 s] ...``.
PROGRESS_LINE = re.compile(r"^\[\s*(\d+(?:\.\d+)?) s\]")


def _tree_rss_kb(pid: int) -> int:
    """Resident memory (kB) of a process and all its descendants."""
    total = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status", encoding="ascii") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            with open(f"/proc/{p}/task/{p}/children", encoding="ascii") as f:
                todo.extend(int(c) for c in f.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def run(
    cmd: list[str], *, cap_seconds: float | None, cap_mb: float | None, log: Path
) -> dict[str, Any]:
    """Run ``cmd``; watch its memory and its progress lines; kill it past a cap."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.monotonic()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    lines: list[tuple[float, str]] = []
    out: list[str] = []
    live = log.open("w", encoding="utf-8")  # stderr as it comes, with the watch's clock

    def read_err() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.append((time.monotonic() - start, line.rstrip("\n")))
            live.write(f"{lines[-1][0]:8.1f} {lines[-1][1]}\n")
            live.flush()

    def read_out() -> None:
        assert proc.stdout is not None
        out.extend(proc.stdout)

    readers = [threading.Thread(target=read_err), threading.Thread(target=read_out)]
    for t in readers:
        t.start()
    peak = 0
    killed = ""
    while proc.poll() is None:
        peak = max(peak, _tree_rss_kb(proc.pid))
        elapsed = time.monotonic() - start
        if cap_mb is not None and peak / 1024 > cap_mb:
            killed = f"killed at {peak / 1024:.0f} MB (cap {cap_mb:.0f} MB)"
        elif cap_seconds is not None and elapsed > cap_seconds:
            killed = f"killed after {elapsed:.0f} s (cap {cap_seconds:.0f} s)"
        if killed:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            break
        time.sleep(0.2)
    wall = time.monotonic() - start
    for t in readers:
        t.join()
    maxrss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # The kernel's maximum covers the largest child only, and only when it rose.
    peak_mb = max(peak, maxrss if maxrss > before else 0) / 1024
    live.write("".join(out))
    live.close()
    return {
        "code": proc.returncode,
        "wall": wall,
        "peak_mb": peak_mb,
        "killed": killed,
        "stderr": lines,
        "stdout": "".join(out),
    }


def progress_gaps(lines: list[tuple[float, str]], wall: float) -> dict[str, Any]:
    """The longest time without a progress line between two of them (while the parts are
    solved), where it began, and the time before the first (reading the instance) and
    after the last (checking and writing the plan, explaining), by the watch's clock."""
    stamps = [t for t, line in lines if PROGRESS_LINE.match(line)]
    if not stamps:
        return {"lines": 0, "longest": wall, "where": "no progress line at all", "edges": "-"}
    gaps = [(b - a, a) for a, b in itertools.pairwise(stamps)] or [(0.0, stamps[0])]
    longest, at = max(gaps)
    edges = f"{stamps[0]:.0f} s / {wall - stamps[-1]:.0f} s"
    return {"lines": len(stamps), "longest": longest, "where": f"from {at:.0f} s", "edges": edges}


def parts_of(folder: Path) -> str:
    """Each part's status and gap from ``summary.json`` (or why there is none)."""
    path = folder / "summary.json"
    if not path.is_file():
        return "no summary.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    cells = []
    for name, part in (data.get("parts") or {}).items():
        gap = part.get("gap")
        gap_text = f"{gap:.2%}" if isinstance(gap, int | float) else "-"
        sec = part.get("wall_time") or part.get("seconds")
        sec_text = f", {sec:.0f} s" if isinstance(sec, int | float) else ""
        cells.append(f"{name} {part.get('status')} (gap {gap_text}{sec_text})")
    return "; ".join(cells) or "no parts"


def missed_of(folder: Path) -> str:
    """The rules the plan misses and how often (``summary.json``)."""
    path = folder / "summary.json"
    if not path.is_file():
        return "-"
    data = json.loads(path.read_text(encoding="utf-8"))
    counts = Counter(m.get("rule") for m in data.get("missed") or [])
    return ", ".join(f"{rule} x{n}" for rule, n in sorted(counts.items())) or "none"


HEAD = [
    "run",
    "started",
    "load (1/5/15 min) before -> after",
    "wall s",
    "peak MB",
    "ended",
    "parts (status, gap, seconds)",
    "rules missed",
    "progress lines",
    "longest gap between progress lines",
    "before the first / after the last",
    "validate",
]


def record(path: Path, command: str, row: str) -> None:
    """Add the row to the file's table (a new file: its title, command and header)."""
    if not path.is_file():
        lines = [
            "# A city: the whole solve watched from outside",
            "",
            "`tests/benchmarks/bench_city.py`; the command of each run:",
            "",
            f"    {command}",
            "",
            *benchkit.table(HEAD, []),
            row,
            "",
        ]
        path.write_text("\n".join(lines), encoding="utf-8")
        return
    lines = path.read_text(encoding="utf-8").splitlines()
    head = next(k for k, line in enumerate(lines) if line.startswith("| run |"))
    end = head + 2
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    lines.insert(end, row)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--instance", type=Path, help="An instance folder (else generated).")
    parser.add_argument("--schools", type=int, default=10000)
    parser.add_argument("--staff", type=int, default=400000)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--parts", default="pairs,alliances,roster")
    parser.add_argument("--time-limit", type=float, default=600.0)
    parser.add_argument("--format", default=None, help="solve --format (default: solve's)")
    parser.add_argument("--python", default=sys.executable, help="Interpreter to run.")
    parser.add_argument("--label", default="this branch")
    parser.add_argument("--cap-seconds", type=float, default=None)
    parser.add_argument("--cap-mb", type=float, default=None)
    parser.add_argument("--plan", type=Path, default=None, help="Plan folder (default: temp).")
    benchkit.options(parser)
    args = parser.parse_args()
    if args.smoke:
        args.instance = None
        args.schools, args.staff, args.time_limit = 60, 1500, 10.0
        args.label = "smoke"
    results = benchkit.results_file(args, "city10000.md")

    tmp = tempfile.TemporaryDirectory()
    work = Path(tmp.name)
    twinning = [args.python, "-c", "from twinning.cli.main import main; main()"]
    instance = args.instance
    if instance is None:
        instance = work / f"city{args.schools}"
        subprocess.run(
            [
                *twinning,
                "generate",
                "--schools",
                str(args.schools),
                "--staff",
                str(args.staff),
                "--seed",
                str(args.seed),
                "-o",
                str(instance),
            ],
            check=True,
            capture_output=True,
        )
    out = args.plan or work / "plan"
    cmd = [
        *twinning,
        "solve",
        str(instance),
        "-o",
        str(out),
        "--parts",
        args.parts,
        "--time-limit",
        f"{args.time_limit:g}",
    ]
    if args.format:
        cmd += ["--format", args.format]
    load = Path("/proc/loadavg").read_text().split()[:3]
    started = datetime.now().strftime("%Y-%m-%d %H:%M")
    log = (args.plan.parent if args.plan else work) / "solve.log"
    got = run(cmd, cap_seconds=args.cap_seconds, cap_mb=args.cap_mb, log=log)
    after = Path("/proc/loadavg").read_text().split()[:3]
    gaps = progress_gaps(got["stderr"], got["wall"])
    checked = "-"
    if (out / "plan.json").is_file():
        v = subprocess.run(
            [*twinning, "validate", str(instance), str(out / "plan.json")],
            capture_output=True,
            text=True,
        )
        checked = f"exit {v.returncode}"
    ended = got["killed"] or f"exit {got['code']}"
    shown = " ".join(
        a if " " not in a else f"'{a}'" for a in ["twinning", *cmd[3:]] if a != str(out)
    ).replace("-o ", "-o OUT ")
    cells = [
        f"{args.label} ({benchkit.machine()})",
        started,
        f"{'/'.join(load)} -> {'/'.join(after)}",
        f"{got['wall']:.0f}",
        f"{got['peak_mb']:,.0f}",
        ended,
        parts_of(out),
        missed_of(out),
        str(gaps["lines"]),
        f"{gaps['longest']:.1f} s ({gaps['where']})",
        gaps["edges"],
        checked,
    ]
    row = "| " + " | ".join(cells) + " |"
    print(f"command: {shown}")
    print(f"log: {log}")
    print(row)
    record(results, shown, row)
    print(f"recorded in {results}")
    if args.plan is None:
        tmp.cleanup()
    if got["killed"] or got["code"] not in (0, 1):  # 1: a plan that misses a rule
        raise SystemExit(f"the solve {ended}")


if __name__ == "__main__":
    main()
