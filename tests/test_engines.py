"""The three engines solve the same pairs model: their optima agree on generated counties."""

from __future__ import annotations

import pytest

from twinning.io.readers import instance_from_frames
from twinning.messages import render
from twinning.models.pairs import solve_pairs
from twinning.models.search import SearchSettings
from twinning.synthetic.county import generate_county
from twinning.validation import validate


def generated(schools: int, staff: int, seed: int, policy: dict | None = None):  # type: ignore[no-untyped-def]
    return instance_from_frames(f"gen{seed}", generate_county(schools, staff, seed), policy)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_flow_cpsat_and_pulp_reach_the_same_optimum(seed: int) -> None:
    inst = generated(60, 1500, seed)
    settings = SearchSettings(time_limit=60)
    flow = solve_pairs(inst, engine="flow").result
    cpsat = solve_pairs(inst, engine="cpsat", settings=settings).result
    cbc = solve_pairs(inst, backend="pulp", settings=settings).result
    assert flow.status == cpsat.status == cbc.status == "optimal"
    assert flow.objective == cpsat.objective == cbc.objective
    # Alternative optima may differ in km by rounding; the integer terms may not.
    for key in ("unpaired", "min_places_empty", "complementarity_shortfall"):
        assert flow.terms[key] == cpsat.terms[key] == cbc.terms[key]
    assert flow.bound == flow.objective


def test_highs_backend_agrees_and_imports_beside_ortools() -> None:
    import highspy  # noqa: F401  (SOLVING.md: highspy 1.15 and ortools 9.15 clash)
    from ortools.graph.python import min_cost_flow  # noqa: F401

    inst = generated(40, 900, 5)
    flow = solve_pairs(inst, engine="flow").result
    highs = solve_pairs(inst, backend="pulp-highs").result
    assert highs.status == "optimal" and highs.objective == flow.objective


@pytest.mark.parametrize("seed", [3, 4])
def test_side_constraint_cpsat_and_pulp_agree(seed: int) -> None:
    inst = generated(60, 1500, seed, {"twinning": {"max_helped_students_ratio": 0.5}})
    cpsat = solve_pairs(inst, engine="cpsat", settings=SearchSettings(time_limit=60)).result
    auto = solve_pairs(inst, settings=SearchSettings(time_limit=60)).result
    cbc = solve_pairs(inst, backend="pulp", settings=SearchSettings(time_limit=60)).result
    assert "CP-SAT" in render(cpsat.method or "", "en")
    assert cpsat.status == cbc.status == "optimal"
    assert cpsat.objective == cbc.objective == auto.objective


def test_solutions_validate_and_objectives_match_the_checker() -> None:
    from twinning import solve

    inst = generated(80, 2000, 6, {"twinning": {"max_km": 25}})
    result = solve(inst, "pairs")
    report = validate(inst, result.plan)
    assert report.ok, report.violations
    assert report.objectives["pairs"].value == result.objective
    assert report.objectives["pairs"].terms == result.parts["pairs"].terms


def test_alliance_engines_agree_on_generated_counties() -> None:
    from twinning.models.alliances import solve_alliances
    from twinning.models.search import SearchSettings

    settings = SearchSettings(time_limit=60)
    pure = generated(
        50,
        1000,
        7,
        {"alliances": {"groups": 5, "same_stage": False, "size_band": [], "mix_area": False}},
    )
    pm = solve_alliances(pure, engine="pmedian", settings=settings).result
    cp = solve_alliances(pure, engine="cpsat", settings=settings).result
    cbc = solve_alliances(pure, backend="pulp", settings=settings).result
    assert pm.status == cp.status == cbc.status == "optimal"
    assert pm.objective == cp.objective == cbc.objective

    sized = generated(
        40, 900, 8, {"alliances": {"groups": 4, "same_stage": False, "min_size": 8, "max_size": 12}}
    )
    balanced = generated(
        16,
        400,
        9,
        {
            "alliances": {"groups": 3, "same_stage": False},
            "weights": {"alliance_balance_backbone": 2, "alliance_balance_strong": 1},
        },
    )
    for inst in (sized, balanced):
        cp = solve_alliances(inst, settings=settings).result
        cbc = solve_alliances(inst, backend="pulp", settings=settings).result
        assert cp.status == cbc.status == "optimal"
        assert cp.objective == cbc.objective


def test_pulp_counts_building_its_model_against_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """A limit spent before the model is built (a city's millions of arcs) ends the PuLP
    backend with status unknown and no solver run, instead of a solve past the limit."""
    import pulp

    from twinning.models.pairs.data import build_pairs_data
    from twinning.models.pairs.engines import solve_pulp

    ran: list[object] = []
    monkeypatch.setattr(pulp.LpProblem, "solve", lambda self, engine: ran.append(engine))
    inst = generated(60, 1500, 0)
    data = build_pairs_data(inst)
    out = solve_pulp(data, 1, time_limit=0.0)
    assert out.status == "unknown" and len(out.chosen) == 0 and ran == []
    monkeypatch.undo()
    whole = solve_pulp(data, 1, time_limit=60)
    assert whole.status == "optimal"
