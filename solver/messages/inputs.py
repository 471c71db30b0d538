"""What twinning says about bad input: the readers of instances and plans, the cross-table
check, the policy's keys, ``--set`` and the output folder.

A problem's place is said by ``input.at.*`` around its message (:class:`twinning.errors.
InputProblem`); pydantic's errors are said from their type and context
(``input.pydantic.<type>``), in English as pydantic writes them, and the allowed values of
a field of the vocabulary in Chinese as planners type them (``input.enum.<field>.<value>``:
'小学', not 'primary').
"""

from __future__ import annotations

from twinning.vocabulary import CHINESE


def _enum_entries() -> dict[str, dict[str, str]]:
    """``input.enum.<field>.<value>``: an allowed value as a message lists it (quoted)."""
    return {
        f"input.enum.{kind}.{value}": {"en": f"'{value}'", "zh": f"'{chinese}'"}
        for kind, names in CHINESE.items()
        for value, chinese in names.items()
    }


ENTRIES: dict[str, dict[str, str]] = {
    # ---- a problem's place, and the lines around problems ---------------------------------
    "input.at.row": {"en": "row {row}", "zh": "第{row}行"},
    "input.at.column": {"en": "column '{column}'", "zh": "'{column}'列"},
    "input.at.value": {"en": " (value {value})", "zh": "（值 {value}）"},
    "input.sep.place": {"en": ", ", "zh": "，"},
    "input.sep.colon": {"en": ": ", "zh": "："},
    "input.bad": {"en": "bad input", "zh": "输入有误"},
    "input.more_problems": {"en": "... and {n} more problems", "zh": "……另有 {n} 个问题"},
    "input.quoted": {"en": "'{value}'", "zh": "'{value}'"},
    # ---- files and formats -----------------------------------------------------------------
    "input.no_such_file": {"en": "no such file or folder", "zh": "找不到该文件或文件夹"},
    "input.unknown_format": {
        "en": "unknown instance format: give a folder, .xlsx, .json or .yaml",
        "zh": "无法识别的实例格式：请给出文件夹、.xlsx、.json 或 .yaml 文件",
    },
    "input.binary": {
        "en": "not a text file (it holds binary data)",
        "zh": "不是文本文件（含有二进制数据）",
    },
    "input.encoding": {
        "en": "cannot be read as UTF-8 or GB18030 text",
        "zh": "无法按 UTF-8 或 GB18030 编码读取",
    },
    "input.utf16": {
        "en": "starts with a UTF-16 mark but cannot be read as UTF-16 text",
        "zh": "文件以 UTF-16 标记开头，但无法按 UTF-16 编码读取",
    },
    "input.not_csv": {
        "en": "not a valid CSV file: {why:msg}",
        "zh": "不是有效的 CSV 文件：{why:msg}",
    },
    "input.not_toml": {
        "en": "not valid TOML: {why:msg} (line {line}, column {col})",
        "zh": "不是有效的 TOML 文件：{why:msg}（第{line}行，第{col}列）",
    },
    "input.not_json": {
        "en": "not valid JSON: {why:msg} (line {line}, column {col})",
        "zh": "不是有效的 JSON 文件：{why:msg}（第{line}行，第{col}列）",
    },
    "input.not_yaml": {
        "en": "not valid YAML: {why:msg} (line {line}, column {col})",
        "zh": "不是有效的 YAML 文件：{why:msg}（第{line}行，第{col}列）",
    },
    "input.not_workbook": {
        "en": "not a readable Excel workbook ({why:msg})",
        "zh": "无法读取的 Excel 工作簿（{why:msg}）",
    },
    "input.syntax": {"en": "syntax error", "zh": "语法错误"},
    # what the CSV, TOML and YAML parsers and openpyxl found
    "input.csv.field_too_long": {
        "en": "a cell is longer than {limit} characters",
        "zh": "有单元格超过 {limit} 个字符",
    },
    "input.csv.newline": {
        "en": "a line break inside a cell without quotes",
        "zh": "单元格内有换行，但没有用引号括起",
    },
    "input.toml.invalid_value": {
        "en": "Invalid value (text is written in double quotes)",
        "zh": "取值无效（文字须用英文双引号括起）",
    },
    "input.toml.invalid_statement": {"en": "Invalid statement", "zh": "无法识别的语句"},
    "input.toml.expected_equals": {
        "en": "Expected '=' after a key in a key/value pair",
        "zh": "参数名后面缺少等号 '='",
    },
    "input.toml.twice": {"en": "a key or table is given twice", "zh": "参数或表重复定义"},
    "input.toml.unterminated_string": {
        "en": "Unterminated string",
        "zh": "字符串缺少结尾的引号",
    },
    "input.toml.unclosed_array": {"en": "Unclosed array", "zh": "列表缺少结尾的 ']'"},
    "input.toml.unclosed_table": {"en": "Unclosed inline table", "zh": "缺少结尾的 '}}'"},
    "input.toml.unclosed_header": {
        "en": "Expected ']' at the end of a table declaration",
        "zh": "表名缺少结尾的 ']'",
    },
    "input.toml.bad_key": {
        "en": "Invalid initial character for a key part",
        "zh": "参数名的首字符无效",
    },
    "input.toml.bad_character": {"en": "Illegal character", "zh": "含有无效字符"},
    "input.toml.bad_escape": {"en": "Invalid escape in a string", "zh": "字符串中有无效的转义"},
    "input.toml.bad_date": {"en": "Invalid date or datetime", "zh": "日期或时间无效"},
    "input.yaml.mapping_here": {
        "en": "mapping values are not allowed here",
        "zh": "此处不能出现键值对（冒号后是否缺少空格，或缩进有误）",
    },
    "input.yaml.tab": {
        "en": "found a tab that cannot start any token",
        "zh": "含有制表符（缩进须用空格）",
    },
    "input.yaml.unclosed": {
        "en": "a list or mapping is not closed",
        "zh": "列表或映射缺少结尾的括号",
    },
    "input.yaml.end_of_stream": {
        "en": "found unexpected end of stream",
        "zh": "文件意外结束（是否缺少结尾的引号）",
    },
    "input.yaml.indentation": {"en": "the indentation does not match", "zh": "缩进不一致"},
    "input.workbook.not_zip": {
        "en": "File is not a zip file",
        "zh": "文件已损坏，或不是 .xlsx 格式",
    },
    "input.workbook.xls": {
        "en": "the old .xls format: save it as .xlsx",
        "zh": "旧的 .xls 格式：请另存为 .xlsx",
    },
    "input.workbook.other": {
        "en": "the file is damaged or of another format",
        "zh": "文件已损坏或格式不受支持",
    },
    # what Python's JSON parser found (its English kept as the English)
    "input.json.expecting_value": {"en": "Expecting value", "zh": "此处缺少取值"},
    "input.json.expecting_name": {
        "en": "Expecting property name enclosed in double quotes",
        "zh": "此处应为用双引号括起的键名",
    },
    "input.json.expecting_colon": {"en": "Expecting ':' delimiter", "zh": "此处缺少冒号 ':'"},
    "input.json.expecting_comma": {"en": "Expecting ',' delimiter", "zh": "此处缺少逗号 ','"},
    "input.json.unterminated_string": {
        "en": "Unterminated string starting at",
        "zh": "字符串缺少结尾的引号",
    },
    "input.json.control_character": {
        "en": "Invalid control character at",
        "zh": "字符串中含有无效的控制字符",
    },
    "input.json.bad_escape": {"en": "Invalid \\escape", "zh": "无效的转义字符"},
    "input.json.extra_data": {"en": "Extra data", "zh": "内容结束后还有多余的数据"},
    "input.json.trailing_comma": {
        "en": "Illegal trailing comma",
        "zh": "末尾多了一个逗号",
    },
    # ---- tables and columns ----------------------------------------------------------------
    "input.empty_file": {
        "en": "the file is empty: it needs a header row and data rows",
        "zh": "文件为空：需要表头行和数据行",
    },
    "input.empty_sheet": {
        "en": "the sheet is empty: it needs a header row",
        "zh": "工作表为空：需要表头行",
    },
    "input.header_only": {
        "en": "the table has a header but no rows; remove the file or fill it in",
        "zh": "表格只有表头、没有数据；请删除该文件或填写数据",
    },
    "input.column_twice": {"en": "column given twice", "zh": "该列出现了两次"},
    "input.missing_column": {
        "en": "missing required column '{column}'",
        "zh": "缺少必填列 '{column}'",
    },
    "input.near_column": {
        "en": "column '{column}' is not known; did you mean '{suggestion}'?",
        "zh": "无法识别列 '{column}'；是否应为 '{suggestion}'？",
    },
    "input.unused_column": {
        "en": "column '{column}' is not used (unknown column)",
        "zh": "列 '{column}' 无法识别，已忽略",
    },
    "input.merged_cells": {
        "en": "merged cells {cells} filled with {value}",
        "zh": "合并单元格 {cells} 已逐格填入 {value}",
    },
    "input.not_a_table": {"en": "not an instance table, ignored", "zh": "不是实例的表格，已忽略"},
    "input.table_twice": {
        "en": "table '{table}' is given twice",
        "zh": "表格 '{table}' 出现了两次",
    },
    "input.missing_schools": {
        "en": "missing: every instance needs schools",
        "zh": "缺少此文件：每个实例都需要学校表",
    },
    "input.missing_schools_sheet": {
        "en": "missing sheet: every instance needs schools",
        "zh": "缺少此工作表：每个实例都需要学校表",
    },
    "input.policy_sheet_columns": {
        "en": "the policy sheet needs columns 'key' and 'value'",
        "zh": "政策工作表需要 'key' 和 'value' 两列",
    },
    "input.policy_conflict": {
        "en": "policy keys conflict: {why:msg}",
        "zh": "政策参数相互冲突：{why:msg}",
    },
    # ---- JSON / YAML documents -------------------------------------------------------------
    "input.doc.not_object": {
        "en": "the document must be an object with a 'schools' table",
        "zh": "文档必须是一个含有 'schools' 表的对象",
    },
    "input.doc.unknown_table": {
        "en": "unknown table '{table}'",
        "zh": "无法识别的表格 '{table}'",
    },
    "input.doc.not_list": {
        "en": "'{table}' must be a list of rows",
        "zh": "'{table}' 必须是由行组成的列表",
    },
    "input.doc.row_not_object": {
        "en": "each row of '{table}' must be an object",
        "zh": "'{table}' 的每一行都必须是对象",
    },
    "input.doc.unknown_column": {
        "en": "unknown column in '{table}'",
        "zh": "'{table}' 中有无法识别的列",
    },
    "input.doc.unknown_column_near": {
        "en": "unknown column in '{table}'; did you mean '{suggestion}'?",
        "zh": "'{table}' 中有无法识别的列；是否应为 '{suggestion}'？",
    },
    "input.doc.no_schools": {
        "en": "the document needs a non-empty 'schools' table",
        "zh": "文档需要一个非空的 'schools' 表",
    },
    "input.doc.policy_not_object": {
        "en": "'policy' must be an object",
        "zh": "'policy' 必须是对象",
    },
    # ---- policy keys -----------------------------------------------------------------------
    "input.policy.key": {"en": "key {key}: {why:msg}", "zh": "参数 {key}：{why:msg}"},
    "input.policy.unknown_key": {"en": "unknown policy key", "zh": "未知的政策参数"},
    "input.policy.key_conflict": {
        "en": "key '{key}' conflicts with a value set for '{part}'",
        "zh": "参数 '{key}' 与已为 '{part}' 设置的值相冲突",
    },
    "input.policy.groups_stage": {
        "en": "alliances.groups: unknown stage '{stage}'; use one of {stages:list}",
        "zh": "alliances.groups：无法识别的学段 '{stage}'；应为 {stages:list:v.stage} 之一",
    },
    "input.policy.alliance_sizes": {
        "en": "alliances.max_size must be >= alliances.min_size",
        "zh": "alliances.max_size 不能小于 alliances.min_size",
    },
    "input.policy.size_band": {
        "en": "alliances.size_band must be [low, high] with low <= 1 <= high",
        "zh": "alliances.size_band 应写成 [下限, 上限]，且下限 ≤ 1 ≤ 上限",
    },
    "input.policy.groups_min": {
        "en": "alliances.groups must be at least 1",
        "zh": "alliances.groups 至少为 1",
    },
    "input.policy.groups_by_stage": {
        "en": "alliances.groups per stage needs alliances.by_stage = true",
        "zh": "按学段设置 alliances.groups 时，须开启 alliances.by_stage",
    },
    "input.policy.groups_negative": {
        "en": "alliances.groups per stage must be >= 0",
        "zh": "按学段设置的 alliances.groups 不能为负数",
    },
    "input.policy.groups_both": {
        "en": "give alliances.groups or alliances.groups_per_region, not both",
        "zh": "alliances.groups 与 alliances.groups_per_region 只能设置其一",
    },
    "input.policy.rotation_periods": {
        "en": "rotation.max_periods must be >= rotation.min_periods",
        "zh": "rotation.max_periods 不能小于 rotation.min_periods",
    },
    "input.policy.unknown_days": {
        "en": "itinerant.days: unknown day(s) {days:list}; use {known:list}",
        "zh": "itinerant.days：无法识别的星期 {days:list}；应写为 {known:list}",
    },
    "input.policy.day_twice": {
        "en": "itinerant.days: a day is listed twice",
        "zh": "itinerant.days：有重复的星期",
    },
    "input.policy.outreach_weeks": {
        "en": "outreach.weeks must be distinct week numbers from 1",
        "zh": "outreach.weeks 应为从 1 起、互不重复的周次",
    },
    "input.policy.unknown_indicator": {
        "en": "unknown indicator '{key}'; the indicators: {known:list}",
        "zh": "无法识别的指标 '{key}'；可用的指标：{known:list}",
    },
    "input.policy.standard_stage": {
        "en": "balance.standards: unknown stage '{stage}'; use one of {stages:list}",
        "zh": "balance.standards：无法识别的学段 '{stage}'；应为 {stages:list:v.stage} 之一",
    },
    "input.policy.standard": {
        "en": "balance.standards.{key} must be >= 0",
        "zh": "balance.standards.{key} 不能为负数",
    },
    "input.policy.indicator_weight": {
        "en": "balance.indicator_weights.{key} must be >= 0",
        "zh": "balance.indicator_weights.{key} 不能为负数",
    },
    # ---- --set key=value -------------------------------------------------------------------
    "input.setting.syntax": {
        "en": "write it as key=value, e.g. rotation.rate=0.12",
        "zh": "请写成 键=值 的形式，例如 rotation.rate=0.12",
    },
    "input.setting.no_key": {"en": "no key '{part}'", "zh": "没有参数 '{part}'"},
    "input.setting.no_key_in": {
        "en": "no key '{part}'; {where} has: {known:list}",
        "zh": "没有参数 '{part}'；{where} 下有：{known:list}",
    },
    "input.setting.no_key_top": {
        "en": "no key '{part}'; the policy has: {known:list}",
        "zh": "没有参数 '{part}'；政策参数有：{known:list}",
    },
    # ---- across tables (twinning.county.instance.check_instance) ---------------------------
    "input.check.duplicate_school": {
        "en": "duplicate school id (row {first} has it too)",
        "zh": "学校代码重复（第{first}行也是此代码）",
    },
    "input.check.duplicate_staff": {
        "en": "duplicate staff id (row {first} has it too)",
        "zh": "工号重复（第{first}行也是此工号）",
    },
    "input.check.unknown_school": {"en": "unknown school", "zh": "没有这所学校"},
    "input.check.unknown_staff": {"en": "unknown staff", "zh": "没有这名教职工"},
    "input.check.teacher_subject": {"en": "a teacher needs a subject", "zh": "教师须填写学科"},
    "input.check.not_a_period": {
        "en": "not a period of horizon.periods",
        "zh": "不是 horizon.periods 中的学期",
    },
    "input.check.exchange_staff": {
        "en": "an exchange names its staff",
        "zh": "交流记录须填写工号",
    },
    "input.check.mentor_staff": {
        "en": "a mentor pair names its mentor",
        "zh": "带徒记录须填写师傅工号",
    },
    "input.check.mentor_mentee": {
        "en": "a mentor pair names its mentee",
        "zh": "带徒记录须填写徒弟工号",
    },
    "input.check.same_school": {
        "en": "same school at both ends",
        "zh": "派出学校与接收学校相同",
    },
    "input.check.coordinates": {
        "en": "coordinates are needed unless distances.csv is given",
        "zh": "未提供距离表（distances.csv）时须填写经纬度",
    },
    # ---- the output folder and saved instances ---------------------------------------------
    "input.output.foreign": {
        "en": (
            "the folder holds files but no twinning plan.json (or has sub-folders); a solve "
            "replaces its output folder whole, so it will not replace this one: choose a new "
            "or empty folder"
        ),
        "zh": (
            "该文件夹中已有文件，但不是方案的输出文件夹（没有 plan.json，或含有子文件夹）；"
            "求解会整体替换输出文件夹，因此不会替换此文件夹：请另选一个新的或空的文件夹"
        ),
    },
    "input.output.is_file": {"en": "is a file, not a folder", "zh": "这是一个文件，不是文件夹"},
    "input.output.no_temp_name": {
        "en": "no free temporary name for {name}",
        "zh": "无法为 {name} 找到可用的临时文件名",
    },
    "input.export.unknown_table": {
        "en": "table name '{table}' is not one of {tables:list}",
        "zh": "表名 '{table}' 无效；应为 {tables:list} 之一",
    },
    # ---- plan and summary files (twinning.planfile) -------------------------------------
    "input.plan.no_such_file": {"en": "no such file", "zh": "找不到该文件"},
    "input.plan.is_folder": {
        "en": "is a folder, not a file",
        "zh": "这是一个文件夹，不是文件",
    },
    "input.plan.not_utf8": {
        "en": "cannot be read as UTF-8 text",
        "zh": "无法按 UTF-8 编码读取",
    },
    "input.plan.too_deep": {
        "en": "nested deeper than {limit} levels: not a twinning plan",
        "zh": "嵌套超过 {limit} 层：不是方案文件",
    },
    "input.plan.not_plan": {"en": "not a twinning plan", "zh": "不是方案文件（plan.json）"},
    "input.plan.newer_version": {
        "en": "made by a newer twinning (plan version {version}; this version reads up to {known})",
        "zh": "由更新版本的程序生成（方案版本 {version}；本版本最高只能读取版本 {known}）",
    },
    "input.plan.bad_version": {
        "en": "plan version {version} is not one twinning knows (this version reads 1 to {known})",
        "zh": "无法识别的方案版本 {version}（本版本可读取版本 1 至 {known}）",
    },
    "input.plan.not_finite": {"en": "must be a finite number", "zh": "应为有限的数字"},
    "input.summary.too_deep": {
        "en": "nested deeper than {limit} levels: not a twinning summary",
        "zh": "嵌套超过 {limit} 层：不是结果摘要文件",
    },
    "input.summary.not_summary": {
        "en": "not a twinning summary",
        "zh": "不是结果摘要文件（summary.json）",
    },
    # ---- numbers beyond a county, types, links, depth (twinning.county.limits) -------------
    "input.number.not_bool": {
        "en": "must be a number, not true or false",
        "zh": "应为数字，不能是 'true' 或 'false'",
    },
    "input.number.not_text": {
        "en": "must be a number, not text (write it without quotes)",
        "zh": "应为数字，不能是文字（请去掉引号）",
    },
    "input.bool.not_bool": {
        "en": "must be true or false (without quotes), not a number or text",
        "zh": "应为 'true' 或 'false'（不加引号），不能是数字或文字",
    },
    "input.limit.students": {
        "en": "more than a school holds: at most {limit} students",
        "zh": "超出一所学校的规模：学生最多 {limit} 人",
    },
    "input.limit.school_staff": {
        "en": "more than a school holds: at most {limit} staff",
        "zh": "超出一所学校的规模：教职工最多 {limit} 人",
    },
    "input.limit.county_staff": {
        "en": "more than a county holds: at most {limit} staff",
        "zh": "超出一个县的规模：教职工最多 {limit} 人",
    },
    "input.limit.schools": {
        "en": "more than a county holds: at most {limit} schools",
        "zh": "超出一个县的规模：学校最多 {limit} 所",
    },
    "input.limit.km": {
        "en": "farther than any two schools of a county: at most {limit} km",
        "zh": "超出县内学校之间的距离：最多 {limit} 公里",
    },
    "input.limit.minutes": {
        "en": "longer than a day's travel: at most {limit} minutes",
        "zh": "超过一天的路程：最多 {limit} 分钟",
    },
    "input.limit.teacher_lessons": {
        "en": "more than a teacher teaches: at most {limit} lessons a week",
        "zh": "超出一名教师的课时：每周最多 {limit} 节",
    },
    "input.limit.school_lessons": {
        "en": "more than a school teaches: at most {limit} lessons a week",
        "zh": "超出一所学校的课时：每周最多 {limit} 节",
    },
    "input.limit.years": {
        "en": "longer than a working life: at most {limit} years",
        "zh": "超过一个人的工作年限：最多 {limit} 年",
    },
    "input.limit.age": {"en": "at most {limit} years of age", "zh": "年龄最多 {limit} 岁"},
    "input.limit.weight": {
        "en": "too large: a weight is at most {limit} (a larger one overflows the solvers' sums)",
        "zh": "数值过大：权重最多为 {limit}（更大的权重会使求解器的累加溢出）",
    },
    "input.limit.merit": {
        "en": "an appraisal score is at most {limit} either way",
        "zh": "考核分应在正负 {limit} 之间",
    },
    "input.limit.week": {
        "en": "a semester week is numbered at most {limit}",
        "zh": "学期的周次最多为 {limit}",
    },
    "input.limit.visits": {
        "en": "more visits than a semester holds: at most {limit}",
        "zh": "超出一个学期的送教次数：最多 {limit} 次",
    },
    "input.limit.periods": {"en": "at most {limit} periods", "zh": "最多 {limit} 个学期"},
    "input.limit.area": {
        "en": "more than a school's buildings or grounds: at most {limit} m²",
        "zh": "超出一所学校的面积：最多 {limit} 平方米",
    },
    "input.limit.equipment": {
        "en": "more than a school's equipment is worth: at most {limit} yuan",
        "zh": "超出一所学校的仪器设备值：最多 {limit} 元",
    },
    "input.limit.rooms": {
        "en": "more rooms than a school holds: at most {limit}",
        "zh": "超出一所学校的教室数：最多 {limit} 间",
    },
    "input.too_deep": {
        "en": "nested deeper than {limit} levels: not a twinning instance",
        "zh": "嵌套超过 {limit} 层：不是实例文件",
    },
    "input.yaml.aliases": {
        "en": "its aliases (*name) expand to more than {limit} values: not a twinning instance",
        "zh": "其中的别名（*）展开后超过 {limit} 个值：不是实例文件",
    },
    "input.link.broken": {
        "en": "a link to {target}, which does not exist",
        "zh": "是指向 {target} 的链接，但链接的目标不存在",
    },
    "input.link.loop": {
        "en": "a link that leads back to itself (a loop of links)",
        "zh": "是循环链接（链接最终指回自身）",
    },
    "input.unreadable": {"en": "cannot be read ({error})", "zh": "无法读取（{error}）"},
    "input.folder_not_file": {
        "en": "is a folder, not a file",
        "zh": "这是一个文件夹，不是文件",
    },
    "input.workbook.uncached_formula": {
        "en": (
            "cell {cell} holds a formula ({formula}) whose value was never saved: open the "
            "workbook in Excel or WPS and save it, or type the value"
        ),
        "zh": (
            "单元格 {cell} 是公式（{formula}），但其计算结果从未保存：请用 Excel 或 WPS 打开"
            "并保存该工作簿，或直接填写数值"
        ),
    },
    "input.check.duplicate_row": {
        "en": "given twice: row {first} has the same {columns:list}",
        "zh": "重复：第{first}行的{columns:list}与此行相同",
    },
    "input.check.duplicate_line": {
        "en": "given twice: row {first} is the same",
        "zh": "重复：与第{first}行完全相同",
    },
    "input.check.self_distance": {
        "en": "a school's distance to itself (from and to are one school)",
        "zh": "学校到其自身的距离（起点与终点是同一所学校）",
    },
    "input.check.distance_disagrees": {
        "en": (
            "{km} km, but row {first} gives {other} km the other way (the two directions may "
            "differ by {tolerance} km or {share}%, whichever is more)"
        ),
        "zh": (
            "{km} 公里，但第{first}行的反方向为 {other} 公里（两个方向最多相差 {tolerance} 公里"
            "或 {share}%，取较大者）"
        ),
    },
    "input.output.not_empty": {
        "en": (
            "the folder holds files: generate writes a county only into a new or empty "
            "folder; nothing was written"
        ),
        "zh": "该文件夹中已有文件：生成的县只写入新的或空的文件夹；未写入任何文件",
    },
    # ---- pydantic's errors, from their type and context ------------------------------------
    "input.pydantic.missing": {"en": "Field required", "zh": "必填，不能为空"},
    "input.pydantic.greater_than_equal": {
        "en": "Input should be greater than or equal to {ge}",
        "zh": "应大于或等于 {ge}",
    },
    "input.pydantic.greater_than": {"en": "Input should be greater than {gt}", "zh": "应大于 {gt}"},
    "input.pydantic.less_than_equal": {
        "en": "Input should be less than or equal to {le}",
        "zh": "应小于或等于 {le}",
    },
    "input.pydantic.less_than": {"en": "Input should be less than {lt}", "zh": "应小于 {lt}"},
    "input.pydantic.int_parsing": {
        "en": "Input should be a valid integer, unable to parse string as an integer",
        "zh": "应为整数",
    },
    "input.pydantic.int_type": {"en": "Input should be a valid integer", "zh": "应为整数"},
    "input.pydantic.int_from_float": {
        "en": "Input should be a valid integer, got a number with a fractional part",
        "zh": "应为整数，不能有小数部分",
    },
    "input.pydantic.int_parsing_size": {
        "en": "Unable to parse input string as an integer, exceeded maximum size",
        "zh": "数值过大",
    },
    "input.pydantic.float_parsing": {
        "en": "Input should be a valid number, unable to parse string as a number",
        "zh": "应为数字",
    },
    "input.pydantic.float_type": {"en": "Input should be a valid number", "zh": "应为数字"},
    "input.pydantic.finite_number": {
        "en": "Input should be a finite number",
        "zh": "应为有限的数字",
    },
    "input.pydantic.bool_parsing": {
        "en": "Input should be a valid boolean, unable to interpret input",
        "zh": "应为 是 或 否",
    },
    "input.pydantic.bool_type": {"en": "Input should be a valid boolean", "zh": "应为 是 或 否"},
    "input.pydantic.string_type": {"en": "Input should be a valid string", "zh": "应为文字"},
    "input.pydantic.string_too_short": {
        "en": "String should have at least {min_length} character(s)",
        "zh": "不能为空（至少 {min_length} 个字符）",
    },
    "input.pydantic.string_too_long": {
        "en": "String should have at most {max_length} character(s)",
        "zh": "最多 {max_length} 个字符",
    },
    "input.pydantic.too_short": {
        "en": "should have at least {min_length} item(s), not {actual_length}",
        "zh": "至少需要 {min_length} 项（现有 {actual_length} 项）",
    },
    "input.pydantic.too_long": {
        "en": "should have at most {max_length} item(s), not {actual_length}",
        "zh": "最多 {max_length} 项（现有 {actual_length} 项）",
    },
    "input.pydantic.list_type": {"en": "Input should be a valid list", "zh": "应为列表"},
    "input.pydantic.tuple_type": {"en": "Input should be a valid list", "zh": "应为列表"},
    "input.pydantic.set_type": {"en": "Input should be a valid set", "zh": "应为列表"},
    "input.pydantic.dict_type": {
        "en": "Input should be a valid dictionary",
        "zh": "应为一组参数（表）",
    },
    "input.pydantic.model_type": {
        "en": "Input should be a valid dictionary or object",
        "zh": "应为一组参数（表）",
    },
    "input.pydantic.model_attributes_type": {
        "en": "Input should be a valid dictionary or object to extract fields from",
        "zh": "应为一组参数（表）",
    },
    "input.pydantic.extra_forbidden": {"en": "Extra inputs are not permitted", "zh": "无法识别"},
    "input.pydantic.none_required": {"en": "Input should be None", "zh": "应为空"},
    "input.pydantic.union_tag_invalid": {
        "en": "unknown kind {tag}; expected one of {expected_tags}",
        "zh": "无法识别的类型 {tag}；应为 {expected_tags} 之一",
    },
    "input.pydantic.union_tag_not_found": {
        "en": "the field {discriminator} is missing",
        "zh": "缺少字段 {discriminator}",
    },
    "input.pydantic.literal_error": {
        "en": "unknown value; input should be {head:list} or {last}",
        "zh": "未知的取值；应为 {head:list} 或 {last}",
    },
    "input.pydantic.literal_error.one": {
        "en": "unknown value; input should be {last}",
        "zh": "未知的取值；应为 {last}",
    },
    "input.pydantic.recursion_loop": {
        "en": "Recursion error - cyclic reference detected",
        "zh": "嵌套层数过多",
    },
    "input.pydantic.other": {"en": "not a valid value", "zh": "取值无效"},
    **_enum_entries(),
}
