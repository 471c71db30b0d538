"""The map's layers as data: schools with their marker, alliance hulls, exchange flows.

Kept apart from the figures (:mod:`twinning.report.content`) because they are geometry and
styling: where each school is drawn and how (colour by tier, shape by stage), the hull
around each alliance, and the roster joined into one line per pair of schools, which the
page's script hands to Leaflet as they are.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from twinning.county.instance import Instance, School
from twinning.messages import value_word
from twinning.plan import Plan

#: Marker colour per tier: green strong, blue ordinary, red weak, the traffic-light reading
#: a bureau expects; the tier is also written in each school's tooltip and panel, for
#: readers who cannot tell red from green.
TIER_COLOURS: dict[str, str] = {"strong": "#1a9850", "ordinary": "#4575b4", "weak": "#d73027"}

#: Marker shape per stage; a school covering several listed stages is a diamond.
STAGE_SHAPES: dict[str, str] = {
    "primary": "circle",
    "junior": "square",
    "senior": "triangle",
    "nine_year": "diamond",
    "twelve_year": "hexagon",
    "kindergarten": "pentagon",
}

#: Alliance hull colours: none of them the tiers' red, green or blue, so that a hull never
#: reads as a tier. Cycled when a city has more alliances than colours.
ALLIANCE_COLOURS: tuple[str, ...] = (
    "#7b3294",
    "#e08214",
    "#01665e",
    "#8c510a",
    "#c51b7d",
    "#35978f",
    "#bf812d",
    "#542788",
)


def stage_word(stage: str, lang: str) -> str:
    """A stage as the page writes it (九年一贯制; nine-year)."""
    return str(value_word("stage", stage, lang)).replace("_", "-")


def stage_shape(school: School) -> str:
    """The marker shape of a school's stage (several listed stages: a diamond)."""
    if len(school.stage) > 1:
        return "diamond"
    return STAGE_SHAPES.get(school.stage[0], "circle")


def school_points(inst: Instance, plan: Plan, lang: str) -> list[dict[str, Any]]:
    """Every school with what the map and its panel show; ``lat``/``lon`` are ``None``
    for a school without coordinates (listed, not drawn)."""
    alliance = {m.member: m.alliance for m in plan.alliances}
    leads = {m.lead for m in plan.alliances}
    out = []
    for s in sorted(inst.schools, key=lambda s: s.id):
        out.append(
            {
                "id": s.id,
                "name": s.name,
                "lat": s.lat,
                "lon": s.lon,
                "stage": "、".join(stage_word(x, lang) for x in s.stage),
                "shape": stage_shape(s),
                "area": value_word("area", s.area, lang),
                "tier": s.tier,
                "tierLabel": value_word("tier", s.tier, lang),
                "region": s.region or "",
                "students": s.students,
                "alliance": alliance.get(s.id, ""),
                "lead": s.id in leads,
            }
        )
    return out


def alliance_shapes(inst: Instance, plan: Plan) -> list[dict[str, Any]]:
    """Each alliance: its lead, members, colour and the convex hull of its members."""
    where = {s.id: (s.lat, s.lon) for s in inst.schools if s.lat is not None and s.lon is not None}
    groups: dict[str, dict[str, Any]] = {}
    for m in plan.alliances:
        g = groups.setdefault(m.alliance, {"id": m.alliance, "lead": m.lead, "members": []})
        g["members"].append(m.member)
    out = []
    for i, (aid, g) in enumerate(sorted(groups.items())):
        points = [where[s] for s in g["members"] if s in where]
        out.append(
            {
                **g,
                "colour": ALLIANCE_COLOURS[i % len(ALLIANCE_COLOURS)],
                "hull": [[lat, lon] for lat, lon in convex_hull(points)],
                "id": aid,
            }
        )
    return out


def convex_hull(points: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    """The convex hull of (lat, lon) points, counter-clockwise (Andrew's monotone chain).

    Counties span well under a few degrees, so the hull on plain lat/lon is the hull the
    map draws (Web Mercator bends lines imperceptibly at that scale).
    """
    pts = sorted(set(points), key=lambda p: (p[1], p[0]))
    if len(pts) <= 2:
        return pts

    def cross(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
        """> 0 when o -> a -> b turns counter-clockwise (x = lon, y = lat)."""
        return (a[1] - o[1]) * (b[0] - o[0]) - (a[0] - o[0]) * (b[1] - o[1])

    lower: list[tuple[float, float]] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[tuple[float, float]] = []
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def flows(plan: Plan, lang: str) -> list[dict[str, Any]]:
    """Roster lines joined per (home school, host school): how many, of which kinds, and
    the direction (out 下乡 / in 进城学艺). Mentor lines are pairs of people who stay at
    home, not flows, and are left to the tables and panels."""
    count: Counter[tuple[str, str]] = Counter()
    kinds: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    directions: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for m in plan.roster:
        if m.kind == "mentor":
            continue
        key = (m.from_school, m.to_school)
        count[key] += 1
        kinds[key][str(value_word("kind", m.kind, lang))] += 1
        directions[key][m.direction] += 1
    out = []
    for (a, b), n in sorted(count.items()):
        ways = directions[(a, b)]
        out.append(
            {
                "from": a,
                "to": b,
                "count": n,
                "kinds": dict(sorted(kinds[(a, b)].items())),
                "direction": next(iter(ways)) if len(ways) == 1 else "mixed",
            }
        )
    return out
