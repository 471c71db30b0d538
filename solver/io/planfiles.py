"""The plan as files: its tables (CSV, workbook sheets) and the bytes of every file.

Apart from the plan's data model (:mod:`twinning.plan`), which calls it to write itself:
this module reads a plan's rows and the instance, and writes tables whose cells are
values, words of the domain and messages (:mod:`twinning.messages`), said in the planner's
language only when written (:func:`said`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import fields
from typing import Any, Protocol

from pydantic import BaseModel

from twinning.county.instance import Instance
from twinning.county.needs import school_needs
from twinning.county.policy import WEEKDAYS
from twinning.io.tabular import Cell, Table, csv_bytes, mask_names
from twinning.io.workbook import with_school_names, workbook_bytes
from twinning.messages import header, value_word
from twinning.rules.cover import Cover, covers


class Plan(Protocol):
    """What this module reads of a plan (:class:`twinning.plan.Plan`, which calls it to
    write itself: a protocol rather than an import keeps the data model below its files)."""

    @property
    def instance(self) -> str: ...

    @property
    def status(self) -> str: ...

    @property
    def objective(self) -> int: ...

    @property
    def parts(self) -> Sequence[str]: ...

    @property
    def objectives(self) -> Mapping[str, Any]: ...

    @property
    def pairs(self) -> Sequence[Any]: ...

    @property
    def unpaired(self) -> Sequence[Any]: ...

    @property
    def alliances(self) -> Sequence[Any]: ...

    @property
    def roster(self) -> Sequence[Any]: ...

    @property
    def unmet_needs(self) -> Sequence[Any]: ...

    @property
    def hires(self) -> Sequence[Any]: ...

    @property
    def circuits(self) -> Sequence[Any]: ...

    @property
    def unmet_lessons(self) -> Sequence[Any]: ...

    @property
    def outreach(self) -> Sequence[Any]: ...

    def canonical(self) -> Any: ...

    def to_json(self) -> str: ...


def plan_files(
    plan: Plan,
    *,
    inst: Instance | None = None,
    formats: tuple[str, ...] = ("json", "csv"),
    summary: BaseModel | None = None,
    lang: str | None = None,
    masked: bool = False,
    tables: Mapping[str, Table] | None = None,
) -> dict[str, bytes]:
    """Every file of a plan: name -> bytes (see :meth:`twinning.plan.Plan.files`);
    ``tables``: the plan's tables (:func:`plan_tables`), when the caller made them."""
    language = lang or (inst.lang if inst is not None else "en")
    files: dict[str, bytes] = {"plan.json": plan.to_json().encode("utf-8")}
    summary_data = None if summary is None else summary.model_dump(mode="json")
    if summary_data is not None:
        text = json.dumps(summary_data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"
        files["summary.json"] = text.encode("utf-8")
    tables = dict(tables) if tables is not None else plan_tables(plan.canonical(), inst)
    if masked:
        tables = mask_names(tables)
    if "csv" in formats:
        for name, table in tables.items():
            files[f"{name}.csv"] = csv_bytes(*said(name, table, language))
    if "xlsx" in formats:
        files["plan.xlsx"] = workbook_bytes(
            tables,
            summary=summary_data if summary_data is not None else own_summary(plan),
            lang=language,
            school_names={s.id: s.name for s in inst.schools} if inst is not None else None,
        )
    return files


def own_summary(plan: Plan) -> dict[str, Any]:
    """What the plan alone says of the solve (``summary.json``'s shape): its status,
    objective and each part's cost terms."""
    return {
        "instance": plan.instance,
        "status": plan.status,
        "objective": plan.objective,
        "parts": {
            name: {"objective": o.value, "terms": o.terms} for name, o in plan.objectives.items()
        },
    }


def said(name: str, table: Table, lang: str) -> tuple[Table, dict[str, str]]:
    """A table in the planner's language: each cell's word or message rendered
    (:func:`twinning.messages.value_word`), and each column's header."""
    rows = [{c: value_word(c, r.get(c), lang) for c in table.columns} for r in table.rows]
    return Table(list(table.columns), rows), {c: header(c, lang, name) for c in table.columns}


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
    "unmet_needs": [
        "school",
        "subject",
        "period",
        "shortage",
        "covered",
        "weekly_lessons",
        "circuit_lessons",
        "left",
        "priority",
        "reachable",
    ],
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
    "school_week": ["school", "weekday", "staff", "name", "subject", "lessons", "home_school"],
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
        tables["unmet_needs"] = Table(PLAN_COLUMNS["unmet_needs"], unmet_rows(plan, inst))
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
        tables["school_week"] = Table(PLAN_COLUMNS["school_week"], school_week(plan, people))
        # 走教 in the roster: one line per teacher and school taught at away from home (本校代课
        # at the home school is no move), the whole horizon.
        if "roster" not in tables:
            tables["roster"] = Table(PLAN_COLUMNS["roster"], [])
        periods = len(inst.policy.horizon.periods) if inst is not None else 1
        first = inst.policy.horizon.periods[0] if inst is not None else ""
        seen = sorted(
            {
                (c.staff, c.subject, c.home_school, c.school)
                for c in plan.circuits
                if c.school != c.home_school
            }
        )
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
    # every school code with its school's name beside it, in every table
    return {k: with_school_names(k, table, names) for k, table in tables.items()}


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


def unmet_rows(plan: Plan, inst: Instance | None) -> list[dict[str, Cell]]:
    """The needs still short after the roster and the circuits (:func:`twinning.rules.
    cover.covers`, the count every output shares): a shortage the circuits cover whole is
    not listed. Without the instance, the roster's rows as they are."""
    if inst is None:
        return [
            {**u.model_dump(), "weekly_lessons": None, "circuit_lessons": None, "left": None}
            for u in plan.unmet_needs
        ]
    names = [f.name for f in fields(Cover)]
    return [{f: getattr(c, f) for f in names} for c in covers(inst, plan) if c.left > 0]


def school_week(plan: Plan, people: Mapping[str, str]) -> list[dict[str, Cell]]:
    """Each school receiving 走教, its week: who comes on which weekday, in which subject,
    for how many lessons, from which school (lessons a teacher gives at their own school
    are not a visit). By school, weekday (Mon .. Sun), subject and staff."""
    day = {d: k for k, d in enumerate(WEEKDAYS)}
    lessons: dict[tuple[str, str, str, str, str], int] = {}
    for c in plan.circuits:
        if c.school == c.home_school:
            continue
        key = (c.school, c.weekday, c.subject, c.staff, c.home_school)
        lessons[key] = lessons.get(key, 0) + c.lessons
    return [
        {
            "school": school,
            "weekday": weekday,
            "staff": staff,
            "name": people.get(staff, ""),
            "subject": subject,
            "lessons": n,
            "home_school": home,
        }
        for (school, weekday, subject, staff, home), n in sorted(
            lessons.items(), key=lambda kv: (kv[0][0], day.get(kv[0][1], 7), *kv[0][2:])
        )
    ]


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
