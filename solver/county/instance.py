"""The data model: one pydantic class per table of the instance (README, "File formats").

Readers (``twinning.io``) turn files into an :class:`Instance`; nothing else in
the solver looks at files or DataFrames. Enum values are accepted in English
or Chinese and stored in English.
"""

from __future__ import annotations

import functools
import hashlib
import math
from collections.abc import Hashable, Iterable
from typing import Annotated, Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from twinning.county.limits import (
    AGE,
    AREA,
    COUNTY_STAFF,
    EQUIPMENT,
    KM,
    MERIT,
    MINUTES,
    ROOMS,
    SCHOOL_LESSONS,
    SCHOOL_STAFF,
    SCHOOLS,
    STUDENTS,
    TEACHER_LESSONS,
    YEARS,
)
from twinning.county.policy import Policy, with_settings
from twinning.errors import InputProblem
from twinning.messages import Msg, msg
from twinning.vocabulary import (
    ALIASES,
    COUNTY_OR_ABOVE,
    STAGE_COVERS,
    Area,
    Backbone,
    Education,
    Gender,
    HistoryKind,
    Role,
    StaffStatus,
    Stage,
    Tier,
)

_TRUE = {"true", "1", "yes", "y", "是", "t", "√", "1.0"}
_FALSE = {"false", "0", "no", "n", "否", "f", "", "0.0"}


#: Text -> what :func:`_enum` or :func:`_bool` makes of it, per kind: a county writes the
#: same few words in 80,000 rows. At most :data:`_KEPT` texts are kept per kind.
_SEEN: dict[str, dict[str, Any]] = {}
_KEPT = 1000


def _enum(kind: str, value: Any) -> Any:
    if isinstance(value, str):
        seen = _SEEN.setdefault(kind, {})
        if value in seen:
            return seen[value]
        text = value.strip()
        found = ALIASES[kind].get(text, ALIASES[kind].get(text.lower(), text))
        if len(seen) < _KEPT:
            seen[value] = found
        return found
    return value


def _bool(value: Any) -> Any:
    if isinstance(value, str):
        seen = _SEEN.setdefault("\0bool", {})
        if value in seen:
            return seen[value]
        text = value.strip().lower()
        found: Any = True if text in _TRUE else False if text in _FALSE else value
        if len(seen) < _KEPT:
            seen[value] = found
        return found
    return value


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class School(_Row):
    """One school (学校)."""

    id: str = Field(min_length=1, description="Unique school code (学校代码).")
    name: str = Field(min_length=1, description="School name (学校名称).")
    stage: tuple[Stage, ...] = Field(
        min_length=1, description="Stages; several may be given separated by ';'."
    )
    area: Area = Field(description="urban 城区 / town 镇区 / rural 乡村.")
    tier: Tier = Field(description="strong 优质 / ordinary 一般 / weak 薄弱.")
    region: str | None = Field(None, description="Region or township (片区).")
    lat: float | None = Field(
        None, ge=-90, le=90, allow_inf_nan=False, description="WGS84 latitude."
    )
    lon: float | None = Field(
        None, ge=-180, le=180, allow_inf_nan=False, description="WGS84 longitude."
    )
    students: Annotated[int | None, STUDENTS] = Field(None, ge=0, description="Students enrolled.")
    helper_capacity: Annotated[int | None, SCHOOLS] = Field(
        None, ge=0, description="Helped schools it can support; default from policy."
    )
    host_capacity: Annotated[int | None, SCHOOL_STAFF] = Field(
        None, ge=0, description="Incoming exchange staff per period; default from policy."
    )
    can_lead: bool | None = Field(None, description="May lead an alliance; default: strong.")
    # The facilities the 优质均衡 evaluation measures per student (school totals).
    teaching_area: Annotated[float | None, AREA] = Field(
        None,
        ge=0,
        allow_inf_nan=False,
        description="Teaching and auxiliary rooms (教学及辅助用房面积), m².",
    )
    sports_area: Annotated[float | None, AREA] = Field(
        None,
        ge=0,
        allow_inf_nan=False,
        description="Sports grounds and halls (体育运动场馆面积), m².",
    )
    equipment_value: Annotated[float | None, EQUIPMENT] = Field(
        None,
        ge=0,
        allow_inf_nan=False,
        description="Teaching instruments and equipment (教学仪器设备值), yuan (not 万元).",
    )
    multimedia_rooms: Annotated[int | None, ROOMS] = Field(
        None, ge=0, description="Networked multimedia classrooms (网络多媒体教室数)."
    )

    @field_validator("stage", mode="before")
    @classmethod
    def _stage(cls, value: Any) -> Any:
        if isinstance(value, str):
            items = [v for v in value.replace("；", ";").replace(",", ";").split(";") if v.strip()]
            return tuple(_enum("stage", v) for v in items)
        if isinstance(value, (list, tuple)):
            return tuple(_enum("stage", v) for v in value)
        return value

    @field_validator("area", mode="before")
    @classmethod
    def _area(cls, value: Any) -> Any:
        return _enum("area", value)

    @field_validator("tier", mode="before")
    @classmethod
    def _tier(cls, value: Any) -> Any:
        return _enum("tier", value)

    @field_validator("can_lead", mode="before")
    @classmethod
    def _can_lead(cls, value: Any) -> Any:
        return _bool(value)

    @property
    def stages(self) -> frozenset[str]:
        """The stages this school covers (a nine-year school covers primary and junior)."""
        stage = self.stage
        return _covered(stage) if isinstance(stage, tuple) else _covered.__wrapped__(stage)


@functools.cache
def _covered(stage: Iterable[str]) -> frozenset[str]:
    """The stages a school of these stages covers (the same few tuples, worked out once)."""
    covered: set[str] = set()
    for s in stage:
        covered |= STAGE_COVERS[s]
    return frozenset(covered)


class Staff(_Row):
    """One member of staff (教职工)."""

    id: str = Field(min_length=1, description="Unique staff id (工号).")
    name: str | None = Field(None, description="Personal data; never required, maskable.")
    school: str = Field(min_length=1, description="Current school id.")
    role: Role = Field(description="teacher / principal / vice_principal / ...")
    subject: str | None = Field(None, description="Subject taught; required for teachers.")
    backbone: Backbone = Field("none", description="Backbone level (骨干级别).")
    years_at_school: Annotated[int, YEARS] = Field(ge=0, description="Years at the current school.")
    rural_years: Annotated[int, YEARS] = Field(0, ge=0, description="Years of rural teaching.")
    age: Annotated[int | None, AGE] = Field(None, ge=16, description="Age in years.")
    gender: Gender | None = Field(None, description="M 男 / F 女.")
    status: StaffStatus = Field("active", description="active / exempt / deferred.")
    title_track: bool = Field(False, description="Candidate for a senior title.")
    willing: tuple[str, ...] = Field((), description="Ranked preferred school ids.")
    teaching_years: Annotated[int | None, YEARS] = Field(
        None, ge=0, description="Years of teaching anywhere (教龄); mentees are new."
    )
    education: Education | None = Field(None, description="Highest qualification (学历).")
    secondment_candidate: bool | None = Field(
        None, description="On the secondment candidate list (挂职候选); default: cadres."
    )
    merit: Annotated[float | None, MERIT] = Field(
        None, allow_inf_nan=False, description="Appraisal score (考核分), ranks candidates."
    )
    weekly_load: Annotated[int | None, TEACHER_LESSONS] = Field(
        None, ge=0, description="Lessons a week the teacher now teaches (周课时量)."
    )
    itinerant: bool | None = Field(
        None, description="May teach on a circuit (可走教); default: itinerant subjects."
    )
    studio: str | None = Field(None, description="名师工作室 the teacher belongs to.")
    max_km: Annotated[float | None, KM] = Field(
        None,
        gt=0,
        allow_inf_nan=False,
        description=(
            "A personal limit of km one way (个人通勤上限: young children, care of parents): "
            "the plan moves this person no farther."
        ),
    )

    @field_validator("role", mode="before")
    @classmethod
    def _role(cls, value: Any) -> Any:
        return _enum("role", value)

    @field_validator("backbone", mode="before")
    @classmethod
    def _backbone(cls, value: Any) -> Any:
        return "none" if value is None else _enum("backbone", value)

    @field_validator("gender", mode="before")
    @classmethod
    def _gender(cls, value: Any) -> Any:
        return _enum("gender", value)

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value: Any) -> Any:
        return "active" if value is None else _enum("status", value)

    @field_validator("title_track", mode="before")
    @classmethod
    def _title(cls, value: Any) -> Any:
        return False if value is None else _bool(value)

    @field_validator("secondment_candidate", "itinerant", mode="before")
    @classmethod
    def _optional_bool(cls, value: Any) -> Any:
        return _bool(value)

    @field_validator("education", mode="before")
    @classmethod
    def _education(cls, value: Any) -> Any:
        return _enum("education", value)

    @field_validator("rural_years", mode="before")
    @classmethod
    def _rural(cls, value: Any) -> Any:
        return 0 if value is None else value

    @field_validator("willing", mode="before")
    @classmethod
    def _willing(cls, value: Any) -> Any:
        if value is None:
            return ()
        if isinstance(value, str):
            return tuple(v.strip() for v in value.replace("；", ";").split(";") if v.strip())
        return value

    @property
    def is_backbone(self) -> bool:
        """Backbone teacher of county level or above."""
        return self.backbone in COUNTY_OR_ABOVE


class Need(_Row):
    """A subject shortage or surplus at a school (学科需求)."""

    school: str = Field(min_length=1)
    subject: str = Field(min_length=1)
    shortage: Annotated[int, SCHOOL_STAFF] = Field(
        0, ge=0, description="Teachers of this subject lacking (缺编)."
    )
    surplus: Annotated[int, SCHOOL_STAFF] = Field(
        0, ge=0, description="Teachers of this subject to spare (超编)."
    )
    period: str | None = Field(None, description="Blank: every period.")
    priority: int = Field(2, ge=1, le=3, description="1 highest .. 3.")
    weekly_lessons: Annotated[int | None, SCHOOL_LESSONS] = Field(
        None, ge=0, description="Lessons a week of the subject the school cannot staff."
    )

    @field_validator("shortage", "surplus", mode="before")
    @classmethod
    def _zero(cls, value: Any) -> Any:
        return 0 if value is None else value

    @field_validator("priority", mode="before")
    @classmethod
    def _prio(cls, value: Any) -> Any:
        return 2 if value is None else value


class HistoryEntry(_Row):
    """Something that happened in an earlier cycle (历史记录)."""

    kind: HistoryKind
    period: str = Field(min_length=1, description="Cycle or period id, ordered as text.")
    staff: str | None = Field(None, description="Exchanges and mentors (the mentor).")
    from_school: str = Field(min_length=1, description="Helper, lead or home school.")
    to_school: str = Field(min_length=1, description="Helped, member or host school.")
    mentee: str | None = Field(None, description="Mentor pairs only: the young teacher.")

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: Any) -> Any:
        return _enum("kind", value)


class Fixed(HistoryEntry):
    """A pinned decision the plan must keep (same columns as history; period optional)."""

    period: str = Field("", description="Period for an exchange; blank otherwise.")

    @field_validator("period", mode="before")
    @classmethod
    def _period(cls, value: Any) -> Any:
        return "" if value is None else value


class Distance(_Row):
    """A road distance that overrides the straight line (distances.csv)."""

    from_: str = Field(alias="from", min_length=1)
    to: str = Field(min_length=1)
    km: Annotated[float, KM] = Field(ge=0, allow_inf_nan=False)
    minutes: Annotated[float | None, MINUTES] = Field(None, ge=0, allow_inf_nan=False)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class NewHire(_Row):
    """This year's new teachers of a subject and stage (新招聘教师), to be placed."""

    subject: str = Field(min_length=1, description="Subject (学科).")
    stage: Stage = Field(description="Stage they are qualified for (学段).")
    count: Annotated[int, COUNTY_STAFF] = Field(ge=0, description="How many (人数).")

    @field_validator("stage", mode="before")
    @classmethod
    def _stage(cls, value: Any) -> Any:
        return _enum("stage", value)


#: Table name -> row model; the order in which tables are read and checked.
TABLES: dict[str, type[_Row]] = {
    "schools": School,
    "staff": Staff,
    "needs": Need,
    "history": HistoryEntry,
    "distances": Distance,
    "fixed": Fixed,
    "new_hires": NewHire,
}


class Instance(BaseModel):
    """A county: its schools, staff, needs, history, distances, pins and policy.

    Cross-table consistency is checked by :func:`check_instance`
    when an instance is loaded, so that each problem can name its file and row.
    """

    model_config = ConfigDict(extra="forbid")

    name: str = Field("instance", description="Instance name (folder or file stem).")
    lang: Literal["en", "zh"] = Field(
        "en",
        description=(
            "The language of the planner's files (their headers, or the one asked of the "
            "reader with lang=): outputs and messages speak it by default."
        ),
    )
    schools: list[School] = Field(min_length=1)
    staff: list[Staff] = Field(default_factory=list)
    needs: list[Need] = Field(default_factory=list)
    history: list[HistoryEntry] = Field(default_factory=list)
    distances: list[Distance] = Field(default_factory=list)
    fixed: list[Fixed] = Field(default_factory=list)
    new_hires: list[NewHire] = Field(default_factory=list)
    policy: Policy = Field(default_factory=Policy)

    @model_validator(mode="after")
    def _cross_table(self) -> Instance:
        problems = check_instance(self)
        if problems:
            raise ValueError("; ".join(str(p) for p in problems[:10]))
        return self

    # ---- lookups used by models and the validator --------------------------------------
    def fingerprint(self) -> str:
        """A short hash of who is in the county (school ids, staff ids and their schools)
        and of its policy: a plan records it, so that checking a plan against another
        county is refused with one clear message instead of hundreds of violations.

        Cheap on purpose (no full dump of 80,000 staff rows): edited needs or ages keep the
        fingerprint, a different county or a different policy does not.
        """
        digest = hashlib.sha256()  # the lines hashed as one text: the same digest
        digest.update("".join([f"s:{s.id}\n" for s in self.schools]).encode())
        digest.update("".join([f"t:{t.id}@{t.school}\n" for t in self.staff]).encode())
        digest.update(self.policy.model_dump_json().encode())
        return digest.hexdigest()[:16]

    def school_index(self) -> dict[str, int]:
        """School id -> position in :attr:`schools`."""
        return {s.id: i for i, s in enumerate(self.schools)}

    def school(self, school_id: str) -> School:
        """The school with this id."""
        for s in self.schools:
            if s.id == school_id:
                return s
        raise KeyError(school_id)


def share_stage(a: School, b: School) -> bool:
    """Two schools share a stage when the stages they cover overlap."""
    return bool(a.stages & b.stages)


def finite(values: Iterable[float | None]) -> bool:
    """True when every value is a finite number."""
    return all(v is not None and math.isfinite(v) for v in values)


# ---- checks across tables ------------------------------------------------------------------


class Locator(Protocol):
    """Says where a table row came from, so that a problem can name file, row and column.

    The readers pass one that knows the files; an instance built in code uses
    :class:`_Plain` (table name and 1-based row).
    """

    policy_file: str

    def problem(
        self, table: str, index: int, fld: str | None, message: Msg, value: object = None
    ) -> InputProblem: ...

    def row(self, table: str, index: int) -> int:
        """The file's own number of a table's row (to name the other row of a pair)."""
        ...

    def column(self, table: str, fld: str) -> str:
        """A column as the planner wrote its header."""
        ...


class _Plain:
    """Where-abouts for an instance built in code: table name and 1-based row."""

    policy_file = "policy"

    def problem(
        self, table: str, index: int, fld: str | None, message: Msg, value: object = None
    ) -> InputProblem:
        return InputProblem(table, message, index + 1, fld, value)

    def row(self, table: str, index: int) -> int:
        return index + 1

    def column(self, table: str, fld: str) -> str:
        return fld


#: Two directions of a distance may differ by this many km, or by this share of the longer
#: (whichever is more): road distances rounded to whole km, or measured along one-way
#: streets, differ a little; 3 km one way and 50 km back is a typing mistake.
DISTANCE_TOLERANCE_KM = 0.5
DISTANCE_TOLERANCE_SHARE = 0.01

#: The columns that make a row of each table one of its kind: a second row with the same
#: values is refused (naming both rows), since the plan would count it twice or pick one.
#: History and pins are refused only when the whole row repeats (an event twice).
KEYS: dict[str, tuple[str, ...]] = {
    "needs": ("school", "subject", "period"),
    "distances": ("from", "to"),
    "new_hires": ("subject", "stage"),
}


def _twice(
    src: Locator,
    table: str,
    keys: Iterable[Hashable],
    at: str,
    message: Msg,
    problems: list[InputProblem],
    columns: tuple[str, ...] = (),
) -> None:
    """A problem at each row whose key an earlier row has, naming the earlier row."""
    seen: dict[Hashable, int] = {}
    for i, key in enumerate(keys):
        first = seen.setdefault(key, i)
        if first != i:
            params: dict[str, Any] = {**message.params, "first": src.row(table, first)}
            if columns:
                params["columns"] = [src.column(table, c) for c in columns]
            problems.append(src.problem(table, i, at, msg(message.code, **params)))


def check_instance(inst: Instance, src: Locator | None = None) -> list[InputProblem]:
    """Every cross-table problem, each naming its file (or table), row and column."""
    src = src or _Plain()
    unknown_school = msg("input.check.unknown_school")
    problems: list[InputProblem] = []
    school_ids: dict[str, int] = {}
    for i, s in enumerate(inst.schools):
        if s.id in school_ids:
            first = src.row("schools", school_ids[s.id])
            said = msg("input.check.duplicate_school", first=first)
            problems.append(src.problem("schools", i, "id", said, s.id))
        school_ids.setdefault(s.id, i)
    staff_ids: dict[str, int] = {}
    for i, t in enumerate(inst.staff):
        if t.id in staff_ids:
            said = msg("input.check.duplicate_staff", first=src.row("staff", staff_ids[t.id]))
            problems.append(src.problem("staff", i, "id", said, t.id))
        staff_ids.setdefault(t.id, i)
        if t.school not in school_ids:
            problems.append(src.problem("staff", i, "school", unknown_school, t.school))
        if t.role == "teacher" and not t.subject:
            problems.append(src.problem("staff", i, "subject", msg("input.check.teacher_subject")))
        for w in t.willing:
            if w not in school_ids:
                problems.append(src.problem("staff", i, "willing", unknown_school, w))
    for i, n in enumerate(inst.needs):
        if n.school not in school_ids:
            problems.append(src.problem("needs", i, "school", unknown_school, n.school))
        elif n.period and n.period not in inst.policy.horizon.periods:
            problems.append(
                src.problem("needs", i, "period", msg("input.check.not_a_period"), n.period)
            )
    for table in ("history", "fixed"):
        rows = inst.history if table == "history" else inst.fixed
        for i, h in enumerate(rows):
            for fld in ("from_school", "to_school"):
                value = getattr(h, fld)
                if value not in school_ids:
                    problems.append(src.problem(table, i, fld, unknown_school, value))
            if h.kind in ("exchange", "mentor"):
                if not h.staff:
                    missing = (
                        msg("input.check.exchange_staff")
                        if h.kind == "exchange"
                        else msg("input.check.mentor_staff")
                    )
                    problems.append(src.problem(table, i, "staff", missing))
                elif h.staff not in staff_ids and table == "fixed":
                    problems.append(
                        src.problem(table, i, "staff", msg("input.check.unknown_staff"), h.staff)
                    )
            if h.kind == "mentor" and not h.mentee:
                problems.append(src.problem(table, i, "mentee", msg("input.check.mentor_mentee")))
            if h.from_school == h.to_school and h.kind not in ("alliance", "mentor"):
                problems.append(
                    src.problem(table, i, "to_school", msg("input.check.same_school"), h.to_school)
                )
    for i, d in enumerate(inst.distances):
        for fld, value in (("from", d.from_), ("to", d.to)):
            if value not in school_ids:
                problems.append(src.problem("distances", i, fld, unknown_school, value))
    _check_keys(inst, src, problems)
    _check_directions(inst, src, problems)
    if not inst.distances:
        for i, s in enumerate(inst.schools):
            for fld in ("lat", "lon"):
                if getattr(s, fld) is None:
                    problems.append(src.problem("schools", i, fld, msg("input.check.coordinates")))
    alliances = inst.policy.alliances
    for lead in alliances.leads or []:
        if lead not in school_ids:
            problems.append(
                InputProblem(
                    src.policy_file,
                    msg("input.policy.key", key="alliances.leads", why=unknown_school),
                    value=lead,
                )
            )
    words = {"urban", "town", "rural", "strong", "ordinary", "weak"}
    for name in inst.policy.itinerant.receivers:
        if name not in words and name not in school_ids:
            problems.append(
                InputProblem(
                    src.policy_file,
                    msg("input.policy.key", key="itinerant.receivers", why=unknown_school),
                    value=name,
                )
            )
    return problems


def _check_keys(inst: Instance, src: Locator, problems: list[InputProblem]) -> None:
    """A row given twice (:data:`KEYS`; history and pins: the whole row), naming both."""
    same = msg("input.check.duplicate_row")
    needs = ((n.school, n.subject, n.period or "") for n in inst.needs)
    _twice(src, "needs", needs, "school", same, problems, KEYS["needs"])
    ways = ((d.from_, d.to) for d in inst.distances)
    _twice(src, "distances", ways, "from", same, problems, KEYS["distances"])
    hires = ((h.subject, h.stage) for h in inst.new_hires)
    _twice(src, "new_hires", hires, "subject", same, problems, KEYS["new_hires"])
    line = msg("input.check.duplicate_line")
    _twice(src, "history", (_whole(h) for h in inst.history), "kind", line, problems)
    _twice(src, "fixed", (_whole(h) for h in inst.fixed), "kind", line, problems)


def _whole(h: HistoryEntry) -> tuple[str | None, ...]:
    return (h.kind, h.period, h.staff or None, h.from_school, h.to_school, h.mentee or None)


def _check_directions(inst: Instance, src: Locator, problems: list[InputProblem]) -> None:
    """A school's distance to itself, and two directions of a distance that disagree by
    more than :data:`DISTANCE_TOLERANCE_KM` or :data:`DISTANCE_TOLERANCE_SHARE`."""
    given: dict[tuple[str, str], int] = {}
    for i, d in enumerate(inst.distances):
        if d.from_ == d.to:
            said = msg("input.check.self_distance")
            problems.append(src.problem("distances", i, "to", said, d.to))
            continue
        given.setdefault((d.from_, d.to), i)
        j = given.get((d.to, d.from_))
        if j is None:
            continue
        other = inst.distances[j].km
        tolerance = max(DISTANCE_TOLERANCE_KM, DISTANCE_TOLERANCE_SHARE * max(d.km, other))
        if abs(d.km - other) > tolerance:
            said = msg(
                "input.check.distance_disagrees",
                km=d.km,
                other=other,
                first=src.row("distances", j),
                tolerance=DISTANCE_TOLERANCE_KM,
                share=round(DISTANCE_TOLERANCE_SHARE * 100),
            )
            problems.append(src.problem("distances", i, "km", said, d.km))


def with_policy(inst: Instance, settings: dict[str, Any]) -> Instance:
    """The instance with dotted policy keys set (``{"rotation.rate": 0.12}``), checked as
    policy.toml is (:func:`twinning.county.policy.with_settings`); a bad one is refused in
    the county's language."""
    if not settings:
        return inst
    return inst.model_copy(update={"policy": with_settings(inst.policy, settings, inst.lang)})
