"""The planners' vocabulary: stages, areas, tiers, roles, backbone levels and their Chinese.

One definition for the data model, the rules, the readers and writers and the
synthetic county generator.
"""

from __future__ import annotations

from typing import Literal

Stage = Literal["kindergarten", "primary", "junior", "senior", "nine_year", "twelve_year"]
Area = Literal["urban", "town", "rural"]
Tier = Literal["strong", "ordinary", "weak"]
Role = Literal["teacher", "principal", "vice_principal", "middle_manager", "reserve_cadre"]
Backbone = Literal["none", "school", "county", "city", "province", "national"]
Gender = Literal["M", "F"]
StaffStatus = Literal["active", "exempt", "deferred"]
HistoryKind = Literal["pair", "alliance", "exchange", "mentor"]
Education = Literal["postgraduate", "bachelor", "college", "secondary", "high_school"]

#: Chinese (and a few common English variants) for each enum value.
ALIASES: dict[str, dict[str, str]] = {
    "stage": {
        "幼儿园": "kindergarten",
        "学前": "kindergarten",
        "小学": "primary",
        "初中": "junior",
        "初级中学": "junior",
        "高中": "senior",
        "九年一贯制": "nine_year",
        "九年一贯": "nine_year",
        "十二年一贯制": "twelve_year",
        "十二年一贯": "twelve_year",
        "nine-year": "nine_year",
        "twelve-year": "twelve_year",
    },
    "area": {
        "城区": "urban",
        "城市": "urban",
        "镇区": "town",
        "乡镇": "town",
        "乡村": "rural",
        "农村": "rural",
    },
    "tier": {"优质": "strong", "一般": "ordinary", "薄弱": "weak"},
    "role": {
        "教师": "teacher",
        "校长": "principal",
        "副校长": "vice_principal",
        "中层干部": "middle_manager",
        "中层": "middle_manager",
        "后备干部": "reserve_cadre",
        "vice-principal": "vice_principal",
        "middle-manager": "middle_manager",
        "reserve-cadre": "reserve_cadre",
    },
    "backbone": {
        "无": "none",
        "": "none",
        "校级": "school",
        "县级": "county",
        "区级": "county",
        "市级": "city",
        "省级": "province",
        "国家级": "national",
    },
    "gender": {"男": "M", "女": "F", "m": "M", "f": "F", "male": "M", "female": "F"},
    "status": {"在岗": "active", "免交流": "exempt", "暂缓": "deferred"},
    "kind": {"结对": "pair", "联盟": "alliance", "交流": "exchange", "带徒": "mentor"},
    "education": {
        "研究生": "postgraduate",
        "硕士": "postgraduate",
        "博士": "postgraduate",
        "本科": "bachelor",
        "专科": "college",
        "大专": "college",
        "中专": "secondary",
        "高中": "high_school",
    },
}

#: Stages each school stage value covers; schools share a stage when these overlap.
STAGE_COVERS: dict[str, frozenset[str]] = {
    "kindergarten": frozenset({"kindergarten"}),
    "primary": frozenset({"primary"}),
    "junior": frozenset({"junior"}),
    "senior": frozenset({"senior"}),
    "nine_year": frozenset({"primary", "junior"}),
    "twelve_year": frozenset({"primary", "junior", "senior"}),
}

#: Grades per base stage: nine- and twelve-year schools split students and quotas by them.
GRADES: dict[str, int] = {"kindergarten": 3, "primary": 6, "junior": 3, "senior": 3}

#: Backbone levels that count as "county level or above".
COUNTY_OR_ABOVE = frozenset({"county", "city", "province", "national"})

#: Enum kind -> English value -> its Chinese name: the first Chinese alias above, the form
#: planners write (初中 rather than 初级中学, 城区 rather than 城市), so that a message in
#: Chinese lists the allowed values the way a planner types them.
CHINESE: dict[str, dict[str, str]] = {}
for _kind, _aliases in ALIASES.items():
    for _zh, _en in _aliases.items():
        if _zh and not _zh.isascii():
            CHINESE.setdefault(_kind, {}).setdefault(_en, _zh)
