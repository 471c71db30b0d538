"""The commands that plan: ``solve``, ``batch`` and ``frontier``."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table

import twinning
from twinning.cli import show
from twinning.cli.common import (
    EXIT_CODES,
    CountyOpt,
    DeterministicOpt,
    FormatOpt,
    InstanceArg,
    LangOpt,
    MaskOpt,
    RegistryOpt,
    SeedOpt,
    SetOpt,
    at_least_one,
    check_lang,
    err_console,
    fmt,
    formats,
    guarded,
    load,
    named_output,
    out_console,
    output_path,
    parts_help,
    positive_seconds,
    read_plan,
    settings,
    speak,
)
from twinning.cli.live import exit_now, interruptible, live_line
from twinning.county.instance import Instance
from twinning.county.policy import Policy, parse_setting, with_settings
from twinning.deadline import PROCESS, Deadline, slowdown_so_far
from twinning.errors import InputError, UsageError
from twinning.io.files import atomic_write, check_output_folder, replace_folder
from twinning.io.readers import expand_instances
from twinning.io.tabular import Table as Rows
from twinning.io.tabular import csv_bytes
from twinning.messages import Lang, joined, kpi_label, msg, say, value_word, word
from twinning.models.search import Progress as Step
from twinning.parts import PART_ORDER, asked_parts, parse_parts
from twinning.plan import Plan
from twinning.solving import BACKENDS, LEAST_SHARE

#: Contradictions between history.csv and the registry printed (all are counted).
SHOWN_CONTRADICTIONS = 20

#: The formats a solve writes unless told otherwise: the plan, its tables, the workbook
#: and the report, so that a first run gives the planner everything to open.
DEFAULT_FORMATS = "json,csv,xlsx,html"


def with_registry(
    inst: Instance, registry: str | None, county: str | None, lang: Lang, *, quiet: bool = False
) -> Instance:
    """The instance with the registry's history merged in (see
    :func:`twinning.registry.merge_registry`), saying what was added and advanced and
    warning of every row where history.csv contradicts an adopted plan."""
    if registry is None:
        if county is not None:
            raise UsageError.of("cli.usage.county_needs_registry")
        return inst
    from twinning.registry import merge_registry

    merged = merge_registry(inst, registry, county)
    if not quiet:
        err_console.print(escape(merged.summary(lang)), soft_wrap=True, style="dim")
    found = merged.contradictions
    if found:
        head = say("cli.warning", lang) + say("cli.registry.contradictions", lang, n=len(found))
        err_console.print(f"[yellow]{escape(head)}[/]", soft_wrap=True)
        for line in found[:SHOWN_CONTRADICTIONS]:
            err_console.print(f"  {escape(line.text(lang))}", soft_wrap=True)
        if len(found) > SHOWN_CONTRADICTIONS:
            more = len(found) - SHOWN_CONTRADICTIONS
            err_console.print(say("cli.more_rows", lang, n=more, file="history.csv"))
    return merged.instance


def register(app: typer.Typer) -> None:
    """Add the planning commands to the application."""
    app.command(
        epilog=(
            "Outputs in OUT (default plans/NAME): plan.json, summary.json, and by --format: "
            "the tables as CSV files (pairs.csv, unpaired.csv, alliances.csv, roster.csv, "
            "roster_schools.csv, roster_reasons.csv, unmet_needs.csv, principals.csv, "
            "hires.csv, circuits.csv, unmet_lessons.csv, school_week.csv, outreach.csv, "
            "outreach_schools.csv; "
            "changes.csv with --baseline), plan.xlsx (xlsx) and report.html (html). "
            f"Defaults: all parts, --time-limit 60, --format {DEFAULT_FORMATS}, --lang as the "
            "instance's headers. " + EXIT_CODES
        )
    )(solve)
    app.command(
        epilog=(
            "Each plan goes to OUT/NAME/ (the files solve writes); one table is printed and "
            "written as OUT/summary.csv. Instances of one name (a/county and b/county) get "
            "their own folders and rows, NAME and NAME-2, in the order given. A broken "
            "instance (a link to nowhere, a file it cannot read) is a row with its error and "
            "never stops the rest. Exit codes: 0 when every instance succeeded; 1 otherwise; 2 bad "
            "usage; 3 a defect of twinning."
        )
    )(batch)
    app.command(
        epilog=(
            "Writes DIR/frontier.csv (one row per point: weight, moves, rotation rate, needs "
            "covered, the largest coefficient of each indicator and stage over the periods, "
            "whether every threshold is met, valid) and one plan folder per point "
            "(DIR/point-K/, the files solve writes), with DIR/frontier.html (table and charts) "
            "and each coefficient's proven bound. Each point is a solve with "
            "balance.target = objective at a balance.weight from 0 up, checked by the "
            "validator. Exit codes: 0 written; 1 a point's plan is invalid; 2 unusable input; "
            "3 a defect of twinning."
        )
    )(frontier)


@guarded
def solve(
    instance: InstanceArg,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Output folder (default: plans/NAME).",
            parser=output_path,
            metavar="PATH",
        ),
    ] = None,
    parts: Annotated[str | None, typer.Option(help=parts_help())] = None,
    with_plan: Annotated[
        Path | None,
        typer.Option(
            "--with",
            help="A plan.json whose parts are kept as they are (e.g. --parts roster --with "
            "last/plan.json re-plans the roster on those pairs and alliances).",
        ),
    ] = None,
    time_limit: Annotated[
        float, typer.Option(help=say("cli.help.solve_time_limit", "en", least=LEAST_SHARE))
    ] = 60.0,
    seed: SeedOpt = 0,
    workers: Annotated[int | None, typer.Option(help="CP-SAT workers per search.")] = None,
    backend: Annotated[
        str,
        typer.Option(
            help=f"{', '.join(BACKENDS)}: OR-Tools (exact network flow where it applies, "
            "CP-SAT otherwise), PuLP with CBC, PuLP with HiGHS."
        ),
    ] = "cpsat",
    fmt_: Annotated[str, typer.Option("--format", help="Comma-separated: json,csv,xlsx,html.")] = (
        DEFAULT_FORMATS
    ),
    lang: LangOpt = None,
    deterministic: DeterministicOpt = False,
    mask_names: MaskOpt = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress and no summary; errors only.")
    ] = False,
    sets: SetOpt = None,
    baseline: Annotated[
        Path | None,
        typer.Option(
            help="Re-plan: a plan.json to change as little as the rules allow (its pairs and "
            "alliances kept where they still hold, each roster move kept earns "
            "weights.replan_keep); the changes are listed and written to changes.csv."
        ),
    ] = None,
    registry: RegistryOpt = None,
    county: CountyOpt = None,
) -> None:
    """Solve an instance, write the plan, print a summary table."""
    wanted = formats(fmt_)
    check_lang(lang)
    named_output(out, "--out")
    positive_seconds(time_limit)
    # the limit is the whole command's, from its start (reading and writing count)
    deadline = Deadline.for_command(time_limit)
    at_least_one(workers, "--workers")
    if backend not in BACKENDS:
        raise UsageError.of("usage.unknown_backend", backend=backend, known=list(BACKENDS))
    if parts is not None:
        parse_parts(parts)  # an unknown part is said before any file is read
    inst = load(instance, sets)
    said = speak(lang, inst)
    inst = with_registry(inst, registry, county, said, quiet=quiet)
    target = out if out is not None else Path("plans") / inst.name
    check_output_folder(target, lang=said)  # a folder not ours is refused before solving
    given = read_plan(with_plan) if with_plan is not None else None
    before = read_plan(baseline) if baseline is not None else None
    for flag, doc in (("--with", given), ("--baseline", before)):
        if doc is not None and doc.instance != inst.name:
            raise UsageError.of(
                "cli.usage.plan_for_other", flag=flag, plan=doc.instance, instance=inst.name
            )
    _say_added_parts(inst, parts, given, quiet, said)
    # kept for after the parts: checking and writing (by the county's size, scaled by how
    # busy the machine has been so far) and, while the roster may need it, the explanation
    deadline.keep(
        len(inst.staff), wanted, explain=True, slowdown=slowdown_so_far(deadline.elapsed())
    )
    memo: dict[str, Any] = {}  # what the parts build, reused by the explanation's solves
    PROCESS.keeping(inst, memo)  # freed with the process, not object by object
    with live_line(quiet, said, start=deadline.start) as progress:
        result = interruptible(
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
                memo=memo,
                deadline=deadline,
            ),
        )
        progress(Step("", msg("progress.writing")))  # under the progress line
        if sets:
            result = result.model_copy(
                update={"plan": result.plan.model_copy(update={"settings": settings(sets)})}
            )
        # The whole output folder at once (no file of an earlier solve survives).
        from twinning.outputs import result_files  # the report: here, not for validate

        files = result_files(
            result, inst, formats=wanted, lang=said, masked=mask_names, baseline=before
        )
        replace_folder(target, files)
    PROCESS.keeping(result, files)
    if not quiet:
        show.summary(result, said)
        if before is not None:
            from twinning.explain import plan_changes

            show.changes(plan_changes(inst, before, result.plan), said)
    if result.closest:
        out_console.print(say("cli.closest_written", said, target=target, status=result.status))
    elif result.plan.parts:
        out_console.print(say("cli.written", said, target=target))
    if result.interrupted:
        err_console.print(
            say("cli.interrupted", said, status=result.status, parts=result.plan.parts),
            style="bold yellow",
        )
        exit_now(130)
    _say_what_next(instance, target, files, result.status, said, quiet)
    if result.status in ("infeasible", "unknown"):
        show.missed(result, said)
        if any(p.status == "infeasible" for p in result.parts.values()):
            from twinning.explain import explain_infeasible

            # the short form of `twinning explain`: which rules conflict, what repairs it,
            # in its share of the limit on the solve's own options (`twinning explain`
            # takes longer); it stops when its time is up and says so
            budget = deadline.for_explanation()
            with live_line(quiet, said, start=deadline.start) as progress:
                progress(Step("", msg("progress.explaining")))
                why = explain_infeasible(
                    inst, parts, time_limit=budget, step_limit=budget, first=result, memo=memo
                )
            show.explanation(why, said, short=True)
        raise typer.Exit(1)


def _say_what_next(
    instance: Path, target: Path, files: dict[str, bytes], status: str, lang: Lang, quiet: bool
) -> None:
    """The files to open and the next commands."""
    if quiet:
        return
    shown = [str(target / f) for f in ("report.html", "plan.xlsx") if f in files]
    shown = shown or [str(target / "plan.json")]
    if status in ("infeasible", "unknown"):
        line = say("cli.open_next_infeasible", lang, files=shown, instance=str(instance))
    else:
        line = say(
            "cli.open_next",
            lang,
            files=shown,
            instance=str(instance),
            plan=str(target / "plan.json"),
        )
    out_console.print(escape(line), soft_wrap=True)


def _say_added_parts(
    inst: Instance, parts: str | None, given: Plan | None, quiet: bool, lang: Lang
) -> None:
    """Tell the planner when parts they did not name are planned (the parts asked build on
    them), and which are taken from --with instead."""
    if parts is None or quiet:
        return
    asked = asked_parts(parts)
    added = [p for p in parse_parts(parts, inst) if p not in asked]
    kept = [p for p in added if given is not None and p in given.parts]
    planned = [p for p in added if p not in kept]
    if planned:
        line = say("cli.note_added", lang, asked=asked, parts=planned)
        err_console.print(escape(line), style="yellow", soft_wrap=True)
    if kept:
        err_console.print(escape(say("cli.note_kept", lang, parts=kept)))


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
        raise UsageError.of("cli.usage.sweep", text=text)
    return [dict([parse_setting(f"{key}={v}")]) for v in raw.split(",") if v.strip()]


def _instance_holding(out: Path, paths: list[Path]) -> Path | None:
    """The instance folder ``out`` would write into: the folder itself, a folder inside
    it, or the folder holding it (batch's plan folder NAME would be the instance's own)."""
    try:
        target = out.resolve()
    except (OSError, RuntimeError):
        return None
    for path in paths:
        try:
            folder = Path(path).resolve()
            if not folder.is_dir():
                continue
        except (OSError, RuntimeError):  # a link in a loop: batch reports it as its row
            continue
        if target == folder or folder in target.parents or folder.parent == target:
            return Path(path)
    return None


@guarded
def batch(
    instances: Annotated[list[str], typer.Argument(help="Instance files, folders or globs.")],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Output folder.", parser=output_path, metavar="PATH")
    ] = Path("batch"),
    jobs: Annotated[int | None, typer.Option(help="Local worker processes.")] = None,
    scheduler: Annotated[
        str | None, typer.Option(help="Dask scheduler address, e.g. tcp://127.0.0.1:8786.")
    ] = None,
    parts: Annotated[str | None, typer.Option(help=parts_help())] = None,
    time_limit: Annotated[float, typer.Option(help="Seconds per instance.")] = 60.0,
    seed: SeedOpt = 0,
    deterministic: DeterministicOpt = False,
    fmt_: FormatOpt = DEFAULT_FORMATS,
    lang: LangOpt = None,
    mask_names: MaskOpt = False,
    sets: SetOpt = None,
    sweep: Annotated[
        str | None,
        typer.Option(
            help="Solve each instance once per value of a policy key, e.g. --sweep "
            "rotation.rate=0.08,0.10,0.12; summary.csv tabulates each row's KPIs."
        ),
    ] = None,
    registry: RegistryOpt = None,
) -> None:
    """Solve many instances in parallel; one summary table and OUT/summary.csv."""
    check_lang(lang)
    said = speak(lang)
    named_output(out, "--out")
    if out.exists() and not out.is_dir():  # refused before any solve, not after all of them
        raise InputError.one(str(out), msg("input.output.is_file"), lang=said)
    positive_seconds(time_limit)
    at_least_one(jobs, "--jobs")
    wanted = formats(fmt_)
    if parts is not None:
        parse_parts(parts)
    paths = expand_instances(instances)
    if not paths:
        raise UsageError.of("cli.usage.batch_empty")
    held = _instance_holding(out, paths)
    if held is not None:  # inputs are never written to: refused before any solve
        raise UsageError.of("cli.usage.batch_out_in_instance", out=str(out), instance=str(held))
    if registry is not None:  # a bad URL or a database out of reach: say so once
        from twinning.registry import counties

        counties(registry)
    fixed = settings(sets)
    values = _sweep(sweep)
    for one in values or [{}]:  # every combination must be a valid policy
        with_settings(Policy(), {**fixed, **one})
    grid = [{**fixed, **one} for one in values] if values else ([fixed] if fixed else None)
    output: dict[str, Any] = {"formats": wanted, "masked": mask_names}
    if lang is not None:
        output["lang"] = lang
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
    rows: list[Any] = []
    try:
        if out_console.is_terminal:
            with Progress(console=out_console) as bar:
                task = bar.add_task(say("cli.batch.instances", said), total=len(paths))
                for row in stream:
                    rows.append(row)
                    bar.advance(task)
        else:
            for row in stream:
                rows.append(row)
                code = "cli.batch.row_error" if row.error else "cli.batch.row"
                status = str(value_word("status", row.status, row.lang))
                line = say(
                    code,
                    row.lang,
                    k=len(rows),
                    n=len(paths),
                    instance=row.instance,
                    status=status,
                    error=row.error,
                )
                out_console.print(line, markup=False, soft_wrap=True)
    except OSError as exc:  # e.g. the scheduler cannot be reached
        raise UsageError.of("cli.batch.scheduler", error=str(exc)) from None
    if lang is None and rows and all(r.lang == "zh" for r in rows):
        said = speak("zh")  # the instances' own language when they all speak it
    from twinning.batch import batch_names

    order = {name: i for i, name in enumerate(batch_names(paths))}
    named = [",".join(f"{k}={v}" for k, v in one.items()) for one in grid or [{}]]
    rows.sort(
        key=lambda r: (
            order.get(r.instance, len(order)),
            named.index(r.setting) if r.setting in named else len(named),
        )
    )
    columns = ["instance", "parts", "status", "objective", "gap", "seconds", "violations", "error"]
    if grid:
        columns.insert(1, "setting")
    shown = [k for k in SWEEP_KPIS if values and any(k in r.kpis for r in rows)]
    table = Table(title=say("cli.batch.title", said, n=len(rows)))
    for col in columns:
        table.add_column(say(f"cli.batch.col.{col}", said), overflow="fold")
    for k in shown:
        part, _, name = k.partition(".")
        table.add_column(kpi_label(part, name, said), overflow="fold")
    for r in rows:
        gap = f"{r.gap:.2%}" if r.gap is not None else "-"
        cells = [
            r.instance,
            joined([word(f"part.{p}", said) for p in r.parts.split(",") if p], said),
            str(value_word("status", r.status, said)),
            fmt(r.objective, said),
            gap,
            f"{r.seconds:.2f}",
            fmt(r.violations, said),
            escape(r.error),
        ]
        if grid:
            cells.insert(1, r.setting)
        table.add_row(*cells, *(fmt(r.kpis.get(k), said) for k in shown))
    out_console.print(table)
    kpi_columns = sorted({k for r in rows for k in r.kpis}) if values else []
    summary = Rows(
        columns + kpi_columns,
        [
            {
                **r.model_dump(include=set(columns)),
                **r.kpis,
                "status": value_word("status", r.status, said),
                "parts": r.parts
                if said == "en"
                else joined([word(f"part.{p}", said) for p in r.parts.split(",") if p], said),
            }
            for r in rows
        ],
    )
    # summary.csv in the planner's language (English: its columns' own names, a contract)
    heads = {c: say(f"cli.batch.col.{c}", said) for c in columns}
    for k in kpi_columns:
        part, _, name = k.partition(".")
        heads[k] = (
            k if said == "en" else f"{word(f'part.{part}', said)}：{kpi_label(part, name, said)}"
        )
    atomic_write(out / "summary.csv", csv_bytes(summary, heads if said == "zh" else None))
    out_console.print(say("cli.batch.written", said, out=out))
    if not all(r.ok for r in rows):
        raise typer.Exit(1)


@guarded
def frontier(
    instance: InstanceArg,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Output folder.", parser=output_path, metavar="PATH")
    ],
    points: Annotated[int, typer.Option(help="Plans on the frontier.", min=2, max=12)] = 6,
    parts: Annotated[str, typer.Option(help=parts_help())] = "pairs,alliances,roster",
    time_limit: Annotated[float, typer.Option(help="Seconds per point.")] = 60.0,
    lang: LangOpt = None,
    sets: SetOpt = None,
    registry: RegistryOpt = None,
    county: CountyOpt = None,
) -> None:
    """The trade-off between moves and the balance coefficients, a valid plan per point."""
    from twinning.frontier import best_bounds
    from twinning.frontier import frontier as trade_off
    from twinning.report.frontier import cell_text, column_label, frontier_html

    check_lang(lang)
    named_output(out, "--out")
    positive_seconds(time_limit)
    parse_parts(parts)
    inst = load(instance, sets)
    said = speak(lang, inst)
    inst = with_registry(inst, registry, county, said)
    if out.is_file() or (
        out.is_dir() and any(out.iterdir()) and not (out / "frontier.csv").is_file()
    ):
        raise UsageError.of("cli.usage.frontier_folder", out=str(out))
    found = interruptible(
        said, lambda keep: trade_off(inst, parts, points=points, time_limit=time_limit)
    )
    from twinning.outputs import result_files

    columns = list(dict.fromkeys(c for p in found for c in p.row))
    for k, point in enumerate(found):  # each point a plan folder of its own, as solve writes
        files = result_files(point.result, inst, lang=said)
        replace_folder(out / f"point-{k}", files)
    # frontier.csv in the planner's language (English: its columns' own names, a contract)
    heads = {c: column_label(c, said) for c in columns}
    cells = [{c: value_word(c, p.row.get(c), said) for c in columns} for p in found]
    atomic_write(out / "frontier.csv", csv_bytes(Rows(columns, cells), heads))
    bounds = best_bounds(found)
    page = frontier_html(
        say("cli.frontier.title", said, instance=inst.name),
        [p.row for p in found],
        inst.policy.balance.thresholds,
        bounds,
        lang=said,
    )
    atomic_write(out / "frontier.html", page.encode("utf-8"))
    table = Table(title=say("cli.frontier.title", said, instance=inst.name))
    for col in columns:
        table.add_column(column_label(col, said))
    for p in found:
        table.add_row(*(cell_text(c, p.row.get(c), said) for c in columns))
    out_console.print(table)
    for (ind, stage), bound in sorted(bounds.items()):
        threshold = inst.policy.balance.thresholds.get(stage, 1.0)
        verdict = msg(
            "cli.frontier.out_of_reach" if bound > threshold else "cli.frontier.not_ruled_out"
        )
        best = min((p.row.get(f"cv_{ind}_{stage}", math.inf) for p in found), default=math.inf)
        out_console.print(
            say(
                "cli.frontier.verdict",
                said,
                indicator=ind,
                stage=stage,
                best=best,
                bound=bound,
                threshold=threshold,
                verdict=verdict,
            )
        )
    out_console.print(say("cli.frontier.written", said, out=out))
    if not all(p.valid for p in found):
        raise typer.Exit(1)


__all__ = ["PART_ORDER", "batch", "frontier", "register", "solve"]
