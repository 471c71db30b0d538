"""The checker's messages are data: every violation the checker writes is a code of the
catalogue with its parameters, said in English as it always was and in Chinese without an
English word.

The violations are real ones: the shipped demo county is solved, then its plan doctored
(a move duplicated, a pair stretched past twinning.max_km, an alliance member dropped, an
unknown staff id added, a circuit broken, ...) and checked.
"""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Callable
from pathlib import Path

import pytest

import twinning
from twinning import Instance, Plan, Violation, load_instance, validate, with_policy
from twinning.county.instance import NewHire
from twinning.messages import CATALOGUE, msg
from twinning.messages.vocab import VALUES_ZH
from twinning.plan import CircuitVisit, Hire
from twinning.rules import roster as rules_roster

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "instances" / "demo-county"
CHECK = ROOT / "solver" / "check"
#: Every module that writes a violation: the rules' (solver/check) and the plan's own.
CHECKERS = sorted([*CHECK.glob("*.py"), ROOT / "solver" / "validation.py"])

#: What may stay Latin in a Chinese sentence: ids (S0026, T000013, A01, ZX007-014), dotted
#: policy keys (rotation.rate, horizon.periods) and the tools' names.
IDS = re.compile(r"\b[A-Z]+\d[\w-]*")
POLICY_KEYS = re.compile(r"\b[a-z_]+(?:\.[a-z_]+)+\b")
TOOLS = re.compile(r"CP-SAT|OR-Tools|HiGHS|PuLP|CBC|Excel")
ENGLISH = re.compile(r"[A-Za-z]{2,}")


def english_words(text: str) -> list[str]:
    """The English words of a Chinese sentence, once ids, policy keys and tools are gone."""
    for allowed in (TOOLS, POLICY_KEYS, IDS):
        text = allowed.sub(" ", text)
    return ENGLISH.findall(text)


# ---- the demo county, solved once, and the plans made of it --------------------------------


@pytest.fixture(scope="module")
def demo() -> tuple[Instance, Plan]:
    inst = load_instance(DEMO)
    result = twinning.solve(inst, time_limit=20)
    assert validate(inst, result.plan).ok
    return inst, result.plan


Doctor = Callable[[Instance, Plan], tuple[Instance, Plan]]


def _copy(plan: Plan, **rows: object) -> Plan:
    return plan.model_copy(update=rows)


def pairs_far(inst: Instance, plan: Plan) -> tuple[Instance, Plan]:
    """Every pair stretched past a twinning.max_km of 5 km."""
    return with_policy(inst, {"twinning.max_km": 5}), plan


def pairs_doctored(inst: Instance, plan: Plan) -> tuple[Instance, Plan]:
    """A pair's figures mis-stated, a weak school given a second helper, a pair naming a
    strong school as helped (its weak school left unpaired without a reason), and a pair
    naming an unknown school."""
    pairs = list(plan.pairs)
    first, second = pairs[0], pairs[1]
    strong = next(s.id for s in inst.schools if s.tier == "strong" and s.id != first.helper)
    pairs[0] = first.model_copy(
        update={"distance_km": first.distance_km + 3, "complementarity": first.complementarity + 1}
    )
    pairs[1] = second.model_copy(update={"helped": strong})
    pairs.append(first.model_copy(update={"helper": second.helper}))
    pairs.append(first.model_copy(update={"helper": "S9999"}))
    return inst, _copy(plan, pairs=pairs)


def alliances_doctored(inst: Instance, plan: Plan) -> tuple[Instance, Plan]:
    """An alliance member dropped, another in two alliances, one alliance naming two
    leads, a distance mis-stated and an unknown school."""
    rows = list(plan.alliances)
    members = [i for i, m in enumerate(rows) if m.member != m.lead]
    dropped = members[0]
    twice = rows[members[1]]
    other = next(m for m in rows if m.alliance != twice.alliance)
    rows[members[2]] = rows[members[2]].model_copy(
        update={"distance_km": rows[members[2]].distance_km + 2}
    )
    stranger = next(m.lead for m in rows if m.alliance != rows[members[3]].alliance)
    rows[members[3]] = rows[members[3]].model_copy(update={"lead": stranger})
    rows.append(twice.model_copy(update={"alliance": other.alliance, "lead": other.lead}))
    rows.append(twice.model_copy(update={"member": "S9999"}))
    del rows[dropped]
    return inst, _copy(plan, alliances=rows)


def roster_doctored(inst: Instance, plan: Plan) -> tuple[Instance, Plan]:
    """A move duplicated, one beyond the horizon, one too long, one from the wrong school,
    one turned round, an unknown staff id, a headship for a teacher, and moves for an
    exempt, a deferred and an over-age member of staff."""
    ex = [m for m in plan.roster if m.kind == "exchange"]
    moving = {m.staff for m in plan.roster}
    away_from = next(s.id for s in inst.schools if s.id != ex[3].from_school)
    changed = {
        id(ex[1]): {"first_period": "2030-2031-1"},
        id(ex[2]): {"periods": 5},
        id(ex[3]): {"from_school": away_from},
        id(ex[4]): {"direction": "in" if ex[4].direction == "out" else "out"},
    }
    roster = [m.model_copy(update=changed[id(m)]) if id(m) in changed else m for m in plan.roster]
    roster.append(ex[0])
    roster.append(ex[5].model_copy(update={"staff": "T999999"}))
    free = [t for t in inst.staff if t.id not in moving]
    teacher = next(t for t in free if t.role == "teacher" and t.status == "active")
    roster.append(
        ex[6].model_copy(
            update={"staff": teacher.id, "from_school": teacher.school, "kind": "headship"}
        )
    )
    for person in (
        next(t for t in free if t.status == "exempt"),
        next(t for t in free if t.status == "deferred"),
        next(t for t in free if t.status == "active" and rules_roster.age_exempt(inst, t)),
    ):
        roster.append(ex[7].model_copy(update={"staff": person.id, "from_school": person.school}))
    return inst, _copy(plan, roster=roster)


def mentors_doctored(inst: Instance, plan: Plan) -> tuple[Instance, Plan]:
    """A mentor given a second mentee, a mentor line naming an unknown mentee, and a
    mentee of another subject."""
    lines = [m for m in plan.roster if m.kind == "mentor"]
    roster = list(plan.roster)
    roster.append(lines[0].model_copy(update={"mentee": lines[1].mentee}))
    roster.append(lines[2].model_copy(update={"mentee": "T999998"}))
    staff = {t.id: t for t in inst.staff}
    mentor = staff[lines[3].staff]
    other = next(
        t for t in inst.staff if t.subject and t.subject != mentor.subject and t.role == "teacher"
    )
    roster = [m.model_copy(update={"mentee": other.id}) if m is lines[3] else m for m in roster]
    return inst, _copy(plan, roster=roster)


def a_circuit(inst: Instance) -> list[CircuitVisit]:
    """One teacher's week of two days away (the demo county's own teachers have no whole
    post of spare lessons, so its plan has no circuit to doctor): Mon at the two schools
    nearest home, Tue at the nearest, two lessons each, legs stated right."""
    from twinning.county.distances import Distances
    from twinning.rules.itinerant import Minutes

    dist = Distances(inst)
    minutes = Minutes(inst, dist)
    t = next(p for p in sorted(inst.staff, key=lambda p: p.id) if p.subject == "音乐")
    a, b = sorted(
        (s.id for s in inst.schools if s.id != t.school), key=lambda s: dist.km(t.school, s)
    )[:2]
    leg = [(t.school, a), (a, b)]
    base = {"staff": t.id, "subject": t.subject, "home_school": t.school, "lessons": 2}
    return [
        CircuitVisit(**base, weekday=day, order=order, school=to, km=km, minutes=mins)
        for day, order, (start, to) in (("Mon", 1, leg[0]), ("Mon", 2, leg[1]), ("Tue", 1, leg[0]))
        for km, mins in [(round(dist.km(start, to), 3), round(minutes.get(start, to), 1))]
    ]


def circuits_doctored(inst: Instance, plan: Plan) -> tuple[Instance, Plan]:
    """A circuit day moved to Sunday, stops misnumbered, a leg's km mis-stated, a visit of
    far too many lessons, and an unknown teacher."""
    rows = a_circuit(inst) + list(plan.circuits)
    first = rows[0]
    same_day = [
        i for i, c in enumerate(rows) if (c.staff, c.weekday) == (first.staff, first.weekday)
    ]
    rows = [
        c.model_copy(update={"weekday": "Sun"}) if i in same_day else c for i, c in enumerate(rows)
    ]
    rows[1] = rows[1].model_copy(update={"km": rows[1].km + 4, "order": rows[1].order + 7})
    rows[2] = rows[2].model_copy(update={"lessons": 40})
    rows.append(
        CircuitVisit(
            staff="T999997",
            subject=first.subject,
            home_school=first.home_school,
            weekday="Tue",
            order=1,
            school=first.school,
            lessons=2,
            km=first.km,
        )
    )
    return inst, _copy(plan, circuits=rows)


def outreach_doctored(inst: Instance, plan: Plan) -> tuple[Instance, Plan]:
    """A visit in week 99 of an unknown semester, one of 3 days, one at the visitor's own
    school, one twice in a week, a 跟岗 stint of the wrong length, an unknown teacher, and
    a school's visits taken away."""
    rows = list(plan.outreach)
    lessons = [i for i, o in enumerate(rows) if o.kind == "model_lesson"]
    shadows = [i for i, o in enumerate(rows) if o.kind == "shadowing"]
    a, b, c, d = (rows[i] for i in lessons[:4])
    rows[lessons[0]] = a.model_copy(update={"week": 99, "period": "2099-2100-1"})
    rows[lessons[1]] = b.model_copy(update={"days": 3})
    rows[lessons[2]] = c.model_copy(update={"to_school": c.from_school})
    rows.append(d)
    rows[shadows[0]] = rows[shadows[0]].model_copy(update={"days": rows[shadows[0]].days + 2})
    rows.append(d.model_copy(update={"staff": "T999996"}))
    starved = rows[lessons[5]].to_school
    rows = [o for o in rows if not (o.kind == "model_lesson" and o.to_school == starved)]
    return inst, _copy(plan, outreach=rows)


def _hires(inst: Instance) -> Instance:
    """The demo county with two primary English teachers hired."""
    hired = NewHire(subject="英语", stage="primary", count=2)
    return inst.model_copy(update={"new_hires": [*inst.new_hires, hired]})


def _hire(school: str, count: int = 1) -> Hire:
    return Hire(school=school, subject="英语", count=count, reason=msg("text", text="-"))


def hires_doctored(inst: Instance, plan: Plan) -> tuple[Instance, Plan]:
    """Two English teachers hired: one placed at an urban strong school while rural weak
    schools lack English, the other left unplaced; a hire at a junior school, and one at a
    school the county does not have."""
    placed = [_hire("S0005"), _hire("S0010"), _hire("S9999")]
    return _hires(inst), _copy(plan, hires=placed)


def hires_over(inst: Instance, plan: Plan) -> tuple[Instance, Plan]:
    """Three English teachers placed at a school short of one, two hired."""
    return _hires(inst), _copy(plan, hires=[_hire("S0002", 3)])


def balance_rule(inst: Instance, plan: Plan) -> tuple[Instance, Plan]:
    """The plan held to the balance evaluation's thresholds (balance.target = "rule")."""
    return with_policy(inst, {"balance.target": "rule"}), plan


#: Policy the demo plan was not made for: each key broken somewhere in the plan.
TIGHTER = {
    "alliances.groups": 5,
    "alliances.max_size": 5,
    "alliances.leads": ["S0002"],
    "alliances.within_region": True,
    "itinerant.max_km_per_day": 1,
    "itinerant.max_teachers": 0,
    "itinerant.min_lessons_per_visit": 3,
    "rotation.max_km": 1,
    "rotation.min_periods": 2,
    "rotation.two_way": False,
    "rotation.secondment_count": 1,
    "rotation.secondment_per_host": 0,
    "outreach.max_visits_per_teacher": 1,
    "twinning.max_helped": 1,
}


def tighter_policy(inst: Instance, plan: Plan) -> tuple[Instance, Plan]:
    """The demo plan, with one teacher's circuit and one exchange cut to its second
    semester (the plan's teachers go for the school year, rotation.classes_change_once_a_year),
    checked against a tighter policy (:data:`TIGHTER`)."""
    roster = list(plan.roster)
    k = next(i for i, m in enumerate(roster) if m.kind == "exchange" and m.periods == 2)
    periods = inst.policy.horizon.periods
    roster[k] = roster[k].model_copy(update={"periods": 1, "first_period": periods[1]})
    circuits = a_circuit(inst) + plan.circuits
    return with_policy(inst, TIGHTER), _copy(plan, circuits=circuits, roster=roster)


DOCTORS: dict[str, Doctor] = {
    "policy": tighter_policy,
    "pairs_far": pairs_far,
    "pairs": pairs_doctored,
    "alliances": alliances_doctored,
    "roster": roster_doctored,
    "mentors": mentors_doctored,
    "circuits": circuits_doctored,
    "outreach": outreach_doctored,
    "hires": hires_doctored,
    "hires_over": hires_over,
    "balance": balance_rule,
}


@pytest.fixture(scope="module")
def found(demo: tuple[Instance, Plan]) -> dict[str, list[Violation]]:
    """Each doctored plan's violations (the plan's own stated objectives among them)."""
    inst, plan = demo
    out = {}
    for name, doctor in DOCTORS.items():
        i, p = doctor(inst, plan)
        out[name] = validate(i, p).violations
    return out


def _all(found: dict[str, list[Violation]]) -> list[Violation]:
    return [v for vs in found.values() for v in vs]


# ---- every violation is a message of the catalogue -----------------------------------------


def test_every_violation_is_a_check_code_of_the_catalogue(
    found: dict[str, list[Violation]],
) -> None:
    violations = _all(found)
    assert len({v.code for v in violations}) >= 60  # the doctoring reaches most rules
    for v in violations:
        assert v.code != "text", v
        assert v.code.startswith("check."), v
        assert v.code in CATALOGUE, v


def test_chinese_has_no_english_word(found: dict[str, list[Violation]]) -> None:
    for v in _all(found):
        zh = v.text("zh")
        assert not zh.startswith(v.code), (v.code, zh)  # rendered, not the fallback
        assert not english_words(zh), (v.code, zh, english_words(zh))


def test_a_violation_keeps_its_code_and_parameters_in_json(
    found: dict[str, list[Violation]],
) -> None:
    for v in _all(found):
        back = Violation.model_validate_json(v.model_dump_json())
        assert (back.code, back.text("en"), back.text("zh")) == (
            v.code,
            v.text("en"),
            v.text("zh"),
        )


#: (doctored plan, code) -> what the English message says (today's wording, the facts).
ENGLISH_SAYS: dict[tuple[str, str], str] = {
    ("pairs_far", "check.twinning.max_km"): r"\d+\.\d km apart, limit 5 km",
    ("pairs", "check.twinning.helped"): r"S\d{4} is not a weak school \(tier strong\)",
    ("pairs", "check.twinning.helped_once"): r"S\d{4} has 2 helpers, at most 1",
    ("pairs", "check.plan.pair_figures.km"): r"stated [\d.]+ km, the instance gives [\d.]+ km",
    ("pairs", "check.plan.pair_figures.complementarity"): r"stated complementarity \d+, "
    r"recomputed \d+",
    ("pairs", "check.plan.unknown_school.row"): r"pairs line \d+ names school \S+, which the "
    r"instance does not have .*",
    ("alliances", "check.alliances.cover.none"): r"S\d{4} is in no alliance",
    ("alliances", "check.alliances.cover.many"): r"S\d{4} is in 2 alliances",
    ("alliances", "check.alliances.one_lead"): r"alliance A\d+ names 2 leads",
    ("alliances", "check.plan.alliance_figures"): r"stated [\d.]+ km, the instance gives "
    r"[\d.]+ km",
    ("roster", "check.rotation.one_move"): r"T\d{6} has 2 moves in the horizon, at most 1",
    ("roster", "check.staff.status"): r"T\d{6} is (exempt|deferred) and never moves",
    ("roster", "check.rotation.exempt_age"): r"T\d{6} is \d+ \([MF]\), exempt",
    ("roster", "check.horizon.periods.first"): "first period 2030-2031-1 is not in the horizon",
    ("roster", "check.rotation.max_periods"): r"lasts 5 period\(s\), allowed 1\.\.2",
    ("roster", "check.plan.unknown_staff.row"): r"roster line \d+ names staff \S+, whom the "
    r"instance does not have",
    ("roster", "check.rotation.principal_term_years.role"): r"T\d{6} is a teacher; only "
    r"principals change headship",
    ("roster", "check.rotation.headship_stage"): r"S\d{4} \([a-z_, ]+\) shares no stage with "
    r"S\d{4} \([a-z_, ]+\)",
    ("mentors", "check.mentors.one_to_one.mentor"): r"T\d{6} mentors 2 teachers",
    ("mentors", "check.mentors.one_to_one.mentee"): r"T\d{6} has 2 mentors",
    ("mentors", "check.mentors.same_subject"): r"\S+ mentor for a \S+ teacher",
    ("circuits", "check.itinerant.days.weekday"): r"T\d{6} circuits on Sun",
    ("circuits", "check.itinerant.days.order"): r"T\d{6}'s stops on (Sun|Mon|Tue|Wed|Thu|Fri) "
    r"are misnumbered",
    ("circuits", "check.itinerant.max_lessons_per_day"): r"4\d lessons on [A-Z][a-z]{2}",
    ("circuits", "check.plan.circuit_figures"): r"stated [\d.]+ km, the instance gives [\d.]+ km",
    ("circuits", "check.plan.unknown_staff.row"): r"circuits line \d+ names staff \S+.*",
    ("outreach", "check.outreach.weeks.week"): r"T\d{6}: week\(s\) 99 are not outreach weeks",
    ("outreach", "check.outreach.weeks.period"): r"T\d{6}: semester 2099-2100-1 is not in "
    r"horizon\.periods",
    ("outreach", "check.outreach.visitors.days"): r"T\d{6}: visit of 3 days, not 1",
    ("outreach", "check.outreach.visitors.own_school"): r"T\d{6} visits their own school",
    ("outreach", "check.outreach.short_exchange_weeks"): r"T\d{6}: a 跟岗 stint of \d+ days, "
    r"not 5",
    ("outreach", "check.outreach.max_visits_per_teacher.week"): r"T\d{6} is on 2 outreach "
    r"lines in week \d+ of 2025-2026-[12]",
    ("outreach", "check.outreach.visits_per_school"): r"S\d{4} receives \d model-lesson "
    r"visit\(s\) in 2025-2026-[12], not 2",
    ("hires", "check.hires.shortage.stage"): "no 英语 hire is of a stage S0010 teaches",
    ("hires", "check.hires.rural_weak_first"): r"1 英语 hire\(s\) at other schools \(S0005\) "
    r"while rural or weak schools of their stage \(S\d{4}(, S\d{4})*\) still lack 英语",
    ("hires", "check.hires.maximal"): r"1 英语 hire\(s\) left unplaced while schools of their "
    r"stage \(S\d{4}(, S\d{4})*\) still lack 英语",
    ("hires_over", "check.hires.count"): "3 英语 hires placed at schools only primary hires "
    "fit, 2 primary 英语 teachers hired",
    ("hires_over", "check.hires.shortage.over"): "3 英语 hires placed, 1 still lacking after "
    "the roster",
    ("policy", "check.alliances.groups"): "the county: 4 alliances, the policy asks for 5",
    ("policy", "check.alliances.max_size"): r"alliance A\d+ has \d+ schools, at most 5",
    ("policy", "check.alliances.leads"): "S0002 is a fixed lead but leads no alliance",
    ("policy", "check.alliances.within_region"): r"S\d{4} is in region \S+, its lead S\d{4} "
    r"in \S+",
    ("policy", "check.itinerant.max_km_per_day"): r"T\d{6} travels \d+\.\d km on "
    r"(Mon|Tue|Wed|Thu|Fri)",
    ("policy", "check.itinerant.max_teachers"): r"\d+ teachers on circuits, at most 0",
    ("policy", "check.itinerant.min_lessons_per_visit"): r"2 lesson\(s\) at S\d{4} on "
    r"(Mon|Tue|Wed|Thu|Fri)",
    ("policy", "check.rotation.max_km"): r"\d+\.\d km, limit 1",
    ("policy", "check.rotation.min_periods"): r"lasts 1 period\(s\), allowed 2\.\.2",
    ("policy", "check.rotation.two_way"): r"learning stints are off \(rotation\.two_way = "
    r"false\)",
    ("policy", "check.rotation.secondment_count"): r"\d+ secondments, the policy asks for 1",
    ("policy", "check.rotation.secondment_per_host"): r"1 seconded cadres at S\d{4}, at most 0",
    ("policy", "check.outreach.max_visits_per_teacher"): r"T\d{6} makes \d visits in "
    r"2025-2026-[12], at most 1",
    ("policy", "check.twinning.max_helped"): r"S\d{4} helps \d schools, capacity 1",
    ("balance", "check.balance.thresholds"): r"coefficient of variation \d\.\d{4} above "
    r"0\.\d\d \((qualified|backbone|pe_arts), (primary|junior) schools\)",
}


@pytest.mark.parametrize(("doctored", "code"), sorted(ENGLISH_SAYS))
def test_english_names_the_rules_facts(
    found: dict[str, list[Violation]], doctored: str, code: str
) -> None:
    said = [v.message for v in found[doctored] if v.code == code]
    assert said, (doctored, code, sorted({v.code for v in found[doctored]}))
    for message in said:
        assert re.fullmatch(ENGLISH_SAYS[(doctored, code)], message), message


def test_chinese_says_the_domain_words_in_chinese(found: dict[str, list[Violation]]) -> None:
    zh = {v.code: v.text("zh") for v in _all(found)}
    assert "周日" in zh["check.itinerant.days.weekday"]
    assert re.search(r"为(免交流|暂缓交流)人员", zh["check.staff.status"])
    assert re.search(r"（[男女]）", zh["check.rotation.exempt_age"])
    assert "是教师" in zh["check.rotation.principal_term_years.role"]
    assert "办学水平：优质" in zh["check.twinning.helped"]
    assert re.search(r"(小学|初中)每百名学生", zh["check.balance.thresholds"])
    assert "只适合小学学段" in zh["check.hires.count"]
    assert zh["check.alliances.groups"] == "全县：现有4个联盟，政策要求5个"
    assert re.fullmatch(
        r"S\d{4}属\S+片区，其牵头校S\d{4}属\S+片区", zh["check.alliances.within_region"]
    )
    assert "、" in zh["check.hires.rural_weak_first"]  # the schools, joined as Chinese joins


# ---- every code of the checker, in Chinese -------------------------------------------------


def _sample(name: str, spec: str) -> object:
    """A value for a template's field, by what its spec says it is."""
    if spec.startswith(("list", "and", "semi")):
        inner = spec.partition(":")[2]
        return [_sample(name, inner), _sample(name, inner)]
    if spec == "msg":
        return msg("check.group.region_stage", region="西", stage="junior")
    if spec.startswith("v."):
        return next(iter(VALUES_ZH[spec[2:]]))
    if spec and spec[-1] in "fg%":
        return 0.5
    if name in {"subject", "mentee_subject", "visit_subject"}:
        return "英语"
    if name in {"region", "lead_region"}:
        return "西"
    if name in {"period"}:
        return "2025-2026-1"
    return 3 if name in {"n", "got", "want", "cap", "limit", "years", "days", "week"} else "S0026"


CHECK_CODES = sorted(code for code in CATALOGUE if code.startswith("check."))


@pytest.mark.parametrize("code", CHECK_CODES)
def test_every_check_code_says_no_english_word_in_chinese(code: str) -> None:
    fields = {
        name: _sample(name, spec or "")
        for _, name, spec, _ in string.Formatter().parse(CATALOGUE[code]["zh"])
        if name
    }
    en, zh = msg(code, **fields).text("en"), msg(code, **fields).text("zh")
    assert not zh.startswith(code) and not en.startswith(code), (en, zh)
    assert not english_words(zh), (zh, english_words(zh))
    assert "，" not in en and "：" not in en  # English keeps its own punctuation


# ---- the checker's source: codes, never prose ----------------------------------------------


def _violation_calls(path: Path) -> list[ast.Call]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "Violation"
    ]


@pytest.mark.parametrize("path", CHECKERS, ids=lambda p: p.name)
def test_no_violation_is_written_as_prose(path: Path) -> None:
    prose = [
        f"{path.name}:{call.lineno}"
        for call in _violation_calls(path)
        if any(k.arg == "message" for k in call.keywords)
    ]
    assert not prose, prose


def test_every_code_the_checker_names_is_in_the_catalogue_and_every_check_code_is_used() -> None:
    named = set()
    for path in CHECKERS:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and node.value.startswith("check.")
            ):
                named.add(node.value)
    assert named - set(CATALOGUE) == set()
    assert set(CHECK_CODES) - named == set()
