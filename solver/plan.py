"""What comes back: the plan, canonical and versioned, holding no timings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from twinning.county.instance import Instance
from twinning.io.files import atomic_write, replace_folder
from twinning.io.planfiles import plan_files, plan_tables
from twinning.io.tabular import Table
from twinning.messages import Msg

Status = Literal["optimal", "feasible", "infeasible", "unknown"]
#: The parts in planning order (their records: :mod:`twinning.parts`).
PART_ORDER = ("pairs", "alliances", "roster", "itinerant", "outreach")
PLAN_VERSION = 2

UnpairedReason = Literal[
    "no_helper_for_stage", "too_far", "repeat_only", "capacity_used", "side_constraint"
]


class _Item(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _plain_text(value: Any) -> Any:
    """A sentence written by an earlier version (plan version 1), kept as it was written."""
    return Msg(code="text", params={"text": value}) if isinstance(value, str) else value


class Pair(_Item):
    """One twinning pair (结对帮扶)."""

    helper: str = Field(description="Helper school id (strong).")
    helped: str = Field(description="Helped school id (weak).")
    distance_km: float = Field(description="Distance, km, 3 decimals.")
    complementarity: int = Field(
        description="Helper strength (surplus + backbone) against helped shortages."
    )
    why: Msg = Field(description="The needs this pair answers (a message of the catalogue).")
    fixed: bool = Field(False, description="Pinned in the instance.")

    _why = field_validator("why", mode="before")(_plain_text)


class Membership(_Item):
    """One school's place in an alliance (联盟/教育集团); the lead is listed too."""

    alliance: str = Field(description="Alliance id (A01, A02, ... by lead id).")
    lead: str = Field(description="Lead school id (责任校 / 主席校).")
    member: str = Field(description="Member school id; equals lead for the lead's own row.")
    distance_km: float = Field(description="Member to lead, km, 3 decimals.")
    fixed: bool = Field(False, description="Pinned in the instance.")
    stage: str | None = Field(
        None, description="The alliance's stage with alliances.by_stage (学段), else empty."
    )


class Move(_Item):
    """One roster line: who goes where, from when, for how long, in what role."""

    staff: str = Field(description="Staff id (工号).")
    role: str
    subject: str | None = None
    from_school: str = Field(description="Home school (posts and pay stay here).")
    to_school: str = Field(description="Host school.")
    first_period: str = Field(description="First period of the move (horizon.periods).")
    periods: int = Field(ge=1, description="Consecutive periods.")
    direction: Literal["out", "in"] = Field(description="out 下乡 / in 进城学艺.")
    kind: Literal["exchange", "secondment", "mentor", "headship", "itinerant"] = Field(
        description=(
            "exchange 交流 / secondment 挂职 / mentor 带徒 (mentor stays at home) / headship "
            "校长轮岗 (a principal heads the host school) / itinerant 走教."
        )
    )
    mentee: str | None = Field(None, description="For a mentor line: the young teacher.")
    fixed: bool = Field(False, description="Pinned in the instance.")


class UnmetNeed(_Item):
    """A shortage the roster leaves (partly) uncovered."""

    school: str
    subject: str
    period: str
    shortage: int
    covered: int
    priority: int
    reachable: bool = Field(
        True, description="Some allowed move could fill it (else: hires, circuits, outreach)."
    )


class CircuitVisit(_Item):
    """One school on one weekday of an itinerant teacher's circuit (走教)."""

    staff: str = Field(description="Staff id (工号).")
    subject: str
    home_school: str = Field(description="The teacher's school (posts and pay stay here).")
    weekday: str = Field(description="Mon .. Sun (itinerant.days).")
    order: int = Field(ge=1, description="1 for the day's first stop.")
    school: str = Field(description="The school taught at.")
    lessons: int = Field(ge=1, description="Lessons taught there that day.")
    km: float = Field(ge=0, description="Km of the leg to this stop (from home or the last).")
    minutes: float | None = Field(None, description="Minutes of that leg, where given.")


class UnmetLessons(_Item):
    """Weekly lessons of a subject a school needs and what the circuits cover."""

    school: str
    subject: str
    weekly_lessons: int
    covered: int
    priority: int


class Hire(_Item):
    """New teachers placed at a school (新教师优先补充农村薄弱校)."""

    school: str
    subject: str
    count: int = Field(ge=1)
    reason: Msg = Field(description="Why here: the shortage it fills (a message).")

    _reason = field_validator("reason", mode="before")(_plain_text)


class Unpaired(_Item):
    """A weak school left without a helper, and why."""

    school: str
    reason: UnpairedReason
    detail: Msg = Field(description="The reason in detail (a message of the catalogue).")

    _detail = field_validator("detail", mode="before")(_plain_text)


class OutreachVisit(_Item):
    """One line of the outreach calendar: a model-lesson visit (送教下乡) or a short
    exchange (跟岗, a rural teacher shadowing at the helper school)."""

    period: str = Field(description="Semester (horizon.periods).")
    week: int = Field(ge=1, description="Week of the semester (the first, for a 跟岗 stint).")
    staff: str = Field(description="Staff id (工号) of the visitor or the shadowing teacher.")
    from_school: str = Field(description="Home school.")
    to_school: str = Field(description="School visited (送教) or helper school (跟岗).")
    subject: str = Field(description="Subject of the lesson, or the shadowing teacher's.")
    kind: Literal["model_lesson", "shadowing"] = Field(
        description="model_lesson 送教 / shadowing 跟岗."
    )
    days: int = Field(ge=1, description="Days away from home.")


class PartObjective(_Item):
    """A part's objective (a cost: lower is better) and its terms."""

    value: int = Field(description="Weighted total, to be minimised.")
    terms: dict[str, float] = Field(description="Each term before weighting.")


class Plan(BaseModel):
    """A plan: canonical, versioned, holding no timestamps or timings.

    Equal plans serialise to equal files, so two runs can be compared with ``cmp``.
    """

    model_config = ConfigDict(extra="forbid")

    format: Literal["twinning-plan"] = "twinning-plan"
    version: int = PLAN_VERSION
    instance: str = Field(description="Name of the instance it was made for.")
    fingerprint: str = Field(
        "", description="The instance's fingerprint (solver.Instance.fingerprint) when made."
    )
    settings: dict[str, Any] = Field(
        default_factory=dict,
        description=(
            "Policy keys set for this solve on top of the instance's policy (--set "
            "rotation.rate=0.12): checking the plan applies them again."
        ),
    )
    parts: list[str] = Field(description="Parts planned, in order.")
    interrupted: bool = Field(
        False, description="The run that made it was cut short (Ctrl-C, a stop, a crash)."
    )
    missing: list[str] = Field(
        default_factory=list,
        description="Parts asked for that the plan does not hold (not planned before the run "
        "ended, or no plan found for them).",
    )
    status: Status = Field(description="Worst status of the parts.")
    objective: int = Field(description="Sum of the parts' objective values (costs).")
    objectives: dict[str, PartObjective] = Field(default_factory=dict)
    pairs: list[Pair] = Field(default_factory=list)
    unpaired: list[Unpaired] = Field(default_factory=list)
    alliances: list[Membership] = Field(default_factory=list)
    roster: list[Move] = Field(default_factory=list)
    unmet_needs: list[UnmetNeed] = Field(default_factory=list)
    hires: list[Hire] = Field(default_factory=list)
    circuits: list[CircuitVisit] = Field(default_factory=list)
    unmet_lessons: list[UnmetLessons] = Field(default_factory=list)
    outreach: list[OutreachVisit] = Field(default_factory=list)

    def canonical(self) -> Plan:
        """The same plan with every list in a fixed order."""
        return self.model_copy(
            update={
                "parts": [p for p in PART_ORDER if p in self.parts],
                "missing": [p for p in PART_ORDER if p in self.missing],
                "pairs": sorted(self.pairs, key=lambda p: (p.helper, p.helped)),
                "unpaired": sorted(self.unpaired, key=lambda u: u.school),
                "alliances": sorted(self.alliances, key=lambda m: (m.alliance, m.member)),
                "roster": sorted(self.roster, key=lambda m: (m.kind, m.staff, m.first_period)),
                "unmet_needs": sorted(
                    self.unmet_needs, key=lambda u: (u.school, u.subject, u.period)
                ),
                "hires": sorted(self.hires, key=lambda h: (h.school, h.subject)),
                "circuits": sorted(
                    self.circuits,
                    key=lambda c: (c.staff, WEEKDAY_ORDER.get(c.weekday, 9), c.order),
                ),
                "unmet_lessons": sorted(self.unmet_lessons, key=lambda u: (u.school, u.subject)),
                "outreach": sorted(
                    self.outreach, key=lambda o: (o.period, o.week, o.from_school, o.staff)
                ),
            }
        )

    def to_json(self) -> str:
        """Canonical JSON text: sorted keys, fixed list order, UTF-8, trailing newline."""
        data = self.canonical().model_dump(mode="json")
        return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Plan:
        """Read a plan from its JSON text."""
        return cls.model_validate_json(text)

    # ---- the plan as tables and files (written by twinning.io) ----------------------------

    def tables(self, inst: Instance | None = None) -> dict[str, Table]:
        """The plan as tables (English field names), with school and staff names when the
        instance is given."""
        return plan_tables(self.canonical(), inst)

    def files(
        self,
        *,
        inst: Instance | None = None,
        formats: tuple[str, ...] = ("json", "csv"),
        summary: BaseModel | None = None,
        lang: str | None = None,
        masked: bool = False,
    ) -> dict[str, bytes]:
        """Every output file's name and bytes.

        Parameters
        ----------
        inst
            The instance the plan was made for: school and staff names in the tables,
            and the planner's language when ``lang`` is not given.
        formats
            ``json`` (``plan.json`` is always written: it marks the folder as a plan's
            output), ``csv`` (a file per table) and ``xlsx`` (``plan.xlsx``, see
            :mod:`twinning.io.workbook`).
        summary
            The solve's summary (:class:`twinning.result.Summary`): ``summary.json`` and the
            workbook's summary sheet. Without it the sheet says what the plan alone knows.
        lang
            ``"en"`` or ``"zh"``: headers and values of the tables and the workbook
            (file names never change: they are a contract). Default: the language of the
            instance's own files (``inst.lang``), else English. ``plan.json`` and
            ``summary.json`` stay English, for the machines that read them.
        masked
            Replace staff names with stable pseudonyms in every table.

        Returns
        -------
        dict of str to bytes
            File name -> contents.
        """
        return plan_files(
            self, inst=inst, formats=formats, summary=summary, lang=lang, masked=masked
        )

    def to_folder(
        self,
        out: str | Path,
        *,
        inst: Instance | None = None,
        formats: tuple[str, ...] = ("json", "csv"),
        summary: BaseModel | None = None,
        lang: str | None = None,
        masked: bool = False,
    ) -> list[Path]:
        """Write ``plan.json`` and the tables (see :meth:`files`) as the whole content of
        a folder, replaced atomically (:func:`twinning.io.files.replace_folder`): no file of
        an earlier solve survives, and a folder that is not a plan's output folder is
        never replaced (:class:`twinning.io.files.ForeignFolderError`)."""
        files = self.files(inst=inst, formats=formats, summary=summary, lang=lang, masked=masked)
        return replace_folder(Path(out), files)

    def to_excel(
        self,
        path: str | Path,
        *,
        inst: Instance | None = None,
        summary: BaseModel | None = None,
        lang: str | None = None,
        masked: bool = False,
    ) -> Path:
        """Write the plan as one Excel workbook, atomically: a summary sheet, then the
        tables (see :meth:`files` and :mod:`twinning.io.workbook`)."""
        files = self.files(inst=inst, formats=("xlsx",), summary=summary, lang=lang, masked=masked)
        atomic_write(Path(path), files["plan.xlsx"])
        return Path(path)


WEEKDAY_ORDER = {d: k for k, d in enumerate(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"))}
