"""What comes back, as files: safe cells, modes, the atomic output folder, Chinese
tables and the Excel report."""

from __future__ import annotations

import csv
import io
import os
import re
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.conftest import INSTANCES
from twinning import load_instance
from twinning.check.report import Violation
from twinning.county.instance import Instance
from twinning.io import files as output_files
from twinning.io.export import save_instance
from twinning.io.files import ForeignFolderError, atomic_write, replace_folder
from twinning.io.planfiles import said
from twinning.io.tabular import put_cell, safe_cell
from twinning.io.workbook import SCHOOL_COLUMNS, term_label, with_school_names
from twinning.messages import Msg, header, kpi_label, msg, render, word
from twinning.messages.vocab import VALUES_ZH
from twinning.plan import Move, Pair, Plan, UnmetNeed, Unpaired
from twinning.result import (
    AllianceKpi,
    AlliancesKpis,
    ItinerantKpis,
    ItinerantSubjectKpi,
    OutreachKpis,
    PairsKpis,
    QuotaCap,
    Result,
    RosterKpis,
    Summary,
)
from twinning.rules.pairs import need_answered, why_message
from twinning.solving import solve

#: Names that a spreadsheet would run as formulas or commands (OWASP, CSV injection).
HOSTILE = [
    "=1+1",
    '=HYPERLINK("http://x","a")',
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
    "-2+3",
    "\t=1",
]


@pytest.fixture(scope="module")
def demo() -> Instance:
    return load_instance(INSTANCES / "demo-county")


@pytest.fixture()
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


# ---- a hand-made plan over hostile names --------------------------------------------------


def hostile_county(demo: Instance) -> Instance:
    """The demo county with the first schools and staff named like formulas."""
    schools = [
        s.model_copy(update={"name": HOSTILE[i]}) if i < len(HOSTILE) else s
        for i, s in enumerate(demo.schools)
    ]
    staff = [
        t.model_copy(update={"name": HOSTILE[i]}) if i < len(HOSTILE) else t
        for i, t in enumerate(demo.staff)
    ]
    return demo.model_copy(update={"schools": schools, "staff": staff})


def hand_plan(inst: Instance, parts: tuple[str, ...] = ("pairs", "roster")) -> Plan:
    """A plan naming the hostile schools and staff (files only: never checked)."""
    s = [x.id for x in inst.schools]
    pairs = [
        Pair(helper=s[i], helped=s[i + 1], distance_km=1.25, complementarity=1, why="-x")
        for i in range(0, len(HOSTILE), 2)
    ]
    roster = [
        Move(
            staff=t.id,
            role="teacher",
            subject=t.subject,
            from_school=t.school,
            to_school=s[0] if t.school != s[0] else s[1],
            first_period="2025-2026-1",
            periods=1,
            direction="out",
            kind="exchange",
        )
        for t in inst.staff[: len(HOSTILE)]
    ]
    return Plan(
        instance=inst.name,
        parts=list(parts),
        status="optimal",
        objective=0,
        pairs=pairs if "pairs" in parts else [],
        unpaired=[Unpaired(school=s[7], reason="too_far", detail="@detail")],
        roster=roster if "roster" in parts else [],
        unmet_needs=[
            UnmetNeed(school=s[0], subject="=数学", period="p", shortage=2, covered=0, priority=1)
        ],
    )


def hostile_summary() -> Summary:
    return Summary(
        instance="=instance",
        status="infeasible",
        objective=1,
        bound=None,
        gap=None,
        wall_time=0.1,
        interrupted=False,
        closest=True,
        missed=[Violation(rule="rotation.rate", where=["=1+1"], amount=1, message="-2+3")],
        parts={},
    )


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_safe_cell_quotes_text_that_starts_a_formula_and_leaves_numbers() -> None:
    for text in HOSTILE:
        assert safe_cell(text) == "'" + text
    assert safe_cell("\r=1") == "'\r=1"
    assert safe_cell("县实验小学") == "县实验小学"
    assert safe_cell(-2) == -2 and safe_cell(-0.5) == -0.5 and safe_cell(True) is True


def test_a_control_character_does_not_hide_a_formula_in_excel() -> None:
    book = openpyxl.Workbook()
    cell = put_cell(book.active, 1, 1, "\x01=1+1")  # type: ignore[arg-type]
    assert cell.value == "'=1+1" and cell.data_type == "s"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_formula_names_round_trip_as_text_in_csv_and_xlsx(demo: Instance, lang: str) -> None:
    inst = hostile_county(demo)
    out = hand_plan(inst).files(
        inst=inst, formats=("csv", "xlsx"), summary=hostile_summary(), lang=lang
    )
    quoted = {"'" + h for h in HOSTILE}
    seen_csv = set()
    for name, data in out.items():
        if name.endswith(".csv"):
            for row in read_csv(data):
                for cell in row:
                    if not is_number(cell):  # a number is a value, never a formula
                        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (name, cell)
                    seen_csv.update({cell} & quoted)
    assert seen_csv == quoted  # every hostile name is there, readable after the quote
    roster_schools = read_csv(out["roster_schools.csv"])
    assert any(int(row[-1]) < 0 for row in roster_schools[1:])  # a number, not quoted

    book = openpyxl.load_workbook(io.BytesIO(out["plan.xlsx"]), data_only=False)
    seen_xlsx = set()
    negatives = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r"))
                    seen_xlsx.update({cell.value} & quoted)
                elif isinstance(cell.value, (int, float)) and cell.value < 0:
                    assert cell.data_type == "n"
                    negatives += 1
    assert seen_xlsx == quoted
    assert negatives  # net change -1 per school stays a number
    summary = book.worksheets[0]
    texts = [c.value for row in summary.iter_rows() for c in row if isinstance(c.value, str)]
    assert "'=1+1" in texts and "'-2+3" in texts  # the missed rule's where and message


# ---- files and folders --------------------------------------------------------------------


def test_outputs_are_readable_by_others_under_a_022_umask(
    demo: Instance, tmp_path: Path, umask_022: None
) -> None:
    out = tmp_path / "out"
    written = hand_plan(demo).to_folder(out, inst=demo, formats=("json", "csv", "xlsx"))
    assert stat.S_IMODE(out.stat().st_mode) == 0o755
    assert written and all(stat.S_IMODE(p.stat().st_mode) == 0o644 for p in written)
    single = tmp_path / "one" / "plan.xlsx"
    hand_plan(demo).to_excel(single, inst=demo)
    assert stat.S_IMODE(single.stat().st_mode) == 0o644
    atomic_write(tmp_path / "x.csv", b"a\n")
    assert stat.S_IMODE((tmp_path / "x.csv").stat().st_mode) == 0o644


def test_outputs_follow_a_private_umask(demo: Instance, tmp_path: Path) -> None:
    old = os.umask(0o077)
    try:
        written = hand_plan(demo).to_folder(tmp_path / "out", inst=demo)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "out").stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in written)


def test_resolving_with_fewer_parts_leaves_no_stale_file(demo: Instance, tmp_path: Path) -> None:
    out = tmp_path / "out"
    hand_plan(demo).to_folder(out, inst=demo, formats=("json", "csv", "xlsx"))
    assert (out / "roster.csv").exists() and (out / "plan.xlsx").exists()
    hand_plan(demo, ("pairs",)).to_folder(out, inst=demo)
    assert sorted(p.name for p in out.iterdir()) == ["pairs.csv", "plan.json", "unpaired.csv"]
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # nothing left beside it


def test_an_interrupted_write_leaves_the_old_folder_untouched(
    demo: Instance, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    hand_plan(demo).to_folder(out, inst=demo)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    written = []
    real = output_files._write_new

    def write_then_stop(path: Path, data: bytes) -> None:
        if written:
            raise KeyboardInterrupt  # Ctrl-C after the first file
        written.append(path)
        real(path, data)

    monkeypatch.setattr(output_files, "_write_new", write_then_stop)
    with pytest.raises(KeyboardInterrupt):
        hand_plan(demo, ("pairs",)).to_folder(out, inst=demo)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_failed_swap_puts_the_old_folder_back(
    demo: Instance, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    hand_plan(demo).to_folder(out, inst=demo)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real = os.rename
    calls = []

    def second_rename_fails(src: Any, dst: Any) -> None:
        calls.append(src)
        if len(calls) == 2:  # the new folder moving in
            raise OSError("disk gone")
        real(src, dst)

    monkeypatch.setattr(output_files.os, "rename", second_rename_fails)
    with pytest.raises(OSError, match="disk gone"):
        hand_plan(demo, ("pairs",)).to_folder(out, inst=demo)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


@pytest.mark.parametrize(
    "content",
    [
        {"notes.docx": b"mine"},
        {"plan.json": b'{"hello": 1}'},  # a plan.json that is not a twinning plan
        {"plan.json": None, "photos/cat.jpg": b"x"},  # ours by name, but holds a folder
    ],
    ids=["no-plan", "foreign-plan-json", "sub-folder"],
)
def test_a_folder_that_is_not_ours_is_never_replaced(
    demo: Instance, tmp_path: Path, content: dict[str, bytes | None]
) -> None:
    home = tmp_path / "home"
    for name, data in content.items():
        path = home / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if data is not None else hand_plan(demo).to_json().encode())
    before = sorted(str(p.relative_to(home)) for p in home.rglob("*"))
    with pytest.raises(ForeignFolderError, match="choose a new or empty folder"):
        hand_plan(demo).to_folder(home, inst=demo)
    assert sorted(str(p.relative_to(home)) for p in home.rglob("*")) == before
    assert [p.name for p in tmp_path.iterdir()] == ["home"]


def test_an_empty_folder_is_filled(demo: Instance, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    replace_folder(tmp_path / "empty", {"plan.json": hand_plan(demo).to_json().encode()})
    assert [p.name for p in (tmp_path / "empty").iterdir()] == ["plan.json"]


def twinning(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "twinning.cli.main", *args],
        capture_output=True,
        text=True,
        cwd=INSTANCES.parent,
        timeout=300,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"},
    )


def test_solve_refuses_a_foreign_output_folder_before_solving(tmp_path: Path) -> None:
    (tmp_path / "thesis.docx").write_bytes(b"years of work")
    run = twinning("solve", str(INSTANCES / "demo-county"), "-o", str(tmp_path))
    assert run.returncode == 2, run.stdout + run.stderr
    assert "Traceback" not in run.stderr and "plan.json" in run.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["thesis.docx"]
    assert "plan written" not in run.stdout  # refused before any solving


# ---- Chinese outputs ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def zh_county(demo: Instance, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo county as a bureau saves it: Chinese headers and values, GB18030."""
    path = tmp_path_factory.mktemp("zh") / "demo-zh"
    save_instance(demo, path, lang="zh", encoding="gb18030")
    return path


@pytest.fixture(scope="module")
def zh_solved(zh_county: Path) -> tuple[Instance, Result]:
    inst = load_instance(zh_county)
    return inst, solve(inst, time_limit=30, seed=1)


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


ZH_VALUES = {
    "role": set(VALUES_ZH["role"].values()),
    "kind": set(VALUES_ZH["kind"].values()),
    "direction": {"下乡", "进城"},
    "fixed": {"是", "否"},
    "reachable": {"是", "否"},
}


def test_a_chinese_headed_instance_gets_chinese_tables(
    zh_solved: tuple[Instance, Result], tmp_path: Path
) -> None:
    inst, result = zh_solved
    assert inst.lang == "zh"
    out = tmp_path / "out"
    result.plan.to_folder(out, inst=inst, formats=("json", "csv"), summary=result.summary())
    names = {p.name for p in out.iterdir()}
    assert {"pairs.csv", "roster.csv", "alliances.csv", "unmet_needs.csv"} <= names  # contract
    for path in out.glob("*.csv"):
        rows = read_csv(path.read_bytes())
        assert all(has_chinese(h) for h in rows[0]), (path.name, rows[0])
        columns = {header(c, "zh", path.stem): c for c in ZH_VALUES}
        for i, head in enumerate(rows[0]):
            field = next((c for z, c in columns.items() if z == head), None)
            if field is None:
                continue
            assert {r[i] for r in rows[1:]} <= ZH_VALUES[field], (path.name, head)
    roster = read_csv((out / "roster.csv").read_bytes())
    direction = roster[0].index("方向")
    assert {r[direction] for r in roster[1:]} == {"下乡", "进城"}
    pairs = read_csv((out / "pairs.csv").read_bytes())
    why = pairs[0].index("帮扶依据")
    assert all("缺" in r[why] or "最近" in r[why] for r in pairs[1:])
    assert not any(w in r[why] for r in pairs[1:] for w in ("short", "helper", "backbone"))
    # summary.json is a machine contract: English keys and values whatever the language
    summary = (out / "summary.json").read_text(encoding="utf-8")
    assert '"status": "optimal"' in summary or '"status": "feasible"' in summary


def test_english_stays_the_default_of_an_english_instance_and_lang_overrides(
    demo: Instance, zh_solved: tuple[Instance, Result]
) -> None:
    assert demo.lang == "en"
    header = read_csv(hand_plan(demo).files(inst=demo)["roster.csv"])[0]
    assert header[:3] == ["staff", "name", "role"]
    inst, result = zh_solved
    english = read_csv(result.plan.files(inst=inst, lang="en")["roster.csv"])
    assert english[0][:3] == ["staff", "name", "role"]
    kind = english[0].index("kind")
    assert {r[kind] for r in english[1:]} <= {
        "exchange",
        "secondment",
        "mentor",
        "headship",
        "itinerant",
    }


def test_the_workbook_speaks_chinese_and_opens_on_the_summary(
    zh_solved: tuple[Instance, Result],
) -> None:
    inst, result = zh_solved
    data = result.plan.files(inst=inst, formats=("xlsx",), summary=result.summary())
    book = openpyxl.load_workbook(io.BytesIO(data["plan.xlsx"]))
    expected = ["概况", "均衡评估", *(word(f"table.{t}", "zh") for t in result.plan.tables(inst))]
    assert book.sheetnames == expected
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
    evaluation = [c.value for c in book["均衡评估"][2] if c.value is not None]
    assert evaluation[:3] == ["指标", "学段", "交流前"]
    for sheet in book.worksheets[2:]:
        heads = [c.value for c in next(sheet.iter_rows(max_row=1))]
        assert all(isinstance(h, str) and has_chinese(h) for h in heads), (sheet.title, heads)
        assert sheet.auto_filter.ref
    roster = book["交流名单"]
    heads = [c.value for c in roster[1]]
    kinds = {r[heads.index("类型")] for r in roster.iter_rows(min_row=2, values_only=True)}
    assert kinds <= ZH_VALUES["kind"] and kinds
    pairs = book["结对帮扶"]
    km = [c.value for c in pairs[1]].index("距离（公里）") + 1
    assert pairs.cell(row=2, column=km).number_format == "0.0"
    assert all(sheet.column_dimensions["A"].width >= 6 for sheet in book.worksheets)

    summary = book["概况"]
    lines = {row[0].value: row for row in summary.iter_rows() if isinstance(row[0].value, str)}
    assert lines["状态"][1].value in ("最优", "可行")
    assert lines[kpi_label("roster", "rotation_rate", "zh")][1].number_format == "0.0%"
    for part in ("结对帮扶", "联盟", "交流轮岗"):
        assert part in lines  # one line per part
    # the demo county accepts schools below their quota: each is listed, in red
    capped = result.summary().parts["roster"].kpis.quota_capped  # type: ignore[union-attr]
    assert capped
    for school in capped:
        assert lines[school][0].fill.fgColor.rgb.endswith("FFC7CE")
        assert lines[school][1].value == next(s.name for s in inst.schools if s.id == school)


def test_the_summary_sheet_lists_every_missed_rule_in_red(demo: Instance) -> None:
    rotation = demo.policy.rotation.model_copy(update={"cap_quota": False})
    inst = demo.model_copy(
        update={"policy": demo.policy.model_copy(update={"rotation": rotation}), "lang": "zh"}
    )
    result = solve(inst, {"roster"}, time_limit=30, seed=1)
    assert result.closest and result.missed
    data = result.plan.files(inst=inst, formats=("xlsx",), summary=result.summary())
    summary = openpyxl.load_workbook(io.BytesIO(data["plan.xlsx"]))["概况"]
    rows = list(summary.iter_rows())
    heading = next(
        i for i, r in enumerate(rows) if r[0].value == "未满足的规则（本方案为最接近的方案）"
    )
    missed = rows[heading + 2 : heading + 2 + len(result.missed)]
    assert [(r[0].value, r[2].value) for r in missed] == [(v.rule, v.amount) for v in result.missed]
    assert all(c.fill.fgColor.rgb.endswith("FFC7CE") for r in missed for c in r[:4])
    status = next(r for r in rows if r[0].value == "状态")
    assert status[1].value == "不可行"


def test_cli_speaks_the_instance_language_by_default(zh_county: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = twinning(
        "solve", str(zh_county), "-o", str(out), "--parts", "pairs", "--format", "csv,xlsx"
    )
    assert run.returncode == 0, run.stderr
    header = read_csv((out / "pairs.csv").read_bytes())[0]
    assert header[:2] == ["帮扶学校", "帮扶学校名称"]
    assert openpyxl.load_workbook(out / "plan.xlsx").sheetnames[:3] == [
        "概况",
        "均衡评估",
        "结对帮扶",
    ]
    # The terminal speaks it too: progress, the summary table, the last line.
    assert "结对帮扶 · 完成：最优" in run.stderr
    assert "方案已写入" in run.stdout and "plan written" not in run.stdout
    assert "薄弱校结对率" in run.stdout and "paired_share" not in run.stdout
    check = twinning("validate", str(zh_county), str(out / "plan.json"))
    assert check.returncode == 0 and "方案有效" in check.stdout
    run = twinning(
        "solve", str(zh_county), "-o", str(out), "--parts", "pairs", "--lang", "en",
        "--format", "json,csv",
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert read_csv((out / "pairs.csv").read_bytes())[0][:2] == ["helper", "helper_name"]
    assert "plan written" in run.stdout and "pairs · done: optimal" in run.stderr
    assert not (out / "plan.xlsx").exists()  # the earlier workbook went with the old folder


# ---- the sentences the plan keeps as messages ----------------------------------------------


def test_a_pair_why_is_said_in_each_language_from_its_parts() -> None:
    needs = [need_answered("英语", 1, 3, 0), need_answered("数学", 2, 1, 2)]
    why = why_message(needs, pinned=True)
    assert render(why, "en") == (
        "pinned in the instance; 英语: short 1, helper has 3 backbone; "
        "数学: short 2, helper has 1 backbone, 2 surplus"
    )
    assert render(why, "zh") == (
        "固定结对；英语：缺1人，帮扶校有3名骨干；数学：缺2人，帮扶校有1名骨干、2名富余教师"
    )
    # the parts themselves are the message's parameters, not words to read back
    first = why.params["needs"][0]
    assert why.params["pinned"] is True
    assert first.params == {"subject": "英语", "short": 1, "backbone": 3, "surplus": 0}
    assert render(why_message([]), "en") == "shared stage, nearest available helper"
    assert render(why_message([]), "zh") == "同学段中距离最近的可帮扶学校"
    # a table in Chinese says the why as the message says it
    pair = Pair(helper="A", helped="B", distance_km=1.0, complementarity=1, why=why)
    plan = Plan(instance="t", parts=["pairs"], status="optimal", objective=0, pairs=[pair])
    table, _ = said("pairs", plan.tables()["pairs"], "zh")
    assert table.rows[0]["why"] == render(why, "zh")


@pytest.mark.parametrize(
    ("said", "english", "chinese"),
    [
        (
            msg("pairs.unpaired.no_helper_for_stage"),
            "no helper school shares its stage",
            "没有同学段的帮扶学校",
        ),
        (
            msg("pairs.unpaired.too_far", km=61.3, limit=50.0),
            "nearest helper of its stage is 61.3 km, over 50 km",
            "最近的同学段帮扶学校相距61.3公里，超过50公里",
        ),
        (
            msg("pairs.unpaired.repeat_only"),
            "its only compatible helpers paired it last cycle or are ruled out",
            "可结对的帮扶学校均为上一轮的结对学校或已被否决",
        ),
        (
            msg("pairs.unpaired.capacity_used", n=3),
            "all 3 compatible helper(s) are full",
            "3所可结对的帮扶学校名额均已满",
        ),
        (
            msg("hires.reason", kind=msg("hires.kind.rural_weak"), n=2, subject="数学", priority=1),
            "rural weak school short 2 数学 after the roster (priority 1)",
            "乡村薄弱校交流后仍缺2名数学教师（优先级1）",
        ),
    ],
)
def test_unpaired_details_and_hire_reasons_are_said_in_each_language(
    said: Msg, english: str, chinese: str
) -> None:
    assert render(said, "en") == english
    assert render(said, "zh") == chinese
    # kept as data: the JSON form renders the same
    assert render(said.model_dump(mode="json"), "zh") == chinese


# ---- the summary sheet in the planner's words ------------------------------------------------

#: What may stay Latin in a Chinese sheet: policy keys and dotted codes, ids and periods,
#: file names, tool names.
LATIN_ALLOWED = re.compile(
    r"\b[a-z_]+(?:\.[a-z_]+)+\b"  # rotation.cap_quota
    r"|\b[A-Z]*\d[\w-]*\b"  # S0026, T000013, A01, 2025-2026-1
    r"|\b(?:CP-SAT|OR-Tools|HiGHS|PuLP|CBC|Excel|twinning|demo-county|demo-zh)\b"
)
#: A mapping or a list written as its Python text.
REPR = re.compile(r"\{'|\['|': |\{\"|\[\"")


def english_words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z]{2,}", LATIN_ALLOWED.sub("", text))


def _summary_rows(data: bytes) -> list[list[Any]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [list(row) for row in book["概况"].iter_rows(values_only=True)]


def _kept_as_written(summary: dict[str, Any]) -> set[str]:
    """Sentences an earlier version wrote as plain text (code ``text``): shown as written."""
    out = set()
    for part in summary.get("parts", {}).values():
        for key in ("method", "message"):
            m = part.get(key)
            if isinstance(m, dict) and m.get("code") == "text":
                out.add(m["params"]["text"])
    return out


def test_the_chinese_summary_sheet_holds_no_repr_and_no_english_word(
    zh_solved: tuple[Instance, Result],
) -> None:
    inst, result = zh_solved
    summary = result.summary()
    data = result.plan.files(inst=inst, formats=("xlsx",), summary=summary)
    rows = _summary_rows(data["plan.xlsx"])
    legacy = _kept_as_written(summary.model_dump(mode="json"))
    texts = [c for row in rows for c in row if isinstance(c, str) and c not in legacy]
    assert texts
    assert not [t for t in texts if REPR.search(t)]
    assert not [(t, english_words(t)) for t in texts if english_words(t)]
    # every figure is labelled: no code of the catalogue shows for a missing label
    assert not [t for t in texts if re.fullmatch(r"(kpi|term|field|part)\.[\w.]+", t)]
    # the itinerant part's figures by subject are a small table, labelled in Chinese
    heads = next(r for r in rows if r[0] == "学科")
    assert heads[1:4] == ["周课时缺口", "走教补足", "走教教师数"]
    by_subject = result.summary().parts["itinerant"].kpis.by_subject  # type: ignore[union-attr]
    start = rows.index(heads) + 1
    shown = {r[0]: r[1:4] for r in rows[start : start + len(by_subject)]}
    assert shown == {s: [k.needed, k.covered, k.teachers] for s, k in by_subject.items()}
    # visits per school: a school's name beside its code
    names = {s.id: s.name for s in inst.schools}
    received = [r for r in rows if r[0] in names and r[1] == names[r[0]]]
    assert received


def test_itinerant_teachers_are_not_labelled_as_outreach_teachers(
    zh_solved: tuple[Instance, Result],
) -> None:
    for lang in ("en", "zh"):
        assert kpi_label("itinerant", "teachers_used", lang) != kpi_label(
            "outreach", "teachers_used", lang
        )
    assert kpi_label("itinerant", "teachers_used", "zh") == "走教教师数"
    assert kpi_label("outreach", "teachers_used", "zh") == "参与送教教师数"
    inst, result = zh_solved
    data = result.plan.files(inst=inst, formats=("xlsx",), summary=result.summary())
    rows = _summary_rows(data["plan.xlsx"])
    sections = [i for i, r in enumerate(rows) if isinstance(r[0], str) and r[0].endswith("：指标")]
    itinerant = next(i for i in sections if rows[i][0] == "走教：指标")
    end = next((i for i in sections if i > itinerant), len(rows))
    labels_shown = {r[0] for r in rows[itinerant:end]}
    assert "走教教师数" in labels_shown and "参与送教教师数" not in labels_shown


@pytest.mark.parametrize(
    ("part", "model"),
    [
        ("pairs", PairsKpis),
        ("alliances", AlliancesKpis),
        ("alliances", AllianceKpi),
        ("roster", RosterKpis),
        ("roster", QuotaCap),
        ("itinerant", ItinerantKpis),
        ("itinerant", ItinerantSubjectKpi),
        ("outreach", OutreachKpis),
    ],
)
def test_every_figure_has_a_label_in_both_languages(part: str, model: type) -> None:
    for name in model.model_fields:
        for lang in ("en", "zh"):
            label = kpi_label(part, name, lang)
            assert not label.startswith("kpi."), (part, name, lang)
        assert not english_words(kpi_label(part, name, "zh")), (part, name)


def test_every_cost_term_has_a_label(zh_solved: tuple[Instance, Result]) -> None:
    _, result = zh_solved
    for name, part in result.parts.items():
        for term in part.terms:
            said = term_label(name, term, "zh")
            assert not said.startswith(("term.", "kpi.")) and not english_words(said), term


def test_every_school_code_has_its_name_beside_it(zh_solved: tuple[Instance, Result]) -> None:
    inst, result = zh_solved
    names = {s.id: s.name for s in inst.schools}
    for table, rows in result.plan.tables(inst).items():
        named = with_school_names(table, rows, names)
        for i, column in enumerate(named.columns):
            if column not in SCHOOL_COLUMNS:
                continue
            beside = named.columns[i + 1] if i + 1 < len(named.columns) else ""
            assert beside in (f"{column}_name", "name", "school_name"), (table, column)
            for row in named.rows:
                if row.get(column):
                    assert row[beside] == names.get(str(row[column]), ""), (table, row)
    data = result.plan.files(inst=inst, formats=("xlsx",), summary=result.summary())
    book = openpyxl.load_workbook(io.BytesIO(data["plan.xlsx"]))
    heads = [c.value for c in book["交流名单"][1]]
    assert heads[heads.index("派出学校") + 1] == "派出学校名称"
    assert heads[heads.index("接收学校") + 1] == "接收学校名称"
    heads = [c.value for c in book["走教安排"][1]]
    assert heads[heads.index("本校") + 1] == "本校名称"
    row = next(book["交流名单"].iter_rows(min_row=2, values_only=True))
    assert (
        row[heads_index(book, "交流名单", "派出学校名称")]
        == names[row[heads_index(book, "交流名单", "派出学校")]]
    )


def heads_index(book: Any, sheet: str, head: str) -> int:
    return [c.value for c in book[sheet][1]].index(head)


def test_the_english_summary_sheet_keeps_its_keys(demo: Instance) -> None:
    result = solve(demo, {"pairs"}, time_limit=20, seed=1)
    data = result.plan.files(inst=demo, formats=("xlsx",), summary=result.summary())
    book = openpyxl.load_workbook(io.BytesIO(data["plan.xlsx"]))
    first = [r[0] for r in book["summary"].iter_rows(values_only=True)]
    assert "status" in first and "weak_schools" in first and "unpaired" in first
    assert "Weak schools paired" in first  # the report's headline figure, said alike
