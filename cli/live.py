"""A solve as the planner watches it: the live line (or log lines), and Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any, NoReturn

from twinning.cli.common import err_console
from twinning.messages import Lang, render, say, word
from twinning.models.search import STOP, Progress

#: After a Ctrl-C, how long to wait for the search to hand back its best plan; a search
#: on a very large model can take several seconds to stop (measured: up to 6 s on a
#: 900,000-option county-wide roster), and the planner asked to stop now.
STOP_GRACE_SECONDS = 1.5

#: Seconds between log lines of a long search when the output is not a terminal.
LOG_EVERY = 5.0

#: Seconds without a log line after which the line is printed again as it stands (its
#: elapsed time moved on): a step that reports nothing for long (a city's model being
#: built, a flow) still shows the run alive at least every 10 s.
HEARTBEAT = 8.0

#: Seconds the heartbeat is given to end when told; one still importing (after a step
#: shorter than its start-up) is stopped instead: it has printed nothing yet.
STOP_HEARTBEAT = 0.5


def interruptible(lang: Lang, work: Callable[[Callable[[Any], None]], Any]) -> Any:
    """Run a solve in a worker thread so that Ctrl-C stops the search, not the program.

    Python runs signal handlers in the main thread only between bytecodes; a search running
    in C++ on the main thread would hold Ctrl-C back until it ended. ``work`` receives a
    function to call with the result so far after each part: when the search does not
    stop within :data:`STOP_GRACE_SECONDS` of a Ctrl-C, that result is returned (the
    unfinished part left out) and the search thread is abandoned.
    """
    STOP.clear()
    box: dict[str, Any] = {}

    def keep(partial: Any) -> None:
        box["partial"] = partial

    def target() -> None:
        try:
            box["result"] = work(keep)
        except BaseException as exc:  # re-raised in the main thread below
            box["error"] = exc

    asked: list[float] = []

    def on_sigint(signum: int, frame: Any) -> None:
        if STOP.requested:  # a second Ctrl-C: give up at once
            raise KeyboardInterrupt
        err_console.print("\n" + say("cli.stopping", lang), style="yellow")
        asked.append(time.monotonic())
        STOP.request()

    previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        thread = threading.Thread(target=target, name="twinning-solve", daemon=True)
        thread.start()
        while thread.is_alive():
            thread.join(0.1)
            if asked and time.monotonic() - asked[0] > STOP_GRACE_SECONDS:
                break
    finally:
        signal.signal(signal.SIGINT, previous)
    if "error" in box:
        raise box["error"]
    if "result" not in box:
        partial = box.get("partial")
        if partial is None:
            err_console.print(say("cli.interrupted_early", lang), style="bold yellow")
            exit_now(130)
        # The run did not finish the parts asked: its status is unknown (the plan's own
        # status still speaks for the parts it holds).
        plan = partial.plan.model_copy(update={"interrupted": True})
        return partial.model_copy(update={"interrupted": True, "status": "unknown", "plan": plan})
    return box["result"]


def exit_now(code: int) -> NoReturn:
    """Exit without waiting for an abandoned search thread or freeing a large model."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


class Live:
    """What the planner sees while a solve runs: one live line on a terminal (part, step,
    gap, elapsed), plain log lines otherwise, nothing with ``--quiet``. Elapsed time is the
    command's own clock, so it never jumps back; gaps, not a search's own objective (which
    for a roster group may be negative), are shown."""

    def __init__(self, quiet: bool, lang: Lang = "en", start: float | None = None) -> None:
        self.quiet = quiet
        self.lang = lang
        self.start = time.monotonic() if start is None else start
        self.last: Progress | None = None
        self.logged = 0.0
        self.status: Any = None
        #: the heartbeat's end of a pipe (plain lines): each line printed is sent to it
        self.watcher: Any = None

    def head(self) -> str:
        """The line without its elapsed time: part, step, gap (a step of the command's
        own, such as writing the files, has no part)."""
        e, lang = self.last, self.lang
        parts = [word(f"part.{e.part}", lang) if e is not None else say("cli.starting", lang)]
        if e is not None and not e.part:
            parts = []
        if e is not None and e.step is not None:
            parts.append(render(e.step, lang))
        if e is not None and e.gap is not None:
            parts.append(say("cli.gap", lang, gap=e.gap))
        return " · ".join(parts)

    def text(self) -> str:
        return line_text(self.head(), time.monotonic() - self.start, self.lang)

    def __call__(self, event: Progress) -> None:
        self.last = event
        if self.quiet:
            return
        if self.status is not None:
            self.status.update(self.text())
            return
        now = time.monotonic()
        # Plain lines: every part's start and end and every roster group, at most one every
        # few seconds for the rest (each improving plan of a long search).
        milestone = not event.solutions
        if milestone or now - self.logged >= LOG_EVERY:
            self.log(now)

    def log(self, now: float) -> None:
        """One plain line: the progress as it stands (and the heartbeat told)."""
        self.logged = now
        head = self.head()
        text = line_text(head, now - self.start, self.lang)
        err_console.print(stamped(now - self.start, text), markup=False)
        if self.watcher is not None:
            try:
                self.watcher.send((head, now))
            except (OSError, ValueError):
                self.watcher = None  # the heartbeat is gone: the lines go on without it


def line_text(head: str, elapsed: float, lang: Lang) -> str:
    """A progress line's text: its head and the elapsed seconds."""
    return f"{head} · {say('cli.seconds', lang, s=elapsed)}"


def stamped(elapsed: float, text: str) -> str:
    """A plain progress line: ``[   12.3 s] text``."""
    return f"[{elapsed:7.1f} s] {text}"


def heartbeat(
    conn: Any, start: float, lang: Lang, every: float, poll: float = 1.0, times: int = -1
) -> None:
    """The heartbeat's loop (in a process of its own, so that a step holding the
    interpreter, such as a large min-cost flow, cannot stop it): the last line printed is
    printed again, its elapsed time moved on, when none was printed for ``every``
    seconds; ends when told (None), when the solve's end of the pipe closes, or after
    ``times`` lines when that is not negative."""
    head: str | None = None
    last = time.monotonic()
    while True:
        try:
            if conn.poll(poll):
                got = conn.recv()
                if got is None:
                    return
                head, last = got
                continue
        except (EOFError, OSError):
            return
        now = time.monotonic()
        if head is not None and now - last >= every:
            last = now
            sys.stderr.write(stamped(now - start, line_text(head, now - start, lang)) + "\n")
            sys.stderr.flush()
            times -= 1
            if not times:
                return


class _Lines:
    """One end of the heartbeat's pipe as JSON lines: ``send`` on the solve's side (the
    child's stdin, a text stream), ``poll`` and ``recv`` on the heartbeat's (its own
    stdin, read as bytes from the descriptor: lines that came together are all read, and
    ``poll`` sees the ones read but not yet taken, which ``select`` on a buffered stream
    would not, so an old line is never repeated while newer ones wait)."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.buffer = b""

    def send(self, item: Any) -> None:
        self.stream.write(json.dumps(item) + "\n")
        self.stream.flush()

    def poll(self, timeout: float) -> bool:
        import select

        if b"\n" in self.buffer:
            return True
        return bool(select.select([self.stream], [], [], timeout)[0])

    def recv(self) -> Any:
        while b"\n" not in self.buffer:
            got = os.read(self.stream.fileno(), 65536)
            if not got:
                raise EOFError
            self.buffer += got
        line, _, self.buffer = self.buffer.partition(b"\n")
        return json.loads(line)


def heartbeat_main() -> None:
    """The heartbeat process: ``python -c "...; heartbeat_main()" START LANG EVERY``."""
    start, lang, every = float(sys.argv[1]), sys.argv[2], float(sys.argv[3])
    heartbeat(_Lines(sys.stdin), start, lang, every)  # type: ignore[arg-type]


@contextmanager
def _beating(live: Live) -> Iterator[None]:
    """Plain lines: a heartbeat process (:func:`heartbeat`) prints the line again after
    :data:`HEARTBEAT` seconds without one (the clock is the system's monotonic one, shared
    by both processes)."""
    import subprocess

    code = "from twinning.cli.live import heartbeat_main; heartbeat_main()"
    args = [str(live.start), live.lang, str(HEARTBEAT)]
    try:
        proc = subprocess.Popen(
            [sys.executable, "-c", code, *args], stdin=subprocess.PIPE, text=True
        )
    except OSError:
        yield  # no heartbeat where no process can be started: the lines alone
        return
    assert proc.stdin is not None
    live.watcher = _Lines(proc.stdin)
    try:
        yield
    finally:
        live.watcher = None
        with suppress(OSError, ValueError):
            proc.stdin.write("null\n")
            proc.stdin.close()
        try:
            proc.wait(timeout=STOP_HEARTBEAT)
        except subprocess.TimeoutExpired:  # still starting (a short step): not waited for
            proc.kill()
            proc.wait()


@contextmanager
def live_line(quiet: bool = False, lang: Lang = "en", start: float | None = None) -> Iterator[Live]:
    """Progress during a solve: see :class:`Live` (``start``: the command's start on the
    monotonic clock, from which the elapsed time is counted; default now)."""
    live = Live(quiet, lang, start)
    if quiet:
        yield live
        return
    if not err_console.is_terminal:
        with _beating(live):
            yield live
        return
    with err_console.status(live.text()) as status:
        live.status = status
        stop = threading.Event()

        def tick() -> None:  # the elapsed time moves on between events
            while not stop.wait(0.5):
                status.update(live.text())

        ticker = threading.Thread(target=tick, daemon=True)
        ticker.start()
        try:
            yield live
        finally:
            stop.set()
