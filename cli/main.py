"""``twinning`` commands. Each parses its arguments, calls :mod:`solver`, prints.

User errors (bad files, bad options) print one message and exit 2; an infeasible
instance or an invalid plan exits 1; never a traceback for a user error.
"""

from __future__ import annotations

import json
import math
import os
import signal
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table

import twinning
from twinning.check import validate as check
from twinning.county.instance import Instance
from twinning.county.policy import Policy, parse_setting, with_settings
from twinning.errors import InputError
from twinning.explain import (
    Explanation,
    explain_infeasible,
    move_reason_rows,
    plan_changes,
    with_policy,
)
from twinning.io import labels
from twinning.io.files import atomic_write, check_output_folder, replace_folder
from twinning.io.labels import Lang, console
from twinning.io.readers import InputWarning, expand_instances, load_instance
from twinning.io.tabular import Table as Rows
from twinning.io.tabular import csv_bytes
from twinning.messages import render
from twinning.models.search import STOP
from twinning.plan import PART_ORDER, Plan
from twinning.report.html import render_html
from twinning.report.outputs import result_files
from twinning.result import Summary

app = typer.Typer(
    name="twinning",
    help="School twinning pairs, alliances and exchange rosters for education bureaus.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
EXIT_CODES = (
    "Exit codes: 0 success; 1 infeasible instance, plan missing a rule, or no plan found "
    "(the plan that comes closest is still written); 2 bad input or usage (one message naming "
    "the file, row and column); 130 interrupted (Ctrl-C; the best plan found is written)."
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"twinning {twinning.__version__}\n")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool | None,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = None,
) -> None:
    """School twinning pairs, alliances and exchange rosters for education bureaus."""


out_console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)
if not out_console.is_terminal:  # files and pipes get whole lines, not an 80-column fold
    out_console.width = max(out_console.width, 160)
    err_console.width = max(err_console.width, 160)


def _fail(message: str, code: int = 2, lang: str = "en") -> NoReturn:
    label = "错误：" if lang == "zh" else "error: "
    err_console.print(f"[bold red]{label}[/]{escape(message)}", soft_wrap=True)
    raise typer.Exit(code)


@contextmanager
def _user_errors() -> Iterator[None]:
    """Turn input errors into a message and exit 2, and show input warnings."""

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", InputWarning)
        try:
            yield
        except InputError as exc:
            _show_warnings(caught)
            _fail(str(exc), lang=exc.lang)
        except (ValueError, OSError) as exc:
            _show_warnings(caught)
            _fail(str(exc))
        except ImportError as exc:  # a solver library missing: only solving needs one
            _show_warnings(caught)
            _fail(
                f"cannot solve here: {exc}. twinning validate and twinning report still "
                "work; installing twinning (pip install) brings OR-Tools and PuLP"
            )
        _show_warnings(caught)


def _show_warnings(caught: list[warnings.WarningMessage]) -> None:

    for w in caught:
        if issubclass(w.category, InputWarning):
            label = "警告：" if getattr(w.message, "lang", "en") == "zh" else "warning: "
            err_console.print(f"[yellow]{label}[/]{escape(str(w.message))}", soft_wrap=True)


def _load(path: Path, sets: list[str] | None = None) -> Instance:
    """The instance, with ``--set key=value`` policy keys applied (exit 2 on a bad one)."""
    inst = load_instance(path)
    return with_policy(inst, _settings(sets))


def _settings(sets: list[str] | None) -> dict[str, Any]:
    return dict(parse_setting(text) for text in sets or [])


REGISTRY_HELP = (
    "Plan registry (a file path or sqlite:///FILE, or postgresql://USER:PASS@HOST/DB): the "
    "history of the plans adopted before this cycle is merged with history.csv and years at "
    "school are advanced since the last adoption."
)
COUNTY_HELP = "County id in the registry (default: the instance's name)."

#: Contradictions between history.csv and the registry printed (all are counted).
SHOWN_CONTRADICTIONS = 20


def _with_registry(
    inst: Instance, registry: str | None, county: str | None, *, quiet: bool = False
) -> Instance:
    """The instance with the registry's history merged in (see
    :func:`twinning.registry.merge_registry`), saying what was added and advanced and
    warning of every row where history.csv contradicts an adopted plan."""
    if registry is None:
        if county is not None:
            _fail("--county needs --registry")
        return inst
    from twinning.registry import merge_registry

    merged = merge_registry(inst, registry, county)
    if not quiet:
        err_console.print(escape(merged.summary()), soft_wrap=True, style="dim")
    found = merged.contradictions
    if found:
        err_console.print(
            f"[yellow]warning: [/]history.csv contradicts the registry's adopted plans in "
            f"{len(found)} row(s) (the registry's rows are used as well):",
            soft_wrap=True,
        )
        for line in found[:SHOWN_CONTRADICTIONS]:
            err_console.print(f"  {escape(line)}", soft_wrap=True)
        if len(found) > SHOWN_CONTRADICTIONS:
            err_console.print(f"  ... {len(found) - SHOWN_CONTRADICTIONS} more")
    return merged.instance


SET_HELP = (
    "A policy key for this run only, e.g. --set rotation.rate=0.12 (repeat for more); the "
    "plan records it."
)


@app.command(
    epilog=(
        "Outputs in OUT (default plans/NAME): plan.json, summary.json, and by --format: "
        "pairs.csv, unpaired.csv, alliances.csv, roster.csv, roster_schools.csv, "
        "unmet_needs.csv, principals.csv, hires.csv, outreach.csv, outreach_schools.csv "
        "(csv), plan.xlsx (xlsx). "
        "Defaults: all parts, --time-limit 60, --format json,csv, --lang as the instance's "
        "headers. " + EXIT_CODES
    )
)
def solve(
    instance: Annotated[Path, typer.Argument(help="Instance folder, .xlsx, .json or .yaml.")],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Output folder (default: plans/NAME).")
    ] = None,
    parts: Annotated[
        str | None,
        typer.Option(
            help=(
                "Comma-separated parts: pairs,alliances,roster,outreach. The roster and outreach "
                "build on the pairs "
                "(and, with rotation.scope = alliance, the alliances): they are planned too, "
                "unless --with gives them."
            )
        ),
    ] = None,
    with_plan: Annotated[
        Path | None,
        typer.Option(
            "--with",
            help="A plan.json whose parts are kept as they are (e.g. --parts roster --with "
            "last/plan.json re-plans the roster on those pairs and alliances).",
        ),
    ] = None,
    time_limit: Annotated[float, typer.Option(help="Seconds for the whole solve.")] = 60.0,
    seed: Annotated[int, typer.Option(help="Random seed of the search.")] = 0,
    workers: Annotated[int | None, typer.Option(help="CP-SAT workers.")] = None,
    backend: Annotated[str, typer.Option(help="cpsat (OR-Tools) or pulp (CBC).")] = "cpsat",
    fmt: Annotated[
        str, typer.Option("--format", help="Comma-separated: json,csv,xlsx,html.")
    ] = "json,csv",
    lang: Annotated[
        str | None,
        typer.Option(
            help="Language of the tables, the workbook and the HTML report: en or zh "
            "(default: the language of the instance's headers)."
        ),
    ] = None,
    deterministic: Annotated[
        bool, typer.Option(help="Identical plan on repeated runs (slower).")
    ] = False,
    mask_names: Annotated[
        bool, typer.Option(help="Replace staff names with stable pseudonyms in every output.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress and no summary; errors only.")
    ] = False,
    sets: Annotated[list[str] | None, typer.Option("--set", help=SET_HELP)] = None,
    baseline: Annotated[
        Path | None,
        typer.Option(
            help="Re-plan: a plan.json to change as little as the rules allow (its pairs and "
            "alliances kept where they still hold, each roster move kept earns "
            "weights.replan_keep); the changes are listed and written to changes.csv."
        ),
    ] = None,
    registry: Annotated[str | None, typer.Option(help=REGISTRY_HELP)] = None,
    county: Annotated[str | None, typer.Option(help=COUNTY_HELP)] = None,
) -> None:
    """Solve an instance, write the plan, print a summary table."""

    formats = _formats(fmt)
    if lang is not None:
        _lang(lang)
    with _user_errors():
        inst = _with_registry(_load(instance, sets), registry, county, quiet=quiet)
        target = out if out is not None else Path("plans") / inst.name
        # Refuse a folder that is not ours before solving, but after the usage errors
        # solve() itself would report first (an unknown part).
        asked = {p.strip() for p in (parts or "").split(",") if p.strip()}
        if asked <= set(PART_ORDER):
            check_output_folder(target)
        given = _read_plan(with_plan) if with_plan is not None else None
        before = _read_plan(baseline) if baseline is not None else None
        said: Lang = lang or inst.lang
        _say_added_parts(inst, parts, given, quiet, said)
        with _live_line(quiet, said) as progress:
            result = _interruptible(
                said,
                lambda keep: twinning.solve(
                    inst,
                    parts,
                    time_limit=time_limit,
                    seed=seed,
                    workers=workers,
                    backend=backend,
                    deterministic=deterministic,
                    progress=progress,
                    on_part=keep,
                    given=given,
                    baseline=before,
                ),
            )
    if sets:
        result = result.model_copy(
            update={"plan": result.plan.model_copy(update={"settings": _settings(sets)})}
        )
    with _user_errors():
        # The whole output folder at once (no file of an earlier solve survives), the HTML
        # report with it.
        files = result_files(result, inst, formats=formats, lang=lang, masked=mask_names)
        changes = plan_changes(inst, before, result.plan) if before is not None else None
        if changes is not None:
            files["changes.csv"] = _changes_csv(changes)
        if "csv" in formats and result.plan.roster:
            rows = move_reason_rows(inst, result.plan)
            files["roster_reasons.csv"] = csv_bytes(Rows(list(rows[0]), rows))
        replace_folder(target, files)
    if not quiet:
        _print_summary(result, said)
        if changes is not None:
            _print_changes(changes)
    status = labels.value("status", result.status, said)
    if result.closest:
        out_console.print(console("closest_written", said, target=target, status=status))
    elif result.plan.parts:
        out_console.print(console("written", said, target=target))
    if result.interrupted:
        done = ", ".join(labels.part_name(p, said) for p in result.plan.parts)
        err_console.print(
            console("interrupted", said, status=status, parts=done or console("none", said)),
            style="bold yellow",
        )
        _exit_now(130)
    if result.status in ("infeasible", "unknown"):
        _print_missed(result, said)
        if any(p.status == "infeasible" for p in result.parts.values()):
            # the short form of `twinning explain`: which rules conflict, what repairs it
            budget = min(60.0, max(10.0, time_limit))
            why = explain_infeasible(
                inst, parts, time_limit=budget, step_limit=min(10.0, budget), first=result
            )
            _print_explanation(why, said, short=True)
        raise typer.Exit(1)


#: Rows of a table printed on the console; the files hold them all.
SHOWN_ROWS = 20

#: Output formats the commands write.
FORMATS = ("json", "csv", "xlsx", "html")


def _formats(fmt: str) -> tuple[str, ...]:
    """The --format list, or exit 2 naming what is unknown."""
    formats = tuple(f.strip() for f in fmt.split(",") if f.strip())
    bad = set(formats) - set(FORMATS)
    if bad:
        _fail(f"--format: unknown format(s) {', '.join(sorted(bad))}; use {','.join(FORMATS)}")
    return formats


def _lang(lang: str) -> str:
    """The --lang value, or exit 2."""
    if lang not in ("en", "zh"):
        _fail("--lang: use en or zh")
    return lang


def solver_parts(parts: str, inst: Instance) -> list[str]:
    """The parts a solve plans for this --parts value (those the asked ones build on too)."""
    return list(twinning.parse_parts(parts, inst))


def _read_plan(path: Path) -> Plan:
    """A plan.json, or exit 2 with one message."""
    if not path.is_file():
        _fail(f"{path}: no such file")
    try:
        return Plan.from_json(path.read_bytes().decode("utf-8"))
    except (ValidationError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        first = str(exc).splitlines()[0:3]
        _fail(f"{path.name}: not a twinning plan ({' '.join(first)})")


def _read_summary(path: Path) -> Summary:
    """A summary.json, or exit 2 naming the file."""
    try:
        return Summary.model_validate_json(path.read_bytes().decode("utf-8"))
    except (ValidationError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        first = str(exc).splitlines()[0:3]
        _fail(f"{path.name}: not a twinning summary ({' '.join(first)})")


def _say_added_parts(
    inst: Instance, parts: str | None, given: Plan | None, quiet: bool, lang: Lang
) -> None:
    """Tell the planner when parts they did not name are planned (the roster builds on
    them), and which are taken from --with instead."""
    if parts is None:
        return
    asked = {p for p in parts.replace(" ", "").split(",") if p}
    added = [p for p in solver_parts(parts, inst) if p not in asked]
    if not added or quiet:
        return
    kept = [p for p in added if given is not None and p in given.parts]
    planned = [p for p in added if p not in kept]
    joined = "、" if lang == "zh" else " and "
    if planned:
        names = joined.join(labels.part_name(p, lang) for p in planned)
        err_console.print(console("note_added", lang, parts=names), style="yellow", soft_wrap=True)
    if kept:
        names = joined.join(labels.part_name(p, lang) for p in kept)
        err_console.print(console("note_kept", lang, parts=names))


def _print_missed(result: Any, lang: Lang = "en") -> None:
    """Every rule the plan misses, with every school or person and the amount."""
    messages = [
        f"{labels.part_name(name, lang)}: {render(p.message, lang)}"
        for name, p in result.parts.items()
        if p.message
    ]
    status = labels.value("status", result.status, lang)
    if not result.closest:
        err_console.print(
            escape(console("no_plan", lang, status=status) + " " + " ".join(messages)),
            style="bold red",
            soft_wrap=True,
        )
        return
    by_rule: dict[str, list[Any]] = {}
    for v in result.missed:
        by_rule.setdefault(v.rule, []).append(v)
    err_console.print(
        console("misses", lang, status=status, n=len(by_rule)), style="bold red", soft_wrap=True
    )
    for rule, found in by_rule.items():
        where = "; ".join(
            ", ".join(v.where)
            + (console("by", lang, amount=f"{v.amount:g}") if v.amount is not None else "")
            for v in found
        )
        name = rule if lang != "zh" else f"{labels.rule_name(rule, lang)} ({rule})"
        err_console.print(
            f"  [red]{escape(name)}[/] ({len(found)}): {escape(where)}", soft_wrap=True
        )
    for m in messages:
        err_console.print(f"  {escape(m)}", soft_wrap=True)


#: After a Ctrl-C, how long to wait for the search to hand back its best plan; a search
#: on a very large model can take several seconds to stop (measured: up to 6 s on a
#: 900,000-option county-wide roster), and the planner asked to stop now.
STOP_GRACE_SECONDS = 1.5


def _interruptible(lang: Lang, work: Callable[[Callable[[Any], None]], Any]) -> Any:
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
        err_console.print("\n" + console("stopping", lang), style="yellow")
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
            err_console.print(console("interrupted_early", lang), style="bold yellow")
            _exit_now(130)
        # The run did not finish the parts asked: its status is unknown (the plan's own
        # status still speaks for the parts it holds).
        return partial.model_copy(update={"interrupted": True, "status": "unknown"})
    return box["result"]


def _exit_now(code: int) -> NoReturn:
    """Exit without waiting for an abandoned search thread or freeing a large model."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


class _Live:
    """What the planner sees while a solve runs: one live line on a terminal (part, step,
    gap, elapsed), plain log lines otherwise, nothing with ``--quiet``. Elapsed time is the
    command's own clock, so it never jumps back; gaps, not a search's own objective (which
    for a roster group may be negative), are shown."""

    def __init__(self, quiet: bool, lang: Lang = "en") -> None:
        self.quiet = quiet
        self.lang = lang
        self.start = time.monotonic()
        self.last: Any = None
        self.logged = 0.0
        self.status: Any = None

    def text(self) -> str:
        e, lang = self.last, self.lang
        parts = [labels.part_name(e.part, lang) if e is not None else console("starting", lang)]
        if e is not None and e.step:
            parts.append(render(e.step, lang))
        if e is not None and e.gap is not None:
            parts.append(console("gap", lang, gap=f"{e.gap:.2%}"))
        parts.append(console("seconds", lang, s=f"{time.monotonic() - self.start:.1f}"))
        return " · ".join(parts)

    def __call__(self, event: Any) -> None:
        self.last = event
        if self.quiet:
            return
        if self.status is not None:
            self.status.update(self.text())
            return
        now = time.monotonic()
        # Plain lines: every part's start and end and every roster group, at most one a
        # second for the rest (each improving plan of a long search).
        milestone = not event.solutions
        if milestone or now - self.logged >= 5.0:
            self.logged = now
            err_console.print(f"[{now - self.start:7.1f} s] {self.text()}", markup=False)


@contextmanager
def _live_line(quiet: bool = False, lang: Lang = "en") -> Iterator[_Live]:
    """Progress during a solve: see :class:`_Live`."""
    live = _Live(quiet, lang)
    if quiet or not err_console.is_terminal:
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


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1 else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _print_summary(result: Any, lang: Lang = "en") -> None:
    table = Table(title=f"twinning: {result.plan.instance}", show_lines=False)
    for col in ("part", "status", "objective", "bound", "gap", "seconds", "method"):
        table.add_column(console(f"col_{col}", lang))
    for name, part in result.parts.items():
        gap = f"{part.gap:.2%}" if part.gap is not None else "-"
        table.add_row(
            labels.part_name(name, lang),
            str(labels.value("status", part.status, lang)),
            _fmt(part.objective),
            _fmt(part.bound),
            gap,
            f"{part.wall_time:.2f}",
            render(part.method, lang) if part.method else "",
        )
    out_console.print(table)
    for name, part in result.parts.items():
        if part.kpis is None:
            continue
        comma = "，" if lang == "zh" else ", "
        kpis = comma.join(
            f"{labels.summary_label(k, lang)} {_fmt(v)}"
            for k, v in part.kpis.model_dump().items()
            if not isinstance(v, (dict, list))
        )
        if kpis:
            out_console.print(f"{labels.part_name(name, lang)}: {kpis}", soft_wrap=True)
    roster = result.parts.get("roster")
    if roster is not None and roster.kpis is not None and roster.kpis.quota_capped:
        capped = roster.kpis.quota_capped
        out_console.print(
            console("capped", lang, n=len(capped))
            + "; ".join(
                console("capped_school", lang, school=s, moved=c.can_move, quota=c.by_rate)
                for s, c in capped.items()
            ),
            style="bold yellow",
            soft_wrap=True,
            markup=False,
        )
    _print_balance(result.balance)
    groups = result.parts.get("alliances")
    if groups is not None and groups.kpis is not None and groups.kpis.alliances:
        rows = [row.model_dump() for row in groups.kpis.alliances]
        if all(row["stage"] is None for row in rows):
            rows = [{k: v for k, v in row.items() if k != "stage"} for row in rows]
        elif lang == "zh":
            rows = [{**row, "stage": labels.value("stage", row["stage"], lang)} for row in rows]
        table = Table(title=labels.part_name("alliances", lang))
        for col in rows[0]:
            table.add_column(labels.summary_label(col, lang))
        for row in rows[:SHOWN_ROWS]:
            table.add_row(*(_fmt(v) for v in row.values()))
        out_console.print(table)
        if len(rows) > SHOWN_ROWS:
            out_console.print(console("more_alliances", lang, n=len(rows) - SHOWN_ROWS))


@app.command(
    epilog=(
        "Prints every violation (rule, where, by how much) and the KPIs recounted from the "
        "plan. Exit codes: 0 valid; 1 violations, or a plan whose own status is infeasible "
        "or unknown; 2 unusable input, or a plan made for another instance."
    )
)
def validate(
    instance: Annotated[Path, typer.Argument(help="Instance the plan was made for.")],
    plan: Annotated[Path, typer.Argument(help="plan.json to check.")],
    lang: Annotated[
        str | None,
        typer.Option(help="en or zh (default: the language of the instance's headers)."),
    ] = None,
    sets: Annotated[list[str] | None, typer.Option("--set", help=SET_HELP)] = None,
) -> None:
    """Check every rule independently of the solver; exit 0 valid, 1 violations, 2 bad input."""

    if lang is not None:
        _lang(lang)
    with _user_errors():
        doc = _read_plan(plan)
        # the keys the plan was solved with, then any given here
        inst = with_policy(_load(instance), {**doc.settings, **_settings(sets)})
        report = check(inst, doc)
    said: Lang = lang or inst.lang
    if any(v.rule == "plan.instance" for v in report.violations):
        _fail(f"{plan}: " + report.violations[0].message, lang=said)
    for w in report.warnings:
        err_console.print(
            f"[yellow]{console('warning', said)}[/] {escape(w.text(said))}", soft_wrap=True
        )
    for v in report.violations:
        text = str(v) if said != "zh" else f"{labels.rule_name(v.rule, said)} {v}"
        out_console.print(f"[red]{console('violation', said)}[/] {escape(text)}", soft_wrap=True)
    objective = report.objective
    comma = "，" if said == "zh" else ", "
    for part, kpis in report.kpis.items():
        shown = comma.join(
            f"{labels.summary_label(k, said)} {v}" for k, v in kpis.model_dump().items()
        )
        head = console("recounted", said, part=labels.part_name(part, said))
        out_console.print(head + escape(shown), soft_wrap=True)
    if report.ok:
        out_console.print(
            console(
                "valid",
                said,
                pairs=len(doc.pairs),
                status=labels.value("status", doc.status, said),
                objective=doc.objective,
                recomputed=objective,
            )
        )
        return
    out_console.print(console("invalid", said, n=len(report.violations)))
    raise typer.Exit(1)


def _print_explanation(why: Explanation, lang: Lang, *, short: bool = False) -> None:
    """The conflict and its repairs (short: one paragraph, as after an infeasible solve)."""
    if why.feasible:
        out_console.print("the instance has a plan keeping every rule", soft_wrap=True)
        return
    if short:
        err_console.print(
            "why: " + escape(why.short()) + " (twinning explain shows more)",
            style="yellow",
            soft_wrap=True,
        )
        return
    out_console.print(
        f"{labels.part_name(why.part or '', lang)}: {why.status}; no plan keeps every rule",
        style="bold red",
    )
    if why.misses:
        table = Table(title="missed (every school and amount)")
        for col in ("rule", "where", "by", "what"):
            table.add_column(col)
        for v in why.misses:
            if v.rule == "plan.status":
                continue
            amount = f"{v.amount:g}" if v.amount is not None else "-"
            table.add_row(v.rule, ", ".join(v.where), amount, v.message)
        out_console.print(table)
    if why.conflict:
        out_console.print(
            "rules that conflict (none of them can be left out of the conflict): "
            + ", ".join(why.conflict),
            soft_wrap=True,
        )
    if why.repairs:
        out_console.print("repairs, each checked by solving again (any one is enough):")
        for k, r in enumerate(why.repairs, start=1):
            out_console.print(f"  {k}. {escape(r.change)}", soft_wrap=True)
            if r.settings:
                flags = " ".join(f"--set {key}={_toml(value)}" for key, value in r.settings.items())
                out_console.print(f"     try: {escape(flags)}", soft_wrap=True, style="dim")
    else:
        out_console.print("no single change found that repairs it within the time given")
    done = "" if why.complete else " (cut short by the time limit)"
    if why.undecided:
        done += (
            f"; {why.undecided} solve(s) found no plan within --step-limit and were counted "
            "as infeasible (a longer --step-limit may find smaller repairs)"
        )
    out_console.print(f"{why.solves} solve(s), {why.seconds:.1f} s{done}", style="dim")


def _print_balance(balance: Any) -> None:
    """The staffing indicators' coefficients before and in each period, and the schools
    below each minimum."""
    if balance is None or not balance.after:
        return
    periods = list(balance.after)
    table = Table(title="balance: coefficient of variation across schools (schools below minimum)")
    for col in ("indicator", "stage", "before", *periods, "threshold"):
        table.add_column(col)
    for ind, by_stage in balance.before.items():
        for stage, f in by_stage.items():
            if f.cv is None:
                continue
            cells = [f"{f.cv:.4f} ({f.below_minimum})"]
            for p in periods:
                a = balance.after[p][ind][stage]
                mark = "" if a.met else " over"
                cells.append(f"{a.cv:.4f}{mark} ({a.below_minimum})" if a.cv is not None else "-")
            table.add_row(ind, stage, *cells, f"{f.threshold:g}")
    out_console.print(table)
    for note in balance.missing:
        out_console.print(f"balance: {note}", style="dim")


def _changes_csv(changes: list[Any]) -> bytes:
    columns = ["part", "change", "row", "why"]
    return csv_bytes(Rows(columns, [{c: getattr(ch, c) for c in columns} for ch in changes]))


def _print_changes(changes: list[Any]) -> None:
    """What the re-plan changed against the baseline, and why."""
    counts: dict[str, int] = {}
    for c in changes:
        counts[f"{c.part} {c.change}"] = counts.get(f"{c.part} {c.change}", 0) + 1
    if not changes:
        out_console.print("changes against the baseline: none")
        return
    out_console.print(
        "changes against the baseline: "
        + ", ".join(f"{n} {what}" for what, n in sorted(counts.items()))
    )
    table = Table()
    for col in ("part", "change", "row", "why"):
        table.add_column(col)
    for c in changes[:SHOWN_ROWS]:
        table.add_row(c.part, c.change, escape(c.row), escape(c.why))
    out_console.print(table)
    if len(changes) > SHOWN_ROWS:
        out_console.print(f"... {len(changes) - SHOWN_ROWS} more in changes.csv")


#: KPIs a sweep's table shows (summary.csv has every one).
SWEEP_KPIS = (
    "roster.moves",
    "roster.rotation_rate",
    "roster.quota_schools_below",
    "roster.needs_covered_share",
)


def _sweep(text: str | None) -> list[dict[str, Any]]:
    """``rotation.rate=0.08,0.10`` -> one setting per value (exit 2 on a malformed one)."""
    if not text:
        return []
    key, sep, raw = text.partition("=")
    if not sep or not raw.strip():
        raise ValueError(
            f"--sweep {text!r}: write it as key=v1,v2,..., e.g. rotation.rate=0.08,0.1"
        )
    return [dict([parse_setting(f"{key}={v}")]) for v in raw.split(",") if v.strip()]


def _toml(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@app.command(
    epilog=(
        "Without PLAN: solves, and when a part has no plan keeping every rule prints the rules "
        "that conflict (an irreducible set) and the smallest repairs, each checked by solving "
        "again. With PLAN: the objective recounted per rule, and --staff / --school say why. "
        "Exit codes: 0 feasible (or a plan keeping every rule); 1 infeasible, the explanation "
        "printed; 2 unusable input."
    )
)
def explain(
    instance: Annotated[Path, typer.Argument(help="Instance folder, .xlsx, .json or .yaml.")],
    plan: Annotated[Path | None, typer.Argument(help="A plan.json to explain.")] = None,
    parts: Annotated[str | None, typer.Option(help="Comma-separated parts to solve.")] = None,
    time_limit: Annotated[float, typer.Option(help="Seconds for the whole explanation.")] = 300.0,
    step_limit: Annotated[float, typer.Option(help="Seconds for each solve in it.")] = 20.0,
    staff: Annotated[str | None, typer.Option(help="Why this person moves, or not.")] = None,
    school: Annotated[str | None, typer.Option(help="What the plan does at this school.")] = None,
    lang: Annotated[
        str | None,
        typer.Option(help="en or zh (default: the language of the instance's headers)."),
    ] = None,
    sets: Annotated[list[str] | None, typer.Option("--set", help=SET_HELP)] = None,
    baseline: Annotated[
        Path | None, typer.Option(help="Explain a re-plan on this plan.json (see solve).")
    ] = None,
    registry: Annotated[str | None, typer.Option(help=REGISTRY_HELP)] = None,
    county: Annotated[str | None, typer.Option(help=COUNTY_HELP)] = None,
) -> None:
    """Why an instance has no plan (and what repairs it), or why a plan is what it is."""
    from twinning.explain import move_reasons, objective_breakdown, school_costs, school_reasons

    if lang is not None:
        _lang(lang)
    with _user_errors():
        inst = _with_registry(_load(instance, sets), registry, county)
        doc = _read_plan(plan) if plan is not None else None
        if doc is not None:
            inst = with_policy(inst, {**doc.settings, **_settings(sets)})
    said: Lang = lang or inst.lang
    if doc is not None:
        report = check(inst, doc)
        if any(v.rule == "plan.instance" for v in report.violations):
            _fail(f"{plan}: " + report.violations[0].message, lang=said)
        for line in move_reasons(inst, doc, staff) if staff else []:
            out_console.print(escape(line), soft_wrap=True)
        for line in school_reasons(inst, doc, school) if school else []:
            out_console.print(escape(line), soft_wrap=True)
        if not staff and not school:
            table = Table(title="objective per rule (recounted by the checker)")
            for col in ("part", "term", "amount", "cost (x its weight)"):
                table.add_column(col)
            for part, term, value, cost in objective_breakdown(inst, report):
                table.add_row(labels.part_name(part, said), term, _fmt(value), _fmt(cost))
            out_console.print(table)
            costly = school_costs(inst, doc)
            if costly:
                table = Table(title="schools whose unmet needs cost most (roster)")
                for col in ("school", "cost", "short of"):
                    table.add_column(col)
                for sid, value, what in costly:
                    table.add_row(sid, _fmt(value), escape(what))
                out_console.print(table)
        if doc.status not in ("infeasible", "unknown"):
            return
    before = _read_plan(baseline) if baseline is not None else None
    with _user_errors():
        why = _interruptible(
            said,
            lambda keep: explain_infeasible(
                inst,
                parts,
                time_limit=time_limit,
                step_limit=step_limit,
                baseline=before,
            ),
        )
    _print_explanation(why, said)
    if not why.feasible:
        raise typer.Exit(1)


@app.command(
    epilog=(
        "Writes DIR/frontier.csv (one row per point: weight, moves, rotation rate, needs "
        "covered, the largest coefficient of each indicator and stage over the periods, "
        "whether every threshold is met, valid) and one plan folder per point "
        "(DIR/point-K/plan.json and its tables), with DIR/frontier.html (table and charts) "
        "and each coefficient's proven bound. Each point is a solve with "
        "balance.target = objective at a balance.weight from 0 up, checked by the validator. "
        "Exit codes: 0 written; 1 a point's plan is invalid; 2 unusable input."
    )
)
def frontier(
    instance: Annotated[Path, typer.Argument(help="Instance folder, .xlsx, .json or .yaml.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")],
    points: Annotated[int, typer.Option(help="Plans on the frontier.", min=2, max=12)] = 6,
    parts: Annotated[str, typer.Option(help="Comma-separated parts.")] = "pairs,alliances,roster",
    time_limit: Annotated[float, typer.Option(help="Seconds per point.")] = 60.0,
    sets: Annotated[list[str] | None, typer.Option("--set", help=SET_HELP)] = None,
    registry: Annotated[str | None, typer.Option(help=REGISTRY_HELP)] = None,
    county: Annotated[str | None, typer.Option(help=COUNTY_HELP)] = None,
) -> None:
    """The trade-off between moves and the balance coefficients, a valid plan per point."""
    from twinning.frontier import best_bounds
    from twinning.frontier import frontier as trade_off
    from twinning.report.frontier import frontier_html

    with _user_errors():
        inst = _with_registry(_load(instance, sets), registry, county)
    if out.is_file() or (
        out.is_dir() and any(out.iterdir()) and not (out / "frontier.csv").is_file()
    ):
        _fail(f"{out}: holds files but no frontier.csv; choose a new or empty folder")
    said: Lang = inst.lang
    found = _interruptible(
        said, lambda keep: trade_off(inst, parts, points=points, time_limit=time_limit)
    )
    columns = list(dict.fromkeys(c for p in found for c in p.row))
    with _user_errors():
        for k, point in enumerate(found):  # each point a plan folder of its own
            files = result_files(point.result, inst, formats=("json", "csv"))
            replace_folder(out / f"point-{k}", files)
        atomic_write(out / "frontier.csv", csv_bytes(Rows(columns, [p.row for p in found])))
        bounds = best_bounds(found)
        page = frontier_html(
            f"frontier: {inst.name}",
            [p.row for p in found],
            inst.policy.balance.thresholds,
            bounds,
        )
        atomic_write(out / "frontier.html", page.encode("utf-8"))
    table = Table(title=f"frontier: {inst.name}")
    for col in columns:
        table.add_column(col)
    for p in found:
        table.add_row(*(_fmt(p.row.get(c)) for c in columns))
    out_console.print(table)
    for (ind, stage), bound in sorted(bounds.items()):
        threshold = inst.policy.balance.thresholds.get(stage, 1.0)
        verdict = "out of reach (proven)" if bound > threshold else "not ruled out"
        best = min((p.row.get(f"cv_{ind}_{stage}", math.inf) for p in found), default=math.inf)
        out_console.print(
            f"{ind} {stage}: best found {best:.4f}, no roster goes below {bound:.4f}; "
            f"threshold {threshold:.2f} {verdict}"
        )
    out_console.print(f"frontier written to {out}/frontier.csv and frontier.html")
    if not all(p.valid for p in found):
        raise typer.Exit(1)


@app.command(
    epilog=(
        "Writes each report asked for: --html (one self-contained page: map, KPIs, tables, a "
        "panel per school; no request leaves the machine) and --xlsx (the workbook: a summary "
        "sheet in the planner's language and every table). Exit codes: 0 written (the plan "
        "may still miss rules: they are shown); 2 unusable input or nothing asked."
    )
)
def report(
    instance: Annotated[Path, typer.Argument(help="Instance the plan was made for.")],
    plan: Annotated[Path, typer.Argument(help="plan.json to report.")],
    html: Annotated[
        Path | None, typer.Option("--html", help="Write the HTML report (map, KPIs, tables) here.")
    ] = None,
    xlsx: Annotated[
        Path | None, typer.Option("--xlsx", help="Write the Excel workbook here.")
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(help="zh or en (default: the language of the instance's files)."),
    ] = None,
    summary: Annotated[
        Path | None,
        typer.Option(help="summary.json of the solve (default: the one beside the plan, if any)."),
    ] = None,
    mask_names: Annotated[
        bool, typer.Option(help="Replace staff names with stable pseudonyms.")
    ] = False,
    tiles: Annotated[
        str | None,
        typer.Option(
            help="Tile URL template (https://.../{z}/{x}/{y}.png) for a map background online; "
            "without it the page makes no request at all."
        ),
    ] = None,
) -> None:
    """Reports from an existing plan: each option given writes its report."""

    if lang not in (None, "en", "zh"):
        _fail("--lang: use en or zh")
    if html is None and xlsx is None:
        _fail("report: nothing to write; give --html FILE and/or --xlsx FILE")
    with _user_errors():
        inst = _load(instance)
        doc = _read_plan(plan)
        beside = plan.parent / "summary.json"
        if summary is not None and not summary.is_file():
            _fail(f"{summary}: no such file")
        found = summary or (beside if beside.is_file() else None)
        facts = _read_summary(found) if found is not None else None
        report = check(inst, doc)
        if html is not None:
            page = render_html(
                inst, doc, facts, lang, masked=mask_names, tiles=tiles, checked=report
            )
            atomic_write(html, page.encode("utf-8"))
            out_console.print(f"HTML report written to {html}")
        if xlsx is not None:
            doc.to_excel(xlsx, inst=inst, summary=facts, lang=lang, masked=mask_names)
            out_console.print(f"Excel report written to {xlsx}")
    if not report.ok:
        rules = sorted({v.rule for v in report.violations})
        out_console.print(
            f"the plan misses {len(rules)} rule(s), shown in the report: {', '.join(rules)}",
            soft_wrap=True,
        )


@app.command(
    epilog="Writes schools.csv, staff.csv, needs.csv, history.csv and policy.toml into OUT. "
    "Exit codes: 0 written; 2 bad options."
)
def generate(
    schools: Annotated[int, typer.Option(help="Number of schools.", min=1)],
    staff: Annotated[int, typer.Option(help="Number of staff.", min=1)],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the CSV files to.")],
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    stage_mix: Annotated[
        str | None, typer.Option(help="Exact counts, e.g. primary=133,junior=36.")
    ] = None,
    regions: Annotated[
        str | None, typer.Option(help="Region names by compass sector, e.g. 东,西,南,北.")
    ] = None,
) -> None:
    """Write a realistic synthetic county (Chinese names, stage mix, staffing, coordinates)."""
    # The generator needs pandas (0.2 s to import); no other command does.
    from twinning.synthetic.county import county_policy, generate_county, write_county

    mix = None
    if stage_mix:
        mix = {}
        for item in stage_mix.split(","):
            key, _, value = item.partition("=")
            if not value.strip().isdigit():
                _fail(f"--stage-mix: expected stage=count, got {item!r}")
            mix[key.strip()] = int(value)
    region_list = [r.strip() for r in regions.replace("，", ",").split(",")] if regions else None
    with _user_errors():
        tables = generate_county(schools, staff, seed, stage_mix=mix, regions=region_list)
        stages = list(tables["schools"]["stage"])
        paths = write_county(tables, out, policy=county_policy(schools, region_list, stages))
    out_console.print(
        f"wrote {len(paths)} files to {out}/: "
        + ", ".join(f"{k} {len(v)}" for k, v in tables.items())
    )


@app.command(
    epilog=(
        "Each plan goes to OUT/NAME/ (as solve writes it); one table is printed and written as "
        "OUT/summary.csv. A broken instance is a row with its error and never stops the rest. "
        "Exit codes: 0 when every instance succeeded; 1 otherwise; 2 bad usage."
    )
)
def batch(
    instances: Annotated[list[str], typer.Argument(help="Instance files, folders or globs.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("batch"),
    jobs: Annotated[int | None, typer.Option(help="Local worker processes.")] = None,
    scheduler: Annotated[
        str | None, typer.Option(help="Dask scheduler address, e.g. tcp://127.0.0.1:8786.")
    ] = None,
    parts: Annotated[str | None, typer.Option(help="Comma-separated parts.")] = None,
    time_limit: Annotated[float, typer.Option(help="Seconds per instance.")] = 60.0,
    seed: Annotated[int, typer.Option(help="Random seed of the search.")] = 0,
    deterministic: Annotated[
        bool, typer.Option(help="Identical plans on repeated runs (slower).")
    ] = False,
    fmt: Annotated[
        str, typer.Option("--format", help="Comma-separated: json,csv,xlsx,html.")
    ] = "json,csv",
    lang: Annotated[
        str | None, typer.Option(help="Tables in en or zh (default: each instance's headers).")
    ] = None,
    mask_names: Annotated[
        bool, typer.Option(help="Replace staff names with stable pseudonyms in every output.")
    ] = False,
    sets: Annotated[list[str] | None, typer.Option("--set", help=SET_HELP)] = None,
    sweep: Annotated[
        str | None,
        typer.Option(
            help="Solve each instance once per value of a policy key, e.g. --sweep "
            "rotation.rate=0.08,0.10,0.12; summary.csv tabulates each row's KPIs."
        ),
    ] = None,
    registry: Annotated[
        str | None,
        typer.Option(help=REGISTRY_HELP + " Each instance's county is its name."),
    ] = None,
) -> None:
    """Solve many instances in parallel; one summary table and OUT/summary.csv."""

    paths = expand_instances(instances)
    if not paths:
        _fail("batch: no instance given")
    with _user_errors():
        if registry is not None:  # a bad URL or a database out of reach: say so once
            from twinning.registry import counties

            counties(registry)
        fixed = _settings(sets)
        values = _sweep(sweep)
        for one in values or [{}]:  # every combination must be a valid policy
            with_settings(Policy(), {**fixed, **one})
    grid = [{**fixed, **one} for one in values] if values else ([fixed] if fixed else None)
    rows: list[twinning.BatchRow] = []
    formats = _formats(fmt)
    output: dict[str, Any] = {"formats": formats, "masked": mask_names}
    if lang is not None:
        output["lang"] = _lang(lang)
    stream = twinning.solve_many(
        paths,
        parts=parts,
        time_limit=time_limit,
        jobs=jobs,
        scheduler=scheduler,
        out_dir=out,
        options={"seed": seed, "deterministic": deterministic},
        output=output,
        sweep=grid,
        registry=registry,
    )
    try:
        if out_console.is_terminal:
            with Progress(console=out_console) as bar:
                task = bar.add_task("instances", total=len(paths))
                for row in stream:
                    rows.append(row)
                    bar.advance(task)
        else:
            for row in stream:
                rows.append(row)
                out_console.print(
                    f"[{len(rows)}/{len(paths)}] {row.instance}: {row.status}"
                    + (f" ({escape(row.error)})" if row.error else ""),
                    markup=False,
                    soft_wrap=True,
                )
    except OSError as exc:  # e.g. the scheduler cannot be reached
        _fail(f"batch: {exc}")
    order = {p.resolve(): i for i, p in enumerate(paths)}
    said = [",".join(f"{k}={v}" for k, v in one.items()) for one in grid or [{}]]
    rows.sort(
        key=lambda r: (
            min(
                (i for p, i in order.items() if p.name == r.instance or p.stem == r.instance),
                default=len(order),
            ),
            said.index(r.setting) if r.setting in said else len(said),
        )
    )
    table = Table(title=f"batch: {len(rows)} instance(s)")
    columns = ["instance", "parts", "status", "objective", "gap", "seconds", "violations", "error"]
    if grid:
        columns.insert(1, "setting")
    shown = [k for k in SWEEP_KPIS if values and any(k in r.kpis for r in rows)]
    for col in columns + shown:
        table.add_column(col, overflow="fold")
    for r in rows:
        gap = f"{r.gap:.2%}" if r.gap is not None else "-"
        cells = [
            r.instance,
            r.parts,
            r.status,
            _fmt(r.objective),
            gap,
            f"{r.seconds:.2f}",
            _fmt(r.violations),
            escape(r.error),
        ]
        if grid:
            cells.insert(1, r.setting)
        table.add_row(*cells, *(_fmt(r.kpis.get(k)) for k in shown))
    out_console.print(table)
    kpi_columns = sorted({k for r in rows for k in r.kpis}) if values else []
    summary = Rows(
        columns + kpi_columns,
        [{**r.model_dump(include=set(columns)), **r.kpis} for r in rows],
    )
    atomic_write(out / "summary.csv", csv_bytes(summary))
    out_console.print(f"summary written to {out}/summary.csv")
    if not all(r.ok for r in rows):
        raise typer.Exit(1)


@app.command(
    epilog=(
        "Checks the plan first, against the instance with the registry's history before the "
        "cycle (a plan that breaks a rule is not adopted). Records in one transaction the "
        "pairs, alliances, moves, circuits and outreach visits, the instance's fingerprint, "
        "its policy, the plan's KPIs, a snapshot of the staff's years at school, who adopted "
        "it (--by, else $TWINNING_USER, else the login name) and when (UTC). Exit codes: 0 "
        "adopted; 1 the plan breaks rules (nothing written); 2 unusable input, a registry "
        "that cannot be used, or a cycle adopted already (use --replace)."
    )
)
def adopt(
    instance: Annotated[Path, typer.Argument(help="Instance the plan was made for.")],
    plan: Annotated[Path, typer.Argument(help="plan.json to adopt.")],
    registry: Annotated[
        str, typer.Option(help="Registry: a file path, sqlite:///FILE or postgresql://...")
    ],
    cycle: Annotated[
        str | None,
        typer.Option(help="Cycle id (default: the school year of the first period, 2025-2026)."),
    ] = None,
    county: Annotated[str | None, typer.Option(help=COUNTY_HELP)] = None,
    note: Annotated[str, typer.Option(help="A note kept with the record.")] = "",
    by: Annotated[
        str | None, typer.Option(help="Who adopts it (default: $TWINNING_USER, else login).")
    ] = None,
    replace: Annotated[
        bool,
        typer.Option(
            help="Adopt over a cycle adopted already; the old record is kept, superseded."
        ),
    ] = False,
) -> None:
    """Record an adopted plan in the registry (SQLite file, or PostgreSQL for a city)."""
    from twinning.registry import adopt as record_adoption
    from twinning.registry import default_cycle, merge_registry

    with _user_errors():
        doc = _read_plan(plan)
        inst = with_policy(_load(instance), doc.settings)
        county_id = county or inst.name
        cycle_id = cycle or default_cycle(inst)
        merged = merge_registry(inst, registry, county_id, cycle_id)
        report = check(merged.instance, doc)
    if any(v.rule == "plan.instance" for v in report.violations):
        _fail(f"{plan}: " + report.violations[0].message)
    if not report.ok:
        for v in report.violations:
            out_console.print(f"[red]violation[/] {escape(str(v))}", soft_wrap=True)
        err_console.print(
            f"[bold red]not adopted:[/] the plan breaks {len(report.violations)} rule(s) "
            f"(checked with the registry's history before {cycle_id}); nothing was written",
            soft_wrap=True,
        )
        raise typer.Exit(1)
    who = by or os.environ.get("TWINNING_USER") or _login()
    with _user_errors():
        record = record_adoption(
            registry,
            inst,
            doc,
            county=county_id,
            cycle=cycle_id,
            by=who,
            note=note,
            replace=replace,
            kpis={part: k.model_dump(mode="json") for part, k in report.kpis.items()},
        )
    out_console.print(
        f"adopted: county {record.county}, cycle {record.cycle}, record {record.id}, by "
        f"{record.adopted_by} at {record.adopted_at:%Y-%m-%d %H:%M:%S} UTC: {len(doc.pairs)} "
        f"pairs, {len(doc.alliances)} alliance rows, {len(doc.roster)} roster lines",
        soft_wrap=True,
    )


def _login() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@app.command(
    epilog=(
        "Writes DIR/history.csv (the history.csv contract: kind, period, staff, from_school, "
        "to_school, and mentee when there are mentor pairs) from the plans in force: pairs, "
        "alliance members, moves (exchanges, secondments, headships: kind exchange) and mentor "
        "pairs, each with its cycle as the period. Exit codes: 0 written; 2 unusable registry "
        "or no county to export."
    )
)
def history(
    registry: Annotated[
        str, typer.Option(help="Registry: a file path, sqlite:///FILE or postgresql://...")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write history.csv to.")],
    county: Annotated[
        str | None,
        typer.Option(help="County id (default: the registry's only county)."),
    ] = None,
    cycle: Annotated[
        str | None, typer.Option(help="Cycles up to and including this one (default: all).")
    ] = None,
) -> None:
    """Export the registry's history as history.csv, so that nothing is locked in."""
    from twinning.registry import counties, history_csv, history_rows

    with _user_errors():
        if county is None:
            known = counties(registry)
            if len(known) != 1:
                listed = ", ".join(known) if known else "none"
                _fail(f"history: give --county (counties in the registry: {listed})")
            county = known[0]
        rows = history_rows(registry, county, upto_cycle=cycle)
        atomic_write(out / "history.csv", history_csv(rows))
    cycles = sorted({h.period for h in rows})
    out_console.print(
        f"history of county {county}: {len(rows)} row(s) of cycle(s) "
        f"{', '.join(cycles) or 'none'} written to {out}/history.csv",
        soft_wrap=True,
    )


@app.command()
def schema(
    which: Annotated[str, typer.Argument(help="instance, plan or both.")] = "both",
) -> None:
    """Print the JSON Schema of the instance and plan documents."""

    docs: dict[str, Callable[[], dict[str, Any]]] = {
        "instance": lambda: Instance.model_json_schema(by_alias=True),
        "plan": Plan.model_json_schema,
    }
    if which == "both":
        data: Any = {k: f() for k, f in docs.items()}
    elif which in docs:
        data = docs[which]()
    else:
        _fail("schema: choose instance, plan or both")
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
