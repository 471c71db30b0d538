"""The messages of balance.no_worse before the secondments asked of every candidate
(rotation.secondment_count unset): the candidates it holds at home."""

from __future__ import annotations

ENTRIES: dict[str, dict[str, str]] = {
    "roster.secondments_held_no_worse": {
        "en": "balance.no_worse before rotation.secondment_count: {n} secondment "
        "candidate(s) held at home, every secondment of theirs that fits would raise a "
        "staffing coefficient above its value before the plan: {held:list}",
        "zh": "均衡不降优先于挂职人数：{n}名挂职候选人"
        "留在本校，其任一可行的挂职都会使差异系数高于交流前：{held:list}",
    },
    "roster.secondment_held_one": {
        "en": "{staff} ({indicator:v.indicator} {stage:v.stage} {period})",
        "zh": "{staff}（{period}学期{stage:v.stage}{indicator:v.indicator}）",
    },
    "method.roster.secondments_no_worse": {
        "en": "{inner:msg}; then {n} secondments kept or added where each keeps every "
        "coefficient at or below its value before the plan, {held} candidate(s) held at home",
        "zh": "{inner:msg}；其后保留或补排{n}人挂职，每人均不使差异系数高于交流前，{held}名候选人"
        "留在本校",
    },
}
