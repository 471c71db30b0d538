"""The four facility columns of schools.csv (issue 27): teaching_area, sports_area,
equipment_value and multimedia_rooms, school totals the 优质均衡 evaluation measures per
student. Optional, non-negative, bounded, read under English or Chinese headers and as
Excel writes money and areas; refused with file, row and column."""

from __future__ import annotations

import csv
import json
import shutil
import warnings
from pathlib import Path

import pytest

from tests.conftest import INSTANCES
from twinning.errors import InputError
from twinning.io.export import save_instance
from twinning.io.readers import InputWarning, load_instance

FACILITIES = ("teaching_area", "sports_area", "equipment_value", "multimedia_rooms")
CHINESE = {
    "teaching_area": "教学及辅助用房面积",
    "sports_area": "体育运动场馆面积",
    "equipment_value": "教学仪器设备值",
    "multimedia_rooms": "网络多媒体教室数",
}
HEAD = "id,name,stage,area,tier,lat,lon,students"
ZH_HEAD = "学校代码,学校名称,学段,城乡类型,办学水平,纬度,经度,学生数"


def _schools(folder: Path, header: str, *rows: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "schools.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return folder


def _refused(path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        load_instance(path)
    return caught.value


def test_the_four_columns_are_read(tmp_path: Path) -> None:
    folder = _schools(
        tmp_path / "c",
        HEAD + ",teaching_area,sports_area,equipment_value,multimedia_rooms",
        "S1,城关一小,primary,urban,strong,40.8,122.7,900,4500.5,7000,2345678.9,22",
        "S2,河口村小,primary,rural,weak,40.9,122.9,60,0,,,0",
    )
    first, second = load_instance(folder).schools
    assert (first.teaching_area, first.sports_area) == (4500.5, 7000.0)
    assert (first.equipment_value, first.multimedia_rooms) == (2345678.9, 22)
    assert isinstance(first.multimedia_rooms, int)
    # Zero is a value (a teaching point without a multimedia room); a blank cell is not given.
    assert (second.teaching_area, second.multimedia_rooms) == (0.0, 0)
    assert second.sports_area is None and second.equipment_value is None


def test_chinese_headers_and_money_as_excel_writes_it(tmp_path: Path) -> None:
    header = ZH_HEAD + "," + ",".join(CHINESE[f] for f in FACILITIES)
    folder = _schools(
        tmp_path / "c",
        header,
        'S1,城关一小,小学,城区,优质,40.8,122.7,900,"4,500.50","12 345","2,345,678.90",22',
        "S2,河口村小,小学,乡村,薄弱,40.9,122.9,60,300，000,,1，234，567,2",
    )
    first, second = load_instance(folder).schools
    assert (first.teaching_area, first.sports_area, first.equipment_value) == (
        4500.5,
        12345.0,
        2345678.9,
    )
    assert (second.teaching_area, second.equipment_value, second.multimedia_rooms) == (
        300000.0,
        1234567.0,
        2,
    )


def test_without_the_columns_a_county_is_read_as_before(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    shutil.copytree(INSTANCES / "demo-county", folder)
    path = folder / "schools.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    keep = [i for i, h in enumerate(rows[0]) if h not in FACILITIES]
    assert len(keep) == len(rows[0]) - 4
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows([[r[i] for i in keep] for r in rows])
    bare, full = load_instance(folder), load_instance(INSTANCES / "demo-county")
    assert all(getattr(s, f) is None for s in bare.schools for f in FACILITIES)
    stripped = [s.model_copy(update=dict.fromkeys(FACILITIES)) for s in full.schools]
    assert bare.schools == stripped and bare.staff == full.staff


def test_the_shipped_counties_give_every_school_all_four() -> None:
    for name in ("demo-county", "haicheng-like"):
        for s in load_instance(INSTANCES / name).schools:
            assert all(getattr(s, f) is not None for f in FACILITIES), (name, s.id)


@pytest.mark.parametrize("column", FACILITIES)
def test_a_negative_figure_is_refused_naming_its_cell(tmp_path: Path, column: str) -> None:
    cells = {f: "10" for f in FACILITIES} | {column: "-5"}
    folder = _schools(
        tmp_path / "c",
        HEAD + "," + ",".join(FACILITIES),
        "S1,城关一小,primary,urban,strong,40.8,122.7,900," + ",".join(["10"] * 4),
        "S2,河口村小,primary,rural,weak,40.9,122.9,60," + ",".join(cells[f] for f in FACILITIES),
    )
    error = _refused(folder)
    assert len(error.problems) == 1
    problem = error.problems[0]
    assert (problem.file, problem.row, problem.column) == ("schools.csv", 3, column)
    assert "greater than or equal to 0" in str(error) and "'-5'" in str(error)


def test_a_negative_figure_under_a_chinese_header_is_said_in_chinese(tmp_path: Path) -> None:
    folder = _schools(
        tmp_path / "c",
        ZH_HEAD + ",体育运动场馆面积",
        "S1,城关一小,小学,城区,优质,40.8,122.7,900,7000",
        "S2,河口村小,小学,乡村,薄弱,40.9,122.9,60,-300",
    )
    error = _refused(folder)
    assert error.problems[0].column == "体育运动场馆面积"
    assert (
        error.text("zh") == "schools.csv，第3行，'体育运动场馆面积'列：应大于或等于 0（值 '-300'）"
    )


@pytest.mark.parametrize(
    ("column", "bound", "said", "zh"),
    [
        ("teaching_area", 10_000_000, "at most 10000000 m²", "最多 10000000 平方米"),
        ("sports_area", 10_000_000, "at most 10000000 m²", "最多 10000000 平方米"),
        ("equipment_value", 10_000_000_000, "at most 10000000000 yuan", "仪器设备值"),
        ("multimedia_rooms", 10_000, "at most 10000", "教室数"),
    ],
)
def test_a_figure_beyond_a_school_is_refused_and_the_bound_accepted(
    tmp_path: Path, column: str, bound: int, said: str, zh: str
) -> None:
    row = "S1,城关一小,primary,urban,strong,40.8,122.7,900,"
    over = _schools(tmp_path / "over", f"{HEAD},{column}", row + str(bound + 1))
    error = _refused(over)
    assert str(error).startswith(f"schools.csv, row 2, column '{column}': "), str(error)
    assert said in str(error) and zh in error.text("zh")
    at = _schools(tmp_path / "at", f"{HEAD},{column}", row + str(bound))
    assert getattr(load_instance(at).schools[0], column) == bound


@pytest.mark.parametrize(
    ("column", "value", "said"),
    [
        ("multimedia_rooms", "1.5", "valid integer"),
        ("teaching_area", "inf", "finite"),
        ("equipment_value", "二百万", "valid number"),
        ("sports_area", "1,2345", "valid number"),  # not grouped by thousands
    ],
)
def test_a_figure_that_is_no_number_is_refused(
    tmp_path: Path, column: str, value: str, said: str
) -> None:
    folder = _schools(
        tmp_path / "c", f"{HEAD},{column}", f'S1,城关一小,primary,urban,strong,40,122,900,"{value}"'
    )
    error = _refused(folder)
    assert error.problems[0].column == column and said in str(error), str(error)


def test_a_boolean_is_no_area_in_a_document(tmp_path: Path) -> None:
    path = tmp_path / "county.json"
    school = {"id": "S1", "name": "一小", "stage": "primary", "area": "urban", "tier": "strong"}
    doc = {"schools": [{**school, "lat": 40, "lon": 120, "sports_area": True}]}
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    error = _refused(path)
    assert "column 'schools.sports_area'" in str(error) and "not true or false" in str(error)


def test_a_near_header_is_refused_with_the_column_meant(tmp_path: Path) -> None:
    folder = _schools(
        tmp_path / "c", ZH_HEAD + ",体育场馆面积", "S1,一小,小学,城区,优质,40,122,900,1"
    )
    error = _refused(folder)
    assert "体育运动场馆面积" in error.text("zh") and error.problems[0].column == "体育场馆面积"


def test_a_per_student_figure_is_never_taken_for_a_school_total(tmp_path: Path) -> None:
    """生均教学及辅助用房面积 is two characters from 教学及辅助用房面积: suggesting the total
    would invite a planner to rename a rate into it. It is an unused column instead."""
    folder = _schools(
        tmp_path / "c",
        ZH_HEAD + ",生均教学及辅助用房面积,每百名学生拥有网络多媒体教室数",
        "S1,一小,小学,城区,优质,40,122,900,5.1,2.5",
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        inst = load_instance(folder)
    assert inst.schools[0].teaching_area is None and inst.schools[0].multimedia_rooms is None
    unused = [str(w.message) for w in caught if issubclass(w.category, InputWarning)]
    assert any("生均教学及辅助用房面积" in m for m in unused), unused
    assert any("每百名学生拥有网络多媒体教室数" in m for m in unused), unused


@pytest.mark.parametrize("suffix", ["", ".xlsx", ".json"])
def test_the_columns_survive_every_format_and_chinese_headers(tmp_path: Path, suffix: str) -> None:
    demo = load_instance(INSTANCES / "demo-county")
    lang = "zh" if suffix == "" else "en"
    back = load_instance(save_instance(demo, tmp_path / f"demo{suffix}", lang=lang))
    assert [[getattr(s, f) for f in FACILITIES] for s in back.schools] == [
        [getattr(s, f) for f in FACILITIES] for s in demo.schools
    ]
    if suffix == "":
        header = (tmp_path / "demo" / "schools.csv").read_text(encoding="utf-8-sig").split("\n")[0]
        assert header.endswith(",".join(CHINESE[f] for f in FACILITIES))
