"""Reading plan.json and summary.json back (twinning.planfile): every refusal is one line
naming the file, in English and in Chinese."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from twinning.errors import InputError
from twinning.messages import msg
from twinning.plan import PLAN_VERSION, Pair, Plan
from twinning.planfile import MAX_DEPTH, json_depth, read_plan, read_summary

#: What may stay Latin in a Chinese message: file formats, encodings and names, the value
#: shown.
ALLOWED = re.compile(r"\bJSON\b|\bUTF-8\b|[\w-]+\.json\b|（值 [^）]*）$")


def _plan() -> Plan:
    pair = Pair(
        helper="S0001",
        helped="S0002",
        distance_km=4.25,
        complementarity=3,
        why=msg("text", text="英语"),
    )
    return Plan(instance="demo", parts=["pairs"], status="optimal", objective=7, pairs=[pair])


def _doc() -> dict[str, Any]:
    return json.loads(_plan().to_json())


def _write(path: Path, doc: Any) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def _refused(path: Path) -> tuple[str, str]:
    """The refusal in English and in Chinese: one line each, no English word in the
    Chinese one, never pydantic's dump or link."""
    with pytest.raises(InputError) as err:
        read_plan(path)
    en, zh = err.value.text("en"), err.value.text("zh")
    for line in (en, zh):
        assert "\n" not in line, line
        assert "pydantic" not in line and "http" not in line and "validation error" not in line
    _, said = zh.split("：", 1)  # after the place: the file and a field's path
    assert not re.findall(r"[A-Za-z]{2,}", ALLOWED.sub("", said)), zh
    with pytest.raises(InputError) as err_zh:
        read_plan(path, lang="zh")
    assert str(err_zh.value) == zh
    return en, zh


def test_a_plan_reads_back_equal(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text(_plan().to_json(), encoding="utf-8")
    assert read_plan(path) == _plan()
    assert read_plan(path).version == PLAN_VERSION == 2


def test_a_plan_with_a_byte_order_mark_reads(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_bytes(b"\xef\xbb\xbf" + _plan().to_json().encode("utf-8"))
    assert read_plan(path) == _plan()


def test_a_version_1_plan_reads_its_sentences_as_text(tmp_path: Path) -> None:
    doc = _doc()
    doc["version"] = 1
    doc["pairs"][0]["why"] = "shortage of English teachers"
    plan = read_plan(_write(tmp_path / "old.json", doc))
    assert plan.pairs[0].why == msg("text", text="shortage of English teachers")


def test_a_missing_file(tmp_path: Path) -> None:
    en, zh = _refused(tmp_path / "gone.json")
    assert en == f"{tmp_path / 'gone.json'}: no such file"
    assert zh == f"{tmp_path / 'gone.json'}：找不到该文件"


def test_a_folder(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    en, zh = _refused(tmp_path / "out")
    assert en.endswith("out: is a folder, not a file")
    assert zh.endswith("out：这是一个文件夹，不是文件")


def test_nesting_deeper_than_the_limit_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    en, zh = _refused(path)
    assert en == "deep.json: nested deeper than 200 levels: not a twinning plan"
    assert zh == "deep.json：嵌套超过 200 层：不是方案文件"
    # brackets inside strings are text, not nesting
    assert json_depth(json.dumps({"a": "[" * 500, "b": [[1]]})) == 3
    assert json_depth("[" * MAX_DEPTH + "]" * MAX_DEPTH) == MAX_DEPTH


def test_a_plan_of_a_newer_version(tmp_path: Path) -> None:
    doc = {**_doc(), "version": 999}
    en, zh = _refused(_write(tmp_path / "plan.json", doc))
    assert en == (
        "plan.json: made by a newer twinning (plan version 999; this version reads up to 2)"
    )
    assert zh == "plan.json：由更新版本的程序生成（方案版本 999；本版本最高只能读取版本 2）"


def test_a_plan_of_no_known_version(tmp_path: Path) -> None:
    en, zh = _refused(_write(tmp_path / "plan.json", {**_doc(), "version": 0}))
    assert en == "plan.json: plan version 0 is not one twinning knows (this version reads 1 to 2)"
    assert zh == "plan.json：无法识别的方案版本 0（本版本可读取版本 1 至 2）"


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_a_number_that_is_not_finite(tmp_path: Path, number: str) -> None:
    text = _plan().to_json().replace('"distance_km": 4.25', f'"distance_km": {number}')
    assert number in text
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    en, zh = _refused(path)
    assert en.startswith("plan.json, pairs[0].distance_km: must be a finite number (value ")
    assert zh.startswith("plan.json，pairs[0].distance_km：应为有限的数字（值 ")


def test_a_field_pydantic_refuses_is_named_by_its_path(tmp_path: Path) -> None:
    doc = _doc()
    doc["pairs"] = [doc["pairs"][0]] * 3 + [{**doc["pairs"][0], "distance_km": "far"}]
    en, zh = _refused(_write(tmp_path / "plan.json", doc))
    assert en == (
        "plan.json, pairs[3].distance_km: Input should be a valid number, unable to parse "
        "string as a number (value 'far')"
    )
    assert zh == "plan.json，pairs[3].distance_km：应为数字（值 'far'）"


def test_a_wrong_status_lists_the_statuses_in_chinese(tmp_path: Path) -> None:
    en, zh = _refused(_write(tmp_path / "plan.json", {**_doc(), "status": "great"}))
    assert en == (
        "plan.json, status: unknown value; input should be 'optimal', 'feasible', "
        "'infeasible' or 'unknown' (value 'great')"
    )
    assert zh == (
        "plan.json，status：未知的取值；应为 '最优'、'可行'、'不可行' 或 '未知'（值 'great'）"
    )


def test_a_missing_field(tmp_path: Path) -> None:
    doc = _doc()
    del doc["pairs"][0]["helper"]
    en, zh = _refused(_write(tmp_path / "plan.json", doc))
    assert en == "plan.json, pairs[0].helper: Field required"
    assert zh == "plan.json，pairs[0].helper：必填，不能为空"


@pytest.mark.parametrize(
    ("text", "en", "zh"),
    [
        ('{"hello": 1}', "x.json: not a twinning plan", "x.json：不是方案文件（plan.json）"),
        ("[1, 2]", "x.json: not a twinning plan", "x.json：不是方案文件（plan.json）"),
        (
            '{"format": "twinning-plan",',
            "x.json: not valid JSON: Expecting property name enclosed in double quotes "
            "(line 1, column 28)",
            "x.json：不是有效的 JSON 文件：此处应为用双引号括起的键名（第1行，第28列）",
        ),
    ],
)
def test_not_a_plan(tmp_path: Path, text: str, en: str, zh: str) -> None:
    path = tmp_path / "x.json"
    path.write_text(text, encoding="utf-8")
    assert _refused(path) == (en, zh)


def test_text_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_bytes(_plan().to_json().replace("英语", "数学").encode("gb18030"))
    assert _refused(path) == (
        "plan.json: cannot be read as UTF-8 text",
        "plan.json：无法按 UTF-8 编码读取",
    )


def test_a_summary_reads_back_and_is_refused_by_its_path(tmp_path: Path) -> None:
    from twinning.result import Summary

    summary = Summary(
        instance="demo",
        status="optimal",
        objective=7,
        bound=7.0,
        gap=0.0,
        wall_time=0.5,
        interrupted=False,
        closest=False,
        missed=[],
        parts={},
    )
    path = tmp_path / "summary.json"
    path.write_text(summary.model_dump_json(), encoding="utf-8")
    assert read_summary(path, Summary) == summary
    assert read_summary(path) == summary  # Summary by default
    _write(path, {**summary.model_dump(mode="json"), "wall_time": "soon"})
    with pytest.raises(InputError) as err:
        read_summary(path, Summary, lang="zh")
    assert str(err.value) == "summary.json，wall_time：应为数字（值 'soon'）"
    _write(path, [1])
    with pytest.raises(InputError) as err:
        read_summary(path, Summary)
    assert str(err.value) == "summary.json: not a twinning summary"
