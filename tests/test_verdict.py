"""The verdict: the evaluation's resource part (seven coefficients against their thresholds,
the per-school test) before the plan and in each period, said alike in the console,
summary.json, the workbook's 均衡评估 sheet and the report."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
from rich.console import Console

from tests.conftest import INSTANCES, county, school, teacher
from twinning.cli import show
from twinning.county.instance import Instance
from twinning.io.workbook import evaluation_lines, verdict_messages
from twinning.messages import render
from twinning.report.html import render_html
from twinning.rules.balance import balance_of
from twinning.rules.evaluation import verdict


def console_text(balance: Any, lang: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """What the console prints of a balance (the verdict table and its lines)."""
    buf = io.StringIO()
    monkeypatch.setattr(show, "out_console", Console(file=buf, width=400, highlight=False))
    show.balance(balance, lang)  # type: ignore[arg-type]
    return buf.getvalue()


def sheet_values(data: bytes, sheet: str) -> list[list[Any]]:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data))
    return [list(r) for r in book[sheet].iter_rows(values_only=True)]


def two_schools_failing() -> Instance:
    """A and B, 100 primary pupils each: A has two qualified teachers, no backbone and no
    PE or arts teacher (three standards missed: it fails); B five, one of them a backbone PE
    teacher (it passes on the staffing it has, its facilities not given)."""
    staff = [
        teacher("a1", "A", "语文", education="bachelor"),
        teacher("a2", "A", "数学", education="bachelor"),
        teacher("b1", "B", "体育", backbone="county", education="bachelor"),
        *(teacher(f"b{k}", "B", "语文", education="bachelor") for k in range(2, 6)),
    ]
    return county([school("A", students=100), school("B", students=100)], staff=staff)


@pytest.fixture(scope="module")
def solved() -> tuple[Any, Any]:
    from twinning import load_instance, solve

    inst = load_instance(INSTANCES / "demo-county")
    return inst, solve(inst, "pairs,alliances,roster", time_limit=20)


def test_one_figure_in_console_summary_workbook_and_report(
    solved: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from twinning.outputs import result_files

    inst, result = solved
    files = result_files(result, inst, formats=("json", "csv", "xlsx", "html"), lang="en")
    summary = json.loads(files["summary.json"])
    said = summary["verdict"]
    assert said == verdict(result.balance).model_dump(mode="json")
    assert len(said["moments"]) == 1 + len(inst.policy.horizon.periods)
    console = console_text(result.balance, "en", monkeypatch)
    page = files["report.html"].decode()
    sheet = sheet_values(files["plan.xlsx"], "evaluation")
    shown = {f"{v:.4f}" for row in sheet for v in row if isinstance(v, float)}
    figures = [f"{cv:.4f}" for row in said["rows"] for cv in row["cv"].values() if cv is not None]
    # the staffing indicators of both stages at every moment, and nothing else invented
    assert len(figures) >= 3 * 2 * len(said["moments"])
    for figure in figures:
        assert figure in console
        assert figure in page
        assert figure in shown
    # the same sentences in the console, the sheet and the report
    for line in verdict_messages(said):
        text = render(line, "en")
        assert text in console
        assert text in [row[0] for row in sheet]
        if line.code != "verdict.why":
            assert text in page.replace("&#x27;", "'")


def test_the_sheet_is_named_in_chinese_and_says_no_english(solved: tuple[Any, Any]) -> None:
    from twinning.outputs import result_files

    inst, result = solved
    files = result_files(result, inst, formats=("json", "xlsx"), lang="zh")
    sheet = sheet_values(files["plan.xlsx"], "均衡评估")
    assert sheet[0][0] == "优质均衡评估·资源配置：各指标分学段校际差异系数（交流前及各学期）"
    assert sheet[1][:3] == ["指标", "学段", "交流前"]
    for line in verdict_messages(json.loads(files["summary.json"])["verdict"]):
        text = render(line, "zh")
        # ids, column names and periods aside, no English word
        bare = re.sub(
            r"schools\.csv|teaching_area|sports_area|equipment_value|"
            r"multimedia_rooms|[0-9]{4}[-A-Za-z0-9]*",
            "",
            text,
        )
        assert not re.search(r"[A-Za-z]{2,}", bare), text


def test_a_partial_verdict_says_what_it_lacks_in_both_languages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    staff = [teacher("a1", "A"), teacher("b1", "B")]  # no education column
    inst = county([school("A"), school("B", tier="weak")], staff=staff)
    said = verdict(balance_of(inst))
    assert said.partial
    assert said.lacking[0] == "qualified"
    assert "qualified" not in {r.indicator for r in said.rows if r.cv["before"] is not None}
    lines = verdict_messages(said.model_dump(mode="json"))
    partial = [m for m in lines if m.code == "verdict.partial"]
    assert len(partial) == 1
    en, zh = render(partial[0], "en"), render(partial[0], "zh")
    assert en.startswith("partial verdict: lacks qualified, teaching_area")
    assert zh.startswith("评估不完整：缺少高于规定学历教师、生均教学及辅助用房面积")
    why = [render(m, "zh") for m in lines if m.code == "verdict.why"]
    assert why[0] == "缺少数据：高于规定学历教师：未提供教职工学历"
    # one teacher per 500 pupils, no backbone: both fail on what is known
    assert said.at["before"].failing == 2 and said.at["before"].met is False
    text = console_text(balance_of(inst), "zh", monkeypatch)
    assert "评估不完整：缺少高于规定学历教师" in text
    assert "缺少数据：高于规定学历教师：未提供教职工学历" in text


def test_the_failing_schools_of_a_small_county_are_named_with_their_misses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inst = two_schools_failing()
    balance = balance_of(inst)
    said = verdict(balance)
    assert said.at["before"].failing == 1 and said.at["before"].met is False
    summary = {
        "verdict": said.model_dump(mode="json"),
        "balance": balance.model_dump(mode="json"),
    }
    lines = evaluation_lines(summary, "en", {"A": "A学校", "B": "B学校"})
    rows = [line.cells for line in lines if line.cells[:2] == ["before", "A"]]
    # a row per standard missed: its figure, the standard, the share
    assert [(r[2], r[4], r[5], r[6], r[7]) for r in rows] == [
        ("A学校", "qualified", 2.0, 4.2, 0.4762),
        ("A学校", "backbone", 0.0, 1.0, 0.0),
        ("A学校", "pe_arts", 0.0, 0.9, 0.0),
    ]
    assert not any(line.cells[:2] == ["before", "B"] for line in lines)
    text = console_text(balance, "en", monkeypatch)
    assert "before: resource part not met" in text
    assert "1 of 2 schools fail the per-school test" in text
    from twinning.plan import Plan

    page = render_html(
        inst, Plan(instance=inst.name, parts=[], status="optimal", objective=0), lang="en"
    )
    section = page[page.index('<section id="evaluation">') :]
    assert 'data-moment="before" data-failing="1"' in section
    assert (
        "A A学校 (primary): qualified 2 against 4.2 (48%); backbone 0 against 1 (0%); "
        "pe_arts 0 against 0.9 (0%); lacks teaching_area"
    ) in section
    zh = render_html(
        inst, Plan(instance=inst.name, parts=[], status="optimal", objective=0), lang="zh"
    )
    assert (
        "A A学校（小学）：高于规定学历教师 2，标准4.2（48%）；县级以上骨干教师 0，标准1（0%）" in zh
    )
