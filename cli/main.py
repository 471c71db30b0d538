"""``twinning``: the command line, a thin layer over the library.

Each command group lives in a module of its own (:mod:`twinning.cli.solving`: solve,
batch, frontier; :mod:`twinning.cli.checking`: validate, report, explain;
:mod:`twinning.cli.registry`: adopt, history; :mod:`twinning.cli.data`: generate, schema),
its options declared once in :mod:`twinning.cli.common`. Bad input or usage exits 2 with
one message naming the file, row and column; a defect of twinning exits 3 with its
traceback in a log file; never a traceback on the terminal.
"""

from __future__ import annotations

import sys
from typing import Annotated, NoReturn

import typer

import twinning
from twinning.cli import checking, data, registry, serving, solving
from twinning.cli.common import SPEAKING, defect
from twinning.deadline import PROCESS

app = typer.Typer(
    name="twinning",
    help="School twinning pairs, alliances and exchange rosters for education bureaus.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
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


solving.register(app)
checking.register(app)
registry.register(app)
data.register(app)
serving.register(app)


def main() -> None:  # pragma: no cover - console entry point
    """The console entry point: the application, any error escaping it a defect (exit 3).
    The process runs this one command: its time limit counts from the process's start."""
    PROCESS.one_command = True
    try:
        app()
    except SystemExit as exc:
        if not PROCESS.keep:
            raise
        _end(exc.code)
    except Exception as exc:
        defect(exc, SPEAKING.lang)


def _end(code: object) -> NoReturn:  # pragma: no cover - ends the process
    """End the process without freeing what the command left in ``PROCESS.keep`` object by
    object: its output flushed and its exit handlers run first, as at a normal exit."""
    import atexit
    import os

    if code is not None and not isinstance(code, int):
        sys.stderr.write(f"{code}\n")
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code or 0)


if __name__ == "__main__":  # pragma: no cover
    main()
