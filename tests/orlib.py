"""OR-Library p-median files written as ordinary twinning instances (for tests and benchmarks).

The files are in ``../shared/reference/pmed/`` beside the repository. Nothing in
``solver`` knows them: they become a folder with ``schools.csv`` (every vertex a
school that may lead), ``distances.csv`` (all-pairs shortest paths) and
``policy.toml`` (``alliances.groups`` = p, sizes unbounded, ``same_stage`` off,
1 cost unit per km so that the objective is the p-median cost).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

PMED = Path(__file__).resolve().parents[2] / "shared" / "reference" / "pmed"


def optima() -> dict[str, int]:
    """Proven optima from ``pmedopt.txt``."""
    out = {}
    for line in (PMED / "pmedopt.txt").read_text().splitlines()[1:]:
        parts = line.split()
        if len(parts) == 2 and parts[1].isdigit():
            out[parts[0]] = int(parts[1])
    return out


def shortest_paths(path: Path) -> tuple[np.ndarray, int]:
    """(distance matrix, p): edges read in turn (a later line replaces an earlier), Floyd."""
    lines = path.read_text().split("\n")
    n, _, p = (int(x) for x in lines[0].split())
    d = np.full((n, n), np.inf)
    for line in lines[1:]:
        parts = line.split()
        if len(parts) == 3:
            i, j, c = int(parts[0]) - 1, int(parts[1]) - 1, float(parts[2])
            d[i, j] = d[j, i] = c
    np.fill_diagonal(d, 0.0)
    for k in range(n):
        np.minimum(d, d[:, k, None] + d[None, k, :], out=d)
    return d, p


def write_instance(name: str, out: Path) -> Path:
    """Write pmedN as an instance folder; returns the folder."""
    d, p = shortest_paths(PMED / f"{name}.txt")
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
        f"[alliances]\ngroups = {p}\nsame_stage = false\n\n[weights]\nalliance_km = 1\n",
        encoding="utf-8",
    )
    return folder
