"""What the validator says of the plan's own figures (its instance, objective, status)."""

from __future__ import annotations

ENTRIES: dict[str, dict[str, str]] = {
    "check.plan.status": {
        "en": "the plan's own status is {status}: it is the plan that comes closest, not one "
        "that keeps every rule",
        "zh": "方案自身的状态为“{status:v.status}”：它是最接近的方案，并非满足全部规则的方案",
    },
    "check.plan.instance.other": {
        "en": "the plan was made for instance '{plan}', not '{instance}' (their schools, staff "
        "or policy differ): check it against the instance it was made for",
        "zh": "该方案是为实例“{plan}”制定的，不是“{instance}”（两者的学校、教职工或政策不同）："
        "请用制定方案时的实例校验",
    },
    "check.plan.instance.changed": {
        "en": "the instance changed since the plan was made (schools, staff or policy): every "
        "rule is checked against the instance as it is now",
        "zh": "制定方案后实例已有变化（学校、教职工或政策）：按实例的当前状态校验全部规则",
    },
    "check.plan.objective.part": {
        "en": "stated {part} objective {stated}, recomputed {recomputed}",
        "zh": "方案所列{part:part}目标值为 {stated}，重新计算为 {recomputed}",
    },
    "check.plan.objective.sum": {
        "en": "stated total {stated} is not the sum of the parts {sum}",
        "zh": "方案所列总目标值 {stated} 不等于各部分之和 {sum}",
    },
    "check.plan.objective.total": {
        "en": "stated objective {stated}, recomputed {recomputed}",
        "zh": "方案所列目标值为 {stated}，重新计算为 {recomputed}",
    },
    "check.plan.unknown_school.row": {
        "en": "{table} line {line} names school {id}, which the instance does not have (closed, merged or never there)",
        "zh": "{table:table}第{line}行的学校 {id} 在实例中不存在（已撤销、合并或从未有过）",
    },
    "check.plan.unknown_staff.row": {
        "en": "{table} line {line} names staff {id}, whom the instance does not have",
        "zh": "{table:table}第{line}行的教职工 {id} 在实例中不存在",
    },
    "check.plan.duplicates": {
        "en": "{table} line {line} repeats line {first}",
        "zh": "{table:table}第{line}行与第{first}行重复",
    },
    "check.plan.finite": {
        "en": "{table} line {line}: {field} is {value}, not a finite number",
        "zh": "{table:table}第{line}行：{field} 为 {value}，不是有限数值",
    },
    "check.plan.parts.unlisted": {
        "en": "the plan holds {rows} row(s) of {part} but does not list it among its parts: it is checked all the same",
        "zh": "方案含有{part:part}的 {rows} 行，但其规划内容中未列出该部分：仍按该部分校验",
    },
    "plan.interrupted": {
        "en": "the run that made this plan was interrupted: {missing:list:part} not planned",
        "zh": "制定该方案的求解被中断：{missing:list:part}尚未规划",
    },
    "plan.missing": {
        "en": "the plan does not hold {missing:list:part}",
        "zh": "方案不含{missing:list:part}",
    },
}
