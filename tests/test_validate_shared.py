"""What makes validate fast must not change what it finds: the figures the checks share
within one plan's check, the plan's own checks read column by column, the nesting depth
counted with numpy, the finite check of the JSON parser, the collector paused.
"""

from __future__ import annotations

import gc
import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import INSTANCES
from twinning import load_instance, solve, validate
from twinning.check.plan import NAMED, check_duplicates, check_known, known_plan
from twinning.check.shared import once, sharing, staff_by_id
from twinning.collector import paused
from twinning.county.instance import Instance
from twinning.errors import InputError
from twinning.plan import CircuitVisit, Plan
from twinning.planfile import _depth_by_pattern, json_depth, read_plan
from twinning.rules.balance import balance_of

DEMO = INSTANCES / "demo-county"


@pytest.fixture(scope="module")
def demo() -> tuple[Instance, Plan]:
    inst = load_instance(DEMO)
    return inst, solve(inst, time_limit=10, deterministic=True).plan


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='"[]{}\\ab:,中 ', max_size=40))
def test_the_depth_of_any_text_is_the_pattern_scans(text: str) -> None:
    # numpy on the quotes and brackets, or the pattern where the text has escapes
    assert json_depth(text) == _depth_by_pattern(text)


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999", "-1e999"])
def test_a_number_that_is_not_finite_in_the_last_row_is_named(
    demo: tuple[Instance, Plan], tmp_path: Path, literal: str
) -> None:
    _, plan = demo
    doc = json.loads(plan.to_json())
    last = len(doc["alliances"]) - 1
    doc["alliances"][last]["distance_km"] = "@"
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(doc).replace('"@"', literal), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_plan(path)
    assert str(caught.value).startswith(
        f"plan.json, alliances[{last}].distance_km: must be a finite number (value "
    )


def _circuit(**change: Any) -> CircuitVisit:
    row = dict(staff="T1", subject="体育", home_school="S1", weekday="Mon", order=1)
    row.update(school="S2", lessons=2, km=3.5, minutes=None)
    return CircuitVisit(**{**row, **change})


def test_rows_written_alike_are_duplicates_and_no_others() -> None:
    plan = Plan(
        instance="x",
        parts=["itinerant"],
        status="feasible",
        objective=0,
        circuits=[
            _circuit(),
            _circuit(km=3.6),  # another figure: another row
            _circuit(minutes=math.nan),  # NaN is written null, as None is: the first row again
            _circuit(weekday="Tue"),
            _circuit(),
            _circuit(km=3.6),
        ],
    )
    found = check_duplicates(load_instance(DEMO), plan)
    assert [(v.params["line"], v.params["first"]) for v in found] == [(3, 1), (5, 1), (6, 2)]
    assert all(v.where == ["T1", "S1", "S2"] for v in found)


def test_unknown_ids_are_named_in_the_order_of_the_rows(demo: tuple[Instance, Plan]) -> None:
    inst, plan = demo
    roster = list(plan.roster)
    roster[0] = roster[0].model_copy(update={"to_school": "S9999", "staff": "T9999"})
    roster[-1] = roster[-1].model_copy(update={"from_school": "S9998"})
    circuits = list(plan.circuits)
    if circuits:
        circuits[0] = circuits[0].model_copy(update={"staff": "T9998"})
    doctored = plan.model_copy(
        update={"roster": roster, "circuits": circuits, "pairs": [*plan.pairs[1:], plan.pairs[0]]}
    )
    pairs = list(doctored.pairs)
    pairs[0] = pairs[0].model_copy(update={"helped": "S9997"})
    doctored = doctored.model_copy(update={"pairs": pairs})
    # a row by row scan: each list, each line, its school fields, then its staff fields
    schools, staff = {s.id for s in inst.schools}, {t.id for t in inst.staff}
    expected = []
    for table, (school_fields, staff_fields) in NAMED.items():
        for line, row in enumerate(getattr(doctored, table), start=1):
            for fields, known in ((school_fields, schools), (staff_fields, staff)):
                for f in fields:
                    value = getattr(row, f)
                    if value is not None and value not in known:
                        expected.append((table, line, value))
    found = [
        (v.params["table"], v.params["line"], v.params["id"]) for v in check_known(inst, doctored)
    ]
    assert found == expected
    assert len(found) >= 4
    named = known_plan(inst, doctored)
    assert len(named.roster) == len(roster) - 2


def test_one_instance_checks_each_plan_as_a_fresh_one_would(demo: tuple[Instance, Plan]) -> None:
    inst, plan = demo
    other = plan.model_copy(
        update={"roster": plan.roster[: len(plan.roster) // 2], "pairs": plan.pairs[1:]}
    )
    shared = [validate(inst, p).model_dump_json() for p in (plan, other, plan)]
    fresh = [
        validate(inst.model_copy(deep=True), p.model_copy(deep=True)).model_dump_json()
        for p in (plan, other)
    ]
    assert shared == [fresh[0], fresh[1], fresh[0]]
    assert shared[0] != shared[1]


def test_the_balance_is_the_plans_own(demo: tuple[Instance, Plan]) -> None:
    inst, plan = demo
    validate(inst, plan.model_copy(update={"roster": []}))  # another plan checked first
    report = validate(inst, plan)
    assert report.balance == balance_of(inst, known_plan(inst, plan))
    assert json.loads(report.model_dump_json())["balance"]["after"]


def test_once_shares_within_sharing_only(demo: tuple[Instance, Plan]) -> None:
    inst, _ = demo
    assert staff_by_id(inst) is not staff_by_id(inst)  # outside: worked out each time
    with sharing():
        first = staff_by_id(inst)
        assert staff_by_id(inst) is first
        other = inst.model_copy(update={"staff": inst.staff[:10]})
        assert len(staff_by_id(other)) == 10  # another table: its own figure
        assert once(len, inst.staff) == len(inst.staff)
    assert staff_by_id(inst) is not first


def test_the_collector_is_as_it_was_after_a_pause(tmp_path: Path) -> None:
    assert gc.isenabled()
    with paused():
        assert not gc.isenabled()
        with paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner pause did not turn it on
    assert gc.isenabled()
    with pytest.raises(InputError):
        read_plan(tmp_path / "missing.json")  # a refusal leaves it on too
    assert gc.isenabled()
    gc.disable()
    try:
        with paused():
            pass
        assert not gc.isenabled()  # off before: left off
    finally:
        gc.enable()
