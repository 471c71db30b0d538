"""Tests for the exact p-median solver (solver/models/alliances/pmedian/).

Optimality is checked against proven OR-Library optima and against brute force over
every combination of leads on small random instances, including forbidden (inf)
assignments, masks of allowed leads, fixed leads, weights, rectangular matrices and
square matrices whose diagonal is not the cheapest entry (a lead still serves itself).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from tests.orlib import PMED
from twinning.io.orlib import read_orlib_pmed
from twinning.messages import render
from twinning.models.alliances.pmedian import (
    PMedianResult,
    branch,
    driver,
    lagrangian,
    problem,
    solve_pmedian,
)

FloatArray = NDArray[np.float64]


def _pmed(name: str) -> Path:
    return PMED / f"{name}.txt"  # shipped in tests/data/pmed: never skipped


def brute_force(
    dist: FloatArray,
    p: int,
    weights: FloatArray,
    fixed: Sequence[int],
    allowed: NDArray[np.bool_],
) -> float:
    """Optimum by enumeration (``inf`` when infeasible), with the lead-serves-itself rule."""
    n, m = dist.shape
    best = math.inf
    columns = [j for j in range(m) if allowed[j]]
    for leads in itertools.combinations(columns, p):
        if not set(fixed) <= set(leads):
            continue
        served = dist[:, list(leads)].min(axis=1) if leads else np.full(n, np.inf)
        if n == m:
            served[list(leads)] = dist[list(leads), list(leads)]
        if not np.isfinite(served).all():
            continue
        best = min(best, float(np.sum(weights * served)))
    return best


def check_result(
    result: PMedianResult,
    dist: FloatArray,
    p: int,
    weights: FloatArray,
    fixed: Sequence[int] = (),
    allowed: NDArray[np.bool_] | None = None,
) -> None:
    """Structural checks every feasible result must pass."""
    n, m = dist.shape
    leads = set(result.leads)
    assert list(result.leads) == sorted(leads)
    assert len(leads) == p
    assert set(fixed) <= leads
    if allowed is not None:
        assert all(allowed[j] for j in leads)
    assert result.assignment.shape == (n,)
    assert all(int(a) in leads for a in result.assignment)
    if n == m:
        assert all(result.assignment[j] == j for j in leads)
    served = dist[np.arange(n), result.assignment]
    assert np.isfinite(served).all()
    recomputed = float(np.sum(weights * served))
    assert result.objective == pytest.approx(recomputed, rel=1e-12, abs=1e-9)
    assert result.bound <= result.objective + 1e-9 * max(1.0, abs(result.objective))


# ------------------------------------------------------------------ OR-Library


def test_read_orlib_pmed1_shape_and_symmetry() -> None:
    dist, p = read_orlib_pmed(_pmed("pmed1"))
    assert dist.shape == (100, 100)
    assert p == 5
    assert np.array_equal(dist, dist.T)
    assert np.all(np.diagonal(dist) == 0)
    assert np.isfinite(dist).all()


def test_pmed1_proven_optimal() -> None:
    dist, p = read_orlib_pmed(_pmed("pmed1"))
    result = solve_pmedian(dist, p)
    assert result.status == "optimal"
    assert result.objective == 5819
    assert result.bound == pytest.approx(5819)
    check_result(result, dist, p, np.ones(len(dist)))


def test_pmed2_proven_optimal() -> None:
    dist, p = read_orlib_pmed(_pmed("pmed2"))
    result = solve_pmedian(dist, p)
    assert result.status == "optimal"
    assert result.objective == 4093
    check_result(result, dist, p, np.ones(len(dist)))


def test_read_orlib_later_edge_line_wins(tmp_path: Path) -> None:
    path = tmp_path / "tiny.txt"
    # Edge 1-2 is given twice (second time reversed): the later cost, 5, counts.
    path.write_text("3 3 1\n1 2 30\n2 3 4\n2 1 5\n")
    dist, p = read_orlib_pmed(path)
    assert p == 1
    expected = np.array([[0, 5, 9], [5, 0, 4], [9, 4, 0]], dtype=float)
    assert np.array_equal(dist, expected)


def test_read_orlib_rejects_truncated_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_text("3 3 1\n1 2 30\n")
    with pytest.raises(ValueError, match="short"):
        read_orlib_pmed(path)


# ------------------------------------------------------------- brute force


@st.composite
def instances(
    draw: st.DrawFn,
) -> tuple[FloatArray, int, FloatArray | None, tuple[int, ...], NDArray[np.bool_] | None]:
    """Random small instances: Euclidean floats (sometimes rounded), inf entries,
    masks, fixed leads, weights, square or rectangular."""
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n = draw(st.integers(1, 12))
    square = draw(st.booleans())
    m = n if square else draw(st.integers(1, 12))
    clients = rng.random((n, 2))
    sites = clients if square else rng.random((m, 2))
    dist = np.sqrt(((clients[:, None, :] - sites[None, :, :]) ** 2).sum(axis=2)) * 10.0
    if draw(st.booleans()):
        dist = np.round(dist)
    if square and draw(st.booleans()):
        # Diagonal not always the row minimum: a chosen lead must still serve itself.
        dist[np.arange(n), np.arange(n)] = rng.random(n) * 4.0 * (rng.random(n) < 0.5)
    if draw(st.booleans()):
        dist[rng.random((n, m)) < draw(st.sampled_from([0.1, 0.3, 0.5]))] = np.inf
    p = draw(st.integers(1, min(m, 4)))
    weights = None
    if draw(st.booleans()):
        weights = rng.integers(0, 4, n).astype(float) if draw(st.booleans()) else rng.random(n)
    allowed = rng.random(m) < 0.75 if draw(st.booleans()) else None
    fixed: tuple[int, ...] = ()
    if draw(st.booleans()):
        fixed = tuple(int(j) for j in rng.choice(m, draw(st.integers(1, p)), replace=False))
    return dist, p, weights, fixed, allowed


def _agree_with_brute_force(
    dist: FloatArray,
    p: int,
    weights: FloatArray | None,
    fixed: tuple[int, ...],
    allowed: NDArray[np.bool_] | None,
) -> None:
    n, m = dist.shape
    w = np.ones(n) if weights is None else weights
    mask = np.ones(m, dtype=bool) if allowed is None else allowed
    expected = brute_force(dist, p, w, fixed, mask)
    result = solve_pmedian(dist, p, weights=weights, fixed_leads=fixed, allowed_leads=allowed)
    if math.isinf(expected):
        assert result.status == "infeasible"
        assert result.leads == ()
        return
    assert result.status == "optimal", result.method
    assert result.objective == pytest.approx(expected, rel=1e-6, abs=1e-9)
    assert result.bound <= expected + 1e-6 * max(1.0, abs(expected))
    check_result(result, dist, p, w, fixed, allowed)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_brute_force_agreement(
    case: tuple[FloatArray, int, FloatArray | None, tuple[int, ...], NDArray[np.bool_] | None],
) -> None:
    _agree_with_brute_force(*case)


@pytest.fixture
def without_lagrangian_proof(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the Lagrangian stage return the trivial multipliers (lambda = 0): nothing is
    proven there, reduced-cost fixing works from a weak bound and the exact stage (the
    branch and bound, or the radius MIP without an incumbent) does the work."""

    def weak(
        inst: problem._Instance, upper: float, lam: FloatArray, *args: object
    ) -> lagrangian._Lagrangian:
        return lagrangian._Lagrangian(-math.inf, np.zeros_like(lam), 0)

    # The driver imports the stage functions by name, so they are replaced there.
    monkeypatch.setattr(driver, "_lagrangian", weak)


# The patch is the same for every example, so a function-scoped fixture is fine.
_PATCHED = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@_PATCHED
@given(instances())
def test_brute_force_agreement_of_the_mip_stage(
    without_lagrangian_proof: None,
    case: tuple[FloatArray, int, FloatArray | None, tuple[int, ...], NDArray[np.bool_] | None],
) -> None:
    _agree_with_brute_force(*case)


@pytest.fixture
def without_heuristic(monkeypatch: pytest.MonkeyPatch) -> None:
    """Replace the heuristic by "forced leads plus the first free columns", often
    infeasible on instances with forbidden pairs: the MIP must then find a solution
    (or prove infeasibility) without a warm start."""

    def first_columns(h: FloatArray, inst: problem._Instance) -> NDArray[np.bool_]:
        mask = inst.forced.copy()
        mask[np.flatnonzero(~mask)[: inst.p - int(mask.sum())]] = True
        return mask

    monkeypatch.setattr(driver, "_greedy", first_columns)
    monkeypatch.setattr(driver, "_local_search", lambda h, mask, inst: mask)
    monkeypatch.setattr(driver, "_PERTURBATION_ROUNDS", 0)


@_PATCHED
@given(instances())
def test_brute_force_agreement_without_heuristic(
    without_heuristic: None,
    without_lagrangian_proof: None,
    case: tuple[FloatArray, int, FloatArray | None, tuple[int, ...], NDArray[np.bool_] | None],
) -> None:
    _agree_with_brute_force(*case)


def test_highs_presolve_regression(without_heuristic: None, without_lagrangian_proof: None) -> None:
    # Found by the brute-force test: HiGHS 1.14.0 MIP presolve reduced this instance's
    # 5-column radius model to empty at 7.15 (leads 1, 2) although 5.65 is optimal.
    dist = np.array(
        [
            [0.0, 5.49072567, 5.65464784],
            [5.49072567, 0.0, 4.57703875],
            [5.65464784, 4.57703875, 0.0],
        ]
    )
    weights = np.array([1.30304581, 1.23411726, 2.97715637])
    result = solve_pmedian(dist, 2, weights=weights)
    assert result.status == "optimal"
    assert result.leads == (0, 2)
    assert result.objective == pytest.approx(1.23411726 * 4.57703875)


def test_irregular_diagonal_forces_self_service(without_lagrangian_proof: None) -> None:
    # School 0 is far from itself (say a fixed cost of 10) but near school 1; if both
    # are leads, 0 must still pay its own 10.
    dist = np.array([[10.0, 1.0, 5.0], [1.0, 0.0, 5.0], [5.0, 5.0, 0.0]])
    result = solve_pmedian(dist, 2)
    assert result.status == "optimal"
    assert result.objective == brute_force(dist, 2, np.ones(3), (), np.ones(3, dtype=bool))
    assert result.leads == (1, 2)
    forced = solve_pmedian(dist, 2, fixed_leads=[0])
    assert forced.status == "optimal"
    assert forced.assignment[0] == 0
    # Leads {0, 2}: 0 pays its own 10, 1 goes to 0 (1), 2 serves itself (0).
    assert forced.objective == 11.0
    assert forced.leads == (0, 2)


def test_exact_stage_on_pmed_sized_random_instance() -> None:
    # A 60-school Euclidean instance (km, not integers) whose Lagrangian bound leaves
    # a gap, so reduced-cost fixing and the branch and bound run.
    rng = np.random.default_rng(8)
    points = rng.random((60, 2)) * 100
    dist = np.sqrt(((points[:, None, :] - points[None, :, :]) ** 2).sum(axis=2))
    result = solve_pmedian(dist, 6, seed=1)
    assert result.status == "optimal"
    assert "branch and bound" in render(result.method, "en")
    check_result(result, dist, 6, np.ones(60))
    again = solve_pmedian(dist, 6, seed=1)
    assert again.leads == result.leads  # deterministic for a seed


@pytest.mark.parametrize("seed", range(6))
def test_branch_and_bound_from_a_weak_root_agrees_with_brute_force(
    without_lagrangian_proof: None, seed: int
) -> None:
    # With lambda = 0 at the root nothing is fixed there: the tree does all the work
    # on instances big enough to branch several levels deep.
    rng = np.random.default_rng(seed)
    n = int(rng.integers(14, 19))
    p = int(rng.integers(2, 6))
    points = rng.random((n, 2)) * 30.0
    dist = np.sqrt(((points[:, None, :] - points[None, :, :]) ** 2).sum(axis=2))
    if seed % 2:
        dist = np.round(dist)
    weights = rng.random(n) + 0.5 if seed % 3 == 0 else np.ones(n)
    expected = brute_force(dist, p, weights, (), np.ones(n, dtype=bool))
    result = solve_pmedian(dist, p, weights=weights)
    assert "branch and bound" in render(result.method, "en")
    assert result.status == "optimal"
    assert result.objective == pytest.approx(expected, rel=1e-9)
    check_result(result, dist, p, weights)


class _NodeClock:
    """Stands in for ``time`` in :mod:`.branch`: the deadline passes after ``k`` reads."""

    def __init__(self, k: int) -> None:
        self.left = k

    def monotonic(self) -> float:
        self.left -= 1
        return -math.inf if self.left >= 0 else math.inf


@pytest.mark.parametrize(("seed", "k"), [(s, k) for s in range(4) for k in (0, 1, 2, 4, 8)])
def test_branch_and_bound_cut_short_keeps_a_valid_bound(
    without_lagrangian_proof: None, monkeypatch: pytest.MonkeyPatch, seed: int, k: int
) -> None:
    # The tree stops after k nodes: its bound (smallest open node) must stay below
    # the optimum, and the status says "optimal" only when it is proven.
    rng = np.random.default_rng(100 + seed)
    n, p = 16, 4
    dist = rng.integers(1, 60, (n, n)).astype(float)
    np.fill_diagonal(dist, 0.0)
    expected = brute_force(dist, p, np.ones(n), (), np.ones(n, dtype=bool))
    monkeypatch.setattr(branch, "time", _NodeClock(k))
    result = solve_pmedian(dist, p, time_limit=1.0)
    check_result(result, dist, p, np.ones(n))
    assert result.bound <= expected + 1e-9
    if k == 0:
        assert result.status == "feasible"  # nothing was proven, not even the root
    if result.status == "optimal":
        assert result.objective == expected


def test_radius_mip_when_the_heuristic_serves_nobody_well(without_heuristic: None) -> None:
    # Two islands: the first two columns leave clients 2 and 3 unserved, so there is
    # no incumbent and the radius MIP finds the optimum from scratch.
    inf = np.inf
    dist = np.array(
        [
            [0.0, 2.0, inf, inf],
            [2.0, 0.0, inf, inf],
            [inf, inf, 0.0, 3.0],
            [inf, inf, 3.0, 0.0],
        ]
    )
    result = solve_pmedian(dist, 2)
    assert "radius MIP" in render(result.method, "en")
    assert result.status == "optimal"
    assert result.objective == brute_force(dist, 2, np.ones(4), (), np.ones(4, dtype=bool))
    check_result(result, dist, 2, np.ones(4))


# ------------------------------------------------------------------ infeasible


@pytest.mark.parametrize(
    ("dist", "p", "kwargs"),
    [
        # A client with only forbidden leads.
        (np.array([[0.0, np.inf], [np.inf, np.inf]]), 1, {"allowed_leads": np.array([1, 0])}),
        # p larger than the allowed leads.
        (np.zeros((3, 3)), 3, {"allowed_leads": np.array([True, True, False])}),
        # More fixed leads than p.
        (np.zeros((3, 3)), 1, {"fixed_leads": [0, 1]}),
        # A fixed lead that is not allowed.
        (np.zeros((3, 3)), 1, {"fixed_leads": [2], "allowed_leads": np.array([1, 1, 0])}),
        # Two regions, one lead: somebody is unserved.
        (np.array([[0.0, np.inf], [np.inf, 0.0]]), 1, {}),
        # p = 0 with clients.
        (np.zeros((2, 2)), 0, {}),
        # Covering needs three leads, p = 2 (every client reaches only itself).
        (np.where(np.eye(3) == 1, 0.0, np.inf), 2, {}),
    ],
)
def test_infeasible_returns_status(dist: FloatArray, p: int, kwargs: dict[str, object]) -> None:
    result = solve_pmedian(dist, p, **kwargs)  # type: ignore[arg-type]
    assert result.status == "infeasible"
    assert result.leads == ()
    assert math.isinf(result.objective)


def test_rectangular_and_weights() -> None:
    dist = np.array([[1.0, 4.0, 2.0], [3.0, 1.0, 2.0], [5.0, 5.0, 1.0], [2.0, 2.0, 2.0]])
    weights = np.array([1.0, 2.0, 0.5, 0.0])
    result = solve_pmedian(dist, 2, weights=weights)
    assert result.status == "optimal"
    assert result.objective == brute_force(dist, 2, weights, (), np.ones(3, dtype=bool))
    check_result(result, dist, 2, weights)


def test_no_clients() -> None:
    result = solve_pmedian(np.zeros((0, 4)), 2, fixed_leads=[3])
    assert result.status == "optimal"
    assert result.objective == 0.0
    assert 3 in result.leads
    assert len(result.leads) == 2


def test_bad_input_raises() -> None:
    with pytest.raises(ValueError, match="nan"):
        solve_pmedian(np.array([[np.nan]]), 1)
    with pytest.raises(ValueError, match="non-negative"):
        solve_pmedian(np.zeros((2, 2)), 1, weights=np.array([1.0, -1.0]))
    with pytest.raises(ValueError, match="fixed_leads"):
        solve_pmedian(np.zeros((2, 2)), 1, fixed_leads=[5])
    with pytest.raises(ValueError, match="2-D"):
        solve_pmedian(np.zeros(3), 1)


def test_time_limit_returns_a_solution() -> None:
    rng = np.random.default_rng(3)
    points = rng.random((150, 2))
    dist = np.sqrt(((points[:, None, :] - points[None, :, :]) ** 2).sum(axis=2))
    result = solve_pmedian(dist, 8, time_limit=0.0)
    assert result.status in {"optimal", "feasible"}
    check_result(result, dist, 8, np.ones(150))
    assert result.wall_time < 5.0


def test_highspy_and_ortools_import_together() -> None:
    # SOLVING.md: highspy 1.15 and ortools 9.15 cannot share a process; 1.14 can.
    pytest.importorskip("ortools")
    import highspy
    from ortools.sat.python import cp_model

    assert cp_model.CpModel() is not None
    assert highspy.Highs() is not None
