"""The commands about data: ``generate`` (a synthetic county) and ``schema``."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from twinning.cli.common import (
    LangOpt,
    check_lang,
    guarded,
    named_output,
    out_console,
    output_path,
    speak,
)
from twinning.county.instance import Instance
from twinning.errors import InputError, UsageError
from twinning.io.readers import link_problem
from twinning.messages import Lang, msg, say
from twinning.plan import Plan


def register(app: typer.Typer) -> None:
    """Add the data commands to the application."""
    app.command(
        epilog="Writes schools.csv, staff.csv, needs.csv, history.csv and policy.toml into OUT, "
        "a new or empty folder (one holding files is refused: nothing is overwritten). "
        "Exit codes: 0 written; 2 bad options or a folder holding files; 3 a defect of "
        "twinning."
    )(generate)
    app.command()(schema)


@guarded
def generate(
    schools: Annotated[int, typer.Option(help="Number of schools.", min=1)],
    staff: Annotated[int, typer.Option(help="Number of staff.", min=1)],
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            help="Folder to write the CSV files to.",
            parser=output_path,
            metavar="PATH",
        ),
    ],
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    stage_mix: Annotated[
        str | None, typer.Option(help="Exact counts, e.g. primary=133,junior=36.")
    ] = None,
    regions: Annotated[
        str | None, typer.Option(help="Region names by compass sector, e.g. 东,西,南,北.")
    ] = None,
    lang: LangOpt = None,
) -> None:
    """Write a realistic synthetic county (Chinese names, stage mix, staffing, coordinates)."""
    # The generator needs pandas (0.2 s to import); no other command does.
    from twinning.synthetic.county import county_policy, generate_county, write_county

    check_lang(lang)
    said = speak(lang)
    named_output(out, "--out")
    _new_or_empty(out, said)
    mix = None
    if stage_mix:
        mix = {}
        for item in stage_mix.split(","):
            key, _, value = item.partition("=")
            if not value.strip().isdigit():
                raise UsageError.of("cli.usage.stage_mix", item=item)
            mix[key.strip()] = int(value)
    region_list = [r.strip() for r in regions.replace("，", ",").split(",")] if regions else None
    tables = generate_county(schools, staff, seed, stage_mix=mix, regions=region_list)
    stages = list(tables["schools"]["stage"])
    paths = write_county(tables, out, policy=county_policy(schools, region_list, stages))
    counts = [msg("cli.generate.count", table=k, n=len(v)) for k, v in tables.items()]
    line = say("cli.generate.written", said, n=len(paths), out=out, counts=counts)
    out_console.print(escape(line), soft_wrap=True)


def _new_or_empty(out: Path, lang: Lang) -> None:
    """Exit 2 unless ``out`` is a new or an empty folder: a county generated over another
    (or over any files) would mix the two."""
    broken = link_problem(out)
    if broken is not None:
        raise InputError.one(str(out), broken, lang=lang)
    if out.exists() and not out.is_dir():
        raise InputError.one(str(out), msg("input.output.is_file"), lang=lang)
    if out.is_dir() and any(out.iterdir()):
        raise InputError.one(str(out), msg("input.output.not_empty"), lang=lang)


@guarded
def schema(
    which: Annotated[str, typer.Argument(help="instance, plan or both.")] = "both",
    lang: LangOpt = None,
) -> None:
    """Print the JSON Schema of the instance and plan documents."""
    check_lang(lang)
    speak(lang)
    docs: dict[str, Callable[[], dict[str, Any]]] = {
        "instance": lambda: Instance.model_json_schema(by_alias=True),
        "plan": Plan.model_json_schema,
    }
    if which == "both":
        data: Any = {k: f() for k, f in docs.items()}
    elif which in docs:
        data = docs[which]()
    else:
        raise UsageError.of("cli.usage.schema")
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
