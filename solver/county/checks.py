"""Checks across tables: ids are unique and every reference names something that exists."""

from __future__ import annotations

from typing import TYPE_CHECKING

from solver.county.instance import Instance
from solver.errors import InputProblem

if TYPE_CHECKING:
    from solver.io.readers import Sources


class _Plain:
    """Where-abouts for an instance built in code: table name and 1-based row."""

    policy_file = "policy"

    def problem(
        self, table: str, index: int, fld: str | None, message: str, value: object = None
    ) -> InputProblem:
        return InputProblem(table, message, index + 1, fld, value)


def check_instance(inst: Instance, src: Sources | _Plain | None = None) -> list[InputProblem]:
    """Every cross-table problem, each naming its file (or table), row and column."""
    src = src or _Plain()
    problems: list[InputProblem] = []
    school_ids: set[str] = set()
    for i, s in enumerate(inst.schools):
        if s.id in school_ids:
            problems.append(src.problem("schools", i, "id", "duplicate school id", s.id))
        school_ids.add(s.id)
    staff_ids: set[str] = set()
    for i, t in enumerate(inst.staff):
        if t.id in staff_ids:
            problems.append(src.problem("staff", i, "id", "duplicate staff id", t.id))
        staff_ids.add(t.id)
        if t.school not in school_ids:
            problems.append(src.problem("staff", i, "school", "unknown school", t.school))
        if t.role == "teacher" and not t.subject:
            problems.append(src.problem("staff", i, "subject", "a teacher needs a subject"))
        for w in t.willing:
            if w not in school_ids:
                problems.append(src.problem("staff", i, "willing", "unknown school", w))
    for i, n in enumerate(inst.needs):
        if n.school not in school_ids:
            problems.append(src.problem("needs", i, "school", "unknown school", n.school))
        elif n.period and n.period not in inst.policy.horizon.periods:
            problems.append(
                src.problem("needs", i, "period", "not a period of horizon.periods", n.period)
            )
    for table in ("history", "fixed"):
        rows = inst.history if table == "history" else inst.fixed
        for i, h in enumerate(rows):
            for fld in ("from_school", "to_school"):
                value = getattr(h, fld)
                if value not in school_ids:
                    problems.append(src.problem(table, i, fld, "unknown school", value))
            if h.kind == "exchange":
                if not h.staff:
                    problems.append(src.problem(table, i, "staff", "an exchange names its staff"))
                elif h.staff not in staff_ids and table == "fixed":
                    problems.append(src.problem(table, i, "staff", "unknown staff", h.staff))
            if h.from_school == h.to_school and h.kind != "alliance":
                problems.append(
                    src.problem(table, i, "to_school", "same school at both ends", h.to_school)
                )
    for i, d in enumerate(inst.distances):
        for fld, value in (("from", d.from_), ("to", d.to)):
            if value not in school_ids:
                problems.append(src.problem("distances", i, fld, "unknown school", value))
    if not inst.distances:
        for i, s in enumerate(inst.schools):
            for fld in ("lat", "lon"):
                if getattr(s, fld) is None:
                    problems.append(
                        src.problem(
                            "schools",
                            i,
                            fld,
                            "coordinates are needed unless distances.csv is given",
                        )
                    )
    alliances = inst.policy.alliances
    for lead in alliances.leads or []:
        if lead not in school_ids:
            problems.append(
                InputProblem(src.policy_file, "key alliances.leads: unknown school", value=lead)
            )
    return problems
