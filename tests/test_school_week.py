"""school_week.csv: each school receiving 走教, its week (who comes which weekday, in which
subject, for how many lessons, from which school), as a file, a sheet and a report table."""

from __future__ import annotations

import csv
import io

from tests.conftest import county, school, teacher
from twinning.county.instance import Instance
from twinning.io.tabular import pseudonym
from twinning.plan import CircuitVisit, Plan
from twinning.report.html import render_html


def village_and_town() -> Instance:
    return county(
        [school("town"), school("v1", area="rural", km=8), school("v2", area="rural", km=12)],
        staff=[
            teacher("a", "town", "音乐", name="王芳"),
            teacher("b", "town", "美术", name="李强"),
        ],
    )


def stop(staff: str, subject: str, day: str, order: int, at: str, lessons: int) -> CircuitVisit:
    return CircuitVisit(
        staff=staff,
        subject=subject,
        home_school="town",
        weekday=day,
        order=order,
        school=at,
        lessons=lessons,
        km=8.0,
    )


def circuits_plan() -> Plan:
    return Plan(
        instance="tiny",
        parts=["itinerant"],
        status="optimal",
        objective=0,
        circuits=[
            stop("a", "音乐", "Wed", 1, "v1", 2),
            stop("a", "音乐", "Mon", 1, "v1", 2),
            stop("a", "音乐", "Mon", 2, "v2", 3),
            stop("b", "美术", "Mon", 1, "v1", 4),
            stop("b", "美术", "Tue", 1, "town", 2),  # at home: no visit
        ],
    )


def rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_school_week_lists_each_visitor_by_school_and_weekday() -> None:
    inst = village_and_town()
    got = rows(circuits_plan().files(inst=inst, formats=("csv",), lang="en")["school_week.csv"])
    assert [(r["school"], r["weekday"], r["staff"], r["subject"], r["lessons"]) for r in got] == [
        ("v1", "Mon", "b", "美术", "4"),
        ("v1", "Mon", "a", "音乐", "2"),
        ("v1", "Wed", "a", "音乐", "2"),
        ("v2", "Mon", "a", "音乐", "3"),
    ]
    assert list(got[0]) == [
        "school",
        "school_name",
        "weekday",
        "staff",
        "name",
        "subject",
        "lessons",
        "home_school",
        "home_school_name",
    ]
    assert {(r["school_name"], r["home_school"], r["home_school_name"]) for r in got} >= {
        ("v1学校", "town", "town学校")
    }
    assert got[0]["name"] == "李强"
    # a week's lessons at a school are the circuits' lessons there, the home line aside
    circuits = circuits_plan().circuits
    for s in ("v1", "v2"):
        assert sum(int(r["lessons"]) for r in got if r["school"] == s) == sum(
            c.lessons for c in circuits if c.school == s
        )


def test_school_week_masks_names_and_speaks_chinese() -> None:
    inst = village_and_town()
    files = circuits_plan().files(inst=inst, formats=("csv", "xlsx"), lang="zh", masked=True)
    text = files["school_week.csv"].decode("utf-8-sig")
    head = text.splitlines()[0].split(",")
    assert head == [
        "学校代码",
        "学校名称",
        "星期",
        "走教教师工号",
        "姓名",
        "学科",
        "课时",
        "派出学校",
        "派出学校名称",
    ]
    assert "周一" in text and "Mon" not in text
    assert "王芳" not in text and pseudonym("a") in text
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(files["plan.xlsx"]))
    assert "学校走教周表" in book.sheetnames
    sheet = book["学校走教周表"]
    assert sheet.max_row == 5  # header and four visits


def test_school_week_is_a_report_table() -> None:
    inst = village_and_town()
    page = render_html(inst, circuits_plan(), None, "zh")
    assert "学校走教周表" in page and "走教教师工号" in page
