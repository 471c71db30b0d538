"""Every input is refused or accepted on purpose (issue "Trust"): numbers beyond a county,
nesting, policy types, rows given twice, distances that disagree, formulas never saved,
links to nowhere, unknown ids, registries that do not exist, batches of one name, and
generate over a folder holding files. Each refusal is one message naming the file, row and
column (or the flag), exit 2, in English and in Chinese."""

from __future__ import annotations

import csv
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import INSTANCES
from twinning.cli.main import app
from twinning.county.limits import LIMITS
from twinning.county.policy import Policy, parse_setting, with_settings
from twinning.errors import InputError
from twinning.io.readers import load_instance, read_instance
from twinning.messages import CATALOGUE

DEMO = INSTANCES / "demo-county"


def _county(tmp_path: Path, name: str = "county") -> Path:
    folder = tmp_path / name
    shutil.copytree(DEMO, folder)
    return folder


def _edit(path: Path, change: Callable[[list[list[str]]], None]) -> None:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    change(rows)
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def _set(folder: Path, table: str, column: str, value: str, row: int = 1) -> None:
    def change(rows: list[list[str]]) -> None:
        if column not in rows[0]:
            rows[0].append(column)
            for r in rows[1:]:
                r.append("")
        rows[row][rows[0].index(column)] = value

    _edit(folder / f"{table}.csv", change)


def _refused(path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        load_instance(path)
    return caught.value


def _cli(*args: str) -> tuple[int, str]:
    done = CliRunner().invoke(app, list(args))
    assert "Traceback" not in done.output
    return done.exit_code, done.output


# ---- numbers beyond what a county can hold ---------------------------------------------


@pytest.mark.parametrize(
    ("table", "column", "value", "said", "zh"),
    [
        ("schools", "students", "99999999999999999999", "at most 100000 students", "学生最多"),
        ("schools", "host_capacity", "99999999999999999999", "at most 100000 staff", "教职工最多"),
        ("schools", "helper_capacity", "1000000", "at most 100000 schools", "学校最多"),
        ("needs", "shortage", "1000000000", "at most 100000 staff", "教职工最多"),
        ("needs", "weekly_lessons", "100000", "at most 2000 lessons a week", "每周最多 2000 节"),
        ("staff", "weekly_load", "61", "at most 60 lessons a week", "每周最多 60 节"),
        ("staff", "years_at_school", "500", "at most 70 years", "最多 70 年"),
        ("staff", "age", "150", "at most 90 years of age", "年龄最多 90 岁"),
        ("staff", "merit", "-5000", "at most 1000 either way", "正负 1000"),
    ],
)
def test_a_number_beyond_a_county_is_refused_naming_its_cell(
    tmp_path: Path, table: str, column: str, value: str, said: str, zh: str
) -> None:
    county = _county(tmp_path)
    _set(county, table, column, value)
    error = _refused(county)
    assert len(error.problems) == 1
    line = str(error)
    assert line.startswith(f"{table}.csv, row 2, column '{column}': "), line
    assert said in line and repr(value) in line
    assert zh in error.text("zh") and "第2行" in error.text("zh")


def test_the_bound_itself_is_accepted(tmp_path: Path) -> None:
    county = _county(tmp_path)
    _set(county, "schools", "students", "100000")
    _set(county, "staff", "weekly_load", "60")
    inst = load_instance(county)
    assert inst.schools[0].students == 100_000 and inst.staff[0].weekly_load == 60


def test_distances_and_new_hires_beyond_a_county(tmp_path: Path) -> None:
    county = _county(tmp_path)
    (county / "distances.csv").write_text("from,to,km,minutes\nS0001,S0002,6000,\n")
    assert "at most 5000 km" in str(_refused(county))
    (county / "distances.csv").write_text("from,to,km,minutes\nS0001,S0002,6,2000\n")
    assert "at most 1440 minutes" in str(_refused(county))
    (county / "distances.csv").unlink()
    (county / "new_hires.csv").write_text("subject,stage,count\n语文,primary,99999999\n")
    error = _refused(county)
    assert "new_hires.csv, row 2, column 'count'" in str(error)
    assert "at most 1000000 staff" in str(error) and "超出一个县的规模" in error.text("zh")


def test_a_boolean_is_not_a_number_in_a_document(tmp_path: Path) -> None:
    path = tmp_path / "county.json"
    school = {"id": "S1", "name": "一小", "stage": "primary", "area": "urban", "tier": "strong"}
    doc = {"schools": [{**school, "lat": 40, "lon": 120, "students": True}]}
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    error = _refused(path)
    assert "column 'schools.students'" in str(error)
    assert "must be a number, not true or false" in str(error)
    assert "应为数字" in error.text("zh")


def test_every_limit_says_its_bound_in_both_languages() -> None:
    for name, limit in LIMITS.items():
        entry = CATALOGUE[limit.code]
        for lang in ("en", "zh"):
            assert "{limit}" in entry[lang], (name, lang)


@pytest.mark.parametrize(
    ("setting", "said"),
    [
        ("weights.pair_km=99999999999999999999", "a weight is at most 1000000000"),
        ("rotation.host_capacity=99999999999999999999", "at most 100000 staff"),
        ("alliances.groups=99999999999", "at most 100000 schools"),
        ('outreach.weeks="1-99999999"', "numbered at most 53"),
        ("rotation.max_km=6000", "at most 5000 km"),
        ("itinerant.max_km_per_day=inf", "finite"),
    ],
)
def test_a_policy_number_beyond_a_county_is_refused(setting: str, said: str) -> None:
    with pytest.raises(InputError) as caught:
        with_settings(Policy(), dict([parse_setting(setting)]))
    assert said in str(caught.value)


# ---- nesting -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        ("deep.json", "[" * 100_000 + "]" * 100_000, 1),
        ("deep-schools.json", '{\n"schools":\n' + "[" * 100_000 + "]" * 100_000 + "}", 3),
        ("deep.yaml", "schools: " + "[" * 100_000 + "]" * 100_000 + "\n", 1),
        ("deep-block.yaml", "schools:\n  " + "- " * 50_000 + "x\n", 2),
        ("self.yaml", "schools: &a [*a]\n", 1),
    ],
)
def test_a_document_nested_without_end_is_refused_before_parsing(
    tmp_path: Path, name: str, text: str, line: int
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    error = _refused(path)
    assert (
        str(error) == f"{name}, row {line}: nested deeper than 64 levels: not a twinning instance"
    )
    assert "嵌套超过 64 层" in error.text("zh")


def test_yaml_aliases_that_expand_without_end_are_refused(tmp_path: Path) -> None:
    lines = ["a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]"]
    for k, name in enumerate("bcdefgh"):
        prev = "abcdefgh"[k]
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    path = tmp_path / "laughs.yaml"
    path.write_text("\n".join(lines) + "\nschools: []\n", encoding="utf-8")
    error = _refused(path)
    assert "aliases (*name) expand to more than 1000000 values" in str(error)
    assert "别名" in error.text("zh")


def test_yaml_nested_within_bounds_with_an_alias_is_read(tmp_path: Path) -> None:
    path = tmp_path / "county.yaml"
    path.write_text(
        "stages: &s [primary]\n"
        "schools:\n"
        "  - {id: S1, name: 一小, stage: *s, area: urban, tier: strong, lat: 40, lon: 120}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:  # 'stages' is no table: read to the end
        load_instance(path)
    assert "unknown table 'stages'" in str(caught.value)


def test_policy_nested_without_end_is_refused(tmp_path: Path) -> None:
    county = _county(tmp_path)
    with (county / "policy.toml").open("a", encoding="utf-8") as fh:
        fh.write("# [[[[ brackets in a comment do not count\n")
        fh.write('[twinning]\nvetoed = [["[[[[", "S1"]]\n')
    load_instance(county)  # brackets in strings and comments do not count
    with (county / "policy.toml").open("a", encoding="utf-8") as fh:
        fh.write("[horizon]\nperiods = " + "[" * 5_000 + "]" * 5_000 + "\n")
    last = len((county / "policy.toml").read_text(encoding="utf-8").splitlines())
    error = _refused(county)
    assert str(error) == f"policy.toml, row {last}: nested deeper than 64 levels: not a " + (
        "twinning instance"
    )


def test_a_setting_nested_without_end_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        parse_setting("horizon.periods=" + "[" * 5_000 + "]" * 5_000)
    assert "--set horizon.periods" in str(caught.value)
    assert "nested deeper than 64 levels" in str(caught.value)


# ---- policy values strictly typed ------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "section", "said", "zh"),
    [
        ("rate = true", "rotation", "must be a number, not true or false", "应为数字"),
        ('rate = "0.1"', "rotation", "must be a number, not text", "不能是文字"),
        ("same_stage = 1", "twinning", "must be true or false", "应为 'true' 或 'false'"),
        ('same_stage = "yes"', "twinning", "must be true or false", "不能是数字或文字"),
        ("max_helped = true", "twinning", "must be a number, not true or false", "应为数字"),
    ],
)
def test_a_policy_value_of_another_type_is_refused(
    tmp_path: Path, line: str, section: str, said: str, zh: str
) -> None:
    county = _county(tmp_path)
    (county / "policy.toml").write_text(f"[{section}]\n{line}\n", encoding="utf-8")
    error = _refused(county)
    key = f"{section}.{line.split(' ')[0]}"
    assert str(error).startswith(f"policy.toml: key {key}: {said}"), str(error)
    assert zh in error.text("zh")


def test_an_int_is_a_float_and_a_whole_float_an_int(tmp_path: Path) -> None:
    county = _county(tmp_path)
    (county / "policy.toml").write_text(
        "[rotation]\nrate = 1\n[twinning]\nmax_helped = 2.0\n", encoding="utf-8"
    )
    policy = load_instance(county).policy
    assert policy.rotation.rate == 1.0 and isinstance(policy.rotation.rate, float)
    assert policy.twinning.max_helped == 2 and isinstance(policy.twinning.max_helped, int)


def test_set_is_typed_as_strictly_as_the_file() -> None:
    for text, said in (
        ("rotation.rate=true", "--set rotation.rate: must be a number, not true or false"),
        ("twinning.same_stage=1", "--set twinning.same_stage: must be true or false"),
        ("rotation.rate=abc", "--set rotation.rate: must be a number, not text"),
    ):
        with pytest.raises(InputError) as caught:
            with_settings(Policy(), dict([parse_setting(text)]))
        assert str(caught.value).startswith(said), str(caught.value)
    ok = with_settings(Policy(), dict([parse_setting("rotation.rate=1")]))
    assert ok.rotation.rate == 1.0
    code, out = _cli("solve", str(DEMO), "--set", "rotation.rate=true", "-o", "/nonexistent/x")
    assert code == 2 and "must be a number, not true or false" in out


# ---- rows given twice --------------------------------------------------------------------


def _append_copy(path: Path, at: int = 1) -> None:
    _edit(path, lambda rows: rows.append(list(rows[at])))


@pytest.mark.parametrize(
    ("table", "said"),
    [
        (
            "needs",
            "needs.csv, row 200, column 'school': given twice: row 2 has the same "
            "school, subject, period",
        ),
        ("history", "history.csv, row 29, column 'kind': given twice: row 2 is the same"),
        ("schools", "schools.csv, row 32, column 'id': duplicate school id (row 2 has it too)"),
        ("staff", "staff.csv, row 602, column 'id': duplicate staff id (row 2 has it too)"),
    ],
)
def test_a_row_given_twice_is_refused_naming_both_rows(
    tmp_path: Path, table: str, said: str
) -> None:
    county = _county(tmp_path)
    _append_copy(county / f"{table}.csv")
    error = _refused(county)
    assert str(error).startswith(said), str(error)
    assert "第2行" in error.text("zh")


def test_rows_given_twice_in_the_optional_tables(tmp_path: Path) -> None:
    county = _county(tmp_path)
    (county / "distances.csv").write_text(
        "from,to,km\nS0001,S0002,3\nS0003,S0004,5\nS0001,S0002,4\n"
    )
    error = _refused(county)
    assert str(error).startswith(
        "distances.csv, row 4, column 'from': given twice: row 2 has the same from, to"
    )
    (county / "distances.csv").unlink()
    (county / "new_hires.csv").write_text("subject,stage,count\n语文,primary,2\n语文,小学,3\n")
    error = _refused(county)
    assert str(error).startswith("new_hires.csv, row 3, column 'subject': given twice: row 2")
    (county / "new_hires.csv").unlink()
    (county / "fixed.csv").write_text(
        "kind,period,staff,from_school,to_school\npair,,,S0022,S0014\npair,,,S0022,S0014\n"
    )
    assert str(_refused(county)).startswith("fixed.csv, row 3, column 'kind': given twice")


def test_a_row_given_twice_in_chinese_names_the_columns_as_written(tmp_path: Path) -> None:
    county = tmp_path / "县"
    county.mkdir()
    (county / "学校.csv").write_text(
        "学校代码,学校名称,学段,城乡类型,办学水平,纬度,经度\n"
        "S1,一小,小学,城区,优质,40,120\nS2,二小,小学,乡村,薄弱,40.1,120\n",
        encoding="utf-8",
    )
    (county / "学科需求.csv").write_text(
        "学校代码,学科,缺口人数\nS2,语文,1\nS2,语文,2\n", encoding="utf-8"
    )
    error = _refused(county)
    assert (
        error.text()
        == "学科需求.csv，第3行，'学校代码'列：重复：第2行的学校代码、学科、学期与此行相同"
    )


# ---- distances that disagree by direction ------------------------------------------------


def test_distances_that_disagree_or_lead_to_the_same_school(tmp_path: Path) -> None:
    county = _county(tmp_path)
    (county / "distances.csv").write_text("from,to,km\nS0001,S0002,3\nS0002,S0001,50\n")
    error = _refused(county)
    assert str(error) == (
        "distances.csv, row 3, column 'km': 50 km, but row 2 gives 3 km the other way (the "
        "two directions may differ by 0.5 km or 1%, whichever is more) (value '50.0')"
    )
    assert "第2行的反方向为 3 公里" in error.text("zh")
    (county / "distances.csv").write_text("from,to,km\nS0001,S0001,4\n")
    error = _refused(county)
    assert "distances.csv, row 2, column 'to': a school's distance to itself" in str(error)
    assert "学校到其自身的距离" in error.text("zh")
    # rounding: 0.5 km, or 1% of the longer, either way
    (county / "distances.csv").write_text(
        "from,to,km\nS0001,S0002,3.2\nS0002,S0001,3.6\nS0003,S0004,200\nS0004,S0003,201.9\n"
    )
    assert len(load_instance(county).distances) == 4


# ---- Excel formulas never saved ----------------------------------------------------------


def _workbook(path: Path, formula_cell: str | None) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "schools"
    sheet.append(["id", "name", "stage", "area", "tier", "lat", "lon", "students"])
    sheet.append(["S1", "一小", "primary", "urban", "strong", 40.0, 120.0, 500])
    sheet.append(["S2", "二小", "primary", "rural", "weak", 40.1, 120.0, 80])
    if formula_cell:
        sheet[formula_cell] = "=400+100"  # openpyxl saves no value for it: never computed
    book.save(path)


def test_a_formula_never_saved_is_refused_naming_its_cell(tmp_path: Path) -> None:
    path = tmp_path / "county.xlsx"
    _workbook(path, "H2")
    error = _refused(path)
    assert str(error) == (
        "county.xlsx [schools], row 2, column 'students': cell H2 holds a formula (=400+100) "
        "whose value was never saved: open the workbook in Excel or WPS and save it, or type "
        "the value"
    )
    assert "单元格 H2 是公式" in error.text("zh")


def test_a_formula_with_its_saved_value_is_read(tmp_path: Path) -> None:
    import zipfile

    plain = tmp_path / "plain.xlsx"
    _workbook(plain, "H2")
    saved = tmp_path / "saved.xlsx"  # as Excel saves it: the formula and its value
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(saved, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = data.replace(b"<f>400+100</f><v />", b"<f>400+100</f><v>500</v>")
                data = data.replace(b"<f>400+100</f><v></v>", b"<f>400+100</f><v>500</v>")
            zout.writestr(item, data)
    assert load_instance(saved).schools[0].students == 500


# ---- links to nowhere --------------------------------------------------------------------


@pytest.mark.parametrize("name", ["staff.csv", "policy.toml"])
def test_a_link_to_nowhere_is_refused_not_read_as_absent(tmp_path: Path, name: str) -> None:
    county = _county(tmp_path)
    (county / name).unlink()
    os.symlink(tmp_path / "gone" / name, county / name)
    error = _refused(county)
    assert str(error) == f"{name}: a link to {tmp_path / 'gone' / name}, which does not exist"
    assert "链接的目标不存在" in error.text("zh")
    (county / name).unlink()
    os.symlink(name, county / name)  # a loop
    error = _refused(county)
    assert str(error) == f"{name}: a link that leads back to itself (a loop of links)"
    assert "循环链接" in error.text("zh")


def test_an_instance_that_is_a_link_loop_is_refused(tmp_path: Path) -> None:
    os.symlink(tmp_path / "loop", tmp_path / "loop")
    assert "a loop of links" in str(_refused(tmp_path / "loop"))


# ---- unknown ids -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("plan")
    code, said = _cli("solve", str(DEMO), "-o", str(out), "--parts", "pairs", "--format", "json")
    assert code == 0, said
    return out / "plan.json"


def test_explain_refuses_unknown_staff_and_school_with_a_did_you_mean(demo_plan: Path) -> None:
    code, out = _cli("explain", str(DEMO), str(demo_plan), "--staff", "NOPE")
    assert code == 2 and "--staff NOPE: no such staff in the instance" in out
    code, out = _cli("explain", str(DEMO), str(demo_plan), "--staff", "t000001", "--lang", "zh")
    assert code == 2 and "--staff t000001：实例中没有该教职工；是否应为 T000001？" in out
    code, out = _cli("explain", str(DEMO), str(demo_plan), "--school", "S0O01")
    assert code == 2 and "--school S0O01: no such school in the instance; did you mean" in out
    code, out = _cli("explain", str(DEMO), str(demo_plan), "--school", "s0001")
    assert code == 2 and "did you mean S0001?" in out
    code, out = _cli("explain", str(DEMO), str(demo_plan), "--staff", "T000001")
    assert code == 0, out


def test_history_refuses_an_unknown_county_listing_the_known(
    demo_plan: Path, tmp_path: Path
) -> None:
    registry = str(tmp_path / "registry.db")
    code, out = _cli("adopt", str(DEMO), str(demo_plan), "--registry", registry, "--partial")
    assert code == 0, out
    code, out = _cli("history", "--registry", registry, "--county", "nope", "-o", str(tmp_path))
    assert code == 2
    assert "--county nope: no such county in the registry (it holds demo-county)" in out
    assert not (tmp_path / "history.csv").exists()
    code, out = _cli("history", "--registry", registry, "--county", "demo-countty", "--lang", "zh",
                     "-o", str(tmp_path))  # fmt: skip
    assert code == 2 and "是否应为 demo-county？" in out


# ---- registries that do not exist --------------------------------------------------------


def test_a_registry_in_memory_is_refused(demo_plan: Path) -> None:
    for url in ("sqlite://", "sqlite:///:memory:"):
        code, out = _cli("adopt", str(DEMO), str(demo_plan), "--registry", url, "--partial")
        assert code == 2 and "a database in memory keeps nothing" in out, out


def test_reading_a_missing_registry_is_exit_2_and_creates_nothing(
    demo_plan: Path, tmp_path: Path
) -> None:
    missing = tmp_path / "registry.db"
    for args in (
        ["history", "--registry", str(missing), "-o", str(tmp_path / "h")],
        ["solve", str(DEMO), "--registry", str(missing), "-o", str(tmp_path / "s")],
        ["explain", str(DEMO), str(demo_plan), "--registry", str(missing)],
        ["batch", str(DEMO), "--registry", str(missing), "-o", str(tmp_path / "b")],
    ):
        code, out = _cli(*args)
        assert code == 2, (args, out)
        assert f"registry {missing}: no such file (nothing was created)" in out
        assert not missing.exists(), args
    assert list(tmp_path.iterdir()) == []
    code, out = _cli("adopt", str(DEMO), str(demo_plan), "--registry", str(missing), "--partial")
    assert code == 0 and missing.exists(), out  # adopting starts a registry


# ---- batch -------------------------------------------------------------------------------


def test_a_batch_of_two_instances_of_one_name_keeps_both(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    _county(a)
    _county(b)
    out = tmp_path / "out"
    code, said = _cli(
        "batch", str(a / "county"), str(b / "county"), "-o", str(out), "--parts", "pairs",
        "--format", "json", "--jobs", "1",
    )  # fmt: skip
    assert code == 0, said
    assert sorted(p.name for p in out.iterdir()) == ["county", "county-2", "summary.csv"]
    with (out / "summary.csv").open(encoding="utf-8-sig") as fh:
        assert [r["instance"] for r in csv.DictReader(fh)] == ["county", "county-2"]


def test_a_link_loop_in_a_batch_is_one_error_row(tmp_path: Path) -> None:
    os.symlink(tmp_path / "loop", tmp_path / "loop")
    out = tmp_path / "out"
    code, said = _cli(
        "batch", str(tmp_path / "loop"), str(DEMO), "-o", str(out), "--parts", "pairs",
        "--format", "json", "--jobs", "1",
    )  # fmt: skip
    assert code == 1, said
    with (out / "summary.csv").open(encoding="utf-8-sig") as fh:
        rows = {r["instance"]: r for r in csv.DictReader(fh)}
    assert "a loop of links" in rows["loop"]["error"]
    assert rows["demo-county"]["status"] == "optimal"


# ---- generate ----------------------------------------------------------------------------


def test_generate_refuses_a_folder_holding_files(tmp_path: Path) -> None:
    county = _county(tmp_path)
    before = {p.name: p.read_bytes() for p in county.iterdir()}
    code, out = _cli("generate", "--schools", "5", "--staff", "40", "-o", str(county))
    assert code == 2 and "the folder holds files" in out and "nothing was written" in out
    assert {p.name: p.read_bytes() for p in county.iterdir()} == before
    code, out = _cli("generate", "--schools", "5", "--staff", "40", "-o", str(county), "--lang",
                     "zh")  # fmt: skip
    assert code == 2 and "该文件夹中已有文件" in out
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out = _cli("generate", "--schools", "5", "--staff", "40", "-o", str(empty))
    assert code == 0 and (empty / "schools.csv").exists(), out


def test_read_instance_names_each_source(tmp_path: Path) -> None:
    """The sources say the file's own row number and header of a row (a pair's other row)."""
    county = _county(tmp_path)
    _inst, sources = read_instance(county)
    assert sources.row("needs", 0) == 2 and sources.column("needs", "school") == "school"


def test_more_alliances_than_schools_is_the_planners_to_mend(tmp_path: Path) -> None:
    args = ["solve", str(DEMO), "--parts", "alliances", "-o", str(tmp_path / "out")]
    code, out = _cli(*args, "--set", "alliances.groups=50")
    assert code == 2 and "alliances.groups is 50, more than the 30 schools" in out
    assert not (tmp_path / "out").exists()


def test_a_policy_beside_a_document_that_links_nowhere_is_refused(tmp_path: Path) -> None:
    school = {"id": "S1", "name": "一小", "stage": "primary", "area": "urban", "tier": "strong"}
    doc = {"schools": [{**school, "lat": 40, "lon": 120}]}
    (tmp_path / "county.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    load_instance(tmp_path / "county.json")
    os.symlink(tmp_path / "gone.toml", tmp_path / "policy.toml")
    assert "policy.toml: a link to" in str(_refused(tmp_path / "county.json"))
