"""Where the web desk keeps what it is given and what it makes: one folder, ``--data``.

::

    DATA/counties/<id>/meta.json      the county as brought: its file's name, when, language
    DATA/counties/<id>/<name>.xlsx    the file as uploaded (or <name>/ with a zip's CSV files)
    DATA/counties/<id>/read.json      the read report: every error and warning, both languages
    DATA/jobs/<id>/job.json           the request: county, parts, settings, time limit
    DATA/jobs/<id>/state.json         queued / running / done / failed / cancelled, the result
    DATA/jobs/<id>/progress.jsonl     the search's progress, one line an event
    DATA/jobs/<id>/out/               the plan's files, as ``twinning solve`` writes them
    DATA/registry.db                  the plan registry (unless ``--registry`` names another)

Every id is 24 characters of a URL-safe random token (144 bits): a job or county cannot be
guessed, and an id is checked against :data:`ID` before it becomes part of a path. Every
JSON file is written atomically, so a restart finds each job as it last was.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from pathlib import Path
from typing import Any

from twinning.io.files import atomic_write

#: An id as the desk makes them (:func:`new_id`); anything else is never a path.
ID = re.compile(r"^[A-Za-z0-9_-]{24}$")

#: A job's statuses, as the API names them.
STATUSES = ("queued", "running", "done", "failed", "cancelled")


def new_id() -> str:
    """A fresh unguessable id (18 random bytes, URL-safe)."""
    return secrets.token_urlsafe(18)


def valid_id(text: str) -> bool:
    """Whether ``text`` is an id the desk could have made."""
    return bool(ID.match(text))


def read_json(path: Path, default: Any = None) -> Any:
    """A JSON file's value, or ``default`` when it is missing or unreadable."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return default


def write_json(path: Path, value: Any) -> None:
    """Write ``value`` as JSON, atomically."""
    atomic_write(path, json.dumps(value, ensure_ascii=False, indent=1).encode("utf-8"))


class Store:
    """The data folder: counties and jobs, each a folder named by its id."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.counties = root / "counties"
        self.jobs = root / "jobs"
        for folder in (self.counties, self.jobs):
            folder.mkdir(parents=True, exist_ok=True)

    def county_dir(self, cid: str) -> Path | None:
        """A county's folder, or None for an id that is not one."""
        if not valid_id(cid):
            return None
        folder = self.counties / cid
        return folder if (folder / "meta.json").is_file() else None

    def job_dir(self, jid: str) -> Path | None:
        """A job's folder, or None for an id that is not one."""
        if not valid_id(jid):
            return None
        folder = self.jobs / jid
        return folder if (folder / "job.json").is_file() else None

    def county(self, cid: str) -> dict[str, Any] | None:
        """A county's meta.json with its read report (``read``), or None."""
        folder = self.county_dir(cid)
        if folder is None:
            return None
        meta: dict[str, Any] = read_json(folder / "meta.json", {})
        meta["read"] = read_json(folder / "read.json")
        return meta

    def all_counties(self) -> list[dict[str, Any]]:
        """Every county, newest first."""
        found = [self.county(p.name) for p in self.counties.iterdir()]
        return sorted((c for c in found if c), key=lambda c: -c.get("created", 0))

    def job(self, jid: str) -> dict[str, Any] | None:
        """A job's request and state merged, or None."""
        folder = self.job_dir(jid)
        if folder is None:
            return None
        job: dict[str, Any] = read_json(folder / "job.json", {})
        job.update(read_json(folder / "state.json", {}))
        return job

    def all_jobs(self) -> list[dict[str, Any]]:
        """Every job, oldest first."""
        found = [self.job(p.name) for p in self.jobs.iterdir()]
        return sorted((j for j in found if j), key=lambda j: j.get("created", 0))

    def set_state(self, jid: str, **changes: Any) -> dict[str, Any]:
        """Update a job's state.json with ``changes``; the state as it now is."""
        path = self.jobs / jid / "state.json"
        state: dict[str, Any] = read_json(path, {})
        state.update(changes)
        write_json(path, state)
        return state

    def new_job(self, request: dict[str, Any]) -> str:
        """A queued job for ``request`` (county, instance path, parts, settings, limit)."""
        jid = new_id()
        folder = self.jobs / jid
        folder.mkdir(parents=True)
        write_json(folder / "job.json", {"id": jid, "created": time.time(), **request})
        write_json(folder / "state.json", {"status": "queued"})
        return jid

    def progress(self, jid: str, last: int | None = None) -> list[dict[str, Any]]:
        """A job's progress events (the ``last`` ones when given)."""
        path = self.jobs / jid / "progress.jsonl"
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError:
            return []
        if last is not None:
            lines = lines[-last:]
        events = []
        for line in lines:
            try:
                events.append(json.loads(line))
            except ValueError:  # a line being written
                continue
        return events


__all__ = ["ID", "STATUSES", "Store", "new_id", "read_json", "valid_id", "write_json"]
