"""Write the quirky files of this folder: one county as Excel and WPS really save it.

Run from the repository root: ``python tests/data/quirks/make_quirks.py``. Each file or
folder holds the tables of ``clean/`` with one quirk; ``tests/test_readers.py`` reads each
to the instance of ``clean/``. The files are kept in the repository (the tests do not
run this script), so that they stay the bytes a planner would bring.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent

SCHOOLS = [
    ["学校代码", "学校名称", "学段", "城乡类型", "办学水平", "纬度", "经度", "学生数"],
    ["S0001", "城关一小", "小学", "城区", "优质", "40.80", "122.70", "2134"],
    ["S0002", "河口村小", "小学", "乡村", "薄弱", "40.90", "122.90", "312"],
    ["S0003", "城关中学", "初中", "城区", "一般", "40.82", "122.72", "1580"],
    ["S0004", "城关二小", "小学", "城区", "一般", "40.81", "122.71", "1205"],
]
STAFF = [
    ["工号", "姓名", "学校代码", "岗位", "学科", "骨干级别", "本校任职年限", "年龄", "性别"],
    ["T001", "张伟", "S0001", "教师", "语文", "县级", "7", "41", "男"],
    ["T002", "王芳", "S0001", "教师", "数学", "无", "3", "29", "女"],
    ["T003", "李强", "S0001", "校长", "", "无", "11", "50", "男"],
    ["T004", "刘洋", "S0002", "教师", "英语", "无", "2", "26", "女"],
    ["T005", "陈静", "S0003", "教师", "物理", "市级", "9", "45", "女"],
    ["T006", "杨磊", "S0003", "教师", "语文", "无", "6", "38", "男"],
]
TABLES = {"schools": SCHOOLS, "staff": STAFF}
TITLES = {"schools": "XX县学校信息表", "staff": "XX县教职工信息表"}


def _csv(rows: list[list[str]], delimiter: str = ",") -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buf.getvalue()


def _folder(name: str, tables: dict[str, str], encoding: str = "utf-8") -> None:
    folder = HERE / name
    folder.mkdir(exist_ok=True)
    for table, text in tables.items():
        (folder / f"{table}.csv").write_bytes(text.encode(encoding))


def _book(name: str, fill: dict[str, list[list[str]]], merges: dict[str, list[str]]) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for table, rows in fill.items():
        sheet = book.create_sheet(table)
        for r, row in enumerate(rows, 1):
            for c, cell in enumerate(row, 1):
                if cell != "":
                    sheet.cell(r, c, cell)
        for cells in merges.get(table, []):
            sheet.merge_cells(cells)
    book.save(HERE / name)


def main() -> None:
    _folder("clean", {t: _csv(rows) for t, rows in TABLES.items()})
    # Excel "Unicode text": UTF-16 little-endian with its mark, tab-separated; and the
    # same encoding with commas (WPS "CSV UTF-16").
    _folder("utf16-tab", {t: _csv(rows, "\t") for t, rows in TABLES.items()}, "utf-16")
    _folder("utf16-comma", {t: _csv(rows) for t, rows in TABLES.items()}, "utf-16")
    # Blank rows above the header (the table was pasted lower down the sheet).
    width = {t: len(rows[0]) for t, rows in TABLES.items()}
    _folder(
        "blank-rows",
        {t: _csv([[""] * width[t], [], *rows]) for t, rows in TABLES.items()},
    )
    # A title merged across the columns above the header, as Excel exports it to CSV.
    _folder(
        "title-row",
        {t: _csv([[TITLES[t]] + [""] * (width[t] - 1), *rows]) for t, rows in TABLES.items()},
    )
    # Thousands separators in an integer column: a comma (quoted by Excel), a full-width
    # comma, a space.
    grouped = [row[:] for row in SCHOOLS]
    grouped[1][7], grouped[3][7], grouped[4][7] = "2,134", "1，580", "1 205"
    _folder("thousands", {"schools": _csv(grouped), "staff": _csv(STAFF)})
    _book("blank-rows.xlsx", {t: [[], [], *rows] for t, rows in TABLES.items()}, {})
    _book(
        "title-row.xlsx",
        {t: [[TITLES[t]], *rows] for t, rows in TABLES.items()},
        {"schools": ["A1:H1"], "staff": ["A1:I1"]},
    )
    # One school code written once for a school's staff, the cells below it merged.
    merged = [row[:] for row in STAFF]
    for r in (2, 3, 6):
        merged[r][2] = ""
    _book("merged-cells.xlsx", {"schools": SCHOOLS, "staff": merged}, {"staff": ["C2:C4", "C6:C7"]})


if __name__ == "__main__":
    main()
