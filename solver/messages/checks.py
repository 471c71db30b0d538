"""What the checker says: one message per way a rule is broken (``check.<rule>[.<variant>]``).

Each code names the rule it reports (its policy key, or ``plan.*`` for the plan's own
consistency) and, where a rule is broken in more than one way, the way. The parameters are
ids, counts and raw domain values (a stage, a weekday, a tier), said in the reader's
language by the template. English keeps the wording the checker has always printed.
"""

from __future__ import annotations

ENTRIES: dict[str, dict[str, str]] = {
    # ---- the plan's own consistency ----------------------------------------------------------
    "check.plan.pair_figures.km": {
        "en": "stated {stated} km, the instance gives {km:.3f} km",
        "zh": "方案填写距离{stated}公里，按实例计算为{km:.3f}公里",
    },
    "check.plan.pair_figures.complementarity": {
        "en": "stated complementarity {stated}, recomputed {got}",
        "zh": "方案填写互补度{stated}，重新计算为{got}",
    },
    "check.plan.alliance_figures": {
        "en": "stated {stated} km, the instance gives {km:.3f} km",
        "zh": "方案填写距离{stated}公里，按实例计算为{km:.3f}公里",
    },
    "check.plan.circuit_figures": {
        "en": "stated {stated} km, the instance gives {km:.3f} km",
        "zh": "方案填写距离{stated}公里，按实例计算为{km:.3f}公里",
    },
    "check.plan.circuit_minutes": {
        "en": "stated {stated} minutes, the instance gives {minutes} minutes",
        "zh": "方案填写路途{stated}分钟，按实例计算为{minutes}分钟",
    },
    "check.plan.circuit_minutes.missing": {
        "en": "no minutes stated for the leg ({stated}), the instance gives {minutes} minutes",
        "zh": "方案未填写路途分钟（{stated}），按实例计算为{minutes}分钟",
    },
    "check.plan.roster_figures.home": {
        "en": "{staff} works at {school}, not {from_school}",
        "zh": "{staff}在{school}任职，而非{from_school}",
    },
    "check.plan.roster_figures.role": {
        "en": "{staff} is a {role:v.role}, the line says {stated:v.role}",
        "zh": "{staff}是{role:v.role}，名单填写为{stated:v.role}",
    },
    "check.plan.roster_figures.subject": {
        "en": "{staff} teaches {subject}, the line says {stated}",
        "zh": "{staff}任教{subject}，名单填写为{stated}",
    },
    "check.plan.unpaired.missing": {
        "en": "weak schools left unpaired are not reported with a reason",
        "zh": "未结对的薄弱校未列出未结对原因",
    },
    "check.plan.unpaired.paired": {
        "en": "reported unpaired but paired in the plan",
        "zh": "列为未结对，但方案中已结对",
    },
    # ---- twinning pairs (结对帮扶) -----------------------------------------------------------
    "check.twinning.helper": {
        "en": "{helper} is not a helper school (helper capacity 0)",
        "zh": "{helper}不是帮扶学校（帮扶名额为0）",
    },
    "check.twinning.helped": {
        "en": "{helped} is not a weak school (tier {tier:v.tier})",
        "zh": "{helped}不是薄弱校（办学水平：{tier:v.tier}）",
    },
    "check.twinning.same_stage": {
        "en": "helper and helped school share no stage",
        "zh": "帮扶校与受援校没有共同学段",
    },
    "check.twinning.max_km": {
        "en": "{km:.1f} km apart, limit {limit:g} km",
        "zh": "两校相距{km:.1f}公里，上限{limit:g}公里",
    },
    "check.twinning.avoid_repeat_cycles": {
        "en": "this pair was drawn in a recent cycle",
        "zh": "两校在近几轮中已结过对",
    },
    "check.twinning.vetoed": {
        "en": "the pair {helper} -> {helped} is ruled out (twinning.vetoed)",
        "zh": "{helper}与{helped}的结对已被教育局否决（twinning.vetoed）",
    },
    "check.twinning.helped_once": {
        "en": "{school} has {n} helpers, at most 1",
        "zh": "{school}有{n}所帮扶校，至多1所",
    },
    "check.twinning.max_helped": {
        "en": "{helper} helps {n} schools, capacity {cap}",
        "zh": "{helper}帮扶{n}所学校，帮扶名额为{cap}所",
    },
    "check.twinning.max_helped_students_ratio": {
        "en": "helped schools have {got} students, limit {limit}",
        "zh": "受援学校学生共{got}人，上限{limit}人",
    },
    "check.twinning.fixed": {
        "en": "a pair pinned in the instance is missing",
        "zh": "实例中固定的结对未列入方案",
    },
    "check.twinning.cover": {
        "en": "{school} is unpaired though {helper} is compatible and has a free place",
        "zh": "{school}未结对，但{helper}可与其结对且尚有名额",
    },
    "check.twinning.min_helped": {
        "en": "{school} is unpaired though {helper} is compatible and has a free place",
        "zh": "{school}未结对，但{helper}可与其结对且未达最少帮扶数",
    },
    # ---- alliances (联盟) ---------------------------------------------------------------------
    "check.alliances.cover.none": {
        "en": "{school} is in no alliance",
        "zh": "{school}未加入任何联盟",
    },
    "check.alliances.cover.many": {
        "en": "{school} is in {n} alliances",
        "zh": "{school}同时在{n}个联盟中",
    },
    "check.alliances.one_lead": {
        "en": "alliance {alliance} names {n} leads",
        "zh": "联盟{alliance}有{n}所牵头校",
    },
    "check.alliances.lead_in_own": {
        "en": "lead {lead} is not a member of its own alliance",
        "zh": "牵头校{lead}不是本联盟的成员",
    },
    "check.alliances.can_lead.flag": {
        "en": "{lead} may not lead an alliance (its can_lead is false)",
        "zh": "{lead}不能牵头联盟（学校表“可任牵头校”为否）",
    },
    "check.alliances.can_lead.tier": {
        "en": "{lead} may not lead an alliance (tier {tier:v.tier}; alliances.lead_tiers: "
        "{tiers:list:v.tier})",
        "zh": "{lead}不能牵头联盟（办学水平为{tier:v.tier}；alliances.lead_tiers："
        "{tiers:list:v.tier}）",
    },
    "check.alliances.min_size": {
        "en": "alliance {alliance} has {n} schools, at least {low}",
        "zh": "联盟{alliance}有{n}所学校，至少应有{low}所",
    },
    "check.alliances.max_size": {
        "en": "alliance {alliance} has {n} schools, at most {high}",
        "zh": "联盟{alliance}有{n}所学校，至多{high}所",
    },
    "check.alliances.groups.unset": {
        "en": "the policy does not say how many alliances to form",
        "zh": "政策未规定组建联盟的个数",
    },
    "check.alliances.groups": {
        "en": "{group:msg}: {got} alliances, the policy asks for {want}",
        "zh": "{group:msg}：现有{got}个联盟，政策要求{want}个",
    },
    # the count group an alliance belongs to (the whole county, a region, a stage, both)
    "check.group.county": {"en": "the county", "zh": "全县"},
    "check.group.region": {"en": "region {region}", "zh": "{region}片区"},
    "check.group.stage": {"en": "{stage:v.stage}", "zh": "{stage:v.stage}学段"},
    "check.group.region_stage": {
        "en": "region {region} {stage:v.stage}",
        "zh": "{region}片区{stage:v.stage}学段",
    },
    "check.alliances.leads": {
        "en": "{lead} is a fixed lead but leads no alliance",
        "zh": "{lead}是指定的牵头校，但未牵头任何联盟",
    },
    "check.alliances.fixed.moved": {
        "en": "{school} is pinned to {lead}'s alliance",
        "zh": "{school}固定在{lead}牵头的联盟",
    },
    "check.alliances.fixed.missing": {
        "en": "a pinned membership is missing",
        "zh": "固定的联盟成员未列入方案",
    },
    "check.alliances.same_stage.alliance": {
        "en": "alliance {alliance} names stage {stage:v.stage}, which its lead {lead} does not "
        "cover",
        "zh": "联盟{alliance}的学段为{stage:v.stage}，其牵头校{lead}没有该学段",
    },
    "check.alliances.same_stage.no_stage": {
        "en": "alliance {alliance} names no stage (its lead {lead})",
        "zh": "联盟{alliance}未注明学段（牵头校{lead}）",
    },
    "check.alliances.same_stage.member_stage": {
        "en": "{school} does not cover the alliance's stage {stage:v.stage}",
        "zh": "{school}没有联盟的学段{stage:v.stage}",
    },
    "check.alliances.same_stage.member": {
        "en": "{school} shares no stage with its lead {lead}",
        "zh": "{school}与牵头校{lead}没有共同学段",
    },
    "check.alliances.within_region": {
        "en": "{school} is in region {region}, its lead {lead} in {lead_region}",
        "zh": "{school}属{region}片区，其牵头校{lead}属{lead_region}片区",
    },
    "check.alliances.mix_area.rural_lead": {
        "en": "alliance {alliance} is led by the rural school {lead}",
        "zh": "联盟{alliance}由乡村学校{lead}牵头",
    },
    "check.alliances.mix_area.no_rural": {
        "en": "alliance {alliance} has no rural member",
        "zh": "联盟{alliance}没有乡村学校成员",
    },
    # ---- the roster (交流轮岗) ------------------------------------------------------------------
    "check.rotation.one_move": {
        "en": "{staff} has {n} moves in the horizon, at most 1",
        "zh": "{staff}在规划期内交流{n}次，至多1次",
    },
    "check.horizon.periods.first": {
        "en": "first period {period} is not in the horizon",
        "zh": "起始学期{period}不在规划学期内",
    },
    "check.horizon.periods.past": {
        "en": "the move runs past the horizon",
        "zh": "交流期限超出规划学期",
    },
    "check.rotation.min_periods": {
        "en": "lasts {n} period(s), allowed {low}..{high}",
        "zh": "为期{n}个学期，允许{low}至{high}个学期",
    },
    "check.rotation.max_periods": {
        "en": "lasts {n} period(s), allowed {low}..{high}",
        "zh": "为期{n}个学期，允许{low}至{high}个学期",
    },
    "check.staff.status": {
        "en": "{staff} is {status:v.staff_status} and never moves",
        "zh": "{staff}为{status:v.staff_status}人员，不参加交流",
    },
    "check.rotation.exempt_age": {
        "en": "{staff} is {age} ({gender:v.gender}), exempt",
        "zh": "{staff}现年{age}岁（{gender:v.gender}），已达免交流年龄",
    },
    "check.rotation.last_cycle": {
        "en": "{staff} moved in the last exchange cycle",
        "zh": "{staff}上一轮已参加交流",
    },
    "check.rotation.direction.out": {
        "en": "a move out must go from an urban/strong school to one that is not",
        "zh": "下乡交流须从城区或优质学校到非城区、非优质学校",
    },
    "check.rotation.direction.in": {
        "en": "a move in must go from a rural/weak school to an urban/strong one",
        "zh": "进城学习须从乡村或薄弱学校到城区或优质学校",
    },
    "check.rotation.secondment_count.not_candidate": {
        "en": "{staff} is not a secondment candidate",
        "zh": "{staff}不是挂职候选人",
    },
    "check.rotation.secondment_count.cadre": {
        "en": "cadres move as a one-period secondment",
        "zh": "干部只能以一学期挂职方式交流",
    },
    "check.rotation.secondment_count.principal": {
        "en": "a principal rotates by headship, not an exchange stint",
        "zh": "校长以校长轮岗方式交流，不参加教师交流",
    },
    "check.rotation.secondment_count": {
        "en": "{n} secondments, the policy asks for {want}",
        "zh": "挂职{n}人，政策要求{want}人",
    },
    "check.rotation.secondment_count.left_out": {
        "en": "candidate {staff} could still be seconded to {school} in {period}",
        "zh": "候选人{staff}仍可于{period}到{school}挂职",
    },
    "check.rotation.due_years": {
        "en": "{staff} is not due ({years} years at school)",
        "zh": "{staff}未到交流年限（在校任职{years}年）",
    },
    "check.rotation.two_way": {
        "en": "learning stints are off (rotation.two_way = false)",
        "zh": "进城学习未开启（rotation.two_way）",
    },
    "check.rotation.scope": {
        "en": "{school} is outside {staff}'s scope",
        "zh": "{school}不在{staff}的交流范围内",
    },
    "check.rotation.scope.partner": {
        "en": "{school} is outside {staff}'s partner or lead school",
        "zh": "{school}不是{staff}所在学校的结对校或联盟牵头校",
    },
    "check.rotation.max_km": {
        "en": "{km:.1f} km, limit {limit:g}",
        "zh": "距离{km:.1f}公里，上限{limit:g}公里",
    },
    "check.needs.shortage": {
        "en": "{school} has no shortage of {subject}",
        "zh": "{school}不缺{subject}教师",
    },
    "check.rotation.fixed": {
        "en": "a move pinned in the instance is missing",
        "zh": "实例中固定的交流未列入方案",
    },
    "check.rotation.max_outflow_share": {
        "en": "{n} staff away from {school}, limit {limit}",
        "zh": "{school}外出交流{n}人，上限{limit}人",
    },
    "check.rotation.host_capacity": {
        "en": "{n} staff coming in to {school}, capacity {cap}",
        "zh": "{school}接收交流{n}人，上限{cap}人",
    },
    "check.rotation.keep_subject_cover": {
        "en": "{school} is left without a {subject} teacher",
        "zh": "{school}没有留下{subject}教师",
    },
    "check.rotation.same_stage": {
        "en": "{from_school} and {to_school} share no stage",
        "zh": "{from_school}与{to_school}没有共同学段",
    },
    "check.rotation.bridge_stages": {
        "en": "only a teacher going out to teach may cross from junior to primary",
        "zh": "只有下乡任教的教师可以从初中到小学跨学段交流",
    },
    "check.rotation.protect_sender": {
        "en": "{school} sends {n} more {subject} teacher(s) than arrive, its surplus is {spare}",
        "zh": "{school}派出的{subject}教师比接收的多{n}人，而其富余仅{spare}人",
    },
    "check.rotation.surplus_first": {
        "en": "{school} sends non-surplus teachers while {n} of its surplus {subject} teachers "
        "who could go stay",
        "zh": "{school}派出了非富余学科教师，而可派出的富余{subject}教师仍有{n}人未派出",
    },
    "check.rotation.secondment_per_host": {
        "en": "{n} seconded cadres at {school}, at most {limit}",
        "zh": "{school}接收挂职干部{n}人，至多{limit}人",
    },
    "check.rotation.rate": {
        "en": "{school} moves {n} teachers, at least {required}",
        "zh": "{school}交流教师{n}人，至少应交流{required}人",
    },
    "check.rotation.backbone_share": {
        "en": "{backbone} backbone among {n} moved, at least {share:.0%}",
        "zh": "派出{n}人中骨干教师{backbone}人，比例应不低于{share:.0%}",
    },
    "check.rotation.two_way_share": {
        "en": "{ins} learning stints for {outs} moves out, at least {share:.0%}",
        "zh": "下乡交流{outs}人次，进城学习{ins}人次，比例应不低于{share:.0%}",
    },
    # ---- headship (校长轮岗) ------------------------------------------------------------------
    "check.rotation.principal_term_years.role": {
        "en": "{staff} is a {role:v.role}; only principals change headship",
        "zh": "{staff}是{role:v.role}，只有校长参加校长轮岗",
    },
    "check.rotation.principal_term_years": {
        "en": "{staff} has {years} years at school, due after {due}",
        "zh": "{staff}在校任职{years}年，满{due}年方可轮岗",
    },
    "check.rotation.one_head.keep": {
        "en": "{school} has {n} principal(s) in {period}, must keep its {have}",
        "zh": "{school}在{period}有{n}名校长，应保持{have}名",
    },
    "check.rotation.one_head.vacancy": {
        "en": "vacancy {school} receives {n} principals in {period}, at most 1",
        "zh": "校长空缺的{school}在{period}接收{n}名校长，至多1名",
    },
    "check.rotation.one_head.arriving": {
        "en": "{school} receives {n} principals in {period}, at most 1",
        "zh": "{school}在{period}接收{n}名校长，至多1名",
    },
    "check.rotation.headship_stage": {
        "en": "{school} ({stages:list:v.stage}) shares no stage with {home} "
        "({home_stages:list:v.stage})",
        "zh": "{school}（{stages:list:v.stage}）与{home}（{home_stages:list:v.stage}）没有共同学段",
    },
    "check.rotation.scope.headship": {
        "en": "{school} is outside {staff}'s scope for a headship",
        "zh": "{school}不在{staff}的校长轮岗范围内",
    },
    # ---- mentors (青蓝结对) -------------------------------------------------------------------
    "check.mentors.one_to_one.mentor": {
        "en": "{staff} mentors {n} teachers",
        "zh": "{staff}同时带{n}名徒弟",
    },
    "check.mentors.one_to_one.mentee": {
        "en": "{staff} has {n} mentors",
        "zh": "{staff}有{n}名师傅",
    },
    "check.mentors.one_to_one.unknown": {
        "en": "a mentor line names no known mentee",
        "zh": "师徒结对中的徒弟工号不存在",
    },
    "check.mentors.backbone": {
        "en": "{mentor} is not an active county-level-or-above backbone teacher",
        "zh": "{mentor}不是在岗的县级及以上骨干教师",
    },
    "check.mentors.same_subject": {
        "en": "{subject} mentor for a {mentee_subject} teacher",
        "zh": "{subject}师傅带{mentee_subject}徒弟",
    },
    "check.mentors.young": {
        "en": "{mentee} (age {age}, teaching years {years}, {status:v.staff_status}) is not a "
        "young active teacher",
        "zh": "{mentee}（年龄{age}，教龄{years}，{status:v.staff_status}）不是在岗青年教师",
    },
    "check.mentors.younger.age": {
        "en": "{mentee} is not younger than the mentor {mentor} (aged {age}, mentor {mentor_age})",
        "zh": "{mentee}不比师傅{mentor}年轻（{age}岁，师傅{mentor_age}岁）",
    },
    "check.mentors.younger.years": {
        "en": "{mentee} is not younger than the mentor {mentor} ({years} teaching years, mentor "
        "{mentor_years})",
        "zh": "{mentee}不比师傅{mentor}年轻（教龄{years}年，师傅教龄{mentor_years}年）",
    },
    "check.mentors.pair": {
        "en": "{school} takes no mentors from {mentor_school}",
        "zh": "{school}不能从{mentor_school}聘请师傅",
    },
    "check.mentors.at_home": {
        "en": "{mentor} mentors while away on another move",
        "zh": "{mentor}外出交流期间仍在带徒",
    },
    "check.rotation.mentor_cycle_years": {
        "en": "{mentor} already mentored {mentee} within the last {years} years",
        "zh": "{mentor}近{years}年内已带过{mentee}",
    },
    "check.mentors.maximal": {
        "en": "{mentor} and {mentee} could be paired but are not",
        "zh": "{mentor}与{mentee}可以结为师徒，但未结对",
    },
    # ---- new teachers (新教师分配) ------------------------------------------------------------
    "check.hires.count": {
        "en": "{placed} {subject} hires placed at schools only {stages:and:v.stage} hires fit, "
        "{hired} {stages:and:v.stage} {subject} teachers hired",
        "zh": "{placed}名{subject}新教师分到只适合{stages:and:v.stage}学段的学校，"
        "而{stages:and:v.stage}学段只招聘了{hired}名{subject}教师",
    },
    "check.hires.shortage.unknown": {
        "en": "not a school of the instance",
        "zh": "不是本实例的学校",
    },
    "check.hires.shortage.stage": {
        "en": "no {subject} hire is of a stage {school} teaches",
        "zh": "没有适合{school}学段的{subject}新教师",
    },
    "check.hires.shortage.over": {
        "en": "{n} {subject} hires placed, {lacking} still lacking after the roster",
        "zh": "分配{subject}新教师{n}名，交流后仅缺{lacking}名",
    },
    "check.hires.rural_weak_first": {
        "en": "{n} {subject} hire(s) at other schools ({taken:list}) while rural or weak schools "
        "of their stage ({short:list}) still lack {subject}",
        "zh": "{n}名{subject}新教师分到其他学校（{taken:list}），而同学段的乡村或薄弱学校"
        "（{short:list}）仍缺{subject}教师",
    },
    "check.hires.maximal": {
        "en": "{n} {subject} hire(s) left unplaced while schools of their stage ({short:list}) "
        "still lack {subject}",
        "zh": "{n}名{subject}新教师未分配，而同学段学校（{short:list}）仍缺{subject}教师",
    },
    # ---- itinerant circuits (走教) -------------------------------------------------------------
    "check.itinerant.eligible.moved": {
        "en": "{staff} is moved by the roster",
        "zh": "{staff}已列入交流名单，不能走教",
    },
    "check.itinerant.eligible.not_allowed": {
        "en": "{staff} may not teach on a circuit",
        "zh": "{staff}不能承担走教",
    },
    "check.itinerant.eligible.mismatch": {
        "en": "{staff} teaches {subject} from {school}; the circuit says else",
        "zh": "{staff}在{school}任教{subject}，与走教安排不符",
    },
    "check.itinerant.subject_stage.stage": {
        "en": "{staff} from {home} may not teach at {school} (stage)",
        "zh": "{home}的{staff}不能到{school}走教（学段不符）",
    },
    "check.itinerant.subject_stage.need": {
        "en": "{school} does not lack {subject} lessons",
        "zh": "{school}不缺{subject}课时",
    },
    "check.itinerant.max_weekly_lessons": {
        "en": "{staff} teaches {n} circuit lessons a week, can spare {spare}",
        "zh": "{staff}每周走教{n}节，可用课时仅{spare}节",
    },
    "check.itinerant.days.weekday": {
        "en": "{staff} circuits on {day:v.weekday}",
        "zh": "{staff}在{day:v.weekday}走教，不在规定的走教日",
    },
    "check.itinerant.days.order": {
        "en": "{staff}'s stops on {day:v.weekday} are misnumbered",
        "zh": "{staff}{day:v.weekday}的走教站点序号有误",
    },
    "check.itinerant.max_schools_per_day": {
        "en": "{staff} visits {n} on {day:v.weekday}",
        "zh": "{staff}{day:v.weekday}走教{n}所学校",
    },
    "check.itinerant.max_km_per_day": {
        "en": "{staff} travels {km:.1f} km on {day:v.weekday}",
        "zh": "{staff}{day:v.weekday}往返{km:.1f}公里",
    },
    "check.itinerant.max_minutes_per_day": {
        "en": "{staff} travels {minutes:.0f} minutes on {day:v.weekday}",
        "zh": "{staff}{day:v.weekday}路途用时{minutes:.0f}分钟",
    },
    "check.itinerant.min_lessons_per_visit": {
        "en": "{n} lesson(s) at {school} on {day:v.weekday}",
        "zh": "{day:v.weekday}在{school}仅{n}节课",
    },
    "check.itinerant.max_lessons_per_day": {
        "en": "{n} lessons on {day:v.weekday}",
        "zh": "{day:v.weekday}走教{n}节课",
    },
    "check.itinerant.need": {
        "en": "{n} {subject} lessons a week at {school}, it lacks {lacks}",
        "zh": "{school}每周{subject}走教{n}节，缺口仅{lacks}节",
    },
    "check.itinerant.max_teachers": {
        "en": "{n} teachers on circuits, at most {cap}",
        "zh": "走教教师{n}人，至多{cap}人",
    },
    "check.itinerant.eligible.willing": {
        "en": "{staff} names the schools they would go to, and {school} is not one of them",
        "zh": "{staff}填写了意向学校，{school}不在其中",
    },
    "check.itinerant.home_first.home": {
        "en": "{school} covers {n} lessons of {subject} with its own teachers (本校代课), "
        "where they can give {due}",
        "zh": "{school}本校{subject}教师代课{n}节，本可代课{due}节",
    },
    "check.itinerant.home_first.short": {
        "en": "{school} sends {n} circuit teacher(s) of {subject} while still {short} lessons "
        "a week short of it",
        "zh": "{school}仍缺{subject}每周{short}节，却派出{n}名该学科走教教师",
    },
    "check.itinerant.home_first.both": {
        "en": "{school} both sends and receives circuit teachers of {subject}",
        "zh": "{school}既派出又接收{subject}走教教师",
    },
    "check.itinerant.min_weekly_lessons": {
        "en": "{staff} teaches {n} circuit lessons a week, at least {low}",
        "zh": "{staff}每周走教{n}节，至少{low}节",
    },
    "check.itinerant.max_visitors_per_school": {
        "en": "{school} receives {n} circuit teachers a week, at most {cap}",
        "zh": "{school}每周接收走教教师{n}人，至多{cap}人",
    },
    "check.itinerant.max_visitors_per_subject": {
        "en": "{school} receives {n} circuit teachers of {subject} a week, at most {cap}",
        "zh": "{school}每周接收{subject}走教教师{n}人，至多{cap}人",
    },
    "check.itinerant.receivers": {
        "en": "{school} ({area:v.area}, {tier:v.tier}) is not a school itinerant.receivers names",
        "zh": "{school}（{area:v.area}，{tier:v.tier}）不在 itinerant.receivers 所列受援学校之内",
    },
    "check.itinerant.scope": {
        "en": "{staff} of {home} teaches at {school}, outside the home school's "
        "{scope:v.circuit_scope}",
        "zh": "{home}的{staff}到{school}走教，超出本校{scope:v.circuit_scope}范围",
    },
    "check.itinerant.max_age": {
        "en": "{staff}, aged {age}, is past the age for circuits",
        "zh": "{staff}年龄{age}岁，已超过走教年龄",
    },
    # ---- outreach (送教下乡, 跟岗) -------------------------------------------------------------
    "check.outreach.weeks.period": {
        "en": "{staff}: semester {period} is not in horizon.periods",
        "zh": "{staff}：学期{period}不在规划学期（horizon.periods）内",
    },
    "check.outreach.weeks.week": {
        "en": "{staff}: week(s) {weeks:list} are not outreach weeks",
        "zh": "{staff}：第{weeks:list}周不是送教周",
    },
    "check.outreach.visitors.visitor": {
        "en": "{staff} is not an active backbone teacher (county level or above) nor a studio "
        "member",
        "zh": "{staff}不是在岗的县级及以上骨干教师，也不是名师工作室成员",
    },
    "check.outreach.visitors.home": {
        "en": "{staff} works at {school}, not {from_school}",
        "zh": "{staff}在{school}任职，而非{from_school}",
    },
    "check.outreach.visitors.subject": {
        "en": "{staff} teaches {subject}, not {visit_subject}",
        "zh": "{staff}任教{subject}，而非{visit_subject}",
    },
    "check.outreach.visitors.host": {
        "en": "{staff}: {school} is neither weak nor rural",
        "zh": "{staff}：{school}既不是薄弱校，也不是乡村学校",
    },
    "check.outreach.visitors.own_school": {
        "en": "{staff} visits their own school",
        "zh": "{staff}到本校送教",
    },
    "check.outreach.visitors.stage": {
        "en": "{staff}: {from_school} and {school} share no stage",
        "zh": "{staff}：{from_school}与{school}没有共同学段",
    },
    "check.outreach.visitors.away": {
        "en": "{staff} is away on a roster move in {period}",
        "zh": "{staff}在{period}外出交流",
    },
    "check.outreach.visitors.days": {
        "en": "{staff}: visit of {days} days, not {want}",
        "zh": "{staff}：送教{days}天，应为{want}天",
    },
    "check.outreach.visits_per_school": {
        "en": "{school} receives {n} model-lesson visit(s) in {period}, not {need}",
        "zh": "{school}在{period}接受送教{n}次，应为{need}次",
    },
    "check.outreach.visits_per_school.spare": {
        "en": "{school} receives {n} visit(s) in {period}, not {need}, though {staff} could still "
        "visit it",
        "zh": "{school}在{period}接受送教{n}次，应为{need}次，而{staff}仍可前往送教",
    },
    "check.outreach.max_visits_per_teacher": {
        "en": "{staff} makes {n} visits in {period}, at most {cap}",
        "zh": "{staff}在{period}送教{n}次，至多{cap}次",
    },
    "check.outreach.max_visits_per_teacher.week": {
        "en": "{staff} is on {n} outreach lines in week {week} of {period}",
        "zh": "{staff}在{period}第{week}周有{n}项送教或跟岗安排",
    },
    "check.outreach.max_away_per_school_per_week": {
        "en": "{school} has {n} teachers away in week {week} of {period}, at most {cap}",
        "zh": "{school}在{period}第{week}周外出{n}人，至多{cap}人",
    },
    "check.outreach.min_weeks_apart": {
        "en": "{school} receives visits in weeks {first} and {second} of {period}, fewer than "
        "{gap} weeks apart",
        "zh": "{school}在{period}第{first}周和第{second}周接受送教，间隔不足{gap}周",
    },
    "check.outreach.max_visits_per_week": {
        "en": "week {week} of {period} holds {n} model-lesson visits, at most {cap}",
        "zh": "{period}第{week}周全县送教{n}次，至多{cap}次",
    },
    "check.outreach.short_exchanges.staff": {
        "en": "{staff} is not active staff of {school}",
        "zh": "{staff}不是{school}的在岗教职工",
    },
    "check.outreach.short_exchanges.helper": {
        "en": "{staff}: {school} is not the helper school of {from_school}",
        "zh": "{staff}：{school}不是{from_school}的帮扶校",
    },
    "check.outreach.short_exchanges.subject": {
        "en": "{staff} teaches {subject}, not {visit_subject}",
        "zh": "{staff}任教{subject}，而非{visit_subject}",
    },
    "check.outreach.short_exchanges.away": {
        "en": "{staff} is away on a roster move in {period}",
        "zh": "{staff}在{period}外出交流",
    },
    "check.outreach.short_exchanges.missing": {
        "en": "{school} sends no teacher to shadow at {helper} in {period}",
        "zh": "{school}在{period}未派教师到{helper}跟岗",
    },
    "check.outreach.short_exchange_weeks": {
        "en": "{staff}: a 跟岗 stint of {days} days, not {want}",
        "zh": "{staff}：跟岗{days}天，应为{want}天",
    },
    # ---- the balance rule (均衡) ----------------------------------------------------------------
    "check.balance.thresholds": {
        "en": "coefficient of variation {cv:.4f} above {threshold:.2f} ({indicator:v.indicator}, "
        "{stage:v.stage} schools)",
        "zh": "{stage:v.stage}每百名学生{indicator:v.indicator}数的差异系数为{cv:.4f}，"
        "超过标准{threshold:.2f}",
    },
    "check.balance.no_worse": {
        "en": "coefficient {cv:.4f} above its {before:.4f} before the plan "
        "({indicator:v.indicator}, {stage:v.stage} schools)",
        "zh": "{stage:v.stage}{indicator:v.indicator}差异系数为{cv:.4f}，高于交流前的{before:.4f}",
    },
    "check.balance.school_test": {
        "en": "passes the per-school test before the plan, fails it in this period: "
        "{misses:list:v.indicator} below the standard ({stage:v.stage})",
        "zh": "方案前校际达标，方案后不达标：{misses:list:v.indicator}低于标准（{stage:v.stage}）",
    },
    "check.balance.minimums": {
        "en": "{n:g} counted ({indicator:v.indicator}), the plan must keep {least}",
        "zh": "{indicator:v.indicator}计{n:g}人，方案须保持至少{least}人",
    },
}
