"""Staff of a synthetic county: how many per school and subject, and who they are.

Staff follow the national staffing ratios (编制) with the structural imbalance
planners fight: village schools short of English, music, PE, art and IT
teachers; city and town-centre schools with specialists to spare (the teachers 走教
circuits send out), city schools with extra Chinese and maths teachers too; backbone
teachers (骨干教师) concentrate in urban strong schools.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from twinning.io.headers import FIELDS
from twinning.synthetic.places import County
from twinning.synthetic.terms import (
    AREAS,
    BACKBONE_LEVELS,
    ROLES,
    SPECIALIST_SUBJECTS,
    STATUSES,
    STUDENTS_PER_TEACHER,
    SUBJECTS,
    TIERS,
    BoolArray,
    FloatArray,
    IntArray,
    codes,
    share_matrix,
)

# Common surnames, most frequent first (weights fall off like a Zipf law).
_SURNAMES = tuple(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵"
    "万钱严武戴莫孔向汤常关"
)
_GIVEN_F = tuple("丽娟敏静婷芳燕霞红艳玲梅琳颖慧雪晶欣怡佳璐莉娜倩媛萍琴秀蕾婧薇岚丹瑶")
_GIVEN_M = tuple("伟强军磊涛斌勇杰鹏超辉刚健峰宇浩亮东波鑫龙飞彬凯松林毅坤锋")
_GIVEN_ANY = tuple("文晓海建国志永玉金立春明华新振庆宏俊子思嘉雨昊博晨一德")

# Staffing level relative to the quota: towns and cities attract teachers, villages lose them.
_AREA_STAFFING = np.array([1.08, 1.05, 0.92])
_TIER_STAFFING = np.array([1.03, 1.0, 0.96])

# How staff subjects differ from quota shares (结构性缺编): village schools keep 语文/数学
# generalists and lack specialists (music, art, PE, IT: why 走教 exists); city schools hold
# extra 语文/数学 teachers and specialists with load to spare; a township's centre school
# (中心校) holds the specialists its villages lack, whom 走教 inside the 学区 sends out.
# Factors are relative: each school's mix is normalised to its staff (a city school has
# about 8% above its quota), so a factor of 1.0 there means a little below the quota. The
# city's other subjects (英语, 科学, 道德与法治) get 1.05-1.15 so that raising the
# specialists does not leave half the city schools short of them.
_AREA_SUBJECT_BIAS: dict[str, dict[str, float]] = {
    "urban": {
        "语文": 1.15,
        "数学": 1.15,
        "英语": 1.15,
        "科学": 1.05,
        "道德与法治": 1.05,
        "音乐": 1.3,
        "美术": 1.3,
        "体育": 1.25,
        "信息技术": 1.3,
    },
    "town": {"语文": 1.05, "英语": 1.1, "音乐": 1.3, "美术": 1.3, "体育": 1.25, "信息技术": 1.3},
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


def staff_schools(c: County, staff: int, rng: np.random.Generator) -> tuple[IntArray, IntArray]:
    """Staff per school and per (school, subject).

    Students are first scaled (within 0.5-1.25) so that the county's total quota is
    about 3% above its staff, as in most counties; then staff follow each school's
    quota times an area/tier staffing level, never below a floor per school.
    """
    per_student = np.array([1.0 / STUDENTS_PER_TEACHER[s] for s in c.stage])
    quota_total = float((c.students * per_student).sum())
    scale = float(np.clip(staff / (1.03 * quota_total), 0.5, 1.25))
    c.students = np.maximum(1, np.round(c.students * scale)).astype(np.int64)

    area_code = codes(c.area, AREAS)
    tier_code = codes(c.tier, TIERS)
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
    shares = share_matrix(c.stage)
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


def staff_table(
    c: County, alloc: IntArray, subject_counts: IntArray, rng: np.random.Generator
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

    area = codes(c.area, AREAS)[school]
    tier = codes(c.tier, TIERS)[school]

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
    data = {
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
    }
    # 学历, drawn apart so that every other column of a seed stays as it was: city staff and
    # younger staff hold degrees more often; village staff over 50 often a 中专 or 专科.
    degree = np.array([0.80, 0.65, 0.45])[area] - 0.20 * (age > 50) + 0.10 * (age < 35)
    # its own stream, seeded from the county's without drawing from it (so that the
    # tables generated after the staff stay as they were for every seed)
    edu_rng = np.random.default_rng([int(rng.bit_generator.state["state"]["state"]) % 2**63, 17])
    u = edu_rng.random(n_staff)
    rest = (u - degree) / np.maximum(1 - degree, 1e-9)  # where in the rest the draw falls
    education = np.where(
        u < degree * 0.10,
        0,  # postgraduate
        np.where(u < degree, 1, np.where(rest < 0.75, 2, np.where(rest < 0.95, 3, 4))),
    )
    data["education"] = np.array(EDUCATION, dtype=object)[education]
    # Only the columns the generator fills, in file order.
    return pd.DataFrame(data, columns=[c for c in FIELDS["staff"] if c in data])


#: Staff education codes, most to least (vocabulary.Education).
EDUCATION = ("postgraduate", "bachelor", "college", "secondary", "high_school")


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


def _willing(c: County, school: IntArray, rng: np.random.Generator) -> list[str | None]:
    """~5% of staff name 1-3 other schools of their stage, favouring urban strong ones."""
    n_staff = len(school)
    out: list[str | None] = [None] * n_staff
    chosen = np.flatnonzero(rng.random(n_staff) < 0.05)
    attraction = (
        np.array([3.0, 1.5, 1.0])[codes(c.area, AREAS)]
        * np.array([2.0, 1.0, 0.6])[codes(c.tier, TIERS)]
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
