"""Why a school is below its rotation quota (``quota.*``, :mod:`twinning.rules.quota`): its
due teachers, how many the rules let go, and each rule that stops the rest with how many.

Policy keys stay as they are in both languages: the planner looks them up in
``policy.toml``.
"""

from __future__ import annotations

ENTRIES: dict[str, dict[str, str]] = {
    "workbook.why": {"en": "why", "zh": "原因"},
    "explain.school.quota_why": {
        "en": "below its quota (rotation.rate): {why:msg}",
        "zh": "低于交流名额（rotation.rate）：{why:msg}",
    },
    "check.rotation.rate.uncounted": {
        "en": "{school} moves {n} teachers for {k} semester(s) or more, at least {required} "
        "({short} more for less, not counted: rotation.min_periods_for_quota)",
        "zh": "{school}交流{k}个学期及以上的教师{n}人，至少应交流{required}人"
        "（另{short}人交流不足{k}个学期，不计入：rotation.min_periods_for_quota）",
    },
    "roster.quota_school_why": {
        "en": "{school} moves {moved} of {quota} ({why:msg})",
        "zh": "{school}交流{moved}人，名额{quota}人（{why:msg}）",
    },
    "quota.why": {
        "en": "{due} due, the rules let {can} go for {k} semester(s) or more: {stops:semi}",
        "zh": "应交流教师{due}人，规则允许其中{can}人交流{k}个学期及以上：{stops:semi}",
    },
    "quota.scope.pair": {"en": "among its pair partners", "zh": "结对学校中"},
    "quota.scope.alliance": {"en": "in its alliance", "zh": "本联盟内"},
    "quota.scope.county": {"en": "in the county", "zh": "全县"},
    "quota.stop.last_cycle": {
        "en": "{n} exchanged in the last cycle (rotation.last_cycle)",
        "zh": "{n}人上一轮已交流（rotation.last_cycle）",
    },
    "quota.stop.length": {
        "en": "{n} cannot go for {k} semesters: exchanges last at most {longest} and "
        "{horizon} semester(s) are planned (rotation.min_periods_for_quota, "
        "rotation.max_periods, horizon.periods)",
        "zh": "{n}人无法交流满{k}个学期：交流最长{longest}个学期，规划{horizon}个学期"
        "（rotation.min_periods_for_quota、rotation.max_periods、horizon.periods）",
    },
    "quota.stop.no_scope": {
        "en": "{n} have no school to go to {where:msg} (rotation.scope)",
        "zh": "{n}人{where:msg}没有可派往的学校（rotation.scope）",
    },
    "quota.stop.no_host": {
        "en": "{n} {subject} teacher(s): no school to go to {where:msg} (neither urban nor "
        "strong) is short of {subject} (needs.shortage); widen rotation.scope",
        "zh": "{subject}教师{n}人：{where:msg}可派往的学校（非城区、非优质）都不缺{subject}"
        "教师（needs.shortage），可放宽 rotation.scope",
    },
    "quota.stop.stage": {
        "en": "{n} {subject} teacher(s): the schools short of {subject} {where:msg} are of "
        "another stage (rotation.same_stage)",
        "zh": "{subject}教师{n}人：{where:msg}缺{subject}教师的学校学段不同（rotation.same_stage）",
    },
    "quota.stop.km": {
        "en": "{n} {subject} teacher(s): the schools short of {subject} {where:msg} are over "
        "{km:g} km away (rotation.max_km)",
        "zh": "{subject}教师{n}人：{where:msg}缺{subject}教师的学校都超过{km:g}公里"
        "（rotation.max_km）",
    },
    "quota.stop.sender": {
        "en": "{n} {subject} teacher(s) stay: a surplus of {spare} and at most {arrive} "
        "{subject} teacher(s) to come and learn (rotation.protect_sender)",
        "zh": "{subject}教师{n}人须留校：该学科超编{spare}人，至多{arrive}名{subject}教师"
        "可来校学习（rotation.protect_sender）",
    },
    "quota.stop.cover": {
        "en": "{n} {subject} teacher(s) stay: {have} teach {subject} there and one stays "
        "(rotation.keep_subject_cover)",
        "zh": "{subject}教师{n}人须留校：本校{subject}教师{have}人，须留一人"
        "（rotation.keep_subject_cover）",
    },
    "quota.stop.outflow": {
        "en": "{n} more: at most {limit} away a semester (rotation.max_outflow_share), so "
        "{most} on exchanges of {k} semester(s)",
        "zh": "另{n}人：每学期至多外派{limit}人（rotation.max_outflow_share），"
        "交流{k}个学期的至多{most}人",
    },
    "quota.stop.capacity": {
        "en": "{n} more: the schools they may go to take {cap} a semester in all "
        "(rotation.host_capacity), so {most} on exchanges of {k} semester(s)",
        "zh": "另{n}人：可派往的学校每学期共可接收{cap}人（rotation.host_capacity），"
        "交流{k}个学期的至多{most}人",
    },
    "quota.stop.crowded": {
        "en": "with it, {schools} school(s) with a quota must send {need}, but at most {most} "
        "can go on exchanges of {k} semester(s): the {hosts} school(s) short of the subjects "
        "they can spare take {cap} a semester in all (rotation.host_capacity)",
        "zh": "连同本校，{schools}所有交流名额的学校共须派出{need}人，但交流{k}个学期的至多{most}人："
        "缺其可派学科教师的{hosts}所学校每学期共可接收{cap}人（rotation.host_capacity）",
    },
    "quota.stop.full": {
        "en": "the {hosts} school(s) {where:msg} short of the subjects its teachers can spare "
        "are full in this plan ({cap} a semester, rotation.host_capacity), taken by teachers "
        "of {senders} other school(s)",
        "zh": "{where:msg}缺其可派学科教师的{hosts}所学校在本方案中已满（每学期共{cap}人，"
        "rotation.host_capacity），名额由其他{senders}所学校的教师占用",
    },
    "quota.stop.first": {
        "en": "the {hosts} school(s) {where:msg} short of {surplus:list}, its surplus "
        "subjects, are full in this plan ({cap} a semester, rotation.host_capacity, taken by "
        "teachers of {senders} other school(s)), and its teachers of {others:list} may go "
        "only after {first} of its surplus teachers (rotation.surplus_first)",
        "zh": "{where:msg}缺{surplus:list}（本校超编学科）教师的{hosts}所学校在本方案中已满"
        "（每学期共{cap}人，rotation.host_capacity，由其他{senders}所学校的教师占用），"
        "而本校{others:list}教师须待{first}名超编学科教师派出后才能交流"
        "（rotation.surplus_first）",
    },
    "quota.stop.full_alone": {
        "en": "the {hosts} school(s) {where:msg} short of the subjects its teachers can spare "
        "are full in this plan ({cap} a semester, rotation.host_capacity)",
        "zh": "{where:msg}缺其可派学科教师的{hosts}所学校在本方案中已满（每学期共{cap}人，"
        "rotation.host_capacity）",
    },
    "quota.stop.first_alone": {
        "en": "the {hosts} school(s) {where:msg} short of {surplus:list}, its surplus "
        "subjects, are full in this plan ({cap} a semester, rotation.host_capacity), and its "
        "teachers of {others:list} may go only after {first} of its surplus teachers "
        "(rotation.surplus_first)",
        "zh": "{where:msg}缺{surplus:list}（本校超编学科）教师的{hosts}所学校在本方案中已满"
        "（每学期共{cap}人，rotation.host_capacity），"
        "而本校{others:list}教师须待{first}名超编学科教师派出后才能交流"
        "（rotation.surplus_first）",
    },
    # ---- what keeps one due teacher at home in a plan (explain --staff)
    "quota.kept.outflow": {
        "en": "{school} already has {limit} away in a semester of every {k}-semester window "
        "of this plan (rotation.max_outflow_share)",
        "zh": "本方案中{school}在每个连续{k}学期内都有学期已外派{limit}人"
        "（rotation.max_outflow_share）",
    },
    "quota.kept.full": {
        "en": "the {hosts} school(s) {where:msg} short of {subject} are full in this plan "
        "({cap} a semester, rotation.host_capacity)",
        "zh": "{where:msg}缺{subject}教师的{hosts}所学校在本方案中已满"
        "（每学期共{cap}人，rotation.host_capacity）",
    },
    "quota.stop.shared": {
        "en": "the rules let {can} go, the plan sends {moved}: the rest is held by what it "
        "shares with the other schools {where:msg} (the places at the schools short of each "
        "subject, rotation.surplus_first, rotation.protect_sender, rotation.backbone_share, "
        "rotation.two_way_share) or by the time limit",
        "zh": "规则允许{can}人，方案派出{moved}人：其余受{where:msg}与其他学校共用的条件限制"
        "（各学科缺编学校的接收名额、rotation.surplus_first、rotation.protect_sender、"
        "rotation.backbone_share、rotation.two_way_share）或求解时间所限",
    },
}
