"""Column and sheet names: English or Chinese, as PRODUCT.md lists them."""

from __future__ import annotations

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


#: Chinese headers of the output tables (``--lang zh``).
OUTPUT_HEADERS_ZH = {
    "helper": "帮扶学校",
    "helper_name": "帮扶学校名称",
    "helped": "受援学校",
    "helped_name": "受援学校名称",
    "distance_km": "距离(公里)",
    "complementarity": "互补度",
    "why": "帮扶依据",
    "fixed": "固定",
    "school": "学校代码",
    "name": "学校名称",
    "reason": "原因",
    "detail": "说明",
    "alliance": "联盟",
    "lead": "牵头学校",
    "lead_name": "牵头学校名称",
    "member": "成员学校",
    "member_name": "成员学校名称",
    "staff": "工号",
    "role": "岗位",
    "subject": "学科",
    "from_school": "派出学校",
    "to_school": "接收学校",
    "first_period": "起始学期",
    "periods": "学期数",
    "direction": "方向",
    "kind": "类型",
    "mentee": "徒弟工号",
    "out": "派出",
    "in": "接收",
    "net": "净变化",
    "period": "学期",
    "shortage": "缺口",
    "covered": "已补",
    "priority": "优先级",
}
