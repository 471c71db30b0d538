"""What the checker says about cadres and heads (issue 28's people rules): small schools
swamped by visiting cadres, secondments not for the candidate's growth, changes of head
across stage families or from a weak school to a strong one without a title."""

from __future__ import annotations

ENTRIES: dict[str, dict[str, str]] = {
    "check.rotation.small_school_pupils": {
        "en": "{school} ({pupils} pupils, under {limit}) hosts {n} visiting cadres in {period}, "
        "at most 1",
        "zh": "{school}（学生{pupils}人，不足{limit}人）在{period}接收外校干部{n}人，至多1人",
    },
    "check.rotation.small_school_pupils.away": {
        "en": "{school} ({pupils} pupils, under {limit}) hosts {n} visiting cadre(s) in "
        "{period} while its own cadre(s) {away:list} are away",
        "zh": "{school}（学生{pupils}人，不足{limit}人）本校干部{away:list}外出的{period}"
        "接收外校干部{n}人",
    },
    "check.rotation.secondment_growth": {
        "en": "reserve cadre {staff} is seconded to {school} ({pupils} pupils, "
        "{tier:v.tier}), neither larger nor stronger than {home} ({home_pupils} pupils, "
        "{home_tier:v.tier})",
        "zh": "后备干部{staff}挂职到{school}（学生{pupils}人，{tier:v.tier}），"
        "规模和办学水平都不高于{home}（学生{home_pupils}人，{home_tier:v.tier}）",
    },
    "check.rotation.headship_bridge": {
        "en": "{school} ({stages:list:v.stage}) is of another stage family than {home} "
        "({home_stages:list:v.stage}) and rotation.headship_bridge is off",
        "zh": "{school}（{stages:list:v.stage}）与{home}（{home_stages:list:v.stage}）"
        "学校类型不同，未允许跨类型轮岗",
    },
    "check.rotation.headship_weak_to_strong": {
        "en": "{staff}, head of weak school {home}, takes over strong school {school} without "
        "a county-level-or-above backbone title",
        "zh": "薄弱校{home}校长{staff}不是县级以上骨干，不能接任优质校{school}校长",
    },
}
