"""Readers: every format and encoding gives the same instance and the same plan."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from solver import load_instance, solve
from solver.errors import InputError
from solver.io import InputWarning
from solver.io.export import save_instance
from tests.conftest import INSTANCES


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
    from solver.county.distances import Distances

    d = Distances(load_instance(tmp_path))
    assert d.km("A", "B") == d.km("B", "A") == 7.5


def test_great_circle_from_coordinates() -> None:
    from solver.county.distances import haversine_km

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
