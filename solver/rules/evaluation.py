"""The evaluation's measure (县域义务教育优质均衡发展督导评估办法, 教督〔2017〕6号): its 差异系数
and its per-school test over the seven resource indicators.

The seven indicators of the resource part, each per school and stage:

- three staffing ones, per 100 students (counted by :mod:`twinning.rules.balance`, since a
  plan moves people): teachers above the required qualification, county-or-above backbone
  teachers, PE and arts teachers; their standards are ``balance.minimums``;
- four facility ones a plan cannot change (``schools.csv`` columns, school totals):
  teaching and auxiliary rooms (m² per student), sports grounds (m² per student), teaching
  equipment (yuan per student) and networked multimedia classrooms (per 100 students);
  their standards are ``balance.standards``.

A school counts in every stage it serves with all its students, as the staffing
indicators count it. **The per-school test**: a school meets at least 6 of the 7
standards, and the one it misses is at least 85% of its standard (:data:`LEEWAY`).
Where data is missing (no staff education, a facility column not given) the test is
decided on what is known when that is enough (two misses already fail) and is otherwise
said to be undecided, never passed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from twinning.county.instance import Instance, School
from twinning.messages import Msg

if TYPE_CHECKING:
    from twinning.rules.balance import Balance

__all__ = [
    "FACILITIES",
    "LEEWAY",
    "PER",
    "SEVEN",
    "SchoolMiss",
    "SchoolTest",
    "SchoolTests",
    "Verdict",
    "VerdictMoment",
    "VerdictRow",
    "coefficient",
    "facility_value",
    "judge_school",
    "school_tests",
    "verdict",
]

#: The staffing indicators, in the evaluation's order (counted by rules.balance).
STAFFING = ("qualified", "backbone", "pe_arts")
#: The facility indicators, in the evaluation's order (schools.csv columns).
FACILITIES = ("teaching_area", "sports_area", "equipment_value", "multimedia_rooms")
#: The seven indicators of the resource part.
SEVEN = STAFFING + FACILITIES
#: Indicator -> per how many students it counts (the staffing ones per 100).
PER: dict[str, int] = {
    "qualified": 100,
    "backbone": 100,
    "pe_arts": 100,
    "teaching_area": 1,
    "sports_area": 1,
    "equipment_value": 1,
    "multimedia_rooms": 100,
}
#: The one standard a school may miss must be met to at least this share.
LEEWAY = 0.85
#: Tolerance of a comparison with a standard (figures are rounded to 4 decimals).
EPS = 1e-9


def coefficient(
    values: list[float], students: list[int], formula: str = "official"
) -> float | None:
    """The 差异系数 of one indicator across a stage's schools, to 4 decimals (None with
    fewer than two schools or a mean of 0).

    ``official`` (the default) is the evaluation's formula (教督〔2017〕6号, as its published
    county worked examples compute it): with ``P_i`` a school's students, ``N`` the
    stage's students in the county, ``X_i`` the school's value and ``X̄`` the county's
    value (its total over its students, i.e. ``sum P_i X_i / N``),
    ``S = sqrt(sum (P_i / N) (X_i - X̄)^2)`` and ``CV = S / X̄``: each school weighs by its
    students. ``unweighted`` is the population standard deviation of the values over
    their plain mean, every school weighing alike (kept for comparison).
    """
    if len(values) < 2:
        return None
    if formula == "unweighted":
        mean = sum(values) / len(values)
        if mean == 0:
            return None
        var = sum((x - mean) ** 2 for x in values) / len(values)
        return round(math.sqrt(var) / mean, 4)
    n = sum(students)
    if n <= 0:
        return None
    mean = sum(p * x for p, x in zip(students, values, strict=True)) / n
    if mean == 0:
        return None
    var = sum(p * (x - mean) ** 2 for p, x in zip(students, values, strict=True)) / n
    return round(math.sqrt(var) / mean, 4)


def facility_value(school: School, indicator: str) -> float | None:
    """A school's facility figure (per student, or per 100 for multimedia classrooms);
    None when the school's column is not given or it has no students."""
    total = getattr(school, indicator, None)
    if total is None or not school.students:
        return None
    return PER[indicator] * float(total) / school.students


class SchoolMiss(BaseModel):
    """A standard a school misses."""

    indicator: str
    value: float = Field(description="The school's figure (4 dp).")
    standard: float = Field(description="The evaluation's standard for the stage.")
    share: float = Field(description="The figure over the standard (4 dp).")


class SchoolTest(BaseModel):
    """One school of one stage that fails the per-school test (or cannot be passed on the
    data given)."""

    school: str
    stage: str
    misses: list[SchoolMiss] = Field(description="The standards it misses, known ones.")
    unknown: list[str] = Field(
        default_factory=list, description="Indicators without data for the school."
    )
    passes: bool | None = Field(description="False: fails; None: undecided on the data.")
    facilities_only: bool = Field(
        False,
        description=(
            "It fails whatever its staff: its facility misses alone fail the test (only "
            "building and equipment can mend it)."
        ),
    )


class SchoolTests(BaseModel):
    """The per-school test at one moment (before the plan, or a period of it)."""

    schools: int = Field(0, description="Schools tested (school and stage, with students).")
    failing: list[SchoolTest] = Field(
        default_factory=list, description="Schools that fail on the data given."
    )
    undecided: int = Field(
        0, description="Schools that pass on the data given, lacking some indicator."
    )


def _fails(misses: list[SchoolMiss]) -> bool:
    return len(misses) >= 2 or any(m.share < LEEWAY - EPS for m in misses)


def judge_school(
    school: str, stage: str, values: dict[str, float | None], standards: dict[str, float]
) -> SchoolTest:
    """The per-school test of one school and stage: ``values`` indicator -> its figure
    (None: not known), ``standards`` indicator -> the standard (those absent or 0 are met
    by any figure)."""
    misses: list[SchoolMiss] = []
    unknown: list[str] = []
    for ind in SEVEN:
        value = values.get(ind)
        standard = standards.get(ind, 0.0)
        if value is None:
            unknown.append(ind)
            continue
        if standard > 0 and value < standard - EPS:
            misses.append(
                SchoolMiss(
                    indicator=ind,
                    value=round(value, 4),
                    standard=standard,
                    share=round(value / standard, 4),
                )
            )
    if _fails(misses):
        passes: bool | None = False
    elif unknown:
        passes = None
    else:
        passes = True
    facility = [m for m in misses if m.indicator in FACILITIES]
    return SchoolTest(
        school=school,
        stage=stage,
        misses=misses,
        unknown=unknown,
        passes=passes,
        facilities_only=passes is False and _fails(facility),
    )


def school_tests(
    inst: Instance,
    stages: Iterable[str],
    staffing: Callable[[School, str, str], float | None],
) -> SchoolTests:
    """The per-school test of every school with students in each of ``stages``;
    ``staffing(school, stage, indicator)`` gives a staffing figure per 100 students (None
    when not computable)."""
    bal = inst.policy.balance
    out = SchoolTests()
    for stage in stages:
        standards = {ind: bal.minimums.get(ind, {}).get(stage, 0.0) for ind in STAFFING}
        standards |= {ind: bal.standards.get(ind, {}).get(stage, 0.0) for ind in FACILITIES}
        for s in inst.schools:
            if stage not in s.stages or not s.students:
                continue
            values: dict[str, float | None] = {ind: staffing(s, stage, ind) for ind in STAFFING}
            values |= {ind: facility_value(s, ind) for ind in FACILITIES}
            got = judge_school(s.id, stage, values, standards)
            out.schools += 1
            if got.passes is False:
                out.failing.append(got)
            elif got.passes is None:
                out.undecided += 1
    return out


# ---- the verdict: the resource part before the plan and in each period ---------------------

#: The stages the evaluation covers.
STAGES = ("primary", "junior")


class VerdictRow(BaseModel):
    """One indicator of one stage: its coefficient at each moment against the threshold."""

    indicator: str
    stage: str
    threshold: float = Field(description="The evaluation's largest coefficient allowed.")
    cv: dict[str, float | None] = Field(
        description="'before' and each period -> the 差异系数 (4 dp; None: not computable)."
    )
    met: dict[str, bool | None] = Field(
        description="'before' and each period -> within the threshold (None: not computable)."
    )


class VerdictMoment(BaseModel):
    """The resource part at one moment (before the plan, or a period of it)."""

    over: int = Field(description="Coefficients above their threshold.")
    schools: int = Field(description="Schools tested (school and stage, with students).")
    failing: int = Field(description="Schools failing the per-school test.")
    undecided: int = Field(description="Schools passing on the data given, lacking some.")
    facilities_only: int = Field(0, description="Failing schools only facilities can mend.")
    fixed: int = Field(0, description="Schools failing before the plan that pass here.")
    newly: int = Field(0, description="Schools failing here that did not fail before.")
    met: bool | None = Field(
        description=(
            "The resource part met: no coefficient above its threshold and no school "
            "failing (None: nothing fails, but some indicator lacks data)."
        )
    )


class Verdict(BaseModel):
    """The evaluation's resource part (seven coefficients against their thresholds, the
    per-school test) before the plan and in each period: what the console, the workbook's
    均衡评估 sheet and the report show, computed once by :func:`verdict`."""

    moments: list[str] = Field(description="'before', then each period of the plan.")
    rows: list[VerdictRow] = Field(description="The seven indicators x stage, in order.")
    at: dict[str, VerdictMoment] = Field(description="Moment -> its figures.")
    lacking: list[str] = Field(
        default_factory=list,
        description="Indicators without data: the verdict is partial (see why).",
    )
    why: list[Msg] = Field(default_factory=list, description="Why each indicator lacks data.")

    @property
    def partial(self) -> bool:
        return bool(self.lacking)


def verdict(balance: Balance) -> Verdict:
    """The verdict of a :class:`twinning.rules.balance.Balance`: each of the seven
    indicators per stage (stages without schools left out) at each moment, the
    facility ones the same at every moment (no plan changes them); per moment the
    coefficients above their threshold and the schools failing the per-school test, with
    those the plan fixes or newly fails; the indicators lacking data."""
    moments = ["before", *balance.after]
    rows: list[VerdictRow] = []
    for ind in SEVEN:
        for stage in STAGES:
            if ind in FACILITIES:
                fig = (balance.facilities.get(ind) or {}).get(stage)
                if fig is None:
                    continue
                figs = dict.fromkeys(moments, fig)
            else:
                first = (balance.before.get(ind) or {}).get(stage)
                if first is None:
                    continue
                fig = first
                figs = {"before": first}
                figs |= {p: balance.after[p][ind][stage] for p in balance.after}
            if not fig.schools:
                continue
            rows.append(
                VerdictRow(
                    indicator=ind,
                    stage=stage,
                    threshold=fig.threshold,
                    cv={m: f.cv for m, f in figs.items()},
                    met={m: f.met for m, f in figs.items()},
                )
            )
    lacking = [
        str(m.params["indicator"])
        for m in balance.missing
        if isinstance(m.params.get("indicator"), str)
    ]
    failing_before = {(t.school, t.stage) for t in _tests(balance, "before").failing}
    at: dict[str, VerdictMoment] = {}
    for moment in moments:
        tests = _tests(balance, moment)
        failing = {(t.school, t.stage) for t in tests.failing}
        over = sum(1 for r in rows if r.met.get(moment) is False)
        met = False if over or failing else None if lacking or tests.undecided else True
        at[moment] = VerdictMoment(
            over=over,
            schools=tests.schools,
            failing=len(failing),
            undecided=tests.undecided,
            facilities_only=sum(1 for t in tests.failing if t.facilities_only),
            fixed=0 if moment == "before" else len(failing_before - failing),
            newly=0 if moment == "before" else len(failing - failing_before),
            met=met,
        )
    return Verdict(moments=moments, rows=rows, at=at, lacking=lacking, why=list(balance.missing))


def _tests(balance: Balance, moment: str) -> SchoolTests:
    return balance.tests.get(moment) or SchoolTests()
