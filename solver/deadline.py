"""``--time-limit`` as a planner reads it: seconds for the whole command, from its start.

A planner who gives ``twinning solve --time-limit 600`` expects the command to be done in
ten minutes, not the search alone. So the limit is a deadline counted from the start of
the process (:meth:`Deadline.from_process_start`), and everything the command does comes
out of it:

- reading the instance (already spent when the parts start);
- the parts, which share what is left (:func:`twinning.solving.part_share`) after
- a reserve for the work after them: checking the plan, writing the files asked for, and
  ending the command (:func:`after_parts`, estimated from the instance's size on the
  costs measured on the 2,000-school county and the 10,000-school city, scaled by how much
  slower than its CPU time the command has run so far: a busy machine writes slowly too);
- the short explanation after an infeasible roster: at most a fixed share of the limit
  (:func:`explain_share`), kept only while the roster may still need it (it is to be
  solved, or it ended infeasible). It stops when its time is up and says so.

The clock can be injected (a test gives its own), so that what each step is given is a
pure function of the time spent.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field

#: Seconds per member of staff of the work after the parts, on a quiet machine: the
#: check of a plan that misses a rule (or the report's, of one that keeps them all) and
#: each output format. Measured (CPU seconds) on /work/bench/county2000 (80,000 staff,
#: every part: check 4.3 s, plan.json and summary.json 1.1 s, the tables, CSV files and
#: roster reasons 2.4 s, plan.xlsx 2.5-3.5 s, report.html 2.3 s) and /work/bench/city10000
#: (400,000 staff, pairs, alliances, roster: check 19.7 s, the rest a smaller share per
#: member of staff); see tests/benchmarks/results/county2000.md and city10000.md. The
#: larger of the two sizes' per-staff costs, rounded up.
CHECK_PER_STAFF = 55e-6
WRITE_PER_STAFF: dict[str, float] = {
    "json": 15e-6,
    "csv": 30e-6,  # the plan's tables made, each roster line's reason
    "xlsx": 45e-6,
    "html": 30e-6,
}

#: Seconds the command takes after its last step whatever the size: the summary on the
#: console, the files moved into place, the interpreter's exit.
END_SECONDS = 1.5

#: The most the reserve after the parts is scaled by when the machine is busy (the ratio
#: of wall to CPU seconds of the command so far).
SLOWDOWN_MOST = 3.0

#: The short explanation after an infeasible solve: this share of the limit, at most
#: :data:`EXPLAIN_MOST` seconds (`twinning explain` is the one that searches longer).
EXPLAIN_SHARE = 1 / 6
# 9 s of search: the explanation's whole step (its search, then the conflict and repairs
# printed) took 10.6-11.0 s on the 2,000-school county with 10 s (county2000.md), and
# issue 25 asks at most 10 s.
EXPLAIN_MOST = 9.0

#: The parts whose infeasibility the short explanation explains (the rules it can relax
#: are the roster's: :data:`twinning.explain.infeasible.RULES`).
EXPLAINED_PARTS = frozenset({"roster"})


class _Process:
    """Whether this process was started to run one command (the console entry point
    says so, :func:`twinning.cli.main.main`): then a command's deadline counts from the
    process's start; otherwise (a command run in-process, as the tests run them) from the
    command's own start. Such a command may leave what it built in ``keep``: the process
    then ends without freeing it object by object (a county's instance, plan and roster
    options take a second or more to free, all inside the time limit)."""

    def __init__(self) -> None:
        self.one_command = False
        self.keep: list[object] = []

    def keeping(self, *found: object) -> None:
        """Leave ``found`` to the process's end (only when it runs this one command)."""
        if self.one_command:
            self.keep.extend(found)


PROCESS = _Process()


def explain_share(limit: float) -> float:
    """Seconds of the short explanation under a time limit of ``limit`` seconds."""
    return min(EXPLAIN_MOST, max(0.0, limit) * EXPLAIN_SHARE)


def after_parts(staff: int, formats: Collection[str], slowdown: float = 1.0) -> float:
    """Seconds to keep after the parts for checking the plan, writing ``formats`` and
    ending the command, for a county of ``staff`` members of staff, ``slowdown`` times
    slower than a quiet machine (bounded by :data:`SLOWDOWN_MOST`)."""
    per_staff = CHECK_PER_STAFF + sum(WRITE_PER_STAFF.get(f, 0.0) for f in formats)
    factor = min(SLOWDOWN_MOST, max(1.0, slowdown))
    return END_SECONDS + factor * per_staff * max(0, staff)


def process_age() -> float:
    """Seconds since this process started (interpreter start-up and imports included);
    0 where the system does not say."""
    try:
        import psutil

        return max(0.0, time.time() - psutil.Process().create_time())
    except Exception:  # no psutil or no /proc: count from now
        return 0.0


def slowdown_so_far(age: float) -> float:
    """How much slower than its CPU time the process has run so far (1: a quiet
    machine; 4: three other programs competing for each core)."""
    cpu = time.process_time()
    return age / cpu if cpu > 0.05 and age > 0 else 1.0


@dataclass
class Deadline:
    """The command's deadline: ``limit`` seconds from ``start`` on ``clock``.

    ``after`` seconds are kept for the work after the parts (:func:`after_parts`) and
    ``explain`` for the short explanation after an infeasible part among
    ``explained``. :meth:`for_parts` is what the parts still to plan share;
    :meth:`for_explanation` what the explanation may take once the files are written.
    """

    limit: float
    start: float
    clock: Callable[[], float] = time.monotonic
    after: float = 0.0
    explain: float = 0.0
    explained: frozenset[str] = field(default_factory=lambda: EXPLAINED_PARTS)

    @classmethod
    def from_now(cls, limit: float, clock: Callable[[], float] = time.monotonic) -> Deadline:
        """``limit`` seconds from now, nothing kept after the parts (a library call: the
        time limit is the parts')."""
        return cls(limit=limit, start=clock(), clock=clock)

    @classmethod
    def from_process_start(
        cls, limit: float, clock: Callable[[], float] = time.monotonic
    ) -> Deadline:
        """``limit`` seconds from the start of this process (the command as the planner
        started it: the interpreter's start-up and imports count)."""
        return cls(limit=limit, start=clock() - process_age(), clock=clock)

    @classmethod
    def for_command(cls, limit: float, clock: Callable[[], float] = time.monotonic) -> Deadline:
        """A command's deadline: from the process's start when the process runs this one
        command (:data:`PROCESS`), else from now."""
        if PROCESS.one_command:
            return cls.from_process_start(limit, clock)
        return cls.from_now(limit, clock)

    def elapsed(self) -> float:
        """Seconds spent since the start."""
        return self.clock() - self.start

    def left(self) -> float:
        """Seconds until the deadline (negative once past it)."""
        return self.limit - self.elapsed()

    def keep(
        self, staff: int, formats: Collection[str], *, explain: bool, slowdown: float = 1.0
    ) -> None:
        """Keep the reserve after the parts for a county of ``staff`` writing ``formats``
        (:func:`after_parts`), and the explanation's share when ``explain``."""
        self.after = after_parts(staff, formats, slowdown)
        self.explain = explain_share(self.limit) if explain else 0.0

    def for_parts(
        self, pending: Collection[str] = (), statuses: Mapping[str, str] | None = None
    ) -> float:
        """Seconds the parts still to plan share: what is left, less the reserve after
        the parts, less the explanation's share while an explained part is ``pending``
        or ended infeasible (``statuses``: the parts planned so far)."""
        done = statuses or {}
        explaining = any(p in self.explained for p in pending) or any(
            done.get(p) == "infeasible" for p in self.explained
        )
        return self.left() - self.after - (self.explain if explaining else 0.0)

    def for_explanation(self) -> float:
        """Seconds the explanation may take now: its share, within what is left before
        the command's end (never negative)."""
        return max(0.0, min(self.explain, self.left() - END_SECONDS))


__all__ = [
    "CHECK_PER_STAFF",
    "END_SECONDS",
    "EXPLAIN_MOST",
    "EXPLAIN_SHARE",
    "PROCESS",
    "WRITE_PER_STAFF",
    "Deadline",
    "after_parts",
    "explain_share",
    "process_age",
    "slowdown_so_far",
]
