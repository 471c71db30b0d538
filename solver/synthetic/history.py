"""Last cycles' history of a synthetic county: pairs, alliances and exchanges.

So that the "do not repeat last cycle" rules have something to bite on.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from twinning.io.headers import FIELDS
from twinning.synthetic.places import County
from twinning.synthetic.terms import IntArray

#: Cycle of last year's pairs, alliances and exchanges, and the cycle before it.
LAST_PERIOD = "2024-2025"
EARLIER_PERIOD = "2022-2023"


def history_table(c: County, staff: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Pairs of the last two cycles, a few alliances and ~2% exchanges of last cycle."""
    last = _pairs(c, rng, share=1.0, avoid=())
    earlier = _pairs(c, rng, share=0.3, avoid=last)
    alliances = _alliances(c, rng)
    exch_staff, exch_from, exch_to = _exchanges(c, staff, last, rng)
    kinds: list[str] = []
    periods: list[str] = []
    staff_ids: list[str | None] = []
    froms: list[str] = []
    tos: list[str] = []
    for kind, period, pairs in (
        ("pair", EARLIER_PERIOD, earlier),
        ("pair", LAST_PERIOD, last),
        ("alliance", LAST_PERIOD, alliances),
    ):
        for a, b in pairs:
            kinds.append(kind)
            periods.append(period)
            staff_ids.append(None)
            froms.append(str(c.ids[a]))
            tos.append(str(c.ids[b]))
    kinds += ["exchange"] * len(exch_staff)
    periods += [LAST_PERIOD] * len(exch_staff)
    staff_ids += list(exch_staff)
    froms += list(exch_from)
    tos += list(exch_to)
    data = {
        "kind": pd.array(kinds, dtype="str"),
        "period": pd.array(periods, dtype="str"),
        "staff": pd.array(staff_ids, dtype="str"),
        "from_school": pd.array(froms, dtype="str"),
        "to_school": pd.array(tos, dtype="str"),
    }
    # Only the columns the generator fills, in file order.
    return pd.DataFrame(data, columns=[c for c in FIELDS["history"] if c in data])


def _pairs(
    c: County, rng: np.random.Generator, share: float, avoid: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Strong -> weak pairs of a shared stage: each weak at most once, each strong <= 2.

    Weak schools (a ``share`` of them) take, in random order, one of the three nearest
    strong schools with room left, skipping (strong, weak) pairs in ``avoid`` so that an
    earlier cycle is re-drawn rather than repeated.
    """
    strong = np.flatnonzero(c.tier == "strong")
    weak = np.flatnonzero(c.tier == "weak")
    if not len(strong) or not len(weak):
        return []
    avoided: dict[int, set[int]] = {}
    for helper, helped in avoid:
        avoided.setdefault(helped, set()).add(helper)
    room = [2] * c.n
    strong_open = np.ones(len(strong), dtype=bool)  # mirrors room > 0, for the fallback
    position = {int(x): i for i, x in enumerate(strong)}
    weak = rng.permutation(weak)[: round(share * len(weak))]
    nearest = _nearest_helpers(c, weak, strong, 32)
    draws = rng.random(len(weak))
    pairs: list[tuple[int, int]] = []
    for w, cands, u in zip(weak.tolist(), nearest, draws.tolist(), strict=True):
        skip = avoided.get(w, set())
        near = [s for s in cands if room[s] > 0 and s not in skip][:3]
        if not near:
            # The nearest ones are all full: look at every strong school of the stage.
            far = strong[((c.mask[strong] & c.mask[w]) != 0) & strong_open]
            dist = np.hypot(c.x_km[far] - c.x_km[w], c.y_km[far] - c.y_km[w])
            top = min(len(far), 3 + len(skip))
            if top:
                first = np.argpartition(dist, top - 1)[:top]
                ranked = far[first[np.argsort(dist[first], kind="stable")]].tolist()
                near = [s for s in ranked if s not in skip][:3]
        if not near:
            continue
        pick = near[int(u * len(near))]
        room[pick] -= 1
        if room[pick] == 0:
            strong_open[position[pick]] = False
        pairs.append((pick, w))
    return pairs


def _nearest_helpers(c: County, weak: IntArray, strong: IntArray, k: int) -> list[list[int]]:
    """For each weak school, up to k nearest strong schools sharing a stage, nearest first."""
    out: list[list[int]] = []
    chunk = max(1, 2_000_000 // max(1, len(strong)))
    for lo in range(0, len(weak), chunk):
        rows = weak[lo : lo + chunk]
        dist = np.hypot(
            c.x_km[rows][:, None] - c.x_km[strong][None, :],
            c.y_km[rows][:, None] - c.y_km[strong][None, :],
        )
        dist[(c.mask[rows][:, None] & c.mask[strong][None, :]) == 0] = np.inf
        kk = min(k, len(strong))
        part = np.argpartition(dist, kk - 1, axis=1)[:, :kk]
        part_d = np.take_along_axis(dist, part, axis=1)
        part = np.take_along_axis(part, np.argsort(part_d, axis=1, kind="stable"), axis=1)
        part_d = np.sort(part_d, axis=1)
        ids = np.where(np.isfinite(part_d), strong[part], -1)
        out += [[j for j in row if j >= 0] for row in ids.tolist()]
    return out


def _alliances(c: County, rng: np.random.Generator) -> list[tuple[int, int]]:
    """A handful of alliances: a strong (preferably urban) lead and 2-4 nearby members."""
    strong = np.flatnonzero(c.tier == "strong")
    n_groups = min(len(strong), int(np.clip(round(c.n / 30), 1, 6)))
    if n_groups == 0 or c.n < 3:
        return []
    urban_first = strong[np.lexsort((rng.random(len(strong)), c.area[strong] != "urban"))]
    leads = urban_first[:n_groups]
    taken = np.zeros(c.n, dtype=bool)
    taken[leads] = True
    rows: list[tuple[int, int]] = []
    for lead in leads:
        ok = ~taken & ((c.mask & c.mask[lead]) != 0) & (c.tier != "strong")
        cand = np.flatnonzero(ok)
        if not len(cand):
            continue
        dist = np.hypot(c.x_km[cand] - c.x_km[lead], c.y_km[cand] - c.y_km[lead])
        members = cand[np.argsort(dist, kind="stable")[: int(rng.integers(2, 5))]]
        taken[members] = True
        rows += [(int(lead), int(m)) for m in members]
    return rows


def _exchanges(
    c: County, staff: pd.DataFrame, pairs: list[tuple[int, int]], rng: np.random.Generator
) -> tuple[list[str], list[str], list[str]]:
    """~2% of staff went to another school last cycle: the pair partner when there is one,
    else a school of the same stage on the other side of the urban/rural divide."""
    school_of = pd.Index(c.ids).get_indexer(staff["school"].to_numpy())
    active = (staff["status"].to_numpy() == "active") & (staff["role"].to_numpy() != "principal")
    chosen = np.flatnonzero(active & (rng.random(len(staff)) < 0.02))
    if not len(chosen) or c.n < 2:
        return [], [], []
    partner = np.full((c.n, 2), -1, dtype=np.int64)
    for a, b in pairs:
        for x, y in ((a, b), (b, a)):
            slot = 0 if partner[x, 0] < 0 else 1
            partner[x, slot] = y
    home = school_of[chosen]
    coin = rng.integers(0, 2, len(chosen))
    target = partner[home, coin]
    target = np.where(target < 0, partner[home, 0], target)

    # No partner: draw from the same stage, weighted toward the other kind of area.
    urban = c.area == "urban"
    to_rural = np.where(urban, 0.2, np.where(c.area == "town", 2.0, 3.0))
    to_urban = np.where(urban, 3.0, np.where(c.area == "town", 1.0, 0.2))
    lonely = np.flatnonzero(target < 0)
    for stage in pd.unique(c.stage[home[lonely]]):
        pool = np.flatnonzero(c.stage == stage)
        if len(pool) < 2:
            continue
        rows = lonely[c.stage[home[lonely]] == stage]
        from_urban = urban[home[rows]]
        draw = rng.random(len(rows))
        pick = np.empty(len(rows), dtype=np.int64)
        for flag, weights in ((True, to_rural), (False, to_urban)):
            sel = from_urban == flag
            cum = np.cumsum(weights[pool])
            idx = np.searchsorted(cum, draw[sel] * cum[-1], side="right")
            pick[sel] = np.minimum(idx, len(pool) - 1)
        # Never the home school: step to the next school of the stage instead.
        same = pool[pick] == home[rows]
        pick[same] = (pick[same] + 1) % len(pool)
        target[rows] = pool[pick]
    keep = target >= 0
    ids = staff["id"].to_numpy()[chosen[keep]]
    return (
        [str(x) for x in ids],
        [str(x) for x in c.ids[home[keep]]],
        [str(x) for x in c.ids[target[keep]]],
    )
