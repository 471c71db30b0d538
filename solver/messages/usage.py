"""What a command or the library says of bad usage (exit 2), and of its own defects (exit 3)."""

from __future__ import annotations

ENTRIES: dict[str, dict[str, str]] = {
    "usage.unknown_parts": {
        "en": "unknown part(s): {parts:list}; choose from {known:list}",
        "zh": "无法识别的规划内容：{parts:list}；可选 {known:list}",
    },
    "usage.no_parts": {
        "en": "no part to plan; choose from {known:list}",
        "zh": "没有要规划的内容；可选 {known:list}",
    },
    "usage.unknown_backend": {
        "en": "unknown backend {backend}; choose from {known:list}",
        "zh": "无法识别的求解后端 {backend}；可选 {known:list}",
    },
}
