"""What ``twinning explain`` says: why a part has no plan (the rules in conflict and the
repairs), why a plan is what it is (each roster line's reason, a person's and a school's
reasons, the costliest shortages), and what a re-plan changed."""

from __future__ import annotations

ENTRIES: dict[str, dict[str, str]] = {
    # ---- a rule named in a sentence: its policy key in English, its name and key in Chinese
    "explain.rule": {"en": "{key}", "zh": "{key:rule}（{key}）"},
    # a rule the vocabulary has no name for: its key in both languages
    "explain.key": {"en": "{key}", "zh": "{key}"},
    # ---- a setting's value
    "explain.value.none": {"en": "no limit", "zh": "不限"},
    "explain.value.true": {"en": "true", "zh": "“是”"},
    "explain.value.false": {"en": "false", "zh": "“否”"},
    "explain.value.rotation.scope.pair": {"en": "pair", "zh": "结对校之间"},
    "explain.value.rotation.scope.alliance": {"en": "alliance", "zh": "联盟内"},
    "explain.value.rotation.scope.county": {"en": "county", "zh": "全县"},
    "explain.value.balance.target.off": {"en": "off", "zh": "不考虑"},
    "explain.value.balance.target.objective": {"en": "objective", "zh": "计入目标"},
    "explain.value.balance.target.rule": {"en": "rule", "zh": "作为硬性规则"},
    # ---- why no plan: the repairs
    "explain.set": {"en": "{rule:msg} = {value}", "zh": "将{rule:msg}设为{value}"},
    "explain.settings": {"en": "{settings:and}", "zh": "{settings:semi}"},
    "explain.together": {"en": "{changes:and}", "zh": "同时{changes:semi}"},
    "explain.repair.cap_quota": {
        "en": "{setting:msg} (each school sends what the other rules let it, the shortfall listed)",
        "zh": "{setting:msg}（各校按其他规则允许的人数派出，不足名额的学校逐一列出）",
    },
    "explain.repair.no_host_capacity": {
        "en": "no host capacity limit",
        "zh": "取消各校接收人数上限",
    },
    "explain.repair.host_capacity": {
        "en": "raise host capacity at {n} school(s): {schools:list}",
        "zh": "提高{n}所学校的接收人数上限：{schools:list}",
    },
    "explain.repair.capacity_raised": {
        "en": "{school} {before} -> {after}",
        "zh": "{school}由{before}人增至{after}人",
    },
    "explain.repair.or": {"en": "or {change:msg}", "zh": "或{change:msg}"},
    # ---- why no plan: the short form (after an infeasible solve)
    "explain.feasible": {
        "en": "the instance has a plan keeping every rule",
        "zh": "该实例有满足全部规则的方案",
    },
    "explain.short": {
        "en": "{conflict:msg}{repairs:msg}{cut:msg}",
        "zh": "{conflict:msg}{repairs:msg}{cut:msg}",
    },
    "explain.conflict": {"en": "{rules:list}", "zh": "{rules:list}"},
    "explain.conflict_open": {
        "en": "{rules:list} (a conflict, not proven smallest: left undecided whether "
        "{steps:list} can be left out)",
        "zh": "{rules:list}（相互冲突，但未证明是最小的冲突集合：未能判定可否去掉{steps:list}）",
    },
    "explain.short.conflict": {
        "en": "{part:part}: the rules {rules:list} conflict",
        "zh": "{part:part}：规则{rules:list}相互冲突",
    },
    "explain.short.conflict_open": {
        "en": "{part:part}: the rules {rules:list} conflict (not proven smallest)",
        "zh": "{part:part}：规则{rules:list}相互冲突（未证明是最小的冲突集合）",
    },
    "explain.short.repairs": {
        "en": "; any one of these repairs it: {repairs:semi}",
        "zh": "；以下任一改动即可解决：{repairs:semi}",
    },
    "explain.short.cut": {
        "en": " (explanation cut short by the time limit)",
        "zh": "（因时间限制，解释未能完成）",
    },
    # ---- why a roster line
    "explain.reason.unknown_staff": {"en": "not in the instance", "zh": "实例中无此人员"},
    "explain.reason.pinned": {"en": "pinned in fixed.csv", "zh": "按 fixed.csv 固定"},
    "explain.reason.mentor": {
        "en": "mentors {mentee} (young teacher at {school})",
        "zh": "带徒{mentee}（{school}青年教师）",
    },
    "explain.reason.parts": {"en": "{parts:semi}", "zh": "{parts:semi}"},
    "explain.reason.need": {
        "en": "fills a {subject} shortage of {n} at {school}",
        "zh": "补{school}{subject}学科缺编{n}人",
    },
    "explain.reason.learns": {
        "en": "learns at {school} (进城学艺, {rule:msg})",
        "zh": "进城到{school}跟岗学习，依据{rule:msg}",
    },
    "explain.reason.due": {
        "en": "due: {years} years at {school}",
        "zh": "在{school}任教已满{years}年，应交流",
    },
    "explain.reason.quota": {
        "en": "{school} must move {n} ({rule:msg})",
        "zh": "{school}须交流{n}人，依据{rule:msg}",
    },
    "explain.reason.rural_priority": {
        "en": "few rural years (rotation.rural_priority_years)",
        "zh": "乡村任教年限不足（rotation.rural_priority_years），优先派往乡村学校",
    },
    "explain.reason.choice": {
        "en": "choice {rank} of their list",
        "zh": "本人意向学校第{rank}志愿",
    },
    "explain.reason.cheaper": {"en": "a cheaper plan overall", "zh": "整体方案成本更低"},
    # ---- why a person moves, or not
    "explain.staff.unknown": {
        "en": "{staff}: no such staff in the instance",
        "zh": "{staff}：实例中无此人员",
    },
    "explain.staff.move": {
        "en": "{kind:v.kind} {from_school} -> {to_school} from {first_period} for {periods} "
        "period(s): {why:msg}",
        "zh": "{kind:v.kind}：{from_school}→{to_school}，自{first_period}起{periods}学期："
        "{why:msg}",
    },
    "explain.staff.circuit": {
        "en": "走教 circuit: {days:list} (spare {subject} lessons, unmet at those schools)",
        "zh": "走教：{days:list}（本人{subject}课时有富余，补这些学校未满足的课时）",
    },
    "explain.staff.circuit_day": {
        "en": "{weekday:v.weekday} {school}",
        "zh": "{weekday:v.weekday}{school}",
    },
    "explain.staff.outreach": {
        "en": "outreach: {n} visit(s): {visits:list}",
        "zh": "送教下乡{n}次：{visits:list}",
    },
    "explain.staff.visit": {
        "en": "week {week} {school} ({kind:v.kind})",
        "zh": "第{week}周{school}（{kind:v.kind}）",
    },
    "explain.staff.stays": {
        "en": "{staff} does not move: {why:msg}",
        "zh": "{staff}未交流：{why:msg}",
    },
    "explain.stays.last_cycle": {
        "en": "moved in the last cycle ({rule:msg})",
        "zh": "上一轮已交流，适用{rule:msg}",
    },
    "explain.stays.exempt_age": {
        "en": "exempt by age ({rule:msg})",
        "zh": "已达免交流年龄，适用{rule:msg}",
    },
    "explain.stays.inactive": {
        "en": "not active (staff status)",
        "zh": "不在岗或免交流、暂缓交流（人员状态）",
    },
    "explain.stays.not_due": {
        "en": "{years} years at {school}, due after {due} ({rule:msg}): not in the quota's count",
        "zh": "在{school}任教{years}年，按{rule:msg}满{due}年才应交流，不计入交流名额",
    },
    "explain.stays.rule": {
        "en": "due, kept at home by a rule: {why:msg}",
        "zh": "虽应交流，但受规则限制留在本校：{why:msg}",
    },
    "explain.stays.no_quota": {
        "en": "due; {school} carries no rotation quota ({rule:msg}), and the plan moves "
        "others at lower cost",
        "zh": "虽应交流，但{school}不承担交流名额（{rule:msg}），方案安排其他人员交流成本更低",
    },
    "explain.stays.quota_met": {
        "en": "due; {school} meets its quota with others ({sent} of {quota}, {rule:msg}), "
        "and the plan costs less without this move (a choice of the plan)",
        "zh": "虽应交流，但{school}已由其他教师完成交流名额（{quota}人中已交流{sent}人，{rule:msg}），"
        "不安排其交流时方案成本更低（方案的选择）",
    },
    "explain.stays.quota_capped": {
        "en": "due; {school} moves {sent} of its quota {quota} ({rule:msg}): the planner "
        "accepts schools below their quota ({cap:msg}, each missing teacher a cost) and the "
        "plan left this one short (a choice of the plan): {why:msg}",
        "zh": "虽应交流，但{school}交流{sent}人，低于名额{quota}人（{rule:msg}）：规划者接受"
        "学校低于名额（{cap:msg}，每缺一人计成本），方案选择让该校低于名额：{why:msg}",
    },
    "explain.stays.quota_missed": {
        "en": "due; {school} moves {sent} of its quota {quota}: the plan misses {rule:msg} "
        "there (no plan keeping every rule was found): {why:msg}",
        "zh": "虽应交流，但{school}交流{sent}人，低于名额{quota}人：本方案在该校未满足{rule:msg}"
        "（未找到满足全部规则的方案）：{why:msg}",
    },
    "explain.stays.leader": {
        "en": "due as a leader; leaders move by a change of headship or a secondment, and "
        "the plan has none for them (a choice of the plan)",
        "zh": "作为干部已应交流；干部通过校长轮岗或跟岗交流，方案未为其安排（方案的选择）",
    },
    # ---- what the plan does at a school
    "explain.school.unknown": {
        "en": "{school}: no such school in the instance",
        "zh": "{school}：实例中无此学校",
    },
    "explain.school.moves": {
        "en": "{school}: sends {sent}, receives {received}",
        "zh": "{school}：派出{sent}人，接收{received}人",
    },
    "explain.school.mentors": {
        "en": "{n} mentor line(s) from {school}: mentors stay at home, not sends",
        "zh": "{school}有{n}条带徒安排：师傅仍在本校任教，不算派出",
    },
    "explain.school.quota_met": {
        "en": "quota {quota} ({rule:msg}): {counted} teacher(s) on exchanges of {k} "
        "semester(s) or more, met",
        "zh": "交流名额{quota}人（{rule:msg}）：交流{k}个学期及以上的教师{counted}人，已完成",
    },
    "explain.school.quota_capped": {
        "en": "quota {quota} ({rule:msg}): {counted} teacher(s) on exchanges of {k} "
        "semester(s) or more, {missing} short, accepted by {cap:msg} (each missing teacher "
        "a cost)",
        "zh": "交流名额{quota}人（{rule:msg}）：交流{k}个学期及以上的教师{counted}人，差{missing}人，"
        "按{cap:msg}接受（每缺一人计成本）",
    },
    "explain.school.quota_missed": {
        "en": "quota {quota} ({rule:msg}): {counted} teacher(s) on exchanges of {k} "
        "semester(s) or more, {missing} short: the plan misses the rule here",
        "zh": "交流名额{quota}人（{rule:msg}）：交流{k}个学期及以上的教师{counted}人，差{missing}人："
        "本方案在该校未满足此规则",
    },
    "explain.school.violations": {
        "en": "the checker finds {n} broken rule(s) here: {rules:list}",
        "zh": "校验发现该校{n}处违反规则：{rules:list}",
    },
    "explain.school.short": {
        "en": "short of {subject} in {period}: {shortage} needed, {covered} covered by the roster",
        "zh": "{period}{subject}学科缺编：需{shortage}人，交流补足{covered}人",
    },
    "explain.school.lessons": {
        "en": "{subject}: {needed} lessons a week needed, {covered} by 走教",
        "zh": "{subject}：每周缺{needed}节，走教补足{covered}节",
    },
    "explain.school.pair": {
        "en": "pair {helper} helps {helped}",
        "zh": "结对：{helper}帮扶{helped}",
    },
    "explain.school.pair_why": {
        "en": "pair {helper} helps {helped} ({why:msg})",
        "zh": "结对：{helper}帮扶{helped}（{why:msg}）",
    },
    # ---- the schools whose unmet needs cost most
    "explain.cost.short": {"en": "{items:list}", "zh": "{items:list}"},
    "explain.cost.item": {
        "en": "{subject} {n} in {period}",
        "zh": "{period}{subject}{n}人",
    },
    # ---- what a re-plan changed: the rows
    "explain.row.move": {
        "en": "{staff} {kind:v.kind} {from_school} -> {to_school} from {first_period} for "
        "{periods}",
        "zh": "{staff}{kind:v.kind}：{from_school}→{to_school}，自{first_period}起{periods}学期",
    },
    "explain.row.move_mentee": {
        "en": "{staff} {kind:v.kind} {from_school} -> {to_school} from {first_period} for "
        "{periods} with {mentee}",
        "zh": "{staff}{kind:v.kind}：{from_school}→{to_school}，自{first_period}起{periods}学期，"
        "徒弟{mentee}",
    },
    "explain.row.pair": {"en": "{helper} helps {helped}", "zh": "{helper}帮扶{helped}"},
    "explain.row.member": {"en": "{member} in {alliance}", "zh": "{member}属于联盟{alliance}"},
    # ---- what a re-plan changed: why
    "explain.why.broken": {
        "en": "{rule:msg}: {violation:msg}",
        "zh": "{rule:msg}：{violation:msg}",
    },
    "explain.why.new": {
        "en": "{school} is new since the baseline",
        "zh": "{school}为基准方案之后新增的学校",
    },
    "explain.why.makes_room": {
        "en": "makes room for the changes forced",
        "zh": "为必须的改动让出位置",
    },
    "explain.why.replaces": {"en": "replaces what was removed", "zh": "替补被删去的安排"},
    "explain.why.re_paired": {"en": "re-paired", "zh": "重新结对"},
    "explain.why.regrouped": {"en": "regrouped", "zh": "重新编组"},
}
