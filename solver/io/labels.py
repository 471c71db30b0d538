"""The planner's words for what comes back: table, column and value names in Chinese.

One definition for every output (CSV, Excel, HTML report, console): a table written with
``lang="zh"`` uses these sheet names, headers and values, so that a bureau reads 教师 /
交流 / 下乡 / 是 rather than teacher / exchange / out / True.
"""

from __future__ import annotations

from solver.io.headers import OUTPUT_HEADERS_ZH

Lang = str  # "en" or "zh"

#: Table (file stem, sheet) -> its Chinese name.
TABLE_NAMES_ZH: dict[str, str] = {
    "pairs": "结对帮扶",
    "unpaired": "未结对学校",
    "alliances": "联盟",
    "roster": "交流名单",
    "roster_schools": "学校交流汇总",
    "unmet_needs": "未满足需求",
    "principals": "校长轮岗",
    "hires": "新教师分配",
    "summary": "概况",
    "circuits": "走教安排",
    "outreach": "送教下乡",
}

#: Column -> Chinese header (the output tables' columns; see also OUTPUT_HEADERS_ZH).
HEADERS_ZH: dict[str, str] = {
    **OUTPUT_HEADERS_ZH,
    "name": "姓名",
    "to_school_name": "接收学校名称",
    "count": "人数",
    "reachable": "可由交流补充",
    "key": "项目",
    "value": "数值",
}

#: Columns whose ``name`` is a school's name rather than a person's.
SCHOOL_NAME_TABLES = frozenset({"unpaired", "hires"})

#: Field -> English value -> Chinese value, for the values the outputs write.
VALUES_ZH: dict[str, dict[str, str]] = {
    "role": {
        "teacher": "教师",
        "principal": "校长",
        "vice_principal": "副校长",
        "middle_manager": "中层干部",
        "reserve_cadre": "后备干部",
    },
    "kind": {
        "exchange": "交流",
        "secondment": "挂职",
        "mentor": "带徒",
        "headship": "校长轮岗",
        "itinerant": "走教",
    },
    "direction": {"out": "下乡", "in": "进城"},
    "reason": {
        "no_helper_for_stage": "无同学段帮扶校",
        "too_far": "距离过远",
        "repeat_only": "仅有上轮结对校",
        "capacity_used": "帮扶校名额已满",
        "side_constraint": "受学生数比例限制",
    },
    "status": {
        "optimal": "最优",
        "feasible": "可行",
        "infeasible": "不可行",
        "unknown": "未知",
    },
    "tier": {"strong": "优质", "ordinary": "一般", "weak": "薄弱"},
    "area": {"urban": "城区", "town": "镇区", "rural": "乡村"},
    "stage": {
        "kindergarten": "幼儿园",
        "primary": "小学",
        "junior": "初中",
        "senior": "高中",
        "nine_year": "九年一贯制",
        "twelve_year": "十二年一贯制",
    },
}

#: True / False in Chinese.
BOOL_ZH = {True: "是", False: "否"}


def header(column: str, lang: Lang, table: str = "") -> str:
    """A column's header in the planner's language."""
    if lang != "zh":
        return column
    if column == "name" and table in SCHOOL_NAME_TABLES:
        return "学校名称"
    return HEADERS_ZH.get(column, column)


def value(column: str, cell: object, lang: Lang) -> object:
    """A cell's value in the planner's language (only words are translated)."""
    if lang != "zh":
        return cell
    if isinstance(cell, bool):
        return BOOL_ZH[cell]
    if isinstance(cell, str):
        return VALUES_ZH.get(column, {}).get(cell, cell)
    return cell


def table_name(table: str, lang: Lang) -> str:
    """A table's (sheet's) name in the planner's language."""
    return TABLE_NAMES_ZH.get(table, table) if lang == "zh" else table
