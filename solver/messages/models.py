"""What the models say: how each part was solved (``method.*``), what a part misses
(``pairs.*``, ``alliances.*``, ``roster.*``, ``outreach.*``), a pair's ``why``, an
unpaired school's ``detail`` and a hire's ``reason``.

A method that wraps another names it ``{inner:msg}``; a message of several clauses is
``models.clauses`` (its ``items`` joined as the language joins clauses). Policy keys stay
as they are in both languages: the planner looks them up in ``policy.toml``.
"""

from __future__ import annotations

ENTRIES: dict[str, dict[str, str]] = {
    # ---- shared --------------------------------------------------------------------------
    "models.clauses": {"en": "{items:semi}", "zh": "{items:semi}"},
    # ---- methods: the engines ------------------------------------------------------------
    "method.cpsat": {"en": "CP-SAT", "zh": "CP-SAT"},
    "method.cpsat_search": {
        "en": "CP-SAT ({workers} worker(s), linearization {linearization})",
        "zh": "CP-SAT（{workers}个线程，线性化级别{linearization}）",
    },
    "method.pulp": {"en": "PuLP {solver}", "zh": "PuLP {solver}"},
    "method.pulp_two_stage": {"en": "PuLP {solver} two-stage", "zh": "PuLP {solver} 两阶段求解"},
    "method.closest": {"en": "{inner:msg}, closest", "zh": "{inner:msg}，最接近的方案"},
    "method.warm_started": {
        "en": "{inner:msg}, warm-started by {start:msg}",
        "zh": "{inner:msg}，以{start:msg}的结果为初始解",
    },
    "method.interrupted": {"en": "interrupted", "zh": "已中断"},
    "method.interrupted_building": {
        "en": "interrupted while the model was built",
        "zh": "建立模型时被中断",
    },
    # pairs
    "method.pairs.pinned_check": {"en": "pinned-pair check", "zh": "固定结对检查"},
    "method.pairs.flow": {"en": "min-cost flow (exact)", "zh": "最小费用流（精确求解）"},
    "method.pairs.flow_not_binding": {
        "en": "min-cost flow (exact; side constraint not binding)",
        "zh": "最小费用流（精确求解；附加约束未起作用）",
    },
    "method.pairs.cpsat": {
        "en": "CP-SAT two-stage ({workers} worker(s), linearization {linearization})",
        "zh": "CP-SAT 两阶段求解（{workers}个线程，线性化级别{linearization}）",
    },
    # alliances
    "method.alliances.counts": {"en": "counts", "zh": "按学校数推算"},
    "method.alliances.cpsat_no_lead": {
        "en": "CP-SAT (school with no lead)",
        "zh": "CP-SAT（有学校没有可加入的牵头校）",
    },
    "method.alliances.lagrangian": {
        "en": "Lagrangian bound ({iterations} it.) and min-cost flow plans ({flows})",
        "zh": "拉格朗日下界（迭代{iterations}次）与最小费用流方案（{flows}个）",
    },
    "method.p_median": {"en": "p-median ({inner:msg})", "zh": "p-中位模型（{inner:msg}）"},
    "method.pmedian.steps": {"en": "{steps:semi}", "zh": "{steps:semi}"},
    "method.pmedian.local_search": {"en": "local search", "zh": "局部搜索"},
    "method.pmedian.lagrangian_proof": {
        "en": "Lagrangian bound ({iterations} subgradient iterations)",
        "zh": "拉格朗日下界（次梯度迭代{iterations}次）",
    },
    "method.pmedian.lagrangian_fixing": {
        "en": "Lagrangian bound ({iterations} it.) and reduced-cost fixing",
        "zh": "拉格朗日下界（迭代{iterations}次）与约化费用固定",
    },
    "method.pmedian.branch_and_bound": {
        "en": "Lagrangian branch and bound ({nodes} nodes)",
        "zh": "拉格朗日分支定界（{nodes}个节点）",
    },
    "method.pmedian.reduced_empty": {"en": "reduced model empty", "zh": "约简后的模型为空"},
    "method.pmedian.time_before_mip": {
        "en": "time limit reached before the MIP",
        "zh": "求解整数规划之前已到时限",
    },
    "method.pmedian.radius_mip": {
        "en": "HiGHS radius MIP ({columns} columns, {rows} rows, B&B nodes: {nodes})",
        "zh": "HiGHS 半径整数规划（{columns}列，{rows}行，分支定界节点{nodes}个）",
    },
    "method.pmedian.mip_underpriced": {
        "en": "MIP underpriced its solution, its bound ignored",
        "zh": "整数规划低估了其解的成本，其下界不予采用",
    },
    "method.pmedian.trivial_empty": {
        "en": "trivial (p = 0, no clients)",
        "zh": "无需求解（p = 0，没有待分配的学校）",
    },
    "method.pmedian.trivial_one": {
        "en": "trivial (only one choice)",
        "zh": "无需求解（只有一种选法）",
    },
    "method.pmedian.infeasible": {"en": "infeasible: {why:msg}", "zh": "不可行：{why:msg}"},
    "method.pmedian.too_many_fixed": {
        "en": "{fixed} fixed leads but p = {p}",
        "zh": "固定牵头校{fixed}所，但 p = {p}",
    },
    "method.pmedian.p_zero": {
        "en": "p = 0 leaves the clients unserved",
        "zh": "p = 0，学校无牵头校可归属",
    },
    "method.pmedian.fixed_not_allowed": {
        "en": "a fixed lead is not an allowed lead",
        "zh": "有固定牵头校不在允许牵头的学校之列",
    },
    "method.pmedian.p_exceeds": {
        "en": "p = {p} exceeds the {usable} usable leads",
        "zh": "p = {p}，超过可牵头的学校数{usable}",
    },
    "method.pmedian.unreachable_client": {
        "en": "a client has no allowed lead at finite distance",
        "zh": "有学校在可达范围内没有允许的牵头校",
    },
    "method.pmedian.only_choice_unserved": {
        "en": "the only possible choice of leads leaves a client unserved",
        "zh": "唯一可能的牵头校选法使有学校无牵头校可归属",
    },
    "method.pmedian.no_choice": {
        "en": "no choice of leads serves every client",
        "zh": "任何牵头校选法都无法使每所学校都有牵头校",
    },
    # roster
    "method.roster.groups": {
        "en": "{groups} component(s), {engine:msg}",
        "zh": "分{groups}组求解，{engine:msg}",
    },
    "method.roster.groups_slack": {
        "en": "{groups} component(s), {engine:msg}, county rules slack",
        "zh": "分{groups}组求解，{engine:msg}，全县规则未起约束作用",
    },
    "method.roster.groups_priced": {
        "en": "{groups} component(s), {engine:msg}, county rules priced ({lam}, {mu})",
        "zh": "分{groups}组求解，{engine:msg}，全县规则计价（{lam}，{mu}）",
    },
    "method.roster.whole_proving": {
        "en": "whole model (proving the groups' plan), {inner:msg}",
        "zh": "整体模型（证明分组方案最优），{inner:msg}",
    },
    "method.roster.whole": {"en": "whole model, {inner:msg}", "zh": "整体模型，{inner:msg}"},
    "method.roster.with_secondments": {
        "en": "exchanges and secondments together, {inner:msg}",
        "zh": "交流与挂职合并求解，{inner:msg}",
    },
    "method.roster.secondments_completed": {
        "en": "{inner:msg}; then {n} secondments where they still fit, cheapest first, so "
        "that no candidate the hosts allow stays at home",
        "zh": "{inner:msg}；其后按成本从低到高补排{n}人挂职，使派驻学校仍可接收的挂职候选人均已派出",
    },
    "method.roster.rebaselined": {
        "en": "{inner:msg}; re-planned on a baseline (its kept moves priced in the search, "
        "so the bound is looser)",
        "zh": "{inner:msg}；在基准方案上重新规划（保留的交流在求解中计价，下界因此较宽松）",
    },
    # itinerant
    "method.itinerant": {
        "en": "本校代课 first, then HiGHS branch and bound to {gap:.1%} per group of schools "
        "no circuit joins ({models} model(s), every subject together, 1 thread); day routes "
        "counted per teacher; schools: {nearest} nearest and the flow's",
        "zh": "先本校代课，再按互不相连的学校组用 HiGHS 分支定界至差距{gap:.1%}（{models}个模型，"
        "各学科合并，单线程）；逐个教师计算每日路线；候选学校：最近的{nearest}所及流模型选出的学校",
    },
    # outreach
    "method.outreach.exact": {
        "en": "min-cost flow per semester ({arcs} visit arcs)",
        "zh": "按学期求最小费用流（送教弧{arcs}条）",
    },
    "method.outreach.exact_priced": {
        "en": "min-cost flow per semester ({arcs} visit arcs, {rounds} pricing round(s))",
        "zh": "按学期求最小费用流（送教弧{arcs}条，定价{rounds}轮）",
    },
    "method.outreach.bounded": {
        "en": "min-cost flow per semester ({arcs} visit arcs; bound: each school's "
        "{candidates} cheapest arcs)",
        "zh": "按学期求最小费用流（送教弧{arcs}条；下界：每校成本最低的{candidates}条弧）",
    },
    "method.outreach.bounded_priced": {
        "en": "min-cost flow per semester ({arcs} visit arcs, {rounds} pricing round(s); "
        "bound: each school's {candidates} cheapest arcs)",
        "zh": "按学期求最小费用流（送教弧{arcs}条，定价{rounds}轮；"
        "下界：每校成本最低的{candidates}条弧）",
    },
    # ---- pairs -----------------------------------------------------------------------------
    "pairs.no_plan": {"en": "no plan found for the pairs", "zh": "未找到结对方案"},
    "pairs.max_helped_pinned": {
        "en": "twinning.max_helped: {n} pairs are pinned to helper {helper}, its capacity "
        "is {capacity}; unpin {over} or raise its helper_capacity",
        "zh": "帮扶校帮扶数上限（twinning.max_helped）：帮扶校{helper}有{n}个固定结对，"
        "其可帮扶校数为{capacity}；请取消{over}个固定结对或提高其可帮扶校数",
    },
    "pairs.students_ratio_pinned": {
        "en": "twinning.max_helped_students_ratio: schools pinned to {helper} have "
        "{students} students, its limit is {limit}",
        "zh": "受援学生数比例（twinning.max_helped_students_ratio）：固定给{helper}的受援校"
        "共有学生{students}人，上限为{limit}人",
    },
    "pairs.helped_once_pinned": {
        "en": "twinning.helped_once: {school} is pinned to {n} helpers; keep one",
        "zh": "每校至多一所帮扶校（twinning.helped_once）：{school}固定给了{n}所帮扶校；"
        "请只保留一所",
    },
    # a pair's why: the needs it answers (each a pairs.why.need.* message)
    "pairs.why": {"en": "{needs:semi}", "zh": "{needs:semi}"},
    "pairs.why.pinned": {
        "en": "pinned in the instance; {needs:semi}",
        "zh": "固定结对；{needs:semi}",
    },
    "pairs.why.nearest": {
        "en": "shared stage, nearest available helper",
        "zh": "同学段中距离最近的可帮扶学校",
    },
    "pairs.why.nearest_pinned": {
        "en": "pinned in the instance; shared stage, nearest available helper",
        "zh": "固定结对；同学段中距离最近的可帮扶学校",
    },
    "pairs.why.need.backbone": {
        "en": "{subject}: short {short}, helper has {backbone} backbone",
        "zh": "{subject}：缺{short}人，帮扶校有{backbone}名骨干",
    },
    "pairs.why.need.surplus": {
        "en": "{subject}: short {short}, helper has {surplus} surplus",
        "zh": "{subject}：缺{short}人，帮扶校有{surplus}名富余教师",
    },
    "pairs.why.need.both": {
        "en": "{subject}: short {short}, helper has {backbone} backbone, {surplus} surplus",
        "zh": "{subject}：缺{short}人，帮扶校有{backbone}名骨干、{surplus}名富余教师",
    },
    # an unpaired school's detail
    "pairs.unpaired.no_helper_for_stage": {
        "en": "no helper school shares its stage",
        "zh": "没有同学段的帮扶学校",
    },
    "pairs.unpaired.too_far": {
        "en": "nearest helper of its stage is {km:.1f} km, over {limit:g} km",
        "zh": "最近的同学段帮扶学校相距{km:.1f}公里，超过{limit:g}公里",
    },
    "pairs.unpaired.no_distance": {
        "en": "no helper of its stage has a known distance to it",
        "zh": "没有与其距离已知的同学段帮扶学校",
    },
    "pairs.unpaired.repeat_only": {
        "en": "its only compatible helpers paired it last cycle or are ruled out",
        "zh": "可结对的帮扶学校均为上一轮的结对学校或已被否决",
    },
    "pairs.unpaired.side_constraint": {
        "en": "a compatible helper has places left but twinning.max_helped_students_ratio "
        "rules it out",
        "zh": "可结对的帮扶学校尚有名额，但受援学生数比例"
        "（twinning.max_helped_students_ratio）不允许",
    },
    "pairs.unpaired.capacity_used": {
        "en": "all {n} compatible helper(s) are full",
        "zh": "{n}所可结对的帮扶学校名额均已满",
    },
    # ---- alliances -------------------------------------------------------------------------
    "alliances.no_grouping": {
        "en": "no grouping keeps every alliance rule: {reasons:semi}",
        "zh": "没有任何分组能满足全部联盟规则：{reasons:semi}",
    },
    "alliances.no_grouping_proven": {
        "en": "no grouping keeps every alliance rule (proven by the model; no single region "
        "or stage explains it: check the sizes, mix_area and the leads)",
        "zh": "没有任何分组能满足全部联盟规则（已由模型证明；无法归结到某个片区或学段：请检查"
        "联盟规模、城乡混合编组（alliances.mix_area）和牵头校）",
    },
    "alliances.time_limit": {
        "en": "no plan found within the time limit; it is not proven that none exists "
        "(raise --time-limit)",
        "zh": "在时限内未找到方案，但并未证明方案不存在（可加大 --time-limit）",
    },
    # where a count group lies
    "alliances.where.county": {"en": "the county", "zh": "全县"},
    "alliances.where.region": {"en": "region {region}", "zh": "{region}片区"},
    "alliances.where.stage": {"en": "{stage:v.stage}", "zh": "{stage:v.stage}"},
    "alliances.where.region_stage": {
        "en": "region {region} {stage:v.stage}",
        "zh": "{region}片区{stage:v.stage}",
    },
    # schools of a pool, by area and tier
    "alliances.kinds.item": {
        "en": "{n} {area:v.area} {tier:v.tier}",
        "zh": "{area:v.area}{tier:v.tier}校{n}所",
    },
    "alliances.kinds.none": {"en": "none", "zh": "无"},
    "alliances.ids": {"en": "{ids:list}", "zh": "{ids:list}"},
    "alliances.ids_more": {"en": "{ids:list} ...", "zh": "{ids:list}等"},
    # what to change when too few schools may lead
    "alliances.hint.allow_ordinary": {
        "en": 'allow ordinary schools to lead (alliances.lead_tiers = ["strong", "ordinary"])',
        "zh": '允许一般校牵头（alliances.lead_tiers = ["strong", "ordinary"]）',
    },
    "alliances.hint.name_lead": {
        "en": "name a lead in alliances.leads, or count alliances per region "
        "(alliances.groups_per_region) so that a region without a school of the first tier "
        "takes its best one of the next",
        "zh": "在 alliances.leads 中指定牵头校，或按片区确定联盟数"
        "（alliances.groups_per_region），使没有首选等级学校的片区由次一等级中最好的学校牵头",
    },
    "alliances.hint.or_merge": {
        "en": "{hint:msg} or merge it with a neighbouring region",
        "zh": "{hint:msg}，或与相邻片区合并",
    },
    # why no grouping can keep the rules (rules/alliances.py: explain_infeasible)
    "alliances.few_leads": {
        "en": "{where:msg}: {asked} alliance(s) asked, {leads} school(s) can lead "
        "(tier {tiers:list:v.tier}); its {pool} schools are {kinds:list}; {hint:msg}",
        "zh": "{where:msg}：需组建{asked}个联盟，可牵头的学校{leads}所"
        "（办学水平：{tiers:list:v.tier}）；该范围{pool}所学校为{kinds:list}；{hint:msg}",
    },
    "alliances.few_leads.mixed": {
        "en": "{where:msg}: {asked} alliance(s) asked, {leads} school(s) can lead "
        "(tier {tiers:list:v.tier}, urban or town); its {pool} schools are {kinds:list}; "
        "{hint:msg}",
        "zh": "{where:msg}：需组建{asked}个联盟，可牵头的学校{leads}所"
        "（办学水平：{tiers:list:v.tier}，城区或镇区）；该范围{pool}所学校为{kinds:list}；"
        "{hint:msg}",
    },
    "alliances.too_few_schools": {
        "en": "{where:msg}: {pool} schools for {asked} alliance(s) of at least {min_size} "
        "(alliances.min_size); lower it or ask for fewer alliances",
        "zh": "{where:msg}：仅{pool}所学校，不足以组成{asked}个联盟（每个至少{min_size}所，"
        "alliances.min_size）；请调低该值或减少联盟数",
    },
    "alliances.too_many_schools": {
        "en": "{where:msg}: {schools} schools for {asked} alliance(s) of at most {max_size} "
        "(alliances.max_size); raise it or ask for more alliances",
        "zh": "{where:msg}：{schools}所学校，超过{asked}个联盟（每个至多{max_size}所，"
        "alliances.max_size）所能容纳的数量；请调高该值或增加联盟数",
    },
    "alliances.few_rural": {
        "en": "{where:msg}: {asked} alliance(s) each need a rural member (alliances.mix_area) "
        "but there are {rural} rural schools",
        "zh": "{where:msg}：{asked}个联盟各需一所乡村学校（alliances.mix_area），"
        "但乡村学校只有{rural}所",
    },
    "alliances.no_lead_of_stage": {
        "en": "{stages:and:v.stage}: {n} school(s) ({ids:msg}) have no possible lead of their "
        "stage; {hint:msg}",
        "zh": "{stages:and:v.stage}：{n}所学校（{ids:msg}）没有可牵头的同学段学校；{hint:msg}",
    },
    "alliances.no_lead_of_stage.region": {
        "en": "region {region} {stages:and:v.stage}: {n} school(s) ({ids:msg}) have no "
        "possible lead of their stage in their region; {hint:msg}",
        "zh": "{region}片区{stages:and:v.stage}：{n}所学校（{ids:msg}）在本片区没有可牵头的"
        "同学段学校；{hint:msg}",
    },
    "alliances.stage_leads": {
        "en": "stage {stage:v.stage}: {count} school(s) join only a lead covering "
        "{stage:v.stage}, and {covering} school(s) can lead one (at most {max_size} an "
        "alliance); {hint:msg} or raise max_size",
        "zh": "{stage:v.stage}学段：{count}所学校只能加入含{stage:v.stage}学段的牵头校，"
        "而可牵头的学校只有{covering}所（每个联盟至多{max_size}所学校）；{hint:msg}，"
        "或调高 alliances.max_size",
    },
    "alliances.stage_need": {
        "en": "{n} {stage:v.stage} school(s) need {k}",
        "zh": "{stage:v.stage}{n}所需{k}个联盟",
    },
    "alliances.stages_need": {
        "en": "stages: {needs:list} (at most {max_size} an alliance): at least {least} "
        "alliances, alliances.groups is {asked}; ask for more, raise max_size or size_band, "
        "or draw alliances per stage (alliances.by_stage with groups per stage)",
        "zh": "各学段：{needs:list}（每个联盟至多{max_size}所学校）：至少需{least}个联盟，"
        "而 alliances.groups 为{asked}；请增加联盟数、调高 alliances.max_size 或 "
        "alliances.size_band，或分学段组建联盟（alliances.by_stage，并按学段给出联盟数）",
    },
    "alliances.region_no_lead": {
        "en": "{where:msg}: no school can lead ({pool} schools: {kinds:list}); allow ordinary "
        'schools to lead (alliances.lead_tiers = ["strong", "ordinary"]) or merge it with a '
        "neighbouring region",
        "zh": "{where:msg}：没有学校可以牵头（{pool}所学校：{kinds:list}）；请允许一般校牵头"
        '（alliances.lead_tiers = ["strong", "ordinary"]），或与相邻片区合并',
    },
    "alliances.region_too_small": {
        "en": "{where:msg}: {pool} schools, fewer than one alliance's smallest size {least} "
        "(alliances.min_size); merge it with a neighbouring region or lower the size",
        "zh": "{where:msg}：{pool}所学校，少于一个联盟的最小规模{least}所"
        "（alliances.min_size）；请与相邻片区合并或调低该规模",
    },
    "alliances.region_no_fit": {
        "en": "{where:msg}: {pool} schools need {need} alliance(s) of at most {most} but only "
        "{fit} fit (sizes {least}-{most}, {leads} possible lead(s))",
        "zh": "{where:msg}：{pool}所学校需{need}个至多{most}所学校的联盟，但只能组成{fit}个"
        "（规模{least}至{most}所，可牵头的学校{leads}所）",
    },
    "alliances.regions_need": {
        "en": "the regions need at least {need} alliances at sizes up to {most}, "
        "alliances.groups is {asked}",
        "zh": "按每个联盟至多{most}所学校，各片区至少需{need}个联盟，而 alliances.groups 为{asked}",
    },
    # the policy cannot be read as a design (AllianceSetupError)
    "alliances.setup.no_count": {
        "en": "alliances: set alliances.groups (how many alliances), "
        "alliances.groups_per_region or alliances.leads in the policy",
        "zh": "联盟：请在政策中设置 alliances.groups（联盟个数）、"
        "alliances.groups_per_region 或 alliances.leads",
    },
    "alliances.setup.no_school_of_stage": {
        "en": "alliances.groups asks for {k} {stage:v.stage} alliances but no school covers "
        "{stage:v.stage}",
        "zh": "alliances.groups 要求组建{k}个{stage:v.stage}联盟，"
        "但没有学校设有{stage:v.stage}学段",
    },
    "alliances.setup.too_many_fixed": {
        "en": "alliances.groups is {p} but {n} leads are fixed (alliances.leads and pinned "
        "memberships): {leads:list}",
        "zh": "alliances.groups 为{p}，但已固定{n}所牵头校（alliances.leads 及固定成员）："
        "{leads:list}",
    },
    "alliances.setup.too_many_groups": {
        "en": "alliances.groups is {p}, more than the {n} schools",
        "zh": "alliances.groups 为{p}，超过学校总数{n}所",
    },
    # ---- roster ----------------------------------------------------------------------------
    "roster.interrupted": {
        "en": "interrupted before any roster was found",
        "zh": "尚未找到交流方案即被中断",
    },
    "roster.no_roster": {
        "en": "no roster found within the time limit",
        "zh": "在时限内未找到交流方案",
    },
    "roster.county_rules_time": {
        "en": "no roster keeping every county-wide rule was found within the time limit; "
        "the plan written comes closest",
        "zh": "在时限内未找到满足全部全县规则的交流方案；所写方案最接近",
    },
    "roster.one_head_pinned": {
        "en": "rotation.one_head: the pinned changes of headship leave a school with no "
        "principal or two",
        "zh": "每校一名校长（rotation.one_head）：固定的校长轮岗使有学校没有校长或有两名校长",
    },
    "roster.secondments_no_candidate": {
        "en": "rotation.secondment_count: {k} secondments asked, no candidate can go to a "
        "partner or lead school of their stage",
        "zh": "挂职人选与人数（rotation.secondment_count）：要求挂职{k}人，但没有候选人"
        "可去同学段的结对校或牵头校",
    },
    "roster.secondments_few": {
        "en": "rotation.secondment_count: {k} secondments asked, only {candidates} "
        "candidates can go to a partner or lead school of their stage",
        "zh": "挂职人选与人数（rotation.secondment_count）：要求挂职{k}人，但只有{candidates}"
        "名候选人可去同学段的结对校或牵头校",
    },
    "roster.secondments_no_fit": {
        "en": "rotation.secondment_count: {k} secondments do not fit in the host capacity "
        "and outflow the exchanges need",
        "zh": "挂职人选与人数（rotation.secondment_count）：在交流所需的接收名额和派出人数"
        "之外，容纳不下{k}名挂职人员",
    },
    "roster.quota_missed": {
        "en": "rotation.rate is missed at {n} school(s): {schools:semi}. The plan written "
        "comes closest (twinning explain finds the rules in conflict and the smallest "
        "repairs; rotation.cap_quota holds each school at what it can send)",
        "zh": "交流比例（rotation.rate）有{n}所学校未达到：{schools:semi}。所写方案最接近"
        "（twinning explain 可找出相互冲突的规则和最小的调整；rotation.cap_quota "
        "允许各校按可派出的人数交流）",
    },
    "roster.quota_school": {
        "en": "{school} moves {moved} of {quota}",
        "zh": "{school}交流{moved}人，名额{quota}人",
    },
    "roster.quota_school_reach": {
        "en": "{school} moves {moved} of {quota} (at most {reach} could go)",
        "zh": "{school}交流{moved}人，名额{quota}人（至多{reach}人可交流）",
    },
    "roster.coupling": {
        "en": "the county-wide rules cannot be kept together: {parts:semi}. Lower a share, "
        "raise host capacity, or widen rotation.scope",
        "zh": "全县规则无法同时满足：{parts:semi}。请降低比例要求、提高接收人数上限或扩大"
        "交流范围（rotation.scope）",
    },
    "roster.coupling.quotas": {
        "en": "the quotas need at least {need} teachers moved out",
        "zh": "按交流名额至少需派出{need}名教师",
    },
    "roster.coupling.backbone": {
        "en": "{n} backbone teachers could move out (rotation.backbone_share {share:.0%})",
        "zh": "可派出的骨干教师有{n}名（rotation.backbone_share {share:.0%}）",
    },
    "roster.coupling.two_way": {
        "en": "{n} teachers could go to learn (rotation.two_way_share {share:.0%})",
        "zh": "可进城学习的教师有{n}名（rotation.two_way_share {share:.0%}）",
    },
    # balance.target = "rule": the thresholds missed
    "roster.balance.proven": {
        "en": "balance.thresholds: no roster within the rotation rules can meet them (proven "
        "bound on the coefficient: {bounds:semi}); the plan misses {misses:list}",
        "zh": "均衡差异系数（balance.thresholds）：在交流规则之内，任何交流方案都达不到标准"
        "（差异系数的已证下界：{bounds:semi}）；所写方案未达标之处：{misses:list}",
    },
    "roster.balance.not_found": {
        "en": "balance.thresholds: no roster within the thresholds was found; the plan that "
        "comes closest misses {misses:list} (the bounds do not rule one out: {bounds:semi})",
        "zh": "均衡差异系数（balance.thresholds）：未找到达到标准的交流方案；最接近的方案"
        "未达标之处：{misses:list}（已证下界不排除存在达标的方案：{bounds:semi}）",
    },
    "roster.balance.bound_over": {
        "en": "{indicator:v.indicator} {stage:v.stage} >= {bound:.4f} > {threshold:.2f}",
        "zh": "{stage:v.stage}{indicator:v.indicator} ≥ {bound:.4f} > {threshold:.2f}",
    },
    "roster.balance.bound": {
        "en": "{indicator:v.indicator} {stage:v.stage} >= {bound:.4f}",
        "zh": "{stage:v.stage}{indicator:v.indicator} ≥ {bound:.4f}",
    },
    "roster.balance.miss": {
        "en": "{indicator:v.indicator} {stage:v.stage} {period} by {by:.4f}",
        "zh": "{period}学期{stage:v.stage}{indicator:v.indicator}差异系数超出标准{by:.4f}",
    },
    "roster.balance.worse": {
        "en": "balance.no_worse: no roster found that keeps every coefficient at or below "
        "its value before the plan; the plan that comes closest raises {misses:list}",
        "zh": "均衡不降（balance.no_worse）：未找到使各差异系数不高于交流前的交流方案；最接近的"
        "方案升高了：{misses:list}",
    },
    "itinerant.no_worse_dropped": {
        "en": "balance.no_worse: {n} 走教 teacher(s) kept at home (their visits would raise "
        "a staffing coefficient above its value before the plan); their 本校代课 stays",
        "zh": "均衡不降（balance.no_worse）：{n}名走教教师留在本校（其走教会使差异系数高于"
        "交流前），本校代课不变",
    },
    "itinerant.no_worse_left": {
        "en": "balance.no_worse: the circuits still raise {misses:list}, and keeping no one "
        "teacher at home mends it",
        "zh": "均衡不降（balance.no_worse）：走教仍使以下差异系数升高：{misses:list}，且无法通过"
        "取消某位教师的走教补救",
    },
    "roster.balance.worse_miss": {
        "en": "{indicator:v.indicator} {stage:v.stage} {period} by {by:.4f}",
        "zh": "{period}学期{stage:v.stage}{indicator:v.indicator}差异系数升高{by:.4f}",
    },
    # rules/balance.py: an indicator not computable
    "balance.missing.facility": {
        "en": "{indicator:v.indicator}: given for {given} of {schools} schools (schools.csv "
        "column {indicator})",
        "zh": "{indicator:v.indicator}：{schools}所学校中仅{given}所提供（schools.csv 列 "
        "{indicator}）",
    },
    "balance.missing.education": {
        "en": "{indicator:v.indicator}: no staff education (学历) given",
        "zh": "{indicator:v.indicator}：未提供教职工学历",
    },
    # ---- outreach --------------------------------------------------------------------------
    "outreach.visits_missed": {
        "en": "outreach.visits_per_school missed at {schools:list}",
        "zh": "每校送教次数（outreach.visits_per_school）未达到：{schools:list}",
    },
    "outreach.school_short": {
        "en": "{school} ({periods:list})",
        "zh": "{school}（{periods:list}）",
    },
    "outreach.period_short": {"en": "{period}: {n} short", "zh": "{period}学期缺{n}次"},
    "outreach.short_exchanges_missed": {
        "en": "outreach.short_exchanges missed {n:g} time(s)",
        "zh": "乡村学校跟岗（outreach.short_exchanges）缺{n:g}人次",
    },
    "outreach.dropped": {
        "en": "{n} visit(s) found no week with room",
        "zh": "{n}次送教找不到有空额的周次",
    },
    # ---- hires -----------------------------------------------------------------------------
    "hires.reason": {
        "en": "{kind:msg} short {n} {subject} after the roster (priority {priority})",
        "zh": "{kind:msg}交流后仍缺{n}名{subject}教师（优先级{priority}）",
    },
    "hires.kind.rural_weak": {"en": "rural weak school", "zh": "乡村薄弱校"},
    "hires.kind.rural": {"en": "rural school", "zh": "乡村学校"},
    "hires.kind.weak": {"en": "weak school", "zh": "薄弱校"},
    "hires.kind.urban_town": {"en": "urban or town school", "zh": "城镇学校"},
}
