"""What the command's deadline makes it say (:mod:`twinning.deadline`): what ``--time-limit``
means, the steps after the parts on the progress line, and an explanation whose time ran
out before its conflict was made smallest."""

from __future__ import annotations

ENTRIES: dict[str, dict[str, str]] = {
    "cli.help.solve_time_limit": {
        "en": "Seconds for the whole command, from its start: reading the instance, the parts, "
        "checking and writing the files, and the short explanation after an infeasible "
        "roster. The parts share what is left after reading, less a reserve for checking "
        "and writing (estimated from the county's size, more on a busy machine) and, while "
        "the roster may need it, the explanation's share (a sixth of the limit, at most "
        "10 s; it stops when its time is up and says so). A part always gets at least "
        "{least:g} s, so a limit too short for the county is overrun and the status says "
        "what was reached.",
        "zh": "整个命令的总秒数，自命令启动时算起：包括读取实例、求解各部分、校验并写出文件，"
        "以及交流名单无解时的简短解释。各部分分享读取之后剩余的时间，其中预留校验与写出文件"
        "的时间（按县域规模估算，机器繁忙时多留），并在交流名单可能需要解释时预留解释的时间"
        "（限时的六分之一，至多 10 秒；时间用完即停止并如实说明）。每一部分至少有 {least:g} "
        "秒，因此限时对该县域过短时会超出限时，状态会说明达到的程度。",
    },
    "progress.writing": {"en": "writing the files", "zh": "写出文件"},
    "progress.explaining": {
        "en": "explaining why no plan keeps every rule",
        "zh": "解释为何没有满足全部规则的方案",
    },
    "explain.short.cut_unreduced": {
        "en": " (the explanation's time ran out: a conflict, not proven smallest)",
        "zh": "（解释时间已用完：以上规则相互冲突，但未证明是最小的冲突集合）",
    },
}
