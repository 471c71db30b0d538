"""Errors raised for bad input.

Every problem with a planner's files becomes one :class:`InputError` that names
the file, the row and the column (or the policy key) and the offending value, so
that the command line can print one clear line and exit 2 instead of a
traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class InputProblem:
    """One problem found in the input: where it is and what is wrong."""

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    value: object = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column '{self.column}'")
        where = ", ".join(parts)
        shown = ""
        if self.value is not None and self.value != "":
            text = str(self.value)
            if len(text) > 60:
                text = text[:57] + "..."
            shown = f" (value {text!r})"
        return f"{where}: {self.message}{shown}"


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
    ) -> InputError:
        return cls([InputProblem(file, message, row, column, value)])

    def __str__(self) -> str:
        if not self.problems:
            return "bad input"
        lines = [str(p) for p in self.problems[:20]]
        if len(self.problems) > 20:
            lines.append(f"... and {len(self.problems) - 20} more problems")
        return "\n".join(lines)
