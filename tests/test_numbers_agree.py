"""unmet_needs.csv, unmet_lessons.csv, the KPIs and the report count the same covered
lessons (:mod:`twinning.rules.cover`): a shortage the circuits cover whole is not listed
as still short, and every file says the same lessons a week are covered."""

from __future__ import annotations

import csv
import io
from typing import Any

from tests.conftest import county, need, school, teacher
from twinning import solve, validate
from twinning.county.instance import Instance
from twinning.plan import CircuitVisit, Plan, UnmetNeed
from twinning.report.content import build_content, needs_by_type
from twinning.rules.cover import circuit_lessons, covers

P1, P2 = "2025-2026-1", "2025-2026-2"


def rows(files: dict[str, bytes], name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(files[name].decode("utf-8-sig"))))


def villages() -> Instance:
    """A town school with music teachers to spare; villages short of music (a circuit can
    cover them) and of Chinese (no circuit subject: still short)."""
    schools = [
        school("H", area="town"),
        school("V1", tier="weak", area="rural", km=5),
        school("V2", tier="weak", area="rural", km=8),
    ]
    staff = [teacher(f"m{k}", "H", "音乐", weekly_load=8) for k in range(3)]
    staff += [teacher(f"c{k}", "H", "语文") for k in range(4)]
    needs = [need(v, "音乐", shortage=1, weekly_lessons=4) for v in ("V1", "V2")]
    needs += [need(v, "语文", shortage=1) for v in ("V1", "V2")]
    policy = {"horizon": {"periods": [P1, P2]}, "alliances": {"groups": 1}}
    return county(schools, staff=staff, needs=needs, policy=policy)


def test_a_solved_plan_counts_the_same_covered_lessons_everywhere() -> None:
    inst = villages()
    result = solve(inst, parts="roster,itinerant", time_limit=20)
    plan = result.plan
    assert validate(inst, plan).ok or result.status != "optimal"
    files = plan.files(inst=inst, formats=("csv",), summary=result.summary(), lang="en")
    unmet = rows(files, "unmet_needs.csv")
    lessons = rows(files, "unmet_lessons.csv")
    given = circuit_lessons(plan.circuits)
    assert given, "the circuits cover something"
    short_rows = {(r["school"], r["subject"]) for r in unmet}
    for r in lessons:
        key = (r["school"], r["subject"])
        needed, covered = int(r["weekly_lessons"]), int(r["covered"])
        assert covered == given.get(key, 0)
        # still short in unmet_lessons.csv  <=>  a row of unmet_needs.csv
        assert (covered < needed) == (key in short_rows), (key, covered, needed)
        for u in unmet:
            if (u["school"], u["subject"]) == key:
                assert int(u["circuit_lessons"]) == min(int(u["weekly_lessons"]), covered)
    # a shortage covered whole is gone from unmet_needs.csv; Chinese is still short
    whole = [k for k, n in given.items() if k[1] == "音乐"]
    assert whole and not short_rows & set(whole)
    assert {(u.school, u.subject) for u in plan.unmet_needs} & set(whole)  # the roster left it
    assert {("V1", "语文"), ("V2", "语文")} <= short_rows
    # every row listed is short after the roster and the circuits
    assert all(int(u["left"]) > 0 for u in unmet)
    # the KPIs and the report: the same lessons covered
    kpis: Any = result.summary().parts["itinerant"].kpis
    assert kpis.weekly_lessons_covered == sum(int(r["covered"]) for r in lessons)
    content = build_content(inst, plan, validate(inst, plan), summary=result.summary())
    tile = {k.key: k.value for k in content.kpis["itinerant"]}
    assert tile["weekly_lessons_covered"] == kpis.weekly_lessons_covered


def stop(school: str, lessons: int, day: str = "Mon") -> CircuitVisit:
    return CircuitVisit(
        staff="m0",
        subject="音乐",
        home_school="H",
        weekday=day,
        order=1,
        school=school,
        lessons=lessons,
        km=5.0,
    )


def short(school: str, period: str, shortage: int = 1, covered: int = 0) -> UnmetNeed:
    return UnmetNeed(
        school=school,
        subject="音乐",
        period=period,
        shortage=shortage,
        covered=covered,
        priority=1,
        reachable=False,
    )


def test_covers_takes_the_circuits_lessons_off_each_period() -> None:
    inst = villages()  # V1 and V2 need 4 music lessons a week for one teacher short
    plan = Plan(
        instance="tiny",
        parts=["roster", "itinerant"],
        status="feasible",
        objective=0,
        unmet_needs=[short("V1", P1), short("V1", P2), short("V2", P1)],
        circuits=[stop("V1", 2), stop("V1", 2, "Tue"), stop("V2", 2)],
    )
    got = {
        (c.school, c.period): (c.weekly_lessons, c.circuit_lessons, c.left)
        for c in covers(inst, plan)
    }
    assert got == {
        ("V1", P1): (4, 4, 0),  # covered whole, in every period
        ("V1", P2): (4, 4, 0),
        ("V2", P1): (4, 2, 1),  # half covered: one teacher still short
    }
    files = plan.files(inst=inst, formats=("csv",), lang="en")
    assert [(r["school"], r["period"], r["left"]) for r in rows(files, "unmet_needs.csv")] == [
        ("V2", P1, "1")
    ]
    # the report's needs chart counts the circuits' cover too: only V2's one teacher-period
    groups = {(g.dimension, g.value): g for g in needs_by_type(inst, plan)}
    rural = groups[("area", "rural")]
    # (the plan lists only these three rows: V2's music in P1 is all that is left)
    assert rural.total - rural.covered == 1
