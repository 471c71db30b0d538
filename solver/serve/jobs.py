"""The desk's jobs: a bounded queue, one solve per worker, each in a process of its own.

:class:`Runner` takes jobs from a first-in first-out queue with ``workers`` solves at a
time (default: the number of cores); each solve is ``python -m twinning.serve.worker solve
JOBDIR`` (:mod:`twinning.serve.worker`), in a session of its own so that a Ctrl-C meant for
the server does not reach it. A stop sends the solve SIGINT, which it takes as
``twinning solve`` takes Ctrl-C: the best plan so far is written and the job ends
``cancelled`` with its result. A job's state lives in its folder (:class:`Store`): when the
server starts, the jobs that were queued or running when it last stopped are queued again,
so none is lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

from twinning.serve.store import Store, read_json

#: Seconds a stopped solve is given to write its best plan before it is killed.
STOP_KILL_AFTER = 20.0

#: Seconds a read or an adoption may take before it is given up.
TASK_SECONDS = 600.0


def worker_command(task: str, folder: Path, *extra: str) -> list[str]:
    """The command line of a worker process."""
    return [sys.executable, "-m", "twinning.serve.worker", task, str(folder), *extra]


async def run_task(task: str, folder: Path, *extra: str) -> int:
    """Run a short task (read, adopt) in a worker process and wait for it; its exit code."""
    log = open(folder / f"{task}.log", "ab")  # noqa: SIM115 - closed below
    try:
        proc = await asyncio.create_subprocess_exec(
            *worker_command(task, folder, *extra),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        try:
            return await asyncio.wait_for(proc.wait(), TASK_SECONDS)
        except (TimeoutError, asyncio.CancelledError):
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            raise
    finally:
        log.close()


class Runner:
    """The queue and its workers (see the module docstring)."""

    def __init__(self, store: Store, workers: int) -> None:
        self.store = store
        self.workers = max(1, workers)
        self.queue: asyncio.Queue[str] = asyncio.Queue()
        self.running: dict[str, asyncio.subprocess.Process] = {}
        self.stopping: set[str] = set()
        self.tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        """Queue again what a previous run left queued or running; start the workers."""
        for job in self.store.all_jobs():
            if job.get("status") in ("queued", "running"):
                self.store.set_state(job["id"], status="queued")
                self.queue.put_nowait(job["id"])
        self.tasks = [asyncio.create_task(self._work()) for _ in range(self.workers)]

    async def close(self) -> None:
        """Stop the workers; solves still running are ended and will run again after a
        restart (their state stays ``running``)."""
        for task in self.tasks:
            task.cancel()
        for proc in list(self.running.values()):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
        for task in self.tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def submit(self, request: dict[str, Any]) -> str:
        """Queue a new job; its id."""
        jid = self.store.new_job(request)
        self.queue.put_nowait(jid)
        return jid

    def queued_ahead(self, jid: str) -> int:
        """How many jobs wait before ``jid`` in the queue."""
        waiting = list(self.queue._queue)  # type: ignore[attr-defined]
        return waiting.index(jid) if jid in waiting else 0

    def stop(self, jid: str) -> bool:
        """Stop a job: a queued one is cancelled at once, a running one is told to stop
        (its best plan so far is kept). False when the job has ended already."""
        job = self.store.job(jid)
        if job is None or job.get("status") not in ("queued", "running"):
            return False
        self.stopping.add(jid)
        proc = self.running.get(jid)
        if proc is None:
            self.store.set_state(jid, status="cancelled", ended=time.time())
            return True
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGINT)
        self.store.set_state(jid, stop_asked=time.time())
        return True

    async def _work(self) -> None:
        while True:
            jid = await self.queue.get()
            try:
                await self._run(jid)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the server goes on; the job says what went wrong
                from twinning.messages import say

                said = {g: say("serve.job.crashed", g, code=repr(exc)) for g in ("en", "zh")}
                self.store.set_state(jid, status="failed", error=said)
            finally:
                self.queue.task_done()

    async def _run(self, jid: str) -> None:
        job = self.store.job(jid)
        if job is None or job.get("status") != "queued" or jid in self.stopping:
            return
        folder = self.store.jobs / jid
        for stale in ("result.json", "error.json", "progress.jsonl", "rules.json"):
            with contextlib.suppress(FileNotFoundError):
                (folder / stale).unlink()
        self.store.set_state(jid, status="running", started=time.time())
        log = open(folder / "solve.log", "ab")  # noqa: SIM115 - closed below
        try:
            proc = await asyncio.create_subprocess_exec(
                *worker_command("solve", folder),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
            self.running[jid] = proc
            try:
                code = await self._wait(jid, proc)
            finally:
                self.running.pop(jid, None)
        finally:
            log.close()
        self._finish(jid, folder, code)

    async def _wait(self, jid: str, proc: asyncio.subprocess.Process) -> int:
        """The solve's exit code. A solve told to stop ends its job as soon as its best
        plan is written (the other files follow while the worker slot stays taken); one
        that does not end is killed."""
        folder = self.store.jobs / jid
        while True:
            try:
                return await asyncio.wait_for(asyncio.shield(proc.wait()), 0.2)
            except TimeoutError:
                state = self.store.job(jid) or {}
                asked = state.get("stop_asked")
                if not asked:
                    continue
                if state.get("status") == "running":
                    result = read_json(folder / "result.json")
                    if result is not None:
                        self.store.set_state(
                            jid, status="cancelled", ended=time.time(), result=result
                        )
                if time.time() - asked > STOP_KILL_AFTER:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(proc.pid, signal.SIGKILL)

    def _finish(self, jid: str, folder: Path, code: int) -> None:
        result = read_json(folder / "result.json")
        error = read_json(folder / "error.json")
        ended = time.time()
        stopped = jid in self.stopping
        self.stopping.discard(jid)
        if stopped:
            before = (self.store.job(jid) or {}).get("ended")
            self.store.set_state(
                jid, status="cancelled", ended=before or ended, result=result, code=code
            )
        elif code == 0 and result is not None:
            self.store.set_state(jid, status="done", ended=ended, result=result, code=code)
        else:
            if error is None:
                from twinning.messages import say

                error = {"error": {g: say("serve.job.crashed", g, code=code) for g in ("en", "zh")}}
            self.store.set_state(
                jid,
                status="failed",
                ended=ended,
                code=code,
                error=error.get("error"),
                problems=error.get("problems", []),
            )


__all__ = ["Runner", "run_task", "worker_command"]
