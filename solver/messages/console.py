"""What the commands print on the console (``twinning solve``, ``validate``, ``explain``,
``report``, ``frontier``, ``batch``, ``adopt``, ``history``, ``generate``)."""

from __future__ import annotations

ENTRIES: dict[str, dict[str, str]] = {
    # ---- every command
    "cli.error": {"en": "error: ", "zh": "错误："},
    "cli.warning": {"en": "warning: ", "zh": "警告："},
    "cli.defect": {
        "en": "twinning stopped on an internal error ({error}): a defect of twinning, not of "
        "your files. Its traceback is in {log}; please send that file to the developers",
        "zh": "twinning 内部出错（{error}）：这是 twinning 自身的缺陷，不是您的文件有误。"
        "错误详情已写入 {log}，请将该文件发给开发人员",
    },
    "cli.interrupted_now": {"en": "interrupted", "zh": "已中断"},
    "cli.cannot_solve_here": {
        "en": "cannot solve here: {error}. twinning validate and twinning report still work; "
        "installing twinning (pip install) brings OR-Tools and PuLP",
        "zh": "此环境无法求解：{error}。twinning validate 与 twinning report 仍可使用；"
        "安装 twinning（pip install）会一并安装 OR-Tools 与 PuLP",
    },
    "cli.no_such_file": {"en": "{path}: no such file", "zh": "{path}：找不到该文件"},
    "cli.more_rows": {
        "en": "... and {n} more in {file}",
        "zh": "……另有 {n} 行，见 {file}",
    },
    "cli.none": {"en": "none", "zh": "无"},
    "cli.title": {"en": "twinning: {instance}", "zh": "twinning：{instance}"},
    # ---- usage (exit 2)
    "cli.usage.format": {
        "en": "--format: unknown format(s) {formats:list}; use {known}",
        "zh": "--format：无法识别的格式 {formats:list}；可选 {known}",
    },
    "cli.usage.lang": {"en": "--lang: use en or zh", "zh": "--lang：请用 en 或 zh"},
    "cli.usage.positive": {
        "en": "{flag}: give a positive finite number of seconds, not {value}",
        "zh": "{flag}：请给出大于 0 的有限秒数，而不是 {value}",
    },
    "cli.usage.at_least_one": {
        "en": "{flag}: give a whole number of at least 1, not {value}",
        "zh": "{flag}：请给出不小于 1 的整数，而不是 {value}",
    },
    "cli.usage.county_needs_registry": {
        "en": "--county needs --registry",
        "zh": "--county 需与 --registry 一起使用",
    },
    "cli.usage.sweep": {
        "en": "--sweep {text}: write it as key=v1,v2,..., e.g. rotation.rate=0.08,0.1",
        "zh": "--sweep {text}：请写成 参数=值1,值2,…，例如 rotation.rate=0.08,0.1",
    },
    "cli.usage.stage_mix": {
        "en": "--stage-mix: expected stage=count, got {item}",
        "zh": "--stage-mix：应为 学段=数量，而不是 {item}",
    },
    "cli.usage.report_nothing": {
        "en": "report: nothing to write; give --html FILE and/or --xlsx FILE",
        "zh": "report：没有要写的报告；请给出 --html 文件 和/或 --xlsx 文件",
    },
    "cli.usage.schema": {
        "en": "schema: choose instance, plan or both",
        "zh": "schema：请选择 instance、plan 或 both",
    },
    "cli.usage.output_unnamed": {
        "en": "{flag} '{value}': give a file or folder name (twinning writes files, never to "
        "the terminal; for the current folder, write .)",
        "zh": "{flag} “{value}”：请给出文件或文件夹名称（twinning 只写文件，不输出到终端；"
        "要写入当前文件夹，请写 .）",
    },
    "cli.usage.batch_empty": {"en": "batch: no instance given", "zh": "batch：未给出任何实例"},
    "cli.usage.batch_out_in_instance": {
        "en": "--out {out}: it would write into the instance folder {instance} (inputs are "
        "never written to); choose an output folder apart from the instances",
        "zh": "--out {out}：将写入实例文件夹 {instance}（输入文件从不改写）；"
        "请另选一个与实例分开的输出文件夹",
    },
    "cli.usage.frontier_folder": {
        "en": "{out}: holds files but no frontier.csv; choose a new or empty folder",
        "zh": "{out}：该文件夹已有其他文件（没有 frontier.csv）；请选择新的或空的文件夹",
    },
    "cli.usage.plan_for_other": {
        "en": "{flag}: the plan was made for instance '{plan}', not '{instance}'",
        "zh": "{flag}：该方案是为实例“{plan}”制定的，不是“{instance}”",
    },
    "cli.usage.plan_of_other_instance": {"en": "{plan}: {why:msg}", "zh": "{plan}：{why:msg}"},
    # ---- solve
    "cli.note_added": {
        "en": "note: {asked:list:part} build(s) on {parts:list:part}: planning them too (give "
        "--with PLAN to keep a plan's)",
        "zh": "提示：{asked:list:part}以{parts:list:part}为基础，一并规划（用 --with 加方案文件 "
        "可沿用已有方案）",
    },
    "cli.note_kept": {
        "en": "note: {parts:list:part} taken from the --with plan",
        "zh": "提示：{parts:list:part}沿用 --with 方案",
    },
    "cli.stopping": {
        "en": "stopping the search; writing the best plan found ...",
        "zh": "正在停止求解，写入目前最好的方案……",
    },
    "cli.interrupted": {
        "en": "interrupted: the best plan found so far was written (status {status:v.status}); "
        "parts planned: {parts:list:part}",
        "zh": "已中断：目前最好的方案已写入（状态：{status:v.status}）；已完成：{parts:list:part}",
    },
    "cli.interrupted_early": {
        "en": "interrupted before any part was planned",
        "zh": "尚未完成任何部分即被中断",
    },
    "cli.starting": {"en": "starting", "zh": "准备中"},
    "cli.gap": {"en": "gap {gap:.2%}", "zh": "与下界差距 {gap:.2%}"},
    "cli.seconds": {"en": "{s:.1f} s", "zh": "{s:.1f} 秒"},
    "cli.written": {"en": "plan written to {target}/", "zh": "方案已写入 {target}/"},
    "cli.closest_written": {
        "en": "closest plan written to {target}/ (status {status:v.status})",
        "zh": "最接近的方案已写入 {target}/（状态：{status:v.status}）",
    },
    "cli.open_next": {
        "en": "open {files:list}; next: twinning validate {instance} {plan} checks it, "
        "twinning explain {instance} {plan} says why it is so",
        "zh": "请打开 {files:list}；下一步：twinning validate {instance} {plan} 校验方案，"
        "twinning explain {instance} {plan} 说明方案的依据",
    },
    "cli.open_next_infeasible": {
        "en": "open {files:list}; next: twinning explain {instance} says which rules conflict "
        "and what repairs it",
        "zh": "请打开 {files:list}；下一步：twinning explain {instance} 说明哪些规则相互冲突、"
        "如何调整",
    },
    "cli.col.part": {"en": "part", "zh": "部分"},
    "cli.col.status": {"en": "status", "zh": "状态"},
    "cli.col.objective": {"en": "objective", "zh": "目标值"},
    "cli.col.bound": {"en": "bound", "zh": "下界"},
    "cli.col.gap": {"en": "gap", "zh": "差距"},
    "cli.col.seconds": {"en": "seconds", "zh": "用时（秒）"},
    "cli.col.method": {"en": "method", "zh": "求解方法"},
    "cli.kpi_line": {"en": "{part:part}: {figures}", "zh": "{part:part}：{figures}"},
    "cli.capped": {
        "en": "rotation.rate held below quota at {n} school(s) (rotation.cap_quota): {schools:semi}",
        "zh": "{n}所学校低于交流名额（rotation.cap_quota 允许）：{schools:semi}",
    },
    "cli.capped_school": {
        "en": "{school} moves {moved} of {quota}",
        "zh": "{school} 交流{moved}人，名额{quota}人",
    },
    "cli.more_alliances": {
        "en": "... and {n} more alliances (alliances.csv)",
        "zh": "……另有{n}个联盟（见 alliances.csv）",
    },
    "cli.no_plan": {
        "en": "no plan: status {status:v.status}. {messages:semi}",
        "zh": "没有方案：状态 {status:v.status}。{messages:semi}",
    },
    "cli.misses": {
        "en": "status {status:v.status}: the plan written comes closest and misses {n} rule(s):",
        "zh": "状态 {status:v.status}：写入的方案最接近，但有{n}条规则未满足：",
    },
    "cli.missed_rule": {
        "en": "{rule} ({n}): {where:semi}",
        "zh": "{rule:rule}（{rule}，{n}处）：{where:semi}",
    },
    "cli.missed_where": {"en": "{where:list} by {amount:g}", "zh": "{where:list} 差{amount:g}"},
    "cli.part_says": {"en": "{part:part}: {message:msg}", "zh": "{part:part}：{message:msg}"},
    "cli.why_short": {
        "en": "why: {why:msg} (twinning explain shows more)",
        "zh": "原因：{why:msg}（twinning explain 可查看详情）",
    },
    # ---- the balance table
    "cli.balance.title": {
        "en": "balance: coefficient of variation across schools (schools below minimum)",
        "zh": "均衡：校际差异系数（低于最低标准的学校数）",
    },
    "cli.balance.indicator": {"en": "indicator", "zh": "指标"},
    "cli.balance.stage": {"en": "stage", "zh": "学段"},
    "cli.balance.before": {"en": "before", "zh": "交流前"},
    "cli.balance.threshold": {"en": "threshold", "zh": "标准"},
    "cli.balance.cell": {"en": "{cv:.4f} ({below})", "zh": "{cv:.4f}（{below}）"},
    "cli.balance.cell_over": {"en": "{cv:.4f} over ({below})", "zh": "{cv:.4f} 超标（{below}）"},
    "cli.balance.note": {"en": "balance: {note:msg}", "zh": "均衡：{note:msg}"},
    # ---- validate
    "cli.violation": {"en": "violation", "zh": "违反规则"},
    "cli.recounted": {
        "en": "{part:part} (recounted): {figures}",
        "zh": "{part:part}（重新统计）：{figures}",
    },
    "cli.valid": {
        "en": "valid: {parts:list:part} checked ({rows:list}), status {status:v.status}, "
        "objective {objective} (recomputed {recomputed})",
        "zh": "方案有效：已校验{parts:list:part}（{rows:list}），状态 {status:v.status}，目标值 "
        "{objective}（重新计算 {recomputed}）",
    },
    "cli.valid_rows": {"en": "{n} {table:table} rows", "zh": "{table:table} {n} 行"},
    "cli.invalid": {"en": "invalid: {n} violation(s)", "zh": "方案无效：{n}处违反规则"},
    # ---- explain
    "cli.explain.feasible": {
        "en": "the instance has a plan keeping every rule",
        "zh": "该实例存在满足全部规则的方案",
    },
    "cli.explain.no_plan": {
        "en": "{part:part}: {status:v.status}; no plan keeps every rule",
        "zh": "{part:part}：{status:v.status}；没有方案能满足全部规则",
    },
    "cli.explain.missed": {
        "en": "missed (every school and amount)",
        "zh": "未满足的规则（每所学校及差额）",
    },
    "cli.explain.col.rule": {"en": "rule", "zh": "规则"},
    "cli.explain.col.where": {"en": "where", "zh": "涉及"},
    "cli.explain.col.by": {"en": "by", "zh": "差额"},
    "cli.explain.col.what": {"en": "what", "zh": "说明"},
    "cli.explain.conflict": {
        "en": "rules that conflict: {conflict:msg}",
        "zh": "相互冲突的规则：{conflict:msg}",
    },
    "cli.explain.repairs": {
        "en": "repairs, each checked by a search that found a plan keeping every rule (any "
        "one is enough):",
        "zh": "调整办法（每项均经搜索找到满足全部规则的方案验证，任选其一即可）：",
    },
    "cli.explain.try": {"en": "try: {flags}", "zh": "可尝试：{flags}"},
    "cli.explain.not_nearest": {
        "en": "     (works; whether a value nearer yours also works was left undecided)",
        "zh": "     （此值可行；更接近原设定的值是否可行未能判定）",
    },
    "cli.explain.no_repair": {
        "en": "no single change found that repairs it within the time given",
        "zh": "在给定时间内未找到能单独解决问题的调整",
    },
    "cli.explain.done": {"en": "{n} solve(s), {s:.1f} s", "zh": "共求解 {n} 次，用时 {s:.1f} 秒"},
    "cli.explain.cut_short": {
        "en": " (cut short by the time limit)",
        "zh": "（因时间限制提前结束）",
    },
    "cli.explain.undecided": {
        "en": "; {n} step(s) ended with neither a plan nor a proof within --step-limit and "
        "were left undecided (a longer --step-limit may decide them)",
        "zh": "；其中 {n} 步在 --step-limit 时间内既未找到方案也未证明无解，未作判定（延长 "
        "--step-limit 可能判定）",
    },
    "cli.explain.decided": {
        "en": "; steps decided by the options' reach counts {reach}, by a plan found before "
        "(the checker's roster checks) {witness}, by a first-plan search {search}, by a whole "
        "solve {solved}",
        "zh": "；由可交流人数直接判定 {reach} 步，由已找到的方案（经校验器核对）判定 {witness} 步，"
        "由首个可行方案搜索判定 {search} 步，由完整求解判定 {solved} 步",
    },
    "cli.explain.objective": {
        "en": "objective per rule (recounted by the checker)",
        "zh": "目标值分项（由校验器重新计算）",
    },
    "cli.explain.col.term": {"en": "term", "zh": "分项"},
    "cli.explain.col.amount": {"en": "amount", "zh": "数量"},
    "cli.explain.col.cost": {"en": "cost (x its weight)", "zh": "成本（乘以权重）"},
    "cli.explain.col.school": {"en": "school", "zh": "学校"},
    "cli.explain.col.short_of": {"en": "short of", "zh": "缺口"},
    "cli.explain.costly": {
        "en": "schools whose unmet needs cost most (roster)",
        "zh": "未满足需求成本最高的学校（交流轮岗）",
    },
    "cli.explain.total": {"en": "objective", "zh": "目标值合计"},
    # ---- changes against a baseline
    "cli.changes.none": {
        "en": "changes against the baseline: none",
        "zh": "与基准方案相比：无变化",
    },
    "cli.changes.counts": {
        "en": "changes against the baseline: {counts:list}",
        "zh": "与基准方案相比：{counts:list}",
    },
    "cli.changes.count": {
        "en": "{n} {part:part} {change:v.change}",
        "zh": "{part:part}{change:v.change} {n} 项",
    },
    "cli.changes.col.part": {"en": "part", "zh": "部分"},
    "cli.changes.col.change": {"en": "change", "zh": "变化"},
    "cli.changes.col.row": {"en": "row", "zh": "内容"},
    "cli.changes.col.why": {"en": "why", "zh": "原因"},
    # ---- batch
    "cli.batch.row": {
        "en": "[{k}/{n}] {instance}: {status}",
        "zh": "[{k}/{n}] {instance}：{status}",
    },
    "cli.batch.row_error": {
        "en": "[{k}/{n}] {instance}: {status} ({error})",
        "zh": "[{k}/{n}] {instance}：{status}（{error}）",
    },
    "cli.batch.title": {"en": "batch: {n} instance(s)", "zh": "批量求解：{n} 个实例"},
    "cli.batch.instances": {"en": "instances", "zh": "实例"},
    "cli.batch.written": {
        "en": "summary written to {out}/summary.csv",
        "zh": "汇总已写入 {out}/summary.csv",
    },
    "cli.batch.col.instance": {"en": "instance", "zh": "实例"},
    "cli.batch.col.setting": {"en": "setting", "zh": "参数"},
    "cli.batch.col.parts": {"en": "parts", "zh": "规划内容"},
    "cli.batch.col.status": {"en": "status", "zh": "状态"},
    "cli.batch.col.objective": {"en": "objective", "zh": "目标值"},
    "cli.batch.col.gap": {"en": "gap", "zh": "差距"},
    "cli.batch.col.seconds": {"en": "seconds", "zh": "用时（秒）"},
    "cli.batch.col.violations": {"en": "violations", "zh": "违反规则数"},
    "cli.batch.col.error": {"en": "error", "zh": "错误"},
    "cli.batch.scheduler": {"en": "batch: {error}", "zh": "批量求解：{error}"},
    # ---- frontier
    "cli.frontier.title": {"en": "frontier: {instance}", "zh": "均衡取舍：{instance}"},
    "cli.frontier.verdict": {
        "en": "{indicator:v.indicator} {stage:v.stage}: best found {best:.4f}, no roster goes "
        "below {bound:.4f}; threshold {threshold:.2f} {verdict:msg}",
        "zh": "{indicator:v.indicator}（{stage:v.stage}）：最好方案 {best:.4f}，任何名单均不低于 "
        "{bound:.4f}；标准 {threshold:.2f}，{verdict:msg}",
    },
    "cli.frontier.out_of_reach": {"en": "out of reach (proven)", "zh": "无法达到（已证明）"},
    "cli.frontier.not_ruled_out": {"en": "not ruled out", "zh": "未排除"},
    "cli.frontier.written": {
        "en": "frontier written to {out}/frontier.csv and frontier.html",
        "zh": "均衡取舍已写入 {out}/frontier.csv 与 frontier.html",
    },
    # ---- report
    "cli.report.html": {"en": "HTML report written to {path}", "zh": "HTML 报告已写入 {path}"},
    "cli.report.xlsx": {"en": "Excel report written to {path}", "zh": "Excel 报告已写入 {path}"},
    "cli.report.misses": {
        "en": "the plan misses {n} rule(s), shown in the report: {rules:list}",
        "zh": "方案有{n}条规则未满足，已在报告中列出：{rules:list:rule}",
    },
    # ---- generate
    "cli.generate.written": {
        "en": "wrote {n} files to {out}/: {counts:list}",
        "zh": "已写入 {n} 个文件到 {out}/：{counts:list}",
    },
    "cli.generate.count": {"en": "{table} {n}", "zh": "{table:table} {n}"},
    # ---- adopt and history
    "cli.adopt.violation": {"en": "violation", "zh": "违反规则"},
    "cli.adopt.refused": {
        "en": "not adopted: the plan breaks {n} rule(s) (checked with the registry's history "
        "before {cycle}); nothing was written",
        "zh": "未采纳：方案违反 {n} 条规则（已结合登记库中 {cycle} 之前的历史校验）；未写入任何内容",
    },
    "cli.adopt.partial": {
        "en": "{plan} does not hold {parts:list:part}, which the policy plans: a cycle is "
        "adopted whole. Solve every part, or give --partial to record it as a partial plan",
        "zh": "{plan} 不含政策要求规划的{parts:list:part}：每个周期应采纳完整方案。请规划全部内容，"
        "或用 --partial 记为部分方案",
    },
    "cli.adopt.interrupted": {
        "en": "{plan} comes from an interrupted run (it lacks {parts:list:part}): solve again, "
        "or give --partial to record it as a partial plan",
        "zh": "{plan} 来自被中断的求解（缺少{parts:list:part}）：请重新求解，或用 --partial 记为部分方案",
    },
    "cli.adopt.recorded_partial": {
        "en": "recorded as a partial plan (lacking {parts:list:part})",
        "zh": "已记为部分方案（缺少{parts:list:part}）",
    },
    "cli.adopt.done": {
        "en": "adopted: county {county}, cycle {cycle}, record {record}, by {by} at {at} UTC: "
        "{pairs} pairs, {alliances} alliance rows, {roster} roster lines",
        "zh": "已采纳：县区 {county}，周期 {cycle}，记录 {record}，采纳人 {by}，时间 {at}（UTC）："
        "结对 {pairs} 对，联盟 {alliances} 行，交流名单 {roster} 行",
    },
    "cli.history.written": {
        "en": "history of county {county}: {n} row(s) of cycle(s) {cycles:list} written to "
        "{out}/history.csv",
        "zh": "县区 {county} 的历史记录：{n} 行（周期 {cycles:list}）已写入 {out}/history.csv",
    },
    "cli.history.give_county": {
        "en": "history: give --county (counties in the registry: {counties:list})",
        "zh": "history：请给出 --county（登记库中的县区：{counties:list}）",
    },
    "cli.usage.unknown_staff": {
        "en": "--staff {staff}: no such staff in the instance",
        "zh": "--staff {staff}：实例中没有该教职工",
    },
    "cli.usage.unknown_school": {
        "en": "--school {school}: no such school in the instance",
        "zh": "--school {school}：实例中没有该学校",
    },
    "cli.usage.unknown_county": {
        "en": "--county {county}: no such county in the registry (it holds {known:list})",
        "zh": "--county {county}：登记库中没有该县区（登记库中有 {known:list}）",
    },
    "cli.usage.did_you_mean": {
        "en": "{what:msg}; did you mean {near:list}?",
        "zh": "{what:msg}；是否应为 {near:list}？",
    },
    "cli.registry.contradictions": {
        "en": "history.csv contradicts the registry's adopted plans in {n} row(s) (the "
        "registry's rows are used as well):",
        "zh": "history.csv 有 {n} 行与登记库中已采纳的方案不一致（登记库的记录同样采用）：",
    },
}
