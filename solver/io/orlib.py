"""Reader for Beasley's OR-Library p-median files (``pmed1.txt`` ... and ``pmedopt.txt``).

The files are reference data for the p-median solver's tests and benchmarks, not
county input: a file is a graph whose all-pairs shortest paths are the distance
matrix, with the number of medians ``p`` in its header.  ``tests/orlib.py`` writes
them as ordinary twinning instances.

Edges are parsed with one vectorised pass over the tokens (the former line-by-line
reader of the tests gave identical matrices on pmed1-15), and the shortest paths are
a numpy Floyd-Warshall, one (n, n) relaxation per intermediate vertex (about 0.02 s
for the 300 vertices of pmed11-15).
"""

from __future__ import annotations

from os import PathLike

import numpy as np
from numpy.typing import NDArray

__all__ = ["read_orlib_pmed", "read_orlib_pmed_optima"]


def read_orlib_pmed(path: str | PathLike[str]) -> tuple[NDArray[np.float64], int]:
    """Read an OR-Library p-median file and return its shortest-path distances.

    The format (Beasley 1985) is a first line ``n edges p`` followed by ``edges``
    lines ``i j cost`` with 1-based vertices.  The graph is undirected, and a later
    line for the same edge replaces an earlier one (as in Beasley's own code).

    Parameters
    ----------
    path : str or os.PathLike
        File to read.

    Returns
    -------
    dist : numpy.ndarray
        ``(n, n)`` all-pairs shortest-path distances (Floyd-Warshall); ``inf`` between
        vertices in different components.
    p : int
        Number of medians asked for.

    Raises
    ------
    ValueError
        If the file is truncated or names a vertex outside ``1..n``.
    """
    with open(path, encoding="ascii") as handle:
        tokens = handle.read().split()
    if len(tokens) < 3:
        raise ValueError(f"{path}: expected a header 'n edges p'")
    n, n_edges, p = (int(t) for t in tokens[:3])
    if n < 1 or n_edges < 0 or len(tokens) < 3 + 3 * n_edges:
        raise ValueError(f"{path}: header says {n_edges} edges on {n} vertices; file is short")
    rows = np.asarray(tokens[3 : 3 + 3 * n_edges], dtype=np.float64).reshape(n_edges, 3)
    i = rows[:, 0].astype(np.int64) - 1
    j = rows[:, 1].astype(np.int64) - 1
    if n_edges and (min(i.min(), j.min()) < 0 or max(i.max(), j.max()) >= n):
        raise ValueError(f"{path}: a vertex number is outside 1..{n}")
    lo, hi = np.minimum(i, j), np.maximum(i, j)
    # Keep the last line of every undirected edge: unique() on the reversed keys
    # returns first occurrences, i.e. the last ones in file order.  (Fancy-index
    # assignment with repeated indices has no guaranteed order, so it is not used.)
    keys = (lo * n + hi)[::-1]
    _, first_in_reversed = np.unique(keys, return_index=True)
    last = n_edges - 1 - first_in_reversed
    last = last[lo[last] != hi[last]]  # a self-loop never shortens a path
    dist = np.full((n, n), np.inf)
    dist[lo[last], hi[last]] = rows[last, 2]
    dist[hi[last], lo[last]] = rows[last, 2]
    np.fill_diagonal(dist, 0.0)
    # Floyd-Warshall, one vectorised relaxation through each intermediate vertex k.
    for k in range(n):
        np.minimum(dist, dist[:, k, None] + dist[None, k, :], out=dist)
    return dist, p


def read_orlib_pmed_optima(path: str | PathLike[str]) -> dict[str, int]:
    """Read the proven optima listed in OR-Library's ``pmedopt.txt``.

    The file has a header line, then lines ``name value`` (``pmed1       5819``).
    Lines of any other shape, the header among them, are skipped.

    Parameters
    ----------
    path : str or os.PathLike
        File to read.

    Returns
    -------
    dict of str to int
        Optimal objective by instance name (``"pmed1"`` ...).
    """
    with open(path, encoding="ascii") as handle:
        lines = handle.read().splitlines()
    optima: dict[str, int] = {}
    for line in lines:
        parts = line.split()
        if len(parts) == 2 and parts[1].isdigit():
            optima[parts[0]] = int(parts[1])
    return optima
