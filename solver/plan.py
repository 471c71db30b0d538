"""What comes back: the plan, canonical and versioned, holding no timings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from twinning.county.instance import Instance
from twinning.county.needs import school_needs
from twinning.io import labels
from twinning.io.files import atomic_write, replace_folder
from twinning.io.tabular import Cell, Table, csv_bytes, mask_names
from twinning.io.workbook import workbook_bytes
from twinning.messages import Msg

Status = Literal["optimal", "feasible", "infeasible", "unknown"]
PART_ORDER = ("pairs", "alliances", "roster", "itinerant", "outreach")
PLAN_VERSION = 1

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
        language = lang or (inst.lang if inst is not None else "en")
        files: dict[str, bytes] = {"plan.json": self.to_json().encode("utf-8")}
        summary_data = None if summary is None else summary.model_dump(mode="json")
        if summary_data is not None:
            text = json.dumps(summary_data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"
            files["summary.json"] = text.encode("utf-8")
        tables = self.tables(inst)
        if masked:
            tables = mask_names(tables)
        if "csv" in formats:
            for name, table in tables.items():
                files[f"{name}.csv"] = csv_bytes(
                    labels.localise(name, table, language),
                    labels.headers(name, table.columns, language),
                )
        if "xlsx" in formats:
            files["plan.xlsx"] = workbook_bytes(
                tables,
                summary=summary_data if summary_data is not None else self._own_summary(),
                lang=language,
                school_names={s.id: s.name for s in inst.schools} if inst is not None else None,
            )
        return files

    def _own_summary(self) -> dict[str, Any]:
        """What the plan alone says of the solve (``summary.json``'s shape): its status,
        objective and each part's cost terms."""
        return {
            "instance": self.instance,
            "status": self.status,
            "objective": self.objective,
            "parts": {
                name: {"objective": o.value, "terms": o.terms}
                for name, o in self.objectives.items()
            },
        }

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


#: Columns of each plan table, in output order.
PLAN_COLUMNS: dict[str, list[str]] = {
    "pairs": [
        "helper",
        "helper_name",
        "helped",
        "helped_name",
        "distance_km",
        "complementarity",
        "why",
        "fixed",
    ],
    "unpaired": ["school", "name", "reason", "detail"],
    "alliances": [
        "alliance",
        "lead",
        "lead_name",
        "member",
        "member_name",
        "distance_km",
        "fixed",
        "stage",
    ],
    "roster": [
        "staff",
        "name",
        "role",
        "subject",
        "from_school",
        "to_school",
        "first_period",
        "periods",
        "direction",
        "kind",
        "mentee",
        "fixed",
    ],
    "roster_schools": ["school", "subject", "out", "in", "net"],
    "unmet_needs": ["school", "subject", "period", "shortage", "covered", "priority", "reachable"],
    "principals": ["staff", "name", "from_school", "to_school", "to_school_name", "first_period"],
    "hires": ["school", "name", "subject", "count", "reason"],
    "circuits": [
        "staff",
        "name",
        "subject",
        "home_school",
        "weekday",
        "order",
        "school",
        "lessons",
        "km",
        "minutes",
    ],
    "unmet_lessons": ["school", "name", "subject", "weekly_lessons", "covered", "priority"],
    "outreach": [
        "week",
        "staff",
        "name",
        "from_school",
        "to_school",
        "subject",
        "kind",
        "days",
        "period",
    ],
    "outreach_schools": [
        "school",
        "school_name",
        "period",
        "received",
        "in_shortage",
        "sent",
        "shadowing_out",
        "shadowing_in",
    ],
}

WEEKDAY_ORDER = {d: k for k, d in enumerate(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"))}


def plan_tables(plan: Plan, inst: Instance | None = None) -> dict[str, Table]:
    """The plan as rows per table (English field names), in the plan's order."""
    names = {s.id: s.name for s in inst.schools} if inst is not None else {}
    tables: dict[str, Table] = {}
    if "pairs" in plan.parts:
        tables["pairs"] = Table(
            PLAN_COLUMNS["pairs"],
            [
                {
                    "helper": p.helper,
                    "helper_name": names.get(p.helper, ""),
                    "helped": p.helped,
                    "helped_name": names.get(p.helped, ""),
                    "distance_km": p.distance_km,
                    "complementarity": p.complementarity,
                    "why": p.why,
                    "fixed": p.fixed,
                }
                for p in plan.pairs
            ],
        )
        tables["unpaired"] = Table(
            PLAN_COLUMNS["unpaired"],
            [
                {
                    "school": u.school,
                    "name": names.get(u.school, ""),
                    "reason": u.reason,
                    "detail": u.detail,
                }
                for u in plan.unpaired
            ],
        )
    if "alliances" in plan.parts:
        tables["alliances"] = Table(
            PLAN_COLUMNS["alliances"],
            [
                {
                    "alliance": m.alliance,
                    "lead": m.lead,
                    "lead_name": names.get(m.lead, ""),
                    "member": m.member,
                    "member_name": names.get(m.member, ""),
                    "distance_km": m.distance_km,
                    "fixed": m.fixed,
                    "stage": m.stage or "",
                }
                for m in plan.alliances
            ],
        )
    if "roster" in plan.parts:
        people = {t.id: t.name or "" for t in inst.staff} if inst is not None else {}
        tables["roster"] = Table(
            PLAN_COLUMNS["roster"],
            [
                {
                    "staff": m.staff,
                    "name": people.get(m.staff, ""),
                    "role": m.role,
                    "subject": m.subject or "",
                    "from_school": m.from_school,
                    "to_school": m.to_school,
                    "first_period": m.first_period,
                    "periods": m.periods,
                    "direction": m.direction,
                    "kind": m.kind,
                    "mentee": m.mentee or "",
                    "fixed": m.fixed,
                }
                for m in plan.roster
            ],
        )
        tables["roster_schools"] = Table(PLAN_COLUMNS["roster_schools"], roster_by_school(plan))
        tables["unmet_needs"] = Table(
            PLAN_COLUMNS["unmet_needs"], [u.model_dump() for u in plan.unmet_needs]
        )
        # Who heads which school from when (校长轮岗): the roster's headship lines alone,
        # the list a bureau announces.
        tables["principals"] = Table(
            PLAN_COLUMNS["principals"],
            [
                {
                    "staff": m.staff,
                    "name": people.get(m.staff, ""),
                    "from_school": m.from_school,
                    "to_school": m.to_school,
                    "to_school_name": names.get(m.to_school, ""),
                    "first_period": m.first_period,
                }
                for m in plan.roster
                if m.kind == "headship"
            ],
        )
        tables["hires"] = Table(
            PLAN_COLUMNS["hires"],
            [{**h.model_dump(), "name": names.get(h.school, "")} for h in plan.hires],
        )
    if "itinerant" in plan.parts:
        people = {t.id: t.name or "" for t in inst.staff} if inst is not None else {}
        tables["circuits"] = Table(
            PLAN_COLUMNS["circuits"],
            [
                {**c.model_dump(), "name": people.get(c.staff, ""), "minutes": c.minutes}
                for c in plan.circuits
            ],
        )
        tables["unmet_lessons"] = Table(
            PLAN_COLUMNS["unmet_lessons"],
            [{**u.model_dump(), "name": names.get(u.school, "")} for u in plan.unmet_lessons],
        )
        # 走教 in the roster: one line per teacher and school taught at, the whole horizon.
        if "roster" not in tables:
            tables["roster"] = Table(PLAN_COLUMNS["roster"], [])
        periods = len(inst.policy.horizon.periods) if inst is not None else 1
        first = inst.policy.horizon.periods[0] if inst is not None else ""
        seen = sorted({(c.staff, c.subject, c.home_school, c.school) for c in plan.circuits})
        tables["roster"].rows.extend(
            {
                "staff": staff,
                "name": people.get(staff, ""),
                "role": "teacher",
                "subject": subject,
                "from_school": home,
                "to_school": school,
                "first_period": first,
                "periods": periods,
                "direction": "out",
                "kind": "itinerant",
                "mentee": "",
                "fixed": False,
            }
            for staff, subject, home, school in seen
        )
    if "outreach" in plan.parts:
        tables.update(outreach_tables(plan, inst))
    return tables


def outreach_tables(plan: Plan, inst: Instance | None) -> dict[str, Table]:
    """The outreach calendar (one line per visit or 跟岗 stint) and its counts per school
    and semester (visits received, of them in a subject the school is short of, visits
    sent, teachers out and in on 跟岗)."""
    people = {t.id: t.name or "" for t in inst.staff} if inst is not None else {}
    names = {s.id: s.name for s in inst.schools} if inst is not None else {}
    calendar = Table(
        PLAN_COLUMNS["outreach"],
        [{**o.model_dump(), "name": people.get(o.staff, "")} for o in plan.outreach],
    )
    short: set[tuple[str, str]] = set()
    if inst is not None:
        for period in {o.period for o in plan.outreach}:
            for school, needs in school_needs(inst, period).items():
                short |= {(f"{period}|{school}", s) for s, n in needs.items() if n.shortage}
    counts: dict[tuple[str, str], list[int]] = {}
    if inst is not None:  # every school that must receive visits, even one left without
        for s in inst.schools:
            if s.area == "rural" or s.tier == "weak":
                for period in inst.policy.horizon.periods:
                    counts[(s.id, period)] = [0, 0, 0, 0, 0]
    for o in plan.outreach:
        got = counts.setdefault((o.to_school, o.period), [0, 0, 0, 0, 0])
        sent = counts.setdefault((o.from_school, o.period), [0, 0, 0, 0, 0])
        if o.kind == "model_lesson":
            got[0] += 1
            got[1] += (f"{o.period}|{o.to_school}", o.subject) in short
            sent[2] += 1
        else:
            sent[3] += 1
            got[4] += 1
    schools = Table(
        PLAN_COLUMNS["outreach_schools"],
        [
            {
                "school": school,
                "school_name": names.get(school, ""),
                "period": period,
                "received": c[0],
                "in_shortage": c[1],
                "sent": c[2],
                "shadowing_out": c[3],
                "shadowing_in": c[4],
            }
            for (school, period), c in sorted(counts.items())
        ],
    )
    return {"outreach": calendar, "outreach_schools": schools}


def roster_by_school(plan: Plan) -> list[dict[str, Cell]]:
    """Per school and subject: staff going out, coming in, and the net change."""
    out: dict[tuple[str, str], list[int]] = {}
    for m in plan.roster:
        if m.kind == "mentor":
            continue
        subject = m.subject or ""
        out.setdefault((m.from_school, subject), [0, 0])[0] += 1
        out.setdefault((m.to_school, subject), [0, 0])[1] += 1
    return [
        {"school": school, "subject": subject, "out": a, "in": b, "net": b - a}
        for (school, subject), (a, b) in sorted(out.items())
    ]
