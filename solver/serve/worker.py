"""The desk's work done in a process of its own: reading a county, a solve, an adoption.

``python -m twinning.serve.worker TASK FOLDER [JSON]``: the server starts one such process
for each piece of work, so that a county that takes memory, a search that crashes, or a
stop never takes the server down, and the server itself stays small (it never imports
the solver). Each task writes its answer as JSON into FOLDER:

- ``read``: ``read.json``, the read report of the county file named in ``meta.json``
  (every error with its file, row and column, every warning, both languages), the
  instance's figures and its policy's values;
- ``solve``: ``progress.jsonl`` while it runs, then the plan's files in ``out/`` (the
  files ``twinning solve`` writes), ``rules.json`` (each rule met or missed) and
  ``result.json``. SIGINT stops the search as Ctrl-C stops ``twinning solve``
  (:func:`twinning.cli.live.interruptible`): the best plan so far is written, marked
  interrupted; exit 130 when there was none yet;
- ``adopt``: ``adopt-<n>.json``, the adoption's outcome (adopted, the cycle adopted
  already, the plan breaking rules, or not adoptable) with the record or the lines.

Errors in the planner's input are answers, not crashes: ``error.json`` holds the message
in both languages and the process exits 2.
"""

from __future__ import annotations

import json
import signal
import sys
import time
import warnings
from pathlib import Path
from typing import Any

from twinning.serve.store import read_json, write_json

#: Seconds between progress lines of a search that finds plan after plan (each part's
#: start and end and each roster group are always written).
PROGRESS_EVERY = 0.5

#: What a solve writes: the plan, its tables, the workbook and the report.
FORMATS = ("json", "csv", "xlsx", "html")


def _both(message: Any) -> dict[str, str]:
    from twinning.messages import render

    return {"en": render(message, "en"), "zh": render(message, "zh")}


def _error_answer(folder: Path, exc: BaseException) -> None:
    """Write ``error.json``: an input or usage error in both languages."""
    from twinning.errors import InputError, UsageError

    if isinstance(exc, InputError):
        said = {"en": exc.text("en"), "zh": exc.text("zh")}
        problems = [_problem(p) for p in exc.problems]
    elif isinstance(exc, UsageError):
        said = _both(exc.msg)
        problems = []
    else:  # pragma: no cover - a defect
        said = {"en": f"{type(exc).__name__}: {exc}", "zh": f"{type(exc).__name__}: {exc}"}
        problems = []
    write_json(folder / "error.json", {"error": said, "problems": problems})


def _problem(p: Any) -> dict[str, Any]:
    return {
        "file": p.file,
        "row": p.row,
        "column": p.column,
        "key": p.key,
        "value": None if p.value is None else str(p.value),
        "en": p.text("en"),
        "zh": p.text("zh"),
    }


def _flat_policy(policy: Any) -> dict[str, Any]:
    """Every policy key (dotted) and its value, as JSON."""
    out: dict[str, Any] = {}

    def walk(node: Any, prefix: str) -> None:
        for name in type(node).model_fields:
            value = getattr(node, name)
            if hasattr(type(value), "model_fields"):
                walk(value, f"{prefix}{name}.")
            else:
                out[f"{prefix}{name}"] = json.loads(json.dumps(value, default=list))

    walk(policy, "")
    return out


# ---- read -----------------------------------------------------------------------------------


def read_task(folder: Path) -> int:
    """Read the county of ``folder/meta.json`` and write ``read.json``."""
    from twinning.errors import InputError
    from twinning.io.readers import InputWarning, read_instance
    from twinning.parts import parse_parts

    meta = read_json(folder / "meta.json", {})
    path = folder / meta["path"]
    report: dict[str, Any] = {"ok": False, "problems": [], "warnings": [], "read_at": time.time()}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", InputWarning)
        try:
            inst, _ = read_instance(path)
        except InputError as exc:
            report["problems"] = [_problem(p) for p in exc.problems]
            report["lang"] = exc.lang
            inst = None
        for w in caught:
            if isinstance(w.message, InputWarning):
                found = w.message
                report["warnings"].append(
                    {"file": found.file, "en": found.text("en"), "zh": found.text("zh")}
                )
    if inst is not None:
        report.update(
            ok=True,
            lang=inst.lang,
            name=inst.name,
            counts={
                "schools": len(inst.schools),
                "staff": len(inst.staff),
                "needs": len(inst.needs),
                "history": len(inst.history),
            },
            policy=_flat_policy(inst.policy),
            parts=parse_parts(None, inst),
        )
    write_json(folder / "read.json", report)
    return 0


# ---- solve ----------------------------------------------------------------------------------


class _Progress:
    """The search's progress written to ``progress.jsonl``: part, step, objective, bound,
    gap; each milestone (a part's start or end, a roster group) and at most one line every
    :data:`PROGRESS_EVERY` seconds between them."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.start = time.monotonic()
        self.last = 0.0

    def __call__(self, event: Any) -> None:
        now = time.monotonic()
        if event.solutions and now - self.last < PROGRESS_EVERY:
            return
        self.last = now
        self.write(
            {
                "seconds": round(now - self.start, 2),
                "part": event.part,
                "step": event.step.model_dump(mode="json") if event.step is not None else None,
                "objective": event.objective,
                "bound": event.bound,
                "gap": event.gap,
                "solutions": event.solutions,
            }
        )

    def write(self, line: dict[str, Any]) -> None:
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")


def rule_table(inst: Any, plan: Any, summary: Any) -> list[dict[str, Any]]:
    """The rules met and missed, as the report's rule table has them (the same rows, so
    that the page and the report embedded in it agree), in both languages."""
    from twinning.report.content import (
        balance,
        other_indicators,
        quota_short,
        quota_why,
        rule_rows,
    )
    from twinning.validation import validate

    plan = plan.canonical()
    checked = validate(inst, plan)
    figures = balance(summary, checked) if "roster" in plan.parts else None
    indicators = other_indicators(summary, checked) if "roster" in plan.parts else {}
    balances = {"backbone": figures, **indicators} if figures is not None else dict(indicators)
    short = quota_short(inst, plan)
    why = quota_why(inst, plan) if short else {}
    said = {
        lang: rule_rows(inst, plan, checked.violations, balances, short, lang, why)
        for lang in ("en", "zh")
    }
    return [
        {
            "part": en.part,
            "rule": en.rule,
            "state": en.state,
            "violations": en.violations,
            "name": {"en": en.name, "zh": zh.name},
            "message": {"en": en.message, "zh": zh.message},
        }
        for en, zh in zip(said["en"], said["zh"], strict=True)
    ]


def solve_task(folder: Path) -> int:
    """Solve the job of ``folder/job.json``; see the module docstring."""
    import twinning
    from twinning.cli.live import interruptible
    from twinning.county.instance import with_policy
    from twinning.deadline import Deadline
    from twinning.io.files import replace_folder
    from twinning.io.readers import load_instance
    from twinning.messages import language, msg
    from twinning.models.search import Progress
    from twinning.outputs import result_files

    job = read_json(folder / "job.json", {})
    inst = with_policy(load_instance(folder / job["instance"]), job.get("settings") or {})
    lang = language(job["lang"]) if job.get("lang") else inst.lang
    if job.get("registry"):
        from twinning.registry import merge_registry

        inst = merge_registry(inst, job["registry"], job.get("county_name")).instance
    limit = float(job.get("time_limit") or 60.0)
    deadline = Deadline.from_now(limit)
    deadline.keep(len(inst.staff), FORMATS, explain=False)
    progress = _Progress(folder / "progress.jsonl")
    result = interruptible(
        lang,
        lambda keep: twinning.solve(
            inst,
            job.get("parts"),
            time_limit=limit,
            seed=int(job.get("seed") or 0),
            progress=progress,
            on_part=keep,
            deadline=deadline,
        ),
    )
    stopped = time.monotonic()
    progress(Progress("", msg("progress.writing")))
    if job.get("settings"):
        plan = result.plan.model_copy(update={"settings": job["settings"]})
        result = result.model_copy(update={"plan": plan})
    masked = bool(job.get("mask_names"))
    answer: dict[str, Any] = {
        "status": result.status,
        "exit": 0 if result.status in ("optimal", "feasible") else 1,
        "interrupted": bool(result.interrupted),
        "objective": result.objective,
        "bound": result.bound,
        "gap": result.gap,
        "parts": {p: r.status for p, r in result.parts.items()},
        "planned": list(result.plan.parts),
        "lang": lang,
        "complete": False,
    }
    # the plan first (a stopped job's best plan is kept within moments), then the rest
    files = result_files(result, inst, formats=("json",), lang=lang, masked=masked)
    replace_folder(folder / "out", files)
    write_json(folder / "result.json", {**answer, "files": sorted(files)})
    files = result_files(result, inst, formats=FORMATS, lang=lang, masked=masked)
    replace_folder(folder / "out", files)
    rules = rule_table(inst, result.plan, result.summary()) if result.plan.parts else []
    write_json(folder / "rules.json", rules)
    answer.update(
        files=sorted(files),
        complete=True,
        written_after_stop=round(time.monotonic() - stopped, 2),
    )
    write_json(folder / "result.json", answer)
    return 0


# ---- adopt ----------------------------------------------------------------------------------


def adopt_task(folder: Path, ask: dict[str, Any]) -> dict[str, Any]:
    """Adopt the plan of the job in ``folder`` as ``ask`` says (registry, by, note, cycle):
    the outcome, as ``twinning adopt`` decides it."""
    from twinning.county.instance import with_policy
    from twinning.io.readers import load_instance
    from twinning.parts import parse_parts
    from twinning.planfile import read_plan
    from twinning.registry import AdoptionRefused, default_cycle, merge_registry
    from twinning.registry import adopt as record_adoption
    from twinning.validation import validate

    job = read_json(folder / "job.json", {})
    inst = load_instance(folder / job["instance"])
    doc = read_plan(folder / "out" / "plan.json")
    inst = with_policy(inst, doc.settings)
    lacking = [p for p in parse_parts(None, inst) if p not in doc.parts]
    if lacking or doc.interrupted:
        code = "cli.adopt.interrupted" if doc.interrupted else "cli.adopt.partial"
        from twinning.messages import msg

        said = msg(code, parts=lacking, plan="plan.json")
        return {"outcome": "incomplete", "message": _both(said), "missing": lacking}
    county = ask.get("county") or inst.name
    cycle = ask.get("cycle") or default_cycle(inst)
    merged = merge_registry(inst, ask["registry"], county, cycle, missing_ok=True)
    report = validate(merged.instance, doc)
    if not report.ok:
        return {
            "outcome": "invalid",
            "cycle": cycle,
            "violations": [{"en": v.line("en"), "zh": v.line("zh")} for v in report.violations],
        }
    try:
        record = record_adoption(
            ask["registry"],
            inst,
            doc,
            county=county,
            cycle=cycle,
            by=ask.get("by") or "unknown",
            note=ask.get("note") or "",
            kpis={part: k.model_dump(mode="json") for part, k in report.kpis.items()},
        )
    except AdoptionRefused as exc:
        return {"outcome": "exists", "cycle": cycle, "message": _both(exc.msg)}
    return {
        "outcome": "adopted",
        "record": {
            "id": record.id,
            "county": record.county,
            "cycle": record.cycle,
            "status": record.status,
            "adopted_by": record.adopted_by,
            "adopted_at": record.adopted_at.isoformat(),
            "note": record.note,
            "pairs": len(doc.pairs),
            "alliances": len(doc.alliances),
            "roster": len(doc.roster),
        },
    }


def main(argv: list[str] | None = None) -> int:
    """The worker's entry point: ``TASK FOLDER [ANSWER ASK_JSON]``."""
    args = sys.argv[1:] if argv is None else argv
    task, folder = args[0], Path(args[1])
    from twinning.errors import InputError, UsageError

    if task == "solve":  # stop asked before the search started: nothing to keep
        signal.signal(signal.SIGINT, lambda s, f: sys.exit(130))
    try:
        if task == "read":
            return read_task(folder)
        if task == "solve":
            return solve_task(folder)
        if task == "adopt":
            answer = adopt_task(folder, json.loads(args[3]))
            write_json(folder / args[2], answer)
            return 0
    except (InputError, UsageError) as exc:
        _error_answer(folder, exc)
        return 2
    return 64


if __name__ == "__main__":  # pragma: no cover - run as a process
    sys.exit(main())
