"""The planner's pages: server-rendered, Chinese first (``/lang/en`` switches), every
sentence a code of the message catalogue (``serve.*``), every asset in the package.

The path, page by page: the desk (``/``: bring a county, open an example, recent jobs);
the county (``/counties/{id}``: the read report with every error's file, row and column,
the policy form made from the policy schema, the parts, the history of adopted cycles);
the job (``/jobs/{id}``: live progress and a stop button while it runs; then the plan:
status and figures, the rule table, downloads, the HTML report embedded, and adoption).
Forms are posted with a token matching a ``SameSite=Strict`` cookie.
"""

from __future__ import annotations

import json
import math
import re
import time
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from twinning.errors import InputError, UsageError
from twinning.messages import Lang, language, render, say, value_word, word
from twinning.serve.security import CSRF_COOKIE, TOKEN_COOKIE, csrf_ok, csrf_token, same
from twinning.serve.store import read_json, valid_id

HERE = Path(__file__).resolve().parent
ENV = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)

ENV.filters["datetime"] = lambda ts: time.strftime("%Y-%m-%d %H:%M", time.localtime(ts))

#: The policy's sections open on the form at first (the rest folded).
OPEN_SECTIONS = ("horizon", "twinning", "alliances", "rotation")


def page_lang(request: Request) -> Lang:
    """The pages' language: the cookie set by the switch, Chinese by default."""
    return language(request.cookies.get("lang") or "zh")


def key_name(key: str, lang: Lang) -> str:
    """A policy key's name: the rule's name where the checker names it, else the desk's."""
    from twinning.messages import template

    if template(f"rule.{key}", "zh") is not None:
        return word(f"rule.{key}", lang) if lang == "zh" else key
    return word(f"serve.key.{key}", lang)


def toml_value(value: Any) -> str:
    """A policy value as ``--set`` takes it (TOML, ``none`` for no value)."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, str):
        return value if re.fullmatch(r"[\w.\-]+", value) else json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value_quoted(v) for v in value) + "]"
    if isinstance(value, dict):
        items = [f"{_toml_key(k)} = {toml_value_quoted(v)}" for k, v in value.items()]
        return "{" + ", ".join(items) + "}"
    return json.dumps(value, ensure_ascii=False)


def toml_value_quoted(value: Any) -> str:
    """A value inside a list or table: strings always quoted."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return toml_value(value)


def _toml_key(key: Any) -> str:
    text = str(key)
    return text if re.fullmatch(r"[A-Za-z0-9_-]+", text) else json.dumps(text, ensure_ascii=False)


def policy_fields(current: dict[str, Any]) -> list[dict[str, Any]]:
    """The policy form: each section and its keys (name, description, default, value as
    the county has it), from the policy schema."""
    from pydantic import BaseModel

    from twinning.county.policy import Policy

    sections: list[dict[str, Any]] = []
    defaults = Policy()

    def walk(model: BaseModel, prefix: str, into: list[dict[str, Any]]) -> None:
        for name, field in type(model).model_fields.items():
            value = getattr(model, name)
            key = f"{prefix}{name}"
            if isinstance(value, BaseModel):
                walk(value, f"{key}.", into)
                continue
            default = json.loads(json.dumps(value, default=list))
            now = current.get(key, default)
            into.append(
                {
                    "key": key,
                    "description": field.description or "",
                    "default": toml_value(default),
                    "value": toml_value(now),
                    "boolean": isinstance(value, bool),
                    "changed_in_file": now != default,
                }
            )

    for name in type(defaults).model_fields:
        keys: list[dict[str, Any]] = []
        walk(getattr(defaults, name), f"{name}.", keys)
        sections.append({"name": name, "fields": keys, "open": name in OPEN_SECTIONS})
    return sections


def changed_settings(form: Any, current: dict[str, Any]) -> list[str]:
    """The ``key=value`` settings of the policy form that differ from the county's own
    values (only changed keys are kept)."""
    out = []
    for section in policy_fields(current):
        for field in section["fields"]:
            given = form.get(f"p:{field['key']}")
            if isinstance(given, str) and given.strip() != field["value"]:
                out.append(f"{field['key']}={given.strip()}")
    return out


class View:
    """What every template is given: the language, its words, the form token."""

    def __init__(self, request: Request) -> None:
        self.request = request
        self.lang = page_lang(request)
        self.csrf, self.set_cookie = csrf_token(request)

    def t(self, code: str, **params: Any) -> str:
        return say(code, self.lang, **params) if params else word(code, self.lang)

    def render(self, page: str, status: int = 200, **context: Any) -> HTMLResponse:
        template = ENV.get_template(page)
        body = template.render(
            t=self.t,
            lang=self.lang,
            other="en" if self.lang == "zh" else "zh",
            path=self.request.url.path,
            csrf=self.csrf,
            msg=lambda m: render(m, self.lang),
            value=lambda field, v: value_word(field, v, self.lang),
            key_name=lambda k: key_name(k, self.lang),
            **context,
        )
        response = HTMLResponse(body, status_code=status)
        if self.set_cookie:
            response.set_cookie(CSRF_COOKIE, self.csrf, httponly=True, samesite="strict")
        return response


def _desk(request: Request) -> Any:
    return request.app.state.desk


async def _form(request: Request) -> Any:
    return await request.form(max_files=1, max_fields=400, max_part_size=1 << 20)


def _refused_form(view: View) -> HTMLResponse:
    return view.render("message.html", status=403, text=view.t("serve.page.csrf"))


# ---- pages ------------------------------------------------------------------------------------


async def home(request: Request) -> Response:
    from twinning.serve.app import shipped_instances

    desk = _desk(request)
    view = View(request)
    jobs = list(reversed(desk.store.all_jobs()))[:20]
    counties = {c["id"]: c for c in desk.store.all_counties()}
    return view.render(
        "home.html",
        counties=list(counties.values())[:20],
        county_of=counties,
        jobs=jobs,
        examples=list(shipped_instances()),
        limit_mb=desk.config.upload_limit // (1024 * 1024),
    )


async def upload(request: Request) -> Response:
    from twinning.serve.uploads import Refused

    desk = _desk(request)
    view = View(request)
    form = await _form(request)
    if not csrf_ok(request, _str(form.get("csrf"))):
        return _refused_form(view)
    file = form.get("instance")
    if not isinstance(file, UploadFile) or not file.filename:
        return view.render("message.html", status=400, text=view.t("serve.page.no_file"))
    try:
        cid = desk.keep_county(file.filename, await file.read())
    except Refused as exc:
        return view.render("message.html", status=400, text=exc.msg.text(view.lang))
    await desk.read_county(cid)
    return RedirectResponse(f"/counties/{cid}", status_code=303)


async def example(request: Request) -> Response:
    from twinning.serve.app import shipped_instances

    desk = _desk(request)
    view = View(request)
    form = await _form(request)
    if not csrf_ok(request, _str(form.get("csrf"))):
        return _refused_form(view)
    name = request.path_params["name"]
    if name not in shipped_instances():
        return view.render("message.html", status=404, text=view.t("serve.page.not_found"))
    cid = desk.example_county(name)
    await desk.read_county(cid)
    return RedirectResponse(f"/counties/{cid}", status_code=303)


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


async def county(request: Request) -> Response:
    from twinning.parts import PART_ORDER

    desk = _desk(request)
    view = View(request)
    cid = request.path_params["cid"]
    meta = desk.store.county(cid) if valid_id(cid) else None
    if meta is None:
        return view.render("message.html", status=404, text=view.t("serve.page.not_found"))
    read = meta.get("read") or {}
    sections = policy_fields(read.get("policy") or {}) if read.get("ok") else []
    for section in sections:  # the schema's descriptions are English: shown in English only
        for field in section["fields"]:
            field["description_shown"] = field["description"] if view.lang == "en" else ""
    jobs = [j for j in reversed(desk.store.all_jobs()) if j.get("county") == cid]
    history = desk.history(read["name"]) if read.get("ok") else []
    return view.render(
        "county.html",
        county=meta,
        read=read,
        sections=sections,
        parts=list(PART_ORDER),
        planned=read.get("parts") or [],
        jobs=jobs,
        history=history,
        error=None,
    )


async def county_solve(request: Request) -> Response:
    from twinning.serve.app import parse_request, refusal_text

    desk = _desk(request)
    view = View(request)
    cid = request.path_params["cid"]
    meta = desk.store.county(cid) if valid_id(cid) else None
    if meta is None:
        return view.render("message.html", status=404, text=view.t("serve.page.not_found"))
    form = await _form(request)
    if not csrf_ok(request, _str(form.get("csrf"))):
        return _refused_form(view)
    read = meta.get("read") or {}
    sets = changed_settings(form, read.get("policy") or {})
    chosen = [p for p in form.getlist("parts") if isinstance(p, str)]
    # every part the county's policy plans: as the command line without --parts
    parts = None if set(chosen) == set(read.get("parts") or []) else ",".join(chosen) or None
    try:
        parts, settings, limit = parse_request(parts, sets, _str(form.get("time_limit")), view.lang)
    except (InputError, UsageError) as exc:
        text = refusal_text(exc, view.lang)
        return view.render("message.html", status=422, text=text)
    jid = desk.submit(cid, parts, settings, limit)
    return RedirectResponse(f"/jobs/{jid}", status_code=303)


def _figure(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        if math.isinf(value) or math.isnan(value):
            return "-"
        return f"{value:,.2f}" if abs(value) < 1e6 else f"{value:,.0f}"
    return str(value)


async def job(request: Request) -> Response:
    from twinning.serve.app import job_view

    desk = _desk(request)
    view = View(request)
    jid = request.path_params["jid"]
    found = desk.store.job(jid) if valid_id(jid) else None
    if found is None:
        return view.render("message.html", status=404, text=view.t("serve.page.not_found"))
    shown = job_view(desk, found, view.lang)
    folder = desk.store.jobs / jid
    rules = read_json(folder / "rules.json") or []
    meta = desk.store.county(found.get("county", "")) or {}
    read = meta.get("read") or {}
    name = read.get("name") or meta.get("file")
    adoption = read_json(folder / "adoption.json")
    has_plan = (folder / "out" / "plan.json").is_file()
    downloads = []
    if has_plan:
        downloads = [
            n
            for n in ("plan.xlsx", "plan-csv.zip", "plan.json", "summary.json", "report.html")
            if n == "plan-csv.zip" or (folder / "out" / n).is_file()
        ]
    return view.render(
        "job.html",
        job=shown,
        county=meta,
        name=name,
        sets=[f"--set {k}={_set_text(v)}" for k, v in (found.get("settings") or {}).items()],
        rules=rules,
        missed=[r for r in rules if r.get("state") == "missed"],
        adoption=adoption,
        has_plan=has_plan,
        downloads=downloads,
        figure=_figure,
        history=desk.history(name) if name and has_plan else [],
        running=shown["status"] in ("queued", "running"),
    )


def _set_text(value: Any) -> str:
    from twinning.serve.pages import toml_value

    return toml_value(value)


async def job_state(request: Request) -> Response:
    """The job as the page's script polls it (the API's view, the page's language)."""
    from twinning.serve.app import job_view

    desk = _desk(request)
    jid = request.path_params["jid"]
    found = desk.store.job(jid) if valid_id(jid) else None
    if found is None:
        return JSONResponse({}, status_code=404)
    lang = page_lang(request)
    shown = job_view(desk, found, lang)
    shown["status_text"] = word(f"serve.status.{shown['status']}", lang)
    shown["lines"] = [_progress_line(e, lang) for e in shown["progress"][-8:]]
    return JSONResponse(shown)


def _progress_line(event: dict[str, Any], lang: Lang) -> str:
    part = word(f"part.{event['part']}", lang) if event.get("part") else ""
    gap = f"{event['gap']:.2%}" if event.get("gap") is not None else "-"
    return say(
        "serve.progress.line",
        lang,
        seconds=event.get("seconds", 0.0),
        part=part,
        step=event.get("step") or "",
        objective=_figure(event.get("objective")),
        bound=_figure(event.get("bound")),
        gap=gap,
    )


async def job_stop(request: Request) -> Response:
    desk = _desk(request)
    view = View(request)
    jid = request.path_params["jid"]
    form = await _form(request)
    if not csrf_ok(request, _str(form.get("csrf"))):
        return _refused_form(view)
    if valid_id(jid):
        desk.runner.stop(jid)
    return RedirectResponse(f"/jobs/{jid}", status_code=303)


async def job_adopt(request: Request) -> Response:
    from twinning.serve.store import write_json

    desk = _desk(request)
    view = View(request)
    jid = request.path_params["jid"]
    found = desk.store.job(jid) if valid_id(jid) else None
    if found is None:
        return view.render("message.html", status=404, text=view.t("serve.page.not_found"))
    form = await _form(request)
    if not csrf_ok(request, _str(form.get("csrf"))):
        return _refused_form(view)
    ask = {k: _str(form.get(k)) for k in ("by", "note", "cycle")}
    outcome = await desk.adopt(jid, ask)
    outcome["at"] = time.time()
    write_json(desk.store.jobs / jid / "adoption.json", outcome)
    return RedirectResponse(f"/jobs/{jid}#adopt", status_code=303)


async def job_file(request: Request) -> Response:
    from twinning.serve.app import api_file

    return await api_file(request)


async def switch_lang(request: Request) -> Response:
    lang = language(request.path_params["lang"])
    back = request.query_params.get("next") or "/"
    if not back.startswith("/") or back.startswith("//"):
        back = "/"
    response = RedirectResponse(back, status_code=303)
    response.set_cookie("lang", lang, samesite="strict", max_age=365 * 24 * 3600)
    return response


async def login(request: Request) -> Response:
    desk = _desk(request)
    view = View(request)
    if request.method == "POST":
        form = await _form(request)
        if desk.config.token and same(_str(form.get("token")), desk.config.token):
            response = RedirectResponse("/", status_code=303)
            response.set_cookie(TOKEN_COOKIE, desk.config.token, httponly=True, samesite="strict")
            return response
        return view.render("login.html", status=401, wrong=True)
    return view.render("login.html", wrong=False)


def routes() -> list[BaseRoute]:
    """The pages' routes."""
    return [
        Route("/", home, methods=["GET"]),
        Route("/counties", upload, methods=["POST"]),
        Route("/examples/{name}", example, methods=["POST"]),
        Route("/counties/{cid}", county, methods=["GET"]),
        Route("/counties/{cid}/solve", county_solve, methods=["POST"]),
        Route("/jobs/{jid}", job, methods=["GET"]),
        Route("/jobs/{jid}/state", job_state, methods=["GET"]),
        Route("/jobs/{jid}/stop", job_stop, methods=["POST"]),
        Route("/jobs/{jid}/adopt", job_adopt, methods=["POST"]),
        Route("/jobs/{jid}/files/{name}", job_file, methods=["GET"]),
        Route("/lang/{lang}", switch_lang, methods=["GET"]),
        Route("/login", login, methods=["GET", "POST"]),
    ]


__all__ = ["changed_settings", "key_name", "policy_fields", "routes", "toml_value"]
