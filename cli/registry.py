"""The plan registry's commands: ``adopt`` and ``history``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from twinning.cli.checking import _other_instance
from twinning.cli.common import (
    CountyOpt,
    LangOpt,
    check_lang,
    err_console,
    guarded,
    known_id,
    load,
    named_output,
    out_console,
    output_path,
    read_plan,
    speak,
)
from twinning.county.instance import with_policy
from twinning.errors import UsageError
from twinning.io.files import atomic_write
from twinning.messages import msg, say, word
from twinning.parts import parse_parts
from twinning.validation import validate

RegistryArg = Annotated[
    str, typer.Option(help="Registry: a file path, sqlite:///FILE or postgresql://...")
]
AdoptRegistryArg = Annotated[
    str,
    typer.Option(
        help="Registry: a file path, sqlite:///FILE or postgresql://... A missing file is "
        "created (that is how a registry starts); a database in memory (sqlite://) is "
        "refused, since it would keep nothing."
    ),
]


def register(app: typer.Typer) -> None:
    """Add the registry's commands to the application."""
    app.command(
        epilog=(
            "Checks the plan first, against the instance with the registry's history before "
            "the cycle (a plan that breaks a rule is not adopted). Records in one transaction "
            "the pairs, alliances, moves, circuits and outreach visits, the instance's "
            "fingerprint, its policy, the plan's KPIs, a snapshot of the staff's years at "
            "school, who adopted it (--by, else $TWINNING_USER, else the login name) and when "
            "(UTC). The first adoption creates the registry (a missing SQLite file is made; "
            "the other commands only read one that exists). Exit codes: 0 adopted; 1 the plan "
            "breaks rules (nothing written); 2 unusable input, a registry that cannot be used "
            "(a database in memory keeps nothing), or a cycle adopted already (use "
            "--replace); 3 a defect of twinning."
        )
    )(adopt)
    app.command(
        epilog=(
            "Writes DIR/history.csv (the history.csv contract: kind, period, staff, "
            "from_school, to_school, and mentee when there are mentor pairs) from the plans in "
            "force: pairs, alliance members, moves (exchanges, secondments, headships: kind "
            "exchange) and mentor pairs, each with its cycle as the period. Exit codes: 0 "
            "written; 2 unusable or missing registry (nothing is created), or no such county "
            "(the registry's counties are listed); 3 a defect of twinning."
        )
    )(history)


@guarded
def adopt(
    instance: Annotated[Path, typer.Argument(help="Instance the plan was made for.")],
    plan: Annotated[Path, typer.Argument(help="plan.json to adopt.")],
    registry: AdoptRegistryArg,
    cycle: Annotated[
        str | None,
        typer.Option(help="Cycle id (default: the school year of the first period, 2025-2026)."),
    ] = None,
    county: CountyOpt = None,
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
    partial: Annotated[
        bool,
        typer.Option(
            help="Adopt a plan that does not hold every part, or whose run was interrupted; "
            "it is recorded as partial, with the parts it lacks."
        ),
    ] = False,
    lang: LangOpt = None,
) -> None:
    """Record an adopted plan in the registry (SQLite file, or PostgreSQL for a city)."""
    from twinning.registry import adopt as record_adoption
    from twinning.registry import default_cycle, merge_registry

    check_lang(lang)
    inst = load(instance)
    said = speak(lang, inst)
    doc = read_plan(plan)
    inst = with_policy(inst, doc.settings)
    # A cycle's plan is whole: every part the policy plans, from a run that ended.
    lacking = [p for p in parse_parts(None, inst) if p not in doc.parts]
    if (lacking or doc.interrupted) and not partial:
        code = "cli.adopt.interrupted" if doc.interrupted else "cli.adopt.partial"
        raise UsageError.of(code, parts=lacking, plan=str(plan))
    county_id = county or inst.name
    cycle_id = cycle or default_cycle(inst)
    merged = merge_registry(inst, registry, county_id, cycle_id, missing_ok=True)
    report = validate(merged.instance, doc)
    _other_instance(report, plan, said)
    if not report.ok:
        label = say("cli.adopt.violation", said)
        for v in report.violations:
            out_console.print(f"[red]{escape(label)}[/] {escape(v.line(said))}", soft_wrap=True)
        refused = say("cli.adopt.refused", said, n=len(report.violations), cycle=cycle_id)
        err_console.print(f"[bold red]{escape(refused)}[/]", soft_wrap=True)
        raise typer.Exit(1)
    who = by or os.environ.get("TWINNING_USER") or _login()
    record = record_adoption(
        registry,
        inst,
        doc,
        county=county_id,
        cycle=cycle_id,
        by=who,
        note=note,
        replace=replace,
        kpis={
            **{part: k.model_dump(mode="json") for part, k in report.kpis.items()},
            "partial": bool(lacking or doc.interrupted),
            "missing": lacking,
            "interrupted": doc.interrupted,
        },
    )
    line = say(
        "cli.adopt.done",
        said,
        county=record.county,
        cycle=record.cycle,
        record=record.id,
        by=record.adopted_by,
        at=f"{record.adopted_at:%Y-%m-%d %H:%M:%S}",
        pairs=len(doc.pairs),
        alliances=len(doc.alliances),
        roster=len(doc.roster),
    )
    out_console.print(escape(line), soft_wrap=True)
    if lacking or doc.interrupted:
        said_partial = say("cli.adopt.recorded_partial", said, parts=lacking)
        out_console.print(escape(said_partial), style="yellow", soft_wrap=True)


def _login() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@guarded
def history(
    registry: RegistryArg,
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            help="Folder to write history.csv to.",
            parser=output_path,
            metavar="PATH",
        ),
    ],
    county: Annotated[
        str | None,
        typer.Option(help="County id (default: the registry's only county)."),
    ] = None,
    cycle: Annotated[
        str | None, typer.Option(help="Cycles up to and including this one (default: all).")
    ] = None,
    lang: LangOpt = None,
) -> None:
    """Export the registry's history as history.csv, so that nothing is locked in."""
    from twinning.registry import counties, history_csv, history_rows

    check_lang(lang)
    said = speak(lang)
    named_output(out, "--out")
    known = counties(registry)
    listed = known or [word("cli.none", said)]
    if county is None:
        if len(known) != 1:
            raise UsageError.of("cli.history.give_county", counties=listed)
        county = known[0]
    known_id(county, known, msg("cli.usage.unknown_county", county=county, known=listed))
    rows = history_rows(registry, county, upto_cycle=cycle)
    atomic_write(out / "history.csv", history_csv(rows))
    cycles = sorted({h.period for h in rows}) or [word("cli.none", said)]
    line = say("cli.history.written", said, county=county, n=len(rows), cycles=cycles, out=out)
    out_console.print(escape(line), soft_wrap=True)
