"""The commands that read a plan: ``validate``, ``report`` and ``explain``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from twinning.cli import show
from twinning.cli.common import (
    CountyOpt,
    InstanceArg,
    LangOpt,
    MaskOpt,
    RegistryOpt,
    SetOpt,
    check_lang,
    err_console,
    fail,
    fmt,
    guarded,
    known_id,
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
from twinning.cli.live import interruptible
from twinning.cli.solving import with_registry
from twinning.collector import paused
from twinning.county.instance import with_policy
from twinning.errors import UsageError
from twinning.io.files import atomic_write
from twinning.messages import Lang, msg, render, say, word
from twinning.parts import PARTS, parse_parts
from twinning.plan import Plan
from twinning.validation import ValidationReport, validate

PlanArg = Annotated[Path, typer.Argument(help="plan.json to read.", show_default=False)]


def register(app: typer.Typer) -> None:
    """Add the commands that read a plan to the application."""
    app.command(
        "validate",
        epilog=(
            "Prints every violation (rule, where, by how much) and the KPIs recounted from the "
            "plan. Exit codes: 0 valid; 1 violations, or a plan whose own status is infeasible "
            "or unknown; 2 unusable input, or a plan made for another instance; 3 a defect of "
            "twinning."
        ),
    )(validate_command)
    app.command(
        epilog=(
            "Writes each report asked for: --html (one self-contained page: map, KPIs, tables, "
            "a panel per school; no request leaves the machine) and --xlsx (the workbook: a "
            "summary sheet in the planner's language and every table). Exit codes: 0 written "
            "(the plan may still miss rules: they are shown); 2 unusable input or nothing "
            "asked; 3 a defect of twinning."
        )
    )(report)
    app.command(
        epilog=(
            "Without PLAN: solves, and when a part has no plan keeping every rule prints the "
            "rules that conflict and the smallest repairs, each checked by solving again. With "
            "PLAN: the objective recounted per rule, and --staff / --school say why. Exit "
            "codes: 0 feasible (or a plan keeping every rule); 1 infeasible, the explanation "
            "printed; 2 unusable input; 3 a defect of twinning."
        )
    )(explain)


def _other_instance(report: ValidationReport, plan: Path, lang: Lang) -> None:
    """Exit 2 when the plan was made for another county."""
    found = [v for v in report.violations if v.rule == "plan.instance"]
    if found:
        fail(msg("cli.usage.plan_of_other_instance", plan=str(plan), why=found[0].msg), lang)


def _rows(plan: Plan) -> list[object]:
    """Each part's rows checked, as ``n table rows`` messages."""
    out: list[object] = []
    for name in plan.parts:
        field = PARTS[name].rows[0]
        out.append(msg("cli.valid_rows", n=len(getattr(plan, field)), table=field))
    return out


@guarded
@paused()  # the collector off for the whole check (twinning.collector): one county, one plan
def validate_command(
    instance: Annotated[Path, typer.Argument(help="Instance the plan was made for.")],
    plan: PlanArg,
    lang: LangOpt = None,
    sets: SetOpt = None,
) -> None:
    """Check every rule independently of the solver; exit 0 valid, 1 violations, 2 bad input."""
    check_lang(lang)
    inst = load(instance)
    said = speak(lang, inst)
    doc = read_plan(plan)
    # the keys the plan was solved with, then any given here
    inst = with_policy(inst, {**doc.settings, **settings(sets)})
    report = validate(inst, doc)
    _other_instance(report, plan, said)
    for w in report.warnings:
        err_console.print(f"[yellow]{escape(say('cli.warning', said))}[/]{escape(render(w, said))}")
    for v in report.violations:
        text = v.line(said)
        if said == "zh":
            text = f"{word(f'rule.{v.rule}', said)} {text}"
        label = say("cli.violation", said)
        out_console.print(f"[red]{escape(label)}[/] {escape(text)}", soft_wrap=True)
    for part, kpis in report.kpis.items():
        figures = show.kpi_figures(part, kpis.model_dump(), said)
        line = say("cli.recounted", said, part=part, figures=figures)
        out_console.print(escape(line), soft_wrap=True)
    show.balance(report.balance, said)
    if report.ok:
        out_console.print(
            escape(
                say(
                    "cli.valid",
                    said,
                    parts=doc.parts,
                    rows=_rows(doc),
                    status=doc.status,
                    objective=doc.objective,
                    recomputed=report.objective,
                )
            ),
            soft_wrap=True,
        )
        return
    out_console.print(say("cli.invalid", said, n=len(report.violations)))
    raise typer.Exit(1)


@guarded
def report(
    instance: Annotated[Path, typer.Argument(help="Instance the plan was made for.")],
    plan: PlanArg,
    html: Annotated[
        Path | None,
        typer.Option(
            "--html",
            help="Write the HTML report (map, KPIs, tables) here.",
            parser=output_path,
            metavar="PATH",
        ),
    ] = None,
    xlsx: Annotated[
        Path | None,
        typer.Option(
            "--xlsx", help="Write the Excel workbook here.", parser=output_path, metavar="PATH"
        ),
    ] = None,
    lang: LangOpt = None,
    summary: Annotated[
        Path | None,
        typer.Option(help="summary.json of the solve (default: the one beside the plan, if any)."),
    ] = None,
    mask_names: MaskOpt = False,
    tiles: Annotated[
        str | None,
        typer.Option(
            help=(
                "Map tile URL template (https://.../{z}/{x}/{y}.png) for a map background "
                "online; without it the page makes no request at all."
            ),
        ),
    ] = None,
) -> None:
    """Reports from an existing plan: each option given writes its report."""
    from twinning.planfile import read_summary
    from twinning.report.html import render_html

    check_lang(lang)
    named_output(html, "--html")
    named_output(xlsx, "--xlsx")
    if html is None and xlsx is None:
        raise UsageError.of("cli.usage.report_nothing")
    inst = load(instance)
    said = speak(lang, inst)
    doc = read_plan(plan)
    beside = plan.parent / "summary.json"
    if summary is not None and not summary.is_file():
        raise UsageError.of("cli.no_such_file", path=str(summary))
    found = summary or (beside if beside.is_file() else None)
    facts = read_summary(found, lang=said) if found is not None else None
    checked = validate(inst, doc)
    _other_instance(checked, plan, said)
    if html is not None:
        page = render_html(inst, doc, facts, said, masked=mask_names, tiles=tiles, checked=checked)
        atomic_write(html, page.encode("utf-8"))
        out_console.print(say("cli.report.html", said, path=str(html)))
    if xlsx is not None:
        doc.to_excel(xlsx, inst=inst, summary=facts, lang=said, masked=mask_names)
        out_console.print(say("cli.report.xlsx", said, path=str(xlsx)))
    if not checked.ok:
        rules = sorted({v.rule for v in checked.violations})
        line = say("cli.report.misses", said, n=len(rules), rules=rules)
        out_console.print(escape(line), soft_wrap=True)


@guarded
def explain(
    instance: InstanceArg,
    plan: Annotated[Path | None, typer.Argument(help="A plan.json to explain.")] = None,
    parts: Annotated[str | None, typer.Option(help=parts_help())] = None,
    time_limit: Annotated[
        float,
        typer.Option(
            help="Seconds for the whole explanation (a step not decided within it is said "
            "so: the conflict is then not proven smallest)."
        ),
    ] = 60.0,
    step_limit: Annotated[float, typer.Option(help="Seconds for each step in it.")] = 10.0,
    staff: Annotated[str | None, typer.Option(help="Why this person moves, or not.")] = None,
    school: Annotated[str | None, typer.Option(help="What the plan does at this school.")] = None,
    lang: LangOpt = None,
    sets: SetOpt = None,
    baseline: Annotated[
        Path | None, typer.Option(help="Explain a re-plan on this plan.json (see solve).")
    ] = None,
    registry: RegistryOpt = None,
    county: CountyOpt = None,
) -> None:
    """Why an instance has no plan (and what repairs it), or why a plan is what it is."""
    from twinning.explain import (
        explain_infeasible,
        move_reasons,
        objective_breakdown,
        school_costs,
        school_reasons,
    )

    check_lang(lang)
    positive_seconds(time_limit)
    positive_seconds(step_limit, "--step-limit")
    if parts is not None:
        parse_parts(parts)
    inst = load(instance, sets)
    said = speak(lang, inst)
    inst = with_registry(inst, registry, county, said)
    if staff is not None:
        known_id(staff, {t.id for t in inst.staff}, msg("cli.usage.unknown_staff", staff=staff))
    if school is not None:
        ids = {s.id for s in inst.schools}
        known_id(school, ids, msg("cli.usage.unknown_school", school=school))
    doc = read_plan(plan) if plan is not None else None
    if doc is not None and plan is not None:
        inst = with_policy(inst, {**doc.settings, **settings(sets)})
        checked = validate(inst, doc)
        _other_instance(checked, plan, said)
        for line in move_reasons(inst, doc, staff) if staff else []:
            out_console.print(escape(render(line, said)), soft_wrap=True)
        for line in school_reasons(inst, doc, school, checked) if school else []:
            out_console.print(escape(render(line, said)), soft_wrap=True)
        if not staff and not school:
            table = Table(title=say("cli.explain.objective", said))
            for col in ("part", "term", "amount", "cost"):
                key = "cli.col.part" if col == "part" else f"cli.explain.col.{col}"
                table.add_column(say(key, said))
            for part, term, value, cost in objective_breakdown(inst, checked):
                name = (
                    say("cli.explain.total", said)
                    if term == "objective"
                    else word(f"term.{term}", said)
                )
                table.add_row(word(f"part.{part}", said), name, fmt(value, said), fmt(cost, said))
            out_console.print(table)
            costly = school_costs(inst, doc)
            if costly:
                table = Table(title=say("cli.explain.costly", said))
                for col in ("school", "cost", "short_of"):
                    table.add_column(say(f"cli.explain.col.{col}", said))
                for sid, value, what in costly:
                    table.add_row(sid, fmt(value, said), escape(render(what, said)))
                out_console.print(table)
        if doc.status not in ("infeasible", "unknown"):
            return
    before = read_plan(baseline) if baseline is not None else None
    why = interruptible(
        said,
        lambda keep: explain_infeasible(
            inst, parts, time_limit=time_limit, step_limit=step_limit, baseline=before
        ),
    )
    show.explanation(why, said)
    if not why.feasible:
        raise typer.Exit(1)


__all__ = ["explain", "register", "report", "validate_command"]
