"""Writing files safely: every output goes to a temporary name and is moved into place
only when it is whole, so a crash or Ctrl-C never leaves a half-written file.

Files and folders are created with the modes ordinary tools give (0666 and 0777 less
the umask: 0644 and 0755 under the usual 022). :mod:`tempfile` creates them 0600 and
0700, private to their owner, which left a bureau's shared output folder unreadable to
the colleague who is meant to open it.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from pathlib import Path

from twinning.errors import InputError, InputProblem, Lang
from twinning.messages import Msg, msg

#: The file that marks a folder as a plan's output folder (see :func:`replace_folder`).
PLAN_MARKER = "plan.json"


def _problem(path: Path | str, message: Msg, lang: Lang) -> list[InputProblem]:
    return [InputProblem(str(path), message, lang=lang)]


class ForeignFolderError(InputError, FileExistsError):
    """The output folder exists, holds files, and is not a plan's output folder: it is
    never replaced, since replacing a folder deletes what it held. An
    :class:`~twinning.errors.InputError` naming the folder (and a ``FileExistsError``, as
    callers caught it before)."""


class NotAFolderError(InputError, NotADirectoryError):
    """The output folder is a file."""


class NoTemporaryNameError(InputError, FileExistsError):
    """No free temporary name beside an output (a hundred random names taken)."""


def _fresh_name(parent: Path, stem: str, tag: str) -> Path:
    """A hidden name beside ``stem`` that no other writer picks (random, checked later
    by an exclusive create)."""
    return parent / f".{stem}.{tag}-{secrets.token_hex(6)}"


def _create_file(parent: Path, stem: str) -> tuple[int, Path]:
    """Open a new temporary file beside ``stem``, mode 0666 less the umask."""
    for _ in range(100):
        path = _fresh_name(parent, stem, "tmp")
        try:
            return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), path
        except FileExistsError:
            continue
    raise NoTemporaryNameError(_problem(parent, msg("input.output.no_temp_name", name=stem), "en"))


def _create_folder(parent: Path, stem: str, tag: str) -> Path:
    """Make a new temporary folder beside ``stem``, mode 0777 less the umask."""
    for _ in range(100):
        path = _fresh_name(parent, stem, tag)
        try:
            path.mkdir(mode=0o777)
            return path
        except FileExistsError:
            continue
    raise NoTemporaryNameError(_problem(parent, msg("input.output.no_temp_name", name=stem), "en"))


def _write_new(path: Path, data: bytes) -> None:
    """Write a file that does not exist yet, mode 0666 less the umask."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def atomic_write(path: Path, data: bytes) -> None:
    """Write one file atomically (temporary file beside it, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _create_file(path.parent, path.name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def commit_folder(out: Path, files: dict[str, bytes]) -> list[Path]:
    """Write all files to a temporary folder beside ``out``, then move them in one by one.

    Files of ``out`` that are not among ``files`` stay: this is for folders the planner
    owns (an instance being saved); a plan's output folder is replaced whole by
    :func:`replace_folder`.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = _create_folder(out.parent, out.name, "new")
    try:
        for name, data in files.items():
            _write_new(staging / name, data)
        if not out.exists():
            os.replace(staging, out)
        else:
            for name in files:
                os.replace(staging / name, out / name)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return [out / name for name in files]


def is_plan_folder(folder: Path) -> bool:
    """A folder a solve wrote: it holds a twinning ``plan.json`` and no sub-folders.

    The test stands between the planner and a deleted folder (:func:`replace_folder`
    deletes the folder it replaces), so it asks more than a file name: the plan must
    read as a plan, and a folder with sub-folders (a home or project folder) is never
    taken for an output folder.
    """
    marker = folder / PLAN_MARKER
    if not marker.is_file() or marker.is_symlink():
        return False
    if any(entry.is_dir() for entry in folder.iterdir()):
        return False
    try:
        doc = json.loads(marker.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    return isinstance(doc, dict) and doc.get("format") == "twinning-plan"


def check_output_folder(out: Path, lang: Lang = "en") -> bool:
    """Whether ``out`` may take a plan's output, before any work is spent on it.

    Returns
    -------
    bool
        True when ``out`` holds an earlier plan's output (to be replaced), False when it
        is missing or empty.

    Raises
    ------
    ForeignFolderError
        When ``out`` holds files and is not a plan's output folder (:func:`is_plan_folder`).
    NotAFolderError
        When ``out`` is a file (a ``NotADirectoryError``).

    Both are :class:`~twinning.errors.InputError` said in ``lang``.
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise NotAFolderError(_problem(out, msg("input.output.is_file"), lang))
    if not out.is_dir() or not any(out.iterdir()):
        return False
    if not is_plan_folder(out):
        raise ForeignFolderError(_problem(out, msg("input.output.foreign"), lang))
    return True


def replace_folder(out: Path, files: dict[str, bytes], lang: Lang = "en") -> list[Path]:
    """Make ``out`` hold exactly ``files``, atomically: a solve's whole output.

    The files are written to a new folder beside ``out``; then the old folder is renamed
    away, the new one renamed in, and the old one deleted. No file of an earlier solve
    survives (a re-solve with fewer parts leaves no old ``roster.csv``), and an
    interrupted write leaves the old folder as it was. Between the two renames ``out`` is
    briefly missing; it is never half-written.

    Parameters
    ----------
    out
        The output folder; created with its parents when missing. A symbolic link is
        followed, so the link keeps pointing at the new folder.
    files
        File name -> bytes; must include ``plan.json``, so that the next solve into the
        same folder recognises it.
    lang
        The language of the errors below.

    Returns
    -------
    list of pathlib.Path
        The files written, in the order given.

    Raises
    ------
    ForeignFolderError
        When ``out`` exists, is not empty and is not a plan's output folder
        (:func:`is_plan_folder`): a planner pointing ``-o`` at their home folder must not
        lose it.
    NotAFolderError
        When ``out`` is a file (a ``NotADirectoryError``).
    """
    if PLAN_MARKER not in files:
        raise ValueError(f"an output folder needs its {PLAN_MARKER}")
    out = Path(out).resolve()
    replace_old = check_output_folder(out, lang)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = _create_folder(out.parent, out.name, "new")
    try:
        for name, data in files.items():
            _write_new(staging / name, data)
        if not replace_old:
            # Missing or empty: a rename replaces an empty folder in one step (POSIX).
            os.replace(staging, out)
        else:
            old = _fresh_name(out.parent, out.name, "old")
            os.rename(out, old)
            try:
                os.rename(staging, out)
            except BaseException:
                os.rename(old, out)  # put the old output back rather than leave none
                raise
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return [out / name for name in files]
