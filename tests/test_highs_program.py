"""The small HiGHS integer program the itinerant part is built on."""

from __future__ import annotations

import numpy as np

from twinning.models.highs import IntegerProgram


def knapsack() -> IntegerProgram:
    # maximise 5a + 4b + 3c (minimise the negative) with 2a + 3b + c <= 5, a, b, c in 0..1
    ip = IntegerProgram(offset=12.0)
    cols = [ip.var(0, 1, -5.0), ip.var(0, 1, -4.0), ip.var(0, 1, -3.0)]
    ip.at_most(cols, [2.0, 3.0, 1.0], 5.0)
    return ip


def test_branch_and_bound_finds_the_optimum_with_its_offset() -> None:
    out = knapsack().solve(5.0, gap=0.0)
    assert out.status == "optimal"
    assert out.values.tolist() == [1.0, 1.0, 0.0]  # a and b: 9 of value, weight 5
    assert out.objective == 3.0


def test_relaxation_is_a_lower_bound_and_fractional() -> None:
    ip = knapsack()
    lp = ip.relax(5.0)
    assert lp.status == "optimal"
    assert lp.bound <= ip.solve(5.0, gap=0.0).objective - 1e-9
    assert not np.allclose(lp.values, np.rint(lp.values))


def test_feasible_checks_bounds_and_rows() -> None:
    ip = knapsack()
    assert ip.feasible(np.array([1.0, 1.0, 0.0]))
    assert not ip.feasible(np.array([1.0, 1.0, 1.0]))  # 6 > 5
    assert not ip.feasible(np.array([2.0, 0.0, 0.0]))  # above its bound
    ip.row([], [], 0.0, 0.0)  # an empty row at the end is kept, not misread
    assert ip.feasible(np.array([0.0, 0.0, 1.0]))
    assert ip.objective_of(np.array([0.0, 0.0, 1.0])) == 9.0


def test_a_start_is_kept_when_nothing_better_is_searched() -> None:
    ip = knapsack()
    out = ip.solve(5.0, gap=1.0, absolute_gap=100.0, start=np.array([0.0, 0.0, 1.0]))
    assert out.status == "optimal"  # within the (wide) gap asked
    assert ip.feasible(out.values)
    assert out.objective <= 9.0


def test_an_empty_program_is_its_offset() -> None:
    ip = IntegerProgram(offset=7.0)
    assert ip.solve(1.0).objective == 7.0
    assert ip.relax(1.0).bound == 7.0
