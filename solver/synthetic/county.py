"""Realistic synthetic counties: schools, staff, subject needs and last cycle's history.

The generator builds the four CSV tables of PRODUCT.md section 2 (``schools``,
``staff``, ``needs``, ``history``) for a county of any size, deterministically
for a seed. It is pure numpy/pandas so that it can run where the solver's
dependencies are not installed (tests, benchmarks, a province batch).

The shape of the data follows what bureau reports describe:

* a county town (城关镇) with about a third of the schools, larger and mostly
  strong; township centres (镇区) within ~50 km; village schools (乡村) around
  them, small and often weak;
* staff allocated by the national staffing ratios (编制), with the structural
  imbalance planners fight: village schools short of English, music, PE, art
  and IT teachers, town-centre schools with too many Chinese and maths teachers;
* backbone teachers (骨干教师) concentrated in urban strong schools;
* last cycle's twinning pairs, a few alliances and exchanges, so that the
  "do not repeat last cycle" rules have something to bite on.
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

# ---- vocabulary --------------------------------------------------------------------------

#: Stage values accepted in ``stage_mix`` (the ``stage`` enum of schools.csv).
STAGES: tuple[str, ...] = (
    "kindergarten",
    "primary",
    "junior",
    "senior",
    "nine_year",
    "twelve_year",
)

#: Share of each stage when no ``stage_mix`` is given (a typical county's 义务教育 + 幼儿园).
DEFAULT_STAGE_MIX: dict[str, float] = {
    "kindergarten": 0.10,
    "primary": 0.55,
    "junior": 0.20,
    "nine_year": 0.15,
}

#: Grades per base stage: nine- and twelve-year schools split their students by grades.
_GRADES: dict[str, int] = {"kindergarten": 3, "primary": 6, "junior": 3, "senior": 3}

#: Base stages each stage value covers; two schools share a stage when these overlap.
STAGE_COVERS: dict[str, tuple[str, ...]] = {
    "kindergarten": ("kindergarten",),
    "primary": ("primary",),
    "junior": ("junior",),
    "senior": ("senior",),
    "nine_year": ("primary", "junior"),
    "twelve_year": ("primary", "junior", "senior"),
}

#: National staffing ratios, students per teacher, for the base stages (编制标准).
STAFFING_RATIOS: dict[str, float] = {
    "kindergarten": 15.0,
    "primary": 19.0,
    "junior": 13.5,
    "senior": 12.5,
}

# Base-stage shares; primary, junior and kindergarten equal the policy defaults
# (``needs.subject_shares``) so that needs.csv and needs derived by the solver agree.
_BASE_SHARES: dict[str, dict[str, float]] = {
    "kindergarten": {"学前教育": 1.0},
    "primary": {
        "语文": 0.24,
        "数学": 0.20,
        "英语": 0.10,
        "科学": 0.08,
        "道德与法治": 0.06,
        "音乐": 0.08,
        "体育": 0.10,
        "美术": 0.08,
        "信息技术": 0.06,
    },
    "junior": {
        "语文": 0.14,
        "数学": 0.14,
        "英语": 0.13,
        "物理": 0.07,
        "化学": 0.05,
        "生物": 0.05,
        "历史": 0.06,
        "地理": 0.05,
        "道德与法治": 0.06,
        "音乐": 0.05,
        "体育": 0.08,
        "美术": 0.05,
        "信息技术": 0.07,
    },
    "senior": {
        "语文": 0.14,
        "数学": 0.14,
        "英语": 0.12,
        "物理": 0.08,
        "化学": 0.07,
        "生物": 0.07,
        "历史": 0.06,
        "地理": 0.06,
        "思想政治": 0.07,
        "音乐": 0.03,
        "体育": 0.08,
        "美术": 0.03,
        "信息技术": 0.05,
    },
}


def _grade_weights(stage: str) -> dict[str, float]:
    """Share of a school's students in each base stage it covers, by number of grades."""
    covers = STAGE_COVERS[stage]
    total = sum(_GRADES[s] for s in covers)
    return {s: _GRADES[s] / total for s in covers}


def _teachers_per_student(stage: str) -> float:
    """Quota teachers per student: grade-weighted blend of the base-stage ratios."""
    return sum(w / STAFFING_RATIOS[s] for s, w in _grade_weights(stage).items())


def _blended_shares(stage: str) -> dict[str, float]:
    """Subject shares of a stage: base shares weighted by the quota each base stage brings."""
    per_student = _teachers_per_student(stage)
    shares: dict[str, float] = {}
    for base, weight in _grade_weights(stage).items():
        part = weight / STAFFING_RATIOS[base] / per_student
        for subject, share in _BASE_SHARES[base].items():
            shares[subject] = shares.get(subject, 0.0) + part * share
    return shares


#: How each stage's teacher quota splits by subject (nine- and twelve-year: blended).
SUBJECT_SHARES: dict[str, dict[str, float]] = {s: _blended_shares(s) for s in STAGES}

#: Students per teacher per stage; nine_year ~16.7 and twelve_year ~15.2 are blends.
STUDENTS_PER_TEACHER: dict[str, float] = {s: 1.0 / _teachers_per_student(s) for s in STAGES}

#: All subjects, in the order needs rows are listed.
SUBJECTS: tuple[str, ...] = (
    "学前教育",
    "语文",
    "数学",
    "英语",
    "科学",
    "物理",
    "化学",
    "生物",
    "历史",
    "地理",
    "道德与法治",
    "思想政治",
    "音乐",
    "体育",
    "美术",
    "信息技术",
)

#: Subjects a school must staff with at least one specialist (开齐开足), however small.
SPECIALIST_SUBJECTS: tuple[str, ...] = ("英语", "音乐", "体育", "美术", "信息技术")

#: Shortages that get priority 1 at rural schools (the subjects 走教 / 支教 exist for).
PRIORITY_SUBJECTS: tuple[str, ...] = ("英语", "音乐", "体育", "美术")

#: Column order of each generated table (PRODUCT.md section 2).
COLUMNS: dict[str, tuple[str, ...]] = {
    "schools": (
        "id",
        "name",
        "stage",
        "area",
        "tier",
        "region",
        "lat",
        "lon",
        "students",
        "helper_capacity",
        "host_capacity",
        "can_lead",
    ),
    "staff": (
        "id",
        "name",
        "school",
        "role",
        "subject",
        "backbone",
        "years_at_school",
        "rural_years",
        "age",
        "gender",
        "status",
        "title_track",
        "willing",
    ),
    "needs": ("school", "subject", "shortage", "surplus", "period", "priority"),
    "history": ("kind", "period", "staff", "from_school", "to_school"),
}

#: The county town's name; urban schools' region when no regions are given.
URBAN_TOWN = "城关镇"

#: Default county centre (a county town in Liaoning, near 海城).
COUNTY_CENTRE: tuple[float, float] = (40.85, 122.75)

#: Cycle of last year's pairs, alliances and exchanges, and the cycle before it.
LAST_PERIOD = "2024-2025"
EARLIER_PERIOD = "2022-2023"

AREAS: tuple[str, ...] = ("urban", "town", "rural")
TIERS: tuple[str, ...] = ("strong", "ordinary", "weak")
ROLES: tuple[str, ...] = (
    "teacher",
    "principal",
    "vice_principal",
    "middle_manager",
    "reserve_cadre",
)
BACKBONE_LEVELS: tuple[str, ...] = ("none", "school", "county", "city", "province", "national")
STATUSES: tuple[str, ...] = ("active", "exempt", "deferred")

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

# Common surnames, most frequent first (weights fall off like a Zipf law).
_SURNAMES = tuple(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵"
    "万钱严武戴莫孔向汤常关"
)
_GIVEN_F = tuple("丽娟敏静婷芳燕霞红艳玲梅琳颖慧雪晶欣怡佳璐莉娜倩媛萍琴秀蕾婧薇岚丹瑶")
_GIVEN_M = tuple("伟强军磊涛斌勇杰鹏超辉刚健峰宇浩亮东波鑫龙飞彬凯松林毅坤锋")
_GIVEN_ANY = tuple("文晓海建国志永玉金立春明华新振庆宏俊子思嘉雨昊博晨一德")

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


# ---- public API --------------------------------------------------------------------------


def generate_county(
    schools: int,
    staff: int,
    seed: int = 0,
    *,
    stage_mix: Mapping[str, int] | None = None,
    regions: Sequence[str] | None = None,
    name: str = "县",
) -> dict[str, pd.DataFrame]:
    """Generate a realistic synthetic county.

    Parameters
    ----------
    schools
        Number of schools (>= 1).
    staff
        Number of staff rows (>= ``schools``: every school has at least its principal).
    seed
        Seed of ``numpy.random.default_rng``; the same arguments give equal tables.
    stage_mix
        Exact number of schools per stage (keys among ``kindergarten``, ``primary``,
        ``junior``, ``senior``, ``nine_year``, ``twelve_year``; values summing to
        ``schools``). Default: about 10% kindergarten, 55% primary, 20% junior,
        15% nine-year.
    regions
        Region names (片区). Schools are assigned by their direction from the county
        centre: names holding compass characters (东, 西, 南, 北, 东北, ...) take that
        direction, other names split the compass into equal sectors clockwise from
        north. Default: each school's township (``城关镇`` for the county town).
    name
        County name, used for the flagship schools (``{name}实验小学``).

    Returns
    -------
    dict of str to pandas.DataFrame
        ``schools``, ``staff``, ``needs`` and ``history`` with the English columns and
        enum values of PRODUCT.md section 2. ``helper_capacity``, ``host_capacity`` and
        ``can_lead`` are left blank so that policy defaults apply.

    Raises
    ------
    ValueError
        On fewer than one school, fewer staff than schools, a bad ``stage_mix`` (unknown
        stage, negative or non-integer count, wrong sum) or bad ``regions`` (empty,
        blank or repeated names).
    TypeError
        When ``staff`` is not an integer, ``stage_mix`` not a mapping or ``regions`` a
        single string.
    """
    if isinstance(schools, bool) or not isinstance(schools, (int, np.integer)) or schools < 1:
        raise ValueError(f"schools must be a positive integer, got {schools!r}")
    if isinstance(staff, bool) or not isinstance(staff, (int, np.integer)):
        raise TypeError(f"staff must be an integer, got {staff!r}")
    if staff < schools:
        raise ValueError(
            f"staff ({staff}) must be at least schools ({schools}): one principal each"
        )
    counts = _stage_counts(int(schools), stage_mix)
    region_names = _check_regions(regions)
    rng = np.random.default_rng(seed)

    county = _place_schools(int(schools), counts, region_names, name, rng)
    alloc, subject_counts = _staff_schools(county, int(staff), rng)
    staff_df = _staff_table(county, alloc, subject_counts, rng)
    needs_df = _needs_table(county, subject_counts)
    history_df = _history_table(county, staff_df, rng)
    return {
        "schools": county.frame(),
        "staff": staff_df,
        "needs": needs_df,
        "history": history_df,
    }


def write_county(tables: Mapping[str, pd.DataFrame], out_dir: str | Path) -> list[Path]:
    """Write tables as ``<table>.csv`` files in a folder, each atomically.

    Parameters
    ----------
    tables
        Table name -> DataFrame, as returned by :func:`generate_county`.
    out_dir
        Folder to write into; created (with parents) when missing.

    Returns
    -------
    list of pathlib.Path
        The files written, in the order of ``tables``.

    Notes
    -----
    Files are UTF-8 without BOM, LF line ends, no index column; blank cells for
    missing values. Each file is written to a temporary file in the same folder
    and moved into place with :func:`os.replace`, so a reader never sees half a file.
    """
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for table, frame in tables.items():
        if not table or Path(table).name != table or table in (".", ".."):
            raise ValueError(f"table name {table!r} is not a plain file name")
        target = folder / f"{table}.csv"
        fd, tmp_name = tempfile.mkstemp(prefix=f".{table}.", suffix=".csv.tmp", dir=folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                frame.to_csv(handle, index=False, lineterminator="\n")
            os.replace(tmp_name, target)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        written.append(target)
    return written


def default_policy(schools: int, regions: Sequence[str] | None = None) -> str:
    """A ``policy.toml`` for a generated county: how many alliances, and how they are drawn.

    With regions, one alliance per region (as 海城 groups its schools east/west/south/north);
    otherwise about one alliance per eight schools, as a zone (学区) of mixed stages.
    """
    if regions:
        groups, within = len(regions), "true"
    else:
        groups, within = max(1, round(schools / 8)), "false"
    return (
        "# Written by twinning generate; override what differs.\n"
        "[alliances]\n"
        f"groups = {groups}\n"
        f"within_region = {within}\n"
        "same_stage = false\n"
    )


# ---- argument checks ---------------------------------------------------------------------


def _stage_counts(schools: int, stage_mix: Mapping[str, int] | None) -> dict[str, int]:
    """Exact number of schools per stage."""
    if stage_mix is None:
        stages = list(DEFAULT_STAGE_MIX)
        shares = np.array([DEFAULT_STAGE_MIX[s] for s in stages])
        return dict(
            zip(stages, (int(c) for c in _largest_remainder(shares * schools)), strict=True)
        )
    if not isinstance(stage_mix, Mapping):
        raise TypeError("stage_mix must be a mapping of stage -> number of schools")
    unknown = sorted(set(stage_mix) - set(STAGES))
    if unknown:
        raise ValueError(f"stage_mix: unknown stage(s) {unknown}; allowed: {list(STAGES)}")
    out: dict[str, int] = {}
    for stage, count in stage_mix.items():
        if isinstance(count, bool) or not isinstance(count, (int, np.integer)) or count < 0:
            raise ValueError(f"stage_mix[{stage!r}] must be a non-negative integer, got {count!r}")
        if count:
            out[stage] = int(count)
    if sum(out.values()) != schools:
        raise ValueError(f"stage_mix sums to {sum(out.values())}, not to schools={schools}")
    return out


def _check_regions(regions: Sequence[str] | None) -> list[str] | None:
    if regions is None:
        return None
    if isinstance(regions, str):
        raise TypeError("regions must be a list of names, not one string")
    names = [str(r) for r in regions]
    if not names or any(not n.strip() for n in names) or len(set(names)) != len(names):
        raise ValueError(f"regions must be distinct non-empty names, got {names!r}")
    return names


# ---- schools -----------------------------------------------------------------------------


class _County:
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

    def frame(self) -> pd.DataFrame:
        blank_int = pd.array([pd.NA] * self.n, dtype="Int64")
        return pd.DataFrame(
            {
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
            },
            columns=list(COLUMNS["schools"]),
        )


_BASE_BIT = {"kindergarten": 1, "primary": 2, "junior": 4, "senior": 8}


def _stage_mask(stage: str) -> int:
    return sum(_BASE_BIT[s] for s in STAGE_COVERS[stage])


def _place_schools(
    n: int,
    counts: Mapping[str, int],
    regions: list[str] | None,
    county_name: str,
    rng: np.random.Generator,
) -> _County:
    """Areas, townships, coordinates, stages, sizes, tiers, names and regions."""
    c = _County(n)

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
    area_code = _codes(c.area, AREAS)
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
    c.mask = np.array([_stage_mask(s) for s in c.stage], dtype=np.int64)

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


def _tiers(c: _County, rng: np.random.Generator) -> npt.NDArray[np.object_]:
    """Strong ~22%, weak ~33%: strong mostly urban and large, weak mostly rural.

    Schools are ranked by a score (area, size within its stage, noise) and cut at
    fixed shares, so the shares hold at any size; then every stage gets a strong
    school, so that each weak school has a possible helper of its own stage.
    """
    n = c.n
    area_bonus = np.array([1.0, 0.0, -0.8])[_codes(c.area, AREAS)]
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


def _school_names(
    c: _County, county_name: str, rng: np.random.Generator
) -> npt.NDArray[np.object_]:
    """Unique Chinese names: 县实验小学, 城关镇第二小学, 红河镇中心小学, 红河镇柳沟村小学."""
    names = np.empty(c.n, dtype=object)
    used: set[str] = set()
    counter: dict[tuple[str, str], int] = {}
    villages: dict[str, set[str]] = {}
    # Urban and town schools first so that 中心小学 / 实验小学 go to the largest ones.
    area_rank = _codes(c.area, AREAS)
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


# ---- staff -------------------------------------------------------------------------------

# Staffing level relative to the quota: towns and cities attract teachers, villages lose them.
_AREA_STAFFING = np.array([1.08, 1.0, 0.92])
_TIER_STAFFING = np.array([1.03, 1.0, 0.96])

# How staff subjects differ from quota shares (结构性缺编): village schools keep 语文/数学
# generalists and lack specialists; city schools hold extra 语文/数学 teachers.
_AREA_SUBJECT_BIAS: dict[str, dict[str, float]] = {
    "urban": {"语文": 1.3, "数学": 1.3},
    "town": {"英语": 0.8, "音乐": 0.7, "美术": 0.7, "体育": 0.85, "信息技术": 0.7, "语文": 1.1},
    "rural": {
        "语文": 1.25,
        "数学": 1.25,
        "英语": 0.45,
        "音乐": 0.3,
        "美术": 0.3,
        "体育": 0.5,
        "信息技术": 0.25,
        "科学": 0.7,
    },
}


def _share_matrix(stages: npt.NDArray[np.object_]) -> FloatArray:
    """Quota subject shares per school (rows) and subject (columns of SUBJECTS)."""
    by_stage = {
        s: np.array([SUBJECT_SHARES[s].get(subj, 0.0) for subj in SUBJECTS]) for s in STAGES
    }
    return np.stack([by_stage[s] for s in stages]) if len(stages) else np.zeros((0, len(SUBJECTS)))


def _quota_matrix(c: _County) -> IntArray:
    """Quota teachers per school and subject (rounded half up), specialists at least one."""
    per_student = np.array([1.0 / STUDENTS_PER_TEACHER[s] for s in c.stage])
    quota = (c.students * per_student)[:, None] * _share_matrix(c.stage)
    rounded = np.floor(quota + 0.5).astype(np.int64)
    special = np.isin(np.array(SUBJECTS), SPECIALIST_SUBJECTS)[None, :] & (quota > 0)
    out: IntArray = np.where(special, np.maximum(rounded, 1), rounded).astype(np.int64)
    return out


def _staff_schools(c: _County, staff: int, rng: np.random.Generator) -> tuple[IntArray, IntArray]:
    """Staff per school and per (school, subject).

    Students are first scaled (within 0.8-1.25) so that the county's total quota is
    about 3% above its staff, as in most counties; then staff follow each school's
    quota times an area/tier staffing level, never below a floor per school.
    """
    per_student = np.array([1.0 / STUDENTS_PER_TEACHER[s] for s in c.stage])
    quota_total = float((c.students * per_student).sum())
    scale = float(np.clip(staff / (1.03 * quota_total), 0.8, 1.25))
    c.students = np.maximum(1, np.round(c.students * scale)).astype(np.int64)

    area_code = _codes(c.area, AREAS)
    tier_code = _codes(c.tier, TIERS)
    weight = (
        c.students
        * per_student
        * _AREA_STAFFING[area_code]
        * _TIER_STAFFING[tier_code]
        * rng.lognormal(0, 0.08, c.n)
    )
    floor = np.where(c.stage == "kindergarten", 3, 6).astype(np.int64)
    if staff < floor.sum():
        # Too few staff for the usual floors: one each, the rest by weight.
        floor = np.ones(c.n, dtype=np.int64)
    alloc = _water_fill(weight, floor, staff)

    # Subject mix: quota shares distorted by area, a little noise per school, then
    # rounded so each school's subjects add up to its staff.
    shares = _share_matrix(c.stage)
    bias = np.ones_like(shares)
    for a, factors in _AREA_SUBJECT_BIAS.items():
        rows = c.area == a
        for subj, f in factors.items():
            bias[rows, SUBJECTS.index(subj)] = f
    weak = c.tier == "weak"
    for subj in SPECIALIST_SUBJECTS:
        bias[weak, SUBJECTS.index(subj)] *= 0.85
    mix = shares * bias * rng.lognormal(0, 0.15, shares.shape)
    mix /= mix.sum(axis=1, keepdims=True)
    subject_counts = _round_rows(alloc[:, None] * mix, alloc, rng)
    return alloc, subject_counts


def _water_fill(weight: FloatArray, floor: IntArray, total: int) -> IntArray:
    """Integers >= floor, summing to total, proportional to weight above the floor.

    Finds c with sum(max(floor, c * weight)) = total by bisection, then hands out the
    rounding remainder by largest fractional part.
    """
    weight = np.maximum(weight, 1e-9)
    lo, hi = 0.0, total / weight.min() + 1.0
    for _ in range(100):
        mid = (lo + hi) / 2
        if np.maximum(floor, mid * weight).sum() > total:
            hi = mid
        else:
            lo = mid
    ideal = np.maximum(floor, lo * weight)
    alloc = np.maximum(floor, np.floor(ideal)).astype(np.int64)
    missing = total - int(alloc.sum())
    frac = np.where(lo * weight >= floor, ideal - np.floor(ideal), -1.0)
    order = np.argsort(-frac, kind="stable")
    while missing > 0:
        step = min(missing, len(order))
        alloc[order[:step]] += 1
        missing -= step
    return alloc


def _round_rows(expected: FloatArray, totals: IntArray, rng: np.random.Generator) -> IntArray:
    """Round each row to integers summing to its total (largest remainder, random ties)."""
    base = np.floor(expected).astype(np.int64)
    missing = totals - base.sum(axis=1)
    frac = expected - base + rng.random(expected.shape) * 1e-9
    frac[expected <= 0] = -1.0  # never give a teacher of a subject the stage lacks
    order = np.argsort(-frac, axis=1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(expected.shape[1])[None, :].repeat(len(order), 0), 1)
    rounded: IntArray = base + (ranks < missing[:, None]).astype(np.int64)
    return rounded


def _staff_table(
    c: _County, alloc: IntArray, subject_counts: IntArray, rng: np.random.Generator
) -> pd.DataFrame:
    """One row per member of staff, vectorised over staff (loops only over schools)."""
    n_staff = int(alloc.sum())
    n_subj = len(SUBJECTS)
    school = np.repeat(np.arange(c.n), alloc)
    subject = np.repeat(np.tile(np.arange(n_subj), c.n), subject_counts.ravel())
    # Random order within each school, so ids do not run through subjects in order.
    perm = rng.permutation(n_staff)
    perm = perm[np.argsort(school[perm], kind="stable")]
    school, subject = school[perm], subject[perm]

    area = _codes(c.area, AREAS)[school]
    tier = _codes(c.tier, TIERS)[school]

    # Ages: city staff younger on average; villages have young 特岗 teachers and an
    # older core that never left.
    age = np.where(
        area == 0,
        rng.normal(39, 9, n_staff),
        np.where(area == 1, rng.normal(42, 9.5, n_staff), rng.normal(47, 7, n_staff)),
    )
    young = (area == 2) & (rng.random(n_staff) < 0.25)
    age = np.where(young, rng.uniform(22, 32, n_staff), age)
    age = np.clip(np.round(age), 22, 60).astype(np.int64)

    role = _roles(school, age, alloc, rng)
    # Leaders are seldom very young.
    age = np.where(role == 1, np.clip(age, 36, 58), age)
    age = np.where((role == 2) | (role == 3), np.clip(age, 30, 59), age)
    age = np.where(role == 4, np.clip(age, 27, 45), age)

    # Women: ~70% in primary, ~55% in junior; kindergartens are almost all women.
    female_share = {"kindergarten": 0.92, "primary": 0.70, "nine_year": 0.63, "junior": 0.55}
    p_female = np.array([female_share.get(s, 0.50) for s in c.stage])[school]
    female = rng.random(n_staff) < p_female

    # Years at this school: most moved within the last few years, a quarter to a third
    # have stayed six years or more (due to rotate), and nobody before age 21.
    years = np.floor(rng.gamma(2.2, 2.3, n_staff))
    stayers = (rng.random(n_staff) < 0.10) & (age >= 40)
    years = np.where(stayers, rng.integers(10, 31, n_staff), years)
    years = np.clip(years, 0, np.minimum(30, age - 21)).astype(np.int64)

    # Rural service: village and town staff count their current post and often earlier
    # ones; city staff mostly have little or none (the group rotation targets).
    career = np.maximum(age - 21, 0)
    earlier = np.where(rng.random(n_staff) < 0.6, rng.poisson(3, n_staff), 0)
    rural_here = np.minimum(career, years + earlier)
    rural_here = np.where(career >= 1, np.maximum(rural_here, 1), rural_here)
    urban_rural = np.where(rng.random(n_staff) < 0.6, 0, rng.integers(1, 4, n_staff))
    urban_rural = np.where(rng.random(n_staff) < 0.08, rng.integers(4, 9, n_staff), urban_rural)
    urban_rural = np.clip(urban_rural, 0, np.maximum(career - years, 0))
    rural_years = np.where(area == 0, urban_rural, rural_here).astype(np.int64)

    backbone = _backbone(area, tier, role, age, rng)

    # Exempt (near retirement, illness) and deferred (pregnancy, nursing), ~2% each.
    w_exempt = 1.0 + 4.0 * (age >= 52)
    w_defer = 1.0 + 3.0 * (female & (age >= 25) & (age <= 38))
    u = rng.random(n_staff)
    p_exempt = 0.02 * w_exempt / w_exempt.mean()
    p_defer = 0.02 * w_defer / w_defer.mean()
    status = np.where(u < p_exempt, 1, np.where(u < p_exempt + p_defer, 2, 0))

    # Senior-title candidates (~8%), mostly in their thirties and early forties.
    w_title = np.where((age >= 30) & (age <= 45), 6.0, np.where(age >= 26, 0.5, 0.0))
    title_track = rng.random(n_staff) < np.clip(0.08 * w_title / w_title.mean(), 0, 1)

    willing = _willing(c, school, rng)
    width = max(6, len(str(n_staff)))
    ids = np.char.add("T", np.char.zfill(np.arange(1, n_staff + 1).astype(str), width))
    return pd.DataFrame(
        {
            "id": ids.astype(object),
            "name": _person_names(female, rng),
            "school": c.ids[school],
            "role": np.array(ROLES, dtype=object)[role],
            "subject": np.array(SUBJECTS, dtype=object)[subject],
            "backbone": np.array(BACKBONE_LEVELS, dtype=object)[backbone],
            "years_at_school": years,
            "rural_years": rural_years,
            "age": age,
            "gender": np.where(female, "F", "M").astype(object),
            "status": np.array(STATUSES, dtype=object)[status],
            "title_track": title_track,
            "willing": pd.array(willing, dtype="str"),
        },
        columns=list(COLUMNS["staff"]),
    )


def _roles(school: IntArray, age: IntArray, alloc: IntArray, rng: np.random.Generator) -> IntArray:
    """Role codes (index into ROLES): per school 1 principal, 1-3 vice, 1-4 middle, 0-2 reserve.

    Each role goes to the staff whose age is closest to the role's typical age (plus
    noise), among those not yet given a role; counts shrink to fit small schools.
    """
    n_vice = np.where(alloc < 15, 1, np.where(alloc < 40, 2, 3))
    n_vice = np.minimum(n_vice, alloc - 1)
    n_mid = 1 + (alloc >= 12) + (alloc >= 25) + (alloc >= 50)
    n_mid = np.minimum(n_mid, alloc - 1 - n_vice)
    n_res = np.where(alloc >= 10, rng.integers(0, 3, len(alloc)), 0)
    n_res = np.minimum(n_res, alloc - 1 - n_vice - n_mid)
    wanted = {1: np.ones_like(alloc), 2: n_vice, 3: n_mid, 4: n_res}
    typical_age = {1: 48.0, 2: 45.0, 3: 40.0, 4: 33.0}

    n_staff = len(school)
    role = np.zeros(n_staff, dtype=np.int64)
    start = np.concatenate(([0], np.cumsum(alloc)[:-1]))
    for code, count in wanted.items():
        key = -np.abs(age - typical_age[code]) + rng.normal(0, 7, n_staff)
        # One float sort key: school, then the role key descending (squashed into [0, 1)),
        # staff already given a role last. Faster than a lexsort on 400k rows.
        squashed = 0.999 / (1.0 + np.exp(np.clip(key / 8.0, -50, 50)))
        order = np.argsort(school + np.where(role != 0, 0.9995, squashed))
        rank = np.empty(n_staff, dtype=np.int64)
        rank[order] = np.arange(n_staff) - start[school[order]]
        role[(rank < count[school]) & (role == 0)] = code
    return role


def _backbone(
    area: IntArray, tier: IntArray, role: IntArray, age: IntArray, rng: np.random.Generator
) -> IntArray:
    """Backbone level codes (index into BACKBONE_LEVELS); county+ ~15-20% overall.

    County-or-above titles concentrate in urban strong schools (~30%) and are rare in
    village weak ones (~5%); leaders and mid-career teachers hold more of them.
    """
    p_county = np.array(
        [
            [0.27, 0.17, 0.10],  # urban: strong, ordinary, weak
            [0.18, 0.11, 0.07],  # town
            [0.12, 0.07, 0.04],  # rural
        ]
    )[area, tier]
    p_county = p_county * np.where(age < 27, 0.15, np.where(age < 32, 0.6, 1.1))
    p_county = np.where((role == 1) | (role == 2), p_county * 1.8, p_county)
    p_county = np.clip(p_county, 0, 0.95)
    u = rng.random(len(area))
    n = len(area)
    # Within county-or-above: county 65%, city 25%, province 8%, national 2%.
    level = 2 + np.searchsorted(np.array([0.65, 0.90, 0.98]), rng.random(n), side="right")
    school_level = rng.random(n) < 0.15 * np.where(age < 27, 0.3, 1.0)
    return np.where(u < p_county, level, np.where(school_level, 1, 0)).astype(np.int64)


def _person_names(female: BoolArray, rng: np.random.Generator) -> npt.NDArray[np.object_]:
    """Surname plus one or two given characters, drawn by gender (names may repeat)."""
    n = len(female)
    sur_w = 1.0 / (np.arange(len(_SURNAMES)) + 5.0)
    surname = np.array(_SURNAMES)[rng.choice(len(_SURNAMES), n, p=sur_w / sur_w.sum())]

    def given() -> npt.NDArray[np.str_]:
        own = np.where(
            female,
            np.array(_GIVEN_F)[rng.integers(0, len(_GIVEN_F), n)],
            np.array(_GIVEN_M)[rng.integers(0, len(_GIVEN_M), n)],
        )
        neutral = np.array(_GIVEN_ANY)[rng.integers(0, len(_GIVEN_ANY), n)]
        return np.where(rng.random(n) < 0.65, own, neutral)

    first, second = given(), given()
    # Two given characters for most; never the same one twice by accident (嘉嘉).
    two = (rng.random(n) < 0.7) & (first != second)
    full = np.char.add(np.char.add(surname, first), np.where(two, second, ""))
    return full.astype(object)


def _willing(c: _County, school: IntArray, rng: np.random.Generator) -> list[str | None]:
    """~5% of staff name 1-3 other schools of their stage, favouring urban strong ones."""
    n_staff = len(school)
    out: list[str | None] = [None] * n_staff
    chosen = np.flatnonzero(rng.random(n_staff) < 0.05)
    attraction = (
        np.array([3.0, 1.5, 1.0])[_codes(c.area, AREAS)]
        * np.array([2.0, 1.0, 0.6])[_codes(c.tier, TIERS)]
    )
    stage_of = c.stage[school[chosen]]
    for stage in pd.unique(stage_of):
        pool = np.flatnonzero(c.stage == stage)
        if len(pool) < 2:
            continue
        rows = chosen[stage_of == stage]
        cum = np.cumsum(attraction[pool])
        at = np.searchsorted(cum, rng.random((len(rows), 3)) * cum[-1], side="right")
        picks = pool[np.minimum(at, len(pool) - 1)]
        want = rng.integers(1, 4, len(rows))
        own = school[rows]
        for j, r in enumerate(rows):
            ids: list[str] = []
            for p in picks[j, : want[j]]:
                if p != own[j] and c.ids[p] not in ids:
                    ids.append(str(c.ids[p]))
            if ids:
                out[r] = ";".join(ids)
    return out


# ---- needs -------------------------------------------------------------------------------


def _needs_table(c: _County, subject_counts: IntArray) -> pd.DataFrame:
    """Shortage / surplus rows per school and subject, from quota versus staff."""
    quota = _quota_matrix(c)
    shortage = np.maximum(0, quota - subject_counts)
    surplus = np.maximum(0, subject_counts - quota)
    rows, cols = np.nonzero((shortage > 0) | (surplus > 0))
    subj = np.array(SUBJECTS, dtype=object)[cols]
    rural = c.area[rows] == "rural"
    short = shortage[rows, cols]
    priority = np.where(
        short == 0, 3, np.where(rural & np.isin(subj, PRIORITY_SUBJECTS), 1, 2)
    ).astype(np.int64)
    return pd.DataFrame(
        {
            "school": c.ids[rows],
            "subject": subj,
            "shortage": short.astype(np.int64),
            "surplus": surplus[rows, cols].astype(np.int64),
            "period": pd.array([None] * len(rows), dtype="str"),
            "priority": priority,
        },
        columns=list(COLUMNS["needs"]),
    )


# ---- history -----------------------------------------------------------------------------


def _history_table(c: _County, staff: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
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
    return pd.DataFrame(
        {
            "kind": pd.array(kinds, dtype="str"),
            "period": pd.array(periods, dtype="str"),
            "staff": pd.array(staff_ids, dtype="str"),
            "from_school": pd.array(froms, dtype="str"),
            "to_school": pd.array(tos, dtype="str"),
        },
        columns=list(COLUMNS["history"]),
    )


def _pairs(
    c: _County, rng: np.random.Generator, share: float, avoid: Sequence[tuple[int, int]]
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


def _nearest_helpers(c: _County, weak: IntArray, strong: IntArray, k: int) -> list[list[int]]:
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


def _alliances(c: _County, rng: np.random.Generator) -> list[tuple[int, int]]:
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
    c: _County, staff: pd.DataFrame, pairs: list[tuple[int, int]], rng: np.random.Generator
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


# ---- helpers -----------------------------------------------------------------------------


def _codes(values: npt.NDArray[np.object_], labels: Sequence[str]) -> IntArray:
    """Index of each value in ``labels`` (values are known to be among them)."""
    lookup = {label: i for i, label in enumerate(labels)}
    return np.fromiter((lookup[v] for v in values), dtype=np.int64, count=len(values))


def _largest_remainder(expected: FloatArray) -> IntArray:
    """Round non-negative reals to integers with the same (rounded) sum."""
    total = round(float(expected.sum()))
    base = np.floor(expected).astype(np.int64)
    order = np.argsort(-(expected - base), kind="stable")
    base[order[: total - int(base.sum())]] += 1
    return base
