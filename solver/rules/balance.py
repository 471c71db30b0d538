"""The staffing indicators of the county balance evaluation (县域义务教育优质均衡发展督导评估办法,
教督〔2017〕6号), before the plan and in each period of it.

Per school and stage, per 100 students:

- ``qualified``: teachers above the required qualification (staff ``education``: 专科 or
  higher for primary, 本科 or higher for junior);
- ``backbone``: county-level-or-above backbone staff;
- ``pe_arts``: teachers of 体育, 音乐 and 美术.

A school counts in every stage it serves with all its students (a nine-year school is
one primary and one junior school of the same size). In a period of the plan a person on
a roster move (not a mentor) counts at the host; a teacher on a 走教 circuit counts at
each school served in proportion to the lessons taught there (lessons there over home and
circuit lessons together), the rest at home. For each indicator and stage: the
evaluation's 差异系数 across schools (:func:`coefficient`), against
``balance.thresholds``, and the schools below ``balance.minimums``.

Shared by the solve's summary and the checker, which recounts it from the plan.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from typing import Any, NamedTuple

from pydantic import BaseModel, Field, field_validator

from twinning.county.instance import Instance, School, Staff
from twinning.messages import Msg, msg
from twinning.plan import Move, Plan
from twinning.rules.evaluation import (
    FACILITIES,
    LEEWAY,
    SEVEN,
    SchoolTests,
    coefficient,
    facility_value,
    school_tests,
)
from twinning.vocabulary import COUNTY_OR_ABOVE

__all__ = [
    "FORMULAS",
    "INDICATORS",
    "Balance",
    "IndicatorFigures",
    "balance_of",
    "coefficient",
    "floors",
    "moves_only",
]

#: The indicators, in the evaluation's order.
INDICATORS = ("qualified", "backbone", "pe_arts")
#: The stages the evaluation covers.
STAGES = ("primary", "junior")
PE_ARTS = frozenset({"体育", "音乐", "美术"})
ABOVE_REQUIRED = {
    "primary": frozenset({"postgraduate", "bachelor", "college"}),
    "junior": frozenset({"postgraduate", "bachelor"}),
}


class IndicatorFigures(BaseModel):
    """One indicator in one stage at one moment."""

    cv: float | None = Field(
        description="The 差异系数 across schools (4 dp; balance.formula, official by default)."
    )
    threshold: float = Field(description="The evaluation's largest coefficient allowed.")
    met: bool | None = Field(description="cv within the threshold (None: not computable).")
    minimum: float = Field(
        description=(
            "The standard a school should meet (per 100 students; per student for areas "
            "and equipment)."
        )
    )
    schools: int = Field(description="Schools of the stage with students.")
    below_minimum: int = Field(description="Schools below the minimum.")


#: indicator -> stage -> figures
Figures = dict[str, dict[str, IndicatorFigures]]


class Balance(BaseModel):
    """The evaluation's resource indicators: the three staffing ones before the plan and
    in each period of it, the four facility ones (no plan changes them), and the
    per-school test at each moment."""

    before: Figures
    after: dict[str, Figures] = Field(description="Period -> the figures in that period.")
    missing: list[Msg] = Field(
        default_factory=list,
        description="Indicators not computable, and why (messages: no staff education given).",
    )
    facilities: Figures = Field(
        default_factory=dict,
        description="Facility indicator -> stage -> figures (per student; rooms per 100).",
    )
    tests: dict[str, SchoolTests] = Field(
        default_factory=dict,
        description="'before' and each period -> the per-school test (rules.evaluation).",
    )

    @field_validator("missing", mode="before")
    @classmethod
    def _plain_text(cls, value: Any) -> Any:
        # A sentence of an earlier version's summary kept as it was written.
        if isinstance(value, list):
            return [
                Msg(code="text", params={"text": v}) if isinstance(v, str) else v for v in value
            ]
        return value


#: What the indicators read of a person: (backbone county or above, has a subject, the
#: education, teaches PE or arts).
Kind = tuple[bool, bool, str | None, bool]


def _kind(person: Staff) -> Kind:
    return (
        person.backbone in COUNTY_OR_ABOVE,
        bool(person.subject),
        person.education,
        person.subject in PE_ARTS,
    )


def _counts(person: Staff, stage: str) -> dict[str, float]:
    """What one person adds to each indicator of a school of ``stage``."""
    return _counts_of(_kind(person), stage)


def _counts_of(kind: Kind, stage: str) -> dict[str, float]:
    backbone, subject, education, pe_arts = kind
    out = dict.fromkeys(INDICATORS, 0.0)
    if backbone:
        out["backbone"] = 1.0
    if subject:
        if education is not None and education in ABOVE_REQUIRED[stage]:
            out["qualified"] = 1.0
        if pe_arts:
            out["pe_arts"] = 1.0
    return out


def _where(inst: Instance, plan: Plan | None, period: str | None) -> dict[str, dict[str, float]]:
    """Person -> school -> share of the person counted there, for the people the plan
    places at all (in staff order); everyone it leaves out is wholly at their own school.

    Only those lines are built (not one entry per person of the county in each period):
    :func:`_totals` counts everyone at home once and moves only these."""
    if plan is None or period is None:
        return {}
    people = {p.id: p for p in inst.staff}
    placed: dict[str, dict[str, float]] = {}
    periods = list(inst.policy.horizon.periods)
    t = periods.index(period)
    for m in plan.roster:
        if m.kind in ("mentor", "itinerant") or m.staff not in people:
            continue
        first = periods.index(m.first_period) if m.first_period in periods else -1
        if first <= t < first + m.periods:
            placed[m.staff] = {m.to_school: 1.0}
    lessons: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for c in plan.circuits:
        if c.school != c.home_school:  # 本校代课 keeps the teacher wholly at home
            lessons[c.staff][c.school] += c.lessons
    load = inst.policy.itinerant.standard_load
    for sid, at in lessons.items():
        person = people.get(sid)
        if person is None or person.school not in placed.get(sid, {person.school: 1.0}):
            continue
        home = person.weekly_load if person.weekly_load is not None else load
        total = home + sum(at.values())
        if total <= 0:
            continue
        share = {school: n / total for school, n in at.items()}
        placed[sid] = {person.school: 1.0 - sum(share.values()), **share}
    order = {pid: k for k, pid in enumerate(people)}
    return {pid: placed[pid] for pid in sorted(placed, key=order.__getitem__)}


class _Keys:
    """(person, school) -> the (school, stage, indicator) counts the person adds there,
    worked out once: the county is counted before the plan and in every period, and a
    person who stays home adds the same counts in each."""

    def __init__(self, inst: Instance) -> None:
        self.stages_of = {s.id: [st for st in STAGES if st in s.stages] for s in inst.schools}
        self.people = {p.id: p for p in inst.staff}
        self.memo: dict[tuple[str, str], tuple[tuple[tuple[str, str, str], float], ...]] = {}
        self._home: dict[tuple[str, str, str], float] | None = None

    def home(self) -> dict[tuple[str, str, str], float]:
        """The totals with everyone at their own school (counted once): people counted by
        school and by what :func:`_counts` reads of them, each kind counted once."""
        if self._home is None:
            kinds = Counter((p.school, _kind(p)) for p in self.people.values())
            total: dict[tuple[str, str, str], float] = defaultdict(float)
            for (school, kind), many in kinds.items():
                for stage in self.stages_of.get(school, ()):
                    for ind, n in _counts_of(kind, stage).items():
                        if n:
                            total[(school, stage, ind)] += many * n
            self._home = dict(total)
        return self._home

    def __call__(self, pid: str, school: str) -> tuple[tuple[tuple[str, str, str], float], ...]:
        got = self.memo.get((pid, school))
        if got is None:
            stages = self.stages_of.get(school)
            got = (
                ()
                if stages is None
                else tuple(
                    ((school, stage, ind), n)
                    for stage in stages
                    for ind, n in _counts(self.people[pid], stage).items()
                    if n
                )
            )
            self.memo[(pid, school)] = got
        return got


def _totals(
    inst: Instance, places: dict[str, dict[str, float]], keys: _Keys | None = None
) -> dict[tuple[str, str, str], float]:
    """(school, stage, indicator) -> people counted there (shares of a person included)."""
    keys = keys or _Keys(inst)
    # Everyone at home, counted once; then only the people the plan puts elsewhere (in
    # whole or in part) taken from their school and counted where they are.
    total: dict[tuple[str, str, str], float] = defaultdict(float, keys.home())
    for pid, at in places.items():
        person = keys.people.get(pid)
        if person is not None and len(at) == 1 and at.get(person.school) == 1.0:
            continue  # at home
        if person is not None:
            for key, n in keys(pid, person.school):
                total[key] -= n
        for school, share in at.items():
            for key, n in keys(pid, school):
                total[key] += share * n
    return total


def _figures(
    inst: Instance, total: dict[tuple[str, str, str], float], missing: set[str]
) -> Figures:
    """The staffing indicators from the counts ``total`` (:func:`_totals`)."""
    bal = inst.policy.balance
    out: Figures = {}
    for ind in INDICATORS:
        out[ind] = {}
        for stage in STAGES:
            minimum = bal.minimums.get(ind, {}).get(stage, 0.0)
            members = [s for s in inst.schools if stage in s.stages and s.students]
            values = [100 * total[(s.id, stage, ind)] / (s.students or 1) for s in members]
            pupils = [s.students or 0 for s in members]
            cv = coefficient(values, pupils, bal.formula) if ind not in missing else None
            threshold = bal.thresholds.get(stage, 1.0)
            out[ind][stage] = IndicatorFigures(
                cv=cv,
                threshold=threshold,
                met=None if cv is None else cv <= threshold + 1e-12,
                minimum=minimum,
                schools=len(values),
                below_minimum=(
                    sum(1 for v in values if v < minimum - 1e-9) if ind not in missing else 0
                ),
            )
    return out


#: ``balance.formula``: the evaluation's student-weighted coefficient, or the plain one.
FORMULAS = ("official", "unweighted")


def balance_of(inst: Instance, plan: Plan | None = None) -> Balance:
    """The indicators before the plan and, with a plan, in each of its periods; the
    facility indicators; the per-school test at each moment."""
    missing: dict[str, Msg] = {}
    if not any(p.education is not None for p in inst.staff):
        missing["qualified"] = msg("balance.missing.education", indicator="qualified")
    gone = set(missing)
    for ind in FACILITIES:
        given = sum(getattr(s, ind, None) is not None for s in inst.schools if s.students)
        if given < sum(1 for s in inst.schools if s.students):
            missing[ind] = msg(
                "balance.missing.facility",
                indicator=ind,
                given=given,
                schools=sum(1 for s in inst.schools if s.students),
            )
    after: dict[str, Figures] = {}
    keys = _Keys(inst)
    tests: dict[str, SchoolTests] = {}
    moments: list[tuple[str, dict[str, dict[str, float]]]] = [("before", {})]
    if plan is not None and (plan.roster or plan.circuits):
        moments += [(p, _where(inst, plan, p)) for p in inst.policy.horizon.periods]
    before: Figures = {}
    for moment, places in moments:
        total = _totals(inst, places, keys)
        figures = _figures(inst, total, gone)
        if moment == "before":
            before = figures
        else:
            after[moment] = figures

        def staffing(
            s: School, stage: str, ind: str, total: dict[tuple[str, str, str], float] = total
        ) -> float | None:
            if ind in gone or not s.students:
                return None
            return 100 * total[(s.id, stage, ind)] / s.students

        tests[moment] = school_tests(inst, STAGES, staffing)
    return Balance(
        before=before,
        after=after,
        missing=[missing[k] for k in SEVEN if k in missing],
        facilities=_facility_figures(inst, set(missing)),
        tests=tests,
    )


def _facility_figures(inst: Instance, missing: set[str]) -> Figures:
    """The four facility indicators per stage: their coefficient (None unless every
    school of the stage gives the column) against the thresholds, and the schools below
    ``balance.standards``."""
    bal = inst.policy.balance
    out: Figures = {}
    for ind in FACILITIES:
        out[ind] = {}
        for stage in STAGES:
            members = [s for s in inst.schools if stage in s.stages and s.students]
            values = [facility_value(s, ind) for s in members]
            known = [v for v in values if v is not None]
            standard = bal.standards.get(ind, {}).get(stage, 0.0)
            cv = (
                coefficient(known, [s.students or 0 for s in members], bal.formula)
                if ind not in missing and len(known) == len(members)
                else None
            )
            threshold = bal.thresholds.get(stage, 1.0)
            out[ind][stage] = IndicatorFigures(
                cv=cv,
                threshold=threshold,
                met=None if cv is None else cv <= threshold + 1e-12,
                minimum=standard,
                schools=len(members),
                below_minimum=sum(1 for v in known if v < standard - 1e-9),
            )
    return out


# ---- balance as an objective (balance.target = "objective") ------------------------------

#: Deviations are counted in thousandths of a teacher, so that targets stay integer.
MILLI = 1000


def before_counts(inst: Instance) -> dict[tuple[str, str, str], int]:
    """(school, stage, indicator) -> people counted there before the plan (0 when none)."""
    totals = _totals(inst, _where(inst, None, None))
    return defaultdict(int, {k: round(v) for k, v in totals.items()})


def indicators_of(inst: Instance) -> list[str]:
    """The indicators computable for this county (``qualified`` needs staff education)."""
    educated = any(p.education is not None for p in inst.staff)
    return [i for i in INDICATORS if i != "qualified" or educated]


class Target(NamedTuple):
    """What the surrogate prices at one school, stage and indicator (counts of people)."""

    price: int  # of the squared deviation, per hundredth of a teacher squared
    target: int  # the count at the county's value, in thousandths of a teacher
    base: int  # the count before the plan
    needed: int = 0  # the count the school's minimum asks (balance.minimums)
    short: int = 0  # the price of each teacher below ``needed``


def balance_targets(inst: Instance) -> dict[tuple[str, str, str], Target]:
    """(school, stage, indicator) -> (the price A of the school's squared deviation, the
    count at the county mean in thousandths of a teacher, the count before the plan).

    The surrogate of the coefficients: each school's squared deviation from the count it
    would have at the county's value per 100 students (before the plan), priced so that
    their sum is the numerator of the coefficient's variance. Under the official formula
    (:func:`coefficient`) a school's term is ``P_i (X_i - X̄)^2 = (10^4 / P_i) (c_i -
    X̄ P_i / 100)^2`` with ``X̄`` the county's total over its students: ``A =
    balance.weight x 10^4 / students``. Under ``unweighted`` it is ``(X_i - mean)^2 =
    (100 / P_i)^2 (c_i - mean P_i / 100)^2``: ``A = balance.weight x (100 / students)^2 x
    100``. Both are 100 x balance.weight at 100 pupils. With the county's value held, the
    sum is the squared coefficient up to a constant: the surrogate ranks plans as the
    coefficient does. Beside it, each teacher a school is below a staffing minimum costs
    ``balance.weight x 10,000`` (one teacher's squared deviation at a 100-pupil school),
    whatever its size, so that the target also lowers the schools failing the staffing
    part of the per-school test (:mod:`twinning.rules.evaluation`). Both are convex in each
    count, so the model holds them exactly with one chord per whole count
    (:func:`target_cost`).
    """
    bal = inst.policy.balance
    base = before_counts(inst)
    indicators = indicators_of(inst)
    official = bal.formula == "official"
    out: dict[tuple[str, str, str], Target] = {}
    for stage in STAGES:
        schools = [s for s in inst.schools if stage in s.stages and s.students]
        for ind in indicators:
            values = [100 * base[(s.id, stage, ind)] / (s.students or 1) for s in schools]
            if not values:
                continue
            if official:
                pupils = sum(s.students or 0 for s in schools)
                mean = 100 * sum(base[(s.id, stage, ind)] for s in schools) / pupils
            else:
                mean = statistics.fmean(values)
            for s in schools:
                assert s.students is not None
                weight = bal.weight * bal.indicator_weights.get(ind, 1)
                scale = 10_000 / s.students if official else (100 / s.students) ** 2 * 100
                price = max(1, round(weight * scale)) if weight else 0
                target = round(MILLI * mean * s.students / 100)
                minimum = bal.minimums.get(ind, {}).get(stage, 0.0)
                needed = math.ceil(minimum * s.students / 100 - 1e-9)
                out[(s.id, stage, ind)] = Target(
                    price, target, base[(s.id, stage, ind)], needed, round(weight * SHORT)
                )
    return out


#: The squared deviation is counted in hundredths of a teacher squared.
SQUARE_UNIT = MILLI * MILLI // 100


#: The price of a teacher below a minimum, per unit of balance.weight.
SHORT = 10_000


def target_cost(t: Target, count: int) -> int:
    """The surrogate at one school, stage and indicator with ``count`` people: the priced
    squared deviation plus the price of each teacher below the minimum (convex)."""
    return deviation_cost(t.price, t.target, count) + t.short * max(0, t.needed - count)


def deviation_cost(price: int, target: int, count: int) -> int:
    """``price x (count - target)^2`` in hundredths of a teacher squared (``target`` in
    thousandths), rounded: convex in ``count`` (its second difference is 200 x price)."""
    d = MILLI * count - target
    return price * ((d * d + SQUARE_UNIT // 2) // SQUARE_UNIT)


def carries(person: Staff, stage: str) -> tuple[str, ...]:
    """The indicators a person counts in at a school of ``stage``."""
    return tuple(ind for ind, n in _counts(person, stage).items() if n)


def changes_of(
    person: Staff, home: School | None, host: School | None
) -> list[tuple[tuple[str, str, str], int]]:
    """((school, stage, indicator), -1 or +1) for each count a person's move from ``home``
    to ``host`` changes: -1 where they leave, +1 where they arrive."""
    out: list[tuple[tuple[str, str, str], int]] = []
    for s, sign in ((home, -1), (host, 1)):
        if s is None:
            continue
        for stage in STAGES:
            if stage in s.stages:
                out.extend(((s.id, stage, ind), sign) for ind in carries(person, stage))
    return out


def count_changes(inst: Instance, moves: list[Move]) -> dict[tuple[str, str, str, int], int]:
    """(school, stage, indicator, period index) -> the net change of the count by the moves
    (mentors and 走教 lines move nobody)."""
    people = {p.id: p for p in inst.staff}
    schools = {s.id: s for s in inst.schools}
    periods = list(inst.policy.horizon.periods)
    delta: dict[tuple[str, str, str, int], int] = defaultdict(int)
    for m in moves:
        person = people.get(m.staff)
        if m.kind in ("mentor", "itinerant") or person is None or m.first_period not in periods:
            continue
        first = periods.index(m.first_period)
        home, host = schools.get(m.from_school), schools.get(m.to_school)
        for key, sign in changes_of(person, home, host):
            for t in range(first, min(len(periods), first + m.periods)):
                delta[(*key, t)] += sign
    return delta


def balance_deviation(inst: Instance, moves: list[Move]) -> int:
    """The objective term of ``balance.target = "objective"`` for a roster (see
    :func:`balance_targets`): per period, school, stage and indicator, the priced squared
    deviation and shortfall (:func:`target_cost`)."""
    delta = count_changes(inst, moves)
    total = 0
    for (school, stage, ind), target in balance_targets(inst).items():
        for t in range(len(inst.policy.horizon.periods)):
            count = target.base + delta.get((school, stage, ind, t), 0)
            total += target_cost(target, count)
    return total


# ---- balance as a rule (balance.target = "rule") ------------------------------------------


def floors(inst: Instance) -> dict[tuple[str, str, str], int]:
    """(school, stage, indicator) -> the least count the school keeps in every period with
    ``balance.target = "rule"``: the count its minimum asks (``balance.minimums`` x
    students / 100, rounded up), for the schools that have that many before the plan. A
    school already short is not held to the minimum (lifting it is the coefficients' and
    the surrogate's work): holding what it has would stop every exchange out of most rural
    schools. But a school that does not fail the per-school test before the plan, short
    of a minimum by less than 15%, keeps 85% of it (rules.evaluation.LEEWAY): so no plan
    within the floors makes a school fail the test it passed (balance.school_test).
    """
    bal = inst.policy.balance
    base = before_counts(inst)
    failing = {(t.school, t.stage) for t in balance_of(inst).tests["before"].failing}
    out: dict[tuple[str, str, str], int] = {}
    for ind in indicators_of(inst):
        for stage in STAGES:
            minimum = bal.minimums.get(ind, {}).get(stage, 0.0)
            for s in inst.schools:
                if stage not in s.stages or not s.students:
                    continue
                have = base[(s.id, stage, ind)]
                needed = math.ceil(minimum * s.students / 100 - 1e-9)
                if needed and have >= needed:
                    out[(s.id, stage, ind)] = needed
                    continue
                least = math.ceil(LEEWAY * minimum * s.students / 100 - 1e-9)
                if least and have >= least and (s.id, stage) not in failing:
                    out[(s.id, stage, ind)] = least
    return out


def moves_only(plan: Plan) -> Plan:
    """The plan without its 走教 circuits: ``balance.target = "rule"`` binds the roster's
    moves (circuits are counted in the figures, not held to the rule)."""
    return plan.model_copy(update={"circuits": []})


def ceilings(inst: Instance) -> dict[tuple[str, str], float]:
    """(indicator, stage) -> the largest coefficient a plan may reach in any period: its
    threshold with ``balance.target = "rule"``, its value before the plan with
    ``balance.no_worse`` (the smaller of the two with both)."""
    bal = inst.policy.balance
    out: dict[tuple[str, str], float] = {}
    before = balance_of(inst).before if bal.no_worse else {}
    for ind in indicators_of(inst):
        for stage in STAGES:
            limits = []
            if bal.target == "rule":
                limits.append(bal.thresholds.get(stage, 1.0))
            cv = before[ind][stage].cv if before else None
            if cv is not None:
                limits.append(cv)
            if limits:
                out[(ind, stage)] = min(limits)
    return out


def ceiling_misses(
    inst: Instance, plan: Plan, limits: dict[tuple[str, str], float] | None = None
) -> dict[tuple[str, str, str], float]:
    """(indicator, stage, period) -> the plan's coefficient where it is above its ceiling
    (:func:`ceilings`) in a period of the horizon, circuits counted."""
    limits = ceilings(inst) if limits is None else limits
    if not limits:
        return {}
    gone = set(INDICATORS) - set(indicators_of(inst))
    out: dict[tuple[str, str, str], float] = {}
    keys = _Keys(inst)
    for period in inst.policy.horizon.periods:
        total = _totals(inst, _where(inst, plan, period), keys)
        for ind, by_stage in _figures(inst, total, gone).items():
            for stage in STAGES:
                cv, ceiling = by_stage[stage].cv, limits.get((ind, stage))
                if cv is not None and ceiling is not None and cv > ceiling + 1e-12:
                    out[(ind, stage, period)] = cv
    return out


def circuit_harm(inst: Instance, plan: Plan, ind: str, stage: str, period: str) -> dict[str, float]:
    """走教 teacher -> how much their visits raise one indicator's spread in a period, to
    first order: the sum over the schools they count at of their count there times the
    school's distance above the county's value (official formula; the plain mean under
    ``unweighted``), less the same at home. Positive: the visits take the teacher from a
    school below the county's value to schools above it, and the coefficient rises."""
    keys = _Keys(inst)
    places = _where(inst, plan, period)
    total = _totals(inst, places, keys)
    members = [s for s in inst.schools if stage in s.stages and s.students]
    value = {s.id: 100 * total[(s.id, stage, ind)] / (s.students or 1) for s in members}
    if not members:
        return {}
    if inst.policy.balance.formula == "official":
        pupils = sum(s.students or 0 for s in members)
        mean = 100 * sum(total[(s.id, stage, ind)] for s in members) / pupils
    else:
        mean = statistics.fmean(value.values())
    visiting = {c.staff for c in plan.circuits if c.school != c.home_school}
    out: dict[str, float] = {}
    for pid in visiting:
        person = keys.people.get(pid)
        at = places.get(pid)
        if person is None or at is None:
            continue
        harm = 0.0
        for school, share in at.items():
            n = sum(c for (_, st, i), c in keys(pid, school) if st == stage and i == ind)
            if n and school in value:
                gain = share - (1.0 if school == person.school else 0.0)
                harm += gain * n * (value[school] - mean)
        if person.school not in at:  # away on a roster move: the visits do not count
            continue
        out[pid] = harm
    return out


def threshold_misses(inst: Instance, plan: Plan) -> dict[tuple[str, str, str], float]:
    """(indicator, stage, period) -> the roster's coefficient where it is above its
    threshold (``balance.thresholds``), in every period of the horizon (moves only)."""
    roster = moves_only(plan)
    gone = set(INDICATORS) - set(indicators_of(inst))
    out: dict[tuple[str, str, str], float] = {}
    keys = _Keys(inst)
    for period in inst.policy.horizon.periods:
        total = _totals(inst, _where(inst, roster, period), keys)
        for ind, by_stage in _figures(inst, total, gone).items():
            for stage in STAGES:
                f = by_stage[stage]
                if f.cv is not None and f.cv > f.threshold + 1e-12:
                    out[(ind, stage, period)] = f.cv
    return out


def counts_in(inst: Instance, plan: Plan, period: str) -> dict[tuple[str, str, str], float]:
    """(school, stage, indicator) -> people counted there in a period of the plan."""
    return _totals(inst, _where(inst, plan, period))


# ---- balance.no_worse beside the secondments: one person's move tried in O(1) ------------

#: A key of a school's count: (school, stage, indicator).
CountKey = tuple[str, str, str]


class Spreads:
    """The staffing coefficients of one moment (a period of a plan) from its counts, kept
    as sums so that one person's move (a few counts changed) is tried in O(1).

    Under the official formula, with ``c_i`` a school's count and ``P_i`` its students,
    ``X_i = 100 c_i / P_i``, ``X̄ = 100 Σ c_i / N`` and the variance is
    ``10^4 Σ (c_i^2 / P_i) / N - X̄^2``; under ``unweighted`` it is ``Σ X_i^2 / k - (Σ X_i /
    k)^2``. Both sums move by the two schools a move touches. The coefficient is rounded to
    4 decimals as :func:`coefficient` rounds it; where the sums' value lies within 1e-9 of
    a rounding step (or the spread is too small for the sums to be exact), it is computed
    again by :func:`coefficient` from the counts themselves: so the figure agrees to the
    last digit with :func:`balance_of`'s for the same counts, whichever order the counts
    were reached in (the model adds moves one at a time, the checker counts the plan)."""

    def __init__(self, inst: Instance, total: dict[CountKey, float]) -> None:
        self.formula = inst.policy.balance.formula
        self.count: dict[CountKey, float] = {}
        self.students: dict[str, int] = {}
        self.members: dict[tuple[str, str], list[str]] = {}
        # (indicator, stage) -> [N or k, first sum, second sum]
        self.sums: dict[tuple[str, str], list[float]] = {}
        for stage in STAGES:
            members = [s for s in inst.schools if stage in s.stages and s.students]
            for s in members:
                self.students[s.id] = s.students or 0
            for ind in indicators_of(inst):
                ids = [s.id for s in members]
                self.members[(ind, stage)] = ids
                sums = [float(len(ids)) if self.formula == "unweighted" else 0.0, 0.0, 0.0]
                for sid in ids:
                    n = total.get((sid, stage, ind), 0.0)
                    self.count[(sid, stage, ind)] = n
                    a, b = self._terms(sid, n)
                    sums[1] += a
                    sums[2] += b
                    if self.formula != "unweighted":
                        sums[0] += self.students[sid]
                self.sums[(ind, stage)] = sums

    def _terms(self, sid: str, n: float) -> tuple[float, float]:
        p = self.students[sid]
        if self.formula == "unweighted":
            x = 100 * n / p
            return x, x * x
        return n, n * n / p

    def _value(self, sums: list[float]) -> float | None:
        """The unrounded coefficient from the sums (None as :func:`coefficient` says)."""
        size, first, second = sums
        if self.formula == "unweighted":
            if size < 2:
                return None
            mean = first / size
            var = second / size - mean * mean
        else:
            if size <= 0:
                return None
            mean = 100 * first / size
            var = 10_000 * second / size - mean * mean
        if mean == 0:
            return None
        return math.sqrt(max(0.0, var)) / mean

    def _exact(self, ind: str, stage: str, change: dict[str, float]) -> float | None:
        ids = self.members[(ind, stage)]
        values = [
            100 * (self.count[(sid, stage, ind)] + change.get(sid, 0.0)) / self.students[sid]
            for sid in ids
        ]
        return coefficient(values, [self.students[sid] for sid in ids], self.formula)

    def cv(self, ind: str, stage: str, change: dict[str, float] | None = None) -> float | None:
        """The coefficient (4 dp), with ``change`` (school -> added count) tried on it."""
        ids = self.members.get((ind, stage))
        if ids is None or len(ids) < 2:
            return None
        sums = self.sums[(ind, stage)]
        if change:
            sums = list(sums)
            for sid, d in change.items():
                n = self.count[(sid, stage, ind)]
                a0, b0 = self._terms(sid, n)
                a1, b1 = self._terms(sid, n + d)
                sums[1] += a1 - a0
                sums[2] += b1 - b0
        value = self._value(sums)
        if value is None or value < 1e-3:
            return self._exact(ind, stage, change or {})
        steps = value * 10_000
        if abs(steps - math.floor(steps) - 0.5) < 1e-5:
            return self._exact(ind, stage, change or {})
        return round(value, 4)

    def _grouped(
        self, changes: list[tuple[CountKey, float]]
    ) -> dict[tuple[str, str], dict[str, float]]:
        out: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)
        for (sid, stage, ind), d in changes:
            if (sid, stage, ind) in self.count and d:
                at = out[(ind, stage)]
                at[sid] = at.get(sid, 0.0) + d
        return out

    def tried(self, changes: list[tuple[CountKey, float]]) -> dict[tuple[str, str], float | None]:
        """(indicator, stage) -> its coefficient with ``changes`` made, for those they touch."""
        return {k: self.cv(*k, change) for k, change in self._grouped(changes).items()}

    def apply(self, changes: list[tuple[CountKey, float]]) -> None:
        """Make the changes ((school, stage, indicator), added count)."""
        for (ind, stage), change in self._grouped(changes).items():
            sums = self.sums[(ind, stage)]
            for sid, d in change.items():
                key = (sid, stage, ind)
                a0, b0 = self._terms(sid, self.count[key])
                self.count[key] += d
                a1, b1 = self._terms(sid, self.count[key])
                sums[1] += a1 - a0
                sums[2] += b1 - b0


def no_worse_before(inst: Instance) -> dict[tuple[str, str], float]:
    """(indicator, stage) -> its coefficient before the plan, where it has one (what
    ``balance.no_worse`` holds every period to)."""
    before = balance_of(inst).before
    return {
        (ind, stage): f.cv
        for ind, by_stage in before.items()
        for stage, f in by_stage.items()
        if f.cv is not None
    }


def raises_above(
    spreads: Spreads,
    before: dict[tuple[str, str], float],
    changes: list[tuple[CountKey, float]],
) -> tuple[str, str] | None:
    """[balance.no_worse] The first (indicator, stage) that ``changes`` leave above its
    value before the plan and above its value now (a coefficient the plan already raised
    may still fall), with the 1e-12 of :func:`~twinning.check.balance.
    check_balance_no_worse`; None when they keep every coefficient they touch."""
    for (ind, stage), cv in sorted(spreads.tried(changes).items()):
        was = before.get((ind, stage))
        if cv is None or was is None:
            continue
        now = spreads.cv(ind, stage)
        if cv > max(was, now if now is not None else was) + 1e-12:
            return ind, stage
    return None


def places_in(inst: Instance, plan: Plan, period: str) -> dict[str, dict[str, float]]:
    """Person -> school -> the share of them counted there in a period of the plan, for
    the people the plan places anywhere but wholly at home (走教 shares included)."""
    return _where(inst, plan, period)
