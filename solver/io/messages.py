"""Input messages in the planner's language.

A reader writes each message as an English template (``"missing required column
'{column}'"``) and :func:`say` gives it in Chinese when the planner's files are Chinese.
The English text is the key, as with gettext: English messages stay exactly as they were,
and a message that lacks a Chinese entry still reads (in English) instead of failing;
``tests/test_readers.py`` checks that every message the readers and the cross-table check
write has one. pydantic's messages are rendered from the error's type and context
(:func:`validation_message`), not from its English text, which changes between versions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from twinning.county.vocabulary import CHINESE
from twinning.errors import Lang

#: English template -> Chinese template (same ``{placeholders}``).
ZH: dict[str, str] = {
    # files and formats
    "no such file or folder": "找不到该文件或文件夹",
    "unknown instance format: give a folder, .xlsx, .json or .yaml": (
        "无法识别的实例格式：请给出文件夹、.xlsx、.json 或 .yaml 文件"
    ),
    "not a text file (it holds binary data)": "不是文本文件（含有二进制数据）",
    "cannot be read as UTF-8 or GB18030 text": "无法按 UTF-8 或 GB18030 编码读取",
    "starts with a UTF-16 mark but cannot be read as UTF-16 text": (
        "文件以 UTF-16 标记开头，但无法按 UTF-16 编码读取"
    ),
    "not a valid CSV file: {detail}": "不是有效的 CSV 文件：{detail}",
    "not valid TOML: {detail}": "不是有效的 TOML 文件：{detail}",
    "not valid JSON: {detail} (line {line}, column {col})": (
        "不是有效的 JSON 文件：{detail}（第{line}行，第{col}列）"
    ),
    "not valid YAML: {detail}": "不是有效的 YAML 文件：{detail}",
    "not a readable Excel workbook ({detail})": "无法读取的 Excel 工作簿（{detail}）",
    # tables and columns
    "the file is empty: it needs a header row and data rows": "文件为空：需要表头行和数据行",
    "the sheet is empty: it needs a header row": "工作表为空：需要表头行",
    "the table has a header but no rows; remove the file or fill it in": (
        "表格只有表头、没有数据；请删除该文件或填写数据"
    ),
    "column given twice": "该列出现了两次",
    "missing required column '{column}'": "缺少必填列 '{column}'",
    "column '{column}' is not known; did you mean '{suggestion}'?": (
        "无法识别列 '{column}'；是否应为 '{suggestion}'？"
    ),
    "column '{column}' is not used (unknown column)": "列 '{column}' 无法识别，已忽略",
    "merged cells {cells} filled with {value}": "合并单元格 {cells} 已逐格填入 {value}",
    "not an instance table, ignored": "不是实例的表格，已忽略",
    "table '{table}' is given twice": "表格 '{table}' 出现了两次",
    "missing: every instance needs schools": "缺少此文件：每个实例都需要学校表",
    "missing sheet: every instance needs schools": "缺少此工作表：每个实例都需要学校表",
    "the policy sheet needs columns 'key' and 'value'": "政策工作表需要 'key' 和 'value' 两列",
    "policy keys conflict: {detail}": "政策参数相互冲突：{detail}",
    # JSON / YAML documents
    "the document must be an object with a 'schools' table": (
        "文档必须是一个含有 'schools' 表的对象"
    ),
    "unknown table '{table}'": "无法识别的表格 '{table}'",
    "'{table}' must be a list of rows": "'{table}' 必须是由行组成的列表",
    "each row of '{table}' must be an object": "'{table}' 的每一行都必须是对象",
    "unknown column in '{table}'": "'{table}' 中有无法识别的列",
    "unknown column in '{table}'; did you mean '{suggestion}'?": (
        "'{table}' 中有无法识别的列；是否应为 '{suggestion}'？"
    ),
    "the document needs a non-empty 'schools' table": "文档需要一个非空的 'schools' 表",
    "'policy' must be an object": "'policy' 必须是对象",
    # policy
    "key {key}: {message}": "参数 {key}：{message}",
    "unknown policy key": "未知的政策参数",
    "alliances.max_size must be >= alliances.min_size": (
        "alliances.max_size 不能小于 alliances.min_size"
    ),
    "rotation.max_periods must be >= rotation.min_periods": (
        "rotation.max_periods 不能小于 rotation.min_periods"
    ),
    # across tables (twinning.county.instance.check_instance)
    "duplicate school id": "学校代码重复",
    "duplicate staff id": "工号重复",
    "unknown school": "没有这所学校",
    "unknown staff": "没有这名教职工",
    "a teacher needs a subject": "教师须填写学科",
    "not a period of horizon.periods": "不是 horizon.periods 中的学期",
    "an exchange names its staff": "交流记录须填写工号",
    "a mentor pair names its mentor": "带徒记录须填写师傅工号",
    "a mentor pair names its mentee": "带徒记录须填写徒弟工号",
    "same school at both ends": "派出学校与接收学校相同",
    "coordinates are needed unless distances.csv is given": (
        "未提供距离表（distances.csv）时须填写经纬度"
    ),
    "key alliances.leads: unknown school": "参数 alliances.leads：没有这所学校",
}

#: pydantic error type -> Chinese template over the error's ``ctx``.
_VALIDATION_ZH: dict[str, str] = {
    "missing": "必填，不能为空",
    "greater_than_equal": "应大于或等于 {ge}",
    "greater_than": "应大于 {gt}",
    "less_than_equal": "应小于或等于 {le}",
    "less_than": "应小于 {lt}",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数，不能有小数部分",
    "int_parsing_size": "数值过大",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "finite_number": "应为有限的数字",
    "bool_parsing": "应为 是 或 否",
    "bool_type": "应为 是 或 否",
    "string_type": "应为文字",
    "string_too_short": "不能为空",
    "string_too_long": "最多 {max_length} 个字符",
    "too_short": "至少需要 {min_length} 项",
    "too_long": "最多 {max_length} 项",
    "list_type": "应为列表",
    "tuple_type": "应为列表",
    "dict_type": "应为一组参数（表）",
    "model_type": "应为一组参数（表）",
    "model_attributes_type": "应为一组参数（表）",
    "extra_forbidden": "无法识别",
    "literal_error": "未知的取值；应为 {expected}",
}

_QUOTED = re.compile(r"'([^']*)'")


def say(template: str, lang: Lang, **params: object) -> str:
    """A message in the planner's language.

    Parameters
    ----------
    template
        The English message, with ``{name}`` placeholders filled from ``params``.
    lang
        ``"zh"`` for Chinese (when :data:`ZH` has the template), else English.
    """
    text = ZH.get(template, template) if lang == "zh" else template
    return text.format(**params) if params else text


def validation_message(err: Any, lang: Lang) -> str:
    """One pydantic error (a dict of ``type``, ``loc``, ``msg``, ``ctx``) as a message.

    English keeps pydantic's text, with "unknown value; " before a wrong enum value. Chinese
    is rendered from the type and ``ctx``, with the allowed values of an enum in Chinese
    (小学/初中, not primary/junior) when the field is one of the vocabulary's; a type without
    a rendering keeps pydantic's English text rather than saying nothing.
    """
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if lang != "zh":
        message = str(err["msg"])
        if kind == "literal_error":
            return f"unknown value; {message[0].lower()}{message[1:]}"
        return message
    if kind == "value_error":
        return say(str(ctx.get("error", err["msg"])), lang)
    template = _VALIDATION_ZH.get(kind)
    if template is None:
        return str(err["msg"])
    if kind == "literal_error":
        loc = err.get("loc") or ()
        names = next((CHINESE[p] for p in reversed(loc) if isinstance(p, str) and p in CHINESE), {})
        allowed = [names.get(v, v) for v in _QUOTED.findall(str(ctx.get("expected", "")))]
        listed = [f"'{v}'" for v in allowed]
        expected = (
            "、".join(listed[:-1]) + f" 或 {listed[-1]}" if len(listed) > 1 else "".join(listed)
        )
        return template.format(expected=expected)
    # Bounds as pydantic writes them in English: 1, not 1.0.
    plain = {k: int(v) if isinstance(v, float) and v.is_integer() else v for k, v in ctx.items()}
    try:
        return template.format(**plain)
    except (KeyError, IndexError):  # a pydantic version with other context keys
        return str(err["msg"])


def language_of(texts: Iterable[str]) -> Lang:
    """``"zh"`` when most of the texts (headers, names) are not plain ASCII, else ``"en"``."""
    written = [t for t in texts if t and t.strip()]
    chinese = sum(1 for t in written if not t.isascii())
    return "zh" if written and chinese * 2 > len(written) else "en"
