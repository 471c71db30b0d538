"""One record per part: everything that works on parts reads the same records, and the
records say everything a part has (its terms priced by real policy keys, its rows, its
tables, its checks)."""

from __future__ import annotations

import pytest

from twinning import load_instance, solve
from twinning.county.policy import Policy
from twinning.explain import objective_breakdown
from twinning.messages import CATALOGUE
from twinning.parts import PART_ORDER, PARTS, parse_parts
from twinning.plan import Plan
from twinning.validation import validate

from .conftest import INSTANCES


@pytest.fixture(scope="module")
def solved() -> tuple[object, object]:
    inst = load_instance(INSTANCES / "demo-county")
    inst = inst.model_copy(
        update={
            "policy": inst.policy.model_copy(
                update={"balance": inst.policy.balance.model_copy(update={"target": "objective"})}
            )
        }
    )
    return inst, solve(inst, time_limit=30, seed=1)


def test_the_records_are_the_plans_parts_in_order() -> None:
    assert tuple(PARTS) == PART_ORDER
    for name, part in PARTS.items():
        assert part.name == name
        assert part.label in CATALOGUE  # its name in both languages
        for field in part.rows:
            assert field in Plan.model_fields, (name, field)
        assert part.kpis is not None


def test_every_term_is_priced_by_a_policy_key_that_exists() -> None:
    policy = Policy()
    for part in PARTS.values():
        names = [t.name for t in part.terms]
        assert len(names) == len(set(names)), part.name
        for term in part.terms:
            assert term.label in CATALOGUE, (part.name, term.name)
            if term.weight is not None:
                assert isinstance(term.price(policy), float), (part.name, term.weight)


def test_every_term_the_checker_counts_is_in_its_record(solved: tuple[object, object]) -> None:
    inst, result = solved
    report = validate(inst, result.plan)  # type: ignore[attr-defined,arg-type]
    assert set(report.objectives) == set(PART_ORDER)
    for part, objective in report.objectives.items():
        declared = {t.name for t in PARTS[part].terms}
        assert set(objective.terms) <= declared, (part, set(objective.terms) - declared)
    rows = objective_breakdown(inst, report)  # type: ignore[arg-type]
    priced = [r for r in rows if r[1] != "objective" and r[3] is not None]
    assert any(part == "alliances" and term == "strong_imbalance" for part, term, *_ in priced)
    assert any(term == "balance_deviation" for _, term, *_ in rows)


def test_a_weight_prices_its_term_in_the_breakdown(solved: tuple[object, object]) -> None:
    inst, result = solved
    report = validate(inst, result.plan)  # type: ignore[attr-defined,arg-type]
    for part, term, amount, cost in objective_breakdown(inst, report):  # type: ignore[arg-type]
        if term == "objective" or cost is None:
            continue
        price = PARTS[part].term(term).price(inst.policy)  # type: ignore[union-attr,attr-defined]
        assert cost == pytest.approx(amount * price)


def test_parts_are_planned_with_what_they_build_on() -> None:
    inst = load_instance(INSTANCES / "demo-county")
    assert parse_parts("roster", inst)[0] == "pairs"
    assert parse_parts(None) == list(PART_ORDER)
    assert parse_parts(["outreach"], inst)[-1] == "outreach"
