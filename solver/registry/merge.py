"""An instance with the registry's history merged in, checked against ``history.csv``.

The planner's ``history.csv`` and the registry may both hold a cycle: their rows are
united, and where ``history.csv`` lists a registry cycle's rows of one kind differently
from the plan adopted for it, each difference is reported (the registry is the record of
what was adopted; the file may have been typed by hand). Years at school are advanced for
staff whose ``years_at_school`` still reads as when the latest plan was adopted.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from twinning.county.instance import HistoryEntry, Instance
from twinning.messages import Msg, msg
from twinning.registry.store import before_cycle, default_cycle, years_elapsed


@dataclass(frozen=True)
class Merged:
    """What merging the registry did to an instance."""

    instance: Instance
    county: str
    cycle: str
    added: int = 0
    advanced: int = 0
    advanced_by: int = 0
    snapshot_cycle: str | None = None
    contradictions: list[Msg] = field(default_factory=list)

    def message(self) -> Msg:
        """What merging did, as one message for the planner."""
        head = msg("registry.merged", county=self.county, cycle=self.cycle, added=self.added)
        if self.snapshot_cycle is None:
            return head
        return msg(
            "registry.merged_advanced",
            head=head,
            by=self.advanced_by,
            n=self.advanced,
            since=self.snapshot_cycle,
        )

    def summary(self, lang: str = "en") -> str:
        """One line for the planner, in ``lang``."""
        return self.message().text(lang)


Key = tuple[str, str, str | None, str, str, str | None]


def _key(h: HistoryEntry) -> Key:
    return (h.kind, h.period, h.staff or None, h.from_school, h.to_school, h.mentee or None)


def _describe(h: HistoryEntry) -> Msg:
    code = "registry.row"
    if h.staff:
        code = "registry.row_mentee" if h.mentee else "registry.row_staff"
    return msg(
        code,
        kind=msg(f"registry.kind.{h.kind}"),
        period=h.period,
        staff=h.staff,
        from_school=h.from_school,
        to_school=h.to_school,
        mentee=h.mentee,
    )


def contradictions(file_rows: list[HistoryEntry], registry_rows: list[HistoryEntry]) -> list[Msg]:
    """Where ``history.csv`` holds a registry cycle's rows of a kind differently.

    A cycle and kind the file does not mention at all is no contradiction (the planner
    did not type it); one it lists must list what was adopted.
    """
    adopted: dict[tuple[str, str], set[Key]] = {}
    for h in registry_rows:
        adopted.setdefault((h.period, h.kind), set()).add(_key(h))
    typed: dict[tuple[str, str], dict[Key, HistoryEntry]] = {}
    for h in file_rows:
        if (h.period, h.kind) in adopted:
            typed.setdefault((h.period, h.kind), {})[_key(h)] = h
    by_key = {_key(h): h for h in registry_rows}
    out: list[Msg] = []
    for (period, kind), rows in sorted(typed.items()):
        extra = [rows[k] for k in rows if k not in adopted[(period, kind)]]
        missing = sorted((by_key[k] for k in adopted[(period, kind)] if k not in rows), key=_key)
        out += [msg("registry.file_has", row=_describe(h)) for h in extra]
        out += [msg("registry.file_lacks", row=_describe(h)) for h in missing]
    return out


def merge_registry(
    inst: Instance,
    url: str | Path,
    county: str | None = None,
    cycle: str | None = None,
    *,
    missing_ok: bool = False,
) -> Merged:
    """The instance with the registry's history before its cycle (default:
    :func:`default_cycle`) merged in, and its staff's years at school advanced (see the
    module's docstring). Input files are never touched: a new instance is returned.

    A registry that does not exist is refused (:class:`~twinning.registry.RegistryError`,
    nothing created), unless ``missing_ok`` (adopting, which creates it): it then has no
    history."""
    county = county or inst.name
    cycle = cycle or default_cycle(inst)
    registry_rows, snapshot = before_cycle(url, county, cycle, missing_ok=missing_ok)
    known = {_key(h) for h in inst.history}
    added = [h for h in registry_rows if _key(h) not in known]
    history = [*inst.history, *added]
    staff = inst.staff
    advanced = 0
    step = 0
    if snapshot is not None:
        step = years_elapsed(snapshot.cycle, cycle)
        if step > 0:
            staff = []
            for person in inst.staff:
                then = snapshot.years.get(person.id)
                if then == (person.school, person.years_at_school):
                    person = person.model_copy(
                        update={"years_at_school": min(70, person.years_at_school + step)}
                    )
                    advanced += 1
                staff.append(person)
    merged = inst.model_copy(update={"history": history, "staff": staff})
    return Merged(
        instance=merged,
        county=county,
        cycle=cycle,
        added=len(added),
        advanced=advanced,
        advanced_by=step,
        snapshot_cycle=snapshot.cycle if snapshot is not None else None,
        contradictions=contradictions(inst.history, registry_rows),
    )


def history_csv(rows: list[HistoryEntry]) -> bytes:
    """``history.csv`` as the contract fixes it (UTF-8, English headers); the ``mentee``
    column only when a mentor pair is in it, as a hand-kept file without one holds it."""
    columns = ["kind", "period", "staff", "from_school", "to_school"]
    if any(h.mentee for h in rows):
        columns.append("mentee")
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for h in rows:
        writer.writerow(["" if getattr(h, c) is None else getattr(h, c) for c in columns])
    return buf.getvalue().encode("utf-8")


def with_registry(inst: Instance, url: str | Path, county: str | None = None) -> Instance:
    """:func:`merge_registry`'s instance (its report left aside)."""
    return merge_registry(inst, url, county).instance
