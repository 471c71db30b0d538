"""Errors raised for bad input.

Every problem with a planner's files becomes one :class:`InputError` that names
the file, the row and the column (or the policy key, or a field's path in a JSON
document) and the offending value, so that the command line can print one clear line
and exit 2 instead of a traceback. A problem holds a message of the catalogue
(:class:`twinning.messages.Msg`: a code and its parameters, ``input.*``), rendered only
when shown: in the problem's language (``lang``, that of the planner's files) by
``str()``, or in any language by :meth:`InputProblem.text`. The place around it ("row 3",
"第3行") follows the language, so that a bureau whose files have Chinese headers reads a
wholly Chinese line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from twinning.messages import CATALOGUE, Msg, as_msg, language, msg, render, say, word

Lang = Literal["en", "zh"]


def _as_msg(message: Any) -> Msg:
    """A :class:`Msg` as it is; any other value (a sentence of a caller not yet speaking in
    codes) kept as written, as the catalogue's ``text``."""
    found = as_msg(message)
    return found if found is not None else Msg(code="text", params={"text": str(message)})


@dataclass
class InputProblem:
    """One problem found in the input: where it is, what is wrong, in which language.

    ``msg`` is the message (a code of the catalogue and its parameters); ``file`` the file
    (or table, or ``--set key``) it is about; ``row`` the file's own row number; ``column``
    the column as the planner wrote it; ``key`` a field's path in a JSON document
    (``pairs[3].distance_km``); ``value`` the offending value; ``lang`` the planner's
    language, in which ``str()`` renders it.
    """

    file: str
    msg: Msg
    row: int | None = None
    column: str | None = None
    value: object = None
    lang: Lang = "en"
    key: str | None = None

    def __post_init__(self) -> None:
        self.msg = _as_msg(self.msg)

    @property
    def message(self) -> str:
        """What is wrong, without the place, in the problem's language."""
        return self.msg.text(self.lang)

    def text(self, lang: Lang | str | None = None) -> str:
        """The whole line (place, message, value) in ``lang`` (default: the problem's)."""
        lang = language(lang or self.lang)
        places = [self.file]
        if self.row is not None:
            places.append(say("input.at.row", lang, row=self.row))
        if self.column is not None:
            places.append(say("input.at.column", lang, column=self.column))
        if self.key is not None:
            places.append(self.key)
        shown = ""
        if self.value is not None and self.value != "":
            value = str(self.value)
            if len(value) > 60:
                value = value[:57] + "..."
            shown = say("input.at.value", lang, value=repr(value))
        where = word("input.sep.place", lang).join(places)
        return f"{where}{word('input.sep.colon', lang)}{self.msg.text(lang)}{shown}"

    def __str__(self) -> str:
        return self.text()


@dataclass
class InputError(Exception):
    """Bad or unusable input; carries every problem found, first one first."""

    problems: list[InputProblem] = field(default_factory=list)

    @classmethod
    def one(
        cls,
        file: str,
        message: Msg,
        *,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
        lang: Lang = "en",
        key: str | None = None,
    ) -> InputError:
        """An error of one problem (``message``: a :class:`~twinning.messages.Msg`)."""
        return cls([InputProblem(file, message, row, column, value, lang, key)])

    @property
    def lang(self) -> Lang:
        """The language the problems are written in (that of the first)."""
        return self.problems[0].lang if self.problems else "en"

    def text(self, lang: Lang | str | None = None) -> str:
        """Every problem (the first 20), one a line, in ``lang`` (default: the problems')."""
        lang = language(lang or self.lang)
        if not self.problems:
            return word("input.bad", lang)
        lines = [p.text(lang) for p in self.problems[:20]]
        more = len(self.problems) - 20
        if more > 0:
            lines.append(say("input.more_problems", lang, n=more))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text()


class UsageError(Exception):
    """Bad usage of a command or of the library (an unknown part, a time limit that is not
    a positive number): the caller's mistake, said as a message of the catalogue, exit 2."""

    def __init__(self, message: Msg) -> None:
        super().__init__(message)
        self.msg = message

    @classmethod
    def of(cls, code: str, /, **params: object) -> UsageError:
        return cls(Msg(code=code, params=params))

    def text(self, lang: str = "en") -> str:
        return render(self.msg, lang)

    def __str__(self) -> str:
        return render(self.msg, "en")


class InputValueError(InputError, ValueError):
    """An input error that callers written before :class:`InputError` catch as a
    ``ValueError`` (a ``--set`` the policy cannot take, a table name an export does not
    know)."""


class MessageError(ValueError):
    """A ``ValueError`` carrying a message of the catalogue: raised by a validator of the
    county's model, so that the reader says it in the planner's language (pydantic keeps
    the exception in the error's context). ``str()`` is the English."""

    def __init__(self, message: Msg) -> None:
        self.msg = message
        super().__init__(message.text("en"))


_QUOTED = re.compile(r"'([^']*)'")

#: pydantic's context keys a message may name (the rest are objects, not values to say).
_CTX_VALUES = (
    "ge",
    "gt",
    "le",
    "lt",
    "min_length",
    "max_length",
    "actual_length",
    "tag",
    "expected_tags",
    "discriminator",
)


def validation_msg(err: Mapping[str, Any]) -> Msg:
    """One pydantic error (a mapping of ``type``, ``loc``, ``msg``, ``ctx``) as a message.

    Rendered from the error's type and context (``input.pydantic.<type>``), not from its
    English text, which changes between pydantic versions. A validator's
    :class:`MessageError` gives its own message; a wrong value of a field of the
    vocabulary lists the allowed values so that Chinese says them as planners type them
    (小学/初中, not primary/junior).
    """
    kind = str(err.get("type", ""))
    ctx = err.get("ctx") or {}
    if kind == "value_error":
        error = ctx.get("error")
        if isinstance(error, MessageError):
            return error.msg
        text = str(error if error is not None else err.get("msg", ""))
        return msg("text", text=text.removeprefix("Value error, "))
    if kind == "literal_error":
        loc = err.get("loc") or ()
        field = next((p for p in reversed(loc) if isinstance(p, str)), None)
        items: list[Msg] = []
        for value in _QUOTED.findall(str(ctx.get("expected", ""))):
            # A value of the county's vocabulary as planners type it in their files (在岗);
            # else the domain's word for it (a plan's status: 最优); else as it is.
            typed, said = f"input.enum.{field}.{value}", f"value.{field}.{value}"
            if typed in CATALOGUE:
                items.append(msg(typed))
            elif said in CATALOGUE:
                items.append(msg("input.quoted", value=msg(said)))
            else:
                items.append(msg("input.quoted", value=value))
        if not items:
            return msg("input.pydantic.other")
        if len(items) == 1:
            return msg("input.pydantic.literal_error.one", last=items[0])
        return msg("input.pydantic.literal_error", head=items[:-1], last=items[-1])
    code = f"input.pydantic.{kind}"
    if code not in CATALOGUE:
        return msg("input.pydantic.other")
    # Bounds as pydantic writes them in English: 1, not 1.0.
    params = {
        k: int(v) if isinstance(v, float) and v.is_integer() else v
        for k, v in ctx.items()
        if k in _CTX_VALUES and isinstance(v, str | int | float)
    }
    return msg(code, **params)


def field_path(loc: Sequence[Any]) -> str:
    """A pydantic error's location as a path in a JSON document: ``pairs[3].distance_km``
    (list positions from 0, as in the file)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
