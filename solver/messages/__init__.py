"""Every sentence a planner can read, as data: a code and its parameters.

A message is a :class:`Msg`: a code (``progress.group``) and the values that vary
(``{"k": 2, "n": 8}``). It is kept as data everywhere (in ``plan.json``,
``summary.json``, a violation, a part's result) and rendered only when shown, in the
planner's language, by one catalogue (:data:`CATALOGUE`): each code has an English and a
Chinese template. Nothing is written as prose and translated back.

Templates are :meth:`str.format` strings whose fields may name a vocabulary after the
colon, so that a parameter that is itself a word of the domain is said in the language of
the message::

    "{status:v.status}"   a value word (``optimal`` / 最优); ``v.<field>`` for any field
                          of :data:`twinning.messages.vocab.VALUES`
    "{part:part}"         a part's name (``roster`` / 交流轮岗)
    "{rule:rule}"         a rule's name (its policy key in English, 派出人数上限 in Chinese)
    "{term:term}"         an objective term, ``{kpi:kpi}`` a figure, ``{table:table}``
    "{why:msg}"           a nested message (a :class:`Msg` or its JSON form)
    "{items:list}"        a list, joined as the language joins (``, `` / ``、``); the
                          items themselves rendered by any spec after ``list:``
                          (``{parts:list:part}``); ``{items:semi}`` joins with ``; `` / ``；``
    "{km:.1f}"            any ordinary format spec

A code missing from the catalogue renders as the code and its parameters (never an
exception): ``tests/test_messages.py`` proves every code the project writes is in the
catalogue in both languages, with the same fields.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from twinning.messages import vocab
from twinning.messages.catalogue import ENTRIES, gather

Lang = Literal["en", "zh"]
LANGS: tuple[Lang, ...] = ("en", "zh")


class Msg(BaseModel):
    """One message: a code of the catalogue and its parameters (JSON values or messages)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(description="The message's code in the catalogue (twinning.messages).")
    params: dict[str, Any] = Field(
        default_factory=dict, description="The values the message names (ids, counts, words)."
    )

    def text(self, lang: Lang | str = "en") -> str:
        """The message in ``lang`` ("en" or "zh")."""
        return render(self, lang)

    def __str__(self) -> str:
        return render(self, "en")


def msg(code: str, /, **params: Any) -> Msg:
    """A message: a code and its parameters as keywords (``k=2, n=8``)."""
    return Msg(code=code, params=params)


#: code -> {"en": template, "zh": template}: every message, word and label.
CATALOGUE: dict[str, dict[str, str]] = gather(vocab.ENTRIES, ENTRIES)


def language(lang: str | None) -> Lang:
    """``"zh"`` or ``"en"`` (anything else is English)."""
    return "zh" if lang == "zh" else "en"


def template(code: str, lang: Lang | str) -> str | None:
    """A code's template in ``lang``, or None when the catalogue lacks it."""
    entry = CATALOGUE.get(code)
    if entry is None:
        return None
    return entry.get(language(lang)) or entry.get("en")


def word(code: str, lang: Lang | str) -> str:
    """A code that takes no parameters (a label, a heading) in ``lang``."""
    found = template(code, lang)
    return found if found is not None else code


def say(code: str, lang: Lang | str, /, **params: Any) -> str:
    """A code and its parameters, rendered at once."""
    return render(Msg(code=code, params=params), lang)


def as_msg(value: Any) -> Msg | None:
    """A :class:`Msg`, or its JSON form (``{"code": ..., "params": ...}``), as a Msg."""
    if isinstance(value, Msg):
        return value
    if isinstance(value, Mapping) and isinstance(value.get("code"), str):
        params = value.get("params") or {}
        if set(value) <= {"code", "params"} and isinstance(params, Mapping):
            return Msg(code=value["code"], params=dict(params))
    return None


def render(message: Msg | Mapping[str, Any] | str, lang: Lang | str = "en") -> str:
    """A message in the planner's language (a plain string is returned as it is: ids,
    names and numbers need no words)."""
    if isinstance(message, str):
        return message
    m = as_msg(message)
    if m is None:
        return str(message)
    found = template(m.code, lang)
    if found is None:
        shown = ", ".join(f"{k}={v}" for k, v in m.params.items())
        return f"{m.code}({shown})" if shown else m.code
    try:
        return _Formatter(language(lang)).vformat(found, (), m.params)
    except (KeyError, IndexError, ValueError, TypeError):
        shown = ", ".join(f"{k}={v}" for k, v in m.params.items())
        return f"{m.code}({shown})"


def render_all(messages: Iterable[Msg | Mapping[str, Any] | str], lang: Lang | str) -> list[str]:
    """Each message rendered."""
    return [render(m, lang) for m in messages]


def joined(items: Sequence[Any], lang: Lang | str, how: str = "list") -> str:
    """Items rendered and joined as the language joins a list (``list``) or clauses
    (``semi``)."""
    seps = {"list": (", ", "、"), "semi": ("; ", "；"), "and": (" and ", "和")}[how]
    sep = seps[1] if language(lang) == "zh" else seps[0]
    return sep.join(render(i, lang) if as_msg(i) else str(i) for i in items)


class _Formatter(string.Formatter):
    """str.format with the vocabularies of the module docstring."""

    def __init__(self, lang: Lang) -> None:
        super().__init__()
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        spec = format_spec
        if spec in ("list", "semi", "and") or spec.startswith(("list:", "semi:", "and:")):
            how, _, inner = spec.partition(":")
            items = list(value) if isinstance(value, list | tuple) else [value]
            seps = {"list": (", ", "、"), "semi": ("; ", "；"), "and": (" and ", "和")}[how]
            sep = seps[1] if self.lang == "zh" else seps[0]
            return sep.join(self.format_field(item, inner) for item in items)
        if spec == "msg" or as_msg(value) is not None:
            return render(value, self.lang)
        if spec.startswith("v."):
            return self._value(spec[2:], value)
        if spec in vocab.KINDS:
            return (
                word(f"{spec}.{value}", self.lang) if f"{spec}.{value}" in CATALOGUE else str(value)
            )
        if spec == "" and isinstance(value, bool):
            return word(f"value.bool.{str(value).lower()}", self.lang)
        if spec == "" and isinstance(value, float):
            return f"{value:g}"
        return super().format_field(value, spec)

    def _value(self, field: str, value: Any) -> str:
        if isinstance(value, bool):
            return word(f"value.bool.{str(value).lower()}", self.lang)
        code = f"value.{field}.{value}"
        return word(code, self.lang) if code in CATALOGUE else str(value)


def kpi_label(part: str, kpi: str, lang: Lang | str) -> str:
    """A figure's label: the part's own (``kpi.itinerant.teachers_used``, 走教教师数) where
    two parts count different things under one name, else the shared one."""
    for code in (f"kpi.{part}.{kpi}", f"kpi.{kpi}", f"term.{kpi}", f"field.{kpi}"):
        if code in CATALOGUE:
            return word(code, lang)
    return kpi


#: Tables whose ``name`` column is a school's name rather than a person's.
SCHOOL_NAME_TABLES = frozenset({"unpaired", "hires", "unmet_lessons"})


def header(column: str, lang: Lang | str, table: str = "") -> str:
    """A column's header in the planner's language (English: the column's own name, a
    contract of the file formats)."""
    if language(lang) == "en":
        return column
    if column == "name" and table in SCHOOL_NAME_TABLES:
        return word("header.school_name", lang)
    own = f"header.{table}.{column}"  # a table's own header for a shared column name
    if table and own in CATALOGUE:
        return word(own, lang)
    code = f"header.{column}"
    return word(code, lang) if code in CATALOGUE else column


def value_word(field: str, value: Any, lang: Lang | str) -> Any:
    """A cell's value in the planner's language: a word of the field's vocabulary
    (``teacher`` / 教师), a boolean in Chinese (是/否; English files keep True/False), a
    message rendered, else the value as it is."""
    if isinstance(value, bool):
        return word(f"value.bool.{str(value).lower()}", lang) if lang == "zh" else value
    if isinstance(value, str):
        code = f"value.{field}.{value}"
        if code in CATALOGUE and language(lang) == "zh":
            return word(code, lang)
        return value
    m = as_msg(value)
    if m is not None:
        return render(m, lang)
    return value


__all__ = [
    "CATALOGUE",
    "LANGS",
    "Lang",
    "Msg",
    "as_msg",
    "header",
    "joined",
    "kpi_label",
    "language",
    "msg",
    "render",
    "render_all",
    "say",
    "template",
    "value_word",
    "word",
]
