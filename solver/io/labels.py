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
    "schools": "学校",
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
    "stage": "学段",
    "area": "城乡类型",
    "tier": "办学水平",
    "region": "片区",
    "students": "学生数",
    "surplus": "富余人数",
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

#: Rule (its policy key, or ``plan.*`` for the plan's own consistency) -> its Chinese name,
#: as the checker reports it (the bracketed key of each ``check_<rule>`` docstring).
RULES_ZH: dict[str, str] = {
    "twinning.helper": "帮扶校资格",
    "twinning.helped": "受援校为薄弱校",
    "twinning.same_stage": "结对同学段",
    "twinning.max_km": "结对距离上限",
    "twinning.avoid_repeat_cycles": "不重复上轮结对",
    "twinning.helped_once": "每校至多一所帮扶校",
    "twinning.max_helped": "帮扶校帮扶数上限",
    "twinning.min_helped": "帮扶校帮扶数下限",
    "twinning.max_helped_students_ratio": "受援学生数比例",
    "twinning.fixed": "保留固定结对",
    "twinning.cover": "薄弱校应结尽结",
    "alliances.cover": "每校恰在一个联盟",
    "alliances.one_lead": "每个联盟一所牵头校",
    "alliances.lead_in_own": "牵头校在本联盟",
    "alliances.can_lead": "牵头校资格",
    "alliances.min_size": "联盟规模下限",
    "alliances.max_size": "联盟规模上限",
    "alliances.groups": "联盟个数",
    "alliances.leads": "指定牵头校",
    "alliances.fixed": "保留固定成员",
    "alliances.same_stage": "成员与牵头校同学段",
    "alliances.within_region": "联盟不跨片区",
    "horizon.periods": "交流在规划学期内",
    "staff.status": "免交流、暂缓人员不交流",
    "needs.shortage": "派往缺编学科",
    "rotation.one_move": "每人至多一次交流",
    "rotation.min_periods": "交流最短学期数",
    "rotation.max_periods": "交流最长学期数",
    "rotation.exempt_age": "达到年龄免交流",
    "rotation.last_cycle": "上轮已交流者不再交流",
    "rotation.direction": "交流方向(下乡/进城)",
    "rotation.secondment_count": "挂职人选与人数",
    "rotation.due_years": "任职满年限交流",
    "rotation.two_way": "双向交流",
    "rotation.two_way_share": "进城学习比例",
    "rotation.scope": "交流范围",
    "rotation.max_km": "交流距离上限",
    "rotation.fixed": "保留固定交流",
    "rotation.max_outflow_share": "派出人数上限",
    "rotation.host_capacity": "接收人数上限",
    "rotation.keep_subject_cover": "各学科保留教师",
    "rotation.same_stage": "交流同学段",
    "rotation.bridge_stages": "学段衔接",
    "rotation.protect_sender": "保护派出学校",
    "rotation.surplus_first": "富余学科优先派出",
    "rotation.secondment_per_host": "每校接收挂职人数",
    "rotation.rate": "交流比例",
    "rotation.backbone_share": "骨干教师比例",
    "rotation.cap_quota": "允许低于交流名额",
    "rotation.principal_term_years": "校长任期届满轮岗",
    "rotation.one_head": "每校一名校长",
    "rotation.headship_stage": "校长任职同学段",
    "rotation.mentor_cycle_years": "师徒结对周期",
    "mentors.one_to_one": "师徒一对一",
    "mentors.backbone": "师傅为县级以上骨干",
    "mentors.same_subject": "师徒同学科",
    "mentors.young": "徒弟为青年教师",
    "mentors.younger": "徒弟比师傅年轻",
    "mentors.pair": "师徒学校关系",
    "mentors.at_home": "师傅在本校",
    "mentors.maximal": "师徒应结尽结",
    "hires.shortage": "新教师补缺编学科",
    "hires.count": "新教师人数",
    "hires.rural_weak_first": "新教师优先农村薄弱校",
    "hires.maximal": "新教师应分尽分",
    "plan.unknown_school": "学校代码有效",
    "plan.unknown_staff": "工号有效",
    "plan.pair_figures": "结对数据一致",
    "plan.alliance_figures": "联盟数据一致",
    "plan.roster_figures": "交流数据一致",
    "plan.unpaired": "未结对学校附原因",
    "plan.objective": "目标值一致",
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


def rule_name(rule: str, lang: Lang) -> str:
    """A rule's name in the planner's language (the policy key itself in English)."""
    return RULES_ZH.get(rule, rule) if lang == "zh" else rule


def table_name(table: str, lang: Lang) -> str:
    """A table's (sheet's) name in the planner's language."""
    return TABLE_NAMES_ZH.get(table, table) if lang == "zh" else table
