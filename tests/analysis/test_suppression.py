"""Small-group suppression, pure: no hidden figure can be worked out from the shown ones."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from survey.analysis.suppression import Constraint, suppress
from tests.oracle import determinable, determinable_jointly


def test_the_issue_example_women_7_men_3_total_10():
    counts = {"total": 10, "women": 7, "men": 3}
    hidden = suppress(counts, [Constraint("total", ("women", "men"))], threshold=5)
    assert "men" in hidden and len(hidden) >= 2


def test_nothing_hidden_when_every_group_is_large_enough():
    counts = {"total": 20, "women": 12, "men": 8}
    assert suppress(counts, [Constraint("total", ("women", "men"))], threshold=5) == set()


def test_zero_is_shown_and_does_not_hide_the_rest():
    counts = {"total": 12, "women": 12, "men": 0}
    assert suppress(counts, [Constraint("total", ("women", "men"))], threshold=5) == set()


def test_threshold_never_below_three():
    with pytest.raises(ValueError):
        suppress({"a": 1}, [], threshold=2)


def test_a_bridge_the_simple_rule_misses_is_caught():
    # Two 2x2 blocks joined through one cell: every line has two hidden cells, yet one is fixed.
    counts = {(r, c): 10 for r in range(4) for c in range(4)}
    counts.update({(0, 0): 2, (0, 1): 2, (1, 0): 2, (1, 1): 2, (2, 2): 2, (2, 3): 2, (3, 2): 2, (3, 3): 2})
    constraints = [Constraint(("row", r), tuple((r, c) for c in range(4))) for r in range(4)]
    constraints += [Constraint(("col", c), tuple((r, c) for r in range(4))) for c in range(4)]
    for r in range(4):
        counts[("row", r)] = sum(counts[(r, c)] for c in range(4))
        counts[("col", r)] = sum(counts[(c, r)] for c in range(4))
    hidden = suppress(counts, constraints, threshold=5)
    assert determinable(constraints, hidden) == set()


@st.composite
def hierarchy(draw):
    """Units in areas, each cell split into categories: the shape the results are published in."""
    areas = draw(st.integers(1, 3))
    units = [(a, u) for a in range(areas) for u in range(draw(st.integers(1, 4)))]
    categories = draw(st.integers(2, 4))
    counts, constraints = {}, []
    for unit in units:
        parts = [("unit", unit, c) for c in range(categories)]
        for part in parts:
            counts[part] = draw(st.integers(0, 12))
        counts[("unit", unit, "all")] = sum(counts[p] for p in parts)
        constraints.append(Constraint(("unit", unit, "all"), tuple(parts)))
    for category in [*range(categories), "all"]:
        for area in range(areas):
            members = tuple(("unit", u, category) for u in units if u[0] == area)
            counts[("area", area, category)] = sum(counts[m] for m in members)
            constraints.append(Constraint(("area", area, category), members))
        tops = tuple(("area", a, category) for a in range(areas))
        counts[("org", category)] = sum(counts[t] for t in tops)
        constraints.append(Constraint(("org", category), tops))
    for area in range(areas):
        constraints.append(Constraint(("area", area, "all"), tuple(("area", area, c) for c in range(categories))))
    constraints.append(Constraint(("org", "all"), tuple(("org", c) for c in range(categories))))
    return counts, constraints


@settings(max_examples=150, deadline=None)
@given(hierarchy(), st.integers(3, 6))
def test_no_hidden_cell_can_be_worked_out(data, threshold):
    counts, constraints = data
    hidden = suppress(counts, constraints, threshold)
    assert all(cell in hidden for cell, n in counts.items() if 0 < n < threshold)
    assert determinable(constraints, hidden) == set()


def test_the_oracle_sees_what_primary_suppression_alone_would_leak():
    constraints = [Constraint("total", ("women", "men"))]
    assert determinable(constraints, {"men"}) == {"men"}


def test_the_joint_oracle_sees_a_flag_give_its_question_away():
    constraints = [Constraint("total", ("women", "men"))]
    hidden_by_item = {"question": {"women", "men"}, "flag": set()}
    assert determinable_jointly(constraints, hidden_by_item, {"flag": ["question"]}, ["total", "women", "men"]) \
        == {("question", "women"), ("question", "men")}
    hidden_by_item["flag"] = {"women", "men"}
    assert determinable_jointly(constraints, hidden_by_item, {"flag": ["question"]}, ["total", "women", "men"]) == set()
