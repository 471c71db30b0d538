"""Column and sheet names: English or Chinese, as the README's "File formats" lists them.

Also the names planners write instead (学校编码 for 学校代码, ``years_at_schol``): a header
close to a known one is refused with a suggestion rather than guessed, because a column
silently dropped (骨干等级: every teacher then counts as no backbone) changes the plan
without a word.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Literal

#: table -> {accepted header -> field name}. English names map to themselves.
HEADERS: dict[str, dict[str, str]] = {
    "schools": {
        "学校代码": "id",
        "学校名称": "name",
        "学段": "stage",
        "城乡类型": "area",
        "办学水平": "tier",
        "片区": "region",
        "纬度": "lat",
        "经度": "lon",
        "学生数": "students",
        "可帮扶校数": "helper_capacity",
        "可接收交流人数": "host_capacity",
        "可任牵头校": "can_lead",
        "教学及辅助用房面积": "teaching_area",
        "体育运动场馆面积": "sports_area",
        "教学仪器设备值": "equipment_value",
        "网络多媒体教室数": "multimedia_rooms",
    },
    "staff": {
        "工号": "id",
        "姓名": "name",
        "学校代码": "school",
        "岗位": "role",
        "学科": "subject",
        "骨干级别": "backbone",
        "本校任职年限": "years_at_school",
        "农村任教年限": "rural_years",
        "年龄": "age",
        "性别": "gender",
        "状态": "status",
        "拟评高级职称": "title_track",
        "意向学校": "willing",
        "教龄": "teaching_years",
        "学历": "education",
        "挂职候选": "secondment_candidate",
        "考核分": "merit",
        "周课时量": "weekly_load",
        "可走教": "itinerant",
        "工作室": "studio",
        "通勤上限": "max_km",
        "个人通勤上限": "max_km",
    },
    "needs": {
        "学校代码": "school",
        "学科": "subject",
        "缺口人数": "shortage",
        "富余人数": "surplus",
        "学期": "period",
        "优先级": "priority",
        "周课时缺口": "weekly_lessons",
    },
    "history": {
        "类型": "kind",
        "周期": "period",
        "工号": "staff",
        "派出学校": "from_school",
        "接收学校": "to_school",
        "徒弟工号": "mentee",
    },
    "distances": {"起点": "from", "终点": "to", "距离": "km", "公里": "km", "分钟": "minutes"},
    "fixed": {
        "类型": "kind",
        "周期": "period",
        "学期": "period",
        "工号": "staff",
        "派出学校": "from_school",
        "接收学校": "to_school",
        "徒弟工号": "mentee",
    },
    "new_hires": {"学科": "subject", "学段": "stage", "人数": "count"},
}

#: Fields each table requires as a column.
REQUIRED: dict[str, tuple[str, ...]] = {
    "schools": ("id", "name", "stage", "area", "tier"),
    "staff": ("id", "school", "role", "years_at_school"),
    "needs": ("school", "subject"),
    "history": ("kind", "period", "from_school", "to_school"),
    "distances": ("from", "to", "km"),
    "fixed": ("kind", "from_school", "to_school"),
    "new_hires": ("subject", "stage", "count"),
}

#: Fields per table (English), in output order.
FIELDS: dict[str, tuple[str, ...]] = {
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
        "teaching_area",
        "sports_area",
        "equipment_value",
        "multimedia_rooms",
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
        "teaching_years",
        "education",
        "secondment_candidate",
        "merit",
        "weekly_load",
        "itinerant",
        "studio",
        "max_km",
    ),
    "needs": ("school", "subject", "shortage", "surplus", "period", "priority", "weekly_lessons"),
    "history": ("kind", "period", "staff", "from_school", "to_school", "mentee"),
    "distances": ("from", "to", "km", "minutes"),
    "fixed": ("kind", "period", "staff", "from_school", "to_school", "mentee"),
    "new_hires": ("subject", "stage", "count"),
}

#: Sheet / file stem aliases (Chinese) -> table.
TABLE_ALIASES: dict[str, str] = {
    "学校": "schools",
    "教职工": "staff",
    "学科需求": "needs",
    "历史记录": "history",
    "距离": "distances",
    "固定": "fixed",
    "新招聘教师": "new_hires",
    "新教师": "new_hires",
    "政策": "policy",
}

REQUIRED_TABLES = ("schools",)


def field_for(table: str, header: str) -> str | None:
    """The field a header names in a table, or None when unknown."""
    text = header.strip().lstrip("\ufeff")
    if text in FIELDS[table]:
        return text
    low = text.lower()
    if low in FIELDS[table]:
        return low
    return HEADERS[table].get(text)


def language_of(texts: Iterable[str]) -> Literal["en", "zh"]:
    """``"zh"`` when most of the texts (headers, names) are not plain ASCII, else ``"en"``:
    the planner's language, as their files show it."""
    written = [t for t in texts if t and t.strip()]
    chinese = sum(1 for t in written if not t.isascii())
    return "zh" if written and chinese * 2 > len(written) else "en"


def header_for(table: str, fld: str, lang: str) -> str:
    """A field's header in a language: its first Chinese alias for ``"zh"``, else the field.

    Used to name a missing column the way the planner knows it (办学水平, not ``tier``) in a
    file whose headers are Chinese.
    """
    if lang == "zh":
        for text, name in HEADERS[table].items():
            if name == fld:
                return text
    return fld


#: Headers planners write for a known Chinese header (variant -> header as HEADERS lists it);
#: each applies in the tables that know its header. Edit distance finds typos, not these:
#: 骨干等级 and 骨干级别 are two characters apart, as are 年龄 and 年级.
HEADER_VARIANTS: dict[str, str] = {
    **dict.fromkeys(
        ("学校编码", "学校编号", "学校代号", "学校id", "校代码", "学校标识码", "学校识别码"),
        "学校代码",
    ),
    **dict.fromkeys(("学校名", "校名"), "学校名称"),
    **dict.fromkeys(("学段类型", "办学类型"), "学段"),
    **dict.fromkeys(("城乡", "城乡分类", "城乡属性", "城乡类别"), "城乡类型"),
    **dict.fromkeys(("办学层次", "办学等级", "学校等级", "学校水平"), "办学水平"),
    **dict.fromkeys(("区域", "学区", "所属片区", "所属乡镇"), "片区"),
    "北纬": "纬度",
    "东经": "经度",
    **dict.fromkeys(("学生人数", "在校生数", "在校学生数", "在校生人数", "学生总数"), "学生数"),
    **dict.fromkeys(("帮扶校数", "可帮扶学校数"), "可帮扶校数"),
    **dict.fromkeys(("可接收人数", "接收交流人数"), "可接收交流人数"),
    **dict.fromkeys(("牵头校", "可牵头", "是否牵头校"), "可任牵头校"),
    **dict.fromkeys(
        ("教学及辅助用房", "教学辅助用房面积", "教学及教学辅助用房面积"), "教学及辅助用房面积"
    ),
    **dict.fromkeys(
        ("体育运动场馆", "体育场馆面积", "运动场馆面积", "体育运动场地面积", "体育场地面积"),
        "体育运动场馆面积",
    ),
    **dict.fromkeys(
        ("教学仪器设备资产值", "教学仪器设备总值", "教学仪器设备", "仪器设备值"), "教学仪器设备值"
    ),
    **dict.fromkeys(("多媒体教室数", "网络多媒体教室", "多媒体教室"), "网络多媒体教室数"),
    **dict.fromkeys(
        ("教职工号", "职工号", "教工号", "教师编号", "教师工号", "职工编号", "人员编号"), "工号"
    ),
    "教师姓名": "姓名",
    **dict.fromkeys(("岗位类别", "岗位类型", "岗位名称", "职务"), "岗位"),
    **dict.fromkeys(("任教学科", "所教学科", "主教学科", "任教科目", "学科类别"), "学科"),
    **dict.fromkeys(("骨干等级", "骨干类别", "骨干教师级别", "骨干教师等级"), "骨干级别"),
    **dict.fromkeys(
        ("本校任教年限", "本校工作年限", "在本校年限", "在校年限", "本校年限"), "本校任职年限"
    ),
    **dict.fromkeys(("农村任职年限", "乡村任教年限", "农村工作年限", "农村教龄"), "农村任教年限"),
    **dict.fromkeys(("人员状态", "在岗状态", "交流状态"), "状态"),
    **dict.fromkeys(("拟评高级", "评高级职称", "拟评职称"), "拟评高级职称"),
    **dict.fromkeys(("交流意向", "意向交流学校", "志愿学校"), "意向学校"),
    **dict.fromkeys(("最高学历", "学历层次"), "学历"),
    **dict.fromkeys(("挂职候选人", "是否挂职候选"), "挂职候选"),
    **dict.fromkeys(("考核分数", "考核得分", "考核成绩", "年度考核分"), "考核分"),
    **dict.fromkeys(("周课时", "周课时数", "每周课时"), "周课时量"),
    **dict.fromkeys(("是否走教", "走教"), "可走教"),
    "名师工作室": "工作室",
    **dict.fromkeys(("缺编人数", "缺编数", "缺口", "缺额"), "缺口人数"),
    **dict.fromkeys(("超编人数", "超编数", "富余"), "富余人数"),
    **dict.fromkeys(("优先等级", "优先顺序"), "优先级"),
    "记录类型": "类型",
    **dict.fromkeys(("派出学校代码", "派出校"), "派出学校"),
    **dict.fromkeys(("接收学校代码", "接收校"), "接收学校"),
    "徒弟编号": "徒弟工号",
    **dict.fromkeys(("起点学校", "出发学校"), "起点"),
    **dict.fromkeys(("终点学校", "到达学校"), "终点"),
    **dict.fromkeys(("里程", "公里数"), "距离"),
    "用时": "分钟",
    **dict.fromkeys(("招聘人数", "新招人数"), "人数"),
}

#: English headers planners write instead of a field, per table (variant -> field).
ENGLISH_VARIANTS: dict[str, dict[str, str]] = {
    "schools": {
        **dict.fromkeys(("school_id", "school_code", "code"), "id"),
        "school_name": "name",
        "latitude": "lat",
        **dict.fromkeys(("longitude", "lng"), "lon"),
        **dict.fromkeys(("enrolment", "enrollment"), "students"),
    },
    "staff": {
        **dict.fromkeys(("staff_id", "teacher_id"), "id"),
        **dict.fromkeys(("school_id", "school_code"), "school"),
        "teacher_name": "name",
        "position": "role",
        "backbone_level": "backbone",
    },
    "needs": {"school_id": "school"},
    "history": {"from": "from_school", "to": "to_school", "staff_id": "staff", "type": "kind"},
    "fixed": {"from": "from_school", "to": "to_school", "staff_id": "staff", "type": "kind"},
    "distances": {
        "from_school": "from",
        "to_school": "to",
        **dict.fromkeys(("distance", "distance_km"), "km"),
        "time": "minutes",
    },
    "new_hires": {"number": "count"},
}

# A trailing unit in brackets, as in 年龄(岁) or km (公里); full-width brackets are made
# ASCII by NFKC first.
_UNIT = re.compile(r"[(\[【].*?[)\]】]$")
_NOISE = re.compile(r"[\s_\-*:]")


def _norm(text: str) -> str:
    # Case, width, spaces, underscores, required-column stars and a trailing unit do not
    # make a header another header: "Years At School", "学校代码*", "年龄（岁）".
    folded = unicodedata.normalize("NFKC", text).strip().lstrip("\ufeff").lower()
    return _NOISE.sub("", _UNIT.sub("", folded))


def _distance(a: str, b: str, cap: int) -> int:
    """Edit distance with transpositions (optimal string alignment); ``cap + 1`` when above.

    Headers are a few characters long, so the full table costs nothing; the cap only
    saves work on lengths that differ too much.
    """
    if abs(len(a) - len(b)) > cap:
        return cap + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def _close_enough(known: str, distance: int) -> bool:
    # Short names are too close to each other for a guess (教龄/年龄, id): typos are only
    # suggested for names of at least three letters or characters, one edit up to five and
    # two beyond. Chinese headers being short, one edit is 学生数 / 学生人数; the meant
    # two-character differences (骨干等级) are in HEADER_VARIANTS instead.
    if len(known) < 3:
        return False
    return distance <= (1 if len(known) <= 5 else 2)


#: How a rate's header begins (生均教学及辅助用房面积, 每百名学生拥有网络多媒体教室数): a
#: figure per student is never suggested as the school total a column holds.
_PER_STUDENT = ("生均", "每百名学生", "每百生", "百名学生")


def near_header(table: str, header: str) -> str | None:
    """The known header of ``table`` that an unknown ``header`` is probably meant to be.

    Parameters
    ----------
    table
        The table (``schools``, ``staff``, ...).
    header
        A header that :func:`field_for` does not know.

    Returns
    -------
    str or None
        The known header to suggest, in the script the planner wrote (学校代码 for
        学校编码, ``years_at_school`` for ``years_at_schol``); None for an unrelated column
        (校长电话) or a figure per student (生均教学及辅助用房面积), which stay a warning.
    """
    text = _norm(header)
    if not text or text.startswith(_PER_STUDENT):
        return None
    known = [*FIELDS[table], *HEADERS[table]]
    for k in known:
        if _norm(k) == text:
            return k
    variant = HEADER_VARIANTS.get(text)
    if variant is not None and variant in HEADERS[table]:
        return variant
    english = {_norm(v): f for v, f in ENGLISH_VARIANTS.get(table, {}).items()}
    if text in english:
        return english[text]
    best: tuple[int, str] | None = None
    for k in known:
        if k.isascii() != text.isascii():
            continue  # an English typo never means a Chinese header, nor the reverse
        d = _distance(text, _norm(k), 2)
        if _close_enough(_norm(k), d) and (best is None or d < best[0]):
            best = (d, k)
    return best[1] if best else None
