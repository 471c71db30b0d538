"""OR-Library p-median files written as ordinary twinning instances (for tests and benchmarks).

The files are in ``tests/data/pmed/`` (copied unchanged from OR-Library) and are read by
:mod:`twinning.io.orlib`; the solving code never sees them. Here they become a folder
with ``schools.csv`` (every vertex a school that may lead), ``distances.csv``
(all-pairs shortest paths) and ``policy.toml`` (``alliances.groups`` = p, sizes
unbounded, ``same_stage`` off, 1 cost unit per km so that the objective is the
p-median cost).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from twinning.io.orlib import read_orlib_pmed, read_orlib_pmed_optima

PMED = Path(__file__).resolve().parent / "data" / "pmed"


def optima() -> dict[str, int]:
    """Proven optima from ``pmedopt.txt``."""
    return read_orlib_pmed_optima(PMED / "pmedopt.txt")


def write_instance(name: str, out: Path) -> Path:
    """Write pmedN as an instance folder; returns the folder."""
    d, p = read_orlib_pmed(PMED / f"{name}.txt")
    n = len(d)
    folder = out / name
    folder.mkdir(parents=True, exist_ok=True)
    rows = ["id,name,stage,area,tier"]
    rows += [f"v{i + 1},vertex {i + 1},primary,urban,strong" for i in range(n)]
    (folder / "schools.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    i, j = np.triu_indices(n, 1)
    lines = ["from,to,km"] + [f"v{a + 1},v{b + 1},{d[a, b]:g}" for a, b in zip(i, j, strict=True)]
    (folder / "distances.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "policy.toml").write_text(
        f"[alliances]\ngroups = {p}\nsame_stage = false\nsize_band = []\n"
        "\n[weights]\nalliance_km = 1\n",
        encoding="utf-8",
    )
    return folder
