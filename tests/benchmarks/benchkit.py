"""What every benchmark script shares: the ``--smoke`` switch, where results go, tables, and
comparisons that never put a ratio beside a side that failed.

A script adds the options with :func:`options`, asks :func:`results_file` where to write,
describes each side of a comparison as a :class:`Side` and prints :func:`ratio` of two
sides; at the end it returns :func:`exit_code`: 1 when any side crashed (in every mode:
the table says so and the run fails), or, in a smoke run, when any side did not finish.

``--smoke`` (what CI runs, ``tests/test_benchmarks_smoke.py``): tiny sizes and short
limits, results written to a temporary folder (``--out`` or a new one), never to the
recorded ``tests/benchmarks/results/``.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"

#: Statuses a solver reports when it proved its answer optimal.
OPTIMAL = frozenset({"optimal", "OPTIMAL"})

_FAILURES: list[str] = []  # sides that crashed
_STOPPED: list[str] = []  # sides stopped by a wall-clock cap


def options(parser: argparse.ArgumentParser) -> None:
    """``--smoke`` and ``--out``."""
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="tiny sizes and short limits (CI); results go to a temporary folder",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="folder for the results (default: tests/benchmarks/results; with --smoke a "
        "new temporary folder)",
    )


def results_file(args: argparse.Namespace, name: str) -> Path:
    """Where the script writes ``name``: the recorded results, or with ``--smoke`` a
    temporary folder (a smoke run never overwrites a recorded result)."""
    folder: Path | None = args.out
    if args.smoke:
        if folder is None:
            folder = Path(tempfile.mkdtemp(prefix="twinning-bench-smoke-"))
        elif folder.resolve() == RESULTS or RESULTS in folder.resolve().parents:
            raise SystemExit(f"a smoke run does not write into {RESULTS}")
    folder = folder or RESULTS
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name


def own_file(args: argparse.Namespace, path: Path) -> Path:
    """A results file named on the command line (``--md FILE``): refused in a smoke run
    when it is one of the recorded results."""
    if args.smoke and (path.resolve() == RESULTS or RESULTS in path.resolve().parents):
        raise SystemExit(f"a smoke run does not write into {RESULTS}")
    return path


def machine() -> str:
    """The machine, as a results file states it."""
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def load() -> str:
    """The 1-, 5- and 15-minute load averages (``/proc/loadavg``)."""
    try:
        return " / ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


class LoadWatch:
    """The 1-minute load average sampled every few seconds while a benchmark runs (a
    single-threaded benchmark counts for about 1 of it), so that a results file can say
    whether anything else ran beside it."""

    def __init__(self, every: float = 5.0) -> None:
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, args=(every,), daemon=True)

    def _sample(self, every: float) -> None:
        while True:
            self.samples.append(os.getloadavg()[0])
            if self._stop.wait(every):
                return

    def __enter__(self) -> LoadWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def summary(self) -> str:
        if not self.samples:
            return "not sampled"
        mean = sum(self.samples) / len(self.samples)
        return (
            f"1-minute load during the run: mean {mean:.2f}, max {max(self.samples):.2f} "
            f"({len(self.samples)} samples)"
        )


def table(head: list[str], rows: list[list[str]]) -> list[str]:
    """A Markdown table's lines."""
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return lines


@dataclass
class Side:
    """One side of a comparison: what it reported, or why it reported nothing.

    ``failure`` is set when the side crashed (``crashed`` True: a defect, the run fails);
    ``stopped`` when the benchmark's wall-clock cap ended it (``seconds``: how long it had
    run by then). Neither has an answer; a stopped side still bounds its time from below.
    """

    status: str
    seconds: float
    objective: float | None = None
    failure: str | None = None
    crashed: bool = False
    stopped: bool = False

    @classmethod
    def crash(cls, seconds: float, why: str) -> Side:
        """A side that died (an exception, a child's non-zero exit): recorded as a failure."""
        _FAILURES.append(why)
        print(f"FAILED: {why}", file=sys.stderr, flush=True)
        return cls(status="failed", seconds=seconds, failure=why, crashed=True)

    @classmethod
    def killed(cls, seconds: float, cap: float) -> Side:
        """A side stopped by the benchmark's wall-clock cap of ``cap`` seconds, after
        ``seconds`` of its own measured time (what a ratio's lower bound uses)."""
        _STOPPED.append(f"not finished in {cap:g} s")
        return cls(status="stopped", seconds=seconds, stopped=True)

    @property
    def optimal(self) -> bool:
        return self.failure is None and not self.stopped and self.status in OPTIMAL

    @property
    def solved(self) -> bool:
        """The side came back with a plan (proven optimal or not)."""
        return (
            self.failure is None
            and not self.stopped
            and self.objective is not None
            and not (isinstance(self.objective, float) and math.isnan(self.objective))
        )

    def describe(self) -> str:
        """``optimal, 0.4 s``, ``stopped at 780 s``, ``no plan (unknown), 99.0 s`` or
        ``failed (exit 1)``."""
        if self.failure is not None:
            return f"failed ({self.failure})"
        if self.stopped:
            return f"stopped at {self.seconds:.0f} s"
        if not self.solved:
            return f"no plan ({self.status}), {self.seconds:.1f} s"
        return f"{self.status}, {self.seconds:.1f} s"


def ratio(other: Side, base: Side, digits: int = 0) -> str:
    """``other``'s time over ``base``'s, as far as it means something.

    Both proven optimal: ``12x``. ``base`` proven and ``other`` ended unproven (at its own
    time limit with a plan or without one, or stopped by the benchmark's cap): ``at least
    12x (...)``, since it had not proved an optimum by then. Either side crashed:
    ``failed (...)``, never a number. ``base`` without a proven optimum: ``- (...)``.
    """
    for side in (other, base):
        if side.failure is not None:
            return f"failed ({side.failure})"
    if not base.optimal:
        return f"- (not proven optimal: {base.describe()})"
    value = other.seconds / max(base.seconds, 1e-9)
    shown = f"{value:.{digits}f}x"
    if other.optimal:
        return shown
    if other.stopped:
        return f"at least {shown} (stopped at {other.seconds:.0f} s)"
    if not other.solved:
        return f"at least {shown} (no plan in {other.seconds:.0f} s: {other.status})"
    return f"at least {shown} (not proven optimal: {other.status})"


def objective(other: Side, base: Side) -> str:
    """``other``'s objective beside ``base``'s: ``1,234 (equal)``, ``1,300 (+5.35%)``
    (its gap to ``base``), or ``-`` when either has no plan."""
    if not other.solved:
        return "-"
    assert other.objective is not None
    shown = f"{other.objective:,.0f}" if abs(other.objective) >= 100 else f"{other.objective:g}"
    if not base.solved:
        return shown
    assert base.objective is not None
    if math.isclose(other.objective, base.objective, rel_tol=1e-9, abs_tol=1e-9):
        return f"{shown} (equal)"
    gap = (other.objective - base.objective) / max(abs(base.objective), 1e-9)
    return f"{shown} ({gap:+.2%})"


def same_objective(other: Side, base: Side) -> str:
    """``yes`` / ``NO`` when both have a plan, else ``-``."""
    if not (other.solved and base.solved):
        return "-"
    assert other.objective is not None and base.objective is not None
    return "yes" if math.isclose(other.objective, base.objective, rel_tol=1e-9) else "NO"


def note_failure(why: str) -> None:
    """A failure found outside a :class:`Side` (a check that should have held)."""
    _FAILURES.append(why)
    print(f"FAILED: {why}", file=sys.stderr, flush=True)


def exit_code(args: argparse.Namespace) -> int:
    """1 when a side crashed, or (``--smoke``) was stopped by its cap; else 0."""
    failed = _FAILURES + (_STOPPED if args.smoke else [])
    if failed:
        print(f"{len(failed)} comparison side(s) failed: {'; '.join(failed)}", file=sys.stderr)
        return 1
    return 0
