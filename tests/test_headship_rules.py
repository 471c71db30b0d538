"""Each headship rule (校长轮岗): a tiny feasible case and a tiny infeasible case.

Naming convention as in ``tests/test_roster_rules.py``: ``test_<K>_feasible`` (the model
finds the swap or cycle, the checker accepts the plan made from its moves) and
``test_<K>_infeasible`` (the model reports that the rule cannot be kept, at a cost or as
infeasible, and a hand-made plan that breaks it is caught under ``rule == K``). The
checks are called directly: the headship checks join :func:`solver.validate` when the
headship is wired into the roster.

Schools sit on a meridian, ``km`` north of the county town; principals are due after
two terms of 5 years (10 years at the school).
"""

from __future__ import annotations

import importlib
import inspect
import itertools
import re
from typing import Any

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from tests.conftest import county, school, teacher
from twinning import solve, validate
from twinning.check.headship import HEADSHIP_CHECKS, headship_objective
from twinning.check.report import Violation
from twinning.check.roster import (
    check_exempt_age,
    check_fixed,
    check_home_school,
    check_horizon,
    check_last_cycle,
    check_max_km,
    check_one_move,
    check_status,
    roster_facts,
)
from twinning.county.distances import Distances
from twinning.county.instance import Fixed, HistoryEntry, Instance, School, Staff
from twinning.county.policy import Policy
from twinning.models.roster.headship import HeadshipOutcome, solve_headship
from twinning.models.search import SearchSettings
from twinning.plan import Membership, Move, Pair, Plan
from twinning.rules.roster import advantaged

P1, P2 = "2025-2026-1", "2025-2026-2"
DUE = 1_000  # weights.roster_due

#: The checker's split of headship lines (roster_facts puts them in ``f.headship``, out of
#: ``f.moves`` and ``f.spans``) left every check that reads ``f.moves``/``f.spans`` blind to
#: them: check_one_head (it loops over f.spans for kind "headship"), check_fixed, check_max_km,
#: check_horizon, check_status, check_exempt_age, check_last_cycle, check_home_school.
SPLIT_BUG = (
    "checker bug: roster_facts keeps headship lines out of f.moves/f.spans (f.headship), so "
    "check_one_head, check_fixed, check_max_km (and the other shared roster checks) never "
    "see them"
)

#: The roster's checks whose rule is the same for a headship line as for any move.
SHARED_ROSTER_CHECKS = (
    check_one_move,
    check_home_school,
    check_horizon,
    check_status,
    check_exempt_age,
    check_last_cycle,
    check_max_km,
    check_fixed,
)


def principal(sid: str, years: int = 11, **extra: Any) -> Staff:
    """The principal of a school, ``years`` at the school (due from 10)."""
    return teacher(f"{sid}_head", sid, role="principal", years_at_school=years, **extra)


def solved(
    inst: Instance,
    pairs: list[Pair] | None = None,
    alliances: list[Membership] | None = None,
) -> HeadshipOutcome:
    return solve_headship(inst, pairs or [], alliances or [], SearchSettings(time_limit=10))


def plan_of(
    moves: list[Move],
    pairs: list[Pair] | None = None,
    alliances: list[Membership] | None = None,
) -> Plan:
    """A roster plan holding these lines (the pairs and alliances fix the scope)."""
    return Plan(
        instance="tiny",
        parts=["roster"],
        status="feasible",
        objective=0,
        pairs=pairs or [],
        alliances=alliances or [],
        roster=moves,
    )


def violations(
    inst: Instance, plan: Plan, checks: tuple[Any, ...] = HEADSHIP_CHECKS
) -> list[Violation]:
    f = roster_facts(inst, plan, Distances(inst))
    return [v for check in checks for v in check(f)]


def found(inst: Instance, plan: Plan, rule: str) -> list[Violation]:
    """The headship checks' violations of one rule."""
    return [v for v in violations(inst, plan) if v.rule == rule]


def assert_valid(
    inst: Instance,
    out: HeadshipOutcome,
    pairs: list[Pair] | None = None,
    alliances: list[Membership] | None = None,
) -> None:
    """The model's moves pass every headship check and the shared roster checks, and the
    checker's cost is the model's."""
    plan = plan_of(out.moves, pairs, alliances)
    bad = violations(inst, plan, HEADSHIP_CHECKS + SHARED_ROSTER_CHECKS)
    assert not bad, bad
    f = roster_facts(inst, plan, Distances(inst))
    assert headship_objective(f).value == out.objective


def heading(out: HeadshipOutcome) -> dict[str, str]:
    """Staff -> the school they head."""
    return {m.staff: m.to_school for m in out.moves}


def headship(sid: str, to: str, *, periods: int = 2, first: str = P1, **kw: Any) -> Move:
    """A hand-made headship line for the principal of ``sid``."""
    staff = kw.pop("staff", f"{sid}_head")
    values: dict[str, Any] = {
        "role": "principal",
        "direction": "out",
        "kind": "headship",
        "first_period": first,
        "periods": periods,
        **kw,
    }
    return Move(staff=staff, from_school=sid, to_school=to, **values)


def member(alliance: str, lead: str, sid: str) -> Membership:
    return Membership(alliance=alliance, lead=lead, member=sid, distance_km=0.0)


def pair(helper: str, helped: str) -> Pair:
    return Pair(helper=helper, helped=helped, distance_km=0.0, complementarity=0, why="")


def two_schools(**policy: Any) -> Instance:
    """city (urban, strong) and village (rural, weak), 10 km apart, both principals due;
    village's is a county backbone teacher, so may head a strong school
    [rotation.headship_weak_to_strong]."""
    return county(
        [school("city"), school("village", tier="weak", area="rural", km=10)],
        staff=[principal("city"), principal("village", backbone="county")],
        policy={"rotation": {"scope": "county", **policy}},
    )


# ---- rotation.principal_term_years ----------------------------------------------------------


def test_rotation_principal_term_years_feasible() -> None:
    inst = two_schools()
    inst = inst.model_copy(
        update={
            "schools": [*inst.schools, school("town", tier="ordinary", area="town", km=12)],
            "staff": [*inst.staff, principal("town", years=9)],  # one year short of two terms
        }
    )
    out = solved(inst)
    assert out.status == "optimal"
    assert heading(out) == {"city_head": "village", "village_head": "city"}
    assert out.due == ["city_head", "village_head"] and out.stayed == []
    by = {m.staff: m for m in out.moves}
    assert by["city_head"].direction == "out" and by["village_head"].direction == "in"
    assert all(m.kind == "headship" and m.role == "principal" for m in out.moves)
    assert all(m.first_period == P1 and m.periods == 2 for m in out.moves)
    assert out.objective == 20 and out.terms == {"due_not_moved": 0.0, "distance_km": 20.0}
    assert_valid(inst, out)


def test_rotation_principal_term_years_infeasible() -> None:
    # The only school the due principal could head has a principal who is not due: no
    # swap, so the due principal stays, at a cost.
    inst = county(
        [school("city"), school("village", tier="weak", area="rural", km=10)],
        staff=[principal("city"), principal("village", years=4)],
        policy={"rotation": {"scope": "county"}},
    )
    out = solved(inst)
    assert out.status == "optimal"
    assert out.moves == [] and out.stayed == ["city_head"]
    assert out.objective == DUE and out.terms["due_not_moved"] == 1
    assert_valid(inst, out)
    # A plan that swaps them anyway moves a principal who is not due.
    swap = plan_of([headship("city", "village"), headship("village", "city", direction="in")])
    caught = found(inst, swap, "rotation.principal_term_years")
    assert [v.where for v in caught] == [["village_head", "city"]]
    assert caught[0].amount == 6
    # Only principals change headship: a vice principal is caught too.
    vice = inst.model_copy(
        update={
            "staff": [
                *inst.staff,
                teacher("vp", "village", role="vice_principal", years_at_school=20),
            ]
        }
    )
    line = headship("village", "city", staff="vp", role="vice_principal", direction="in")
    assert found(vice, plan_of([line]), "rotation.principal_term_years")


def test_unavailable_due_principals_stay() -> None:
    # Age-exempt, deferred and last cycle's movers never move, and cost nothing.
    inst = county(
        [school(s, km=3 * i) for i, s in enumerate("abcd")],
        staff=[
            principal("a", age=58, gender="M"),
            principal("b", status="deferred"),
            principal("c"),
            principal("d"),
        ],
        history=[
            HistoryEntry(
                kind="exchange",
                period="2024-2025-2",
                staff="c_head",
                from_school="c",
                to_school="d",
            ),
        ],
        policy={"rotation": {"scope": "county"}},
    )
    out = solved(inst)
    assert out.moves == [] and out.due == ["d_head"] and out.objective == DUE
    assert_valid(inst, out)


# ---- rotation.one_head --------------------------------------------------------------------


def test_rotation_one_head_feasible() -> None:
    # Three due principals: a swap would leave one in place; the cycle moves all three.
    # The vacancy stays empty (no school can spare a principal).
    inst = county(
        [
            school("a"),
            school("b", tier="weak", area="rural", km=4),
            school("c", tier="ordinary", area="town", km=8),
            school("vacant", km=2),
        ],
        staff=[principal("a"), principal("b"), principal("c")],
        policy={"rotation": {"scope": "county"}},
    )
    out = solved(inst)
    assert out.status == "optimal" and out.stayed == []
    assert set(heading(out).values()) == {"a", "b", "c"}
    assert all(m.from_school != m.to_school for m in out.moves)
    assert_valid(inst, out)


def test_rotation_one_head_infeasible() -> None:
    # Pinned to a school whose principal may not leave: no plan keeps one head each.
    pinned = county(
        [school("city"), school("village", tier="weak", area="rural", km=10)],
        staff=[principal("city", years=2), principal("village", years=2)],
        fixed=[Fixed(kind="exchange", staff="city_head", from_school="city", to_school="village")],
        policy={"rotation": {"scope": "county"}},
    )
    out = solved(pinned)
    assert out.status == "infeasible" and out.moves == [] and out.objective is None


def test_one_head_checker_catches_headless_schools() -> None:
    inst = two_schools()
    # A one-way move leaves the home school headless and the host with two.
    one_way = found(inst, plan_of([headship("city", "village")]), "rotation.one_head")
    assert {tuple(v.where) for v in one_way} == {
        ("city", P1),
        ("city", P2),
        ("village", P1),
        ("village", P2),
    }
    # A swap that lasts one period of two is still one head each in every period; a
    # change of only one side in the second period is not.
    half = [headship("city", "village", periods=1), headship("village", "city", periods=1)]
    assert not found(inst, plan_of(half), "rotation.one_head")
    late = [headship("city", "village"), headship("village", "city", first=P2, periods=1)]
    assert {tuple(v.where) for v in found(inst, plan_of(late), "rotation.one_head")} == {
        ("city", P1),
        ("village", P1),
    }
    # A vacancy receives at most one principal.
    with_vacancy = inst.model_copy(update={"schools": [*inst.schools, school("vacant", km=5)]})
    two_in = plan_of([headship("city", "vacant"), headship("village", "vacant")])
    assert ["vacant", P1] in [v.where for v in found(with_vacancy, two_in, "rotation.one_head")]


def test_vacancy_cannot_be_filled_while_every_school_keeps_its_head() -> None:
    # Filling a vacancy takes a principal from a school that then has none: the flow
    # argument (leaving = arriving everywhere else) leaves every vacancy empty.
    inst = county(
        [school("city"), school("vacant", tier="weak", area="rural", km=2)],
        staff=[principal("city")],
        policy={"rotation": {"scope": "county"}},
    )
    out = solved(inst)
    assert out.moves == [] and out.stayed == ["city_head"]


def test_one_head_checker_catches_a_filled_vacancy() -> None:
    inst = county(
        [school("city"), school("vacant", tier="weak", area="rural", km=2)],
        staff=[principal("city")],
        policy={"rotation": {"scope": "county"}},
    )
    caught = found(inst, plan_of([headship("city", "vacant")]), "rotation.one_head")
    assert [v.where[0] for v in caught] == ["city", "city"]


# ---- rotation.headship_stage ---------------------------------------------------------------


def test_rotation_headship_stage_feasible() -> None:
    # Two primary and two junior schools, all due: the swaps stay within a stage, though
    # the nearer school is of the other stage (the weak schools' heads are backbone).
    inst = county(
        [
            school("p1"),
            school("j1", stage="junior", km=1),
            school("p2", tier="weak", area="rural", km=10),
            school("j2", stage="junior", tier="weak", area="rural", km=11),
        ],
        staff=[
            *(principal(s) for s in ("p1", "j1")),
            *(principal(s, backbone="county") for s in ("p2", "j2")),
        ],
        policy={"rotation": {"scope": "county"}},
    )
    out = solved(inst)
    assert heading(out) == {"p1_head": "p2", "p2_head": "p1", "j1_head": "j2", "j2_head": "j1"}
    assert_valid(inst, out)
    # A nine-year school covers both stages (a head crosses to a junior school only with
    # the bridge [rotation.headship_bridge]).
    nine = inst.model_copy(
        update={
            "schools": [s for s in inst.schools if s.id != "j2"]
            + [school("j2", stage="nine_year", tier="weak", area="rural", km=11)]
        }
    )
    nine = nine.model_copy(
        update={
            "policy": Policy.model_validate(
                {"rotation": {"scope": "county", "headship_bridge": True}}
            )
        }
    )
    assert solved(nine).stayed == []


def test_rotation_headship_stage_infeasible() -> None:
    # A primary and a junior school, both principals due: no swap across stages.
    inst = county(
        [school("p1"), school("j1", stage="junior", tier="weak", area="rural", km=1)],
        staff=[principal("p1"), principal("j1")],
        policy={"rotation": {"scope": "county"}},
    )
    out = solved(inst)
    assert out.moves == [] and out.objective == 2 * DUE
    swap = plan_of([headship("p1", "j1"), headship("j1", "p1", direction="in")])
    caught = found(inst, swap, "rotation.headship_stage")
    assert sorted(v.where[0] for v in caught) == ["j1_head", "p1_head"]


# ---- rotation.headship_bridge ---------------------------------------------------------------


def _families(**rotation: Any) -> Instance:
    """Two primary and two nine-year schools, all principals due: each primary school is 1 km
    from a nine-year school and 10 km from the other primary school."""
    return county(
        [
            school("p1"),
            school("n1", stage="nine_year", km=1),
            school("p2", km=10),
            school("n2", stage="nine_year", km=11),
        ],
        staff=[principal(s) for s in ("p1", "n1", "p2", "n2")],
        policy={"rotation": {"scope": "county", **rotation}},
    )


def test_rotation_headship_bridge_feasible() -> None:
    # The nearer school is of the other family (primary vs nine-year): heads change within
    # their family, 10 km each, not across it at 1 km.
    inst = _families()
    out = solved(inst)
    assert heading(out) == {"p1_head": "p2", "p2_head": "p1", "n1_head": "n2", "n2_head": "n1"}
    assert_valid(inst, out)
    # With the bridge a nine-year school may hand its head to a primary school: the 1 km
    # swaps.
    bridged = _families(headship_bridge=True)
    out = solved(bridged)
    assert heading(out) == {"p1_head": "n1", "n1_head": "p1", "p2_head": "n2", "n2_head": "p2"}
    assert_valid(bridged, out)


def test_rotation_headship_bridge_infeasible() -> None:
    # A primary and a nine-year school, both principals due: no change of head across the
    # families, and a hand-made swap is caught (on both lines).
    inst = county(
        [school("p1"), school("n1", stage="nine_year", km=1)],
        staff=[principal("p1"), principal("n1")],
        policy={"rotation": {"scope": "county"}},
    )
    out = solved(inst)
    assert out.moves == [] and out.objective == 2 * DUE
    swap = plan_of([headship("p1", "n1"), headship("n1", "p1")])
    caught = found(inst, swap, "rotation.headship_bridge")
    assert sorted(v.where[0] for v in caught) == ["n1_head", "p1_head"]
    assert not found(inst, swap, "rotation.headship_stage")  # they do share a stage
    bridged = county(
        inst.schools,
        staff=inst.staff,
        policy={"rotation": {"scope": "county", "headship_bridge": True}},
    )
    assert not found(bridged, swap, "rotation.headship_bridge")
    # A junior school and a primary school share no stage: that is headship_stage's alone.
    junior = county(
        [school("p1"), school("j1", stage="junior", km=1)],
        staff=[principal("p1"), principal("j1")],
        policy={"rotation": {"scope": "county", "headship_bridge": True}},
    )
    cross = plan_of([headship("p1", "j1"), headship("j1", "p1")])
    assert {v.rule for v in violations(junior, cross)} == {"rotation.headship_stage"}


# ---- rotation.headship_weak_to_strong -------------------------------------------------------


def _weak_head(backbone: str = "none", **rotation: Any) -> Instance:
    """city (strong, 2,268 pupils) and village (weak, 88 pupils), 10 km apart, both
    principals due; village's principal of this backbone level."""
    return county(
        [
            school("city", students=2268),
            school("village", tier="weak", area="rural", km=10, students=88),
        ],
        staff=[principal("city"), principal("village", backbone=backbone)],
        policy={"rotation": {"scope": "county", **rotation}},
    )


def test_rotation_headship_weak_to_strong_feasible() -> None:
    # A backbone head of a weak school takes over the strong one; so does any head when the
    # policy allows it.
    for inst in (_weak_head("county"), _weak_head(headship_weak_to_strong=True)):
        out = solved(inst)
        assert heading(out) == {"city_head": "village", "village_head": "city"}
        assert_valid(inst, out)
    # Without the title, a three-school cycle through an ordinary town school: the village
    # head goes to town, not to city (weak to ordinary, ordinary to strong are allowed).
    inst = _weak_head()
    inst = inst.model_copy(
        update={
            "schools": [*inst.schools, school("town", tier="ordinary", area="town", km=20)],
            "staff": [*inst.staff, principal("town")],
        }
    )
    out = solved(inst)
    assert heading(out) == {"village_head": "town", "town_head": "city", "city_head": "village"}
    assert_valid(inst, out)


def test_rotation_headship_weak_to_strong_infeasible() -> None:
    # The village head is not backbone: no swap, both due principals stay.
    inst = _weak_head()
    out = solved(inst)
    assert out.moves == [] and out.objective == 2 * DUE
    # A hand-made swap is caught on the village head's line only (strong to weak is fine).
    swap = plan_of([headship("city", "village"), headship("village", "city", direction="in")])
    (v,) = found(inst, swap, "rotation.headship_weak_to_strong")
    assert v.where == ["village_head", "city"]
    # A school-level backbone title is not enough.
    school_level = _weak_head("school")
    assert solved(school_level).moves == []
    assert found(school_level, swap, "rotation.headship_weak_to_strong")


# ---- scope and max_km on headship lines ------------------------------------------------------


def test_headship_scope_alliance() -> None:
    # Two alliances; the nearest due principal is in the other one. Under alliance scope
    # a headship may go to any member (not only the lead).
    schools = [
        school("lead1"),
        school("m1", tier="weak", area="rural", km=9),
        school("n1", tier="weak", area="rural", km=30),
        school("lead2", km=10),
    ]
    inst = county(
        schools,
        staff=[principal("lead1", years=3), principal("m1"), principal("n1"), principal("lead2")],
        policy={"rotation": {"scope": "alliance"}},
    )
    alliances = [
        member("A01", "lead1", "lead1"),
        member("A01", "lead1", "m1"),
        member("A01", "lead1", "n1"),
        member("A02", "lead2", "lead2"),
    ]
    out = solved(inst, alliances=alliances)
    assert heading(out) == {"m1_head": "n1", "n1_head": "m1"}
    assert out.stayed == ["lead2_head"]
    assert_valid(inst, out, alliances=alliances)
    across = plan_of([headship("m1", "lead2"), headship("lead2", "m1")], alliances=alliances)
    assert len(found(inst, across, "rotation.scope")) == 2


def test_headship_scope_pair() -> None:
    inst = county(
        [school("city"), school("v1", tier="weak", area="rural", km=5), school("v2", km=1)],
        staff=[principal("city"), principal("v1", backbone="county"), principal("v2")],
        policy={"rotation": {"scope": "pair"}},
    )
    pairs = [pair("city", "v1")]
    out = solved(inst, pairs=pairs)
    assert heading(out) == {"city_head": "v1", "v1_head": "city"}
    assert_valid(inst, out, pairs=pairs)
    near = plan_of([headship("city", "v2"), headship("v2", "city")], pairs=pairs)
    assert len(found(inst, near, "rotation.scope")) == 2


def test_headship_max_km() -> None:
    # max_km: too far to swap; the roster's own max_km check catches a headship line.
    inst = two_schools(max_km=5)
    out = solved(inst)
    assert out.moves == [] and out.objective == 2 * DUE


def test_headship_max_km_checker() -> None:
    inst = two_schools(max_km=5)
    swap = plan_of([headship("city", "village"), headship("village", "city", direction="in")])
    caught = violations(inst, swap, (check_max_km,))
    assert {v.rule for v in caught} == {"rotation.max_km"} and len(caught) == 2


def _pinned_headship() -> Instance:
    """city's principal (not due) pinned to village; village's is due (and backbone), x's
    is not."""
    return county(
        [school("city"), school("village", tier="weak", area="rural", km=10), school("x", km=1)],
        staff=[
            principal("city", years=2),
            principal("village", backbone="county"),
            principal("x", years=3),
        ],
        fixed=[Fixed(kind="exchange", staff="city_head", from_school="city", to_school="village")],
        policy={"rotation": {"scope": "county"}},
    )


def test_headship_fixed() -> None:
    # A pinned principal is moved whatever the rules say (not due here), and the one-head
    # rule brings the host's due principal back in a swap (x's principal is not due).
    inst = _pinned_headship()
    out = solved(inst)
    assert heading(out) == {"city_head": "village", "village_head": "city"}
    assert [m.fixed for m in out.moves if m.staff == "city_head"] == [True]
    assert out.stayed == []


def test_headship_fixed_plan_is_valid() -> None:
    inst = _pinned_headship()
    assert_valid(inst, solved(inst))


def test_headship_objective_recomputed() -> None:
    # The checker's cost of a hand-made plan: one due principal left, 20 km of moves.
    inst = county(
        [school("a"), school("b", km=10), school("c", km=40)],
        staff=[principal("a"), principal("b"), principal("c")],
        policy={"rotation": {"scope": "county"}, "weights": {"roster_km": 3}},
    )
    plan = plan_of([headship("a", "b"), headship("b", "a")])
    f = roster_facts(inst, plan, Distances(inst))
    got = headship_objective(f)
    assert got.value == DUE + 2 * round(3 * 10.0) and got.terms["due_not_moved"] == 1
    out = solved(inst)  # the 3-cycle costs 3 x (10 + 30 + 40) = 240 < 1000 + 60
    assert (
        out.stayed == []
        and out.objective
        == headship_objective(roster_facts(inst, plan_of(out.moves), Distances(inst))).value
    )


def test_principals_table_lists_headship_lines_only() -> None:
    inst = two_schools()
    out = solved(inst)
    exchange = Move(
        staff="t1",
        role="teacher",
        subject="英语",
        from_school="city",
        to_school="village",
        first_period=P1,
        periods=1,
        direction="out",
        kind="exchange",
    )
    tables = plan_of([*out.moves, exchange]).tables(inst)
    rows = tables["principals"].rows
    assert [(r["staff"], r["to_school"], r["to_school_name"]) for r in rows] == [
        ("city_head", "village", "village学校"),
        ("village_head", "city", "city学校"),
    ]
    assert len(tables["roster"].rows) == 3  # the roster table is unchanged
    assert "principals" not in plan_of([]).model_copy(update={"parts": ["pairs"]}).tables()


def test_every_headship_rule_has_a_model_unit_and_tests() -> None:
    # Until HEADSHIP_CHECKS joins the lists of tests/test_rule_units.py and
    # tests/test_rule_catalog.py, the same contract is checked here for these rules.
    keys = set()
    for check in HEADSHIP_CHECKS:
        doc = inspect.getdoc(check) or ""
        m = re.match(r"\[([^\]]+)\]", doc)
        assert m, check.__name__
        keys |= {k.strip() for k in m.group(1).split(",")}
    module = importlib.import_module("twinning.models.roster.headship")
    tagged = set()
    for _, fn in inspect.getmembers(module, inspect.isfunction):
        if fn.__module__ == module.__name__:
            for group in re.findall(
                r"\[([a-z_]+\.[a-z_]+(?:,\s+[a-z_]+\.[a-z_]+)*)\]", inspect.getdoc(fn) or ""
            ):
                tagged |= {k.strip() for k in group.split(",")}
    assert keys <= tagged, keys - tagged
    names = set(globals())
    for key in keys - {"rotation.scope"}:  # scope's two tests are in test_roster_rules.py
        for case in ("feasible", "infeasible"):
            assert f"test_{key.replace('.', '_')}_{case}" in names


# ---- property: random counties --------------------------------------------------------------

STAGES = ["primary", "primary", "junior", "nine_year"]


@st.composite
def counties(
    draw: st.DrawFn, max_schools: int = 9
) -> tuple[Instance, list[Pair], list[Membership]]:
    n = draw(st.integers(2, max_schools))
    schools: list[School] = []
    staff: list[Staff] = []
    for i in range(n):
        sid = f"s{i}"
        tier = draw(st.sampled_from(["strong", "ordinary", "weak"]))
        area = draw(st.sampled_from(["urban", "town", "rural"]))
        schools.append(
            school(
                sid,
                stage=draw(st.sampled_from(STAGES)),
                tier=tier,
                area=area,
                km=draw(st.floats(0, 15)),
            )
        )
        for j in range(draw(st.sampled_from([0, 1, 1, 1, 1, 2]))):
            staff.append(
                teacher(
                    f"{sid}_p{j}",
                    sid,
                    role="principal",
                    years_at_school=draw(st.integers(6, 16)),  # due from 10
                    age=draw(st.integers(35, 56)),
                    gender=draw(st.sampled_from(["M", "F"])),
                    status=draw(st.sampled_from(["active"] * 5 + ["deferred"])),
                    backbone=draw(st.sampled_from(["none", "none", "school", "county"])),
                )
            )
    ids = [s.id for s in schools]
    scope = draw(st.sampled_from(["county", "county", "alliance", "pair"]))
    pairs: list[Pair] = []
    alliances: list[Membership] = []
    if scope == "pair":
        for _ in range(draw(st.integers(0, n))):
            a, b = draw(st.sampled_from(ids)), draw(st.sampled_from(ids))
            if a != b:
                pairs.append(pair(a, b))
    elif scope == "alliance":
        leads = ids[: draw(st.integers(1, min(3, n)))]
        for sid in ids:
            lead = sid if sid in leads else draw(st.sampled_from(leads))
            alliances.append(member(f"A{lead}", lead, sid))
    rotation: dict[str, Any] = {
        "scope": scope,
        "headship_bridge": draw(st.booleans()),
        "headship_weak_to_strong": draw(st.booleans()),
    }
    if draw(st.booleans()):
        rotation["max_km"] = draw(st.floats(3, 20))
    fixed = []
    if staff and draw(st.integers(0, 3)) == 0:
        t = draw(st.sampled_from(staff))
        to = draw(st.sampled_from(ids))
        if to != t.school:
            fixed.append(Fixed(kind="exchange", staff=t.id, from_school=t.school, to_school=to))
    policy = {
        "rotation": rotation,
        "weights": {"roster_due": draw(st.integers(0, 2000)), "roster_km": draw(st.integers(0, 5))},
    }
    inst = county(schools, staff=staff, fixed=fixed, policy=policy)
    return inst, pairs, alliances


def _due_head_beside_vacancies() -> Instance:
    """One due principal (s0) and two schools without one; moving is worth 1, km nothing."""
    return county(
        [school("s0"), school("s1"), school("s2")],
        staff=[principal("s0", years=10, age=35, gender="M")],
        policy={"rotation": {"scope": "county"}, "weights": {"roster_due": 1, "roster_km": 0}},
    )


# Both properties fail on every county with a pinned principal or a vacancy the due
# principal could take; the explicit examples make the failure certain on every run.
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(counties())
@example((_pinned_headship(), [], []))
def test_every_headship_plan_passes_the_checker(
    case: tuple[Instance, list[Pair], list[Membership]],
) -> None:
    inst, pairs, alliances = case
    out = solved(inst, pairs, alliances)
    if out.status == "infeasible":  # only a pin can break the one-head rule
        assert inst.fixed
        return
    assert out.status == "optimal"
    assert_valid(inst, out, pairs, alliances)
    assert out.bound == out.objective


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(counties(max_schools=4))
@example((_due_head_beside_vacancies(), [], []))
def test_headship_optimum_matches_brute_force(
    case: tuple[Instance, list[Pair], list[Membership]],
) -> None:
    # Every way the county's principals could stay or head another school, judged by the
    # checker alone: the model's optimum is the cheapest plan the checker accepts.
    inst, pairs, alliances = case
    heads = [t for t in inst.staff if t.role == "principal"]
    assume(len(heads) <= 4)  # at most 5^4 plans to judge
    ids = [s.id for s in inst.schools]
    schools = {s.id: s for s in inst.schools}
    best: int | None = None
    for choice in itertools.product(*([None, *ids] for _ in heads)):
        moves = [
            headship(
                t.school,
                to,
                staff=t.id,
                direction="out" if advantaged(schools[t.school]) else "in",
            )
            for t, to in zip(heads, choice, strict=True)
            if to is not None and to != t.school
        ]
        plan = plan_of(moves, pairs, alliances)
        if violations(inst, plan, HEADSHIP_CHECKS + SHARED_ROSTER_CHECKS):
            continue
        value = headship_objective(roster_facts(inst, plan, Distances(inst))).value
        best = value if best is None else min(best, value)
    out = solved(inst, pairs, alliances)
    assert out.objective == best
    assert out.status == ("infeasible" if best is None else "optimal")


def test_pin_with_a_later_period_is_kept() -> None:
    inst = county(
        [school("a"), school("b", km=2)],
        staff=[principal("a"), principal("b")],
        fixed=[Fixed(kind="exchange", staff="a_head", from_school="a", to_school="b", period=P2)],
        policy={"rotation": {"scope": "county"}},
    )
    out = solved(inst)
    assert not violations(inst, plan_of(out.moves), SHARED_ROSTER_CHECKS)
    # The pinned principal moves in P2, and b's principal in P2 too (a keeps a head).
    starts = {m.staff: (m.to_school, m.first_period) for m in out.moves}
    assert starts == {"a_head": ("b", P2), "b_head": ("a", P2)}
    result = solve(inst, "roster", time_limit=5)
    assert result.status == "optimal" and validate(inst, result.plan).ok


def test_pinned_principal_makes_one_move() -> None:
    for subject in (None, "语文"):
        inst = county(
            [school("city"), school("village", tier="weak", area="rural", km=10)],
            staff=[
                principal("city", years=2, subject=subject),
                principal("village", backbone="county"),
            ],
            fixed=[
                Fixed(kind="exchange", staff="city_head", from_school="city", to_school="village")
            ],
            policy={"rotation": {"scope": "county"}},
        )
        result = solve(inst, "roster", time_limit=5)
        assert result.status == "optimal", result.parts["roster"].message
        lines = [m for m in result.plan.roster if m.staff == "city_head"]
        assert [(m.kind, m.to_school) for m in lines] == [("headship", "village")]
        assert not [
            v for v in validate(inst, result.plan).violations if v.rule == "rotation.one_move"
        ]


# While the checker bug above stands, the solver's plans without pins are still checked.
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(counties())
def test_every_unpinned_headship_plan_passes_the_checker(
    case: tuple[Instance, list[Pair], list[Membership]],
) -> None:
    inst, pairs, alliances = case
    assume(not inst.fixed)
    out = solved(inst, pairs, alliances)
    assert out.status == "optimal"
    assert_valid(inst, out, pairs, alliances)
    assert out.bound == out.objective


def test_a_balance_target_prices_where_backbone_principals_go() -> None:
    """Three due principals in a three-school cycle; two are county backbone teachers.
    Both directions of the cycle cost 40 km. Without a target the search may leave a
    backbone principal at the 50-pupil school (2 per 100, far above the mean); with one it
    places the backbone principals at the two 500-pupil schools, where the deviation and
    the coefficient are lower, and the part's own cost is still its km and due terms."""
    from twinning.rules.balance import balance_deviation, balance_of

    schools = [
        school("small", tier="weak", area="rural", km=0, students=50),
        school("near", km=1, students=500),
        school("far", km=20, students=500),
    ]
    staff = [
        principal("small", backbone="county"),
        principal("near"),
        principal("far", backbone="county"),
    ]
    aimed_policy = {"rotation": {"scope": "county"}, "balance": {"target": "objective"}}
    inst = county(schools, staff=staff, policy=aimed_policy)
    aimed = solved(inst)
    backbone_at = {m.to_school for m in aimed.moves if m.staff in ("small_head", "far_head")}
    assert backbone_at == {"near", "far"}  # neither backbone principal heads "small"
    assert aimed.objective == aimed.terms["distance_km"] == 40.0
    other = [
        m.model_copy(update={"to_school": t})
        for m, t in zip(
            sorted(aimed.moves, key=lambda m: m.staff),
            ("small", "far", "near"),  # far_head -> small, near_head -> far, small_head -> near
            strict=True,
        )
    ]
    assert balance_deviation(inst, aimed.moves) < balance_deviation(inst, other)
    cv = balance_of(inst, plan_of(aimed.moves)).after[P1]["backbone"]["primary"].cv
    cv_other = balance_of(inst, plan_of(other)).after[P1]["backbone"]["primary"].cv
    assert cv is not None and cv_other is not None and cv < cv_other
