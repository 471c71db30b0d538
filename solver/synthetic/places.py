"""Places and schools of a synthetic county: townships, coordinates, stages, sizes, tiers, names.

About a third of the schools are in the county town (城关镇), larger and mostly
strong; the rest belong to townships within ~50 km, one or two at the township
centre (镇区) and the others in villages (乡村), small and often weak.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import numpy.typing as npt
import pandas as pd

from twinning.io.headers import FIELDS
from twinning.synthetic.terms import AREAS, FloatArray, codes, stage_mask

#: The county town's name; urban schools' region when no regions are given.
URBAN_TOWN = "城关镇"

#: Default county centre (a county town in Liaoning, near 海城).
COUNTY_CENTRE: tuple[float, float] = (40.85, 122.75)

_KM_PER_DEG_LAT = 111.32

# Students per school, (low, high) by stage and area; drawn log-uniform (small schools common).
_STUDENT_RANGES: dict[str, dict[str, tuple[int, int]]] = {
    "kindergarten": {"urban": (200, 400), "town": (120, 350), "rural": (100, 220)},
    "primary": {"urban": (800, 2500), "town": (300, 1200), "rural": (50, 400)},
    "junior": {"urban": (700, 2200), "town": (300, 1200), "rural": (100, 500)},
    "senior": {"urban": (1500, 3500), "town": (800, 2500), "rural": (400, 1200)},
    "nine_year": {"urban": (900, 2800), "town": (400, 1500), "rural": (100, 600)},
    "twelve_year": {"urban": (1500, 4000), "town": (800, 2500), "rural": (300, 1200)},
}

# Nouns in school names: (after 第N / 中心, village school).
_SCHOOL_NOUNS: dict[str, tuple[str, str]] = {
    "kindergarten": ("幼儿园", "幼儿园"),
    "primary": ("小学", "小学"),
    "junior": ("初级中学", "中学"),
    "senior": ("高级中学", "高中"),
    "nine_year": ("九年一贯制学校", "九年一贯制学校"),
    "twelve_year": ("十二年一贯制学校", "学校"),
}
# Flagship urban school of each stage, prefixed with the county name.
_FLAGSHIP: dict[str, str] = {
    "kindergarten": "实验幼儿园",
    "primary": "实验小学",
    "junior": "实验中学",
    "senior": "第一高级中学",
    "nine_year": "实验学校",
    "twelve_year": "外国语学校",
}
# Central school of a township, per stage.
_CENTRAL: dict[str, str] = {
    "kindergarten": "中心幼儿园",
    "primary": "中心小学",
    "junior": "初级中学",
    "senior": "高级中学",
    "nine_year": "九年一贯制学校",
    "twelve_year": "十二年一贯制学校",
}

# Place-name syllables: townships and villages are a first plus a second syllable.
_PLACE_FIRST = tuple(
    "红东西南北新大小高长青白黑石黄金柳杨李王马牛双三八兴太永安福庆宁平和丰龙凤花桃松沙孤英望温甘峨岔腾"
)
_PLACE_SECOND = tuple("山河岭台沟屯堡家营岗口湾庄泉坪林店铺寨坡峪集井湖桥洼阳水岩塘坝园")


_CN_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """Write a positive integer in Chinese numerals, as in school names (第十二小学).

    Parameters
    ----------
    n
        A positive integer (below 100,000).

    Returns
    -------
    str
        E.g. ``1`` -> ``"一"``, ``12`` -> ``"十二"``, ``105`` -> ``"一百零五"``.
    """
    if n <= 0:
        raise ValueError(f"chinese_number needs a positive integer, got {n}")
    units = ("", "十", "百", "千", "万")
    digits = [int(d) for d in str(n)]
    out: list[str] = []
    zero_pending = False
    for pos, d in enumerate(digits):
        unit = units[len(digits) - pos - 1]
        if d == 0:
            zero_pending = bool(out)
            continue
        if zero_pending:
            out.append("零")
            zero_pending = False
        out.append(_CN_DIGITS[d] + unit)
    text = "".join(out)
    # 十二, not 一十二, as people write it.
    return text[1:] if text.startswith("一十") else text


class County:
    """Schools as parallel arrays (one entry per school) while the county is built."""

    def __init__(self, n: int) -> None:
        self.n = n
        width = max(4, len(str(n)))
        self.ids = np.array([f"S{i + 1:0{width}d}" for i in range(n)], dtype=object)
        self.stage = np.empty(n, dtype=object)
        self.area = np.empty(n, dtype=object)
        self.tier = np.empty(n, dtype=object)
        self.names = np.empty(n, dtype=object)
        self.township = np.empty(n, dtype=object)
        self.region = np.empty(n, dtype=object)
        self.x_km = np.zeros(n)
        self.y_km = np.zeros(n)
        self.lat = np.zeros(n)
        self.lon = np.zeros(n)
        self.students = np.zeros(n, dtype=np.int64)
        # Bit mask of base stages covered: schools share a stage when masks overlap.
        self.mask = np.zeros(n, dtype=np.int64)
        # The facility columns (teaching_area, ...), one row per school, once drawn.
        self.facilities: pd.DataFrame | None = None

    def frame(self) -> pd.DataFrame:
        blank_int = pd.array([pd.NA] * self.n, dtype="Int64")
        data = {
            "id": self.ids,
            "name": self.names,
            "stage": self.stage,
            "area": self.area,
            "tier": self.tier,
            "region": self.region,
            "lat": self.lat,
            "lon": self.lon,
            "students": self.students,
            "helper_capacity": blank_int,
            "host_capacity": blank_int.copy(),
            "can_lead": pd.array([pd.NA] * self.n, dtype="boolean"),
        }
        if self.facilities is not None:
            data.update({str(col): self.facilities[col].to_numpy() for col in self.facilities})
        return pd.DataFrame(data, columns=[c for c in FIELDS["schools"] if c in data])


def place_schools(
    n: int,
    counts: Mapping[str, int],
    regions: list[str] | None,
    county_name: str,
    rng: np.random.Generator,
) -> County:
    """Areas, townships, coordinates, stages, sizes, tiers, names and regions."""
    c = County(n)

    # About a third of the schools are in the county town; the rest belong to
    # townships of ~7 schools each, one or two at the township centre (镇区).
    n_urban = round(n / 3)
    n_rest = n - n_urban
    town_names = _township_names(n_rest, rng)
    n_towns = len(town_names)
    order = rng.permutation(n)
    urban_idx = order[:n_urban]
    rest_idx = order[n_urban:]
    c.area[urban_idx] = "urban"
    c.township[urban_idx] = URBAN_TOWN
    twp_of_rest = rng.permutation(np.arange(n_rest) % max(n_towns, 1))
    if n_rest:
        c.township[rest_idx] = np.array(town_names, dtype=object)[twp_of_rest]
        # The first ~30% of each township's schools (at least one) sit at its centre.
        rank = pd.Series(twp_of_rest).groupby(twp_of_rest).cumcount().to_numpy()
        size = np.bincount(twp_of_rest, minlength=n_towns)[twp_of_rest]
        is_town = rank < np.maximum(1, np.round(0.3 * size))
        c.area[rest_idx] = np.where(is_town, "town", "rural")

    # Geography in km east (x) / north (y) of the county centre. Townships lie in an
    # annulus so that none sits inside the county town; a larger county spreads wider.
    radius = 50.0 * max(1.0, math.sqrt(n_towns / 20))
    t_ang = rng.uniform(0, 2 * math.pi, n_towns)
    t_rad = np.sqrt(rng.uniform(8.0**2, radius**2, n_towns))
    t_x, t_y = t_rad * np.cos(t_ang), t_rad * np.sin(t_ang)
    urban_sd = 2.0 * max(1.0, math.sqrt(n_urban / 60))
    c.x_km[urban_idx] = rng.normal(0, urban_sd, n_urban)
    c.y_km[urban_idx] = rng.normal(0, urban_sd, n_urban)
    if n_rest:
        rest_town = c.area[rest_idx] == "town"
        dist = np.where(rest_town, np.abs(rng.normal(0, 0.8, n_rest)), rng.uniform(2, 9, n_rest))
        ang = rng.uniform(0, 2 * math.pi, n_rest)
        c.x_km[rest_idx] = t_x[twp_of_rest] + dist * np.cos(ang)
        c.y_km[rest_idx] = t_y[twp_of_rest] + dist * np.sin(ang)
    lat0, lon0 = COUNTY_CENTRE
    c.lat = np.round(lat0 + c.y_km / _KM_PER_DEG_LAT, 6)
    c.lon = np.round(lon0 + c.x_km / (_KM_PER_DEG_LAT * math.cos(math.radians(lat0))), 6)

    # Stages: junior and senior schools lean to the city and township centres (rural
    # children board there); the rest spread evenly. A random key per school, shifted
    # by area, orders the draw.
    area_code = codes(c.area, AREAS)
    key = rng.random(n)
    stage_list = list(counts)
    remaining = np.ones(n, dtype=bool)
    for stage in sorted(stage_list, key=lambda s: (s not in ("junior", "senior"), s)):
        lean = {"junior": (0.15, 0.35, 0.0), "senior": (0.5, 0.2, -0.3)}.get(stage, (0, 0, 0))
        score = key + np.array(lean)[area_code]
        cand = np.flatnonzero(remaining)
        pick = cand[np.argsort(-score[cand], kind="stable")[: counts[stage]]]
        c.stage[pick] = stage
        remaining[pick] = False
        key = rng.random(n)
    c.mask = np.array([stage_mask(s) for s in c.stage], dtype=np.int64)

    # Students: log-uniform within the stage/area range (village schools are mostly small).
    lo = np.array([_STUDENT_RANGES[s][a][0] for s, a in zip(c.stage, c.area, strict=True)])
    hi = np.array([_STUDENT_RANGES[s][a][1] for s, a in zip(c.stage, c.area, strict=True)])
    c.students = np.round(np.exp(rng.uniform(np.log(lo), np.log(hi)))).astype(np.int64)

    c.tier = _tiers(c, rng)
    c.names = _school_names(c, county_name, rng)
    if regions is None:
        c.region = c.township.copy()
    else:
        c.region = _regions_by_direction(c.x_km, c.y_km, regions)
    return c


def _township_names(n_rest: int, rng: np.random.Generator) -> list[str]:
    """Distinct township names (XX镇 / XX乡), one per ~7 non-urban schools."""
    if n_rest == 0:
        return []
    pool = len(_PLACE_FIRST) * len(_PLACE_SECOND)
    n_towns = min(pool, max(1, round(n_rest / 7)))
    picks = rng.choice(pool, size=n_towns, replace=False)
    suffix = np.where(rng.random(n_towns) < 0.6, "镇", "乡")
    return [
        _PLACE_FIRST[p // len(_PLACE_SECOND)] + _PLACE_SECOND[p % len(_PLACE_SECOND)] + str(s)
        for p, s in zip(picks, suffix, strict=True)
    ]


def _tiers(c: County, rng: np.random.Generator) -> npt.NDArray[np.object_]:
    """Strong ~22%, weak ~33%: strong mostly urban and large, weak mostly rural.

    Schools are ranked by a score (area, size within its stage, noise) and cut at
    fixed shares, so the shares hold at any size; then every stage gets a strong
    school, so that each weak school has a possible helper of its own stage.
    """
    n = c.n
    area_bonus = np.array([1.0, 0.0, -0.8])[codes(c.area, AREAS)]
    median = pd.Series(c.students).groupby(c.stage).transform("median").to_numpy(dtype=float)
    score = area_bonus + 0.35 * np.log(c.students / median) + rng.normal(0, 0.6, n)
    rank = np.argsort(-score, kind="stable")
    tier = np.full(n, "ordinary", dtype=object)
    n_strong = round(0.22 * n)
    n_weak = min(round(0.33 * n), n - n_strong)
    tier[rank[:n_strong]] = "strong"
    if n_weak:
        tier[rank[n - n_weak :]] = "weak"
    for stage in pd.unique(c.stage):
        members = np.flatnonzero(c.stage == stage)
        if not (tier[members] == "strong").any():
            tier[members[np.argmax(score[members])]] = "strong"
    return tier


def _school_names(c: County, county_name: str, rng: np.random.Generator) -> npt.NDArray[np.object_]:
    """Unique Chinese names: 县实验小学, 城关镇第二小学, 红河镇中心小学, 红河镇柳沟村小学."""
    names = np.empty(c.n, dtype=object)
    used: set[str] = set()
    counter: dict[tuple[str, str], int] = {}
    villages: dict[str, set[str]] = {}
    # Urban and town schools first so that 中心小学 / 实验小学 go to the largest ones.
    area_rank = codes(c.area, AREAS)
    order = np.lexsort((-c.students, area_rank))
    village_draws = rng.integers(0, len(_PLACE_FIRST) * len(_PLACE_SECOND), size=(c.n, 8))
    for i in order:
        stage, area, twp = str(c.stage[i]), str(c.area[i]), str(c.township[i])
        noun, village_noun = _SCHOOL_NOUNS[stage]
        k = counter.get((twp, stage), 0)
        if area == "urban":
            counter[(twp, stage)] = k + 1
            label = (
                f"{county_name}{_FLAGSHIP[stage]}"
                if k == 0
                else f"{twp}第{chinese_number(k)}{noun}"
            )
        elif area == "town":
            counter[(twp, stage)] = k + 1
            label = f"{twp}{_CENTRAL[stage]}" if k == 0 else f"{twp}第{chinese_number(k + 1)}{noun}"
        else:
            taken = villages.setdefault(twp, set())
            label = ""
            for draw in village_draws[i]:
                village = (
                    _PLACE_FIRST[draw // len(_PLACE_SECOND)]
                    + _PLACE_SECOND[draw % len(_PLACE_SECOND)]
                )
                if village + stage not in taken:
                    taken.add(village + stage)
                    label = f"{twp}{village}村{village_noun}"
                    break
            if not label:
                label = f"{twp}第{chinese_number(len(taken) + 1)}村{village_noun}"
        base, extra = label, 2
        while label in used:
            # Very rare (a huge county): number the clash rather than fail.
            label = f"{base}（{chinese_number(extra)}）"
            extra += 1
        used.add(label)
        names[i] = label
    return names


_COMPASS = {"东": (1.0, 0.0), "西": (-1.0, 0.0), "北": (0.0, 1.0), "南": (0.0, -1.0)}


def _regions_by_direction(
    x: FloatArray, y: FloatArray, regions: list[str]
) -> npt.NDArray[np.object_]:
    """Each school goes to the region whose direction from the county centre is nearest."""
    angles: list[float] = []
    for region in regions:
        vx = sum(v[0] for ch, v in _COMPASS.items() if ch in region)
        vy = sum(v[1] for ch, v in _COMPASS.items() if ch in region)
        if vx == 0 and vy == 0:
            break
        angles.append(math.atan2(vy, vx))
    if len(angles) != len(regions) or len({round(a, 6) for a in angles}) != len(angles):
        # Names without (distinct) compass meaning: equal sectors clockwise from north.
        k = len(regions)
        angles = [math.pi / 2 - 2 * math.pi * i / k for i in range(k)]
    theta = np.arctan2(y, x)
    centres = np.array(angles)
    gap = np.abs((theta[:, None] - centres[None, :] + math.pi) % (2 * math.pi) - math.pi)
    names: npt.NDArray[np.object_] = np.array(regions, dtype=object)[np.argmin(gap, axis=1)]
    return names
