"""The parts of a plan, in planning order: one record each (:class:`Part`).

Solving, validation, the report, explain, batch and the command line all read
:data:`PARTS`; adding a part is a module of its own here (with its model and checker) and
one line below.
"""

from __future__ import annotations

from collections.abc import Iterable

from twinning.county.instance import Instance
from twinning.errors import UsageError
from twinning.parts import alliances, itinerant, outreach, pairs, roster
from twinning.parts.spec import Checker, Part, Term
from twinning.plan import PART_ORDER

_RECORDS = {
    p.name: p for p in (pairs.PART, alliances.PART, roster.PART, itinerant.PART, outreach.PART)
}
if set(_RECORDS) != set(PART_ORDER):  # the plan's field of parts names exactly these
    raise RuntimeError(f"part records {sorted(_RECORDS)} differ from the plan's {PART_ORDER}")

#: Every part, in planning order (the order ``plan.json`` lists them in).
PARTS: dict[str, Part] = {name: _RECORDS[name] for name in PART_ORDER}


def parse_parts(parts: Iterable[str] | str | None, inst: Instance | None = None) -> list[str]:
    """The parts to plan, in planning order, with the parts they build on added (those of
    ``inst``'s policy; without an instance, the most any policy asks)."""
    if parts is None:
        return list(PART_ORDER)
    wanted = set(asked_parts(parts))
    unknown = wanted - set(PARTS)
    if unknown:
        raise UsageError.of("usage.unknown_parts", parts=sorted(unknown), known=list(PART_ORDER))
    if not wanted:
        raise UsageError.of("usage.no_parts", known=list(PART_ORDER))
    for name in list(wanted):
        wanted.update(_needs(name, inst))
    return [p for p in PART_ORDER if p in wanted]


def _needs(name: str, inst: Instance | None) -> tuple[str, ...]:
    if inst is not None:
        return PARTS[name].needs(inst)
    return {
        "roster": ("pairs",),
        "itinerant": ("alliances",),
        "outreach": ("pairs", "alliances"),
    }.get(name, ())


def asked_parts(parts: Iterable[str] | str | None) -> list[str]:
    """The parts the caller named (not those added because they build on them)."""
    if parts is None:
        return list(PART_ORDER)
    if isinstance(parts, str):
        return [p for p in parts.replace(" ", "").split(",") if p]
    return list(parts)


__all__ = ["PARTS", "PART_ORDER", "Checker", "Part", "Term", "asked_parts", "parse_parts"]
