"""The planner's policy: every rule as a key with its default (README, "File formats").

A planner overrides only what differs, in ``policy.toml`` (``[rotation]`` /
``rate = 0.12``), in an Excel sheet ``policy`` with ``key``/``value`` columns
(``rotation.rate``), or in the ``policy`` object of a JSON/YAML instance.
Unknown keys are an error that names the key.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from twinning.county.limits import (
    AGE,
    COUNTY_STAFF,
    KM,
    MINUTES,
    PERIODS,
    SCHOOL_STAFF,
    SCHOOLS,
    STUDENTS,
    VISITS,
    WEEK,
    WEIGHT,
    YEARS,
)
from twinning.errors import InputProblem, InputValueError, Lang, MessageError, validation_msg
from twinning.io.nesting import MAX_DEPTH, toml_too_deep
from twinning.messages import msg
from twinning.vocabulary import ALIASES, Stage, Tier

#: The stages an alliance can be for (nine- and twelve-year schools cover several).
SCHOOL_STAGES = ("kindergarten", "primary", "junior", "senior")
STAGE_NAMES = ALIASES["stage"]


def _number(value: Any) -> Any:
    """A number as written: true/false and text are refused, not read as 1 or parsed (a
    policy value is typed: ``rate = true`` is a slip, not 1.0)."""
    if isinstance(value, bool):
        raise MessageError(msg("input.number.not_bool"))
    if isinstance(value, str):
        raise MessageError(msg("input.number.not_text"))
    return value


def _boolean(value: Any) -> Any:
    """true or false as written: a number or text is refused, not read as a boolean."""
    if not isinstance(value, bool):
        raise MessageError(msg("input.bool.not_bool"))
    return value


#: The policy's own types: an int (a whole float such as 2.0 too), a float (an int too),
#: a boolean; each refuses a value of another kind with a message saying what it must be.
Int = Annotated[int, BeforeValidator(_number)]
Float = Annotated[float, BeforeValidator(_number), Field(allow_inf_nan=False)]
Bool = Annotated[bool, BeforeValidator(_boolean)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Horizon(_Section):
    periods: list[str] = Field(
        default_factory=lambda: ["2025-2026-1", "2025-2026-2"],
        min_length=1,
        description="Ordered period ids (semesters) the roster plans for.",
    )


class Twinning(_Section):
    max_helped: Int = Field(
        2, ge=0, le=20, description="Default helper capacity of a strong school (结对帮扶 1-2)."
    )
    min_helped: Int = Field(
        1, ge=0, le=20, description="Each helper takes at least this many, where it can."
    )
    same_stage: Bool = Field(True, description="A pair must share a stage.")
    max_km: Annotated[Float | None, KM] = Field(
        None, gt=0, description="Longest allowed helper-helped distance; none: no limit."
    )
    avoid_repeat_cycles: Int = Field(
        1, ge=0, le=20, description="A pair of the last N cycles in history is not repeated."
    )
    vetoed: list[tuple[str, str]] = Field(
        default_factory=list,
        description=(
            "Pairs the bureau rules out, as [helper, helped] school ids (e.g. --set "
            "twinning.vetoed=[['S0024','S0170']])."
        ),
    )
    max_helped_students_ratio: Float | None = Field(
        None,
        gt=0,
        description=(
            "Side constraint: the helped schools' students together at most this multiple of "
            "the helper's students; none: no limit."
        ),
    )


class Alliances(_Section):
    groups: int | dict[str, int] | None = Field(
        None,
        description=(
            "Number of alliances; with by_stage also per stage ({primary = 4, junior = 4})."
        ),
    )
    groups_per_region: Annotated[Int | None, SCHOOLS] = Field(
        None,
        ge=1,
        description=(
            "This many alliances in every region (per stage with by_stage); members stay in "
            "their lead's region. 海城: 1 with by_stage = true gives 4 regions x 2 stages."
        ),
    )
    leads: list[str] | None = Field(None, description="Fixed lead school ids.")
    min_size: Annotated[Int | None, SCHOOLS] = Field(
        None, ge=1, description="Smallest alliance, counting the lead; none: from size_band."
    )
    max_size: Annotated[Int | None, SCHOOLS] = Field(
        None, ge=1, description="Largest alliance, counting the lead; none: from size_band."
    )
    size_band: tuple[Float, Float] | None = Field(
        (0.5, 1.5),
        description=(
            "Sizes not given are bounded around the mean alliance size: at least "
            "floor(low x mean), at most ceil(high x mean); [] for no bound."
        ),
    )
    same_stage: Bool = Field(
        True,
        description=(
            "Members share a stage with their lead (a kindergarten leads only kindergartens)."
        ),
    )
    within_region: Bool = Field(False, description="A member's region is its lead's.")
    by_stage: Bool = Field(
        False,
        description=(
            "Separate alliances per stage; nine- and twelve-year schools join one stage they cover."
        ),
    )
    mix_area: Bool = Field(
        True,
        description=(
            "Where an alliance's schools to draw from include urban/town and rural ones, its "
            "lead is urban or town and it has at least one rural member."
        ),
    )
    lead_tiers: list[Tier] = Field(
        default_factory=lambda: list[Tier](["strong"]),
        min_length=1,
        description="Tiers that may lead when a school's can_lead is not given.",
    )

    @field_validator("lead_tiers", mode="before")
    @classmethod
    def _tiers(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = [v for v in value.replace("；", ";").replace(",", ";").split(";") if v.strip()]
        if isinstance(value, (list, tuple)):
            return [ALIASES["tier"].get(str(v).strip(), str(v).strip()) for v in value]
        return value

    @field_validator("size_band", mode="before")
    @classmethod
    def _band(cls, value: Any) -> Any:
        if value is None or value is False or (isinstance(value, (list, tuple)) and not value):
            return None
        return value

    @field_validator("groups", mode="before")
    @classmethod
    def _groups(cls, value: Any) -> Any:
        if isinstance(value, dict):
            out = {}
            for key, count in value.items():
                stage = STAGE_NAMES.get(str(key).strip(), str(key).strip())
                if stage not in SCHOOL_STAGES:
                    raise MessageError(
                        msg("input.policy.groups_stage", stage=str(key), stages=list(SCHOOL_STAGES))
                    )
                out[stage] = SCHOOLS.check(_number(count))
            return out
        return value if value is None else SCHOOLS.check(_number(value))

    @model_validator(mode="after")
    def _sizes(self) -> Alliances:
        if (
            self.max_size is not None
            and self.min_size is not None
            and self.max_size < self.min_size
        ):
            raise MessageError(msg("input.policy.alliance_sizes"))
        if self.size_band is not None and not 0 <= self.size_band[0] <= 1 <= self.size_band[1]:
            raise MessageError(msg("input.policy.size_band"))
        if isinstance(self.groups, int) and self.groups < 1:
            raise MessageError(msg("input.policy.groups_min"))
        if isinstance(self.groups, dict):
            if not self.by_stage:
                raise MessageError(msg("input.policy.groups_by_stage"))
            if any(v < 0 for v in self.groups.values()):
                raise MessageError(msg("input.policy.groups_negative"))
        if self.groups is not None and self.groups_per_region is not None:
            raise MessageError(msg("input.policy.groups_both"))
        return self


class ExemptAge(_Section):
    M: Int = Field(57, ge=18, le=80, description="Men of this age and over never move.")
    F: Int = Field(52, ge=18, le=80, description="Women of this age and over never move.")


class Rotation(_Section):
    rate: Float = Field(
        0.10, ge=0, le=1, description="Share of eligible teachers in urban/strong schools moved."
    )
    backbone_share: Float = Field(
        0.20, ge=0, le=1, description="Backbone teachers among those moved."
    )
    due_years: Int = Field(6, ge=1, le=50, description="Years at one school before a move is due.")
    principal_term_years: Int = Field(
        5, ge=1, le=20, description="A principal is due after two terms of this length."
    )
    max_outflow_share: Float = Field(
        0.15, ge=0, le=1, description="Moves out of a school per period, share of its staff."
    )
    min_outflow: Annotated[Int, SCHOOL_STAFF] = Field(
        1,
        ge=0,
        description=(
            "A school may always have this many staff away per period, whatever its size "
            "(floor(0.15 x 6 staff) is 0: without this a small school could send nobody)."
        ),
    )
    protect_sender: Bool = Field(
        True,
        description=(
            "A teacher leaves only in a subject the home school keeps covered: per school, "
            "subject and period, teachers out minus teachers in at most its surplus (a school "
            "short of a subject sends none of it unless one arrives)."
        ),
    )
    surplus_first: Bool = Field(
        True,
        description=(
            "A school sends a teacher of a subject it has no surplus in only after it has sent "
            "its surplus (as many of its due surplus-subject teachers as could go, up to the "
            "surplus)."
        ),
    )
    same_stage: Bool = Field(
        True,
        description="A teacher moves only to a school sharing a stage with the home school.",
    )
    bridge_stages: Bool = Field(
        False,
        description=(
            "学段衔接: junior-school teachers may also teach at primary schools (counted "
            "separately)."
        ),
    )
    cap_quota: Bool = Field(
        False,
        description=(
            "The planner accepts schools below their rotation.rate quota: each school moves as "
            "many as the other rules let it (every missing teacher costs weights.roster_quota), "
            "and the summary lists every school held below, instead of the plan being "
            "infeasible."
        ),
    )
    keep_subject_cover: Bool = Field(
        True, description="A school keeps a teacher in every subject it teaches."
    )
    host_capacity: Annotated[Int | None, SCHOOL_STAFF] = Field(
        None,
        ge=0,
        description=(
            "Default incoming staff per school per period; none: host_capacity_share of the "
            "host's staff, at least 2."
        ),
    )
    host_capacity_share: Float = Field(
        0.10, ge=0, le=1, description="Default host capacity as a share of the host's staff."
    )
    scope: Literal["pair", "alliance", "county"] = Field(
        "alliance",
        description=(
            "Where a teacher may go: the pair partner, a school of the same alliance, anywhere "
            "in the county. Learning stints, principals and secondments go to a partner or "
            "the lead school within that scope."
        ),
    )
    max_km: Annotated[Float | None, KM] = Field(
        None, gt=0, description="Longest move; none: no limit."
    )
    max_minutes: Annotated[Float | None, MINUTES] = Field(
        None,
        gt=0,
        description=(
            "Longest move in minutes of travel one way: distances.csv's minutes where given, "
            "else its km at itinerant.speed_kmh; none: no limit (the default: a limit tight "
            "enough to bite leaves shipped counties short of their quota)."
        ),
    )
    two_way: Bool = Field(True, description="Weak/rural teachers also go to learn (进城学艺).")
    two_way_share: Float = Field(
        0.2, ge=0, le=1, description="Inward moves at least this share of outward moves."
    )
    exempt_age: ExemptAge = Field(default_factory=ExemptAge)
    min_periods: Annotated[Int, PERIODS] = Field(1, ge=1, description="Shortest move, in periods.")
    max_periods: Annotated[Int, PERIODS] = Field(2, ge=1, description="Longest move, in periods.")
    secondment_count: Annotated[Int | None, COUNTY_STAFF] = Field(
        None,
        ge=0,
        description=(
            "Cadres chosen for secondment (挂职) from the candidates; none: every candidate the "
            "host limits allow."
        ),
    )
    secondment_per_host: Annotated[Int, SCHOOL_STAFF] = Field(
        1, ge=0, description="Seconded cadres a host takes per semester."
    )
    rural_priority_years: Annotated[Int, YEARS] = Field(
        5, ge=0, description="Teachers with fewer rural years go to rural placements first."
    )
    mentor_max_age: Annotated[Int, AGE] = Field(
        35, ge=18, description="Young teacher for 青蓝结对: age at most."
    )
    mentor_max_years: Annotated[Int, YEARS] = Field(
        5,
        ge=0,
        description=(
            "...or fewer years of teaching (教龄, staff teaching_years) than this; years at "
            "the current school do not count."
        ),
    )
    mentor_cycle_years: Annotated[Int, YEARS] = Field(
        3,
        ge=1,
        description=(
            "A mentor pair runs this many years: a pair in history that began fewer years "
            "before the horizon's first year is not formed again."
        ),
    )
    small_school_pupils: Annotated[Int, STUDENTS] = Field(
        300,
        ge=0,
        description=(
            "A school with fewer pupils than this hosts at most one visiting cadre a semester "
            "(a vice principal, middle manager or reserve cadre on an exchange, anyone on a "
            "secondment), and none in a semester one of its own cadres is away; 0: no school "
            "is small."
        ),
    )
    secondment_growth: Bool = Field(
        True,
        description=(
            "A reserve cadre (后备干部) is seconded only to a school larger (more pupils) or "
            "stronger (a higher tier) than their own (挂职学习, 拔高使用); middle managers "
            "may go to any partner."
        ),
    )
    headship_bridge: Bool = Field(
        False,
        description=(
            "A change of head may cross between a nine-year school and a primary or junior "
            "school (a school and one covering part of its stages); off: heads change only "
            "between schools of the same stages (primary with primary, junior with junior, "
            "nine-year with nine-year)."
        ),
    )
    headship_weak_to_strong: Bool = Field(
        False,
        description=(
            "The head of a weak school may take over a strong one without a county-level-or-"
            "above backbone title; off: only a backbone-titled head does."
        ),
    )

    quota_stages: list[Stage] = Field(
        default_factory=lambda: list[Stage](["primary", "junior", "nine_year"]),
        description=(
            "Schools of these stages carry the rotation.rate quota (义务教育学校: primary, "
            "junior and nine-year schools by default); a school of another stage "
            "(kindergarten, senior high school) may still exchange but has no quota. A "
            "school carries it when its stage, or a stage it covers, is listed (a "
            "twelve-year school covers primary and junior)."
        ),
    )
    min_periods_for_quota: Annotated[Int, PERIODS] = Field(
        2,
        ge=1,
        description=(
            "Shortest exchange, in periods, counted toward the rotation.rate quota and the "
            "rotation.backbone_share (local rules count exchanges of a school year or more; "
            "a one-semester stint is 支教 or 挂职): shorter exchanges still happen and are "
            "reported (uncounted_exchanges), but count toward neither."
        ),
    )
    max_department_share: Float = Field(
        1 / 3,
        gt=0,
        le=1,
        description=(
            "At most this share of a school's teachers of one subject (its 教研组: staff of "
            "role teacher) away at once, on an exchange, a learning stint or a secondment "
            "(rounded down, but at least one may always go); 1: no limit."
        ),
    )
    classes_change_once_a_year: Bool = Field(
        True,
        description=(
            "A subject's classes at a school change hands at most once a school year (two "
            "semesters, 2025-2026-1 and 2025-2026-2): its teachers leave, come back, arrive "
            "or go at the start of the year or at its middle, not both (so a one-semester "
            "stint is in the second semester)."
        ),
    )
    mentee_at_home: Bool = Field(
        True,
        description=(
            "A young teacher mentored (青蓝结对) is not away on an exchange, a learning "
            "stint or a secondment while mentored, unless at the mentor's own school."
        ),
    )

    @field_validator("quota_stages", mode="before")
    @classmethod
    def _quota_stages(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = [v for v in value.replace("；", ";").replace(",", ";").split(";") if v.strip()]
        if isinstance(value, (list, tuple)):
            return [STAGE_NAMES.get(str(v).strip(), str(v).strip()) for v in value]
        return value

    @model_validator(mode="after")
    def _periods(self) -> Rotation:
        if self.max_periods < self.min_periods:
            raise MessageError(msg("input.policy.rotation_periods"))
        return self


def _default_ratios() -> dict[str, float]:
    return {
        "kindergarten": 15.0,
        "primary": 19.0,
        "junior": 13.5,
        "senior": 12.5,
    }


def _default_shares() -> dict[str, dict[str, float]]:
    primary = {
        "语文": 0.24,
        "数学": 0.20,
        "英语": 0.10,
        "科学": 0.08,
        "道德与法治": 0.06,
        "音乐": 0.08,
        "体育": 0.10,
        "美术": 0.08,
        "信息技术": 0.06,
    }
    junior = {
        "语文": 0.14,
        "数学": 0.14,
        "英语": 0.13,
        "物理": 0.07,
        "化学": 0.05,
        "生物": 0.05,
        "历史": 0.06,
        "地理": 0.05,
        "道德与法治": 0.06,
        "音乐": 0.05,
        "体育": 0.08,
        "美术": 0.05,
        "信息技术": 0.07,
    }
    return {"kindergarten": {"学前教育": 1.0}, "primary": primary, "junior": junior}


class Needs(_Section):
    students_per_teacher: dict[str, Float] = Field(
        default_factory=_default_ratios,
        description="National staffing ratios by stage (primary 1:19, junior 1:13.5, ...).",
    )
    subject_shares: dict[str, dict[str, Float]] = Field(
        default_factory=_default_shares,
        description="How a stage's quota of teachers splits by subject.",
    )
    priority_weights: dict[int, Annotated[Int, WEIGHT]] = Field(
        default_factory=lambda: {1: 3, 2: 2, 3: 1},
        description="Weight of a shortage by its priority (1 highest).",
    )


class Hires(_Section):
    rural_weak_first: Bool = Field(
        True,
        description=(
            "New teachers fill rural and weak schools' shortages before any other school's "
            "(新教师优先补充农村薄弱校)."
        ),
    )


class Weights(_Section):
    pair_cover: Annotated[Int, WEIGHT] = Field(
        1_000_000, ge=0, description="Per weak school paired (pairing as many as possible first)."
    )
    pair_min_helped: Annotated[Int, WEIGHT] = Field(
        100_000, ge=0, description="Per helper place up to twinning.min_helped that is filled."
    )
    pair_complementarity: Annotated[Int, WEIGHT] = Field(
        100, ge=0, description="Per unit of complementarity (helper strength x helped shortage)."
    )
    pair_km: Annotated[Int, WEIGHT] = Field(
        10, ge=0, description="Per km between helper and helped (cost)."
    )
    alliance_km: Annotated[Int, WEIGHT] = Field(
        10, ge=0, description="Per km from member to lead (cost)."
    )
    replan_keep: Annotated[Int, WEIGHT] = Field(
        5_000,
        ge=0,
        description=(
            "Re-planning with --baseline: per move of the baseline plan kept (a change costs "
            "this much in the search)."
        ),
    )
    itinerant_lesson: Annotated[Int, WEIGHT] = Field(
        1_000,
        ge=0,
        description="Per weekly lesson of need a circuit leaves uncovered, x priority weight.",
    )
    itinerant_teacher: Annotated[Int, WEIGHT] = Field(
        200, ge=0, description="Per teacher on a circuit (fewer teachers, same lessons)."
    )
    itinerant_km: Annotated[Int, WEIGHT] = Field(
        1, ge=0, description="Per km a week travelled on circuits."
    )
    roster_need: Annotated[Int, WEIGHT] = Field(
        10_000,
        ge=0,
        description="Per teacher-period of shortage left uncovered, x priority weight.",
    )
    roster_due: Annotated[Int, WEIGHT] = Field(
        1_000, ge=0, description="Per due teacher or principal not moved."
    )
    roster_rural_priority: Annotated[Int, WEIGHT] = Field(
        100,
        ge=0,
        description=(
            "Per priority teacher (few rural years, or on the title track without rural service)"
            " who moves but not to a rural school."
        ),
    )
    roster_surplus_first: Annotated[Int, WEIGHT] = Field(
        100, ge=0, description="Per teacher moved whose subject is not in surplus at home."
    )
    roster_balance: Annotated[Int, WEIGHT] = Field(
        10,
        ge=0,
        description=(
            "Per backbone teacher moved to a school not poorer in backbone teachers per 100 "
            "students than home (no help to balance)."
        ),
    )
    roster_km: Annotated[Int, WEIGHT] = Field(1, ge=0, description="Per km of a move.")
    roster_preference: Annotated[Int, WEIGHT] = Field(
        20,
        ge=0,
        description=(
            "Per step down a mover's ranked list of preferred schools (second choice: 1 step; "
            "a school not on the list: one step past the last), in km-equivalents with "
            "roster_km = 1: 20 means a teacher's first choice is worth 20 km more travel than "
            "the second."
        ),
    )
    roster_quota: Annotated[Int, WEIGHT] = Field(
        1_000_000,
        ge=0,
        description=(
            "Per teacher a school moves below its rotation.rate quota, when rotation.cap_quota "
            "accepts it (above any need: a quota is met before shortages are filled)."
        ),
    )
    roster_secondment: Annotated[Int, WEIGHT] = Field(
        10_000,
        ge=0,
        description="Per secondment candidate not seconded (when secondment_count is none).",
    )
    roster_merit: Annotated[Int, WEIGHT] = Field(
        10,
        ge=0,
        description="Per point of merit (考核分) a seconded cadre has below the best candidate.",
    )
    alliance_history: Annotated[Int, WEIGHT] = Field(
        0, ge=0, description="Per school not kept with last cycle's lead (cost)."
    )
    alliance_lead_tier: Annotated[Int, WEIGHT] = Field(
        100_000,
        ge=0,
        description=(
            "Per alliance per step down alliances.lead_tiers its lead is (an ordinary lead "
            "after strong: 1 step); large, so a later tier leads only where needed."
        ),
    )
    alliance_balance_strong: Annotated[Int, WEIGHT] = Field(
        0,
        ge=0,
        description=(
            "Per 0.01 school of imbalance: |strong schools - county share x size| per alliance."
        ),
    )
    alliance_balance_backbone: Annotated[Int, WEIGHT] = Field(
        0,
        ge=0,
        description=(
            "Per 0.01 teacher of imbalance: |backbone teachers - county rate x students| "
            "per alliance (rate: county-level-or-above backbone per student)."
        ),
    )


WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class Itinerant(_Section):
    """走教 / 巡回授课: specialists teaching at several schools on fixed weekdays."""

    subjects: list[str] = Field(
        default_factory=lambda: ["音乐", "美术", "体育", "信息技术", "英语", "科学"],
        description="Subjects taught on circuits; their teachers may circuit by default.",
    )
    standard_load: Int = Field(
        14,
        ge=1,
        le=40,
        description=(
            "Lessons a week of one teacher: a need without weekly_lessons is shortage x this, "
            "and a teacher without weekly_load teaches this many at home."
        ),
    )
    max_weekly_lessons: Int = Field(
        16, ge=1, le=40, description="A teacher's lessons a week, home and circuit together."
    )
    max_schools_per_day: Int = Field(2, ge=1, le=5, description="Schools visited in one day.")
    max_km_per_day: Annotated[Float, KM] = Field(
        30.0, gt=0, description="Km a day, round trip from the home school."
    )
    max_minutes_per_day: Annotated[Float | None, MINUTES] = Field(
        60.0,
        gt=0,
        description=(
            "Minutes of travel a day, counted in the working day (each leg's minutes from "
            "distances.csv where given, else its km at speed_kmh); none: no limit."
        ),
    )
    speed_kmh: Float = Field(
        30.0,
        gt=0,
        le=200,
        description=(
            "Speed of a circuit leg, and of a roster move (rotation.max_minutes), whose minutes "
            "distances.csv does not give."
        ),
    )
    min_lessons_per_visit: Int = Field(
        2, ge=1, le=10, description="Lessons at a school on one visit (a visit is worth it)."
    )
    max_lessons_per_day: Int = Field(
        6, ge=1, le=12, description="Circuit lessons a teacher gives in one day."
    )
    days: list[str] = Field(
        default_factory=lambda: ["Mon", "Tue", "Wed", "Thu", "Fri"],
        min_length=1,
        description="Weekdays circuits may use.",
    )
    max_teachers: Annotated[Int | None, COUNTY_STAFF] = Field(
        None, ge=0, description="Most itinerant teachers in the county; none: no limit."
    )
    home_first: Bool = Field(
        True,
        description=(
            "本校代课 first: a teacher's spare lessons cover their own school's shortage in "
            "their subject before any circuit; a school still short of a subject sends no "
            "circuit teacher of it, and no school both sends and receives circuit lessons of "
            "one subject."
        ),
    )
    min_weekly_lessons: Int = Field(
        6,
        ge=0,
        le=40,
        description="Circuit lessons a week of a circuit teacher at least (a real part of a post).",
    )
    max_visitors_per_school: Annotated[Int | None, SCHOOL_STAFF] = Field(
        4, ge=1, description="Circuit teachers a school receives in a week; none: no limit."
    )
    max_visitors_per_subject: Annotated[Int | None, SCHOOL_STAFF] = Field(
        2,
        ge=1,
        description="Circuit teachers of one subject a school receives in a week; none: no limit.",
    )
    receivers: list[str] = Field(
        default_factory=lambda: ["rural", "weak"],
        min_length=1,
        description=(
            "Schools that receive circuits: area words (urban, town, rural), tier words "
            "(strong, ordinary, weak) or school ids; a school matching any one receives. "
            "Town and urban schools receive only when named here."
        ),
    )
    small_school_pupils: list[Annotated[Int, STUDENTS]] = Field(
        default_factory=lambda: [100, 300],
        description=(
            "Small schools first: a receiving school's lessons weigh its priority weight "
            "x (1 + how many of these pupil counts it is below)."
        ),
    )
    scope: Literal["alliance", "region", "county"] = Field(
        "alliance",
        description=(
            "Where a circuit goes: schools of the home school's alliance (学区 / 责任区), of "
            "its region (片区), or anywhere in the county."
        ),
    )
    max_age: Annotated[Int | None, AGE] = Field(
        None,
        ge=18,
        description=(
            "Oldest circuit teacher; none: the rotation's age exemption (rotation.exempt_age) "
            "applies."
        ),
    )

    @field_validator("days")
    @classmethod
    def _days(cls, value: list[str]) -> list[str]:
        bad = [d for d in value if d not in WEEKDAYS]
        if bad:
            raise MessageError(msg("input.policy.unknown_days", days=bad, known=list(WEEKDAYS)))
        if len(set(value)) != len(value):
            raise MessageError(msg("input.policy.day_twice"))
        return value

    @field_validator("receivers", mode="before")
    @classmethod
    def _receivers(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = [v.strip() for v in value.replace("；", ";").replace(",", ";").split(";")]
        if isinstance(value, list):
            names = {**ALIASES["area"], **ALIASES["tier"]}
            return [names.get(v, v) if isinstance(v, str) else v for v in value if v != ""]
        return value


# ---- outreach: 送教下乡 and short exchanges (跟岗) ---------------------------------------


def _week_list(value: Any) -> Any:
    """``18`` or ``"1-18"`` or ``"1-8;10-18"`` -> the list of weeks (each bounded before
    the range is made: ``"1-99999999"`` is refused, not a list of a hundred million)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return list(range(1, WEEK.check(value) + 1))
    if isinstance(value, str):
        weeks: list[int] = []
        for chunk in value.replace("；", ";").replace(",", ";").split(";"):
            chunk = chunk.strip()
            if not chunk:
                continue
            low, _, high = chunk.partition("-")
            try:
                first, last = int(low), int(high or low)
            except ValueError:
                raise MessageError(msg("input.policy.outreach_weeks")) from None
            weeks.extend(range(WEEK.check(first), WEEK.check(last) + 1))
        return weeks
    return value


class Outreach(_Section):
    """送教下乡 / 送教到校 (model lessons at weak and rural schools) and short exchanges
    (rural teachers shadowing at their helper school, 跟岗), per semester."""

    weeks: list[Annotated[Int, WEEK]] = Field(
        default_factory=lambda: list(range(1, 19)),
        min_length=1,
        description='Teaching weeks of a semester open to outreach (18, "1-18" or a list).',
    )
    visits_per_school: Annotated[Int, VISITS] = Field(
        2,
        ge=0,
        description=(
            "Model-lesson visits each weak or rural school receives at least, per semester "
            "(its shortage subjects first)."
        ),
    )
    max_visits_per_teacher: Annotated[Int, VISITS] = Field(
        4, ge=0, description="Visits a teacher makes at most per semester (one a week)."
    )
    max_away_per_school_per_week: Annotated[Int, SCHOOL_STAFF] = Field(
        2,
        ge=0,
        description="Teachers a school has away on outreach (visits, 跟岗) in one week at most.",
    )
    min_weeks_apart: Annotated[Int, WEEK] = Field(
        4,
        ge=0,
        description=(
            "Weeks at least between two model-lesson visits to one school in a semester "
            "(0: any; 1: never two in one week)."
        ),
    )
    max_visits_per_week: Annotated[Int, VISITS] | None = Field(
        None,
        ge=0,
        description=(
            "Model-lesson visits of the whole county in one week at most (default: twice the "
            "semester's average, ceil(2 x visits / weeks))."
        ),
    )
    visit_days: Int = Field(1, ge=1, le=5, description="Days of one model-lesson visit.")
    cap_visits: Bool = Field(
        False,
        description=(
            "The planner accepts schools below visits_per_school where no more visits can be "
            "given (no visitor of their stage left): each school held below is listed and "
            "every missing visit still costs weight_missing, instead of the plan being "
            "infeasible; the checker then proves no visitor could have added a visit."
        ),
    )
    short_exchanges: Bool = Field(
        True,
        description=(
            "Each rural school with a helper school (its pair's helper, else its alliance's "
            "lead) sends at least one teacher to shadow there (跟岗) each semester (seed 000: "
            "short exchanges of at least a week every semester)."
        ),
    )
    short_exchange_weeks: Int = Field(
        1, ge=1, le=18, description="Length of a short exchange (跟岗), consecutive weeks."
    )
    weight_missing: Annotated[Int, WEIGHT] = Field(
        1_000_000, ge=0, description="Per visit or short exchange a school misses (cost)."
    )
    weight_off_need: Annotated[Int, WEIGHT] = Field(
        100, ge=0, description="Per visit in a subject the school is not short of (cost)."
    )
    weight_not_pair: Annotated[Int, WEIGHT] = Field(
        10, ge=0, description="Per visit not from the school's pair helper (cost)."
    )
    weight_not_alliance: Annotated[Int, WEIGHT] = Field(
        20, ge=0, description="Per visit from outside the school's alliance (cost)."
    )
    weight_km: Annotated[Int, WEIGHT] = Field(
        1, ge=0, description="Per km of a visit, rounded per visit (cost)."
    )

    @field_validator("weeks", mode="before")
    @classmethod
    def _weeks(cls, value: Any) -> Any:
        return _week_list(value)

    @model_validator(mode="after")
    def _sorted(self) -> Outreach:
        if any(w < 1 for w in self.weeks) or len(set(self.weeks)) != len(self.weeks):
            raise MessageError(msg("input.policy.outreach_weeks"))
        if self.weeks != sorted(self.weeks):
            object.__setattr__(self, "weeks", sorted(self.weeks))
        return self


class Balance(_Section):
    """The balance evaluation's staffing indicators (教督〔2017〕6号): per school minimums
    per 100 students and the largest coefficient of variation across schools."""

    minimums: dict[str, dict[str, Float]] = Field(
        default_factory=lambda: {
            "qualified": {"primary": 4.2, "junior": 5.3},
            "backbone": {"primary": 1.0, "junior": 1.0},
            "pe_arts": {"primary": 0.9, "junior": 0.9},
        },
        description=(
            "Indicator -> stage -> the least per 100 students a school should have: teachers "
            "above the required qualification, county-level-or-above backbone, PE and arts."
        ),
    )
    thresholds: dict[str, Float] = Field(
        default_factory=lambda: {"primary": 0.50, "junior": 0.45},
        description="Stage -> the largest coefficient of variation across schools allowed.",
    )
    formula: Literal["official", "unweighted"] = Field(
        "official",
        description=(
            "official: the evaluation's 差异系数, each school weighted by its students "
            "(S = sqrt(sum P_i/N (X_i - X)^2), CV = S / X, X the county's value); "
            "unweighted: the plain standard deviation over the plain mean, for comparison."
        ),
    )
    no_worse: Bool = Field(
        False,
        description=(
            "No staffing coefficient (走教 circuits counted) above its value before the plan "
            "in any period: the roster is held to it (its balance surrogate weighted up on "
            "the indicators that rise), the checker holds the whole plan, and a plan that "
            "still raises one says which indicator, period and by how much (status unknown). "
            "It comes before rotation.secondment_count unset: a candidate stays home when "
            "every secondment that fits would raise a coefficient (named, and counted in the "
            "KPI secondments_held_no_worse); a count set explicitly is kept or missed openly."
        ),
    )
    standards: dict[str, dict[str, Float]] = Field(
        default_factory=lambda: {
            "teaching_area": {"primary": 4.5, "junior": 5.8},
            "sports_area": {"primary": 7.5, "junior": 10.2},
            "equipment_value": {"primary": 2000.0, "junior": 2500.0},
            "multimedia_rooms": {"primary": 2.3, "junior": 2.4},
        },
        description=(
            "Facility indicator -> stage -> the per-school standard of the evaluation: m² of "
            "teaching and auxiliary rooms and of sports grounds per student, yuan of "
            "equipment per student, multimedia classrooms per 100 students (the staffing "
            "standards are balance.minimums)."
        ),
    )
    target: Literal["off", "objective", "rule"] = Field(
        "off",
        description=(
            "objective: the roster also lowers each school's squared deviation from the "
            "county mean of each indicator (a surrogate of the coefficients; the checker "
            "reports the true ones). rule: as objective, and the roster must keep every "
            "coefficient within its threshold and every school at the minimums it meets; "
            "else the part is infeasible (a proven bound over a threshold) or unknown."
        ),
    )
    weight: Annotated[Int, WEIGHT] = Field(
        10,
        ge=0,
        description=(
            "With target objective or rule: the price of a school's squared deviation from "
            "the county's value, x 10,000 / its students per teacher squared (official "
            "formula), or x (100 / its students)^2 x 100 (unweighted)."
        ),
    )
    indicator_weights: dict[str, Annotated[Int, WEIGHT]] = Field(
        default_factory=lambda: {"qualified": 1, "backbone": 1, "pe_arts": 1},
        description=(
            "Indicator -> a multiple of balance.weight for its deviations: raise one to aim "
            "at it before the others (the rule raises those over their threshold)."
        ),
    )

    @field_validator("indicator_weights")
    @classmethod
    def _indicator_weights(cls, value: dict[str, int]) -> dict[str, int]:
        known = ("qualified", "backbone", "pe_arts")
        for key, w in value.items():
            if key not in known:
                raise MessageError(
                    msg("input.policy.unknown_indicator", key=key, known=list(known))
                )
            if w < 0:
                raise MessageError(msg("input.policy.indicator_weight", key=key))
        return value

    @field_validator("standards")
    @classmethod
    def _standards(cls, value: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
        known = ("teaching_area", "sports_area", "equipment_value", "multimedia_rooms")
        defaults = cls.model_fields["standards"].get_default(call_default_factory=True)
        for key, by_stage in value.items():
            if key not in known:
                raise MessageError(
                    msg("input.policy.unknown_indicator", key=key, known=list(known))
                )
            for stage, x in by_stage.items():
                if stage not in ("primary", "junior"):
                    raise MessageError(
                        msg(
                            "input.policy.standard_stage", stage=stage, stages=["primary", "junior"]
                        )
                    )
                if x < 0:
                    raise MessageError(msg("input.policy.standard", key=f"{key}.{stage}"))
        # a key given replaces only the stages it names
        return {k: {**defaults[k], **value.get(k, {})} for k in known}


class Policy(_Section):
    """Every rule as a key with its default."""

    horizon: Horizon = Field(default_factory=Horizon)
    twinning: Twinning = Field(default_factory=Twinning)
    alliances: Alliances = Field(default_factory=Alliances)
    rotation: Rotation = Field(default_factory=Rotation)
    needs: Needs = Field(default_factory=Needs)
    hires: Hires = Field(default_factory=Hires)
    itinerant: Itinerant = Field(default_factory=Itinerant)
    weights: Weights = Field(default_factory=Weights)
    outreach: Outreach = Field(default_factory=Outreach)
    balance: Balance = Field(default_factory=Balance)


def nest_dotted(flat: dict[str, object]) -> dict[str, object]:
    """Turn ``{"rotation.rate": 0.1}`` into ``{"rotation": {"rate": 0.1}}``."""
    nested: dict[str, object] = {}
    for key, value in flat.items():
        node = nested
        parts = key.split(".")
        for part in parts[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise MessageError(msg("input.policy.key_conflict", key=key, part=part))
            node = child
        node[parts[-1]] = value
    return nested


class SettingError(InputValueError):
    """A ``--set key=value`` the policy cannot take (unknown key, or a bad value): an
    :class:`~twinning.errors.InputError` whose problem names ``--set`` and the key (and a
    ``ValueError``, as callers caught it before)."""

    @classmethod
    def about(cls, where: str, message: Any, lang: Lang = "en") -> SettingError:
        """The error of one setting: ``where`` is the key as given (or the whole text)."""
        return cls([InputProblem(f"--set {where}", message, lang=lang)])


def parse_setting(text: str, lang: Lang = "en") -> tuple[str, Any]:
    """``"rotation.rate=0.12"`` -> ``("rotation.rate", 0.12)``: the value read as TOML
    (a number, true/false, a quoted string, a list ``[...]``), else taken as plain text
    (``rotation.scope=county``); ``none`` (or ``null``) clears an optional key. ``lang``
    is the language of the :class:`SettingError` a malformed one raises."""
    import tomllib

    key, sep, raw = text.partition("=")
    key, raw = key.strip(), raw.strip()
    if not sep or not key:
        raise SettingError.about(repr(text), msg("input.setting.syntax"), lang)
    if raw.lower() in ("none", "null", ""):
        return key, None
    if toml_too_deep(raw) is not None:  # refused before parsing: the parser recurses
        raise SettingError.about(key, msg("input.too_deep", limit=MAX_DEPTH), lang)
    try:
        value: Any = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw
    return key, value


def with_settings(policy: Policy, settings: dict[str, Any], lang: Lang = "en") -> Policy:
    """The policy with dotted keys set (``{"rotation.rate": 0.12}``), checked as a
    policy.toml would be: an unknown key or a bad value raises :class:`SettingError`
    naming the key, said in ``lang``."""
    from pydantic import ValidationError

    data: dict[str, Any] = policy.model_dump()
    for key, value in settings.items():
        node: Any = data
        parts = key.split(".")
        for k, part in enumerate(parts):
            last = k == len(parts) - 1
            if not isinstance(node, dict) or part not in node:
                known = sorted(node) if isinstance(node, dict) else []
                where = ".".join(parts[:k])
                if not known:
                    said = msg("input.setting.no_key", part=part)
                elif where:
                    said = msg("input.setting.no_key_in", part=part, where=where, known=known)
                else:
                    said = msg("input.setting.no_key_top", part=part, known=known)
                raise SettingError.about(key, said, lang)
            if last:
                node[part] = value
            else:
                node = node[part]
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise SettingError.about(where, validation_msg(err), lang) from None
