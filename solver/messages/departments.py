"""What the checker says about departments and mentees (issue 28's people rules): too many
of a school's teachers of one subject away at once, a subject's classes changing hands
twice in a school year, a mentee away while mentored."""

from __future__ import annotations

ENTRIES: dict[str, dict[str, str]] = {
    "check.rotation.max_department_share": {
        "en": "{school} has {n} of its {size} {subject} teacher(s) away in {period} "
        "({staff:list}), at most {limit}",
        "zh": "{school}的{subject}教师共{size}人，{period}外出{n}人（{staff:list}），至多{limit}人",
    },
    "check.rotation.classes_change_once_a_year": {
        "en": "{subject} classes at {school} change hands twice in the school year of "
        "{periods:list}: at its start ({start:list}) and at its middle ({middle:list})",
        "zh": "{school}的{subject}课在{periods:list}这一学年内两次换人：学年初（{start:list}）"
        "和学年中（{middle:list}）",
    },
    "quota.stop.department": {
        "en": "{n} {subject} teacher(s) stay: at most {limit} of its {size} {subject} "
        "teacher(s) away at once (rotation.max_department_share)",
        "zh": "{subject}教师{n}人须留校：本校{subject}教师{size}人，同时外出至多{limit}人"
        "（rotation.max_department_share）",
    },
    "check.rotation.mentee_at_home": {
        "en": "mentee {mentee} is away at {school} in {period} while mentored by {mentor} of "
        "{mentor_school}",
        "zh": "徒弟{mentee}由{mentor_school}的{mentor}带教期间，{period}外出到{school}",
    },
}
