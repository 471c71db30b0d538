"""balance.no_worse before rotation.secondment_count unset (issue 27).

With the count unset the rule asks every candidate the hosts allow; with balance.no_worse
(the default) a candidate stays home when every secondment of theirs that fits would raise
a staffing coefficient above its value before the plan. The county: ``city`` (1,000 pupils,
10 county backbone teachers and the backbone middle manager ``city_mm``, a candidate),
paired with the villages ``v1`` and ``v2`` (40 pupils each, no backbone): city_mm at either
village raises primary backbone (0.1 per 100 at the city, 2.5 at the village). With a
third village ``v3`` of 200 pupils the secondment there narrows the spread.
"""

from __future__ import annotations

import random
from typing import Any

from tests.conftest import county, need, school, teacher
from twinning import solve, validate
from twinning.county.instance import Instance, with_policy
from twinning.county.policy import Policy
from twinning.messages import render
from twinning.plan import Plan
from twinning.rules.balance import Spreads, balance_of, counts_in, raises_above
from twinning.rules.evaluation import coefficient

P1 = "2025-2026-1"
EMPTY = Plan(instance="x", parts=[], status="feasible", objective=0)


def villages(v3: bool = False, **policy: Any) -> Instance:
    schools = [
        school("city", students=1000),
        school("v1", tier="weak", area="rural", km=8, students=40),
        school("v2", tier="weak", area="rural", km=9, students=40),
    ]
    if v3:
        schools.append(school("v3", tier="weak", area="rural", km=7, students=200))
    staff = [
        *(
            teacher(f"city_{i}", "city", years_at_school=2, backbone="county" if i < 10 else None)
            for i in range(16)
        ),
        *(teacher(f"{s.id}_{i}", s.id, years_at_school=2) for s in schools[1:] for i in range(4)),
        teacher("city_mm", "city", role="middle_manager", years_at_school=3, backbone="county"),
    ]
    rotation = {
        "scope": "pair",
        "two_way": False,
        "host_capacity": 10,
        "max_outflow_share": 0.5,
        "secondment_per_host": 2,
    }
    inst = county(
        schools,
        staff=staff,
        needs=[need(s.id, "语文", surplus=2) for s in schools],
        policy={"rotation": rotation},
    )
    return with_policy(inst, {"balance.no_worse": True, **policy})


def seconded(plan: Plan) -> list[tuple[str, str]]:
    return [(m.staff, m.to_school) for m in plan.roster if m.kind == "secondment"]


def without_secondments(plan: Plan) -> Plan:
    return plan.model_copy(update={"roster": [m for m in plan.roster if m.kind != "secondment"]})


def left_out(inst: Instance, plan: Plan) -> list[list[str]]:
    return [
        v.where
        for v in validate(inst, plan).violations
        if v.code == "check.rotation.secondment_count.left_out"
    ]


def test_the_count_is_unset_by_default() -> None:
    assert Policy().rotation.secondment_count is None


def test_model_holds_home_a_candidate_every_host_would_raise() -> None:
    inst = villages()
    result = solve(inst, "pairs,roster", time_limit=5)
    part = result.parts["roster"]
    assert result.status in ("optimal", "feasible")
    assert seconded(result.plan) == []
    assert part.kpis is not None and part.kpis.secondments_held_no_worse == 1
    said = part.message
    assert said is not None
    assert "city_mm (backbone primary 2025-2026-1)" in render(said, "en")
    assert "city_mm（2025-2026-1学期小学县级以上骨干教师）" in render(said, "zh")
    assert validate(inst, result.plan).ok
    # Off, the rule asks every candidate: city_mm goes, raising the coefficient.
    off = villages(**{"balance.no_worse": False})
    sent = solve(off, "pairs,roster", time_limit=5)
    assert [s for s, _ in seconded(sent.plan)] == ["city_mm"]
    figures = balance_of(off, sent.plan)
    raised = figures.after[P1]["backbone"]["primary"].cv
    assert raised is not None and raised > (figures.before["backbone"]["primary"].cv or 0)
    assert sent.parts["roster"].kpis.secondments_held_no_worse == 0  # type: ignore[union-attr]


def test_model_sends_where_a_host_narrows_the_spread() -> None:
    inst = villages(v3=True)
    result = solve(inst, "pairs,roster", time_limit=5)
    assert seconded(result.plan) == [("city_mm", "v3")]
    assert result.parts["roster"].kpis.secondments_held_no_worse == 0  # type: ignore[union-attr]
    assert validate(inst, result.plan).ok


def test_checker_accepts_held_and_flags_who_could_go() -> None:
    held = villages()
    plan = solve(held, "pairs,roster", time_limit=5).plan
    assert left_out(held, plan) == []  # every host raises backbone: held home
    # no_worse off: the same plan leaves city_mm out.
    off = with_policy(held, {"balance.no_worse": False})
    assert [w[0] for w in left_out(off, plan)] == ["city_mm"]
    # With v3 the candidate could go without raising: kept home, they are flagged.
    inst = villages(v3=True)
    home = without_secondments(solve(inst, "pairs,roster", time_limit=5).plan)
    assert left_out(inst, home) == [["city_mm", "v3"]]


def test_an_explicit_count_is_not_overridden() -> None:
    """rotation.secondment_count = 1 asks city_mm's secondment: no precedence, the
    conflict with balance.no_worse is said (status not feasible, the checker agrees)."""
    inst = villages(**{"rotation.secondment_count": 1})
    result = solve(inst, "pairs,roster", time_limit=5)
    assert result.status not in ("optimal", "feasible")
    rules = {v.rule for v in validate(inst, result.plan).violations}
    assert rules & {"balance.no_worse", "rotation.secondment_count"}


def test_spreads_agree_with_the_coefficient_to_the_last_digit() -> None:
    """Spreads' O(1) trials give the figure coefficient() gives on the same counts, both
    formulas, after many changes made in any order."""
    rng = random.Random(27)
    for formula in ("official", "unweighted"):
        inst = villages(v3=True, **{"balance.formula": formula})
        total = counts_in(inst, EMPTY, P1)
        spreads = Spreads(inst, dict(total))
        counts = {k: v for k, v in total.items() if k[0] != "x"}
        ids = ["city", "v1", "v2", "v3"]
        pupils = [1000, 40, 40, 200]
        for _ in range(300):
            a, b = rng.sample(ids, 2)
            key_a, key_b = (a, "primary", "backbone"), (b, "primary", "backbone")
            if counts.get(key_a, 0.0) < 1:
                continue
            changes = [(key_a, -1.0), (key_b, 1.0)]
            tried = spreads.tried(changes)[("backbone", "primary")]
            counts[key_a] = counts.get(key_a, 0.0) - 1
            counts[key_b] = counts.get(key_b, 0.0) + 1
            values = [
                100 * counts.get((s, "primary", "backbone"), 0.0) / p
                for s, p in zip(ids, pupils, strict=True)
            ]
            want = coefficient(values, pupils, formula)
            assert tried == want
            spreads.apply(changes)
            assert spreads.cv("backbone", "primary") == want


def test_raises_above_uses_the_plans_own_value_where_it_is_already_raised() -> None:
    inst = villages()
    total = counts_in(inst, EMPTY, P1)
    spreads = Spreads(inst, dict(total))
    up = [(("city", "primary", "backbone"), -1.0), (("v1", "primary", "backbone"), 1.0)]
    before = {("backbone", "primary"): spreads.cv("backbone", "primary") or 0.0}
    assert raises_above(spreads, before, up) == ("backbone", "primary")
    spreads.apply(up)  # already raised: moving back lowers it, moving on raises it more
    back = [(k, -d) for k, d in up]
    assert raises_above(spreads, before, back) is None
    on = [(("city", "primary", "backbone"), -1.0), (("v2", "primary", "backbone"), 1.0)]
    assert raises_above(spreads, before, on) == ("backbone", "primary")
