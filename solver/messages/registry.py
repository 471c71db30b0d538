"""What the plan registry says (``twinning.registry``): a registry it cannot use (exit 2),
an adoption it refuses, and what merging its history into an instance did.

A registry is named as the planner gave it (a path, or a URL without its password);
the database's own reason for refusing a connection is quoted as it says it.
"""

from __future__ import annotations

ENTRIES: dict[str, dict[str, str]] = {
    # ---- a registry that cannot be used ------------------------------------------------------
    "registry.empty_url": {
        "en": "registry: empty URL; give a file path or a database URL",
        "zh": "登记库：地址为空；请给出文件路径或数据库地址",
    },
    "registry.not_url": {
        "en": (
            "registry {url}: not a database URL; give a file path, sqlite:///FILE or "
            "postgresql://USER:PASS@HOST/DB"
        ),
        "zh": (
            "登记库 {url}：不是数据库地址；请给出文件路径、sqlite:///FILE 或 "
            "postgresql://USER:PASS@HOST/DB"
        ),
    },
    "registry.unsupported": {
        "en": (
            "registry {url}: unsupported database '{backend}'; use a file path, sqlite:///FILE "
            "or postgresql://USER:PASS@HOST/DB"
        ),
        "zh": (
            "登记库 {url}：不支持的数据库 '{backend}'；请使用文件路径、sqlite:///FILE 或 "
            "postgresql://USER:PASS@HOST/DB"
        ),
    },
    "registry.in_memory": {
        "en": (
            "registry {url}: a database in memory keeps nothing (it is gone when the command "
            "ends); give a file path or a database URL"
        ),
        "zh": "登记库 {url}：内存数据库不保存任何内容（命令结束即消失）；请给出文件路径或数据库地址",
    },
    "registry.no_folder": {
        "en": "registry {path}: folder {folder} does not exist",
        "zh": "登记库 {path}：文件夹 {folder} 不存在",
    },
    "registry.missing": {
        "en": (
            "registry {path}: no such file (nothing was created); a registry starts with the "
            "first twinning adopt, which creates it"
        ),
        "zh": "登记库 {path}：找不到该文件（未创建任何文件）；登记库由第一次 twinning adopt 创建",
    },
    "registry.empty": {
        "en": (
            "registry {where}: holds no registry yet (no plan was ever adopted into it; "
            "nothing was created); a registry starts with the first twinning adopt"
        ),
        "zh": (
            "登记库 {where}：尚无登记内容（从未采纳过方案；未创建任何内容）；登记库由第一次 "
            "twinning adopt 创建"
        ),
    },
    "registry.unusable": {
        "en": "registry {where}: {reason}",
        "zh": "登记库 {where} 无法使用：{reason}",
    },
    # ---- adoptions refused -------------------------------------------------------------------
    "registry.other_instance": {
        "en": (
            "plan for '{plan}' (fingerprint {plan_fingerprint}) was not made for this instance "
            "'{instance}' (fingerprint {fingerprint}): its schools, staff or policy differ; "
            "solve it again"
        ),
        "zh": (
            "方案（'{plan}'，指纹 {plan_fingerprint}）不是为此实例 '{instance}'（指纹 "
            "{fingerprint}）制定的：学校、教职工或政策参数不同；请重新求解"
        ),
    },
    "registry.adopted_already": {
        "en": (
            "county '{county}', cycle '{cycle}' is adopted already (record {record}, by {by} "
            "at {at} UTC); nothing was written. Use --replace to adopt this plan instead (the "
            "old record is kept as superseded)"
        ),
        "zh": (
            "县区 '{county}' 的周期 '{cycle}' 已采纳过方案（记录 {record}，采纳人 {by}，时间 "
            "{at}（UTC））；未写入任何内容。如要改为采纳此方案，请用 --replace（原记录保留，"
            "标记为已被取代）"
        ),
    },
    "registry.adopted_meanwhile": {
        "en": (
            "county '{county}', cycle '{cycle}' was adopted by someone else at the same time; "
            "nothing was written (see it with twinning history, or use --replace)"
        ),
        "zh": (
            "县区 '{county}' 的周期 '{cycle}' 刚被他人同时采纳；未写入任何内容（可用 twinning "
            "history 查看，或使用 --replace）"
        ),
    },
    # ---- merging the registry's history ------------------------------------------------------
    "registry.merged": {
        "en": (
            "registry: county '{county}', cycle {cycle}: {added} history row(s) added from "
            "adopted plans"
        ),
        "zh": "登记库：县区 '{county}'，周期 {cycle}：从已采纳的方案中补充历史记录 {added} 行",
    },
    "registry.merged_advanced": {
        "en": (
            "{head:msg}; years at school advanced by {by} for {n} staff unchanged since the "
            "{since} adoption"
        ),
        "zh": "{head:msg}；自 {since} 采纳以来未更新的 {n} 名教职工，本校任职年限增加 {by} 年",
    },
    "registry.file_has": {
        "en": "history.csv has {row:msg}, not in the adopted plan",
        "zh": "history.csv 中有 {row:msg}，已采纳的方案中没有",
    },
    "registry.file_lacks": {
        "en": "history.csv lacks adopted {row:msg}",
        "zh": "history.csv 中缺少已采纳的 {row:msg}",
    },
    "registry.row": {
        "en": "{kind:msg} {period} {from_school}->{to_school}",
        "zh": "{kind:msg} {period} {from_school}->{to_school}",
    },
    "registry.row_staff": {
        "en": "{kind:msg} {period} {staff} {from_school}->{to_school}",
        "zh": "{kind:msg} {period} {staff} {from_school}->{to_school}",
    },
    "registry.row_mentee": {
        "en": "{kind:msg} {period} {staff} {from_school}->{to_school} (mentee {mentee})",
        "zh": "{kind:msg} {period} {staff} {from_school}->{to_school}（徒弟 {mentee}）",
    },
    "registry.kind.pair": {"en": "pair", "zh": "结对"},
    "registry.kind.alliance": {"en": "alliance", "zh": "联盟"},
    "registry.kind.exchange": {"en": "exchange", "zh": "交流"},
    "registry.kind.mentor": {"en": "mentor", "zh": "带徒"},
}
