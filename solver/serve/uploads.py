"""A county's file as the planner uploads it, kept where only the project's readers read it.

An upload is refused (:class:`Refused`, a message of the catalogue) unless it is a workbook
(``.xlsx``), a JSON or YAML instance, or a ``.zip`` of CSV files (and ``policy.toml``).
A zip is opened member by member before anything is written: no absolute path, no ``..``,
no link, no device, at most :data:`ZIP_MEMBERS` members and :data:`ZIP_EXPANSION` times the
upload's size (and :data:`ZIP_MOST` bytes) once expanded, counted on the bytes actually
inflated rather than on the sizes the archive claims. Only ``*.csv`` and ``policy.toml``
are kept; a zip whose tables sit in one folder is read from that folder.
"""

from __future__ import annotations

import contextlib
import io
import re
import stat
import zipfile
from pathlib import Path, PurePosixPath

from twinning.errors import UsageError
from twinning.messages import Msg, msg

#: The suffixes an upload may have, and how each is kept.
SUFFIXES = (".xlsx", ".json", ".yaml", ".yml", ".zip")

#: A zip's limits: members, expansion against its own size, and expanded bytes in all.
ZIP_MEMBERS = 64
ZIP_EXPANSION = 100
ZIP_MOST = 1 << 30


class Refused(UsageError):
    """An upload the desk will not keep; its message says why."""

    def __init__(self, message: Msg) -> None:
        super().__init__(message)


def safe_stem(filename: str) -> str:
    """The name a county is kept under: the uploaded file's stem, letters (Chinese too),
    digits, ``-`` and ``_`` only, at most 60 characters; ``county`` when nothing is left."""
    stem = PurePosixPath(filename.replace("\\", "/")).name
    for suffix in SUFFIXES:
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    stem = re.sub(r"[^\w-]+", "-", stem, flags=re.UNICODE).strip("-_.")[:60]
    return stem or "county"


def suffix_of(filename: str) -> str:
    """The upload's kind by its suffix, or :class:`Refused`."""
    lower = filename.lower()
    for suffix in SUFFIXES:
        if lower.endswith(suffix):
            return suffix
    raise Refused(msg("serve.upload.kind", name=filename, kinds=list(SUFFIXES)))


def _member_name(info: zipfile.ZipInfo) -> str:
    """A member's name as its maker wrote it: zips made by Windows in China store names in
    GBK without saying so (Python reads those as CP437)."""
    name = info.filename
    if not info.flag_bits & 0x800:
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            name = name.encode("cp437").decode("gb18030")
    return name


def check_zip(data: bytes) -> list[tuple[zipfile.ZipInfo, str]]:
    """The members of a zip to keep (``*.csv`` and ``policy.toml``), each with the path it
    is kept under; :class:`Refused` for anything unsafe (see the module docstring)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise Refused(msg("serve.zip.bad")) from None
    infos = archive.infolist()
    if len(infos) > ZIP_MEMBERS:
        raise Refused(msg("serve.zip.members", n=len(infos), most=ZIP_MEMBERS))
    kept: list[tuple[zipfile.ZipInfo, str]] = []
    for info in infos:
        name = _member_name(info)
        kind = stat.S_IFMT(info.external_attr >> 16)  # 0: made where file types are not kept
        if kind and kind not in (stat.S_IFREG, stat.S_IFDIR):
            raise Refused(msg("serve.zip.link", member=name))
        path = name.replace("\\", "/")
        parts = PurePosixPath(path).parts
        if path.startswith("/") or re.match(r"^[A-Za-z]:", path) or ".." in parts:
            raise Refused(msg("serve.zip.path", member=name))
        if info.flag_bits & 0x1:
            raise Refused(msg("serve.zip.encrypted", member=name))
        if info.is_dir():
            continue
        base = parts[-1] if parts else ""
        if base.lower().endswith(".csv") or base == "policy.toml":
            kept.append((info, "/".join(parts)))
    if not kept:
        raise Refused(msg("serve.zip.empty"))
    # the tables in one folder (a zipped county folder): read them from there
    folders = {PurePosixPath(p).parent for _, p in kept}
    if len(folders) != 1:
        raise Refused(msg("serve.zip.folders", folders=sorted(str(f) for f in folders)))
    return [(info, PurePosixPath(p).name) for info, p in kept]


def extract_zip(data: bytes, target: Path) -> None:
    """Write a checked zip's tables into ``target`` (created), counting what is inflated."""
    members = check_zip(data)
    budget = min(ZIP_MOST, max(1 << 20, ZIP_EXPANSION * len(data)))
    target.mkdir(parents=True)
    archive = zipfile.ZipFile(io.BytesIO(data))
    used = 0
    for info, name in members:
        with archive.open(info) as src, open(target / name, "xb") as dst:
            while True:
                chunk = src.read(1 << 16)
                if not chunk:
                    break
                used += len(chunk)
                if used > budget:
                    raise Refused(msg("serve.zip.expansion", most=budget))
                dst.write(chunk)


def keep_upload(filename: str, data: bytes, folder: Path) -> Path:
    """Keep an uploaded county in ``folder``: the path the readers are given (a file, or
    a folder of a zip's tables). :class:`Refused` for a kind or a zip the desk refuses."""
    suffix = suffix_of(filename)
    if not data:
        raise Refused(msg("serve.upload.empty", name=filename))
    stem = safe_stem(filename)
    folder.mkdir(parents=True, exist_ok=True)
    if suffix == ".zip":
        target = folder / stem
        extract_zip(data, target)
        return target
    target = folder / f"{stem}{suffix}"
    target.write_bytes(data)
    return target


__all__ = ["SUFFIXES", "Refused", "check_zip", "extract_zip", "keep_upload", "safe_stem"]
