"""Errors raised for bad input.

Every problem with a planner's files becomes one :class:`InputError` that names
the file, the row and the column (or the policy key) and the offending value, so
that the command line can print one clear line and exit 2 instead of a
traceback. A problem speaks the planner's language: its message is written in
English or Chinese by the reader (``lang``), and the place around it ("row 3",
"第3行") follows, so that a bureau whose files have Chinese headers reads a
wholly Chinese line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from twinning.messages import Msg, render

Lang = Literal["en", "zh"]


@dataclass
class InputProblem:
    """One problem found in the input: where it is, what is wrong, in which language."""

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    value: object = None
    lang: Lang = "en"

    def __str__(self) -> str:
        zh = self.lang == "zh"
        parts = [self.file]
        if self.row is not None:
            parts.append(f"第{self.row}行" if zh else f"row {self.row}")
        if self.column is not None:
            parts.append(f"'{self.column}'列" if zh else f"column '{self.column}'")
        where = ("，" if zh else ", ").join(parts)
        shown = ""
        if self.value is not None and self.value != "":
            text = str(self.value)
            if len(text) > 60:
                text = text[:57] + "..."
            shown = f"（值 {text!r}）" if zh else f" (value {text!r})"
        return f"{where}{'：' if zh else ': '}{self.message}{shown}"


@dataclass
class InputError(Exception):
    """Bad or unusable input; carries every problem found, first one first."""

    problems: list[InputProblem] = field(default_factory=list)

    @classmethod
    def one(
        cls,
        file: str,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
        lang: Lang = "en",
    ) -> InputError:
        return cls([InputProblem(file, message, row, column, value, lang)])

    @property
    def lang(self) -> Lang:
        """The language the problems are written in (that of the first)."""
        return self.problems[0].lang if self.problems else "en"

    def __str__(self) -> str:
        zh = self.lang == "zh"
        if not self.problems:
            return "输入有误" if zh else "bad input"
        lines = [str(p) for p in self.problems[:20]]
        more = len(self.problems) - 20
        if more > 0:
            lines.append(f"……另有 {more} 个问题" if zh else f"... and {more} more problems")
        return "\n".join(lines)


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
