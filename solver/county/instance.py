"""The data model: one pydantic class per table of PRODUCT.md section 2.

Readers (``solver.io``) turn files into an :class:`Instance`; nothing else in
the solver looks at files or DataFrames. Enum values are accepted in English
or Chinese and stored in English.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from solver.county.policy import Policy
from solver.county.vocabulary import (
    ALIASES,
    COUNTY_OR_ABOVE,
    STAGE_COVERS,
    Area,
    Backbone,
    Gender,
    HistoryKind,
    Role,
    StaffStatus,
    Stage,
    Tier,
)

_TRUE = {"true", "1", "yes", "y", "是", "t", "√", "1.0"}
_FALSE = {"false", "0", "no", "n", "否", "f", "", "0.0"}


def _enum(kind: str, value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip()
        return ALIASES[kind].get(text, ALIASES[kind].get(text.lower(), text))
    return value


def _bool(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
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
    lat: float | None = Field(None, ge=-90, le=90, description="WGS84 latitude.")
    lon: float | None = Field(None, ge=-180, le=180, description="WGS84 longitude.")
    students: int | None = Field(None, ge=0, description="Students enrolled.")
    helper_capacity: int | None = Field(
        None, ge=0, description="Helped schools it can support; default from policy."
    )
    host_capacity: int | None = Field(
        None, ge=0, description="Incoming exchange staff per period; default from policy."
    )
    can_lead: bool | None = Field(None, description="May lead an alliance; default: strong.")

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
        covered: set[str] = set()
        for s in self.stage:
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
    years_at_school: int = Field(ge=0, le=70, description="Years at the current school.")
    rural_years: int = Field(0, ge=0, le=70, description="Years of rural teaching.")
    age: int | None = Field(None, ge=16, le=90, description="Age in years.")
    gender: Gender | None = Field(None, description="M 男 / F 女.")
    status: StaffStatus = Field("active", description="active / exempt / deferred.")
    title_track: bool = Field(False, description="Candidate for a senior title.")
    willing: tuple[str, ...] = Field((), description="Ranked preferred school ids.")

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
    shortage: int = Field(0, ge=0, description="Teachers of this subject lacking (缺编).")
    surplus: int = Field(0, ge=0, description="Teachers of this subject to spare (超编).")
    period: str | None = Field(None, description="Blank: every period.")
    priority: int = Field(2, ge=1, le=3, description="1 highest .. 3.")

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
    staff: str | None = Field(None, description="Exchanges only.")
    from_school: str = Field(min_length=1, description="Helper, lead or home school.")
    to_school: str = Field(min_length=1, description="Helped, member or host school.")

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
    km: float = Field(ge=0, allow_inf_nan=False)
    minutes: float | None = Field(None, ge=0)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


#: Table name -> row model; the order in which tables are read and checked.
TABLES: dict[str, type[_Row]] = {
    "schools": School,
    "staff": Staff,
    "needs": Need,
    "history": HistoryEntry,
    "distances": Distance,
    "fixed": Fixed,
}


class Instance(BaseModel):
    """A county: its schools, staff, needs, history, distances, pins and policy.

    Cross-table consistency is checked by :func:`solver.county.checks.check_instance`
    when an instance is loaded, so that each problem can name its file and row.
    """

    model_config = ConfigDict(extra="forbid")

    name: str = Field("instance", description="Instance name (folder or file stem).")
    schools: list[School] = Field(min_length=1)
    staff: list[Staff] = Field(default_factory=list)
    needs: list[Need] = Field(default_factory=list)
    history: list[HistoryEntry] = Field(default_factory=list)
    distances: list[Distance] = Field(default_factory=list)
    fixed: list[Fixed] = Field(default_factory=list)
    policy: Policy = Field(default_factory=Policy)

    @model_validator(mode="after")
    def _cross_table(self) -> Instance:
        from solver.county.checks import check_instance

        problems = check_instance(self)
        if problems:
            raise ValueError("; ".join(str(p) for p in problems[:10]))
        return self

    # ---- lookups used by models and the validator --------------------------------------
    def school_index(self) -> dict[str, int]:
        """School id -> position in :attr:`schools`."""
        return {s.id: i for i, s in enumerate(self.schools)}

    def school(self, school_id: str) -> School:
        """The school with this id."""
        for s in self.schools:
            if s.id == school_id:
                return s
        raise KeyError(school_id)

    def helper_capacity(self, school: School) -> int:
        """Helped schools this school may support (PRODUCT.md default rule)."""
        if school.helper_capacity is not None:
            return school.helper_capacity
        return self.policy.twinning.max_helped if school.tier == "strong" else 0

    def can_lead(self, school: School) -> bool:
        """Whether this school may lead an alliance (default: strong schools)."""
        return school.can_lead if school.can_lead is not None else school.tier == "strong"

    def pair_history_periods(self) -> list[str]:
        """Distinct periods of pair history, most recent first."""
        return sorted({h.period for h in self.history if h.kind == "pair"}, reverse=True)

    def recent_pairs(self) -> set[tuple[str, str]]:
        """(helper, helped) pairs from the last ``twinning.avoid_repeat_cycles`` cycles."""
        cycles = self.policy.twinning.avoid_repeat_cycles
        recent = set(self.pair_history_periods()[:cycles])
        return {
            (h.from_school, h.to_school)
            for h in self.history
            if h.kind == "pair" and h.period in recent
        }

    def fixed_pairs(self) -> list[tuple[str, str]]:
        """Pinned (helper, helped) pairs."""
        return [(f.from_school, f.to_school) for f in self.fixed if f.kind == "pair"]


def share_stage(a: School, b: School) -> bool:
    """Two schools share a stage when the stages they cover overlap."""
    return bool(a.stages & b.stages)


def finite(values: Iterable[float | None]) -> bool:
    """True when every value is a finite number."""
    return all(v is not None and math.isfinite(v) for v in values)
