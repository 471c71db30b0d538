"""The web desk's application: the HTTP API (``/api/...``) and the planner's pages.

:func:`create_app` builds a Starlette application over a data folder (:class:`Desk`);
``twinning serve`` runs it with uvicorn. The API is a contract (README, *The web desk*):

- ``POST /api/jobs`` (multipart: ``instance`` file, or ``county`` an uploaded county's id;
  optional ``parts`` comma list, repeated ``set`` fields ``key=value``, ``time_limit``)
  -> 202 ``{"id", "status": "queued"}``;
- ``GET /api/jobs/{id}`` -> ``{"id", "status", "progress", "result", "error"}``;
- ``DELETE /api/jobs/{id}`` -> 202, the job stopped with its best plan so far kept;
- ``GET /api/jobs/{id}/files/{name}``: ``plan.json``, ``summary.json``, ``plan.xlsx``,
  ``report.html``, each CSV, and ``plan-csv.zip`` (every CSV at once);
- ``POST /api/jobs/{id}/adopt`` (JSON ``{"by", "note", "cycle"}``) -> 200 with the record,
  409 when the cycle is adopted already, 422 when the plan breaks a rule (or lacks a part);
- ``GET /api/health`` -> 200 ``{"version"}``.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import time
import zipfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.middleware import Middleware
from starlette.middleware.body_limit import RequestBodyLimitMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

import twinning
from twinning.errors import InputError, UsageError
from twinning.messages import Lang, language, say
from twinning.serve.jobs import Runner, run_task
from twinning.serve.security import Guard
from twinning.serve.store import Store, read_json, valid_id, write_json
from twinning.serve.uploads import keep_upload

#: Default upload limit, bytes (``--max-upload``).
UPLOAD_LIMIT = 50 * 1024 * 1024

#: The files of a plan the API serves, beside each CSV file.
PLAN_FILES = ("plan.json", "summary.json", "plan.xlsx", "report.html")
FILE_NAME = re.compile(r"^[a-z_]+\.(?:json|csv|xlsx|html)$")

#: Progress events the API returns (the latest).
PROGRESS_SHOWN = 50

HERE = Path(__file__).resolve().parent


def shipped_instances() -> dict[str, Path]:
    """The example counties shipped with the project (its ``instances/`` folder)."""
    root = Path(twinning.__file__).resolve().parents[1] / "instances"
    names = ("demo-county", "haicheng-like")
    return {n: root / n for n in names if (root / n / "schools.csv").is_file()}


@dataclass
class Config:
    """How the desk runs: its data folder, registry, workers, token and upload limit."""

    data: Path
    registry: str | None = None
    workers: int = os.cpu_count() or 1
    token: str | None = None
    upload_limit: int = UPLOAD_LIMIT
    mask_names: bool = False

    @property
    def registry_url(self) -> str:
        """The registry adoptions go to: ``--registry``, else ``DATA/registry.db``."""
        return self.registry or str(self.data / "registry.db")


class Desk:
    """The running desk: its configuration, data and job queue."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.store = Store(config.data)
        self.runner = Runner(self.store, config.workers)

    # ---- counties ---------------------------------------------------------------------

    def keep_county(self, filename: str, data: bytes) -> str:
        """Keep an uploaded county (:func:`keep_upload`); its id. :class:`Refused` for an
        upload the desk will not keep (nothing is left behind)."""
        from twinning.serve.store import new_id

        cid = new_id()
        folder = self.store.counties / cid
        try:
            path = keep_upload(filename, data, folder)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        write_json(
            folder / "meta.json",
            {
                "id": cid,
                "file": Path(filename).name,
                "path": path.name,
                "instance": str(path),
                "created": time.time(),
            },
        )
        return cid

    def example_county(self, name: str) -> str:
        """A county entry for a shipped example (read where it lies, never copied)."""
        from twinning.serve.store import new_id

        path = shipped_instances()[name]
        cid = new_id()
        folder = self.store.counties / cid
        folder.mkdir(parents=True)
        write_json(
            folder / "meta.json",
            {
                "id": cid,
                "file": name,
                "path": str(path),
                "instance": str(path),
                "example": True,
                "created": time.time(),
            },
        )
        return cid

    async def read_county(self, cid: str) -> dict[str, Any]:
        """Read a county in a worker process; its read report."""
        folder = self.store.counties / cid
        await run_task("read", folder)
        report: dict[str, Any] = read_json(folder / "read.json") or {}
        if not report:
            error = read_json(folder / "error.json") or {}
            report = {"ok": False, "problems": [], "warnings": [], "error": error.get("error")}
            write_json(folder / "read.json", report)
        return report

    # ---- jobs -------------------------------------------------------------------------

    def submit(
        self,
        cid: str,
        parts: str | None,
        settings: dict[str, Any],
        time_limit: float,
        lang: str | None = None,
    ) -> str:
        """Queue a solve of county ``cid``; the job's id."""
        meta = self.store.county(cid) or {}
        read = meta.get("read") or {}
        return self.runner.submit(
            {
                "county": cid,
                "instance": meta["instance"],
                "county_name": read.get("name"),
                "parts": parts,
                "settings": settings,
                "time_limit": time_limit,
                "lang": lang,
                "mask_names": self.config.mask_names,
                "registry": self.config.registry_url if registry_exists(self) else None,
            }
        )

    async def adopt(self, jid: str, ask: dict[str, Any]) -> dict[str, Any]:
        """Adopt a job's plan in a worker process; the outcome."""
        folder = self.store.jobs / jid
        answer = f"adopt-{int(time.time() * 1000)}.json"
        payload = {
            "registry": self.config.registry_url,
            "by": str(ask.get("by") or "")[:100],
            "note": str(ask.get("note") or "")[:1000],
            "cycle": str(ask.get("cycle") or "")[:40] or None,
        }
        code = await run_task("adopt", folder, answer, json.dumps(payload))
        found: dict[str, Any] | None = read_json(folder / answer)
        if found is None:
            error = read_json(folder / "error.json") or {}
            found = {"outcome": "error", "code": code, "message": error.get("error")}
        return found

    def history(self, county: str) -> list[dict[str, Any]]:
        """The adoptions recorded for ``county``, oldest first ([] without a registry)."""
        if not registry_exists(self):
            return []
        from twinning.registry import adoption_records

        return [
            {
                "id": r.id,
                "cycle": r.cycle,
                "status": r.status,
                "by": r.adopted_by,
                "at": f"{r.adopted_at:%Y-%m-%d %H:%M}",
                "note": r.note,
            }
            for r in adoption_records(self.config.registry_url, county)
        ]


def registry_exists(desk: Desk) -> bool:
    """Whether the desk's registry holds anything yet (a SQLite file made by an adoption,
    or any registry given by URL)."""
    if desk.config.registry and "://" in desk.config.registry:
        return True
    url = desk.config.registry_url
    return Path(url.removeprefix("sqlite:///")).is_file()


# ---- the API ----------------------------------------------------------------------------------


def asked_lang(request: Request, fallback: str | None = None) -> Lang:
    """The language of an answer: ``?lang=``, else the page's cookie, else ``fallback``."""
    given = request.query_params.get("lang") or request.cookies.get("lang") or fallback
    return language(given)


def api_error(status: int, code: str, lang: Lang = "en", **params: Any) -> JSONResponse:
    """An API error: its message's code and its text."""
    return JSONResponse({"error": say(code, lang, **params), "code": code}, status_code=status)


def parse_request(
    parts: str | None, sets: list[str], time_limit: str | None, lang: Lang
) -> tuple[str | None, dict[str, Any], float]:
    """A job's options checked as ``twinning solve`` checks them (a UsageError or
    InputError naming the bad one)."""
    from twinning.county.policy import Policy, parse_setting, with_settings
    from twinning.parts import parse_parts

    if parts is not None and not parts.strip():
        parts = None
    if parts is not None:
        parse_parts(parts)
    settings = dict(parse_setting(text, lang) for text in sets if text.strip())
    with_settings(Policy(), settings, lang)
    limit = 60.0
    if time_limit not in (None, ""):
        try:
            limit = float(time_limit)
        except ValueError:
            raise UsageError.of("cli.usage.positive", flag="time_limit", value=time_limit) from None
        if not (0 < limit <= 24 * 3600):
            raise UsageError.of("cli.usage.positive", flag="time_limit", value=time_limit)
    return parts, settings, limit


def refusal_text(exc: Exception, lang: Lang) -> str:
    """An input or usage error as one text in ``lang``."""
    if isinstance(exc, InputError):
        return exc.text(lang)
    if isinstance(exc, UsageError):
        return exc.msg.text(lang)
    return str(exc)


async def api_submit(request: Request) -> Response:
    desk: Desk = request.app.state.desk
    lang = asked_lang(request)
    form = await request.form(max_files=1, max_fields=200, max_part_size=1 << 20)
    upload = form.get("instance")
    cid = form.get("county")
    try:
        parts, settings, limit = parse_request(
            _text(form.get("parts")),
            [_text(v) or "" for v in form.getlist("set")],
            _text(form.get("time_limit")),
            lang,
        )
        if isinstance(upload, UploadFile):
            data = await upload.read()
            cid = desk.keep_county(upload.filename or "county.json", data)
        elif isinstance(cid, str) and desk.store.county(cid) is not None:
            pass
        else:
            return api_error(422, "serve.api.no_instance", lang)
    except (InputError, UsageError) as exc:
        return JSONResponse(
            {"error": refusal_text(exc, lang), "code": "serve.api.refused"}, status_code=422
        )
    jid = desk.submit(str(cid), parts, settings, limit)
    return JSONResponse({"id": jid, "status": "queued"}, status_code=202)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def job_view(desk: Desk, job: dict[str, Any], lang: Lang) -> dict[str, Any]:
    """A job as the API shows it."""
    from twinning.messages import render

    events = desk.store.progress(job["id"], PROGRESS_SHOWN)
    progress = [{**e, "step": render(e["step"], lang) if e.get("step") else None} for e in events]
    result = job.get("result")
    error = job.get("error")
    return {
        "id": job["id"],
        "status": job.get("status"),
        "created": job.get("created"),
        "started": job.get("started"),
        "ended": job.get("ended"),
        "parts": job.get("parts"),
        "settings": job.get("settings") or {},
        "time_limit": job.get("time_limit"),
        "queued_ahead": desk.runner.queued_ahead(job["id"]) if job.get("status") == "queued" else 0,
        "progress": progress,
        "result": result,
        "error": error.get(lang) if isinstance(error, dict) else error,
        "problems": [p.get(lang) for p in job.get("problems") or []],
    }


def _job_or_404(request: Request) -> tuple[Desk, dict[str, Any] | None]:
    desk: Desk = request.app.state.desk
    jid = request.path_params["jid"]
    return desk, desk.store.job(jid) if valid_id(jid) else None


async def api_job(request: Request) -> Response:
    desk, job = _job_or_404(request)
    lang = asked_lang(request)
    if job is None:
        return api_error(404, "serve.api.no_job", lang)
    return JSONResponse(job_view(desk, job, lang))


async def api_stop(request: Request) -> Response:
    desk, job = _job_or_404(request)
    lang = asked_lang(request)
    if job is None:
        return api_error(404, "serve.api.no_job", lang)
    if not desk.runner.stop(job["id"]):
        return api_error(409, "serve.api.ended", lang, state=job.get("status"))
    return JSONResponse({"id": job["id"], "status": "stopping"}, status_code=202)


def plan_file(desk: Desk, jid: str, name: str) -> Path | None:
    """A file of a job's plan, when the name is one the API serves and it exists."""
    if not FILE_NAME.match(name):
        return None
    if not (name in PLAN_FILES or name.endswith(".csv")):
        return None
    path = desk.store.jobs / jid / "out" / name
    return path if path.is_file() else None


def csv_zip(folder: Path) -> bytes:
    """Every CSV table of a plan, zipped."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.glob("*.csv")):
            archive.write(path, path.name)
    return buffer.getvalue()


async def api_file(request: Request) -> Response:
    desk, job = _job_or_404(request)
    lang = asked_lang(request)
    if job is None:
        return api_error(404, "serve.api.no_job", lang)
    name = request.path_params["name"]
    if name == "plan-csv.zip" and (desk.store.jobs / job["id"] / "out").is_dir():
        return Response(
            csv_zip(desk.store.jobs / job["id"] / "out"),
            media_type="application/zip",
            headers={"Content-Disposition": 'attachment; filename="plan-csv.zip"'},
        )
    path = plan_file(desk, job["id"], name)
    if path is None:
        return api_error(404, "serve.api.no_file", lang, name=name)
    if name.endswith(".html"):
        return FileResponse(path, media_type="text/html; charset=utf-8")
    media = {
        ".json": "application/json",
        ".csv": "text/csv; charset=utf-8",
        ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }[path.suffix]
    return FileResponse(path, media_type=media, filename=name)


ADOPT_STATUS = {"adopted": 200, "exists": 409, "invalid": 422, "incomplete": 422}


async def api_adopt(request: Request) -> Response:
    desk, job = _job_or_404(request)
    lang = asked_lang(request)
    if job is None:
        return api_error(404, "serve.api.no_job", lang)
    if not (desk.store.jobs / job["id"] / "out" / "plan.json").is_file():
        return api_error(409, "serve.api.no_plan", lang)
    try:
        ask = await request.json()
    except ValueError:
        ask = None
    if not isinstance(ask, dict):
        return api_error(400, "serve.api.adopt_body", lang)
    found = await desk.adopt(job["id"], ask)
    status = ADOPT_STATUS.get(found.get("outcome", ""), 400)
    return JSONResponse(_said(found, lang), status_code=status)


def _said(found: dict[str, Any], lang: Lang) -> dict[str, Any]:
    """An answer whose texts are given in both languages, in ``lang``."""
    out = dict(found)
    if isinstance(out.get("message"), dict):
        out["message"] = out["message"].get(lang)
    if out.get("violations"):
        out["violations"] = [v.get(lang) for v in out["violations"]]
    return out


async def api_health(request: Request) -> Response:
    return JSONResponse({"version": twinning.__version__})


# ---- the application -------------------------------------------------------------------------


def create_app(config: Config) -> Starlette:
    """The desk's application over ``config.data``; its queue starts with the server."""
    from twinning.serve import pages

    desk = Desk(config)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await desk.runner.start()
        try:
            yield
        finally:
            await desk.runner.close()

    routes = [
        Route("/api/health", api_health, methods=["GET"]),
        Route("/api/jobs", api_submit, methods=["POST"]),
        Route("/api/jobs/{jid}", api_job, methods=["GET"]),
        Route("/api/jobs/{jid}", api_stop, methods=["DELETE"]),
        Route("/api/jobs/{jid}/files/{name}", api_file, methods=["GET"]),
        Route("/api/jobs/{jid}/adopt", api_adopt, methods=["POST"]),
        *pages.routes(),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            # the token first, then the size said from Content-Length, then the bytes counted
            Middleware(Guard, token=config.token, upload_limit=config.upload_limit),
            Middleware(RequestBodyLimitMiddleware, max_body_size=config.upload_limit),
        ],
        lifespan=lifespan,
    )
    app.state.desk = desk
    return app


__all__ = ["UPLOAD_LIMIT", "Config", "Desk", "create_app", "shipped_instances"]
