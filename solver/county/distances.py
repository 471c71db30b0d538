"""Distances between schools: great-circle km, overridden by ``distances.csv``.

A county of 10,000 schools would need a 800 MB full matrix, so distances are
computed by block (helpers x helped, leads x members) on demand.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from twinning.county.instance import Instance

EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two WGS84 points."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


class Distances:
    """Distance look-up for one instance; unknown distances are ``inf``."""

    def __init__(self, inst: Instance) -> None:
        self.index = inst.school_index()
        n = len(inst.schools)
        self._lat = np.full(n, np.nan)
        self._lon = np.full(n, np.nan)
        for i, s in enumerate(inst.schools):
            if s.lat is not None and s.lon is not None:
                self._lat[i], self._lon[i] = s.lat, s.lon
        # Plain floats for :meth:`km` (one pair at a time): reading a numpy array element
        # by element costs more than the distance itself.
        self._lat_list: list[float] = self._lat.tolist()
        self._lon_list: list[float] = self._lon.tolist()
        # Given distances override coordinates; one direction given serves both.
        self._given: dict[tuple[int, int], float] = {}
        for d in inst.distances:
            a, b = self.index[d.from_], self.index[d.to]
            self._given[(a, b)] = d.km
            self._given.setdefault((b, a), d.km)
        for d in inst.distances:  # an explicit reverse row wins over the mirrored one
            a, b = self.index[d.from_], self.index[d.to]
            self._given[(a, b)] = d.km
        self._arrays: tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]] | None = None
        # Given minutes (distances.csv's optional column), by the same rule as km.
        self._minutes: dict[tuple[int, int], float] = {}
        for d in inst.distances:
            if d.minutes is not None:
                a, b = self.index[d.from_], self.index[d.to]
                self._minutes.setdefault((b, a), d.minutes)
        for d in inst.distances:
            if d.minutes is not None:
                self._minutes[(self.index[d.from_], self.index[d.to])] = d.minutes

    def km(self, a: str, b: str) -> float:
        """Distance in km between two schools by id."""
        ia, ib = self.index[a], self.index[b]
        if ia == ib:
            return 0.0
        given = self._given.get((ia, ib))
        if given is not None:
            return given
        lat1, lat2 = self._lat_list[ia], self._lat_list[ib]
        if math.isnan(lat1) or math.isnan(lat2):
            return float("inf")
        return haversine_km(lat1, self._lon_list[ia], lat2, self._lon_list[ib])

    def given_minutes(self, a: str, b: str) -> float | None:
        """Minutes of travel from ``a`` to ``b`` as distances.csv gives them (one direction
        given serves both), or None."""
        if not self._minutes:
            return None
        return self._minutes.get((self.index[a], self.index[b]))

    def block(self, rows: list[str], cols: list[str]) -> NDArray[np.float64]:
        """Distances rows x cols in km (inf where neither coordinates nor a given distance)."""
        ri = np.array([self.index[r] for r in rows], dtype=np.int64)
        ci = np.array([self.index[c] for c in cols], dtype=np.int64)
        return self.block_idx(ri, ci)

    def block_idx(self, ri: NDArray[np.int64], ci: NDArray[np.int64]) -> NDArray[np.float64]:
        """Like :meth:`block` with school positions instead of ids."""
        lat1 = np.radians(self._lat[ri])[:, None]
        lat2 = np.radians(self._lat[ci])[None, :]
        dl = np.radians(self._lon[ci])[None, :] - np.radians(self._lon[ri])[:, None]
        a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin(dl / 2) ** 2
        out = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))
        out = np.where(np.isnan(out), np.inf, out)
        same = ri[:, None] == ci[None, :]
        out[same] = 0.0
        if self._given:
            # Scatter the given distances with numpy: positions of each school in the block.
            rpos = np.full(len(self._lat), -1, dtype=np.int64)
            cpos = np.full(len(self._lat), -1, dtype=np.int64)
            rpos[ri] = np.arange(len(ri))
            cpos[ci] = np.arange(len(ci))
            gi, gj, gk = self._given_arrays()
            i, j = rpos[gi], cpos[gj]
            keep = (i >= 0) & (j >= 0) & (gi != gj)
            out[i[keep], j[keep]] = gk[keep]
        return out

    def _given_arrays(self) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
        if self._arrays is None:
            keys = np.array(list(self._given.keys()), dtype=np.int64).reshape(-1, 2)
            values = np.array(list(self._given.values()), dtype=np.float64)
            self._arrays = (keys[:, 0], keys[:, 1], values)
        return self._arrays
