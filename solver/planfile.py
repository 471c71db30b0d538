"""Reading a plan (``plan.json``) or a solve's summary (``summary.json``) back.

A plan comes back from a planner's disk: edited by hand, cut short by a full disk, made by
another version of twinning, or not a plan at all. Each is refused with one line naming
the file (and, for a field pydantic refuses, the field's path in the document:
``plan.json, pairs[3].distance_km: must be a finite number``), never a pydantic dump:

- a file that is missing or a folder;
- text that is not UTF-8 (a byte-order mark is allowed), or not JSON;
- JSON nested deeper than :data:`MAX_DEPTH` levels (checked before parsing: the parser
  and pydantic recurse, and a hostile file must not exhaust the stack);
- a document that is not a twinning plan (``"format": "twinning-plan"``), or of a
  ``version`` this twinning does not read (:data:`twinning.plan.PLAN_VERSION`);
- a number that is not finite (``NaN``, ``Infinity``, ``1e999``) anywhere in a plan.

Plans of version 1 still read: their plain sentences (a pair's ``why``, an unpaired
school's ``detail``, a hire's ``reason``) become ``text`` messages (see
:mod:`twinning.plan`).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar, overload

from pydantic import BaseModel, ValidationError

from twinning.collector import paused
from twinning.errors import InputError, InputProblem, Lang, field_path, validation_msg
from twinning.io.readers import json_problem, link_problem
from twinning.messages import Msg, msg
from twinning.plan import PLAN_VERSION, Plan
from twinning.result import Summary

#: The deepest nesting of objects and lists a plan or summary file may have (a plan's
#: deepest is about six levels).
MAX_DEPTH = 200

# A JSON string (escapes included), written as an unrolled loop: the same strings as
# '"(?:[^"\\]|\\.)*"', matched without one alternation per character.
_STRINGS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")

M = TypeVar("M", bound=BaseModel)


def read_plan(path: str | Path, lang: Lang = "en") -> Plan:
    """A plan file (``plan.json``) as a :class:`~twinning.plan.Plan`.

    Parameters
    ----------
    path
        The file.
    lang
        The language of the error's message (``str(error)``); ``error.text(lang)`` says
        it in any language.

    Raises
    ------
    InputError
        One problem, naming the file, for anything that keeps the file from being read as
        a plan this twinning knows (see the module's docstring).
    """
    with paused():  # the document and the plan hold no cycles: the collector finds nothing
        return _read_plan(Path(path), lang)


def _read_plan(p: Path, lang: Lang) -> Plan:
    finite = _Finite()
    doc = _document(p, lang, msg("input.plan.too_deep", limit=MAX_DEPTH), finite)
    if not isinstance(doc, dict) or doc.get("format") != "twinning-plan":
        raise _refuse(p, msg("input.plan.not_plan"), lang)
    version = doc.get("version", 1)
    if isinstance(version, int) and not isinstance(version, bool) and version > PLAN_VERSION:
        raise _refuse(p, msg("input.plan.newer_version", version=version, known=PLAN_VERSION), lang)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        shown = version if isinstance(version, int | float | str) else json.dumps(version)
        raise _refuse(p, msg("input.plan.bad_version", version=shown, known=PLAN_VERSION), lang)
    if not finite.all:  # then the first number that is not, with its path
        for where, value in _numbers(doc, ()):
            if not math.isfinite(value):
                raise _refuse(
                    p, msg("input.plan.not_finite"), lang, key=field_path(where), value=value
                )
    return _validate(Plan, doc, p, lang)


@overload
def read_summary(path: str | Path, model: None = None, lang: Lang = "en") -> Summary: ...


@overload
def read_summary(path: str | Path, model: type[M], lang: Lang = "en") -> M: ...


def read_summary(path: str | Path, model: type[BaseModel] | None = None, lang: Lang = "en") -> Any:
    """A solve's summary file (``summary.json``) as ``model``, by default
    :class:`twinning.result.Summary`. Refused as :func:`read_plan` refuses, save the format, version
    and finite checks (a summary has none of its own)."""
    if model is None:
        model = Summary
    p = Path(path)
    doc = _document(p, lang, msg("input.summary.too_deep", limit=MAX_DEPTH))
    if not isinstance(doc, dict):
        raise _refuse(p, msg("input.summary.not_summary"), lang)
    return _validate(model, doc, p, lang)


def json_depth(text: str) -> int:
    """The deepest nesting of objects and lists in a JSON text (brackets inside strings do
    not count); a cheap scan, made before the text is parsed."""
    return _depth(text.encode("utf-8", "surrogatepass"), text)


#: Every byte but a quote, a backslash and a bracket (deleted before the scan).
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b'"\\[]{}')


def _depth(data: bytes, text: str) -> int:
    """:func:`json_depth` of ``text``, whose UTF-8 bytes are ``data`` (no byte of a
    multi-byte character is a quote, a backslash or a bracket, and a byte-order mark is
    none either).

    Without a backslash a string runs from a quote to the next quote, so a bracket is
    inside one when an odd number of quotes come before it; a last quote left open starts
    no string (the pattern of :func:`_depth_by_pattern` does not match it), so brackets
    after it count. That is counted with numpy on the quotes and brackets alone; a text
    with escapes is scanned by the pattern.
    """
    marks = data.translate(None, _NOT_STRUCTURE)
    if b"\\" in marks:
        return _depth_by_pattern(text)
    import numpy as np

    b = np.frombuffer(marks, dtype=np.uint8)
    quotes = np.flatnonzero(b == 34)  # '"'
    step = np.zeros(len(b), dtype=np.int8)
    step[(b == 91) | (b == 123)] = 1  # '[' '{'
    step[(b == 93) | (b == 125)] = -1  # ']' '}'
    starts = np.zeros(len(b) + 1, dtype=np.int8)
    starts[quotes[0::2]] += 1
    starts[quotes[1::2] + 1] -= 1  # a closing quote ends its string after itself
    within = np.cumsum(starts[:-1], dtype=np.int8) > 0
    if len(quotes) % 2:
        within[quotes[-1] :] = False  # the quote left open starts no string
    step[within] = 0
    counted = step[np.flatnonzero(step)]
    if not len(counted):
        return 0
    return max(0, int(np.cumsum(counted, dtype=np.int64).max()))


def _depth_by_pattern(text: str) -> int:
    depth = deepest = 0
    for bracket in _BRACKETS.finditer(_STRINGS.sub("", text)):
        if bracket.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


# ---- reading -------------------------------------------------------------------------------


def _refuse(
    path: Path, message: Msg, lang: Lang, *, key: str | None = None, value: object = None
) -> InputError:
    return InputError([InputProblem(path.name, message, value=value, lang=lang, key=key)])


class _Finite:
    """Whether every float a JSON text is parsed into is finite: the parser's hooks for
    numbers with a fraction or exponent (``1e999`` is infinite) and for ``NaN`` and
    ``Infinity``, the only tokens that become floats."""

    def __init__(self) -> None:
        self.all = True

    def number(self, text: str) -> float:
        value = float(text)
        if not math.isfinite(value):
            self.all = False
        return value

    def constant(self, text: str) -> float:
        self.all = False  # NaN, Infinity and -Infinity
        return float(text)


def _document(path: Path, lang: Lang, too_deep: Msg, finite: _Finite | None = None) -> Any:
    """The file's JSON, or one problem naming the file (``finite`` notes whether every
    float of it is finite)."""
    broken = link_problem(path)  # a loop of links or one leading nowhere: named, never read
    if broken is not None:
        raise InputError([InputProblem(str(path), broken, lang=lang)])
    if path.is_dir():
        raise InputError([InputProblem(str(path), msg("input.plan.is_folder"), lang=lang)])
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(
            [InputProblem(str(path), msg("input.plan.no_such_file"), lang=lang)]
        ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refuse(path, msg("input.plan.not_utf8"), lang) from None
    if _depth(data, text) > MAX_DEPTH:
        raise _refuse(path, too_deep, lang)
    try:
        if finite is None:
            return json.loads(text)
        return json.loads(text, parse_float=finite.number, parse_constant=finite.constant)
    except json.JSONDecodeError as exc:
        raise _refuse(path, json_problem(exc), lang) from None
    except RecursionError:  # brackets the scan did not see as such (never, but never a crash)
        raise _refuse(path, too_deep, lang) from None


def _numbers(
    value: Any, where: tuple[str | int, ...]
) -> Iterator[tuple[tuple[str | int, ...], float]]:
    """Every float of a parsed document, with its path (ints are always finite)."""
    if isinstance(value, float):
        yield where, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _numbers(v, (*where, str(k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _numbers(v, (*where, i))


def _validate(model: type[M], doc: dict[str, Any], path: Path, lang: Lang) -> M:
    """The document as ``model``, or its first problem naming the field's path."""
    try:
        return model.model_validate(doc)
    except ValidationError as exc:
        err = exc.errors()[0]
        value = err.get("input")
        if isinstance(value, dict | list):
            value = None
        raise _refuse(
            path, validation_msg(err), lang, key=field_path(err["loc"]) or None, value=value
        ) from None
