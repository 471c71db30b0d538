"""The long fuzz run: the strategies of ``tests/fuzzing.py`` (damaged instances in four
formats, damaged plans, odd command lines, plans known to break a rule) at many examples,
every case held to the contract (exit 0, 1 or 2, no traceback, inputs unchanged, nothing
written where nobody asked, a plan breaking a rule never valid).

Run from the repository root::

    python tests/benchmarks/fuzz_long.py [--examples 300] [--seed 0]

Unlike the bounded run of the default suite (``tests/test_fuzz.py``, fixed examples), a
failing case does not stop the run: each finding is kept once (by what broke and the
command), with the case that found it, and the run goes on. Results (examples, seconds,
exits, findings) go to ``tests/benchmarks/results/fuzz.md``; any finding makes the run
exit 1. ``--smoke`` (CI) runs two examples of each strategy and writes to a temporary
folder. The seed makes a run reproducible (``--seed``): the same seed, the same cases.
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests import fuzzing as fz  # noqa: E402
from tests.benchmarks import benchkit  # noqa: E402

#: What the fuzz suite found, each fixed with a regression test (tests/test_fuzz_found.py).
FOUND = [
    "A roster line stating a role or subject the person does not have (`role: principal` "
    "for a teacher, `subject: 体育` for an English teacher) passed `validate` (exit 0) and "
    "`adopt` stored it as written: the checks counted the instance's role and subject. "
    "Found by the breaches `role` and `subject`; now `[plan.roster_figures]` "
    "(`check_stated_person`), exit 1.",
    "`generate -o -` wrote a county into a folder called `-`, `generate -o ''` into the "
    "current folder, `batch -o ''` its `summary.csv` there (`solve`, `frontier`, `history`, "
    "`report --html/--xlsx` alike): found by the command lines (the `dash` and `empty` "
    "path kinds), the files left in the working tree. Now exit 2 before any work, in the "
    "planner's language; `.` still names the current folder.",
    "`validate DEMO loop-a`, a plan.json that is a loop of links: `OSError` (too many "
    "levels of symbolic links), exit 3. Found by the command lines (the `loop` path "
    "kind); now exit 2 naming the link.",
    "`batch ... --out a-file`: every instance solved, then `FileExistsError` writing "
    "`summary.csv`, exit 3. Found by the command lines; now exit 2 before any solve.",
]


def strategies(ws: fz.Workspace) -> dict[str, tuple[Any, Callable[[Any], Any]]]:
    breaches = st.builds(
        fz.Breach, st.sampled_from(sorted(fz.BREACHES)), st.integers(0, 200), st.booleans()
    )
    return {
        "instance (folder, xlsx, json, yaml)": (
            fz.instance_cases(),
            lambda c: fz.run_instance_case(ws, c),
        ),
        "plan (plan.json edits)": (fz.plan_cases(), lambda c: fz.run_plan_case(ws, c)),
        "command line": (fz.command_lines(), lambda c: fz.run_command_line(ws, c)),
        "breach (validate)": (breaches, lambda b: fz.run_breach(ws, b)),
        "breach (adopt)": (breaches, lambda b: fz.run_breach(ws, b, command="adopt")),
    }


def run(
    strategy: Any, body: Callable[[Any], Any], examples: int, at: int
) -> tuple[int, float, dict[str, tuple[str, str]]]:
    """``examples`` cases of one strategy; the distinct findings, each with its case."""
    found: dict[str, tuple[str, str]] = {}
    done = [0]

    @given(strategy)
    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @seed(at)
    def one(case: Any) -> None:
        done[0] += 1
        try:
            body(case)
        except (AssertionError, LookupError) as exc:
            if isinstance(exc, LookupError):  # a breach with no row to break
                return
            text = str(exc)
            key = (
                text.splitlines()[0][:160]
                + " | "
                + next(
                    (line for line in text.splitlines() if line.startswith("$ twinning")), ""
                ).split(" /")[0]
            )
            found.setdefault(key, (repr(case)[:600], text[:3000]))

    started = time.monotonic()
    one()
    return done[0], time.monotonic() - started, found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    benchkit.options(parser)
    parser.add_argument("--examples", type=int, default=300, help="cases per strategy")
    parser.add_argument("--seed", type=int, default=0, help="hypothesis seed")
    args = parser.parse_args()
    examples = 2 if args.smoke else args.examples
    results = benchkit.results_file(args, "fuzz.md")
    command = "python tests/benchmarks/fuzz_long.py" + (
        " --smoke" if args.smoke else f" --examples {examples} --seed {args.seed}"
    )
    started = time.monotonic()
    with benchkit.LoadWatch() as watch:
        ws = fz.new_workspace()
        setup = time.monotonic() - started
        rows = []
        findings: dict[str, tuple[str, str]] = {}
        for name, (strategy, body) in strategies(ws).items():
            first = len(fz.RUNS)
            n, seconds, found = run(strategy, body, examples, args.seed)
            exits = collections.Counter(code for _, _, code, _ in fz.RUNS[first:])
            tally = ", ".join(f"{code}: {k}" for code, k in sorted(exits.items()))
            rows.append([name, str(n), f"{seconds:.0f}", f"{seconds / max(n, 1):.2f}", tally])
            rows[-1].append(str(len(found)))
            findings.update({f"{name}: {k}": v for k, v in found.items()})
            print(f"{name}: {n} cases, {seconds:.0f} s, exits {tally}", flush=True)
        fz.cleanup(ws.root)
    total = time.monotonic() - started
    lines = [
        "# Fuzz suite",
        "",
        f"Command: `{command}`",
        f"Date: {date.today().isoformat()}, {benchkit.machine()}.",
        f"Load: {benchkit.load()} at the end; {watch.summary()}.",
        "",
        "Strategies (`tests/fuzzing.py`): damaged instances (a CSV folder: cells, headers, "
        "columns, rows twice or dropped, ragged rows, bytes, encodings, BOM, delimiters, "
        "line ends, NUL, links broken or looping, unreadable files, extra tables, policy "
        "keys and text; a workbook: cells, formulas, sheets dropped, renamed, hidden, "
        "title rows, merged cells, truncated or flipped bytes, not a zip; a JSON or YAML "
        "document: nodes replaced, deleted, duplicated, wrapped or nested, text truncated, "
        "BOM, not UTF-8, 100,000 deep, keys twice, NaN literals, alias bombs, tags), each "
        "run through validate, solve, report or explain; damaged plans (ids unknown, rows "
        "twice or dropped, fields of any JSON type, version, format, parts, status, "
        "settings, another county's plan, text damage) through validate, report, explain, "
        "adopt, solve --baseline and --with; command lines of every command with odd "
        "paths (missing, a folder for a file, links, empty, `-`) and odd values of every "
        "flag; and plans known to break a rule (23 kinds, stated objectives forged or "
        "not) through validate and adopt.",
        "",
        "Each case: exit 0, 1 or 2 (never 3), no traceback, the inputs byte for byte as "
        "they were, nothing written in the working folder, and a plan breaking a rule "
        "exit 1 naming it (adopt records nothing).",
        "",
        f"Setup (the demo county solved once, every part; a workbook and a document "
        f"written): {setup:.0f} s. Whole run: {total:.0f} s.",
        "",
        *benchkit.table(
            ["strategy", "examples", "seconds", "s/example", "exits", "findings"], rows
        ),
        "",
        "In the default suite (`tests/test_fuzz.py`, derandomized, no example database): "
        + ", ".join(f"{k} {v}" for k, v in fz.DEFAULT_EXAMPLES.items())
        + " examples, every breach once, three adopted.",
        "",
        "## Findings of this run",
        "",
    ]
    if not findings:
        lines.append("None: every case kept the contract.")
    for key, (case, text) in findings.items():
        benchkit.note_failure(key)
        lines += [f"- {key}", "", "  ```", *("  " + t for t in text.splitlines()[:30])]
        lines += ["  ```", f"  case: `{case}`", ""]
    lines += ["", "## Found by the fuzz suite and fixed", ""]
    lines += [f"- {item}" for item in FOUND]
    results.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"results written to {results}")
    return benchkit.exit_code(args)


if __name__ == "__main__":
    sys.exit(main())
