"""The message catalogue: every code in both languages, with the same fields, and every
code the project writes defined in it."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from twinning.messages import CATALOGUE, msg, render, say

ROOT = Path(__file__).resolve().parents[1]

#: Calls whose first argument is a literal code of the catalogue.
CODE_CALL = re.compile(r"\b(?:msg|say|word|Msg)\(\s*(?:code=)?\"([a-z][\w.]*)\"")
CODE_KEYWORD = re.compile(r"\bcode=\"([a-z][\w.]*)\"")


def _fields(template: str) -> set[str]:
    return {name.split(".")[0] for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_each_code_has_both_languages_with_the_same_fields(code: str) -> None:
    entry = CATALOGUE[code]
    assert set(entry) == {"en", "zh"}, code
    assert _fields(entry["en"]) == _fields(entry["zh"]), code


def test_every_code_written_in_the_source_is_in_the_catalogue() -> None:
    missing = []
    for path in [*ROOT.joinpath("solver").rglob("*.py"), *ROOT.joinpath("cli").rglob("*.py")]:
        text = path.read_text(encoding="utf-8")
        for pattern in (CODE_CALL, CODE_KEYWORD):
            for code in pattern.findall(text):
                if code not in CATALOGUE:
                    missing.append(f"{path.relative_to(ROOT)}: {code}")
    assert not missing, missing


def test_a_message_renders_its_vocabulary_in_each_language() -> None:
    m = msg("progress.done", status="optimal")
    assert render(m, "en") == "done: optimal"
    assert render(m, "zh") == "完成：最优"
    nested = msg("progress.step_done", step=msg("progress.group", k=2, n=8))
    assert render(nested, "zh") == "第2组/共8组完成"
    # the JSON form renders as the message itself
    assert render(nested.model_dump(mode="json"), "en") == "group 2 of 8 done"


def test_an_unknown_code_renders_as_itself_never_raises() -> None:
    assert say("no.such.code", "zh", n=1) == "no.such.code(n=1)"
