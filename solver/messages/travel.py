"""Messages of the travel rules (issue 28): minutes one way and each person's own limit."""

from __future__ import annotations

ENTRIES: dict[str, dict[str, str]] = {
    "check.rotation.max_minutes": {
        "en": "{minutes:.0f} minutes one way, limit {limit:g}",
        "zh": "单程{minutes:.0f}分钟，上限{limit:g}分钟",
    },
    "check.staff.max_km": {
        "en": "{km:.1f} km from {school}, {staff}'s own limit {limit:g} km",
        "zh": "距{school}{km:.1f}公里，超过{staff}本人的通勤上限{limit:g}公里",
    },
    "check.staff.max_km.circuit": {
        "en": "{school} on {staff}'s circuit is {km:.1f} km from home, {staff}'s own limit "
        "{limit:g} km",
        "zh": "{staff}走教的{school}距本校{km:.1f}公里，超过本人的通勤上限{limit:g}公里",
    },
    "quota.stop.minutes": {
        "en": "{n} {subject} teacher(s): the schools short of {subject} {where:msg} are over "
        "{minutes:g} minutes away (rotation.max_minutes)",
        "zh": "{subject}教师{n}人：{where:msg}缺{subject}教师的学校单程都超过{minutes:g}分钟"
        "（rotation.max_minutes）",
    },
}
