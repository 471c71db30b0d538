"""The planner's words for what comes back: table, column and value names in Chinese.

One definition for every output (CSV, Excel, HTML report, console): a table written with
``lang="zh"`` uses these sheet names, headers and values, so that a bureau reads 教师 /
交流 / 下乡 / 是 rather than teacher / exchange / out / True.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from twinning.io.headers import OUTPUT_HEADERS_ZH
from twinning.io.tabular import Cell, Table
from twinning.messages import Msg, render

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
    "outreach_schools": "学校送教汇总",
    "summary": "概况",
    "circuits": "走教安排",
    "unmet_lessons": "走教未满足课时",
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
    # outreach.csv, outreach_schools.csv
    "week": "周次",
    "days": "天数",
    "school_name": "学校名称",
    "received": "接受送教次数",
    "in_shortage": "其中缺编学科",
    "sent": "派出送教次数",
    "shadowing_out": "派出跟岗人数",
    "shadowing_in": "接收跟岗人数",
}

#: Columns whose ``name`` is a school's name rather than a person's.
SCHOOL_NAME_TABLES = frozenset({"unpaired", "hires", "unmet_lessons"})

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
        # outreach
        "model_lesson": "送教",
        "shadowing": "跟岗",
    },
    "direction": {"out": "下乡", "in": "进城"},
    "weekday": {
        "Mon": "周一",
        "Tue": "周二",
        "Wed": "周三",
        "Thu": "周四",
        "Fri": "周五",
        "Sat": "周六",
        "Sun": "周日",
    },
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
    "twinning.vetoed": "教育局否决的结对",
    "balance.thresholds": "均衡差异系数不超过评估标准",
    "balance.minimums": "学校不降至评估最低值以下",
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
    "alliances.lead_tiers": "牵头校等级顺序",
    "alliances.size_band": "联盟规模均衡",
    "alliances.groups_per_region": "每片区联盟数",
    "alliances.by_stage": "分学段组建联盟",
    "alliances.mix_area": "城乡学校混合编组",
    "itinerant.eligible": "走教教师须可走教且未交流",
    "itinerant.subject_stage": "走教同学科同学段且对方缺课",
    "itinerant.max_weekly_lessons": "走教周课时上限",
    "itinerant.days": "走教日在规定星期",
    "itinerant.max_schools_per_day": "每日走教学校数上限",
    "itinerant.max_km_per_day": "每日往返里程上限",
    "itinerant.max_minutes_per_day": "每日路途时间上限",
    "itinerant.min_lessons_per_visit": "每次走教最少课时",
    "itinerant.max_lessons_per_day": "每日走教课时上限",
    "itinerant.need": "走教课时不超过缺口",
    "itinerant.max_teachers": "走教教师人数上限",
    "plan.circuit_figures": "走教里程数据正确",
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
    "outreach.weeks": "送教在学期周次内",
    "outreach.visitors": "送教教师资格",
    "outreach.visits_per_school": "每校送教次数",
    "outreach.max_visits_per_teacher": "每人送教次数上限",
    "outreach.max_away_per_school_per_week": "每校每周外出人数上限",
    "outreach.short_exchanges": "乡村学校跟岗",
    "outreach.short_exchange_weeks": "跟岗周数",
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


# ---- whole tables -------------------------------------------------------------------------


def headers(table: str, columns: Sequence[str], lang: Lang) -> dict[str, str]:
    """Each column of a table -> its header in the planner's language."""
    return {c: header(c, lang, table) for c in columns}


def localise(table: str, rows: Table, lang: Lang) -> Table:
    """A table with its values in the planner's language; columns keep their English
    field names (headers are translated when written, see :func:`headers`).

    Words the plan writes as codes (教师, 交流, 下乡, 是, reasons) come from
    :data:`VALUES_ZH`; the sentences it keeps as messages (a pair's ``why``, an unpaired
    school's ``detail``, a hire's ``reason``) are rendered in the planner's language.
    """
    if lang != "zh":
        return Table(
            list(rows.columns),
            [
                {c: render(v, lang) if isinstance(v, Msg) else v for c, v in row.items()}
                for row in rows.rows
            ],
        )
    out = []
    for row in rows.rows:
        new: dict[str, Cell] = {}
        for column in rows.columns:
            cell = row.get(column)
            if isinstance(cell, Msg):
                new[column] = render(cell, lang)
            else:
                new[column] = value(column, cell, lang)  # type: ignore[assignment]
        out.append(new)
    return Table(list(rows.columns), out)


# ---- the summary: parts, KPIs and cost terms ----------------------------------------------

#: Part -> its Chinese name.
PART_NAMES_ZH: dict[str, str] = {
    "pairs": "结对帮扶",
    "alliances": "联盟",
    "roster": "交流轮岗",
    "itinerant": "走教",
}
PART_NAMES_ZH["outreach"] = "送教下乡"

#: Field of ``summary.json`` (and of each part in it) -> its Chinese label.
SUMMARY_ZH: dict[str, str] = {
    "instance": "实例",
    "part": "部分",
    "status": "状态",
    "objective": "目标值(成本, 越低越好)",
    "bound": "下界",
    "gap": "与下界差距",
    "wall_time": "用时(秒)",
    "method": "求解方法",
    "message": "说明",
    "interrupted": "求解被中断",
    "closest": "有规则未满足(最接近的方案)",
}

#: KPI (see :mod:`twinning.result` and the README, "Roster KPIs") -> its Chinese label.
KPI_NAMES_ZH: dict[str, str] = {
    # pairs
    "weak_schools": "薄弱校数",
    "paired": "已结对数",
    "paired_share": "薄弱校结对率",
    "helpers": "可帮扶学校数",
    "helpers_used": "承担帮扶的学校数",
    "helpers_below_min": "低于最少帮扶数的帮扶校",
    "mean_km": "平均结对距离(公里)",
    "max_km": "最远结对距离(公里)",
    "complementarity": "互补度合计",
    "unpaired_by_reason": "未结对原因",
    "candidate_arcs": "候选结对数",
    # alliances
    "groups": "联盟数",
    "alliances": "联盟",
    "alliance": "联盟",
    "lead": "牵头学校",
    "stage": "学段",
    "schools": "学校数",
    "strong": "优质校数",
    "students": "学生数",
    "teachers": "教师数",
    "backbone_per_100_students": "每百名学生骨干教师数",
    "farthest_km": "最远成员距离(公里)",
    # roster
    "moves": "交流人次",
    "moves_by_kind": "按类型",
    "rotation_rate": "交流比例",
    "rotation_rate_required": "交流比例要求",
    "quota_schools_below": "低于交流名额的学校数",
    "backbone_share": "骨干教师占派出教师比例",
    "backbone_share_required": "骨干教师比例要求",
    "two_way_ratio": "进城学习与下乡人数之比",
    "two_way_ratio_required": "进城学习比例要求",
    "needs_total_teacher_periods": "学科缺口(人·学期)",
    "needs_reachable_teacher_periods": "交流可补的缺口(人·学期)",
    "needs_unreachable_teacher_periods": "交流无法补的缺口(人·学期)",
    "needs_covered_teacher_periods": "已补缺口(人·学期)",
    "needs_covered_share": "可补缺口补足率",
    "shortages_created_at_senders": "派出校新增缺口(人·学期)",
    "due_total": "应交流人数",
    "due_moved": "应交流者已交流",
    "due_moved_by_direction": "应交流者按方向",
    "rural_priority_placed_rural": "优先人员派往乡村学校",
    "preferences_listed": "填报意向学校人数",
    "preferences_honoured": "满足意向人数",
    "preferences_by_rank": "按意向顺位",
    "bridge_moves": "学段衔接交流",
    "secondments": "挂职人数",
    "secondment_candidates": "挂职候选人数",
    "mentor_pairs": "师徒结对数",
    "principals_due": "任期届满的校长",
    "principals_moved": "轮岗校长",
    "outflow_floor_schools": "按最少派出人数放宽的学校",
    "cv_backbone_per_100_before": "骨干教师差异系数(交流前)",
    "cv_backbone_per_100_after": "骨干教师差异系数(交流后)",
    "cv_thresholds": "差异系数标准",
    "unmet_needs_by_school": "各校未补缺口",
    "quota_capped": "低于交流名额的学校",
    "by_rate": "按比例应交流",
    "can_move": "实际交流",
    # outreach
    "visits": "送教次数",
    "visits_required": "应送教次数",
    "receiving_schools": "应接受送教的学校数",
    "schools_reached": "送教达标学校数",
    "schools_below": "送教未达标学校数",
    "below_by_school": "各校送教缺口",
    "visits_in_shortage_subject": "缺编学科送教次数",
    "visits_from_pair": "来自结对帮扶校的送教",
    "visits_from_alliance": "来自本联盟的送教",
    "mean_visit_km": "平均送教距离(公里)",
    "visitors_available": "可送教教师(人·学期)",
    "teachers_used": "参与送教教师数",
    "short_exchanges": "跟岗人次",
    "short_exchanges_required": "应跟岗人次",
    "rural_without_helper": "无帮扶校的乡村学校",
    "visits_by_school": "各校接受送教次数",
}

#: Objective term (``terms`` of each part) -> its Chinese label.
TERM_NAMES_ZH: dict[str, str] = {
    "unpaired": "未结对薄弱校",
    "min_places_empty": "帮扶校低于最少帮扶数",
    "complementarity_shortfall": "互补度差距",
    "distance_km": "距离(公里)",
    "history_changes": "牵头校变动",
    "lessons_left": "未补周课时",
    "km_per_week": "每周里程(公里)",
    "weekly_lessons_needed": "周课时缺口",
    "weekly_lessons_covered": "走教补足周课时",
    "teachers_used": "走教教师数",
    "teachers_available": "可走教教师数",
    "longest_day_km": "最长一日里程(公里)",
    "schools_served": "受益学校数",
    "by_subject": "分学科",
    "needed": "缺口",
    "later_tier_leads": "非优先等级牵头校",
    "strong_imbalance": "优质校分布不均",
    "backbone_imbalance": "骨干教师分布不均",
    "uncovered_need_weighted": "未补缺口(按优先级加权)",
    "due_not_moved": "应交流未交流",
    "priority_not_rural": "优先人员未派往乡村",
    "moved_not_surplus": "非富余学科派出",
    "backbone_no_balance_gain": "骨干交流未改善均衡",
    "preference_steps": "意向顺位差",
    "secondment_candidates_not_seconded": "挂职候选人未挂职",
    "secondment_merit_below_best": "挂职人选考核分差",
    "quota_missing": "低于交流名额(人)",
    "principals_due_not_moved": "届满校长未轮岗",
    "principals_distance_km": "校长轮岗距离(公里)",
    # outreach
    "visits_missing": "送教缺口(次)",
    "short_exchanges_missing": "跟岗缺口(人次)",
    "visits_off_need": "非缺编学科送教",
    "visits_not_pair": "非结对帮扶校送教",
    "visits_not_alliance": "联盟外送教",
}


def part_name(part: str, lang: Lang) -> str:
    """A part's name in the planner's language."""
    return PART_NAMES_ZH.get(part, part) if lang == "zh" else part


def summary_label(key: str, lang: Lang) -> str:
    """A field of the summary, a KPI or a cost term, in the planner's language."""
    if lang != "zh":
        return key
    for names in (SUMMARY_ZH, KPI_NAMES_ZH, TERM_NAMES_ZH):
        if key in names:
            return names[key]
    return key


def kpi_key(kpi: str, key: str, lang: Lang) -> str:
    """A key inside a KPI that is a mapping (``moves_by_kind``: ``exchange_out``;
    ``preferences_by_rank``: ``1`` or ``none``; per-stage figures: ``primary``), in the
    planner's language."""
    if lang != "zh":
        return key
    if kpi == "moves_by_kind":
        kind, _, direction = key.rpartition("_")
        kind = VALUES_ZH["kind"].get(kind, kind)
        return f"{kind}·{VALUES_ZH['direction'].get(direction, direction)}"
    if kpi == "due_moved_by_direction":
        return VALUES_ZH["direction"].get(key, key)
    if kpi == "preferences_by_rank":
        return "均未满足" if key == "none" else f"第{key}意向"
    if kpi == "unpaired_by_reason":
        return VALUES_ZH["reason"].get(key, key)
    return VALUES_ZH["stage"].get(key, key)


# ---- the terminal: what twinning solve / validate print -------------------------------------

#: A phrase the commands print -> the same in Chinese (``{name}`` fields filled by
#: :func:`console`); the English is the key's own template in :data:`CONSOLE_EN`.
CONSOLE_EN: dict[str, str] = {
    "starting": "starting",
    "started": "started",
    "done": "done: {status}",
    "group": "group {k} of {n}",
    "group_done": "group {k} of {n} done",
    "gap": "gap {gap}",
    "seconds": "{s} s",
    "col_part": "part",
    "col_status": "status",
    "col_objective": "objective",
    "col_bound": "bound",
    "col_gap": "gap",
    "col_seconds": "seconds",
    "col_method": "method",
    "more_alliances": "... and {n} more alliances (alliances.csv)",
    "written": "plan written to {target}/",
    "closest_written": "closest plan written to {target}/ (status {status})",
    "interrupted": "interrupted: the best plan found so far was written (status {status}); "
    "parts planned: {parts}",
    "none": "none",
    "no_plan": "no plan: status {status}.",
    "misses": "status {status}: the plan written comes closest and misses {n} rule(s):",
    "by": " by {amount}",
    "capped": "rotation.rate held below quota at {n} school(s) (rotation.cap_quota): ",
    "capped_school": "{school} moves {moved} of {quota}",
    "violation": "violation",
    "recounted": "{part} (recounted): ",
    "valid": "valid: {pairs} pairs, status {status}, objective {objective} "
    "(recomputed {recomputed})",
    "invalid": "invalid: {n} violation(s)",
    "warning": "warning:",
    "note_added": "note: the roster builds on {parts}: planning them too "
    "(give --with PLAN to keep a plan's)",
    "note_kept": "note: {parts} taken from the --with plan",
    "stopping": "stopping the search; writing the best plan found ...",
    "interrupted_early": "interrupted before any part was planned",
}

CONSOLE_ZH: dict[str, str] = {
    "starting": "准备中",
    "started": "开始",
    "done": "完成: {status}",
    "group": "第{k}组/共{n}组",
    "group_done": "第{k}组/共{n}组完成",
    "gap": "与下界差距 {gap}",
    "seconds": "{s} 秒",
    "col_part": "部分",
    "col_status": "状态",
    "col_objective": "目标值",
    "col_bound": "下界",
    "col_gap": "差距",
    "col_seconds": "用时(秒)",
    "col_method": "求解方法",
    "more_alliances": "……另有{n}个联盟(见 alliances.csv)",
    "written": "方案已写入 {target}/",
    "closest_written": "最接近的方案已写入 {target}/(状态: {status})",
    "interrupted": "已中断: 目前最好的方案已写入(状态: {status}); 已完成: {parts}",
    "none": "无",
    "no_plan": "没有方案: 状态 {status}。",
    "misses": "状态 {status}: 写入的方案最接近, 但有{n}条规则未满足:",
    "by": " 差{amount}",
    "capped": "{n}所学校低于交流名额(rotation.cap_quota 允许): ",
    "capped_school": "{school} 交流{moved}人, 名额{quota}人",
    "violation": "违反规则",
    "recounted": "{part}(重新统计): ",
    "valid": "方案有效: {pairs}对结对, 状态 {status}, 目标值 {objective}(重新计算 {recomputed})",
    "invalid": "方案无效: {n}处违反规则",
    "warning": "警告：",
    "note_added": "提示: 交流轮岗以{parts}为基础, 一并规划(用 --with PLAN 可沿用已有方案)",
    "note_kept": "提示: {parts}沿用 --with 方案",
    "stopping": "正在停止求解, 写入目前最好的方案……",
    "interrupted_early": "尚未完成任何部分即被中断",
}


def console(key: str, lang: Lang, **fields: object) -> str:
    """A phrase the commands print, in the planner's language."""
    template = CONSOLE_ZH[key] if lang == "zh" else CONSOLE_EN[key]
    return template.format(**fields)


_STEP = re.compile(r"group (?P<k>\d+) of (?P<n>\d+)(?:, round (?P<r>\d+))?(?P<done> done)?")
_DONE = re.compile(r"done: (?P<status>\w+)")


def progress_step(step: str, lang: Lang) -> str:
    """A search's progress step (``started``, ``group 2 of 8 done``, ``done: optimal``)
    in the planner's language."""
    if lang != "zh":
        return step
    if step == "started":
        return console("started", lang)
    found = _STEP.fullmatch(step)
    if found is not None:
        key = "group_done" if found["done"] else "group"
        said = console(key, lang, k=found["k"], n=found["n"])
        return said + (f"(第{found['r']}轮)" if found["r"] else "")
    found = _DONE.fullmatch(step)
    if found is not None:
        return console("done", lang, status=value("status", found["status"], lang))
    return step
