"""Each mentor rule (青蓝结对): a tiny feasible case and a tiny infeasible case.

Naming convention as in ``tests/test_roster_rules.py``: ``test_<K>_feasible`` (the solver
keeps rule K where it matters, the checker accepts the plan) and ``test_<K>_infeasible``
(a hand-made plan that breaks K is caught under ``rule == K``).

The county: ``city`` (urban, strong) helps ``village`` (rural, weak), scope ``pair``.
``english_bb`` (a county-level backbone English teacher of city, aged 40, not due to move)
mentors young English teachers at village; ``english_due`` moves to village to fill its
English shortage. Mentors are 45 unless said otherwise; young teachers are 25 and new to
the school, their years of teaching (教龄) unknown unless said otherwise.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import county, need, school, teacher
from twinning import solve, validate
from twinning.check.mentors import MENTOR_CHECKS
from twinning.check.report import Violation
from twinning.check.roster import roster_facts
from twinning.county.distances import Distances
from twinning.county.instance import HistoryEntry, Instance, Staff
from twinning.models.roster.mentors import match_mentors, mentor_candidates
from twinning.plan import Membership, Move, Pair, Plan
from twinning.rules import roster as rules
from twinning.rules.departments import mentee_elsewhere

P1 = "2025-2026-1"


def base(staff_extra: list[Any] | None = None, policy: dict[str, Any] | None = None, **kw: Any):  # type: ignore[no-untyped-def]
    policy = dict(policy or {})
    rotation = {
        "scope": "pair",
        "two_way": False,
        "backbone_share": 0.0,
        **policy.pop("rotation", {}),
    }
    schools = [
        school("city", students=1000),
        school("village", tier="weak", area="rural", km=10, students=200),
        *kw.pop("schools", []),
    ]
    staff = [
        teacher("english_due", "city", "英语", years_at_school=8, age=45),
        teacher("english_bb", "city", "英语", years_at_school=3, backbone="county", age=40),
        teacher("music_due", "city", "音乐", years_at_school=9, age=45),
        *(teacher(f"city_{i}", "city", "语文", years_at_school=2, age=40) for i in range(16)),
        *(teacher(f"village_{i}", "village", "语文", years_at_school=2, age=40) for i in range(8)),
        *(staff_extra or []),
    ]
    # City can spare an English teacher, so english_due may go [rotation.protect_sender].
    needs = [need("village", "英语", shortage=1), need("city", "英语", surplus=1)]
    return county(schools, staff=staff, needs=needs, policy={"rotation": rotation, **policy}, **kw)


def young(tid: str, sid: str = "village", subject: str = "英语", **kw: Any) -> Staff:
    """A young teacher: 25, one year at the school."""
    return teacher(
        tid, sid, subject, age=kw.pop("age", 25), years_at_school=kw.pop("years_at_school", 1), **kw
    )


def mentor(tid: str, sid: str = "city", **kw: Any) -> Staff:
    """A city-level backbone English teacher, 45, not due to move."""
    return teacher(
        tid,
        sid,
        kw.pop("subject", "英语"),
        backbone=kw.pop("backbone", "city"),
        years_at_school=kw.pop("years_at_school", 3),
        age=kw.pop("age", 45),
        **kw,
    )


def past_mentor(
    staff: str, mentee: str, period: str, frm: str = "city", to: str = "village"
) -> HistoryEntry:
    """A mentor pair of an earlier year."""
    return HistoryEntry(
        kind="mentor", period=period, staff=staff, mentee=mentee, from_school=frm, to_school=to
    )


def without(inst, *ids: str):  # type: ignore[no-untyped-def]
    """The instance without these staff."""
    return inst.model_copy(update={"staff": [t for t in inst.staff if t.id not in ids]})


def solved(inst, parts: str = "roster"):  # type: ignore[no-untyped-def]
    result = solve(inst, parts, time_limit=5)
    assert result.status in ("optimal", "feasible"), result.parts["roster"].message
    report = validate(inst, result.plan)
    assert report.ok, report.violations
    return result


def found(inst, plan, rule: str) -> list[Violation]:  # type: ignore[no-untyped-def]
    """The checker's violations of one rule."""
    return [v for v in validate(inst, plan).violations if v.rule == rule]


def rules_broken(inst, plan) -> set[str]:  # type: ignore[no-untyped-def]
    return {v.rule for v in validate(inst, plan).violations}


def moved(result) -> dict[str, Move]:  # type: ignore[no-untyped-def]
    return {m.staff: m for m in result.plan.roster if m.kind != "mentor"}


def mentor_pairs(result) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return {(m.staff, m.mentee or "") for m in result.plan.roster if m.kind == "mentor"}


def mentor_line(
    mentor: str, mentee: str, to: str = "village", subject: str = "英语", frm: str = "city"
) -> Move:
    return Move(
        staff=mentor,
        role="teacher",
        subject=subject,
        from_school=frm,
        to_school=to,
        first_period=P1,
        periods=2,
        direction="out",
        kind="mentor",
        mentee=mentee,
    )


def with_mentors(result, *lines: Move):  # type: ignore[no-untyped-def]
    """The plan with its moves and these mentor lines instead of its own."""
    keep = [m for m in result.plan.roster if m.kind != "mentor"]
    return result.plan.model_copy(update={"roster": keep + list(lines)})


def with_moves(plan, *moves: Move):  # type: ignore[no-untyped-def]
    """The plan with these moves added."""
    return plan.model_copy(update={"roster": [*plan.roster, *moves]})


# ---- mentors.one_to_one -----------------------------------------------------------------------


def test_mentors_one_to_one_feasible() -> None:
    # Three mentors, two young teachers: each young teacher gets one mentor of their own.
    inst = base([mentor("mentor_en"), mentor("mentor_en2"), young("young_a"), young("young_b")])
    pairs = mentor_pairs(solved(inst))
    assert sorted(y for _, y in pairs) == ["young_a", "young_b"]
    assert len({m for m, _ in pairs}) == 2


def test_mentors_one_to_one_infeasible() -> None:
    inst = base([young("young_a"), young("young_b")])
    result = solved(inst)
    assert len(mentor_pairs(result)) == 1  # one mentor, english_bb
    two = with_mentors(
        result, mentor_line("english_bb", "young_a"), mentor_line("english_bb", "young_b")
    )
    (v,) = found(inst, two, "mentors.one_to_one")
    assert v.where == ["english_bb"] and v.amount == 1
    inst2 = base([mentor("mentor_en"), young("young_a")])
    shared = with_mentors(
        solved(inst2), mentor_line("english_bb", "young_a"), mentor_line("mentor_en", "young_a")
    )
    assert any(v.where == ["young_a"] for v in found(inst2, shared, "mentors.one_to_one"))
    nobody = with_mentors(result, mentor_line("english_bb", "ghost"))
    (v,) = found(inst, nobody, "plan.unknown_staff")
    assert "ghost" in v.where


# ---- mentors.backbone -------------------------------------------------------------------------


def test_mentors_backbone_feasible() -> None:
    # A school-level backbone teacher and an exempt county-level one do not mentor; the
    # second young teacher waits.
    extra = [
        mentor("school_bb", backbone="school"),
        mentor("exempt_bb", backbone="county", status="exempt"),
        young("young_a"),
        young("young_b"),
    ]
    pairs = mentor_pairs(solved(base(extra)))
    assert {m for m, _ in pairs} == {"english_bb"} and len(pairs) == 1


def test_mentors_backbone_infeasible() -> None:
    extra = [
        mentor("school_bb", backbone="school"),
        mentor("exempt_bb", backbone="county", status="exempt"),
        young("young_a"),
        young("young_b"),
    ]
    inst = base(extra)
    result = solved(inst)
    (taken,) = mentor_pairs(result)
    left = "young_b" if taken[1] == "young_a" else "young_a"
    bad = with_mentors(result, mentor_line("english_bb", taken[1]), mentor_line("school_bb", left))
    (v,) = found(inst, bad, "mentors.backbone")
    assert v.where == ["school_bb", left]
    exempt = with_mentors(
        result, mentor_line("english_bb", taken[1]), mentor_line("exempt_bb", left)
    )
    (v,) = found(inst, exempt, "mentors.backbone")
    assert v.where == ["exempt_bb", left]


# ---- mentors.same_subject ---------------------------------------------------------------------


def test_mentors_same_subject_feasible() -> None:
    inst = base([mentor("mentor_en"), young("young_en"), young("young_math", subject="数学")])
    pairs = mentor_pairs(solved(inst))
    assert len(pairs) == 1  # one young English teacher; no mathematics mentor
    ((m, y),) = pairs
    assert y == "young_en" and m in ("mentor_en", "english_bb")


def test_mentors_same_subject_infeasible() -> None:
    inst = base([mentor("mentor_en"), young("young_en"), young("young_math", subject="数学")])
    result = solved(inst)
    wrong = result.plan.model_copy(
        update={
            "roster": [
                m.model_copy(update={"mentee": "young_math"}) if m.kind == "mentor" else m
                for m in result.plan.roster
            ]
        }
    )
    found_rules = rules_broken(inst, wrong)
    assert "mentors.same_subject" in found_rules and "mentors.maximal" in found_rules
    (v,) = found(inst, wrong, "mentors.same_subject")
    assert v.where[1] == "young_math"


# ---- mentors.young ----------------------------------------------------------------------------
# Young: at most 35, or under 5 years of teaching. New to the school does not count.


def _young_county() -> Instance:
    return base(
        [
            mentor("mentor_en"),
            mentor("mentor_en2"),
            young("young_v"),  # 25
            # 38, but in her second year of teaching: new to teaching, a mentee
            teacher("new_teacher", "village", "英语", age=38, teaching_years=2, years_at_school=2),
            # 45, 20 years of teaching, only new to this school: not a mentee
            teacher("moved_in", "village", "英语", age=45, teaching_years=20, years_at_school=1),
            # 45, ten years here, 教龄 unknown: not a mentee
            teacher("veteran_en", "village", "英语", age=45, years_at_school=10),
            # nothing known but a year at the school: nobody can say she is young
            teacher("unknown_en", "village", "英语", years_at_school=1),
        ]
    )


def test_mentors_young_feasible() -> None:
    # Three mentors, so a free one is left beside the three who are not young.
    pairs = mentor_pairs(solved(_young_county()))
    assert {y for _, y in pairs} == {"young_v", "new_teacher"}


def test_mentors_young_infeasible() -> None:
    inst = _young_county()
    result = solved(inst)
    busy = {m for m, _ in mentor_pairs(result)}
    (free,) = {"english_bb", "mentor_en", "mentor_en2"} - busy
    for not_young in ("moved_in", "veteran_en", "unknown_en"):
        bad = with_mentors(
            result,
            *(mentor_line(m, y) for m, y in mentor_pairs(result)),
            mentor_line(free, not_young),
        )
        (v,) = found(inst, bad, "mentors.young")
        assert v.where == [free, not_young]
    assert not rules.is_young(inst, teacher("x", "village", years_at_school=0))


# ---- mentors.younger --------------------------------------------------------------------------


def _younger_county() -> Instance:
    # english_bb is 40, junior_bb 30; old_young is 33 (young, but older than junior_bb).
    return base([mentor("junior_bb", age=30), young("old_young", age=33), young("fresh", age=26)])


def test_mentors_younger_feasible() -> None:
    # Only english_bb may take old_young; junior_bb takes fresh, and both are mentored.
    pairs = mentor_pairs(solved(_younger_county()))
    assert pairs == {("english_bb", "old_young"), ("junior_bb", "fresh")}
    # Ages unknown: teaching years decide. The mentor has taught 3 years: a mentee of 4
    # years is not younger in service, one of 1 year is.
    extra = [
        teacher("nameless_bb", "city", "英语", backbone="county", teaching_years=3),
        teacher("new_a", "village", "英语", teaching_years=4),
        teacher("new_b", "village", "英语", teaching_years=1),
    ]
    pairs = mentor_pairs(solved(without(base(extra), "english_bb")))
    assert pairs == {("nameless_bb", "new_b")}


def test_mentors_younger_infeasible() -> None:
    inst = _younger_county()
    result = solved(inst)
    swapped = with_mentors(
        result, mentor_line("junior_bb", "old_young"), mentor_line("english_bb", "fresh")
    )
    (v,) = found(inst, swapped, "mentors.younger")
    assert v.where == ["junior_bb", "old_young"] and v.amount == 3
    extra = [
        teacher("nameless_bb", "city", "英语", backbone="county", teaching_years=3),
        teacher("new_a", "village", "英语", teaching_years=4),
    ]
    inst2 = without(base(extra), "english_bb")
    result2 = solved(inst2)
    assert not mentor_pairs(result2)
    (v,) = found(
        inst2, with_mentors(result2, mentor_line("nameless_bb", "new_a")), "mentors.younger"
    )
    assert v.where == ["nameless_bb", "new_a"] and v.amount == 1


# ---- mentors.pair -----------------------------------------------------------------------------
# village is helped by city; town (ordinary) is helped by nobody, but shares an alliance with
# city when the alliances are planned.


def _town_county(**policy: Any) -> Instance:
    town = school("town", tier="ordinary", area="town", km=4)
    extra = [
        mentor("mentor_en"),
        mentor("town_bb", "town"),
        young("young_v"),
        young("young_t", "town"),
        young("young_c", "city"),
    ]
    return base(extra, schools=[town], policy=policy)


def test_mentors_pair_feasible() -> None:
    # Pair scope, no alliances: only village (helped by city) takes mentors from city.
    pairs = mentor_pairs(solved(_town_county()))
    assert [y for _, y in pairs] == ["young_v"]
    # One alliance led by city: town and village take mentors from city; nobody mentors
    # city's own young teacher, and town's backbone teacher mentors nobody.
    inst = _town_county(alliances={"groups": 1, "same_stage": False})
    result = solved(inst, "pairs,alliances,roster")
    assert {m.member for m in result.plan.alliances} == {"city", "town", "village"}
    pairs = mentor_pairs(result)
    assert {y for _, y in pairs} == {"young_v", "young_t"}
    assert {m for m, _ in pairs} <= {"english_bb", "mentor_en"}


def test_mentors_pair_infeasible() -> None:
    inst = _town_county()
    result = solved(inst)
    ((m, _),) = mentor_pairs(result)
    other = "mentor_en" if m == "english_bb" else "english_bb"
    bad = with_mentors(result, mentor_line(m, "young_v"), mentor_line(other, "young_t", to="town"))
    (v,) = found(inst, bad, "mentors.pair")
    assert v.where == [other, "young_t"]
    # In the alliance, the ordinary town school is no source of mentors.
    inst = _town_county(alliances={"groups": 1, "same_stage": False})
    result = solved(inst, "pairs,alliances,roster")
    lines = [mentor_line(m, y) for m, y in mentor_pairs(result) if y != "young_v"]
    bad = with_mentors(result, *lines, mentor_line("town_bb", "young_v", frm="town"))
    (v,) = found(inst, bad, "mentors.pair")
    assert v.where == ["town_bb", "young_v"]


# ---- mentors.at_home --------------------------------------------------------------------------


def _away_county() -> Instance:
    # bb_due is a due county-level backbone teacher; with half the movers backbone, he is
    # the one who goes to village, so he cannot mentor there.
    extra = [
        teacher("bb_due", "city", "英语", years_at_school=8, backbone="county", age=45),
        young("young_a"),
        young("young_b"),
    ]
    return base(extra, policy={"rotation": {"backbone_share": 0.5}})


def test_mentors_at_home_feasible() -> None:
    result = solved(_away_county())
    assert "bb_due" in moved(result)
    pairs = mentor_pairs(result)
    assert {m for m, _ in pairs} == {"english_bb"}  # one young teacher waits


def test_mentors_at_home_infeasible() -> None:
    inst = _away_county()
    result = solved(inst)
    ((_, taken),) = mentor_pairs(result)
    left = "young_b" if taken == "young_a" else "young_a"
    bad = with_mentors(result, mentor_line("english_bb", taken), mentor_line("bb_due", left))
    (v,) = found(inst, bad, "mentors.at_home")
    assert v.where == ["bb_due", left]
    # A secondment takes the mentor away too; itinerant lessons do not (a headship: see
    # test_mentor_away_heading_another_school_is_caught).
    for kind, caught in (("secondment", True), ("itinerant", False)):
        plan = with_moves(with_mentors(result, mentor_line("english_bb", taken)), _trip(kind))
        assert bool(found(inst, plan, "mentors.at_home")) == caught, kind


def _trip(kind: str) -> Move:
    """A one-semester move of english_bb to village of this kind."""
    return Move(
        staff="english_bb",
        role="teacher",
        subject="英语",
        from_school="city",
        to_school="village",
        first_period=P1,
        periods=1,
        direction="out",
        kind=kind,  # type: ignore[arg-type]
    )


def test_mentor_away_heading_another_school_is_caught() -> None:
    inst = _away_county()
    result = solved(inst)
    ((_, taken),) = mentor_pairs(result)
    plan = with_moves(with_mentors(result, mentor_line("english_bb", taken)), _trip("headship"))
    assert found(inst, plan, "mentors.at_home")


# ---- rotation.mentor_cycle_years --------------------------------------------------------------
# One mentor, english_bb; young_a (23) is newer to teaching than young_b (25), so the flow
# would take young_a.


def _cycle_county(period: str, **rotation: Any) -> Instance:
    return base(
        [young("young_a", age=23), young("young_b")],
        history=[past_mentor("english_bb", "young_a", period)],
        policy={"rotation": rotation},
    )


def test_rotation_mentor_cycle_years_feasible() -> None:
    # Paired in 2024-2025, one year before the horizon (2025): not formed again.
    assert mentor_pairs(solved(_cycle_county("2024-2025"))) == {("english_bb", "young_b")}
    # Paired in 2022-2023: that 3-year cycle is over, the pair may be formed again ...
    assert mentor_pairs(solved(_cycle_county("2022-2023"))) == {("english_bb", "young_a")}
    # ... unless the cycle is 4 years.
    inst = _cycle_county("2022-2023", mentor_cycle_years=4)
    assert mentor_pairs(solved(inst)) == {("english_bb", "young_b")}
    # A period without a year cannot be placed in time and counts as recent.
    assert rules.recent_mentor_pairs(_cycle_county("第一轮")) == {("english_bb", "young_a")}


def test_rotation_mentor_cycle_years_infeasible() -> None:
    inst = _cycle_county("2024-2025")
    result = solved(inst)
    again = with_mentors(result, mentor_line("english_bb", "young_a"))
    (v,) = found(inst, again, "rotation.mentor_cycle_years")
    assert v.where == ["english_bb", "young_a"]
    # The only possible pair is a recent one: no pair, and the plan is still maximal.
    alone = without(inst, "young_b")
    assert not mentor_pairs(solved(alone))


# ---- mentors.maximal --------------------------------------------------------------------------


def test_mentors_maximal_feasible() -> None:
    # Two mentors, three young English teachers: two pairs, as many as there can be.
    inst = base([mentor("mentor_en"), young("young_a"), young("young_b"), young("young_c")])
    pairs = mentor_pairs(solved(inst))
    assert {m for m, _ in pairs} == {"english_bb", "mentor_en"}
    assert len({y for _, y in pairs}) == 2
    # Free mentors and free young teachers that no rule lets pair are not a gap: again (31)
    # is older than junior_bb (30), was english_bb's mentee last year, and bb_due is away.
    blocked = base(
        [
            mentor("junior_bb", age=30),
            young("old_young", age=33),
            teacher("bb_due", "city", "英语", years_at_school=8, backbone="county", age=45),
            young("again", age=31),
        ],
        history=[past_mentor("english_bb", "again", "2024-2025")],
        policy={"rotation": {"backbone_share": 0.5}},
    )
    result = solved(blocked)
    assert "bb_due" in moved(result)
    assert mentor_pairs(result) == {("english_bb", "old_young")}
    assert not found(blocked, result.plan, "mentors.maximal")


def test_mentors_maximal_infeasible() -> None:
    inst = base([mentor("mentor_en"), young("young_a"), young("young_b")])
    result = solved(inst)
    ((m, y), _) = sorted(mentor_pairs(result))
    one = with_mentors(result, mentor_line(m, y))
    (v,) = found(inst, one, "mentors.maximal")
    assert v.where[0] != m and v.where[1] != y
    assert "mentors.maximal" not in rules_broken(inst, result.plan)


# ---- property: random small counties ----------------------------------------------------------

SUBJECTS = ["英语", "英语", "数学"]


def _maximum_matching(arcs: list[tuple[Staff, Staff]]) -> int:
    """Size of a maximum bipartite matching by augmenting paths (Kuhn), for comparison."""
    adj: dict[str, list[str]] = {}
    for m, y in arcs:
        adj.setdefault(m.id, []).append(y.id)
    owner: dict[str, str] = {}

    def augment(m: str, seen: set[str]) -> bool:
        for y in adj[m]:
            if y not in seen:
                seen.add(y)
                if y not in owner or augment(owner[y], seen):
                    owner[y] = m
                    return True
        return False

    return sum(augment(m, set()) for m in adj)


@st.composite
def mentor_counties(draw: st.DrawFn) -> tuple[Instance, Plan, set[str]]:
    """A county, a plan's pairs and alliances (random, as a planner might pin them), and
    the staff away on exchanges."""
    n = draw(st.integers(2, 5))
    schools = [
        school(
            f"s{i}",
            tier=draw(st.sampled_from(["strong", "ordinary", "weak"])),
            area=draw(st.sampled_from(["urban", "town", "rural"])),
            km=i,
        )
        for i in range(n)
    ]
    ids = [s.id for s in schools]
    staff = [
        teacher(
            f"t{k}",
            draw(st.sampled_from(ids)),
            draw(st.sampled_from(SUBJECTS)),
            backbone=draw(st.sampled_from(["none", "school", "county", "county", "province"])),
            status=draw(st.sampled_from(["active"] * 5 + ["exempt"])),
            age=draw(st.sampled_from([None, 24, 28, 31, 35, 36, 40, 45, 55])),
            teaching_years=draw(st.sampled_from([None, None, 0, 2, 4, 5, 8, 20])),
        )
        for k in range(draw(st.integers(0, 20)))
    ]
    history = []
    if staff:
        for period in draw(st.lists(st.sampled_from(["2021-2022", "2023-2024", "2024-2025"]))):
            a, b = draw(st.sampled_from(staff)), draw(st.sampled_from(staff))
            record = past_mentor(a.id, b.id, period, a.school, b.school)
            if record not in history:  # a row given twice is refused as bad input
                history.append(record)
    inst = county(
        schools,
        staff=staff,
        history=history,
        policy={"rotation": {"mentor_cycle_years": draw(st.integers(1, 4))}},
    )
    pairs = [
        Pair(helper=a, helped=b, distance_km=0.0, complementarity=0, why="")
        for a, b in draw(
            st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), min_size=1)
        )
    ]
    alliances = []
    if draw(st.booleans()):
        for sid in ids:
            group = draw(st.sampled_from(["A01", "A02"]))
            alliances.append(Membership(alliance=group, lead=sid, member=sid, distance_km=0.0))
    away = {t.id for t in staff if draw(st.integers(0, 5)) == 0}
    plan = Plan(
        instance="tiny",
        parts=["roster"],
        status="optimal",
        objective=0,
        pairs=pairs,
        alliances=alliances,
        roster=[
            Move(
                staff=sid,
                role="teacher",
                from_school=next(t.school for t in staff if t.id == sid),
                to_school=ids[0],
                first_period=P1,
                periods=1,
                direction="out",
                kind="exchange",
            )
            for sid in sorted(away)
        ],
    )
    return inst, plan, away


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mentor_counties())
def test_mentor_matching_passes_every_mentor_check(case: tuple[Instance, Plan, set[str]]) -> None:
    inst, plan, away = case
    elsewhere = mentee_elsewhere(plan.roster)  # [rotation.mentee_at_home]
    matched = match_mentors(inst, plan.pairs, plan.alliances, away, elsewhere=elsewhere)
    assert len(matched) == _maximum_matching(
        mentor_candidates(inst, plan.pairs, plan.alliances, away, elsewhere)
    )
    lines = [
        Move(
            staff=m.id,
            role=m.role,
            subject=m.subject,
            from_school=m.school,
            to_school=y.school,
            first_period=P1,
            periods=len(inst.policy.horizon.periods),
            direction="out",
            kind="mentor",
            mentee=y.id,
        )
        for m, y in matched
    ]
    f = roster_facts(inst, with_moves(plan, *lines), Distances(inst))
    violations = [v for check in MENTOR_CHECKS for v in check(f)]
    assert not violations, violations


def test_mentor_flow_prefers_the_newest_to_teaching() -> None:
    # One mentor, two young teachers: the one with fewer years of teaching is mentored,
    # though older and longer at the school; with 教龄 unknown, the younger one.
    extra = [
        teacher("first_year", "village", "英语", age=34, teaching_years=1, years_at_school=1),
        teacher("fourth_year", "village", "英语", age=26, teaching_years=4, years_at_school=0),
    ]
    assert mentor_pairs(solved(base(extra))) == {("english_bb", "first_year")}
    extra = [young("older", age=33, years_at_school=0), young("younger", age=24)]
    assert mentor_pairs(solved(base(extra))) == {("english_bb", "younger")}
