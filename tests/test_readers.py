"""Readers: every format and encoding gives the same instance and the same plan."""

from __future__ import annotations

import ast
import json
import re
import shutil
import string
import warnings
from pathlib import Path

import pytest

from tests.conftest import INSTANCES, ROOT
from twinning import load_instance, solve
from twinning.errors import InputError
from twinning.io.export import save_instance
from twinning.io.headers import near_header
from twinning.io.readers import InputWarning, _has_merged_cells, read_instance
from twinning.messages import CATALOGUE, msg, render


@pytest.fixture(scope="module")
def demo():  # type: ignore[no-untyped-def]
    return load_instance(INSTANCES / "demo-county")


def same_tables(a, b) -> bool:  # type: ignore[no-untyped-def]
    return all(
        getattr(a, t) == getattr(b, t)
        for t in ("schools", "staff", "needs", "history", "distances", "fixed", "policy")
    )


def test_excel_china_csv_gb18030_chinese_headers_crlf(demo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = save_instance(demo, tmp_path / "demo", encoding="gb18030", lang="zh", newline="\r\n")
    raw = (folder / "schools.csv").read_bytes()
    assert b"\r\n" in raw and "学校代码".encode("gb18030") in raw
    assert "城区".encode("gb18030") in raw  # Chinese enum values too
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert same_tables(load_instance(folder), demo)


def test_utf8_with_bom(demo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = save_instance(demo, tmp_path / "demo", encoding="utf-8-sig")
    assert (folder / "schools.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert same_tables(load_instance(folder), demo)


@pytest.mark.parametrize("suffix", [".xlsx", ".json", ".yaml"])
def test_other_formats_read_back_equal(demo, tmp_path: Path, suffix: str) -> None:  # type: ignore[no-untyped-def]
    path = save_instance(demo, tmp_path / f"demo{suffix}")
    assert same_tables(load_instance(path), demo)


def test_same_plan_from_every_format(demo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    paths = [
        save_instance(
            demo, tmp_path / "csv" / "demo", encoding="gb18030", lang="zh", newline="\r\n"
        ),
        save_instance(demo, tmp_path / "demo.xlsx"),
        save_instance(demo, tmp_path / "demo.json"),
    ]
    plans = {solve(load_instance(p), "pairs").plan.to_json() for p in paths}
    assert len(plans) == 1


def test_policy_in_excel_sheet_and_toml(tmp_path: Path, demo) -> None:  # type: ignore[no-untyped-def]
    changed = demo.model_copy(
        update={
            "policy": demo.policy.model_copy(
                update={
                    "twinning": demo.policy.twinning.model_copy(
                        update={"max_km": 12.5, "min_helped": 0}
                    )
                }
            )
        }
    )
    for path in (
        save_instance(changed, tmp_path / "p.xlsx"),
        save_instance(changed, tmp_path / "f"),
    ):
        policy = load_instance(path).policy
        assert policy.twinning.max_km == 12.5 and policy.twinning.min_helped == 0


def test_distances_given_one_direction_serve_both(tmp_path: Path) -> None:
    (tmp_path / "schools.csv").write_text(
        "id,name,stage,area,tier\nA,甲,primary,urban,strong\nB,乙,primary,rural,weak\n",
        encoding="utf-8",
    )
    (tmp_path / "distances.csv").write_text("from,to,km\nA,B,7.5\n", encoding="utf-8")
    from twinning.county.distances import Distances

    d = Distances(load_instance(tmp_path))
    assert d.km("A", "B") == d.km("B", "A") == 7.5


def test_great_circle_from_coordinates() -> None:
    from twinning.county.distances import haversine_km

    # Beijing to Shanghai, about 1,067 km in a straight line.
    assert haversine_km(39.9042, 116.4074, 31.2304, 121.4737) == pytest.approx(1067, abs=5)


def test_unknown_column_is_a_warning_not_an_error(tmp_path: Path) -> None:
    (tmp_path / "schools.csv").write_text(
        "id,name,stage,area,tier,lat,lon,校长电话\nA,甲,小学,城区,优质,40,120,123\n",
        encoding="utf-8",
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        inst = load_instance(tmp_path)
    assert inst.schools[0].stage == ("primary",)
    assert any(
        issubclass(w.category, InputWarning) and "校长电话" in str(w.message) for w in caught
    )


def test_inputs_are_never_modified(tmp_path: Path, demo) -> None:  # type: ignore[no-untyped-def]
    folder = save_instance(demo, tmp_path / "d")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    solve(load_instance(folder), "pairs")
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_error_names_file_row_and_column() -> None:
    with pytest.raises(InputError) as err:
        load_instance(INSTANCES / "invalid" / "negative-students")
    problem = err.value.problems[0]
    assert (problem.file, problem.row, problem.column) == ("schools.csv", 3, "students")


# ---- files as Excel and WPS write them ----------------------------------------------------

QUIRKS = ROOT / "tests" / "data" / "quirks"

#: Each quirky file (see tests/data/quirks/make_quirks.py) and what it holds.
QUIRKY = {
    "utf16-tab": "UTF-16 with BOM, tab-separated (Excel 'Unicode text')",
    "utf16-comma": "UTF-16 with BOM, comma-separated",
    "blank-rows": "blank rows above the header",
    "blank-rows.xlsx": "blank rows above the header",
    "title-row": "a title row above the header",
    "title-row.xlsx": "a title merged across the columns above the header",
    "thousands": "2,134 / 1，580 / 1 205 in an integer column",
    "merged-cells.xlsx": "a school code merged down its staff rows",
}


@pytest.fixture(scope="module")
def clean():  # type: ignore[no-untyped-def]
    return load_instance(QUIRKS / "clean")


def test_every_quirky_file_is_listed() -> None:
    found = {p.name for p in QUIRKS.iterdir() if p.name not in ("clean", "make_quirks.py")}
    assert found == set(QUIRKY)


@pytest.mark.parametrize("name", sorted(QUIRKY))
def test_quirk_reads_as_the_clean_file(clean, name: str) -> None:  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputWarning)
        inst = load_instance(QUIRKS / name)
    assert same_tables(inst, clean), QUIRKY[name]
    assert inst.lang == "zh"


@pytest.mark.parametrize(
    ("name", "rows"),
    [
        ("title-row", [3, 4, 5, 6]),
        ("blank-rows", [4, 5, 6, 7]),
        ("title-row.xlsx", [3, 4, 5, 6]),  # loaded whole: it has a merge
        ("blank-rows.xlsx", [4, 5, 6, 7]),  # read-only
    ],
)
def test_rows_above_the_header_keep_the_files_row_numbers(name: str, rows: list[int]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputWarning)
        _, sources = read_instance(QUIRKS / name)
    assert sources.tables["schools"].row_numbers == rows


def test_merged_cells_are_filled_with_a_warning_naming_the_range() -> None:
    for lang, expected in (
        ("en", "merged-cells.xlsx [staff]: merged cells C2:C4 filled with 'S0001'"),
        ("zh", "merged-cells.xlsx [staff]：合并单元格 C2:C4 已逐格填入 'S0001'"),
    ):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            load_instance(QUIRKS / "merged-cells.xlsx", lang=lang)  # type: ignore[arg-type]
        said = [str(w.message) for w in caught if issubclass(w.category, InputWarning)]
        assert expected in said
        assert any("C6:C7" in m and "'S0003'" in m for m in said)


def test_title_merges_are_not_data() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        load_instance(QUIRKS / "title-row.xlsx")
    assert not [w for w in caught if issubclass(w.category, InputWarning)]


def test_only_workbooks_with_merges_are_loaded_whole() -> None:
    assert _has_merged_cells(QUIRKS / "merged-cells.xlsx")
    assert not _has_merged_cells(QUIRKS / "blank-rows.xlsx")
    assert not _has_merged_cells(INSTANCES / "invalid" / "truncated.json")


@pytest.mark.parametrize(
    ("table", "header", "meant"),
    [
        ("staff", "骨干等级", "骨干级别"),
        ("schools", "学校编码", "学校代码"),
        ("staff", "学校编号", "学校代码"),
        ("staff", "教职工号", "工号"),
        ("staff", "职工号", "工号"),
        ("staff", "岗位类别", "岗位"),
        ("staff", "年龄(岁)", "年龄"),
        ("staff", "年龄（岁）", "年龄"),
        ("schools", "学生人数", "学生数"),
        ("schools", "学校代码*", "学校代码"),
        ("staff", "years_at_schol", "years_at_school"),
        ("staff", "Years At School", "years_at_school"),
        ("schools", "longitude", "lon"),
        ("schools", "校长电话", None),
        ("staff", "学校名称", None),
        ("staff", "年级", None),
        ("schools", "办学性质", None),
        ("schools", "phone", None),
    ],
)
def test_near_miss_headers(table: str, header: str, meant: str | None) -> None:
    assert near_header(table, header) == meant


def test_near_miss_of_a_column_given_stays_a_warning(tmp_path: Path) -> None:
    # 学校编号 beside 学校代码 is another number, not a misspelt 学校代码.
    (tmp_path / "schools.csv").write_text(
        "学校代码,学校编号,学校名称,学段,城乡类型,办学水平,纬度,经度\n"
        "S1,0101,城关一小,小学,城区,优质,40,120\n",
        encoding="utf-8",
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        inst = load_instance(tmp_path)
    assert inst.schools[0].id == "S1"
    assert any("学校编号" in str(w.message) for w in caught)


def test_every_near_miss_is_reported_at_once(tmp_path: Path) -> None:
    (tmp_path / "schools.csv").write_text(
        "学校编码,学校名称,学段,城乡类型,办学层次,纬度,经度\nS1,城关一小,小学,城区,优质,40,120\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        load_instance(tmp_path)
    assert [(p.column, p.row) for p in err.value.problems] == [("学校编码", 1), ("办学层次", 1)]
    assert "是否应为 '办学水平'" in str(err.value)


# ---- messages in the planner's language ---------------------------------------------------

CHINESE_SCHOOLS = "学校代码,学校名称,学段,城乡类型,办学水平,纬度,经度,学生数,可任牵头校\n"


@pytest.mark.parametrize(
    ("row", "column", "said"),
    [
        ("S1,一小,小学,城区,优质,40,120,-5,是", "学生数", "应大于或等于 0"),  # greater_than_equal
        ("S1,一小,小学,城区,优质,140,120,5,是", "纬度", "应小于或等于 90"),  # less_than_equal
        ("S1,一小,小学,城区,优质,40,120,很多,是", "学生数", "应为整数"),  # int_parsing
        ("S1,一小,小学,城区,优质,40,120,12.5,是", "学生数", "应为整数"),  # int_parsing
        ("S1,一小,小学,城区,优质,北,120,5,是", "纬度", "应为数字"),  # float_parsing
        ("S1,一小,大学,城区,优质,40,120,5,是", "学段", "'小学'、'初中'"),  # literal_error
        ("S1,一小,小学,郊区,优质,40,120,5,是", "城乡类型", "'城区'、'镇区' 或 '乡村'"),
        ("S1,,小学,城区,优质,40,120,5,是", "学校名称", "必填"),  # missing
        ("S1,一小,；,城区,优质,40,120,5,是", "学段", "至少需要 1 项"),  # too_short
        ("S1,一小,小学,城区,优质,40,120,5,也许", "可任牵头校", "应为 是 或 否"),  # bool_parsing
    ],
)
def test_chinese_headers_give_chinese_messages(
    tmp_path: Path, row: str, column: str, said: str
) -> None:
    (tmp_path / "schools.csv").write_text(CHINESE_SCHOOLS + row + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_instance(tmp_path)
    problem = err.value.problems[0]
    assert (problem.file, problem.row, problem.column, problem.lang) == (
        "schools.csv",
        2,
        column,
        "zh",
    )
    assert said in problem.message
    assert "Input" not in problem.message and "should" not in problem.message
    assert str(problem).startswith(f"schools.csv，第2行，'{column}'列：")


def test_missing_column_named_as_the_planner_knows_it(tmp_path: Path) -> None:
    folder = INSTANCES / "invalid" / "missing-column-chinese"
    with pytest.raises(InputError) as err:
        load_instance(folder)
    assert str(err.value) == "schools.csv，第1行，'办学水平'列：缺少必填列 '办学水平'"
    # Asked for English, the message is English but the column keeps the file's name.
    with pytest.raises(InputError) as err:
        load_instance(folder, lang="en")
    assert (
        str(err.value)
        == "schools.csv, row 1, column '办学水平': missing required column '办学水平'"
    )


def test_lang_option_overrides_the_headers() -> None:
    with pytest.raises(InputError) as err:
        load_instance(INSTANCES / "invalid" / "negative-students", lang="zh")
    assert str(err.value) == "schools.csv，第3行，'students'列：应大于或等于 0（值 '-5'）"
    with pytest.raises(InputError) as err:
        load_instance(INSTANCES / "invalid" / "negative-students-chinese", lang="en")
    assert "Input should be greater than or equal to 0" in str(err.value)
    assert "'学生数'" in str(err.value)


def test_english_messages_are_unchanged() -> None:
    with pytest.raises(InputError) as err:
        load_instance(INSTANCES / "invalid" / "unknown-area")
    assert str(err.value) == (
        "schools.csv, row 3, column 'area': unknown value; "
        "input should be 'urban', 'town' or 'rural' (value 'suburb')"
    )


def test_instance_speaks_the_language_of_its_headers(clean, demo) -> None:  # type: ignore[no-untyped-def]
    assert (clean.lang, demo.lang) == ("zh", "en")
    assert load_instance(INSTANCES / "demo-county", lang="zh").lang == "zh"


def test_policy_problems_in_chinese(tmp_path: Path) -> None:
    shutil.copy(QUIRKS / "clean" / "schools.csv", tmp_path / "schools.csv")
    (tmp_path / "policy.toml").write_text("[rotation]\nrate = 1.5\nspeed = 3\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_instance(tmp_path)
    assert str(err.value).splitlines() == [
        "policy.toml：参数 rotation.rate：应小于或等于 1（值 '1.5'）",
        "policy.toml：参数 rotation.speed：未知的政策参数（值 '3'）",
    ]


#: The modules whose messages are the input's (readers, checks, policy, output folder).
INPUT_MODULES = [
    "solver/errors.py",
    "solver/io/readers.py",
    "solver/io/headers.py",
    "solver/io/files.py",
    "solver/io/export.py",
    "solver/planfile.py",
    "solver/county/instance.py",
    "solver/county/policy.py",
]

#: What may stay Latin in a Chinese message: file formats and encodings, file names and
#: suffixes, policy keys (rotation.rate), keys in quotes ('schools', 'key'), ids.
ALLOWED_LATIN = re.compile(
    r"\b(?:CSV|JSON|TOML|YAML|Excel|WPS|UTF-8|UTF-16|GB18030)\b"
    r"|[\w-]*\.(?:csv|json|toml|xlsx|yaml)\b|(?<!\w)\.(?:xlsx?|json|yaml)\b"
    r"|\b[a-z_]+(?:\.[a-z_{}]+)+\b"
    r"|'[a-z_]+'"
    r"|\b[A-Z]+\d+\b"
)
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def _codes_written() -> set[str]:
    """Every input message code the input's modules write."""
    found: set[str] = set()
    for name in INPUT_MODULES:
        tree = ast.parse((ROOT / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and re.fullmatch(r"input\.[a-z_]+(?:\.[a-z_]+)*", node.value)
            ):
                found.add(node.value)
    return found


def test_every_input_message_has_a_chinese_rendering() -> None:
    written = _codes_written()
    assert len(written) > 60
    assert written <= set(CATALOGUE), sorted(written - set(CATALOGUE))
    for code in written:
        assert set(CATALOGUE[code]) == {"en", "zh"}, code


def _sample(code: str) -> dict[str, object]:
    """Parameters for every field of a code's template: ids, numbers, lists, a message."""
    params: dict[str, object] = {}
    for _, name, spec, _ in string.Formatter().parse(CATALOGUE[code]["en"]):
        if not name:
            continue
        if spec == "msg":
            params[name] = msg("input.check.unknown_school")
        elif spec and spec.startswith("list"):
            params[name] = ["primary"] if "stage" in spec else ["S0001", "S0002"]
        elif name in ("row", "line", "col", "n", "limit", "version", "known", "ge", "le"):
            params[name] = 3
        else:
            params[name] = "S0001"
    return params


@pytest.mark.parametrize("code", sorted(c for c in CATALOGUE if c.startswith("input.")))
def test_an_input_message_in_chinese_has_no_english_word(code: str) -> None:
    chinese = render(msg(code, **_sample(code)), "zh")
    left = LATIN_WORD.findall(ALLOWED_LATIN.sub("", chinese))
    assert not left, (code, chinese)
    assert render(msg(code, **_sample(code)), "en")  # renders, never raises


def test_pydantic_errors_are_said_from_their_type_in_both_languages(tmp_path: Path) -> None:
    (tmp_path / "schools.csv").write_text(
        "id,name,stage,area,tier,lat,lon,students\nS1,一小,primary,urban,strong,40,120,-5\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        load_instance(tmp_path)
    problem = err.value.problems[0]
    assert problem.msg.code == "input.pydantic.greater_than_equal"
    assert problem.msg.params == {"ge": 0}
    assert problem.text("en") == (
        "schools.csv, row 2, column 'students': Input should be greater than or equal to 0 "
        "(value '-5')"
    )
    assert problem.text("zh") == "schools.csv，第2行，'students'列：应大于或等于 0（值 '-5'）"
    # the error as a whole, in either language, whatever the files' language
    assert err.value.text("zh").startswith("schools.csv，第2行")


def test_a_problem_keeps_its_message_as_data() -> None:
    from twinning.errors import InputProblem

    p = InputProblem("staff.csv", msg("input.check.unknown_school"), 3, "school", "S9", "zh")
    assert str(p) == "staff.csv，第3行，'school'列：没有这所学校（值 'S9'）"
    assert p.text("en") == "staff.csv, row 3, column 'school': unknown school (value 'S9')"
    assert p.message == "没有这所学校"
    assert InputError([p] * 25).text("en").splitlines()[-1] == "... and 5 more problems"
    assert InputError([p] * 25).text("zh").splitlines()[-1] == "……另有 5 个问题"


def test_a_policy_validator_speaks_chinese(tmp_path: Path) -> None:
    shutil.copy(QUIRKS / "clean" / "schools.csv", tmp_path / "schools.csv")
    (tmp_path / "policy.toml").write_text(
        "[rotation]\nmin_periods = 3\nmax_periods = 2\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as err:
        load_instance(tmp_path)
    assert str(err.value) == (
        "policy.toml：参数 rotation：rotation.max_periods 不能小于 rotation.min_periods"
    )
    assert err.value.text("en") == (
        "policy.toml: key rotation: rotation.max_periods must be >= rotation.min_periods"
    )


def test_a_setting_is_refused_in_the_countys_language() -> None:
    from twinning.county.instance import with_policy
    from twinning.county.policy import SettingError

    clean = load_instance(QUIRKS / "clean")
    with pytest.raises(SettingError) as err:
        with_policy(clean, {"rotation.rat": 0.1})
    said = str(err.value)
    assert said.startswith("--set rotation.rat：没有参数 'rat'；rotation 下有：")
    with pytest.raises(SettingError) as err:
        with_policy(clean, {"rotation.rate": 2})
    assert str(err.value) == "--set rotation.rate：应小于或等于 1"
    assert isinstance(err.value, ValueError) and isinstance(err.value, InputError)


def test_a_warning_is_said_in_either_language(tmp_path: Path) -> None:
    (tmp_path / "schools.csv").write_text(
        "学校代码,学校名称,学段,城乡类型,办学水平,纬度,经度,校长电话\n"
        "S1,城关一小,小学,城区,优质,40,120,123\n",
        encoding="utf-8",
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        load_instance(tmp_path)
    (w,) = [w.message for w in caught if isinstance(w.message, InputWarning)]
    assert str(w) == "schools.csv：列 '校长电话' 无法识别，已忽略"
    assert w.text("en") == "schools.csv: column '校长电话' is not used (unknown column)"
    assert w.msg.code == "input.unused_column"


def test_a_foreign_output_folder_is_refused_in_either_language(tmp_path: Path) -> None:
    from twinning.io.files import ForeignFolderError, NotAFolderError, check_output_folder

    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(ForeignFolderError) as err:
        check_output_folder(tmp_path, lang="zh")
    assert isinstance(err.value, FileExistsError)
    assert str(err.value).endswith("请另选一个新的或空的文件夹")
    assert err.value.text("en").endswith("choose a new or empty folder")
    with pytest.raises(NotAFolderError) as bad:
        check_output_folder(tmp_path / "notes.txt")
    assert isinstance(bad.value, NotADirectoryError)
    assert str(bad.value).endswith("notes.txt: is a file, not a folder")


def test_a_json_syntax_error_is_said_in_chinese(tmp_path: Path) -> None:
    (tmp_path / "c.json").write_text('{"schools": [}', encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_instance(tmp_path / "c.json", lang="zh")
    assert str(err.value) == "c.json，第1行：不是有效的 JSON 文件：此处缺少取值（第1行，第14列）"
    assert err.value.text("en") == (
        "c.json, row 1: not valid JSON: Expecting value (line 1, column 14)"
    )


def test_json_with_chinese_keys_speaks_chinese(tmp_path: Path) -> None:
    row = {"学校代码": "S1", "学校名称": "一小", "学段": "小学", "城乡类型": "城区"}
    doc = {"schools": [{**row, "办学水平": "优质", "纬度": 40, "经度": 120, "学生数": 12.5}]}
    (tmp_path / "c.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_instance(tmp_path / "c.json")
    assert "应为整数，不能有小数部分" in str(err.value)  # int_from_float


def test_a_toml_or_yaml_syntax_error_is_said_in_chinese(tmp_path: Path) -> None:
    shutil.copy(QUIRKS / "clean" / "schools.csv", tmp_path / "schools.csv")
    (tmp_path / "policy.toml").write_text("[rotation]\nscope = county\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_instance(tmp_path)
    assert str(err.value) == (
        "policy.toml，第2行：不是有效的 TOML 文件：取值无效（文字须用英文双引号括起）"
        "（第2行，第9列）"
    )
    assert err.value.text("en").startswith("policy.toml, row 2: not valid TOML: Invalid value")
    (tmp_path / "c.yaml").write_text("schools:\n\t- id: S1\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_instance(tmp_path / "c.yaml", lang="zh")
    assert str(err.value) == (
        "c.yaml，第2行：不是有效的 YAML 文件：含有制表符（缩进须用空格）（第2行，第1列）"
    )
