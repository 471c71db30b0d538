"""What every command shares: its consoles, its options (declared once), how it reads the
planner's files, and whose an error is.

Bad input or usage is the planner's: one message naming the file, row and column, exit 2.
Anything else that goes wrong is a defect of twinning: the message says so and names a
log file holding the traceback, exit 3. Never a traceback on the terminal.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import math
import os
import tempfile
import traceback
import warnings
from collections.abc import Callable, Collection
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from twinning.county.instance import Instance, with_policy
from twinning.county.policy import parse_setting
from twinning.errors import InputError, UsageError
from twinning.io.readers import InputWarning, load_instance
from twinning.messages import Lang, Msg, language, msg, render, say
from twinning.plan import Plan

out_console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)
if not out_console.is_terminal:  # files and pipes get whole lines, not an 80-column fold
    out_console.width = max(out_console.width, 160)
    err_console.width = max(err_console.width, 160)

#: Rows of a table printed on the console; the files hold them all.
SHOWN_ROWS = 20

#: Output formats the commands write.
FORMATS = ("json", "csv", "xlsx", "html")

EXIT_CODES = (
    "Exit codes: 0 success; 1 infeasible instance, plan missing a rule, or no plan found "
    "(the plan that comes closest is still written); 2 bad input or usage (one message naming "
    "the file, row and column); 3 a defect of twinning (its traceback in a log file the "
    "message names); 130 interrupted (Ctrl-C; the best plan found is written)."
)

# ---- options declared once ------------------------------------------------------------------

SetOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        help="A policy key for this run only, e.g. --set rotation.rate=0.12 (repeat for more); "
        "the plan records it.",
    ),
]
RegistryOpt = Annotated[
    str | None,
    typer.Option(
        "--registry",
        help="Plan registry (a file path or sqlite:///FILE, or postgresql://USER:PASS@HOST/DB): "
        "the history of the plans adopted before this cycle is merged with history.csv and "
        "years at school are advanced since the last adoption.",
    ),
]
CountyOpt = Annotated[
    str | None,
    typer.Option("--county", help="County id in the registry (default: the instance's name)."),
]
LangOpt = Annotated[
    str | None,
    typer.Option(
        "--lang",
        help="en or zh: the language of every table, report and console line (default: the "
        "language of the instance's headers).",
    ),
]
MaskOpt = Annotated[
    bool,
    typer.Option(
        "--mask-names", help="Replace staff names with stable pseudonyms in every output."
    ),
]
FormatOpt = Annotated[str, typer.Option("--format", help="Comma-separated: json,csv,xlsx,html.")]
SeedOpt = Annotated[int, typer.Option("--seed", help="Random seed of the search.")]
DeterministicOpt = Annotated[
    bool,
    typer.Option("--deterministic", help="Identical plans on repeated runs (slower)."),
]
InstanceArg = Annotated[
    Path, typer.Argument(help="Instance folder, .xlsx, .json or .yaml.", show_default=False)
]


def parts_help() -> str:
    """The ``--parts`` help, from the parts' records."""
    from twinning.parts import PART_ORDER

    return (
        f"Comma-separated parts: {','.join(PART_ORDER)} (default: all). A part is planned with "
        "the parts it builds on (the roster on the pairs and, with rotation.scope = alliance, "
        "the alliances), unless --with gives them."
    )


# ---- errors: whose they are -----------------------------------------------------------------

F = TypeVar("F", bound=Callable[..., Any])


def fail(message: Msg | str, lang: Lang | str = "en", code: int = 2) -> NoReturn:
    """Print one message on stderr and exit (2: bad input or usage)."""
    label = say("cli.error", lang)
    err_console.print(
        f"[bold red]{escape(label)}[/]{escape(render(message, lang))}", soft_wrap=True
    )
    raise typer.Exit(code)


def log_folder() -> Path:
    """Where a defect's traceback is written: ``$TWINNING_LOG_DIR``, else a folder of the
    system's temporary files."""
    found = os.environ.get("TWINNING_LOG_DIR")
    return Path(found) if found else Path(tempfile.gettempdir()) / "twinning-logs"


def defect(exc: BaseException, lang: Lang | str) -> NoReturn:
    """A defect of twinning: its traceback to a log file, one message naming it, exit 3."""
    folder = log_folder()
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f"twinning-{stamp}-", suffix=".log", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        where = name
    except OSError:  # nowhere to write: the traceback goes to stderr after all
        err_console.print(escape(text), markup=False)
        where = "stderr"
    label = say("cli.error", lang)
    said = say("cli.defect", lang, error=type(exc).__name__, log=where)
    err_console.print(f"[bold red]{escape(label)}[/]{escape(said)}", soft_wrap=True)
    raise typer.Exit(3)


class Context:
    """The language a command speaks, once it is known (``--lang``, else the instance's)."""

    def __init__(self) -> None:
        self.lang: Lang = "en"


SPEAKING = Context()


def guarded(command: F) -> F:
    """A command whose errors are said as whose they are: input and usage errors exit 2,
    an interrupt 130, any other error is a defect (exit 3, traceback in a log file)."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        asked = kwargs.get("lang")
        SPEAKING.lang = language(asked) if asked in ("en", "zh") else "en"
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", InputWarning)
            try:
                return command(*args, **kwargs)
            except typer.Exit:
                raise
            except InputError as exc:
                show_warnings(caught)
                fail(str(exc), exc.lang)
            except UsageError as exc:
                show_warnings(caught)
                fail(exc.msg, SPEAKING.lang)
            except KeyboardInterrupt:
                err_console.print(say("cli.interrupted_now", SPEAKING.lang), style="bold yellow")
                raise typer.Exit(130) from None
            except ImportError as exc:  # a solver library missing: only solving needs one
                fail(Msg(code="cli.cannot_solve_here", params={"error": str(exc)}), SPEAKING.lang)
            except Exception as exc:
                defect(exc, SPEAKING.lang)
            finally:
                show_warnings(caught)
                caught.clear()

    return run  # type: ignore[return-value]


def show_warnings(caught: list[warnings.WarningMessage]) -> None:
    """The readers' warnings, each in its own language."""
    for w in caught:
        if issubclass(w.category, InputWarning):
            lang = getattr(w.message, "lang", "en")
            label = say("cli.warning", lang)
            err_console.print(f"[yellow]{escape(label)}[/]{escape(str(w.message))}", soft_wrap=True)


# ---- reading ---------------------------------------------------------------------------------


def speak(lang: str | None, inst: Instance | None = None) -> Lang:
    """The language of a command: ``--lang``, else the instance's, else English; remembered
    for the errors said after this point."""
    said: Lang = language(lang) if lang is not None else (inst.lang if inst is not None else "en")
    SPEAKING.lang = said
    return said


def check_lang(lang: str | None) -> None:
    """Exit 2 on a ``--lang`` other than en or zh."""
    if lang is not None and lang not in ("en", "zh"):
        raise UsageError.of("cli.usage.lang")


def settings(sets: list[str] | None) -> dict[str, Any]:
    """``--set key=value`` options as policy keys."""
    return dict(parse_setting(text) for text in sets or [])


def load(path: Path, sets: list[str] | None = None) -> Instance:
    """The instance, with ``--set key=value`` policy keys applied (exit 2 on a bad one)."""
    return with_policy(load_instance(path), settings(sets))


def read_plan(path: Path) -> Plan:
    """A plan.json, or exit 2 with one message naming the file."""
    from twinning.planfile import read_plan as read

    return read(path, lang=SPEAKING.lang)


def formats(fmt: str) -> tuple[str, ...]:
    """The ``--format`` list, or exit 2 naming what is unknown."""
    found = tuple(f.strip() for f in fmt.split(",") if f.strip())
    bad = sorted(set(found) - set(FORMATS))
    if bad:
        raise UsageError.of("cli.usage.format", formats=bad, known=",".join(FORMATS))
    return found


def positive_seconds(value: float, flag: str = "--time-limit") -> float:
    """A time limit: a positive finite number of seconds, or exit 2."""
    if not math.isfinite(value) or value <= 0:
        raise UsageError.of("cli.usage.positive", flag=flag, value=str(value))
    return value


def at_least_one(value: int | None, flag: str) -> int | None:
    """A count of workers or jobs: at least 1 (None: the default), or exit 2."""
    if value is not None and value < 1:
        raise UsageError.of("cli.usage.at_least_one", flag=flag, value=value)
    return value


if TYPE_CHECKING:
    _ConcretePath = Path
else:
    _ConcretePath = type(Path())


class Unnamed(_ConcretePath):
    """An output option given as ``""`` or ``-``: a path would read the first as the
    current folder and the second as a folder called ``-``, neither of which the planner
    asked for. Kept (as the current folder, never used) until :func:`named_output`
    refuses it in the command's language."""

    given = ""


def output_path(text: str | Path) -> Path:
    """The parser of every output option (``--out``, ``--html``, ``--xlsx``): the path as
    written, or :class:`Unnamed` for a value that names no file."""
    if isinstance(text, Path):  # a default
        return text
    if text.strip() in ("", "-"):
        unnamed = Unnamed(".")
        unnamed.given = text
        return unnamed
    return Path(text)


def named_output(value: Path | None, flag: str) -> Path | None:
    """An output option's path (None: not given), or exit 2 when it names no file:
    twinning writes files, never to standard output, and an empty value is no folder."""
    if isinstance(value, Unnamed):
        raise UsageError.of("cli.usage.output_unnamed", flag=flag, value=value.given)
    return value


def known_id(value: str, known: Collection[str], what: Msg) -> str:
    """An id the command was given (``--staff``, ``--school``, ``--county``), or exit 2
    saying ``what`` with the nearest ids as a did-you-mean."""
    if value in known:
        return value
    folded = {k.casefold(): k for k in known}
    near = [folded[value.casefold()]] if value.casefold() in folded else []
    near = near or difflib.get_close_matches(value, list(known), n=3, cutoff=0.6)
    raise UsageError(msg("cli.usage.did_you_mean", what=what, near=near) if near else what)


def fmt(value: Any, lang: Lang | str = "en") -> str:
    """A figure as the console prints it."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return say(f"value.bool.{str(value).lower()}", lang)
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1 else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)
