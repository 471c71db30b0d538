"""What the web desk says (``twinning serve``): its pages, its refusals, its API errors,
and the names of the policy keys the checker does not name as rules (the policy form)."""

from __future__ import annotations

#: Chinese names of the policy keys that are not rules of the checker (``rule.*`` names
#: the others): weights, figures the model reads, what the form shows.
KEYS_ZH: dict[str, str] = {
    "rotation.min_outflow": "每校最少派出人数",
    "rotation.host_capacity_share": "接收学校容量占比",
    "rotation.exempt_age.M": "男教职工免交流年龄",
    "rotation.exempt_age.F": "女教职工免交流年龄",
    "rotation.rural_priority_years": "农村任教年限较少者优先的年限",
    "rotation.mentor_max_age": "青年教师（徒弟）年龄上限",
    "rotation.mentor_max_years": "青年教师（徒弟）教龄上限",
    "needs.students_per_teacher": "各学段生师比标准",
    "needs.subject_shares": "各学段学科教师配比",
    "needs.priority_weights": "需求优先级的权重",
    "itinerant.subjects": "走教学科",
    "itinerant.standard_load": "标准周课时量",
    "itinerant.speed_kmh": "走教行车速度（公里每小时）",
    "itinerant.small_school_pupils": "小规模学校学生数界限",
    "weights.pair_cover": "权重：每所薄弱校有帮扶校",
    "weights.pair_min_helped": "权重：帮扶校帮扶数下限",
    "weights.pair_complementarity": "权重：学科互补",
    "weights.pair_km": "权重：结对距离",
    "weights.alliance_km": "权重：联盟内距离",
    "weights.replan_keep": "权重：重新编排时保留原方案",
    "weights.itinerant_lesson": "权重：走教课时",
    "weights.itinerant_teacher": "权重：走教教师人数",
    "weights.itinerant_km": "权重：走教里程",
    "weights.roster_need": "权重：补足学科缺口",
    "weights.roster_due": "权重：任职期满应交流",
    "weights.roster_rural_priority": "权重：农村任教年限少者优先",
    "weights.roster_surplus_first": "权重：超编学科优先派出",
    "weights.roster_balance": "权重：师资均衡",
    "weights.roster_km": "权重：交流距离",
    "weights.roster_preference": "权重：个人意向",
    "weights.roster_quota": "权重：交流比例",
    "weights.roster_secondment": "权重：挂职",
    "weights.roster_merit": "权重：考核分",
    "weights.alliance_history": "权重：沿用上轮联盟",
    "weights.alliance_lead_tier": "权重：牵头校办学水平",
    "weights.alliance_balance_strong": "权重：各联盟优质校均衡",
    "weights.alliance_balance_backbone": "权重：各联盟骨干教师均衡",
    "outreach.visit_days": "每次送教天数",
    "outreach.cap_visits": "送教次数可低于要求",
    "outreach.weight_missing": "权重：送教次数不足",
    "outreach.weight_off_need": "权重：非所缺学科",
    "outreach.weight_not_pair": "权重：非结对学校",
    "outreach.weight_not_alliance": "权重：非本联盟学校",
    "outreach.weight_km": "权重：送教距离",
    "balance.formula": "差异系数算法",
    "balance.standards": "评估标准值",
    "balance.target": "均衡目标的用法",
    "balance.weight": "均衡目标权重",
    "balance.indicator_weights": "各指标权重",
}

#: The policy's sections as the form heads them.
SECTIONS_ZH: dict[str, tuple[str, str]] = {
    "horizon": ("Horizon", "规划学期"),
    "twinning": ("Twinning pairs", "结对帮扶"),
    "alliances": ("Alliances", "联盟"),
    "rotation": ("Exchange roster", "交流轮岗"),
    "needs": ("Needs", "学科需求"),
    "hires": ("New hires", "新招聘教师"),
    "itinerant": ("Itinerant teaching", "走教"),
    "weights": ("Weights", "目标权重"),
    "outreach": ("Outreach", "送教下乡"),
    "balance": ("Balance", "均衡指标"),
}

PAGES: dict[str, dict[str, str]] = {
    "serve.title": {"en": "twinning planning desk", "zh": "twinning 交流轮岗规划台"},
    "serve.nav.home": {"en": "Home", "zh": "首页"},
    "serve.nav.switch": {"en": "中文", "zh": "English"},
    "serve.nav.back": {"en": "Back to the desk", "zh": "返回首页"},
    "serve.login.title": {"en": "This desk asks for its token", "zh": "本规划台需要口令"},
    "serve.login.token": {"en": "Token", "zh": "口令"},
    "serve.login.go": {"en": "Enter", "zh": "进入"},
    "serve.login.wrong": {"en": "That token is not this desk's.", "zh": "口令不正确。"},
    "serve.home.bring": {"en": "Bring a county", "zh": "导入县区数据"},
    "serve.home.bring_help": {
        "en": (
            "An Excel workbook (.xlsx, one sheet per table), a .zip of the CSV files, or a "
            "JSON instance; at most {mb} MB. Your file is kept on this server as it is; "
            "nothing you change here changes it."
        ),
        "zh": (
            "Excel 工作簿（每张表一个工作表）、CSV 文件的压缩包，或 JSON 实例文件；"
            "不超过 {mb} 兆字节。文件原样保存在本服务器上，在此所做的修改不会改动原文件。"
        ),
    },
    "serve.home.upload": {"en": "Upload and read", "zh": "上传并读取"},
    "serve.home.examples": {"en": "Or open an example", "zh": "或打开示例县区"},
    "serve.home.open_example": {"en": "Open instances/{name}/", "zh": "打开 instances/{name}/"},
    "serve.home.counties": {"en": "Counties brought", "zh": "已导入的县区"},
    "serve.home.jobs": {"en": "Recent solves", "zh": "最近的求解"},
    "serve.col.file": {"en": "File", "zh": "文件"},
    "serve.col.read": {"en": "Read", "zh": "读取"},
    "serve.col.when": {"en": "When", "zh": "时间"},
    "serve.col.job": {"en": "Job", "zh": "任务"},
    "serve.col.status": {"en": "Status", "zh": "状态"},
    "serve.col.row": {"en": "Row", "zh": "行"},
    "serve.col.column": {"en": "Column", "zh": "列"},
    "serve.col.message": {"en": "What is wrong", "zh": "问题"},
    "serve.col.rule": {"en": "Rule", "zh": "规则"},
    "serve.col.value": {"en": "Value", "zh": "取值"},
    "serve.col.default": {"en": "Default", "zh": "默认值"},
    "serve.col.cycle": {"en": "Cycle", "zh": "周期"},
    "serve.col.by": {"en": "Adopted by", "zh": "采用人"},
    "serve.col.note": {"en": "Note", "zh": "备注"},
    "serve.col.part": {"en": "Part", "zh": "部分"},
    "serve.col.verdict": {"en": "Verdict", "zh": "结论"},
    "serve.read.ok_short": {"en": "read", "zh": "已读取"},
    "serve.read.bad_short": {"en": "refused", "zh": "未通过"},
    "serve.read.ok": {
        "en": "{name}: read, {schools} schools and {staff} staff.",
        "zh": "{name}：读取成功，{schools} 所学校，{staff} 名教职工。",
    },
    "serve.read.bad": {
        "en": "The file cannot be planned yet: {n} problem(s), each below with its file, row and column.",
        "zh": "该文件暂不能编排：共 {n} 个问题，下面逐条列出文件、行和列。",
    },
    "serve.read.problems": {"en": "Errors", "zh": "错误"},
    "serve.read.warnings": {"en": "Warnings", "zh": "提示"},
    "serve.county.title": {"en": "County: {file}", "zh": "县区：{file}"},
    "serve.county.jobs": {"en": "Solves of this county", "zh": "本县区的求解"},
    "serve.policy.title": {"en": "Policy and parts", "zh": "政策参数与编排内容"},
    "serve.policy.help": {
        "en": (
            "Each rule with its value in the county's file and its default. Only the values "
            "you change are kept, as the --set flags shown below."
        ),
        "zh": "每条规则列出本县文件中的取值和默认值。只保留您修改过的项，即下方所示的 --set 参数。",
    },
    "serve.policy.parts": {"en": "Parts to plan", "zh": "编排内容"},
    "serve.policy.time_limit": {"en": "Time limit (s)", "zh": "求解时限（秒）"},
    "serve.policy.from_file": {"en": "set in the file", "zh": "文件中已设定"},
    "serve.policy.sets": {"en": "Changed:", "zh": "已修改："},
    "serve.policy.solve": {"en": "Solve", "zh": "开始求解"},
    "serve.history.title": {"en": "Adopted cycles of {county}", "zh": "{county} 已采用的周期"},
    "serve.history.none": {"en": "No cycle adopted yet.", "zh": "尚未采用任何周期的方案。"},
    "serve.adoption.adopted": {"en": "in force", "zh": "有效"},
    "serve.adoption.superseded": {"en": "superseded", "zh": "已被替代"},
    "serve.status.queued": {"en": "queued", "zh": "排队中"},
    "serve.status.running": {"en": "running", "zh": "求解中"},
    "serve.status.done": {"en": "done", "zh": "已完成"},
    "serve.status.failed": {"en": "failed", "zh": "失败"},
    "serve.status.cancelled": {"en": "stopped", "zh": "已停止"},
    "serve.job.title": {"en": "Solve of {name}", "zh": "{name} 的求解"},
    "serve.job.status": {"en": "Status:", "zh": "状态："},
    "serve.job.ahead": {"en": "({n} ahead in the queue)", "zh": "（前面还有 {n} 个任务）"},
    "serve.job.parts": {"en": "Parts:", "zh": "编排内容："},
    "serve.job.all_parts": {"en": "every part the policy plans", "zh": "政策规定的全部内容"},
    "serve.job.limit": {"en": "time limit {s:g} s", "zh": "时限 {s:g} 秒"},
    "serve.job.sets": {"en": "Policy changed:", "zh": "修改的政策参数："},
    "serve.job.no_sets": {
        "en": "none (the county's own policy)",
        "zh": "无（采用本县文件中的政策）",
    },
    "serve.job.stop": {"en": "Stop and keep the best plan so far", "zh": "停止并保留当前最优方案"},
    "serve.job.crashed": {
        "en": "the solve ended unexpectedly (exit {code}); its log is in the job's folder",
        "zh": "求解意外结束（退出码 {code}）；日志在该任务的文件夹中",
    },
    "serve.progress.line": {
        "en": "[{seconds:7.1f} s] {part} {step} · objective {objective} · bound {bound} · gap {gap}",
        "zh": "[{seconds:7.1f} 秒] {part} {step} · 目标值 {objective} · 界 {bound} · 差距 {gap}",
    },
    "serve.plan.title": {"en": "The plan", "zh": "方案"},
    "serve.plan.status": {"en": "Status: {status:v.status}", "zh": "状态：{status:v.status}"},
    "serve.plan.interrupted": {
        "en": "stopped early: the best plan found until then",
        "zh": "提前停止：为停止时找到的最优方案",
    },
    "serve.plan.objective": {"en": "Objective", "zh": "目标值"},
    "serve.plan.bound": {"en": "Best bound", "zh": "最优界"},
    "serve.plan.gap": {"en": "Gap", "zh": "差距"},
    "serve.plan.downloads": {"en": "Downloads", "zh": "下载"},
    "serve.plan.rules": {
        "en": "Rules: {n} checked, {missed} missed",
        "zh": "规则：共检查 {n} 条，未满足 {missed} 条",
    },
    "serve.plan.report": {"en": "Report", "zh": "方案报告"},
    "serve.adopt.title": {"en": "Adopt this plan", "zh": "采用此方案"},
    "serve.adopt.by": {"en": "Adopted by", "zh": "采用人"},
    "serve.adopt.cycle": {"en": "Cycle (default: the school year)", "zh": "周期（默认：学年）"},
    "serve.adopt.note": {"en": "Note", "zh": "备注"},
    "serve.adopt.go": {"en": "Adopt into the registry", "zh": "登记采用"},
    "serve.adopt.done": {
        "en": "Adopted: cycle {cycle}, record {record}, by {by}.",
        "zh": "已采用：周期 {cycle}，记录号 {record}，采用人 {by}。",
    },
    "serve.adopt.exists": {
        "en": "Not adopted: cycle {cycle} is adopted already.",
        "zh": "未采用：周期 {cycle} 已采用过方案。",
    },
    "serve.adopt.invalid": {
        "en": "Not adopted: the plan breaks {n} rule line(s).",
        "zh": "未采用：方案有 {n} 处不符合规则。",
    },
    "serve.adopt.failed": {"en": "Not adopted.", "zh": "未采用。"},
    "serve.page.csrf": {
        "en": "This form did not come from this desk's own page; open the page again and resend it.",
        "zh": "该表单并非来自本规划台的页面；请重新打开页面后再提交。",
    },
    "serve.page.no_file": {"en": "Choose a file to upload.", "zh": "请选择要上传的文件。"},
    "serve.page.not_found": {"en": "No such page.", "zh": "没有这个页面。"},
    # ---- refusals ------------------------------------------------------------------------------
    "serve.upload.kind": {
        "en": "{name}: not a county file the desk reads; give one of {kinds:list}",
        "zh": "{name}：不是可读取的县区文件；请上传以下格式之一：{kinds:list}",
    },
    "serve.upload.empty": {"en": "{name}: the file is empty", "zh": "{name}：文件为空"},
    "serve.upload.too_large": {
        "en": "the upload is larger than this desk's limit of {mb} MB",
        "zh": "上传的文件超过本规划台 {mb} 兆字节的上限",
    },
    "serve.zip.bad": {"en": "the .zip file cannot be opened", "zh": "无法打开该 .zip 文件"},
    "serve.zip.members": {
        "en": "the .zip holds {n} members; at most {most} are read",
        "zh": ".zip 中有 {n} 个文件；最多读取 {most} 个",
    },
    "serve.zip.link": {
        "en": "the .zip member {member} is a link or a device; only plain files are read",
        "zh": ".zip 中的 {member} 是链接或设备文件；只读取普通文件",
    },
    "serve.zip.path": {
        "en": "the .zip member {member} points outside its folder (an absolute path or ..)",
        "zh": ".zip 中的 {member} 指向压缩包以外的位置（绝对路径或 ..）",
    },
    "serve.zip.encrypted": {
        "en": "the .zip member {member} is encrypted",
        "zh": ".zip 中的 {member} 已加密",
    },
    "serve.zip.empty": {
        "en": "the .zip holds no CSV file (schools.csv, staff.csv, ...)",
        "zh": ".zip 中没有 CSV 文件（schools.csv、staff.csv 等）",
    },
    "serve.zip.folders": {
        "en": "the .zip holds CSV files in several folders ({folders:list}); zip one county's folder",
        "zh": ".zip 中的 CSV 文件分散在多个文件夹（{folders:list}）；请只打包一个县区的文件夹",
    },
    "serve.zip.expansion": {
        "en": "the .zip expands to more than {most} bytes; it is refused",
        "zh": ".zip 解压后超过 {most} 字节，不予读取",
    },
    "serve.usage.token_needed": {
        "en": (
            "--host {host} lets other machines reach the desk: give --token (at least 16 "
            "characters), which every request must then carry"
        ),
        "zh": "--host {host} 允许其他机器访问本规划台：请同时给出 --token（至少 16 个字符），此后每个请求都须携带该口令",
    },
    "serve.usage.token_short": {
        "en": "--token: at least {least} characters",
        "zh": "--token：至少 {least} 个字符",
    },
    "serve.usage.data_file": {
        "en": "--data {data}: a file, not a folder",
        "zh": "--data {data}：是文件而不是文件夹",
    },
    "serve.listening": {
        "en": "twinning serve: the desk is at {url} (data in {data}, registry {registry}, {workers} worker(s)); Ctrl-C stops it",
        "zh": "twinning serve：规划台地址 {url}（数据目录 {data}，登记库 {registry}，{workers} 个求解进程）；按 Ctrl-C 停止",
    },
    # ---- API errors ----------------------------------------------------------------------------
    "serve.api.no_instance": {
        "en": "give the county as the multipart field 'instance' (a file) or 'county' (an id)",
        "zh": "请以 multipart 字段 instance（文件）或 county（编号）给出县区",
    },
    "serve.api.refused": {"en": "the request is refused", "zh": "请求被拒绝"},
    "serve.api.no_job": {"en": "no such job", "zh": "没有这个任务"},
    "serve.api.ended": {
        "en": "the job has ended already ({state})",
        "zh": "该任务已经结束（{state}）",
    },
    "serve.api.no_file": {
        "en": "no file {name} in this job's plan",
        "zh": "该任务的方案中没有文件 {name}",
    },
    "serve.api.no_plan": {"en": "the job has no plan to adopt", "zh": "该任务没有可采用的方案"},
    "serve.api.adopt_body": {
        "en": 'give a JSON object: {{"by": ..., "note": ..., "cycle": ...}}',
        "zh": '请给出 JSON 对象：{{"by": ..., "note": ..., "cycle": ...}}',
    },
    "serve.api.unauthorized": {
        "en": "this desk asks for Authorization: Bearer <token>",
        "zh": "本规划台要求携带 Authorization: Bearer <token>",
    },
}


def _entries() -> dict[str, dict[str, str]]:
    out = dict(PAGES)
    for key, zh in KEYS_ZH.items():
        out[f"serve.key.{key}"] = {"en": key, "zh": zh}
    for name, (en, zh) in SECTIONS_ZH.items():
        out[f"serve.section.{name}"] = {"en": en, "zh": zh}
    return out


ENTRIES: dict[str, dict[str, str]] = _entries()
