"""What the HTML report and the Excel workbook say around the plan's tables.

``report.*``: the page's own words (its sections, controls, the school panel, the verdict
and the notes beside a school); ``workbook.*``: the summary sheet's headings and the keys
inside a figure that is a mapping; ``kpi.<part>.<figure>``: a figure's label where it is the
part's own (two parts count different things under one name, as ``teachers_used`` of the
itinerant part and of outreach) or where the report shows it as a headline figure;
``header.<table>.<column>``: a column's header where the table gives the column a meaning
of its own (``name`` is a school's name in ``unpaired``, a person's in ``roster``), and the
headers of the school-name columns set beside school codes.

English keeps the report's wording of earlier versions (users and tests rely on it); the
workbook's English labels stay the figures' keys, as in ``summary.json``.
"""

from __future__ import annotations

ENTRIES: dict[str, dict[str, str]] = {
    # ---- the page: title, navigation, header facts ------------------------------------
    "report.title": {
        "en": "Twinning, alliances and exchange plan",
        "zh": "结对帮扶、联盟与交流轮岗方案",
    },
    "report.dashboard": {"en": "Overview", "zh": "概览"},
    "report.map": {"en": "Map", "zh": "地图"},
    "report.tables": {"en": "Tables", "zh": "明细表"},
    "report.status": {"en": "Status", "zh": "状态"},
    "report.parts": {"en": "Parts planned", "zh": "规划内容"},
    "report.objective": {"en": "Objective (cost)", "zh": "目标值（成本）"},
    "report.gap": {"en": "Gap to the bound", "zh": "与下界差距"},
    "report.fact": {"en": "{label}: {value}", "zh": "{label}：{value}"},
    "report.closest": {
        "en": "No plan keeps every rule: this is the plan that comes closest.",
        "zh": "没有方案能满足全部规则：以下是最接近的方案。",
    },
    "report.interrupted": {
        "en": "The search was interrupted: this is the best plan found.",
        "zh": "求解被中断：以下是已找到的最好方案。",
    },
    # ---- the verdict: what the checker and the balance figures say --------------------
    "report.verdict": {"en": "checker: {clauses:semi}", "zh": "校验：{clauses:semi}"},
    "report.verdict.all_met": {"en": "all {n} rules met", "zh": "{n}项规则全部达成"},
    "report.verdict.met_of": {
        "en": "{met} of {total} rules met",
        "zh": "{total}项规则中达成{met}项",
    },
    "report.verdict.missed": {
        "en": "{n} rule(s) missed: {what:list}",
        "zh": "{n}项规则未达成：{what:list}",
    },
    "report.verdict.rule": {"en": "{rule:rule}", "zh": "{rule:rule}"},
    "report.verdict.balance": {
        "en": "{rule:rule} ({where:semi})",
        "zh": "{rule:rule}（{where:semi}）",
    },
    "report.verdict.more": {"en": "{n} more", "zh": "另{n}项"},
    "report.verdict.priced": {
        "en": "{n} school(s) below their rotation.rate quota (rotation.cap_quota)",
        "zh": "{n}所学校低于交流名额（rotation.cap_quota 允许）",
    },
    "report.indicator.stages": {
        "en": "{indicator:msg}: {stages:list:v.stage}",
        "zh": "{indicator:msg}：{stages:list:v.stage}",
    },
    "report.indicator.backbone": {"en": "backbone teachers", "zh": "骨干教师"},
    "report.indicator.qualified": {
        "en": "teachers above the required qualification",
        "zh": "高于规定学历教师",
    },
    "report.indicator.pe_arts": {"en": "PE and arts teachers", "zh": "体育、艺术专任教师"},
    # ---- the rules table ----------------------------------------------------------------
    "report.rules": {"en": "Rules met and missed", "zh": "规则达成情况"},
    "report.rule": {"en": "Rule", "zh": "规则"},
    "report.rule_key": {"en": "Policy key", "zh": "政策参数"},
    "report.state": {"en": "Result", "zh": "结果"},
    "report.met": {"en": "met", "zh": "达成"},
    "report.missed": {"en": "missed", "zh": "未达成"},
    "report.priced": {"en": "accepted below", "zh": "允许低于"},
    "report.violations": {"en": "Violations", "zh": "违反数"},
    "report.amount": {"en": "By how much", "zh": "差额"},
    "report.where": {"en": "Where", "zh": "涉及"},
    "report.rules_summary": {
        "en": "{met} of {total} rules met",
        "zh": "{total}项规则中达成{met}项",
    },
    "report.where_more": {"en": "{shown} … (+{more})", "zh": "{shown}……（另{more}项）"},
    "report.rule.cap_quota.what": {
        "en": "Schools moving fewer than their quota by rotation.rate, accepted by the "
        "policy and priced in the objective.",
        "zh": "交流人数低于 rotation.rate 名额的学校：政策允许（rotation.cap_quota），"
        "差额计入目标成本。",
    },
    "report.rule.cap_quota.school": {
        "en": "{school} moves {n} of {quota}",
        "zh": "{school}：交流{n}人，名额{quota}人",
    },
    "report.rule.balance.what": {
        "en": "Each indicator's coefficient of variation per stage within its threshold "
        "(the 优质均衡 standard) in every period of the roster.",
        "zh": "各学段各项指标的差异系数在每个学期均不超过优质均衡评估标准。",
    },
    "report.rule.balance.miss": {
        "en": "{indicator:msg}, {stage:v.stage} schools, {period}: coefficient of variation "
        "{cv:.3f} above {threshold:.2f}",
        "zh": "{indicator:msg}（{stage:v.stage}，{period}）：差异系数{cv:.3f}，"
        "高于标准{threshold:.2f}",
    },
    "report.rule.balance.not_required": {
        "en": "{first:msg} (a goal of the evaluation: balance.target does not make it a rule "
        "of this policy)",
        "zh": "{first:msg}（属评估目标：balance.target 未设为硬性规则，本政策不作要求）",
    },
    "report.part.pairs": {"en": "Twinning pairs", "zh": "结对帮扶"},
    "report.part.alliances": {"en": "Alliances", "zh": "联盟"},
    "report.part.roster": {"en": "Exchange roster", "zh": "交流轮岗"},
    "report.part.itinerant": {"en": "Itinerant teaching (走教 circuits)", "zh": "走教"},
    "report.part.outreach": {"en": "Outreach (model lessons, 跟岗)", "zh": "送教下乡"},
    "report.part.plan": {"en": "The plan's own figures", "zh": "方案数据一致性"},
    # ---- headline figures and charts -----------------------------------------------------
    "report.kpis": {"en": "Headline figures", "zh": "主要指标"},
    "report.required": {"en": "required", "zh": "要求"},
    "report.kpi.quota_short": {
        "en": "(county-wide met; {n} school(s) below their quota)",
        "zh": "（全县达标；{n}所学校未达名额）",
    },
    "report.balance": {
        "en": "Balance: coefficient of variation of backbone teachers per 100 students",
        "zh": "均衡：每百名学生县级以上骨干教师数的差异系数",
    },
    "report.balance_qualified": {
        "en": "Balance: coefficient of variation of teachers above the required "
        "qualification per 100 students",
        "zh": "均衡：每百名学生高于规定学历教师数的差异系数",
    },
    "report.balance_pe_arts": {
        "en": "Balance: coefficient of variation of PE and arts teachers per 100 students",
        "zh": "均衡：每百名学生体育、艺术（美术、音乐）专任教师数的差异系数",
    },
    "report.balance_note": {
        "en": "Lower is more even; the dashed line is the 优质均衡 threshold "
        "(0.50 primary, 0.45 junior). Green: within it; red: above it.",
        "zh": "数值越小越均衡；虚线为优质均衡标准（小学0.50，初中0.45）。绿色达标，红色未达标。",
    },
    "report.chart.stage": {
        "en": "{stage:v.stage} (≤ {threshold:.2f})",
        "zh": "{stage:v.stage}（≤ {threshold:.2f}）",
    },
    "report.before": {"en": "before", "zh": "交流前"},
    "report.needs_by_type": {
        "en": "Shortages covered by school type (teacher-periods)",
        "zh": "按学校类型的缺编补充（人·学期）",
    },
    "report.needs_note": {
        "en": "Covered by the roster or by 走教 circuits; uncovered but reachable by an "
        "allowed move; out of reach of any allowed move (left to hires, outreach).",
        "zh": "已由交流或走教补充；未补充但有可行交流可补；"
        "任何可行交流都无法补充（需新招聘或送教）。",
    },
    "report.covered": {"en": "covered", "zh": "已补充"},
    "report.uncovered": {"en": "uncovered, reachable", "zh": "未补充（可补）"},
    "report.unreachable": {"en": "out of reach", "zh": "交流无法补充"},
    "report.moves_by_kind": {"en": "Roster lines by kind", "zh": "交流名单按类型"},
    # ---- the map ------------------------------------------------------------------------
    "report.legend": {"en": "Legend", "zh": "图例"},
    "report.lead": {"en": "alliance lead", "zh": "联盟牵头校"},
    "report.layers": {"en": "Show", "zh": "显示"},
    "report.layer_pairs": {"en": "pairs (helper → helped)", "zh": "结对（帮扶校 → 受援校）"},
    "report.layer_alliances": {"en": "alliances", "zh": "联盟"},
    "report.layer_flows": {"en": "exchange flows", "zh": "交流流向"},
    "report.layer_flow_counts": {"en": "flow counts", "zh": "流向人数"},
    "report.flow_out": {"en": "out (下乡)", "zh": "下乡"},
    "report.flow_in": {"en": "in (进城学艺)", "zh": "进城学艺"},
    "report.flow_mixed": {"en": "both ways", "zh": "双向"},
    "report.no_coordinates": {
        "en": "{n} school(s) have no coordinates and are not on the map.",
        "zh": "{n}所学校缺少坐标，未在地图上显示。",
    },
    "report.many_flows": {
        "en": "{n} flows: shown on demand (tick the box).",
        "zh": "共{n}条流向：勾选后显示。",
    },
    # ---- the school panel (words the page's script shows) ---------------------------------
    "report.choose_school": {
        "en": "Choose a school (id or name) or click one on the map",
        "zh": "选择学校（代码或名称），或在地图上点击学校",
    },
    "report.panel_hint": {
        "en": "Pick a school to see who leaves, who arrives, its pair, alliance and needs.",
        "zh": "选择一所学校，查看派出与接收人员、结对、联盟和学科需求。",
    },
    "report.colon": {"en": ": ", "zh": "："},
    "report.search": {"en": "Search", "zh": "搜索"},
    "report.rows": {"en": "rows", "zh": "行"},
    "report.of": {"en": "of", "zh": "共"},
    "report.prev": {"en": "previous", "zh": "上一页"},
    "report.next": {"en": "next", "zh": "下一页"},
    "report.all": {"en": "all", "zh": "全部"},
    "report.per_page": {"en": "per page", "zh": "每页"},
    "report.no_rows": {"en": "no rows", "zh": "无记录"},
    "report.students": {"en": "students", "zh": "名学生"},
    "report.region": {"en": "region", "zh": "片区"},
    "report.helps": {"en": "Helps", "zh": "帮扶"},
    "report.helped_by": {"en": "Helped by", "zh": "帮扶校"},
    "report.unpaired": {"en": "Left unpaired", "zh": "未结对"},
    "report.pair": {"en": "Twinning", "zh": "结对帮扶"},
    "report.alliance": {"en": "Alliance", "zh": "联盟"},
    "report.members": {"en": "members", "zh": "所成员校"},
    "report.is_lead": {"en": "lead school of this alliance", "zh": "本联盟牵头校"},
    "report.needs": {"en": "Subject needs", "zh": "学科需求"},
    "report.subject": {"en": "subject", "zh": "学科"},
    "report.shortage": {"en": "shortage", "zh": "缺编"},
    "report.surplus": {"en": "surplus", "zh": "富余"},
    "report.left_uncovered": {"en": "left uncovered", "zh": "未补充"},
    "report.leaving": {"en": "Who leaves", "zh": "派出人员"},
    "report.arriving": {"en": "Who arrives", "zh": "接收人员"},
    "report.mentoring": {"en": "Mentor pairs", "zh": "青蓝结对"},
    "report.new_hires": {"en": "New teachers", "zh": "新教师"},
    "report.why": {"en": "Why", "zh": "依据"},
    "report.none": {"en": "none", "zh": "无"},
    "report.km": {"en": "km", "zh": "公里"},
    # the notes beside a school (its panel's "why")
    "report.note.pair": {
        "en": "{helper} → {helped}: {why:msg}",
        "zh": "{helper} → {helped}：{why:msg}",
    },
    "report.note.unpaired": {
        "en": "{reason:v.reason}: {detail:msg}",
        "zh": "{reason:v.reason}：{detail:msg}",
    },
    "report.note.unreachable": {
        "en": "{subject} · {period}: no allowed move reaches it",
        "zh": "{subject} · {period}：无可行交流可补",
    },
    # ---- the footer -----------------------------------------------------------------------
    "report.generated": {
        "en": "Made by twinning from the plan and the instance; works offline.",
        "zh": "由 twinning 根据方案与基础数据生成；离线可用。",
    },
    "report.masked": {
        "en": "Staff names are replaced by pseudonyms.",
        "zh": "教职工姓名已替换为化名。",
    },
    "report.tiles": {"en": "Map tiles: {url}", "zh": "底图瓦片：{url}"},
    "report.no_tiles": {
        "en": "No base map (offline): schools are placed by their coordinates.",
        "zh": "无底图（离线）：学校按坐标定位。",
    },
    # ---- the frontier page (frontier.html) --------------------------------------------------
    "report.frontier.intro": {
        "en": "Each point is a plan solved with balance.target = objective at the weight "
        "shown, checked by the validator. Dotted lines: the proven bounds (given these pairs "
        "and alliances), below which no roster within the rotation rules can bring a "
        "coefficient.",
        "zh": "每个点是一份方案：均衡计入目标函数（balance.target），按所示权重求解，并经校验。"
        "点线为已证明的下界（在现有结对和联盟下）：任何符合交流规则的方案都无法使差异系数低于它。",
    },
    "report.frontier.bound": {
        "en": "{indicator:msg}, {stage:v.stage}: no roster goes below {bound:.4f} "
        "(threshold {threshold:.2f}: {verdict:msg})",
        "zh": "{indicator:msg}，{stage:v.stage}：任何方案均不低于{bound:.4f}"
        "（标准{threshold:.2f}：{verdict:msg}）",
    },
    "report.frontier.out_of_reach": {"en": "cannot be met", "zh": "无法达到"},
    "report.frontier.not_ruled_out": {"en": "not ruled out", "zh": "未被排除"},
    "report.frontier.moves": {"en": "{n:g} moves", "zh": "交流{n:g}人次"},
    "report.frontier.threshold": {"en": "threshold {t:.2f}", "zh": "标准{t:.2f}"},
    "report.frontier.point": {
        "en": "{indicator:msg}: {cv:.4f} at {n:g} moves",
        "zh": "{indicator:msg}：交流{n:g}人次时为{cv:.4f}",
    },
    "report.frontier.chart": {
        "en": "frontier, {stage:v.stage} schools",
        "zh": "{stage:v.stage}：交流人次与差异系数",
    },
    "report.frontier.cv_column": {
        "en": "largest coefficient of variation: {indicator:msg}, {stage:v.stage}",
        "zh": "{indicator:msg}差异系数（{stage:v.stage}，各学期最大值）",
    },
    "report.frontier.bound_column": {
        "en": "proven bound: {indicator:msg}, {stage:v.stage}",
        "zh": "{indicator:msg}差异系数下界（{stage:v.stage}）",
    },
    "header.frontier.weight": {"en": "weight", "zh": "均衡权重"},
    "header.frontier.status": {"en": "status", "zh": "状态"},
    "header.frontier.valid": {"en": "valid", "zh": "校验通过"},
    "header.frontier.moves": {"en": "moves", "zh": "交流人次"},
    "header.frontier.rotation_rate": {"en": "rotation_rate", "zh": "交流比例"},
    "header.frontier.needs_covered_share": {
        "en": "needs_covered_share",
        "zh": "可补缺口补足率",
    },
    "header.frontier.thresholds_met": {"en": "thresholds_met", "zh": "均衡标准全部达到"},
    # ---- the workbook's summary sheet (概况) -------------------------------------------------
    "workbook.title": {"en": "Summary: {instance}", "zh": "概况：{instance}"},
    "workbook.plan": {"en": "Plan", "zh": "方案"},
    "workbook.parts": {"en": "Parts", "zh": "各部分"},
    "workbook.kpis": {"en": "{part:part}: figures", "zh": "{part:part}：指标"},
    "workbook.terms": {
        "en": "{part:part}: cost terms (before weighting)",
        "zh": "{part:part}：目标分项（加权前）",
    },
    "workbook.cv": {
        "en": "Coefficient of variation of backbone teachers per 100 students (优质均衡)",
        "zh": "每百名学生县级以上骨干教师数的差异系数（优质均衡）",
    },
    "workbook.balance": {
        "en": "Balance evaluation: coefficients of variation per 100 students (优质均衡)",
        "zh": "优质均衡评估：每百名学生教师数的差异系数",
    },
    "workbook.missed": {
        "en": "Rules missed: the plan comes closest",
        "zh": "未满足的规则（本方案为最接近的方案）",
    },
    "workbook.capped": {
        "en": "Schools below their rotation.rate quota (accepted by rotation.cap_quota)",
        "zh": "低于交流名额的学校（rotation.cap_quota 允许）",
    },
    "workbook.item": {"en": "item", "zh": "项目"},
    "workbook.value": {"en": "value", "zh": "数值"},
    "workbook.required": {"en": "required", "zh": "要求"},
    "workbook.rule": {"en": "rule", "zh": "规则"},
    "workbook.rule_name": {"en": "rule name", "zh": "规则名称"},
    "workbook.where": {"en": "where", "zh": "涉及"},
    "workbook.amount": {"en": "by how much", "zh": "差额"},
    "workbook.message": {"en": "what", "zh": "说明"},
    "workbook.school": {"en": "school", "zh": "学校代码"},
    "workbook.school_name": {"en": "name", "zh": "学校名称"},
    "workbook.by_rate": {"en": "quota by the rate", "zh": "按比例应交流"},
    "workbook.can_move": {"en": "moves", "zh": "实际交流"},
    "workbook.short": {"en": "short by", "zh": "差额"},
    "workbook.stage": {"en": "stage", "zh": "学段"},
    "workbook.indicator": {"en": "indicator", "zh": "指标"},
    "workbook.before": {"en": "before", "zh": "交流前"},
    "workbook.threshold": {"en": "threshold", "zh": "标准"},
    "workbook.key": {"en": "{kpi}: {key}", "zh": "{kpi}：{key}"},
    "workbook.subject": {"en": "subject", "zh": "学科"},
    "workbook.in_sheet": {"en": "see the sheet {table:table}", "zh": "见“{table:table}”表"},
    "workbook.kind_direction": {
        "en": "{kind:v.kind}_{direction:v.direction}",
        "zh": "{kind:v.kind}·{direction:v.direction}",
    },
    "workbook.rank": {"en": "{rank}", "zh": "第{rank}意向"},
    "workbook.rank.none": {"en": "none", "zh": "均未满足"},
    # ---- a figure's label where it is the part's own ------------------------------------------
    # The report's headline figures: English as the report has always said them.
    "kpi.pairs.paired_share": {"en": "Weak schools paired", "zh": "薄弱校结对率"},
    "kpi.pairs.mean_km": {"en": "Mean pair distance (km)", "zh": "平均结对距离（公里）"},
    "kpi.alliances.groups": {"en": "Alliances", "zh": "联盟数"},
    "kpi.alliances.farthest_km": {
        "en": "Farthest member from its lead (km)",
        "zh": "成员校距牵头校最远距离（公里）",
    },
    "kpi.roster.rotation_rate": {
        "en": "Rotation rate (urban/strong schools)",
        "zh": "交流比例（城区、优质校）",
    },
    "kpi.roster.backbone_share": {
        "en": "Backbone teachers among those moved out",
        "zh": "骨干教师占派出教师比例",
    },
    "kpi.roster.two_way_ratio": {
        "en": "Learning stints per teacher moved out",
        "zh": "进城学习与下乡人数之比",
    },
    "kpi.roster.needs_covered_share": {
        "en": "Reachable shortages covered",
        "zh": "可补缺口补足率",
    },
    "kpi.roster.moves": {
        "en": "Moves (exchange, secondment, headship)",
        "zh": "交流人次（交流、挂职、校长轮岗）",
    },
    "kpi.roster.mentor_pairs": {"en": "Mentor pairs (青蓝结对)", "zh": "师徒结对数"},
    "kpi.roster.hires": {"en": "New teachers placed", "zh": "新教师分配人数"},
    # Two parts, one name: each part says what it counts.
    "kpi.itinerant.teachers_used": {"en": "Itinerant teachers", "zh": "走教教师数"},
    "kpi.outreach.teachers_used": {
        "en": "Teachers on model-lesson visits",
        "zh": "参与送教教师数",
    },
    "kpi.itinerant.teachers_available": {
        "en": "Teachers who may circuit",
        "zh": "可走教教师数",
    },
    "kpi.itinerant.weekly_lessons_needed": {
        "en": "Weekly lessons needed",
        "zh": "周课时缺口",
    },
    "kpi.itinerant.weekly_lessons_covered": {
        "en": "Weekly lessons covered by circuits",
        "zh": "走教补足周课时",
    },
    "kpi.itinerant.km_per_week": {"en": "Km driven per week", "zh": "每周走教里程（公里）"},
    "kpi.itinerant.longest_day_km": {
        "en": "Longest day's round trip (km)",
        "zh": "最长一日往返里程（公里）",
    },
    "kpi.itinerant.schools_served": {"en": "Schools served", "zh": "走教受益学校数"},
    "kpi.itinerant.by_subject": {"en": "By subject", "zh": "分学科"},
    "kpi.itinerant.needed": {"en": "weekly lessons needed", "zh": "周课时缺口"},
    "kpi.itinerant.covered": {"en": "covered by circuits", "zh": "走教补足"},
    "kpi.itinerant.teachers": {"en": "itinerant teachers", "zh": "走教教师数"},
    "kpi.outreach.visits": {"en": "Model-lesson visits", "zh": "送教次数"},
    "kpi.outreach.short_exchanges": {"en": "Shadowing stints (跟岗)", "zh": "跟岗人次"},
    "kpi.outreach.schools_below": {
        "en": "Schools short of visits",
        "zh": "送教未达标学校数",
    },
    # A cost term of one part (a term's label is its key in English).
    "term.itinerant.teachers": {"en": "teachers", "zh": "走教教师数"},
    # ---- the verdict: the evaluation's resource part (console, workbook, report) ----------
    "verdict.title": {
        "en": "balance evaluation, resource part: coefficient of variation (差异系数) per "
        "indicator and stage, before the plan and in each period",
        "zh": "优质均衡评估·资源配置：各指标分学段校际差异系数（交流前及各学期）",
    },
    "verdict.col.indicator": {"en": "indicator", "zh": "指标"},
    "verdict.col.stage": {"en": "stage", "zh": "学段"},
    "verdict.col.threshold": {"en": "threshold", "zh": "标准"},
    "verdict.col.moment": {"en": "moment", "zh": "时点"},
    "verdict.col.school": {"en": "school", "zh": "学校代码"},
    "verdict.col.school_name": {"en": "school_name", "zh": "学校名称"},
    "verdict.col.value": {"en": "value", "zh": "学校数值"},
    "verdict.col.standard": {"en": "standard", "zh": "标准值"},
    "verdict.col.share": {"en": "share", "zh": "达标比例"},
    "verdict.col.facilities_only": {"en": "facilities_only", "zh": "仅靠办学条件可改善"},
    "verdict.col.unknown": {"en": "lacking", "zh": "缺数据指标"},
    "verdict.before": {"en": "before", "zh": "交流前"},
    "verdict.cell": {"en": "{cv:.4f}", "zh": "{cv:.4f}"},
    "verdict.cell_over": {"en": "{cv:.4f} over", "zh": "{cv:.4f} 超标"},
    "verdict.cell_none": {"en": "-", "zh": "-"},
    "verdict.moment": {"en": "{moment:msg}: {clauses:semi}", "zh": "{moment:msg}：{clauses:semi}"},
    "verdict.met": {"en": "resource part met", "zh": "资源配置达标"},
    "verdict.not_met": {"en": "resource part not met", "zh": "资源配置未达标"},
    "verdict.undecided": {
        "en": "nothing fails on the data given, but the verdict is partial",
        "zh": "现有数据下无不达标项，但评估不完整",
    },
    "verdict.over": {
        "en": "{n} coefficient(s) above the threshold",
        "zh": "{n}项差异系数超过标准",
    },
    "verdict.failing": {
        "en": "{n} of {schools} schools fail the per-school test (6 of 7 standards, the "
        "7th at 85%)",
        "zh": "{schools}所学校中{n}所未达到校级要求（7项中至少6项达标、余项不低于标准85%）",
    },
    "verdict.school_undecided": {
        "en": "{n} undecided for lack of data",
        "zh": "{n}所因缺少数据无法判定",
    },
    "verdict.facilities_only": {
        "en": "{n} only facilities can mend",
        "zh": "其中{n}所仅靠改善办学条件才能达标",
    },
    "verdict.fixed": {"en": "{n} fixed by the plan", "zh": "方案使{n}所达标"},
    "verdict.newly": {
        "en": "{n} failing that passed before the plan",
        "zh": "{n}所交流前达标、交流后不达标",
    },
    "verdict.partial": {
        "en": "partial verdict: lacks {lacking:list:v.indicator}",
        "zh": "评估不完整：缺少{lacking:list:v.indicator}",
    },
    "verdict.why": {"en": "lacking: {note:msg}", "zh": "缺少数据：{note:msg}"},
    "verdict.failing_title": {
        "en": "schools failing the per-school test",
        "zh": "未达到校级要求的学校",
    },
    "verdict.school": {
        "en": "{school} {name} ({stage:v.stage}): {misses:semi}",
        "zh": "{school} {name}（{stage:v.stage}）：{misses:semi}",
    },
    "verdict.miss": {
        "en": "{indicator:v.indicator} {value:g} against {standard:g} ({share:.0%})",
        "zh": "{indicator:v.indicator} {value:g}，标准{standard:g}（{share:.0%}）",
    },
    "verdict.unknown": {
        "en": "lacks {indicators:list:v.indicator}",
        "zh": "缺少{indicators:list:v.indicator}数据",
    },
    "verdict.only_facilities": {
        "en": "only facilities can mend it",
        "zh": "仅靠改善办学条件才能达标",
    },
    "verdict.more": {"en": "and {n} more", "zh": "另有{n}所"},
    "verdict.none_failing": {"en": "none", "zh": "无"},
    # ---- headers of a table's own columns, and of the school names beside codes ------------
    "header.schools.name": {"en": "name", "zh": "学校名称"},
    "header.from_school_name": {"en": "from_school_name", "zh": "派出学校名称"},
    "header.home_school_name": {"en": "home_school_name", "zh": "本校名称"},
}
