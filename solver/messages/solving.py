"""What solving says: a search's progress while it runs, and how a part was solved."""

from __future__ import annotations

ENTRIES: dict[str, dict[str, str]] = {
    "progress.started": {"en": "started", "zh": "开始"},
    "progress.done": {"en": "done: {status:v.status}", "zh": "完成：{status:v.status}"},
    "progress.most_pairs": {"en": "most pairs", "zh": "结对数最多"},
    "progress.least_cost": {"en": "least cost", "zh": "成本最低"},
    "progress.groups": {"en": "groups", "zh": "分组"},
    "progress.headship": {"en": "headship", "zh": "校长轮岗"},
    "progress.group": {"en": "group {k} of {n}", "zh": "第{k}组/共{n}组"},
    "progress.group_round": {
        "en": "group {k} of {n}, round {round}",
        "zh": "第{k}组/共{n}组（第{round}轮）",
    },
    "progress.step_done": {"en": "{step:msg} done", "zh": "{step:msg}完成"},
    "progress.building": {"en": "building the model", "zh": "建立模型"},
    "progress.bound_step": {"en": "bound, step {k}", "zh": "下界计算第{k}步"},
    "progress.secondments": {"en": "secondments", "zh": "挂职安排"},
    "batch.no_plan": {
        "en": "no plan keeps every rule (status {status:v.status}): {messages:semi}",
        "zh": "没有满足全部规则的方案（状态：{status:v.status}）：{messages:semi}",
    },
    "batch.os_error": {"en": "{path}: {error}", "zh": "{path}：无法读写（{error}）"},
    "batch.defect": {
        "en": "a defect of twinning ({error} at {where}); the other instances go on",
        "zh": "twinning 自身缺陷（{error}，位于 {where}）；其他实例照常求解",
    },
    "method.given": {
        "en": "taken from the given plan ({instance})",
        "zh": "沿用所给方案（{instance}）",
    },
    # how a part was solved when a re-plan pinned the baseline's rows
    "method.baseline_pinned": {
        "en": "{method:msg}; the baseline's rows pinned where they hold",
        "zh": "{method:msg}；沿用基准方案中仍然成立的行",
    },
}
