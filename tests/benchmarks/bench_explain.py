"""``twinning explain`` side by side on two installs (issue 29): the seconds, the conflict,
whether it is proven smallest, the steps left undecided and the repairs of each case; and
what ``explain PLAN --school / --staff`` says on a plan whose schools miss their quota.

    python tests/benchmarks/bench_explain.py \\
        --before /work/wt/explain29-base/.venv/bin/python --before-label integ \\
        --after .venv/bin/python --after-label explain29

The cases (each side runs ``twinning explain INSTANCE --parts pairs,alliances,roster
--set ...`` with its own defaults, as a planner would): haicheng-like with
rotation.max_outflow_share = 0.03 and rotation.min_outflow = 0, with rotation.rate = 0.9,
with rotation.max_km = 30, and a generated 200-school county (``generate --schools 200
--staff 8000 --seed 0``, its own policy) that misses its quota. The sides alternate per
case. The contradictions: demo-county solved with rotation.max_outflow_share = 0.03 (its
policy caps the quota, so the plan is valid with schools below it) by the after side, then
each side's explain --school for the schools below quota and --staff for one due teacher
who stays at each.

``--smoke``: a 5-school county whose quota the outflow share rules out, the after side
only, short limits; the results go to ``--out`` (never the recorded results). The section
is written into explain.md between markers, the rest of the file (earlier issues' cases)
kept.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks import benchkit

ROOT = Path(__file__).resolve().parents[2]
BEGIN = "<!-- bench_explain: begin -->"
END = "<!-- bench_explain: end -->"


def twinning(python: str, args: list[str]) -> list[str]:
    return [python, "-m", "twinning.cli.main", *args]


def run(command: list[str], cap: float) -> tuple[subprocess.CompletedProcess[str] | None, float]:
    start = time.perf_counter()
    try:
        proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=cap)
    except subprocess.TimeoutExpired:
        return None, time.perf_counter() - start
    return proc, time.perf_counter() - start


def _line(text: str, start: str) -> str:
    for line in text.splitlines():
        if line.startswith(start):
            return line[len(start) :].strip()
    return ""


def read_explanation(text: str) -> dict[str, str]:
    """The conflict, whether proven smallest, the open steps, the repairs and the steps'
    tally, as the command printed them."""
    conflict = _line(text, "rules that conflict:")
    proven = "no" if "not proven smallest" in conflict or "cut short" in text else "yes"
    left = re.search(r"left undecided whether (.*) can be left out", conflict)
    rules = conflict.split(" (a conflict")[0]
    repairs = [
        re.sub(r"^\d+\.\s*", "", line.strip())
        for line in text.splitlines()
        if re.match(r"^\s+\d+\.\s", line)
    ]
    tally = re.search(r"steps decided by (.*?)(;|$)", text.replace("\n", " "))
    return {
        "conflict": rules or "-",
        "proven": proven if rules else "-",
        "open": left.group(1) if left else "-",
        "repairs": "; ".join(r.split(" (each school")[0] for r in repairs) or "none",
        "decided": tally.group(1).strip() if tally else "-",
    }


def cases(args: argparse.Namespace, folder: Path) -> list[tuple[str, Path, list[str]]]:
    """(name, instance, --set values) of each case."""
    haicheng = ROOT / "instances" / "haicheng-like"
    if args.smoke:
        small = folder / "c5"
        subprocess.run(
            twinning(
                args.after,
                ["generate", "--schools", "5", "--staff", "60", "--seed", "3", "-o", str(small)],
            ),
            check=True,
            capture_output=True,
        )
        return [("5 schools, max_outflow_share 0", small, ["rotation.max_outflow_share=0"])]
    c200 = folder / "c200"
    if not c200.exists():
        subprocess.run(
            twinning(
                args.after,
                ["generate", "--schools", "200", "--staff", "8000", "--seed", "0", "-o", str(c200)],
            ),
            check=True,
            capture_output=True,
        )
    return [
        (
            "haicheng-like, max_outflow_share 0.03, min_outflow 0",
            haicheng,
            ["rotation.max_outflow_share=0.03", "rotation.min_outflow=0"],
        ),
        ("haicheng-like, rate 0.9", haicheng, ["rotation.rate=0.9"]),
        ("haicheng-like, max_km 30", haicheng, ["rotation.max_km=30"]),
        ("200 schools (generate --seed 0)", c200, []),
    ]


def contradictions(
    args: argparse.Namespace, sides: list[tuple[str, str]], folder: Path
) -> list[list[str]]:
    """What each side's explain --school / --staff says on demo-county's plan."""
    county = ROOT / "instances" / "demo-county"
    sets = ["--set", "rotation.max_outflow_share=0.03"]
    plan_dir = folder / "demo-plan"
    subprocess.run(
        twinning(
            args.after,
            [
                *("solve", str(county), "-o", str(plan_dir), "--parts", "pairs,alliances,roster"),
                *("--time-limit", "30", "--quiet", *sets),
            ],
        ),
        check=True,
        capture_output=True,
    )
    plan = plan_dir / "plan.json"
    probe = (
        "import json,sys\n"
        "from pathlib import Path\n"
        "from twinning import load_instance\n"
        "from twinning.county.instance import with_policy\n"
        "from twinning.planfile import read_plan\n"
        "from twinning.rules import roster as rules\n"
        "from twinning.rules.quota import counted_sent\n"
        "inst = load_instance(Path(sys.argv[1]))\n"
        "doc = read_plan(Path(sys.argv[2]))\n"
        "inst = with_policy(inst, doc.settings)\n"
        "sent = counted_sent(inst, doc.roster)\n"
        "below = [s for s, q in sorted(rules.quota_required(inst).items()) if sent[s] < q]\n"
        "away = {m.staff for m in doc.roster if m.kind != 'mentor'}\n"
        "stay = [next((p.id for p in inst.staff if p.school == s and p.id not in away\n"
        "  and rules.quota_eligible(inst, p) and p.id not in rules.moved_last_cycle(inst)),\n"
        "  None) for s in below]\n"
        "mentors = sorted({m.from_school for m in doc.roster if m.kind == 'mentor'})\n"
        "print(json.dumps({'below': below, 'stay': stay, 'mentors': mentors}))\n"
    )
    ids = json.loads(
        subprocess.run(
            [args.after, "-c", probe, str(county), str(plan)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    schools = [s for s in ids["below"] if s in ids["mentors"]][:2] or ids["below"][:2]
    people = [p for p in ids["stay"] if p][: 1 if args.smoke else 3]
    rows = []
    for flag, who in [("--school", s) for s in schools] + [("--staff", p) for p in people]:
        for label, python in sides:
            proc, _ = run(twinning(python, ["explain", str(county), str(plan), flag, who]), 120)
            said = proc.stdout if proc is not None else "stopped"
            lines = [
                line.strip()
                for line in said.splitlines()
                if line.strip()
                and not line.startswith(("short of", "pair "))
                and not line.lstrip().startswith(("│", "┃", "┏", "┗", "┡", "└", "━"))
            ]
            text = " / ".join(lines)[:600].replace("|", "/")
            rows.append([f"{flag} {who}", label, text])
    return rows


def write(path: Path, section: list[str]) -> None:
    """``section`` between the markers of ``path``, the rest of the file kept."""
    body = "\n".join([BEGIN, *section, END]) + "\n"
    if path.exists():
        old = path.read_text()
        if BEGIN in old and END in old:
            head, rest = old.split(BEGIN, 1)
            _, tail = rest.split(END, 1)
            path.write_text(head + body + tail.lstrip("\n"))
            return
        path.write_text(body + "\n" + old)
        return
    path.write_text(body)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    benchkit.options(parser)
    parser.add_argument("--before", default=sys.executable, help="interpreter of one install")
    parser.add_argument("--before-label", default="before")
    parser.add_argument("--after", default=sys.executable, help="interpreter of the other")
    parser.add_argument("--after-label", default="after")
    parser.add_argument("--cap", type=float, default=1200.0, help="wall-clock cap per run")
    parser.add_argument("--work", type=Path, default=None, help="folder for the counties")
    args = parser.parse_args()
    out = benchkit.results_file(args, "explain.md")
    folder = args.work or out.parent / "explain-work"
    folder.mkdir(parents=True, exist_ok=True)
    sides = [(args.after_label, args.after)]
    if not args.smoke:
        sides = [(args.before_label, args.before), (args.after_label, args.after)]
    rows: list[list[str]] = []
    started = benchkit.load()
    with benchkit.LoadWatch() as watch:
        for name, county, sets in cases(args, folder):
            flags = [x for s in sets for x in ("--set", s)]
            extra = ["--time-limit", "20", "--step-limit", "5"] if args.smoke else []
            for label, python in sides:
                command = twinning(
                    python,
                    ["explain", str(county), "--parts", "pairs,alliances,roster", *flags, *extra],
                )
                proc, seconds = run(command, args.cap)
                if proc is None:
                    benchkit.note_failure(f"{label} {name}: stopped at {seconds:.0f} s")
                    rows.append([name, label, f"stopped at {seconds:.0f}", "-", "-", "-", "-", "-"])
                    continue
                if proc.returncode not in (0, 1):
                    benchkit.note_failure(f"{label} {name}: exit {proc.returncode}")
                    rows.append([name, label, "failed", "-", "-", "-", "-", "-"])
                    continue
                got = read_explanation(proc.stdout)
                rows.append(
                    [
                        name,
                        label,
                        f"{seconds:.1f}",
                        got["conflict"],
                        got["proven"],
                        got["open"],
                        got["repairs"],
                        got["decided"],
                    ]
                )
        said = contradictions(args, sides, folder)
    section = [
        "# explain (issue 29): agrees with the plan, proves what it claims, fast",
        "",
        f"Measured {date.today().isoformat()} on {benchkit.machine()}; load at the start "
        f"{started}; {watch.summary()}. Command: `python tests/benchmarks/bench_explain.py "
        f"--before {args.before} --before-label {args.before_label} --after {args.after} "
        f"--after-label {args.after_label}`{' --smoke' if args.smoke else ''}. Each side runs "
        "`twinning explain INSTANCE --parts pairs,alliances,roster --set ...` with its own "
        "defaults (before: --time-limit 300 --step-limit 20; after: 60 and 10), the sides "
        "alternating per case; seconds are the command's wall time.",
        "",
        "## The cases",
        "",
        *benchkit.table(
            [
                "case",
                "side",
                "seconds",
                "conflict",
                "proven smallest",
                "steps left undecided",
                "repairs",
                "steps decided by",
            ],
            rows,
        ),
        "",
        "## explain PLAN --school / --staff on demo-county (rotation.max_outflow_share 0.03)",
        "",
        "The plan is the after side's solve (the county's policy caps the quota: valid, "
        "schools below quota listed); the schools below quota that have mentor lines, and "
        "one due teacher who stays at schools below quota.",
        "",
        *benchkit.table(["asked", "side", "what explain says"], said),
        "",
    ]
    write(out, section)
    print(out)
    return benchkit.exit_code(args)


if __name__ == "__main__":
    raise SystemExit(main())
